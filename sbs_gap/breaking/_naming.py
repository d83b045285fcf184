"""Names of the S-conjugacy classes of subgroups of a point group.

A class is named by its Schoenflies type; when S has several classes of one
type, a label tells them apart: the principal axis (or mirror normal) and, for
Cnv, Dn, Dnh, Dnd, a secondary direction (a mirror normal or a perpendicular
two-fold axis) of a canonical member of the class, e.g. ``C2v[z,x]``
(two-fold axis z, mirror normal x) versus ``C2v[z,xy45]`` (mirror normal at 45
degrees in the xy plane).  Directions are printed as ``x``, ``y``, ``z``,
``xy<degrees>`` for the xy plane, a Miller-like integer triple such as ``111``
or ``1-10``, or rounded coordinates.  The canonical member minimizes a
geometric key, so names do not depend on GAP's ordering.
"""
from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from ..groups import MatrixIndex

__all__ = ["SubgroupClass", "name_classes", "class_members", "element_geometry",
           "canonical_label", "geometric_name_parts", "direction_key"]


@dataclass(frozen=True)
class SubgroupClass:
    """One S-conjugacy class of subgroups of a point group S.

    Attributes
    ----------
    group : str
        S.
    name : str
        The class name, e.g. ``C2v[z,x]`` (see the module docstring).
    type : str
        Its Schoenflies type, e.g. ``C2v``.
    label : str
        The geometric label (empty for a class alone of its type).
    order : int
        |K|.
    elements : tuple of int
        The canonical member K: positions of its elements among the elements
        of S (:func:`sbs_gap.breaking.point_group_structure`).
    """

    group: str
    name: str
    type: str
    label: str
    order: int
    elements: tuple[int, ...]


def class_members(index: MatrixIndex, member) -> list[frozenset[int]]:
    """All S-conjugates s K s^-1 of the subgroup K (positions in ``index``,
    the elements of S), each once, sorted."""
    elements = index.elements
    k = elements[sorted(member)]
    conjugates = np.einsum("sij,hjk,slk->shil", elements, k, elements)
    positions = index.positions(conjugates)
    return sorted({frozenset(int(p) for p in row) for row in positions}, key=sorted)


def _unit(v: np.ndarray) -> np.ndarray:
    v = v / np.linalg.norm(v)
    for c in (2, 0, 1):  # sign: first non-zero of z, x, y positive
        if abs(v[c]) > 1e-9:
            return v if v[c] > 0 else -v
    raise AssertionError("zero direction")


def direction_key(u: np.ndarray) -> tuple:
    """Smaller is preferred: coordinate axes (z, then x, then y), then
    directions in a coordinate plane (xy, then xz, then yz), then the rest;
    ties by components, preferring positive ones."""
    r = np.round(u, 9) + 0.0
    nonzero = tuple(abs(c) > 1e-9 for c in r)
    pattern = {(False, False, True): 0, (True, False, False): 1, (False, True, False): 2,
               (True, True, False): 3, (True, False, True): 4, (False, True, True): 5}
    return (sum(nonzero), pattern.get(nonzero, 6), -abs(r[0]), -r[0], -r[1], -r[2])


def _format_direction(u: np.ndarray) -> str:
    for axis, name in ((0, "x"), (1, "y"), (2, "z")):
        if abs(abs(u[axis]) - 1) < 1e-9:
            return name
    if abs(u[2]) < 1e-9:
        degrees = math.degrees(math.atan2(u[1], u[0])) % 180.0
        return "xy" + f"{degrees:.2f}".rstrip("0").rstrip(".")
    smallest = min(abs(x) for x in u if abs(x) > 1e-9)
    scaled = u / smallest
    if np.allclose(scaled, np.round(scaled), atol=1e-7) and np.max(np.abs(scaled)) <= 4.5:
        return "".join(str(int(round(x))) for x in scaled)
    return "(" + ",".join(f"{x:.3f}" for x in u) + ")"


def element_geometry(m: np.ndarray) -> tuple[str, int, np.ndarray | None]:
    """(kind, order, direction) of an element of O(3): kind is 'E', 'C'
    (rotation), 'm' (mirror), 'i' (inversion) or 'S' (rotoreflection);
    direction is the axis or normal (a unit vector, sign normalized)."""
    det = np.linalg.det(m)
    r = m if det > 0 else -m
    if np.allclose(m, np.eye(3)):
        return "E", 1, None
    if np.allclose(m, -np.eye(3)):
        return "i", 2, None
    order, p = 1, m.copy()
    while not np.allclose(p, np.eye(3), atol=1e-7):
        p = p @ m
        order += 1
    # Axis of the rotation r: the eigenvector for eigenvalue 1.
    w, v = np.linalg.eig(r)
    axis = np.real(v[:, np.argmin(np.abs(w - 1))])
    if det > 0:
        return "C", order, _unit(axis)
    if np.isclose(np.trace(m), 1.0):
        return "m", 2, _unit(axis)
    return "S", order, _unit(axis)


def geometric_name_parts(type_: str, geometry: list) -> list[tuple[np.ndarray, ...]]:
    """Candidate (principal[, secondary]) direction tuples of one subgroup."""
    rotations = [(o, d) for k, o, d in geometry if k == "C"]
    rotoreflections = [(o, d) for k, o, d in geometry if k == "S"]
    mirrors = [d for k, _, d in geometry if k == "m"]
    if type_ in ("C1", "Ci") or type_ in ("T", "Td", "Th", "O", "Oh", "I", "Ih"):
        return [()]
    if type_ == "Cs":
        return [(d,) for d in mirrors]
    top = max([o for o, _ in rotations + rotoreflections], default=1)
    principal = [d for o, d in rotations + rotoreflections if o == top]
    if type_.endswith("v"):  # Cnv: principal axis and a mirror normal
        return [(p, d) for p in principal for d in mirrors]
    if type_[0] == "D":  # Dn, Dnh, Dnd: principal and a perpendicular two-fold axis
        twofold = [d for o, d in rotations if o == 2]
        return [(p, d) for p in principal for d in twofold
                if abs(float(p @ d)) < 1e-9]
    return [(p,) for p in principal]  # Cn, Cnh, S2n


def canonical_label(type_: str, members: list[frozenset[int]],
                     geometry: list) -> tuple[tuple, str, frozenset[int]]:
    best = None
    for member in members:
        geo = [geometry[i] for i in member]
        for parts in geometric_name_parts(type_, geo):
            key = tuple(direction_key(u) for u in parts)
            if best is None or key < best[0]:
                best = (key, ",".join(_format_direction(u) for u in parts), member)
    if best is None:
        raise AssertionError(f"no geometric description for a subgroup of type {type_}")
    return best


def name_classes(group: str, elements: np.ndarray, rows: list[dict]) -> list[tuple]:
    """Name the classes GAP found.

    ``elements``: the elements of S (float, in GAP's fixed order); ``rows``:
    GAP's records, each with ``type`` and ``elements`` (1-based positions of a
    member).  Returns (SubgroupClass, row) pairs sorted by order and name.
    """
    index = MatrixIndex(elements)
    geometry = [element_geometry(m) for m in elements]
    described = []
    for row in rows:
        member = frozenset(i - 1 for i in row["elements"])
        key, label, canonical = canonical_label(row["type"], class_members(index, member),
                                                 geometry)
        described.append((row["type"], key, label, canonical, row))
    by_type: dict[str, int] = {}
    for type_, *_ in described:
        by_type[type_] = by_type.get(type_, 0) + 1
    classes = []
    for type_, key, label, canonical, row in described:
        shown = f"{type_}[{label}]" if by_type[type_] > 1 and label else type_
        classes.append((len(canonical), shown, key, type_, label, canonical, row))
    classes.sort(key=lambda c: (c[0], c[1], c[2]))
    names = [c[1] for c in classes]
    out = []
    for order, shown, _, type_, label, canonical, row in classes:
        if names.count(shown) > 1:  # never expected; keeps names unique regardless
            shown = f"{shown}#{names[:len(out) + 1].count(shown)}"
        out.append((SubgroupClass(group=group, name=shown, type=type_, label=label,
                                  order=order, elements=tuple(sorted(canonical))), row))
    return out
