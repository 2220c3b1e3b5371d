"""`python -m resolute.notifier serve|migrate|outbox republish`."""

import sys

from resolute.notifier.database import messaging_tables
from resolute.notifier.main import create_app
from resolute.notifier.settings import MIGRATIONS_DIR, NotifierSettings
from resolute.shared.entrypoint import run_service

if __name__ == "__main__":
    sys.exit(run_service(NotifierSettings, create_app, MIGRATIONS_DIR, messaging_tables=messaging_tables))
