"""Extraction throughput over the corpus, and the latency of one 20 KB resolution.

Run from the repository root:  .venv/bin/python benchmarks/extract.py [--runs 200]

Prints docs/s and MB/s for reading + extracting every corpus document (text,
Markdown) and the median, p95 and minimum time to extract the 44th-session
Baltic Assembly resolution (target: well under 50 ms). Every timed run sees the
text as new: the per-text keyword cache is cleared first, as it would be cold
for a document the service has never read. Timings are measured here, never
asserted in tests.
"""

from __future__ import annotations

import argparse
import statistics
import time
from pathlib import Path

from resolute.ingest.extraction import extract_documents
from resolute.ingest.extraction.policy_areas import area_scores
from resolute.ingest.formats import read_document
from resolute.shared.actors import default_registry

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "corpus"
RESOLUTION = CORPUS / "ba-44th-session-resolution-2025.txt"


def _documents() -> list[Path]:
    return sorted(p for p in CORPUS.iterdir() if p.suffix in (".txt", ".md") and p.name != "README.md")


def _extract_file(path: Path, content: bytes) -> int:
    document = read_document(content, filename=path.name)
    return len(extract_documents(document.text, source=str(path), title_hint=document.title))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=200, help="timed runs per measurement")
    args = parser.parse_args()

    default_registry()  # parse the registry once, as a running service would
    files = [(p, p.read_bytes()) for p in _documents()]
    started = time.perf_counter()
    first_documents = sum(_extract_file(p, c) for p, c in files)
    cold = time.perf_counter() - started

    total_bytes = sum(len(c) for _, c in files)
    durations: list[float] = []
    for _ in range(max(5, args.runs // 10)):
        area_scores.cache_clear()
        t0 = time.perf_counter()
        for path, content in files:
            _extract_file(path, content)
        durations.append(time.perf_counter() - t0)
    per_pass = statistics.median(durations)
    print(f"corpus: {len(files)} files, {first_documents} documents, {total_bytes / 1024:.1f} KiB")
    print(f"  first pass (cold, compiles patterns): {cold * 1000:.1f} ms")
    print(
        f"  throughput: {len(files) / per_pass:.1f} files/s, {first_documents / per_pass:.1f} docs/s, "
        f"{total_bytes / per_pass / 1_000_000:.2f} MB/s (median of {len(durations)} passes)"
    )

    text = RESOLUTION.read_text(encoding="utf-8")
    timings: list[float] = []
    for _ in range(args.runs):
        area_scores.cache_clear()
        t0 = time.perf_counter()
        (doc,) = extract_documents(text, source=RESOLUTION.name)
        timings.append(time.perf_counter() - t0)
    timings.sort()
    p95 = timings[min(len(timings) - 1, int(len(timings) * 0.95))]
    print(f"{RESOLUTION.name} ({len(text.encode()) / 1024:.1f} KiB, {len(doc.commitments)} commitments):")
    print(
        f"  median {statistics.median(timings) * 1000:.2f} ms, p95 {p95 * 1000:.2f} ms, "
        f"min {timings[0] * 1000:.2f} ms over {args.runs} runs (target: well under 50 ms)"
    )


if __name__ == "__main__":
    main()
