"""Why PDFium: positioned glyphs with sizes from pdfplumber, pdfminer.six and pypdfium2 on the same PDFs.

The reader needs every glyph's box, font size and weight. This times getting exactly that from each
library, each in a fresh process (so peak RSS is its own), on the layout zoo's renderings of a 20 KB
resolution and of the NATO PA bundle, and on the bundle repeated to about 100 pages. Only pypdfium2 is a
dependency of the project; the other two are installed for the run alone:

    .tools/bin/uv run --no-project --with pdfplumber==0.11.10 --with pypdfium2==5.15.2 --with fpdf2==2.8.9 \\
        --with-editable services/ingest --with-editable shared python benchmarks/pdf_libraries.py

Prints one line per library and PDF: pages, glyphs, milliseconds, pages/s and peak RSS.
"""

from __future__ import annotations

import ctypes
import io
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
LIBRARIES = ("pdfplumber", "pdfminer.six", "pypdfium2")


def _glyphs(library: str, data: bytes) -> tuple[int, int]:
    pages = glyphs = 0
    if library == "pdfplumber":
        import pdfplumber

        with pdfplumber.open(io.BytesIO(data)) as pdf:
            for page in pdf.pages:
                for c in page.chars:
                    _ = (c["text"], c["x0"], c["top"], c["x1"], c["bottom"], c["size"], c["fontname"])
                    glyphs += 1
                page.close()
                pages += 1
    elif library == "pdfminer.six":
        from pdfminer.high_level import extract_pages
        from pdfminer.layout import LTChar

        for layout in extract_pages(io.BytesIO(data), laparams=None):
            pages += 1
            stack = [layout]
            while stack:
                item = stack.pop()
                if isinstance(item, LTChar):
                    _ = (item.get_text(), item.x0, item.y0, item.x1, item.y1, item.size, item.fontname)
                    glyphs += 1
                elif hasattr(item, "__iter__"):
                    stack.extend(item)
    else:
        import pypdfium2 as pdfium
        import pypdfium2.raw as raw

        document = pdfium.PdfDocument(data)
        rect = raw.FS_RECTF()
        for index in range(len(document)):
            page = document[index]
            textpage = page.get_textpage()
            for i in range(raw.FPDFText_CountChars(textpage.raw)):
                raw.FPDFText_GetUnicode(textpage.raw, i)
                raw.FPDFText_GetLooseCharBox(textpage.raw, i, ctypes.byref(rect))
                raw.FPDFText_GetFontSize(textpage.raw, i)
                raw.FPDFText_GetFontWeight(textpage.raw, i)
                glyphs += 1
            textpage.close()
            page.close()
            pages += 1
        document.close()
    return pages, glyphs


def _child(library: str, path: str) -> None:
    data = Path(path).read_bytes()
    started = time.perf_counter()
    pages, glyphs = _glyphs(library, data)
    seconds = time.perf_counter() - started
    print(f"{pages} {glyphs} {seconds} {_peak_mib()}")


def _peak_mib() -> float:
    """This process's peak RSS: VmHWM (ru_maxrss would carry the parent's peak over the exec)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> None:
    if len(sys.argv) == 4 and sys.argv[1] == "--child":
        _child(sys.argv[2], sys.argv[3])
        return
    from resolute.ingest.testing.renderings import render

    resolution = (ROOT / "corpus" / "ba-44th-session-resolution-2025.txt").read_text(encoding="utf-8")
    bundle = (ROOT / "corpus" / "nato-pa-policy-recommendations-2025.md").read_text(encoding="utf-8")
    samples = {
        "resolution": render(resolution, "pdf"),
        "bundle": render(bundle, "pdf"),
        "bundle x3": render("\n\n---\n\n".join([bundle] * 3), "pdf"),
    }
    print(f"{'library':<14} {'pdf':<11} {'pages':>5} {'glyphs':>7} {'ms':>7} {'pages/s':>8} {'peak MiB':>9}")
    for name, data in samples.items():
        with tempfile.NamedTemporaryFile(suffix=".pdf") as handle:
            handle.write(data)
            handle.flush()
            for library in LIBRARIES:
                out = subprocess.run(
                    [sys.executable, __file__, "--child", library, handle.name],
                    check=True,
                    capture_output=True,
                    text=True,
                ).stdout.split()
                pages, glyphs, seconds, peak = int(out[0]), int(out[1]), float(out[2]), float(out[3])
                print(
                    f"{library:<14} {name:<11} {pages:5d} {glyphs:7d} {seconds * 1000:7.0f} "
                    f"{pages / seconds:8.1f} {peak:9.0f}"
                )


if __name__ == "__main__":
    main()
