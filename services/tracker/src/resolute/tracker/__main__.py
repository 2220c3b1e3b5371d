"""`python -m resolute.tracker serve|migrate`."""

import sys

from resolute.shared.entrypoint import run_service
from resolute.tracker.main import create_app
from resolute.tracker.settings import MIGRATIONS_DIR, TrackerSettings

if __name__ == "__main__":
    sys.exit(run_service(TrackerSettings, create_app, MIGRATIONS_DIR))
