"""Symmetry breaking sets for space groups in the ambient group E(3).

docs/theory.md section 8, computed in GAP (gap_scripts/gap/space.gi): the
Euclidean normalizer N_E(S) from the lattice holohedry of the metric (generic
for the crystal family unless a cell is given) and Smith-normal-form
solutions of the normalizing congruences; the condition S meet C <= K; the
finite group F = N / (L C) on which the engine of section 3 runs.

What the normalizers were checked against: for all 230 types, |N : S|, the
dimension of the continuous translations and the rotation parts agree with
moyo's Euclidean normalizers (tests/data/moyo_reference.json, whose values
follow ITA Vol. A Tables 15.2.1.3/15.2.1.4; the tables themselves were not
available here) and with the independent engine's direct search
(``sbs crosscheck --space-groups all``), which also compares the type of N.

Class names (section 8): the ITA symbol and number of K and the
transformation (P, p) from S's basis and origin to K's conventional ones,
``P4mm (99) [a,b,c; 0,0,0]``.  spglib identifies the type and one
transformation of each S-conjugate of K (from a structure with exactly K's
symmetry: the orbit of a generic point); every other description of that
member is (P A, P t + p) for (A, t) in the Euclidean normalizer of K's
standard group for K's metric.  The class takes the simplest description
over all members and all of these: P nearest the identity (smallest
entries, fewest minus signs, fewest off-diagonal entries), then the
smallest origin (the free part along polar directions set to zero where it
can be), then minus signs below the diagonal (``a-b,a+b,c``).  So a class
has one name whichever representative GAP returns, and the name, given back
as a target, is checked by the engine like any other.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from fractions import Fraction
from functools import lru_cache
from itertools import combinations
from math import gcd

import numpy as np

from ..errors import InputError
from ..exact import affine, inverse, matmul, matvec, rational_matrix
from ..gap import GapSession, StoreKey, default_session
from ..groups import (
    MAX_SUBGROUP_INDEX, SpaceGroup, cell_basis, generic_cell, lattice_holohedry, parse_cell,
    primitive_basis, quiet_spglib, space_group, space_group_by_number,
)
from ._results import (
    SpaceFullBreaking, SpacePartialBreaking, space_full_result, space_partial_result,
)

__all__ = ["EuclideanNormalizer", "SpaceGroupStructure", "space_group_structure",
           "format_transformation", "parse_transformation", "select_space_classes",
           "space_subgroup_class", "coset_representatives", "embedding_shifts",
           "euclidean_normalizer", "space_group_full", "space_group_partial",
           "space_subgroup_classes", "SpaceSubgroupClass", "MAX_K_INDEX", "operations_type",
           "lattice_generators", "rotation_point_group"]

#: Maximal k-subgroups are listed up to this index (issue #13: 2, 3 and 4).
MAX_K_INDEX = 4

Vector = tuple[Fraction, ...]
Matrix = tuple[Vector, ...]


def _q(x) -> Fraction:
    """A rational from GAP's JSON (an int, or a string such as "1/2") or a Fraction."""
    if isinstance(x, (str, Fraction)):
        return Fraction(x)
    if isinstance(x, bool) or not isinstance(x, int):
        raise TypeError(f"not an exact rational: {x!r}")
    return Fraction(x)


def _matrix(rows) -> Matrix:
    return tuple(tuple(_q(x) for x in row) for row in rows)


def _vector(v) -> Vector:
    return tuple(_q(x) for x in v)


@dataclass(frozen=True)
class EuclideanNormalizer:
    """N_E(S) for one metric (docs/theory.md section 8).

    Attributes
    ----------
    group : str
        S.
    symbol, number : str, int
        The type of N (its discrete part with S's lattice translations along
        the continuous directions when there are any), as ITA writes it:
        a superscript d for d continuous directions (``P^1 4/mmm``).
    index : int or None
        |N : S|, None when S is polar (N has continuous translations).
    continuous_translations : int
        d, the dimension of the continuous translations.
    rotation_index : int
        |rotation parts of N| / |P|.
    rotations : tuple
        The rotation parts of N, each with one translation that lifts it
        into N, as (matrix, vector) in S's conventional basis.
    translations, continuous : tuple
        Generators of N's translations modulo the continuous ones, and a
        basis of the continuous ones (lattice vectors of S along V).
    """

    group: str
    symbol: str
    number: int
    index: int | None
    continuous_translations: int
    rotation_index: int
    rotations: tuple[tuple[Matrix, Vector], ...]
    translations: tuple[Vector, ...]
    continuous: tuple[Vector, ...]


@dataclass(frozen=True)
class SpaceGroupStructure:
    """A space group registered in a GAP session with its Euclidean normalizer."""

    group: SpaceGroup
    key: StoreKey
    cell: tuple[float, ...]
    generic_metric: bool
    generators: tuple[Matrix, ...]
    translation_basis: tuple[Vector, ...]
    point_group_order: int
    normalizer: EuclideanNormalizer


def _as_space_group(S) -> SpaceGroup:
    return S if isinstance(S, SpaceGroup) else space_group(S)


def _columns(vectors) -> list[list[Fraction]]:
    return [[vectors[j][i] for j in range(3)] for i in range(3)]


def space_group_structure(S, *, cell=None, session: GapSession | None = None
                          ) -> SpaceGroupStructure:
    """Register the space group S (a name or :class:`SpaceGroup`) in GAP with
    its Euclidean normalizer for the generic metric of its crystal family, or
    for ``cell`` (a string ``a,b,c,alpha,beta,gamma`` or six numbers)."""
    g = _as_space_group(S)
    session = session or default_session()
    if cell is None:
        values, generic = generic_cell(g), True
    else:
        text = cell if isinstance(cell, str) else ",".join(repr(float(x)) for x in cell)
        values, generic = parse_cell(text, g), False
    holohedry = lattice_holohedry(_columns(primitive_basis(g)), values,
                                  tol=1e-6 if generic else 1e-4)
    args = (g.number, g.setting_code, holohedry)
    key = StoreKey.digest("sg", *args)
    info = session.ensure(key, "SBS_RegisterSpaceGroup", *args)
    cache_key = ("e3-structure", key)
    if cache_key not in session.cache:
        normalizer = _normalizer(g, info, values)
        session.cache[cache_key] = SpaceGroupStructure(
            group=g, key=key, cell=values, generic_metric=generic,
            generators=tuple(_matrix(m) for m in info["generators"]),
            translation_basis=tuple(_vector(v) for v in info["translation_basis"]),
            point_group_order=info["point_group_order"], normalizer=normalizer)
    return session.cache[cache_key]


def _normalizer(g: SpaceGroup, info: dict, cell) -> EuclideanNormalizer:
    lifts = tuple((_matrix(a), _vector(t)) for a, t in info["normalizer_lifts"])
    translations = tuple(_vector(v) for v in info["normalizer_translations"])
    continuous = tuple(_vector(v) for v in info["continuous_translations"])
    basis = tuple(_vector(v) for v in info["translation_basis"])
    number = _operations_type(lifts, translations, basis, continuous, cell)
    d = len(continuous)
    symbol = space_group_by_number(number).hermann_mauguin
    if d:
        symbol = f"{symbol[0]}^{d} {symbol[1:]}"
    index = info["normalizer_index"]
    return EuclideanNormalizer(
        group=g.name, symbol=symbol, number=number,
        index=None if index is None else int(_q(index)), continuous_translations=d,
        rotation_index=int(_q(info["normalizer_rotation_index"])), rotations=lifts,
        translations=translations, continuous=continuous)


def _mod_lattice_closure(vectors, basis) -> list[Vector]:
    """The finite group generated by translation vectors modulo a lattice
    (basis vectors), as representatives."""
    columns = rational_matrix(_columns(basis))
    to_lattice = inverse(columns)

    def reduce(v) -> Vector:
        return matvec(columns, tuple(x % 1 for x in matvec(to_lattice, v)))

    found = [reduce((Fraction(0),) * 3)]
    for x in found:
        for v in vectors:
            y = reduce(tuple(a + b for a, b in zip(x, v)))
            if y not in found:
                found.append(y)
    return found


def _operations_type(lifts, translations, basis, continuous, cell) -> int:
    """The ITA number of the space group generated by the lifts, the discrete
    translations and the lattice (spglib's type identification).

    With continuous translations along V (polar S), ITA's convention (a
    basis vector epsilon along V, arbitrarily short) is followed: the
    components along V are dropped (projecting along V onto coordinate axes)
    and epsilon is the lattice period along V divided by the common
    denominator of the V-components of all generators, short enough that
    every V-component of the group is a multiple of it.
    """
    import spglib

    identity = tuple(tuple(Fraction(int(i == j)) for j in range(3)) for i in range(3))
    drop_polar, polar_part = _split_along(continuous)
    generators = list(translations) + list(basis) + [t for _, t in lifts]
    denominator = 1
    for v in generators:
        for x in polar_part(v):
            denominator = denominator * x.denominator // gcd(denominator, x.denominator)
    epsilon = [tuple(x / denominator for x in v) for v in continuous]
    lifts = [(a, drop_polar(t)) for a, t in lifts]
    generators = [drop_polar(v) for v in translations] + list(basis) + epsilon
    # spglib takes operations modulo the conventional cell: the centring
    # translations are operations too
    shifts = _mod_lattice_closure(generators, identity)
    rotations, vectors = [], []
    for a, t in lifts:
        for s in shifts:
            rotations.append([[int(x) for x in row] for row in a])
            vectors.append([float((x + y) % 1) for x, y in zip(t, s)])
    lattice = cell_basis(cell).T
    with quiet_spglib():
        result = spglib.get_spacegroup_type_from_symmetry(
            np.array(rotations, dtype="intc"), np.array(vectors, dtype=float),
            lattice=lattice, symprec=1e-5)
    if result is None:
        raise RuntimeError("spglib could not identify the type of the normalizer")
    return int(result.number)


def _split_along(vectors):
    """(projection along span(vectors) onto the span of the first coordinate
    axes that complete them to a basis, the coefficients along the vectors);
    the identity and () when there are none."""
    d = len(vectors)
    if d == 0:
        return (lambda v: tuple(v)), (lambda v: ())
    axes = [tuple(Fraction(int(i == j)) for j in range(3)) for i in range(3)]
    for chosen in combinations(range(3), 3 - d):
        basis = list(vectors) + [axes[i] for i in chosen]
        columns = rational_matrix(_columns(basis))
        try:
            to_basis = inverse(columns)
        except ValueError:
            continue

        def project(v, columns=columns, to_basis=to_basis):
            c = list(matvec(to_basis, v))
            c[:d] = [Fraction(0)] * d
            return matvec(columns, c)

        return project, (lambda v, to_basis=to_basis: matvec(to_basis, v)[:d])
    raise RuntimeError("continuous translations do not span a subspace")


def euclidean_normalizer(S, *, cell=None, session: GapSession | None = None
                         ) -> EuclideanNormalizer:
    """N_E(S) for the generic metric of S's crystal family, or for ``cell``."""
    return space_group_structure(S, cell=cell, session=session).normalizer


# ----------------------------------------------------------------------------
# Subgroup classes and their names
# ----------------------------------------------------------------------------

@dataclass(frozen=True)
class SpaceSubgroupClass:
    """One S-conjugacy class of subgroups K of finite index.

    ``name`` is ``SYMBOL (NUMBER) [a',b',c'; p]`` (module docstring);
    ``kind`` is ``"t"`` (T(K) = T(S)), ``"k"`` (same point group) or
    ``"general"``; ``size`` the number of conjugates of K in S;
    ``maximal`` whether K is a maximal subgroup (None when not known: an
    explicit K); ``generators`` are affine 4x4 matrices of one member.
    """

    name: str
    symbol: str
    number: int
    kind: str
    index: int
    transformation: str
    size: int
    maximal: bool | None
    generators: tuple[Matrix, ...]


def _fmt_q(q: Fraction) -> str:
    return str(q.numerator) if q.denominator == 1 else f"{q.numerator}/{q.denominator}"


def _fmt_vector_in_basis(column) -> str:
    terms = []
    for coefficient, axis in zip(column, "abc"):
        if coefficient == 0:
            continue
        sign = "-" if coefficient < 0 else "+"
        magnitude = abs(coefficient)
        text = axis if magnitude == 1 else f"{_fmt_q(magnitude)}{axis}"
        terms.append((sign, text))
    out = "".join(f"{s}{t}" for s, t in terms)
    return out[1:] if out.startswith("+") else out


def format_transformation(p_matrix, shift) -> str:
    """``a',b',c'; p1,p2,p3`` in ITA's notation (columns of P in a, b, c)."""
    columns = [[p_matrix[i][j] for i in range(3)] for j in range(3)]
    return (",".join(_fmt_vector_in_basis(c) for c in columns) + "; "
            + ",".join(_fmt_q(x) for x in shift))


def _rational(x: float, limit: int = 48) -> Fraction:
    q = Fraction(x).limit_denominator(limit)
    if abs(float(q) - x) > 1e-6:
        raise RuntimeError(f"transformation entry {x} is not a small rational")
    return q


# Three generic points of different species: the orbit of one point can be
# more symmetric than the group (one point under P1 is a lattice, with
# inversion), the union of three generic orbits is not.
_GENERIC_POINTS = ((0.1237, 0.2711, 0.3469), (0.4123, 0.0871, 0.1913),
                   (0.2291, 0.3719, 0.0617))


def _identify(operations, lattice, cell, simplest: bool = True
              ) -> tuple[int, Matrix, Vector | np.ndarray]:
    """ITA number and (P, p) from S's basis to the conventional setting of
    the group with these operations (modulo ``lattice``, basis vectors in
    S's coordinates), found by spglib on generic orbits of the group; p is
    the simplest origin (:func:`_simplest_origin`), or spglib's in floats
    when ``simplest`` is false (for a caller that searches further)."""
    import spglib

    m = np.array([[float(x) for x in v] for v in lattice]).T  # columns
    minv = np.linalg.inv(m)
    rotations = np.array([[[float(x) for x in row] for row in r] for r, _ in operations])
    shifts = np.array([[float(x) for x in t] for _, t in operations])
    found: dict[tuple, int] = {}
    for kind, x0 in enumerate(_GENERIC_POINTS, start=1):
        images = (np.einsum("nij,j->ni", rotations, np.array(x0)) + shifts) @ minv.T
        for f in np.round(images % 1.0, 9) % 1.0:
            found.setdefault(tuple(f.tolist()), kind)
    points = [np.array(p) for p in found]
    species = list(found.values())
    # sorted, so that the structure depends on the subgroup only, not on the
    # order of its operations
    order = sorted(range(len(points)),
                   key=lambda i: (species[i], *np.round(points[i], 9).tolist()))
    points = [points[i] for i in order]
    species = [species[i] for i in order]
    cart = cell_basis(cell) @ m
    structure = (cart.T, np.array(points), species)
    with quiet_spglib():
        dataset = spglib.get_symmetry_dataset(structure, symprec=1e-4)
        if dataset is None:
            raise RuntimeError("spglib found no symmetry for a subgroup")
        number = int(dataset.number)
        hall = space_group_by_number(number).hall_number
        if int(dataset.hall_number) != hall:
            dataset = spglib.get_symmetry_dataset(structure, symprec=1e-4, hall_number=hall)
    ps = np.array(dataset.transformation_matrix, dtype=float)
    origin = np.array(dataset.origin_shift, dtype=float)
    # a polar group has no fixed origin along its polar axes (spglib puts it
    # on an atom): the shift is taken as 0 along the standard axes that every
    # rotation fixes
    std_rotations = [ps @ r @ np.linalg.inv(ps) for r in dataset.rotations]
    for i in range(3):
        if all(np.allclose(r[:, i], np.eye(3)[:, i], atol=1e-8) for r in std_rotations):
            origin[i] = 0.0
    # x_std = Ps x_in + ps and x_S = M x_in  =>  x_S = M Ps^-1 x_std - M Ps^-1 ps
    p_float = m @ np.linalg.inv(ps)
    shift_float = -(p_float @ origin)
    p_exact = tuple(tuple(_rational(x) for x in row) for row in p_float)
    if not simplest:
        return number, p_exact, shift_float
    shift = _simplest_origin(minv @ shift_float, m, [r for r, _ in operations])
    return number, p_exact, shift


def operations_type(operations, lattice, cell) -> tuple[int, str]:
    """(ITA number, Hermann-Mauguin symbol) of the space group with these
    operations [(R, t)] modulo ``lattice`` (basis vectors in S's
    coordinates, spanning space), for the metric of ``cell``."""
    number = _identify(operations, lattice, cell)[0]
    return number, space_group_by_number(number).hermann_mauguin


_GRID = 12


def _simplest_origin(coords: np.ndarray, lattice: np.ndarray, rotations) -> Vector:
    """The simplest origin shift (fewest and smallest components in S's
    basis) among those describing the same subgroup K: the given one (in
    coordinates of the lattice T(K), basis columns ``lattice``) plus any
    translation normalizing K, i.e. t with (I - R) t in T(K) for the
    rotation parts R of K (found on a grid of 1/12 of T(K)).

    Along the directions every R fixes (a polar K) the origin is free: each
    candidate is also moved along them until as many of its coordinates in
    S's basis vanish, so the free part never shows as an odd fraction."""
    minv = np.linalg.inv(lattice)
    rotations_s = [np.array([[float(x) for x in row] for row in r]) for r in rotations]
    if all(np.allclose(r, np.eye(3)) for r in rotations_s):
        return (Fraction(0),) * 3  # no rotation fixes a point: any origin will do
    rot = [minv @ r @ lattice for r in rotations_s]
    axis = np.arange(_GRID) / _GRID
    grid = np.stack(np.meshgrid(axis, axis, axis, indexing="ij"), -1).reshape(-1, 3)
    ok = np.ones(len(grid), dtype=bool)
    for r in rot:
        images = grid - grid @ r.T
        ok &= np.all(np.abs(images - np.round(images)) < 1e-9, axis=1)
    r = np.arange(-2, 3)
    steps = np.stack(np.meshgrid(r, r, r, indexing="ij"), -1).reshape(-1, 3)
    candidates = (coords + grid[ok][:, None, :] + steps[None, :, :]).reshape(-1, 3) @ lattice.T
    candidates = np.concatenate([candidates, *_along_free_directions(candidates, rotations_s)])
    candidates = np.round(candidates, 9)
    # only small rationals (a projection can leave an odd one behind)
    scaled = candidates * 48
    candidates = candidates[np.all(np.abs(scaled - np.round(scaled)) < 1e-6, axis=1)]
    size = np.round(np.abs(candidates).sum(axis=1), 9)
    negatives = (candidates < -1e-12).sum(axis=1)
    order = np.lexsort((candidates[:, 2], candidates[:, 1], candidates[:, 0], negatives, size))
    return tuple(_rational(x) for x in candidates[order[0]])


def _along_free_directions(candidates: np.ndarray, rotations) -> list[np.ndarray]:
    """The candidates moved along the subspace V fixed by every rotation
    (the polar directions), once for each choice of dim V coordinates that
    the move can set to zero; none when V = 0."""
    if rotations:
        stacked = np.concatenate([r - np.eye(3) for r in rotations])
        _, sigma, vt = np.linalg.svd(stacked)
        rank = int((sigma > 1e-9).sum())
    else:
        vt, rank = np.eye(3), 0
    free = vt[rank:].T  # columns: a basis of V
    d = free.shape[1]
    if d == 0:
        return []
    moved = []
    for chosen in combinations(range(3), d):
        block = free[list(chosen), :]
        if abs(np.linalg.det(block)) < 1e-9:
            continue
        lam = np.linalg.solve(block, candidates[:, list(chosen)].T)  # (d, n)
        moved.append(candidates - (free @ lam).T)
    return moved


def _matrix_key(p_matrix) -> tuple:
    """How far P is from the identity: the sum of |entries|, the number of
    negative entries, the number of non-zero entries off the diagonal, then
    where the minus signs are: fewest on the diagonal, then fewest above it
    (``a,-c,b`` before ``-a,c,b`` and ``a,c,-b``; ``a-b,a+b,c`` before
    ``a+b,-a+b,c``, as ITA writes it)."""
    entries = [x for row in p_matrix for x in row]
    off_diagonal = sum(bool(p_matrix[i][j] != 0) for i in range(3) for j in range(3) if i != j)
    signs = (sum(bool(p_matrix[i][i] < 0) for i in range(3)),
             sum(bool(p_matrix[i][j] < 0) for i in range(3) for j in range(3) if j > i))
    return (round(float(sum(abs(x) for x in entries)), 9), sum(bool(x < 0) for x in entries),
            off_diagonal, signs)


def _name_key(number: int, p_matrix, shift) -> tuple:
    """Smaller is simpler: P nearest the identity (the first three parts of
    :func:`_matrix_key`), then the smallest origin (sum of |p_i|, then fewest
    negative p_i), then where P's minus signs are, then the text."""
    matrix = _matrix_key(p_matrix)
    return (*matrix[:3], sum(abs(x) for x in shift), sum(x < 0 for x in shift), matrix[3],
            format_transformation(p_matrix, shift))


def _description_changes(number: int, p_matrix, cell
                         ) -> tuple[tuple[Matrix, Vector, np.ndarray], ...]:
    """The changes (A, t) (with A in floats) of K's conventional description (P, p) that
    describe the same group: the proper elements of the Euclidean normalizer
    of the standard group K0 of type ``number`` for K's metric (S's metric
    ``cell`` seen in K's basis P), one lift t per rotation part A.  (P, p)
    and (P A, P t + p) describe the same K; the translations of the
    normalizer are left to :func:`_simplest_origin`.

    K's metric can be more symmetric than its family's (an Fddd inside a
    cubic group has a cubic cell, and then a permutation of its axes is as
    good), so the rotation parts are the lattice automorphisms of that
    metric (:func:`lattice_holohedry`) that normalize K0's point group.
    Proper only: ITA's transformations keep the handedness."""
    basis = cell_basis(cell) @ np.array([[float(x) for x in row] for row in p_matrix])
    lengths = np.linalg.norm(basis, axis=0)
    angles = [float(np.degrees(np.arccos(np.clip(
        basis[:, j] @ basis[:, k] / (lengths[j] * lengths[k]), -1.0, 1.0))))
        for j, k in ((1, 2), (0, 2), (0, 1))]
    return _normalizer_lifts(number, tuple(round(float(x), 6) for x in (*lengths, *angles)))


#: Lifts are looked for on this grid (a fraction of the conventional cell):
#: 1/24 holds the normalizer translations of every standard setting
#: (halves, thirds, quarters, sixths, eighths).
_LIFT_GRID = 24


@lru_cache(maxsize=4096)
def _normalizer_lifts(number: int, cell: tuple) -> tuple[tuple[Matrix, Vector, np.ndarray], ...]:
    """(A, t, A in floats), the identity first, for every proper lattice automorphism A
    (metric ``cell``) of the standard group K0 of type ``number`` such that
    (A, t) normalizes K0.

    t solves A r + (I - A R A^-1) t = r' modulo the lattice of K0 for
    operations (R, r) whose rotation parts generate K0's point group (r' a
    translation of A R A^-1 in K0); that suffices, as K0 is generated by
    them and its lattice, which A keeps.  Candidates come from the grid
    :data:`_LIFT_GRID` in floats; the one used is checked exactly."""
    operations, primitive = _standard_operations(number)
    to_primitive = inverse(rational_matrix(_columns(primitive)))
    to_primitive_float = np.array([[float(x) for x in row] for row in to_primitive])
    by_rotation: dict = {}
    for r, t in operations:
        by_rotation.setdefault(r, t)
    generators = _rotation_generators(list(by_rotation))
    axis = np.arange(_LIFT_GRID) / _LIFT_GRID
    grid = np.stack(np.meshgrid(axis, axis, axis, indexing="ij"), -1).reshape(-1, 3)
    identity = rational_matrix([[1, 0, 0], [0, 1, 0], [0, 0, 1]])
    lifts = [(identity, (Fraction(0),) * 3, np.eye(3))]
    for a in lattice_holohedry(_columns(primitive), cell, tol=1e-4):
        if _determinant(a) <= 0 or a == identity:
            continue
        # A R A^-1 must be a rotation of K0 (integers): found in floats,
        # then A R = (A R A^-1) A checked exactly
        a_float = np.array([[float(x) for x in row] for row in a])
        a_inv_float = np.linalg.inv(a_float)
        congruences = []
        for r in generators:
            key = tuple(tuple(int(x) for x in row)
                        for row in np.round(a_float @ np.array(r) @ a_inv_float))
            image = rational_matrix(key)
            if key not in by_rotation or matmul(a, rational_matrix(r)) != matmul(image, a):
                break  # A does not normalize the point group of K0
            constant = tuple(x - y for x, y in zip(matvec(a, by_rotation[r]),
                                                    by_rotation[key]))
            congruences.append((image, constant))
        else:
            lift = _solve_lift(congruences, grid, to_primitive, to_primitive_float)
            if lift is not None:
                lifts.append((a, lift, a_float))
    return tuple(lifts)


def _solve_lift(congruences, grid, to_primitive, to_primitive_float) -> Vector | None:
    """The first grid point t with c + (I - M) t in the lattice for every
    (M, c), checked exactly; None if there is none."""
    ok = np.ones(len(grid), dtype=bool)
    for m, constant in congruences:
        moved = np.array([float(x) for x in constant])[None, :] + grid @ (
            np.eye(3) - np.array([[float(x) for x in row] for row in m])).T
        coords = moved @ to_primitive_float.T
        ok &= np.all(np.abs(coords - np.round(coords)) < 1e-9, axis=1)
    for index in np.flatnonzero(ok):
        t = tuple(Fraction(int(round(x * _LIFT_GRID)), _LIFT_GRID) for x in grid[index])
        if all(_in_lattice(to_primitive, tuple(c + x - y for c, x, y in
                                               zip(constant, t, matvec(m, t))))
               for m, constant in congruences):
            return t
    return None


def _in_lattice(to_primitive, v) -> bool:
    return all(x.denominator == 1 for x in matvec(to_primitive, v))


@lru_cache(maxsize=256)
def _standard_operations(number: int):
    """The operations (R, t) of the standard setting of type ``number``
    (spglib's database, centring translations included; R as integer
    tuples, t exact) and a primitive basis of its lattice."""
    import spglib

    group = space_group_by_number(number)
    with quiet_spglib():
        data = spglib.get_symmetry_from_database(group.hall_number)
    operations = [(tuple(tuple(int(x) for x in row) for row in r),
                   tuple(Fraction(float(x)).limit_denominator(48) for x in t))
                  for r, t in zip(data["rotations"], data["translations"])]
    return operations, primitive_basis(group)


def _rotation_generators(rotations) -> list:
    """Some of the integer rotations that generate all of them."""
    chosen: list = []
    reached = _closure(chosen)
    for r in rotations:
        if r not in reached:
            chosen.append(r)
            reached = _closure(chosen)
    return chosen


def _closure(generators) -> set:
    identity = tuple(tuple(int(i == j) for j in range(3)) for i in range(3))
    found, frontier = {identity}, [identity]
    while frontier:
        x = frontier.pop()
        for g in generators:
            y = tuple(tuple(sum(x[i][k] * g[k][j] for k in range(3)) for j in range(3))
                      for i in range(3))
            if y not in found:
                found.add(y)
                frontier.append(y)
    return found


def _determinant(m) -> Fraction:
    return (m[0][0] * (m[1][1] * m[2][2] - m[1][2] * m[2][1])
            - m[0][1] * (m[1][0] * m[2][2] - m[1][2] * m[2][0])
            + m[0][2] * (m[1][0] * m[2][1] - m[1][1] * m[2][0]))


def _class_name(structure: SpaceGroupStructure, members, session: GapSession
                ) -> tuple[int, str]:
    """(ITA number, transformation) of the simplest description of the
    class: over every member (the S-conjugates of K) and every description
    of each member (:func:`_description_changes`), the least
    :func:`_name_key`; so a class has one name whichever member GAP returns
    and however spglib sets up each member."""
    candidates = []
    for member in members:
        lattice = [_vector(v) for v in member["lattice"]]
        operations = [(_matrix(r), _vector(t)) for r, t in member["operations"]]
        number, p_matrix, shift = _identify(operations, lattice, generic_cell(structure.group),
                                            simplest=False)
        p_float = np.array([[float(x) for x in row] for row in p_matrix])
        for a, t, a_float in _description_changes(number, p_matrix,
                                                  generic_cell(structure.group)):
            # ranked in floats (entries are small rationals), exact for the few kept
            key = _matrix_key(np.round(p_float @ a_float, 9))
            origin = p_float @ np.array([float(x) for x in t]) + shift
            candidates.append((key[:3], number, p_matrix, a, origin, lattice, operations))
    # the origin search is the costly part: only for the P nearest the identity
    least = min(c[0] for c in candidates)
    best = None
    for key, number, p_matrix, a, origin, lattice, operations in candidates:
        if key != least:
            continue
        p_new = matmul(p_matrix, a)
        m = np.array([[float(x) for x in v] for v in lattice]).T
        # modulo T(K) first (those translations are in K, so the subgroup
        # is the same): the search looks near the given origin only
        coords = np.linalg.inv(m) @ origin
        shift = _simplest_origin(coords - np.floor(coords + 1e-9), m,
                                 [r for r, _ in operations])
        full_key = _name_key(number, p_new, shift)
        if best is None or full_key < best[0]:
            best = (full_key, number, format_transformation(p_new, shift))
    return best[1], best[2]


def _kind(structure: SpaceGroupStructure, member: dict, index: int) -> str:
    n_ops = len(member["operations"])
    if n_ops * index == structure.point_group_order:
        return "t"
    if n_ops == structure.point_group_order:
        return "k"
    return "general"


def _make_classes(structure, subgroups, session, maximal=None) -> list[SpaceSubgroupClass]:
    """Named classes of subgroups given by affine generators (one GAP call)."""
    everything = session.call("SBS_SpaceGroupConjugates", structure.key,
                              [list(g) for g in subgroups], requires=(structure.key,))
    flags = maximal or [None] * len(subgroups)
    return [_named_class(structure, generators, members, flag, session)
            for generators, members, flag in zip(subgroups, everything, flags)]


def _make_class(structure, generators, session, maximal=None) -> SpaceSubgroupClass:
    return _make_classes(structure, [generators], session, [maximal])[0]


def _named_class(structure, generators, members, maximal, session) -> SpaceSubgroupClass:
    number, transformation = _class_name(structure, members, session)
    index = int(members[0]["index"])
    symbol = space_group_by_number(number).hermann_mauguin
    return SpaceSubgroupClass(
        name=f"{symbol} ({number}) [{transformation}]", symbol=symbol, number=number,
        kind=_kind(structure, members[0], index), index=index, transformation=transformation,
        size=len(members), maximal=maximal, generators=tuple(_matrix(g) for g in generators))


def space_subgroup_class(S, generators, *, cell=None,
                         session: GapSession | None = None) -> SpaceSubgroupClass:
    """The S-conjugacy class of the subgroup generated by affine 4x4 matrices
    (exact, in S's conventional coordinates; they must include a basis of
    its lattice), named as the enumerated classes are."""
    session = session or default_session()
    structure = space_group_structure(S, cell=cell, session=session)
    cls = _make_class(structure, [rational_matrix(g) for g in generators], session)
    if cls.index > MAX_SUBGROUP_INDEX:
        raise InputError(f"the subgroup has index {cls.index} in {structure.group.name}; "
                         f"subgroups up to index {MAX_SUBGROUP_INDEX} are supported")
    return cls


def coset_representatives(S, cls: SpaceSubgroupClass, *,
                          session: GapSession | None = None) -> tuple[Matrix, ...]:
    """Representatives s of the cosets s K of K (one member of ``cls``) in
    S: the domain states of S -> K are the s-images of one state."""
    session = session or default_session()
    structure = space_group_structure(S, session=session)
    reps = session.call("SBS_SpaceGroupCosets", structure.key, list(cls.generators),
                        requires=(structure.key,))
    return tuple(_matrix(m) for m in reps)


def embedding_shifts(S, operations, *, session: GapSession | None = None):
    """Origin shifts o that conjugate the operations (R, t) into S:
    ``(particular, discrete, continuous)`` (any o = particular + an integer
    combination of discrete + a real combination of continuous, modulo
    T(S)), or None when some R is not a rotation part of S or no o exists."""
    session = session or default_session()
    structure = space_group_structure(S, session=session)
    raw = session.call("SBS_SpaceGroupEmbedding", structure.key,
                       [[rational_matrix(r), tuple(Fraction(x) for x in t)]
                        for r, t in operations], requires=(structure.key,))
    if raw is None:
        return None
    return (_vector(raw["particular"]), tuple(_vector(v) for v in raw["discrete"]),
            tuple(_vector(v) for v in raw["continuous"]))


def space_subgroup_classes(S, *, kind: str = "all", cell=None,
                           session: GapSession | None = None) -> tuple[SpaceSubgroupClass, ...]:
    """S-conjugacy classes of subgroups of S: every t-subgroup (``kind="t"``),
    the maximal k-subgroups of index 2, 3 and 4 (``kind="k"``), or both."""
    if kind not in ("t", "k", "all"):
        raise InputError(f"kind must be t, k or all, not {kind!r}")
    session = session or default_session()
    structure = space_group_structure(S, cell=cell, session=session)
    cache_key = ("e3-classes", structure.key)
    if cache_key not in session.cache:
        raw = session.call("SBS_SpaceGroupSubgroups", structure.key, MAX_K_INDEX,
                           requires=(structure.key,))
        classes = _make_classes(structure, [[_matrix(m) for m in r["generators"]] for r in raw],
                                session, [r["maximal"] for r in raw])
        order = {"t": 0, "k": 1, "general": 2}
        classes.sort(key=lambda c: (order[c.kind], c.index, c.number, c.name))
        session.cache[cache_key] = tuple(classes)
    classes = session.cache[cache_key]
    return tuple(c for c in classes if kind == "all" or c.kind == kind)


_EXPLICIT = re.compile(r"^\s*(?P<type>[^\[\]]+?)\s*(?:\[(?P<transform>[^\[\]]*)\])?\s*"
                       r"(?:\((?P<number>[0-9]{1,3})\))?\s*$")


def _parse_axis_expression(text: str) -> Vector:
    text = text.replace(" ", "")
    if not text:
        raise InputError("an empty basis vector in the transformation")
    coefficients = {"a": Fraction(0), "b": Fraction(0), "c": Fraction(0)}
    pos = 0
    term = re.compile(r"([+-]?)([0-9]+(?:/[0-9]+)?)?\*?([abc])")
    while pos < len(text):
        m = term.match(text, pos)
        if not m or m.end() == pos:
            raise InputError(f"cannot read the basis vector {text!r} (write e.g. 2a, a-b, "
                             "1/2a+1/2b)")
        sign = -1 if m.group(1) == "-" else 1
        value = Fraction(m.group(2)) if m.group(2) else Fraction(1)
        coefficients[m.group(3)] += sign * value
        pos = m.end()
    return (coefficients["a"], coefficients["b"], coefficients["c"])


def parse_transformation(text: str) -> tuple[Matrix, Vector]:
    """``a',b',c'; p1,p2,p3`` (ITA notation) as (P, p)."""
    parts = text.split(";")
    if len(parts) > 2:
        raise InputError(f"a transformation is 'a',b',c'; p1,p2,p3', not {text!r}")
    axes = [s for s in parts[0].split(",")]
    if len(axes) != 3:
        raise InputError(f"a transformation needs three basis vectors, in {text!r}")
    columns = [_parse_axis_expression(a) for a in axes]
    if len(parts) == 2 and parts[1].strip():
        values = parts[1].split(",")
        if len(values) != 3:
            raise InputError(f"an origin shift needs three numbers, in {text!r}")
        try:
            shift = tuple(Fraction(v.strip()) for v in values)
        except (ValueError, ZeroDivisionError):
            raise InputError(f"cannot read the origin shift in {text!r}") from None
    else:
        shift = (Fraction(0),) * 3
    p_matrix = tuple(tuple(columns[j][i] for j in range(3)) for i in range(3))
    det = np.linalg.det(np.array([[float(x) for x in row] for row in p_matrix]))
    if abs(det) < 1e-9:
        raise InputError(f"the basis vectors of {text!r} are linearly dependent")
    if det < 0:
        raise InputError(f"the basis of {text!r} is left-handed (ITA transformations keep "
                         "the handedness)")
    return p_matrix, shift


def _cell_points(structure: SpaceGroupStructure) -> float:
    """Lattice points per conventional cell: 1 / the volume of a primitive cell."""
    basis = np.array([[float(x) for x in v] for v in structure.translation_basis])
    return 1.0 / abs(np.linalg.det(basis))


def _explicit_generators(structure: SpaceGroupStructure, target: SpaceGroup, p_matrix, shift,
                         session: GapSession) -> list[Matrix]:
    """Generators of W K_std W^-1, W = (P, p): the standard group of
    ``target`` and its lattice placed in S's coordinates."""
    std = space_group_structure(target, session=session)
    w = affine(p_matrix, shift)
    winv = inverse(w)
    identity = rational_matrix([[1, 0, 0], [0, 1, 0], [0, 0, 1]])
    lattice = [affine(identity, v) for v in std.translation_basis]
    return [matmul(matmul(w, g), winv) for g in list(std.generators) + lattice]


def select_space_classes(structure: SpaceGroupStructure, K, *, kind: str = "all",
                         session: GapSession) -> list[SpaceSubgroupClass]:
    """The classes a ``--to`` argument names: a type (every enumerated class
    of it), a class name or a type with a transformation, e.g.
    ``Fm-3m [2a,2b,2c; 0,0,0]`` (that subgroup's class, enumerated or not)."""
    if isinstance(K, SpaceSubgroupClass):
        return [K]
    if not isinstance(K, str) or len(K) > 200:
        raise InputError("a target K is a space-group type, optionally with a "
                         "transformation: 'P4mm' or 'Fm-3m [2a,2b,2c; 0,0,0]'")
    m = _EXPLICIT.match(K)
    if not m:
        raise InputError(f"cannot read the target {K!r}: give a type (P4mm) or a type with a "
                         "transformation (Fm-3m [2a,2b,2c; 0,0,0])")
    type_text = re.sub(r"\(\s*[0-9]{1,3}\s*\)\s*$", "", m.group("type")).strip()
    target = space_group(type_text)
    if m.group("transform") is None:
        matches = [c for c in space_subgroup_classes(structure.group, kind=kind,
                                                     cell=None, session=session)
                   if c.number == target.number]
        if not matches:
            raise InputError(_missing_type(structure, target, kind, session))
        return matches
    p_matrix, shift = parse_transformation(m.group("transform"))
    # the index, from the types and the cell volumes, before anything is built:
    # |S : K| = |P_S : P_K| * |T(S) : T(K)|, the lattice index from det P and
    # the lattice points per conventional cell
    std = space_group_structure(target, session=session)
    volume = abs(np.linalg.det(np.array([[float(x) for x in row] for row in p_matrix])))
    index = (structure.point_group_order / std.point_group_order * volume
             * _cell_points(structure) / _cell_points(std))
    if index > MAX_SUBGROUP_INDEX + 0.5:
        raise InputError(f"{K!r} would have index {index:.0f} in {structure.group.name}; "
                         f"subgroups up to index {MAX_SUBGROUP_INDEX} are supported")
    gens = _explicit_generators(structure, target, p_matrix, shift, session)
    for i, g in enumerate(gens):
        if not session.call("SBS_InSpaceGroup", structure.key, g, requires=(structure.key,)):
            raise InputError(f"{K!r} is not a subgroup of {structure.group.name}: its "
                             f"operation {i + 1} is not in {structure.group.name}")
    cls = _make_class(structure, gens, session)
    if cls.index > MAX_SUBGROUP_INDEX:
        raise InputError(f"{K!r} has index {cls.index} in {structure.group.name}; subgroups "
                         f"up to index {MAX_SUBGROUP_INDEX} are supported")
    if cls.kind not in ("t", "k"):
        cls = SpaceSubgroupClass(**{**cls.__dict__, "kind": "general"})
    return [cls]


#: How many space-group types the search for an example subgroup
#: (:func:`_subgroup_example`) may enumerate the maximal k-subgroups of.
_EXAMPLE_TYPES = 8


def _point_group_type(hermann_mauguin: str) -> str:
    from ..groups import point_group

    return point_group(hermann_mauguin).schoenflies


def _missing_type(structure: SpaceGroupStructure, target: SpaceGroup, kind: str,
                  session: GapSession) -> str:
    """The one-line answer when ``--to`` names a type that no listed class
    has: not a subgroup at all (the point groups say so), listed under the
    other kind, or a subgroup found by the engine (named as the classes
    are, so every suggestion is a subgroup of S); never an unchecked guess."""
    from ._o3 import subgroup_classes

    S, K = structure.group.name, target.hermann_mauguin
    lists = {"t": "t-subgroups",
             "k": f"maximal k-subgroups of index 2 to {MAX_K_INDEX}",
             "all": f"t-subgroups and maximal k-subgroups of index 2 to {MAX_K_INDEX}"}
    searched = f"{S} has no {K} among its {lists[kind]}"
    types = {c.type for c in subgroup_classes(structure.group.point_group, session=session)}
    if _point_group_type(target.point_group) not in types:
        return (f"{K} is not a subgroup of {S}: its point group {target.point_group} is not "
                f"a subgroup of {structure.group.point_group}")
    if kind != "all":
        other = [c for c in space_subgroup_classes(structure.group, session=session)
                 if c.number == target.number]
        if other:
            return (f"{searched}; it has {K} among its {lists[other[0].kind]}: "
                    f"{', '.join(c.name for c in other)} (--kind {other[0].kind} or all)")
    example = _subgroup_example(structure, target, session)
    if example is not None:
        return (f"{searched}; it has {K} subgroups of higher index, e.g. '{example.name}' "
                f"(index {example.index}; --to takes it as written)")
    return (f"{searched}, nor among the chains of maximal k-subgroups (index 2 to "
            f"{MAX_K_INDEX} each, up to index {MAX_SUBGROUP_INDEX}) searched from its "
            f"t-subgroups; if {K} is a subgroup of {S} otherwise, give it by its "
            f"transformation: '{K} [a',b',c'; p1,p2,p3]'")


def _subgroup_example(structure: SpaceGroupStructure, target: SpaceGroup,
                      session: GapSession) -> SpaceSubgroupClass | None:
    """A subgroup of S of the type of ``target``, of the smallest index
    reached, or None.

    K lies in the t-subgroup H = K T(S), of K's point group, as a
    k-subgroup; the search follows chains of maximal k-subgroups of index
    2 to :data:`MAX_K_INDEX` (the engine's enumeration, in each standard
    setting, composed with the transformations of the class names) from
    every such H, smallest index first, through at most
    :data:`_EXAMPLE_TYPES` types.  The result is checked and named by
    :func:`select_space_classes`, like any explicit target."""
    import heapq

    wanted = _point_group_type(target.point_group)
    frontier = []
    for c in space_subgroup_classes(structure.group, kind="t", session=session):
        if _point_group_type(space_group_by_number(c.number).point_group) == wanted:
            p_matrix, shift = parse_transformation(c.transformation)
            heapq.heappush(frontier, (c.index, c.name, c.number, p_matrix, shift))
    seen: set[str] = set()
    types: set[int] = set()
    while frontier:
        index, _, number, p_matrix, shift = heapq.heappop(frontier)
        if number == target.number:
            text = f"{target.hermann_mauguin} [{format_transformation(p_matrix, shift)}]"
            return select_space_classes(structure, text, session=session)[0]
        if number not in types and len(types) >= _EXAMPLE_TYPES:
            continue
        types.add(number)
        for c in space_subgroup_classes(space_group_by_number(number), kind="k",
                                        session=session):
            if index * c.index > MAX_SUBGROUP_INDEX:
                continue
            # x_S = P x_H + p and x_H = P_c x_K + p_c
            p_c, shift_c = parse_transformation(c.transformation)
            p_new = matmul(p_matrix, p_c)
            shift_new = tuple(x + y for x, y in zip(matvec(p_matrix, shift_c), shift))
            text = f"{c.symbol} [{format_transformation(p_new, shift_new)}]"
            if text not in seen:
                seen.add(text)
                heapq.heappush(frontier, (index * c.index, text, c.number, p_new, shift_new))
    return None


# ----------------------------------------------------------------------------
# Breaking
# ----------------------------------------------------------------------------

def space_group_partial(S, K=None, *, kind: str = "all", cell=None,
                        session: GapSession | None = None) -> tuple[SpacePartialBreaking, ...]:
    """Partial breaking of the space group S (``sbs partial SPACEGROUP``),
    one row per S-conjugacy class of K.

    Parameters
    ----------
    S : str or SpaceGroup
    K : str or SpaceSubgroupClass, optional
        A type (every class of it among the t-subgroups and maximal
        k-subgroups), a class name, or a type with a transformation
        (``'Fm-3m [2a,2b,2c; 0,0,0]'``, any index up to
        :data:`~sbs_gap.groups.MAX_SUBGROUP_INDEX`); default: every class.
    kind : ``"t"``, ``"k"`` or ``"all"``
        Which enumerated classes (ignored for an explicit transformation).
    cell : optional
        A cell ``a,b,c,alpha,beta,gamma`` for a specialised metric.
    """
    session = session or default_session()
    structure = space_group_structure(S, cell=cell, session=session)
    if K is None:
        classes = list(space_subgroup_classes(structure.group, kind=kind, session=session))
    else:
        classes = select_space_classes(structure, K, kind=kind, session=session)
    rows = session.call("SBS_SpaceGroupBreaking", structure.key,
                        [list(c.generators) for c in classes], False,
                        requires=(structure.key,))
    return tuple(space_partial_result(group=structure.group.name, cls=c, record=r)
                 for c, r in zip(classes, rows))


def lattice_generators(structure: SpaceGroupStructure) -> list[Matrix]:
    """T(S) as affine generators (its basis translations): the target of
    full breaking."""
    identity = rational_matrix([[1, 0, 0], [0, 1, 0], [0, 0, 1]])
    return [affine(identity, v) for v in structure.translation_basis]


def rotation_point_group(rotations) -> str:
    """spglib's Hermann-Mauguin symbol of the point group of these integer
    rotation matrices (S's conventional basis; repeats allowed)."""
    import spglib

    distinct = sorted({tuple(tuple(int(_q(x)) for x in row) for row in r) for r in rotations})
    with quiet_spglib():
        return spglib.get_pointgroup(np.array(distinct, dtype="intc"))[0].strip()


def space_group_full(S, *, cell=None, session: GapSession | None = None) -> SpaceFullBreaking:
    """Full breaking of the point symmetry of S, K = T(S) (``sbs full``)."""
    session = session or default_session()
    structure = space_group_structure(S, cell=cell, session=session)
    record = session.call("SBS_SpaceGroupBreaking", structure.key,
                          [lattice_generators(structure)], True,
                          requires=(structure.key,))[0]
    # the stabilizers of one object of each smallest set, named by the point
    # group of their rotation parts; the least name (GAP's order of
    # complement classes is not fixed)
    names = [rotation_point_group(w) for w in record.get("witness_rotations") or []]
    complement = min(names) if names else None
    return space_full_result(structure=structure, record=record, complement=complement)
