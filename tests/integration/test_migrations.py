"""Every service's migrations build exactly the schema its models describe, and run down and up again."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from alembic import command

from resolute.shared.migrations import alembic_config
from resolute.shared.testing.fixtures import migrations_dir

pytestmark = pytest.mark.integration

SERVICES = ("ingest", "tracker", "notifier", "gateway")


@pytest.mark.parametrize("service", SERVICES)
def test_models_and_migrations_agree(service: str, make_database: Callable[[str], str]) -> None:
    config = alembic_config(migrations_dir(service), make_database(service))
    command.check(config)  # raises if autogenerate would emit anything: a model change without a migration


@pytest.mark.parametrize("service", SERVICES)
def test_downgrade_to_base_and_upgrade_again(service: str, make_database: Callable[[str], str]) -> None:
    config = alembic_config(migrations_dir(service), make_database(service))
    command.downgrade(config, "base")
    command.upgrade(config, "head")
    command.check(config)
