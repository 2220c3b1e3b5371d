"""Decoding text files, and telling Markdown from plain text by its markup, not its name."""

from __future__ import annotations

import codecs
import re

from resolute.ingest.formats.errors import UnsupportedFormat

_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f\x7f]")
_MARKDOWN_SIGNALS = (
    re.compile(r"^#{1,6}\s+\S", re.M),
    re.compile(r"\*\*[^*\n]+\*\*|__[^_\n]+__"),
    re.compile(r"\[[^\]\n]+\]\([^)\s]+\)"),
    re.compile(r"^\|.*\|\s*$\n^\|\s*:?-{3,}", re.M),
    re.compile(r"^(?:-{3,}|\*{3,})\s*$", re.M),
    re.compile(r"^\s*(?:[-*+]|\d+\.)\s+\S", re.M),
    re.compile(r"^>\s+\S", re.M),
    re.compile(r"`[^`\n]+`"),
)


def decode_text(content: bytes) -> tuple[str, list[str]]:
    """Text from bytes: BOM-aware, UTF-8 first, Windows-1252 as a flagged fallback; binary refused."""
    warnings: list[str] = []
    for bom, encoding in _BOMS:
        if content.startswith(bom):
            try:
                text = content[len(bom) :].decode(encoding)
            except UnicodeDecodeError as exc:
                raise UnsupportedFormat(f"text with a {encoding} byte-order mark does not decode") from exc
            _refuse_binary(text)
            return text, warnings
    if b"\x00" in content[:4096]:
        raise UnsupportedFormat("binary content (NUL bytes): not a text document")
    try:
        text = content.decode("utf-8")
    except UnicodeDecodeError:
        try:
            text = content.decode("cp1252")
        except UnicodeDecodeError as exc:
            raise UnsupportedFormat("undecodable bytes: neither UTF-8 nor Windows-1252 text") from exc
        warnings.append("not UTF-8: decoded as Windows-1252")
    _refuse_binary(text)
    return text, warnings


def _refuse_binary(text: str) -> None:
    sample = text[:8192]
    if sample and len(_CONTROL.findall(sample)) > max(8, len(sample) // 100):
        raise UnsupportedFormat("binary content (control characters): not a text document")


def markdown_score(text: str) -> int:
    """How many kinds of Markdown markup the text uses."""
    sample = text[:200_000]
    return sum(1 for p in _MARKDOWN_SIGNALS if p.search(sample))


def looks_like_markdown(text: str) -> bool:
    """Headings, emphasis, links, tables or rules: at least two kinds, or a heading and anything."""
    score = markdown_score(text)
    return score >= 3 or (score >= 2 and bool(_MARKDOWN_SIGNALS[0].search(text[:200_000])))
