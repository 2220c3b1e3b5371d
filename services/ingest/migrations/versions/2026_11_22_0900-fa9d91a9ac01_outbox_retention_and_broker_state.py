"""outbox retention and broker state: messaging_state table, outbox.sent_at index (shared messaging schema v2)

Revision ID: fa9d91a9ac01
Revises: 7e89cf6f5004
Create Date: 2026-11-22 09:00:00
"""

from collections.abc import Sequence

from resolute.shared.messaging.schema import create_messaging_state_v2, drop_messaging_state_v2

revision: str = "fa9d91a9ac01"
down_revision: str | None = "7e89cf6f5004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    create_messaging_state_v2()


def downgrade() -> None:
    drop_messaging_state_v2()
