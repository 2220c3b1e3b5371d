"""outbox retention and broker state: messaging_state table, outbox.sent_at index (shared messaging schema v2)

Revision ID: 79c60b6f07f2
Revises: 4d1c8df9c166
Create Date: 2026-11-22 09:00:00
"""

from collections.abc import Sequence

from resolute.shared.messaging.schema import create_messaging_state_v2, drop_messaging_state_v2

revision: str = "79c60b6f07f2"
down_revision: str | None = "4d1c8df9c166"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    create_messaging_state_v2()


def downgrade() -> None:
    drop_messaging_state_v2()
