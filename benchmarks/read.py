"""Reading throughput per format on the layout zoo's renderings, and the memory of reading a 200-page PDF.

Run from the repository root:  .venv/bin/python benchmarks/read.py [--runs 5]

For every corpus text rendered as a laid-out PDF (one and two columns), DOCX and HTML page, prints the
median time to read it (format detection, bomb checks, layout, canonical text), MB/s of upload and, for
PDFs, pages/s. Then builds PDF bundles of about 50 and 200 pages (the NATO PA recommendations repeated,
laid out as secretariats publish) and reads each in a fresh process, printing its peak RSS above the
process's own baseline (imports done, the file in memory): pages are loaded and closed one at a time, so
the peak grows with the text kept, not with the pages. Figures are printed, never asserted in tests.
"""

from __future__ import annotations

import argparse
import contextlib
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from resolute.ingest.formats import read_document
from resolute.ingest.testing.renderings import RENDERINGS, render

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "corpus"
BUNDLE = CORPUS / "nato-pa-policy-recommendations-2025.md"


def _texts() -> list[Path]:
    return sorted(p for p in CORPUS.iterdir() if p.suffix in (".txt", ".md") and p.name != "README.md")


def _pages(content: bytes) -> int:
    import pypdfium2 as pdfium

    document = pdfium.PdfDocument(content)
    try:
        return len(document)
    finally:
        document.close()


def _time(content: bytes, name: str, runs: int) -> float:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        read_document(content, filename=name)
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def throughput(runs: int) -> None:
    print(f"{'document':<44} {'rendering':<9} {'KiB':>7} {'pages':>5} {'ms':>8} {'MB/s':>6} {'pages/s':>8}")
    totals: dict[str, list[float]] = {r: [0.0, 0.0, 0.0] for r in RENDERINGS}  # bytes, pages, seconds
    for path in _texts():
        text = path.read_text(encoding="utf-8")
        for rendering in RENDERINGS:
            content = render(text, rendering)
            pages = _pages(content) if rendering.startswith("pdf") else 0
            read_document(content, filename=path.name)  # warm: imports, compiled patterns
            seconds = _time(content, path.name, runs)
            total = totals[rendering]
            total[0] += len(content)
            total[1] += pages
            total[2] += seconds
            rate = f"{pages / seconds:8.1f}" if pages else f"{'':>8}"
            print(
                f"{path.name:<44} {rendering:<9} {len(content) / 1024:7.1f} {pages or '':>5} "
                f"{seconds * 1000:8.1f} {len(content) / seconds / 1e6:6.2f} {rate}"
            )
    print()
    for rendering, (size, page_count, seconds) in totals.items():
        line = f"all {rendering:<9}: {size / seconds / 1e6:.2f} MB/s"
        if page_count:
            line += f", {page_count / seconds:.1f} pages/s ({page_count:.0f} pages in {seconds * 1000:.0f} ms)"
        print(line)


def _bundle(copies: int) -> bytes:
    text = BUNDLE.read_text(encoding="utf-8")
    return render("\n\n---\n\n".join([text] * copies), "pdf")


def child_peak(path: str) -> None:
    """In a fresh process: baseline RSS with the file loaded, then the peak after reading it."""
    content = Path(path).read_bytes()
    import pypdfium2  # noqa: F401

    from resolute.ingest.formats import pdf  # noqa: F401

    _reset_peak()
    baseline = _status_kib("VmRSS")
    started = time.perf_counter()
    document = read_document(content, filename="bundle.pdf")
    seconds = time.perf_counter() - started
    peak = _status_kib("VmHWM")
    print(f"{baseline} {peak} {len(document.text)} {len(document.blocks)} {seconds}")


def _status_kib(field: str) -> int:
    """A memory figure of this process from /proc (KiB); VmHWM is the peak resident set since the last reset."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def _reset_peak() -> None:
    """Start the peak from here (Linux: writing 5 to clear_refs resets VmHWM), so imports do not count."""
    with contextlib.suppress(OSError):
        Path("/proc/self/clear_refs").write_text("5")


def memory() -> None:
    print()
    print(f"{'bundle':<10} {'pages':>5} {'MiB':>6} {'read s':>7} {'pages/s':>8} {'text KiB':>9} {'peak RSS +MiB':>14}")
    for copies in (2, 8):
        content = _bundle(copies)
        pages = _pages(content)
        with tempfile.NamedTemporaryFile(suffix=".pdf") as handle:
            handle.write(content)
            handle.flush()
            out = subprocess.run(
                [sys.executable, __file__, "--child-peak", handle.name], check=True, capture_output=True, text=True
            ).stdout.split()
        baseline, peak, chars, _, seconds = int(out[0]), int(out[1]), int(out[2]), int(out[3]), float(out[4])
        print(
            f"{'x' + str(copies):<10} {pages:5d} {len(content) / 2**20:6.2f} {seconds:7.2f} {pages / seconds:8.1f} "
            f"{chars / 1024:9.0f} {(peak - baseline) / 1024:14.1f}"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--runs", type=int, default=5, help="timed reads per rendering")
    parser.add_argument("--child-peak", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child_peak:
        child_peak(args.child_peak)
        return
    throughput(args.runs)
    memory()


if __name__ == "__main__":
    main()
