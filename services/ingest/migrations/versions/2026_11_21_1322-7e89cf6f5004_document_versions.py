"""document versions: lineage (version, supersedes, superseded_by) and commitment identity across versions

Existing documents become version 1 of their own lineage; existing commitments keep their id as identity.

Revision ID: 7e89cf6f5004
Revises: 8fc95d223412
Create Date: 2026-11-21 13:22:43.231186
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "7e89cf6f5004"
down_revision: str | None = "8fc95d223412"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("commitments", schema=None) as batch_op:
        batch_op.add_column(sa.Column("commitment_id", sa.String(length=36), nullable=True))
    op.execute("UPDATE commitments SET commitment_id = id")
    with op.batch_alter_table("commitments", schema=None) as batch_op:
        batch_op.alter_column("commitment_id", existing_type=sa.String(length=36), nullable=False)
        batch_op.create_index(batch_op.f("ix_commitments_commitment_id"), ["commitment_id"], unique=False)
        batch_op.create_unique_constraint(
            batch_op.f("uq_commitments_document_id_commitment_id"), ["document_id", "commitment_id"]
        )

    with op.batch_alter_table("documents", schema=None) as batch_op:
        batch_op.add_column(sa.Column("version", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("lineage_id", sa.String(length=36), nullable=True))
        batch_op.add_column(sa.Column("supersedes_id", sa.String(length=36), nullable=True))
        batch_op.add_column(sa.Column("superseded_by_id", sa.String(length=36), nullable=True))
        batch_op.add_column(sa.Column("superseded_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column("identity_key", sa.String(length=64), nullable=True))
    op.execute("UPDATE documents SET version = 1, lineage_id = id")
    with op.batch_alter_table("documents", schema=None) as batch_op:
        batch_op.alter_column("version", existing_type=sa.Integer(), nullable=False)
        batch_op.alter_column("lineage_id", existing_type=sa.String(length=36), nullable=False)
        batch_op.create_index(
            "uq_documents_current_identity",
            ["identity_key"],
            unique=True,
            postgresql_where=sa.text("status = 'processed'"),
            sqlite_where=sa.text("status = 'processed'"),
        )
        batch_op.create_index(batch_op.f("ix_documents_lineage_id"), ["lineage_id"], unique=False)
        batch_op.create_unique_constraint(batch_op.f("uq_documents_supersedes_id"), ["supersedes_id"])
        batch_op.create_foreign_key(
            batch_op.f("fk_documents_superseded_by_id_documents"), "documents", ["superseded_by_id"], ["id"]
        )
        batch_op.create_foreign_key(
            batch_op.f("fk_documents_supersedes_id_documents"), "documents", ["supersedes_id"], ["id"]
        )


def downgrade() -> None:
    with op.batch_alter_table("documents", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("fk_documents_supersedes_id_documents"), type_="foreignkey")
        batch_op.drop_constraint(batch_op.f("fk_documents_superseded_by_id_documents"), type_="foreignkey")
        batch_op.drop_constraint(batch_op.f("uq_documents_supersedes_id"), type_="unique")
        batch_op.drop_index(batch_op.f("ix_documents_lineage_id"))
        batch_op.drop_index(
            "uq_documents_current_identity",
            postgresql_where=sa.text("status = 'processed'"),
            sqlite_where=sa.text("status = 'processed'"),
        )
        batch_op.drop_column("identity_key")
        batch_op.drop_column("superseded_at")
        batch_op.drop_column("superseded_by_id")
        batch_op.drop_column("supersedes_id")
        batch_op.drop_column("lineage_id")
        batch_op.drop_column("version")

    with op.batch_alter_table("commitments", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("uq_commitments_document_id_commitment_id"), type_="unique")
        batch_op.drop_index(batch_op.f("ix_commitments_commitment_id"))
        batch_op.drop_column("commitment_id")
