"""Bridge timings: GAP start, one trivial call, 1000 calls, and a point-group order.

Run: .venv/bin/python bench/bridge.py
"""
from __future__ import annotations

import statistics
import time

from sbs_gap import point_group
from sbs_gap.breaking import gap_order
from sbs_gap.gap import GapSession


def main() -> None:
    starts = []
    for _ in range(3):
        t = time.perf_counter()
        with GapSession() as session:
            session.start()
            starts.append(time.perf_counter() - t)
    with GapSession() as session:
        session.start()
        session.load_extension("testing")  # SBS_Equal, a trivial call
        print(f"GAP {session.version} (package loaded by {session.load_mode})")
        print(f"GAP start (spawn + load the sbsgap package), median of 3: "
              f"{statistics.median(starts) * 1000:.0f} ms")
        singles = []
        for _ in range(50):
            t = time.perf_counter()
            session.call("SBS_Equal", 1, 1)
            singles.append(time.perf_counter() - t)
        print(f"trivial call round trip, median of 50: {statistics.median(singles) * 1e6:.0f} us")
        t = time.perf_counter()
        for i in range(1000):
            session.call("SBS_Equal", i, i)
        print(f"1000 trivial calls: {(time.perf_counter() - t) * 1000:.0f} ms")
        t = time.perf_counter()
        order = gap_order(point_group("Ih"), session=session)
        print(f"Ih order {order} (register + permutation representation): "
              f"{(time.perf_counter() - t) * 1000:.1f} ms")


if __name__ == "__main__":
    main()
