"""Addressee clauses parsed against the registry, not hard-coded."""

from __future__ import annotations

from resolute.ingest.extraction.actors import actor_matcher
from resolute.shared.actors import ActorRegistry


def test_baltic_assembly_clause(registry: ActorRegistry) -> None:
    a = actor_matcher(registry).addressees(
        "the parliaments and governments of the Republic of Estonia, the Republic of Latvia, and the "
        "Republic of Lithuania, as well as the Baltic Council of Ministers"
    )
    assert a.countries == ["EE", "LV", "LT"]
    assert a.bodies == ["Baltic Council of Ministers"]


def test_groups_expand_to_members(registry: ActorRegistry) -> None:
    matcher = actor_matcher(registry)
    nato = matcher.addressees("member governments and parliaments of the North Atlantic Alliance")
    assert len(nato.countries) == 32 and nato.groups == ["nato-allies"]
    baltic = matcher.addressees("the governments of the Baltic States")
    assert baltic.countries == ["EE", "LV", "LT"]


def test_hedged_addressees_are_left_out(registry: ActorRegistry) -> None:
    a = actor_matcher(registry).addressees(
        "Allied Governments and Parliaments and, where appropriate, NATO institutions"
    )
    assert len(a.countries) == 32 and a.bodies == []
    b = actor_matcher(registry).addressees("the Government of Ukraine and NATO institutions")
    assert b.countries == ["UA"] and b.bodies == ["NATO"]


def test_longest_name_wins_and_acronyms_are_case_sensitive(registry: ActorRegistry) -> None:
    matcher = actor_matcher(registry)
    assert matcher.addressees("the Baltic Council of Ministers").bodies == ["Baltic Council of Ministers"]
    assert matcher.addressees("the us and them").countries == []
    assert matcher.addressees("the US and Canada").countries == ["US", "CA"]
    assert matcher.countries_in("the Lithuanian Minister and the Latvian Minister") == ["LT", "LV"]
    assert matcher.countries_in("the Lithuanian Minister", adjectives=False) == []


def test_national_parliaments_are_not_bodies_owed_commitments(registry: ActorRegistry) -> None:
    matcher = actor_matcher(registry)
    assert matcher.addressees("the Seimas of the Republic of Lithuania").bodies == []
    assert matcher.body_named("Office of the Seimas") == "Seimas of the Republic of Lithuania"
