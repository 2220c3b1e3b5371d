"""DOCX to canonical text with python-docx: headings, paragraphs, numbered items, tables and footnotes in order.

Word keeps bullets and labels in numbering definitions, not in the text. They are computed as Word shows
them: each list level's number format (decimal, lowerLetter, upperRoman, bullet, ...) and its level text
("%1.", "(%1)", "%1)", "%1.%2."), counted per abstract list so that list instances sharing one continue each
other, restarted by a `startOverride`, and lower levels restarted when a higher one advances. Bullets become
"- ". Heading styles (and outline levels) give heading blocks; table rows give "| a | b |" blocks; footnotes
follow the paragraph that references them.

Before python-docx inflates anything, the ZIP directory is checked: members' declared sizes must stay within
the decompression budget and each member's compression ratio within the limit (Python's zipfile never
inflates a member past its declared size), so a small DOCX that would inflate to megabytes of text is
refused (DocumentTooLarge) instead of read.
"""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass, field
from typing import Any

from resolute.ingest.formats.errors import DocumentTooDeep, MalformedDocument, NoDocumentContent
from resolute.ingest.formats.html import format_number
from resolute.ingest.formats.limits import DEFAULT_LIMITS, MIB, ReadLimits
from resolute.ingest.formats.models import CanonicalTextWriter, DocumentText

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_MAX_MEMBERS = 5000
_HEADING_STYLE = re.compile(
    r"^(?:heading|überschrift|titre|kop|rubrik|otsikko|virsraksts|pealkiri|antraštė)\s*(\d)$", re.I
)
_FORMATS = {
    "decimal": "decimal",
    "decimalZero": "decimal-zero",
    "lowerLetter": "lower-letter",
    "upperLetter": "upper-letter",
    "lowerRoman": "lower-roman",
    "upperRoman": "upper-roman",
}


def check_zip(content: bytes, limits: ReadLimits) -> None:
    """Refuse a ZIP whose members would inflate past the budget, or any one member at a bomb's ratio."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(content))
    except zipfile.BadZipFile as exc:
        raise MalformedDocument("damaged DOCX: not a readable ZIP container") from exc
    members = archive.infolist()
    if len(members) > _MAX_MEMBERS:
        raise MalformedDocument(f"damaged DOCX: {len(members)} parts in one document")
    budget = limits.decompressed_budget(len(content))
    total = 0
    for member in members:
        total += member.file_size
        ratio_ok = member.file_size <= max(MIB, limits.max_compression_ratio * max(member.compress_size, 1))
        if total > budget or not ratio_ok:
            raise limits.refuse_decompressed("the DOCX", len(content))


@dataclass
class _Level:
    fmt: str = "decimal"
    text: str = "%1."
    start: int = 1


@dataclass
class _Num:
    abstract: str
    starts: dict[int, int] = field(default_factory=dict)
    levels: dict[int, _Level] = field(default_factory=dict)


class _Numbering:
    """Computes each numbered paragraph's label as Word displays it."""

    def __init__(self, document: Any) -> None:
        self.abstract: dict[str, dict[int, _Level]] = {}
        self.nums: dict[str, _Num] = {}
        self.counters: dict[tuple[str, int], int] = {}
        self.used: set[tuple[str, int]] = set()
        try:
            root = document.part.numbering_part.element
        except (NotImplementedError, KeyError, AttributeError):
            return
        for a in root.iter(f"{_W}abstractNum"):
            self.abstract[a.get(f"{_W}abstractNumId") or ""] = {
                int(lvl.get(f"{_W}ilvl") or 0): _level(lvl) for lvl in a.iter(f"{_W}lvl")
            }
        for num in root.iter(f"{_W}num"):
            ref = num.find(f"{_W}abstractNumId")
            if ref is None:
                continue
            entry = _Num(ref.get(f"{_W}val") or "")
            for override in num.iter(f"{_W}lvlOverride"):
                ilvl = int(override.get(f"{_W}ilvl") or 0)
                start = override.find(f"{_W}startOverride")
                if start is not None:
                    entry.starts[ilvl] = _int(start.get(f"{_W}val"), 1)
                lvl = override.find(f"{_W}lvl")
                if lvl is not None:
                    entry.levels[ilvl] = _level(lvl)
                    if start is None:
                        entry.starts[ilvl] = entry.levels[ilvl].start
            self.nums[num.get(f"{_W}numId") or ""] = entry

    def _level(self, num: _Num, ilvl: int) -> _Level:
        return num.levels.get(ilvl) or self.abstract.get(num.abstract, {}).get(ilvl) or _Level()

    def label(self, num_id: str, ilvl: int) -> str | None:
        """The label of the next paragraph of list `num_id` at level `ilvl` ("a.", "(ii)", "- "), or None."""
        num = self.nums.get(num_id)
        if num is None or num_id == "0":
            return None
        level = self._level(num, ilvl)
        key = (num.abstract, ilvl)
        if (num_id, ilvl) not in self.used and ilvl in num.starts:
            self.counters[key] = num.starts[ilvl] - 1
        self.used.add((num_id, ilvl))
        self.counters[key] = self.counters.get(key, level.start - 1) + 1
        for deeper in [k for k in self.counters if k[0] == num.abstract and k[1] > ilvl]:
            del self.counters[deeper]
        if level.fmt == "bullet":
            return "-"
        if level.fmt == "none":
            return None

        def number(m: re.Match[str]) -> str:
            k = int(m.group(1)) - 1
            lvl = self._level(num, k)
            value = self.counters.get((num.abstract, k), lvl.start)
            style = _FORMATS.get(lvl.fmt, "decimal")
            if style == "decimal-zero":
                return f"{value:02d}"
            return format_number(value, style)

        text = re.sub(r"%([1-9])", number, level.text).strip()
        return text or None


def _level(lvl: Any) -> _Level:
    fmt_el = lvl.find(f"{_W}numFmt")
    text_el = lvl.find(f"{_W}lvlText")
    start_el = lvl.find(f"{_W}start")
    return _Level(
        fmt=(fmt_el.get(f"{_W}val") if fmt_el is not None else None) or "decimal",
        text=(text_el.get(f"{_W}val") if text_el is not None else None) or "",
        start=_int(start_el.get(f"{_W}val") if start_el is not None else None, 1),
    )


def _int(value: str | None, default: int) -> int:
    try:
        return int(value) if value is not None else default
    except ValueError:
        return default


def _heading_level(paragraph: Any) -> int:
    style = paragraph.style
    name = (style.name if style is not None else "") or ""
    if name.lower() == "title":
        return 1
    m = _HEADING_STYLE.match(name.strip())
    if m:
        return min(int(m.group(1)), 6)
    for ppr in (paragraph._p.pPr, style.element.pPr if style is not None else None):
        outline = ppr.find(f"{_W}outlineLvl") if ppr is not None else None
        if outline is not None:
            value = _int(outline.get(f"{_W}val"), 9)
            if value < 9:
                return value + 1
    return 0


def _num_pr(paragraph: Any) -> tuple[str, int] | None:
    """The paragraph's list (numId, level): its own numPr, else its style's (and the style's parents')."""
    ppr = paragraph._p.pPr
    num_pr = ppr.numPr if ppr is not None else None
    style = paragraph.style
    while num_pr is None and style is not None:
        style_ppr = style.element.pPr
        num_pr = style_ppr.numPr if style_ppr is not None else None
        style = style.base_style
    if num_pr is None or num_pr.numId is None:
        return None
    ilvl = int(num_pr.ilvl.val) if num_pr.ilvl is not None else 0
    return str(num_pr.numId.val), ilvl


def _paragraph_text(paragraph: Any) -> str:
    return paragraph.text.replace("\t", " ").replace("\u00a0", " ")


def _footnotes(document: Any) -> dict[str, str]:
    """Footnote id -> its text, from word/footnotes.xml (separators left out)."""
    from docx.oxml import parse_xml

    for rel in document.part.rels.values():
        if rel.reltype.endswith("/footnotes") and not rel.is_external:
            root = parse_xml(rel.target_part.blob)
            notes: dict[str, str] = {}
            for note in root.iter(f"{_W}footnote"):
                if note.get(f"{_W}type") in ("separator", "continuationSeparator", "continuationNotice"):
                    continue
                text = "".join(t.text or "" for t in note.iter(f"{_W}t"))
                notes[note.get(f"{_W}id") or ""] = " ".join(text.split())
            return notes
    return {}


def read_docx(content: bytes, limits: ReadLimits = DEFAULT_LIMITS) -> DocumentText:
    """The document body as canonical text and blocks, the core-properties title, and warnings."""
    import docx
    from docx.table import Table
    from docx.text.paragraph import Paragraph
    from lxml.etree import XMLSyntaxError

    check_zip(content, limits)
    try:
        document = docx.Document(io.BytesIO(content))
        numbering = _Numbering(document)
        notes = _footnotes(document)
    except XMLSyntaxError as exc:
        if "depth" in str(exc).lower():
            raise DocumentTooDeep("the DOCX's XML is nested too deep to read", limit="max_nesting_depth") from exc
        raise MalformedDocument(f"damaged DOCX: {str(exc)[:120]}") from exc
    except (zipfile.BadZipFile, KeyError, ValueError) as exc:
        raise MalformedDocument(f"damaged DOCX: {type(exc).__name__}") from exc
    except Exception as exc:  # python-docx wraps package errors in its own types
        raise MalformedDocument(f"damaged DOCX: {type(exc).__name__}: {str(exc)[:120]}") from exc
    writer = CanonicalTextWriter()
    note_number = 0
    for element in document.element.body.iterchildren():
        if element.tag == f"{_W}p":
            paragraph = Paragraph(element, document)
            text = _paragraph_text(paragraph)
            heading = _heading_level(paragraph)
            listed = _num_pr(paragraph) if not heading else None
            label = numbering.label(*listed) if listed else None
            if heading:
                writer.add(text, "heading", level=heading)
            elif label is not None and text.strip():
                writer.add(f"{label} {text.strip()}", "item", level=listed[1] if listed else 0)
            elif listed is not None and text.strip():
                writer.add(text, "item", level=listed[1])
            else:
                writer.add(text, "paragraph")
            for ref in element.iter(f"{_W}footnoteReference"):
                note = notes.get(ref.get(f"{_W}id") or "")
                if note:
                    note_number += 1
                    writer.add(f"{note_number} {note}", "footnote")
        elif element.tag == f"{_W}tbl":
            for row in Table(element, document).rows:
                cells = list(dict.fromkeys(" ".join(c.text.split()) for c in row.cells))
                if any(cells):
                    writer.add("| " + " | ".join(cells) + " |", "table")
        limits.check_text(writer.length)
    text, blocks = writer.result()
    if not text.strip():
        raise NoDocumentContent("DOCX without text in its body")
    title = None
    try:
        title = " ".join((document.core_properties.title or "").split()) or None
    except Exception:  # core properties are optional
        title = None
    return DocumentText(text=text, format="docx", warnings=[], title=title, blocks=blocks)
