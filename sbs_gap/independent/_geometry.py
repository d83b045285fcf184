"""Finite subgroups of O(3) from floating-point matrices.

Closure of generators, integer multiplication tables, directions of elements,
an own identification of the Schoenflies type, the subgroup-class labels of
the naming contract, and the normalizer N_{O(3)}(S) found geometrically (an
orthogonal map normalizing S permutes the labelled directions of S).
"""
from __future__ import annotations

import math
from fractions import Fraction
from itertools import product

import numpy as np

from ._tables import TableGroup

TOL = 1e-6


def mat_key(m: np.ndarray) -> bytes:
    return (np.round(np.asarray(m, dtype=float) * 1e6).astype(np.int64) + 0).tobytes()


def closure_matrices(gens) -> np.ndarray:
    """All products of the generators (a finite group), identity first."""
    elems = [np.eye(3)]
    keys = {mat_key(elems[0]): 0}
    frontier = [elems[0]]
    gens = [np.asarray(g, dtype=float) for g in gens]
    while frontier:
        new = []
        for a in frontier:
            for g in gens:
                b = a @ g
                k = mat_key(b)
                if k not in keys:
                    keys[k] = len(elems)
                    elems.append(b)
                    new.append(b)
        frontier = new
        if len(elems) > 100_000:
            raise ValueError("group too large (or not finite)")
    return np.array(elems)


class MatrixGroup(TableGroup):
    """A finite matrix group with its integer multiplication table.

    Elements are sorted by their rounded entries, so the same set of matrices
    always gives the same indexing (used for caching).
    """

    def __init__(self, elems: np.ndarray):
        elems = np.asarray(elems, dtype=float)
        keys = [mat_key(m) for m in elems]
        order = sorted(range(len(elems)), key=lambda i: keys[i])
        self.mats = elems[order]
        self.keys = [keys[i] for i in order]
        self.index = {k: i for i, k in enumerate(self.keys)}
        n = len(self.mats)
        prods = np.einsum("aij,bjk->abik", self.mats, self.mats).reshape(n * n, 3, 3)
        ints = (np.round(prods * 1e6).astype(np.int64) + 0)
        flat = [self.index[ints[i].tobytes()] for i in range(n * n)]
        mul = [flat[a * n:(a + 1) * n] for a in range(n)]
        super().__init__(mul, self.index[mat_key(np.eye(3))])
        self.det = [float(np.linalg.det(m)) for m in self.mats]

    def mask_of_matrices(self, mats) -> int:
        out = 0
        for m in mats:
            out |= 1 << self.index[mat_key(m)]
        return out

    def find(self, m) -> int | None:
        return self.index.get(mat_key(m))


# ----------------------------------------------------------------------------
# Directions
# ----------------------------------------------------------------------------

def normalize_sign(u: np.ndarray) -> np.ndarray:
    """Unit vector with the first of (z, x, y) above 1e-9 in modulus positive."""
    u = np.asarray(u, dtype=float)
    u = u / np.linalg.norm(u)
    for c in (u[2], u[0], u[1]):
        if abs(c) > 1e-9:
            return u if c > 0 else -u
    raise AssertionError("zero vector")


def rotation_axis(r: np.ndarray) -> np.ndarray | None:
    """Axis of a proper rotation (None for the identity)."""
    if np.allclose(r, np.eye(3), atol=TOL):
        return None
    # the eigenvalue-1 eigenvector: smallest singular vector of r - I
    _, _, vt = np.linalg.svd(r - np.eye(3))
    return normalize_sign(vt[-1])


def direction(m: np.ndarray) -> np.ndarray | None:
    """Rotation axis, mirror normal, axis of -g for rotoreflections; None for +-I."""
    proper = np.linalg.det(m) > 0
    return rotation_axis(m if proper else -m)


def element_kind(m: np.ndarray, order: int) -> str:
    """'id', 'inv', 'rot', 'mirror' or 'rotoref'."""
    if np.allclose(m, np.eye(3), atol=TOL):
        return "id"
    if np.allclose(m, -np.eye(3), atol=TOL):
        return "inv"
    if np.linalg.det(m) > 0:
        return "rot"
    return "mirror" if order == 2 else "rotoref"


# ----------------------------------------------------------------------------
# Identification of the Schoenflies type
# ----------------------------------------------------------------------------

def _rotation_order(r: np.ndarray) -> int:
    c = max(-1.0, min(1.0, (np.trace(r) - 1) / 2))
    frac = Fraction(math.acos(c) / (2 * math.pi)).limit_denominator(10_000)
    return frac.denominator


def _rotation_type(rots: list[np.ndarray]) -> tuple[str, int]:
    """('C', n), ('D', n), ('T', 12), ('O', 24) or ('I', 60) for a finite rotation group."""
    r = len(rots)
    top = max(_rotation_order(x) for x in rots)
    if top == r:
        return "C", r
    if 2 * top == r:
        return "D", top
    return {12: "T", 24: "O", 60: "I"}[r], r


def type_name(mats) -> str:
    """Canonical Schoenflies name of the finite subgroup of O(3) ``mats``."""
    mats = [np.asarray(m, dtype=float) for m in mats]
    rots = [m for m in mats if np.linalg.det(m) > 0]
    improper = [m for m in mats if np.linalg.det(m) < 0]
    fam, n = _rotation_type(rots)
    if not improper:
        return f"{fam}{n}" if fam in ("C", "D") else fam
    has_inversion = any(np.allclose(m, -np.eye(3), atol=TOL) for m in improper)
    if has_inversion:
        if fam == "C":
            if n == 1:
                return "Ci"
            return f"C{n}h" if n % 2 == 0 else f"S{2 * n}"
        if fam == "D":
            return f"D{n}h" if n % 2 == 0 else f"D{n}d"
        return fam + "h"
    # no inversion: R u (-improper) is a rotation group containing R with index 2
    fam2, n2 = _rotation_type(rots + [-m for m in improper])
    if fam == "C":
        if n == 1:
            return "Cs"
        if fam2 == "C":
            return f"S{2 * n}" if n % 2 == 0 else f"C{n}h"
        return f"C{n}v"
    if fam == "D":
        return f"D{n}d" if n % 2 == 0 else f"D{n}h"
    assert (fam, fam2) == ("T", "O")
    return "Td"


# ----------------------------------------------------------------------------
# Labels of subgroup classes
# ----------------------------------------------------------------------------

_PATTERN = {(False, False, True): 0, (True, False, False): 1, (False, True, False): 2,
            (True, True, False): 3, (True, False, True): 4, (False, True, True): 5,
            (True, True, True): 6}


def direction_key(u: np.ndarray) -> tuple:
    x, y, z = (round(float(c), 9) + 0.0 for c in u)
    nz = (x != 0, y != 0, z != 0)
    return (sum(nz), _PATTERN[nz], -abs(x), -x, -y, -z)


def _fmt_number(v: float, digits: int) -> str:
    s = f"{v:.{digits}f}"
    if "." in s:
        s = s.rstrip("0").rstrip(".")
    return "0" if s in ("-0", "") else s


def format_direction(u: np.ndarray) -> str:
    x, y, z = (float(c) for c in u)
    for name, c in (("x", x), ("y", y), ("z", z)):
        if abs(abs(c) - 1) < 1e-9:
            return name
    if abs(z) < 1e-9:
        ang = math.degrees(math.atan2(y, x)) % 180.0
        return "xy" + _fmt_number(ang, 2)
    small = min(abs(c) for c in (x, y, z) if abs(c) > 1e-9)
    scaled = [c / small for c in (x, y, z)]
    ints = [round(c) for c in scaled]
    if all(abs(c - i) < 1e-7 for c, i in zip(scaled, ints)) and max(map(abs, scaled)) <= 4.5:
        return "".join(str(int(i)) for i in ints)
    return "(" + ",".join(f"{c:.3f}" for c in (x, y, z)) + ")"


_NO_LABEL = {"C1", "Ci", "T", "Td", "Th", "O", "Oh", "I", "Ih"}


def label_family(name: str) -> str | None:
    """'Cs', 'axial' (Cn, Cnh, S2n), 'Cnv', 'dihedral' (Dn, Dnh, Dnd) or None."""
    if name in _NO_LABEL:
        return None
    if name == "Cs":
        return "Cs"
    if name.startswith("D"):
        return "dihedral"
    if name.startswith("C") and name.endswith("v"):
        return "Cnv"
    return "axial"


class ElementData:
    """Per-element directions, kinds and orders of a MatrixGroup."""

    def __init__(self, G: MatrixGroup):
        self.order = [G.order_of(a) for a in range(G.n)]
        self.kind = [element_kind(G.mats[a], self.order[a]) for a in range(G.n)]
        self.dir = [direction(G.mats[a]) if self.kind[a] not in ("id", "inv") else None
                    for a in range(G.n)]

    def candidate_tuples(self, elems: list[int], family: str) -> list[tuple]:
        kind, order, dirs = self.kind, self.order, self.dir
        mirrors = [dirs[a] for a in elems if kind[a] == "mirror"]
        if family == "Cs":
            return [(m,) for m in mirrors]
        axial = [a for a in elems if kind[a] in ("rot", "rotoref")]
        top = max(order[a] for a in axial)
        principal = [dirs[a] for a in axial if order[a] == top]
        if family == "axial":
            return [(p,) for p in principal]
        if family == "Cnv":
            return [(p, m) for p in principal for m in mirrors]
        twofold = [dirs[a] for a in elems if kind[a] == "rot" and order[a] == 2]
        return [(p, d) for p in principal for d in twofold if abs(float(p @ d)) < 1e-9]

    def label(self, members: list[list[int]], family: str) -> str:
        best = None
        for elems in members:
            for tup in self.candidate_tuples(elems, family):
                key = tuple(direction_key(u) for u in tup)
                if best is None or key < best[0]:
                    best = (key, tup)
        return ",".join(format_direction(u) for u in best[1])


# ----------------------------------------------------------------------------
# The normalizer in O(3)
# ----------------------------------------------------------------------------

def labelled_directions(S: MatrixGroup, data: ElementData) -> dict[bytes, tuple]:
    """Unit vectors (both signs) along the directions of S's elements, each with
    the set of element kinds (kind, order) whose direction it is."""
    out: dict[bytes, list] = {}
    for a in range(S.n):
        u = data.dir[a]
        if u is None:
            continue
        for v in (u, -u):
            k = (np.round(v * 1e6).astype(np.int64) + 0).tobytes()
            entry = out.setdefault(k, [v, set()])
            entry[1].add((data.kind[a], data.order[a]))
    return {k: (v, frozenset(lab)) for k, (v, lab) in out.items()}


def finite_normalizer(S: MatrixGroup, data: ElementData) -> np.ndarray | None:
    """The elements of N_{O(3)}(S) when they are finitely many, else None."""
    dirs = list(labelled_directions(S, data).values())
    if not dirs:
        return None
    vecs = np.array([v for v, _ in dirs])
    if np.linalg.matrix_rank(vecs, tol=1e-6) < 3:
        return None
    by_label: dict[frozenset, list[int]] = {}
    for i, (_, lab) in enumerate(dirs):
        by_label.setdefault(lab, []).append(i)
    # an independent triple, preferring rare labels
    ranked = sorted(range(len(dirs)), key=lambda i: (len(by_label[dirs[i][1]]), i))
    triple: list[int] = []
    for i in ranked:
        trial = vecs[triple + [i]]
        if np.linalg.matrix_rank(trial, tol=1e-6) == len(triple) + 1:
            triple.append(i)
            if len(triple) == 3:
                break
    U = vecs[triple].T                       # columns u1 u2 u3
    gram = U.T @ U
    Uinv = np.linalg.inv(U)
    gens = [S.mats[a] for a in range(S.n)]
    found = {}
    for choice in product(*(by_label[dirs[i][1]] for i in triple)):
        V = vecs[list(choice)].T
        if not np.allclose(V.T @ V, gram, atol=TOL):
            continue
        A = V @ Uinv
        if not np.allclose(A.T @ A, np.eye(3), atol=TOL):
            continue
        if all(S.find(A @ g @ A.T) is not None for g in gens):
            found.setdefault(mat_key(A), A)
    return np.array(list(found.values()))
