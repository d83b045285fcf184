"""Space-group symmetry breaking objects (issue #15; docs/theory.md section 8,
point 3): uniform fields and periodic marker patterns, re-checked here with
exact arithmetic independent of the engine's verification."""
import json
from fractions import Fraction

import numpy as np
import pytest

from sbs_gap import InputError, VerificationError
from sbs_gap.objects import (
    MarkerPattern, SpaceSymmetryBreakingSet, UniformField, space_symmetry_breaking_set,
    symmetry_breaking_set,
)
from sbs_gap.tables import read_table
from tests.conftest import REPO, sbs

pytestmark = pytest.mark.gap

IDENTITY = tuple(tuple(Fraction(int(i == j)) for j in range(3)) for i in range(3))


def _apply(op, x):
    r, t = op
    return tuple(sum(r[i][k] * x[k] for k in range(3)) + t[i] for i in range(3))


def _reduce(x, lattice):
    """x modulo the lattice L (rows), as coordinates in L's basis mod 1."""
    m = np.array([[float(c) for c in row] for row in lattice]).T
    inv = [[Fraction(v).limit_denominator(10_000) for v in row] for row in np.linalg.inv(m)]
    return tuple(sum(inv[i][k] * x[k] for k in range(3)) % 1 for i in range(3))


def _on_plane(x, marker: MarkerPattern):
    """Lines along coordinate axes (the polar groups here): their points
    with those coordinates zero."""
    axes = [next(i for i, c in enumerate(d) if c) for d in marker.directions]
    assert all(sum(map(abs, d)) == 1 for d in marker.directions)
    return tuple(Fraction(0) if i in axes else c for i, c in enumerate(x))


def _pattern(marker: MarkerPattern):
    orientations = marker.orientations or (None,) * len(marker.positions)
    return frozenset((_reduce(_on_plane(p, marker), marker.lattice), u)
                     for p, u in zip(marker.positions, orientations))


def _moved(op, marker: MarkerPattern):
    orientations = marker.orientations or (None,) * len(marker.positions)
    rotate = lambda u: None if u is None else tuple(  # noqa: E731
        sum(op[0][i][k] * u[k] for k in range(3)) for i in range(3))
    return frozenset((_reduce(_on_plane(_apply(op, p), marker), marker.lattice), rotate(u))
                     for p, u in zip(marker.positions, orientations))


def _check_markers(result: SpaceSymmetryBreakingSet):
    """The claims of a marker set, recomputed: the actions of S and of N''s
    generators, each pattern's stabilizer in S of order |S_F| / index."""
    patterns = [_pattern(o) for o in result.objects]
    assert len(set(patterns)) == len(patterns)
    for ops, actions in ((result.group_operations, result.group_action),
                         (result.normalizer_generators, result.normalizer_generators_action)):
        for op, action in zip(ops, actions):
            for i, o in enumerate(result.objects):
                assert _moved(op, o) == patterns[action[i]]
    for o in result.objects:
        fixing = [op for op in result.group_operations if _moved(op, o) == _pattern(o)]
        assert len(fixing) * result.index == len(result.group_operations)


def test_pm3m_to_p4mm_is_six_uniform_vectors():
    result = symmetry_breaking_set("Pm-3m", "P4mm")
    assert isinstance(result, SpaceSymmetryBreakingSet)
    assert (result.kind, result.size, result.ideal, result.irreps) == ("uniform", 6, True, "1o")
    vectors = np.array([o.vector for o in result.objects])
    expected = np.concatenate([np.eye(3), -np.eye(3)])
    assert sorted(map(tuple, np.round(vectors, 12))) == sorted(map(tuple, expected))
    # N' = N = Im-3m: the (1/2,1/2,1/2) translation is a generator outside S,
    # and fixes every uniform field
    half = [i for i, (r, t) in enumerate(result.normalizer_generators)
            if r == IDENTITY and any(x.denominator == 2 for x in t)]
    assert half, "the translation (1/2,1/2,1/2) of N' is among the checked generators"
    for i in half:
        assert result.normalizer_generators_action[i] == tuple(range(6))
    assert result.as_torch().shape == (6, 3)


def test_pm3m_to_fm3m_gives_two_marker_patterns_per_class():
    out = sbs("objects", "Pm-3m", "--to", "Fm-3m", "--json")
    assert out.returncode == 0, out.stderr
    records = json.loads(out.stdout)
    assert [r["subgroup"] for r in records] == ["Fm-3m (225) [2a,2b,2c; 0,0,0]",
                                                "Fm-3m (225) [2a,2b,2c; 1/2,1/2,1/2]"]
    for r in records:
        assert {"group", "subgroup", "size", "objects", "stabilizer",
                "normalizer_generators_action", "continuous"} <= set(r)
        assert (r["size"], r["ideal"], r["kind"]) == (2, True, "markers")
        assert [o["kind"] for o in r["objects"]] == ["markers", "markers"]
        # N' = S (the (1/2,1/2,1/2) of N maps K to the other class): no
        # generator outside S's translations
        assert all(g["rotation"] != [["1", "0", "0"], ["0", "1", "0"], ["0", "0", "1"]]
                   or all(Fraction(x).denominator == 1 for x in g["translation"])
                   for g in r["normalizer_generators"])
    for cls in records:
        result = symmetry_breaking_set("Pm-3m", cls["subgroup"])
        _check_markers(result)
        # the two patterns are the two rock-salt sublattices: together a
        # translate of Z^3 (8 points in the 2x2x2 cell), disjoint
        first, second = (set(map(tuple, o.points_in_cell(2 * np.eye(3)).round(9)))
                         for o in result.objects)
        assert len(first) == len(second) == 4 and len(first | second) == 8


def test_srtio3_tilt_set_markers():
    """Pm-3m -> I4/mcm (a0a0c- octahedral rotations): 6 marker patterns."""
    result = space_symmetry_breaking_set("Pm-3m", "I4/mcm [a-b,a+b,2c; 0,0,0]")
    assert (result.kind, result.size, result.ideal, result.index) == ("markers", 6, True, 6)
    assert result.stabilizer == "I4/mcm (140)"
    _check_markers(result)
    points = result.objects[0].points_in_cell(2 * np.eye(3))
    assert points.shape == (16, 3)  # 4 per cell of L, 4 cells of L in the 2x2x2 cell
    assert np.all((points >= 0) & (points < 2))
    with pytest.raises(InputError, match="not in the pattern's lattice"):
        result.objects[0].points_in_cell(np.eye(3))


def test_polar_groups_lines_and_continuous_sets():
    lines = space_symmetry_breaking_set("Pmm2", "Pmm2 [2a,b,c; 0,0,0]")
    assert (lines.kind, lines.size, lines.continuous) == ("markers", 2, False)
    assert [list(d) for d in lines.objects[0].directions] == [[0, 0, 1]]
    assert lines.irreps == "0e" and lines.objects[0].orientations == ()
    # here M lacks the elements that only reverse z (m_z of N'), which fix
    # every line: the lines carry an orientation, and the two objects are
    # the same lines oppositely oriented
    oriented = space_symmetry_breaking_set("Pmm2", "Pmm2 [a,2b,c; 0,1/2,0]")
    assert (oriented.irreps, oriented.size) == ("1o", 2)
    first, second = oriented.objects
    assert first.positions == second.positions
    assert np.allclose(np.abs(first.features[:, 2]), 1)
    assert {tuple(-x for x in u) for u in first.orientations} == set(second.orientations)
    _check_markers(oriented)
    assert all(p[2] == 0 for o in lines.objects for p in o.positions)  # points on z = 0
    _check_markers(lines)
    continuous = space_symmetry_breaking_set("P4mm", "P4mm [a,b,2c; 0,0,0]")
    assert continuous.continuous and continuous.size is None
    assert continuous.objects[0].directions == ()
    uniform = space_symmetry_breaking_set("P4")  # P4 -> P1: ideal, 4 in-plane vectors
    assert (uniform.kind, uniform.size, uniform.ideal) == ("uniform", 4, True)
    assert np.allclose([o.vector[2] for o in uniform.objects], 0)


@pytest.mark.parametrize("group", ["Pm", "R-3m",
                                   # the most classes: in the exhaustive tier
                                   pytest.param("Pmm2", marks=pytest.mark.exhaustive),
                                   pytest.param("P4/mmm", marks=pytest.mark.exhaustive),
                                   pytest.param("P6_3/mmc", marks=pytest.mark.exhaustive),
                                   pytest.param("Fd-3m", marks=pytest.mark.exhaustive)])
def test_sizes_agree_with_the_tables(group):
    """Every enumerated class of these groups: the objects' size and ideality
    are the table's exact minimum (finite sets), or the set is continuous."""
    rows = [r for r in read_table(REPO / "tables" / "spacegroups" / "partial.csv")
            if r["group"] == group]
    assert rows
    for row in rows:
        result = space_symmetry_breaking_set(group, row["subgroup"])
        assert result.continuous == row["continuous"], row["subgroup"]
        if not row["continuous"]:
            assert result.size == row["exact_min_size"], row["subgroup"]
            assert result.ideal == row["ideal"], row["subgroup"]
        if result.kind == "markers":
            _check_markers(result)


def test_verification_catches_a_wrong_stabilizer(gap):
    from sbs_gap.breaking import select_space_classes, space_group_structure
    from sbs_gap.objects import _periodic as periodic  # the verification step itself

    structure = space_group_structure("Pm-3m", session=gap)
    (cls,) = select_space_classes(structure, "I4/mcm [a-b,a+b,2c; 0,0,0]", session=gap)
    data = periodic._data(structure, cls, gap)
    (witness,) = data.witnesses
    identity = next(i for i, (r, t) in enumerate(data.elements)
                    if r == IDENTITY and not any(t))
    with pytest.raises(VerificationError):
        periodic._markers(data, frozenset({identity}), np.eye(3))  # too small a stabilizer


def test_cli_text_and_errors():
    out = sbs("objects", "Pm-3m", "--to", "P4mm")
    assert out.returncode == 0, out.stderr
    assert "uniform" in out.stdout and "object 6" in out.stdout
    out = sbs("objects", "Pm-3m", "--to", "P4mm", "--irreps", "2e")
    assert out.returncode == 2 and "the smallest that can is '1o'" in out.stderr
    out = sbs("objects", "Pm-3m", "--to", "Fm-3m [2a,2b,2c; 0,0,0]", "--irreps", "1o")
    assert out.returncode == 2 and "needs marker patterns" in out.stderr
    out = sbs("objects", "D3", "--cell", "1,1,1,90,90,90")
    assert out.returncode == 2 and "--cell is for space groups" in out.stderr
    out = sbs("objects", "Pm-3m", "--to", "P4mm", "--sample", "3")
    assert out.returncode == 2 and "--sample is for point groups" in out.stderr


def test_space_problem_file_objects():
    out = sbs("objects", "--problem", REPO / "examples" / "pm3m_to_fm3m.json", "--json")
    assert out.returncode == 0, out.stderr
    record = json.loads(out.stdout)
    assert record["size"] == 2 and record["kind"] == "markers"


def test_uniform_and_marker_objects_serialize():
    assert UniformField("1o", np.array([1.0, 0, 0])).to_json()["kind"] == "uniform"
    pattern = MarkerPattern(lattice=IDENTITY, positions=((Fraction(1, 2),) * 3,),
                            directions=(), orientations=(), features=np.ones((1, 1)))
    assert pattern.to_json()["positions_exact"] == [["1/2", "1/2", "1/2"]]
    assert pattern.to_json()["features"] == [[1.0]]


@pytest.mark.parametrize("group,target", [("P-1", "P-1 [a,b,2c; 0,0,0]"),
                                          ("Pm-3m", "P4mm")])
def test_network_is_equivariant_under_nprime_outside_s(group, target):
    """The harness with a periodic graph: markers as extra nodes (P-1 ->
    P-1 [a,b,2c], N' has the translations (1/2,0,0), (0,1/2,0) outside S)
    or a uniform field as a global input (Pm-3m -> P4mm, N' has
    (1/2,1/2,1/2)); f(g u, g b) = g f(u, b) in float64 for those g."""
    import torch

    from sbs_gap.nn import EquivariantNetwork, Graph, Markers, equivariance_error, periodic_object

    result = space_symmetry_breaking_set(group, target)
    basis = result.cartesian_basis * 3.0  # rows a, b, c in angstrom
    outside = [(r, t) for r, t in result.normalizer_generators
               if r == IDENTITY and any(x.denominator > 1 for x in t)]
    assert outside
    supercell = np.diag([1, 1, 2])
    atoms = np.array([[0.1, 0.2, 0.3], [-0.1, -0.2, -0.3], [0.5, 0.5, 0.5]])
    atoms = np.concatenate([atoms, atoms + [0, 0, 1]]) @ basis
    graph = Graph(pos=torch.as_tensor(atoms), node_attr=torch.ones(len(atoms), 1,
                                                                    dtype=torch.float64),
                  cutoff=3.5, lattice=torch.as_tensor(supercell @ basis))
    obj = periodic_object(result, 0, supercell=supercell, cell=basis, dtype=torch.float64)
    assert isinstance(obj, Markers) == (result.kind == "markers")
    model = EquivariantNetwork("0e", result.irreps, "1o", cutoff=3.5, per_node=True, layers=1,
                               multiplicity=4)
    b = basis.T  # columns: conventional -> Cartesian
    transforms = [(b @ np.array([[float(x) for x in row] for row in r]) @ np.linalg.inv(b),
                   b @ np.array([float(x) for x in t])) for r, t in result.normalizer_generators]
    assert equivariance_error(model, graph, obj, transforms=transforms) < 1e-9
    # the object matters: moving it alone (not the crystal) changes the output
    model64 = model.double()
    with torch.no_grad():
        base = model64(graph, obj)
        if isinstance(obj, Markers):
            other = Markers(pos=obj.pos + torch.as_tensor(b @ [0.13, 0.0, 0.0]),
                            features=obj.features)
        else:
            other = -obj
        assert torch.max(torch.abs(model64(graph, other) - base)) > 1e-6
