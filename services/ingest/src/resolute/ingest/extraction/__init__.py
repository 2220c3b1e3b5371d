"""Commitment extraction: the pure core that turns a document's text into commitments.

No web framework, database or broker here: plain functions over strings, fast
enough to run inline on upload and offline from the CLI.
"""

from resolute.ingest.extraction.models import (
    CalendarFact,
    Deadline,
    ExtractedCommitment,
    ExtractedDocument,
    MinistryRef,
)
from resolute.ingest.extraction.pipeline import extract_documents

__all__ = [
    "CalendarFact",
    "Deadline",
    "ExtractedCommitment",
    "ExtractedDocument",
    "MinistryRef",
    "extract_documents",
]
