"""Transformations (P, p) between settings, as ITA writes them: ``a',b',c'; p``.

P holds the new basis vectors as columns in terms of the old ones (a, b,
c) and p is the new origin in old coordinates, so x_old = P x_new + p.
Class names carry one (``P4mm (99) [a,b,c; 0,0,0]``) and ``--to`` takes one
back (``Fm-3m [2a,2b,2c; 0,0,0]``).  Exact rationals only (with the
readers of GAP's exact answers, :func:`exact_matrix`); no GAP.
"""
from __future__ import annotations

import re
from fractions import Fraction

import numpy as np

from ..errors import InputError

__all__ = ["Matrix", "Vector", "format_transformation", "parse_transformation",
           "small_rational", "basis_columns", "exact_rational", "exact_matrix",
           "exact_vector", "rational_floats"]

Vector = tuple[Fraction, ...]
Matrix = tuple[Vector, ...]


_RATIONALS: dict = {}  # GAP's answers repeat a few values many times


def exact_rational(x) -> Fraction:
    """A rational from GAP's JSON (an int, or a string such as "1/2") or a
    Fraction; a float is refused (it would not be exact)."""
    kind = type(x)
    if kind is int or kind is str:  # not bool, whose True would find the key 1
        value = _RATIONALS.get(x)
        if value is None:
            value = Fraction(x)
            if len(_RATIONALS) < 4096:
                _RATIONALS[x] = value
        return value
    if isinstance(x, (str, Fraction)):
        return Fraction(x)
    if isinstance(x, bool) or not isinstance(x, int):
        raise TypeError(f"not an exact rational: {x!r}")
    return Fraction(x)


def exact_matrix(rows) -> Matrix:
    return tuple(tuple(exact_rational(x) for x in row) for row in rows)


def exact_vector(v) -> Vector:
    return tuple(exact_rational(x) for x in v)


def _float(x) -> float:
    if isinstance(x, str):  # "p/q": int / int is correctly rounded, as float(Fraction) is
        numerator, _, denominator = x.partition("/")
        return int(numerator) / int(denominator or 1)
    return float(exact_rational(x))


def rational_floats(values) -> np.ndarray:
    """Nested lists of exact rationals (as :func:`exact_rational` takes
    them) as an array of the nearest floats, without building Fractions
    for GAP's many strings."""
    if isinstance(values, (list, tuple)):
        return np.array([rational_floats(v) for v in values], dtype=float)
    return np.float64(_float(values))


def basis_columns(vectors) -> list[list[Fraction]]:
    """The 3x3 matrix whose columns are the three given vectors."""
    return [[vectors[j][i] for j in range(3)] for i in range(3)]


def _fmt_q(q: Fraction) -> str:
    return str(q.numerator) if q.denominator == 1 else f"{q.numerator}/{q.denominator}"


def _fmt_vector_in_basis(column) -> str:
    terms = []
    for coefficient, axis in zip(column, "abc"):
        if coefficient == 0:
            continue
        sign = "-" if coefficient < 0 else "+"
        magnitude = abs(coefficient)
        text = axis if magnitude == 1 else f"{_fmt_q(magnitude)}{axis}"
        terms.append((sign, text))
    out = "".join(f"{s}{t}" for s, t in terms)
    return out[1:] if out.startswith("+") else out


def format_transformation(p_matrix, shift) -> str:
    """``a',b',c'; p1,p2,p3`` in ITA's notation (columns of P in a, b, c)."""
    columns = [[p_matrix[i][j] for i in range(3)] for j in range(3)]
    return (",".join(_fmt_vector_in_basis(c) for c in columns) + "; "
            + ",".join(_fmt_q(x) for x in shift))


def small_rational(x: float, limit: int = 48) -> Fraction:
    """The rational with denominator at most ``limit`` that the float ``x``
    stands for (an entry of a transformation found in floats)."""
    q = Fraction(x).limit_denominator(limit)
    if abs(float(q) - x) > 1e-6:
        raise RuntimeError(f"transformation entry {x} is not a small rational")
    return q


_TERM = re.compile(r"([+-]?)([0-9]+(?:/[0-9]+)?)?\*?([abc])")


def _parse_axis_expression(text: str) -> Vector:
    text = text.replace(" ", "")
    if not text:
        raise InputError("an empty basis vector in the transformation")
    coefficients = {"a": Fraction(0), "b": Fraction(0), "c": Fraction(0)}
    pos = 0
    while pos < len(text):
        m = _TERM.match(text, pos)
        if not m or m.end() == pos:
            raise InputError(f"cannot read the basis vector {text!r} (write e.g. 2a, a-b, "
                             "1/2a+1/2b)")
        sign = -1 if m.group(1) == "-" else 1
        value = Fraction(m.group(2)) if m.group(2) else Fraction(1)
        coefficients[m.group(3)] += sign * value
        pos = m.end()
    return (coefficients["a"], coefficients["b"], coefficients["c"])


def parse_transformation(text: str) -> tuple[Matrix, Vector]:
    """``a',b',c'; p1,p2,p3`` (ITA notation) as (P, p)."""
    parts = text.split(";")
    if len(parts) > 2:
        raise InputError(f"a transformation is 'a',b',c'; p1,p2,p3', not {text!r}")
    axes = [s for s in parts[0].split(",")]
    if len(axes) != 3:
        raise InputError(f"a transformation needs three basis vectors, in {text!r}")
    columns = [_parse_axis_expression(a) for a in axes]
    if len(parts) == 2 and parts[1].strip():
        values = parts[1].split(",")
        if len(values) != 3:
            raise InputError(f"an origin shift needs three numbers, in {text!r}")
        try:
            shift = tuple(Fraction(v.strip()) for v in values)
        except (ValueError, ZeroDivisionError):
            raise InputError(f"cannot read the origin shift in {text!r}") from None
    else:
        shift = (Fraction(0),) * 3
    p_matrix = tuple(tuple(columns[j][i] for j in range(3)) for i in range(3))
    det = np.linalg.det(np.array([[float(x) for x in row] for row in p_matrix]))
    if abs(det) < 1e-9:
        raise InputError(f"the basis vectors of {text!r} are linearly dependent")
    if det < 0:
        raise InputError(f"the basis of {text!r} is left-handed (ITA transformations keep "
                         "the handedness)")
    return p_matrix, shift
