"""Ingest's own metrics (names agreed with ops): documents by format and outcome, commitments, extraction time."""

from __future__ import annotations

from typing import Literal

from prometheus_client import Counter, Histogram

DocumentOutcome = Literal[
    "processed",  # stored and published (a new version included)
    "duplicate",  # the same bytes were stored before: answered with that document
    "unsupported",  # 415: not a format Resolute reads
    "unreadable",  # 422: empty, no text layer, no document in the page, damaged
    "too_large",  # 413
    "invalid",  # 4xx: a malformed request (fields, JSON, a `supersedes` that cannot be honoured)
    "failed",  # 5xx: our fault; logged
]

DOCUMENTS = Counter(
    "resolute_ingest_documents_total",
    "Uploads by detected format (unknown when it could not be told) and outcome",
    ["format", "outcome"],
)
COMMITMENTS_EXTRACTED = Counter(
    "resolute_ingest_commitments_extracted_total", "Commitments stored and published from processed documents"
)
EXTRACTION_SECONDS = Histogram(
    "resolute_ingest_extraction_seconds",
    "Time to read a document's format and extract its commitments",
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10),
)


def count_document(format_label: str, outcome: DocumentOutcome) -> None:
    DOCUMENTS.labels(format_label, outcome).inc()
