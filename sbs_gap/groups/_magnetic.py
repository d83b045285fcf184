"""Magnetic point groups: subgroups of P x {1, theta} (docs/theory.md section 9).

A magnetic point group is given by its Hermann-Mauguin symbol with primes
(``4/mm'm'``, ``m-3m1'``, ``2'/m``, ``-1'``), read in the standard orientation
of its point group P (the orientation of :func:`point_group`), or by a
Schoenflies name with the grey suffix (``C11'``, ``C1'``, ``Oh1'``, any finite
point group) or the black-white form ``P(H)`` (``D4h(C4h)``, ``C5v(C5)``;
refused naming the Hermann-Mauguin choices when P has several index-2
subgroups of type H).

Each symbol position names an element of P: ``n`` a rotation of order n,
``-n`` a rotoinversion, ``m`` a mirror (by its normal), ``n/m`` both, along the
position's direction; a prime says that element carries theta.  The
directions, in a frame (p, s) of P (principal axis, secondary direction):

* monoclinic: p; orthorhombic: s, p x s, p (``mm2``: the two-fold along p);
* trigonal, tetragonal, hexagonal: p, then two directions perpendicular to
  p; when both positions name the same kind of element, s and s turned by
  pi / n about p (``4/mmm``: x then the diagonal);
* cubic: a four-fold (or two-fold) axis, a three-fold axis, a face
  diagonal.

The primes must be consistent: the elements with their time-reversal flags
generate a group that does not contain theta (else the symbol is refused,
with the consistent spellings).  Everything here is pure data (NumPy), as
for the other group inputs; nothing starts GAP.
"""
from __future__ import annotations

import difflib
import itertools
import re
from dataclasses import dataclass
from functools import cached_property

import numpy as np

from ..errors import InputError
from ._closure import matrix_closure, matrix_key
from ._pointgroups import HERMANN_MAUGUIN, PointGroup, point_group
from ._types import point_group_type

__all__ = ["MagneticPointGroup", "magnetic_point_group", "is_magnetic_name",
           "magnetic_symbol", "hm_positions", "magnetic_point_group_types"]

_HM_TO_SCHOENFLIES = {hm: sf for sf, hm in HERMANN_MAUGUIN.items()}
# the cubic symbols' positions: coordinate axis, three-fold axis, face diagonal
_CUBIC = {"T", "Th", "O", "Td", "Oh"}
_ORTHORHOMBIC = {"D2", "C2v", "D2h"}
_MONOCLINIC = {"C2", "Cs", "C2h"}
_TOKEN = re.compile(r"(-?[1-6]|m)('?)(?:/m('?))?")


@dataclass(frozen=True)
class MagneticPointGroup:
    """A magnetic point group: a subgroup of P x {1, theta}, P in O(3).

    Attributes
    ----------
    name : str
        The symbol: Hermann-Mauguin with primes for the 122 crystallographic
        types (``4/mm'm'``), Schoenflies' magnetic notation otherwise
        (``C5v(C5)``, ``C5v1'``).
    point_group : PointGroup
        P, the image in O(3), in its standard orientation.
    time_reversal : tuple of int
        For each generator of P, 1 when it carries theta in this group, else
        0 (a homomorphism P -> {0, 1}, given on generators).
    grey : bool
        Whether theta itself is an element (type II).
    """

    name: str
    point_group: PointGroup
    time_reversal: tuple[int, ...]
    grey: bool

    @property
    def kind(self) -> str:
        """``"I"`` (no element carries theta), ``"II"`` (grey) or ``"III"``."""
        if self.grey:
            return "II"
        return "III" if any(self.time_reversal) else "I"

    @property
    def order(self) -> int:
        return len(self.numpy_elements)

    @cached_property
    def numpy_generators(self) -> np.ndarray:
        """The generators as 4x4 matrices diag(R, +-1) (k, 4, 4): P's, with
        -1 in the corner where they carry theta, and theta for a grey group
        (the order of :meth:`generator_data`)."""
        gens = [_block(g, -1 if f else 1) for g, f in
                zip(self.point_group.numpy_generators, self.time_reversal)]
        if self.grey:
            gens.append(_block(np.eye(3), -1))
        return np.array(gens).reshape(-1, 4, 4)

    @cached_property
    def numpy_elements(self) -> np.ndarray:
        """All elements as 4x4 matrices diag(R, +-1) (order, 4, 4), the
        identity first (-1 in the corner: the element carries theta)."""
        return _closure(list(self.numpy_generators))

    def generator_data(self) -> tuple[tuple, tuple[int, ...]]:
        """(exact 3x3 generators, time-reversal flags) as the engine registers
        them; theta is the identity with flag 1."""
        from ..exact import Rat
        gens = tuple(self.point_group.generators)
        flags = tuple(self.time_reversal)
        if self.grey:
            one, zero = Rat(1), Rat(0)
            gens += (tuple(tuple(one if i == j else zero for j in range(3)) for i in range(3)),)
            flags += (1,)
        return gens, flags


def _block(r: np.ndarray, sign: int) -> np.ndarray:
    m = np.zeros((4, 4))
    m[:3, :3] = r
    m[3, 3] = sign
    return m


def _closure(gens: list[np.ndarray]) -> np.ndarray:
    """The group the 4x4 generators generate (the identity alone for none)."""
    return matrix_closure(gens) if gens else np.eye(4)[None]


# ----------------------------------------------------------------------------
# Positions of a Hermann-Mauguin symbol
# ----------------------------------------------------------------------------

def _rotation_about(axis: np.ndarray, angle: float) -> np.ndarray:
    a = axis / np.linalg.norm(axis)
    k = np.array([[0, -a[2], a[1]], [a[2], 0, -a[0]], [-a[1], a[0], 0]])
    return np.eye(3) + np.sin(angle) * k + (1 - np.cos(angle)) * (k @ k)


def _element_kind(m: np.ndarray) -> tuple[int, int, np.ndarray | None]:
    """(sign, n, axis) with m = sign * (a rotation of order n about axis):
    the Hermann-Mauguin element ``n`` (sign 1) or ``-n`` (sign -1); a mirror
    is (-1, 2, normal)."""
    sign = 1 if np.linalg.det(m) > 0 else -1
    r = sign * m
    n, p = 1, r.copy()
    while not np.allclose(p, np.eye(3), atol=1e-7):
        p = p @ r
        n += 1
        if n > 1000:
            raise AssertionError("not an element of finite order")
    if n == 1:
        return sign, 1, None
    w, v = np.linalg.eig(r)
    axis = np.real(v[:, np.argmin(np.abs(w - 1))])
    return sign, n, axis / np.linalg.norm(axis)


def _parallel(u, v) -> bool:
    return u is not None and v is not None and abs(abs(float(u @ v)) - 1) < 1e-6


def _perpendicular(u, v) -> bool:
    return u is not None and v is not None and abs(float(u @ v)) < 1e-6


def _tokens(symbol: str) -> list[list[tuple[int, int, bool]]]:
    """The positions of a symbol, each a list of (sign, n, primed): ``4'/m``
    -> [(1, 4, True), (-1, 2, False)]; ``m`` is (-1, 2)."""
    positions, at = [], 0
    while at < len(symbol):
        found = _TOKEN.match(symbol, at)
        if not found:
            raise ValueError(symbol)
        element, prime, mirror_prime = found.groups()
        if element == "m":
            items = [(-1, 2, bool(prime))]
        else:
            n = int(element.lstrip("-"))
            items = [(-1 if element.startswith("-") else 1, n, bool(prime))]
        if "/m" in found.group(0):
            items.append((-1, 2, bool(mirror_prime)))
        positions.append(items)
        at = found.end()
    return positions


def _position_directions(schoenflies: str, count: int, frame) -> list:
    """Per position: a test on an element's axis, for the frame (p, s)."""
    if schoenflies in _CUBIC:
        return ["cubic-axis", "cubic-3", "cubic-diagonal"][:count]
    if count == 0 or schoenflies in ("C1", "Ci"):
        return [None] * count
    p, s = frame
    if schoenflies in _MONOCLINIC:
        return [p]
    if schoenflies in _ORTHORHOMBIC:
        return [s, np.cross(p, s), p]
    return [p, "perpendicular", "perpendicular"][:count]


def _cubic_classes(elements: np.ndarray) -> dict[str, list[np.ndarray]]:
    """The axes of the cubic position classes: the coordinate-like axes (of
    two-fold rotations that are squares of rotations, or all two-fold axes
    of T), the three-fold axes, and the rest (face diagonals)."""
    kinds = [_element_kind(m) for m in elements]
    rotations = [(n, a, m) for (sign, n, a), m in zip(kinds, elements) if sign == 1 and n > 1]
    threefold = [a for n, a, _ in rotations if n == 3]
    fourfold = [a for n, a, _ in rotations if n == 4]
    twofold = [a for n, a, _ in rotations if n == 2]
    axes = fourfold if fourfold else twofold
    if not fourfold and len(twofold) != 3:  # T's two-folds are its axes
        raise AssertionError("not a cubic group")
    return {"cubic-axis": axes, "cubic-3": threefold,
            "cubic-diagonal": [a for a in twofold + [k[2] for k in kinds if k[0] == -1
                                                     and k[1] == 2]
                               if not any(_parallel(a, b) for b in axes)]}


def hm_positions(schoenflies: str, symbol: str, elements: np.ndarray, frame
                 ) -> list[tuple[int, bool]] | None:
    """Which element each symbol element names: a list of (index into
    ``elements``, primed), or None when an element is missing (the symbol does
    not fit the group in this frame).  ``elements``: the 3x3 elements of P
    (floats); ``frame``: (p, s), unit vectors (ignored for cubic, triclinic)."""
    try:
        positions = _tokens(symbol)
    except ValueError:
        return None
    kinds = [_element_kind(m) for m in elements]
    directions = _position_directions(schoenflies, len(positions), frame)
    cubic = _cubic_classes(elements) if schoenflies in _CUBIC else None
    # positions 2 and 3 of an axial symbol that name the same kind: s, then
    # s turned by pi / n about p
    same_kind = (len(positions) == 3 and isinstance(directions[1], str)
                 and directions[1] == "perpendicular"
                 and positions[1][0][:2] == positions[2][0][:2])
    chosen = []
    for index, (items, direction) in enumerate(zip(positions, directions)):
        if same_kind and index >= 1:
            p, s = frame
            n = max(k[1] for k in kinds)
            direction = s if index == 1 else _rotation_about(p, np.pi / n) @ s
        for sign, n, primed in items:
            found = None
            for i, (ksign, kn, axis) in enumerate(kinds):
                if (ksign, kn) != (sign, n):
                    continue
                if n == 1 or (sign == -1 and n == 2 and direction is None):
                    ok = True
                elif isinstance(direction, str) and direction.startswith("cubic"):
                    ok = any(_parallel(axis, a) for a in cubic[direction])
                elif isinstance(direction, str):  # "perpendicular"
                    ok = _perpendicular(axis, frame[0])
                else:
                    ok = _parallel(axis, direction)
                if ok:
                    found = i
                    break
            if found is None:
                return None
            chosen.append((found, primed))
    return chosen


def magnetic_symbol(schoenflies: str, elements: np.ndarray, frame) -> str | None:
    """The Hermann-Mauguin symbol with primes of the magnetic group with
    4x4 ``elements`` (diag(R, +-1)) whose image in O(3) has type
    ``schoenflies`` (crystallographic), read in ``frame``; None when not
    crystallographic.  Grey groups end in 1'."""
    base = HERMANN_MAUGUIN.get(schoenflies)
    if base is None:
        return None
    rotations = elements[:, :3, :3]
    theta = elements[:, 3, 3] < 0
    keys = [matrix_key(r) for r in rotations]
    if len(set(keys)) < len(keys):  # an R with and without theta: grey
        return base + "1'"
    named = hm_positions(schoenflies, base, rotations, frame)
    if named is None:
        raise AssertionError(f"{base} does not fit its own group")
    primes = iter(bool(theta[i]) for i, _ in named)
    out = []
    for items in _TOKEN.finditer(base):
        element, _, _ = items.groups()
        text = element + ("'" if next(primes) else "")
        if "/m" in items.group(0):
            text += "/m" + ("'" if next(primes) else "")
        out.append(text)
    return "".join(out)


# ----------------------------------------------------------------------------
# Parsing
# ----------------------------------------------------------------------------

def _standard_frame(p: PointGroup, elements: np.ndarray):
    """The frame (p, s) of P in its standard orientation: z, and x for
    dihedral and orthorhombic groups (a two-fold axis or mirror normal
    there), else the first mirror normal or two-fold axis perpendicular to z
    by the direction order x, y, then the rest."""
    z = np.array([0.0, 0.0, 1.0])
    if p.schoenflies == "C2v":
        return z, np.array([1.0, 0.0, 0.0])
    candidates = []
    for sign, n, axis in (_element_kind(m) for m in elements):
        if n == 2 and axis is not None and _perpendicular(axis, z):
            candidates.append(axis)
    for want in (np.array([1.0, 0, 0]), np.array([0, 1.0, 0])):
        if any(_parallel(a, want) for a in candidates):
            return z, want
    return z, (candidates[0] if candidates else np.array([1.0, 0, 0]))


def _flags_from(named: list[tuple[int, bool]], elements: np.ndarray, p: PointGroup,
                symbol: str) -> tuple[int, ...]:
    """The time-reversal flags of P's generators for a consistent symbol."""
    group = _magnetic_group([elements[i] for i, _ in named], [primed for _, primed in named],
                            len(elements))
    if group is None:
        raise InputError(f"{symbol!r} is not a magnetic point group: its primes are not "
                         "consistent (an element would carry time reversal and not); "
                         + _consistent_hint(p, elements))
    sign = {matrix_key(m[:3, :3]): m[3, 3] for m in group}
    return tuple(1 if sign[matrix_key(g)] < 0 else 0 for g in p.numpy_generators)


def _magnetic_group(rotations, primed, order: int) -> np.ndarray | None:
    """The group generated by the 3x3 ``rotations``, each with theta where
    ``primed``, as 4x4 matrices: when it has ``order`` elements, none of them
    with and without theta (theta is not in it, the primes are consistent);
    else None."""
    group = _closure([_block(r, -1 if f else 1) for r, f in zip(rotations, primed)])
    keys = {matrix_key(r) for r in group[:, :3, :3]}
    return group if len(group) == order and len(keys) == order else None


def _consistent_hint(p: PointGroup, elements: np.ndarray) -> str:
    return f"the primed symbols of {p.hermann_mauguin} are " + ", ".join(
        [p.hermann_mauguin, p.hermann_mauguin + "1'"] + _black_white_symbols(p, elements))


def _black_white_symbols(p: PointGroup, elements: np.ndarray) -> list[str]:
    """Every consistent primed symbol of P (standard frame), except P itself."""
    frame = _standard_frame(p, elements)
    base = p.hermann_mauguin
    named = hm_positions(p.schoenflies, base, elements, frame)
    out = []
    for primes in itertools.product((False, True), repeat=len(named)):
        if not any(primes):
            continue
        group = _magnetic_group([elements[i] for i, _ in named], primes, len(elements))
        if group is not None:
            out.append(magnetic_symbol(p.schoenflies, group, frame))
    return sorted(set(out), key=lambda s: (s.count("'"), s))


def is_magnetic_name(name) -> bool:
    """Whether a name asks for a magnetic group (it carries a prime)."""
    return isinstance(name, str) and "'" in name


def magnetic_point_group(name: str) -> MagneticPointGroup:
    """The magnetic point group with this symbol (module docstring)."""
    if isinstance(name, MagneticPointGroup):
        return name
    if not isinstance(name, str) or not name.strip():
        raise InputError("a magnetic point group is a symbol such as 4/mm'm' or m-3m1'")
    text = name.strip().replace(" ", "")
    bw = re.fullmatch(r"(.+)\((.+)\)", text)
    if bw:
        return _schoenflies_black_white(text, bw.group(1), bw.group(2))
    if text.endswith("'") and "'" not in text[:-1] and _is_schoenflies(text[:-1]):
        text = text[:-1] + "1'"  # Schoenflies' grey C1' = C11'
    grey = text.endswith("1'") and text[:-2] not in ("", "-")
    base_text = text[:-2] if grey else text
    if text == "1'":
        grey, base_text = True, "1"
    plain = base_text.replace("'", "")
    if not grey and plain == base_text:
        raise InputError(f"{name!r} has no prime: it is an ordinary point group, not a "
                         "magnetic one (write its grey group as " f"{plain}1')")
    try:
        p = point_group(plain)
    except InputError:
        from ._spacegroups import is_space_group_name, looks_like_space_group
        if is_space_group_name(plain) or looks_like_space_group(plain):
            raise InputError(f"{name!r} looks like a magnetic space group, not a magnetic "
                             "point group (sbs_gap.groups.grey_space_group and "
                             "magnetic_space_group_type read those)") from None
        raise InputError(f"unknown magnetic point group {name!r}" + _close(text)) from None
    elements = p.numpy_elements
    if grey:
        if "'" in base_text:
            raise InputError(f"{name!r}: a grey group (ending in 1') has no other primes")
        flags = (0,) * len(p.generators)
        return MagneticPointGroup(name=_grey_name(p), point_group=p, time_reversal=flags,
                                  grey=True)
    if not p.is_crystallographic or plain != p.hermann_mauguin:
        if p.is_crystallographic:
            raise InputError(f"{name!r}: primes are read in the standard setting "
                             f"{p.hermann_mauguin!r} of {p.schoenflies}; "
                             + _consistent_hint(p, elements))
        raise InputError(f"unknown magnetic point group {name!r}" + _close(text))
    named = hm_positions(p.schoenflies, base_text, elements, _standard_frame(p, elements))
    if named is None:
        raise InputError(f"unknown magnetic point group {name!r}" + _close(text))
    flags = _flags_from(named, elements, p, name)
    return MagneticPointGroup(name=base_text, point_group=p, time_reversal=flags, grey=False)


def _is_schoenflies(text: str) -> bool:
    try:
        return point_group(text).schoenflies == point_group(text).name
    except InputError:
        return False


def _grey_name(p: PointGroup) -> str:
    return (p.hermann_mauguin or p.schoenflies) + "1'"


def _schoenflies_black_white(text: str, outer: str, inner: str) -> MagneticPointGroup:
    try:
        p = point_group(outer)
        h = point_group(inner)
    except InputError as error:
        raise InputError(f"{text!r}: {error}") from None
    elements = p.numpy_elements
    found = []
    for flags in itertools.product((0, 1), repeat=len(p.generators)):
        if not any(flags):
            continue
        group = _magnetic_group(p.numpy_generators, flags, len(elements))
        if group is None:
            continue
        unitary = group[group[:, 3, 3] > 0][:, :3, :3]
        if point_group_type(unitary) == h.schoenflies:
            found.append((flags, group))
    distinct = {frozenset(matrix_key(m) for m in g): (f, g) for f, g in found}
    if not distinct:
        raise InputError(f"{text!r}: {h.schoenflies} is not a subgroup of index 2 of "
                         f"{p.schoenflies}")
    if len(distinct) > 1:
        frame = _standard_frame(p, elements)
        choices = sorted({magnetic_symbol(p.schoenflies, g, frame) or "?"
                          for f, g in distinct.values()})
        raise InputError(f"{text!r} is ambiguous: {p.schoenflies} has {len(distinct)} "
                         f"subgroups of index 2 of type {h.schoenflies}; write one of "
                         + ", ".join(choices))
    flags, group = next(iter(distinct.values()))
    symbol = magnetic_symbol(p.schoenflies, group, _standard_frame(p, elements))
    return MagneticPointGroup(name=symbol or f"{p.schoenflies}({h.schoenflies})",
                              point_group=p, time_reversal=tuple(flags), grey=False)


def _normalizer_elements(p: PointGroup) -> np.ndarray | None:
    """The elements of a finite overgroup holding N_{O(3)}(P)'s discrete part
    that acts on P's index-2 subgroups (D2nh or Oh, docs/theory.md section 4),
    or None when N's components act trivially on them (the axial groups with
    infinite normalizer: SO(2) and -1 centralize P, the perpendicular
    two-fold maps each rotation to its inverse)."""
    if p.schoenflies in _CUBIC or p.schoenflies in ("D2", "D2h"):
        return point_group("Oh").numpy_elements
    if p.family in ("Cv", "D", "Dh", "Dd") or p.schoenflies in ("C2v", "D2d"):
        return point_group(f"D{2 * p.n}h").numpy_elements
    return None


def _unitary_key(group: np.ndarray) -> frozenset:
    return frozenset(matrix_key(m) for m in group[group[:, 3, 3] > 0][:, :3, :3])


def magnetic_point_group_types() -> list[MagneticPointGroup]:
    """The 122 crystallographic magnetic point group types: for each of the
    32 point groups P (standard orientation), P, the grey P1' and one
    black-white group per class of index-2 subgroups H of P under the
    normalizer of P in O(3) (groups conjugate in O(3) x {1, theta} are one
    type), named by its symbol with the fewest primes, then the earliest."""
    out = []
    for schoenflies, hm in HERMANN_MAUGUIN.items():
        p = point_group(schoenflies)
        elements = p.numpy_elements
        out.append(MagneticPointGroup(name=hm, point_group=p,
                                      time_reversal=(0,) * len(p.generators), grey=False))
        out.append(magnetic_point_group(hm + "1'"))
        overgroup = _normalizer_elements(p)
        own = {matrix_key(m) for m in elements}
        normalizing = [] if overgroup is None else [
            g for g in overgroup
            if {matrix_key(g @ m @ g.T) for m in elements} == own]
        seen: set = set()
        symbols = _black_white_symbols(p, elements)
        symbols.sort(key=lambda s: (s.count("'"), [i for i, c in enumerate(s) if c == "'"]))
        for symbol in symbols:
            group = magnetic_point_group(symbol)
            h = _unitary_key(group.numpy_elements)
            if h in seen:
                continue
            unitary = [m for m in group.numpy_elements if m[3, 3] > 0]
            seen |= {frozenset(matrix_key(g @ m[:3, :3] @ g.T) for m in unitary)
                     for g in normalizing} | {h}
            out.append(group)
    return out


def _close(text: str) -> str:
    names = list(HERMANN_MAUGUIN.values())
    names = names + [n + "1'" for n in names]
    close = difflib.get_close_matches(text, names, n=4, cutoff=0.6)
    return f"; did you mean {', '.join(close)}?" if close else ""
