"""Text normalisation: turn a stretch of source text into the contract's clean `text`.

Sources are kept byte-for-byte (spans index into them), so markup, escapes and
hard line breaks are removed only from copies, here, in one place.
"""

from __future__ import annotations

import html
import re
import unicodedata

_TAG = re.compile(r"</?[A-Za-z][A-Za-z0-9]*(?:\s[^<>]*)?/?>")
_MD_ESCAPE = re.compile(r"\\([\\`*_{}\[\]()#+\-.!|>~])")
_MD_LINK = re.compile(r"\[([^\]\n]+)\]\((?:[^)\s]+)(?:\s+\"[^\"]*\")?\)")
_UNDERSCORE_EMPHASIS = re.compile(r"(?<![\w\\])(_{1,2})(?=\S)(.+?)(?<=\S)\1(?!\w)")
_ZERO_WIDTH = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00ad"), None)


def strip_markup(s: str) -> str:
    """Remove HTML tags, Markdown links, escapes and emphasis, keeping the words."""
    if "<" in s:
        s = _TAG.sub(lambda m: " " if m.group(0)[1:3].lower() == "br" else "", s)
    if "&" in s:
        s = html.unescape(s)
    if "](" in s:
        s = _MD_LINK.sub(r"\1", s)
    if "\\" in s:
        s = _MD_ESCAPE.sub(r"\1", s)
    if "*" in s:
        s = s.replace("*", "")
    if "_" in s:
        s = _UNDERSCORE_EMPHASIS.sub(r"\2", s)
    return s.translate(_ZERO_WIDTH)


def collapse(s: str) -> str:
    """Collapse every run of whitespace (line breaks included) to one space and trim."""
    return " ".join(s.split())


def clean(s: str) -> str:
    """Markup removed and whitespace collapsed: the form rules match against."""
    return collapse(strip_markup(s))


_FOOTNOTE_REF = re.compile(r"\[\d{1,3}\]$")


def clean_item(s: str) -> str:
    """The contract's item text: clean, with the trailing `;`/`.` (and a dangling "; and") dropped."""
    text = clean(s)
    while (ref := _FOOTNOTE_REF.search(text, max(0, len(text) - 6))) is not None:
        text = text[: ref.start()].rstrip()
    for tail in ("; and", "; or", ";and", ";or"):
        if text.endswith(tail):
            return text[: -len(tail)].rstrip()
    return text.rstrip("; .").rstrip() if text.endswith((";", ".")) else text


def fold_ascii(s: str) -> str:
    """ASCII transliteration (dashes, quotes, diacritics) for fonts and comparisons that need it."""
    table: dict[str | int, str | int | None] = {
        "\u2013": "-",
        "\u2014": "-",
        "\u2011": "-",
        "\u2018": "'",
        "\u2019": "'",
        "\u201c": '"',
        "\u201d": '"',
        "\u2026": "...",
        "\u00a0": " ",
        "\u0142": "l",
        "\u0141": "L",
    }
    s = s.translate(str.maketrans(table))
    decomposed = unicodedata.normalize("NFKD", s)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).encode("ascii", "ignore").decode()


def is_terminated(s: str) -> bool:
    """Whether a paragraph ends a unit (item, sentence, heading) rather than breaking mid-sentence."""
    t = clean(s).rstrip("\"'\u201d\u2019)]* ")
    return bool(t) and t[-1] in ";.:!?"


def words(s: str) -> list[str]:
    """Lower-case word tokens, for overlap measures."""
    return re.findall(r"[a-z0-9]+", s.lower())


_ABBREVIATIONS = re.compile(
    r"(?:\b(?:e\.g|i\.e|etc|vs|cf|No|Nos|Art|para|Mr|Mrs|Ms|Dr|St|Jr|Sr|approx|incl|U\.S|U\.K|E\.U)"
    r"|\b[A-Z])\.$"
)
_SENTENCE_END = re.compile(
    r"[.!?](?:[\"'\u201d\u2019)\]]*)(?:\[\d{1,3}\])?(?=\s+[\"'\u201c\u2018(\[]?[A-Z0-9])|\n\s*\n"
)


def sentence_spans(text: str, start: int = 0, end: int | None = None) -> list[tuple[int, int]]:
    """Sentence boundaries within text[start:end] as absolute (start, end) offsets, trimmed."""
    end = len(text) if end is None else end
    spans: list[tuple[int, int]] = []
    cursor = start
    for m in _SENTENCE_END.finditer(text, start, end):
        candidate = text[cursor : m.end()]
        if m.group(0)[0] == "." and _ABBREVIATIONS.search(candidate.rstrip("\"'\u201d\u2019)]")):
            continue
        spans.append((cursor, m.end()))
        cursor = m.end()
    spans.append((cursor, end))
    result: list[tuple[int, int]] = []
    for s, e in spans:
        while s < e and text[s].isspace():
            s += 1
        while e > s and text[e - 1].isspace():
            e -= 1
        if e > s:
            result.append((s, e))
    return result


def prefix_alternation(words: list[str]) -> str:
    """An alternation of literal words sharing their leading characters, trie-wise.

    `re` tries the alternatives of a group one after another; shared prefixes make it try only the words
    that can still match, so dozens of words cost about what a few would.
    """
    children: dict[str, list[str]] = {}
    ends = False
    for word in words:
        if word:
            children.setdefault(word[0], []).append(word[1:])
        else:
            ends = True
    branches = [
        re.escape(c) + (prefix_alternation(rest) if len(rest) > 1 else re.escape(rest[0]))
        for c, rest in sorted(children.items())
    ]
    body = "|".join(branches)
    if ends:
        return f"(?:{body})?" if body else ""
    return f"(?:{body})"
