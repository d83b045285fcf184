"""Symmetry breaking objects for space groups (docs/theory.md section 8, point 3).

GAP (``SBS_SpaceGroupSbsData``, gap_scripts/gap/space.gi) gives the finite
group F = N / (L C), the elements of N' there as affine maps, S, the
S-conjugates of K, and the stabilizers M of one object of a minimal set.
An object with stabilizer M is

* a **uniform field** when M contains every translation of N': an e3nn
  irreps vector of the rotation parts (section 5, realized by
  :mod:`._realize` on the Cartesian rotation parts), the same at every
  point;
* otherwise a **marker pattern**: the orbit M x modulo L of a point x (lines
  along the continuous translations C when S is polar).  Its stabilizer in
  N' is M H_x, H_x the site symmetry of x in N', so it is exactly M when
  H_x lies in M.  x is the point of a 1/24 grid with the largest such H_x
  (fewest markers), a generic point when no grid point qualifies.

Every set is verified, exactly for markers (integer arithmetic modulo L):
each object's stabilizer in S is one of K's S-conjugates, the stabilizer of
the first object in N' is M, every element of N' (translations outside S
included) permutes the set, S is transitive when the set is ideal, and the
size is the engine's minimum.  The result types are in :mod:`._space_set`.
"""
from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from math import lcm

import numpy as np

from ..breaking import (
    MagneticSpaceSubgroupClass, SpaceSubgroupClass, lattice_generators, magnetic_point_group_name,
    operations_type, rotation_point_group, select_magnetic_space_classes, select_space_classes,
    space_group_structure, space_subgroup_class,
)
from ..errors import InputError, VerificationError
from ..exact import matmul, matvec, rational_matrix
from ..gap import GapSession, default_session
from ..groups import GreySpaceGroup, cell_basis, grey_space_group
from ._realize import (
    RealizationContext, choose_realization, vector_orbit, vector_permutation, verify_vectors,
)
from ._space_set import (
    Matrix, MarkerPattern, Operation, SpaceSymmetryBreakingSet, UniformField, Vector, float_rows,
    transpose,
)

__all__ = ["space_symmetry_breaking_set", "MARKER_GRID"]

#: Marker points are searched on the grid (1/MARKER_GRID) Z^3 of S's
#: conventional coordinates (it holds the special positions of every type).
MARKER_GRID = 24
# A generic point, used when no grid point has a site symmetry inside M.
_GENERIC = (Fraction(1237, 10007), Fraction(2711, 10007), Fraction(3469, 10007))
# grid points x elements of N' tested for the marker point (~1 s of NumPy)
_MAX_WORK = 40_000_000


# ----------------------------------------------------------------------------
# The data from GAP, in exact and integer form
# ----------------------------------------------------------------------------

@dataclass
class _Data:
    group: str
    subgroup: str
    elements: list[Operation]       # N' modulo L C
    generators: list[int]
    group_positions: list[int]
    k_conjugates: set[frozenset[int]]
    witnesses: list[frozenset[int]]
    finite: bool
    ideal: bool
    size: int
    index: int
    lattice: Matrix
    continuous: tuple[Vector, ...]
    to_reduced: Matrix
    from_reduced: Matrix
    d: int
    # grey parents (docs/theory.md section 9): 1 where an element of N'
    # carries time reversal; None for a plain space group
    flags: list[int] | None = None


def _data(structure, cls: SpaceSubgroupClass, session: GapSession) -> _Data:
    raw = session.call("SBS_SpaceGroupSbsData", structure.key, list(cls.generators),
                       requires=(structure.key,))
    return _from_record(structure.group.name, cls.name, raw, None)


def _magnetic_data(structure, grey: GreySpaceGroup, cls: MagneticSpaceSubgroupClass,
                   session: GapSession) -> _Data:
    """The data of S' -> M: N' = N_E(S) x {1, theta} modulo L C, each element
    with its time-reversal flag."""
    raw = session.call("SBS_MagneticSpaceGroupSbsData", structure.key, list(cls.generators),
                       list(cls.flags), requires=(structure.key,))
    return _from_record(grey.name, cls.name, raw, [int(e[2]) for e in raw["elements"]])


def _from_record(group: str, subgroup: str, raw: dict, flags) -> _Data:
    return _Data(
        group=group, subgroup=subgroup,
        elements=[(rational_matrix(e[0]), tuple(Fraction(x) for x in e[1]))
                  for e in raw["elements"]],
        generators=[p - 1 for p in raw["generators"]],
        group_positions=[p - 1 for p in raw["group"]],
        k_conjugates={frozenset(p - 1 for p in c) for c in raw["target_conjugates"]},
        witnesses=[frozenset(p - 1 for p in w) for w in raw["witnesses"]],
        finite=bool(raw["finite"]), ideal=bool(raw["ideal"]), size=int(raw["size"]),
        index=int(raw["index"]), lattice=rational_matrix(raw["lattice"]),
        continuous=tuple(tuple(Fraction(x) for x in v) for v in raw["continuous"]),
        to_reduced=rational_matrix(raw["to_reduced"]),
        from_reduced=rational_matrix(raw["from_reduced"]), d=int(raw["reduced_dimension"]),
        flags=flags)


class _ReducedAction:
    """N' acting on points modulo L + span C in integer coordinates: a point
    x is z = D (to_reduced x)[d:] mod D, and g = (R, t) acts by
    z -> B z + D c (mod D), B = (to_reduced R from_reduced)[d:, d:]."""

    def __init__(self, data: _Data, extra_points: list[Vector]):
        d = data.d
        self.data = data
        t_rows = data.to_reduced[d:]
        blocks, shifts = [], []
        for r, t in data.elements:
            full = matmul(matmul(data.to_reduced, r), data.from_reduced)
            block = [row[d:] for row in full[d:]]
            if any(x.denominator != 1 for row in block for x in row):
                raise VerificationError("a rotation part of N' does not keep the lattice L")
            if any(x != 0 for row in full[d:] for x in row[:d]):
                raise VerificationError("a rotation part of N' does not keep the continuous "
                                        "translations")
            blocks.append([[int(x) for x in row] for row in block])
            shifts.append(matvec(t_rows, t))
        denominators = [x.denominator for c in shifts for x in c]
        denominators += [x.denominator for p in extra_points for x in matvec(t_rows, p)]
        self.D = lcm(*denominators) if denominators else 1
        self.blocks = np.array(blocks, dtype=np.int64).reshape(len(blocks), 3 - d, 3 - d)
        self.shifts = np.array([[int(x * self.D) for x in c] for c in shifts],
                               dtype=np.int64).reshape(len(shifts), 3 - d)
        self.t_rows = t_rows
        self._orientations: dict = {}
        # magnetic: a marker's state is (orientation, sign), the sign a
        # time-odd scalar that theta reverses
        self.signs = None if data.flags is None else [1 - 2 * f for f in data.flags]

    def reduce(self, x: Vector) -> tuple[int, ...]:
        return tuple(int(c * self.D) % self.D for c in matvec(self.t_rows, x))

    def apply(self, g: int, points: np.ndarray) -> np.ndarray:
        """The element g on points (n, 3 - d), integer coordinates mod D."""
        return (points @ self.blocks[g].T + self.shifts[g]) % self.D

    def orient(self, g: int, u):
        """The rotation part of g on a vector (None: no orientation); for a
        magnetic marker state (orientation, sign), also theta on the sign."""
        if self.signs is not None:
            return (self._oriented(g, u[0]), u[1] * self.signs[g])
        return self._oriented(g, u)

    def _oriented(self, g: int, u):
        if u is None:
            return None
        key = (g, u)
        if key not in self._orientations:
            self._orientations[key] = matvec(self.data.elements[g][0], u)
        return self._orientations[key]

    def position(self, z) -> Vector:
        """A point's conventional coordinates in the cell of L (and C)."""
        full = [Fraction(0)] * self.data.d + [Fraction(int(c), self.D) for c in z]
        return matvec(self.data.from_reduced, full)


def _candidate_grid(data: _Data) -> np.ndarray:
    """Conventional grid points (integers, in units of 1/MARKER_GRID) covering
    a cell of L: the grid 1/MARKER_GRID, or a coarser one (1/12, 1/8, ...)
    when testing every point against every element of N' would exceed
    _MAX_WORK (large L and N')."""
    corners = [matvec(transpose(data.lattice), (i, j, k))
               for i in (0, 1) for j in (0, 1) for k in (0, 1)]
    lows = [int(np.floor(min(float(c[a]) for c in corners))) for a in range(3)]
    highs = [int(np.ceil(max(float(c[a]) for c in corners))) for a in range(3)]
    cells = int(np.prod([h - lo for h, lo in zip(highs, lows)]))
    step = next((n for n in (24, 12, 8, 6, 4, 2)
                 if cells * n ** 3 * len(data.elements) <= _MAX_WORK), 1)
    axes = [np.arange(lo * MARKER_GRID, hi * MARKER_GRID, MARKER_GRID // step)
            for lo, hi in zip(lows, highs)]
    return np.stack(np.meshgrid(*axes, indexing="ij"), -1).reshape(-1, 3)


_GRID_STEPS = tuple(tuple(Fraction(int(i == j), MARKER_GRID) for j in range(3))
                    for i in range(3))


def _marker_point(action: _ReducedAction, witness: frozenset[int], orientation) -> np.ndarray:
    """The point whose site symmetry in N' (with the orientation, for lines)
    is the largest lying in M."""
    data = action.data
    keeps = [orientation is None or action.orient(g, orientation) == orientation
             for g in range(len(data.elements))]
    # grid points in integer reduced coordinates (exact: D is a multiple of
    # the grid steps' denominators), deduplicated modulo L
    steps = np.array([[int(c * action.D) for c in matvec(action.t_rows, e)]
                      for e in _GRID_STEPS], dtype=np.int64)
    z = np.unique((_candidate_grid(data) @ steps) % action.D, axis=0)
    outside = np.array([i not in witness for i in range(len(data.elements))])
    site = np.zeros(len(z), dtype=np.int64)
    allowed = np.ones(len(z), dtype=bool)
    for g in range(len(data.elements)):
        in_place = np.all(action.apply(g, z) == z, axis=1)
        fixed = in_place & keeps[g]
        site += fixed
        if outside[g]:
            allowed &= ~fixed
        elif data.flags is not None and not keeps[g]:
            # an element of M that reverses the marker's state in place
            # (its sign): the marker would carry both signs
            allowed &= ~in_place
    if not np.any(allowed):
        return np.array(action.reduce(_GENERIC), dtype=np.int64)
    best = np.flatnonzero(allowed & (site == site[allowed].max()))
    # among equals, the simplest point: smallest denominators, then nearest
    # the origin (a line of equal points otherwise gives an arbitrary one);
    # a float pre-selection keeps the exact comparison short
    full = np.array([[float(x) for x in row] for row in data.from_reduced])[:, data.d:]
    coords = (z[best] / action.D) @ full.T
    rank = np.full(coords.shape, len(_DENOMINATORS))
    for k, den in reversed(list(enumerate(_DENOMINATORS))):
        rank[np.abs(coords * den - np.round(coords * den)) < 1e-9] = k
    key = rank.max(axis=1) * 1000 + np.minimum(np.abs(coords).sum(axis=1), 999)
    shortlist = best[np.argsort(key, kind="stable")[:64]]
    simplest = min(shortlist, key=lambda i: _simplicity(action.position(z[i]), data.lattice))
    return z[simplest]


def _along_lines(x: Vector, directions) -> Vector:
    """x moved along the lines (span of ``directions``) to zero the pivot
    coordinates of their echelon form (the polar coordinates, e.g. z)."""
    rows = [list(v) for v in directions]
    pivots = []
    for row in rows:  # echelon form, in place
        for r, p in zip(rows, pivots):
            if row[p]:
                f = row[p] / r[p]
                row[:] = [a - f * b for a, b in zip(row, r)]
        pivots.append(next(i for i, c in enumerate(row) if c))
    y = list(x)
    for row, p in zip(rows, pivots):
        if y[p]:
            f = y[p] / row[p]
            y = [a - f * b for a, b in zip(y, row)]
    return tuple(y)


def _canonical(x: Vector, lattice: Matrix, directions=()) -> Vector:
    """The representative of x + L (+ span directions) with the fewest
    negative coordinates, then the fewest at least 1, then the smallest
    (on the lines: the point with zero polar coordinates)."""
    candidates = []
    for i in range(-2, 3):
        for j in range(-2, 3):
            for k in range(-2, 3):
                y = tuple(c + i * a + j * b + k * e
                          for c, a, b, e in zip(x, lattice[0], lattice[1], lattice[2]))
                if directions:
                    y = _along_lines(y, directions)
                key = (sum(c < 0 for c in y), sum(c >= 1 for c in y), sum(abs(c) for c in y), y)
                candidates.append(key)
    return min(candidates)[3]


# denominators from the most to the least familiar in special positions
_DENOMINATORS = (1, 2, 4, 3, 6, 8, 12, 24)


def _simplicity(x: Vector, lattice: Matrix) -> tuple:
    y = _canonical(x, lattice)
    worst = max(_DENOMINATORS.index(c.denominator) if c.denominator in _DENOMINATORS
                else len(_DENOMINATORS) for c in y)
    return (worst, sum(abs(c) for c in y), y)


def _pattern(action: _ReducedAction, elements, z0: np.ndarray, orientation) -> frozenset:
    return frozenset((tuple(int(c) for c in action.apply(g, z0[None, :])[0]),
                      action.orient(g, orientation)) for g in elements)


def _moved(action: _ReducedAction, g: int, pattern: frozenset) -> frozenset:
    items = sorted(pattern)
    points = np.array([z for z, _ in items], dtype=np.int64).reshape(len(items), -1)
    return frozenset((tuple(int(c) for c in p), action.orient(g, u))
                     for p, (_, u) in zip(action.apply(g, points), items))


def _markers(data: _Data, witness: frozenset[int], basis: np.ndarray):
    """The verified marker set: (patterns, actions of every element of N')."""
    directions = data.continuous if data.finite else ()
    if data.flags is not None:  # markers carry a time-odd sign
        try:
            return _marker_set(data, witness, basis, directions, (None, 1))
        except VerificationError:
            if not directions:
                raise
            return _marker_set(data, witness, basis, directions,
                               (_line_orientation(directions), 1))
    if not directions:
        return _marker_set(data, witness, basis, directions, None)
    # plain lines cannot tell the elements that only reverse the polar
    # directions (m_z for a polar z axis); when M lacks them, the lines
    # carry an orientation along them (a generic one in a plane of lines)
    try:
        return _marker_set(data, witness, basis, directions, None)
    except VerificationError:
        return _marker_set(data, witness, basis, directions, _line_orientation(directions))


def _line_orientation(directions) -> Vector:
    """A generic orientation in the span of the lines."""
    return tuple(sum(Fraction(k + 1) * v[i] for k, v in enumerate(directions)) for i in range(3))


def _marker_set(data: _Data, witness: frozenset[int], basis: np.ndarray, directions,
                orientation):
    action = _ReducedAction(data, [_GENERIC, *_GRID_STEPS])
    z0 = _marker_point(action, witness, orientation)
    first = _pattern(action, sorted(witness), z0, orientation)
    everything = range(len(data.elements))
    patterns = [first]
    index = {first: 0}
    for g in everything:
        image = _moved(action, g, first)
        if image not in index:
            index[image] = len(patterns)
            patterns.append(image)

    # every marker of every pattern, moved by one element at a time
    items = [(b, z, u) for b, p in enumerate(patterns) for z, u in sorted(p)]
    flat = np.array([z for _, z, _ in items], dtype=np.int64).reshape(len(items), -1)

    def permutation(g: int) -> tuple[int, ...]:
        moved: list[list] = [[] for _ in patterns]
        for row, (b, _, u) in zip(action.apply(g, flat).tolist(), items):
            moved[b].append((tuple(row), action.orient(g, u)))
        images = []
        for marks in moved:
            image = index.get(frozenset(marks))
            if image is None:
                raise VerificationError("the set is not closed under the generalized normalizer "
                                        f"(element {g + 1} of N')")
            images.append(image)
        if len(set(images)) != len(patterns):
            raise VerificationError("a normalizer element does not permute the set")
        return tuple(images)

    # every element of N' (translations outside S included) permutes the set
    actions = [permutation(g) for g in everything]
    stabilizer = frozenset(g for g in everything if actions[g][0] == 0)
    if stabilizer != witness:
        raise VerificationError("the first pattern's stabilizer in N' is not M")
    for b in range(len(patterns)):
        in_s = frozenset(s for s in data.group_positions if actions[s][b] == b)
        if in_s not in data.k_conjugates:
            raise VerificationError(f"a pattern's stabilizer in {data.group} (order "
                                    f"{len(in_s)} modulo L) is not a conjugate of "
                                    f"{data.subgroup}")
    orbit = {actions[s][0] for s in data.group_positions}
    _check_size(data, len(patterns), len(orbit) == len(patterns))
    objects = []
    for p in patterns:
        markers = sorted((_canonical(action.position(z), data.lattice, directions), u)
                         for z, u in p)
        positions = tuple(x for x, _ in markers)
        if data.flags is not None:
            orientations, features, irreps = _magnetic_features(markers, basis)
        elif orientation is None:
            orientations, features, irreps = (), np.ones((len(markers), 1)), "0e"
        else:
            orientations = tuple(u for _, u in markers)
            features = np.array(float_rows(orientations)) @ basis.T
            features /= np.linalg.norm(features, axis=1, keepdims=True)
            irreps = "1o"
        objects.append(MarkerPattern(lattice=data.lattice, positions=positions,
                                     directions=directions, orientations=orientations,
                                     features=features, irreps=irreps))
    objects = tuple(objects)
    return objects, actions


def _magnetic_features(markers, basis: np.ndarray):
    """A magnetic pattern's orientations (lines only) and features: the
    unit line direction (``1o``) if any, then the time-odd sign (``0e'``)."""
    signs = np.array([[float(u[1])] for _, u in markers])
    if markers[0][1][0] is None:
        return (), signs, "0e'"
    orientations = tuple(u[0] for _, u in markers)
    vectors = np.array(float_rows(orientations)) @ basis.T
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    return orientations, np.hstack([vectors, signs]), "1o+0e'"


def _check_size(data: _Data, size: int, transitive: bool) -> None:
    if data.finite and size != data.size:
        raise VerificationError(f"the set has {size} objects, the minimal size is {data.size}")
    if data.ideal and not transitive:
        raise VerificationError("the set is claimed ideal but S is not transitive on it")


def _is_uniform(data: _Data, witness: frozenset[int]) -> bool:
    """M contains every translation of N' (modulo L C); for a grey parent
    every translation without theta (theta and anti-translations reverse a
    time-odd uniform field)."""
    identity = rational_matrix([[1, 0, 0], [0, 1, 0], [0, 0, 1]])
    return all(i in witness for i, (r, _) in enumerate(data.elements)
               if r == identity and (data.flags is None or not data.flags[i]))


def _cartesian_rotations(data: _Data, basis: np.ndarray) -> np.ndarray:
    """The Cartesian rotation parts of N'; for a grey parent the 4x4
    elements diag(R, +-1) of O(3) x {1, theta} (time-odd irreps allowed)."""
    inv = np.linalg.inv(basis)
    rotations = np.array([basis @ np.array(float_rows(r)) @ inv for r, _ in data.elements])
    if data.flags is None:
        return rotations
    elements = np.zeros((len(rotations), 4, 4))
    elements[:, :3, :3] = rotations
    elements[:, 3, 3] = [1 - 2 * f for f in data.flags]
    return elements


def _uniform(data: _Data, witnesses, basis, irreps):
    """The verified uniform set: (irreps, vectors, actions of every element)."""
    rotations = _cartesian_rotations(data, basis)
    ctx = RealizationContext(
        group=data.group, subgroup=data.subgroup, nprime=rotations, generators=data.generators,
        group_positions=data.group_positions, witnesses=[sorted(w) for w in witnesses],
        witness_names=["M"] * len(witnesses), finite=True, identity="trivial", axis=None,
        k_conjugates=list(data.k_conjugates), ideal=data.ideal, exact_size=data.size)
    text, witness, v, ds = choose_realization(ctx, irreps)
    vectors = vector_orbit(ds, v)
    vectors[np.abs(vectors) < 1e-13] = 0.0
    verify_vectors(ctx, ds, vectors, [])
    actions = [vector_permutation(ds[g], vectors) for g in range(len(data.elements))]
    objects = tuple(UniformField(irreps=text, vector=w) for w in vectors)
    return text, frozenset(witness), objects, actions


def _stabilizer_name(data: _Data, witness: frozenset[int], cell) -> str:
    operations = [data.elements[i] for i in sorted(witness)]
    if data.flags is not None:
        # the magnetic point group of M's rotation parts with their flags
        symbol = magnetic_point_group_name([(r, data.flags[i]) for i, (r, _) in
                                            zip(sorted(witness), operations)])
        return (f"{symbol} with every translation of N' without theta"
                if _is_uniform(data, witness)
                else f"{symbol} (rotation parts with theta) on the lattice L")
    if _is_uniform(data, witness):
        symbol = rotation_point_group([r for r, _ in operations])
        return f"{symbol} with every translation of N'"
    if data.d and data.finite:
        symbol = rotation_point_group([r for r, _ in operations])
        return f"{symbol} (rotation parts) with the continuous translations"
    number, symbol = operations_type(operations, data.lattice, cell)
    return f"{symbol} ({number})"


def _target_class(structure, K, session) -> SpaceSubgroupClass:
    if K is None:  # full breaking: K = T(S)
        return space_subgroup_class(structure.group, lattice_generators(structure),
                                    session=session)
    matches = select_space_classes(structure, K, session=session)
    if len(matches) > 1:
        raise InputError(f"{K!r} names {len(matches)} classes of subgroups of "
                         f"{structure.group.name}: " + "; ".join(c.name for c in matches)
                         + "; give one of these names")
    return matches[0]


def _magnetic_target(grey: GreySpaceGroup, structure, K, session
                     ) -> MagneticSpaceSubgroupClass:
    from ..breaking import magnetic_space_classes_over

    if K is None:  # full breaking: T(S) without theta
        lattice = space_subgroup_class(structure.group, lattice_generators(structure),
                                       session=session)
        return next(c for c in magnetic_space_classes_over(grey, [lattice], session=session)
                    if not any(c.flags))
    matches = select_magnetic_space_classes(grey, K, session=session)
    if len(matches) > 1:
        raise InputError(f"{K!r} names {len(matches)} classes of magnetic subgroups of "
                         f"{grey.name}: " + "; ".join(c.name for c in matches)
                         + "; give one of these names")
    return matches[0]


def space_symmetry_breaking_set(S, K=None, irreps: str | None = None, *, cell=None,
                                session: GapSession | None = None
                                ) -> SpaceSymmetryBreakingSet:
    """The minimal equivariant SBS of the space group S to K, as uniform
    fields or periodic marker patterns (docs/theory.md section 8).

    Parameters
    ----------
    S : str or SpaceGroup
        A space group (``"Pm-3m"``, ``"SG221"``).
    K : str or SpaceSubgroupClass, optional
        A type naming one class (``"P4mm"``), a class name or a type with a
        transformation (``"Fm-3m [2a,2b,2c; 0,0,0]"``).  Default: T(S) (the
        point symmetry fully broken).
    irreps : str, optional
        e3nn irreps of uniform fields (default the smallest that works).
    cell : optional
        A cell ``a,b,c,alpha,beta,gamma`` (a specialised metric, and the
        Cartesian frame of uniform vectors); default the generic metric.
    """
    session = session or default_session()
    grey = S if isinstance(S, GreySpaceGroup) else None
    if grey is None and isinstance(S, str) and S.strip().endswith("'"):
        grey = grey_space_group(S)
    if grey is not None:
        if cell is not None:
            raise InputError("--cell is not supported for grey space groups yet")
        structure = space_group_structure(grey.space_group, session=session)
        cls = _magnetic_target(grey, structure, K, session)
        data = _magnetic_data(structure, grey, cls, session)
    else:
        structure = space_group_structure(S, cell=cell, session=session)
        cls = _target_class(structure, K, session)
        data = _data(structure, cls, session)
    basis = cell_basis(structure.cell)
    uniform = [w for w in data.witnesses if _is_uniform(data, w)]
    if uniform:
        text, witness, objects, actions = _uniform(data, uniform, basis, irreps)
        kind = "uniform"
    else:
        if irreps is not None:
            raise InputError(f"{data.group} -> {cls.name} needs marker patterns "
                             "(its stabilizer does not contain every translation of N'), "
                             "whose features are fixed (0e points, 1o oriented lines, 0e' "
                             "time-odd signs for grey groups); --irreps is for uniform "
                             "fields")
        witness = min(data.witnesses, key=sorted)
        objects, actions = _markers(data, witness, basis)
        text, kind = objects[0].irreps, "markers"
    return SpaceSymmetryBreakingSet(
        group=data.group, subgroup=data.subgroup, kind=kind, objects=objects,
        stabilizer=_stabilizer_name(data, witness, structure.cell),
        continuous=not data.finite, ideal=data.ideal, index=data.index, irreps=text,
        cell=tuple(structure.cell), cartesian_basis=basis.T.copy(), lattice=data.lattice,
        continuous_directions=data.continuous,
        group_operations=tuple(data.elements[s] for s in data.group_positions),
        group_action=tuple(actions[s] for s in data.group_positions),
        normalizer_generators=tuple(data.elements[g] for g in data.generators),
        normalizer_generators_action=tuple(actions[g] for g in data.generators),
        group_time_reversal=() if data.flags is None else tuple(
            data.flags[s] for s in data.group_positions),
        normalizer_generators_time_reversal=() if data.flags is None else tuple(
            data.flags[g] for g in data.generators))
