"""The magnetic tables (issue #26): one grey group, a sample, the whole run.

Each line is one fresh ``sbs tables --magnetic`` process (GAP start and cold
caches included), timed from outside:

1. one grey point group's table (m-3m1') and one grey space group's
   (Pm-3m1', P4_2/mnm1'), on one GAP session;
2. SAMPLE (grey groups of every family) on 1 and on 2 local GAP sessions;
3. with --all: the whole magnetic table (32 grey point groups, 230 grey space
   groups) on 1 and on 2 local sessions (tens of minutes each);
4. the independent engine on the space groups of the sample
   (``sbs crosscheck --magnetic-space-groups``, one process per CPU).

Run: .venv/bin/python bench/magnetic_tables.py [--all] [--groups LIST]
"""
from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from pathlib import Path

SBS = str(Path(sys.executable).with_name("sbs"))
SINGLE = ("m-3m1'", "Pm-3m1'", "P4_2/mnm1'")
SAMPLE = ("m-3m1'", "6/mmm1'", "P-11'", "P2/m1'", "C2/c1'", "Pmmm1'", "Pnma1'", "Cmcm1'",
          "P4/m1'", "P4_2/mnm1'", "I4/mmm1'", "I4_1/amd1'", "R-3m1'", "P-3m11'", "P6/mmm1'",
          "P6_3/mmc1'", "Pm-3m1'", "Fm-3m1'", "Fd-3m1'", "Ia-3d1'")


def run(*args: str) -> tuple[float, str]:
    """Seconds and stdout of one ``sbs`` process."""
    start = time.perf_counter()
    out = subprocess.run([SBS, *args], capture_output=True, text=True)
    seconds = time.perf_counter() - start
    if out.returncode != 0:
        raise SystemExit(f"sbs {' '.join(args)} failed: {out.stderr.strip()}")
    return seconds, out.stdout


def tables(groups: str | None, workers: int, folder: Path) -> tuple[float, str]:
    args = ["tables", "--magnetic", "--workers", str(workers), "--out", str(folder)]
    if groups is not None:
        args += ["--groups", groups]
    seconds, stdout = run(*args)
    return seconds, stdout.splitlines()[0]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--all", action="store_true", help="also the whole table, 1 and 2 "
                        "sessions")
    parser.add_argument("--groups", default=",".join(SAMPLE), help="the sample (comma-separated)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        for name in SINGLE:
            seconds, summary = tables(name, 1, folder / "single")
            print(f"{name}: {seconds:.1f} s ({summary})", flush=True)
        times = {}
        for workers in (1, 2):
            times[workers], summary = tables(args.groups, workers, folder / f"sample{workers}")
            print(f"sample of {len(args.groups.split(','))} grey groups, {workers} session(s): "
                  f"{times[workers]:.1f} s ({summary})", flush=True)
        print(f"speed-up with 2 sessions: {times[1] / times[2]:.2f}x")
        same = all((folder / "sample1" / "magnetic" / name).read_bytes()
                   == (folder / "sample2" / "magnetic" / name).read_bytes()
                   for name in ("pointgroups.csv", "spacegroups.csv"))
        print(f"1 and 2 sessions byte-identical: {same}")
        space = [g for g in args.groups.split(",") if g[0].isupper()]
        seconds, stdout = run("crosscheck", "--tables", str(folder / "sample2"),
                              "--magnetic-space-groups", ",".join(space))
        # the magnetic line (rows compared), then the disagreements (exit 0: none)
        magnetic = next(line for line in stdout.splitlines() if "magnetic rows" in line)
        print(f"independent engine on the {len(space)} space groups: {seconds:.1f} s "
              f"({magnetic}; {stdout.splitlines()[-2].split(': ')[-1]})")
        if args.all:
            for workers in (1, 2):
                seconds, summary = tables(None, workers, folder / f"all{workers}")
                print(f"whole magnetic table, {workers} session(s): {seconds / 60:.1f} min "
                      f"({summary})", flush=True)


if __name__ == "__main__":
    main()
