"""Symmetry detection: the point group of a molecule or of a crystal site.

``sbs detect FILE`` reads a molecule (XYZ) or a crystal (CIF or POSCAR) and
reports its point group S (Schoenflies and Hermann-Mauguin), and the
orthogonal matrix R taking S's standard orientation (docs/theory.md section 7) to
the input frame: R S_std R^T = S_input.  With ``--objects`` the minimal
equivariant SBS (:mod:`sbs_gap.objects`) is given in the input frame
(``symmetry_breaking_set(d.group, frame=d.rotation)``).

Molecules: every symmetry operation fixes the centroid and permutes atoms of
one species; operations are identified by that permutation (see the section
"Molecules" below) and the answer is the largest group within the tolerance.
Crystals: spglib finds the
space-group operations; the point group is their rotation parts, a site's
symmetry the operations fixing that site (modulo lattice translations), both
turned into Cartesian matrices.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..errors import InputError
from ..groups import point_group, quiet_spglib
from ._readers import Structure, read_structure

__all__ = ["Detection", "detect", "point_group_of_matrices", "standard_orientation",
           "same_group", "molecule_operations", "crystal_operations"]


@dataclass(frozen=True)
class Detection:
    """The detected point group.

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
    """

    group: str
    hermann_mauguin: str | None
    rotation: np.ndarray
    operations: np.ndarray

    def to_json(self) -> dict:
        return {"group": self.group, "hermann_mauguin": self.hermann_mauguin,
                "rotation": np.round(self.rotation, 12).tolist()}


# ----------------------------------------------------------------------------
# Finite groups of float matrices
# ----------------------------------------------------------------------------

def _unique(mats, tol=1e-6) -> np.ndarray:
    out: list[np.ndarray] = []
    for m in mats:
        if not any(np.abs(m - o).max() < tol for o in out):
            out.append(m)
    return np.array(out).reshape(-1, 3, 3)


# Detected operations carry the input's noise (~ noise / size); distinct
# elements of finite point groups of order <= 240 differ far more than this.
_MATCH = 0.05


def _order(m: np.ndarray, limit: int = 200) -> int:
    p = m
    for k in range(1, limit + 1):
        if np.abs(p - np.eye(3)).max() < _MATCH:
            return k
        p = p @ m
    raise InputError("the detected operations do not form a finite group (increase --tol?)")


def point_group_of_matrices(ops: np.ndarray) -> str:
    """Canonical Schoenflies name of a finite group of orthogonal float matrices."""
    dets = np.linalg.det(ops)
    rot = [m for m, d in zip(ops, dets) if d > 0]
    improper = [m for m, d in zip(ops, dets) if d < 0]
    r, top = len(rot), max(_order(m) for m in rot)
    if top == r:
        letter, n = "C", r
    elif r == 2 * top:
        letter, n = "D", top
    elif (r, top) in ((12, 3), (24, 4), (60, 5)):
        letter, n = {12: "T", 24: "O", 60: "I"}[r], 0
    else:
        raise InputError("the detected operations are not a point group (increase --tol?)")
    if not improper:
        return f"{letter}{n}" if letter in "CD" else letter
    if any(np.abs(m + np.eye(3)).max() < _MATCH for m in improper):
        if letter == "C":
            return "Ci" if n == 1 else (f"C{n}h" if n % 2 == 0 else f"S{2 * n}")
        if letter == "D":
            return f"D{n}h" if n % 2 == 0 else f"D{n}d"
        return letter + "h"
    if letter == "C":
        mirrors = sum(abs(np.trace(m) - 1) < _MATCH for m in improper)
        if n == 1:
            return "Cs"
        return f"C{n}v" if mirrors == n else (f"C{n}h" if n % 2 else f"S{2 * n}")
    if letter == "D":
        return f"D{n}h" if n % 2 else f"D{n}d"
    return "Td"


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
    raise InputError(f"could not orient the detected {name} (inconsistent operations; "
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
#    and every pair of atoms (i, j) they may go to (same species, radii and
#    distance within the tolerance) give maps (a, b, a x b) -> (i, j, +-i x j);
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
    species (fewer candidates)."""
    radius = np.linalg.norm(pos, axis=1)
    counts = {s: int(np.sum(species == s)) for s in set(species)}
    off = [int(i) for i in np.flatnonzero(radius > 2 * tol)]
    first = min(off, key=lambda i: (counts[species[i]], -radius[i], i))
    u = pos[first] / radius[first]
    # distance of each atom from the line through the centre and the first atom
    lever = np.linalg.norm(pos - np.outer(pos @ u, u), axis=1)
    candidates = [i for i in off if lever[i] > 2 * tol]
    if not candidates:
        raise InputError("a linear molecule has symmetry Cinfv or Dinfh: infinite, not a "
                         "finite point group")
    second = min(candidates, key=lambda i: (counts[species[i]], -lever[i], i))
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
    images_a = np.flatnonzero((species == species[a]) & (np.abs(radius - radius[a]) <= 2 * tol))
    images_b = np.flatnonzero((species == species[b]) & (np.abs(radius - radius[b]) <= 2 * tol))
    source = np.array([pos[a], pos[b], np.cross(pos[a], pos[b])])
    operations = _Operations(pos, species, tol)
    found: dict[bytes, tuple[float, np.ndarray]] = {}
    for i in images_a:
        for j in images_b:
            if i == j or abs(np.linalg.norm(pos[i] - pos[j]) - d_ab) > 4 * tol:
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
        worst = near[0]
        raise InputError(
            f"the symmetry is ambiguous at --tol {tol:g}: {len(group)} operations fit, and "
            f"{len(near)} more miss narrowly (atoms {worst:.3g} A from their images, "
            f"above the {ACCEPT * tol:.3g} A accepted); use --tol {worst / ACCEPT:.3g} or more "
            f"to include them, or below {worst / NEAR:.3g} to exclude them")
    fits = np.array([operations.fit(g)[0] for g in group])
    return _average_over_products(fits, _product_table(group, operations))


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

def crystal_operations(structure: Structure, tol: float, site: int | None) -> np.ndarray:
    """The point group of a crystal (rotation parts of its space group), or the
    site symmetry of atom ``site`` (1-based), as Cartesian matrices."""
    import spglib

    lattice = structure.lattice
    frac = structure.fractional
    names = sorted(set(structure.species))
    numbers = [names.index(s) + 1 for s in structure.species]
    errors: tuple = (getattr(spglib, "SpglibError", None) or ValueError,)
    try:
        with quiet_spglib():
            dataset = spglib.get_symmetry_dataset((lattice, frac, numbers), symprec=tol)
    except errors as exc:
        raise InputError(f"spglib could not analyse the crystal: {exc}") from None
    if dataset is None:
        raise InputError("spglib found no symmetry (check the structure and --tol)")
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


def detect(path, *, tol: float = 0.01, site: int | None = None,
           block: str | None = None) -> Detection:
    """The point group of a molecule or crystal, in its input frame.

    Parameters
    ----------
    path : str or Path
        A molecule (``.xyz``) or a crystal (``.cif``, POSCAR, ``.vasp``).
    tol : float
        Distance tolerance in angstrom.
    site : int, optional
        Crystals: the site symmetry of atom ``site`` (1-based, file order after
        expanding the CIF's symmetry operations) instead of the point group.
    block : str, optional
        The data block of a CIF with several.

    Returns
    -------
    Detection
        The group and the rotation R from its standard orientation to the
        input frame (R S_std R^T is the detected group).
    """
    if not tol > 0:
        raise InputError("--tol must be positive")
    structure = read_structure(path, block=block)
    if structure.periodic:
        ops = crystal_operations(structure, tol, site)
    else:
        if site is not None:
            raise InputError("--site is for crystals; a molecule's point group is about "
                             "its centroid")
        ops = molecule_operations(structure, tol)
    name = point_group_of_matrices(ops)
    R = standard_orientation(ops, name)
    # Report the operations as the exact group in the fitted frame.
    std = point_group(name).numpy_elements
    return Detection(group=name, hermann_mauguin=point_group(name).hermann_mauguin,
                     rotation=R, operations=np.einsum("ij,njk,lk->nil", R, std, R))
