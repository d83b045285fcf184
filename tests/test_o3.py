"""Point groups in O(3): docs/theory.md section 4's worked facts, against real GAP."""
import json

import pytest

from sbs_gap import breaking as o3
from tests.conftest import sbs

pytestmark = pytest.mark.gap


def complements(gap, name):
    return list(o3.complement_names(name, session=gap))


def test_ci_ideal_size_two(gap):
    r = o3.point_group_full("Ci", session=gap)
    assert (r.normalizer, r.normalizer_order, r.normalizer_finite) == ("O(3)", None, False)
    assert r.ideal and r.min_size == 2 and r.complement == "SO(3)"


def test_c1_needs_one_object(gap):
    r = o3.point_group_full("C1", session=gap)
    assert r.normalizer == "O(3)" and r.ideal and r.min_size == 1


def test_cs_ideal_size_two_with_both_complements(gap):
    r = o3.point_group_full("Cs", session=gap)
    assert r.normalizer == "Dinfh" and r.ideal and r.min_size == 2
    assert complements(gap, "Cs") == ["Cinfv", "Dinf"]


@pytest.mark.parametrize("name", ["C3", "C4h", "S4"] + [f"C{n}" for n in range(2, 13)]
                         + [f"C{n}h" for n in range(2, 13)] + [f"S{2 * n}" for n in range(2, 7)])
def test_cyclic_types_have_no_finite_full_sbs(gap, name):
    r = o3.point_group_full(name, session=gap)
    assert (r.normalizer, r.normalizer_order, r.normalizer_finite) == ("Dinfh", None, False)
    assert not r.ideal and r.min_size is None and r.complement is None


@pytest.mark.parametrize("n", range(2, 13))
def test_cnh_to_cn_is_ideal_of_size_two(gap, n):
    (row,) = o3.point_group_partial(f"C{n}h", f"C{n}", session=gap)
    assert row.ideal and row.exact_min_size == 2 and row.nonexact_min_size == 2
    assert row.index == 2 and row.generalized_normalizer_is_normalizer


def test_c4h_rows(gap):
    rows = {r.subgroup: r for r in o3.point_group_partial("C4h", session=gap)}
    assert rows["C4"].ideal and rows["C4"].exact_min_size == 2
    # S4 and C2h do not contain S meet SO(2) = C4: only infinite sets
    for name in ("S4", "C2h", "C1"):
        assert rows[name].exact_min_size is None and not rows[name].ideal


def test_d3_normalizer_d6h_ideal_size_six(gap):
    r = o3.point_group_full("D3", session=gap)
    assert (r.normalizer, r.normalizer_order) == ("D6h", 24)
    assert r.ideal and r.min_size == 6
    assert "C2v" in complements(gap, "D3")


FINITE_NORMALIZERS = (
    [(f"C{n}v", f"D{2 * n}h") for n in range(3, 13)]
    + [(f"D{n}", f"D{2 * n}h") for n in range(3, 13)]
    + [(f"D{n}h", f"D{2 * n}h") for n in range(3, 13)]
    + [(f"D{n}d", f"D{2 * n}h") for n in range(3, 13)]
    + [("C2v", "D4h"), ("D2d", "D4h")]
    + [(g, "Oh") for g in ("D2", "D2h", "T", "Th", "Td", "O", "Oh")]
    + [("I", "Ih"), ("Ih", "Ih")])


@pytest.mark.parametrize("name,expected", FINITE_NORMALIZERS)
def test_finite_normalizers_and_ideal_full_breaking(gap, name, expected):
    r = o3.point_group_full(name, session=gap)
    assert r.normalizer == expected and r.normalizer_finite
    assert r.ideal and r.min_size == r.order  # ideal full SBS has |S| objects


def test_oh_to_c4v_and_c3v(gap):
    (c4v,) = o3.point_group_partial("Oh", "C4v", session=gap)
    (c3v,) = o3.point_group_partial("Oh", "C3v", session=gap)
    assert c4v.exact_min_size == 6 and c4v.ideal
    assert c3v.exact_min_size == 8 and c3v.ideal


def test_every_c2v_class_of_oh(gap):
    rows = o3.point_group_partial("Oh", "C2v", session=gap)
    assert sorted(r.subgroup for r in rows) == ["C2v[xy45,z]", "C2v[z,x]", "C2v[z,xy45]"]
    for r in rows:
        assert r.index == 12 and r.ideal and r.exact_min_size == 12


def test_subgroup_class_counts(gap):
    # Known numbers of conjugacy classes of subgroups.
    assert len(o3.subgroup_classes("Oh", session=gap)) == 33
    assert len(o3.subgroup_classes("Ih", session=gap)) == 22
    assert len(o3.subgroup_classes("D3", session=gap)) == 4


def test_names_are_unique_and_stable_across_sessions(gap, fresh_gap):
    for name in ("Oh", "D6h", "Ih", "D4d"):
        first = [c.name for c in o3.subgroup_classes(name, session=gap)]
        again = [c.name for c in o3.subgroup_classes(name, session=fresh_gap)]
        assert first == again and len(set(first)) == len(first)


def test_subgroup_labels_describe_geometry(gap):
    names = {c.name for c in o3.subgroup_classes("D6h", session=gap)}
    # the two classes of in-plane two-fold axes of D6h: along x and along y
    assert {"C2[x]", "C2[y]", "C2[z]", "C3v[z,x]", "C3v[z,y]"} <= names


def test_generalized_normalizer_smaller_than_normalizer(gap):
    rows = {r.subgroup: r for r in o3.point_group_partial("D6h", session=gap)}
    assert not rows["C2[x]"].generalized_normalizer_is_normalizer
    assert rows["C2[z]"].generalized_normalizer_is_normalizer


def test_cli_full_json_contract():
    out = sbs("full", "D3", "--json")
    assert out.returncode == 0, out.stderr
    record = json.loads(out.stdout)
    assert list(record) == ["group", "order", "normalizer", "normalizer_order",
                            "normalizer_finite", "ideal", "min_size", "complement"]
    assert record["normalizer"] == "D6h" and record["min_size"] == 6
    out = sbs("full", "C4", "--json")
    assert json.loads(out.stdout)["normalizer_order"] is None


def test_cli_partial_json_contract():
    out = sbs("partial", "m-3m", "--to", "4mm", "--json")
    assert out.returncode == 0, out.stderr
    (row,) = json.loads(out.stdout)
    assert list(row) == ["group", "subgroup", "subgroup_order", "index",
                         "generalized_normalizer_is_normalizer", "ideal", "exact_min_size",
                         "nonexact_min_size", "break_more_is_smaller"]
    assert row["group"] == "Oh" and row["subgroup"] == "C4v" and row["exact_min_size"] == 6
    out = sbs("partial", "D3")
    assert out.returncode == 0 and out.stdout.splitlines()[0].startswith("group")
    assert len(out.stdout.splitlines()) == 5


@pytest.mark.parametrize("args,fragments", [
    (["partial", "D3", "--to", "C4"], ["not a subgroup of D3", "C1, C2, C3, D3"]),
    (["partial", "Oh", "--to", "Q9"], ["not a subgroup of Oh", "C2v[z,x]"]),
    (["partial", "Oh", "--to", "z"], ["ambiguous", "C2[z]", "Cs[z]"]),
    (["partial", "Oh", "--to", "C2v[z,y]"], ["not a subgroup", "C2v[z,xy45]"]),
    (["full", "D3x"], ["unknown point group"]),
    (["partial", "D3", "--problem", "examples/s4_perm.json"], ["not both"]),
])
def test_cli_wrong_subgroup_exits_2_listing_choices(args, fragments):
    out = sbs(*args)
    assert out.returncode == 2
    assert len(out.stderr.strip().splitlines()) == 1
    for f in fragments:
        assert f in out.stderr
