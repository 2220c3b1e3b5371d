"""Alembic environment for ingest's database."""

import resolute.ingest.documents.models  # noqa: F401  (registers the tables)
from resolute.ingest.database import Base
from resolute.shared.migrations import run_env

run_env(Base.metadata)
