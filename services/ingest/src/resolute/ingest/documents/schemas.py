"""The documents API's request and response bodies: the public models in `resolute.shared.api.documents`,
so the gateway documents exactly what ingest serves."""

from __future__ import annotations

from resolute.shared.api.documents import (
    DocumentAccepted,
    DocumentFieldsIn,
    DocumentOut,
    DocumentPage,
    DocumentPart,
    DocumentSort,
    DocumentStatus,
    DocumentTextIn,
    DocumentTextOut,
)
from resolute.shared.api.documents import ExtractedCommitmentOut as CommitmentOut
from resolute.shared.api.documents import ExtractedCommitmentPage as CommitmentPage

__all__ = [
    "CommitmentOut",
    "CommitmentPage",
    "DocumentAccepted",
    "DocumentFieldsIn",
    "DocumentOut",
    "DocumentPage",
    "DocumentPart",
    "DocumentSort",
    "DocumentStatus",
    "DocumentTextIn",
    "DocumentTextOut",
]
