"""Magnetic structures: mCIF files (MAGNDATA style) in and out.

An mCIF gives a crystal (cell, atom sites) and its magnetic moments
(``_atom_site_moment.label`` and ``.crystalaxis_x/y/z``: components in Bohr
magnetons along the unit vectors a/|a|, b/|b|, c/|c| of the cell axes, the
convention of the mCIF dictionary, also pymatgen's), with the magnetic
operations ``_space_group_symop_magn_operation.xyz`` (``x,y,z,+1``: a
triplet and the time-reversal sign) and centrings
``_space_group_symop_magn_centering.xyz``.  The CIF syntax, numbers and
triplets are read by gemmi (``gemmi.cif``, ``gemmi.parse_triplet``);
files are written with gemmi's document API.

Reading expands every site with every operation (centring included): the
position goes to W x + w, the moment to tau det(W) W mu (an axial vector
times the time-reversal sign; mu the moment in lattice coordinates).  An
image that lands on a listed atom (within 0.1 A) must carry that atom's
moment (within ``moment_tol``), so moments that break the stated operations
are refused, as are operations that do not form a group.  A file without
magnetic operations is read as P1 (every atom listed), or, when it has no
moments at all, by :func:`read_cif` (a paramagnetic structure: moments 0).
"""
from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from fractions import Fraction
from os import PathLike
from pathlib import Path

import numpy as np

from ..errors import InputError
from ..groups import magnetic_space_group_types, quiet_spglib
from ._readers import MAX_ATOMS, Structure, read_cif, to_structure

__all__ = ["MagneticCrystal", "read_mcif", "read_magnetic_structure", "write_mcif",
           "is_magnetic_file", "as_magnetic_crystal", "magnetic_symmetry",
           "MOMENT_TOL"]

#: Default tolerance (Bohr magnetons) on moments: images of one atom, the
#: stated operations, spglib's ``mag_symprec``.
MOMENT_TOL = 0.05
_MERGE = 0.1        # angstrom: images of one site within this are one atom
_SEPARATION = 0.5   # angstrom: two different atoms closer than this are refused
_OCCUPANCY_TOL = 1e-3

_MAGN_OPERATIONS = ("_space_group_symop_magn_operation.xyz",
                    "_space_group_symop_magn_operation_xyz",
                    "_space_group_symop.magn_operation_xyz")
_MAGN_CENTERINGS = ("_space_group_symop_magn_centering.xyz",
                    "_space_group_symop_magn_centering_xyz",
                    "_space_group_symop.magn_centering_xyz")
_PLAIN_SYMMETRY = ("_space_group_symop_operation_xyz", "_space_group_symop.operation_xyz",
                   "_symmetry_equiv_pos_as_xyz", "_symmetry_equiv.pos_as_xyz",
                   "_space_group_name_Hall", "_space_group.name_Hall",
                   "_symmetry_space_group_name_Hall", "_space_group_name_H-M_alt",
                   "_space_group.name_H-M_alt", "_symmetry_space_group_name_H-M",
                   "_space_group_IT_number", "_space_group.IT_number",
                   "_symmetry_Int_Tables_number")
_BNS_NUMBER = ("_space_group_magn.number_BNS", "_space_group_magn_number_BNS",
               "_space_group.magn_number_BNS")
_BNS_NAME = ("_space_group_magn.name_BNS", "_space_group_magn_name_BNS",
             "_space_group.magn_name_BNS")
_CELL = ("length_a", "length_b", "length_c", "angle_alpha", "angle_beta", "angle_gamma")
# tags (at the start of a line) that make a .cif a magnetic structure file
_MAGNETIC_TAGS = re.compile(r"(?im)^\s*_(atom_site_moment|space_group_symop[._]magn|"
                            r"space_group_magn|space_group\.magn)")


@dataclass(frozen=True)
class MagneticCrystal:
    """A crystal with a magnetic moment on every atom.

    Attributes
    ----------
    structure : Structure
        Species, Cartesian positions (angstrom) and lattice (rows).
    moments : numpy.ndarray
        (n, 3) Cartesian moments in Bohr magnetons, in the structure's frame
        (0 for atoms without a moment).
    labels : tuple of str
        The site label each atom comes from.
    has_moments : bool
        Whether the file gives moments at all (a moment loop).
    operations : tuple
        The stated magnetic operations (W, w, tau) in the cell's fractional
        coordinates (W integer, w exact in [0, 1), tau +1 or -1), centrings
        included; empty when the file states none.
    stated_bns_number, stated_bns_symbol : str or None
        ``_space_group_magn.number_BNS`` and ``.name_BNS`` as written.
    name : str
        The file name (for messages).
    """

    structure: Structure
    moments: np.ndarray
    labels: tuple[str, ...] = ()
    has_moments: bool = True
    operations: tuple = field(default=(), repr=False)
    stated_bns_number: str | None = None
    stated_bns_symbol: str | None = None
    name: str = "structure"

    @property
    def magnetic(self) -> bool:
        """Whether some moment is nonzero (above :data:`MOMENT_TOL` / 10)."""
        return bool(len(self.moments)) and float(np.abs(self.moments).max()) > MOMENT_TOL / 10

    @property
    def crystal_axis_moments(self) -> np.ndarray:
        """The moments as mCIF writes them: components along a/|a|, b/|b|, c/|c|."""
        lattice = self.structure.lattice
        mu = np.linalg.solve(lattice.T, self.moments.T).T  # lattice coordinates
        return mu * np.linalg.norm(lattice, axis=1)


def _from_crystal_axes(components: np.ndarray, lattice: np.ndarray) -> np.ndarray:
    """Cartesian moments from mCIF crystal-axis components (rows)."""
    unit = lattice / np.linalg.norm(lattice, axis=1)[:, None]
    return np.asarray(components, dtype=float) @ unit


# ----------------------------------------------------------------------------
# Reading
# ----------------------------------------------------------------------------

def _element(text: str) -> str | None:
    """The element a type symbol or label starts with ("Mn1" -> "Mn",
    "O2-" -> "O"), or None."""
    import gemmi

    m = re.match(r"[A-Za-z]+", text.strip())
    if not m:
        return None
    letters = m.group()
    candidates = [letters[:2]] if len(letters) > 1 and letters[1].islower() else []
    for candidate in candidates + [letters[0]]:
        symbol = gemmi.Element(candidate).name
        if symbol != "X" and symbol.lower() == candidate.lower():
            return symbol
    return None


def _document(text: str, name: str, block: str | None):
    from gemmi import cif

    has_header = bool(re.search(r"(?im)^\s*data_", text))
    if not has_header:
        text = "data_structure\n" + text
    try:
        doc = cif.read_string(text)
    except (RuntimeError, ValueError) as exc:
        message = re.sub(r"^string:", "line ", str(exc).splitlines()[0])
        # database files carry stray non-ASCII bytes in free text (citations:
        # "385\xd0386"), which CIF 1.1 does not allow; such a value is never
        # one read here, so it is read as "?" rather than refusing the file
        cleaned = re.sub(r"[^\x00-\x7f]", "?", text)
        if cleaned == text:
            raise InputError(f"{name}: {message}") from None
        try:
            doc = cif.read_string(cleaned)
        except (RuntimeError, ValueError):
            raise InputError(f"{name}: {message}") from None
    names = [b.name for b in doc]
    if block is None:
        if len(names) > 1:
            raise InputError(f"{name} has {len(names)} data blocks ("
                             + ", ".join(f"data_{n}" for n in names)
                             + "); choose one with --block NAME (block=NAME)")
        return doc[0]
    if not has_header or block not in names:
        raise InputError(f"{name}: no data block named {block!r}"
                         + (f"; the blocks are {', '.join(names)}" if has_header else ""))
    return doc[names.index(block)]


def _first(block, tags) -> str | None:
    from gemmi import cif

    for tag in tags:
        values = [cif.as_string(v) for v in block.find_values(tag) if not cif.is_null(v)]
        if values:
            return values[0]
    return None


def _column(block, tags) -> tuple[str, list[str]] | None:
    from gemmi import cif

    for tag in tags:
        values = [cif.as_string(v) for v in block.find_values(tag)]
        if values:
            return tag, values
    return None


def _cell(block, name: str) -> np.ndarray:
    import gemmi
    from gemmi import cif

    values = []
    for item in _CELL:
        text = None
        for tag in (f"_cell_{item}", f"_cell.{item}"):
            found = block.find_value(tag)
            if found is not None:
                text = found
                break
        if text is None:
            raise InputError(f"{name}: missing _cell_{item}")
        value = cif.as_number(text)
        if not math.isfinite(value):
            raise InputError(f"{name}: _cell_{item} {text!r} is not a number")
        values.append(value)
    lattice = np.array(gemmi.UnitCell(*values).orth.mat, dtype=float).T
    if (min(values[:3]) <= 0 or not np.isfinite(lattice).all()
            or abs(np.linalg.det(lattice)) < 1e-6):
        raise InputError(f"{name}: the cell parameters do not describe a cell")
    return lattice


def _operation(text: str, name: str, what: str) -> tuple[np.ndarray, tuple, int]:
    """(W, w in 24ths, tau) from ``x,y,z,+1``."""
    import gemmi

    parts = [p.strip() for p in text.split(",")]
    if len(parts) != 4 or parts[3] not in ("+1", "1", "-1"):
        raise InputError(f"{name}: the {what} {text!r} is not 'x,y,z,+1' (a triplet and the "
                         "time-reversal sign +1 or -1)")
    triplet = ",".join(parts[:3])
    if not re.fullmatch(r"[-+xyzXYZ0-9/.*,\s]+", triplet):
        raise InputError(f"{name}: cannot read the {what} {text!r}")
    try:
        op = gemmi.parse_triplet(triplet)
    except RuntimeError as exc:
        raise InputError(f"{name}: cannot read the {what} {text!r} ({exc})") from None
    W = np.array(op.rot, dtype=np.int64) // gemmi.Op.DEN
    tau = -1 if parts[3] == "-1" else 1
    return W, tuple(int(t) % gemmi.Op.DEN for t in op.tran), tau


def _magnetic_operations(block, name: str):
    """The full list of stated operations (W, w 24ths, tau, text), or None."""
    found = _column(block, _MAGN_OPERATIONS)
    if found is None:
        return None
    _, texts = found
    ops = [(*_operation(t, name, "magnetic operation"), t) for t in texts]
    centering = _column(block, _MAGN_CENTERINGS)
    cens = [(*_operation(t, name, "magnetic centring"), t) for t in centering[1]] \
        if centering else [(np.eye(3, dtype=np.int64), (0, 0, 0), 1, "x,y,z,+1")]
    for W, _, _, text in cens:
        if not np.array_equal(W, np.eye(3)):
            raise InputError(f"{name}: the centring {text!r} is not a translation")
    full: dict[tuple, tuple] = {}
    for W, w, tau, text in ops:
        if abs(round(np.linalg.det(W))) != 1:
            raise InputError(f"{name}: the magnetic operation {text!r} is not an isometry "
                             "of the lattice")
        for _, c, tau_c, c_text in cens:
            t = tuple((a + b) % 24 for a, b in zip(w, c))
            label = text if c_text.replace(" ", "") in ("x,y,z,+1", "x,y,z,1") else \
                f"{text} with centring {c_text}"
            full.setdefault((W.tobytes(), t, tau * tau_c), (W, t, tau * tau_c, label))
    items = list(full.values())
    if len(items) > 2 * 192 * 64:
        raise InputError(f"{name}: too many magnetic operations ({len(items)})")
    rot = np.array([W for W, *_ in items], dtype=np.int64)
    tran = np.array([w for _, w, *_ in items], dtype=np.int64)
    sign = np.array([tau for *_, tau, _ in items], dtype=np.int64)
    if np.abs(rot).max() > 7:
        raise InputError(f"{name}: the magnetic operations are not a space group's")
    # every product (W1 W2, W1 w2 + w1, tau1 tau2) must be listed
    products = (_codes(np.einsum("aij,bjk->abik", rot, rot).reshape(-1, 3, 3),
                       (np.einsum("aij,bj->abi", rot, tran) + tran[:, None, :]).reshape(-1, 3),
                       np.outer(sign, sign).ravel()))
    if not np.isin(products, _codes(rot, tran, sign)).all():
        raise InputError(f"{name}: the {len(items)} magnetic operations (centrings "
                         "included) do not form a group (the list is incomplete or wrong)")
    return items


def _codes(rot: np.ndarray, tran: np.ndarray, sign: np.ndarray) -> np.ndarray:
    """One integer per operation (W entries within -7..7, w in 24ths, tau)."""
    if np.abs(rot).max() > 7:
        return np.full(len(rot), -1, dtype=np.int64)
    code = np.zeros(len(rot), dtype=np.int64)
    for k in range(9):
        code = code * 16 + rot.reshape(len(rot), 9)[:, k] + 8
    t = tran % 24
    return ((code * 24 + t[:, 0]) * 576 + t[:, 1] * 24 + t[:, 2]) * 2 + (sign < 0)


def _sites(block, name: str):
    """(labels, elements, fractional positions) of the atom-site loop."""
    from gemmi import cif

    columns = ["fract_x", "fract_y", "fract_z", "?label", "?type_symbol", "?occupancy"]
    table = None
    for prefix in ("_atom_site_", "_atom_site."):
        found = block.find(prefix, columns)
        if len(found):
            table = found
            break
    if table is None:
        raise InputError(f"{name}: no _atom_site_fract_x loop (fractional coordinates)")
    if not (table.has_column(3) or table.has_column(4)):
        raise InputError(f"{name}: atom sites need _atom_site_type_symbol or _atom_site_label")
    labels, elements, sites = [], [], []
    for k, row in enumerate(table):
        label = cif.as_string(row[3]) if row.has(3) else f"site{k + 1}"
        symbol = cif.as_string(row[4]) if row.has(4) else label
        element = _element(symbol)
        if element is None:
            raise InputError(f"{name}: site {label}: {symbol!r} is not an element symbol")
        xyz = [cif.as_number(row[i]) for i in range(3)]
        if not all(math.isfinite(v) for v in xyz):
            raise InputError(f"{name}: site {label}: a fractional coordinate is not a number")
        occupancy = cif.as_number(row[5]) if row.has(5) else 1.0
        if math.isfinite(occupancy) and abs(occupancy - 1) > _OCCUPANCY_TOL:
            raise InputError(f"{name}: site {label} has occupancy {occupancy:g}; partial "
                             "occupancy is not supported")
        if label in labels:
            raise InputError(f"{name}: the site label {label} is used twice")
        labels.append(label)
        elements.append(element)
        sites.append(xyz)
    return labels, elements, np.array(sites, dtype=float).reshape(-1, 3)


def _moment_table(block, name: str) -> dict[str, np.ndarray] | None:
    """Crystal-axis components by site label, or None without a moment loop."""
    from gemmi import cif

    for prefix in ("_atom_site_moment.", "_atom_site_moment_"):
        table = block.find(prefix, ["label", "crystalaxis_x", "crystalaxis_y",
                                    "crystalaxis_z"])
        if len(table):
            break
    else:
        for prefix in ("_atom_site_moment.", "_atom_site_moment_"):
            if block.find_values(prefix + "label"):
                raise InputError(f"{name}: the moment loop needs {prefix}crystalaxis_x, "
                                 "_y and _z (components along the cell axes, Bohr "
                                 "magnetons)")
        return None
    moments: dict[str, np.ndarray] = {}
    for row in table:
        label = cif.as_string(row[0])
        if label in moments:
            raise InputError(f"{name}: two moments for site {label}")
        values = [cif.as_number(row[i]) for i in (1, 2, 3)]
        if not all(math.isfinite(v) for v in values):
            raise InputError(f"{name}: the moment of {label} has a component that is not a "
                             "number")
        moments[label] = np.array(values)
    return moments


def _vector(v) -> str:
    return "(" + ", ".join(f"{x:.3f}" for x in v) + ")"


def read_mcif(text: str, name: str = "mCIF", block: str | None = None, *,
              moment_tol: float = MOMENT_TOL) -> MagneticCrystal:
    """A magnetic crystal from mCIF text (module docstring).

    Raises
    ------
    InputError
        Unreadable CIF, a missing cell or atom loop, operations that are not
        ``x,y,z,+1`` triplets or do not form a group, partial occupancy,
        moments for unknown labels, images that put two atoms on one position
        or give one atom two moments (moments breaking the operations), and
        moments with ordinary (non-magnetic) symmetry operations.
    """
    if not moment_tol > 0:
        raise InputError("the moment tolerance must be positive")
    data = _document(text, name, block)
    ops = _magnetic_operations(data, name)
    table = _moment_table(data, name)
    bns_number = _first(data, _BNS_NUMBER)
    bns_symbol = _first(data, _BNS_NAME)
    if ops is None and table is None:  # no moments, no magnetic operations: a crystal
        structure = read_cif(text, name, block)
        return MagneticCrystal(structure, np.zeros((len(structure.species), 3)),
                               labels=(), has_moments=False, name=name,
                               stated_bns_number=bns_number, stated_bns_symbol=bns_symbol)
    lattice = _cell(data, name)
    labels, elements, sites = _sites(data, name)
    unknown = [label for label in (table or {}) if label not in labels]
    if unknown:
        raise InputError(f"{name}: the moment of {unknown[0]!r}: no atom site has that label")
    if ops is None:
        plain = [t for t in _PLAIN_SYMMETRY if data.find_values(t)]
        if plain:
            raise InputError(f"{name}: moments with ordinary symmetry ({plain[0]}): give the "
                             "magnetic operations (_space_group_symop_magn_operation.xyz, "
                             "with the time-reversal sign) or list every atom in P1")
        ops = [(np.eye(3, dtype=np.int64), (0, 0, 0), 1, "x,y,z,+1")]
    table = table or {}
    lengths = np.linalg.norm(lattice, axis=1)
    positions: list[np.ndarray] = []
    moments: list[np.ndarray] = []   # lattice coordinates
    owner: list[int] = []
    species: list[str] = []
    rot = np.array([W for W, *_ in ops], dtype=float)
    tran = np.array([w for _, w, *_ in ops], dtype=float) / 24
    signs = np.array([tau * round(np.linalg.det(W)) for W, _, tau, _ in ops], dtype=float)
    for k, (label, element, x) in enumerate(zip(labels, elements, sites)):
        mu = table.get(label, np.zeros(3)) / lengths
        images = (np.einsum("aij,j->ai", rot, x) + tran) % 1.0
        image_moments = signs[:, None] * np.einsum("aij,j->ai", rot, mu)
        for y, m, op in zip(images, image_moments, ops):
            if positions:
                d = np.array(positions) - y
                d -= np.round(d)
                dist = np.linalg.norm(d @ lattice, axis=1)
                j = int(np.argmin(dist))
                if dist[j] < _MERGE:
                    if species[j] != element:
                        raise InputError(f"{name}: sites {labels[owner[j]]} ({species[j]}) and "
                                         f"{label} ({element}) are on one position")
                    delta = (moments[j] - m) @ lattice
                    if np.linalg.norm(delta) > moment_tol:
                        raise InputError(
                            f"{name}: the moments break the stated magnetic operation "
                            f"{op[3]!r}: it takes site {label} to the atom of site "
                            f"{labels[owner[j]]} at {_vector(positions[j])} with moment "
                            f"{_vector(m * lengths)}, where that atom has "
                            f"{_vector(moments[j] * lengths)} (crystal axes, mu_B)")
                    continue
                if dist[j] < _SEPARATION:
                    raise InputError(f"{name}: sites {labels[owner[j]]} and {label} put two "
                                     f"atoms {dist[j]:.3f} A apart (a split, mixed or "
                                     "misplaced site)")
            positions.append(y)
            moments.append(m)
            owner.append(k)
            species.append(element)
            if len(positions) > MAX_ATOMS:
                raise InputError(f"{name}: more than {MAX_ATOMS} atoms in the cell")
    if not positions:
        raise InputError(f"{name}: no atoms")
    frac = np.array(positions)
    cartesian_moments = np.array(moments) @ lattice
    structure = Structure(tuple(species), frac @ lattice, lattice)
    exact_ops = tuple((W.copy(), tuple(Fraction(int(x), 24) for x in w), tau)
                      for W, w, tau, _ in ops)
    crystal = MagneticCrystal(structure, cartesian_moments, tuple(labels[k] for k in owner),
                              has_moments=bool(table), operations=exact_ops,
                              stated_bns_number=bns_number, stated_bns_symbol=bns_symbol,
                              name=name)
    _check_stated_type(crystal, name)
    return crystal


def _check_stated_type(crystal: MagneticCrystal, name: str) -> None:
    """The stated BNS number, if any, must be the type of the stated operations
    (spglib's ``get_magnetic_spacegroup_type_from_symmetry``)."""
    import spglib

    if crystal.stated_bns_number is None or len(crystal.operations) <= 1:
        return
    rotations = np.array([W for W, _, _ in crystal.operations], dtype="intc")
    translations = np.array([[float(x) for x in w] for _, w, _ in crystal.operations])
    flags = np.array([0 if tau == 1 else 1 for _, _, tau in crystal.operations], dtype="intc")
    with quiet_spglib():
        found = spglib.get_magnetic_spacegroup_type_from_symmetry(
            rotations, translations, flags, crystal.structure.lattice, symprec=1e-3)
    if found is None:
        return
    stated = crystal.stated_bns_number.strip()
    if found.bns_number != stated:
        record = magnetic_space_group_types()[int(found.uni_number) - 1]
        raise InputError(f"{name}: _space_group_magn.number_BNS says {stated}, but the "
                         f"stated magnetic operations are {record.bns_symbol} "
                         f"({record.bns_number}); fix or remove one")


def read_magnetic_structure(path, *, block: str | None = None,
                            moment_tol: float = MOMENT_TOL) -> MagneticCrystal:
    """A magnetic crystal from a file: an mCIF (``.mcif``, or a ``.cif`` with
    magnetic tags) by :func:`read_mcif`; any other crystal file (CIF, POSCAR)
    as a structure without moments."""
    path = Path(path)
    lower = path.name.lower()
    if lower.endswith((".mcif", ".cif")):
        try:
            text = path.read_text(encoding="utf-8", errors="replace")
        except OSError as exc:
            raise InputError(f"cannot read {path}: {exc.strerror}") from None
        return read_mcif(text, path.name, block, moment_tol=moment_tol)
    structure = to_structure(path, block=block)
    if not structure.periodic:
        raise InputError(f"{path.name}: a molecule; magnetic structures are crystals")
    return MagneticCrystal(structure, np.zeros((len(structure.species), 3)),
                           has_moments=False, name=path.name)


def is_magnetic_file(path) -> bool:
    """Whether a path names a magnetic structure file: ``.mcif``, or a
    ``.cif`` with moments or magnetic operations (a cheap look at the tags)."""
    if isinstance(path, MagneticCrystal):
        return True
    if not isinstance(path, (str, PathLike)):
        return False
    path = Path(path)
    lower = path.name.lower()
    if lower.endswith(".mcif"):
        return True
    if not lower.endswith(".cif"):
        return False
    try:
        text = path.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return False  # the reader says why
    return bool(_MAGNETIC_TAGS.search(text))


def as_magnetic_crystal(obj, what: str = "structure", *, moment_tol: float = MOMENT_TOL
                        ) -> MagneticCrystal:
    """A :class:`MagneticCrystal` from a path (:func:`read_magnetic_structure`),
    a MagneticCrystal, or a structure without moments (Structure, ase.Atoms,
    pymatgen Structure)."""
    if isinstance(obj, MagneticCrystal):
        return obj
    if isinstance(obj, (str, PathLike)):
        return read_magnetic_structure(obj, moment_tol=moment_tol)
    structure = to_structure(obj)
    if not structure.periodic:
        raise InputError(f"the {what} structure is not periodic")
    return MagneticCrystal(structure, np.zeros((len(structure.species), 3)),
                           has_moments=False, name=what)


def magnetic_symmetry(crystal: MagneticCrystal, symprec: float = 1e-3,
                      moment_tol: float = MOMENT_TOL):
    """spglib's magnetic symmetry dataset of a magnetic crystal (Cartesian
    moments as axial vectors; ``mag_symprec`` = ``moment_tol``)."""
    import spglib

    structure = crystal.structure
    names = sorted(set(structure.species))
    numbers = [names.index(s) + 1 for s in structure.species]
    cell = (structure.lattice, structure.fractional % 1.0, numbers, crystal.moments)
    errors: tuple = (getattr(spglib, "SpglibError", None) or ValueError,)
    try:
        with quiet_spglib():
            dataset = spglib.get_magnetic_symmetry_dataset(cell, symprec=symprec,
                                                           mag_symprec=moment_tol)
    except errors as exc:
        raise InputError(f"{crystal.name}: spglib could not analyse the magnetic "
                         f"structure: {exc}") from None
    if dataset is None:
        raise InputError(f"{crystal.name}: spglib found no magnetic symmetry (check the "
                         "structure and the tolerances)")
    return dataset


# ----------------------------------------------------------------------------
# Writing
# ----------------------------------------------------------------------------

def write_mcif(path, crystal: MagneticCrystal, title: str = "structure",
               comments: tuple[str, ...] = ()) -> None:
    """An mCIF of a magnetic crystal in P1 (every atom listed, the identity as
    the only magnetic operation), written with gemmi's document API; comment
    lines at the top."""
    from gemmi import cif

    lattice = crystal.structure.lattice
    lengths = np.linalg.norm(lattice, axis=1)

    def angle(u, v):
        return float(np.degrees(np.arccos(np.clip(u @ v / np.linalg.norm(u) / np.linalg.norm(v),
                                                  -1, 1))))

    angles = (angle(lattice[1], lattice[2]), angle(lattice[0], lattice[2]),
              angle(lattice[0], lattice[1]))
    doc = cif.Document()
    block = doc.add_new_block(re.sub(r"\s+", "_", title) or "structure")
    block.set_pair("_space_group_magn.number_BNS", cif.quote("1.1"))
    block.set_pair("_space_group_magn.name_BNS", cif.quote("P1"))
    for item, value in zip(_CELL, (*lengths, *angles)):
        block.set_pair(f"_cell_{item}", f"{value:.6f}")
    ops = block.init_loop("_space_group_symop_magn_operation.", ["id", "xyz"])
    ops.add_row(["1", cif.quote("x,y,z,+1")])
    cen = block.init_loop("_space_group_symop_magn_centering.", ["id", "xyz"])
    cen.add_row(["1", cif.quote("x,y,z,+1")])
    sites = block.init_loop("_atom_site_", ["label", "type_symbol", "fract_x", "fract_y",
                                            "fract_z", "occupancy"])
    labels = []
    for i, (s, f) in enumerate(zip(crystal.structure.species,
                                   crystal.structure.fractional % 1.0), start=1):
        labels.append(f"{s}{i}")
        sites.add_row([labels[-1], s] + [f"{x % 1.0:.8f}" for x in f] + ["1"])
    components = crystal.crystal_axis_moments
    rows = [(label, c) for label, c in zip(labels, components)
            if np.abs(c).max() > MOMENT_TOL / 10]
    if rows:
        loop = block.init_loop("_atom_site_moment.", ["label", "crystalaxis_x",
                                                      "crystalaxis_y", "crystalaxis_z"])
        for label, c in rows:
            loop.add_row([label] + [f"{x:.6f}" for x in c])
    text = "".join(f"# {c}\n" for c in comments) + doc.as_string()
    Path(path).write_text(text, encoding="utf-8")
