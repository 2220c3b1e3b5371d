"""Reading order and structure of PDF pages, from positioned text lines to canonical blocks.

A PDF holds glyphs at coordinates, not paragraphs. The pages come in as lines (runs of glyphs on one
baseline, with their box, size and weight); this module decides what a person reading the page sees:

- running headers and footers: lines in the top or bottom band that repeat, digits aside, at the same
  height on most pages, and page numbers ("3", "Page 3 of 9", "- 3 -") anywhere in those bands;
- footnotes: lines smaller than the body text below the last body line of a page; they are kept, as
  footnote blocks placed after the paragraph the page break falls in (so they stay inside the document
  they annotate);
- columns: a gutter that most lines of the page stay clear of splits it, and each column is read top to
  bottom before the next (lines that cross the gutter, such as a title, keep their place);
- blocks: a line starts a new block after paragraph spacing, with a list marker, at a change of size or
  weight, or when the line before ended short (the first word would have fitted) in a text without
  paragraph spacing; otherwise it continues the block, joined with a space (a short line in spaced
  text is a hard line break and kept as one). A bullet or label on a line of its own, or in a column of
  its own, is joined to the item text beside or after it;
- page and column breaks: a paragraph or item that stops unfinished at the foot of one column or page
  and goes on at the head of the next is joined (the next word would not have fitted, no terminal
  punctuation, the continuation is no new item or heading);
- hyphenation: a word broken with a hyphen at a line end is rejoined, keeping the hyphen where the
  document writes the word with one elsewhere, or writes both halves as words of their own.

Everything here is plain geometry and strings (no PDF library), so it is tested on hand-made pages too.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from itertools import pairwise

from resolute.ingest.formats.models import BlockKind, CanonicalTextWriter, TextBlock

HYPHEN_JOIN = "\x1f"  # placeholder for "hyphen at a line end", resolved once the whole text is known
HARD_BREAK = "\x1e"  # a line break kept inside a block, written as "\n"

_BULLETS = "-\u2013\u2014\u2022\u25aa\u25ab\u25e6\u25cf\u2023\u2043\u2219\u00b7\u25a0\u25a1\u2666\uf0b7\uf0a7"
MARKER = re.compile(
    rf"^(?:[{re.escape(_BULLETS)}]|\((?:[a-z]{{1,2}}|[ivxlc]{{1,6}}|\d{{1,3}}|[A-Z])\)|"
    r"(?:[a-z]{1,2}|[ivxlc]{1,6}|\d{1,3}|[A-Z]|[IVXLC]{1,6})[.)])(?=\s|$)"
)
_BULLET_ONLY = re.compile(rf"^[{re.escape(_BULLETS)}]$")
_PAGE_NUMBER = re.compile(
    r"^(?:(?:page|p\.|lpp\.|lk\.|psl\.)\s*)?[-\u2013\u2014(\[]?\s*(?:\d{1,4}|[ivx]{1,6})\s*[-\u2013\u2014)\]]?"
    r"(?:\s*(?:/|of|iš|no)\s*\d{1,4})?$",
    re.I,
)
_TOC_NUMBER = re.compile(r"^(?:\d{1,4}|[ivx]{1,6})$", re.I)
_LEADER = re.compile(r"\s*(?:\.\s*){3,}$|\s*\u2026+$")
_TERMINAL = (".", ";", ":", "!", "?")
_WORD = re.compile(r"[^\W\d_]+(?:-[^\W\d_]+)*", re.U)
_HYPHEN_AT_END = re.compile(r"(?<=[^\W\d_])-$")


@dataclass(slots=True)
class Run:
    """Glyphs set together on one baseline, in page coordinates measured from the top-left corner."""

    x0: float
    x1: float
    top: float
    bottom: float
    size: float
    bold: bool
    text: str
    first_word_x1: float

    @property
    def height(self) -> float:
        return self.bottom - self.top


@dataclass(slots=True)
class Line:
    """Runs on one baseline (left to right) inside one column."""

    runs: list[Run]
    toc_number: str | None = None

    @property
    def x0(self) -> float:
        return self.runs[0].x0

    @property
    def x1(self) -> float:
        return self.runs[-1].x1

    @property
    def top(self) -> float:
        return min(r.top for r in self.runs)

    @property
    def bottom(self) -> float:
        return max(r.bottom for r in self.runs)

    @property
    def size(self) -> float:
        weights: Counter[float] = Counter()
        for r in self.runs:
            weights[r.size] += len(r.text)
        return weights.most_common(1)[0][0]

    @property
    def bold(self) -> bool:
        return all(r.bold for r in self.runs if r.text.strip())

    @property
    def text(self) -> str:
        return " ".join(r.text for r in self.runs)

    @property
    def first_word_width(self) -> float:
        first = self.runs[0]
        return first.first_word_x1 - first.x0

    @property
    def chars(self) -> int:
        return sum(len(r.text) for r in self.runs)


@dataclass(slots=True)
class Page:
    """One page's lines (any order) and its size in points."""

    number: int
    width: float
    height: float
    lines: list[Line]


@dataclass(slots=True)
class _Segment:
    """A column (or the whole text width) of one page, read top to bottom."""

    page: int
    lines: list[Line]
    left: float
    right: float


@dataclass(slots=True)
class _Block:
    kind: BlockKind
    parts: list[str]
    page: int
    x0: float
    first: Line
    last: Line
    right: float
    size: float
    bold: bool
    marker_x: float | None = None
    level: int = 0
    toc_words: str | None = None
    footnotes: list[_Block] = field(default_factory=list)

    @property
    def text(self) -> str:
        return "".join(self.parts)


def group_lines(runs: Iterable[Run]) -> list[Line]:
    """Runs that share a baseline become one line; lines top to bottom, runs left to right.

    A run joins a line when it overlaps the line's first run vertically by half its height and no run of
    the line horizontally (two runs at the same x are on two lines, whatever a tall title beside them spans).
    """
    ordered = sorted(runs, key=lambda r: (r.top + r.bottom) / 2)
    lines: list[list[Run]] = []
    for run in ordered:
        for line in reversed(lines[-6:]):
            core = line[0]
            overlap = min(core.bottom, run.bottom) - max(core.top, run.top)
            if overlap < 0.5 * min(core.height, run.height):
                continue
            if any(min(r.x1, run.x1) - max(r.x0, run.x0) > 0.1 * min(r.size, run.size) for r in line):
                continue
            line.append(run)
            break
        else:
            lines.append([run])
    result = [Line(sorted(line, key=lambda r: r.x0)) for line in lines]
    result.sort(key=lambda line: line.top)
    return [_merge_touching(line) for line in result]


def _merge_touching(line: Line) -> Line:
    """Runs split only by the order glyphs were drawn in, not by a gap, are one run."""
    merged: list[Run] = []
    for run in line.runs:
        prev = merged[-1] if merged else None
        gap = run.x0 - prev.x1 if prev is not None else 0.0
        if prev is not None and -0.1 * prev.size <= gap < 0.25 * max(prev.size, run.size):
            sep = "" if gap < 0.08 * prev.size else " "
            merged[-1] = Run(
                prev.x0,
                max(prev.x1, run.x1),
                min(prev.top, run.top),
                max(prev.bottom, run.bottom),
                prev.size if len(prev.text) >= len(run.text) else run.size,
                prev.bold and run.bold,
                prev.text + sep + run.text,
                prev.first_word_x1,
            )
        else:
            merged.append(run)
    return Line(merged)


class PageLayout:
    """Turns the pages of one document into canonical blocks (see the module docstring)."""

    def __init__(self, pages: list[Page]) -> None:
        self.pages = pages
        self.body_size = _body_size(pages)
        self._remove_running_lines()
        self.gap = self._normal_gap()
        self.spaced = self._has_paragraph_spacing()

    # ---- page furniture ----------------------------------------------------------------------------

    def _remove_running_lines(self) -> None:
        """Drop running headers/footers (repeated in the outer bands) and page numbers."""
        if not self.pages:
            return
        candidates: dict[tuple[str, str], list[tuple[int, float]]] = {}
        for index, page in enumerate(self.pages):
            for band, line in _band_lines(page):
                key = (band, _furniture_key(line.text))
                candidates.setdefault(key, []).append((index, line.top))
        needed = max(2, (len(self.pages) + 1) // 2)
        running: dict[tuple[str, str], float] = {}
        for key, places in candidates.items():
            pages_seen = {p for p, _ in places}
            if len(pages_seen) < needed:
                continue
            tops = Counter(round(top / 3) for _, top in places)
            (modal, seen), *_ = tops.most_common(1)
            if seen >= needed:
                running[key] = modal * 3.0
        for page in self.pages:
            drop: set[int] = set()
            for band, line in _band_lines(page):
                at = running.get((band, _furniture_key(line.text)))
                if (at is not None and abs(line.top - at) <= 4.5) or _PAGE_NUMBER.match(line.text.strip()):
                    drop.add(id(line))
            if drop:
                page.lines = [line for line in page.lines if id(line) not in drop]

    def _normal_gap(self) -> float:
        """The usual white space between two lines of one body paragraph."""
        gaps: Counter[float] = Counter()
        for page in self.pages:
            lines = sorted(page.lines, key=lambda x: x.top)
            for prev, line in pairwise(lines):
                if _similar(prev.size, self.body_size) and _similar(line.size, self.body_size):
                    gap = line.top - prev.bottom
                    if -0.5 * self.body_size < gap < 2 * self.body_size and _overlaps_x(prev, line):
                        gaps[round(gap, 1)] += 1
        return gaps.most_common(1)[0][0] if gaps else 0.0

    def _has_paragraph_spacing(self) -> bool:
        """Whether paragraphs are set apart by extra space (else only short lines end them)."""
        wide = total = 0
        for page in self.pages:
            lines = sorted(page.lines, key=lambda x: x.top)
            for prev, line in pairwise(lines):
                if not _overlaps_x(prev, line):
                    continue
                total += 1
                if line.top - prev.bottom > self.gap + 0.35 * self.body_size:
                    wide += 1
        return total > 0 and wide >= max(1, total // 40)

    # ---- footnotes -------------------------------------------------------------------------------

    def _split_footnotes(self, page: Page) -> tuple[list[Line], list[list[Line]]]:
        """The page's flow lines, and its footnotes (each a list of lines) from the foot of the page."""
        lines = sorted(page.lines, key=lambda x: x.top)
        body = [line for line in lines if not _smaller(line.size, self.body_size)]
        if not body or len(body) == len(lines):
            return lines, []
        lowest = max(line.bottom for line in body)
        foot = [line for line in lines if _smaller(line.size, self.body_size) and line.top >= lowest - 0.5]
        if not foot or foot[-1].bottom - foot[0].top > 0.5 * page.height:
            return lines, []
        flow = [line for line in lines if line not in foot]
        notes: list[list[Line]] = []
        for line in foot:
            if notes:
                prev = notes[-1][-1]
                starts = bool(
                    re.match(
                        r"^(?:\*+|\u2020|\u2021|\[\d{1,3}\]|\d{1,3}[.)]?|[\u00b9\u00b2\u00b3\u2070-\u2079]+)\s",
                        line.text,
                    )
                )
                spaced = line.top - prev.bottom > 0.6 * line.size
                if not starts and not spaced:
                    notes[-1].append(line)
                    continue
            notes.append([line])
        return flow, notes

    # ---- columns ---------------------------------------------------------------------------------

    def _segments(self, page: Page, lines: list[Line]) -> list[_Segment]:
        """The page's lines cut into reading-order segments: full width, or one column at a time."""
        if not lines:
            return []
        left = min(line.x0 for line in lines)
        right = max(line.x1 for line in lines)
        gutter = _find_gutter(lines, left, right)
        if gutter is None:
            return [_Segment(page.number, lines, left, right)]
        g0, g1 = gutter
        segments: list[_Segment] = []
        left_col: list[Line] = []
        right_col: list[Line] = []

        def flush() -> None:
            if left_col:
                segments.append(_Segment(page.number, list(left_col), left, g0))
            if right_col:
                segments.append(_Segment(page.number, list(right_col), g1, right))
            left_col.clear()
            right_col.clear()

        for line in lines:
            lhs = [r for r in line.runs if r.x1 <= g0 + 1]
            rhs = [r for r in line.runs if r.x0 >= g1 - 1]
            if len(lhs) + len(rhs) < len(line.runs):
                flush()
                segments.append(_Segment(page.number, [line], left, right))
                continue
            if lhs:
                left_col.append(Line(lhs))
            if rhs:
                right_col.append(Line(rhs))
        flush()
        return segments

    # ---- blocks ----------------------------------------------------------------------------------

    def blocks(self) -> tuple[str, tuple[TextBlock, ...]]:
        """The canonical text of every page, with its blocks."""
        out: list[_Block] = []
        pending_notes: list[_Block] = []
        for page in self.pages:
            flow, notes = self._split_footnotes(page)
            page_blocks: list[_Block] = []
            for segment in self._segments(page, flow):
                seg_blocks = self._segment_blocks(segment)
                if not seg_blocks:
                    continue
                first = seg_blocks[0]
                target = page_blocks[-1] if page_blocks else (out[-1] if out else None)
                if target is not None and self._continues(target, first):
                    _append(target, first, self._join(target.last, first.parts[0]))
                    target.last, target.right = first.last, first.right
                    seg_blocks = seg_blocks[1:]
                elif not page_blocks and pending_notes and out:
                    out[-1].footnotes.extend(pending_notes)
                    pending_notes = []
                page_blocks.extend(seg_blocks)
            if not page_blocks and pending_notes and out:
                out[-1].footnotes.extend(pending_notes)
                pending_notes = []
            if page_blocks and pending_notes:
                # the previous page's notes follow the block that carried over onto this page
                carrier = out[-1] if out else page_blocks[0]
                carrier.footnotes.extend(pending_notes)
                pending_notes = []
            out.extend(page_blocks)
            pending_notes.extend(self._note_blocks(page.number, notes))
        if pending_notes:
            if out:
                out[-1].footnotes.extend(pending_notes)
            else:
                out.extend(pending_notes)
        self._assign_levels(out)
        return _write(out)

    def _segment_blocks(self, segment: _Segment) -> list[_Block]:
        blocks: list[_Block] = []
        current: _Block | None = None
        pending_marker: Line | None = None
        prev: Line | None = None
        lines = _toc_rows(segment)
        for line in lines:
            text = line.text.strip()
            if not text:
                continue
            if pending_marker is not None:
                if prev is not None and line.top - prev.bottom > self.gap + 1.2 * self.body_size:
                    current = self._start(segment, pending_marker, pending_marker.text.strip())
                    blocks.append(current)
                    pending_marker = None
                else:
                    current = self._start(segment, line, pending_marker.text.strip() + " " + text)
                    current.x0 = current.marker_x = pending_marker.x0
                    blocks.append(current)
                    pending_marker = None
                    prev = line
                    if line.toc_number is not None:
                        _close_toc(current, line)
                        current = None
                    continue
            if MARKER.fullmatch(text) and (current is None or not self._inside_sentence(current, line)):
                pending_marker = line
                prev = line
                current = None
                continue
            relation = "new" if current is None or prev is None else self._relation(current, prev, line, segment)
            if current is not None and relation == "space":
                current.parts.append(self._join(prev, text))
                current.last = line
            elif current is not None and relation == "break":
                current.parts.append(HARD_BREAK + text)
                current.last = line
            else:
                current = self._start(segment, line, text)
                blocks.append(current)
            prev = line
            if line.toc_number is not None:
                _close_toc(current, line)
                current = None
        if pending_marker is not None:
            blocks.append(self._start(segment, pending_marker, pending_marker.text.strip()))
        blocks = _merge_toc_entries(blocks)
        for block in blocks:
            if block.kind == "paragraph" and self._is_heading(block):
                block.kind = "heading"
        return blocks

    def _start(self, segment: _Segment, line: Line, text: str) -> _Block:
        marker = MARKER.match(text)
        kind: BlockKind = "item" if marker else "paragraph"
        if marker and _BULLET_ONLY.match(marker.group(0)):
            text = "- " + text[marker.end() :].lstrip()
        return _Block(
            kind=kind,
            parts=[text],
            page=segment.page,
            x0=line.x0,
            first=line,
            last=line,
            right=segment.right,
            size=line.size,
            bold=line.bold,
            marker_x=line.x0 if marker else None,
        )

    def _relation(self, current: _Block, prev: Line, line: Line, segment: _Segment) -> str:
        """How `line` follows `prev`: "new" block, "space" (a wrapped line) or "break" (a hard line break)."""
        gap = line.top - prev.bottom
        if gap > self.gap + 0.35 * max(self.body_size, line.size):
            return "new"
        if gap < -0.5 * line.size:  # not below the previous line: another region of the page
            return "new"
        if not _similar(prev.size, line.size) or prev.bold != line.bold:
            return "new"
        if _HYPHEN_AT_END.search(prev.text):
            return "space"  # a word broken at the line end goes on in this line
        if MARKER.match(line.text.lstrip()) and not self._inside_sentence(current, line):
            return "new"
        if self._short(prev, line, segment.right):
            return "break" if self.spaced else "new"
        return "space"

    def _inside_sentence(self, current: _Block, line: Line) -> bool:
        """A wrapped line that happens to open with a dash or "a." carries on a sentence, it is no new item."""
        prev = current.last
        prev_text = prev.text.rstrip()
        if prev_text.endswith(_TERMINAL) or prev_text.endswith(","):
            return False
        if current.marker_x is not None and line.x0 <= current.marker_x + 1.5:
            return False  # at the marker's own indent: the next item
        return not self._short(prev, line, current.right) and line.x0 > current.x0 + 0.5 * line.size

    def _short(self, prev: Line, line: Line, right: float) -> bool:
        """The line before ended early: `line`'s first word would have fitted after it."""
        space = 0.3 * prev.size
        return prev.x1 + space + line.first_word_width < right - 0.5 * prev.size

    def _join(self, prev: Line | None, text: str) -> str:
        if prev is None:
            return " " + text
        if _HYPHEN_AT_END.search(prev.text):
            # lower case goes on a broken word (hyphen kept or not, decided on the whole text);
            # upper case goes on a hyphenated name ("Vilnius-Riga"): no space either way
            return HYPHEN_JOIN + text if text[:1].islower() else text
        return " " + text

    def _continues(self, prev: _Block, block: _Block) -> bool:
        """Whether `block`, first on a new page or column, carries on `prev`, last on the one before."""
        if prev.kind not in ("paragraph", "item") or block.kind != "paragraph":
            return False
        if not _similar(prev.size, block.size):
            return False
        last = prev.text.rstrip()
        if last.endswith((";", ":", "!", "?")):
            return False
        first = block.text.lstrip()[:1]
        if last.endswith(".") and not first.islower():
            return False
        if _is_caps(block.text) or _is_caps(last):
            return False
        fits = prev.last.x1 + 0.3 * prev.size + block.first.first_word_width < prev.right - 0.5 * prev.size
        return not fits or first.islower()

    def _is_heading(self, block: _Block) -> bool:
        text = block.text
        if len(text) > 300 or text.rstrip().endswith((",", ";")):
            return False
        if block.size > 1.12 * self.body_size:
            return True
        return block.bold and not text.rstrip().endswith(".")

    def _note_blocks(self, page: int, notes: list[list[Line]]) -> list[_Block]:
        blocks: list[_Block] = []
        for lines in notes:
            parts = [lines[0].text.strip()]
            for prev, line in pairwise(lines):
                parts.append(self._join(prev, line.text.strip()))
            blocks.append(
                _Block("footnote", parts, page, lines[0].x0, lines[0], lines[-1], lines[0].x1, lines[0].size, False)
            )
        return blocks

    def _assign_levels(self, blocks: list[_Block]) -> None:
        heading_sizes = sorted({round(b.size * 2) / 2 for b in blocks if b.kind == "heading"}, reverse=True)
        indents: list[float] = []
        for b in blocks:
            if b.kind == "item" and b.marker_x is not None:
                indent = b.marker_x - _segment_left(b)
                if not any(abs(indent - i) < 4 for i in indents):
                    indents.append(indent)
        indents.sort()
        for b in blocks:
            if b.kind == "heading":
                b.level = heading_sizes.index(round(b.size * 2) / 2) + 1
            elif b.kind == "item" and b.marker_x is not None:
                indent = b.marker_x - _segment_left(b)
                b.level = next(i for i, x in enumerate(indents) if abs(indent - x) < 4)


def _append(target: _Block, block: _Block, first_part: str) -> None:
    target.parts.append(first_part)
    target.parts.extend(block.parts[1:])
    target.footnotes.extend(block.footnotes)


def _close_toc(block: _Block, line: Line) -> None:
    block.kind = "table"
    words = " ".join(_LEADER.sub("", block.text).replace(HARD_BREAK, " ").split())
    block.parts = [f"| {words} | {line.toc_number} |"]
    block.toc_words = words


def _merge_toc_entries(blocks: list[_Block]) -> list[_Block]:
    """An entry of a table of contents set over several lines: the lines above its page number belong to it."""
    out: list[_Block] = []
    for block in blocks:
        if block.kind == "table" and block.toc_words is not None:
            words = [block.toc_words]
            while (
                out
                and out[-1].kind in ("paragraph", "heading")
                and out[-1].toc_words is None
                and abs(out[-1].x0 - block.x0) < 2
                and _similar(out[-1].size, block.size)
                and not out[-1].text.rstrip().endswith(_TERMINAL)
                and len(out[-1].text) <= 200
                and out[-1].bold == block.bold
            ):
                words.insert(0, " ".join(out.pop().text.replace(HARD_BREAK, " ").split()))
            number = block.parts[0].rsplit("|", 2)[1].strip()
            block.toc_words = " ".join(words)
            block.parts = [f"| {block.toc_words} | {number} |"]
        out.append(block)
    return out


def _toc_rows(segment: _Segment) -> list[Line]:
    """Lines of a table of contents: text, a wide gap or a dot leader, and a page number at the right edge."""
    ends = sorted(line.x1 for line in segment.lines)
    right = ends[int(0.8 * (len(ends) - 1))] if ends else segment.right
    for line in segment.lines:
        if len(line.runs) < 2:
            continue
        last, before = line.runs[-1], line.runs[-2]
        if (
            _TOC_NUMBER.match(last.text.strip())
            and last.x1 >= right - 2 * last.size
            and (last.x0 - before.x1 > 3 * last.size or _LEADER.search(before.text))
        ):
            line.runs = line.runs[:-1]
            line.toc_number = last.text.strip()
    return segment.lines


def _segment_left(block: _Block) -> float:
    return block.x0 if block.marker_x is None else min(block.x0, block.marker_x)


def _write(blocks: list[_Block]) -> tuple[str, tuple[TextBlock, ...]]:
    flat: list[_Block] = []
    for block in blocks:
        flat.append(block)
        flat.extend(block.footnotes)
    texts = [b.text for b in flat]
    vocabulary = _vocabulary(texts)
    writer = CanonicalTextWriter()
    for block, text in zip(flat, texts, strict=True):
        text = _resolve_hyphens(text, vocabulary).replace(HARD_BREAK, "\n")
        writer.add(text, block.kind, level=block.level, page=block.page)
    return writer.result()


def _vocabulary(texts: list[str]) -> set[str]:
    words: set[str] = set()
    for text in texts:
        for chunk in _HYPHENATED.sub(" ", text).split():
            for w in _WORD.findall(chunk):
                words.add(w.lower())
                words.update(p.lower() for p in w.split("-"))
    return words


_HYPHENATED = re.compile(rf"([^\W\d_]+)-?{HYPHEN_JOIN}([^\W\d_]+)")


def _resolve_hyphens(text: str, vocabulary: set[str]) -> str:
    """A word broken at a line end: keep its hyphen if the document writes it so, else rejoin it."""

    def replace(m: re.Match[str]) -> str:
        head, tail = m.group(1), m.group(2)
        hyphenated = f"{head}-{tail}".lower()
        joined = (head + tail).lower()
        if hyphenated in vocabulary:
            return f"{head}-{tail}"
        if joined in vocabulary:
            return head + tail
        if head.isupper() and len(head) > 1:
            return f"{head}-{tail}"
        if len(head) > 1 and len(tail) > 1 and head.lower() in vocabulary and tail.lower() in vocabulary:
            return f"{head}-{tail}"
        return head + tail

    text = _HYPHENATED.sub(replace, text)
    return text.replace(HYPHEN_JOIN, "")


def _body_size(pages: list[Page]) -> float:
    sizes: Counter[float] = Counter()
    for page in pages:
        for line in page.lines:
            for run in line.runs:
                sizes[run.size] += len(run.text)
    return sizes.most_common(1)[0][0] if sizes else 10.0


def _band_lines(page: Page) -> list[tuple[str, Line]]:
    """The two outermost lines at the top and at the bottom of a page, if they lie in the outer bands."""
    lines = sorted(page.lines, key=lambda x: x.top)
    band = 0.12 * page.height
    out: list[tuple[str, Line]] = []
    for line in lines[:2]:
        if line.bottom <= band:
            out.append(("top", line))
    for line in lines[-2:]:
        if line.top >= page.height - band and not any(line is x for _, x in out):
            out.append(("bottom", line))
    return out


def _furniture_key(text: str) -> str:
    return re.sub(r"\d+", "#", re.sub(r"\s+", " ", text.strip().lower()))


def _find_gutter(lines: list[Line], left: float, right: float) -> tuple[float, float] | None:
    """The white gap between two columns, if the page (or a region of it) has two.

    The gap is where fewest runs cross; it is a gutter when at least three lines have a substantial
    stretch of text on each side of it (a page number or a label at the edge does not count), and lines
    crossing it lie above or below those lines (a full-width title or table), not among them.
    """
    width = right - left
    if width <= 0 or len(lines) < 4:
        return None
    best: tuple[int, float] | None = None
    x = left + 0.3 * width
    while x <= left + 0.7 * width:
        crossing = sum(1 for line in lines for r in line.runs if r.x0 < x < r.x1)
        if best is None or crossing < best[0]:
            best = (crossing, x)
        x += 2.0
    assert best is not None
    x = best[1]
    both: list[int] = []
    g0, g1 = left, right
    for i, line in enumerate(lines):
        lhs = [r for r in line.runs if r.x1 <= x]
        rhs = [r for r in line.runs if r.x0 >= x]
        if len(lhs) + len(rhs) < len(line.runs):
            continue
        if lhs and rhs and lhs[-1].x1 - lhs[0].x0 >= 0.2 * width and rhs[-1].x1 - rhs[0].x0 >= 0.2 * width:
            both.append(i)
        if lhs:
            g0 = max(r.x1 for r in lhs) if g0 == left else max(g0, max(r.x1 for r in lhs))
        if rhs:
            g1 = min(r.x0 for r in rhs) if g1 == right else min(g1, min(r.x0 for r in rhs))
    if len(both) < 3 or g1 - g0 < 6:
        return None
    inside = lines[both[0] : both[-1] + 1]
    crossing_inside = sum(1 for line in inside if any(r.x0 < x < r.x1 for r in line.runs))
    if crossing_inside > max(1, 0.1 * len(inside)):
        return None
    return g0, g1


def _similar(a: float, b: float) -> bool:
    return abs(a - b) <= 0.12 * max(a, b)


def _smaller(size: float, body: float) -> bool:
    return size < 0.88 * body


def _overlaps_x(a: Line, b: Line) -> bool:
    return min(a.x1, b.x1) - max(a.x0, b.x0) > 0


def _is_caps(text: str) -> bool:
    letters = [c for c in text if c.isalpha()]
    return len(letters) >= 6 and all(c.isupper() for c in letters)
