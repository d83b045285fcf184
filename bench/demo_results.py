"""Print the full-run demo metrics (demo_out/*/metrics.json) as a Markdown table.

Run after `sbs demo NAME` for each demo: .venv/bin/python bench/demo_results.py
"""
from __future__ import annotations

import json
import sys
from pathlib import Path

COLUMNS = ["coverage", "n_outputs_reached", "n_outputs_expected", "max_output_error",
           "equivariance_error", "baseline_error", "train_seconds", "sbs_overhead_fraction"]
EXTRA = {
    "prism": ["equivariant_set_error", "nonequivariant_set_error"],
    "octagon": ["mismatched_object_error", "mismatched_output_chirality"],
    "batio3": ["set_sizes"],
    "groundstate": [],
    "karman": ["strouhal", "blockage", "strouhal_relative_deviation"],
    "srtio3": ["markers_per_object"],
    "mnf2": ["time_reversal_error", "baseline_max_moment"],
    "knif3": ["time_reversal_error", "baseline_max_moment", "markers_per_object"],
}


def fmt(v) -> str:
    if isinstance(v, float):
        return f"{v:.3g}"
    return str(v)


def main(folder: str = "demo_out") -> None:
    print("| demo | " + " | ".join(COLUMNS) + " | other |")
    print("|" + "---|" * (len(COLUMNS) + 2))
    for name, extra in EXTRA.items():
        path = Path(folder) / name / "metrics.json"
        if not path.is_file():
            continue
        m = json.loads(path.read_text())
        other = ", ".join(f"{k} {fmt(m[k])}" for k in extra if k in m)
        print(f"| {name} | " + " | ".join(fmt(m[c]) for c in COLUMNS) + f" | {other} |")


if __name__ == "__main__":
    main(*sys.argv[1:])
