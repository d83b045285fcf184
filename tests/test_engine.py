"""The finite-group SBS engine (problem files) against real GAP and a brute force."""
import json
import time

import pytest

from sbs_gap import InputError, load_problem, parse_problem
from sbs_gap.breaking import solve, solve_full, solve_partial
from sbs_gap.independent import bruteforce
from tests.conftest import EXAMPLES, sbs
from tests.test_problem import PERM

pytestmark = pytest.mark.gap


def test_appendix_g(gap):
    problem = load_problem(EXAMPLES / "appendix_g.json")
    start = time.monotonic()
    full = solve_full(problem, session=gap)
    (row,) = solve_partial(problem, session=gap)
    elapsed = time.monotonic() - start
    assert full.ideal and full.min_size == 256 and full.normalizer_order == 1024
    assert row.index == 128 and row.subgroup_order == 2
    assert row.exact_min_size == 512 and row.nonexact_min_size == 256
    assert row.generalized_normalizer_is_normalizer and not row.ideal
    assert row.break_more_is_smaller
    assert elapsed < 30


def test_appendix_g_cli():
    out = sbs("partial", "--problem", EXAMPLES / "appendix_g.json", "--json")
    assert out.returncode == 0, out.stderr
    (row,) = json.loads(out.stdout)
    assert list(row) == ["group", "subgroup", "subgroup_order", "index",
                         "generalized_normalizer_is_normalizer", "ideal", "exact_min_size",
                         "nonexact_min_size", "break_more_is_smaller"]
    assert (row["exact_min_size"], row["nonexact_min_size"]) == (512, 256)
    full = json.loads(sbs("full", "--problem", EXAMPLES / "appendix_g.json",
                              "--json").stdout)
    assert list(full) == ["group", "order", "normalizer", "normalizer_order",
                          "normalizer_finite", "ideal", "min_size", "complement"]
    assert full["ideal"] is True and full["min_size"] == 256


def _perm_problem(ambient, group, name="p"):
    return {"name": name, "ambient": {"permutations": ambient},
            "group": {"permutations": group}}


# Small permutation problems: every subgroup class checked against brute force.
BRUTE_FORCE_CASES = [
    _perm_problem(["(1,2,3,4)", "(1,2)"], ["(1,2,3)", "(2,3,4)"], "A4 < S4"),
    _perm_problem(["(1,2,3,4)", "(1,2)"], ["(1,2,3,4)"], "C4 < S4"),
    _perm_problem(["(1,2,3,4)", "(1,2)"], ["(1,2)(3,4)", "(1,3)(2,4)"], "V4 < S4"),
    _perm_problem(["(1,2,3,4,5,6)", "(1,6)(2,5)(3,4)", "(7,8)"], ["(1,3,5)(2,4,6)",
                                                                   "(1,6)(2,5)(3,4)"],
                  "S3 < D6 x C2"),
    _perm_problem(["(1,2,3,4,5,6,7,8)", "(1,8)(2,7)(3,6)(4,5)"], ["(1,3,5,7)(2,4,6,8)"],
                  "C4 < D8"),
    _perm_problem(["(1,2)", "(3,4)", "(5,6)", "(1,3)(2,4)"], ["(1,2)", "(3,4)"],
                  "C2^2 < C2 wr C2 x C2"),
]


@pytest.mark.parametrize("data", BRUTE_FORCE_CASES, ids=lambda d: d["name"])
def test_every_subgroup_class_agrees_with_brute_force(gap, data):
    problem = parse_problem(data)
    ambient_gens = problem.ambient.generators
    degree = max([len(g) for g in ambient_gens] + [1])
    identity = tuple(range(degree))
    G = bruteforce.closure([bruteforce.perm_from_images(g, degree) for g in ambient_gens],
                           identity)
    S = bruteforce.closure([bruteforce.perm_from_images(g, degree)
                            for g in problem.group.generators], identity)
    # expected multiset of (order, exact, nonexact, ideal) over S-classes of K
    classes = []
    for K in bruteforce.all_subgroups(S, identity):
        if any(K == bruteforce.conjugate(c, s) for c in classes for s in S):
            continue
        classes.append(K)
    expected = sorted((len(K), r["exact"], r["nonexact"], r["ideal"], r["nprime_order"]
                       == r["normalizer_order"])
                      for K in classes
                      for r in [bruteforce.analyse(G, S, K, identity)])
    rows = solve_partial(problem, session=gap)
    got = sorted((r.subgroup_order, r.exact_min_size, r.nonexact_min_size, r.ideal,
                  r.generalized_normalizer_is_normalizer) for r in rows)
    assert got == expected
    full = solve_full(problem, session=gap)
    trivial = bruteforce.analyse(G, S, frozenset([identity]), identity)
    assert (full.min_size, full.ideal, full.normalizer_order) == (
        trivial["exact"], trivial["ideal"], trivial["normalizer_order"])


def test_matrix_and_presentation_problems(gap):
    d3 = load_problem(EXAMPLES / "d3_in_d6h_matrices.json")
    solution = solve(d3, session=gap)
    assert solution.full.normalizer_order == 24 and solution.full.min_size == 6
    assert solution.full.ideal
    (row,) = solution.partial
    assert (row.subgroup_order, row.exact_min_size, row.ideal) == (2, 3, True)
    s3 = {"name": "S3 in D6", "ambient": {"presentation": {
        "generators": ["r", "s"], "relators": ["r^6", "s^2", "(r*s)^2"]}},
        "group": {"words": ["r^2", "s"]}}
    rows = solve_partial(parse_problem(s3), session=gap)
    assert sorted(r.subgroup_order for r in rows) == [1, 2, 3, 6]


def test_partial_cli_needs_a_group_or_a_problem():
    out = sbs("partial", "--json")
    assert out.returncode == 2 and "--problem" in out.stderr
    out = sbs("partial", "D3", "--problem", EXAMPLES / "s4_perm.json")
    assert out.returncode == 2 and "not both" in out.stderr


def test_all_flag_overrides_the_target(gap):
    rows = solve_partial(parse_problem(PERM), all_classes=True, session=gap)
    assert len(rows) == 5
    assert [r.subgroup for r in rows][0] == "1"


def test_a_problem_without_target_needs_all_classes(gap):
    problem = parse_problem({"name": "S3", "ambient": {"permutations": ["(1,2,3)", "(1,2)"]},
                             "group": {"permutations": ["(1,2,3)", "(1,2)"]}})
    with pytest.raises(InputError, match="has no target"):
        solve_partial(problem, all_classes=False, session=gap)
    assert len(solve_partial(problem, session=gap)) == 4  # every class by default
