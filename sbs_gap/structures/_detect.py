"""Symmetry detection: the point group of a molecule or of a crystal site.

``sbs detect FILE`` reads a molecule (XYZ) or a crystal (CIF or POSCAR) and
reports its point group S (Schoenflies and Hermann-Mauguin), and the
orthogonal matrix R taking S's standard orientation (docs/theory.md section 7) to
the input frame: R S_std R^T = S_input.  With ``--objects`` the minimal
equivariant SBS (:mod:`sbs_gap.objects`) is given in the input frame
(``symmetry_breaking_set(d.group, frame=d.rotation)``).

Molecules: every symmetry operation fixes the centroid and permutes atoms of
one species, so candidate operations are found by mapping three (or, for a
planar molecule, two plus their cross product) reference atoms onto atoms of
the same species at matching distances; a candidate is kept when it maps the
whole molecule onto itself within the tolerance.  Crystals: spglib finds the
space-group operations; the point group is their rotation parts, a site's
symmetry the operations fixing that site (modulo lattice translations), both
turned into Cartesian matrices.
"""
from __future__ import annotations

import warnings
from dataclasses import dataclass

import numpy as np

from ..errors import InputError
from ..groups import point_group
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

def molecule_operations(structure: Structure, tol: float) -> np.ndarray:
    """All orthogonal maps fixing the centroid that map the molecule onto itself."""
    pos = structure.positions - structure.positions.mean(axis=0)
    species = np.array(structure.species)
    if len(pos) == 1 or np.linalg.matrix_rank(pos, tol=tol) == 0:
        raise InputError("a single point (or atoms all at the centre) has symmetry O(3): "
                         "infinite, not a finite point group")
    radius = np.linalg.norm(pos, axis=1)
    off = np.flatnonzero(radius > tol)
    # Reference atoms: the rarest species first, then the farthest ones.
    counts = {s: int(np.sum(species == s)) for s in set(species)}
    order = sorted(off, key=lambda i: (counts[species[i]], species[i], -radius[i]))
    refs = [order[0]]
    for i in order[1:]:
        if np.linalg.matrix_rank(pos[refs + [i]], tol=10 * tol) == len(refs) + 1:
            refs.append(i)
        if len(refs) == 3:
            break
    if len(refs) == 1:
        raise InputError("a linear molecule has symmetry Cinfv or Dinfh: infinite, not a "
                         "finite point group")
    planar = len(refs) == 2

    def frame(points):
        cols = list(points)
        if planar:
            cols.append(np.cross(points[0], points[1]))
        return np.column_stack(cols)

    A = frame([pos[i] for i in refs])
    A_inv = np.linalg.inv(A)
    candidates = [np.flatnonzero((species == species[i])
                                 & (np.abs(radius - radius[i]) < 2 * tol)) for i in refs]
    ops = []
    for images in _product(candidates):
        if len(set(images)) < len(images):
            continue
        ok = all(abs(np.linalg.norm(pos[images[a]] - pos[images[b]])
                     - np.linalg.norm(pos[refs[a]] - pos[refs[b]])) < 3 * tol
                 for a in range(len(refs)) for b in range(a))
        if not ok:
            continue
        for flip in ((1,) if not planar else (1, -1)):
            B = frame([pos[j] for j in images])
            if planar:
                B[:, 2] *= flip
            M = B @ A_inv
            u, _, vt = np.linalg.svd(M)
            R = u @ vt
            if _maps_onto(R, pos, species, tol):
                ops.append(R)
    ops = _unique(ops, tol=1e-3)
    return _symmetrize(ops)


def _product(lists):
    if not lists:
        yield ()
        return
    for x in lists[0]:
        for rest in _product(lists[1:]):
            yield (x,) + rest


def _maps_onto(R: np.ndarray, pos: np.ndarray, species: np.ndarray, tol: float) -> bool:
    moved = pos @ R.T
    distance = np.linalg.norm(moved[:, None, :] - pos[None, :, :], axis=2)
    distance[species[:, None] != species[None, :]] = np.inf
    return bool(np.all(distance.min(axis=1) < 2 * tol))


def _symmetrize(ops: np.ndarray) -> np.ndarray:
    """Closure and orthogonality cleanup of noisy operations: each element is
    replaced by the polar factor of the average of its products' estimates."""
    n = len(ops)
    index = {}
    for i in range(n):
        for j in range(n):
            p = ops[i] @ ops[j]
            k = min(range(n), key=lambda t: np.abs(ops[t] - p).max())
            if np.abs(ops[k] - p).max() > 1e-2:
                raise InputError("the detected operations are not closed under "
                                 "composition; the structure is not symmetric within "
                                 "--tol (try a larger or smaller --tol)")
            index[i, j] = k
    # Average g_k over its factorizations g_i g_j (reduces noise), re-orthogonalize.
    sums = np.zeros_like(ops)
    for (i, j), k in index.items():
        sums[k] += ops[i] @ ops[j]
    out = []
    for m in sums:
        u, _, vt = np.linalg.svd(m)
        out.append(u @ vt)
    return np.array(out)


# ----------------------------------------------------------------------------
# Crystals
# ----------------------------------------------------------------------------

def crystal_operations(structure: Structure, tol: float, site: int | None) -> np.ndarray:
    """The point group of a crystal (rotation parts of its space group), or the
    site symmetry of atom ``site`` (1-based), as Cartesian matrices."""
    import spglib

    lattice = structure.lattice
    frac = structure.positions @ np.linalg.inv(lattice)
    names = sorted(set(structure.species))
    numbers = [names.index(s) + 1 for s in structure.species]
    errors: tuple = (getattr(spglib, "SpglibError", None) or ValueError,)
    try:
        with warnings.catch_warnings():
            # spglib 2.7-2.x warns on every call unless a process-wide flag is
            # changed; we leave the flag alone and read a failure from None.
            warnings.simplefilter("ignore", DeprecationWarning)
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
