"""Space-group objects (issue #15): ``sbs objects`` on space groups.

Prints

  * cold CLI calls (a fresh process each, GAP start included), best of
    --repeat: ``sbs objects Oh --to C4v`` for reference, then Pm-3m to P4mm
    (uniform), Fm-3m (two classes of markers) and I4/mcm (the SrTiO3 tilts);
  * in one warm session, the verified set of every listed class (t-subgroups
    and maximal k-subgroups) of the groups (default every tenth type; --groups
    all for the 230): counts by kind, the most markers per cell of L, the
    slowest sets.

Run: .venv/bin/python bench/space_objects.py [--groups all|SG1,SG221] [--repeat 3]
"""
from __future__ import annotations

import argparse
import time
from collections import Counter

from spacegroups import cli_seconds  # bench/spacegroups.py (this folder is on the path)

from sbs_gap import breaking
from sbs_gap.gap import GapSession
from sbs_gap.objects import space_symmetry_breaking_set


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--groups", default=None,
                        help="'all', or comma-separated (default: every tenth type)")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    if args.groups == "all":
        names = [f"SG{n}" for n in range(1, 231)]
    elif args.groups:
        names = args.groups.split(",")
    else:
        names = [f"SG{n}" for n in range(1, 231, 10)]

    reference = cli_seconds("objects", "Oh", "--to", "C4v", repeat=args.repeat)
    print(f"cold CLI: sbs objects Oh --to C4v {reference:.2f} s")
    for target in ("P4mm", "Fm-3m", "I4/mcm [a-b,a+b,2c; 0,0,0]"):
        t = cli_seconds("objects", "Pm-3m", "--to", target, repeat=args.repeat)
        print(f"cold CLI: sbs objects Pm-3m --to '{target}' {t:.2f} s ({t / reference:.2f}x)")

    rows, kinds, markers = [], Counter(), 0
    start = time.perf_counter()
    with GapSession() as session:
        session.start()
        for name in names:
            for cls in breaking.space_subgroup_classes(name, session=session):
                t0 = time.perf_counter()
                sbs = space_symmetry_breaking_set(name, cls, session=session)
                rows.append((time.perf_counter() - t0, name, cls.name, sbs.kind, sbs.size))
                kinds[(sbs.kind, sbs.continuous)] += 1
                if sbs.kind == "markers":
                    markers = max(markers, len(sbs.objects[0].positions))
    total = time.perf_counter() - start
    print(f"\nwarm session, {len(names)} groups, {len(rows)} classes: {total:.1f} s in all "
          f"(every set verified)")
    for (kind, continuous), n in sorted(kinds.items()):
        print(f"  {kind}{' (continuous)' if continuous else ''}: {n}")
    print(f"  most markers per cell of L: {markers}")
    print(f"{'seconds':>8}  group  class")
    for r in sorted(rows, reverse=True)[:8]:
        print(f"{r[0]:8.2f}  {r[1]:6} {r[2]}  {r[3]} {r[4]}")


if __name__ == "__main__":
    main()
