"""Symmetry detection: the point group of a molecule or of a crystal site.

``sbs detect FILE`` reads a molecule (XYZ) or a crystal (CIF or POSCAR) and
reports its point group S (Schoenflies and Hermann-Mauguin), and the
orthogonal matrix R taking S's standard orientation (THEORY.md section 7) to
the input frame: R S_std R^T = S_input.  With ``--objects`` the minimal
equivariant SBS (:mod:`sbs_gap.objects`) is given in the input frame.

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

import math
import re
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path

import numpy as np

from .errors import InputError
from .groups import point_group

__all__ = ["Structure", "Detection", "read_structure", "detect", "point_group_of_matrices",
           "standard_orientation"]

MAX_ATOMS = 5000


@dataclass(frozen=True)
class Structure:
    """Atoms (species, Cartesian positions in angstrom) and, for crystals, the
    lattice (rows are the basis vectors)."""

    species: tuple[str, ...]
    positions: np.ndarray
    lattice: np.ndarray | None = None

    @property
    def periodic(self) -> bool:
        return self.lattice is not None


@dataclass(frozen=True)
class Detection:
    group: str
    hermann_mauguin: str | None
    rotation: np.ndarray       # R: standard orientation -> input frame
    operations: np.ndarray     # the detected operations (input frame), (|S|, 3, 3)

    def to_json(self) -> dict:
        return {"group": self.group, "hermann_mauguin": self.hermann_mauguin,
                "rotation": np.round(self.rotation, 12).tolist()}


# ----------------------------------------------------------------------------
# Reading files
# ----------------------------------------------------------------------------

_SPECIES = re.compile(r"^[A-Z][a-z]?[a-z]?$")


def _float(text: str, what: str) -> float:
    try:
        value = float(re.sub(r"\(\d+\)$", "", text))  # CIF uncertainties: 4.0(1)
    except ValueError:
        raise InputError(f"{what}: {text!r} is not a number") from None
    if not math.isfinite(value):
        raise InputError(f"{what}: {text!r} is not a finite number")
    return value


def _species(text: str, what: str) -> str:
    name = re.sub(r"[^A-Za-z].*$", "", text)  # "Ti1" -> "Ti", "O2-" -> "O"
    if not _SPECIES.match(name):
        raise InputError(f"{what}: {text!r} is not an element symbol")
    return name


def read_xyz(text: str, name: str = "XYZ") -> Structure:
    lines = text.splitlines()
    if len(lines) < 2:
        raise InputError(f"{name}: an XYZ file starts with the atom count and a comment line")
    try:
        count = int(lines[0].split()[0])
    except (ValueError, IndexError):
        raise InputError(f"{name}: line 1 must be the number of atoms") from None
    if not 1 <= count <= MAX_ATOMS:
        raise InputError(f"{name}: {count} atoms; 1 to {MAX_ATOMS} are supported")
    body = [line for line in lines[2:] if line.strip()]
    if len(body) < count:
        raise InputError(f"{name}: {count} atoms announced, {len(body)} lines found")
    species, positions = [], []
    for i, line in enumerate(body[:count], start=3):
        parts = line.split()
        if len(parts) < 4:
            raise InputError(f"{name} line {i}: expected 'Element x y z'")
        species.append(_species(parts[0], f"{name} line {i}"))
        positions.append([_float(p, f"{name} line {i}") for p in parts[1:4]])
    return Structure(tuple(species), np.array(positions, dtype=float))


def _lattice_from_parameters(a, b, c, alpha, beta, gamma) -> np.ndarray:
    ca, cb, cg = (math.cos(math.radians(x)) for x in (alpha, beta, gamma))
    sg = math.sin(math.radians(gamma))
    cx = c * cb
    cy = c * (ca - cb * cg) / sg
    cz2 = c * c - cx * cx - cy * cy
    if cz2 <= 0 or a <= 0 or b <= 0 or c <= 0:
        raise InputError("the cell parameters do not describe a cell")
    return np.array([[a, 0, 0], [b * cg, b * sg, 0], [cx, cy, math.sqrt(cz2)]])


_SYMOP_TERM = re.compile(r"([+-]?)(\d+(?:/\d+)?|\d*\.\d+)?\*?([xyz])?")


def _parse_symop(text: str, what: str):
    """'-y,x-y,z+1/2' -> (W, w) acting on fractional column vectors."""
    parts = text.replace(" ", "").lower().strip("'\"").split(",")
    if len(parts) != 3:
        raise InputError(f"{what}: symmetry operation {text!r} does not have three parts")
    W = np.zeros((3, 3))
    w = np.zeros(3)
    for row, part in enumerate(parts):
        if not part or not re.fullmatch(r"[-+xyz0-9/.*]+", part):
            raise InputError(f"{what}: cannot read symmetry operation {text!r}")
        pos = 0
        while pos < len(part):
            m = _SYMOP_TERM.match(part, pos)
            if not m or m.end() == pos:
                raise InputError(f"{what}: cannot read symmetry operation {text!r}")
            sign = -1.0 if m.group(1) == "-" else 1.0
            number = float(Fraction(m.group(2))) if m.group(2) else None
            if m.group(3):
                W[row, "xyz".index(m.group(3))] += sign * (number if number is not None else 1)
            elif number is not None:
                w[row] += sign * number
            else:
                raise InputError(f"{what}: cannot read symmetry operation {text!r}")
            pos = m.end()
    return W, w


def _cif_tokens(line: str) -> list[str]:
    return [a or b or c for a, b, c in re.findall(r"'([^']*)'|\"([^\"]*)\"|(\S+)", line)]


def read_cif(text: str, name: str = "CIF") -> Structure:
    """A minimal CIF reader: cell, symmetry operations, atom sites (first block)."""
    values: dict[str, str] = {}
    loops: list[tuple[list[str], list[list[str]]]] = []
    lines = [ln for ln in text.splitlines() if ln.strip() and not ln.lstrip().startswith("#")]
    i = 0
    while i < len(lines):
        line = lines[i].strip()
        if line.lower() == "loop_":
            headers, rows, i = [], [], i + 1
            while i < len(lines) and lines[i].strip().startswith("_"):
                headers.append(lines[i].strip().split()[0].lower())
                i += 1
            tokens: list[str] = []
            while i < len(lines) and not lines[i].strip().startswith(("_", "loop_", "data_")):
                tokens += _cif_tokens(lines[i])
                i += 1
            if headers:
                rows = [tokens[k:k + len(headers)] for k in range(0, len(tokens), len(headers))]
                loops.append((headers, [r for r in rows if len(r) == len(headers)]))
            continue
        if line.startswith("_"):
            parts = _cif_tokens(line)
            if len(parts) >= 2:
                values[parts[0].lower()] = parts[1]
        i += 1
    try:
        cell = [_float(values[k], f"{name} {k}") for k in (
            "_cell_length_a", "_cell_length_b", "_cell_length_c", "_cell_angle_alpha",
            "_cell_angle_beta", "_cell_angle_gamma")]
    except KeyError as exc:
        raise InputError(f"{name}: missing {exc.args[0]}") from None
    lattice = _lattice_from_parameters(*cell)
    ops = [(np.eye(3), np.zeros(3))]
    sites = None
    for headers, rows in loops:
        for key in ("_symmetry_equiv_pos_as_xyz", "_space_group_symop_operation_xyz"):
            if key in headers:
                ops = [_parse_symop(r[headers.index(key)], name) for r in rows]
        if "_atom_site_fract_x" in headers:
            sites = (headers, rows)
    if sites is None:
        raise InputError(f"{name}: no _atom_site_fract_x loop")
    headers, rows = sites
    label = "_atom_site_type_symbol" if "_atom_site_type_symbol" in headers else "_atom_site_label"
    if label not in headers:
        raise InputError(f"{name}: atom sites need _atom_site_type_symbol or _atom_site_label")
    species, fractional = [], []
    for r in rows:
        el = _species(r[headers.index(label)], name)
        x = np.array([_float(r[headers.index(f"_atom_site_fract_{c}")], name) for c in "xyz"])
        for W, w in ops:
            y = (W @ x + w) % 1.0
            if not any(s == el and np.allclose(_wrap(y - f), 0, atol=1e-4)
                       for s, f in zip(species, fractional)):
                species.append(el)
                fractional.append(y)
        if len(species) > MAX_ATOMS:
            raise InputError(f"{name}: more than {MAX_ATOMS} atoms in the cell")
    return Structure(tuple(species), np.array(fractional) @ lattice, lattice)


def _wrap(d: np.ndarray) -> np.ndarray:
    return d - np.round(d)


def read_poscar(text: str, name: str = "POSCAR") -> Structure:
    lines = [ln.split("!")[0] for ln in text.splitlines()]
    if len(lines) < 8:
        raise InputError(f"{name}: too short for a POSCAR file")
    scale = _float(lines[1].split()[0], f"{name} line 2")
    lattice = np.array([[_float(x, f"{name} line {i + 3}") for x in lines[2 + i].split()[:3]]
                        for i in range(3)])
    if scale < 0:  # a negative scale is the cell volume
        lattice *= (-scale / abs(np.linalg.det(lattice))) ** (1 / 3)
    else:
        lattice *= scale
    row = 5
    words = lines[row].split()
    if words and not words[0].lstrip("-").isdigit():
        names = [_species(w, f"{name} line 6") for w in words]
        row += 1
    else:
        raise InputError(f"{name}: line 6 must list the species (VASP 5 format)")
    try:
        counts = [int(x) for x in lines[row].split()]
    except ValueError:
        raise InputError(f"{name} line {row + 1}: expected the number of atoms per species") \
            from None
    if len(counts) != len(names) or min(counts) < 1 or sum(counts) > MAX_ATOMS:
        raise InputError(f"{name} line {row + 1}: counts do not match the species")
    row += 1
    if lines[row].strip()[:1].lower() == "s":  # selective dynamics
        row += 1
    mode = lines[row].strip()[:1].lower()
    if mode not in ("d", "c", "k"):
        raise InputError(f"{name} line {row + 1}: expected Direct or Cartesian")
    row += 1
    total = sum(counts)
    coords = []
    for i in range(total):
        if row + i >= len(lines):
            raise InputError(f"{name}: {total} positions announced, fewer found")
        coords.append([_float(x, f"{name} line {row + i + 1}")
                       for x in lines[row + i].split()[:3]])
    coords = np.array(coords)
    positions = coords @ lattice if mode == "d" else coords * (scale if scale > 0 else 1)
    species = tuple(n for n, c in zip(names, counts) for _ in range(c))
    return Structure(species, positions, lattice)


def read_structure(path) -> Structure:
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8", errors="replace")
    except OSError as exc:
        raise InputError(f"cannot read {path}: {exc.strerror}") from None
    lower = path.name.lower()
    if lower.endswith(".xyz"):
        return read_xyz(text, path.name)
    if lower.endswith(".cif"):
        return read_cif(text, path.name)
    if "poscar" in lower or "contcar" in lower or lower.endswith(".vasp"):
        return read_poscar(text, path.name)
    raise InputError(f"{path.name}: unknown format; use .xyz (molecules), .cif or "
                     "POSCAR/.vasp (crystals)")


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


def _closure(gens: np.ndarray, limit: int = 240) -> np.ndarray:
    out = [np.eye(3)]
    i = 0
    while i < len(out):
        for g in gens:
            p = g @ out[i]
            if not any(np.abs(p - o).max() < 1e-6 for o in out):
                out.append(p)
                if len(out) > limit:
                    raise InputError("the operations generate an infinite group")
        i += 1
    return np.array(out)


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


def _same_group(a: np.ndarray, b: np.ndarray, tol: float = _MATCH) -> bool:
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
    std = _closure(point_group(name).numpy_generators)
    if _same_group(std, ops):
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
                if _same_group(np.einsum("ij,njk,lk->nil", first, std, first), ops):
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
                    if _same_group(np.einsum("ij,njk,lk->nil", R, std, R), ops):
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
    import spglib

    lattice = structure.lattice
    frac = structure.positions @ np.linalg.inv(lattice)
    names = sorted(set(structure.species))
    numbers = [names.index(s) + 1 for s in structure.species]
    try:
        import spglib.error as spglib_error
        spglib_error.OLD_ERROR_HANDLING = False  # errors as exceptions, not None
        errors: tuple = (spglib_error.SpglibError,)
    except (ImportError, AttributeError):  # older spglib
        errors = ()
    try:
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
            d = _wrap(W @ x + w - x) @ lattice
            if np.linalg.norm(d) < 2 * tol:
                keep.append(W)
        rotations = np.array(keep)
    # Cartesian: x_cart = L^T x_frac, so R = L^T W L^-T.
    LT = lattice.T
    cart = np.array([LT @ W @ np.linalg.inv(LT) for W in rotations])
    return _symmetrize(_unique(cart, tol=1e-4))


def detect(path, *, tol: float = 0.01, site: int | None = None) -> Detection:
    """The point group of a molecule (XYZ) or crystal (CIF, POSCAR), or of the
    site of atom ``site`` (1-based) in a crystal."""
    if not tol > 0:
        raise InputError("--tol must be positive")
    structure = read_structure(path)
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
    std = _closure(point_group(name).numpy_generators)
    return Detection(group=name, hermann_mauguin=point_group(name).hermann_mauguin,
                     rotation=R, operations=np.einsum("ij,njk,lk->nil", R, std, R))
