"""Addressee clauses parsed against the registry, not hard-coded: the object of the clause, nothing else."""

from __future__ import annotations

from datetime import date

import pytest

from resolute.ingest.extraction.actors import actor_matcher
from resolute.ingest.extraction.addressees import AddresseeContext, Addressees, describe, read_addressees
from resolute.shared.actors import ActorRegistry


@pytest.fixture
def read(registry: ActorRegistry):
    def _read(phrase: str, own_group: str | None = None, on: date | None = None) -> Addressees:
        return read_addressees(phrase, AddresseeContext(registry, actor_matcher(registry), own_group, on))

    return _read


def test_baltic_assembly_clause(read) -> None:
    a = read(
        "the parliaments and governments of the Republic of Estonia, the Republic of Latvia, and the "
        "Republic of Lithuania, as well as the Baltic Council of Ministers"
    )
    assert a.countries == ["EE", "LV", "LT"]
    assert a.bodies == ["Baltic Council of Ministers"]
    assert describe(a) == ["parliaments and governments of EE, LV, LT", "Baltic Council of Ministers"]


def test_groups_expand_to_their_members_on_the_documents_date(read) -> None:
    nato = read("member governments and parliaments of the North Atlantic Alliance")
    assert len(nato.countries) == 32 and nato.groups == ["nato-allies"]
    assert len(read("member governments of the North Atlantic Alliance", on=date(2001, 10, 9)).countries) == 19
    assert read("the governments of the Baltic States").countries == ["EE", "LV", "LT"]


def test_member_governments_are_the_issuers_members(read) -> None:
    assert len(read("member governments", own_group="nato-allies").countries) == 32
    assert read("the member states", own_group="baltic-states").countries == ["EE", "LV", "LT"]
    # "member states of <body>" are that body's members, whoever issues the text
    members = read("the parliaments of the member states of the North Atlantic Treaty Organisation", "baltic-states")
    assert len(members.countries) == 32 and members.bodies == []


def test_hedged_addressees_are_left_out(read) -> None:
    a = read("Allied Governments and Parliaments and, where appropriate, NATO institutions")
    assert len(a.countries) == 32 and a.bodies == []
    b = read("the Government of Ukraine and NATO institutions")
    assert b.countries == ["UA"] and b.bodies == ["NATO"]


def test_an_addressee_outside_the_registry_is_named_and_owes_nothing(read) -> None:
    a = read("the Government of the Russian Federation")
    assert (a.countries, a.bodies, a.named) == ([], [], ["Government of the Russian Federation"])
    assert a.resolved and not a.assigned
    assert not read("all those concerned").resolved


def test_a_country_named_by_its_adjective_owes_only_as_its_government(read) -> None:
    assert read("the Estonian Government").countries == ["EE"]
    assert read("Estonian ports").countries == []


def test_longest_name_wins_and_acronyms_are_case_sensitive(read, registry: ActorRegistry) -> None:
    matcher = actor_matcher(registry)
    assert read("the Baltic Council of Ministers").bodies == ["Baltic Council of Ministers"]
    assert read("the us and them").countries == []
    assert read("the US and Canada").countries == ["US", "CA"]
    assert matcher.countries_in("the Lithuanian Minister and the Latvian Minister") == ["LT", "LV"]
    assert matcher.countries_in("the Lithuanian Minister", adjectives=False) == []


def test_national_parliaments_are_not_bodies_owed_commitments(read, registry: ActorRegistry) -> None:
    assert read("the Seimas of the Republic of Lithuania").bodies == []
    assert actor_matcher(registry).body_named("Office of the Seimas") == "Seimas of the Republic of Lithuania"
