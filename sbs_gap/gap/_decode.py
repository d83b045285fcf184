"""Decoding GAP's answers: exact cyclotomics to floats, at the edge."""
from __future__ import annotations

import math
from fractions import Fraction

import numpy as np

__all__ = ["cyclotomic_to_float", "matrices_to_numpy"]


def cyclotomic_to_float(data) -> float:
    """The real part of a cyclotomic given as ``SBS_CycCoefficients`` writes
    it: ``[n, [[k, c], ...]]`` for the sum of c E(n)^k (c an integer or a
    rational as text)."""
    n, terms = data
    return math.fsum(float(Fraction(c) if isinstance(c, str) else c)
                     * math.cos(2 * math.pi * k / n) for k, c in terms)


def matrices_to_numpy(raw, dim: int | None = None) -> np.ndarray:
    """A list of matrices of cyclotomics (as above) as a float array (m, dim,
    dim); dim is read from the first matrix when not given (3 for none)."""
    if dim is None:
        dim = len(raw[0]) if len(raw) else 3
    return np.array([[[cyclotomic_to_float(x) for x in row] for row in m] for m in raw],
                    dtype=float).reshape(-1, dim, dim)
