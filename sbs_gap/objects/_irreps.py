"""e3nn representations of O(3), as exact as float64 allows, without torch.

:func:`representation_matrices` gives D(g) for e3nn irreps (``"1o"``,
``"2e + 1o"``), in e3nn's basis (l = 1 is x, y, z), for any orthogonal 3x3
matrices g.  It is defined by e3nn's spherical harmonics,
Y_l(g x) = D_l(g) Y_l(x) for rotations, with the parity p of each irrep for
improper g (D(g) = p D_l(-g)): the matrices of e3nn's ``Irreps.D_from_matrix``,
accurate to ~1e-13.

Magnetic groups (docs/THEORY.md section 9): each irrep also carries a time
parity t, +1 (even, θ acts as +1) or -1 (odd, θ acts as -1), written with a
trailing prime: ``"1e'"`` is a time-odd axial vector (a magnetic moment),
``"1o"`` a time-even vector (a polarization).  e3nn has no time label; even
irreps are written exactly as in e3nn.  Elements of magnetic point groups are
4x4 matrices diag(R, τ), τ = -1 when the element carries θ, and
:func:`representation_matrices` takes them as well as plain 3x3 matrices.  The harmonics are evaluated in NumPy from their
polynomial coefficients (``data/harmonics.npz``, written from e3nn by
scripts/make_harmonics.py), so building objects imports neither torch nor
e3nn and changes no torch setting; when e3nn is loaded anyway, the stored
harmonics are checked against it once per degree.
"""
from __future__ import annotations

import math
import re
import sys
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np

from ..errors import InputError

__all__ = ["Irrep", "Irreps", "irreps", "format_irreps", "representation_matrices",
           "axis_rotation", "spherical_harmonics", "MAX_IRREPS_L"]

#: Largest degree l accepted in irreps.
MAX_IRREPS_L = 12
_DATA = Path(__file__).resolve().parent / "data" / "harmonics.npz"
_TERM = re.compile(r"(?:(\d+)x)?(\d+)([eoy])(')?")


@dataclass(frozen=True)
class Irrep:
    """An irreducible representation of O(3) x {1, θ}: degree l, parity p
    (+1 e, -1 o) and time parity t (+1 even, the default; -1 odd, written
    with a trailing prime: ``1e'``)."""

    l: int
    p: int
    t: int = 1

    @property
    def dim(self) -> int:
        return 2 * self.l + 1

    @property
    def time_odd(self) -> bool:
        """Whether time reversal θ acts as -1."""
        return self.t == -1

    def __str__(self) -> str:
        prime = "'" if self.t == -1 else ""
        return f"{self.l}{'e' if self.p == 1 else 'o'}{prime}"


@dataclass(frozen=True)
class Irreps:
    """A direct sum of irreps with multiplicities, in e3nn's notation and order."""

    terms: tuple[tuple[int, Irrep], ...]

    def __iter__(self):
        return iter(self.terms)

    @property
    def dim(self) -> int:
        return sum(mul * ir.dim for mul, ir in self.terms)

    @property
    def lmax(self) -> int:
        return max(ir.l for _, ir in self.terms)

    @property
    def time_odd(self) -> bool:
        """Whether any term is time-odd (θ acts as -1 on it: ``1e'``)."""
        return any(ir.t == -1 for _, ir in self.terms)

    def __str__(self) -> str:
        return "+".join(str(ir) if mul == 1 else f"{mul}x{ir}" for mul, ir in self.terms)


@lru_cache(maxsize=None)
def _parse(text: str) -> Irreps:
    terms = []
    for part in text.replace(" ", "").split("+"):
        found = _TERM.fullmatch(part)
        if not found:
            raise InputError(f"invalid irreps {text!r}: {part!r} is not an irrep such as 1o, "
                             "2e, 3x1o or 1e' (time-odd)")
        mul, l = int(found.group(1) or 1), int(found.group(2))
        parity = {"e": 1, "o": -1, "y": (-1) ** l}[found.group(3)]
        if l > MAX_IRREPS_L:
            raise InputError(f"irreps {text!r}: l up to {MAX_IRREPS_L} is supported")
        terms.append((mul, Irrep(l, parity, -1 if found.group(4) else 1)))
    result = Irreps(tuple(terms))
    if result.dim == 0:
        raise InputError(f"irreps {text!r} have dimension 0")
    return result


def irreps(value) -> Irreps:
    """Irreps from e3nn's notation (``"1o"``, ``"2x1o + 0e"``, ``"3y"``), with a
    trailing prime for time-odd irreps (``"1e'"``, ``"2e + 3x1e'"``), or from
    an e3nn ``Irreps`` object (all time-even); InputError naming the fault."""
    if isinstance(value, Irreps):
        return value
    if not isinstance(value, str):
        if type(value).__name__ == "Irreps":  # e3nn's
            value = str(value)
        else:
            raise InputError(f"irreps must be a string such as '1o' or '2e+1o', not {value!r}")
    return _parse(value)


def format_irreps(value) -> str:
    """Canonical text of irreps (``"1o"``, ``"2x1o+0e"``, ``"1e'"``)."""
    return str(irreps(value))


@lru_cache(maxsize=1)
def _coefficients() -> dict[int, np.ndarray]:
    with np.load(_DATA) as data:
        return {l: data[f"l{l}"] for l in range(MAX_IRREPS_L + 1)}


@lru_cache(maxsize=None)
def _exponents(l: int) -> np.ndarray:
    return np.array([(a, b, l - a - b) for a in range(l, -1, -1) for b in range(l - a, -1, -1)])


_CHECKED: set[int] = set()


def _check_against_e3nn(l: int) -> None:
    """When e3nn is loaded, its harmonics must be the stored ones (a changed
    e3nn convention would silently put objects in another basis)."""
    o3 = sys.modules.get("e3nn.o3")
    if o3 is None or l in _CHECKED:
        return
    import torch
    point = np.array([[0.3, -0.5, 0.8]])
    theirs = o3.spherical_harmonics(l, torch.tensor(point), normalize=False,
                                    normalization="component").numpy()
    if not np.allclose(theirs, spherical_harmonics(l, point, check=False), atol=1e-10):
        raise RuntimeError(f"the installed e3nn's spherical harmonics of degree {l} differ "
                           "from sbs_gap's copy: run scripts/make_harmonics.py")
    _CHECKED.add(l)


def spherical_harmonics(l: int, points, *, check: bool = True) -> np.ndarray:
    """e3nn's real spherical harmonics of degree l (component normalization,
    not normalized to the sphere) at points (n, 3): shape (n, 2l + 1)."""
    if check:
        _check_against_e3nn(l)
    x = np.asarray(points, dtype=float)
    monomials = np.prod(x[:, None, :] ** _exponents(l)[None, :, :], axis=2)
    return monomials @ _coefficients()[l].T


def _sphere_points(count: int) -> np.ndarray:
    """A fixed, well-spread set of unit vectors (Fibonacci sphere)."""
    k = np.arange(count) + 0.5
    z = 1 - 2 * k / count
    phi = k * math.pi * (3 - math.sqrt(5))
    r = np.sqrt(1 - z * z)
    return np.stack([r * np.cos(phi), r * np.sin(phi), z], axis=1)


@lru_cache(maxsize=None)
def _projector(l: int) -> tuple[np.ndarray, np.ndarray]:
    """Sample points X and the pseudo-inverse of Y_l(X) (least squares)."""
    points = _sphere_points(4 * (2 * l + 1) + 8)
    return points, np.linalg.pinv(spherical_harmonics(l, points, check=False))


def _rotation_matrices(l: int, rotations: np.ndarray) -> np.ndarray:
    """D_l(Q) for proper rotations Q (n, 3, 3): Y(Q X) = Y(X) D^T solved
    in the least-squares sense on the fixed sample points."""
    _check_against_e3nn(l)
    points, pinv = _projector(l)
    moved = np.einsum("nij,pj->npi", rotations, points)
    values = spherical_harmonics(l, moved.reshape(-1, 3), check=False)
    values = values.reshape(len(rotations), len(points), -1)
    return np.swapaxes(np.einsum("dp,npe->nde", pinv, values), 1, 2)


def _split_time(g: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(R, τ) of matrices (n, 3, 3) (τ = +1) or (n, 4, 4) diag(R, τ)."""
    if g.shape[-2:] != (4, 4):
        g = g.reshape(-1, 3, 3)
        return g, np.ones(len(g))
    g = g.reshape(-1, 4, 4)
    tau = g[:, 3, 3]
    if (not np.allclose(g[:, 3, :3], 0, atol=1e-8) or not np.allclose(g[:, :3, 3], 0, atol=1e-8)
            or not np.allclose(np.abs(tau), 1, atol=1e-8)):
        raise InputError("4x4 matrices must be diag(R, τ): R an orthogonal 3x3 matrix, "
                         "τ = +1 (no time reversal) or -1 (with time reversal)")
    return np.ascontiguousarray(g[:, :3, :3]), np.sign(tau)


def representation_matrices(irreps_text, matrices) -> np.ndarray:
    """D(g) of e3nn irreps for orthogonal 3x3 matrices g, or for elements
    diag(R, τ) of magnetic groups.

    Parameters
    ----------
    irreps_text : str or e3nn Irreps
        E.g. ``"1o"`` (vectors), ``"1e"`` (axial vectors), ``"2e+1o"``; a
        trailing prime marks a time-odd irrep: ``"1e'"`` (a magnetic moment).
    matrices : array_like, shape (3, 3), (n, 3, 3), (4, 4) or (n, 4, 4)
        Orthogonal matrices R (proper or improper), or block diagonal 4x4
        matrices diag(R, τ) with τ = +1 (no time reversal) or τ = -1 (the
        element carries time reversal θ).

    Returns
    -------
    numpy.ndarray
        Shape (dim, dim) or (n, dim, dim), float64, block diagonal in the
        order of the irreps; D(g h) = D(g) D(h).

    Notes
    -----
    Time parity enters only through τ: the block of a term is the O(3)
    matrix of R, multiplied by τ when the term is time-odd (``1e'``), so
    θ = diag(I, -1) acts as -1 on time-odd terms and as +1 on time-even
    ones.  3x3 input means τ = +1: time-odd terms then get the same matrices
    as time-even ones.

    Raises
    ------
    InputError
        Unknown irreps, matrices that are not orthogonal, or 4x4 matrices
        that are not diag(R, ±1).
    """
    parsed = irreps(irreps_text)
    g = np.asarray(matrices, dtype=float)
    single = g.ndim == 2
    g, tau = _split_time(g)
    if not np.allclose(np.einsum("nij,nkj->nik", g, g), np.eye(3), atol=1e-8):
        raise InputError("representation matrices are defined for orthogonal 3x3 matrices "
                         "(or 4x4 matrices diag(R, ±1) with R orthogonal)")
    det = np.sign(np.linalg.det(g))
    proper = g * det[:, None, None]
    out = np.zeros((len(g), parsed.dim, parsed.dim))
    start = 0
    blocks: dict[int, np.ndarray] = {}
    for mul, ir in parsed:
        if ir.l not in blocks:
            blocks[ir.l] = _rotation_matrices(ir.l, proper)
        block = blocks[ir.l] * np.where(det < 0, ir.p, 1)[:, None, None]
        if ir.t == -1:
            block = block * tau[:, None, None]
        for _ in range(mul):
            out[:, start:start + ir.dim, start:start + ir.dim] = block
            start += ir.dim
    return out[0] if single else out


def axis_rotation(axis, theta: float) -> np.ndarray:
    """The rotation by ``theta`` (radians) about ``axis`` (Rodrigues)."""
    a = np.asarray(axis, dtype=float)
    a = a / np.linalg.norm(a)
    k = np.array([[0, -a[2], a[1]], [a[2], 0, -a[0]], [-a[1], a[0], 0]])
    return np.eye(3) + math.sin(theta) * k + (1 - math.cos(theta)) * (k @ k)
