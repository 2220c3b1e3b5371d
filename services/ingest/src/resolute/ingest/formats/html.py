"""HTML pages to canonical text: the article's headings, paragraphs, list items and tables, without the site.

Official sites wrap a resolution or press release in cookie banners, menus, breadcrumbs, search forms,
logos, share buttons and footers. Those are dropped (by tag, ARIA role, and id/class words), the main
content is chosen (article/main, else the densest text container), and the element structure becomes
blocks: h1-h6 headings, paragraphs (a <br> is a hard line break), list items numbered as the page numbers
them (<ol type/start/value/reversed>, CSS list-style-type; bullets as "- "), table rows as "| a | b |",
footnote sections as footnotes. Images never contribute text (their alt text describes a picture, often
"... Logo"). The title comes from og:title, <title> or the main heading, never from debris or the site
name. The walk is iterative and refuses markup nested deeper than the limits allow (DocumentTooDeep).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from selectolax.lexbor import LexborHTMLParser, LexborNode

from resolute.ingest.formats.errors import NoDocumentContent
from resolute.ingest.formats.limits import DEFAULT_LIMITS, ReadLimits
from resolute.ingest.formats.models import BlockKind, CanonicalTextWriter, TextBlock

_DROP_TAGS = frozenset(
    {
        "script",
        "style",
        "noscript",
        "template",
        "svg",
        "math",
        "iframe",
        "object",
        "embed",
        "canvas",
        "nav",
        "aside",
        "button",
        "input",
        "select",
        "option",
        "textarea",
        "label",
        "dialog",
        "img",
        "picture",
        "video",
        "audio",
        "source",
        "track",
        "map",
        "area",
        "figcaption",
        "menu",
        "head",
        "title",
        "meta",
        "link",
        "form",
    }
)
_DEBRIS = re.compile(
    r"cookie|consent|gdpr|privacy-?banner|navbar|\bnav\b|navigation|menu|breadcrumb|share|sharing|social|"
    r"newsletter|subscribe|popup|pop-up|modal|skip|search|pagination|pager|toolbar|\bprint\b|login|"
    r"language|lang-switch|accessib|sidebar|related|recommended|tags?\b|rating|comments?\b|advert|\bads?\b|"
    r"banner|masthead|site-header|site-footer|page-header|page-footer|\bfooter\b|\bheader\b|top-bar|"
    r"photo-credit|caption|widget|carousel|slider|back-to-top|last-?updated|meta-?info|\blogo\b|site-name",
    re.I,
)
_DEBRIS_ROLES = frozenset(
    {"navigation", "banner", "contentinfo", "search", "complementary", "dialog", "alertdialog", "menu", "img"}
)
_FOOTNOTES = re.compile(r"foot-?notes?|end-?notes?|doc-(?:foot|end)notes?", re.I)
_BLOCK_TAGS = frozenset(
    {
        "p",
        "div",
        "section",
        "article",
        "main",
        "blockquote",
        "pre",
        "address",
        "dl",
        "dt",
        "dd",
        "center",
        "body",
        "figure",
        "fieldset",
        "details",
        "summary",
        "header",
        "footer",
        "hr",
        "caption",
        "td",
        "th",
        "tr",
    }
)
_HEADINGS = {"h1": 1, "h2": 2, "h3": 3, "h4": 4, "h5": 5, "h6": 6}
_WS = re.compile(r"[ \t\r\n\f\v\u00a0]+")
_SITE_SEPARATORS = re.compile(r"\s+[|\u2013\u2014:\u00b7\u2022-]\s+")
_DEBRIS_TITLES = re.compile(
    r"^(?:advanced\s+search|search(?:\s+results)?|home(?:\s*page)?|menu|log\s*in|sign\s*in|cookies?.*|"
    r"page\s+not\s+found|404.*|.*\blogo\b.*|.*\bcookies?\b.*|skip\s+to.*|untitled(?:\s+document)?|document)$",
    re.I,
)
_DEBRIS_LINES = re.compile(
    r"^(?:(?:necessary|statistics|marketing|functional|preference)\s+cookies|accept(?:\s+all)?(?:\s+cookies)?|"
    r"reject(?:\s+all)?|cookie\s+settings|search|advanced\s+search|menu|share|print|back|"
    r"skip to (?:main )?content|(?:last\s+)?updated\s+on\b.*|photo(?:s)?\s+by\b.*|©.*|copyright\b.*)$",
    re.I,
)
_LIST_STYLE = re.compile(r"list-style(?:-type)?\s*:\s*([a-z-]+)", re.I)


@dataclass
class HtmlPage:
    """What the page holds as a document."""

    text: str
    title: str | None
    blocks: tuple[TextBlock, ...]
    warnings: list[str] = field(default_factory=list)


def _attr_text(node: LexborNode) -> str:
    attrs = node.attributes
    return " ".join(v for k, v in attrs.items() if k in ("id", "class", "role", "aria-label") and v)


def _is_debris(node: LexborNode) -> bool:
    attrs = node.attributes
    role = (attrs.get("role") or "").lower()
    if role in _DEBRIS_ROLES:
        return True
    if attrs.get("aria-hidden") == "true" or "hidden" in attrs:
        return True
    style = (attrs.get("style") or "").replace(" ", "").lower()
    if "display:none" in style or "visibility:hidden" in style:
        return True
    words = _attr_text(node)
    return bool(words) and bool(_DEBRIS.search(words)) and not _FOOTNOTES.search(words)


def _text_length(node: LexborNode) -> int:
    return len(_WS.sub(" ", node.text(deep=True, separator=" ")).strip())


def _main_container(tree: LexborHTMLParser) -> LexborNode | None:
    for selector in ("article", "main", '[role="main"]', "#content", "#main-content", ".content", "#main"):
        nodes = [n for n in tree.css(selector) if not _is_debris(n) or n.tag in ("article", "main")]
        if nodes:
            best = max(nodes, key=_text_length)
            if _text_length(best) >= 200:
                return best
    body = tree.body
    if body is None:
        return None
    best, best_score = body, 0
    for node in body.css("div, section, td"):
        score = sum(_text_length(c) for c in node.iter() if c.tag in ("p", "li", "h1", "h2", "h3", "blockquote"))
        if score > best_score:
            best, best_score = node, score
    total = _text_length(body)
    return best if best_score >= 0.3 * total else body


def _clean_title(value: str | None, site: str | None) -> str | None:
    if not value:
        return None
    title = _WS.sub(" ", value).strip()
    parts = _SITE_SEPARATORS.split(title)
    if site and len(parts) > 1:
        kept = [p for p in parts if p.strip().lower() != site.strip().lower()]
        if kept and len(kept) < len(parts):
            title = " | ".join(kept).strip()
    if not title or (site and title.lower() == site.strip().lower()) or _DEBRIS_TITLES.match(title):
        return None
    return title


def _title(tree: LexborHTMLParser, container: LexborNode | None) -> str | None:
    site_node = tree.css_first('meta[property="og:site_name"]')
    site = site_node.attributes.get("content") if site_node is not None else None
    candidates: list[str | None] = []
    og = tree.css_first('meta[property="og:title"]')
    if og is not None:
        candidates.append(og.attributes.get("content"))
    head_title = tree.css_first("head title") or tree.css_first("title")
    if head_title is not None:
        candidates.append(head_title.text(deep=True))
    if container is not None:
        heading = container.css_first("h1") or container.css_first("h2")
        if heading is not None:
            candidates.append(heading.text(deep=True))
    for candidate in candidates:
        title = _clean_title(candidate, site)
        if title:
            return title
    return None


class _Writer:
    """Accumulates the inline text of the block being read, and writes finished blocks."""

    def __init__(self) -> None:
        self.out = CanonicalTextWriter()
        self.current: list[str] = []
        self.kind: BlockKind = "paragraph"
        self.level = 0
        self.prefix = ""

    def text(self, s: str) -> None:
        self.current.append(s)

    def flush(self) -> None:
        raw = "".join(self.current)
        self.current = []
        lines = [_WS.sub(" ", line).strip() for line in raw.split("\n")]
        text = "\n".join(line for line in lines if line)
        if text and not _DEBRIS_LINES.match(text):
            self.out.add(self.prefix + text, self.kind, level=self.level)
            self.prefix = ""

    def start(self, kind: BlockKind, level: int = 0, prefix: str = "") -> None:
        self.flush()
        self.kind, self.level, self.prefix = kind, level, prefix


@dataclass
class _List:
    ordered: bool
    style: str
    number: int
    step: int
    level: int


@dataclass
class _Frame:
    node: LexborNode
    children: object
    restore: tuple[BlockKind, int] | None = None
    list_ctx: _List | None = None
    is_list: bool = False


def read_html(content: str, limits: ReadLimits = DEFAULT_LIMITS) -> HtmlPage:
    """The page's main text as canonical blocks, its title, and warnings."""
    tree = LexborHTMLParser(content)
    _check_depth(tree, limits)
    container = _main_container(tree)
    if container is None:
        raise NoDocumentContent("HTML page without a body")
    title = _title(tree, container)
    total = _text_length(container)
    writer = _Writer()
    _walk(container, writer, total, limits)
    writer.flush()
    text, blocks = writer.out.result()
    if not text.strip():
        raise NoDocumentContent("HTML page with no main text (only navigation, scripts or banners)")
    limits.check_text(len(text))
    return HtmlPage(text=text, title=title, blocks=blocks)


def _check_depth(tree: LexborHTMLParser, limits: ReadLimits) -> None:
    """Refuse a page nested deeper than the limit anywhere (measured without recursion, element by element)."""
    node = tree.root
    depth = 0
    while node is not None:
        child = node.child
        if child is not None:
            node = child
            depth += 1
            if depth > limits.max_nesting_depth:
                limits.check_depth(depth, "the HTML page")
            continue
        while node is not None and node.next is None:
            node = node.parent
            depth -= 1
        if node is not None:
            node = node.next


def _walk(root: LexborNode, out: _Writer, total: int, limits: ReadLimits) -> None:
    """Depth-first over the container with an explicit stack, so deep markup cannot exhaust recursion."""
    keep_header = root.tag == "article"
    lists: list[_List] = []
    stack: list[_Frame] = [_Frame(root, iter(root.iter(include_text=True)))]
    footnote_depth: int | None = None
    layout_tables: dict[int, bool] = {}
    pre_depth: int | None = None
    while stack:
        frame = stack[-1]
        child: LexborNode | None = next(frame.children, None)  # type: ignore[call-overload]
        if child is None:
            stack.pop()
            node = frame.node
            if frame.is_list:
                lists.pop()
            if node.tag in _BLOCK_TAGS or node.tag in _HEADINGS or node.tag in ("li", "tr", "table"):
                out.flush()
                if frame.restore is not None:
                    out.kind, out.level = frame.restore
            if pre_depth is not None and len(stack) < pre_depth:
                pre_depth = None
            if footnote_depth is not None and len(stack) < footnote_depth:
                footnote_depth = None
                out.flush()
                out.kind = "paragraph"
            continue
        tag = child.tag
        if tag == "-text":
            raw = child.text_content or ""
            out.text(raw if pre_depth is not None else _WS.sub(" ", raw))  # newlines are spaces outside <pre>
            continue
        if tag is None or tag.startswith("-") or tag in _DROP_TAGS:
            continue
        if tag == "footer" or (tag == "header" and not keep_header):
            continue
        if _is_debris(child) and _text_length(child) < 0.5 * total:
            continue
        if tag == "br":
            out.text("\n")
            continue
        if len(stack) + 1 > limits.max_nesting_depth:
            limits.check_depth(len(stack) + 1, "the HTML page")
        new = _Frame(child, iter(child.iter(include_text=True)))
        if footnote_depth is None and _FOOTNOTES.search(_attr_text(child)):
            out.start("footnote")
            footnote_depth = len(stack) + 1
        if tag in _HEADINGS:
            new.restore = (out.kind, out.level)
            out.start("heading", _HEADINGS[tag])
        elif tag in ("ul", "ol"):
            out.flush()
            lists.append(_list_context(child, len(lists)))
            new.is_list = True
        elif tag == "li":
            ctx = lists[-1] if lists else _List(False, "bullet", 1, 1, 0)
            value = child.attributes.get("value")
            if value is not None and value.strip().lstrip("-").isdigit():
                ctx.number = int(value)
            new.restore = (out.kind, out.level)
            out.start("item", ctx.level, _marker(ctx) + " ")
            ctx.number += ctx.step
        elif tag == "tr" and not _in_layout_table(child, layout_tables):
            out.flush()
            cells = [_WS.sub(" ", c.text(deep=True, separator=" ")).strip() for c in child.css("td, th")]
            if any(cells):
                out.out.add("| " + " | ".join(cells) + " |", "table")
            continue
        elif tag == "table" and _is_layout_table(child):
            tag = "div"  # a table that lays out the page: read its cells as blocks
        elif tag in _BLOCK_TAGS:
            out.flush()
            if out.kind == "item" and not out.prefix:
                new.restore = (out.kind, out.level)
                out.kind = "paragraph"  # a second paragraph inside a list item
            if tag == "pre" and pre_depth is None:
                pre_depth = len(stack) + 1
        stack.append(new)


def _in_layout_table(row: LexborNode, cache: dict[int, bool]) -> bool:
    table = row.parent
    while table is not None and table.tag != "table":
        table = table.parent
    if table is None:
        return False
    key = table.mem_id
    if key not in cache:
        cache[key] = _is_layout_table(table)
    return cache[key]


def _is_layout_table(table: LexborNode) -> bool:
    for cell in table.css("td, th"):
        if cell.css_first("p, div, ul, ol, h1, h2, h3, table") is not None or _text_length(cell) > 300:
            return True
    return False


def _list_context(node: LexborNode, depth: int) -> _List:
    attrs = node.attributes
    ordered = node.tag == "ol"
    style = "decimal" if ordered else "bullet"
    kind = (attrs.get("type") or "").strip()
    css = _LIST_STYLE.search(attrs.get("style") or "")
    if css:
        style = {
            "lower-alpha": "lower-alpha",
            "lower-latin": "lower-alpha",
            "upper-alpha": "upper-alpha",
            "upper-latin": "upper-alpha",
            "lower-roman": "lower-roman",
            "upper-roman": "upper-roman",
            "decimal": "decimal",
            "none": "none",
        }.get(css.group(1).lower(), style)
    elif ordered and kind:
        style = {"a": "lower-alpha", "A": "upper-alpha", "i": "lower-roman", "I": "upper-roman"}.get(kind, "decimal")
    if not ordered and style not in ("none",):
        style = "bullet"
    reversed_ = "reversed" in attrs
    try:
        start = int(attrs.get("start") or 0)
    except ValueError:
        start = 0
    if not start:
        start = len([li for li in node.iter() if li.tag == "li"]) if reversed_ else 1
    return _List(ordered, style, start, -1 if reversed_ else 1, depth)


def _marker(ctx: _List) -> str:
    if ctx.style == "bullet":
        return "-"
    if ctx.style == "none":
        return ""
    return format_number(ctx.number, ctx.style) + "."


def format_number(n: int, style: str) -> str:
    """A list counter in a numbering style: decimal, lower/upper-alpha (CSS: z, aa, ab), lower/upper-letter
    (Word: z, aa, bb), lower/upper-roman."""
    if style in ("lower-letter", "upper-letter"):
        value = max(n, 1)
        letters = chr(ord("a") + (value - 1) % 26) * ((value - 1) // 26 + 1)
        return letters.upper() if style == "upper-letter" else letters
    if style in ("lower-alpha", "upper-alpha"):
        letters = ""
        value = max(n, 1)
        while value:
            value, rem = divmod(value - 1, 26)
            letters = chr(ord("a") + rem) + letters
        return letters.upper() if style == "upper-alpha" else letters
    if style in ("lower-roman", "upper-roman"):
        numeral = roman(n)
        return numeral.upper() if style == "upper-roman" else numeral
    return str(n)


def roman(n: int) -> str:
    out = ""
    for value, numeral in (
        (1000, "m"),
        (900, "cm"),
        (500, "d"),
        (400, "cd"),
        (100, "c"),
        (90, "xc"),
        (50, "l"),
        (40, "xl"),
        (10, "x"),
        (9, "ix"),
        (5, "v"),
        (4, "iv"),
        (1, "i"),
    ):
        while n >= value:
            out += numeral
            n -= value
    return out
