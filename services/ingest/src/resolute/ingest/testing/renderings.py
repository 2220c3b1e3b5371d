"""The layout zoo's renderings: a plain or Markdown text typeset the ways resolutions are really published.

Secretariats do not publish text files. The same resolution reaches Resolute as
- a laid-out PDF: running header with the session name, page numbers, each item's dash or label in a
  column of its own (hanging indent), lines wrapped (long words hyphenated), footnotes in a smaller font at
  the foot of the page, documents of a bundle each starting on a new page; also in two columns;
- a DOCX written in Word: real list numbering (numbering definitions with "a.", "(a)", "1)", "i.", bullets;
  each list restarting), heading styles, the document title in the core properties;
- an HTML page on an official site: the article among a cookie banner, menus, breadcrumbs, "Advanced
  Search", a logo image with alt text, share buttons and a footer.

`source_blocks` first reads the text's own structure (Markdown headings, tables, "---" page breaks and the
"\\*" footnotes they carry, hard-broken title lines, dash and label items, emphasis); each renderer then
typesets those blocks. Tests read the renderings back and compare what the extraction finds with what it
finds in the text itself; the benchmark reads them for throughput. Text is set in DejaVu Serif (shipped
here, subset to Latin), so nothing is folded to ASCII.
"""

from __future__ import annotations

import html
import io
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

FONT_DIR = Path(__file__).resolve().parent / "fonts"
FONT = "DejaVuSerif"
_FONT_FILES = {"": "DejaVuSerif.ttf", "B": "DejaVuSerif-Bold.ttf", "I": "DejaVuSerif-Italic.ttf"}
_FONT_FILES["BI"] = "DejaVuSerif-BoldItalic.ttf"
SOFT_HYPHEN = "\u00ad"

BlockKind = Literal["heading", "paragraph", "item", "table", "break"]
_ITEM = re.compile(
    r"^(?P<indent>[ \t]*)(?:(?P<bullet>[-\u2013\u2014*\u2022])[ \t]+)?"
    r"(?:(?P<label>\(?(?:[a-z]{1,2}|[ivx]{1,5}|\d{1,3})[.)])[ \t]+)?(?P<rest>\S.*)$"
)
_RULE = re.compile(r"^\s*(?:-{3,}|\*{3,}|_{3,})\s*$")
_FOOTNOTE = re.compile(r"^\\\*\s*")
_SHORT_LINE = 90


@dataclass
class Span:
    """A run of text in one style."""

    text: str
    bold: bool = False
    italic: bool = False


@dataclass
class SourceBlock:
    """One block of the source text as a typesetter sees it."""

    kind: BlockKind
    lines: list[list[Span]] = field(default_factory=list)
    level: int = 0
    label: str | None = None
    rows: list[list[str]] = field(default_factory=list)
    footnotes: list[list[Span]] = field(default_factory=list)
    page_break: bool = False

    @property
    def plain(self) -> str:
        return "\n".join("".join(s.text for s in line) for line in self.lines)


def spans(markdown: str) -> list[Span]:
    """Inline Markdown as styled spans: **bold**, *italic*, \\* a literal asterisk, <sup> as plain text."""
    text = re.sub(r"</?sup>", "", markdown).replace("<br>", " ")
    out: list[Span] = []
    pattern = re.compile(r"\*\*(?P<b>.+?)\*\*|(?<![\\\w*])\*(?P<i>[^*\s][^*\n]*?)\*(?![\w*])")
    pos = 0
    for m in pattern.finditer(text):
        if m.start() > pos:
            out.append(Span(_unescape(text[pos : m.start()])))
        if m.group("b") is not None:
            inner = m.group("b")
            out.append(Span(_unescape(inner.strip("*")), bold=True, italic=inner.startswith("*")))
        else:
            out.append(Span(_unescape(m.group("i")), italic=True))
        pos = m.end()
    if pos < len(text):
        out.append(Span(_unescape(text[pos:])))
    return [s for s in out if s.text]


def _unescape(text: str) -> str:
    return text.replace("\\*", "*").replace("\\_", "_").replace("\\#", "#")


def source_blocks(text: str) -> list[SourceBlock]:
    """The text's blocks: headings, paragraphs (hard line breaks kept), items, tables, footnotes, page breaks."""
    paragraphs = [p.strip("\n") for p in re.split(r"\n[ \t]*\n", text.replace("\r\n", "\n")) if p.strip()]
    blocks: list[SourceBlock] = []
    rule_pending = False
    for paragraph in paragraphs:
        first = paragraph.lstrip()
        if _RULE.match(paragraph):
            rule_pending = True
            continue
        if _FOOTNOTE.match(first):
            note = spans(_FOOTNOTE.sub("* ", first.replace("\n", " "), count=1))
            target = next((b for b in reversed(blocks) if "*" in b.plain and b.kind != "table"), None)
            if target is not None:
                target.footnotes.append(note)
            else:
                blocks.append(SourceBlock("paragraph", [note]))
            continue
        if first.startswith("|"):
            blocks.append(SourceBlock("table", rows=_table_rows(paragraph), page_break=False))
            rule_pending = False
            continue
        heading = re.match(r"^(#{1,6})\s+(.*)$", first, re.S)
        if heading:
            blocks.append(
                SourceBlock(
                    "heading",
                    [spans(" ".join(heading.group(2).split()))],
                    level=len(heading.group(1)),
                    page_break=rule_pending,
                )
            )
            rule_pending = False
            continue
        if rule_pending and blocks and first[:1].islower() and _unfinished(blocks[-1]):
            blocks[-1].lines[-1].extend(spans(" " + " ".join(first.split())))  # rejoin what a page break cut
            rule_pending = False
            continue
        rule_pending = False
        blocks.extend(_paragraph_blocks(paragraph))
    return blocks


def _unfinished(block: SourceBlock) -> bool:
    return block.kind in ("paragraph", "item") and not block.plain.rstrip().endswith((".", ";", ":", "!", "?"))


def _table_rows(paragraph: str) -> list[list[str]]:
    rows: list[list[str]] = []
    for line in paragraph.splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if all(re.fullmatch(r":?-*:?", c) for c in cells):
            continue
        if any(cells):
            rows.append([" ".join(_unescape(c).replace("<br>", "\n").split(" ")).strip() for c in cells])
    return rows


def _paragraph_blocks(paragraph: str) -> list[SourceBlock]:
    lines = [line for line in paragraph.split("\n") if line.strip()]
    out: list[SourceBlock] = []
    plain: list[str] = []

    def flush() -> None:
        if not plain:
            return
        if all(len(line) <= _SHORT_LINE for line in plain):
            out.append(SourceBlock("paragraph", [spans(line.strip()) for line in plain]))
        else:
            out.extend(SourceBlock("paragraph", [spans(" ".join(line.split()))]) for line in plain)
        plain.clear()

    for line in lines:
        m = _ITEM.match(line)
        is_item = m is not None and (m.group("bullet") or m.group("label")) and not line.lstrip().startswith("**")
        if m is not None and is_item:
            flush()
            bullet, label = m.group("bullet"), m.group("label")
            if bullet == "*" and not label:
                bullet = "\u2022"
            level = len(m.group("indent").replace("\t", "  ")) // 2
            out.append(SourceBlock("item", [spans(m.group("rest"))], level=level, label=label or bullet))
        elif out and out[-1].kind == "item" and not plain and line.startswith((" ", "\t")):
            out[-1].lines[-1].extend(spans(" " + line.strip()))
        else:
            plain.append(line)
    flush()
    return out


def _hyphenate(text: str) -> str:
    """Soft hyphens in long words, where a typesetter may break them (between a vowel and a consonant)."""

    def word(m: re.Match[str]) -> str:
        w = m.group(0)
        for i in range(len(w) // 2, len(w) - 4):
            if w[i - 1] in "aeiouy" and w[i] not in "aeiouy" and w[i + 1] in "aeiouy":
                return w[:i] + SOFT_HYPHEN + w[i:]
        return w

    return re.sub(r"(?<![\w-])[a-z]{10,}(?![\w-])", word, text)


def document_title_lines(blocks: list[SourceBlock]) -> str:
    """The running header or page title: the first heading or title lines (four words or more) of the text."""
    for block in blocks[:8]:
        words = block.plain.split()
        if block.kind in ("heading", "paragraph") and len(words) >= 4 and len(block.plain) <= 200:
            return " ".join(words)[:90]
    return "Document"


# ---- PDF ------------------------------------------------------------------------------------------------


def _pdf_class() -> type:
    from fpdf import FPDF

    class SecretariatPDF(FPDF):  # type: ignore[misc]
        """A4 with a running header, footnotes above the page number, and the page number centred."""

        def __init__(self, header_text: str, footnote_size: float) -> None:
            super().__init__(format="A4", unit="mm")
            self.header_text = header_text
            self.footnote_size = footnote_size
            self.page_notes: dict[int, list[list[Span]]] = {}
            for style, name in _FONT_FILES.items():
                self.add_font(FONT, style, str(FONT_DIR / name))
            self.set_margins(25, 28, 25)

        def header(self) -> None:
            self.set_font(FONT, "I", 8.5)
            self.set_xy(25, 12)
            self.cell(0, 4, self.header_text, align="C")
            self.set_line_width(0.2)
            self.line(25, 18, self.w - 25, 18)
            self.set_xy(25, 28)

        def footer(self) -> None:
            notes = self.page_notes.get(self.page_no(), [])
            if notes:
                self.set_font(FONT, "", self.footnote_size)
                height = 0.0
                for note in notes:
                    lines = self.multi_cell(
                        self.w - 50, 3.8, "".join(x.text for x in note), dry_run=True, output="LINES"
                    )
                    height += 3.8 * len(lines) if isinstance(lines, list) else 3.8
                y = self.h - 18 - height - 2
                self.set_line_width(0.2)
                self.line(25, y - 2, 75, y - 2)
                self.set_xy(25, y)
                for note in notes:
                    self.multi_cell(self.w - 50, 3.8, "".join(s.text for s in note), align="L")
                    self.set_x(25)
            self.set_font(FONT, "", 9)
            self.set_xy(25, self.h - 14)
            self.cell(0, 4, f"{self.page_no()}", align="C")

    return SecretariatPDF


def laid_out_pdf(text: str, *, columns: int = 1, header: str | None = None, title: str | None = None) -> bytes:
    """The text typeset as a secretariat publishes it (see the module docstring); `columns` 1 or 2."""
    blocks = source_blocks(text)
    body = 11.0 if columns == 1 else 9.5
    pdf = _pdf_class()(header or document_title_lines(blocks), footnote_size=body - 2.5)
    if title:
        pdf.set_title(title)
    pdf.set_auto_page_break(True, margin=40 if any(b.footnotes for b in blocks) else 26)
    pdf.add_page()
    section_page = pdf.page
    region: Any = None
    page_text = 0
    for block in blocks:
        if block.kind == "heading" and block.level == 1 and page_text >= 200:
            block.page_break = True  # each document of a bundle starts on a new page
        page_text = 0 if block.page_break else page_text + len(block.plain) + sum(len(c) for r in block.rows for c in r)
        if block.page_break or block.kind == "table":
            if region is not None:
                region.__exit__(None, None, None)
                region = None
            if block.page_break:
                pdf.add_page()
                section_page = pdf.page
            if block.kind == "table":
                _pdf_table(pdf, block, body)
                continue
        if block.footnotes:
            # a note goes to the foot of the page its section starts on: references here are in titles
            pdf.page_notes.setdefault(section_page, []).extend(block.footnotes)
        if region is None:
            region = pdf.text_columns(ncols=columns, gutter=8, text_align="LEFT", line_height=1.2)
            region.__enter__()
        _pdf_block(pdf, region, block, body)
    if region is not None:
        region.__exit__(None, None, None)
    return bytes(pdf.output())


def _pdf_block(pdf: Any, region: Any, block: SourceBlock, body: float) -> None:
    if block.kind == "heading":
        size = {1: body + 3, 2: body + 2, 3: body + 1}.get(block.level, body)
        pdf.set_font(FONT, "B", size)
        with region.paragraph(text_align="CENTER", top_margin=2, bottom_margin=3) as par:
            _write_lines(pdf, par, block.lines, "B", size)
        pdf.set_font(FONT, "", body)
        return
    pdf.set_font(FONT, "", body)
    if block.kind == "item":
        indent = 8.0 * (block.level + 1)
        label = block.label or "-"
        with region.paragraph(indent=indent, bullet_string=label, bottom_margin=1.6) as par:
            _write_lines(pdf, par, block.lines, "", body)
        return
    title_like = len(block.lines) > 1 and all(len("".join(s.text for s in x)) <= _SHORT_LINE for x in block.lines)
    if title_like and block is not None and block.lines and block.lines[0] and block.lines[0][0].text.isupper():
        pdf.set_font(FONT, "B", body + 2)
        with region.paragraph(text_align="CENTER", bottom_margin=3) as par:
            _write_lines(pdf, par, block.lines, "B", body + 2)
        pdf.set_font(FONT, "", body)
        return
    with region.paragraph(bottom_margin=2.4) as par:
        _write_lines(pdf, par, block.lines, "", body)


def _write_lines(pdf: Any, par: Any, lines: list[list[Span]], base: str, size: float) -> None:
    for n, line in enumerate(lines):
        if n:
            par.write("\n")
        for span in line:
            style = base + ("B" if span.bold and "B" not in base else "") + ("I" if span.italic else "")
            pdf.set_font(FONT, "".join(sorted(set(style), key="BI".index)), size)
            par.write(_hyphenate(span.text))
    pdf.set_font(FONT, base, size)


def _pdf_table(pdf: Any, block: SourceBlock, body: float) -> None:
    """A table of contents as typeset: each entry's lines, its page number right-aligned on the last one."""
    pdf.set_font(FONT, "", body - 1)
    width = pdf.w - pdf.l_margin - pdf.r_margin
    for row in block.rows:
        cells = [c for c in row if c]
        if not cells:
            continue
        number = cells[-1] if len(cells) > 1 and re.fullmatch(r"\d{1,4}", cells[-1]) else None
        words = " ".join(cells[:-1] if number else cells)
        entry_lines = [
            wrapped.strip()
            for x in words.split("\n")
            if x.strip()
            for wrapped in pdf.multi_cell(width - 25, 5, x.strip(), dry_run=True, output="LINES")
        ]
        for i, line in enumerate(entry_lines):
            pdf.set_x(pdf.l_margin)
            pdf.cell(width - 20, 5, line)
            if number is not None and i == len(entry_lines) - 1:
                pdf.cell(20, 5, number, align="R")
            pdf.ln(5)
        pdf.ln(2)
    pdf.ln(3)
    pdf.set_font(FONT, "", body)


# ---- DOCX -----------------------------------------------------------------------------------------------

_W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_NUM_FORMATS: dict[str, tuple[str, str]] = {
    # label shape -> (numFmt, lvlText)
    "a.": ("lowerLetter", "%1."),
    "a)": ("lowerLetter", "%1)"),
    "(a)": ("lowerLetter", "(%1)"),
    "1.": ("decimal", "%1."),
    "1)": ("decimal", "%1)"),
    "(1)": ("decimal", "(%1)"),
    "i.": ("lowerRoman", "%1."),
    "(i)": ("lowerRoman", "(%1)"),
}


def _label_shape(label: str) -> str | None:
    """ "b." -> "a.", "(iii)" -> "(i)", "12)" -> "1)": the list format a label belongs to."""
    m = re.fullmatch(r"(\()?([a-z]{1,2}|[ivx]{1,5}|\d{1,3})([.)])", label)
    if m is None:
        return None
    core = m.group(2)
    if core.isdigit():
        kind = "1"
    elif re.fullmatch(r"[ivx]+", core) and core not in ("i", "v", "x"):
        kind = "i"
    else:
        kind = "a"
    return f"{m.group(1) or ''}{kind}{m.group(3)}"


def _label_value(label: str) -> int:
    core = re.sub(r"[().]", "", label)
    if core.isdigit():
        return int(core)
    if re.fullmatch(r"[ivx]+", core) and core not in ("i", "v", "x"):
        return _roman_value(core)
    return (ord(core[0]) - ord("a") + 1) + 26 * (len(core) - 1)


def _roman_value(s: str) -> int:
    values = {"i": 1, "v": 5, "x": 10, "l": 50, "c": 100}
    total = 0
    for a, b in zip(s, s[1:] + " ", strict=True):
        total += -values[a] if b != " " and values.get(b, 0) > values[a] else values[a]
    return total


class _Numbering:
    """Numbering definitions added to a python-docx document: one abstract list per format, one instance per list."""

    def __init__(self, document: Any) -> None:
        from docx.oxml import parse_xml

        self._parse = parse_xml
        self.root = document.part.numbering_part.element
        self.abstract: dict[str, int] = {}
        self.next_abstract = 100
        self.next_num = 100

    def _abstract_id(self, shape: str, bullet: str | None) -> int:
        key = shape if bullet is None else f"bullet:{bullet}"
        if key in self.abstract:
            return self.abstract[key]
        aid = self.next_abstract
        self.next_abstract += 1
        levels = []
        for ilvl in range(3):
            if bullet is not None:
                fmt, text = "bullet", bullet
            else:
                fmt, pattern = _NUM_FORMATS[shape]
                text = pattern.replace("%1", f"%{ilvl + 1}")
            indent = 720 * (ilvl + 1)
            levels.append(
                f'<w:lvl w:ilvl="{ilvl}"><w:start w:val="1"/><w:numFmt w:val="{fmt}"/>'
                f'<w:lvlText w:val="{html.escape(text, quote=True)}"/><w:lvlJc w:val="left"/>'
                f'<w:pPr><w:ind w:left="{indent}" w:hanging="360"/></w:pPr></w:lvl>'
            )
        element = self._parse(
            f'<w:abstractNum xmlns:w="{_W_NS}" w:abstractNumId="{aid}">'
            f'<w:multiLevelType w:val="hybridMultilevel"/>{"".join(levels)}</w:abstractNum>'
        )
        first_num = self.root.find(f"{{{_W_NS}}}num")
        if first_num is not None:
            first_num.addprevious(element)
        else:
            self.root.append(element)
        self.abstract[key] = aid
        return aid

    def new_list(self, shape: str, bullet: str | None, start: int, ilvl: int) -> int:
        """A new list instance whose level `ilvl` restarts at `start`."""
        aid = self._abstract_id(shape, bullet)
        num_id = self.next_num
        self.next_num += 1
        self.root.append(
            self._parse(
                f'<w:num xmlns:w="{_W_NS}" w:numId="{num_id}"><w:abstractNumId w:val="{aid}"/>'
                f'<w:lvlOverride w:ilvl="{ilvl}"><w:startOverride w:val="{start}"/></w:lvlOverride></w:num>'
            )
        )
        return num_id


def word_document(text: str, *, title: str | None = None) -> bytes:
    """The text written in Word: headings in heading styles, lists with real numbering, emphasis as runs.

    Each list (a run of items of one format at one level) is its own numbering instance restarting at its
    first label; nested items use the list level (ilvl) of their depth. The "\\*" notes of a bundle follow
    the heading they annotate as paragraphs.
    """
    import docx
    from docx.oxml import parse_xml

    document = docx.Document()
    numbering = _Numbering(document)
    lists: dict[int, tuple[str | None, str | None, int]] = {}  # level -> (shape, bullet, numId) of the open list
    for block in source_blocks(text):
        if block.kind != "item":
            lists.clear()
        if block.kind == "heading":
            paragraph = document.add_heading("", min(block.level, 6))
            _add_runs(paragraph, block.lines)
        elif block.kind == "table":
            table = document.add_table(rows=0, cols=max(len(r) for r in block.rows))
            for row in block.rows:
                for cell, value in zip(table.add_row().cells, row, strict=False):
                    cell.text = value.replace("\n", " ")
        elif block.kind == "item":
            label = block.label or "-"
            shape = _label_shape(label)
            bullet = None if shape is not None else label
            level = min(block.level, 2)
            for deeper in [k for k in lists if k > level]:
                del lists[deeper]
            open_list = lists.get(level)
            start = _label_value(label) if shape is not None else 1
            if open_list is None or open_list[:2] != (shape, bullet) or (shape is not None and start == 1):
                open_list = (shape, bullet, numbering.new_list(shape or "1.", bullet, start, level))
                lists[level] = open_list
            paragraph = document.add_paragraph(style="List Paragraph")
            paragraph._p.get_or_add_pPr().append(
                parse_xml(
                    f'<w:numPr xmlns:w="{_W_NS}"><w:ilvl w:val="{level}"/><w:numId w:val="{open_list[2]}"/></w:numPr>'
                )
            )
            _add_runs(paragraph, block.lines)
        else:
            paragraph = document.add_paragraph()
            _add_runs(paragraph, block.lines)
        for note in block.footnotes:
            document.add_paragraph("".join(s.text for s in note))
    if title:
        document.core_properties.title = title
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _add_runs(paragraph: Any, lines: list[list[Span]]) -> None:
    for n, line in enumerate(lines):
        if n:
            paragraph.add_run().add_break()
        for span in line:
            run = paragraph.add_run(span.text)
            run.bold = span.bold or None
            run.italic = span.italic or None


# ---- HTML -----------------------------------------------------------------------------------------------

_SITE_BEFORE = """<div id="cookie-consent" class="cookie-banner" role="dialog">
<p>This site uses necessary and statistics cookies. <a href="/privacy">Privacy policy</a></p>
<button>Accept all cookies</button> <button>Reject all</button></div>
<a class="skip-link" href="#content">Skip to main content</a>
<header class="site-header">
<a class="logo" href="/"><img src="/static/logo.svg" alt="Baltic Assembly Logo"></a>
<span class="site-name">Parliamentary Portal</span>
<nav class="main-menu" aria-label="Main menu"><ul><li><a href="/">Home</a></li><li><a href="/news">News</a></li>
<li><a href="/sessions">Sessions</a></li><li><a href="/documents">Documents</a></li>
<li><a href="/contacts">Contacts</a></li></ul></nav>
<form class="search-form" action="/search"><input name="q" placeholder="Search"><button>Search</button>
<a href="/search/advanced">Advanced Search</a></form>
<ul class="lang-switch"><li><a href="/et">ET</a></li><li><a href="/lv">LV</a></li><li><a href="/lt">LT</a></li></ul>
</header>
<nav class="breadcrumbs" aria-label="Breadcrumb"><ol><li><a href="/">Home</a></li>
<li><a href="/documents">Documents</a></li><li>Resolutions</li></ol></nav>"""
_SITE_AFTER = """<div class="share-buttons"><span>Share</span><a href="#">Facebook</a><a href="#">X</a>
<a href="#">LinkedIn</a><a href="#" class="print">Print</a></div>
<aside class="sidebar related"><h3>Related documents</h3><ul>
<li><a href="/r1">Resolution of the previous session</a></li>
<li><a href="/r2">Statement of the Presidium</a></li></ul></aside>
<footer class="site-footer"><div class="footer-logo"><img src="/static/logo-small.png" alt="Baltic Assembly Logo"></div>
<p>Last updated on 11/27/2025 16:35</p><p>&copy; 2025 Parliamentary Portal. All rights reserved.</p>
<ul><li><a href="/privacy">Privacy</a></li><li><a href="/accessibility">Accessibility</a></li></ul></footer>"""


def web_page(text: str, *, page_title: str | None = None) -> bytes:
    """The text as an official site publishes it: the article (headings, lists, emphasis) among site debris."""
    blocks = source_blocks(text)
    title = page_title or f"{document_title_lines(blocks)} | Parliamentary Portal"
    body: list[str] = []
    open_lists: list[tuple[str, str]] = []  # (tag, shape) per nesting level

    def close_lists(level: int = -1) -> None:
        while len(open_lists) > level + 1:
            tag, _ = open_lists.pop()
            body.append(f"</li></{tag}>")

    css_countable = _css_countable(blocks)
    for block in blocks:
        if block.kind == "item":
            label = block.label or "-"
            shape = _label_shape(label) if id(block) in css_countable else None
            if shape is None and _label_shape(label) is not None:
                label = "labelled"
            tag = "ol" if shape is not None else "ul"
            close_lists(block.level)
            if len(open_lists) == block.level + 1 and open_lists[-1] != (tag, shape or label):
                close_lists(block.level - 1)
            if len(open_lists) < block.level + 1:
                while len(open_lists) < block.level + 1:
                    if shape is not None:
                        kind = {"a": "a", "1": "1", "i": "i"}[re.sub(r"[().]", "", shape)]
                        style = _css_list_style(shape)
                        start = _label_value(label)
                        body.append(f'<ol type="{kind}" start="{start}" style="{style}"><li>')
                    elif label == "labelled":
                        body.append('<ul class="labelled" style="list-style-type:none"><li>')
                    else:
                        body.append('<ul class="dashes"><li>')
                    open_lists.append((tag, shape or label))
            else:
                body.append("</li><li>")
            if label == "labelled":
                body.append(html.escape(block.label or "") + " ")
            body.append(_html_inline(block.lines))
            continue
        close_lists()
        if block.kind == "heading":
            level = min(block.level + 1, 6)
            body.append(f"<h{level}>{_html_inline(block.lines)}</h{level}>")
        elif block.kind == "table":
            rows = "".join(
                "<tr>" + "".join(f"<td>{html.escape(c).replace(chr(10), '<br>')}</td>" for c in r) + "</tr>"
                for r in block.rows
            )
            body.append(f'<table class="contents">{rows}</table>')
        else:
            body.append(f"<p>{_html_inline(block.lines)}</p>")
        for note in block.footnotes:
            body.append(f'<p class="footnote"><small>{_html_inline([note])}</small></p>')
    close_lists()
    page = (
        f'<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8"><title>{html.escape(title)}</title>'
        '<meta property="og:site_name" content="Parliamentary Portal">'
        '<script>window.dataLayer = [{"page": "document"}];</script><style>.dashes{list-style:"- "}</style>'
        f'</head>\n<body>{_SITE_BEFORE}\n<main id="content"><article>\n'
        + "\n".join(body)
        + f"\n</article></main>\n{_SITE_AFTER}</body></html>\n"
    )
    return page.encode()


def _css_countable(blocks: list[SourceBlock]) -> set[int]:
    """Items whose list a browser numbers exactly as the source does (CSS counts z, aa, ab; Word z, aa, bb)."""
    from resolute.ingest.formats.html import format_number

    countable: set[int] = set()
    run: list[SourceBlock] = []

    def close() -> None:
        styles = {"a": "lower-alpha", "1": "decimal", "i": "lower-roman"}
        shapes = {_label_shape(b.label or "") for b in run}
        if len(shapes) == 1 and None not in shapes:
            (shape,) = shapes
            style = styles[re.sub(r"[().]", "", shape or "")]
            first = _label_value(run[0].label or "")
            if all(re.sub(r"[().]", "", b.label or "") == format_number(first + i, style) for i, b in enumerate(run)):
                countable.update(id(b) for b in run)
        run.clear()

    for block in blocks:
        if block.kind == "item" and (not run or (run[0].level == block.level)):
            run.append(block)
            continue
        close()
        if block.kind == "item":
            run.append(block)
    close()
    return countable


def _css_list_style(shape: str) -> str:
    kind = {"a": "lower-alpha", "1": "decimal", "i": "lower-roman"}[re.sub(r"[().]", "", shape)]
    return f"list-style-type:{kind}"


def _html_inline(lines: list[list[Span]]) -> str:
    out: list[str] = []
    for n, line in enumerate(lines):
        if n:
            out.append("<br>")
        for span in line:
            text = html.escape(span.text, quote=False)
            if span.italic:
                text = f"<em>{text}</em>"
            if span.bold:
                text = f"<strong>{text}</strong>"
            out.append(text)
    return "".join(out)


RENDERINGS = ("pdf", "pdf-2col", "docx", "html")


def render(text: str, rendering: str) -> bytes:
    """One of RENDERINGS of `text`."""
    if rendering == "pdf":
        return laid_out_pdf(text)
    if rendering == "pdf-2col":
        return laid_out_pdf(text, columns=2)
    if rendering == "docx":
        return word_document(text)
    if rendering == "html":
        return web_page(text)
    raise ValueError(f"unknown rendering {rendering!r}")
