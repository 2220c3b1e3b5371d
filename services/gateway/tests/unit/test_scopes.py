"""Scopes: what a key may be, and what it may do."""

from __future__ import annotations

import pytest

from resolute.gateway.api_keys.scopes import InvalidScope, Principal, validate_scope


@pytest.mark.parametrize("scope", ["admin", "editor", "reader", "ministry:EE:defence", "ministry:LT:foreign-affairs"])
def test_valid_scopes(scope: str) -> None:
    assert validate_scope(scope) == scope


@pytest.mark.parametrize("scope", ["root", "ministry:EE", "ministry:est:defence", "ministry:EE:Defence", ""])
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
