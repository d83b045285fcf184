"""Space groups (issue #13): ``sbs partial`` on space groups against point groups.

Prints

  * ``sbs partial Oh`` and ``sbs partial Pm-3m`` as a user runs them (a fresh
    CLI process each, GAP start included), best of --repeat;
  * all 230 types (or --groups) in one warm session: registration with the
    Euclidean normalizer, the subgroup classes with their names, and the
    breaking rows, per group; the slowest groups;
  * the slowest group again as a cold CLI call, and the goal: within 3x of
    ``sbs partial Oh``;
  * two large indices as cold CLI calls: Pm-3m to its 2x2x2 and 4x4x4
    supercells (|S : K| = 8 and 64).

Run: .venv/bin/python bench/spacegroups.py [--groups SG1,SG221] [--repeat 3]
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


def cli_seconds(*args: str, repeat: int) -> float:
    best = None
    for _ in range(repeat):
        start = time.perf_counter()
        out = subprocess.run([sys.executable, "-m", "sbs_gap.cli", *args, "--json"],
                             capture_output=True, text=True, cwd=REPO)
        if out.returncode != 0:
            raise SystemExit(f"sbs {' '.join(args)} failed: {out.stderr}")
        elapsed = time.perf_counter() - start
        best = elapsed if best is None else min(best, elapsed)
    return best


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--groups", default=None, help="comma-separated (default: all 230)")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    names = (args.groups.split(",") if args.groups else [f"SG{n}" for n in range(1, 231)])

    oh = cli_seconds("partial", "Oh", repeat=args.repeat)
    pm3m = cli_seconds("partial", "Pm-3m", repeat=args.repeat)
    print(f"cold CLI: sbs partial Oh {oh:.2f} s, sbs partial Pm-3m {pm3m:.2f} s "
          f"({pm3m / oh:.2f}x)")

    rows = []
    start_all = time.perf_counter()
    with GapSession() as session:
        session.start()
        for name in names:
            t0 = time.perf_counter()
            structure = breaking.space_group_structure(name, session=session)
            t1 = time.perf_counter()
            classes = breaking.space_subgroup_classes(name, session=session)
            t2 = time.perf_counter()
            breaking.space_group_partial(name, session=session)
            t3 = time.perf_counter()
            rows.append((t3 - t0, structure.group.name, len(classes), t1 - t0, t2 - t1,
                         t3 - t2))
    total = time.perf_counter() - start_all
    print(f"\nwarm session, {len(rows)} groups: {total:.1f} s in all, "
          f"{sum(r[2] for r in rows)} classes")
    print(f"{'group':12} {'classes':>7} {'register':>9} {'classes':>9} {'rows':>9} {'total':>9}")
    for r in sorted(rows, reverse=True)[:10]:
        print(f"{r[1]:12} {r[2]:7d} {r[3]:8.2f}s {r[4]:8.2f}s {r[5]:8.2f}s {r[0]:8.2f}s")
    slowest = max(rows)[1]
    cold = cli_seconds("partial", slowest, repeat=args.repeat)
    print(f"\nslowest group {slowest}: cold CLI {cold:.2f} s = {cold / oh:.2f}x sbs partial Oh "
          f"(goal: 3x); Pm-3m {pm3m / oh:.2f}x")
    # large index: F = N / L has 6144 elements (cell x 4 in every direction)
    for target in ("Pm-3m [2a,2b,2c; 0,0,0]", "Pm-3m [4a,4b,4c; 0,0,0]"):
        t = cli_seconds("partial", "Pm-3m", "--to", target, repeat=args.repeat)
        print(f"cold CLI: sbs partial Pm-3m --to '{target}' {t:.2f} s ({t / oh:.2f}x)")


if __name__ == "__main__":
    main()
