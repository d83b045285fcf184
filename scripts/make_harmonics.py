"""Write sbs_gap/objects/data/harmonics.npz: e3nn's spherical harmonics as polynomials.

For l = 0 .. 12, the coefficients of e3nn's real spherical harmonics
(``e3nn.o3.spherical_harmonics(l, x, normalize=False, normalization="component")``,
homogeneous polynomials of degree l in x, y, z) on the monomials x^a y^b z^c,
a + b + c = l, in the order of :func:`monomial_exponents`.  sbs_gap evaluates
them with NumPy, so its representation matrices are e3nn's without importing
torch; tests/test_objects.py checks them against the installed e3nn.

Run (maintainers, after an e3nn upgrade): .venv/bin/python scripts/make_harmonics.py
"""
from __future__ import annotations

from pathlib import Path

import numpy as np
import torch
from e3nn import o3

LMAX = 12
OUT = Path(__file__).resolve().parent.parent / "sbs_gap" / "objects" / "data" / "harmonics.npz"


def monomial_exponents(l: int) -> np.ndarray:
    return np.array([(a, b, l - a - b) for a in range(l, -1, -1) for b in range(l - a, -1, -1)])


def main() -> None:
    rng = np.random.default_rng(0)
    points = rng.normal(size=(2000, 3))
    arrays = {"e3nn_version": np.array(__import__("e3nn").__version__)}
    for l in range(LMAX + 1):
        exponents = monomial_exponents(l)
        monomials = np.prod(points[:, None, :] ** exponents[None, :, :], axis=2)
        values = o3.spherical_harmonics(l, torch.tensor(points), normalize=False,
                                        normalization="component").numpy()
        coefficients, *_ = np.linalg.lstsq(monomials, values, rcond=None)
        error = np.max(np.abs(monomials @ coefficients - values)) / np.max(np.abs(values))
        assert error < 1e-11, (l, error)
        coefficients[np.abs(coefficients) < 1e-12 * np.max(np.abs(coefficients))] = 0.0
        arrays[f"l{l}"] = coefficients.T  # (2l + 1, number of monomials)
    OUT.parent.mkdir(parents=True, exist_ok=True)
    np.savez_compressed(OUT, **arrays)
    print(f"wrote {OUT} (e3nn {arrays['e3nn_version']})")


if __name__ == "__main__":
    main()
