"""What every benchmark prints first: the machine's load, and whether its figures can be trusted.

A figure taken while other work shares the cores measures the sharing, not the code. Each script calls
`quiet_or_warn()` before it measures and again after: a load average above the core count is printed beside
the figures as a warning (or, with `--strict`, refuses to report them).
"""

from __future__ import annotations

import os
import sys


def load_line() -> tuple[str, bool]:
    """ "load 0.42 0.61 0.80 on 2 cores" and whether the 1-minute load is at most the core count."""
    one, five, fifteen = os.getloadavg()
    cores = os.cpu_count() or 1
    return f"load {one:.2f} {five:.2f} {fifteen:.2f} on {cores} cores", one <= cores


def quiet_or_warn(strict: bool = False, when: str = "at start") -> bool:
    """Print the load; False (or exit 3 when strict) if the machine is too busy for honest figures."""
    line, quiet = load_line()
    if quiet:
        print(f"machine {when}: {line}")
        return True
    message = f"machine {when}: {line} -- busier than its cores: the figures below are NOT from a quiet machine"
    if strict:
        print(message + "; refusing to report (drop --strict to see them anyway)", file=sys.stderr)
        raise SystemExit(3)
    print(message)
    return False
