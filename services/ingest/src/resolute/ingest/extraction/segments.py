"""Where each document of a file begins: numbered headings ("RESOLUTION 498", "Declaration No. 12").

A NATO PA bundle holds several declarations and resolutions, each under its number with its title above
or below it; a single resolution may carry a number too. Files without numbered headings are one
document. What stands before the first heading of a bundle (the Assembly's name, a table of contents) is
front matter: it tells who issued the bundle and belongs to none of its documents.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from resolute.ingest.extraction.layout import Block, Layout, is_caps_line
from resolute.ingest.extraction.lexicon import lexicon

_KINDS = (
    r"DECLARATION|RESOLUTION|RECOMMENDATION|DECISION|ORDER|STATEMENT|Declaration|Resolution|Recommendation|Decision"
)
_NUMBERED = re.compile(
    rf"^(?P<title>[^a-z]*?)\s*\b(?P<kind>{_KINDS})\s+(?:No\.?\s*|Nr\.?\s*|n[o°]\.?\s*)?(?P<number>\d{{1,4}})\b"
    r"\s*\**\s*(?P<after>.*)$",
    re.S,
)
_CONNECTORS = ("on", "regarding", "concerning", "for")
_AFTER_TITLE = re.compile(r"^(?:on|regarding|concerning|for)\s+\S", re.I)
# Page furniture in capitals above a number: "SPRING SESSION 2024 - SOFIA", "POLITICAL COMMITTEE".
_FURNITURE = re.compile(r"\b(?:19|20)\d{2}\b|\bCOMMITTEE$|^(?:SPRING|ANNUAL)\s+SESSION\b")


@dataclass
class Segment:
    """One document's stretch of the file, with what its heading says."""

    start: int
    end: int
    kind_word: str | None = None
    number: int | None = None
    title: str | None = None
    title_span: tuple[int, int] | None = None
    heading_span: tuple[int, int] | None = None


def numbered_heading(block: Block) -> re.Match[str] | None:
    """ "RESOLUTION 498", "DECLARATION 496*", "Resolution 305 on the Future of ...": a document's heading."""
    if block.table or block.marker is not None or len(block.clean) > 400:
        return None
    m = _NUMBERED.match(block.clean)
    if m is None:
        return None
    after = m.group("after").strip(" *")
    if after and not (_AFTER_TITLE.match(after) or is_caps_line(after)):
        return None  # "Resolution 2334 of the Security Council calls ...": a reference inside a sentence
    return m


def split_segments(
    layout: Layout, is_banner: Callable[[str], bool] = lambda _: False
) -> tuple[list[Segment], tuple[int, int] | None]:
    """The documents of a file in order, and the front matter before the first (None for a single text).

    `is_banner` tells a line that only names the issuer ("NATO PARLIAMENTARY ASSEMBLY"): never a title.
    """
    blocks = layout.blocks
    headings = [(i, m) for i, b in enumerate(blocks) if (m := numbered_heading(b)) is not None]
    if not headings:
        return [Segment(0, len(layout.text))], None
    segments: list[Segment] = []
    for i, m in headings:
        title, first, title_span = _title_around(blocks, i, m, is_banner)
        segments.append(
            Segment(
                start=blocks[first].start,
                end=len(layout.text),
                kind_word=m.group("kind").upper(),
                number=int(m.group("number")),
                title=title,
                title_span=title_span,
                heading_span=(blocks[i].start, blocks[i].end),
            )
        )
    for k in range(len(segments) - 1):
        segments[k].end = segments[k + 1].start
    if len(segments) == 1:
        segments[0].start = 0
        return segments, None
    return segments, (0, segments[0].start)


def _title_around(
    blocks: list[Block], i: int, m: re.Match[str], is_banner: Callable[[str], bool]
) -> tuple[str | None, int, tuple[int, int] | None]:
    """A title written with the number, above it in capitals, or under it ("on the Future of ...")."""
    block = blocks[i]
    inline = m.group("title").strip(" *:-")
    if inline:
        return inline, i, (block.start, block.end)
    after = m.group("after").strip(" *")
    if after:
        return after, i, (block.start, block.end)
    below = _title_below(blocks, i)
    if below and (block.clean.rstrip().endswith("*") is False and below[-1].clean.endswith("*")):
        # The footnote mark sits on the title: "RESOLUTION 311" / "on" / "ENLARGEMENT OF THE ALLIANCE ...*"
        return " ".join(b.clean.rstrip("*").strip() for b in below), i, (below[0].start, below[-1].end)
    parts: list[Block] = []
    j = i - 1
    while j >= 0 and len(parts) < 3:
        prev = blocks[j]
        words = prev.clean
        if prev.table or not words or numbered_heading(prev) is not None or not is_caps_line(words):
            break
        if is_banner(words) or _FURNITURE.search(words):
            break
        if words.endswith((";", ".", ",")):
            break
        parts.insert(0, prev)
        if prev.sep == "page":
            break
        j -= 1
    if parts:
        return " ".join(p.clean for p in parts), j + 1, (parts[0].start, parts[-1].end)
    if below:
        return " ".join(b.clean.rstrip("*").strip() for b in below), i, (below[0].start, below[-1].end)
    return None, i, None


def _title_below(blocks: list[Block], i: int) -> list[Block]:
    """A title written under the number ("RESOLUTION 498" then "ON ..." or a line in capitals)."""
    below: list[Block] = []
    for nxt in blocks[i + 1 : i + 4]:
        words = nxt.clean
        if nxt.table or not words or numbered_heading(nxt) is not None or words.endswith((",", ";")):
            break
        if not (is_caps_line(words) or (not below and (_AFTER_TITLE.match(words) or words.lower() in _CONNECTORS))):
            break
        # A line under a lone "on" finishes the title even when it opens like a preamble ("STRENGTHENING ...").
        after_connector = bool(below) and below[-1].clean.lower() in _CONNECTORS
        if not after_connector and (lexicon().opens_preamble(words) or _is_opener(words)):
            break
        below.append(nxt)
        if words.endswith("*"):
            break
    return below


def _is_opener(words: str) -> bool:
    return bool(re.match(r"^The\s+(?:[A-Z][\w-]*\s+)*[A-Z][\w-]*\s*,$", words))
