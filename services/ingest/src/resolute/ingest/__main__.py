"""`python -m resolute.ingest serve|migrate|outbox republish`."""

import sys

from resolute.ingest.database import messaging_tables
from resolute.ingest.main import create_app
from resolute.ingest.settings import MIGRATIONS_DIR, IngestSettings
from resolute.shared.entrypoint import run_service

if __name__ == "__main__":
    sys.exit(run_service(IngestSettings, create_app, MIGRATIONS_DIR, messaging_tables=messaging_tables))
