"""Reading structures: molecules (XYZ) and crystals (CIF, POSCAR), and
structures already in memory (ase.Atoms, pymatgen Structure/Molecule).

Every reader returns a :class:`Structure` (species, Cartesian positions in
angstrom, and for crystals the lattice) or raises a one-line InputError naming
the file and what was wrong.

The parsing is done by kept libraries: gemmi reads CIF (the syntax, numbers
with uncertainties, operation triplets, Hall and Hermann-Mauguin symbols and
its table of settings), ASE reads XYZ / extended XYZ and POSCAR.  What this
module adds is what those libraries accept silently but would make the
structure wrong here: gemmi's automatic space-group choice ignores the IT
number and the CIF2 (dotted) tags and falls back to P1, and merges symmetry
images up to 0.4 A apart; ASE's POSCAR reader accepts counts that do not
match the species and an unknown coordinate mode, and its XYZ errors do not
say which line is wrong.  So the symmetry of a CIF is resolved and
cross-checked here, POSCAR and XYZ headers are checked before ASE reads the
atoms, and partial occupancy or atoms on one position are refused, never
stacked.
"""
from __future__ import annotations

import io
import math
import re
import sys
from dataclasses import dataclass
from os import PathLike
from pathlib import Path

import numpy as np

from ..errors import InputError
from ..groups import quiet_spglib

__all__ = ["Structure", "read_structure", "read_xyz", "read_cif", "read_poscar", "to_structure",
           "MAX_ATOMS"]

MAX_ATOMS = 5000

# Symmetry images of one CIF site closer than this are one atom (coordinates
# rounded in the file, e.g. 0.3333 for 1/3); any two atoms of a CIF closer
# than _MIN_SEPARATION are a split, mixed or misplaced site and are refused.
_MERGE_IMAGES = 0.1
_MIN_SEPARATION = 0.5
# Atoms listed one by one (POSCAR, extended XYZ crystals, ase, pymatgen)
# are refused only when they coincide.
_COINCIDENT = 0.01
_OCCUPANCY_TOL = 1e-3
_CELL_TOL = 1e-3  # relative tolerance of the metric tensor under the operations


@dataclass(frozen=True)
class Structure:
    """Atoms (species, Cartesian positions in angstrom) and, for crystals, the
    lattice (rows are the basis vectors)."""

    species: tuple[str, ...]
    positions: np.ndarray
    lattice: np.ndarray | None = None

    @property
    def periodic(self) -> bool:
        return self.lattice is not None

    @property
    def fractional(self) -> np.ndarray:
        """Fractional coordinates (crystals)."""
        if self.lattice is None:
            raise InputError("a molecule has no fractional coordinates")
        return self.positions @ np.linalg.inv(self.lattice)


# ----------------------------------------------------------------------------
# Shared checks
# ----------------------------------------------------------------------------

def _element(text: str) -> str | None:
    """The element symbol that a species, type symbol or label starts with
    ("Ti1" -> "Ti", "O2-" -> "O", "OW1" -> "O"), or None."""
    import gemmi

    m = re.match(r"[A-Za-z]+", text.strip())
    if not m:
        return None
    letters = m.group()
    # a second letter counts only in lower case: "CA1" is carbon, "Ca1" calcium
    candidates = [letters[:2]] if len(letters) > 1 and letters[1].islower() else []
    for candidate in candidates + [letters[0]]:
        symbol = gemmi.Element(candidate).name
        if symbol != "X" and symbol.lower() == candidate.lower():
            return symbol
    return None


def _check_count(count: int, name: str) -> None:
    if count > MAX_ATOMS:
        raise InputError(f"{name}: {count} atoms; at most {MAX_ATOMS} are supported")
    if count < 1:
        raise InputError(f"{name}: no atoms")


def _check_finite(positions: np.ndarray, name: str) -> None:
    bad = np.flatnonzero(~np.isfinite(positions).all(axis=1))
    if bad.size:
        raise InputError(f"{name}: atom {bad[0] + 1} has a position that is not a finite number")


def _close_pairs(fractional: np.ndarray, lattice: np.ndarray, limit: float):
    """(i, j, distance) of the first pair of atoms closer than ``limit``
    (periodic images included), or None."""
    n = len(fractional)
    for start in range(0, n, 256):  # chunks keep the n x n differences small
        block = fractional[start:start + 256]
        d = block[:, None, :] - fractional[None, :, :]
        d -= np.round(d)
        dist = np.linalg.norm(d @ lattice, axis=2)
        rows = np.arange(len(block))
        dist[rows, start + rows] = np.inf
        dist[:, :start] = np.inf  # each pair once
        i, j = np.unravel_index(np.argmin(dist), dist.shape)
        if dist[i, j] < limit:
            return start + i, j, float(dist[i, j])
    return None


def _crystal(species, positions, lattice, name: str) -> Structure:
    """A crystal listed atom by atom, refused if two atoms coincide."""
    lattice = np.array(lattice, dtype=float)
    positions = np.array(positions, dtype=float).reshape(-1, 3)
    if not np.isfinite(lattice).all() or abs(np.linalg.det(lattice)) < 1e-9:
        raise InputError(f"{name}: the lattice vectors do not describe a cell")
    _check_count(len(species), name)
    _check_finite(positions, name)
    pair = _close_pairs(positions @ np.linalg.inv(lattice), lattice, _COINCIDENT)
    if pair:
        i, j, d = pair
        raise InputError(f"{name}: atoms {i + 1} ({species[i]}) and {j + 1} ({species[j]}) are "
                         f"on one position ({d:.3f} A apart); stacked atoms are not supported")
    return Structure(tuple(species), positions, lattice)


def _molecule(species, positions, name: str) -> Structure:
    positions = np.array(positions, dtype=float).reshape(-1, 3)
    _check_count(len(species), name)
    _check_finite(positions, name)
    return Structure(tuple(species), positions)


# ----------------------------------------------------------------------------
# In-memory objects: ase.Atoms, pymatgen Structure / Molecule
# ----------------------------------------------------------------------------

def _from_ase(atoms, name: str) -> Structure:
    symbols = atoms.get_chemical_symbols()
    for i, s in enumerate(symbols):
        if _element(s) != s:
            raise InputError(f"{name}: atom {i + 1} has species {s!r}, not an element")
    pbc = tuple(bool(p) for p in atoms.pbc)
    if all(pbc):
        return _crystal(symbols, atoms.get_positions(), atoms.cell.array, name)
    if not any(pbc):
        return _molecule(symbols, atoms.get_positions(), name)
    raise InputError(f"{name}: periodic along some axes only (pbc {pbc}); slabs and wires are "
                     "not supported: use pbc all True (a crystal) or all False (a molecule)")


def _is_pymatgen(obj) -> bool:
    return (any(c.__module__.startswith("pymatgen") for c in type(obj).__mro__)
            and hasattr(obj, "cart_coords") and hasattr(obj, "is_ordered"))


def _from_pymatgen(obj, name: str) -> Structure:
    if not obj.is_ordered:
        bad = [f"site {i + 1} {site.species_string}" for i, site in enumerate(obj)
               if not site.is_ordered]
        raise InputError(f"{name}: partial occupancy is not supported: " + "; ".join(bad[:6])
                         + ("; ..." if len(bad) > 6 else "") + " (every site must hold one "
                         "species, fully occupied)")
    species = []
    for i, site in enumerate(obj):
        symbol = getattr(site.specie, "symbol", str(site.specie))
        element = _element(symbol)
        if element is None or element != re.match(r"[A-Za-z]*", symbol).group():
            raise InputError(f"{name}: site {i + 1} has species {symbol!r}, not an element")
        species.append(element)
    lattice = getattr(obj, "lattice", None)
    if lattice is None:
        return _molecule(species, obj.cart_coords, name)
    return _crystal(species, obj.cart_coords, lattice.matrix, name)


def to_structure(obj, *, block: str | None = None) -> Structure:
    """A :class:`Structure` from what a user holds.

    Parameters
    ----------
    obj : Structure, str, os.PathLike, ase.Atoms, or pymatgen Structure / Molecule
        A Structure is returned as it is; a path is read with
        :func:`read_structure`.  An ``ase.Atoms`` with ``pbc`` all True is a
        crystal (its cell rows are the lattice), with ``pbc`` all False a
        molecule; mixed ``pbc`` is refused.  A pymatgen ``Structure`` is a
        crystal, a ``Molecule`` a molecule; both must be ordered (one
        species per site, fully occupied).  Positions keep the object's
        Cartesian frame.
    block : str, optional
        The data block of a CIF file with several (paths only).

    Raises
    ------
    InputError
        Anything else, a disordered structure, stacked atoms, mixed
        periodicity, or more than ``MAX_ATOMS`` atoms.
    """
    if isinstance(obj, (str, PathLike)):
        return read_structure(obj, block=block)
    if block is not None:
        raise InputError("block= chooses the data block of a CIF file; it needs a path")
    if isinstance(obj, Structure):
        return obj
    ase = sys.modules.get("ase")  # an ase.Atoms exists only if ase is imported
    if ase is not None and isinstance(obj, ase.Atoms):
        return _from_ase(obj, "ase.Atoms")
    if _is_pymatgen(obj):
        return _from_pymatgen(obj, f"pymatgen {type(obj).__name__}")
    raise InputError("a structure is a Structure, a file path, an ase.Atoms or a pymatgen "
                     f"Structure/Molecule, not {type(obj).__name__}")


# ----------------------------------------------------------------------------
# XYZ (ASE's extended XYZ reader)
# ----------------------------------------------------------------------------

def read_xyz(text: str, name: str = "XYZ") -> Structure:
    """A molecule from XYZ text (the first frame).

    Extended XYZ is read too: a comment line with ``Lattice=`` (and ``pbc``
    all true, ASE's default) gives a crystal.
    """
    import ase.io

    lines = text.splitlines()
    if len(lines) < 2:
        raise InputError(f"{name}: an XYZ file starts with the atom count and a comment line")
    try:
        count = int(lines[0].split()[0])
    except (ValueError, IndexError):
        raise InputError(f"{name}: line 1 must be the number of atoms") from None
    # checked before ASE reads: its messages for these do not name the cause
    _check_count(count, name)
    found = sum(1 for line in lines[2:2 + count] if line.strip())
    if found < count:
        raise InputError(f"{name}: {count} atoms announced, {found} lines found")
    try:
        atoms = ase.io.read(io.StringIO(text), format="extxyz", index=0)
    except Exception as exc:  # ASE raises whatever its parsing met (KeyError, ValueError...)
        raise InputError(_xyz_diagnosis(lines, count, name, exc)) from None
    return _from_ase(atoms, name)


def _xyz_diagnosis(lines: list[str], count: int, name: str, exc: Exception) -> str:
    """Which line of an XYZ file ASE could not read."""
    if "properties=" not in lines[1].lower():  # plain columns: Element x y z
        for i, line in enumerate(lines[2:2 + count], start=3):
            parts = line.split()
            if len(parts) < 4:
                return f"{name} line {i}: expected 'Element x y z'"
            for p in parts[1:4]:
                try:
                    float(p)
                except ValueError:
                    return f"{name} line {i}: {p!r} is not a number"
            if _element(parts[0]) != parts[0].capitalize():
                return f"{name} line {i}: {parts[0]!r} is not an element symbol"
    reason = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
    return f"{name}: cannot read the XYZ file ({reason})"


# ----------------------------------------------------------------------------
# POSCAR (ASE's VASP reader)
# ----------------------------------------------------------------------------

def _floats(text: str, n: int, where: str) -> list[float]:
    parts = text.split()
    if len(parts) < n:
        raise InputError(f"{where}: expected {n if n > 1 else 'a'} number{'s' if n > 1 else ''}")
    try:
        values = [float(p) for p in parts[:n]]
    except ValueError:
        raise InputError(f"{where}: expected {n if n > 1 else 'a'} number{'s' if n > 1 else ''}, "
                         f"found {text.strip()!r}") from None
    if not all(math.isfinite(v) for v in values):
        raise InputError(f"{where}: {text.strip()!r} is not finite")
    return values


def read_poscar(text: str, name: str = "POSCAR") -> Structure:
    """A crystal from a POSCAR/CONTCAR (VASP 5: line 6 lists the species)."""
    import ase.io

    lines = [ln.split("!")[0] for ln in text.splitlines()]
    if len(lines) < 8:
        raise InputError(f"{name}: too short for a POSCAR file")
    # The header is checked here: ASE reads mismatched counts, a missing
    # species line or an unknown coordinate mode without complaint.
    scale = lines[1].split()
    _floats(lines[1], 3 if len(scale) >= 3 else 1, f"{name} line 2")
    for i in range(3):
        _floats(lines[2 + i], 3, f"{name} line {i + 3}")
    words = lines[5].split()
    if not words or words[0].lstrip("-").isdigit():
        raise InputError(f"{name}: line 6 must list the species (VASP 5 format)")
    for w in words:
        base = w.split("_")[0].split("/")[0]  # POTCAR labels: Ba_sv, Ba_sv/hash
        if _element(base) != base:
            raise InputError(f"{name} line 6: {w!r} is not an element symbol")
    try:
        counts = [int(x) for x in lines[6].split()]
    except ValueError:
        raise InputError(f"{name} line 7: expected the number of atoms per species") from None
    if len(counts) != len(words) or min(counts, default=0) < 1:
        raise InputError(f"{name} line 7: {len(counts)} counts for {len(words)} species "
                         f"({' '.join(words)}); each species needs a count of at least 1")
    total = sum(counts)
    _check_count(total, name)
    row = 7
    if lines[row].strip()[:1].lower() == "s":  # selective dynamics
        row += 1
    if row >= len(lines) or lines[row].strip()[:1].lower() not in ("d", "c", "k"):
        raise InputError(f"{name} line {row + 1}: expected Direct or Cartesian")
    row += 1
    for i in range(total):
        if row + i >= len(lines):
            raise InputError(f"{name}: {total} positions announced, {i} found")
        _floats(lines[row + i], 3, f"{name} line {row + i + 1}")
    try:
        atoms = ase.io.read(io.StringIO("\n".join(lines) + "\n"), format="vasp")  # no ! notes
    except Exception as exc:  # ASE raises whatever its parsing met
        raise InputError(f"{name}: cannot read the POSCAR file ({exc})") from None
    if len(atoms) != total:
        raise InputError(f"{name}: ASE read {len(atoms)} atoms, the counts say {total}")
    return _from_ase(atoms, name)


# ----------------------------------------------------------------------------
# CIF (gemmi)
# ----------------------------------------------------------------------------

# Each quantity under its CIF1 name and its DDLm (CIF2 dictionary) dotted name.
_CELL = [("_cell_length_a", "_cell.length_a"), ("_cell_length_b", "_cell.length_b"),
         ("_cell_length_c", "_cell.length_c"), ("_cell_angle_alpha", "_cell.angle_alpha"),
         ("_cell_angle_beta", "_cell.angle_beta"), ("_cell_angle_gamma", "_cell.angle_gamma")]
_OPERATIONS = ("_space_group_symop_operation_xyz", "_space_group_symop.operation_xyz",
               "_symmetry_equiv_pos_as_xyz", "_symmetry_equiv.pos_as_xyz")
_HALL = ("_space_group_name_Hall", "_space_group.name_Hall",
         "_symmetry_space_group_name_Hall", "_symmetry.space_group_name_Hall")
_HM = ("_space_group_name_H-M_alt", "_space_group.name_H-M_alt",
       "_symmetry_space_group_name_H-M", "_symmetry.space_group_name_H-M")
_NUMBER = ("_space_group_IT_number", "_space_group.IT_number",
           "_symmetry_Int_Tables_number", "_symmetry.Int_Tables_number")
_COORDINATE_CODE = ("_space_group_IT_coordinate_system_code",
                    "_space_group.IT_coordinate_system_code")


def _lattice_from_parameters(a, b, c, alpha, beta, gamma) -> np.ndarray:
    """Rows a, b, c: a along x, b in the xy plane."""
    ca, cb, cg = (math.cos(math.radians(x)) for x in (alpha, beta, gamma))
    sg = math.sin(math.radians(gamma))
    cx = c * cb
    cy = c * (ca - cb * cg) / sg
    cz2 = c * c - cx * cx - cy * cy
    if cz2 <= 0 or a <= 0 or b <= 0 or c <= 0:
        raise InputError("the cell parameters do not describe a cell")
    return np.array([[a, 0, 0], [b * cg, b * sg, 0], [cx, cy, math.sqrt(cz2)]])


def _values(block, tags) -> list[tuple[str, list[str]]]:
    """(tag, unquoted values) for each of ``tags`` present with a value."""
    from gemmi import cif

    found = []
    for tag in tags:
        column = block.find_values(tag)
        if column:
            values = [cif.as_string(v) for v in column if not cif.is_null(v)]
            if values:
                found.append((tag, values))
    return found


class _Ops:
    """Space-group operations modulo lattice translations, exactly: integer
    rotations W (fractional, acting on columns) and translations in 24ths."""

    DEN = 24

    def __init__(self, rot: np.ndarray, tran: np.ndarray):
        self.rot = np.asarray(rot, dtype=np.int64).reshape(-1, 3, 3)
        self.tran = np.asarray(tran, dtype=np.int64).reshape(-1, 3) % self.DEN
        codes = self.codes(self.rot, self.tran)
        keep = np.sort(np.unique(codes, return_index=True)[1])  # first of duplicates
        self.rot, self.tran, self.code = self.rot[keep], self.tran[keep], codes[keep]

    @classmethod
    def from_gemmi(cls, ops) -> _Ops:
        ops = list(ops)
        return cls(np.array([o.rot for o in ops]) // 24, np.array([o.tran for o in ops]))

    def __len__(self) -> int:
        return len(self.rot)

    @staticmethod
    def codes(rot: np.ndarray, tran: np.ndarray) -> np.ndarray:
        """One integer per operation (rotation entries within -8..7)."""
        flat = rot.reshape(len(rot), 9) + 8
        code = np.zeros(len(rot), dtype=np.int64)
        for k in range(9):
            code = code * 16 + flat[:, k]
        t = tran % 24
        return (code * 24 + t[:, 0]) * 576 + t[:, 1] * 24 + t[:, 2]

    def is_group(self) -> bool:
        rot = np.einsum("aij,bjk->abik", self.rot, self.rot).reshape(-1, 3, 3)
        if np.abs(rot).max() > 7:
            return False
        tran = (np.einsum("aij,bj->abi", self.rot, self.tran) + self.tran[:, None, :])
        return bool(np.isin(self.codes(rot, tran.reshape(-1, 3)), self.code).all())

    def same_up_to_origin(self, other: _Ops) -> bool:
        """The same group, up to a shift of the origin (on the 1/24 grid)."""
        if len(self) != len(other):
            return False
        grid = np.stack(np.meshgrid(*[np.arange(self.DEN)] * 3, indexing="ij"), -1)
        shifts = grid.reshape(-1, 3)
        eye = np.eye(3, dtype=np.int64)
        # (W, w) -> (W, w + (1 - W) s) under the shift s; keep the shifts that
        # map every operation into the other group
        for W, w in zip(self.rot, self.tran):
            moved = (w + shifts @ (eye - W).T) % self.DEN
            rows = np.broadcast_to(W, (len(shifts), 3, 3))
            shifts = shifts[np.isin(self.codes(rows, moved), other.code)]
            if not len(shifts):
                return False
        return True

    def number(self, lattice: np.ndarray) -> int | None:
        """The IT number of the group (spglib), or None."""
        import spglib

        with quiet_spglib():
            kind = spglib.get_spacegroup_type_from_symmetry(
                self.rot.astype("intc"), self.tran / self.DEN, lattice, symprec=1e-5)
        return None if kind is None else int(kind.number)


def _parse_operations(texts: list[str], name: str) -> _Ops:
    import gemmi

    ops = []
    for text in texts:
        # gemmi also reads basis changes ("a,b,c") and hkl triplets
        if not re.fullmatch(r"[-+xyzXYZ0-9/.*,\s]+", text):
            raise InputError(f"{name}: cannot read symmetry operation {text!r}")
        try:
            op = gemmi.parse_triplet(text)
        except RuntimeError as exc:
            raise InputError(f"{name}: cannot read symmetry operation {text!r} ({exc})") from None
        ops.append(op)
    result = _Ops.from_gemmi(ops)
    if np.abs(result.rot).max() > 7 or len(result) > 192:
        raise InputError(f"{name}: the {len(texts)} symmetry operations are not a space group")
    if not result.is_group():
        raise InputError(f"{name}: the {len(result)} symmetry operations do not form a group "
                         "(the list is incomplete or wrong)")
    return result


def _hm_candidates(symbol: str, cell: list[float], code: str | None):
    """gemmi's settings for a Hermann-Mauguin symbol: one, or two origin choices."""
    import gemmi

    text = symbol.replace("_", "").strip()  # "P 2_1/c" -> "P 21/c"
    # ICSD appends S / Z for origin choice 1 / 2, and H / R for the axes
    m = re.fullmatch(r"(.*\S)\s*[\s:]\s*([SZHRszhr])", text)
    if m and ":" not in m.group(1):
        text = m.group(1) + ":" + {"s": "1", "z": "2"}.get(m.group(2).lower(),
                                                          m.group(2).upper())
    texts = [text]
    if code and code.strip().lower() in ("1", "2", "h", "r") and ":" not in text:
        texts.insert(0, text + ":" + code.strip().upper())  # where the symbol has the choice
    for candidate in texts:
        found = {}
        for prefer in "12":
            try:
                sg = gemmi.find_spacegroup_by_name(candidate, cell[3], cell[5], prefer)
            except (RuntimeError, ValueError):
                sg = None
            if sg is not None:
                found[sg.xhm()] = sg
        if found:
            return list(found.values())
    return []


def _cif_symmetry(block, cell: list[float], lattice: np.ndarray, name: str) -> _Ops:
    """The operations a CIF states, each other statement checked against them.

    Priority: the operation loop, else the Hall symbol, else the H-M symbol,
    else the IT number; nothing at all is P1.
    """
    import gemmi

    loops = _values(block, _OPERATIONS)
    halls = _values(block, _HALL)
    hms = _values(block, _HM)
    numbers = _values(block, _NUMBER)
    code = next((v[0] for _, v in _values(block, _COORDINATE_CODE)), None)

    def hall_ops(symbol: str) -> _Ops:
        try:
            return _Ops.from_gemmi(gemmi.symops_from_hall(symbol))
        except RuntimeError as exc:
            raise InputError(f"{name}: cannot read the Hall symbol {symbol!r} ({exc})") from None

    def hm_settings(symbol: str):
        settings = _hm_candidates(symbol, cell, code)
        if not settings:
            raise InputError(f"{name}: unknown Hermann-Mauguin symbol {symbol!r}")
        return settings

    def number_of(tag: str, text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            value = 0
        if not 1 <= value <= 230:
            raise InputError(f"{name}: {tag} {text!r} is not a space-group number 1-230")
        return value

    primary = None  # the (tag, value) the operations come from
    if loops:
        tag, texts = loops[0]
        ops, source = _parse_operations(texts, name), f"the operations of {tag}"
        for other, other_texts in loops[1:]:
            if not np.array_equal(np.sort(_parse_operations(other_texts, name).code),
                                  np.sort(ops.code)):
                raise InputError(f"{name}: the operations of {tag} and {other} differ")
    elif halls:
        primary = (halls[0][0], halls[0][1][0])
        ops, source = hall_ops(primary[1]), f"the Hall symbol {primary[1]!r}"
    elif hms:
        primary = (hms[0][0], hms[0][1][0])
        symbol = primary[1]
        settings = hm_settings(symbol)
        if len(settings) > 1:
            raise InputError(f"{name}: the H-M symbol {symbol!r} has two origin choices ("
                             + ", ".join(repr(s.xhm()) for s in settings) + "); write one of "
                             "them, or give the operations or the Hall symbol")
        ops, source = _Ops.from_gemmi(settings[0].operations()), f"the H-M symbol {symbol!r}"
    elif numbers:
        tag, (text, *_) = numbers[0]
        primary = (tag, text)
        sg = gemmi.find_spacegroup_by_number(number_of(tag, text))
        settings = _hm_candidates(sg.hm, cell, code)  # hexagonal or rhombohedral axes by the cell
        if len(settings) > 1:
            raise InputError(f"{name}: space group {text} has two origin choices ("
                             + ", ".join(repr(s.xhm()) for s in settings) + "); give the H-M "
                             "symbol with its choice, the Hall symbol or the operations")
        ops, source = _Ops.from_gemmi(settings[0].operations()), f"space group number {text}"
    else:
        return _Ops(np.eye(3, dtype=np.int64)[None], np.zeros((1, 3)))  # nothing said: P1

    # every other statement of the symmetry must describe the same group
    for tag, (symbol, *_) in halls:
        if (tag, symbol) != primary and not ops.same_up_to_origin(hall_ops(symbol)):
            raise InputError(f"{name}: {source} and {tag} {symbol!r} describe different "
                             "groups; fix or remove one")
    for tag, (symbol, *_) in hms:
        if (tag, symbol) != primary and not any(
                ops.same_up_to_origin(_Ops.from_gemmi(s.operations()))
                for s in hm_settings(symbol)):
            raise InputError(f"{name}: {source} and {tag} {symbol!r} describe different "
                             "groups; fix or remove one")
    for tag, (text, *_) in numbers:
        if (tag, text) == primary:
            continue
        found = ops.number(lattice)
        if found is None:
            raise InputError(f"{name}: spglib cannot name the group of {source}, so {tag} "
                             f"{text} cannot be checked; fix or remove one")
        if found != number_of(tag, text):
            raise InputError(f"{name}: space group {found} from {source}, but {tag} says "
                             f"{text}; fix or remove one")
    metric = lattice @ lattice.T
    moved = np.einsum("aji,jk,akl->ail", ops.rot, metric, ops.rot)
    if np.abs(moved - metric).max() > _CELL_TOL * np.abs(metric).max():
        raise InputError(f"{name}: the cell ({', '.join(f'{x:g}' for x in cell)}) does not have "
                         f"the symmetry of {source}")
    return ops


def _cif_document(text: str, name: str):
    from gemmi import cif

    def parse(t: str):
        try:
            return cif.read_string(t)
        except (RuntimeError, ValueError) as exc:
            message = re.sub(r"^string:", "line ", str(exc).splitlines()[0])
            if t.lstrip().startswith("#\\#CIF_2.0"):
                message += " (CIF 2.0 lists, tables and triple-quoted texts are not supported)"
            raise InputError(f"{name}: {message}") from None

    if not re.search(r"(?im)^\s*data_", text):  # a bare list of items: one block
        return parse("data_structure\n" + text), False
    return parse(text), True


def _cif_block(doc, has_header: bool, name: str, block: str | None):
    """The only data block, or the one named ``block``."""
    names = [b.name for b in doc]
    if not has_header:
        if block is not None:
            raise InputError(f"{name}: no data block named {block!r} (the file has no data_ "
                             "line)")
        return doc[0]
    if block is None:
        if len(names) > 1:
            raise InputError(f"{name} has {len(names)} data blocks ("
                             + ", ".join(f"data_{n}" for n in names)
                             + "); choose one with --block NAME (block=NAME)")
        return doc[0]
    if block not in names:
        raise InputError(f"{name}: no data block named {block!r}; the blocks are "
                         + ", ".join(names))
    return doc[names.index(block)]


def read_cif(text: str, name: str = "CIF", block: str | None = None) -> Structure:
    """A crystal from CIF text: the cell, the symmetry and the atom sites.

    CIF 1.1 syntax is read (by gemmi), with the CIF1 tags or their DDLm
    dotted forms (``_space_group_symop.operation_xyz``).  The symmetry is
    taken from, in this order: the operation loop
    (``_space_group_symop_operation_xyz``, ``_symmetry_equiv_pos_as_xyz``),
    the Hall symbol, the Hermann-Mauguin symbol (``_space_group_name_H-M_alt``,
    ``_symmetry_space_group_name_H-M``; any setting gemmi knows, such as
    ``P 1 21/n 1``; ICSD's origin suffixes S/Z; hexagonal or rhombohedral
    axes by the cell), the IT number (standard setting).  Every other
    statement present must describe the same group (up to a shift of the
    origin for symbols), else the file is refused; so is a symbol or number
    with two origin choices and nothing to choose between them, and a cell
    whose metric the operations do not keep.  Only a file that states nothing
    about its symmetry is read as P1.

    Every site must be fully occupied (occupancy 1 within 1e-3), and two
    atoms closer than 0.5 A (a mixed, split or misplaced site) are refused;
    symmetry images of one site within 0.1 A are one atom.  A file with
    several data blocks is refused unless ``block`` names one (the text
    after ``data_``).
    """
    from gemmi import cif as gcif

    doc, has_header = _cif_document(text, name)
    data = _cif_block(doc, has_header, name, block)
    cell = []
    for tags in _CELL:
        found = _values(data, tags)
        if not found:
            raise InputError(f"{name}: missing {tags[0]}")
        value = gcif.as_number(found[0][1][0])
        if not math.isfinite(value):
            raise InputError(f"{name}: {found[0][0]} {found[0][1][0]!r} is not a number")
        cell.append(value)
    try:
        lattice = _lattice_from_parameters(*cell)
    except InputError as exc:
        raise InputError(f"{name}: {exc}") from None
    ops = _cif_symmetry(data, cell, lattice, name)

    columns = ["fract_x", "fract_y", "fract_z", "?label", "?type_symbol", "?occupancy"]
    table = None
    for prefix in ("_atom_site_", "_atom_site."):
        found = data.find(prefix, columns)
        if len(found):
            table = found
            break
    if table is None:
        raise InputError(f"{name}: no _atom_site_fract_x loop (fractional coordinates)")
    if not (table.has_column(3) or table.has_column(4)):
        raise InputError(f"{name}: atom sites need _atom_site_type_symbol or _atom_site_label")
    labels, elements, sites, occupancies = [], [], [], []
    for k, row in enumerate(table):
        label = gcif.as_string(row[3]) if row.has(3) else f"site {k + 1}"
        symbol = gcif.as_string(row[4]) if row.has(4) else label
        element = _element(symbol)
        if element is None:
            raise InputError(f"{name}: site {label}: {symbol!r} is not an element symbol")
        xyz = []
        for i in range(3):
            value = gcif.as_number(row[i])
            if not math.isfinite(value):
                raise InputError(f"{name}: site {label}: fract_{'xyz'[i]} {row[i]!r} is not a "
                                 "number")
            xyz.append(value)
        occupancy = gcif.as_number(row[5]) if row.has(5) else 1.0
        labels.append(label)
        elements.append(element)
        sites.append(xyz)
        occupancies.append(1.0 if math.isnan(occupancy) else occupancy)  # "?": unknown
    partial = [f"{lab} {occ:g}" for lab, occ in zip(labels, occupancies)
               if abs(occ - 1) > _OCCUPANCY_TOL]
    if partial:
        raise InputError(f"{name}: partial occupancy is not supported: " + ", ".join(partial[:8])
                         + (", ..." if len(partial) > 8 else "")
                         + " (every site must be fully occupied)")

    metric = lattice @ lattice.T
    species, fractional, owner = [], [], []
    rot, tran = ops.rot.astype(float), ops.tran / ops.DEN
    for k, x in enumerate(np.array(sites, dtype=float)):
        images = (np.einsum("aij,j->ai", rot, x) + tran) % 1.0
        kept: list[np.ndarray] = []
        for y in images:
            if kept:
                d = np.array(kept) - y
                d -= np.round(d)
                if np.sqrt(np.einsum("ai,ij,aj->a", d, metric, d)).min() < _MERGE_IMAGES:
                    continue
            kept.append(y)
        species += [elements[k]] * len(kept)
        fractional += kept
        owner += [k] * len(kept)
    _check_count(len(species), name)
    fractional = np.array(fractional)
    pair = _close_pairs(fractional, lattice, _MIN_SEPARATION)
    if pair:
        i, j, d = pair
        a, b = labels[owner[i]], labels[owner[j]]
        if a == b:
            raise InputError(f"{name}: two symmetry images of site {a} lie {d:.3f} A apart "
                             "(a split site, or a coordinate off its special position)")
        raise InputError(f"{name}: sites {a} ({species[i]}) and {b} ({species[j]}) are on one "
                         f"position ({d:.3f} A apart); mixed or split sites are not supported")
    return Structure(tuple(species), fractional @ lattice, lattice)


# ----------------------------------------------------------------------------
# Files
# ----------------------------------------------------------------------------

def read_structure(path, *, block: str | None = None) -> Structure:
    """Read a molecule (``.xyz``, ``.extxyz``) or a crystal (``.cif``,
    POSCAR/CONTCAR/``.vasp``, or an extended XYZ with a lattice); ``block``
    chooses the data block of a CIF with several."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8", errors="replace")
    except OSError as exc:
        raise InputError(f"cannot read {path}: {exc.strerror}") from None
    lower = path.name.lower()
    if lower.endswith(".cif"):
        return read_cif(text, path.name, block)
    if block is not None:
        raise InputError(f"{path.name}: --block (block=) is for CIF files")
    if lower.endswith((".xyz", ".extxyz")):
        return read_xyz(text, path.name)
    if "poscar" in lower or "contcar" in lower or lower.endswith(".vasp"):
        return read_poscar(text, path.name)
    raise InputError(f"{path.name}: unknown format; use .xyz (molecules), .cif or "
                     "POSCAR/.vasp (crystals)")
