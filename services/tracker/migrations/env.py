"""Alembic environment for tracker's database."""

import resolute.tracker.actors.models
import resolute.tracker.assignments.models
import resolute.tracker.calendar.models
import resolute.tracker.commitments.models
import resolute.tracker.deadlines.models
import resolute.tracker.reassignments.models  # noqa: F401  (registers the tables)
from resolute.shared.migrations import run_env
from resolute.tracker.database import Base

run_env(Base.metadata)
