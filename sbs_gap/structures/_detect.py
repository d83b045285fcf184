"""Symmetry detection: the point group of a molecule or of a crystal site,
and the space group of a crystal.

``sbs detect FILE`` reads a molecule (XYZ) or a crystal (CIF or POSCAR) and
reports its point group S (Schoenflies and Hermann-Mauguin), and the
orthogonal matrix R taking S's standard orientation (docs/theory.md section 7) to
the input frame: R S_std R^T = S_input.  With ``--objects`` the minimal
equivariant SBS (:mod:`sbs_gap.objects`) is given in the input frame
(``symmetry_breaking_set(d.group, frame=d.rotation)``).

Molecules: every symmetry operation fixes the centroid and permutes atoms of
one species; operations are identified by that permutation (see the section
"Molecules" below) and the answer is the largest group within the tolerance.
The tolerance is adaptive (section "Adaptive tolerance"): when operations
miss only narrowly at ``tol``, the smallest tolerance up to
``ADAPT_LIMIT * tol`` that accepts them is tried, and the tolerance used is
reported (``Detection.tol_used``).

Crystals: spglib finds the space-group operations; the point group is their
rotation parts, a site's symmetry the operations fixing that site (modulo
lattice translations), both turned into Cartesian matrices.  The space group
itself (:class:`CrystalSpaceGroup`) is given as this project's type (the
setting of :func:`sbs_gap.groups.space_group_by_number`), spglib's Hall
number, and the exact transformation (P, p) to that standard setting,
x_std = P x + p (spglib's convention), also in ITA's notation
``a',b',c'; o`` (the standard basis vectors and origin in the file's basis).
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from fractions import Fraction

import numpy as np

from ..breaking import format_transformation
from ..breaking.text import matrix_text, pairs_table, vector_text
from ..errors import InputError
from ..exact import determinant, inverse, matmul, matvec, rational_matrix
from ..groups import (
    NotAPointGroup, element_order, point_group, point_group_type, quiet_spglib,
    space_group_by_number,
)
from ._readers import Structure, to_structure

__all__ = ["ADAPT_LIMIT", "CrystalSpaceGroup", "Detection", "crystal_operations",
           "crystal_space_group", "detect", "molecule_operations", "point_group_of_matrices",
           "same_group", "standard_orientation"]

Matrix = tuple[tuple[Fraction, ...], ...]
Vector = tuple[Fraction, ...]


def _fraction_text(q: Fraction) -> str:
    return str(q.numerator) if q.denominator == 1 else f"{q.numerator}/{q.denominator}"


@dataclass(frozen=True, eq=False)
class CrystalSpaceGroup:
    """The space group of a crystal as spglib finds it, made exact.

    Attributes
    ----------
    number, symbol, hall_number : int, str, int
        ITA number, this project's name of the type (its default setting,
        :func:`sbs_gap.groups.space_group_by_number`) and spglib's Hall
        number of that setting.
    transformation_matrix, origin_shift : tuple
        Exact (P, p) with x_std = P x + p (spglib's convention): fractional
        coordinates in the file's cell x to those of the standard setting.
    transformation : str
        The same in ITA's notation ``a',b',c'; o``: the standard basis
        vectors in terms of the file's a, b, c and the standard origin in the
        file's fractional coordinates (the inverse of P, and -P^-1 p).
    rotations, translations : tuple
        The crystal's operations x -> W x + w in the file's fractional
        coordinates, exact, modulo the file's lattice (spglib's, their
        translations read exactly through the standard setting and checked
        against spglib's numbers).
    lattice : numpy.ndarray
        The file's basis vectors (rows, angstrom).
    std_lattice, std_rotation_matrix : numpy.ndarray
        spglib's idealized standard basis (rows) and the rotation taking the
        file's Cartesian frame to it (``std_lattice.T`` is close to
        ``std_rotation_matrix @ lattice.T @ inv(P)``).
    tol : float
        The tolerance spglib ran at (angstrom).
    """

    number: int
    symbol: str
    hall_number: int
    transformation_matrix: Matrix
    origin_shift: Vector
    transformation: str
    rotations: tuple[Matrix, ...]
    translations: tuple[Vector, ...]
    lattice: np.ndarray
    std_lattice: np.ndarray
    std_rotation_matrix: np.ndarray
    tol: float

    def to_json(self) -> dict:
        return {"space_group": self.symbol, "space_group_number": self.number,
                "hall_number": self.hall_number, "to_standard": self.transformation,
                "transformation_matrix": [[_fraction_text(x) for x in row]
                                          for row in self.transformation_matrix],
                "origin_shift": [_fraction_text(x) for x in self.origin_shift]}


@dataclass(frozen=True)
class Detection:
    """The detected point group (and, for a crystal, space group).

    Attributes
    ----------
    group, hermann_mauguin : str
        Schoenflies name and Hermann-Mauguin symbol (None when not
        crystallographic).
    rotation : numpy.ndarray
        R, the orthogonal matrix taking the standard orientation to the input
        frame: R S_std R^T is the detected group.  Pass it as ``frame`` to
        :func:`sbs_gap.symmetry_breaking_set` to get objects in the input frame.
    operations : numpy.ndarray
        The group's elements in the input frame, (|S|, 3, 3).
    tol_used : float or None
        The tolerance (angstrom) the answer holds at: the one given, or for
        a molecule the adapted one (module docstring); the group is the
        largest within it.
    space_group : CrystalSpaceGroup or None
        Crystals: the space group (also given with ``site``, where ``group``
        is the site symmetry).
    site : int or None
        The atom whose site symmetry ``group`` is.
    """

    group: str
    hermann_mauguin: str | None
    rotation: np.ndarray
    operations: np.ndarray
    tol_used: float | None = None
    space_group: CrystalSpaceGroup | None = None
    site: int | None = None

    def to_json(self) -> dict:
        out = {"group": self.group, "hermann_mauguin": self.hermann_mauguin,
               "rotation": np.round(self.rotation, 12).tolist(), "tol_used": self.tol_used}
        if self.space_group is not None:
            out.update(self.space_group.to_json())
        return out

    def to_record(self, objects=None) -> dict:
        """``sbs detect --json``'s record: :meth:`to_json`, with the JSON of
        ``objects`` (a set from :meth:`symmetry_breaking_set`) when given."""
        record = self.to_json()
        if objects is not None:
            record["objects"] = objects.to_json()
        return record

    def to_table(self, objects=None, *, tol: float | None = None) -> str:
        """``sbs detect``'s text: the space group and its transformation (a
        crystal), the point group, R, the tolerance used (and the ``tol``
        asked for when it was adapted), then a line per object of
        ``objects`` when given."""
        record = self.to_record(objects)
        pairs = []
        if self.space_group is not None:
            pairs += [("space_group", record["space_group"]),
                      ("number", str(record["space_group_number"])),
                      ("hall_number", str(record["hall_number"])),
                      ("to_standard", record["to_standard"]),
                      ("x_std = P x + p",
                       f"P = {matrix_text(record['transformation_matrix'])}, "
                       f"p = {matrix_text([record['origin_shift']])}")]
        if self.site is not None:
            pairs.append(("site", f"atom {self.site} (group: its site symmetry)"))
        pairs += [("group", record["group"]),
                  ("hermann_mauguin", record["hermann_mauguin"] or "-")]
        for i, row in enumerate(record["rotation"]):
            pairs.append(("rotation" if i == 0 else "", vector_text(row, 6)))
        used = record["tol_used"]
        adapted = tol is not None and used != tol
        pairs.append(("tol_used", f"{used:g} A" + (f" (adapted from --tol {tol:g})"
                                                   if adapted else "")))
        if objects is not None:
            pairs += _objects_lines(record["objects"],
                                    crystal=self.space_group is not None and self.site is None)
        return pairs_table(pairs)

    def symmetry_breaking_set(self, K=None, irreps: str | None = None, *, session=None):
        """The minimal equivariant SBS to K in the input frame: a crystal's
        space-group objects (``_crystal_objects.crystal_symmetry_breaking_set``,
        K a space subgroup as ``sbs partial`` names it), else the point group's
        (a molecule, a crystal site: ``frame=rotation``)."""
        if self.space_group is not None and self.site is None:
            from ._crystal_objects import crystal_symmetry_breaking_set

            return crystal_symmetry_breaking_set(self.space_group, K, irreps, session=session)
        from ..objects import symmetry_breaking_set

        return symmetry_breaking_set(self.group, K, irreps, frame=self.rotation,
                                     session=session)


def _objects_lines(o: dict, crystal: bool) -> list[tuple[str, str]]:
    """The ``objects`` lines of :meth:`Detection.to_table`, from the set's JSON:
    a crystal's space-group objects (in the file's frame) or point-group
    vectors."""
    if crystal:
        pairs = [("objects", f"{o['size'] or 'continuous'} x {o['kind']} {o['irreps']} "
                             f"(to {o['subgroup']}), in the file's frame")]
    else:
        pairs = [("objects", f"{o['size'] or 'continuous'} x {o['irreps']} "
                             f"(to {o['subgroup']})")]
    for i, v in enumerate(o["objects"]):
        if not crystal:
            text = vector_text(v)
        elif v["kind"] == "uniform":
            text = vector_text(v["vector"])
        else:
            text = (f"lattice {matrix_text(v['lattice'])}, markers "
                    + " ".join("(" + ",".join(x) + ")" for x in v["positions_exact"]))
            if "directions" in v:
                text += f", lines along {matrix_text(v['directions'])}"
        pairs.append((f"object {i + 1}", text))
    return pairs


# ----------------------------------------------------------------------------
# Finite groups of float matrices
# ----------------------------------------------------------------------------

def _unique(mats, tol=1e-6) -> np.ndarray:
    out: list[np.ndarray] = []
    for m in mats:
        if not any(np.abs(m - o).max() < tol for o in out):
            out.append(m)
    return np.array(out).reshape(-1, 3, 3)


class _Inconsistent(InputError):
    """The operations found do not form a point group that can be named and
    oriented (molecules retry at a larger tolerance)."""


# Detected operations carry the input's noise (~ noise / size); distinct
# elements of finite point groups of order <= 240 differ far more than this.
_MATCH = 0.05


def _order(m: np.ndarray) -> int:
    try:
        return element_order(m, _MATCH)
    except NotAPointGroup:
        raise _Inconsistent("the detected operations do not form a finite group "
                            "(increase --tol?)") from None


def point_group_of_matrices(ops: np.ndarray) -> str:
    """Canonical Schoenflies name of a finite group of orthogonal float matrices."""
    try:
        return point_group_type(ops, tol=_MATCH)
    except NotAPointGroup as exc:
        raise _Inconsistent(str(exc).replace("the operations", "the detected operations")
                            + " (increase --tol?)") from None


def _directions(ops: np.ndarray) -> list[tuple[tuple, np.ndarray]]:
    """(label, unit axis or normal) of every element but 1 and -1; the label
    (det, order) is invariant under conjugation."""
    out = []
    for m in ops:
        det = np.linalg.det(m)
        r = m if det > 0 else -m
        if np.abs(r - np.eye(3)).max() < _MATCH:
            continue
        w, v = np.linalg.eig(r)
        axis = np.real(v[:, np.argmin(np.abs(w - 1))])
        out.append(((round(det), _order(m)), axis / np.linalg.norm(axis)))
    return out


def _rotation_taking(u: np.ndarray, v: np.ndarray) -> np.ndarray:
    """A rotation taking unit vector u to unit vector v."""
    c = float(np.dot(u, v))
    if c > 1 - 1e-12:
        return np.eye(3)
    if c < -1 + 1e-12:
        p = np.eye(3)[np.argmin(np.abs(u))]
        k = np.cross(u, p)
        k /= np.linalg.norm(k)
        return 2 * np.outer(k, k) - np.eye(3)
    k = np.cross(u, v)
    s = np.linalg.norm(k)
    k /= s
    K = np.array([[0, -k[2], k[1]], [k[2], 0, -k[0]], [-k[1], k[0], 0]])
    return np.eye(3) + s * K + (1 - c) * (K @ K)


def same_group(a: np.ndarray, b: np.ndarray, tol: float = _MATCH) -> bool:
    """Whether two lists of matrices are the same set (within ``tol``)."""
    return len(a) == len(b) and all(min(np.abs(m - o).max() for o in b) < tol for m in a)


def _refine(R: np.ndarray, d_std, d_ops) -> np.ndarray:
    """Least-squares rotation over all matched axes (averages out noise)."""
    H = np.zeros((3, 3))
    for label, u in d_std:
        ru = R @ u
        best = max((v for lab, v in d_ops if lab == label), key=lambda v: abs(ru @ v))
        H += np.outer(best if ru @ best > 0 else -best, u)
    uu, _, vt = np.linalg.svd(H)
    fitted = uu @ vt
    if np.linalg.det(fitted) < 0:
        return R
    return fitted


def standard_orientation(ops: np.ndarray, name: str) -> np.ndarray:
    """A rotation R with R S_std R^T = ops, S_std the standard ``name``."""
    std = point_group(name).numpy_elements
    if same_group(std, ops):
        return np.eye(3)
    d_std, d_ops = _directions(std), _directions(ops)
    if not d_std:
        return np.eye(3)  # C1, Ci
    label1, u1 = max(d_std, key=lambda d: (d[0][1], d[0][0], abs(d[1][2])))
    second = [(lab, u) for lab, u in d_std if abs(abs(np.dot(u, u1)) - 1) > 1e-6]
    for lab, v1 in d_ops:
        if lab != label1:
            continue
        for sign in (1, -1):
            first = _rotation_taking(u1, sign * v1)
            if not second:
                if same_group(np.einsum("ij,njk,lk->nil", first, std, first), ops):
                    return first
                continue
            label2, u2 = second[0]
            cos12 = float(np.dot(u1, u2))
            for lab_b, v2 in d_ops:
                if lab_b != label2:
                    continue
                for s2 in (1, -1):
                    w2 = s2 * v2
                    if abs(float(np.dot(sign * v1, w2)) - cos12) > _MATCH:
                        continue
                    A = np.column_stack([u1, u2, np.cross(u1, u2)])
                    B = np.column_stack([sign * v1, w2, np.cross(sign * v1, w2)])
                    R = B @ np.linalg.inv(A)
                    uu, _, vt = np.linalg.svd(R)
                    R = uu @ vt
                    if np.linalg.det(R) < 0:
                        R = -R
                    if same_group(np.einsum("ij,njk,lk->nil", R, std, R), ops):
                        return _refine(R, d_std, d_ops)
    raise _Inconsistent(f"could not orient the detected {name} (inconsistent operations; "
                        "adjust --tol)")


# ----------------------------------------------------------------------------
# Molecules
# ----------------------------------------------------------------------------
#
# A symmetry operation of a molecule is an orthogonal map fixing the centroid
# that permutes the atoms of each species.  It is identified by that
# permutation and its determinant (a planar molecule's own mirror permutes no
# atom), which are exact even when the coordinates are noisy:
#
# 1. candidates: two reference atoms a, b (not collinear with the centroid)
#    and every pair of atoms (i, j) they may go to (same species, radii within
#    NEAR tol and distance within 2 NEAR tol: every operation whose atoms land
#    within NEAR tol, accepted or narrowly missing, is among them) give maps
#    (a, b, a x b) -> (i, j, +-i x j);
# 2. each candidate's atom permutation (nearest atom of the same species) is
#    refitted by least squares over all atoms (orthogonal Procrustes with that
#    determinant), and kept when every atom lands within ACCEPT tol of its
#    image (atoms within tol of a symmetric structure land within 2 tol, plus
#    the error of the fitted map);
# 3. the result is the largest group those operations generate in which every
#    element is such a symmetry (added greedily, best fit first), so noise
#    never produces a set of operations that is not a group;
# 4. an operation outside that group that misses only narrowly (atoms within
#    NEAR tol of their images) makes the answer ambiguous: refused, naming the
#    tolerances that would decide it, rather than a guess;
# 5. the group's matrices are the least-squares fits, averaged over the exact
#    multiplication table of the (permutation, determinant) pairs.

_MAX_POINT_GROUP = 240  # no finite point group a molecule can have is larger
ACCEPT = 2.5
NEAR = 5.0


def _procrustes(source: np.ndarray, target: np.ndarray, det: float):
    """The orthogonal R with det(R) = det minimizing sum |R s - t|^2 over the
    rows s, t, and the largest residual max |R s - t|."""
    u, _, vt = np.linalg.svd(target.T @ source)
    d = np.ones(3)
    if np.linalg.det(u @ vt) * det < 0:
        d[2] = -1.0
    R = (u * d) @ vt
    return R, float(np.max(np.linalg.norm(source @ R.T - target, axis=1)))


class _Operations:
    """Operations as int arrays: the atom permutation, then 0 (proper) or 1
    (improper); composition is exact."""

    def __init__(self, pos: np.ndarray, species: np.ndarray, tol: float):
        self.pos, self.tol, self.n = pos, tol, len(pos)
        self.same = species[:, None] == species[None, :]
        self.fits: dict[bytes, tuple[np.ndarray, float] | None] = {}
        self.residuals: dict[bytes, float] = {}  # every operation tried

    def identity(self) -> np.ndarray:
        return np.append(np.arange(self.n), 0)

    def compose(self, g: np.ndarray, h: np.ndarray) -> np.ndarray:
        """g after h: atom t goes to h[t], then to g[h[t]]."""
        return np.append(g[:-1][h[:-1]], g[-1] ^ h[-1])

    def from_matrix(self, R: np.ndarray) -> np.ndarray | None:
        """The operation of R: each atom to the nearest atom of its species
        (None when that is not a permutation)."""
        moved = self.pos @ R.T
        distance = np.linalg.norm(moved[:, None, :] - self.pos[None, :, :], axis=2)
        distance[~self.same] = np.inf
        images = np.argmin(distance, axis=1)
        if len(np.unique(images)) != self.n:
            return None
        return np.append(images, int(np.linalg.det(R) < 0))

    def fit(self, op: np.ndarray):
        """(R, residual) when the operation is a symmetry within ACCEPT tol, else None."""
        key = op.tobytes()
        if key not in self.fits:
            found = None
            perm = op[:-1]
            if np.all(self.same[np.arange(self.n), perm]):
                R, residual = _procrustes(self.pos, self.pos[perm], -1.0 if op[-1] else 1.0)
                self.residuals[key] = residual
                if residual <= ACCEPT * self.tol:
                    found = (R, residual)
            self.fits[key] = found
        return self.fits[key]

    def near_misses(self, group: list[np.ndarray]) -> list[float]:
        """Residuals of the operations outside the group that missed narrowly."""
        inside = {g.tobytes() for g in group}
        return sorted(r for key, r in self.residuals.items()
                      if key not in inside and ACCEPT * self.tol < r <= NEAR * self.tol)


def _references(pos: np.ndarray, species: np.ndarray, tol: float) -> tuple[int, int]:
    """Two reference atoms: far from the centre, not collinear with it, of rare
    species (fewer candidates).  Atoms far from the centre, and from the line
    through it and the first, come first: the candidate maps' accuracy is
    the noise over these distances (a second carbon of ethane, on the axis
    up to the noise, would leave the rotation about the axis to chance)."""
    radius = np.linalg.norm(pos, axis=1)
    counts = {s: int(np.sum(species == s)) for s in set(species)}
    off = [int(i) for i in np.flatnonzero(radius > 2 * tol)]
    far = max(2 * NEAR * tol, radius.max() / 4)
    first = min(off, key=lambda i: (radius[i] < far, counts[species[i]], -radius[i], i))
    u = pos[first] / radius[first]
    # distance of each atom from the line through the centre and the first atom
    lever = np.linalg.norm(pos - np.outer(pos @ u, u), axis=1)
    candidates = [i for i in off if lever[i] > 2 * tol]
    if not candidates:
        raise InputError("a linear molecule has symmetry Cinfv or Dinfh: infinite, not a "
                         "finite point group")
    far = max(2 * NEAR * tol, lever.max() / 4)
    second = min(candidates, key=lambda i: (lever[i] < far, counts[species[i]], -lever[i], i))
    return first, second


def molecule_operations(structure: Structure, tol: float) -> np.ndarray:
    """All orthogonal maps fixing the centroid that map the molecule onto
    itself within the tolerance, as a group (n, 3, 3) (see above)."""
    pos = structure.positions - structure.positions.mean(axis=0)
    species = np.array(structure.species)
    if len(pos) == 1 or np.max(np.linalg.norm(pos, axis=1)) <= 2 * tol:
        raise InputError("a single point (or atoms all at the centre) has symmetry O(3): "
                         "infinite, not a finite point group")
    a, b = _references(pos, species, tol)
    radius = np.linalg.norm(pos, axis=1)
    d_ab = np.linalg.norm(pos[a] - pos[b])
    # an operation moving every atom within NEAR tol of an atom keeps radii
    # within NEAR tol and distances within 2 NEAR tol
    images_a = np.flatnonzero((species == species[a])
                              & (np.abs(radius - radius[a]) <= NEAR * tol))
    images_b = np.flatnonzero((species == species[b])
                              & (np.abs(radius - radius[b]) <= NEAR * tol))
    source = np.array([pos[a], pos[b], np.cross(pos[a], pos[b])])
    operations = _Operations(pos, species, tol)
    found: dict[bytes, tuple[float, np.ndarray]] = {}
    for i in images_a:
        for j in images_b:
            if i == j or abs(np.linalg.norm(pos[i] - pos[j]) - d_ab) > 2 * NEAR * tol:
                continue
            for sign in (1.0, -1.0):
                target = np.array([pos[i], pos[j], sign * np.cross(pos[i], pos[j])])
                op = operations.from_matrix(_procrustes(source, target, sign)[0])
                fit = None if op is None else operations.fit(op)
                if fit is not None:
                    found.setdefault(op.tobytes(), (fit[1], op))
    group = _largest_group(sorted(found.values(), key=lambda t: t[0]), operations)
    near = operations.near_misses(group)
    if near:
        raise _Ambiguous(tol, len(group), near)
    fits = np.array([operations.fit(g)[0] for g in group])
    return _average_over_products(fits, _product_table(group, operations))


def _round_up(x: float) -> float:
    """x rounded up to three significant digits (never below x)."""
    scale = 10.0 ** (2 - math.floor(math.log10(x)))
    return max(math.ceil(x * scale) / scale, x)


def _round_down(x: float) -> float:
    """x rounded down to three significant digits (never above x)."""
    scale = 10.0 ** (2 - math.floor(math.log10(x)))
    return min(math.floor(x * scale) / scale, x)


class _Ambiguous(InputError):
    """Operations outside the group found miss narrowly at tolerance ``tol``:
    their residuals ``near`` (angstrom) lie in (ACCEPT tol, NEAR tol]."""

    def __init__(self, tol: float, fitted: int, near: list[float], note: str = ""):
        self.tol, self.fitted, self.near = tol, fitted, near
        # Both thresholds are strict consequences of the rule at a fixed
        # tolerance: a residual r is accepted when r <= ACCEPT t (so from
        # t = r / ACCEPT, rounded up) and is a narrow miss only when
        # r <= NEAR t (so not below r / NEAR, rounded down); include > tol.
        include, exclude = _round_up(max(near) / ACCEPT), _round_down(min(near) / NEAR)
        super().__init__(
            f"the symmetry is ambiguous at a tolerance of {tol:g} A{note}: {fitted} "
            f"operations fit, and {len(near)} more miss narrowly (atoms up to "
            f"{max(near):.3g} A from their images, above the {ACCEPT * tol:.3g} A "
            f"accepted); --tol {include:g} or more would accept them, --tol below "
            f"{exclude:g} would not count them")


# ----------------------------------------------------------------------------
# Adaptive tolerance
# ----------------------------------------------------------------------------
#
# Gaussian noise is unbounded: with sigma = tol / 2 per coordinate, the
# largest of 60 atom displacements is about 1.7 tol, beyond the tolerance's
# promise (atoms within tol of a symmetric structure), and the symmetry
# operations then miss narrowly (residuals up to ~3.5 tol, accepted up to
# ACCEPT tol = 2.5 tol).  Like spglib's and moyopy's tolerance searches, the
# molecule is then re-examined at a larger tolerance, within a bound:
#
# 1. detect at t = tol; an answer without narrow misses that names and
#    orients a point group is final;
# 2. when operations miss narrowly, t becomes the smallest tolerance that
#    accepts all of them (max residual / ACCEPT, rounded up to three
#    significant digits); when the operations found do not form a point
#    group that can be named and oriented, t grows by a quarter;
# 3. repeat while t <= ADAPT_LIMIT tol (at most _ADAPT_STEPS times), else
#    refuse with the state at the last tolerance tried.
#
# The answer is then the largest group within tol_used, with no operation
# missing narrowly there (detect(..., tol=tol_used, adaptive=False) gives
# it again).  t only grows: a smaller tolerance would answer a subgroup
# that the narrowly missing operations contradict.

#: The largest tolerance tried, as a multiple of the given one.
ADAPT_LIMIT = 2.0
_ADAPT_STEPS = 8


def _molecule_group(structure: Structure, tol: float, adaptive: bool):
    """(operations, name, R, tolerance used) of a molecule (see above)."""
    limit = ADAPT_LIMIT * tol if adaptive else tol
    t = tol
    for _ in range(_ADAPT_STEPS):
        try:
            ops = molecule_operations(structure, t)
            name = point_group_of_matrices(ops)
            return ops, name, standard_orientation(ops, name), t
        except _Ambiguous as exc:
            failure: InputError = exc
            following = _round_up(max(exc.near) / ACCEPT)
        except _Inconsistent as exc:
            failure = exc
            following = min(_round_up(1.25 * t), limit) if t < limit else 2 * limit
        if following > limit:
            break
        t = following
    if not adaptive:
        raise failure
    note = (f" (--tol {tol:g}; the adaptive search goes up to {ADAPT_LIMIT:g} x --tol = "
            f"{limit:g} A)")
    if isinstance(failure, _Ambiguous):
        raise _Ambiguous(failure.tol, failure.fitted, failure.near, note) from None
    raise InputError(f"no tolerance from {tol:g} to {t:g} A gives operations that form a "
                     f"point group ({failure}); the molecule is not symmetric within "
                     "these tolerances") from None


def _largest_group(candidates, operations: _Operations) -> list[np.ndarray]:
    """The group generated greedily (best fit first) by the candidate
    operations, keeping a candidate only when every element of the group it
    generates is a symmetry within the tolerance."""
    identity = operations.identity()
    group = {identity.tobytes(): identity}
    for _, op in candidates:
        if op.tobytes() in group:
            continue
        trial = dict(group)
        trial[op.tobytes()] = op
        frontier, valid = [op], True
        while frontier and valid:
            new = []
            for g in frontier:
                for h in list(trial.values()):
                    for p in (operations.compose(g, h), operations.compose(h, g)):
                        key = p.tobytes()
                        if key in trial:
                            continue
                        if len(trial) >= _MAX_POINT_GROUP or operations.fit(p) is None:
                            valid = False
                            break
                        trial[key] = p
                        new.append(p)
                    if not valid:
                        break
                if not valid:
                    break
            frontier = new
        if valid:
            group = trial
    return list(group.values())


def _average_over_products(ops: np.ndarray, product: np.ndarray) -> np.ndarray:
    """Each g_k replaced by the polar factor of the average of g_i g_j over all
    factorizations g_k = g_i g_j, with product[i, j] = k; this averages the
    noise out and makes the matrices exactly orthogonal."""
    sums = np.zeros_like(ops)
    np.add.at(sums, product.ravel(), np.einsum("iab,jbc->ijac", ops, ops).reshape(-1, 3, 3))
    u, _, vt = np.linalg.svd(sums)
    return u @ vt


def _product_table(group: list[np.ndarray], operations: _Operations) -> np.ndarray:
    """product[i, j] = k with g_k = g_i g_j, exact from the operations' composition."""
    index = {g.tobytes(): k for k, g in enumerate(group)}
    return np.array([[index[operations.compose(g, h).tobytes()] for h in group]
                     for g in group])


def _symmetrize(ops: np.ndarray) -> np.ndarray:
    """Closure and orthogonality cleanup of nearly exact operations (crystals):
    the product table is read off the matrices, then averaged over as above."""
    n = len(ops)
    products = np.einsum("iab,jbc->ijac", ops, ops).reshape(n * n, 9)
    distance = np.max(np.abs(products[:, None, :] - ops.reshape(1, n, 9)), axis=2)
    product = np.argmin(distance, axis=1)
    if np.max(distance[np.arange(n * n), product]) > 1e-2:
        raise InputError("the detected operations are not closed under composition; the "
                         "structure is not symmetric within --tol (try a larger or smaller "
                         "--tol)")
    return _average_over_products(ops, product)


# ----------------------------------------------------------------------------
# Crystals
# ----------------------------------------------------------------------------

def _spglib_dataset(structure: Structure, tol: float):
    """spglib's dataset, in the setting this project names the type by
    (its Hall number; spglib's default differs for some types)."""
    import spglib

    names = sorted(set(structure.species))
    numbers = [names.index(s) + 1 for s in structure.species]
    cell = (structure.lattice, structure.fractional, numbers)
    errors: tuple = (getattr(spglib, "SpglibError", None) or ValueError,)
    try:
        with quiet_spglib():
            dataset = spglib.get_symmetry_dataset(cell, symprec=tol)
            if dataset is not None:
                hall = space_group_by_number(int(dataset.number)).hall_number
                if int(dataset.hall_number) != hall:
                    dataset = spglib.get_symmetry_dataset(cell, symprec=tol, hall_number=hall)
    except errors as exc:
        raise InputError(f"spglib could not analyse the crystal: {exc}") from None
    if dataset is None:
        raise InputError("spglib found no symmetry (check the structure and --tol)")
    return dataset


def crystal_operations(structure: Structure, tol: float, site: int | None,
                       dataset=None) -> np.ndarray:
    """The point group of a crystal (rotation parts of its space group), or the
    site symmetry of atom ``site`` (1-based), as Cartesian matrices."""
    if dataset is None:
        dataset = _spglib_dataset(structure, tol)
    lattice = structure.lattice
    frac = structure.fractional
    rotations, translations = dataset.rotations, dataset.translations
    if site is not None:
        if not 1 <= site <= len(frac):
            raise InputError(f"--site {site}: the cell has atoms 1..{len(frac)}")
        x = frac[site - 1]
        keep = []
        for W, w in zip(rotations, translations):
            d = W @ x + w - x
            d = (d - np.round(d)) @ lattice
            if np.linalg.norm(d) < 2 * tol:
                keep.append(W)
        rotations = np.array(keep)
    # Cartesian: x_cart = L^T x_frac, so R = L^T W L^-T.
    LT = lattice.T
    cart = np.array([LT @ W @ np.linalg.inv(LT) for W in rotations])
    return _symmetrize(_unique(cart, tol=1e-4))


def _simplest(x: float, eps: float, max_denominator: int = 1000) -> Fraction | None:
    """The rational with the smallest denominator within eps of x (None if
    none up to max_denominator)."""
    for d in range(1, max_denominator + 1):
        n = round(x * d)
        if abs(n / d - x) <= eps:
            return Fraction(n, d)
    return None


# Translations of the standard settings are multiples of 1/12 or 1/8.
_STD_GRID = 24


def crystal_space_group(structure: Structure, tol: float = 0.01,
                        dataset=None) -> CrystalSpaceGroup:
    """The space group of a crystal with the exact transformation to its
    standard setting (see :class:`CrystalSpaceGroup`).

    P is read exactly from spglib (entries within 1e-6 of rationals).  The
    origin is the file-frame point o = -P^-1 p, read as the simplest
    rational within 2e-6 with a denominator up to 48 (a clean file) or else
    the simplest within a quarter of the tolerance, then moved by a translation of the crystal to the point of
    [0, 1)^3 with the smallest coordinate sum;
    along polar axes (fixed by every rotation) the origin is free and taken
    at the file's (p = 0 there).  The operations' translations are read in
    the standard setting (multiples of 1/24) and taken back to the file's
    frame exactly; each is checked against spglib's within 2 tol.
    """
    from ..errors import VerificationError

    if dataset is None:
        dataset = _spglib_dataset(structure, tol)
    number = int(dataset.number)
    group = space_group_by_number(number)
    entries = [[_simplest(float(x), 1e-6) for x in row] for row in dataset.transformation_matrix]
    if any(x is None for row in entries for x in row):
        raise VerificationError("spglib's transformation matrix is not rational: "
                                f"{np.asarray(dataset.transformation_matrix).tolist()}")
    P = rational_matrix(entries)
    if determinant(P) == 0:
        raise VerificationError("spglib's transformation matrix is singular")
    P_inv = inverse(P)
    A = structure.lattice.T  # columns: the file's basis vectors
    P_inv_f = np.array([[float(x) for x in row] for row in P_inv])
    file_lengths = np.linalg.norm(A, axis=0)

    std_rotations = []
    for W in dataset.rotations:
        Ws = matmul(matmul(P, rational_matrix(W.tolist())), P_inv)
        if any(x.denominator != 1 for row in Ws for x in row):
            raise VerificationError("a rotation is not integral in the standard setting")
        std_rotations.append(Ws)
    polar = [i for i in range(3)
             if all(Ws[k][i] == (k == i) for Ws in std_rotations for k in range(3))]
    std_lengths = np.linalg.norm(A @ P_inv_f, axis=0)
    P_f = np.array([[float(x) for x in row] for row in P])
    # the crystal's translations in the file's frame (the identity's coset):
    # their standard-setting parts are centring vectors
    centring = [tuple(Fraction(round(x * _STD_GRID), _STD_GRID) for x in P_f @ w)
                for W, w in zip(dataset.rotations, dataset.translations)
                if np.array_equal(W, np.eye(3))]
    centring = [tuple(x % 1 for x in matvec(P_inv, t)) for t in centring]
    p_float = np.array(dataset.origin_shift, dtype=float)
    p_float[polar] = 0.0
    o_float = -(P_inv_f @ p_float)
    origin = []
    for x, length in zip(o_float, file_lengths):
        # a clean file's origin (a small fraction to print precision), else
        # the simplest within a quarter of the tolerance
        q = _simplest(x, 2e-6, 48) or _simplest(x, tol / 4 / length)
        if q is None:
            raise VerificationError(f"the origin shift {x} is not a rational within "
                                    "the tolerance")
        origin.append(q)
    # the simplest of the origins differing by a translation of the crystal
    # (nearest the file's origin in [0, 1)^3, then smallest denominators)
    origin = min((tuple((x + c) % 1 for x, c in zip(origin, t)) for t in centring),
                 key=lambda o: (sum(o), max(x.denominator for x in o), o))
    p = tuple(-x for x in matvec(P, origin))

    p_f = np.array([float(x) for x in p])
    rotations, translations = [], []
    for W, Ws, w in zip(dataset.rotations, std_rotations, dataset.translations):
        Ws_f = np.array([[float(x) for x in row] for row in Ws])
        ws_float = P_f @ w + p_f - Ws_f @ p_f
        ws = tuple(Fraction(round(x * _STD_GRID), _STD_GRID) for x in ws_float)
        if np.any(np.abs(ws_float - np.array([float(x) for x in ws])) * std_lengths
                  > 2 * tol):
            raise VerificationError("a translation is off the standard grid of 1/24")
        shift = tuple(a + b - c for a, b, c in zip(matvec(Ws, p), ws, p))
        w_exact = tuple(x % 1 for x in matvec(P_inv, shift))
        d = np.array([float(x) for x in w_exact]) - w
        if np.linalg.norm(A @ (d - np.round(d))) > 2 * tol:
            raise VerificationError("an exact translation disagrees with spglib's")
        rotations.append(rational_matrix(W.tolist()))
        translations.append(w_exact)
    return CrystalSpaceGroup(
        number=number, symbol=group.name, hall_number=int(dataset.hall_number),
        transformation_matrix=P, origin_shift=p,
        transformation=format_transformation(P_inv, origin),
        rotations=tuple(rotations), translations=tuple(translations),
        lattice=np.array(structure.lattice, dtype=float),
        std_lattice=np.array(dataset.std_lattice, dtype=float),
        std_rotation_matrix=np.array(dataset.std_rotation_matrix, dtype=float), tol=tol)


def detect(path, *, tol: float = 0.01, site: int | None = None,
           block: str | None = None, adaptive: bool = True) -> Detection:
    """The point group of a molecule or crystal, in its input frame, and a
    crystal's space group.

    Parameters
    ----------
    path : str, Path, Structure, ase.Atoms or pymatgen Structure/Molecule
        A molecule (``.xyz``) or a crystal (``.cif``, POSCAR, ``.vasp``).
    tol : float
        Distance tolerance in angstrom: a molecule's atoms within it of a
        symmetric structure (the group is the largest within it); a
        crystal's, spglib's ``symprec``.
    site : int, optional
        Crystals: the site symmetry of atom ``site`` (1-based, file order after
        expanding the CIF's symmetry operations) instead of the point group.
    block : str, optional
        The data block of a CIF with several.
    adaptive : bool
        Molecules: when operations miss narrowly at ``tol``, try larger
        tolerances up to ``ADAPT_LIMIT * tol`` (module docstring); False
        answers at ``tol`` or refuses.

    Returns
    -------
    Detection
        The group, the rotation R from its standard orientation to the input
        frame (R S_std R^T is the detected group), the tolerance used and,
        for a crystal, its space group.
    """
    if not tol > 0:
        raise InputError("--tol must be positive")
    structure = to_structure(path, block=block)
    space = None
    if structure.periodic:
        dataset = _spglib_dataset(structure, tol)
        ops = crystal_operations(structure, tol, site, dataset=dataset)
        space = crystal_space_group(structure, tol, dataset=dataset)
        name = point_group_of_matrices(ops)
        R = standard_orientation(ops, name)
        used = tol
    else:
        if site is not None:
            raise InputError("--site is for crystals; a molecule's point group is about "
                             "its centroid")
        ops, name, R, used = _molecule_group(structure, tol, adaptive)
    # Report the operations as the exact group in the fitted frame.
    std = point_group(name).numpy_elements
    return Detection(group=name, hermann_mauguin=point_group(name).hermann_mauguin,
                     rotation=R, operations=np.einsum("ij,njk,lk->nil", R, std, R),
                     tol_used=used, space_group=space, site=site)
