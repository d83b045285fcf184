"""Finite subgroups of O(3) by Schoenflies name or Hermann-Mauguin symbol.

Standard orientation (docs/theory.md section 7): principal axis z; for Dn, Dnh, Dnd
a two-fold axis along x; for Cnv and Dnh the xz plane is a mirror; for Dnd the
mirrors bisect the two-fold axes; cubic groups with their four-fold (or
two-fold) axes along x, y, z and a three-fold axis along (1,1,1); icosahedral
groups with two-fold axes along x, y, z (and five-fold axes through
(0, +-1, +-phi) and its cyclic permutations).

Letter case is free where the usual case is unambiguous (``OH``, ``c4V``,
``M-3M``); the group keeps the usual spelling as its name.  Names with
several spellings resolve to one canonical group, in the standard
orientation of the canonical name: C1h = C1v = S1 = Cs, S2 = C1i = Ci,
D1 = C2, D1h = C2v, D1d = C2h, S(odd n) = Cnh, Cni = S2n (n odd) or Cnh
(n even), V = D2, Vh = D2h, Vd = D2d.
"""
from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from fractions import Fraction
from functools import cached_property
from typing import TYPE_CHECKING

import numpy as np

from ..errors import InputError
from ..exact import Exact, Rat, cos_pi, sin_pi
from ._closure import matrix_closure

if TYPE_CHECKING:  # imported by sympy_generators only (it takes ~1 s to import)
    import sympy

__all__ = [
    "PointGroup", "point_group", "crystallographic_point_groups", "HERMANN_MAUGUIN",
    "DEFAULT_MAX_ORDER", "point_group_names",
]

#: Groups larger than this are refused unless a caller raises the limit.
DEFAULT_MAX_ORDER = 100_000

Matrix = tuple[tuple[Exact, ...], ...]

#: The 32 crystallographic point groups: canonical Schoenflies -> short HM symbol.
HERMANN_MAUGUIN = {
    "C1": "1", "Ci": "-1", "C2": "2", "Cs": "m", "C2h": "2/m",
    "D2": "222", "C2v": "mm2", "D2h": "mmm",
    "C4": "4", "S4": "-4", "C4h": "4/m", "D4": "422", "C4v": "4mm", "D2d": "-42m",
    "D4h": "4/mmm",
    "C3": "3", "S6": "-3", "D3": "32", "C3v": "3m", "D3d": "-3m",
    "C6": "6", "C3h": "-6", "C6h": "6/m", "D6": "622", "C6v": "6mm", "D3h": "-6m2",
    "D6h": "6/mmm",
    "T": "23", "Th": "m-3", "O": "432", "Td": "-43m", "Oh": "m-3m",
}

# Other spellings of the same groups (settings and full symbols).
_HM_ALIASES = {
    "-4m2": "D2d", "-62m": "D3h", "321": "D3", "312": "D3", "3m1": "C3v", "31m": "C3v",
    "-3m1": "D3d", "-31m": "D3d", "2mm": "C2v", "m2m": "C2v", "2/m2/m2/m": "D2h",
    "4/m2/m2/m": "D4h", "6/m2/m2/m": "D6h", "-32/m": "D3d", "2/m-3": "Th", "m3": "Th",
    "m3m": "Oh", "4/m-32/m": "Oh", "-3m2/m": "D3d", "121": "C2", "1m1": "Cs",
    "12/m1": "C2h",
}
_HM_TO_SCHOENFLIES = {hm: sf for sf, hm in HERMANN_MAUGUIN.items()} | _HM_ALIASES

_POLYHEDRAL_ORDERS = {"T": 12, "Td": 24, "Th": 24, "O": 24, "Oh": 48, "I": 60, "Ih": 120}
_ALIASES = {"V": "D2", "Vh": "D2h", "Vd": "D2d", "C3i": "S6"}

# Schoenflies family patterns; n is a positive integer without leading zeros.
_FAMILY = re.compile(r"^(C|S|D)([1-9][0-9]{0,6})(v|h|d|i)?$")


# ----------------------------------------------------------------------------
# Exact generator matrices
# ----------------------------------------------------------------------------

def _m(*rows) -> Matrix:
    return tuple(tuple(Rat(Fraction(x)) if isinstance(x, (int, Fraction)) else x for x in row)
                 for row in rows)


def rotation_z(numerator: int, denominator: int) -> Matrix:
    """Rotation about z by numerator/denominator of a full turn."""
    c, s = cos_pi(2 * numerator, denominator), sin_pi(2 * numerator, denominator)
    return _m((c, -s, 0), (s, c, 0), (0, 0, 1))


def _rotoreflection_z(order: int) -> Matrix:
    """Rotation by 2*pi/order about z followed by the mirror z -> -z."""
    c, s = cos_pi(2, order), sin_pi(2, order)
    return _m((c, -s, 0), (s, c, 0), (0, 0, -1))


def _vertical_mirror(turns: Fraction) -> Matrix:
    """Mirror in the vertical plane through z at angle turns*pi from the x axis."""
    c, s = cos_pi(2 * turns.numerator, turns.denominator), sin_pi(2 * turns.numerator,
                                                                  turns.denominator)
    return _m((c, s, 0), (s, -c, 0), (0, 0, 1))


INVERSION = _m((-1, 0, 0), (0, -1, 0), (0, 0, -1))
MIRROR_Z = _m((1, 0, 0), (0, 1, 0), (0, 0, -1))        # sigma_h, z -> -z
MIRROR_XZ = _m((1, 0, 0), (0, -1, 0), (0, 0, 1))       # sigma_v, y -> -y
TWOFOLD_X = _m((1, 0, 0), (0, -1, 0), (0, 0, -1))
TWOFOLD_Z = _m((-1, 0, 0), (0, -1, 0), (0, 0, 1))
THREEFOLD_111 = _m((0, 0, 1), (1, 0, 0), (0, 1, 0))    # x -> y -> z -> x
FOURFOLD_Z = rotation_z(1, 4)
ROTOREFLECTION_S4_Z = _rotoreflection_z(4)
_C1, _C2 = cos_pi(1, 5), cos_pi(2, 5)                  # cos(pi/5), cos(2pi/5)
_HALF = Rat(Fraction(1, 2))
FIVEFOLD_0_1_PHI = _m((_C2, -_C1, _HALF), (_C1, _HALF, _C2), (-_HALF, _C2, _C1))


def _family_generators(family: str, n: int) -> tuple[Matrix, ...]:
    rot = (rotation_z(1, n),) if n > 1 else ()
    if family == "C":
        return rot
    if family == "Cv":
        return rot + (MIRROR_XZ,)
    if family == "Ch":
        return rot + (MIRROR_Z,)
    if family == "S":  # S_n with n even: the rotoreflection generates it
        return (_rotoreflection_z(n),)
    if family == "D":
        return rot + (TWOFOLD_X,)
    if family == "Dh":
        return rot + (TWOFOLD_X, MIRROR_Z)
    if family == "Dd":
        return rot + (TWOFOLD_X, _vertical_mirror(Fraction(1, 2 * n)))
    raise AssertionError(family)


_POLYHEDRAL_GENERATORS = {
    "T": (TWOFOLD_Z, THREEFOLD_111),
    "Th": (TWOFOLD_Z, THREEFOLD_111, INVERSION),
    "Td": (TWOFOLD_Z, THREEFOLD_111, ROTOREFLECTION_S4_Z),
    "O": (FOURFOLD_Z, THREEFOLD_111),
    "Oh": (FOURFOLD_Z, THREEFOLD_111, INVERSION),
    "I": (TWOFOLD_Z, THREEFOLD_111, FIVEFOLD_0_1_PHI),
    "Ih": (TWOFOLD_Z, THREEFOLD_111, FIVEFOLD_0_1_PHI, INVERSION),
}


# ----------------------------------------------------------------------------
# The group object
# ----------------------------------------------------------------------------

@dataclass(frozen=True)
class PointGroup:
    """A finite subgroup of O(3) in the standard orientation.

    Attributes
    ----------
    name : str
        The name as asked for (Schoenflies or Hermann-Mauguin), in the usual
        letter case (``OH`` gives ``Oh``).
    schoenflies : str
        Canonical Schoenflies name (``S2`` -> ``Ci``, ``D1`` -> ``C2``, ...).
    family : str
        ``C, Cv, Ch, S, D, Dh, Dd`` (axial, with ``n``) or the polyhedral name;
        ``Ci`` and ``Cs`` are their own families.
    n : int or None
        Order of the principal rotation (axial families only).
    generators : tuple of exact 3x3 matrices
        Exact generators acting on column vectors.
    """

    name: str
    schoenflies: str
    family: str
    n: int | None
    generators: tuple[Matrix, ...]

    @property
    def hermann_mauguin(self) -> str | None:
        """Short Hermann-Mauguin symbol, or None if not crystallographic."""
        return HERMANN_MAUGUIN.get(self.schoenflies)

    @property
    def is_crystallographic(self) -> bool:
        return self.schoenflies in HERMANN_MAUGUIN

    @property
    def expected_order(self) -> int:
        """The order by the textbook formula (GAP computes the actual one)."""
        return _expected_order(self.family, self.n)

    def matrix_data(self):
        """The generators as validated matrix-group data (what the engine registers in
        GAP: :func:`sbs_gap.breaking.gap_order`)."""
        from ._data import MatrixData
        return MatrixData(self.generators, 3)


    @cached_property
    def sympy_generators(self) -> tuple[sympy.Matrix, ...]:
        import sympy
        return tuple(sympy.Matrix([[x.to_sympy() for x in row] for row in g])
                     for g in self.generators)

    @cached_property
    def numpy_generators(self) -> np.ndarray:
        """Generators as a float array of shape (k, 3, 3)."""
        return np.array([[[x.to_float() for x in row] for row in g] for g in self.generators],
                        dtype=float).reshape(len(self.generators), 3, 3)

    @cached_property
    def numpy_elements(self) -> np.ndarray:
        """All elements as a float array (order, 3, 3), the identity first
        (a float closure of the generators; GAP computes the exact group)."""
        return matrix_closure(self.numpy_generators)


def _expected_order(family: str, n: int | None) -> int:
    if family in _POLYHEDRAL_ORDERS:
        return _POLYHEDRAL_ORDERS[family]
    if family in ("C1", "Ci", "Cs"):
        return 1 if family == "C1" else 2
    return {"C": 1, "Cv": 2, "Ch": 2, "S": 1, "D": 2, "Dh": 4, "Dd": 4}[family] * n


_SUFFIX = {None: "", "v": "v", "h": "h", "d": "d", "i": "i"}


def _canonical_family(letter: str, n: int, suffix: str | None) -> tuple[str, int | None]:
    """Canonical (family, n) of a Schoenflies family name, or raise InputError."""
    if letter == "C":
        if suffix is None:
            return ("C1", None) if n == 1 else ("C", n)
        if suffix in ("v", "h"):
            return ("Cs", None) if n == 1 else ("C" + suffix, n)
        if suffix == "i":  # C_n x C_i
            if n == 1:
                return "Ci", None
            return ("S", 2 * n) if n % 2 else ("Ch", n)
    elif letter == "S" and suffix is None:
        if n % 2:  # S_n with n odd is C_nh
            return ("Cs", None) if n == 1 else ("Ch", n)
        if n == 2:
            return "Ci", None
        return "S", n
    elif letter == "D":
        if suffix is None:
            return ("C", 2) if n == 1 else ("D", n)
        if suffix == "h":
            return ("Cv", 2) if n == 1 else ("Dh", n)
        if suffix == "d":
            return ("Ch", 2) if n == 1 else ("Dd", n)
    raise InputError(f"unknown point group family {letter}n{_SUFFIX[suffix]}")


def _canonical_name(family: str, n: int | None) -> str:
    if n is None:
        return family
    return {"C": f"C{n}", "Cv": f"C{n}v", "Ch": f"C{n}h", "S": f"S{n}", "D": f"D{n}",
            "Dh": f"D{n}h", "Dd": f"D{n}d"}[family]


def point_group_names() -> str:
    return ("Schoenflies C1, Ci, Cs, Cn, Cnv, Cnh, S2n, Dn, Dnh, Dnd (n >= 1), T, Td, Th, O, "
            "Oh, I, Ih; or a Hermann-Mauguin symbol such as 1, -1, 2/m, mm2, 4/mmm, -6m2, m-3m")


def point_group(name: str, *, max_order: int = DEFAULT_MAX_ORDER) -> PointGroup:
    """The point group with this Schoenflies name or Hermann-Mauguin symbol.

    Raises
    ------
    InputError
        for an unknown name, a bad ``n`` or a group larger than ``max_order``.
    """
    if not isinstance(name, str):
        raise InputError(f"a point group name must be a string, not {type(name).__name__}")
    text = name.strip()
    if not text or len(text) > 32 or not text.isprintable():
        raise InputError(f"unknown point group {name!r}: expected {point_group_names()}")
    family, n, text = _resolve_any_case(text, max_order)
    canonical = _canonical_name(family, n)
    order = _expected_order(family, n)
    if order > max_order:
        raise InputError(f"point group {text} has order {order}, more than the order limit "
                         f"{max_order}")
    if family in _POLYHEDRAL_GENERATORS:
        gens = _POLYHEDRAL_GENERATORS[family]
    elif family == "C1":
        gens = ()
    elif family == "Ci":
        gens = (INVERSION,)
    elif family == "Cs":
        gens = (MIRROR_Z,)
    else:
        gens = _family_generators(family, n)
    return PointGroup(name=text, schoenflies=canonical, family=family, n=n, generators=gens)


def _case_variants(text: str) -> list[str]:
    """The spellings in the usual letter case: Schoenflies (``OH`` -> ``Oh``,
    ``c4V`` -> ``C4v``) and Hermann-Mauguin (``M-3M`` -> ``m-3m``).  At most
    one of them can name a group: Schoenflies names start with a capital,
    Hermann-Mauguin symbols with a digit, ``-`` or ``m``."""
    variants = [text[:1].upper() + text[1:].lower(), text.lower()]
    return [v for v in dict.fromkeys(variants) if v != text]


def _resolve_any_case(text: str, max_order: int) -> tuple[str, int | None, str]:
    """(family, n, the spelling that resolved): the name as typed, else in
    the usual letter case; the error of the name as typed otherwise."""
    try:
        return (*_resolve(text, max_order, suggest=False), text)
    except InputError as error:
        if not str(error).startswith("unknown point group"):
            raise
    for variant in _case_variants(text):
        try:
            return (*_resolve(variant, max_order, suggest=False), variant)
        except InputError as error:
            if not str(error).startswith("unknown point group"):
                raise
    return (*_resolve(text, max_order), text)  # raises, with suggestions


def _resolve(text: str, max_order: int, suggest: bool = True) -> tuple[str, int | None]:
    text = _ALIASES.get(text, text)
    if text in ("C1", "Ci", "Cs"):
        return text, None
    if text in _POLYHEDRAL_GENERATORS:
        return text, None
    if text in _HM_TO_SCHOENFLIES:
        return _resolve(_HM_TO_SCHOENFLIES[text], max_order)
    m = _FAMILY.match(text)
    if m:
        letter, digits, suffix = m.group(1), m.group(2), m.group(3)
        n = int(digits)
        if letter == "S" and suffix is not None:
            raise InputError(f"unknown point group {text!r}: S{n} takes no suffix")
        if letter == "D" and suffix in ("v", "i"):
            raise InputError(f"unknown point group {text!r}: D{n} takes the suffix h or d")
        # 4n bounds every family's order; refuse before building huge matrices.
        if n > max_order:
            raise InputError(f"bad n in {text!r}: n = {n} gives a group larger than the "
                             f"order limit {max_order}")
        return _canonical_family(letter, n, suffix)
    bad_n = re.match(r"^(C|S|D)(-?\d+)(v|h|d|i)?$", text)
    if bad_n:
        raise InputError(f"bad n in point group {text!r}: n must be a positive integer "
                         f"without leading zeros")
    close = _suggestions(text) if suggest else []
    hint = f" (did you mean {', '.join(close)}?)" if close else ""
    raise InputError(f"unknown point group {text!r}{hint}: expected {point_group_names()}")


def _suggestions(text: str) -> list[str]:
    """Names the user may have meant (close spellings in any letter case,
    each once; a name in another case resolves before this is asked)."""
    known = ["C1", "Ci", "Cs", "T", "Td", "Th", "O", "Oh", "I", "Ih",
             *HERMANN_MAUGUIN.values(), *_HM_ALIASES]
    by_lower = {k.lower(): k for k in dict.fromkeys(known)}
    found = [by_lower[m] for m in difflib.get_close_matches(text.lower(), list(by_lower), n=3)]
    return list(dict.fromkeys(found))


def crystallographic_point_groups() -> list[PointGroup]:
    """The 32 crystallographic point groups, in the usual (International Tables) order."""
    return [point_group(name) for name in HERMANN_MAUGUIN]
