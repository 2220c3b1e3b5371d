"""Alembic environment for gateway's database."""

import resolute.gateway.api_keys.models
import resolute.gateway.console.models
import resolute.gateway.feed_tokens.models
import resolute.gateway.idempotency.models  # noqa: F401
from resolute.gateway.database import Base
from resolute.shared.migrations import run_env

run_env(Base.metadata)
