"""Alembic environment for notifier's database."""

import resolute.notifier.deliveries.models
import resolute.notifier.digests.models
import resolute.notifier.subscriptions.models  # noqa: F401
from resolute.notifier.database import Base
from resolute.shared.migrations import run_env

run_env(Base.metadata)
