"""Reading structures: molecules (XYZ) and crystals (CIF, POSCAR).

Every reader returns a :class:`Structure` (species, Cartesian positions in
angstrom, and for crystals the lattice) or raises InputError naming the file,
the line and what was wrong.
"""
from __future__ import annotations

import math
import re
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path

import numpy as np

from ..errors import InputError

__all__ = ["Structure", "read_structure", "read_xyz", "read_cif", "read_poscar", "MAX_ATOMS"]

MAX_ATOMS = 5000


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


_SPECIES = re.compile(r"^[A-Z][a-z]?[a-z]?$")


def _float(text: str, what: str) -> float:
    try:
        value = float(re.sub(r"\(\d+\)$", "", text))  # CIF uncertainties: 4.0(1)
    except ValueError:
        raise InputError(f"{what}: {text!r} is not a number") from None
    if not math.isfinite(value):
        raise InputError(f"{what}: {text!r} is not a finite number")
    return value


def _species(text: str, what: str) -> str:
    name = re.sub(r"[^A-Za-z].*$", "", text)  # "Ti1" -> "Ti", "O2-" -> "O"
    if not _SPECIES.match(name):
        raise InputError(f"{what}: {text!r} is not an element symbol")
    return name


def read_xyz(text: str, name: str = "XYZ") -> Structure:
    lines = text.splitlines()
    if len(lines) < 2:
        raise InputError(f"{name}: an XYZ file starts with the atom count and a comment line")
    try:
        count = int(lines[0].split()[0])
    except (ValueError, IndexError):
        raise InputError(f"{name}: line 1 must be the number of atoms") from None
    if not 1 <= count <= MAX_ATOMS:
        raise InputError(f"{name}: {count} atoms; 1 to {MAX_ATOMS} are supported")
    body = [line for line in lines[2:] if line.strip()]
    if len(body) < count:
        raise InputError(f"{name}: {count} atoms announced, {len(body)} lines found")
    species, positions = [], []
    for i, line in enumerate(body[:count], start=3):
        parts = line.split()
        if len(parts) < 4:
            raise InputError(f"{name} line {i}: expected 'Element x y z'")
        species.append(_species(parts[0], f"{name} line {i}"))
        positions.append([_float(p, f"{name} line {i}") for p in parts[1:4]])
    return Structure(tuple(species), np.array(positions, dtype=float))


def _lattice_from_parameters(a, b, c, alpha, beta, gamma) -> np.ndarray:
    ca, cb, cg = (math.cos(math.radians(x)) for x in (alpha, beta, gamma))
    sg = math.sin(math.radians(gamma))
    cx = c * cb
    cy = c * (ca - cb * cg) / sg
    cz2 = c * c - cx * cx - cy * cy
    if cz2 <= 0 or a <= 0 or b <= 0 or c <= 0:
        raise InputError("the cell parameters do not describe a cell")
    return np.array([[a, 0, 0], [b * cg, b * sg, 0], [cx, cy, math.sqrt(cz2)]])


_SYMOP_TERM = re.compile(r"([+-]?)(\d+(?:/\d+)?|\d*\.\d+)?\*?([xyz])?")


def _parse_symop(text: str, what: str):
    """'-y,x-y,z+1/2' -> (W, w) acting on fractional column vectors."""
    parts = text.replace(" ", "").lower().strip("'\"").split(",")
    if len(parts) != 3:
        raise InputError(f"{what}: symmetry operation {text!r} does not have three parts")
    W = np.zeros((3, 3))
    w = np.zeros(3)
    for row, part in enumerate(parts):
        if not part or not re.fullmatch(r"[-+xyz0-9/.*]+", part):
            raise InputError(f"{what}: cannot read symmetry operation {text!r}")
        pos = 0
        while pos < len(part):
            m = _SYMOP_TERM.match(part, pos)
            if not m or m.end() == pos:
                raise InputError(f"{what}: cannot read symmetry operation {text!r}")
            sign = -1.0 if m.group(1) == "-" else 1.0
            number = float(Fraction(m.group(2))) if m.group(2) else None
            if m.group(3):
                W[row, "xyz".index(m.group(3))] += sign * (number if number is not None else 1)
            elif number is not None:
                w[row] += sign * number
            else:
                raise InputError(f"{what}: cannot read symmetry operation {text!r}")
            pos = m.end()
    return W, w


def _cif_tokens(line: str) -> list[str]:
    return [a or b or c for a, b, c in re.findall(r"'([^']*)'|\"([^\"]*)\"|(\S+)", line)]


def _cif_block(lines: list[str], name: str, block: str | None) -> list[str]:
    """The lines of one data block: the only one, or the one named ``block``."""
    starts = [i for i, ln in enumerate(lines) if ln.strip().lower().startswith("data_")]
    names = [lines[i].strip()[5:] for i in starts]
    if not starts:
        if block is not None:
            raise InputError(f"{name}: no data block named {block!r} (the file has no data_ "
                             "line)")
        return lines
    if block is None:
        if len(starts) > 1:
            raise InputError(f"{name} has {len(starts)} data blocks ("
                             + ", ".join(f"data_{n}" for n in names)
                             + "); choose one with --block NAME (block=NAME)")
        chosen = 0
    elif block in names:
        chosen = names.index(block)
    else:
        raise InputError(f"{name}: no data block named {block!r}; the blocks are "
                         + ", ".join(names))
    end = starts[chosen + 1] if chosen + 1 < len(starts) else len(lines)
    return lines[starts[chosen] + 1:end]


def read_cif(text: str, name: str = "CIF", block: str | None = None) -> Structure:
    """A minimal CIF reader: cell, symmetry operations, atom sites.

    A file with several data blocks is refused unless ``block`` names one
    (the text after ``data_``).
    """
    values: dict[str, str] = {}
    loops: list[tuple[list[str], list[list[str]]]] = []
    lines = [ln for ln in text.splitlines() if ln.strip() and not ln.lstrip().startswith("#")]
    lines = _cif_block(lines, name, block)
    i = 0
    while i < len(lines):
        line = lines[i].strip()
        if line.lower() == "loop_":
            headers, rows, i = [], [], i + 1
            while i < len(lines) and lines[i].strip().startswith("_"):
                headers.append(lines[i].strip().split()[0].lower())
                i += 1
            tokens: list[str] = []
            while i < len(lines) and not lines[i].strip().startswith(("_", "loop_", "data_")):
                tokens += _cif_tokens(lines[i])
                i += 1
            if headers:
                rows = [tokens[k:k + len(headers)] for k in range(0, len(tokens), len(headers))]
                loops.append((headers, [r for r in rows if len(r) == len(headers)]))
            continue
        if line.startswith("_"):
            parts = _cif_tokens(line)
            if len(parts) >= 2:
                values[parts[0].lower()] = parts[1]
        i += 1
    try:
        cell = [_float(values[k], f"{name} {k}") for k in (
            "_cell_length_a", "_cell_length_b", "_cell_length_c", "_cell_angle_alpha",
            "_cell_angle_beta", "_cell_angle_gamma")]
    except KeyError as exc:
        raise InputError(f"{name}: missing {exc.args[0]}") from None
    lattice = _lattice_from_parameters(*cell)
    ops = [(np.eye(3), np.zeros(3))]
    sites = None
    for headers, rows in loops:
        for key in ("_symmetry_equiv_pos_as_xyz", "_space_group_symop_operation_xyz"):
            if key in headers:
                ops = [_parse_symop(r[headers.index(key)], name) for r in rows]
        if "_atom_site_fract_x" in headers:
            sites = (headers, rows)
    if sites is None:
        raise InputError(f"{name}: no _atom_site_fract_x loop")
    headers, rows = sites
    label = "_atom_site_type_symbol" if "_atom_site_type_symbol" in headers else "_atom_site_label"
    if label not in headers:
        raise InputError(f"{name}: atom sites need _atom_site_type_symbol or _atom_site_label")
    species, fractional = [], []
    for r in rows:
        el = _species(r[headers.index(label)], name)
        x = np.array([_float(r[headers.index(f"_atom_site_fract_{c}")], name) for c in "xyz"])
        for W, w in ops:
            y = (W @ x + w) % 1.0
            if not any(s == el and np.allclose(_wrap(y - f), 0, atol=1e-4)
                       for s, f in zip(species, fractional)):
                species.append(el)
                fractional.append(y)
        if len(species) > MAX_ATOMS:
            raise InputError(f"{name}: more than {MAX_ATOMS} atoms in the cell")
    return Structure(tuple(species), np.array(fractional) @ lattice, lattice)


def _wrap(d: np.ndarray) -> np.ndarray:
    return d - np.round(d)


def read_poscar(text: str, name: str = "POSCAR") -> Structure:
    lines = [ln.split("!")[0] for ln in text.splitlines()]
    if len(lines) < 8:
        raise InputError(f"{name}: too short for a POSCAR file")
    scale = _float(lines[1].split()[0], f"{name} line 2")
    lattice = np.array([[_float(x, f"{name} line {i + 3}") for x in lines[2 + i].split()[:3]]
                        for i in range(3)])
    if scale == 0 or abs(np.linalg.det(lattice)) < 1e-12:
        raise InputError(f"{name}: the scale factor and lattice vectors do not describe a cell")
    # A negative scale is the cell volume; lattice and Cartesian positions
    # are scaled alike.
    factor = (-scale / abs(np.linalg.det(lattice))) ** (1 / 3) if scale < 0 else scale
    lattice *= factor
    row = 5
    words = lines[row].split()
    if words and not words[0].lstrip("-").isdigit():
        names = [_species(w, f"{name} line 6") for w in words]
        row += 1
    else:
        raise InputError(f"{name}: line 6 must list the species (VASP 5 format)")
    try:
        counts = [int(x) for x in lines[row].split()]
    except ValueError:
        raise InputError(f"{name} line {row + 1}: expected the number of atoms per species") \
            from None
    if len(counts) != len(names) or min(counts) < 1 or sum(counts) > MAX_ATOMS:
        raise InputError(f"{name} line {row + 1}: counts do not match the species")
    row += 1
    if lines[row].strip()[:1].lower() == "s":  # selective dynamics
        row += 1
    mode = lines[row].strip()[:1].lower()
    if mode not in ("d", "c", "k"):
        raise InputError(f"{name} line {row + 1}: expected Direct or Cartesian")
    row += 1
    total = sum(counts)
    coords = []
    for i in range(total):
        if row + i >= len(lines):
            raise InputError(f"{name}: {total} positions announced, fewer found")
        coords.append([_float(x, f"{name} line {row + i + 1}")
                       for x in lines[row + i].split()[:3]])
    coords = np.array(coords)
    positions = coords @ lattice if mode == "d" else coords * factor
    species = tuple(n for n, c in zip(names, counts) for _ in range(c))
    return Structure(species, positions, lattice)


def read_structure(path, *, block: str | None = None) -> Structure:
    """Read a molecule (``.xyz``) or a crystal (``.cif``, POSCAR/CONTCAR/``.vasp``);
    ``block`` chooses the data block of a CIF with several."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8", errors="replace")
    except OSError as exc:
        raise InputError(f"cannot read {path}: {exc.strerror}") from None
    lower = path.name.lower()
    if lower.endswith(".xyz"):
        return read_xyz(text, path.name)
    if lower.endswith(".cif"):
        return read_cif(text, path.name, block)
    if block is not None:
        raise InputError("--block is for CIF files")
    if "poscar" in lower or "contcar" in lower or lower.endswith(".vasp"):
        return read_poscar(text, path.name)
    raise InputError(f"{path.name}: unknown format; use .xyz (molecules), .cif or "
                     "POSCAR/.vasp (crystals)")


