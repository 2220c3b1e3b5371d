"""`python -m resolute.tracker serve|migrate|outbox republish`."""

import sys

from resolute.shared.entrypoint import run_service
from resolute.tracker.database import messaging_tables
from resolute.tracker.main import create_app
from resolute.tracker.settings import MIGRATIONS_DIR, TrackerSettings

if __name__ == "__main__":
    sys.exit(run_service(TrackerSettings, create_app, MIGRATIONS_DIR, messaging_tables=messaging_tables))
