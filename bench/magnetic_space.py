"""Timings of the magnetic space-group engine (issue #25), in one GAP session.

1. GAP start (with the package).
2. THEORY section 9's worked fact P4_2/mnm1' -> P4_2'/mnm' (MnF2), the
   cubic ferromagnet Pm-3m1' -> P4/mm'm' and the anti-translation
   P4/mmm1' -> P_c4/mmm, each from a cold cache: the breaking rows, then the
   verified objects.
3. Every magnetic class of P4_2/mnm1' (over its t-subgroups and maximal
   k-subgroups), named.
4. With --all: every one of the 1 421 non-grey BNS types reached over its
   family S (the magnetic subgroups of S1' whose image is S), as the
   exhaustive test checks them.

Run: .venv/bin/python bench/magnetic_space.py [--all]
"""
from __future__ import annotations

import sys
import time

from sbs_gap.breaking import (
    lattice_generators, magnetic_space_classes_over, magnetic_space_partial,
    magnetic_space_subgroup_classes, space_group_structure, space_subgroup_class,
)
from sbs_gap.gap import close_default_session, default_session
from sbs_gap.groups import GreySpaceGroup, space_group_by_number
from sbs_gap.objects import symmetry_breaking_set


def main() -> None:
    start = time.perf_counter()
    session = default_session()
    session.call("SBS_Version")
    print(f"GAP start (with the package): {time.perf_counter() - start:.2f} s")
    for parent, target in (("P4_2/mnm1'", "P4_2'/mnm'"), ("Pm-3m1'", "P4/mm'm'"),
                           ("P4/mmm1'", "P_c4/mmm")):
        session.cache.clear()
        start = time.perf_counter()
        row = magnetic_space_partial(parent, target, session=session)[0]
        middle = time.perf_counter()
        objects = symmetry_breaking_set(parent, row.subgroup, session=session)
        end = time.perf_counter()
        print(f"{parent} -> {row.subgroup}: index {row.index}, exact minimum "
              f"{row.exact_min_size}, ideal {row.ideal}: {middle - start:.2f} s; objects "
              f"({objects.kind}, {objects.irreps}, {objects.size}): {end - middle:.2f} s")
    session.cache.clear()
    start = time.perf_counter()
    classes = magnetic_space_subgroup_classes("P4_2/mnm1'", session=session)
    print(f"every magnetic class of P4_2/mnm1': {len(classes)} classes in "
          f"{time.perf_counter() - start:.1f} s")
    if "--all" in sys.argv:
        start = time.perf_counter()
        found = 0
        for number in range(1, 231):
            g = space_group_by_number(number)
            structure = space_group_structure(g, session=session)
            h = space_subgroup_class(g, list(structure.generators)
                                     + lattice_generators(structure), session=session)
            found += len({c.bns_number for c in magnetic_space_classes_over(
                GreySpaceGroup(g), [h], session=session)})
        print(f"non-grey BNS types reached over their family: {found} in "
              f"{time.perf_counter() - start:.1f} s")
    close_default_session()


if __name__ == "__main__":
    main()
