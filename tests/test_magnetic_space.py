"""Magnetic subgroups of grey space groups (docs/theory.md sections 8-9):
THEORY's worked fact P4_2/mnm1' -> P4_2'/mnm' from the CLI and the API,
anti-translations (type IV), full breaking, bad input, and every one of the
1 421 non-grey BNS types reached from its family's grey group, named by
spglib and checked operation by operation against the BNS setting."""
import collections
import json

import numpy as np
import pytest

from tests.conftest import sbs
from sbs_gap import full_breaking, partial_breaking
from sbs_gap.breaking import (
    lattice_generators, magnetic_space_classes_over, magnetic_space_subgroup_classes,
    space_group_structure, space_subgroup_class,
)
from sbs_gap.errors import InputError
from sbs_gap.gap import default_session
from sbs_gap.groups import (
    GreySpaceGroup, grey_space_group, magnetic_space_group_types, space_group_by_number,
)

pytestmark = pytest.mark.gap


def test_mnf2_worked_fact_from_the_command_line():
    out = sbs("partial", "P4_2/mnm1'", "--to", "P4_2'/mnm'", "--json")
    assert out.returncode == 0, out.stderr
    rows = json.loads(out.stdout)
    k0 = [r for r in rows if r["subgroup"] == "P4_2'/mnm' (136.499) [a,b,c; 0,0,0]"]
    assert len(k0) == 1
    row = k0[0]
    # index 2: the two signs of the Neel vector; ideal, two objects
    assert (row["index"], row["ideal"], row["exact_min_size"], row["nonexact_min_size"]) == \
        (2, True, 2, 2)
    assert (row["subgroup_bns_number"], row["magnetic_type"], row["kind"]) == \
        ("136.499", "III", "t")
    assert row["family"] == "P4_2/mnm (136) [a,b,c; 0,0,0]"
    assert row["time_reversal_kept"] is False
    # every other row is a k-subgroup's (a larger cell, more domains)
    assert all(r["kind"] == "k" and r["index"] > 2 for r in rows if r is not row)


def test_mnf2_worked_fact_from_the_api_by_number():
    rows = partial_breaking("136.496", "136.499")
    assert rows[0].group == "P4_2/mnm1'"
    assert (rows[0].subgroup, rows[0].index, rows[0].exact_min_size) == \
        ("P4_2'/mnm' (136.499) [a,b,c; 0,0,0]", 2, 2)


def test_an_anti_translation_doubles_the_theta_free_cell():
    rows = partial_breaking("P4/mmm1'", "P_c4/mmm")
    k0 = [r for r in rows if r.kind == "t"]
    # the anti-translation c, with the layers z = 0 or z = 1/2 of the doubled
    # cell carrying the mirrors without theta: two classes
    assert [r.subgroup for r in k0] == ["P_c4/mmm (123.348) [a,b,2c; 0,0,0]",
                                        "P_c4/mmm (123.348) [a,b,2c; 0,0,1/2]"]
    for r in k0:
        assert (r.index, r.ideal, r.exact_min_size, r.magnetic_type) == (2, True, 2, "IV")


def test_the_classes_of_p42mnm1_by_type():
    classes = magnetic_space_subgroup_classes("P4_2/mnm1'")
    names = [c.name for c in classes]
    assert len(names) == len(set(names))
    over_s = [c for c in classes if c.family == "P4_2/mnm (136) [a,b,c; 0,0,0]"]
    # Hom(4/mmm, Z2) has 7 nontrivial characters, all seven BNS types of
    # type III over P4_2/mnm: 136.497 .. 136.503; and type I, 136.495
    assert sorted(c.bns_number for c in over_s) == [f"136.{n}" for n in range(495, 504)
                                                   if n != 496]
    assert collections.Counter(c.magnetic_type for c in classes)["I"] == \
        len({c.family for c in classes})
    # index 2 |S : H| for every class
    for c in classes:
        assert c.index % 2 == 0


def test_full_breaking_of_a_grey_group():
    result = full_breaking("P4_2/mnm1'")
    # 16 operations times theta: an ideal set of 32 objects
    assert (result.group, result.ideal, result.min_size, result.magnetic_type) == \
        ("P4_2/mnm1'", True, 32, "II")
    assert result.normalizer.endswith("1'")


@pytest.mark.parametrize("args, words", [
    (("partial", "P4_2/mnm", "--to", "P4_2'/mnm'"), "the parent of a magnetic ordering is a grey"),
    (("partial", "P4_2/mnm1'", "--to", "P4_2/mnm1'"), "a magnetic ordering breaks time reversal"),
    (("partial", "P4_2'/mnm'", "--to", "P-1'"), "the parent of a magnetic ordering is a grey"),
    (("partial", "P4_2/mnm1'", "--to", "P4_2'/mnm''"), "did you mean"),
    (("partial", "Pm-3m1'", "--to", "P4_2'/mnm'"), "Pm-3m1' has no P4_2'/mnm' (136.499)"),
    (("partial", "136.999", "--to", "136.499"), "136"),
    (("partial", "P4_2/mnm1'", "--to", "P4_2'/mnm' [a,b,5c; 0,0,0]"), "no magnetic subgroup"),
    (("full", "P4_2/mnm1'", "--cell", "4.87,4.87,3.31,90,90,90"), "--cell"),
])
def test_bad_input_is_one_line_and_exit_2(args, words):
    out = sbs(*args)
    assert out.returncode == 2
    assert words in out.stderr, out.stderr
    assert out.stderr.strip().count("\n") == 0
    assert out.stdout == ""


def test_a_grey_name_is_read_in_any_setting_and_by_number():
    assert grey_space_group("Fd-3m1':1").name == "Fd-3m1':1"
    assert grey_space_group("227.129").space_group.number == 227
    with pytest.raises(InputError, match="type III"):
        grey_space_group("136.499")


def _types_over_s(number: int) -> set[str]:
    """The BNS types of the magnetic subgroups M of S1' whose image H is S
    itself (theta forgotten), as the engine names them."""
    session = default_session()
    g = space_group_by_number(number)
    structure = space_group_structure(g, session=session)
    h = space_subgroup_class(g, list(structure.generators) + lattice_generators(structure),
                             session=session)
    return {c.bns_number for c in magnetic_space_classes_over(GreySpaceGroup(g), [h],
                                                                 session=session)}


def _expected_over_s() -> dict[int, set[str]]:
    """Every non-grey type with the family S (its operations with theta
    forgotten form a group of S's type): each is a subgroup of S1' with
    image S, so each must be found over S, and nothing else."""
    expected = collections.defaultdict(set)
    for record in magnetic_space_group_types():
        if record.type != 2:
            expected[record.family_number()].add(record.bns_number)
    return expected


SAMPLE = (1, 2, 14, 47, 62, 123, 136, 166, 191, 194, 221, 225, 227, 229)


@pytest.mark.parametrize("number", SAMPLE)
def test_every_bns_type_over_s_is_found_and_named(number):
    assert _types_over_s(number) == _expected_over_s()[number]


@pytest.mark.exhaustive
def test_all_1421_non_grey_bns_types_are_found_and_named():
    expected = _expected_over_s()
    assert sum(len(v) for v in expected.values()) == 230 + 674 + 517
    wrong = {n: sorted(_types_over_s(n) ^ expected[n]) for n in range(1, 231)}
    assert {n: w for n, w in wrong.items() if w} == {}


def test_mnf2_objects_are_a_uniform_time_odd_rank_2_field():
    """MnF2's Neel order seen from the uniform fields: no time-odd vector is
    kept by 4'/mm'm (no net moment), the smallest kept irrep is a time-odd
    2e (the d-wave, altermagnetic order parameter); theta swaps the two."""
    from sbs_gap.objects import symmetry_breaking_set

    sbs_set = symmetry_breaking_set("P4_2/mnm1'", "P4_2'/mnm' [a,b,c; 0,0,0]")
    assert (sbs_set.size, sbs_set.ideal, sbs_set.kind, sbs_set.irreps) == \
        (2, True, "uniform", "2e'")
    first, second = sbs_set.as_torch().numpy()
    assert np.allclose(first, -second) and np.linalg.norm(first) > 0.5


def test_marker_patterns_of_a_grey_parent_carry_time_odd_signs():
    """P4_2/mnm1' -> P4_2'/mnm' asked for as markers is not offered (uniform
    works); P4/mmm1' -> P_c4/mmm needs markers: its stabilizer lacks the
    translation c (an anti-translation of M)."""
    from sbs_gap.objects import symmetry_breaking_set

    sbs_set = symmetry_breaking_set("P4/mmm1'", "P_c4/mmm [a,b,2c; 0,0,0]")
    first, second = sbs_set.objects
    assert (sbs_set.size, sbs_set.kind, sbs_set.irreps) == (2, "markers", "0e'")
    # the two domains: the same markers with every sign reversed (theta)
    assert first.positions == second.positions
    assert np.array_equal(first.features, -second.features)
    points, features = first.features_in_cell(np.diag([1, 1, 2]))
    assert len(points) == len(first.positions) and features.shape == (len(points), 1)


def test_a_cubic_ferromagnet_gets_uniform_time_odd_axial_vectors():
    from sbs_gap.objects import symmetry_breaking_set

    sbs_set = symmetry_breaking_set("Pm-3m1'", "P4/mm'm'")
    assert (sbs_set.size, sbs_set.kind, sbs_set.irreps) == (6, "uniform", "1e'")
    vectors = sbs_set.as_torch().numpy()
    assert sorted(map(tuple, np.round(vectors, 12).tolist())) == sorted(
        tuple(s * e) for s in (1, -1) for e in np.eye(3).tolist() for e in [np.array(e)])


def test_p11_grey_to_p1_is_a_time_odd_scalar():
    out = sbs("objects", "P11'", "--json")
    assert out.returncode == 0, out.stderr
    record = json.loads(out.stdout)
    assert (record["size"], record["irreps"], record["kind"]) == (2, "0e'", "uniform")
    assert sorted(o["vector"][0] for o in record["objects"]) == [-1.0, 1.0]


def test_type_iv_objects_alternate_along_the_doubled_axis():
    out = sbs("objects", "P4/mmm1'", "--to", "P_c4/mmm [a,b,2c; 0,0,0]", "--json")
    assert out.returncode == 0, out.stderr
    record = json.loads(out.stdout)
    assert record["size"] == 2 and record["irreps"] == "0e'"
    obj = record["objects"][0]
    by_z = collections.defaultdict(set)
    for p, s in zip(obj["positions_exact"], obj["signs"]):
        by_z[p[2]].add(s)
    # one sign per layer, opposite signs c apart (the anti-translation)
    assert by_z["0"] == {1} and by_z["1"] == {-1}



def test_a_grey_set_says_which_elements_carry_theta():
    from sbs_gap.objects import symmetry_breaking_set

    sbs_set = symmetry_breaking_set("P4_2/mnm1'", "P4_2'/mnm' [a,b,c; 0,0,0]")
    flags = sbs_set.group_time_reversal
    assert len(flags) == len(sbs_set.group_operations) == 32 and sum(flags) == 16
    v = sbs_set.as_torch().numpy()
    # an element with theta moves +v to -v exactly when the rest of it keeps v:
    # every element permutes the two objects, theta flips the sign of each
    for action, flag, (r, _) in zip(sbs_set.group_action, flags, sbs_set.group_operations):
        assert action in ((0, 1), (1, 0))
    assert json.loads(json.dumps(sbs_set.to_json()))["normalizer_generators"][0].keys() >= \
        {"rotation", "translation", "time_reversal"}
    assert np.allclose(v[0], -v[1])
