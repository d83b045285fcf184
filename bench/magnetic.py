"""Timings of the magnetic point-group engine (issue #25), in one GAP session.

1. GAP start (with the package).
2. THEORY section 9's worked facts, each from a cold cache.
3. Every subgroup class of each of the 32 grey groups P1' (sbs partial P1'):
   the total, the slowest groups and the number of classes.

Run: .venv/bin/python bench/magnetic.py
"""
from __future__ import annotations

import time

from sbs_gap.breaking import magnetic_partial
from sbs_gap.gap import close_default_session, default_session
from sbs_gap.groups import HERMANN_MAUGUIN


def main() -> None:
    start = time.perf_counter()
    session = default_session()
    session.call("SBS_Version")
    print(f"GAP start (with the package): {time.perf_counter() - start:.2f} s")
    for parent, target in (("m-3m1'", "4/mm'm'"), ("11'", "1"), ("m-3m1'", "4mm1'")):
        session.cache.clear()
        start = time.perf_counter()
        (row,) = magnetic_partial(parent, target, session=session)
        print(f"{parent} -> {target}: index {row.index}, exact minimum {row.exact_min_size}, "
              f"ideal {row.ideal}: {time.perf_counter() - start:.2f} s (cold cache)")
    session.cache.clear()
    timings = []
    start = time.perf_counter()
    for hm in HERMANN_MAUGUIN.values():
        t = time.perf_counter()
        rows = magnetic_partial(hm + "1'", session=session)
        timings.append((time.perf_counter() - t, hm + "1'", len(rows)))
    total = time.perf_counter() - start
    print(f"all classes of the 32 grey groups: {sum(n for *_, n in timings)} classes "
          f"in {total:.1f} s")
    for seconds, name, count in sorted(timings, reverse=True)[:5]:
        print(f"  {name}: {count} classes, {seconds:.2f} s")
    close_default_session()


if __name__ == "__main__":
    main()
