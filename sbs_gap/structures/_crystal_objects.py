"""A crystal's space-group symmetry breaking objects in the file's frame.

:func:`sbs_gap.objects.space_symmetry_breaking_set` gives the minimal SBS of
S -> K in S's standard setting (docs/theory.md section 8).  For a detected
crystal (:class:`~sbs_gap.structures.CrystalSpaceGroup`: x_std = P x + p)
the set is computed there, with the crystal's own standard cell as the
metric, and expressed in the file's frame:

* marker positions x_file = P^-1 (x_std - p) (exact, the file's fractional
  coordinates; Cartesian = x_file @ lattice), their lattice, line
  directions and orientations by P^-1;
* uniform fields (e3nn irreps vectors) by D(Q), Q the Cartesian rotation
  from the standard cell's frame (``cartesian_basis``) to the file's: the
  polar factor of A P^-1 B^-1 (A, B the file's and the standard basis as
  columns), which is spglib's ``std_rotation_matrix`` transposed when its
  idealized cell is oriented like ``cartesian_basis``.

Before returning, the set is verified in the file's frame against the
crystal's operations there (exact, :class:`CrystalSpaceGroup`), not against
the standard setting's:

* every operation, and every translation of the file's lattice, permutes
  the objects: a marker pattern as a set of points modulo its lattice L and
  its continuous directions C (exactly, in rationals); a uniform vector v
  under D(R), R the operation's Cartesian rotation in the file's (idealized)
  cell;
* the orbit of the first object has the size it has in the standard
  setting (|S : K| when the set is finite), i.e. its stabilizer has order
  |G| / orbit, G the crystal's group modulo T(S) meet (L + C) (markers) or
  modulo T(S) (uniform fields, whose stabilizer contains T(S));
* the stabilizer has K's type (spglib on generic orbits,
  :func:`sbs_gap.breaking.operations_type`) when the set is finite and has
  no continuous directions.
"""
from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from fractions import Fraction
from math import gcd

import numpy as np

from ..breaking import operations_type
from ..errors import VerificationError
from ..exact import inverse, matvec, rational_matrix
from ..gap import GapSession
from ..objects import (
    SpaceSymmetryBreakingSet, UniformField, representation_matrices,
    space_symmetry_breaking_set,
)
from ..objects import MarkerFields
from ._detect import CrystalSpaceGroup

__all__ = ["CrystalSymmetryBreakingSet", "FileMarkerPattern",
           "crystal_symmetry_breaking_set"]

Vector = tuple[Fraction, ...]
Matrix = tuple[Vector, ...]

# the largest group G (operations modulo T(S) meet (L + C)) enumerated
_MAX_GROUP = 500_000


def _text(q: Fraction) -> str:
    return str(q.numerator) if q.denominator == 1 else f"{q.numerator}/{q.denominator}"


def _rounded(values) -> list:
    return [round(float(x), 12) + 0.0 for x in values]


@dataclass(frozen=True, eq=False)
class FileMarkerPattern(MarkerFields):
    """A periodic pattern of markers in the file's frame.

    Attributes
    ----------
    lattice : tuple
        The pattern's period lattice L (rows), exact, in the file's
        fractional coordinates.
    positions : tuple
        One cell's markers, exact fractional coordinates of the file's cell.
    cartesian : numpy.ndarray
        The same in angstrom (``positions @ lattice_of_the_file``).
    directions, orientations : tuple
        Lines (polar S): the continuous directions and each marker's
        orientation, exact, in the file's fractional coordinates.
    features : numpy.ndarray
        (markers, dim): 1 (``0e``) for points, the Cartesian orientation in
        the file's frame (``1o``) for oriented lines.
    """

    # the other fields are MarkerFields'; keyword-only, as it follows their defaults
    cartesian: np.ndarray = field(repr=False, kw_only=True)

    def to_json(self) -> dict:
        out = {"kind": self.kind,
               "lattice": [[_text(x) for x in row] for row in self.lattice],
               "positions": [_rounded(p) for p in self.positions],
               "positions_exact": [[_text(x) for x in p] for p in self.positions],
               "cartesian": [_rounded(r) for r in self.cartesian],
               "irreps": self.irreps, "features": [_rounded(f) for f in self.features]}
        if self.directions:
            out["directions"] = [[_text(x) for x in v] for v in self.directions]
        if self.orientations:
            out["orientations"] = [[_text(x) for x in u] for u in self.orientations]
        return out


@dataclass(frozen=True, eq=False)
class CrystalSymmetryBreakingSet:
    """The minimal SBS of a crystal's space group S to K, in the file's frame
    (module docstring), verified there.

    Attributes
    ----------
    standard : SpaceSymmetryBreakingSet
        The set in S's standard setting, with the crystal's standard cell.
    objects : tuple
        :class:`~sbs_gap.objects.UniformField` (Cartesian in the file's frame) or
        :class:`FileMarkerPattern`, in the order
        of ``standard.objects``.
    rotation : numpy.ndarray
        Q, the Cartesian rotation from the standard cell's frame
        (``standard.cartesian_basis``) to the file's.
    operations_action : tuple of tuples
        For each of the crystal's operations (``space_group.rotations``,
        ``translations``), the permutation i -> j it induces on the objects.
    group_order, stabilizer_order, orbit : int
        |G| (module docstring), the order of the first object's stabilizer
        in G, and the size of its orbit (|G| = stabilizer_order * orbit).
    stabilizer_type : tuple or None
        (ITA number, symbol) of the stabilizer in S when checked (finite set
        without continuous directions).
    """

    space_group: CrystalSpaceGroup = field(repr=False)
    standard: SpaceSymmetryBreakingSet = field(repr=False)
    objects: tuple = field(repr=False)
    rotation: np.ndarray = field(repr=False)
    operations_action: tuple[tuple[int, ...], ...] = field(repr=False)
    group_order: int
    stabilizer_order: int
    orbit: int
    stabilizer_type: tuple[int, str] | None

    @property
    def size(self) -> int | None:
        return self.standard.size

    @property
    def continuous_directions(self) -> tuple[Vector, ...]:
        """C in the file's fractional coordinates."""
        P_inv = inverse(self.space_group.transformation_matrix)
        return tuple(matvec(P_inv, c) for c in self.standard.continuous_directions)

    @property
    def kind(self) -> str:
        return self.standard.kind

    def to_json(self) -> dict:
        s = self.standard
        return {"group": s.group, "subgroup": s.subgroup, "size": s.size, "index": s.index,
                "ideal": s.ideal, "continuous": s.continuous, "kind": s.kind,
                "irreps": s.irreps, "stabilizer": s.stabilizer, "frame": "file",
                "objects": [o.to_json() for o in self.objects],
                "continuous_directions": [[_text(x) for x in c]
                                          for c in self.continuous_directions],
                "rotation_to_file": [_rounded(row) for row in self.rotation],
                "verified": {"operations": len(self.operations_action),
                             "group_order": self.group_order,
                             "stabilizer_order": self.stabilizer_order,
                             "orbit": self.orbit,
                             "stabilizer_type": (None if self.stabilizer_type is None
                                                 else f"{self.stabilizer_type[1]} "
                                                      f"({self.stabilizer_type[0]})")},
                "standard": s.to_json()}


# ----------------------------------------------------------------------------
# Exact helpers
# ----------------------------------------------------------------------------

def _floats(m) -> np.ndarray:
    return np.array([[float(x) for x in row] for row in m], dtype=float)


def _cell_parameters(columns: np.ndarray) -> tuple[float, ...]:
    """(a, b, c, alpha, beta, gamma) of basis vectors given as columns."""
    a, b, c = (columns[:, i] for i in range(3))

    def angle(u, v):
        return math.degrees(math.acos(float(np.clip(u @ v / np.linalg.norm(u) /
                                                    np.linalg.norm(v), -1, 1))))
    return (float(np.linalg.norm(a)), float(np.linalg.norm(b)), float(np.linalg.norm(c)),
            angle(b, c), angle(a, c), angle(a, b))


def _primitive_integer(v) -> tuple[int, ...]:
    """The rational vector v scaled to a primitive integer vector."""
    den = math.lcm(*(Fraction(x).denominator for x in v))
    ints = [int(Fraction(x) * den) for x in v]
    g = 0
    for x in ints:
        g = gcd(g, abs(x))
    return tuple(x // g for x in ints)


def _cross(u, v):
    return (u[1] * v[2] - u[2] * v[1], u[2] * v[0] - u[0] * v[2], u[0] * v[1] - u[1] * v[0])


def _orthogonal_lattice(directions) -> list[tuple[int, ...]]:
    """A basis of the integer vectors n with n . c = 0 for every direction c
    (rational, independent): n . y in Z for all of them is exactly y in
    Z^3 + span(directions)."""
    d = len(directions)
    if d == 0:
        return [(1, 0, 0), (0, 1, 0), (0, 0, 1)]
    if d == 3:
        return []
    if d == 2:
        return [_primitive_integer(_cross(*directions))]
    c = _primitive_integer(directions[0])
    bound = max(abs(x) for x in c) + 1
    r = range(-bound, bound + 1)
    found = sorted(((i, j, k) for i in r for j in r for k in r
                    if (i, j, k) != (0, 0, 0) and i * c[0] + j * c[1] + k * c[2] == 0),
                   key=lambda n: (sum(x * x for x in n), n))
    for n1 in found:
        for n2 in found:
            # a basis of the saturated lattice: its covolume |c|
            if _cross(n1, n2) in (c, tuple(-x for x in c)):
                return [n1, n2]
    raise VerificationError("no basis of the lattice orthogonal to the continuous directions")


class _Quotient:
    """Points of the file's frame modulo Lambda = L + span C, exactly: x is
    the key (n_k . (x in L's basis)) mod 1 (see _orthogonal_lattice)."""

    def __init__(self, lattice: Matrix, directions):
        # row vectors: x = y M with M's rows the basis of L, y = x M^-1
        m_inv = inverse(lattice)

        def coordinates(x):
            return tuple(sum(x[i] * m_inv[i][j] for i in range(3)) for j in range(3))

        normals = _orthogonal_lattice([coordinates(c) for c in directions])
        # linear(x)_k = sum_i x_i (M^-1 n_k)_i
        self.rows = tuple(tuple(sum(m_inv[i][j] * n[j] for j in range(3)) for i in range(3))
                          for n in normals)

    def linear(self, x) -> Vector:
        return tuple(r[0] * x[0] + r[1] * x[1] + r[2] * x[2] for r in self.rows)

    def key(self, x) -> Vector:
        return tuple(v % 1 for v in self.linear(x))


def _canonical(x: Vector, lattice: Matrix) -> Vector:
    """The representative of x + L nearest the file's cell [0, 1)^3: fewest
    coordinates outside it, then fewest negative ones, then the smallest
    coordinate sum (L need not contain the file's lattice, so x + L may
    miss the cell)."""
    y = inverse(lattice)
    coords = tuple(sum(x[i] * y[i][j] for i in range(3)) for j in range(3))
    base = tuple(c - (c.numerator // c.denominator) for c in coords)  # in [0, 1)
    best = None
    for i in (-1, 0, 1):
        for j in (-1, 0, 1):
            for k in (-1, 0, 1):
                z = (base[0] + i, base[1] + j, base[2] + k)
                p = tuple(sum(z[a] * lattice[a][b] for a in range(3)) for b in range(3))
                key = (sum(not 0 <= c < 1 for c in p), sum(c < 0 for c in p),
                       sum(abs(c) for c in p), p)
                if best is None or key < best:
                    best = key
    return best[-1]


# ----------------------------------------------------------------------------
# The set in the file's frame
# ----------------------------------------------------------------------------

def _rotation_to_file(space: CrystalSpaceGroup, basis: np.ndarray) -> np.ndarray:
    """Q: the polar factor of A P^-1 B^-1 (A the file's basis, B the standard
    cell's Cartesian basis, both as columns), checked to be a rotation up to
    the tolerance (the file's cell is the standard one rotated)."""
    A = space.lattice.T
    std_in_file = A @ _floats(inverse(space.transformation_matrix))
    u, _, vt = np.linalg.svd(std_in_file @ np.linalg.inv(basis))
    Q = u @ vt
    if np.linalg.det(Q) < 0:
        raise VerificationError("the standard cell and the file's have opposite hands")
    error = np.max(np.linalg.norm(std_in_file - Q @ basis, axis=0))
    if error > 4 * space.tol + 1e-9:
        raise VerificationError(f"the file's cell is not the standard cell rotated (off by "
                                f"{error:.3g} A)")
    return Q


def _std_cell(space: CrystalSpaceGroup) -> tuple[float, ...]:
    """The crystal's standard cell (spglib's idealized one), rounded."""
    return tuple(round(x, 8) for x in _cell_parameters(space.std_lattice.T))


def _subgroup_number(name: str) -> int | None:
    found = re.search(r"\((\d+)\)", name)
    return int(found.group(1)) if found else None


def crystal_symmetry_breaking_set(space: CrystalSpaceGroup, K=None, irreps: str | None = None,
                                  *, session: GapSession | None = None
                                  ) -> CrystalSymmetryBreakingSet:
    """The minimal SBS of a detected crystal's space group to K, in the
    file's frame (module docstring), verified there.

    Parameters
    ----------
    space : CrystalSpaceGroup
        ``sbs_gap.detect(path).space_group``.
    K : str, optional
        A class of subgroups as ``sbs partial`` names them (``"P4mm"``,
        ``"R-3m"``, ``"Pm-3m [a,b,c; 0,0,0]"``), in the standard setting of
        ``space.symbol``; default T(S) (the point symmetry fully broken).
    irreps : str, optional
        e3nn irreps of uniform fields.
    """
    standard = space_symmetry_breaking_set(space.symbol, K, irreps, cell=_std_cell(space),
                                           session=session)
    basis = np.asarray(standard.cartesian_basis, dtype=float).T  # columns a, b, c
    Q = _rotation_to_file(space, basis)
    P_inv = inverse(space.transformation_matrix)
    p = space.origin_shift
    if standard.kind == "uniform":
        D = representation_matrices(standard.irreps, Q)
        objects = tuple(UniformField(irreps=o.irreps, vector=D @ o.vector)
                        for o in standard.objects)
    else:
        A_rows = space.lattice
        objects = []
        for o in standard.objects:
            lattice = tuple(matvec(P_inv, v) for v in o.lattice)
            directions = tuple(matvec(P_inv, v) for v in o.directions)
            positions = [matvec(P_inv, tuple(a - b for a, b in zip(x, p))) for x in o.positions]
            if not directions:
                positions = [_canonical(x, lattice) for x in positions]
            orientations = tuple(matvec(P_inv, u) for u in o.orientations)
            cartesian = _floats(positions) @ A_rows if positions else np.zeros((0, 3))
            if orientations:
                features = _floats(orientations) @ A_rows
                features /= np.linalg.norm(features, axis=1, keepdims=True)
            else:
                features = np.array(o.features, dtype=float)
            objects.append(FileMarkerPattern(
                lattice=lattice, positions=tuple(positions), cartesian=cartesian,
                directions=directions, orientations=orientations, features=features,
                irreps=o.irreps))
        objects = tuple(objects)
    ideal = _ideal_file_cell(space, Q, basis)
    verified = (_verify_uniform(space, standard, objects, ideal) if standard.kind == "uniform"
                else _verify_markers(space, standard, objects, ideal))
    return CrystalSymmetryBreakingSet(space_group=space, standard=standard, objects=objects,
                                      rotation=Q, **verified)


# ----------------------------------------------------------------------------
# Verification in the file's frame
# ----------------------------------------------------------------------------

def _standard_orbit(standard: SpaceSymmetryBreakingSet) -> int:
    """The first object's orbit under S, as the standard setting has it."""
    return len({perm[0] for perm in standard.group_action})


def _check_counts(standard, group_order: int, stabilizer_order: int) -> int:
    if group_order % stabilizer_order:
        raise VerificationError("the stabilizer's order does not divide the group's")
    orbit = group_order // stabilizer_order
    if orbit != _standard_orbit(standard):
        raise VerificationError(f"the first object's orbit has {orbit} objects in the file's "
                                f"frame, {_standard_orbit(standard)} in the standard setting")
    if not standard.continuous and orbit != standard.index:
        raise VerificationError(f"the first object's orbit has {orbit} objects, not |S : K| "
                                f"= {standard.index}")
    return orbit


def _check_type(space, standard, operations, lattice, cell) -> tuple[int, str] | None:
    """The stabilizer's type, checked to be K's (finite sets only)."""
    expected = _subgroup_number(standard.subgroup)
    if standard.continuous or expected is None:
        return None
    # The type does not depend on the origin: taken at the standard one (o,
    # the file's point of the standard origin), the translations have the
    # standard settings' small denominators, which the identification reads.
    o = matvec(inverse(space.transformation_matrix), tuple(-x for x in space.origin_shift))
    shifted = [(W, tuple(a + b - c for a, b, c in zip(w, matvec(W, o), o)))
               for W, w in operations]
    try:
        number, symbol = operations_type(shifted, lattice, cell)
    except (IndexError, RuntimeError, ValueError) as exc:
        # the identification reads small rationals only: anything else means
        # the operations are not those of a space group with this origin
        raise VerificationError(f"the first object's stabilizer could not be identified "
                                f"({exc})") from None
    if number != expected:
        raise VerificationError(f"the first object's stabilizer in the file's frame is "
                                f"{symbol} ({number}), not {standard.subgroup}")
    return number, symbol


def _ideal_file_cell(space: CrystalSpaceGroup, Q: np.ndarray, basis: np.ndarray) -> np.ndarray:
    """The file's basis (columns) made exactly symmetric: Q B P."""
    return Q @ basis @ _floats(space.transformation_matrix)


def _verify_uniform(space, standard, objects, A: np.ndarray) -> dict:
    A_inv = np.linalg.inv(A)
    cartesian = np.array([A @ _floats(W) @ A_inv for W in space.rotations])
    D = representation_matrices(standard.irreps, cartesian)
    vectors = np.array([o.vector for o in objects])
    actions = []
    for d in D:
        moved = vectors @ d.T
        distance = np.linalg.norm(moved[:, None, :] - vectors[None, :, :], axis=2)
        image = np.argmin(distance, axis=1)
        if np.max(distance[np.arange(len(vectors)), image]) > 1e-6 \
                or len(set(image.tolist())) != len(vectors):
            raise VerificationError("an operation of the crystal does not permute the uniform "
                                    "fields in the file's frame")
        actions.append(tuple(int(i) for i in image))
    stabilizer = [i for i, perm in enumerate(actions) if perm[0] == 0]
    orbit = _check_counts(standard, len(actions), len(stabilizer))
    identity = rational_matrix(np.eye(3, dtype=int).tolist())
    kind = _check_type(space, standard, [(space.rotations[i], space.translations[i])
                                  for i in stabilizer], identity,
                       _cell_parameters(A))
    return {"operations_action": tuple(actions), "group_order": len(actions),
            "stabilizer_order": len(stabilizer), "orbit": orbit, "stabilizer_type": kind}


def _verify_markers(space, standard, objects, A: np.ndarray) -> dict:
    # patterns are sets of points (lines along C when S is polar and the set
    # finite) modulo L; a continuous set is its finite model's points
    lattice, directions = objects[0].lattice, objects[0].directions
    quotient = _Quotient(lattice, directions)
    zero = quotient.key((Fraction(0),) * 3)
    rotations = space.rotations
    # L + C is kept by every rotation (the patterns are read modulo it)
    for W in rotations:
        for v in lattice:
            if quotient.key(matvec(W, v)) != zero:
                raise VerificationError("a rotation of the crystal does not keep the "
                                        "pattern's lattice")
        for c in directions:
            if any(x != 0 for x in quotient.linear(matvec(W, c))):
                raise VerificationError("a rotation of the crystal does not keep the "
                                        "continuous directions")

    def marks(o):  # (position, orientation or None)
        return zip(o.positions, o.orientations or [None] * len(o.positions))

    patterns = [frozenset((quotient.key(x), u) for x, u in marks(o)) for o in objects]
    index = {b: i for i, b in enumerate(patterns)}
    if len(index) != len(patterns):
        raise VerificationError("two objects coincide in the file's frame")
    points = [(i, x, u) for i, o in enumerate(objects) for x, u in marks(o)]

    def permutation(W, w) -> tuple[int, ...] | None:
        moved: list[set] = [set() for _ in objects]
        for i, x, u in points:
            y = tuple(a + b for a, b in zip(matvec(W, x), w))
            moved[i].add((quotient.key(y), matvec(W, u) if u is not None else None))
        images = tuple(index.get(frozenset(m), -1) for m in moved)
        if -1 in images or len(set(images)) != len(images):
            return None
        return images

    # G: the crystal's operations (modulo the file's lattice) times the
    # file's lattice translations modulo L + C, read modulo T(S) meet (L + C)
    zero_vector = (Fraction(0),) * 3
    shifts = {zero: zero_vector}
    frontier = [zero_vector]
    while frontier:
        new = []
        for t in frontier:
            for i in range(3):
                u = tuple(x + (j == i) for j, x in enumerate(t))
                k = quotient.key(u)
                if k not in shifts:
                    shifts[k] = u
                    new.append(u)
        frontier = new
        if len(shifts) * len(rotations) > _MAX_GROUP:
            raise VerificationError(f"the crystal's group modulo the pattern's lattice has "
                                    f"more than {_MAX_GROUP} elements")
    group = {}
    for W, w in zip(rotations, space.translations):
        for t in shifts.values():
            g = (W, tuple(a + b for a, b in zip(w, t)))
            group.setdefault((W, quotient.key(g[1])), g)
    elements = list(group.values())
    stabilizer = []
    for W, w in elements:
        perm = permutation(W, w)
        if perm is None:
            raise VerificationError("an operation of the crystal does not permute the marker "
                                    "patterns in the file's frame")
        if perm[0] == 0:
            stabilizer.append((W, w))
    actions = []
    for W, w in zip(rotations, space.translations):
        actions.append(permutation(W, w))
    orbit = _check_counts(standard, len(elements), len(stabilizer))
    kind = None
    if not directions:
        kind = _check_type(space, standard, stabilizer, lattice, _cell_parameters(A))
    return {"operations_action": tuple(actions), "group_order": len(elements),
            "stabilizer_order": len(stabilizer), "orbit": orbit, "stabilizer_type": kind}
