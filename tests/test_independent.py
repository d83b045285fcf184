"""The independent pure-Python engine (no GAP): worked facts and the brute force.

The full cross-check against the GAP path over every catalog group lives with
the GAP-marked tests; here only facts from docs/theory.md and the naming contract.
"""
import ast
from pathlib import Path

import pytest

from sbs_gap.independent import (
    bruteforce, independent_full, independent_partial, independent_problem_rows,
)
from sbs_gap.independent import as_images, format_direction, point_group_problem, type_name

PACKAGE = Path(__file__).resolve().parent.parent / "sbs_gap" / "independent"


def _row(group, subgroup):
    (row,) = [r for r in independent_partial(group) if r["subgroup"] == subgroup]
    return row


def test_keys_and_order():
    full = independent_full("D3")
    assert list(full) == ["group", "order", "normalizer", "normalizer_order",
                          "normalizer_finite", "ideal", "min_size", "complement"]
    rows = independent_partial("D3")
    assert list(rows[0]) == ["group", "subgroup", "subgroup_order", "index",
                             "generalized_normalizer_is_normalizer", "ideal",
                             "exact_min_size", "nonexact_min_size", "break_more_is_smaller"]
    assert [(r["subgroup_order"], r["subgroup"]) for r in rows] == sorted(
        (r["subgroup_order"], r["subgroup"]) for r in rows)


def test_ci_and_c1():
    assert independent_full("Ci") == dict(
        group="Ci", order=2, normalizer="O(3)", normalizer_order=None,
        normalizer_finite=False, ideal=True, min_size=2, complement="SO(3)")
    full = independent_full("C1")
    assert (full["normalizer"], full["ideal"], full["min_size"], full["complement"]) == (
        "O(3)", True, 1, "O(3)")
    assert independent_full("S2")["group"] == "Ci"


def test_cs():
    full = independent_full("Cs")
    assert (full["normalizer"], full["normalizer_finite"], full["ideal"], full["min_size"],
            full["complement"]) == ("Dinfh", False, True, 2, "Cinfv")


@pytest.mark.parametrize("name", ["C3", "C4h", "S4", "C2", "C6h", "S6"])
def test_cyclic_types_have_no_finite_full_sbs(name):
    full = independent_full(name)
    assert (full["normalizer"], full["normalizer_order"], full["ideal"], full["min_size"],
            full["complement"]) == ("Dinfh", None, False, None, None)


def test_c4h_to_c4_is_ideal():
    row = _row("C4h", "C4")
    assert (row["ideal"], row["exact_min_size"], row["index"]) == (True, 2, 2)
    row = _row("C4h", "C1")
    assert (row["ideal"], row["exact_min_size"], row["nonexact_min_size"]) == (False, None, None)
    assert row["break_more_is_smaller"] is False


def test_d3():
    full = independent_full("D3")
    assert (full["normalizer"], full["normalizer_order"], full["ideal"], full["min_size"]) == (
        "D6h", 24, True, 6)
    # docs/theory.md: "a complement is C2v"; the alphabetically smallest complement type is C2h
    assert full["complement"] == "C2h"
    problem = point_group_problem("D3")
    assert "C2v" in problem.breaking(problem.S.trivial, want_complements=True)["names"]


@pytest.mark.parametrize("n", [3, 4, 5, 6, 12])
@pytest.mark.parametrize("family", ["C{}v", "D{}", "D{}h", "D{}d"])
def test_axial_finite_normalizers(family, n):
    full = independent_full(family.format(n))
    assert full["normalizer"] == f"D{2 * n}h" and full["normalizer_order"] == 8 * n
    assert full["normalizer_finite"] and full["ideal"]


@pytest.mark.parametrize("group,normalizer", [
    ("C2v", "D4h"), ("D2d", "D4h"), ("D2", "Oh"), ("D2h", "Oh"), ("T", "Oh"), ("Th", "Oh"),
    ("Td", "Oh"), ("O", "Oh"), ("Oh", "Oh"), ("I", "Ih"), ("Ih", "Ih")])
def test_other_finite_normalizers(group, normalizer):
    full = independent_full(group)
    assert full["normalizer"] == normalizer and full["normalizer_finite"] and full["ideal"]


def test_oh_classes():
    rows = independent_partial("Oh")
    names = [r["subgroup"] for r in rows]
    assert len(rows) == 33
    assert sorted(n for n in names if n.startswith("C2v")) == [
        "C2v[xy45,z]", "C2v[z,x]", "C2v[z,xy45]"]
    assert sorted(n for n in names if n.startswith("C2[")) == ["C2[xy45]", "C2[z]"]
    assert sorted(n for n in names if n.startswith("D2[")) == ["D2[z,x]", "D2[z,xy45]"]
    assert _row("Oh", "C4v")["exact_min_size"] == 6
    assert _row("Oh", "C3v")["exact_min_size"] == 8


def test_d6h_and_ih_classes():
    names = {r["subgroup"] for r in independent_partial("D6h")}
    assert {"C2[x]", "C2[y]", "C2[z]", "C3v[z,x]", "C3v[z,y]", "C2v[x,z]", "C2v[y,z]",
            "C2v[z,x]"} <= names
    rows = independent_partial("Ih")
    assert len(rows) == 22 and all("[" not in r["subgroup"] for r in rows)


def test_type_names_and_formatting():
    import numpy as np
    from sbs_gap.groups import point_group
    from sbs_gap.independent import closure_matrices
    for name in ["C1", "Ci", "Cs", "C2", "C3h", "C4h", "S4", "S6", "S10", "C3v", "D3d",
                 "D4d", "D5h", "D6h", "T", "Td", "Th", "O", "Oh", "I", "Ih"]:
        mats = closure_matrices(list(point_group(name).numpy_generators))
        assert type_name(mats) == name
    r2 = 2 ** -0.5
    assert format_direction(np.array([r2, r2, 0])) == "xy45"
    assert format_direction(np.array([1, 1, 1]) / 3 ** 0.5) == "111"
    assert format_direction(np.array([r2, -r2, 0])) == "xy135"
    assert format_direction(np.array([0, 0, 1.0])) == "z"


def test_no_gap_path_imports():
    forbidden = {"sbs_gap.breaking", "sbs_gap.gap", "sbs_gap.objects", "sbs_gap.tables"}
    relative = {"breaking", "gap", "objects", "tables"}
    for path in PACKAGE.glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.ImportFrom):
                mod = node.module or ""
                if node.level == 2:
                    assert mod.split(".")[0] not in relative, (path, mod)
                    assert mod or not relative & {a.name for a in node.names}, path
                elif node.level == 0:
                    assert not any(mod == f or mod.startswith(f + ".") for f in forbidden)
            elif isinstance(node, ast.Import):
                for alias in node.names:
                    assert not any(alias.name == f or alias.name.startswith(f + ".")
                                   for f in forbidden), (path, alias.name)


# ----------------------------------------------------------------------------
# Finite permutation groups against the literal brute force
# ----------------------------------------------------------------------------

BRUTE_FORCE_CASES = [
    (["(1,2,3,4)", "(1,2)"], ["(1,2,3)", "(2,3,4)"]),                       # A4 < S4
    (["(1,2,3,4)", "(1,2)"], ["(1,2,3,4)"]),                                 # C4 < S4
    (["(1,2,3,4)", "(1,2)"], ["(1,2)(3,4)", "(1,3)(2,4)"]),                  # V4 < S4
    (["(1,2,3,4,5,6)", "(1,6)(2,5)(3,4)", "(7,8)"],
     ["(1,3,5)(2,4,6)", "(1,6)(2,5)(3,4)"]),                                 # S3 < D6 x C2
    (["(1,2,3,4,5,6,7,8)", "(1,8)(2,7)(3,6)(4,5)"], ["(1,3,5,7)(2,4,6,8)"]),  # C4 < D8
    (["(1,2)", "(3,4)", "(5,6)", "(1,3)(2,4)"], ["(1,2)", "(3,4)"]),          # C2^2 < ...
]


def _brute(ambient, group):
    gens = [as_images(p) for p in ambient + group]
    degree = max(len(p) for p in gens)
    pad = lambda p: as_images(p) + tuple(range(len(as_images(p)), degree))  # noqa: E731
    identity = tuple(range(degree))
    G = bruteforce.closure([pad(p) for p in ambient], identity)
    S = bruteforce.closure([pad(p) for p in group], identity)
    classes = []
    for K in bruteforce.all_subgroups(S, identity):
        if not any(K == bruteforce.conjugate(c, s) for c in classes for s in S):
            classes.append(K)
    return G, S, classes, identity


@pytest.mark.parametrize("ambient,group", BRUTE_FORCE_CASES)
def test_problem_rows_agree_with_brute_force(ambient, group):
    G, S, classes, identity = _brute(ambient, group)
    expected = sorted((len(K), r["exact"], r["nonexact"], r["ideal"],
                       r["nprime_order"] == r["normalizer_order"])
                      for K in classes for r in [bruteforce.analyse(G, S, K, identity)])
    full, rows = independent_problem_rows(ambient, group, None)
    got = sorted((r["subgroup_order"], r["exact_min_size"], r["nonexact_min_size"], r["ideal"],
                  r["generalized_normalizer_is_normalizer"]) for r in rows)
    assert got == expected
    trivial = bruteforce.analyse(G, S, frozenset([identity]), identity)
    assert (full["min_size"], full["ideal"], full["normalizer_order"]) == (
        trivial["exact"], trivial["ideal"], trivial["normalizer_order"])


def test_problem_rows_with_a_target():
    full, (row,) = independent_problem_rows(["(1,2,3,4)", "(1,2)"], ["(1,2,3,4)"], ["(1,3)(2,4)"])
    assert (row["subgroup_order"], row["index"]) == (2, 2)
    assert full["order"] == 4 and full["normalizer_order"] == 8


def test_brute_force_module_still_works():
    identity = (0, 1, 2)
    S3 = bruteforce.closure([bruteforce.perm_from_images((2, 3, 1), 3),
                             bruteforce.perm_from_images((2, 1), 3)], identity)
    assert len(S3) == 6 and len(bruteforce.all_subgroups(S3, identity)) == 6
