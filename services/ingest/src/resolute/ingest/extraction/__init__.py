"""Skeleton extraction: every "- to ..." line item is a commitment addressed to the Baltic states."""

from __future__ import annotations

import re

from resolute.ingest.extraction.models import ExtractedCommitment, ExtractedDocument

_ITEM = re.compile(r"^[-\u2013]\s+(to .+?)[;.]?\s*$", re.MULTILINE)


def extract_documents(text: str, *, source: str, title_hint: str | None = None) -> list[ExtractedDocument]:
    commitments = [
        ExtractedCommitment(
            text=" ".join(m.group(1).split()),
            span=(m.start(1), m.end(1)),
            countries=["EE", "LV", "LT"],
            bodies=["Baltic Council of Ministers"],
        )
        for m in _ITEM.finditer(text)
    ]
    title = title_hint or next((line.strip() for line in text.splitlines() if line.strip()), None)
    return [ExtractedDocument(source=source, title=title, kind="resolution", commitments=commitments)]
