"""Benchmark of the table run (``make tables``): where the time goes.

Prints
  * the whole table run as `make tables` does it (parallel GAP sessions), and
    GAP start;
  * the same run in one session: total, time waiting for GAP, Python's share;
  * the same GAP computations sent as one GAP script to one GAP process, and
    the bridge's overhead ratio (bridge GAP wall time / one-script time);
  * a one-GAP-process-per-query baseline on a sample of groups, extrapolated;
  * the independent pure-Python engine on the same rows.

Run: .venv/bin/python bench/tables.py [--sample N]
"""
from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from sbs_gap.breaking import point_group_full, point_group_partial
from sbs_gap.gap import GapSession, find_gap_command, package_dir
from sbs_gap.tables import compute_tables, table_groups


def _run_script(body: str) -> float:
    """Seconds to load the package and run ``body`` in one fresh GAP process."""
    load = (f'SetPackagePath("sbsgap", "{package_dir()}");\nLoadPackage("sbsgap");\n'
            "SBS_StartBridge();\n")
    with tempfile.NamedTemporaryFile("w", suffix=".g", delete=False) as f:
        f.write(load + body + "\nQUIT;\n")
        path = f.name
    start = time.perf_counter()
    with open(path) as stdin:
        out = subprocess.run(find_gap_command(), stdin=stdin, capture_output=True, text=True,
                             timeout=600)
    elapsed = time.perf_counter() - start
    Path(path).unlink()
    if "ERR" in out.stdout.replace("@@SBS:0:", ""):
        raise RuntimeError("the one-script replay failed: " + out.stdout[-500:])
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sample", type=int, default=8,
                        help="groups in the one-process-per-query sample (default 8)")
    args = parser.parse_args()
    groups = table_groups()
    print(f"{len(groups)} point groups")

    # 1. As `make tables` runs it (caches belong to sessions: fresh ones).
    t = time.perf_counter()
    first = GapSession()
    first.start()
    start_seconds = time.perf_counter() - t
    t = time.perf_counter()
    second = GapSession()
    full, partial = compute_tables(groups, sessions=[first, second])
    parallel = time.perf_counter() - t
    first.close()
    second.close()
    print(f"GAP start: {start_seconds:.2f} s")
    print(f"table run, 2 GAP sessions (as make tables): {parallel:.2f} s "
          f"for {len(full)} + {len(partial)} rows")

    # 2. One session: GAP's share.
    with GapSession() as session:
        session.start()
        session.transcript = []
        session.gap_seconds = 0.0
        t = time.perf_counter()
        compute_tables(groups, sessions=[session])
        sequential = time.perf_counter() - t
        gap_wall = session.gap_seconds
        calls = session.calls
        transcript = list(session.transcript)
    print(f"table run, 1 GAP session: {sequential:.2f} s; waiting for GAP {gap_wall:.2f} s "
          f"({100 * gap_wall / sequential:.0f} %), Python {sequential - gap_wall:.2f} s "
          f"({100 * (sequential - gap_wall) / sequential:.0f} %); {calls} calls")

    # 3. The same GAP computations as one script.
    body = "\n".join(f"SBS_Run(0, function() return {code}; end);" for code in transcript)
    empty = min(_run_script("") for _ in range(2))
    whole = _run_script(body)
    one_script = whole - empty
    print(f"same {len(transcript)} GAP computations as one GAP script: {one_script:.2f} s "
          f"(plus {empty:.2f} s start); bridge overhead ratio {gap_wall / one_script:.2f}")

    # 4. One GAP process per query, on a sample.
    step = max(1, len(groups) // args.sample)
    sample = groups[::step][:args.sample]
    t = time.perf_counter()
    for g in sample:
        with GapSession() as session:
            point_group_full(g, session=session)
        with GapSession() as session:
            point_group_partial(g, session=session)
    per_group = (time.perf_counter() - t) / len(sample)
    print(f"one GAP process per query ({len(sample)} groups sampled: "
          f"{', '.join(g.schoenflies for g in sample)}): {per_group:.2f} s per group, "
          f"extrapolated {per_group * len(groups):.1f} s for the table")

    # 5. The independent engine.
    from sbs_gap.independent import independent_full, independent_partial
    t = time.perf_counter()
    for g in groups:
        independent_full(g.schoenflies)
        independent_partial(g.schoenflies)
    print(f"independent pure-Python engine, all {len(groups)} groups: "
          f"{time.perf_counter() - t:.2f} s")
    sys.stdout.flush()


if __name__ == "__main__":
    main()
