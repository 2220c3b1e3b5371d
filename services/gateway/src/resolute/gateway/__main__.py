"""`python -m resolute.gateway serve|migrate`."""

import sys

from resolute.gateway.main import create_app
from resolute.gateway.settings import MIGRATIONS_DIR, GatewaySettings
from resolute.shared.entrypoint import run_service

if __name__ == "__main__":
    sys.exit(run_service(GatewaySettings, create_app, MIGRATIONS_DIR))
