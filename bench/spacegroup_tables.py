"""The space-group tables (issue #14): 1 and 2 local workers, and Dask.

Prints the time of the 230-type table run (``tables/spacegroups/``) with one
and with two local GAP sessions (each a fresh process, GAP start included),
the speed-up, and the slowest groups; with --scheduler, the same run on that
Dask cluster.

Run: .venv/bin/python bench/spacegroup_tables.py [--groups LIST] [--scheduler tcp://...]
"""
from __future__ import annotations

import argparse
import time

from sbs_gap.gap import GapSession
from sbs_gap.tables import compute_space_tables, space_group_rows, space_table_groups


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--groups", default=None, help="comma-separated (default: all 230)")
    parser.add_argument("--scheduler", default=None, help="also run on this Dask scheduler")
    args = parser.parse_args()
    groups = space_table_groups(args.groups.split(",") if args.groups else None)

    times = {}
    for workers in (1, 2):
        start = time.perf_counter()
        compute_space_tables(groups, workers=workers)
        times[workers] = time.perf_counter() - start
        print(f"{len(groups)} space groups, {workers} local worker(s): {times[workers]:.1f} s")
    print(f"speed-up with 2 workers: {times[1] / times[2]:.2f}x")
    if args.scheduler:
        start = time.perf_counter()
        compute_space_tables(groups, scheduler=args.scheduler)
        print(f"on {args.scheduler}: {time.perf_counter() - start:.1f} s")

    per_group = []
    with GapSession() as session:
        for g in groups:
            start = time.perf_counter()
            rows = space_group_rows(g.name, session=session)
            per_group.append((time.perf_counter() - start, g.name, len(rows["partial"])))
    print("slowest groups (one warm session): " + ", ".join(
        f"{name} {seconds:.2f} s ({n} rows)" for seconds, name, n in sorted(per_group)[-5:][::-1]))


if __name__ == "__main__":
    main()
