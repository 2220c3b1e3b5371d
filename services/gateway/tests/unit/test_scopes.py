"""Scopes: what a key may be, and what it may do."""

from __future__ import annotations

import pytest

from resolute.gateway.api_keys.scopes import InvalidScope, Principal, unknown_ministry, validate_scope
from resolute.shared.actors import default_registry


@pytest.mark.parametrize("scope", ["admin", "editor", "reader", "ministry:EE:defence", "ministry:LT:foreign-affairs"])
def test_valid_scopes(scope: str) -> None:
    assert validate_scope(scope) == scope


@pytest.mark.parametrize(
    "scope",
    ["root", "ministry:EE", "ministry:est:defence", "ministry:EE:Defence", "", "editor\n", " admin", "reader "],
)
def test_invalid_scopes(scope: str) -> None:
    with pytest.raises(InvalidScope):
        validate_scope(scope)


def test_roles_and_owner() -> None:
    ministry = Principal(key_id="k1", scope="ministry:EE:defence")
    assert ministry.ministry == ("EE", "defence")
    assert ministry.owner == "ministry:EE:defence"
    assert not ministry.has_role("editor")
    admin = Principal(key_id="k2", scope="admin")
    assert admin.has_role("editor") and admin.owner == "key:k2"


def test_a_ministry_scope_names_a_ministry_of_the_registry() -> None:
    countries = default_registry().countries
    assert unknown_ministry("ministry:EE:defence", countries) is None
    assert unknown_ministry("editor", countries) is None
    assert "no country" in (unknown_ministry("ministry:XX:defence", countries) or "")
    assert "no ministry 'astrology'" in (unknown_ministry("ministry:EE:astrology", countries) or "")
