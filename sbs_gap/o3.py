"""Symmetry breaking sets for point groups in the ambient group O(3).

THEORY.md section 4, computed in GAP (gap_scripts/30_o3.g): the normalizer
N_{O(3)}(S) is derived from the character of S (its order is
2^k |Aut_chi(S)|, and a finite normalizer found inside an overgroup is
accepted only when it has exactly that order); infinite normalizers (O(3),
Dinfh) are handled by the component-group reduction in a finite model.

Subgroup classes are named by their Schoenflies type; when S has several
classes of one type, a label tells them apart: the principal axis (or mirror
normal) and, for Cnv, Dn, Dnh, Dnd, a secondary direction (a mirror normal or
a perpendicular two-fold axis) of a canonical member of the class, e.g.
``C2v[z,x]`` (two-fold axis z, mirror normal x) versus ``C2v[z,xy45]``
(mirror normal at 45 degrees in the xy plane).  Directions are printed as
``x``, ``y``, ``z``, ``xy<degrees>`` for the xy plane, a Miller-like integer
triple such as ``111`` or ``1-10``, or rounded coordinates.  The canonical
member minimizes a geometric key, so names do not depend on GAP's ordering.
"""
from __future__ import annotations

import hashlib
import math
from dataclasses import dataclass
from fractions import Fraction

import numpy as np

from .engine import FullBreaking, PartialBreaking
from .errors import InputError
from .gap import GapCode, GapSession, default_session, gap_literal
from .groups import DEFAULT_MAX_ORDER, PointGroup, point_group

__all__ = ["PointGroupNormalizer", "SubgroupClass", "normalizer", "subgroup_classes",
           "full_breaking", "partial_breaking", "complement_names"]


@dataclass(frozen=True)
class PointGroupNormalizer:
    """N_{O(3)}(S) of a point group S in its standard orientation.

    ``identity_component`` is ``"trivial"`` (finite normalizer), ``"SO(2)"``
    (about the principal axis; the normalizer is Dinfh) or ``"SO(3)"``
    (the normalizer is O(3)).
    """

    group: str
    name: str
    order: int | None
    finite: bool
    identity_component: str


@dataclass(frozen=True)
class SubgroupClass:
    """One S-conjugacy class of subgroups: its name, type and a member.

    ``elements`` are the indices of the member's elements in ``S.elements``
    of :func:`_registered` (the canonical member used for the label).
    """

    name: str
    type: str
    label: str
    order: int
    elements: tuple[int, ...]


@dataclass(frozen=True)
class _Registered:
    group: PointGroup
    key: str
    order: int
    normalizer: PointGroupNormalizer
    elements: np.ndarray  # (order, 3, 3) float, GAP's element order


def _candidate_overgroups(g: PointGroup) -> list:
    """Finite groups that may contain N_{O(3)}(S); GAP verifies the choice."""
    candidates = []
    if g.n:
        candidates.append(point_group(f"D{2 * g.n}h").generators)
    candidates += [point_group("Oh").generators, point_group("Ih").generators]
    return candidates


def _cyclotomic_float(data) -> float:
    n, coefficients = data
    total = 0.0
    for k, c in enumerate(coefficients):
        c = Fraction(c) if isinstance(c, str) else Fraction(int(c))
        if c:
            total += float(c) * math.cos(2 * math.pi * k / n)
    return total


_CACHE: dict[tuple[int, str], _Registered] = {}


def _registered(name: str, session: GapSession | None = None,
                max_order: int = DEFAULT_MAX_ORDER) -> _Registered:
    g = point_group(name, max_order=max_order)
    session = session or default_session()
    args = f"{gap_literal(g.generators)},{gap_literal(_candidate_overgroups(g))}"
    key = "p" + hashlib.sha256(args.encode()).hexdigest()[:32]
    cached = _CACHE.get((id(session), key))
    code = GapCode(f'SBS_RegisterPointGroup("{key}",{args},{max_order})')
    info = session.ensure(key, code)
    if cached is not None:
        return cached
    elements = np.array([[[_cyclotomic_float(x) for x in row] for row in m]
                         for m in info["elements"]], dtype=float).reshape(-1, 3, 3)
    norm = PointGroupNormalizer(group=g.schoenflies, name=info["normalizer"],
                                order=info["normalizer_order"],
                                finite=info["normalizer_finite"],
                                identity_component=info["identity_component"])
    result = _Registered(group=g, key=key, order=info["order"], normalizer=norm,
                         elements=elements)
    _CACHE[(id(session), key)] = result
    return result


def normalizer(name: str, *, session: GapSession | None = None) -> PointGroupNormalizer:
    """N_{O(3)}(S) for the point group ``name`` (standard orientation)."""
    return _registered(name, session).normalizer


_ANALYSES: dict[tuple[int, str], dict] = {}


def _analysis(reg: _Registered, session: GapSession) -> dict:
    """GAP's one-pass analysis of the group (cached per GAP session)."""
    cache_key = (id(session), reg.key)
    if cache_key not in _ANALYSES:
        _ANALYSES[cache_key] = session.evaluate(
            GapCode(f'SBS_PointGroupAnalysis("{reg.key}")'), requires=(reg.key,))
    return _ANALYSES[cache_key]


def full_breaking(name: str, *, session: GapSession | None = None) -> FullBreaking:
    """Full symmetry breaking of a point group in O(3): ``sbs full GROUP``."""
    session = session or default_session()
    reg = _registered(name, session)
    r = _analysis(reg, session)["full"]
    n = reg.normalizer
    return FullBreaking(group=reg.group.schoenflies, order=reg.order, normalizer=n.name,
                        normalizer_order=n.order, normalizer_finite=n.finite,
                        ideal=r["ideal"], min_size=r["min_size"], complement=r["complement"])


def complement_names(name: str, *, session: GapSession | None = None) -> tuple[str, ...]:
    """Names of all classes of complements of S in its normalizer (Theorem A)."""
    session = session or default_session()
    return tuple(_analysis(_registered(name, session), session)["full"]["complements"])


# ----------------------------------------------------------------------------
# Subgroup classes and their names
# ----------------------------------------------------------------------------

_ROUND = 6


def _matrix_key(m: np.ndarray) -> bytes:
    return (np.round(m, _ROUND) + 0.0).tobytes()


def _conjugation_table(elements: np.ndarray) -> np.ndarray:
    """table[s, h] = index of s h s^-1."""
    index = {_matrix_key(m): i for i, m in enumerate(elements)}
    if len(index) != len(elements):
        raise AssertionError("point group elements are not distinct in floating point")
    conj = np.einsum("sij,hjk,slk->shil", elements, elements, elements)
    table = np.empty(conj.shape[:2], dtype=int)
    for s in range(conj.shape[0]):
        for h in range(conj.shape[1]):
            table[s, h] = index[_matrix_key(conj[s, h])]
    return table


def _unit(v: np.ndarray) -> np.ndarray:
    v = v / np.linalg.norm(v)
    for c in (2, 0, 1):  # sign: first non-zero of z, x, y positive
        if abs(v[c]) > 1e-9:
            return v if v[c] > 0 else -v
    raise AssertionError("zero direction")


def _direction_key(u: np.ndarray) -> tuple:
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


def _element_geometry(m: np.ndarray) -> tuple[str, int, np.ndarray | None]:
    """(kind, order, direction): kind is 'E', 'C' (rotation), 'm' (mirror),
    'i' (inversion) or 'S' (rotoreflection); direction is the axis or normal."""
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


def _geometric_name_parts(type_: str, geometry: list) -> list[tuple[np.ndarray, ...]]:
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


def _canonical_label(type_: str, members: list[frozenset[int]],
                     geometry: list) -> tuple[tuple, str, frozenset[int]]:
    best = None
    for member in members:
        geo = [geometry[i] for i in member]
        for parts in _geometric_name_parts(type_, geo):
            key = tuple(_direction_key(u) for u in parts)
            if best is None or key < best[0]:
                best = (key, ",".join(_format_direction(u) for u in parts), member)
    if best is None:
        raise AssertionError(f"no geometric description for a subgroup of type {type_}")
    return best


def _described_classes(name: str, session: GapSession):
    """(SubgroupClass, GAP row) pairs, sorted by order and name."""
    reg = _registered(name, session)
    rows = _analysis(reg, session)["classes"]
    table = _conjugation_table(reg.elements)
    geometry = [_element_geometry(m) for m in reg.elements]
    described = []
    for row in rows:
        member = frozenset(i - 1 for i in row["elements"])
        members = sorted({frozenset(int(table[s, h]) for h in member)
                          for s in range(len(reg.elements))}, key=sorted)
        key, label, canonical = _canonical_label(row["type"], members, geometry)
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
        out.append((SubgroupClass(name=shown, type=type_, label=label, order=order,
                                  elements=tuple(sorted(canonical))), row))
    return out


def subgroup_classes(name: str, *, session: GapSession | None = None) -> tuple[SubgroupClass, ...]:
    """The S-conjugacy classes of subgroups of the point group ``name``,
    sorted by order and name, each with a deterministic name."""
    session = session or default_session()
    return tuple(c for c, _ in _described_classes(name, session))


def _select(classes: tuple[SubgroupClass, ...], group: str, to: str) -> list[SubgroupClass]:
    text = to.strip()
    chosen = [c for c in classes if c.name == text]
    if not chosen:
        try:  # a type by any of its spellings (C2v, mm2, D1h, ...)
            wanted = point_group(text).schoenflies
        except InputError:
            wanted = None
        if wanted is not None:
            chosen = [c for c in classes if c.type == wanted]
    if not chosen:
        bare = text.strip("[]")
        chosen = [c for c in classes if c.label and c.label == bare]
        if len({c.type for c in chosen}) > 1:
            raise InputError(f"subgroup {to!r} of {group} is ambiguous: it is the label of "
                             + ", ".join(c.name for c in chosen) + "; give one of these names")
    if not chosen:
        raise InputError(f"{to!r} is not a subgroup of {group} (up to conjugacy in "
                         f"{group}); valid choices: " + ", ".join(c.name for c in classes))
    return chosen


def partial_breaking(name: str, to: str | None = None, *,
                     session: GapSession | None = None) -> tuple[PartialBreaking, ...]:
    """Partial breaking of a point group in O(3): ``sbs partial GROUP [--to K]``.

    ``to`` is a Schoenflies type or Hermann-Mauguin symbol (every class of that
    type), a class name with its label (one class), or a bare label; without it
    every S-conjugacy class of subgroups is returned.
    """
    session = session or default_session()
    reg = _registered(name, session)
    described = _described_classes(name, session)
    classes = tuple(c for c, _ in described)
    chosen = set(classes) if to is None else set(_select(classes, reg.group.schoenflies, to))
    return tuple(PartialBreaking(
        group=reg.group.schoenflies, subgroup=c.name, subgroup_order=r["subgroup_order"],
        index=r["index"],
        generalized_normalizer_is_normalizer=r["generalized_normalizer_is_normalizer"],
        ideal=r["ideal"], exact_min_size=r["exact_min_size"],
        nonexact_min_size=r["nonexact_min_size"],
        break_more_is_smaller=r["break_more_is_smaller"]) for c, r in described if c in chosen)
