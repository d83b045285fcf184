"""The Schoenflies type of a finite group of orthogonal float matrices."""
from __future__ import annotations

import numpy as np

from ..errors import InputError

__all__ = ["NotAPointGroup", "element_order", "point_group_type"]


class NotAPointGroup(InputError):
    """The matrices do not form a finite point group (within the tolerance)."""


def element_order(m: np.ndarray, tol: float, limit: int = 200) -> int:
    """The least k with m^k = 1 (entries within ``tol``)."""
    p = m
    for k in range(1, limit + 1):
        if np.abs(p - np.eye(3)).max() < tol:
            return k
        p = p @ m
    raise NotAPointGroup("the operations do not form a finite group")


def point_group_type(ops: np.ndarray, tol: float = 1e-6) -> str:
    """Canonical Schoenflies name of a finite group of orthogonal float
    matrices (all its elements), from the rotation subgroup, the inversion
    and the number of mirrors (the rule of GAP's SBS_PointGroupTypeFromData);
    ``tol`` bounds the entries' error (detected operations carry noise)."""
    dets = np.linalg.det(ops)
    rot = [m for m, d in zip(ops, dets) if d > 0]
    improper = [m for m, d in zip(ops, dets) if d < 0]
    r, top = len(rot), max(element_order(m, tol) for m in rot)
    if top == r:
        letter, n = "C", r
    elif r == 2 * top:
        letter, n = "D", top
    elif (r, top) in ((12, 3), (24, 4), (60, 5)):
        letter, n = {12: "T", 24: "O", 60: "I"}[r], 0
    else:
        raise NotAPointGroup("the operations are not a point group")
    if not improper:
        return f"{letter}{n}" if letter in "CD" else letter
    if any(np.abs(m + np.eye(3)).max() < tol for m in improper):
        if letter == "C":
            return "Ci" if n == 1 else (f"C{n}h" if n % 2 == 0 else f"S{2 * n}")
        if letter == "D":
            return f"D{n}h" if n % 2 == 0 else f"D{n}d"
        return letter + "h"
    if letter == "C":
        mirrors = sum(abs(np.trace(m) - 1) < tol for m in improper)
        if n == 1:
            return "Cs"
        return f"C{n}v" if mirrors == n else (f"C{n}h" if n % 2 else f"S{2 * n}")
    if letter == "D":
        return f"D{n}h" if n % 2 else f"D{n}d"
    return "Td"
