"""The result of reading a document: its canonical text, the blocks it is made of, and what file it came from.

HTML, PDF and DOCX are written out as *canonical text*: one block per paragraph, list item, heading,
footnote or table row, blocks separated by one blank line, the wrapped lines of a block joined with single
spaces (a line break kept only where the source has a hard one), every list item opening with its marker as
the source numbers it ("- ", "a. ", "(a) ", "1) ", "i. "), running headers, footers and page numbers gone.
`blocks` says what each span of that text is, so later stages can tell a footnote or a heading from the
flow without guessing from the words. Plain text and Markdown keep the decoded file unchanged (spans
index the file itself) and have no blocks.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Literal

DocumentFormat = Literal["text", "markdown", "html", "pdf", "docx"]
BlockKind = Literal["heading", "paragraph", "item", "footnote", "table"]
BLOCK_SEPARATOR = "\n\n"


@dataclass(frozen=True, slots=True)
class TextBlock:
    """One block of the canonical text: `text[start:end]` is exactly its words, marker included.

    `level` is a heading's level (1 = top) or a list item's nesting depth (0 = outermost); `page` is the
    1-based PDF page the block starts on (None for formats without pages).
    """

    start: int
    end: int
    kind: BlockKind
    level: int = 0
    page: int | None = None


@dataclass(frozen=True, slots=True)
class DocumentText:
    """Text for extraction. For text and Markdown it is the decoded file, so spans index the file."""

    text: str
    format: DocumentFormat
    warnings: list[str] = field(default_factory=list)
    title: str | None = None
    blocks: tuple[TextBlock, ...] = ()


_SPACES = re.compile(r"[ \t\r\f\v\u00a0\u2000-\u200b\u202f\u205f\u3000]+")


def normalise_block_text(text: str) -> str:
    """A block's words as canonical text: spaces collapsed per line, no empty lines, no edge whitespace."""
    lines = (_SPACES.sub(" ", line).strip() for line in text.split("\n"))
    return "\n".join(line for line in lines if line)


class CanonicalTextWriter:
    """Collects blocks in reading order and writes the canonical text with exact spans."""

    def __init__(self) -> None:
        self._parts: list[str] = []
        self._blocks: list[TextBlock] = []
        self._length = 0

    def add(self, text: str, kind: BlockKind, *, level: int = 0, page: int | None = None) -> bool:
        """Append one block (whitespace normalised); False when it holds no text and was skipped."""
        words = normalise_block_text(text)
        if not words:
            return False
        if self._parts:
            self._parts.append(BLOCK_SEPARATOR)
            self._length += len(BLOCK_SEPARATOR)
        start = self._length
        self._parts.append(words)
        self._length += len(words)
        self._blocks.append(TextBlock(start, self._length, kind, level, page))
        return True

    @property
    def length(self) -> int:
        """Characters written so far, separators included."""
        return self._length

    def __len__(self) -> int:
        return len(self._blocks)

    def result(self) -> tuple[str, tuple[TextBlock, ...]]:
        return "".join(self._parts), tuple(self._blocks)
