"""Space groups in E(3): docs/theory.md section 8's worked facts, names and
settings, bad input, against real GAP (Cryst)."""
import json
from fractions import Fraction

import numpy as np
import pytest

from sbs_gap import breaking
from sbs_gap.errors import InputError
from sbs_gap.groups import (
    group_by_name, lattice_holohedry, parse_cell, primitive_basis, space_group,
)
from tests.conftest import sbs

pytestmark = pytest.mark.gap


def one_row(gap, S, K):
    rows = breaking.space_group_partial(S, K, session=gap)
    assert len(rows) == 1, [r.subgroup for r in rows]
    return rows[0]


# --- section 8, worked facts -------------------------------------------------

def test_pm3m_normalizer_is_im3m_index_2(gap):
    n = breaking.euclidean_normalizer("Pm-3m", session=gap)
    assert (n.symbol, n.number, n.index, n.continuous_translations, n.rotation_index) == \
        ("Im-3m", 229, 2, 0, 1)


@pytest.mark.parametrize("K, index, size", [("P4mm", 6, 6), ("R3m", 8, 8), ("Amm2", 12, 12)])
def test_pm3m_to_polar_subgroups_ideal(gap, K, index, size):
    r = one_row(gap, "Pm-3m", K)
    assert (r.index, r.ideal, r.exact_min_size, r.kind, r.continuous) == \
        (index, True, size, "t", False)
    assert r.generalized_normalizer_is_normalizer


def test_pm3m_to_rock_salt_ordering(gap):
    """Fm-3m with cell 2a: K normal in S, the (1/2,1/2,1/2) translation of N
    maps it to the other Fm-3m class, so N' = S != N; ideal, size 2."""
    r = one_row(gap, "Pm-3m", "Fm-3m [2a,2b,2c; 0,0,0]")
    assert (r.index, r.kind, r.ideal, r.exact_min_size) == (2, "k", True, 2)
    assert r.generalized_normalizer_is_normalizer is False
    other = one_row(gap, "Pm-3m", "Fm-3m [2a,2b,2c; 1/2,1/2,1/2]")
    assert other.subgroup != r.subgroup
    by_type = [x.subgroup for x in breaking.space_group_partial("Pm-3m", "Fm-3m", session=gap)]
    assert by_type == ["Fm-3m (225) [2a,2b,2c; 0,0,0]", "Fm-3m (225) [2a,2b,2c; 1/2,1/2,1/2]"]


def test_p4_full_is_ideal_with_four_objects(gap):
    """The point group C4 has no finite full SBS in O(3), but the lattice
    leaves rotation parts 4/mmm and S meet C = <c> is in T(S)."""
    r = breaking.space_group_full("P4", session=gap)
    assert (r.ideal, r.min_size, r.continuous) == (True, 4, False)
    assert (r.normalizer_index, r.continuous_translations, r.normalizer_rotation_index) == \
        (None, 1, 4)
    assert r.normalizer == "P^1 4/mmm"


def test_p4mm_cell_doubling_along_polar_axis_is_continuous(gap):
    r = one_row(gap, "P4mm", "P4mm [a,b,2c; 0,0,0]")
    assert (r.index, r.kind, r.continuous) == (2, "k", True)
    assert r.exact_min_size is None and r.nonexact_min_size is None and not r.ideal


def test_p4mm_in_plane_doubling_is_finite(gap):
    r = one_row(gap, "P4mm", "P4mm [a-b,a+b,c; 0,0,0]")
    assert r.index == 2 and not r.continuous and r.exact_min_size is not None


def test_p_1(gap):
    n = breaking.euclidean_normalizer("P-1", session=gap)
    assert (n.symbol, n.index) == ("P-1", 8)
    r = one_row(gap, "P-1", "P1")
    assert (r.index, r.ideal, r.exact_min_size) == (2, True, 2)


def test_polar_normalizers_follow_ita_epsilon_convention(gap):
    # C2 (b unique): translations a/2, c/2 and continuous b: a primitive lattice
    assert breaking.euclidean_normalizer("C121", session=gap).symbol == "P^1 2/m"
    assert breaking.euclidean_normalizer("P1", session=gap).symbol == "P^3 -1"
    assert breaking.euclidean_normalizer("P6_1", session=gap).symbol == "P^1 622"


def test_specialised_cell_can_enlarge_the_normalizer(gap):
    """Pmmm with a = b: the lattice gains the four-fold axis, which
    normalizes mmm (a cubic metric would not help 4/mmm: m-3m's three-fold
    axes move its four-fold axis)."""
    generic = breaking.euclidean_normalizer("Pmmm", session=gap)
    square = breaking.euclidean_normalizer("Pmmm", cell="1,1,1.3,90,90,90", session=gap)
    assert (generic.rotation_index, generic.index) == (1, 8)
    assert (square.rotation_index, square.index) == (2, 16)
    assert square.symbol == "P4/mmm"
    tetragonal = breaking.euclidean_normalizer("P4/mmm", cell="1,1,1,90,90,90", session=gap)
    assert tetragonal.rotation_index == 1


def test_every_row_of_pm3m(gap):
    rows = breaking.space_group_partial("Pm-3m", session=gap)
    t = [r for r in rows if r.kind == "t"]
    k = [r for r in rows if r.kind == "k"]
    assert len(t) == 33  # the classes of subgroups of m-3m
    assert sorted((r.subgroup_number, r.index) for r in k) == \
        [(225, 2), (225, 2), (226, 2), (226, 2), (229, 4), (229, 4)]
    assert all(r.ideal and r.exact_min_size == r.index for r in rows)
    assert len({r.subgroup for r in rows}) == len(rows)
    assert [r.subgroup for r in breaking.space_group_partial("Pm-3m", kind="k", session=gap)] \
        == [r.subgroup for r in k]


def test_class_names_do_not_depend_on_the_representative(gap, fresh_gap):
    names = [r.subgroup for r in breaking.space_group_partial("P4_2/mnm", session=gap)]
    again = [r.subgroup for r in breaking.space_group_partial("P4_2/mnm", session=fresh_gap)]
    assert names == again
    # a class named explicitly gets the same name
    for name in names[:6]:
        assert one_row(gap, "P4_2/mnm", name.split(" (")[0] + " [" + name.split("[")[1]
                       ).subgroup == name


# --- names and settings --------------------------------------------------------

@pytest.mark.parametrize("text, number, name", [
    ("Pm-3m", 221, "Pm-3m"), ("P m -3 m", 221, "Pm-3m"), ("P 4/m -3 2/m", 221, "Pm-3m"),
    ("P4_2/mnm", 136, "P4_2/mnm"), ("P 42/m n m", 136, "P4_2/mnm"),
    ("P 1 21/c 1", 14, "P2_1/c"), ("P2_1/c", 14, "P2_1/c"), ("P 1 1 21/a", 14, "P2_1/c:c1"),
    ("Fd-3m:1", 227, "Fd-3m:1"), ("Fd-3m:2", 227, "Fd-3m"), ("Fd-3m", 227, "Fd-3m"),
    ("R-3m:H", 166, "R-3m"), ("R-3m:R", 166, "R-3m:R"), ("r-3m:r", 166, "R-3m:R"),
    ("SG221", 221, "Pm-3m"), ("sg 227:1", 227, "Fd-3m:1"), ("C121", 5, "C2"), ("SG5", 5, "C2"),
])
def test_space_group_names(text, number, name):
    if number is None:
        with pytest.raises(InputError):
            space_group(text)
        return
    g = space_group(text)
    assert (g.number, g.name) == (number, name)


def test_point_group_names_are_unchanged():
    assert type(group_by_name("C2")).__name__ == "PointGroup"
    assert type(group_by_name("m-3m")).__name__ == "PointGroup"
    assert type(group_by_name("Pm-3m")).__name__ == "SpaceGroup"


@pytest.mark.parametrize("text, words", [
    ("Pbnm", ["not supported", "Pnma"]), ("Pm-3q", ["unknown space group"]),
    ("SG231", ["1 to 230"]), ("Fd-3m:3", ["unknown"]), ("P4mm; Exec(\"ls\")", ["unknown"]),
])
def test_bad_space_group_names(text, words):
    with pytest.raises(InputError) as err:
        space_group(text)
    assert all(w in str(err.value) for w in words), str(err.value)


# `make test`: every 15th Hall setting plus the usual alternatives (origin
# choices of Fd-3m, rhombohedral axes, Pnma and its permutations); the test
# of every setting is in the exhaustive tier.
def _sample_hall_numbers(named):
    halls = sorted(named)
    special = {h for h, g in named.items()
               if g.name.split(":")[0] in ("Fd-3m", "R-3m", "R3m", "Pnma", "Pbnm", "P2_1/c")}
    return sorted(set(halls[::15]) | special | {halls[-1]})


def test_cryst_settings_agree_with_spglib_database_for_a_sample(gap):
    """As the test below, for a fixed sample of the settings."""
    from sbs_gap.groups._spacegroups import _table

    named = _table()[0]
    sample = _sample_hall_numbers(named)
    assert len(sample) >= 25
    for hall in sample:
        _assert_cryst_setting_agrees_with_spglib(gap, hall, named[hall])


@pytest.mark.exhaustive
def test_cryst_settings_agree_with_spglib_database(gap):
    """Every setting we accept: Cryst's operations (the GAP path) equal the
    operations of spglib's Hall setting of the same name, modulo the
    conventional cell."""
    from sbs_gap.groups._spacegroups import _table

    named = _table()[0]
    for hall, g in sorted(named.items()):
        _assert_cryst_setting_agrees_with_spglib(gap, hall, g)


def _assert_cryst_setting_agrees_with_spglib(gap, hall, g):
    """Cryst's operations of setting `g` (the GAP path) equal those of spglib's
    Hall setting number `hall`, modulo the conventional cell."""
    import spglib

    from sbs_gap.groups import quiet_spglib

    structure = breaking.space_group_structure(g, session=gap)
    ours = _operations_mod_one(structure.generators, structure.translation_basis)
    with quiet_spglib():
        db = spglib.get_symmetry_from_database(hall)
    theirs = {(tuple(map(tuple, r.tolist())), tuple(Fraction(x).limit_denominator(12) % 1
                                                    for x in t))
              for r, t in zip(db["rotations"], db["translations"])}
    assert ours == theirs, (hall, g.name)


def _operations_mod_one(generators, basis):
    def key(m):
        return (tuple(tuple(int(x) for x in row[:3]) for row in m[:3]),
                tuple(m[i][3] % 1 for i in range(3)))

    def mult(a, b):
        (ra, ta), (rb, tb) = a, b
        r = tuple(tuple(sum(ra[i][k] * rb[k][j] for k in range(3)) for j in range(3))
                  for i in range(3))
        t = tuple((ta[i] + sum(ra[i][k] * tb[k] for k in range(3))) % 1 for i in range(3))
        return r, t

    gens = [key(m) for m in generators]
    identity = (tuple(tuple(int(i == j) for j in range(3)) for i in range(3)),
                (Fraction(0),) * 3)
    found = {identity}
    frontier = [identity]
    while frontier:
        x = frontier.pop()
        for g in gens:
            y = mult(g, x)
            if y not in found:
                found.add(y)
                frontier.append(y)
    return found


def test_holohedry_of_generic_metrics():
    sizes = {}
    for text in ("P-1", "P2/m", "Pmmm", "P4/mmm", "P6/mmm", "R-3m", "R-3m:R", "Pm-3m",
                 "Fm-3m", "Im-3m", "C2/m"):
        g = space_group(text)
        from sbs_gap.groups import generic_cell

        columns = [[v[i] for v in primitive_basis(g)] for i in range(3)]
        sizes[text] = len(lattice_holohedry(columns, generic_cell(g)))
    assert sizes == {"P-1": 2, "P2/m": 4, "Pmmm": 8, "P4/mmm": 16, "P6/mmm": 24, "R-3m": 12,
                     "R-3m:R": 12, "Pm-3m": 48, "Fm-3m": 48, "Im-3m": 48, "C2/m": 4}


@pytest.mark.parametrize("cell, words", [
    ("1,1,1.2,90,90,90", ["inconsistent", "cubic"]), ("1,1,1", ["six"]),
    ("1,1,1,90,90,x", ["six numbers"]), ("1,1,1,200,90,90", ["below 180"]),
])
def test_bad_cells(cell, words):
    with pytest.raises(InputError) as err:
        parse_cell(cell, space_group("Pm-3m"))
    assert all(w in str(err.value) for w in words), str(err.value)


@pytest.mark.parametrize("K, words", [
    ("P4mm [2a,b,c]", ["not a subgroup"]),
    ("Fm-3m [a,b,c; 0,0,0]", ["not a subgroup"]),
    ("P4mm [a,b]", ["three basis vectors"]),
    ("P4mm [a,b,a]", ["linearly dependent"]),
    ("P4mm [b,a,c]", ["left-handed"]),
    ("P6mm", ["not a subgroup", "6mm"]),
    ("P1 [12a,12b,c]", ["index"]),
])
def test_bad_targets(gap, K, words):
    with pytest.raises(InputError) as err:
        breaking.space_group_partial("Pm-3m", K, session=gap)
    assert all(w in str(err.value) for w in words), str(err.value)


# --- the command line ----------------------------------------------------------

def test_cli_group_json():
    r = sbs("group", "Pm-3m", "--json")
    assert r.returncode == 0, r.stderr
    record = json.loads(r.stdout)
    assert set(record) >= {"group", "number", "hermann_mauguin", "setting", "crystal_family",
                           "point_group", "centering", "generators"}
    assert (record["number"], record["crystal_family"], record["point_group"],
            record["centering"]) == (221, "cubic", "m-3m", "P")
    # exact affine generators, rationals as strings
    assert all(len(m) == 4 and len(m[0]) == 4 for m in record["generators"])
    r = sbs("group", "Fd-3m:1", "--json")
    assert any("1/4" in x for m in json.loads(r.stdout)["generators"] for row in m for x in row)


def test_cli_full_and_partial_json():
    r = sbs("full", "Pm-3m", "--json")
    assert r.returncode == 0, r.stderr
    record = json.loads(r.stdout)
    assert list(record) == ["group", "number", "normalizer", "normalizer_index",
                            "continuous_translations", "normalizer_rotation_index", "ideal",
                            "min_size", "complement", "continuous"]
    r = sbs("partial", "Pm-3m", "--to", "R3m", "--json")
    rows = json.loads(r.stdout)
    assert list(rows[0]) == ["group", "subgroup", "subgroup_number", "kind", "index",
                             "generalized_normalizer_is_normalizer", "ideal", "exact_min_size",
                             "nonexact_min_size", "break_more_is_smaller", "continuous"]
    assert (rows[0]["index"], rows[0]["exact_min_size"]) == (8, 8)


@pytest.mark.parametrize("args", [
    ["full", "Pq-3m"], ["partial", "Pm-3m", "--to", "P4mm [a,b]"],
    ["full", "Pm-3m", "--cell", "1,1,2,90,90,90"], ["full", "Oh", "--cell", "1,1,1,90,90,90"],
    ["partial", "D3", "--kind", "t"], ["partial", "Pm-3m", "--to", "Fm-3m [a,b,c]"],
])
def test_cli_bad_input_exits_2_with_one_line(args):
    r = sbs(*args)
    assert r.returncode == 2, (r.stdout, r.stderr)
    assert len(r.stderr.strip().splitlines()) == 1 and "Traceback" not in r.stderr


# --- transitions between published structures ----------------------------------

STRUCTURES = __import__("pathlib").Path(__file__).resolve().parent.parent / "examples" / \
    "structures"


def _displacement_field(state, parent, supercell=2):
    """Each atom of a domain state as (element, nearest parent site in a
    supercell of the parent's conventional cell, displacement): the state up
    to nothing (two states are the same iff their fields are)."""
    from sbs_gap.structures import read_structure

    p = read_structure(STRUCTURES / parent)
    lattice = p.lattice * supercell
    sites = [(s, (f + np.array(shift)) / supercell) for s, f in zip(p.species, p.fractional)
             for shift in np.ndindex(supercell, supercell, supercell)]
    field = set()
    frac = state.positions @ np.linalg.inv(lattice)
    for element, f in zip(state.species, frac):
        best = None
        for s, site in sites:
            if s != element:
                continue
            d = f - site
            d -= np.round(d)
            dist = np.linalg.norm(d @ lattice)
            if best is None or dist < best[0]:
                best = (dist, tuple(np.round(site % 1, 6)), tuple(np.round(d @ lattice, 3)))
        field.add((element, best[1], best[2]))
    return frozenset(field)


@pytest.mark.parametrize("parent, child, number, index, size", [
    ("BaTiO3_cubic.cif", "BaTiO3_P4mm.cif", 99, 6, 6),
    ("SrTiO3_cubic.cif", "SrTiO3_I4mcm.cif", 140, 6, 6),
    ("quartz_beta.cif", "quartz_alpha.cif", 154, 2, 2),
    ("BaTiO3_cubic.cif", "BaTiO3_Amm2.cif", 38, 12, 12),
])
def test_transition_index_and_domain_states(gap, parent, child, number, index, size):
    from sbs_gap.structures import transition

    from sbs_gap.structures._transition import _dataset

    t = transition(STRUCTURES / parent, STRUCTURES / child, session=gap)
    assert (t.child_number, t.index, t.exact_min_size, t.ideal) == (number, index, size, True)
    assert t.max_displacement < 0.5
    assert len(t.domain_states) == index
    # every state has the child's symmetry, and the states are all different
    assert all(int(_dataset(s, 1e-3, "state").number) == number for s in t.domain_states)
    fields = {_displacement_field(s, parent) for s in t.domain_states}
    assert len(fields) == index


def test_srtio3_tilts_are_antiphase_cell_doubling(gap):
    from sbs_gap.structures import transition

    t = transition(STRUCTURES / "SrTiO3_cubic.cif", STRUCTURES / "SrTiO3_I4mcm.cif",
                   session=gap)
    assert t.subgroup.startswith("I4/mcm (140) [") and t.parent == "Pm-3m"
    assert t.generalized_normalizer_is_normalizer is False


@pytest.mark.parametrize("parent, child", [("BaTiO3_P4mm.cif", "BaTiO3_Amm2.cif"),
                                           ("BaTiO3_Amm2.cif", "BaTiO3_P4mm.cif")])
def test_transition_between_sibling_phases_exits_2(parent, child, tmp_path):
    r = sbs("transition", STRUCTURES / parent, STRUCTURES / child, "--out", tmp_path)
    assert r.returncode == 2, (r.stdout, r.stderr)
    assert "is not a subgroup" in r.stderr and len(r.stderr.strip().splitlines()) == 1
    assert not list(tmp_path.iterdir())


def test_transition_cli_writes_domain_states(tmp_path):
    r = sbs("transition", STRUCTURES / "BaTiO3_cubic.cif", STRUCTURES / "BaTiO3_P4mm.cif",
                "--out", tmp_path / "domains", "--json")
    assert r.returncode == 0, r.stderr
    record = json.loads(r.stdout)
    assert record["index"] == 6 and len(record["domain_states"]) == 6
    assert sorted(p.name for p in (tmp_path / "domains").iterdir()) == \
        [f"domain_{i:02d}.cif" for i in range(1, 7)]


@pytest.mark.parametrize("files, words", [
    (("benzene.xyz", "BaTiO3_P4mm.cif"), "not periodic"),
    (("BaTiO3_cubic.cif", "quartz_alpha.cif"), "different elements"),
    (("BaTiO3_cubic.cif", "missing.cif"), "missing.cif"),
])
def test_transition_bad_input(files, words):
    r = sbs("transition", *(STRUCTURES / f for f in files))
    assert r.returncode == 2 and words in r.stderr, (r.stdout, r.stderr)


# --- space-group problem files ---------------------------------------------------

def test_problem_file_target_by_operations():
    r = sbs("partial", "--problem", "examples/pm3m_to_fm3m.json", "--json")
    assert r.returncode == 0, r.stderr
    (row,) = json.loads(r.stdout)
    assert (row["subgroup"], row["index"], row["ideal"], row["exact_min_size"]) == \
        ("Fm-3m (225) [2a,2b,2c; 0,0,0]", 2, True, 2)
    r = sbs("partial", "--problem", "examples/p4mm_doubled_along_c.json", "--json")
    (row,) = json.loads(r.stdout)
    assert row["continuous"] and row["exact_min_size"] is None


@pytest.mark.parametrize("operations, words", [
    (["x,y"], "three"), (["2x,y,z"], "determinant"), (["x+1/3,y,z"], "not an element"),
    (["-y,x,z"], "do not span"), (["x;Exec(1),y,z"], "cannot read"),
])
def test_problem_file_bad_operations(tmp_path, operations, words):
    path = tmp_path / "p.json"
    path.write_text(json.dumps({"name": "x", "space_group": "Pm-3m",
                                "target": {"operations": operations}}))
    r = sbs("partial", "--problem", path)
    assert r.returncode == 2 and words in r.stderr, (r.stdout, r.stderr)


def test_crosscheck_space_groups_cli():
    r = sbs("crosscheck", "--space-groups", "Pm-3m,P4mm,P-1,R-3m")
    assert r.returncode == 0, (r.stdout, r.stderr)
    assert "4 space groups" in r.stdout and "0 disagreements" in r.stdout


def test_c121_is_the_point_group_and_c_1_2_1_the_space_group():
    """Point groups come first: C121 is the cyclic group C_121 (the README
    says so); space group No. 5 is written with spaces or as SG5."""
    from sbs_gap.groups import PointGroup, SpaceGroup, group_by_name

    c121 = group_by_name("C121")
    assert isinstance(c121, PointGroup) and c121.expected_order == 121
    for name in ("C 1 2 1", "C1_2_1", "SG5"):
        g = group_by_name(name)
        assert isinstance(g, SpaceGroup) and g.number == 5
