"""HTML pages to text: the article, without the page around it.

Official sites wrap a resolution or press release in cookie banners, menus,
headers, footers, share buttons and "last updated" lines. Those are removed, the
main content is chosen (article/main, else the densest text container) and
written out with paragraph breaks, list bullets and lettered labels kept, so the
extraction rules see the same shapes as in text files.
"""

from __future__ import annotations

import re

from selectolax.lexbor import LexborHTMLParser, LexborNode

from resolute.ingest.formats.errors import NoDocumentContent

_DROP_TAGS = (
    "script",
    "style",
    "noscript",
    "template",
    "svg",
    "iframe",
    "object",
    "embed",
    "canvas",
    "nav",
    "aside",
    "button",
    "input",
    "select",
    "textarea",
    "label",
    "dialog",
    "img",
    "picture",
    "video",
    "audio",
    "figcaption",
    "menu",
    "head",
)
_DEBRIS = re.compile(
    r"cookie|consent|gdpr|privacy-?banner|navbar|\bnav\b|navigation|menu|breadcrumb|share|sharing|social|"
    r"newsletter|subscribe|popup|pop-up|modal|skip|search|pagination|pager|toolbar|\bprint\b|login|"
    r"language|lang-switch|accessib|sidebar|related|recommended|tags?\b|rating|comments?\b|advert|\bads?\b|"
    r"banner|masthead|site-header|site-footer|page-header|page-footer|\bfooter\b|\bheader\b|top-bar|"
    r"photo-credit|caption|widget|carousel|slider|back-to-top|last-?updated|meta-?info",
    re.I,
)
_DEBRIS_ROLES = {
    "navigation",
    "banner",
    "contentinfo",
    "search",
    "complementary",
    "dialog",
    "alertdialog",
    "menu",
}
_BLOCK_TAGS = {
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
    "table",
    "tr",
    "ul",
    "ol",
    "li",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "hr",
    "header",
    "footer",
    "form",
    "fieldset",
    "figure",
    "center",
    "body",
}
_WS = re.compile(r"[ \t\r\n\f\v\u00a0]+")
_OL_LABELS = "abcdefghijklmnopqrstuvwxyz"


def _attr_text(node: LexborNode) -> str:
    attrs = node.attributes
    return " ".join(v for k, v in attrs.items() if k in ("id", "class", "role", "aria-label") and v)


def _is_debris(node: LexborNode) -> bool:
    role = (node.attributes.get("role") or "").lower()
    if role in _DEBRIS_ROLES:
        return True
    if node.attributes.get("aria-hidden") == "true" or "hidden" in node.attributes:
        return True
    style = (node.attributes.get("style") or "").replace(" ", "").lower()
    if "display:none" in style or "visibility:hidden" in style:
        return True
    text = _attr_text(node)
    return bool(text) and bool(_DEBRIS.search(text))


def _text_length(node: LexborNode) -> int:
    return len(_WS.sub(" ", node.text(deep=True, separator=" ")).strip())


def _title(tree: LexborHTMLParser) -> str | None:
    for selector, attr in (('meta[property="og:title"]', "content"), ("title", None), ("h1", None)):
        node = tree.css_first(selector)
        if node is None:
            continue
        value = node.attributes.get(attr) if attr else node.text(deep=True)
        if value and value.strip():
            return _WS.sub(" ", value).strip()
    return None


def _main_container(tree: LexborHTMLParser) -> LexborNode | None:
    for selector in ("article", "main", '[role="main"]', "#content", "#main-content", ".content", "#main"):
        nodes = tree.css(selector)
        if nodes:
            best = max(nodes, key=_text_length)
            if _text_length(best) >= 200:
                return best
    body = tree.body
    if body is None:
        return None
    # Densest container: the element whose own <p>/<li> children carry the most text.
    best, best_score = body, 0
    for node in body.css("div, section, td"):
        score = sum(_text_length(c) for c in node.iter() if c.tag in ("p", "li", "h1", "h2", "h3", "blockquote"))
        if score > best_score * 1.0 and score > 0:
            best, best_score = node, score
    total = _text_length(body)
    return best if best_score >= 0.3 * total else body


class _Writer:
    """Accumulates paragraphs from a DOM walk."""

    def __init__(self, total: int = 0, keep_header: bool = False) -> None:
        self.paragraphs: list[str] = []
        self.current: list[str] = []
        self.total = total
        self.keep_header = keep_header

    def text(self, s: str) -> None:
        self.current.append(s)

    def newline(self) -> None:
        self.current.append("\n")

    def flush(self, prefix: str = "") -> None:
        raw = "".join(self.current)
        self.current = []
        lines = [_WS.sub(" ", line).strip() for line in raw.split("\n")]
        text = "\n".join(line for line in lines if line)
        if text:
            self.paragraphs.append(prefix + text)

    def result(self) -> str:
        self.flush()
        return "\n\n".join(self.paragraphs)


def _walk(node: LexborNode, out: _Writer) -> None:
    for child in node.iter(include_text=True):
        tag = child.tag
        if tag == "-text":
            out.text(child.text_content or "")
            continue
        if tag is None or tag.startswith("-") or tag in _DROP_TAGS:
            continue
        if tag == "footer" or (tag == "header" and not out.keep_header):
            continue
        if _is_debris(child) and _text_length(child) < 0.5 * out.total:
            continue
        if tag == "br":
            out.newline()
            continue
        if tag in ("ul", "ol"):
            out.flush()
            _list(child, out)
            continue
        if tag == "tr":
            out.flush()
            cells = [_WS.sub(" ", c.text(deep=True, separator=" ")).strip() for c in child.css("td, th")]
            row = " | ".join(c for c in cells if c)
            if row:
                out.paragraphs.append(row)
            continue
        if tag in _BLOCK_TAGS:
            out.flush()
            _walk(child, out)
            out.flush()
            continue
        _walk(child, out)


def _list(node: LexborNode, out: _Writer) -> None:
    ordered = node.tag == "ol"
    kind = (node.attributes.get("type") or "1") if ordered else ""
    try:
        number = int(node.attributes.get("start") or 1)
    except ValueError:
        number = 1
    for item in node.iter():
        if item.tag != "li" or _is_debris(item):
            continue
        if not ordered:
            prefix = "- "
        elif kind == "a":
            prefix = f"{_ol_label(number)}. "
        elif kind == "A":
            prefix = f"{_ol_label(number).upper()}. "
        else:
            prefix = f"{number}. "
        inner = _Writer(out.total, out.keep_header)
        _walk(item, inner)
        text = inner.result()
        if text:
            first, _, rest = text.partition("\n\n")
            out.paragraphs.append(prefix + first)
            if rest:
                out.paragraphs.append(rest)
        number += 1


def _ol_label(n: int) -> str:
    letter = _OL_LABELS[(n - 1) % 26]
    return letter * ((n - 1) // 26 + 1)


def read_html(content: str) -> tuple[str, str | None, list[str]]:
    """The page's main text, its title, and warnings."""
    tree = LexborHTMLParser(content)
    title = _title(tree)
    container = _main_container(tree)
    if container is None:
        raise NoDocumentContent("HTML page without a body")
    writer = _Writer(total=_text_length(container), keep_header=container.tag == "article")
    _walk(container, writer)
    text = _drop_short_debris(writer.result())
    if not text.strip():
        raise NoDocumentContent("HTML page with no main text (only navigation, scripts or banners)")
    warnings: list[str] = []
    return text, title, warnings


_DEBRIS_LINES = re.compile(
    r"^(?:(?:necessary|statistics|marketing|functional|preference)\s+cookies|accept(?:\s+all)?(?:\s+cookies)?|"
    r"reject(?:\s+all)?|cookie\s+settings|search|menu|share|print|back|skip to (?:main )?content|"
    r"(?:last\s+)?updated\s+on\b.*|photo(?:s)?\s+by\b.*|©.*|copyright\b.*)$",
    re.I,
)


def _drop_short_debris(text: str) -> str:
    paragraphs = [p for p in text.split("\n\n") if not _DEBRIS_LINES.match(p.strip())]
    return "\n\n".join(paragraphs)
