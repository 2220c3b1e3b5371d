"""The warm-up exercises what the first upload would otherwise pay for: readers, items, deadlines."""

from __future__ import annotations

import sys

from resolute.ingest.extraction import extract_documents
from resolute.ingest.warmup import SAMPLE, warm_up


def test_the_sample_goes_through_the_resolution_rules_and_every_deadline_kind() -> None:
    (document,) = extract_documents(SAMPLE, source="warm-up")
    assert document.kind == "resolution" and len(document.commitments) == 6
    kinds = {c.deadline.kind for c in document.commitments if c.deadline}
    assert {"event", "month", "year", "recurring"} <= kinds


def test_warm_up_loads_the_format_readers() -> None:
    assert warm_up() > 0
    assert {"pypdfium2", "docx", "selectolax.lexbor"} <= set(sys.modules)
