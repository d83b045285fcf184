"""e3nn representations of O(3), as exact as float64 allows.

:func:`representation_matrices` gives D(g) for e3nn irreps (``"1o"``,
``"2e + 1o"``), in e3nn's basis (l = 1 is x, y, z), for any orthogonal 3x3
matrices g.  It is defined by e3nn's spherical harmonics,
Y_l(g x) = D_l(g) Y_l(x) for rotations, with the parity p of each irrep for
improper g (D(g) = p D_l(-g)): the same matrices as e3nn's
``Irreps.D_from_matrix``, computed in float64 from the spherical harmonics
(whose dtype follows their input), so nothing here changes torch's default
dtype; accurate to ~1e-14.
"""
from __future__ import annotations

import math
from functools import lru_cache

import numpy as np

from ..errors import InputError

__all__ = ["irreps", "format_irreps", "representation_matrices", "axis_rotation", "MAX_IRREPS_L"]

#: Largest degree l accepted in irreps.
MAX_IRREPS_L = 12


@lru_cache(maxsize=None)
def irreps(text: str):
    """The e3nn ``Irreps`` of ``text``, validated (InputError naming the fault)."""
    from e3nn import o3 as e3o3
    if not isinstance(text, str):
        raise InputError(f"irreps must be a string such as '1o' or '2e+1o', not {text!r}")
    try:
        result = e3o3.Irreps(text)
    except Exception as exc:  # e3nn raises ValueError / AssertionError
        raise InputError(f"invalid irreps {text!r}: {exc}") from None
    if result.dim == 0:
        raise InputError(f"irreps {text!r} have dimension 0")
    if result.lmax > MAX_IRREPS_L:
        raise InputError(f"irreps {text!r}: l up to {MAX_IRREPS_L} is supported")
    return result


def format_irreps(value) -> str:
    """Canonical text of irreps (``"1o"``, ``"2x1o+0e"``)."""
    parsed = irreps(value) if isinstance(value, str) else value
    return "+".join(str(ir) if mul == 1 else f"{mul}x{ir}" for mul, ir in parsed)


def _sphere_points(count: int) -> np.ndarray:
    """A fixed, well-spread set of unit vectors (Fibonacci sphere)."""
    k = np.arange(count) + 0.5
    z = 1 - 2 * k / count
    phi = k * math.pi * (3 - math.sqrt(5))
    r = np.sqrt(1 - z * z)
    return np.stack([r * np.cos(phi), r * np.sin(phi), z], axis=1)


def _harmonics(l: int, points: np.ndarray) -> np.ndarray:
    import torch
    from e3nn import o3 as e3o3
    x = torch.as_tensor(points, dtype=torch.float64)
    with torch.no_grad():
        return e3o3.spherical_harmonics(l, x, normalize=False,
                                        normalization="component").numpy()


@lru_cache(maxsize=None)
def _projector(l: int) -> tuple[np.ndarray, np.ndarray]:
    """Sample points X and the pseudo-inverse of Y_l(X) (least squares)."""
    points = _sphere_points(4 * (2 * l + 1) + 8)
    return points, np.linalg.pinv(_harmonics(l, points))


def _rotation_matrices(l: int, rotations: np.ndarray) -> np.ndarray:
    """D_l(Q) for proper rotations Q (n, 3, 3): Y(Q X) = Y(X) D^T solved
    in the least-squares sense on the fixed sample points."""
    points, pinv = _projector(l)
    moved = np.einsum("nij,pj->npi", rotations, points)
    values = _harmonics(l, moved.reshape(-1, 3)).reshape(len(rotations), len(points), -1)
    return np.swapaxes(np.einsum("dp,npe->nde", pinv, values), 1, 2)


def representation_matrices(irreps_text, matrices) -> np.ndarray:
    """D(g) of e3nn irreps for orthogonal 3x3 matrices g.

    Parameters
    ----------
    irreps_text : str or e3nn Irreps
        E.g. ``"1o"`` (vectors), ``"1e"`` (axial vectors), ``"2e+1o"``.
    matrices : array_like, shape (3, 3) or (n, 3, 3)
        Orthogonal matrices (proper or improper).

    Returns
    -------
    numpy.ndarray
        Shape (dim, dim) or (n, dim, dim), float64, block diagonal in the
        order of the irreps; D(g h) = D(g) D(h).
    """
    parsed = irreps(irreps_text) if isinstance(irreps_text, str) else irreps_text
    g = np.asarray(matrices, dtype=float)
    single = g.ndim == 2
    g = g.reshape(-1, 3, 3)
    if not np.allclose(np.einsum("nij,nkj->nik", g, g), np.eye(3), atol=1e-8):
        raise InputError("representation matrices are defined for orthogonal 3x3 matrices")
    det = np.sign(np.linalg.det(g))
    proper = g * det[:, None, None]
    out = np.zeros((len(g), parsed.dim, parsed.dim))
    start = 0
    blocks: dict[int, np.ndarray] = {}
    for mul, ir in parsed:
        if ir.l not in blocks:
            blocks[ir.l] = _rotation_matrices(ir.l, proper)
        block = blocks[ir.l] * np.where(det < 0, ir.p, 1)[:, None, None]
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
