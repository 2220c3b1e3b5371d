"""How long the shipped actor registry takes to load: it is parsed at every service's start-up and by every
`resolute extract` run, so its history must not make either slow.

Run from the repository root:  .venv/bin/python benchmarks/registry.py [--runs 50]

Prints the median, p95 and minimum time of one cold parse and validation of the shipped registry (every YAML
file it is made of), the time of a fresh interpreter's `import` + first `default_registry()` call, and how many
rows of history the registry carries. Timings are measured here, never asserted in tests.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time

from resolute.shared.actors import default_registry, load_shipped_registry

_COLD_START = (
    "import time; t = time.perf_counter(); from resolute.shared.actors import default_registry; "
    "default_registry(); print(time.perf_counter() - t)"
)


def _parse_once() -> float:
    start = time.perf_counter()
    load_shipped_registry()
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=50)
    args = parser.parse_args()
    _parse_once()  # warm the imports
    times = sorted(_parse_once() for _ in range(args.runs))
    p95 = times[min(len(times) - 1, int(len(times) * 0.95))]
    print(
        f"parse + validate the shipped registry: median {statistics.median(times) * 1000:.1f} ms, "
        f"p95 {p95 * 1000:.1f} ms, min {times[0] * 1000:.1f} ms over {args.runs} runs"
    )
    colds = sorted(
        float(subprocess.run([sys.executable, "-c", _COLD_START], capture_output=True, text=True, check=True).stdout)
        for _ in range(5)
    )
    print(f"fresh interpreter, import + first default_registry(): median {statistics.median(colds) * 1000:.1f} ms")
    registry = default_registry()
    occurrences = sum(len(s.occurrences) for s in registry.series)
    memberships = sum(len(g.memberships) for g in registry.groups)
    revisions = sum(len(c.reorganisations) for c in registry.countries)
    print(
        f"registry: {len(registry.countries)} countries, {len(registry.groups)} groups, {len(registry.series)} series, "
        f"{occurrences} occurrences, {memberships} memberships, {revisions} reorganisations"
    )


if __name__ == "__main__":
    main()
