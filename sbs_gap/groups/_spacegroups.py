"""The 230 space-group types in ITA settings (docs/theory.md, section 8).

Names: Hermann-Mauguin symbols, short or full, with or without spaces and
underscores (``Pm-3m``, ``P m -3 m``, ``P4_2/mnm``, ``P 42/m n m``,
``P 1 21/c 1``); a setting after a colon (``Fd-3m:1`` / ``Fd-3m:2`` origin
choice, ``R-3m:H`` / ``R-3m:R`` axes, ``P2_1/c:c1`` unique axis); the ITA
number as ``SG221`` (``SG227:1``), a form no point-group symbol takes.
Letter case is free (``p4mm``, ``PM-3M``: every symbol has one spelling
per case-folded form), and bars may be left out (``Pm3m``, ``Fd3m``,
``Ia3d``, the pre-1983 cubic symbols) where no other symbol reads the same
(``P-1`` stays apart from ``P1``).

Settings are the ITA settings that GAP's Cryst package provides, where the
operations come from: the standard one, both origin choices, unique axis b
or c (cell choice 1) and hexagonal or rhombohedral axes.  The default is
origin choice 2, unique axis b and hexagonal axes, as in Cryst and the
Bilbao Crystallographic Server.  Other cell choices and orthorhombic axis
permutations (``Pbnm``; the monoclinic short forms ``P2_1/n``, ``P2_1/a``)
are refused in one line naming the standard symbol, the number and the
supported settings.

A name that is also a point group (``C2``: Schoenflies C2) is the point group;
space group No. 5 is ``C 1 2 1`` or ``SG5`` (``C121`` is the cyclic point group
C_121).

The symbols come from spglib's table of the 530 Hall settings (only names;
the operations of the GAP path come from Cryst, and tests check that both
agree, setting by setting).
"""
from __future__ import annotations

import contextlib
import difflib
import math
import re
import warnings
from dataclasses import dataclass
from fractions import Fraction
from functools import lru_cache

import numpy as np

from ..errors import InputError
from ..exact import inverse, matmul, rational_matrix

__all__ = ["SpaceGroup", "space_group", "space_group_names", "is_space_group_name",
           "crystal_family", "generic_cell", "parse_cell", "lattice_holohedry",
           "cell_basis", "primitive_basis", "space_group_by_number", "SETTING_CODES",
           "MAX_SUBGROUP_INDEX", "quiet_spglib", "SpaceProblem", "parse_space_problem",
           "parse_operation", "looks_like_space_group"]


@contextlib.contextmanager
def quiet_spglib():
    """spglib 2.7-2.x warns on every call unless a process-wide flag is
    changed; we leave the flag alone (a failure reads as None) and silence
    only its DeprecationWarning, only here."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        yield

#: Cryst's setting characters, by the code the GAP side takes (0: default).
SETTING_CODES = {"": 0, "1": 1, "2": 2, "b": 3, "c": 4, "h": 5, "r": 6}
# spglib's setting choice -> Cryst's setting character
_CRYST_SETTING = {"": "", "1": "1", "2": "2", "b": "b", "c": "c", "b1": "b", "c1": "c",
                  "H": "h", "R": "r"}
_DESCRIPTIONS = {"": "standard", "1": "origin choice 1", "2": "origin choice 2",
                 "b": "unique axis b", "c": "unique axis c", "h": "hexagonal axes",
                 "r": "rhombohedral axes"}

#: The largest index |S : K| accepted for an explicit subgroup K.
MAX_SUBGROUP_INDEX = 96

_FAMILIES = ((2, "triclinic"), (15, "monoclinic"), (74, "orthorhombic"), (142, "tetragonal"),
             (194, "hexagonal"), (230, "cubic"))


def crystal_family(number: int) -> str:
    """The crystal family of space-group type ``number`` (trigonal groups are
    in the hexagonal family)."""
    for last, family in _FAMILIES:
        if number <= last:
            return family
    raise InputError(f"space group numbers run from 1 to 230, not {number}")


@dataclass(frozen=True)
class SpaceGroup:
    """A space-group type in one ITA setting.

    Attributes
    ----------
    number : int
        ITA number, 1..230.
    name : str
        The name results carry: the short symbol (``Pm-3m``), with the
        setting after a colon where it is not the default (``Fd-3m:1``,
        ``R-3m:R``, ``P2_1/c:c1``).
    hermann_mauguin, full_symbol : str
        Short symbol of the type and full symbol of this setting.
    setting : str
        spglib's choice code of the setting (``""`` when the type has one).
    cryst_setting : str
        Cryst's setting character (``""``: its default for the type).
    hall_number : int
        spglib's Hall number of this setting (symbol tables and the
        independent check).
    point_group : str
        Hermann-Mauguin symbol of the point group.
    centering : str
        Lattice symbol: P, A, B, C, F, I or R.
    """

    number: int
    name: str
    hermann_mauguin: str
    full_symbol: str
    setting: str
    cryst_setting: str
    hall_number: int
    point_group: str

    @property
    def crystal_family(self) -> str:
        return crystal_family(self.number)

    @property
    def centering(self) -> str:
        return self.full_symbol[0]

    @property
    def setting_code(self) -> int:
        """The code of :data:`SETTING_CODES` the GAP side takes."""
        return SETTING_CODES[self.cryst_setting]

    @property
    def setting_description(self) -> str:
        return _DESCRIPTIONS[self.cryst_setting]

    @property
    def unique_axis(self) -> str | None:
        if self.crystal_family != "monoclinic":
            return None
        return "c" if self.cryst_setting == "c" else "b"


def _squeeze(symbol: str) -> str:
    return symbol.replace(" ", "").replace("_", "")


@lru_cache(maxsize=1)
def _table() -> tuple[dict[int, SpaceGroup], dict[int, SpaceGroup], dict[str, list[int]],
                      dict[str, tuple[int, str, str]]]:
    """(hall -> group, number -> default group, squeezed name -> halls,
    squeezed name of a setting Cryst lacks -> (number, setting, full symbol))."""
    import spglib

    by_hall: dict[int, SpaceGroup] = {}
    refused: dict[str, tuple[int, str, str]] = {}
    with quiet_spglib():
        raw = {hall: spglib.get_spacegroup_type(hall) for hall in range(1, 531)}
    for hall, t in raw.items():
        if t.choice not in _CRYST_SETTING:
            for form in [t.international_full, *t.international.split("=")]:
                refused.setdefault(_squeeze(form.strip()),
                                   (t.number, t.choice, t.international_full))
    defaults: dict[int, SpaceGroup] = {}
    for hall, t in raw.items():
        if t.choice not in _CRYST_SETTING:
            continue
        cryst = _CRYST_SETTING[t.choice]
        by_hall[hall] = SpaceGroup(
            number=t.number, name="", hermann_mauguin=t.international_short,
            full_symbol=t.international_full, setting=t.choice, cryst_setting=cryst,
            hall_number=hall, point_group=t.pointgroup_international)
    for number in range(1, 231):
        candidates = [g for g in by_hall.values() if g.number == number]
        default = (next((g for g in candidates if g.cryst_setting == "2"), None)
                   or next((g for g in candidates if g.cryst_setting in ("b", "h")), None)
                   or candidates[0])
        defaults[number] = default
    named: dict[int, SpaceGroup] = {}
    for hall, g in by_hall.items():
        default = defaults[g.number]
        name = g.hermann_mauguin if hall == default.hall_number else \
            f"{g.hermann_mauguin}:{g.setting}"
        named[hall] = SpaceGroup(**{**g.__dict__, "name": name})
    defaults = {n: named[g.hall_number] for n, g in defaults.items()}
    index: dict[str, list[int]] = {}

    def add(key: str, hall: int) -> None:
        halls = index.setdefault(_squeeze(key), [])
        if hall not in halls:
            halls.append(hall)

    for hall, g in named.items():
        t = raw[hall]
        add(g.full_symbol, hall)
        for part in t.international.split("="):
            add(part.strip(), hall)
        add(g.name, hall)
        if hall == defaults[g.number].hall_number:
            add(g.hermann_mauguin, hall)
            add(f"SG{g.number}", hall)
        add(f"SG{g.number}:{g.setting}", hall)
        add(f"{g.hermann_mauguin}:{g.setting}", hall)
    return named, defaults, index, refused


def space_group_names() -> list[str]:
    """The default-setting short symbols of the 230 types, by number."""
    return [g.name for _, g in sorted(_table()[1].items())]


_NAME_CHARS = re.compile(r"^[A-Za-z0-9_/ :=+-]+$")


def _monoclinic_short(full: str) -> str | None:
    """The short symbol ITA derives from a monoclinic full symbol by leaving
    out the two 1s (``P 1 2_1/n 1`` -> ``P2_1/n``), or None for other
    symbols.  It does not say the unique axis, so it names no setting alone."""
    tokens = full.split()
    if len(tokens) == 4 and tokens[1:].count("1") == 2:
        return tokens[0] + next(t for t in tokens[1:] if t != "1")
    return None


@lru_cache(maxsize=1)
def _aliases() -> tuple[dict[str, object], dict[str, object],
                        dict[str, list[tuple[int, str, str]]]]:
    """The other spellings of the symbols of :func:`_table`, derived from
    spglib's names (none written here by hand).

    Returns (bar-free key -> value, case-folded key -> value, case-folded
    monoclinic short symbol -> its settings as (number, choice, full
    symbol)); a value is a list of Hall numbers (a supported setting) or the
    (number, choice, full symbol) of a refused one.  A bar-free form that
    another symbol already spells (``P1`` from ``P-1``) is left out.
    """
    named, _, index, refused = _table()
    known: dict[str, object] = {**refused, **index}
    known_folded = {key.lower() for key in known}
    barless: dict[str, object] = {}
    clashes: set[str] = set()
    for key, value in known.items():
        plain = key.replace("-", "")
        if plain == key or plain.lower() in known_folded:
            continue
        if plain in barless and barless[plain] != value:
            clashes.add(plain)
        barless.setdefault(plain, value)
    for plain in clashes:
        del barless[plain]
    folded: dict[str, object] = {}
    ambiguous: set[str] = set()
    for key, value in {**barless, **known}.items():
        low = key.lower()
        if low in folded and folded[low] != value:
            ambiguous.add(low)
        folded.setdefault(low, value)
    for low in ambiguous:  # no symbol is decided by letter case alone
        del folded[low]
    short: dict[str, list[tuple[int, str, str]]] = {}
    settings = [(g.number, g.setting, g.full_symbol) for g in named.values()]
    settings += list(set(refused.values()))
    for number, choice, full in sorted(settings):
        form = _monoclinic_short(full)
        if form is not None:
            entries = short.setdefault(_squeeze(form).lower(), [])
            if (number, choice, full) not in entries:
                entries.append((number, choice, full))
    return barless, folded, short


def _find(squeezed: str) -> object | None:
    """The value of a squeezed symbol (:func:`_aliases`): exact, then without
    bars, then in any letter case; None if unknown."""
    _, _, index, refused = _table()
    barless, folded, _ = _aliases()
    for table in (index, refused, barless):
        if squeezed in table:
            return table[squeezed]
    return folded.get(squeezed.lower())


def _lookup(text: str) -> SpaceGroup | None:
    named, defaults, _, _ = _table()
    squeezed = _squeeze(text)
    m = re.fullmatch(r"(?i:sg)([0-9]{1,3})(?::(.+))?", squeezed)
    if m:
        number = int(m.group(1))
        if not 1 <= number <= 230:
            raise InputError(f"space group numbers run from 1 to 230, not {number} "
                             f"(in {text!r})")
        if m.group(2) is None:
            return defaults[number]
        squeezed = f"SG{number}:{m.group(2)}"
    halls = _find(squeezed)
    if not isinstance(halls, list):
        return None
    if len(halls) > 1:
        numbers = {named[h].number for h in halls}
        if len(numbers) == 1:
            default = defaults[numbers.pop()]
            if default.hall_number in halls:
                return default
        raise InputError(f"space group symbol {text!r} is ambiguous: "
                         f"{', '.join(named[h].name for h in halls)}")
    return named[halls[0]]


def _known_otherwise(squeezed: str) -> bool:
    """A refused setting or a monoclinic short symbol of some setting."""
    return isinstance(_find(squeezed), tuple) or squeezed.lower() in _aliases()[2]


def is_space_group_name(name: str) -> bool:
    """Whether ``name`` names a space group, in a supported setting or not
    (and no point group)."""
    if not isinstance(name, str):
        return False
    try:
        return _lookup(name.strip()) is not None or _known_otherwise(_squeeze(name.strip()))
    except InputError:
        return True


_SCHOENFLIES_LIKE = re.compile(r"^(?i:[CSD]-?[0-9]*[a-z]?|Ih?|T[dh]?|Oh?|V[hd]?)$")


def looks_like_space_group(name) -> bool:
    """Whether an unknown name is better answered with space-group symbols
    than point-group ones: a lattice letter (P, A, B, C, F, I, R) and more,
    not shaped like a Schoenflies name (``C4x`` is a point-group typo,
    ``Pm3q`` a space-group one)."""
    if not isinstance(name, str) or not _NAME_CHARS.match(name.strip() or "?"):
        return False
    text = _squeeze(name.strip())
    return (len(text) >= 2 and text[0].upper() in "PABCFIR"
            and not _SCHOENFLIES_LIKE.match(text.split(":")[0]))


def _settings_list(number: int) -> str:
    named = _table()[0]
    groups = sorted((g for g in named.values() if g.number == number),
                    key=lambda g: (":" in g.name, g.name))
    return ", ".join(f"{g.name} ({g.full_symbol})" for g in groups)


def _refusal(text: str, squeezed: str) -> str | None:
    """The one-line answer for a known symbol of a setting that is not
    supported, or None."""
    defaults = _table()[1]
    value = _find(squeezed)
    if isinstance(value, tuple):
        number, choice, full = value
        return (f"space group {text!r} is {full} (setting {choice}), a non-standard setting "
                f"of {defaults[number].name} (No. {number}) that is not supported; the "
                f"supported settings of No. {number} are {_settings_list(number)}")
    entries = _aliases()[2].get(squeezed.lower())
    if not entries:
        return None
    # unique axis b first, then c, then a (ITA's order of preference)
    entries = sorted(entries, key=lambda e: ("bca".find(e[1].lstrip("-")[:1]), e[1]))
    numbers = sorted({n for n, _, _ in entries})
    fulls = ", ".join(full for _, _, full in entries)
    standard = ", ".join(f"{defaults[n].name} (No. {n})" for n in numbers)
    supported = "; ".join(_settings_list(n) for n in numbers)
    named = _table()[0]
    chosen = {(g.number, g.setting) for g in named.values()}
    if all((n, c) not in chosen for n, c, _ in entries):
        what = f"a non-standard setting of {standard} that is not supported"
    else:
        what = f"ambiguous among settings of {standard}"
    return (f"space group {text!r} is {what}: the short symbol of {fulls} (the unique axis "
            f"is not written); the supported settings are {supported}")


def _space_group_suggestions(squeezed: str) -> list[str]:
    """Up to three space-group names close to an unknown one, each once."""
    named = _table()[0]
    _, folded, _ = _aliases()
    out: list[str] = []
    # settings after a colon only when the name has one
    keys = [k for k in folded if (":" in k) == (":" in squeezed)]
    for key in difflib.get_close_matches(squeezed.lower(), keys, n=12, cutoff=0.75):
        value = folded[key]
        if isinstance(value, list):
            # a symbol of several settings (Pn-3m) stands for the default one
            defaults = {_table()[1][named[h].number].hall_number for h in value}
            out.append(named[min(value, key=lambda h: (h not in defaults, h))].name)
    return list(dict.fromkeys(out))[:3]


def space_group(name: str) -> SpaceGroup:
    """The space group with this symbol, setting or number (module docstring).

    Raises
    ------
    InputError
        for an unknown symbol or number, or a setting that is not supported.
    """
    if not isinstance(name, str):
        raise InputError(f"a space group name must be a string, not {type(name).__name__}")
    text = name.strip()
    if not text or len(text) > 40 or not _NAME_CHARS.match(text):
        raise InputError(f"unknown space group {name!r}: give a Hermann-Mauguin symbol "
                         "(Pm-3m, P4_2/mnm, Fd-3m:1) or a number as SG221")
    group = _lookup(text)
    if group is not None:
        return group
    squeezed = _squeeze(text)
    refusal = _refusal(text, squeezed)
    if refusal is not None:
        raise InputError(refusal)
    close = _space_group_suggestions(squeezed)
    hint = f"; did you mean {', '.join(close)}?" if close else ""
    raise InputError(f"unknown space group {text!r}: give a Hermann-Mauguin symbol "
                     f"(Pm-3m, P4_2/mnm, Fd-3m:1) or a number as SG221{hint}")


# ----------------------------------------------------------------------------
# Metrics and the lattice holohedry
# ----------------------------------------------------------------------------

# generic_cell's cells, by crystal family, and by (family, unique axis) or
# (family, rhombohedral setting) where the family's settings differ
_GENERIC_CELLS = {
    "triclinic": (1.0, 1.1713, 1.3139, 81.37, 86.91, 77.23),
    ("monoclinic", "b"): (1.0, 1.1713, 1.3139, 90.0, 103.71, 90.0),
    ("monoclinic", "c"): (1.0, 1.1713, 1.3139, 90.0, 90.0, 103.71),
    "orthorhombic": (1.0, 1.1713, 1.3139, 90.0, 90.0, 90.0),
    "tetragonal": (1.0, 1.0, 1.3139, 90.0, 90.0, 90.0),
    "hexagonal": (1.0, 1.0, 1.3139, 90.0, 90.0, 120.0),
    ("hexagonal", "r"): (1.0, 1.0, 1.0, 73.13, 73.13, 73.13),
    "cubic": (1.0, 1.0, 1.0, 90.0, 90.0, 90.0),
}


def generic_cell(group: SpaceGroup) -> tuple[float, ...]:
    """Cell parameters (a, b, c, alpha, beta, gamma) with no symmetry beyond
    that of the crystal family (the generic metric of ITA Vol. A ch. 15.2)."""
    family = group.crystal_family
    if family == "monoclinic":
        return _GENERIC_CELLS[family, group.unique_axis]
    if family == "hexagonal" and group.cryst_setting == "r":
        return _GENERIC_CELLS[family, "r"]
    return _GENERIC_CELLS[family]


def cell_basis(cell) -> np.ndarray:
    """Cartesian basis vectors (columns) of the cell (a, b, c, alpha, beta, gamma)."""
    a, b, c, alpha, beta, gamma = cell
    ca, cb, cg = (math.cos(math.radians(x)) for x in (alpha, beta, gamma))
    sg = math.sin(math.radians(gamma))
    cx = c * cb
    cy = c * (ca - cb * cg) / sg
    cz2 = c * c - cx * cx - cy * cy
    if cz2 <= 0:
        raise InputError(f"cell {tuple(cell)} has no volume (its angles are inconsistent)")
    return np.array([[a, b * cg, cx], [0.0, b * sg, cy], [0.0, 0.0, math.sqrt(cz2)]])


def parse_cell(text: str, group: SpaceGroup, tol: float = 1e-4) -> tuple[float, ...]:
    """``a,b,c,alpha,beta,gamma`` checked against the crystal family of ``group``.

    Raises
    ------
    InputError
        for anything but six positive numbers (angles below 180), or a cell
        inconsistent with the family (e.g. a cubic group with a != c).
    """
    parts = [p.strip() for p in str(text).split(",")]
    try:
        values = tuple(float(p) for p in parts)
    except ValueError:
        raise InputError(f"--cell takes six numbers a,b,c,alpha,beta,gamma, not {text!r}") \
            from None
    if len(values) != 6 or not all(math.isfinite(v) and v > 0 for v in values) \
            or not all(v < 180 for v in values[3:]):
        raise InputError(f"--cell takes six positive numbers a,b,c,alpha,beta,gamma "
                         f"(angles in degrees, below 180), not {text!r}")
    a, b, c, al, be, ga = values

    def same(x, y, scale=1.0):
        return abs(x - y) <= tol * scale * max(1.0, abs(x), abs(y))

    family = group.crystal_family
    rules = {
        "cubic": (same(a, b) and same(b, c) and all(same(x, 90, 100) for x in (al, be, ga)),
                  "a = b = c and alpha = beta = gamma = 90"),
        "tetragonal": (same(a, b) and all(same(x, 90, 100) for x in (al, be, ga)),
                       "a = b and alpha = beta = gamma = 90"),
        "orthorhombic": (all(same(x, 90, 100) for x in (al, be, ga)),
                         "alpha = beta = gamma = 90"),
        "triclinic": (True, ""),
    }
    if family == "hexagonal" and group.cryst_setting == "r":
        ok, need = (same(a, b) and same(b, c) and same(al, be, 100) and same(be, ga, 100),
                    "a = b = c and alpha = beta = gamma (rhombohedral axes)")
    elif family == "hexagonal":
        ok, need = (same(a, b) and same(al, 90, 100) and same(be, 90, 100)
                    and same(ga, 120, 100), "a = b, alpha = beta = 90 and gamma = 120")
    elif family == "monoclinic":
        if group.unique_axis == "c":
            ok, need = same(al, 90, 100) and same(be, 90, 100), "alpha = beta = 90"
        else:
            ok, need = same(al, 90, 100) and same(ga, 90, 100), "alpha = gamma = 90"
    else:
        ok, need = rules[family]
    if not ok:
        raise InputError(f"cell {text!r} is inconsistent with the {family} family of "
                         f"{group.name}: it needs {need}")
    cell_basis(values)
    return values


def _lll(basis: np.ndarray) -> np.ndarray:
    """An LLL-reduced basis (columns) of the lattice of ``basis`` as the
    integer matrix U with reduced = basis @ U."""
    b = basis.astype(float).copy()
    u = np.eye(3, dtype=np.int64)
    k = 1
    while k < 3:
        for j in range(k - 1, -1, -1):
            q = round(float(b[:, k] @ b[:, j]) / float(b[:, j] @ b[:, j]))
            if q:
                b[:, k] -= q * b[:, j]
                u[:, k] -= q * u[:, j]
        # Lovasz condition on the Gram-Schmidt vectors
        gs = np.linalg.qr(b)[1]
        if gs[k, k] ** 2 >= (0.75 - (gs[k - 1, k] / gs[k - 1, k - 1]) ** 2) * gs[k - 1, k - 1] ** 2:
            k += 1
        else:
            b[:, [k - 1, k]] = b[:, [k, k - 1]]
            u[:, [k - 1, k]] = u[:, [k, k - 1]]
            k = max(k - 1, 1)
    return u


def lattice_holohedry(primitive: list[list[Fraction]], cell, tol: float = 1e-6
                      ) -> list[list[list[Fraction]]]:
    """The point group of the lattice: every linear map that sends the lattice
    onto itself and keeps the metric of ``cell``, as exact matrices in the
    conventional basis.

    ``primitive`` holds a primitive basis of the lattice (columns, in
    conventional coordinates).  In an LLL-reduced basis the images of the
    basis vectors are lattice vectors of the same lengths with small
    coefficients; the triples with the right inner products are the
    automorphisms.
    """
    conventional = cell_basis(cell)
    p = np.array([[float(x) for x in row] for row in primitive])
    u = _lll(conventional @ p)
    reduced = conventional @ p @ u
    gram = reduced.T @ reduced
    scale = max(gram.diagonal())
    rng = range(-3, 4)
    coeffs = np.array([(i, j, k) for i in rng for j in rng for k in rng if (i, j, k) != (0, 0, 0)])
    vectors = coeffs @ reduced.T
    lengths = np.einsum("ij,ij->i", vectors, vectors)
    candidates = [coeffs[np.abs(lengths - gram[i, i]) <= tol * scale] for i in range(3)]
    found = []
    for c0 in candidates[0]:
        v0 = reduced @ c0
        for c1 in candidates[1]:
            v1 = reduced @ c1
            if abs(v0 @ v1 - gram[0, 1]) > tol * scale:
                continue
            for c2 in candidates[2]:
                v2 = reduced @ c2
                if (abs(v0 @ v2 - gram[0, 2]) > tol * scale
                        or abs(v1 @ v2 - gram[1, 2]) > tol * scale):
                    continue
                m = np.array([c0, c1, c2]).T
                if round(abs(np.linalg.det(m))) == 1:
                    found.append(m)
    # back to the conventional basis, exactly: A = (P U) M (P U)^-1, in
    # integers over one common denominator (many matrices, one inverse)
    pu = matmul(rational_matrix(primitive), rational_matrix(u.tolist()))
    pu_inv = inverse(pu)
    d = math.lcm(*(x.denominator for row in pu for x in row))
    e = math.lcm(*(x.denominator for row in pu_inv for x in row))
    left = np.array([[int(x * d) for x in row] for row in pu], dtype=object)
    right = np.array([[int(x * e) for x in row] for row in pu_inv], dtype=object)
    out = []
    for m in found:
        product = left.dot(np.array(m.tolist(), dtype=object)).dot(right)
        out.append(tuple(tuple(Fraction(int(x), d * e) for x in row) for row in product))
    return out


def primitive_basis(group: SpaceGroup) -> tuple[tuple[Fraction, ...], ...]:
    """A primitive basis (three vectors, conventional coordinates) of the
    lattice of the setting: the Z-span of the conventional basis vectors and
    the centring translations."""
    half, third = Fraction(1, 2), Fraction(1, 3)
    letter = "P" if group.cryst_setting == "r" else group.centering
    extra = {"P": [], "A": [(0, half, half)], "B": [(half, 0, half)],
             "C": [(half, half, 0)], "I": [(half, half, half)],
             "F": [(0, half, half), (half, 0, half), (half, half, 0)],
             "R": [(2 * third, third, third), (third, 2 * third, 2 * third)]}[letter]
    vectors = [tuple(Fraction(int(i == j)) for j in range(3)) for i in range(3)]
    vectors += [tuple(Fraction(x) for x in v) for v in extra]
    return _lattice_basis(vectors)


def _lattice_basis(vectors) -> tuple[tuple[Fraction, ...], ...]:
    """A basis of the Z-span of rational vectors spanning space (Hermite
    reduction of the scaled integer vectors)."""
    den = 1
    for v in vectors:
        for x in v:
            den = den * x.denominator // math.gcd(den, x.denominator)
    rows = [[int(x * den) for x in v] for v in vectors]
    basis = []
    for col in range(3):
        # gcd-reduce column col among the remaining rows (Euclid on rows)
        while True:
            live = [r for r in rows if r[col] != 0]
            if len(live) <= 1:
                break
            live.sort(key=lambda r: abs(r[col]))
            pivot = live[0]
            for r in live[1:]:
                q = r[col] // pivot[col]
                for k in range(3):
                    r[k] -= q * pivot[k]
        live = [r for r in rows if r[col] != 0]
        if live:
            basis.append(live[0])
            rows = [r for r in rows if r is not live[0]]
    return tuple(tuple(Fraction(x, den) for x in r) for r in basis)


def space_group_by_number(number: int) -> SpaceGroup:
    """The default setting of type ``number`` (module docstring)."""
    if not isinstance(number, int) or not 1 <= number <= 230:
        raise InputError(f"space group numbers run from 1 to 230, not {number!r}")
    return _table()[1][number]


# ----------------------------------------------------------------------------
# Space-group problem files: S by name, K by its operations
# ----------------------------------------------------------------------------

_TERM = re.compile(r"([+-]?)(?:([0-9]+(?:/[0-9]+)?)\*?)?([xyz])|([+-]?)([0-9]+(?:/[0-9]+)?)")


def parse_operation(text: str, what: str = "operation"):
    """An operation in ITA's coordinate-triplet notation (``-y,x-y,z+1/3``) as
    an exact affine 4x4 matrix (Fractions), for x -> R x + t."""
    if not isinstance(text, str) or len(text) > 120:
        raise InputError(f"{what}: an operation is a string such as '-y,x,z+1/2'")
    parts = text.replace(" ", "").lower().split(",")
    if len(parts) != 3:
        raise InputError(f"{what}: {text!r} needs three comma-separated coordinates")
    rows = []
    for part in parts:
        row = [Fraction(0)] * 4
        pos = 0
        if not part:
            raise InputError(f"{what}: {text!r} has an empty coordinate")
        while pos < len(part):
            m = _TERM.match(part, pos)
            if not m or m.end() == pos:
                raise InputError(f"{what}: cannot read {part!r} in {text!r}")
            if m.group(3):
                sign = -1 if m.group(1) == "-" else 1
                value = Fraction(m.group(2)) if m.group(2) else Fraction(1)
                row["xyz".index(m.group(3))] += sign * value
            else:
                sign = -1 if m.group(4) == "-" else 1
                row[3] += sign * Fraction(m.group(5))
            pos = m.end()
        rows.append(tuple(row))
    linear = [r[:3] for r in rows]
    det = (linear[0][0] * (linear[1][1] * linear[2][2] - linear[1][2] * linear[2][1])
           - linear[0][1] * (linear[1][0] * linear[2][2] - linear[1][2] * linear[2][0])
           + linear[0][2] * (linear[1][0] * linear[2][1] - linear[1][1] * linear[2][0]))
    if abs(det) != 1:
        raise InputError(f"{what}: {text!r} is not a crystallographic operation "
                         "(its linear part has determinant other than +-1)")
    return tuple(rows) + ((Fraction(0), Fraction(0), Fraction(0), Fraction(1)),)


@dataclass(frozen=True)
class SpaceProblem:
    """A space group S and a subgroup K given by generating operations (in
    S's conventional coordinates; they must include a basis of K's lattice)."""

    name: str
    group: SpaceGroup
    target: tuple
    description: str = ""


def parse_space_problem(data: dict) -> SpaceProblem:
    """``{"name", "space_group", "target": {"operations": [...]}, "description"}``."""
    allowed = ("name", "space_group", "target", "description")
    unknown = [k for k in data if k not in allowed]
    if unknown:
        raise InputError(f"unknown key {unknown[0]!r} in a space-group problem (allowed: "
                         f"{', '.join(allowed)})")
    name = data.get("name")
    if not isinstance(name, str) or not name.strip() or len(name) > 200 or not name.isprintable():
        raise InputError("problem 'name' must be a non-empty printable string of at most 200 "
                         "characters")
    group = space_group(data["space_group"])
    target = data.get("target")
    if not isinstance(target, dict) or list(target) != ["operations"] \
            or not isinstance(target["operations"], list) or not target["operations"]:
        raise InputError("a space-group problem needs \"target\": {\"operations\": [...]} "
                         "(coordinate triplets such as '-y,x,z', with a basis of the lattice "
                         "such as 'x+2,y,z')")
    if len(target["operations"]) > 200:
        raise InputError("a target has at most 200 generating operations")
    operations = tuple(parse_operation(op, f"target operation {i + 1}")
                       for i, op in enumerate(target["operations"]))
    return SpaceProblem(name=name, group=group, target=operations,
                        description=str(data.get("description", "")))
