"""The message catalogue: every text a page shows has an English message; other languages fall back to it."""

from __future__ import annotations

import json
import re
from importlib.resources import files
from pathlib import Path
from typing import get_args

import pytest

from resolute.gateway.console import messages
from resolute.gateway.console.messages import Translator, catalogue, choose_language
from resolute.gateway.console.views import DEADLINE_KINDS, DOCUMENT_KINDS, STATUSES
from resolute.shared.api.calendar import OccurrenceState
from resolute.shared.api.documents import ReviewState
from resolute.shared.events.catalogue import CorrectionKind

CONSOLE = Path(messages.__file__).parent
# t("key"), t('key'), page.t("key"), Nav(..., "nav.key") and keys picked by a condition: t("a" if x else "b")
_LITERAL_KEY = re.compile(r"""(?:\bt|\.t)\(\s*["']([a-z_]+\.[a-z_.]+)["'](?!\s*~)|["']((?:nav|error)\.[a-z_]+)["']""")
_CONDITIONAL_KEY = re.compile(r"""["']([a-z_]+\.[a-z_]+)["']\s+(?:if|else)\b|\belse\s+["']([a-z_]+\.[a-z_]+)["']""")
# t("status." ~ value) and friends: every value the prefix takes must have a message
_DYNAMIC = {
    "status.": STATUSES,
    "verification.": ("pending", "verified", "disputed"),
    "document_status.": ("received", "processed", "failed", "superseded"),
    "occurrence_state.": get_args(OccurrenceState),
    "delivery_status.": ("pending", "succeeded", "dead"),
    "attempt.": ("success", "failure", "timeout", "refused"),
    "history.": ("claim", "verification", "dispute"),
    "subscriptions.mode_": ("immediate", "digest"),
    "review_state.": get_args(ReviewState),
    "correction_kind.": get_args(CorrectionKind),
    "correction_effect.": ("revised", "added", "withdrawn"),
    "deadline_kind.": DEADLINE_KINDS,
    "document_kind.": DOCUMENT_KINDS,
}


def _used_keys() -> set[str]:
    keys: set[str] = set()
    sources = [*CONSOLE.glob("templates/*.html"), *CONSOLE.glob("*.py")]
    assert len(sources) > 15
    for source in sources:
        text = source.read_text(encoding="utf-8")
        for pattern in (_LITERAL_KEY, _CONDITIONAL_KEY):
            keys |= {a or b for a, b in pattern.findall(text)}
        for prefix in _DYNAMIC:
            if f'"{prefix}" ~' in text:
                keys |= {prefix + value for value in _DYNAMIC[prefix]}
    return keys


def test_every_key_a_page_uses_has_an_english_message() -> None:
    used = _used_keys()
    assert {"sign_in.title", "nav.dashboard", "status.in_progress", "error.csrf"} <= used  # the scan finds them
    missing = sorted(used - set(catalogue("en")))
    assert missing == []


def test_every_dynamic_prefix_a_template_uses_is_covered() -> None:
    prefixes = set()
    for source in CONSOLE.glob("templates/*.html"):
        prefixes |= set(re.findall(r"""t\(["']([a-z_]+[._])["']\s*~""", source.read_text(encoding="utf-8")))
    assert prefixes <= set(_DYNAMIC), prefixes - set(_DYNAMIC)


def test_messages_take_their_values_and_a_missing_key_is_an_error() -> None:
    t = Translator("en")
    assert t("deadline.days_left", days=3) == "3 days left"
    assert t.label("history", "claim") == "Reported" and t.label("history", "something-new") == "something-new"
    with pytest.raises(KeyError):
        t("no.such.key")


def test_the_browser_language_is_used_where_the_console_has_it(tmp_path: Path) -> None:
    assert choose_language("lv-LV,lv;q=0.9,en;q=0.8") == "en"  # no Latvian catalogue yet: English
    assert choose_language(None) == "en"
    english = json.loads(files("resolute.gateway.console").joinpath("messages/en.json").read_text(encoding="utf-8"))
    assert all(isinstance(v, str) and v.strip() for v in english.values())
