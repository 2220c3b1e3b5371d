"""A clearly fictional government reorganisation for tests: a ministry abolished into a successor on a known
day, applied on top of the shipped registry (it is never part of the shipped data)."""

from __future__ import annotations

from datetime import date
from importlib.resources import files

import yaml

from resolute.shared.actors import ActorRegistry, Reorganisation, default_registry, with_reorganisation

TEST_DATA_RESOURCE = "reorganisation_test_data.yaml"


def test_reorganisation(effective: date | None = None) -> tuple[str, Reorganisation]:
    """(country code, reorganisation) of the test data, on its own day or on `effective`."""
    raw = yaml.safe_load(files("resolute.shared.testing").joinpath(TEST_DATA_RESOURCE).read_text(encoding="utf-8"))
    reorganisation = Reorganisation.model_validate(raw["reorganisation"])
    if effective is not None:
        reorganisation = reorganisation.model_copy(update={"effective": effective})
    return str(raw["country"]), reorganisation


def registry_with_test_reorganisation(
    registry: ActorRegistry | None = None, effective: date | None = None
) -> ActorRegistry:
    """The registry (the shipped one by default) after the test reorganisation."""
    code, reorganisation = test_reorganisation(effective)
    return with_reorganisation(registry or default_registry(), code, reorganisation)


test_reorganisation.__test__ = False  # type: ignore[attr-defined]  # a fixture factory, not a pytest test
