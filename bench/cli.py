"""Latency of the command line: one fresh process per call, GAP start included.

Prints the median of 5 runs of `sbs group D3 --json`, `sbs full D3 --json` and
`sbs objects D3 --json`, and their ratios to `sbs group` (issue #16: full and
objects within 1.5x of group).

Run: .venv/bin/python bench/cli.py
"""
from __future__ import annotations

import statistics
import subprocess
import sys
import time

COMMANDS = [["group", "D3", "--json"], ["full", "D3", "--json"], ["objects", "D3", "--json"],
            ["objects", "Oh", "--to", "C3v", "--json"], ["partial", "Oh", "--json"]]


def seconds(args: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run([sys.executable, "-m", "sbs_gap.cli", *args], check=True,
                   capture_output=True)
    return time.perf_counter() - start


def main() -> None:
    results = {}
    for args in COMMANDS:
        results[" ".join(args)] = statistics.median(seconds(args) for _ in range(5))
    base = results["group D3 --json"]
    for name, value in results.items():
        print(f"sbs {name:28s} {value:5.2f} s   {value / base:4.2f} x sbs group D3")


if __name__ == "__main__":
    main()
