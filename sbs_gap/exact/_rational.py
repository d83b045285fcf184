"""Small exact linear algebra over the rationals (Fractions), for the affine
maps of space groups: products, inverses, reduction modulo a lattice."""
from __future__ import annotations

from fractions import Fraction

__all__ = ["rational_matrix", "matmul", "matvec", "inverse", "determinant", "mod_one",
           "affine", "affine_parts"]


def rational_matrix(rows) -> tuple[tuple[Fraction, ...], ...]:
    """A matrix of Fractions from ints, Fractions or strings such as ``"1/2"``."""
    return tuple(tuple(Fraction(x) for x in row) for row in rows)


def matmul(a, b) -> tuple[tuple[Fraction, ...], ...]:
    return tuple(tuple(sum((a[i][k] * b[k][j] for k in range(len(b))), Fraction(0))
                       for j in range(len(b[0]))) for i in range(len(a)))


def matvec(a, v) -> tuple[Fraction, ...]:
    return tuple(sum((a[i][k] * v[k] for k in range(len(v))), Fraction(0))
                 for i in range(len(a)))


def determinant(m) -> Fraction:
    """Determinant by cofactor expansion along the first row (any size)."""
    n = len(m)
    if n == 1:
        return Fraction(m[0][0])
    total = Fraction(0)
    for j in range(n):
        if m[0][j]:
            minor = [row[:j] + row[j + 1:] for row in m[1:]]
            total += (-1) ** j * m[0][j] * determinant(minor)
    return total


def inverse(m) -> tuple[tuple[Fraction, ...], ...]:
    """The inverse by Gauss-Jordan elimination; ValueError when singular."""
    n = len(m)
    work = [[Fraction(x) for x in row] + [Fraction(int(i == j)) for j in range(n)]
            for i, row in enumerate(m)]
    for col in range(n):
        pivot = next((r for r in range(col, n) if work[r][col] != 0), None)
        if pivot is None:
            raise ValueError("singular matrix")
        work[col], work[pivot] = work[pivot], work[col]
        p = work[col][col]
        work[col] = [x / p for x in work[col]]
        for r in range(n):
            if r != col and work[r][col] != 0:
                f = work[r][col]
                work[r] = [x - f * y for x, y in zip(work[r], work[col])]
    return tuple(tuple(row[n:]) for row in work)


def mod_one(v) -> tuple[Fraction, ...]:
    return tuple(Fraction(x) % 1 for x in v)


def affine(r, t) -> tuple[tuple[Fraction, ...], ...]:
    """The 4x4 matrix of x -> r x + t (column convention)."""
    rows = [tuple(Fraction(x) for x in r[i]) + (Fraction(t[i]),) for i in range(3)]
    return tuple(rows) + ((Fraction(0), Fraction(0), Fraction(0), Fraction(1)),)


def affine_parts(m) -> tuple[tuple[tuple[Fraction, ...], ...], tuple[Fraction, ...]]:
    """(r, t) of a 4x4 affine matrix."""
    return tuple(tuple(m[i][:3]) for i in range(3)), tuple(m[i][3] for i in range(3))
