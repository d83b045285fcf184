"""Validated group data: pure data, no GAP.

Three ways to give a finite group (the GROUP objects of a problem file):
permutations, orthogonal matrices with exact entries, or a finite
presentation; subgroups of a presented group are given by words.  Each is
validated here where floats can tell; the engine registers it in GAP
(:func:`sbs_gap.breaking.register_ambient`), which checks it exactly and receives
only integers and generated cyclotomic literals.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..errors import InputError
from ..exact import Exact, parse_exact
from ._parse import parse_cycles

__all__ = [
    "PermutationData", "MatrixData", "PresentationData", "WordsData", "parse_matrices",
    "parse_permutations", "MAX_DIMENSION", "MAX_MATRIX_GENERATORS",
]

MAX_DIMENSION = 32
MAX_MATRIX_GENERATORS = 64
_FLOAT_TOLERANCE = 1e-9


@dataclass(frozen=True)
class PermutationData:
    """Permutations as image lists of 1..d (trailing fixed points dropped)."""

    generators: tuple[tuple[int, ...], ...]

    kind = "permutations"

    def gap_data(self):
        """The generators as literal data for GAP (image lists)."""
        return self.generators


@dataclass(frozen=True)
class MatrixData:
    """Orthogonal matrices with exact entries, acting on column vectors."""

    generators: tuple[tuple[tuple[Exact, ...], ...], ...]
    dimension: int

    kind = "matrices"

    def gap_data(self):
        """The generators as literal data for GAP (exact matrices)."""
        return self.generators

    def numpy(self) -> np.ndarray:
        return np.array([[[x.to_float() for x in row] for row in m] for m in self.generators],
                        dtype=float).reshape(len(self.generators), self.dimension,
                                             self.dimension)


@dataclass(frozen=True)
class PresentationData:
    """A finite presentation: relators as letter lists (i, -i for generator i)."""

    generator_names: tuple[str, ...]
    relators: tuple[tuple[int, ...], ...]

    kind = "presentation"


@dataclass(frozen=True)
class WordsData:
    """Elements of a presented group as letter lists."""

    words: tuple[tuple[int, ...], ...]

    kind = "words"

    def gap_data(self):
        """The words as literal data for GAP (letter lists)."""
        return self.words


def parse_permutations(items, what: str) -> PermutationData:
    if not isinstance(items, list):
        raise InputError(f"{what}: 'permutations' must be a list of cycle strings")
    return PermutationData(tuple(parse_cycles(p, f"{what} permutation {i + 1}")
                                 for i, p in enumerate(items)))


def parse_matrices(items, what: str, dimension: int | None = None) -> MatrixData:
    """Parse and check (numerically) a list of exact matrices."""
    if not isinstance(items, list):
        raise InputError(f"{what}: 'matrices' must be a list of matrices")
    if len(items) > MAX_MATRIX_GENERATORS:
        raise InputError(f"{what}: {len(items)} matrices, more than {MAX_MATRIX_GENERATORS}")
    if not items and dimension is None:
        raise InputError(f"{what}: give at least one matrix (the identity for the trivial "
                         "group) so the dimension is known")
    mats = []
    for k, m in enumerate(items, start=1):
        label = f"{what} matrix {k}"
        if not isinstance(m, list) or not m or not all(isinstance(r, list) for r in m):
            raise InputError(f"{label} must be a non-empty list of rows")
        n = len(m)
        if n > MAX_DIMENSION:
            raise InputError(f"{label} has dimension {n}, more than {MAX_DIMENSION}")
        if any(len(r) != n for r in m):
            raise InputError(f"{label} is not square ({n} rows of lengths "
                             f"{sorted({len(r) for r in m})})")
        if dimension is None:
            dimension = n
        elif n != dimension:
            raise InputError(f"{label} is {n}x{n} but the group acts in dimension {dimension}")
        rows = []
        for i, row in enumerate(m, start=1):
            entries = []
            for j, x in enumerate(row, start=1):
                try:
                    entries.append(parse_exact(x))
                except InputError as exc:
                    raise InputError(f"{label}, entry ({i},{j}): {exc}") from None
            rows.append(tuple(entries))
        mats.append(tuple(rows))
    data = MatrixData(tuple(mats), dimension)
    _check_orthogonal(data, what)
    return data


def _check_orthogonal(data: MatrixData, what: str) -> None:
    """Floating-point pre-check; GAP repeats it exactly."""
    if not data.generators:
        return
    arr = data.numpy()
    eye = np.eye(data.dimension)
    for k, m in enumerate(arr, start=1):
        if abs(np.linalg.det(m)) < _FLOAT_TOLERANCE:
            raise InputError(f"{what} matrix {k} is not invertible (determinant 0)")
        deviation = float(np.max(np.abs(m @ m.T - eye)))
        if deviation > _FLOAT_TOLERANCE:
            raise InputError(f"{what} matrix {k} is not orthogonal (max |M M^T - I| = "
                             f"{deviation:.3g})")
