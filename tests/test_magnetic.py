"""Magnetic point groups (docs/theory.md section 9): symbols, the 122 types,
the engine in O(3) x {1, theta} and THEORY's worked facts."""
import collections

import numpy as np
import pytest

from sbs_gap import full_breaking, partial_breaking
from sbs_gap.errors import InputError
from sbs_gap.groups import magnetic_point_group, magnetic_point_group_types, point_group


def test_there_are_122_magnetic_point_group_types():
    types = magnetic_point_group_types()
    assert len(types) == 122
    assert collections.Counter(g.kind for g in types) == {"I": 32, "II": 32, "III": 58}
    assert len({g.name for g in types}) == 122
    # each black-white type: an index-2 unitary subgroup, theta absent
    for g in types:
        elements = g.numpy_elements
        primed = elements[:, 3, 3] < 0
        p = g.point_group.numpy_elements
        if g.kind == "II":
            assert len(elements) == 2 * len(p)
        else:
            assert len(elements) == len(p)
            assert primed.sum() == (len(p) // 2 if g.kind == "III" else 0)


@pytest.mark.parametrize("symbol, image, order, primed", [
    ("4/mm'm'", "D4h", 16, 8), ("m-3m1'", "Oh", 96, 48), ("2'/m", "C2h", 4, 2),
    ("-1'", "Ci", 2, 1), ("11'", "C1", 2, 1), ("C1'", "C1", 2, 1), ("m'-3'm", "Oh", 48, 24),
    ("-6'm2'", "D3h", 12, 6), ("D4h(C4h)", "D4h", 16, 8), ("C5v(C5)", "C5v", 10, 5),
])
def test_symbols_read(symbol, image, order, primed):
    g = magnetic_point_group(symbol)
    assert g.point_group.schoenflies == image
    assert g.order == order
    assert int((g.numpy_elements[:, 3, 3] < 0).sum()) == primed


def test_primes_name_the_elements_in_the_standard_orientation():
    g = magnetic_point_group("4/mm'm'")
    by_rotation = {tuple(np.round(m[:3, :3], 6).ravel()): m[3, 3] for m in g.numpy_elements}
    four_z = (0, -1, 0, 1, 0, 0, 0, 0, 1)
    mirror_x = (-1, 0, 0, 0, 1, 0, 0, 0, 1)
    mirror_z = (1, 0, 0, 0, 1, 0, 0, 0, -1)
    assert by_rotation[four_z] == 1 and by_rotation[mirror_z] == 1
    assert by_rotation[mirror_x] == -1
    # a moment along z (axial, time-odd) is kept by every element of 4/mm'm'
    for m in g.numpy_elements:
        r, tau = m[:3, :3], m[3, 3]
        assert np.allclose(tau * np.linalg.det(r) * r @ [0, 0, 1], [0, 0, 1])


@pytest.mark.parametrize("text, words", [
    ("mm'2", "not consistent"), ("4mm", "no prime"), ("D4h(D2h)", "ambiguous"),
    ("4'/m'm'm'1'", "grey"), ("q'", "unknown magnetic point group"),
    ("P4_2/mnm1'", "looks like a magnetic space group, not a magnetic point group"),
    ("3m1'x", "unknown"), ("-42'm", "not consistent"),
])
def test_bad_symbols_are_refused_in_one_line(text, words):
    with pytest.raises(InputError) as caught:
        magnetic_point_group(text)
    assert words in str(caught.value)
    assert "\n" not in str(caught.value)



@pytest.mark.gap
def test_worked_fact_cubic_ferromagnet():
    """m-3m1' -> 4/mm'm' (THEORY section 9): index 6, ideal, size 6."""
    (row,) = partial_breaking("m-3m1'", "4/mm'm'")
    assert (row.subgroup, row.index, row.subgroup_order) == ("4/mm'm'", 6, 16)
    assert row.ideal and row.exact_min_size == 6 and row.nonexact_min_size == 6
    assert row.subgroup_type == "D4h(C4h)" and not row.time_reversal_kept
    (row,) = partial_breaking("m-3m1'", "4mm1'")
    assert (row.index, row.exact_min_size, row.ideal) == (6, 6, True)
    assert row.time_reversal_kept


@pytest.mark.gap
def test_worked_fact_time_odd_scalar():
    """C1' -> C1: size 2 (a time-odd scalar +-1)."""
    (row,) = partial_breaking("C1'", "1")
    assert (row.index, row.exact_min_size, row.ideal) == (2, 2, True)
    full = full_breaking("11'")
    assert full.ideal and full.min_size == 2 and full.normalizer == "O(3)1'"
    assert full.magnetic_type == "II"


@pytest.mark.gap
def test_grey_normalizer_is_the_plain_one_times_theta():
    for name in ("Oh", "D4h", "C2v", "D3", "Td"):
        plain = full_breaking(name)
        grey = full_breaking(point_group(name).hermann_mauguin + "1'")
        assert grey.normalizer == plain.normalizer + "1'"
        assert grey.normalizer_order == 2 * plain.normalizer_order
        assert grey.order == 2 * plain.order


@pytest.mark.gap
def test_type_i_rows_agree_with_the_plain_point_group():
    """The theta-free subgroups of S1' with the answers of S alone would
    differ (N' gains theta): what must agree is the index and order."""
    plain = {r.subgroup: r for r in partial_breaking("D4h")}
    grey = {r.subgroup: r for r in partial_breaking("4/mmm1'")
            if not r.time_reversal_kept and "'" not in r.subgroup}
    assert len(grey) == len(plain)
    assert sorted(r.subgroup_order for r in grey.values()) == \
        sorted(r.subgroup_order for r in plain.values())
    for r in grey.values():
        assert r.index == 32 // r.subgroup_order


@pytest.mark.gap
def test_a_magnetic_target_of_an_ordinary_group_is_refused():
    with pytest.raises(InputError, match="the parent of a magnetic ordering is a grey"):
        partial_breaking("Oh", "4/mm'm'")
    with pytest.raises(InputError, match="not a subgroup"):
        partial_breaking("m-3m1'", "6'/m")
    with pytest.raises(InputError, match="the parent of a magnetic ordering is a grey group "
                                         r"\(e.g. P4_2/mnm1'\)"):
        partial_breaking("P4_2/mnm", "P4_2'/mnm'")


@pytest.mark.gap
def test_class_names_are_unique_and_every_class_is_reached_by_its_name():
    rows = partial_breaking("4/mmm1'")
    names = [r.subgroup for r in rows]
    assert len(names) == len(set(names))
    for r in rows[::7]:
        (again,) = partial_breaking("4/mmm1'", r.subgroup)
        assert again == r


# ----------------------------------------------------------------------------
# Objects with a time parity, and the command line
# ----------------------------------------------------------------------------

@pytest.mark.gap
def test_cubic_ferromagnet_objects_are_time_odd_axial_vectors():
    """m-3m1' -> 4/mm'm': +-x, +-y, +-z as 1e' (a magnetic moment)."""
    from sbs_gap import symmetry_breaking_set
    from sbs_gap.objects import representation_matrices

    b = symmetry_breaking_set("m-3m1'", "4/mm'm'")
    assert b.irreps == "1e'" and b.ideal and len(b.objects) == 6
    assert sorted(map(tuple, np.round(b.objects, 9).tolist())) == sorted(
        [(0, 0, 1), (0, 0, -1), (0, 1, 0), (0, -1, 0), (1, 0, 0), (-1, 0, 0)])
    theta = np.diag([1.0, 1, 1, -1])
    assert np.allclose(representation_matrices("1e'", theta), -np.eye(3))
    # the object along +z: kept exactly by a 4/mm'm' (computed from the numbers)
    d = representation_matrices("1e'", b.group_elements)
    z = next(i for i, v in enumerate(b.objects) if v[2] > 0.5)
    kept = b.group_elements[np.linalg.norm(d @ b.objects[z] - b.objects[z], axis=1) < 1e-9]
    assert len(kept) == 16
    assert all(m[3, 3] < 0 for m in kept if np.isclose(m[0, 0], -1) and np.isclose(m[2, 2], 1)
               and np.isclose(m[1, 1], 1))  # m_x only with theta


@pytest.mark.gap
def test_time_odd_scalar_and_ferroelectric_objects():
    from sbs_gap import symmetry_breaking_set

    b = symmetry_breaking_set("C1'", "1")
    assert b.irreps == "0e'" and np.allclose(sorted(b.objects.ravel()), [-1.0, 1.0])
    b = symmetry_breaking_set("m-3m1'", "4mm1'")
    assert b.irreps == "1o" and len(b.objects) == 6  # time-even: theta is kept


@pytest.mark.gap
def test_magnetic_command_line():
    import json

    from tests.conftest import sbs as sbs_cli

    out = sbs_cli("partial", "m-3m1'", "--to", "4/mm'm'", "--json")
    assert out.returncode == 0
    (row,) = json.loads(out.stdout)
    assert (row["index"], row["exact_min_size"], row["ideal"]) == (6, 6, True)
    out = sbs_cli("objects", "m-3m1'", "--to", "4/mm'm'", "--json")
    assert json.loads(out.stdout)["irreps"] == "1e'"
    for argv, words in ((("partial", "Oh", "--to", "4/mm'm'"), "grey"),
                        (("partial", "mm'2"), "not consistent"),
                        (("partial", "m-3m1'", "--to", "6'/m"), "not a subgroup")):
        out = sbs_cli(*argv)
        assert out.returncode == 2 and words in out.stderr and out.stdout == ""
        assert len(out.stderr.strip().splitlines()) == 1
    out = sbs_cli("group", "4/mm'm'", "--json")
    record = json.loads(out.stdout)
    assert (record["type"], record["order"], record["point_group"]) == ("III", 16, "D4h")
