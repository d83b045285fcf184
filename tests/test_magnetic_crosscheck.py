"""Magnetic point groups: the GAP engine against the independent engine
(:mod:`sbs_gap.independent._magnetic`, THEORY sections 2-4 and 9 without GAP).

Every S'-conjugacy class of subgroups is matched by membership (a GAP member
among the S'-conjugates of the independent member) and every field compared;
full breaking too.  A fixed sample in ``make test``; all 122 types in the
exhaustive tier.
"""
import numpy as np
import pytest

from sbs_gap.breaking import point_group_elements
from sbs_gap.breaking import magnetic_classes_with_rows as classes_with_rows
from sbs_gap.breaking import magnetic_full, magnetic_partial, magnetic_structure
from sbs_gap.groups import magnetic_point_group, magnetic_point_group_types
from sbs_gap.independent import (
    independent_magnetic_full, independent_magnetic_partial, magnetic_element_key,
)

pytestmark = pytest.mark.gap

FIELDS = ("subgroup_order", "index", "generalized_normalizer_is_normalizer", "ideal",
          "exact_min_size", "nonexact_min_size", "break_more_is_smaller")
SAMPLE = ["11'", "-11'", "-1'", "2'/m", "2/m1'", "mmm1'", "m'm'm", "4/mm'm'", "4/mmm1'",
          "-6m21'", "m-3m1'", "6/mmm1'", "4'/m"]


def _conjugates(member: frozenset, elements: np.ndarray) -> set:
    """The S'-conjugates of a member (sets of element keys); elements: S' (4x4)."""
    mats = [np.frombuffer(k).reshape(4, 4) for k in member]
    return {frozenset(magnetic_element_key(s @ m @ s.T) for m in mats) for s in elements}


def crosscheck(symbol) -> None:
    """symbol: a magnetic symbol, or a MagneticPointGroup (type I has no primes)."""
    structure = magnetic_structure(symbol)
    name = structure.group.name
    elements = point_group_elements(structure)
    gap_classes = classes_with_rows(structure)
    mine = independent_magnetic_partial(symbol)
    assert len(gap_classes) == len(mine), name
    assert len(elements) == structure.order
    # each independent class: all its members, by keys
    owner = {}
    for i, row in enumerate(mine):
        for member in _conjugates(row["elements"], elements):
            assert member not in owner, f"{name}: two independent classes share a member"
            owner[member] = i
    matched = set()
    results = magnetic_partial(symbol)
    assert len(results) == len(gap_classes)
    for (cls, record), result in zip(gap_classes, results):
        assert result.subgroup == cls.name
        member = frozenset(magnetic_element_key(elements[i]) for i in cls.elements)
        assert len(member) == cls.order
        assert member in owner, f"{name} {cls.name}: no independent class"
        i = owner[member]
        assert i not in matched, f"{name} {cls.name}: matched twice"
        matched.add(i)
        ours = {f: mine[i][f] for f in FIELDS}
        theirs = {f: record[f] for f in FIELDS}
        assert theirs == ours, f"{name} {cls.name}"
        assert {f: getattr(result, f) for f in FIELDS} == ours, f"{name} {cls.name}"
    assert len(matched) == len(mine)
    gap_full = magnetic_full(symbol)
    full = independent_magnetic_full(symbol)
    assert full["order"] == gap_full.order == structure.order
    for field in ("normalizer_order", "normalizer_finite", "ideal", "min_size"):
        assert getattr(gap_full, field) == full[field], f"{name} full {field}"


@pytest.mark.parametrize("symbol", SAMPLE)
def test_magnetic_classes_agree(symbol):
    crosscheck(symbol)


def test_worked_facts_independently():
    """THEORY section 9, from the independent engine alone."""
    full = independent_magnetic_full("11'")
    assert (full["ideal"], full["min_size"]) == (True, 2)
    parent = magnetic_point_group("m-3m1'").numpy_elements
    rows = independent_magnetic_partial("m-3m1'")
    for target in ("4/mm'm'", "4mm1'"):
        member = frozenset(magnetic_element_key(m)
                           for m in magnetic_point_group(target).numpy_elements)
        (row,) = [r for r in rows if member in _conjugates(r["elements"], parent)]
        assert (row["index"], row["ideal"], row["exact_min_size"]) == (6, True, 6), target


@pytest.mark.exhaustive
@pytest.mark.parametrize("group", magnetic_point_group_types(), ids=lambda g: g.name)
def test_every_magnetic_point_group_type_agrees(group):
    crosscheck(group)
