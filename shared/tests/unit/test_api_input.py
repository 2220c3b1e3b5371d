"""The API's own input types: webhook URLs read the same by every parser, dates written as text within the
years the API takes."""

from __future__ import annotations

from datetime import date

import pytest
from pydantic import BaseModel, ValidationError

from resolute.shared.api.dates import EARLIEST, LATEST, ApiDate
from resolute.shared.api.subscriptions import webhook_url


@pytest.mark.parametrize(
    "url",
    [
        "https://example.org/hook",
        "https://example.org:8443/hooks/resolute?token=a%20b",
        "http://127.0.0.1:9000/hook",
        "http://[::1]:8080/hook",
        "https://ministry_hooks.internal/hook",
        "https://bücher.example/hook",
    ],
)
def test_a_webhook_url_a_person_would_write_is_taken(url: str) -> None:
    assert webhook_url(url) == url


@pytest.mark.parametrize(
    ("url", "why"),
    [
        ("http://[::1", "cannot be read"),
        ("https://example.org/\x00hook", "control character"),
        ("https://example.org/my hook", "space"),
        ("https://example.org\t/hook", "space"),
        ("https://exa%6Dple.org/hook", "not a host name"),
        ("https://user:pass@example.org/hook", "credentials"),
        ("ftp://example.org/hook", "http or https"),
        ("https://example.org/hook#part", "fragment"),
        ("https://example.org:99999/hook", "cannot be read"),
        ("https:///hook", "no host"),
        ("https://-bad-.example/hook", "not a host name"),
        ("https://[not-v6]/hook", "cannot be read"),
    ],
)
def test_a_webhook_url_parsers_could_read_otherwise_is_refused(url: str, why: str) -> None:
    with pytest.raises(ValueError, match=why):
        webhook_url(url)


class _Dated(BaseModel):
    day: ApiDate


@pytest.mark.parametrize("given", [0, "0", 1700000000, "20250101", True, "0001-01-01", "9999-12-31", "1899-12-31"])
def test_a_date_not_written_as_text_or_outside_the_range_is_refused(given: object) -> None:
    with pytest.raises(ValidationError):
        _Dated.model_validate({"day": given})


def test_a_date_within_the_range_is_taken() -> None:
    assert _Dated.model_validate({"day": "2026-11-13"}).day == date(2026, 11, 13)
    assert _Dated.model_validate({"day": EARLIEST.isoformat()}).day == EARLIEST
    assert _Dated.model_validate({"day": LATEST}).day == LATEST
