"""The public API at the package root, as an ML user calls it (against real GAP)."""
import math

import numpy as np
import pytest
import torch

import sbs_gap
from sbs_gap import (InputError, SubgroupClass, full_breaking, partial_breaking, point_group,
                     representation_matrices, subgroup_classes, symmetry_breaking_set)
from tests.conftest import EXAMPLES, random_rotation

pytestmark = pytest.mark.gap


def same_rows(a, b):
    return sorted(map(tuple, np.round(a, 8) + 0.0)) == sorted(map(tuple, np.round(b, 8) + 0.0))


def test_root_exports_the_public_api():
    for name in ("symmetry_breaking_set", "SymmetryBreakingSet", "detect", "full_breaking",
                 "partial_breaking", "subgroup_classes", "representation_matrices",
                 "point_group", "load_problem", "read_structure", "to_structure", "Structure"):
        assert name in sbs_gap.__all__ and hasattr(sbs_gap, name)


def test_full_and_partial_breaking_take_point_groups_and_problems(gap):
    assert full_breaking("D3", session=gap).min_size == 6
    problem = sbs_gap.load_problem(EXAMPLES / "s4_perm.json")
    assert full_breaking(problem, session=gap).normalizer_order == 24
    (row,) = partial_breaking(problem, session=gap)
    assert (row.subgroup, row.index) == ("C2 x C2", 3)
    with pytest.raises(InputError, match="names its target"):
        partial_breaking(problem, "C2", session=gap)


def test_the_set_and_its_group_actions(gap):
    s = symmetry_breaking_set("Oh", "C3v", session=gap)
    assert (s.size, s.ideal, s.continuous, s.irreps) == (8, True, False, "1o")
    assert s.group_elements.shape == (48, 3, 3) and len(s.group_action) == 48
    d = s.group_representation
    for ds, perm in zip(d, s.group_action):
        assert np.allclose(s.objects @ ds.T, s.objects[list(perm)], atol=1e-10)
    for g, perm in zip(s.normalizer_generators, s.normalizer_generators_action):
        assert np.allclose(s.objects @ s.representation(g).T, s.objects[list(perm)], atol=1e-10)
    assert s.orbits == (tuple(range(8)),)  # ideal: one S-orbit
    assert np.allclose(s.representation(s.group_elements[5]), s.group_elements[5])  # 1o: g


def test_as_torch_follows_the_default_dtype_and_refuses_continuous_sets(gap):
    s = symmetry_breaking_set("D3", session=gap)
    assert s.as_torch().dtype == torch.get_default_dtype()
    assert s.as_torch(dtype=torch.float64).dtype == torch.float64
    c = symmetry_breaking_set("C4", session=gap)
    assert c.continuous and c.size is None
    with pytest.raises(InputError, match="continuous.*sample"):
        c.as_torch()
    samples = c.sample(7, seed=2)
    assert samples.shape == (7, 3) and np.allclose(np.linalg.norm(samples, axis=1), 1)


def test_frame_moves_everything_into_the_users_orientation(gap):
    r = random_rotation(np.random.default_rng(4))
    std = symmetry_breaking_set("D3", irreps="2e+1o", session=gap)
    framed = symmetry_breaking_set("D3", irreps="2e+1o", frame=r, session=gap)
    d = representation_matrices("2e+1o", r)
    assert same_rows(framed.objects, std.objects @ d.T)
    assert np.allclose(framed.group_elements, r @ std.group_elements @ r.T)
    assert framed.normalizer_generators_action == std.normalizer_generators_action
    for g, perm in zip(framed.normalizer_generators, framed.normalizer_generators_action):
        assert np.allclose(framed.objects @ framed.representation(g).T,
                           framed.objects[list(perm)], atol=1e-10)
    with pytest.raises(InputError, match="orthogonal"):
        symmetry_breaking_set("D3", frame=np.ones((3, 3)), session=gap)


def test_target_by_name_type_class_or_matrices(gap):
    by_name = symmetry_breaking_set("Oh", "C2v[z,x]", session=gap)
    classes = {c.name: c for c in subgroup_classes("Oh", session=gap)}
    by_class = symmetry_breaking_set("Oh", classes["C2v[z,x]"], session=gap)
    assert isinstance(classes["C2v[z,x]"], SubgroupClass)
    c2v = [np.diag([-1.0, -1, 1]), np.diag([-1.0, 1, 1])]  # C2 about z, mirror normal x
    by_matrices = symmetry_breaking_set("Oh", c2v, session=gap)
    for s in (by_class, by_matrices):
        assert s.subgroup == "C2v[z,x]" and same_rows(s.objects, by_name.objects)
    # the same subgroup given in a rotated frame
    r = random_rotation(np.random.default_rng(9))
    framed = symmetry_breaking_set("Oh", [r @ m @ r.T for m in c2v], frame=r, session=gap)
    assert framed.subgroup == "C2v[z,x]"
    # a conjugate member of the class names the same class
    swap = np.array([[0.0, 1, 0], [1, 0, 0], [0, 0, 1]])
    assert symmetry_breaking_set("Oh", [swap @ m @ swap.T for m in c2v],
                                 session=gap).subgroup == "C2v[z,x]"
    with pytest.raises(InputError, match="not all elements of D3"):
        symmetry_breaking_set("D3", [np.diag([1.0, 1, -1])], session=gap)
    with pytest.raises(InputError, match="several classes"):
        symmetry_breaking_set("Oh", "C2v", session=gap)
    for frame in (None, np.eye(3)):
        with pytest.raises(InputError, match="must be 3x3 matrices"):
            symmetry_breaking_set("D3", [[1.0, 2.0]], frame=frame, session=gap)


def test_pair_targets_follows_theory_section_6(gap):
    s = symmetry_breaking_set("D3", session=gap)
    angles = 2 * math.pi * np.arange(3) / 3
    vertices = np.array([[math.cos(t), math.sin(t), h] for h in (0.8, -0.8) for t in angles])
    targets = s.pair_targets(vertices)
    assert same_rows(targets, vertices)  # every vertex once
    for perm, g in zip(s.group_action, s.group_elements):
        assert np.allclose(targets[list(perm)], targets @ g.T)  # s.b -> s.y
    # partial breaking: the output must carry the object's symmetry
    c4v = symmetry_breaking_set("Oh", "C4v", session=gap)
    with pytest.raises(InputError, match="no output is fixed"):
        c4v.pair_targets([np.array([0.1, 0.2, 0.3])])
    along = c4v.pair_targets([np.array([0.0, 0.0, 0.1]), np.array([0.1, 0, 0])])
    assert np.allclose(np.abs(along).sum(axis=1), 0.1)


def test_representation_matrices_match_e3nn_and_compose():
    g = point_group("Oh").numpy_elements
    d = representation_matrices("0e+1o+2e+3o+1e", g)
    assert d.shape == (48, 1 + 3 + 5 + 7 + 3, 1 + 3 + 5 + 7 + 3)
    assert np.allclose(d[:, 1:4, 1:4], g, atol=1e-13)  # 1o is the matrix itself
    assert np.allclose(d[7] @ d[11], representation_matrices("0e+1o+2e+3o+1e", g[7] @ g[11]),
                       atol=1e-12)
    assert np.allclose(np.einsum("nij,nkj->nik", d, d), np.eye(d.shape[1]), atol=1e-12)
    from e3nn import o3
    q = torch.tensor(random_rotation(np.random.default_rng(3)))
    ref = o3.Irreps("2e+3o").D_from_matrix(-q.float()).double().numpy()
    assert np.allclose(representation_matrices("2e+3o", -q.numpy()), ref, atol=1e-5)
    with pytest.raises(InputError, match="invalid irreps"):
        representation_matrices("2q", g[0])


def test_harmonics_and_irreps_are_e3nns():
    """sbs_gap evaluates e3nn's spherical harmonics from stored polynomials:
    they must be the installed e3nn's, and so must the irreps notation."""
    from e3nn import o3

    from sbs_gap.objects import MAX_IRREPS_L, irreps, spherical_harmonics
    points = np.random.default_rng(5).normal(size=(50, 3))
    for l in range(MAX_IRREPS_L + 1):
        theirs = o3.spherical_harmonics(l, torch.tensor(points), normalize=False,
                                        normalization="component").numpy()
        assert np.allclose(spherical_harmonics(l, points), theirs, rtol=1e-10, atol=1e-10), l
    for text in ("1o", "2x1o", "1o + 2e", "0e+1o", "1x0e", "3y", "1x1o+2x2e", "0x1o+1e"):
        ours, theirs = irreps(text), o3.Irreps(text)
        assert ours.dim == theirs.dim
        assert [(m, ir.l, ir.p) for m, ir in ours] == [(m, ir.l, ir.p) for m, ir in theirs]
    for bad in ("1x", "1", "o", "-1o", "1o+", "2xx1o", "1e1o", "13e"):
        with pytest.raises(InputError):
            irreps(bad)


def test_objects_need_neither_torch_nor_e3nn():
    import subprocess
    import sys
    code = ("import sys, sbs_gap\n"
            "s = sbs_gap.symmetry_breaking_set('Oh', 'C3v')\n"
            "sbs_gap.representation_matrices('2e+3o', s.group_elements)\n"
            "print(s.size, 'torch' in sys.modules, 'e3nn' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         timeout=120)
    assert out.stdout.split() == ["8", "False", "False"], out.stderr
