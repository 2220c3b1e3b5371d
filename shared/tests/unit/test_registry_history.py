"""The registry's history as shipped: every row has its source, dates and ordinals are consistent, groups
resolve to their members of the day, and a history row that does not fit the registry is refused."""

from __future__ import annotations

from datetime import date

import pytest
import yaml
from pydantic import ValidationError

from resolute.shared.actors import ActorRegistry, Source, default_registry, load_shipped_registry, parse_registry
from resolute.shared.actors.loader import merge_history


@pytest.fixture(scope="module")
def registry() -> ActorRegistry:
    return default_registry()


def _sources(registry: ActorRegistry) -> list[tuple[str, Source | None]]:
    rows: list[tuple[str, Source | None]] = []
    for s in registry.series:
        rows += [(f"series {s.id} occurrence {o.start}", o.source) for o in s.occurrences]
        if s.cadence is not None:
            rows.append((f"series {s.id} cadence", s.cadence_source))
    for g in registry.groups:
        rows += [(f"group {g.id} membership of {m.country}", m.source) for m in g.memberships]
        rows += [(f"group {g.id} withdrawal of {m.country}", m.left_source) for m in g.memberships if m.left]
    for c in registry.countries:
        rows += [(f"{c.code} reorganisation of {r.effective}", r.source) for r in c.reorganisations]
    return rows


def test_every_shipped_row_has_a_source(registry: ActorRegistry) -> None:
    rows = _sources(registry)
    assert len(rows) > 140  # the history is really there: occurrences, memberships, reorganisations
    missing = [where for where, source in rows if source is None or not source.title.strip()]
    assert missing == []
    assert all(source is not None and source.url.startswith(("http://", "https://")) for _, source in rows)


def test_no_shipped_row_is_test_data(registry: ActorRegistry) -> None:
    assert not any(r.test_data for c in registry.countries for r in c.reorganisations)
    assert not any("example.invalid" in (source.url if source else "") for _, source in _sources(registry))


def test_ordinals_increase_with_dates_and_never_repeat(registry: ActorRegistry) -> None:
    for series in registry.series:
        regular = sorted((o for o in series.occurrences if not o.extraordinary), key=lambda o: o.start)
        keys = [o.key for o in regular]
        assert keys == sorted(keys) and len(keys) == len(set(keys)), series.id
        assert all(o.end is None or o.end >= o.start for o in series.occurrences), series.id


def test_the_anchors_the_documents_give(registry: ActorRegistry) -> None:
    council = registry.series_by_id("baltic-council")
    session = registry.series_by_id("baltic-assembly-session")
    assert council is not None and session is not None
    c29, s42 = council.occurrence(29), session.occurrence(42)
    assert c29 is not None and s42 is not None
    assert (c29.start, c29.end, c29.place) == (date(2023, 11, 23), date(2023, 11, 24), "Tallinn")
    assert (s42.start, s42.end, s42.place) == (date(2023, 11, 23), date(2023, 11, 24), "Tallinn")
    assert [(r.series, r.ordinal) for r in c29.meets_with] == [("baltic-assembly-session", 42)]
    s43, s44 = session.occurrence(43), session.occurrence(44)
    assert s43 is not None and (s43.start, s43.end, s43.place) == (date(2024, 10, 17), date(2024, 10, 18), "Vilnius")
    assert s44 is not None and (s44.start, s44.end, s44.place) == (date(2025, 11, 13), date(2025, 11, 14), "Riga")


def test_joint_meetings_are_mutual(registry: ActorRegistry) -> None:
    for series in registry.series:
        for occurrence in series.occurrences:
            for ref in occurrence.meets_with:
                other = registry.series_by_id(ref.series)
                assert other is not None
                partner = other.occurrence(ref.ordinal)
                if partner is not None:
                    back = [(r.series, r.ordinal) for r in partner.meets_with]
                    assert (series.id, occurrence.key) in back, (series.id, occurrence.key)


def test_unnumbered_summits_are_told_apart_by_date_and_place(registry: ActorRegistry) -> None:
    summit = registry.series_by_id("nato-summit")
    assert summit is not None and not summit.numbered
    assert all(o.ordinal is None and o.place for o in summit.occurrences)
    ankara = summit.occurrence(2026)
    assert ankara is not None and ankara.status == "announced" and ankara.place == "Ankara"
    assert summit.occurrence(2001) is None  # the 2001 special meeting is extraordinary, not the year's summit


def test_nato_pa_resolutions_resolve_to_the_allies_of_their_year(registry: ActorRegistry) -> None:
    allies_2001 = registry.members("nato-allies", on=date(2001, 11, 13))
    assert len(allies_2001) == 19
    assert {"PL", "CZ", "HU"} <= set(allies_2001) and not {"EE", "LV", "LT"} & set(allies_2001)
    assert len(registry.members("nato-allies", on=date(2025, 10, 13))) == 32
    assert len(registry.members("nato-allies", on=date(2023, 4, 3))) == 30  # the day before Finland
    assert len(registry.members("nato-allies", on=date(2023, 4, 4))) == 31


def test_group_members_keep_meaning_today(registry: ActorRegistry) -> None:
    for group in registry.groups:
        assert registry.members(group.id) == group.members
        if group.memberships:
            assert set(group.members) == {m.country for m in group.memberships if m.left is None}
    eu = registry.group("eu-member-states")
    assert eu is not None and len(eu.members) == 27 and "GB" not in eu.members
    assert "GB" in registry.members("eu-member-states", on=date(2020, 1, 31))
    assert "GB" not in registry.members("eu-member-states", on=date(2020, 2, 1))
    assert len(registry.members("eu-member-states", on=date(2004, 4, 30))) == 15
    assert len(registry.members("eu-member-states", on=date(2004, 5, 1))) == 25
    assert set(registry.members("bucharest-nine")) == {"BG", "CZ", "EE", "HU", "LV", "LT", "PL", "RO", "SK"}
    assert registry.members("bucharest-nine", on=date(2015, 1, 1)) == ()
    assert len(registry.members("nordic-baltic-eight", on=date(2000, 8, 30))) == 8
    assert registry.members("baltic-states", on=date(1995, 1, 1)) == ("EE", "LV", "LT")  # no history: today's


def test_every_member_country_has_foreign_and_defence_answering(registry: ActorRegistry) -> None:
    from resolute.shared.actors import lead_ministry

    for group in registry.groups:
        for code in group.members:
            country = registry.country(code)
            assert country is not None, code
            assert country.ministry("foreign-affairs") is not None, code
            assert lead_ministry(country, "defence", registry) is not None, code


def test_unknown_group_is_an_error(registry: ActorRegistry) -> None:
    with pytest.raises(KeyError, match="no country group"):
        registry.members("warsaw-pact")


def test_the_registry_round_trips_through_its_json_document(registry: ActorRegistry) -> None:
    again = ActorRegistry.model_validate(registry.model_dump(mode="json"))
    assert again == registry
    assert load_shipped_registry() == registry


MINIMAL = """
policy_areas: [{id: defence, name: Defence}]
countries:
  - {code: EE, name: Estonia, ministries: [{id: defence, name: Ministry of Defence, areas: [defence]}]}
  - {code: LV, name: Latvia, ministries: [{id: defence, name: Ministry of Defence, areas: [defence]}]}
groups: [{id: pair, name: Pair, members: [EE, LV]}]
series: [{id: council, name: Council, cadence: P1Y}]
"""
SOURCE = "{url: 'https://example.org/a', title: A page}"


def _history(text: str) -> ActorRegistry:
    return parse_registry(MINIMAL, [text])


def test_a_row_without_a_source_is_refused() -> None:
    with pytest.raises(ValidationError, match="source"):
        _history("series: {council: {occurrences: [{ordinal: 1, start: 2020-01-01}]}}")
    with pytest.raises(ValidationError, match="source"):
        _history(
            "groups: {pair: {memberships: [{country: EE, joined: 2000-01-01}, {country: LV, joined: 2000-01-01}]}}"
        )
    with pytest.raises(ValidationError, match="url"):
        _history("series: {council: {occurrences: [{ordinal: 1, start: 2020-01-01, source: {url: x, title: T}}]}}")


@pytest.mark.parametrize(
    ("history", "problem"),
    [
        (
            f"series: {{council: {{occurrences: [{{ordinal: 2, start: 2020-01-01, source: {SOURCE}}},"
            f" {{ordinal: 1, start: 2021-01-01, source: {SOURCE}}}]}}}}",
            "do not increase",
        ),
        (
            f"series: {{council: {{occurrences: [{{ordinal: 1, start: 2020-01-01, source: {SOURCE}}},"
            f" {{ordinal: 1, start: 2021-01-01, source: {SOURCE}}}]}}}}",
            "two regular occurrences numbered 1",
        ),
        (f"series: {{council: {{occurrences: [{{start: 2020-01-01, source: {SOURCE}}}]}}}}", "has no ordinal"),
        (
            "series: {council: {occurrences: [{ordinal: 1, start: 2020-01-02, end: 2020-01-01, "
            f"source: {SOURCE}}}]}}}}",
            "ends",
        ),
        (
            f"series: {{council: {{occurrences: [{{ordinal: 1, start: 2020-01-01, source: {SOURCE},"
            f" meets_with: [{{series: nowhere, ordinal: 1}}]}}]}}}}",
            "unknown series",
        ),
        (
            f"groups: {{pair: {{memberships: [{{country: EE, joined: 2000-01-01, source: {SOURCE}}}]}}}}",
            "not the open memberships",
        ),
        (
            f"groups: {{pair: {{memberships: [{{country: EE, joined: 2000-01-01, source: {SOURCE}}},"
            f" {{country: LV, joined: 2000-01-01, left: 2001-01-01, source: {SOURCE}}}]}}}}",
            "left_source",
        ),
        ("series: {nowhere: {occurrences: []}}", "does not define"),
        ("calendar: {}", "unknown sections"),
    ],
)
def test_history_that_does_not_fit_is_refused(history: str, problem: str) -> None:
    with pytest.raises((ValidationError, ValueError), match=problem):
        _history(history)


def test_history_cannot_overwrite_what_the_registry_says() -> None:
    raw = yaml.safe_load(MINIMAL)
    with pytest.raises(ValueError, match="already has"):
        merge_history(raw, {"series": {"council": {"cadence": "P6M"}}})
