"""Large axial point groups (rings, macrocycles, nanotubes): where the time goes.

For D{n}h, n = 12, 24, 60, 120, 240, 1000, prints

  * ``sbs full`` and ``sbs partial`` as a user runs them (a fresh CLI process
    each, GAP start included), skipping partial runs that exceed --limit;
  * inside one warm session: registration (normalizer), full breaking,
    the subgroup classes (partial breaking) and their naming;
  * the goals of issue #12: full D120h within 3x of full D12h, partial D60h
    under 10 s, full D1000h under a minute.

Run: .venv/bin/python bench/axial.py [--ns 12,24,60] [--limit 120]
"""
from __future__ import annotations

import argparse
import subprocess
import sys
import time
from pathlib import Path

from sbs_gap import breaking
from sbs_gap.gap import GapSession

REPO = Path(__file__).resolve().parent.parent


def cli_seconds(*args: str, limit: float) -> float | None:
    start = time.perf_counter()
    try:
        out = subprocess.run([sys.executable, "-m", "sbs_gap.cli", *args, "--json"],
                             capture_output=True, text=True, timeout=limit, cwd=REPO)
    except subprocess.TimeoutExpired:
        return None
    if out.returncode != 0:
        raise SystemExit(f"sbs {' '.join(args)} failed: {out.stderr}")
    return time.perf_counter() - start


def warm_seconds(name: str, with_classes: bool) -> dict:
    times = {}
    with GapSession() as session:
        session.start()
        t = time.perf_counter()
        breaking.point_group_structure(name, session=session)
        times["register"] = time.perf_counter() - t
        t = time.perf_counter()
        breaking.point_group_full(name, session=session)
        times["full"] = time.perf_counter() - t
        if with_classes:
            t = time.perf_counter()
            rows = breaking.point_group_partial(name, session=session)
            times["partial"] = time.perf_counter() - t
            times["classes"] = len(rows)
    return times


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--ns", default="12,24,60,120,240,1000")
    parser.add_argument("--limit", type=float, default=120.0,
                        help="seconds before a CLI run is given up (default 120)")
    args = parser.parse_args()
    ns = [int(x) for x in args.ns.split(",")]
    print(f"{'group':8s} {'full CLI':>9s} {'partial CLI':>12s} {'register':>9s} {'full':>7s} "
          f"{'partial':>8s} {'classes':>8s}   (seconds, this machine)")
    results = {}
    for n in ns:
        name = f"D{n}h"
        full = cli_seconds("full", name, limit=args.limit)
        partial = cli_seconds("partial", name, limit=args.limit) if n <= 240 else None
        warm = warm_seconds(name, with_classes=partial is not None)
        results[n] = (full, partial)

        def show(x, width):
            return f"{x:{width}.2f}" if isinstance(x, float) else f"{'-':>{width}s}"
        print(f"{name:8s} {show(full, 9)} {show(partial, 12)} {show(warm['register'], 9)} "
              f"{show(warm['full'], 7)} {show(warm.get('partial'), 8)} "
              f"{warm.get('classes', '-'):>8}", flush=True)
    if 12 in results and 120 in results:
        ratio = results[120][0] / results[12][0]
        print(f"goal: full D120h within 3x of full D12h: {ratio:.2f}x")
    if 60 in results and results[60][1] is not None:
        print(f"goal: partial D60h under 10 s: {results[60][1]:.2f} s")
    if 1000 in results and results[1000][0] is not None:
        print(f"goal: full D1000h under 60 s: {results[1000][0]:.2f} s")


if __name__ == "__main__":
    main()
