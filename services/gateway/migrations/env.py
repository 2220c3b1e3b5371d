"""Alembic environment for gateway's database."""

import resolute.gateway.api_keys.models  # noqa: F401  (registers the tables)
from resolute.gateway.database import Base
from resolute.shared.migrations import run_env

run_env(Base.metadata)
