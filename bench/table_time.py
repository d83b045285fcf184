"""Where the time of `make tables` goes (issue #24).

1. `sbs tables --out DIR` as `make tables` runs it, in a fresh process: wall
   time, and CPU time of the process and its GAP processes, with the load
   average before and after (other work on the machine lengthens the wall
   time; the CPU time hardly changes).
2. The same table work in this process, phase by phase as the command runs
   it (imports, GAP start, point-group catalog, point groups and space
   groups on two GAP sessions each, writing): wall time, CPU time of Python
   and of GAP; the files written are compared with tables/.
3. The 230 space-group types in one GAP session: Python's CPU time and the
   time spent waiting for GAP, per GAP function.

Run: .venv/bin/python bench/table_time.py [--skip-command] [--skip-one-session]
"""
from __future__ import annotations

import argparse
import filecmp
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def _load() -> str:
    return " ".join(f"{x:.1f}" for x in os.getloadavg())


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _gap_cpu(started_pids) -> float:
    """CPU seconds of this process's children (GAP processes already reaped)
    and of its GAP processes still running (read from /proc; Linux)."""
    total = _children_cpu()
    tick = os.sysconf("SC_CLK_TCK")
    for pid in started_pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:  # gone, and counted among the children
            continue
        total += (int(fields[11]) + int(fields[12])) / tick
    return total


def command_run() -> None:
    with tempfile.TemporaryDirectory() as out:
        load, cpu, start = _load(), _children_cpu(), time.perf_counter()
        subprocess.run([str(REPO / ".venv/bin/sbs"), "tables", "--out", out], check=True,
                       capture_output=True)
        wall, cpu = time.perf_counter() - start, _children_cpu() - cpu
    print(f"1. sbs tables (fresh process): {wall:.1f} s wall, {cpu:.1f} s CPU "
          f"(Python and GAP; {cpu / 2:.1f} s on two cores); load {load} -> {_load()}")


def phases() -> None:
    start = time.perf_counter()
    subprocess.run([sys.executable, "-c", "import sbs_gap.cli, sbs_gap.tables"], check=True)
    imports = time.perf_counter() - start

    from sbs_gap.gap import close_default_session, default_session, started_pids
    from sbs_gap.tables import (
        SPACE_README, catalog_rows, compute_space_tables, compute_tables, space_table_groups,
        table_groups, write_space_tables, write_tables,
    )

    rows = [("imports (sbs_gap.cli, a fresh process)", imports, None, None)]

    def phase(name, work):
        wall, py, gap = time.perf_counter(), time.process_time(), _gap_cpu(started_pids)
        result = work()
        rows.append((name, time.perf_counter() - wall, time.process_time() - py,
                     _gap_cpu(started_pids) - gap))
        return result

    groups, space = table_groups(None), space_table_groups(None)
    phase("GAP start (default session)", lambda: default_session().start())
    catalog = phase("point-group catalog (1 session)", lambda: catalog_rows(groups))
    full, partial = phase("87 point groups (2 sessions)",
                          lambda: compute_tables(groups, workers=2))
    space_rows = phase("230 space groups (2 sessions)",
                       lambda: compute_space_tables(space, workers=2))
    with tempfile.TemporaryDirectory() as out:
        phase("writing", lambda: (write_tables(groups, full, partial, catalog, out,
                                               readme_extra=SPACE_README),
                                  write_space_tables(*space_rows, out)))
        compare = filecmp.dircmp(out, REPO / "tables")
        same = not (compare.diff_files or compare.left_only
                    or compare.subdirs["spacegroups"].diff_files)
    close_default_session()
    print(f"2. the table work phase by phase (load {_load()}; files "
          f"{'identical to' if same else 'DIFFERENT from'} tables/):")
    print(f"   {'phase':42s} {'wall':>7s} {'Python':>7s} {'GAP':>7s}  (CPU)")
    for name, wall, py, gap in rows:
        cpu = "" if py is None else f"{py:6.1f}s {gap:6.1f}s"
        print(f"   {name:42s} {wall:6.1f}s {cpu}")
    total = sum(r[1] for r in rows[1:])
    cpu = sum(r[2] + r[3] for r in rows[1:])
    print(f"   {'table work (after the imports)':42s} {total:6.1f}s  CPU {cpu:.1f} s, "
          f"{cpu / 2:.1f} s on two cores")


def one_session() -> None:
    from sbs_gap.gap import GapSession
    from sbs_gap.tables import space_group_rows, space_table_groups

    with GapSession() as session:
        session.start()
        start, py = time.perf_counter(), time.process_time()
        for g in space_table_groups(None):
            space_group_rows(g.name, session=session)
        wall, py = time.perf_counter() - start, time.process_time() - py
        waits = dict(session.gap_seconds_by_function)
    print(f"3. 230 space groups in one GAP session: {wall:.1f} s wall; Python CPU {py:.1f} s "
          f"(spglib names, normalizer types, decoding); waiting for GAP "
          f"{sum(waits.values()):.1f} s (load {_load()}):")
    for name, seconds in sorted(waits.items(), key=lambda kv: -kv[1]):
        print(f"   {name:28s} {seconds:6.1f} s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--skip-command", action="store_true", help="skip part 1")
    parser.add_argument("--skip-one-session", action="store_true", help="skip part 3")
    args = parser.parse_args()
    if not args.skip_command:
        command_run()
    phases()
    if not args.skip_one_session:
        one_session()


if __name__ == "__main__":
    main()
