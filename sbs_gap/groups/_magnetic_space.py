"""The 1 651 magnetic space-group types in the BNS setting (docs/theory.md, section 9).

The table ``data/magnetic_space_groups.json`` is written by
``scripts/generate_magnetic_space_groups.py`` from pymatgen's ISO-MAG table
(symbols) and spglib's magnetic database (UNI, BNS, OG and Litvin numbers),
after checking both agree row by row.  Operations come from spglib at run time
(``get_magnetic_symmetry_from_database``) in the BNS standard setting of
ISO-MAG, the one the symbol spells and the one of :func:`space_group`
(origin choice 2): spglib's own default differs for 227 types (origin choice 1
for the 24 reference groups with two origins, permuted axes for 9
orthorhombic types such as 16.3 P2'2'2), so the table carries, per type, the
Hall setting and the basis and origin change that make spglib's operations
ISO-MAG's (found and checked by the script).  Nothing here imports pymatgen,
and spglib is imported only when operations are asked for.

Names: a BNS number (``136.499``, optionally ``BNS 136.499``) or a BNS symbol
as the table writes it: primes for time reversal, ``1'`` for the grey groups
(``P4_2/mnm1'``, ``Pm-3m1'``), a subscript after the lattice letter for the
anti-translations of type IV (``P_c4/mmm``, ``P_C4_2/mnm``, ``F_Sd-3c``).
Spaces are ignored; underscores of screw axes may be left out (``P42'/mnm'``)
where no other symbol reads the same (``P21'`` is the grey group P2 1', not
``P2_1'``); letter case is free except for the subscript of the lattice
letter, which names the anti-translation (``P_c`` and ``P_C`` are different
groups).  Type-I symbols are the ordinary space-group symbols (``Pm-3m``).

Everything here is pure data: nothing starts GAP.
"""
from __future__ import annotations

import difflib
import json
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np

from ..errors import InputError
from ._spacegroups import quiet_spglib

__all__ = ["MagneticSpaceGroupType", "magnetic_space_group_types", "magnetic_space_group_type",
           "is_magnetic_space_group_name", "grey_type"]

_DATA = Path(__file__).resolve().parent / "data" / "magnetic_space_groups.json"
_COUNT = 1651
_KINDS = ("I", "II", "III", "IV")
_MAX_LENGTH = 100
_HINT = "give a BNS number (136.499) or a BNS symbol (P4_2'/mnm', Pm-3m1', P_c4/mmm)"


@dataclass(frozen=True)
class MagneticSpaceGroupType:
    """One of the 1 651 magnetic space-group types.

    Attributes
    ----------
    uni_number : int
        The UNI number, 1 .. 1651 (the position in BNS order).
    bns_number : str
        The BNS number, ``"136.499"``.
    bns_symbol : str
        The BNS symbol as in ISO-MAG (``"P4_2'/mnm'"``, ``"P_c4/mmm"``).
    og_number : str
        The Opechowski-Guccione number, ``"136.5.1156"``.
    og_symbol : str
        The OG symbol (differs from the BNS symbol for type IV).
    type : int
        1 (no time reversal), 2 (grey), 3 (black-white, primed operations)
        or 4 (black-white with anti-translations).
    number : int
        The BNS reference space group (the first part of the BNS number): the
        family for types I-III, the unitary subgroup for type IV.
    litvin_number : int
        The serial number of Litvin's tables (the last part of the OG number).
    """

    uni_number: int
    bns_number: str
    bns_symbol: str
    og_number: str
    og_symbol: str
    type: int
    number: int
    litvin_number: int

    @property
    def name(self) -> str:
        """The BNS symbol."""
        return self.bns_symbol

    @property
    def kind(self) -> str:
        """The type as a Roman numeral, ``"I"`` .. ``"IV"``."""
        return _KINDS[self.type - 1]

    @property
    def grey(self) -> bool:
        """Whether time reversal alone is an operation (type II)."""
        return self.type == 2

    def operations(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(rotations (n, 3, 3) int, translations (n, 3) float in [0, 1), time
        reversals (n,) int, 1 where the operation carries time reversal),
        modulo the lattice of the standard BNS cell (ISO-MAG's setting),
        centring translations and anti-translations included, from spglib's
        database.  The arrays are read-only (cached)."""
        return _operations(self.uni_number)

    def spglib_setting(self) -> tuple[list | None, list | None]:
        """(P, p): ISO-MAG's setting of this type in the setting of spglib's
        database entry (``x = P x' + p``; None where unchanged)."""
        record = _records()[self.uni_number - 1]
        return record["spglib_basis"], record["spglib_origin"]

    def family_number(self) -> int:
        """ITA number of the space group of the operations with time reversal
        forgotten (the family F: the OG reference group; for type IV its
        lattice is finer than the BNS cell's)."""
        return _family_number(self.uni_number)

    def unitary_number(self) -> int:
        """ITA number of the subgroup of operations without time reversal (D;
        for type III a subgroup of index 2 of the family)."""
        return _unitary_number(self.uni_number)


# ----------------------------------------------------------------------------
# The table
# ----------------------------------------------------------------------------

@lru_cache(maxsize=1)
def _records() -> tuple[dict, ...]:
    return tuple(json.loads(_DATA.read_text(encoding="ascii"))["records"])


@lru_cache(maxsize=1)
def magnetic_space_group_types() -> tuple[MagneticSpaceGroupType, ...]:
    """The 1 651 types, by UNI number (BNS order)."""
    out = tuple(MagneticSpaceGroupType(
        uni_number=r["uni"], bns_number=r["bns_number"], bns_symbol=r["bns_symbol"],
        og_number=r["og_number"], og_symbol=r["og_symbol"], type=r["type"],
        number=r["number"], litvin_number=r["litvin_number"]) for r in _records())
    # a truncated or hand-edited file must not pass silently
    if [t.uni_number for t in out] != list(range(1, _COUNT + 1)):
        raise RuntimeError(f"{_DATA} is damaged: regenerate it with "
                           "scripts/generate_magnetic_space_groups.py")
    return out


def _type(uni: int) -> MagneticSpaceGroupType:
    return magnetic_space_group_types()[uni - 1]


# ----------------------------------------------------------------------------
# Operations and the groups they span
# ----------------------------------------------------------------------------

@lru_cache(maxsize=None)
def _operations(uni: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    import spglib

    record = _records()[uni - 1]
    with quiet_spglib():
        data = spglib.get_magnetic_symmetry_from_database(uni, record["spglib_hall"])
    if data is None:
        raise RuntimeError(f"spglib has no operations for magnetic space group UNI {uni}")
    rotations = np.array(data["rotations"], dtype=int)
    translations = np.array(data["translations"], dtype=float)
    time_reversals = np.array(data["time_reversals"], dtype=int)
    if record["spglib_basis"] is not None or record["spglib_origin"] is not None:
        rotations, translations = _moved(rotations, translations, record["spglib_basis"],
                                         record["spglib_origin"])
    for a in (rotations, translations, time_reversals):
        a.setflags(write=False)
    return rotations, translations, time_reversals


def _moved(rotations: np.ndarray, translations: np.ndarray, basis, origin
           ) -> tuple[np.ndarray, np.ndarray]:
    """The operations in the basis P (columns in the old basis) with origin p
    (old coordinates): x = P x' + p, so (W, w) -> (P^-1 W P, P^-1 (w + W p - p)),
    translations back in [0, 1)."""
    p = np.eye(3, dtype=int) if basis is None else np.array(basis, dtype=int)
    shift = np.zeros(3) if origin is None else np.array(origin, dtype=float)
    inverse = np.round(np.linalg.inv(p)).astype(int)
    new_rotations = np.einsum("ij,njk,kl->nil", inverse, rotations, p)
    moved = (translations + rotations @ shift - shift) @ inverse.T
    moved = np.mod(np.round(moved, 12), 1.0)
    return new_rotations, moved


def _invariant_lattice(rotations: np.ndarray) -> np.ndarray:
    """Basis vectors (rows) whose metric the rotations keep and that has no
    more symmetry than the lattice of their crystal family needs: a generic
    metric averaged over the rotations."""
    generic = np.array([[1.0, 0.13, 0.21], [0.13, 1.37, 0.17], [0.21, 0.17, 1.71]])
    metric = sum(r.T @ generic @ r for r in rotations.astype(float)) / len(rotations)
    return np.linalg.cholesky(metric)


def _space_group_number(rotations: np.ndarray, translations: np.ndarray) -> int:
    """ITA number of the space group of these operations (modulo the lattice,
    centring translations included); duplicates are dropped first, since
    spglib reads each listed operation as a distinct one."""
    import spglib

    seen: dict[tuple, int] = {}
    for i, (r, t) in enumerate(zip(rotations, translations)):
        key = (tuple(r.ravel()), tuple(np.round(np.mod(t, 1.0) * 48).astype(int) % 48))
        seen.setdefault(key, i)
    index = sorted(seen.values())
    rot = np.ascontiguousarray(rotations[index], dtype="intc")
    tr = np.ascontiguousarray(np.mod(translations[index], 1.0), dtype=float)
    with quiet_spglib():
        result = spglib.get_spacegroup_type_from_symmetry(
            rot, tr, lattice=_invariant_lattice(np.unique(rot, axis=0)), symprec=1e-5)
    if result is None:
        raise RuntimeError("spglib could not identify the space group of the operations")
    return int(result.number)


@lru_cache(maxsize=None)
def _family_number(uni: int) -> int:
    rotations, translations, _ = _operations(uni)
    return _space_group_number(rotations, translations)


@lru_cache(maxsize=None)
def _unitary_number(uni: int) -> int:
    rotations, translations, time_reversals = _operations(uni)
    keep = time_reversals == 0
    return _space_group_number(rotations[keep], translations[keep])


# ----------------------------------------------------------------------------
# Names
# ----------------------------------------------------------------------------

_NUMBER = re.compile(r"^(\d{1,4})\.(\d{1,4})$")
_PREFIX = re.compile(r"^BNS\s*[:#]?\s*", re.IGNORECASE)
_SYMBOL_CHARS = re.compile(r"^[A-Za-z0-9_/'.-]+$")
_LATTICE = re.compile(r"^([A-Za-z])(_[A-Za-z])?(.*)$")
# typographic primes and minus signs, as pasted from papers
_TYPOGRAPHY = str.maketrans({"\u2019": "'", "\u2032": "'", "\u02b9": "'", "\u2212": "-"})


def _squeeze(text: str) -> str:
    """The text without spaces and a BNS prefix, with ASCII primes."""
    text = _PREFIX.sub("", text.strip().translate(_TYPOGRAPHY))
    return "".join(text.split())


def _screwless(symbol: str) -> str:
    """The symbol without the underscores of screw axes (``4_2`` -> ``42``);
    the subscript of the lattice letter is kept."""
    m = _LATTICE.match(symbol)
    if m is None:
        return symbol
    letter, subscript, rest = m.groups()
    return letter + (subscript or "") + re.sub(r"_(?=\d)", "", rest)


def _folded(symbol: str) -> str:
    """The screwless symbol in lower case, except the lattice subscript, whose
    case names the anti-translation (``P_c`` vs ``P_C``)."""
    m = _LATTICE.match(_screwless(symbol))
    if m is None:
        return symbol.lower()
    letter, subscript, rest = m.groups()
    return letter.lower() + (subscript or "") + rest.lower()


@lru_cache(maxsize=1)
def _indexes() -> tuple[dict[str, int], dict[tuple[int, int], int], dict[str, list[int]],
                        dict[str, list[int]]]:
    """(symbol -> uni, BNS number -> uni, screwless -> unis, folded -> unis)."""
    exact: dict[str, int] = {}
    numbers: dict[tuple[int, int], int] = {}
    screwless: dict[str, list[int]] = {}
    folded: dict[str, list[int]] = {}
    for t in magnetic_space_group_types():
        exact[t.bns_symbol] = t.uni_number
        first, second = t.bns_number.split(".")
        numbers[int(first), int(second)] = t.uni_number
        screwless.setdefault(_screwless(t.bns_symbol), []).append(t.uni_number)
        folded.setdefault(_folded(t.bns_symbol), []).append(t.uni_number)
    return exact, numbers, screwless, folded


def _label(uni: int) -> str:
    t = _type(uni)
    return f"{t.bns_symbol} ({t.bns_number})"


def _lookup_symbol(squeezed: str) -> list[int]:
    """The types this symbol names: one, several (ambiguous) or none.  An
    exact spelling wins over the tolerant readings."""
    exact, _, screwless, folded = _indexes()
    if squeezed in exact:
        return [exact[squeezed]]
    for index, key in ((screwless, _screwless(squeezed)), (folded, _folded(squeezed))):
        if key in index:
            return index[key]
    return []


def _number_hint(first: int) -> str:
    """Where the BNS numbers of reference group ``first`` lie."""
    _, numbers, _, _ = _indexes()
    seconds = sorted(s for f, s in numbers if f == first)
    if not seconds:
        return "; BNS numbers run from 1.1 to 230.149"
    return f"; the BNS numbers of space group {first} run from {first}.{seconds[0]} " \
           f"to {first}.{seconds[-1]}"


def _suggestions(squeezed: str) -> str:
    """Up to four close matches, for one line of an error message."""
    exact, numbers, _, _ = _indexes()
    if re.match(r"^[\d.]+$", squeezed):
        keys = {f"{f}.{s}": uni for (f, s), uni in numbers.items()}
        probe = squeezed
    else:
        # compare without screw underscores, so that only real differences count
        keys = {}
        for symbol, uni in exact.items():
            keys.setdefault(_screwless(symbol), uni)
        probe = _screwless(squeezed)
    close = difflib.get_close_matches(probe, list(keys), n=4, cutoff=0.6)
    if not close:
        return ""
    return "; did you mean " + ", ".join(_label(keys[k]) for k in close) + "?"


def _shown(text: str) -> str:
    """The text for a one-line message (repr escapes newlines), shortened."""
    return repr(text if len(text) <= 40 else text[:37] + "...")


def magnetic_space_group_type(text: str) -> MagneticSpaceGroupType:
    """The magnetic space-group type named by a BNS number or symbol (module
    docstring).

    Raises
    ------
    InputError
        for a non-string, an unknown or ambiguous name; the one-line message
        names close matches.
    """
    if not isinstance(text, str):
        raise InputError("a magnetic space group is a BNS number or symbol (a string), "
                         f"not {type(text).__name__}")
    if len(text) > _MAX_LENGTH:
        raise InputError(f"unknown magnetic space group {_shown(text)}: longer than "
                         f"{_MAX_LENGTH} characters; {_HINT}")
    squeezed = _squeeze(text)
    if not squeezed or not _SYMBOL_CHARS.match(squeezed):
        raise InputError(f"unknown magnetic space group {_shown(text)}: {_HINT}")
    number = _NUMBER.match(squeezed)
    if number is not None:
        first, second = int(number.group(1)), int(number.group(2))
        uni = _indexes()[1].get((first, second))
        if uni is None:
            raise InputError(f"unknown magnetic space group {_shown(text)}: no BNS number "
                             f"{first}.{second}" + _number_hint(first))
        return _type(uni)
    found = _lookup_symbol(squeezed)
    if len(found) == 1:
        return _type(found[0])
    if found:
        raise InputError(f"magnetic space group {_shown(text)} is ambiguous: "
                         + ", ".join(_label(u) for u in found)
                         + "; write it as one of these")
    raise InputError(f"unknown magnetic space group {_shown(text)}" + (
        _suggestions(squeezed) or f": {_HINT}"))


def is_magnetic_space_group_name(text) -> bool:
    """Whether ``text`` is written as a BNS number (digits.digits, known or
    not: the lookup then says which numbers exist) or is a BNS symbol of the
    table (as :func:`magnetic_space_group_type` reads it; an ambiguous one
    counts).  Type-I symbols are ordinary space-group symbols (``Pm-3m``), so
    a caller that also takes those asks this after its own names."""
    if not isinstance(text, str) or len(text) > _MAX_LENGTH:
        return False
    squeezed = _squeeze(text)
    if not squeezed or not _SYMBOL_CHARS.match(squeezed):
        return False
    return bool(_NUMBER.match(squeezed)) or bool(_lookup_symbol(squeezed))


def grey_type(number: int) -> MagneticSpaceGroupType:
    """The grey (type-II) group G1' of ITA space group ``number`` (1 .. 230)."""
    if isinstance(number, bool) or not isinstance(number, (int, np.integer)) \
            or not 1 <= number <= 230:
        raise InputError(f"a space-group number is an integer from 1 to 230, not {number!r}")
    for t in magnetic_space_group_types():
        if t.type == 2 and t.number == number:
            return t
    raise RuntimeError(f"the table has no grey group of space group {number}")
