"""initial schema

Revision ID: ec34a58c8830
Revises:
Create Date: 2026-11-21 12:55:56.368248
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from resolute.shared.messaging.schema import create_messaging_tables_v1, drop_messaging_tables_v1

revision: str = "ec34a58c8830"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    create_messaging_tables_v1()
    op.create_table(
        "commitments",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("document_id", sa.String(length=36), nullable=False),
        sa.Column("document_title", sa.Text(), nullable=True),
        sa.Column("document_kind", sa.String(length=40), nullable=False),
        sa.Column("document_number", sa.String(length=40), nullable=True),
        sa.Column("issuing_body", sa.Text(), nullable=True),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("label", sa.String(length=20), nullable=True),
        sa.Column("section", sa.Text(), nullable=True),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("countries", sa.JSON(), nullable=False),
        sa.Column("bodies", sa.JSON(), nullable=False),
        sa.Column("ministries", sa.JSON(), nullable=False),
        sa.Column("policy_area", sa.String(length=40), nullable=True),
        sa.Column("deadline", sa.JSON(), nullable=True),
        sa.Column("published_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_commitments")),
    )
    with op.batch_alter_table("commitments", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_commitments_document_id"), ["document_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_commitments_policy_area"), ["policy_area"], unique=False)
        batch_op.create_index(batch_op.f("ix_commitments_published_at"), ["published_at"], unique=False)

    op.create_table(
        "assignments",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("commitment_id", sa.String(length=36), nullable=False),
        sa.Column("country", sa.String(length=2), nullable=True),
        sa.Column("ministry", sa.String(length=60), nullable=True),
        sa.Column("body", sa.String(length=200), nullable=True),
        sa.Column("role", sa.String(length=20), nullable=False),
        sa.Column("status", sa.String(length=30), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["commitment_id"],
            ["commitments.id"],
            name=op.f("fk_assignments_commitment_id_commitments"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_assignments")),
    )
    with op.batch_alter_table("assignments", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_assignments_commitment_id"), ["commitment_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_assignments_country"), ["country"], unique=False)
        batch_op.create_index(batch_op.f("ix_assignments_ministry"), ["ministry"], unique=False)
        batch_op.create_index(batch_op.f("ix_assignments_status"), ["status"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("assignments", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_assignments_status"))
        batch_op.drop_index(batch_op.f("ix_assignments_ministry"))
        batch_op.drop_index(batch_op.f("ix_assignments_country"))
        batch_op.drop_index(batch_op.f("ix_assignments_commitment_id"))

    op.drop_table("assignments")
    with op.batch_alter_table("commitments", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_commitments_published_at"))
        batch_op.drop_index(batch_op.f("ix_commitments_policy_area"))
        batch_op.drop_index(batch_op.f("ix_commitments_document_id"))

    op.drop_table("commitments")
    drop_messaging_tables_v1()
