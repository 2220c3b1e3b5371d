"""Alembic environment for tracker's database."""

import resolute.tracker.commitments.models  # noqa: F401  (registers the tables)
from resolute.shared.migrations import run_env
from resolute.tracker.database import Base

run_env(Base.metadata)
