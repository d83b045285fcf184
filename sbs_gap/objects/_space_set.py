"""The sets of a space group: uniform fields, marker patterns, and the
verified set they make (docs/theory.md section 8, point 3).

The result types only; :mod:`._periodic` computes them.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from fractions import Fraction
from typing import ClassVar

import numpy as np

from ..breaking.text import pairs_table, vector_text
from ..errors import InputError
from ..exact import determinant, inverse, matvec, rational_matrix

__all__ = ["UniformField", "MarkerFields", "MarkerPattern", "SpaceSymmetryBreakingSet"]

Vector = tuple[Fraction, ...]
Matrix = tuple[Vector, ...]
Operation = tuple[Matrix, Vector]


def float_rows(rows) -> list:
    """Exact rows (a matrix, or a list of vectors) as lists of floats."""
    return [[float(x) for x in row] for row in rows]


def _rounded(values) -> list:
    """Floats to 12 decimals (their accuracy), without negative zeros."""
    return [round(float(x), 12) + 0.0 for x in values]


@dataclass(frozen=True, eq=False)
class UniformField:
    """A field that is the same e3nn irreps vector at every point."""

    irreps: str
    vector: np.ndarray
    kind: ClassVar[str] = "uniform"

    def to_json(self) -> dict:
        return {"kind": self.kind, "irreps": self.irreps, "vector": _rounded(self.vector)}


@dataclass(frozen=True, eq=False)
class MarkerFields:
    """The fields of a periodic pattern of markers, in whichever frame a
    subclass documents: its period lattice (rows), one cell's markers, the
    continuous directions and each marker's orientation (lines only), the
    markers' ``features`` of ``irreps``.

    Shared by :class:`MarkerPattern` (S's standard setting) and
    :class:`sbs_gap.structures.FileMarkerPattern` (a crystal file's frame).
    """

    lattice: Matrix
    positions: tuple[Vector, ...]
    directions: tuple[Vector, ...]
    orientations: tuple[Vector, ...]
    features: np.ndarray = field(repr=False)
    irreps: str = "0e"
    kind: ClassVar[str] = "markers"


@dataclass(frozen=True, eq=False)
class MarkerPattern(MarkerFields):
    """A periodic pattern of marker points, each carrying ``features`` of
    ``irreps``; when S is polar, oriented lines along ``directions``.

    Attributes
    ----------
    lattice : tuple
        A basis (rows) of the period lattice L, in S's conventional
        coordinates.
    positions : tuple
        The markers of one cell of L, exact fractional coordinates in S's
        conventional basis; the pattern is positions + L (+ span directions).
    directions : tuple
        A basis of the continuous translations (lines), empty for points.
    orientations : tuple
        Lines only: each marker's orientation, a vector along the lines in
        conventional coordinates (exact).  A line alone cannot tell the
        elements that reverse the polar axis (m_z for a polar z axis).
    features : numpy.ndarray
        (markers, dim): the scalar 1 for points (``0e``), the Cartesian
        orientation for lines (``1o``).
    """

    def to_json(self) -> dict:
        out = {"kind": self.kind, "lattice": float_rows(self.lattice),
               "positions": float_rows(self.positions), "irreps": self.irreps,
               "features": [_rounded(f) for f in self.features],
               "positions_exact": [[str(x) for x in p] for p in self.positions]}
        if self.directions:
            out["directions"] = float_rows(self.directions)
            out["orientations_exact"] = [[str(x) for x in u] for u in self.orientations]
        if self.irreps.endswith("0e'"):  # grey parents: each marker's time-odd sign
            out["signs"] = [int(f[-1]) for f in self.features]
        return out

    def features_in_cell(self, cell) -> tuple[np.ndarray, np.ndarray]:
        """(points, features): :meth:`points_in_cell` and each point's
        ``features`` row (e.g. the time-odd sign of a grey parent's marker)."""
        return self._in_cell(cell)

    def points_in_cell(self, cell) -> np.ndarray:
        """The markers inside the periodic cell spanned by the rows of ``cell``
        (conventional coordinates, e.g. ``2 * np.eye(3)`` for a 2x2x2
        supercell; its lattice must lie in L): conventional coordinates of
        the points x = f cell with f in [0, 1)^3, sorted."""
        return self._in_cell(cell)[0]

    def _in_cell(self, cell) -> tuple[np.ndarray, np.ndarray]:
        if self.directions:
            raise InputError("a pattern of lines (polar S) has no finite set of points in a "
                             "cell")
        cell_q = rational_matrix([[Fraction(x).limit_denominator(1000) for x in row]
                                  for row in np.asarray(cell, dtype=object)])
        lattice_inv = inverse(self.lattice)
        for row in cell_q:
            if any(c.denominator != 1 for c in matvec(transpose(lattice_inv), row)):
                raise InputError(f"the cell vector {[str(x) for x in row]} is not in the "
                                 "pattern's lattice L; use a cell whose vectors lie in L")
        cell_inv = inverse(cell_q)
        t_cell_inv = transpose(cell_inv)
        count = abs(determinant(cell_q) / determinant(self.lattice))
        # the lattice points of L modulo the cell's lattice
        reps: set[Vector] = set()
        reach = 1
        while len(reps) < count:
            reach += 1
            rng = range(-reach, reach + 1)
            for i in rng:
                for j in rng:
                    for k in rng:
                        v = tuple(i * a + j * b + k * c for a, b, c in zip(*self.lattice))
                        reps.add(tuple(x % 1 for x in matvec(t_cell_inv, v)))
            if reach > 40:
                raise RuntimeError("could not enumerate the cell's lattice points")
        points = {}
        for p, feature in zip(self.positions, self.features):
            f0 = matvec(t_cell_inv, p)
            for r in reps:
                points[tuple((a + b) % 1 for a, b in zip(f0, r))] = feature
        ordered = sorted(points)
        coords = [matvec(transpose(cell_q), f) for f in ordered]
        return (np.array(float_rows(coords)),
                np.array([points[f] for f in ordered]).reshape(len(ordered), -1))


def transpose(m):
    """The transpose of an exact matrix (tuples of rows)."""
    return tuple(zip(*m))


@dataclass(frozen=True, eq=False)
class SpaceSymmetryBreakingSet:
    """A minimal equivariant SBS of a space group S to K (docs/theory.md
    section 8), verified when built.

    Attributes
    ----------
    group, subgroup : str
        S and the class of K (``sbs partial``'s name).
    kind : str
        ``"uniform"`` or ``"markers"``.
    objects : tuple
        :class:`UniformField` or :class:`MarkerPattern` objects.
    stabilizer : str
        The type of M, the stabilizer in N' of the first object.
    continuous : bool
        True when no finite equivariant SBS exists (S meet C not in K): the
        objects are then the finite model's (N's discrete part), and every
        translate along C is an object too.
    ideal : bool
        S acts transitively (then size = |S : K|).
    index : int
        |S : K|.
    cell, cartesian_basis
        The metric used and the Cartesian basis vectors (rows a, b, c):
        uniform vectors are Cartesian in this frame.
    lattice, continuous_directions
        L (rows) and a basis of C, in S's conventional coordinates.
    group_operations : tuple
        The elements of S modulo L C as exact (R, t), x -> R x + t.
    group_action : tuple of tuples
        For each, the permutation i -> j with s . objects[i] = objects[j].
    normalizer_generators, normalizer_generators_action
        Generators of N' (modulo L C) and their permutations.
    group_time_reversal, normalizer_generators_time_reversal
        Grey parents (S1'): 1 where the element carries theta, in the order of
        ``group_operations`` and ``normalizer_generators``; empty otherwise.
    """

    group: str
    subgroup: str
    kind: str
    objects: tuple = field(repr=False)
    stabilizer: str
    continuous: bool
    ideal: bool
    index: int
    irreps: str
    cell: tuple[float, ...] = field(repr=False)
    cartesian_basis: np.ndarray = field(repr=False)
    lattice: Matrix = field(repr=False)
    continuous_directions: tuple[Vector, ...] = field(repr=False)
    group_operations: tuple[Operation, ...] = field(repr=False)
    group_action: tuple[tuple[int, ...], ...] = field(repr=False)
    normalizer_generators: tuple[Operation, ...] = field(repr=False)
    normalizer_generators_action: tuple[tuple[int, ...], ...] = field(repr=False)
    group_time_reversal: tuple[int, ...] = field(default=(), repr=False)
    normalizer_generators_time_reversal: tuple[int, ...] = field(default=(), repr=False)

    @property
    def size(self) -> int | None:
        """The number of objects; None for a continuous set."""
        return None if self.continuous else len(self.objects)

    def as_torch(self, dtype=None, device=None):
        """The uniform vectors as a tensor (size, dim); markers have no single tensor:
        use :meth:`MarkerPattern.points_in_cell`."""
        import torch

        if self.kind != "uniform":
            raise InputError("marker patterns are extra graph nodes, not one tensor: use "
                             "objects[i].points_in_cell(cell)")
        return torch.as_tensor(np.array([o.vector for o in self.objects]),
                               dtype=dtype or torch.get_default_dtype(), device=device)

    def to_json(self) -> dict:
        def op(o):
            return {"rotation": [[str(x) for x in row] for row in o[0]],
                    "translation": [str(x) for x in o[1]]}
        return {"group": self.group, "subgroup": self.subgroup, "size": self.size,
                "index": self.index, "ideal": self.ideal, "continuous": self.continuous,
                "kind": self.kind, "irreps": self.irreps, "stabilizer": self.stabilizer,
                "objects": [o.to_json() for o in self.objects],
                "cell": list(self.cell),
                "cartesian_basis": [_rounded(v) for v in self.cartesian_basis],
                "lattice": [[str(x) for x in row] for row in self.lattice],
                "continuous_directions": [[str(x) for x in v]
                                          for v in self.continuous_directions],
                "normalizer_generators": [
                    {**op(g), "time_reversal": int(f)} if self.group_time_reversal else op(g)
                    for g, f in zip(self.normalizer_generators,
                                    self.normalizer_generators_time_reversal
                                    or [0] * len(self.normalizer_generators))],
                "normalizer_generators_action": [list(p)
                                                 for p in self.normalizer_generators_action]}

    def to_record(self) -> dict:
        """``sbs objects SPACEGROUP --json``'s record: :meth:`to_json`."""
        return self.to_json()

    def to_table(self) -> str:
        """``sbs objects SPACEGROUP``'s text: the set's summary, then one line per
        object (a uniform vector, or a pattern's markers in one cell of L)."""
        record = self.to_json()
        pairs = [(k, "-" if record[k] is None else record[k])
                 for k in ("group", "subgroup", "index", "kind", "size", "ideal", "continuous",
                           "irreps", "stabilizer")]
        if self.kind == "uniform":
            for i, o in enumerate(record["objects"]):
                pairs.append((f"object {i + 1}", vector_text(o["vector"])))
            pairs.append(("frame", "Cartesian: a along x, b in the xy plane"))
        else:
            pairs.append(("lattice L", "; ".join(",".join(v) for v in record["lattice"])))
            if self.objects[0].directions:
                pairs.append(("lines along", "; ".join(
                    ",".join(v) for v in record["continuous_directions"])))
            for i, o in enumerate(record["objects"]):
                orientations = o.get("orientations_exact") or [None] * len(o["positions_exact"])
                signs = [{1: "+", -1: "-"}[x] for x in o["signs"]] if "signs" in o else \
                    [""] * len(o["positions_exact"])
                points = " ".join("(" + ",".join(p) + ")" + sign + (
                    "" if u is None else " along [" + ",".join(u) + "]")
                    for p, u, sign in zip(o["positions_exact"], orientations, signs))
                pairs.append((f"object {i + 1}", f"{len(o['positions_exact'])} per cell of L: "
                              f"{points}"))
        if self.continuous:
            pairs.append(("note", "no finite equivariant set (S meet C is not inside K): "
                          "these are the objects of N's discrete part; every translate along "
                          "the continuous translations is one too"))
        return pairs_table(pairs)
