"""Bounds on reading a document, so a small upload cannot make a reader inflate, nest or page without end.

The upload size is bounded at the door (`max_document_bytes`); these bound what the bytes expand to.
Defaults are far above any real resolution or bundle (the NATO PA bundle: 24 pages, 74 KB of text,
nesting depth 12) and far below what would hurt the service.
"""

from __future__ import annotations

from dataclasses import dataclass

from resolute.ingest.formats.errors import DocumentTooDeep, DocumentTooLarge

MIB = 1024 * 1024


@dataclass(frozen=True, slots=True)
class ReadLimits:
    """What a reader may expand the upload to before it refuses it."""

    max_pages: int = 2000
    max_decompressed_bytes: int = 200 * MIB
    max_compression_ratio: int = 100
    ratio_allowance_bytes: int = 10 * MIB
    max_text_chars: int = 10_000_000
    max_nesting_depth: int = 256

    def check_pages(self, pages: int) -> None:
        if pages > self.max_pages:
            raise DocumentTooLarge(f"the PDF has {pages} pages; at most {self.max_pages} are read", limit="max_pages")

    def decompressed_budget(self, compressed_bytes: int) -> int:
        """Bytes the compressed parts of a `compressed_bytes` file may inflate to in all."""
        by_ratio = max(self.ratio_allowance_bytes, self.max_compression_ratio * compressed_bytes)
        return min(self.max_decompressed_bytes, by_ratio)

    def refuse_decompressed(self, what: str, compressed_bytes: int) -> DocumentTooLarge:
        budget = self.decompressed_budget(compressed_bytes)
        return DocumentTooLarge(
            f"{what} inflates to more than {_size(budget)} (a decompression bomb?); refused before reading",
            limit="max_decompressed_bytes" if budget == self.max_decompressed_bytes else "max_compression_ratio",
        )

    def check_text(self, chars: int) -> None:
        if chars > self.max_text_chars:
            raise DocumentTooLarge(
                f"the document holds more than {self.max_text_chars:,} characters of text", limit="max_text_chars"
            )

    def check_depth(self, depth: int, what: str) -> None:
        if depth > self.max_nesting_depth:
            raise DocumentTooDeep(
                f"{what} is nested more than {self.max_nesting_depth} levels deep", limit="max_nesting_depth"
            )


def _size(n: int) -> str:
    return f"{n / MIB:.0f} MiB" if n >= MIB else f"{n:,} bytes"


DEFAULT_LIMITS = ReadLimits()
