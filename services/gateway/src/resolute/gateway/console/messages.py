"""Every text the console shows, from one message catalogue per language (messages/<lang>.json).

Templates call `t("key", name=...)`; a key missing from a language falls back to English, and a key
missing from English is an error at start-up (tests check every key a template uses). Estonian, Latvian
and Lithuanian are added by adding messages/et.json, lv.json, lt.json.
"""

from __future__ import annotations

import json
from functools import lru_cache
from importlib.resources import files
from typing import Any

DEFAULT_LANGUAGE = "en"


@lru_cache(maxsize=8)
def catalogue(language: str) -> dict[str, str]:
    """The messages of one language (English where it has none)."""
    directory = files("resolute.gateway.console").joinpath("messages")
    english: dict[str, str] = json.loads(directory.joinpath(f"{DEFAULT_LANGUAGE}.json").read_text(encoding="utf-8"))
    if language == DEFAULT_LANGUAGE:
        return english
    own = directory.joinpath(f"{language}.json")
    if not own.is_file():
        return english
    return {**english, **json.loads(own.read_text(encoding="utf-8"))}


def languages() -> list[str]:
    directory = files("resolute.gateway.console").joinpath("messages")
    return sorted(p.name.removesuffix(".json") for p in directory.iterdir() if p.name.endswith(".json"))


def choose_language(accept_language: str | None) -> str:
    """The first language of the browser's list the console has; English otherwise."""
    available = set(languages())
    for part in (accept_language or "").split(","):
        tag = part.split(";")[0].strip().lower()[:2]
        if tag in available:
            return tag
    return DEFAULT_LANGUAGE


class Translator:
    """`t(key, **values)` for one language, as the templates call it."""

    def __init__(self, language: str) -> None:
        self.language = language
        self._messages = catalogue(language)

    def has(self, key: str) -> bool:
        return key in self._messages

    def label(self, prefix: str, value: str) -> str:
        """The message for a value of an open set (a history entry's kind): the value itself when it has none."""
        key = f"{prefix}.{value}"
        return self(key) if key in self._messages else value

    def __call__(self, key: str, **values: Any) -> str:
        text = self._messages.get(key)
        if text is None:
            raise KeyError(f"no message {key!r} in the console's catalogue")
        return text.format(**values) if values else text
