"""Ordinals as documents write them: "44th", "Forty-fourth", "FIFTH", "the 32nd".

Older resolutions spell their session numbers out ("the Sixth Session of the Baltic Assembly"), so
sessions, calendar facts and event deadlines all read ordinals through this one pattern.
"""

from __future__ import annotations

import re

_UNITS = {
    "first": 1,
    "second": 2,
    "third": 3,
    "fourth": 4,
    "fifth": 5,
    "sixth": 6,
    "seventh": 7,
    "eighth": 8,
    "ninth": 9,
}
_TEENS = {
    "tenth": 10,
    "eleventh": 11,
    "twelfth": 12,
    "thirteenth": 13,
    "fourteenth": 14,
    "fifteenth": 15,
    "sixteenth": 16,
    "seventeenth": 17,
    "eighteenth": 18,
    "nineteenth": 19,
}
_TENS_ORDINAL = {
    "twentieth": 20,
    "thirtieth": 30,
    "fortieth": 40,
    "fiftieth": 50,
    "sixtieth": 60,
    "seventieth": 70,
    "eightieth": 80,
    "ninetieth": 90,
}
_TENS = {"twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90}

_SIMPLE = {**_UNITS, **_TEENS, **_TENS_ORDINAL}
# The words an ordinal may begin with, for cheap tests of whether a text could hold one.
ORDINAL_WORDS = (*_SIMPLE, *_TENS)


def _by_initial(words: list[str]) -> str:
    """An alternation grouped by first letter: the regex engine then tries only the words that can match."""
    groups: dict[str, list[str]] = {}
    for word in sorted(words, key=len, reverse=True):
        groups.setdefault(word[0], []).append(word[1:])
    return "(?:" + "|".join(f"{c}(?:{'|'.join(rest)})" for c, rest in sorted(groups.items())) + ")"


# Every word form: "fifth", "nineteenth", "fortieth", and the compounds "forty-fourth", "twenty first".
_WORD = _by_initial([*_SIMPLE, *(f"{tens}@" for tens in _TENS)]).replace("@", rf"[\s-]+(?:{'|'.join(_UNITS)})")
# "44th", "1st", "22nd"; or the word forms. Case-insensitive: titles are often in capitals.
ORDINAL = rf"(?:\d{{1,3}}(?:st|nd|rd|th|ST|ND|RD|TH)|\b(?i:{_WORD}))"
_ORDINAL_RE = re.compile(rf"^{ORDINAL}$")


def parse_ordinal(text: str) -> int | None:
    """The number an ordinal stands for ("44th" -> 44, "Forty-fourth" -> 44), or None."""
    t = re.sub(r"[\s-]+", " ", text.strip().lower())
    if not _ORDINAL_RE.match(text.strip()):
        return None
    digits = re.match(r"^(\d{1,3})", t)
    if digits:
        return int(digits.group(1))
    if t in _SIMPLE:
        return _SIMPLE[t]
    tens, _, unit = t.partition(" ")
    if tens in _TENS and unit in _UNITS:
        return _TENS[tens] + _UNITS[unit]
    return None
