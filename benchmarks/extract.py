"""Extraction speed: the 20 KB resolution's latency, and throughput over the corpus as text and as PDF.

Run from the repository root:  .venv/bin/python benchmarks/extract.py [--runs 200] [--strict] [--zoo]

Prints the machine's load first (see benchmarks/machine.py; --strict refuses to report from a busy
machine), then:
- the 44th-session Baltic Assembly resolution (20 KB, 91 commitments): median, p95 and minimum time to
  extract it (target: at most 10 ms median); every run sees the text as new (the caches of keyword scores
  and of section areas are cleared first, as they would be cold for a document the service never read);
- throughput over the corpus as uploaded (text and Markdown: read + extract), in documents/s and MB/s
  (target: at least 2 MB/s);
- throughput over the same texts rendered as laid-out PDFs (resolute.ingest.testing.renderings): read the
  PDF (layout, bomb checks) and extract, in MB/s of PDF and pages/s;
- with --zoo, how every gold set scores (corpus, the tuning zoo, the blind held-out zoo).

The memory of reading a 200-page PDF bundle is measured by benchmarks/read.py. Timings are measured here,
never asserted in tests.
"""

from __future__ import annotations

import argparse
import statistics
import time
from pathlib import Path

from machine import quiet_or_warn

from resolute.ingest.extraction import extract_documents
from resolute.ingest.extraction.policy_areas import clear_caches
from resolute.ingest.formats import read_document
from resolute.ingest.testing.renderings import render
from resolute.shared.actors import default_registry

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "corpus"
RESOLUTION = CORPUS / "ba-44th-session-resolution-2025.txt"
ZOO = ROOT / "services" / "ingest" / "tests" / "zoo"


def _documents() -> list[Path]:
    return sorted(p for p in CORPUS.iterdir() if p.suffix in (".txt", ".md") and p.name != "README.md")


def _read_and_extract(name: str, content: bytes) -> int:
    document = read_document(content, filename=name)
    docs = extract_documents(document.text, source=name, title_hint=document.title, blocks=document.blocks)
    return len(docs)


def _passes(files: list[tuple[str, bytes]], passes: int) -> tuple[float, int]:
    """Median seconds per pass over every file, and the documents a pass yields."""
    documents = sum(_read_and_extract(n, c) for n, c in files)  # warm: patterns compiled once per process
    durations = []
    for _ in range(passes):
        clear_caches()
        t0 = time.perf_counter()
        for name, content in files:
            _read_and_extract(name, content)
        durations.append(time.perf_counter() - t0)
    return statistics.median(durations), documents


def _latency(runs: int) -> None:
    text = RESOLUTION.read_text(encoding="utf-8")
    extract_documents(text, source=RESOLUTION.name)
    timings: list[float] = []
    for _ in range(runs):
        clear_caches()
        t0 = time.perf_counter()
        (doc,) = extract_documents(text, source=RESOLUTION.name)
        timings.append(time.perf_counter() - t0)
    timings.sort()
    p95 = timings[min(len(timings) - 1, int(len(timings) * 0.95))]
    print(f"{RESOLUTION.name} ({len(text.encode()) / 1024:.1f} KiB, {len(doc.commitments)} commitments):")
    print(
        f"  median {statistics.median(timings) * 1000:.2f} ms, p95 {p95 * 1000:.2f} ms, "
        f"min {timings[0] * 1000:.2f} ms over {runs} runs (target: median <= 10 ms)"
    )


def _throughput(passes: int) -> None:
    import pypdfium2 as pdfium

    texts = [(p.name, p.read_bytes()) for p in _documents()]
    _report("corpus as text", texts, passes, "", target="; target >= 2 MB/s")
    pdfs = [(p.stem + ".pdf", render(p.read_text(encoding="utf-8"), "pdf")) for p in _documents()]
    pages = sum(len(pdfium.PdfDocument(c)) for _, c in pdfs)
    _report("corpus as laid-out PDF", pdfs, passes, " of PDF", pages=pages)


def _report(
    label: str, files: list[tuple[str, bytes]], passes: int, unit: str, pages: int = 0, target: str = ""
) -> None:
    per_pass, documents = _passes(files, passes)
    size = sum(len(c) for _, c in files)
    in_pages = f", {pages} pages" if pages else ""
    print(f"{label}: {len(files)} files{in_pages}, {documents} documents, {size / 1024:.1f} KiB")
    rate = f", {pages / per_pass:.1f} pages/s" if pages else ""
    print(
        f"  {documents / per_pass:.1f} docs/s{rate}, {size / per_pass / 1_000_000:.2f} MB/s{unit} "
        f"(median of {passes} passes{target})"
    )


def _zoo() -> None:
    from resolute.ingest.testing.scoring import score_directory

    for name, directory in (("corpus", CORPUS), ("tuning zoo", ZOO), ("blind held-out zoo", ZOO / "heldout")):
        print(f"{name}: {score_directory(directory).summary()}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=200, help="timed runs of the 20 KB resolution")
    parser.add_argument("--strict", action="store_true", help="refuse to report from a busy machine")
    parser.add_argument("--zoo", action="store_true", help="also score every gold set")
    args = parser.parse_args()
    quiet_or_warn(args.strict)
    default_registry()  # parsed once, as a running service would
    _latency(args.runs)
    _throughput(max(5, args.runs // 20))
    if args.zoo:
        _zoo()
    quiet_or_warn(args.strict, when="at the end")


if __name__ == "__main__":
    main()
