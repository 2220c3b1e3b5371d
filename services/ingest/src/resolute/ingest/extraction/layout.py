"""Layout: the document as blocks (paragraphs, list items, headings) with their source offsets.

Every family parser reads blocks, so page breaks, footnotes, running headers,
hard-wrapped lines and paragraphs cut by a page break are dealt with once, here.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cached_property
from typing import Literal, Protocol

from resolute.ingest.extraction.text import clean, clean_item, is_terminated

Separator = Literal["none", "blank", "page"]

# A list marker: an optional bullet, then an optional label ("a.", "aa.", "(b)", "1.", "iv)").
_MARKER = re.compile(
    r"""^(?P<indent>[ \t]*)
    (?:(?P<bullet>[-\u2013\u2014\u2022\u25aa\u25e6\u25cf\u2219\u00b7\u2023\u2043+]|\*(?=[ \t]))[ \t]+)?
    (?:\(?(?P<label>(?P<l1>[a-z])(?P=l1)?|[A-Z]|[ivxlc]{2,6}|[IVXLC]{2,6}|\d{1,3})[.)](?=[ \t]))?
    [ \t]*""",
    re.X,
)
_BARE_MARKER = re.compile(
    r"""^[ \t]*(?:(?P<bullet>[-\u2013\u2014\u2022\u25aa\u25e6\u25cf\u2219\u00b7\u2023\u2043+*])
    |\(?(?P<label>(?P<b1>[a-z])(?P=b1)?|[A-Z]|[ivxlc]{2,6}|[IVXLC]{2,6}|\d{1,3})[.)])[ \t]*$""",
    re.X,
)
_HEADING = re.compile(r"^[ \t]{0,3}(#{1,6})[ \t]+")
_TABLE = re.compile(r"^[ \t]*\|")
_RULE = re.compile(r"^[ \t]*(?:-{3,}|\*{3,}|_{3,}|={3,})[ \t]*$")
_FOOTNOTE = re.compile(
    r"^[ \t]*(?:\\\*|\*[ \t]*(?=(?:Presented|Adopted|Approved|Submitted|Endorsed|Drafted)\b))",
    re.I,
)
_PAGE_NUMBER = re.compile(r"^[ \t]*(?:[Pp]age[ \t]+)?\d{1,3}(?:[ \t]*(?:/|of)[ \t]*\d{1,3})?[ \t]*$")
# "Vilnius, 18 October 2024", "Vilnius,13 November 1994", "Ryga, April 22, 1995", "Riga, 28TH OF FEBRUARY 2019",
# or a date alone on its line ("December 06, 2024"): where a text says when and where it was adopted.
_DATELINE = re.compile(
    r"^[ \t]*(?:[A-Z][\w'\u2019.-]+(?:[ -][A-Z][\w'\u2019.-]+){0,3},[ \t]*)?"
    r"(?i:(?:\d{1,2}(?:st|nd|rd|th)?[ \t]+(?:of[ \t]+)?[a-z]{3,9}\.?|[a-z]{3,9}\.?[ \t]+\d{1,2}(?:st|nd|rd|th)?,?))"
    r"[ \t]+\d{4}\.?[ \t]*$"
)
_OPENER_LINE = re.compile(r"^[ \t]*The[ \t]+(?:[A-Z][\w-]*[ \t]*)+,[ \t]*$")
# Lower-case paragraph openers of resolutions: participles ("having convened", "stressing") and
# operative verbs ("calls on", "urges"), recognised where hard-wrapped text lost its blank lines.
_PARAGRAPH_OPENER = re.compile(
    r"^[ \t]*(?:[a-z]{3,}ing|calls?[ \t]+(?:up)?on|urges|invites|encourages|recommends|requests|asks|"
    r"proposes|appeals|decides|resolves|welcomes|notes|stresses|underlines|reiterates|emphasi[sz]es|"
    r"expresses|supports|"
    r"also[ \t]+[a-z]+ing)\b"
)
_SECTION_OPENER = re.compile(
    r"^[ \t]*(?:regarding|concerning|as regards|with regard to|in the (?:field|area|sphere)s? of)\b", re.I
)


@dataclass(frozen=True, slots=True)
class Line:
    """One source line: [start, end) excludes the line break."""

    start: int
    end: int
    text: str


@dataclass(frozen=True, slots=True)
class Marker:
    """The list marker that opens a block, and where its content begins."""

    bullet: str | None
    label: str | None
    content_start: int

    @property
    def is_number(self) -> bool:
        return self.label is not None and self.label.isdigit()


@dataclass(slots=True)
class Note:
    """Text that is not part of the flow: a footnote, kept for its metadata."""

    start: int
    end: int
    lines: list[Line] = field(default_factory=list)

    @property
    def text(self) -> str:
        return clean(" ".join(line.text for line in self.lines))


@dataclass(eq=False)
class Block:
    """A paragraph, list item, heading or table row, possibly joined across a page break."""

    lines: list[Line]
    sep: Separator = "none"
    heading: int = 0
    table: bool = False
    dateline: bool = False
    marker: Marker | None = None
    joined: int = 0

    @property
    def start(self) -> int:
        return self.lines[0].start

    @property
    def end(self) -> int:
        return self.lines[-1].end

    @cached_property
    def raw(self) -> str:
        return "\n".join(line.text for line in self.lines)

    @cached_property
    def clean(self) -> str:
        """The block's words: markup removed, whitespace collapsed, heading hashes dropped."""
        text = self.raw
        if self.heading:
            text = _HEADING.sub("", text, count=1)
        return clean(text)

    @cached_property
    def content(self) -> str:
        """Like `clean`, without the list marker."""
        if self.marker is None:
            return self.clean
        first = self.lines[0]
        rest = [first.text[self.marker.content_start - first.start :]] + [x.text for x in self.lines[1:]]
        return clean("\n".join(rest))

    @property
    def item_text(self) -> str:
        """The contract's item text: content without the trailing `;`/`.`; joined lines only, no notes."""
        return clean_item(self.content)

    @property
    def content_start(self) -> int:
        return self.marker.content_start if self.marker is not None else self.start

    @property
    def is_listed(self) -> bool:
        """Opens with a bullet or a label."""
        return self.marker is not None

    def paragraph_spans(self) -> list[tuple[int, int]]:
        """Paragraphs within the block: each line when lines are whole paragraphs, else the block."""
        if (
            len(self.lines) > 1
            and max(len(x.text) for x in self.lines) > 200
            and all(is_terminated(x.text) or x is self.lines[-1] or len(x.text) < 200 for x in self.lines)
        ):
            return [(x.start, x.end) for x in self.lines if x.text.strip()]
        return [(self.start, self.end)]

    def extend(self, other: Block) -> None:
        self.lines.extend(other.lines)
        self.joined += 1 + other.joined
        for key in ("raw", "clean", "content"):
            self.__dict__.pop(key, None)


@dataclass
class Layout:
    """A document's blocks and notes, over the exact text they index."""

    text: str
    blocks: list[Block]
    notes: list[Note]
    page_breaks: int

    def paragraphs(self, start: int = 0, end: int | None = None) -> list[tuple[int, int]]:
        """Source spans of blocks and notes in [start, end), in text order: the units facts are read from."""
        stop = len(self.text) if end is None else end
        spans = [(b.start, b.end) for b in self.blocks if start <= b.start < stop and not b.table]
        spans += [(n.start, n.end) for n in self.notes if start <= n.start < stop]
        return sorted(spans)

    def blocks_in(self, start: int, end: int) -> list[Block]:
        return [b for b in self.blocks if start <= b.start < end]

    def notes_in(self, start: int, end: int) -> list[Note]:
        return [n for n in self.notes if start <= n.start < end]


def split_lines(text: str) -> list[Line]:
    """Lines with offsets; `\\r` before a line break is not part of the line."""
    lines: list[Line] = []
    pos = 0
    n = len(text)
    while pos <= n:
        nl = text.find("\n", pos)
        end = n if nl == -1 else nl
        content_end = end - 1 if end > pos and text[end - 1] == "\r" else end
        lines.append(Line(pos, content_end, text[pos:content_end]))
        if nl == -1:
            break
        pos = nl + 1
    return lines


def parse_marker(line: Line) -> Marker | None:
    """The bullet/label opening a line, if any."""
    m = _MARKER.match(line.text)
    if m is None or (m.group("bullet") is None and m.group("label") is None):
        return None
    if m.end() >= len(line.text):
        return None
    return Marker(bullet=m.group("bullet"), label=m.group("label"), content_start=line.start + m.end())


def is_bare_marker(line: Line) -> bool:
    """A line holding only a bullet or label: laid-out texts set the dash of each item on its own line."""
    return _BARE_MARKER.match(line.text) is not None


def _marker_of(bare: Line, line: Line) -> Marker:
    """The marker of a bare-marker line, applied to the line that carries the item's words."""
    m = _BARE_MARKER.match(bare.text)
    assert m is not None
    indent = len(line.text) - len(line.text.lstrip())
    return Marker(bullet=m.group("bullet"), label=m.group("label"), content_start=line.start + indent)


def _is_page_break(text: str) -> bool:
    return "\f" in text or bool(_RULE.match(text))


def _running_lines(lines: list[Line]) -> set[int]:
    """Indexes of running headers/footers: short lines repeated next to page breaks or page numbers."""
    breaks = [i for i, line in enumerate(lines) if _is_page_break(line.text) or _PAGE_NUMBER.match(line.text)]
    running = _repeated_furniture(lines, breaks)
    if len(breaks) < 2:
        return running
    near: dict[str, list[int]] = {}
    for b in breaks:
        for direction in (-1, 1):
            seen = 0
            i = b + direction
            while 0 <= i < len(lines) and seen < 2:
                t = lines[i].text.strip()
                if t and not _is_page_break(t):
                    seen += 1
                    if len(t) <= 80 and not _HEADING.match(t) and not _BARE_MARKER.match(t):
                        near.setdefault(t.lower(), []).append(i)
                i += direction
    counts = Counter({k: len(set(v)) for k, v in near.items()})
    return running | {i for k, idx in near.items() if counts[k] >= 2 for i in idx}


def _repeated_furniture(lines: list[Line], breaks: list[int]) -> set[int]:
    """Text pasted from a laid-out PDF has no page breaks, only the furniture of each page: the same short
    line (a session name, a document number) again and again, mostly beside "Page 2 of 5" lines.

    A line counts when it recurs three times, or twice with one occurrence next to a page number; its
    first occurrence near the top of the text is kept unless a page number is beside it (it may be the
    title that the running header repeats).
    """
    seen: dict[str, list[int]] = {}
    for i, line in enumerate(lines):
        t = line.text.strip()
        if not t or len(t) > 80 or t[-1] in ":;,." or _PAGE_NUMBER.match(t) or _BARE_MARKER.match(t):
            continue
        if _is_page_break(t):
            continue
        seen.setdefault(t.lower(), []).append(i)
    if not any(len(v) >= 2 for v in seen.values()):
        return set()
    near_break = {j for b in breaks for j in range(b - 3, b + 4)}
    out: set[int] = set()
    for idx in seen.values():
        if len(idx) < 2:
            continue
        beside = [i for i in idx if i in near_break and _adjacent_to(lines, i, breaks)]
        if len(idx) >= 3 or beside:
            out.update(i for i in idx if i in beside or not _near_top(lines, i))
    return out


def _adjacent_to(lines: list[Line], i: int, breaks: list[int]) -> bool:
    """Whether only blank lines stand between line i and a page break or page number."""
    for b in breaks:
        lo, hi = (b, i) if b < i else (i, b)
        if all(not lines[k].text.strip() for k in range(lo + 1, hi)):
            return True
    return False


def _near_top(lines: list[Line], i: int) -> bool:
    return sum(1 for line in lines[:i] if line.text.strip()) < 5


class Hint(Protocol):
    """What a format reader knows of a span of the text it wrote (formats.TextBlock fits)."""

    start: int
    end: int
    kind: str
    level: int


def build_layout(text: str, hints: Sequence[Hint] = ()) -> Layout:
    """Blocks and notes of `text`; continuations cut by blank lines or page breaks are joined.

    `hints` are the blocks a reader recognised by position, font or style (PDF, DOCX, HTML): a footnote
    there is a note here whatever its words, a heading a heading.
    """
    layout = _build_layout(text)
    return _apply_hints(layout, hints) if hints else layout


def _apply_hints(layout: Layout, hints: Sequence[Hint]) -> Layout:
    footnotes = [(h.start, h.end) for h in hints if h.kind == "footnote"]
    headings = {h.start: h.level or 1 for h in hints if h.kind == "heading"}
    blocks: list[Block] = []
    for block in layout.blocks:
        if any(s <= block.start < e for s, e in footnotes):
            layout.notes.append(Note(block.start, block.end, list(block.lines)))
            continue
        level = headings.get(block.start)
        if level and not block.heading and block.marker is None and not block.clean.endswith(":"):
            block.heading = level
        blocks.append(block)
    layout.notes.sort(key=lambda n: n.start)
    return Layout(text=layout.text, blocks=blocks, notes=layout.notes, page_breaks=layout.page_breaks)


def _build_layout(text: str) -> Layout:
    lines = split_lines(text)
    running = _running_lines(lines)
    blocks: list[Block] = []
    notes: list[Note] = []
    current: Block | None = None
    note: Note | None = None
    pending: Line | None = None
    sep: Separator = "none"
    page_breaks = 0

    def close() -> None:
        nonlocal current
        if current is not None:
            blocks.append(current)
            current = None

    for i, line in enumerate(lines):
        t = line.text
        stripped = t.strip()
        if not stripped or (stripped == "\f"):
            close()
            note = None
            if "\f" in t:
                page_breaks += 1
                sep = "page"
            elif sep != "page":
                sep = "blank"
            continue
        if note is not None and parse_marker(line) is None and not _is_page_break(t):
            note.lines.append(line)
            note.end = line.end
            continue
        note = None
        if _is_page_break(t) or i in running or _PAGE_NUMBER.match(t):
            close()
            if _is_page_break(t):
                page_breaks += 1
            sep = "page"
            continue
        if _FOOTNOTE.match(t):
            close()
            note = Note(line.start, line.end, [line])
            notes.append(note)
            sep = "page"
            continue
        heading = _HEADING.match(t)
        if heading or _TABLE.match(t):
            close()
            blocks.append(Block([line], sep=sep, heading=len(heading.group(1)) if heading else 0, table=not heading))
            sep = "none"
            continue
        if is_bare_marker(line):
            close()
            pending = line
            continue
        marker = parse_marker(line)
        if marker is None and pending is not None:
            marker = _marker_of(pending, line)
            close()
        pending = None
        if marker is not None and current is not None and _dash_inside_sentence(current, line, marker):
            marker = None
        dateline = bool(_DATELINE.match(t))
        if current is not None and not marker and not dateline and not _starts_new_block(current, line):
            current.lines.append(line)
            continue
        close()
        current = Block([line], sep=sep, marker=marker, dateline=dateline)
        sep = "none"
    close()
    return Layout(text=text, blocks=_join_continuations(blocks), notes=notes, page_breaks=page_breaks)


def _starts_new_block(current: Block, line: Line) -> bool:
    """Hard-wrapped text: headings, openers ("The Baltic Assembly,") and paragraph openers start blocks."""
    prev = current.lines[-1].text.rstrip()
    if prev.endswith(":") or current.dateline:
        return True
    t = line.text.strip()
    if _OPENER_LINE.match(t) or _OPENER_LINE.match(prev):
        return True
    if prev.endswith((";", ".", ":")) and (t.endswith(":") or _SECTION_OPENER.match(t)):
        return True
    if is_caps_line(t) != is_caps_line(prev):
        return True
    return bool(current.marker is None and prev.endswith((",", ";", ".")) and _PARAGRAPH_OPENER.match(t))


def is_caps_line(text: str) -> bool:
    """A line in capitals, as titles and "RESOLUTION 498" headings are set."""
    letters = [c for c in text if c.isalpha()]
    return len(letters) >= 6 and all(c.isupper() for c in letters)


def _dash_inside_sentence(current: Block, line: Line, marker: Marker) -> bool:
    """A wrapped line that happens to begin with a dash ("... Defence\n- Readiness 2030;") is no bullet."""
    if marker.label is not None or marker.bullet not in ("-", "\u2013", "\u2014"):
        return False
    prev = current.lines[-1].text.rstrip()
    if not prev or is_terminated(prev) or prev.endswith(","):
        return False
    rest = line.text[marker.content_start - line.start :]
    return rest[:1].isupper()


def _join_continuations(blocks: list[Block]) -> list[Block]:
    """Join a block to the previous one when it continues an unfinished item or paragraph."""
    out: list[Block] = []
    for block in blocks:
        prev = out[-1] if out else None
        if prev is not None and block.sep != "none" and _continues(prev, block):
            prev.extend(block)
            continue
        out.append(block)
    return out


def _continues(prev: Block, block: Block) -> bool:
    if block.heading or block.table or block.dateline or block.marker is not None:
        return False
    if block.clean.endswith(":") and block.sep != "page":
        return False  # a section heading or operative clause, not the rest of a sentence
    if prev.heading or prev.table or prev.dateline:
        return False
    if is_terminated(prev.raw) or is_caps_line(prev.clean) or is_caps_line(block.clean):
        return False
    first = block.clean[:1]
    if block.sep == "page":
        return True
    # Separated by a blank line only: join list items that stopped mid-sentence.
    return prev.marker is not None and (first.islower() or first in "(\u201c\"'")
