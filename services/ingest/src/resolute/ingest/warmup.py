"""Warms the readers and the extraction rules, so the first upload is not the one paying for it.

Importing the PDF, DOCX and HTML libraries, loading the actor registry and compiling the rules' patterns
take seconds; each extraction worker does it as it starts (`resolute.ingest.workers`).
"""

from __future__ import annotations

import time

SAMPLE = """RESOLUTION
of the 1st Session of the Baltic Assembly

The Baltic Assembly,

having convened for its 1st Session on 13-14 November 2025 in Riga,

calls on the parliaments and governments of the Republic of Estonia, the Republic of Latvia, and the Republic
of Lithuania, as well as the Baltic Council of Ministers:

regarding the development of a Baltic energy strategy:

- to present a regional hydrogen strategy at the 32nd Baltic Council;
- to hold annual energy security exercises;
- to report on the exercises in July 2026;
- to create a joint register of rare diseases by 2028;

urges the Allied governments and parliaments of the North Atlantic Alliance:

a. to meet the defence spending target by 2035, as agreed at the Summit in The Hague;
b. to return to the Baltic Assembly with proposals.
"""


def warm_up() -> float:
    """Read and extract a small sample in every text format; returns the seconds it took."""
    started = time.perf_counter()
    # the PDF and DOCX readers import their libraries on first use
    import docx  # noqa: F401
    import pypdfium2  # noqa: F401

    from resolute.ingest.extraction import extract_documents
    from resolute.ingest.formats import read_document

    page = "<html><body><main><p>" + SAMPLE.replace("\n\n", "</p><p>") + "</p></main></body></html>"
    for content in (SAMPLE.encode(), page.encode()):
        document = read_document(content)
        extract_documents(document.text, source="warm-up")
    return time.perf_counter() - started
