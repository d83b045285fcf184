"""Magnetic structures: detection and magnetic ordering transitions.

:func:`detect_magnetic` (``sbs detect FILE.mcif``): the space group of the
positions (:func:`detect`) and the magnetic space group of positions and
moments (spglib's magnetic symmetry dataset: UNI number, BNS symbol and
number, type I-IV).

:func:`magnetic_transition` (``sbs transition PARENT CHILD`` with a magnetic
child; docs/theory.md section 9): a paramagnetic parent (no moments, or all
zero) with space group S, so grey group S' = S x {1, theta}, and a magnetic
child (positions: the parent's up to a small distortion; moments):

1. the child's positions are embedded in S by :func:`transition` (their
   group K, its cell T and origin o in S's conventional basis);
2. the child's magnetic operations (spglib, in the child's cell) are carried
   to S's coordinates through T, o and spglib's setting of K (made exact on
   K's exact operations), giving M <= S' as a table of operations modulo the
   child's cell; H = M with theta forgotten is a subgroup of S
   (:func:`~sbs_gap.breaking.space_subgroup_class`);
3. M's class is the one among the engine's magnetic classes over H
   (:func:`~sbs_gap.breaking.magnetic_space_classes_over`) with the child's
   UNI number whose generators an element of S conjugates into M, flags
   included; the breaking row is :func:`~sbs_gap.breaking.magnetic_space_partial`
   and the set :func:`~sbs_gap.objects.symmetry_breaking_set`;
4. the |S' : M| = 2 |S : H| domain states are s * child and theta s * child
   for the coset representatives s of H in S (positions R x + t, moments
   det(R) R m, reversed by theta), in the parent's frame and metric, in the
   smallest diagonal multiple of S's conventional cell that is a period of
   each; each is checked to have the child's magnetic type (or its mirror
   image's) and no two are the same.
"""
from __future__ import annotations

import itertools
import math
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path

import numpy as np

from ..breaking import (
    coset_representatives, magnetic_space_classes_over, magnetic_space_partial,
    parse_transformation, select_magnetic_space_classes, space_subgroup_class,
)
from ..breaking.text import affine_text, pairs_table
from ..errors import InputError, VerificationError
from ..gap import GapSession, default_session
from ..groups import (
    GreySpaceGroup, magnetic_space_group_types, quiet_spglib, space_group_by_number,
)
from ._detect import Detection, detect
from ._mcif import (
    MOMENT_TOL, MagneticCrystal, as_magnetic_crystal, magnetic_symmetry, read_mcif,
    write_mcif,
)
from ._readers import Structure
from ._transition import transition

__all__ = ["MagneticDetection", "detect_magnetic", "MagneticTransition",
           "magnetic_transition"]

def _type_record(uni: int):
    return magnetic_space_group_types()[int(uni) - 1]


# ----------------------------------------------------------------------------
# Detection
# ----------------------------------------------------------------------------

@dataclass(frozen=True)
class MagneticDetection:
    """:class:`Detection` of the positions plus the magnetic space group of
    positions and moments (spglib), and what the file states."""

    detection: Detection
    uni_number: int
    bns_number: str
    bns_symbol: str
    og_number: str
    magnetic_type: str
    magnetic_atoms: int
    stated_bns_number: str | None
    moment_tol: float

    def to_record(self, objects=None) -> dict:
        record = self.detection.to_record(objects)
        record.update({"magnetic_space_group": self.bns_symbol,
                       "bns_number": self.bns_number, "uni_number": self.uni_number,
                       "og_number": self.og_number, "magnetic_type": self.magnetic_type,
                       "magnetic_atoms": self.magnetic_atoms,
                       "stated_bns_number": self.stated_bns_number,
                       "moment_tol": self.moment_tol})
        return record

    def to_table(self, objects=None, *, tol: float | None = None) -> str:
        pairs = [("magnetic_space_group", f"{self.bns_symbol} (BNS {self.bns_number}, "
                                          f"UNI {self.uni_number}, type {self.magnetic_type})"),
                 ("og_number", self.og_number),
                 ("magnetic_atoms", f"{self.magnetic_atoms} with a nonzero moment "
                                    f"(moment tolerance {self.moment_tol:g} mu_B)")]
        if self.stated_bns_number is not None:
            pairs.append(("stated_bns_number", self.stated_bns_number))
        return self.detection.to_table(objects, tol=tol) + "\n" + pairs_table(pairs)


def detect_magnetic(path, *, tol: float = 0.01, site: int | None = None,
                    block: str | None = None, moment_tol: float = MOMENT_TOL
                    ) -> MagneticDetection:
    """The space group of a magnetic crystal's positions (:func:`detect`) and
    its magnetic space group (spglib's magnetic dataset at ``symprec=tol``,
    ``mag_symprec=moment_tol``)."""
    if not tol > 0:
        raise InputError("--tol must be positive")
    if not (isinstance(moment_tol, (int, float)) and moment_tol > 0):
        raise InputError("--moment-tol is a positive number of Bohr magnetons")
    if isinstance(path, MagneticCrystal):
        crystal = path
    else:
        from ._mcif import read_magnetic_structure

        crystal = read_magnetic_structure(path, block=block, moment_tol=moment_tol)
    detection = detect(crystal.structure, tol=tol, site=site)
    dataset = magnetic_symmetry(crystal, tol, moment_tol)
    record = _type_record(dataset.uni_number)
    magnetic = int((np.linalg.norm(crystal.moments, axis=1) > MOMENT_TOL / 10).sum())
    return MagneticDetection(detection=detection, uni_number=record.uni_number,
                             bns_number=record.bns_number, bns_symbol=record.bns_symbol,
                             og_number=record.og_number, magnetic_type=record.kind,
                             magnetic_atoms=magnetic,
                             stated_bns_number=crystal.stated_bns_number,
                             moment_tol=moment_tol)


# ----------------------------------------------------------------------------
# Exact operations
# ----------------------------------------------------------------------------

def _q(x: float, what: str, limit: int = 48) -> Fraction:
    q = Fraction(float(x)).limit_denominator(limit)
    if abs(float(q) - float(x)) > 1e-6:
        raise VerificationError(f"{what}: {x} is not a small rational")
    return q


def _fmat(m) -> np.ndarray:
    return np.array([[float(x) for x in row] for row in m])


def _qmat(m, what: str) -> list[list[Fraction]]:
    return [[_q(x, what) for x in row] for row in np.asarray(m, dtype=float)]


def _mul(a, b):
    return [[sum(a[i][k] * b[k][j] for k in range(len(b))) for j in range(len(b[0]))]
            for i in range(len(a))]


def _vec(a, v):
    return [sum(a[i][k] * v[k] for k in range(len(v))) for i in range(len(a))]


def _inv(m):
    """The inverse of a 3x3 matrix of Fractions."""
    a = [[Fraction(x) for x in row] + [Fraction(int(i == j)) for j in range(3)]
         for i, row in enumerate(m)]
    for c in range(3):
        p = next(r for r in range(c, 3) if a[r][c] != 0)
        a[c], a[p] = a[p], a[c]
        pivot = a[c][c]
        a[c] = [x / pivot for x in a[c]]
        for r in range(3):
            if r != c and a[r][c] != 0:
                f = a[r][c]
                a[r] = [x - f * y for x, y in zip(a[r], a[c])]
    return [row[3:] for row in a]


def _is_int(m) -> bool:
    return all(Fraction(x).denominator == 1 for row in m for x in row)


def _affine(r, t):
    rows = [tuple(Fraction(r[i][j]) for j in range(3)) + (Fraction(t[i]),) for i in range(3)]
    return tuple(rows) + ((Fraction(0), Fraction(0), Fraction(0), Fraction(1)),)


class _Table:
    """M modulo the child's cell: exact operations (W, t, flag) in the
    child's fractional coordinates, translations as integers over ``den``."""

    def __init__(self, ops, den: int):
        self.den = den
        self.ops: dict[tuple, tuple[np.ndarray, np.ndarray, int]] = {}
        for W, t, flag in ops:
            key, value = self._entry(np.asarray(W, dtype=np.int64),
                                     np.asarray(t, dtype=np.int64), flag)
            if key in self.ops and self.ops[key][2] != flag:
                raise VerificationError("an operation of the child appears with and without "
                                        "time reversal")
            self.ops[key] = value

    def _entry(self, W, t, flag):
        t = t % self.den
        return (W.tobytes(), tuple(int(x) for x in t)), (W, t, int(flag))

    def flag_of(self, W: np.ndarray, t: np.ndarray) -> int | None:
        key = (np.asarray(W, dtype=np.int64).tobytes(),
               tuple(int(x) % self.den for x in t))
        found = self.ops.get(key)
        return None if found is None else found[2]

    def translations(self, flag: int | None = None) -> list[np.ndarray]:
        eye = np.eye(3, dtype=np.int64)
        return [t for W, t, f in self.ops.values()
                if np.array_equal(W, eye) and (flag is None or f == flag)]

    def closure(self, generators) -> set:
        elements = {self._entry(np.eye(3, dtype=np.int64), np.zeros(3, dtype=np.int64), 0)[0]:
                    (np.eye(3, dtype=np.int64), np.zeros(3, dtype=np.int64), 0)}
        frontier = list(elements.values())
        while frontier:
            new = []
            for W1, t1, f1 in frontier:
                for W2, t2, f2 in generators:
                    key, value = self._entry(W1 @ W2, W1 @ t2 + t1, f1 ^ f2)
                    if key not in elements:
                        elements[key] = value
                        new.append(value)
            frontier = new
        return set(elements)

    def generators(self, lattice) -> list:
        """A few operations that generate M together with ``lattice``
        (translations with their flags)."""
        gens = list(lattice)
        closure = self.closure(gens)
        eye = np.eye(3, dtype=np.int64)
        ranked = sorted(self.ops.items(), key=lambda kv: (np.array_equal(kv[1][0], eye),
                                                          kv[0]))
        for key, op in ranked:
            if key not in closure:
                gens.append(op)
                closure = self.closure(gens)
            if len(closure) == len(self.ops):
                break
        if len(closure) != len(self.ops):
            raise VerificationError("the child's magnetic operations are not a group")
        return gens[len(lattice):]


def _lattice_basis(vectors: list[list[Fraction]]) -> list[list[Fraction]]:
    """A basis of the lattice the rational vectors span (Hermite normal form
    of the integer rows over a common denominator)."""
    den = 1
    for v in vectors:
        for x in v:
            den = math.lcm(den, Fraction(x).denominator)
    rows = [[int(Fraction(x) * den) for x in v] for v in vectors]
    basis = []
    for col in range(3):
        while True:
            nonzero = [r for r in rows if r[col] != 0]
            if len(nonzero) <= 1:
                break
            nonzero.sort(key=lambda r: abs(r[col]))
            pivot = nonzero[0]
            rows = [pivot] + [r if r[col] == 0 or r is pivot else
                              [a - (r[col] // pivot[col]) * b for a, b in zip(r, pivot)]
                              for r in rows if r is not pivot]
        pivots = [r for r in rows if r[col] != 0]
        if not pivots:
            raise VerificationError("the child's translations do not span a lattice")
        basis.append(pivots[0])
        rows = [r for r in rows if r is not pivots[0]]
    return [[Fraction(x, den) for x in b] for b in basis]


# ----------------------------------------------------------------------------
# The transition
# ----------------------------------------------------------------------------

@dataclass(frozen=True)
class MagneticTransition:
    """The answer of ``sbs transition`` for a magnetic child: the fields of
    ``--json`` (:meth:`record`) plus the domain states.

    Attributes
    ----------
    parent, parent_number
        S' (``P4_2/mnm1'``) and the ITA number of S.
    child, child_bns_number, child_uni_number, child_magnetic_type
        The child's magnetic group type (spglib).
    positions, positions_number, positions_subgroup
        The space group of the child's positions and its class in S
        (:func:`transition`).
    row : dict
        The breaking row of S' -> M (``sbs partial S' --json``'s fields).
    subgroup_listed : bool
        Whether M's class is one ``sbs partial S'`` lists (H an enumerated
        class: a t-subgroup or a maximal k-subgroup of index 2 to 4); else
        its name is relative to the child's own H.
    objects : dict
        The minimal SBS (:func:`~sbs_gap.objects.symmetry_breaking_set`'s JSON).
    domain_states : tuple of MagneticCrystal
        The |S' : M| states, in ``domain_cell`` (parent's frame and metric).
    coset_representatives : tuple
        (g, theta flag) of each state: g exact 4x4 in S's conventional basis.
    """

    parent: str
    parent_number: int
    child: str
    child_bns_number: str
    child_uni_number: int
    child_magnetic_type: str
    positions: str
    positions_number: int
    positions_subgroup: str
    row: dict
    objects: dict
    max_displacement: float
    max_strain: float
    volume_change: float
    domain_cell: str
    domain_states: tuple[MagneticCrystal, ...]
    coset_representatives: tuple = ()
    allowed_uni_numbers: tuple = ()
    subgroup_listed: bool = True
    symprec: float = 1e-3
    moment_tol: float = MOMENT_TOL

    @property
    def index(self) -> int:
        return int(self.row["index"])

    @property
    def subgroup(self) -> str:
        return str(self.row["subgroup"])

    def record(self) -> dict:
        out = {"parent": self.parent, "parent_number": self.parent_number,
               "child": self.child, "child_bns_number": self.child_bns_number,
               "child_uni_number": self.child_uni_number,
               "child_magnetic_type": self.child_magnetic_type,
               "positions": self.positions, "positions_number": self.positions_number,
               "positions_subgroup": self.positions_subgroup}
        out.update({k: v for k, v in self.row.items() if k != "group"})
        out["subgroup_listed"] = self.subgroup_listed
        out["max_displacement"] = round(self.max_displacement, 6)
        out["max_strain"] = round(self.max_strain, 6)
        out["volume_change"] = round(self.volume_change, 6)
        out["domain_cell"] = self.domain_cell
        out["objects"] = self.objects
        return out

    def write_domain_states(self, folder) -> list[str]:
        """Write the domain states to ``folder`` as ``domain_01.mcif``, ...
        (P1 mCIF, :func:`write_mcif`), read each back (:func:`read_mcif`) and
        check it: the child's magnetic type, all pairwise distinct; their
        paths."""
        folder = Path(folder)
        paths = []
        try:
            folder.mkdir(parents=True, exist_ok=True)
            for i, (state, (rep, flag)) in enumerate(zip(self.domain_states,
                                                         self.coset_representatives), 1):
                path = folder / f"domain_{i:02d}.mcif"
                g = affine_text(rep) + (" with time reversal" if flag else "")
                write_mcif(path, state, title=f"domain_{i:02d}", comments=(
                    f"magnetic domain state {i} of {len(self.domain_states)}: g * child, "
                    f"{self.parent} -> {self.subgroup}",
                    f"g = {g} (parent's conventional basis)",
                    f"magnetic group of the state: {self.child} ({self.child_bns_number})",
                    f"cell: {self.domain_cell} of the parent's conventional cell, "
                    "parent's metric (spontaneous strain dropped)"))
                paths.append(str(path))
        except OSError as exc:
            raise InputError(f"cannot write the domain states to {str(folder)!r}: "
                             f"{exc.strerror or exc}") from None
        states = [read_mcif(Path(p).read_text(encoding="utf-8"), Path(p).name,
                            moment_tol=self.moment_tol) for p in paths]
        _check_states(states, {self.child_uni_number, *self.allowed_uni_numbers},
                      self.symprec, self.moment_tol)
        return paths

    def to_table(self, out: str | None = None) -> str:
        record = self.record()
        pairs = [(k, "-" if v is None else v) for k, v in record.items()
                 if k not in ("objects", "max_displacement", "max_strain", "volume_change")]
        pairs.append(("max_displacement", f"{self.max_displacement:.3f} angstrom"))
        pairs.append(("strain", f"shape {self.max_strain:.4f}, volume "
                                f"{self.volume_change:+.4f}"))
        o = self.objects
        pairs.append(("objects", f"{o['size'] or 'continuous'} x {o['kind']} {o['irreps']} "
                                 f"(stabilizer {o.get('stabilizer', '-')})"))
        if out is not None:
            pairs.append(("domain states", f"{len(self.domain_states)} mCIF files in {out} "
                                           f"(cell {self.domain_cell})"))
        return pairs_table(pairs)


def _structure_cell(structure: Structure):
    names = sorted(set(structure.species))
    numbers = [names.index(s) + 1 for s in structure.species]
    return structure.lattice, structure.fractional % 1.0, numbers


def magnetic_transition(parent, child, *, tol: float = 0.5, symprec: float = 1e-3,
                        moment_tol: float = MOMENT_TOL, max_strain: float | None = None,
                        max_volume_change: float | None = None,
                        session: GapSession | None = None) -> MagneticTransition:
    """A paramagnetic parent and a magnetic child: S' -> M, the breaking row,
    the SBS and the |S' : M| magnetic domain states (module docstring).

    Parameters
    ----------
    parent, child
        Paths (mCIF, CIF, POSCAR), :class:`MagneticCrystal` or structures
        without moments.  The parent has no moments (or all zero); the child
        has moments, not all zero.
    tol, symprec, max_strain, max_volume_change
        As for :func:`transition` (the positions).
    moment_tol : float
        Tolerance on moments (Bohr magnetons): spglib's ``mag_symprec``.

    Raises
    ------
    InputError
        A child without moments, a parent with moments, positions that are
        no distorted parent (:func:`transition`'s errors), unreadable files.
    """
    import spglib

    if not (isinstance(moment_tol, (int, float)) and moment_tol > 0):
        raise InputError("--moment-tol is a positive number of Bohr magnetons")
    session = session or default_session()
    parent_c = as_magnetic_crystal(parent, "parent", moment_tol=moment_tol)
    child_c = as_magnetic_crystal(child, "child", moment_tol=moment_tol)
    if not child_c.has_moments:
        raise InputError(f"{child_c.name}: no magnetic moments (no _atom_site_moment loop); "
                         "the child of a magnetic transition is a magnetic structure")
    if not child_c.magnetic:
        raise InputError(f"{child_c.name}: every magnetic moment is zero; the child of a "
                         "magnetic transition has an ordered moment")
    if parent_c.magnetic:
        norms = np.linalg.norm(parent_c.moments, axis=1)
        k = int(np.argmax(norms))
        label = parent_c.labels[k] if parent_c.labels else f"atom {k + 1}"
        raise InputError(f"{parent_c.name}: the parent has nonzero magnetic moments ({label}: "
                         f"{norms[k]:.3f} mu_B); the parent of a magnetic ordering is "
                         "paramagnetic (no moments, or all zero)")
    limits = {k: v for k, v in (("max_strain", max_strain),
                                ("max_volume_change", max_volume_change)) if v is not None}
    positions = transition(parent_c.structure, child_c.structure, tol=tol, symprec=symprec,
                           session=session, **limits)
    S = space_group_by_number(positions.parent_number)
    grey = GreySpaceGroup(S)

    # the child's cell in S's coordinates: x_S = A x_in + a (A = T P exact)
    t_matrix, origin = parse_transformation(positions.transformation)
    with quiet_spglib():
        kdata = spglib.get_symmetry_dataset(_structure_cell(child_c.structure),
                                            symprec=symprec)
    if kdata is None or int(kdata.number) != positions.child_number:
        raise VerificationError("spglib's dataset of the child's positions changed")
    P = _qmat(kdata.transformation_matrix, "spglib's transformation matrix")
    T = [[Fraction(x) for x in row] for row in t_matrix]
    A = _mul(T, P)
    A_inv = _inv(A)
    A_f = _fmat(A)
    a_f = _fmat(T) @ np.asarray(kdata.origin_shift, dtype=float) + _fmat([origin])[0]

    # M exactly, in y = A^-1 x_S (the child's basis, S's origin), modulo Z^3
    mdata = magnetic_symmetry(child_c, symprec, moment_tol)
    child_type = _type_record(mdata.uni_number)
    ops_y = _exact_child_operations(mdata, kdata, child_c.structure, T, origin, A, A_inv)
    den = 1
    for _, t, _ in ops_y:
        for x in t:
            den = math.lcm(den, x.denominator)
    table = _Table([(W, [int(x * den) for x in t], f) for W, t, f in ops_y], den)
    if len(table.ops) != len(mdata.rotations):
        raise VerificationError("the child's magnetic operations repeat modulo its cell")

    # H = M without theta: generators in S's coordinates, a basis of its
    # lattice first, each with its theta flag
    eye = np.eye(3, dtype=np.int64)
    unit = [[Fraction(int(i == j)) for j in range(3)] for i in range(3)]
    lattice = _lattice_basis(unit + [[Fraction(int(x), den) for x in t]
                                     for t in table.translations()])
    lattice_ops = []
    for b in lattice:
        t_int = np.array([int(x * den) for x in b], dtype=np.int64)
        lattice_ops.append((eye, t_int, table.flag_of(eye, t_int)))
    generators, flags = [], []
    for W, t, f in lattice_ops + table.generators(lattice_ops):
        Ws = _mul(_mul(A, [[Fraction(int(x)) for x in row] for row in W]), A_inv)
        generators.append(_affine(Ws, _vec(A, [Fraction(int(x), den) for x in t])))
        flags.append(int(f))
    h_class = space_subgroup_class(S, generators, session=session)
    reps = coset_representatives(S, h_class, session=session)

    def flag_in_m(g) -> int | None:
        """The theta flag of the element g of S (4x4) in M; None if g is not in H."""
        R = [[Fraction(g[i][j]) for j in range(3)] for i in range(3)]
        W = _mul(_mul(A_inv, R), A)
        if not _is_int(W):
            return None
        w = _vec(A_inv, [Fraction(g[i][3]) for i in range(3)])
        if any((x * den).denominator != 1 for x in w):
            return None
        return table.flag_of(np.array([[int(x) for x in row] for row in W]),
                             np.array([int(x * den) for x in w]))

    cls, enumerated = _match_class(grey, h_class, reps, child_type, flag_in_m, session)
    row = magnetic_space_partial(grey, cls, session=session)[0]
    from ..objects import symmetry_breaking_set

    objects = symmetry_breaking_set(grey, cls, session=session).to_json()

    # the domain states, in the parent's frame and metric
    basis = _parent_basis(parent_c.structure, symprec, S.hall_number)
    x_s = child_c.structure.fractional @ A_f.T + a_f
    mu_s = np.linalg.solve(child_c.structure.lattice.T, child_c.moments.T).T @ A_f.T
    free = [np.array(t, dtype=np.int64) for t in table.translations(flag=0)]
    cell = _common_cell(reps, A_inv, den, {tuple(int(x) for x in t) for t in free})
    keep = _one_per_translation(child_c, [t / den for t in free], max(2 * symprec, 1e-4),
                                moment_tol)
    species = [child_c.structure.species[i] for i in keep]
    states, labels = [], []
    for rep in reps:
        for flag in (0, 1):
            states.append(_domain_state(rep, flag, x_s[keep], mu_s[keep], species, A_f,
                                        free, den, cell, basis))
            labels.append((rep, flag))
    if len(states) != row.index:
        raise VerificationError(f"{len(states)} domain states, but the index is {row.index}")
    allowed = {child_type.uni_number, _mirror_uni(child_c, symprec, moment_tol)}
    _check_states(states, allowed, symprec, moment_tol)
    return MagneticTransition(
        parent=grey.name, parent_number=S.number, child=child_type.bns_symbol,
        child_bns_number=child_type.bns_number, child_uni_number=child_type.uni_number,
        child_magnetic_type=child_type.kind, positions=positions.child,
        positions_number=positions.child_number, positions_subgroup=positions.subgroup,
        row=row.to_json(), objects=objects, max_displacement=positions.max_displacement,
        max_strain=positions.max_strain, volume_change=positions.volume_change,
        domain_cell=",".join(f"{n}{axis}" if n != 1 else axis
                             for n, axis in zip(cell, "abc")),
        domain_states=tuple(states), coset_representatives=tuple(labels),
        allowed_uni_numbers=tuple(sorted(allowed)), subgroup_listed=enumerated,
        symprec=symprec, moment_tol=moment_tol)


# Largest distance (angstrom) between a translation spglib reports for the
# child and the exact one of K it is read as.
_SNAP = 0.2


def _exact_child_operations(mdata, kdata, structure: Structure, T, origin, A, A_inv):
    """The child's magnetic operations (spglib, in its cell) made exact in y
    = A^-1 x_S: (W, t_y exact, flag).  Each is read in K's conventional
    setting (x_c = P x + p), where its translation is one of K's exact ones
    (spglib's database) plus a translation of K's lattice, then carried to
    S's coordinates (x_S = T x_c + o)."""
    import spglib

    with quiet_spglib():
        kops = spglib.get_symmetry_from_database(int(kdata.hall_number))
    k_rot = np.array(kops["rotations"])
    k_tran = [[_q(x, "a translation of spglib's database") for x in t]
              for t in kops["translations"]]
    centrings = [t for r, t in zip(k_rot, k_tran) if np.array_equal(r, np.eye(3))]
    P = np.asarray(kdata.transformation_matrix, dtype=float)
    p = np.asarray(kdata.origin_shift, dtype=float)
    P_inv = np.linalg.inv(P)
    conventional = structure.lattice.T @ P_inv  # columns, angstrom
    T_inv = _inv(T)
    out = []
    for W, w, flag in zip(mdata.rotations, mdata.translations, mdata.time_reversals):
        Wc_f = P @ W @ P_inv
        Wc = np.round(Wc_f).astype(np.int64)
        if np.abs(Wc_f - Wc).max() > 1e-6:
            raise VerificationError("a magnetic operation of the child is not an operation "
                                    "of its positions' conventional setting")
        wc = P @ w + p - Wc @ p
        best = None
        for r, t in zip(k_rot, k_tran):
            if not np.array_equal(r, Wc):
                continue
            for c in centrings:
                base = np.array([float(x + y) for x, y in zip(t, c)])
                n = np.round(wc - base)
                residual = float(np.linalg.norm(conventional @ (wc - base - n)))
                if best is None or residual < best[0]:
                    best = (residual, [x + y + int(m) for x, y, m in zip(t, c, n)])
        if best is None or best[0] > _SNAP:
            raise VerificationError("a magnetic operation of the child is not one of its "
                                    "positions' space group")
        Wc_q = [[Fraction(int(x)) for x in row] for row in Wc]
        Ws = _mul(_mul(T, Wc_q), T_inv)
        ws = [a + b - c for a, b, c in zip(_vec(T, best[1]), origin, _vec(Ws, origin))]
        Wy = _mul(_mul(A_inv, Ws), A)
        if not _is_int(Wy) or any(int(Wy[i][j]) != int(W[i][j])
                                  for i in range(3) for j in range(3)):
            raise VerificationError("a magnetic operation changed on its way to the parent's "
                                    "coordinates")
        out.append((np.array(W, dtype=np.int64), [x % 1 for x in _vec(A_inv, ws)],
                    int(flag)))
    return out


def _match_class(grey, h_class, reps, child_type, flag_in_m, session):
    """The engine's class of M and whether it is one ``sbs partial`` lists.

    First among the enumerated classes of the child's type
    (:func:`select_magnetic_space_classes`, named as ``sbs partial`` names
    them) over H's class: the one that an element g of S conjugates into M,
    theta flags included (g over the coset representatives of its member
    H', which give every conjugate of H').  Where H is not an enumerated
    class (a k-subgroup of larger index), among the magnetic classes over H
    itself (:func:`magnetic_space_classes_over`, named from this member)."""
    from ..breaking import space_subgroup_classes

    def conjugates_into_m(cls, representatives) -> bool:
        for g in representatives:
            g_inv = _affine_inverse(g)
            if all(flag_in_m(_affine_mul(_affine_mul(g, h), g_inv)) == f
                   for h, f in zip(cls.generators, cls.flags)):
                return True
        return False

    try:
        listed = select_magnetic_space_classes(grey, child_type.bns_number, session=session)
    except InputError:  # no class of that type among the enumerated ones
        listed = ()
    listed = [c for c in listed if c.family == h_class.name]
    if listed:
        families = {h.name: h for h in space_subgroup_classes(grey.space_group,
                                                              session=session)}
        for cls in listed:
            family = families[cls.family]
            if conjugates_into_m(cls, coset_representatives(grey.space_group, family,
                                                             session=session)):
                return cls, True
    candidates = [c for c in magnetic_space_classes_over(grey, [h_class], session=session)
                  if c.uni_number == child_type.uni_number]
    for cls in candidates:
        if conjugates_into_m(cls, reps):
            return cls, False
    raise VerificationError(f"the child's magnetic group ({child_type.bns_symbol}) matches "
                            f"none of the {len(candidates)} magnetic classes of its type over "
                            f"{h_class.name}")


def _affine_mul(a, b):
    return tuple(tuple(sum(Fraction(a[i][k]) * Fraction(b[k][j]) for k in range(4))
                       for j in range(4)) for i in range(4))


def _affine_inverse(g):
    R = [[Fraction(g[i][j]) for j in range(3)] for i in range(3)]
    R_inv = _inv(R)
    t = _vec(R_inv, [Fraction(g[i][3]) for i in range(3)])
    return _affine(R_inv, [-x for x in t])


def _parent_basis(structure: Structure, symprec: float, hall: int) -> np.ndarray:
    """The parent's conventional basis (columns, angstrom, its own frame) in
    the setting of S (spglib's Hall number ``hall``)."""
    import spglib

    with quiet_spglib():
        dataset = spglib.get_symmetry_dataset(_structure_cell(structure), symprec=symprec,
                                              hall_number=hall)
    if dataset is None:
        raise VerificationError("spglib lost the parent's symmetry")
    return structure.lattice.T @ np.linalg.inv(dataset.transformation_matrix)


def _common_cell(reps, A_inv, den: int, free: set) -> tuple[int, int, int]:
    """The smallest (n1, n2, n3) with n_j e_j a theta-free translation of
    every state (R Lambda0 for each representative's rotation R)."""
    inverses = []
    for rep in reps:
        R = [[Fraction(rep[i][j]) for j in range(3)] for i in range(3)]
        inverses.append(_mul(A_inv, _inv(R)))  # S coordinates -> y of the child
    n = []
    for j in range(3):
        bound = 1
        for m in inverses:
            for i in range(3):
                bound = math.lcm(bound, m[i][j].denominator)
        bound *= den

        def inside(k, j=j):
            for m in inverses:
                y = [k * m[i][j] * den for i in range(3)]
                if any(v.denominator != 1 for v in y):
                    return False
                if tuple(int(v) % den for v in y) not in free:
                    return False
            return True

        n.append(next(k for k in range(1, bound + 1) if inside(k)))
    return tuple(n)


def _domain_state(rep, flag: int, x_s, mu_s, species, A_f, free, den: int, cell, basis
                  ) -> MagneticCrystal:
    """g * child (theta too when ``flag``) in the common cell."""
    R = _fmat([row[:3] for row in rep[:3]])
    t = np.array([float(rep[i][3]) for i in range(3)])
    det = round(np.linalg.det(R))
    positions = x_s @ R.T + t
    moments = (-1) ** flag * det * mu_s @ R.T
    n = np.array(cell, dtype=float)
    # theta-free translations R (A (m + c)) inside the cell, S's coordinates
    step = R @ A_f
    corners = np.array(list(itertools.product((0, 1), repeat=3))) * n
    coords = corners @ np.linalg.inv(step).T
    lo = np.floor(coords.min(axis=0)).astype(int) - 1
    hi = np.ceil(coords.max(axis=0)).astype(int) + 1
    grid = np.stack(np.meshgrid(*[np.arange(a, b + 1) for a, b in zip(lo, hi)],
                                indexing="ij"), -1).reshape(-1, 3).astype(float)
    shifts = np.concatenate([grid + c / den for c in free]) @ step.T
    frac = ((positions[None, :, :] + shifts[:, None, :]) / n).reshape(-1, 3)
    keys = np.round(frac % 1.0, 5) % 1.0
    all_moments = np.broadcast_to(moments, (len(shifts),) + moments.shape).reshape(-1, 3)
    all_species = tuple(species) * len(shifts)
    seen: dict[tuple, int] = {}
    keep = []
    for i, key in enumerate(map(tuple, keys)):
        if key not in seen:
            seen[key] = i
            keep.append(i)
    expected = len(species) * float(np.prod(n)) * len(free) / abs(np.linalg.det(A_f))
    if abs(len(keep) - expected) > 1e-6:
        raise VerificationError(f"{len(keep)} atoms in a domain state's cell, {expected:g} "
                                "expected")
    lattice = (basis * n).T  # rows: n_j e_j, angstrom
    cartesian = (all_moments[keep] @ basis.T)  # mu (S coordinates) -> Cartesian
    structure = Structure(tuple(all_species[i] for i in keep), (frac[keep] % 1.0) @ lattice,
                          lattice)
    return MagneticCrystal(structure, cartesian, has_moments=True, name="domain state")


def _one_per_translation(crystal: MagneticCrystal, free, tol: float, moment_tol: float
                         ) -> list[int]:
    """The child's atoms, one of each set that its theta-free translations
    (``free``, fractional in its cell) map onto each other (its cell can be a
    supercell of the magnetic one)."""
    s = crystal.structure
    frac = s.fractional
    owner = list(range(len(frac)))
    for c in free:
        if not np.any(c % 1.0):
            continue
        d = (frac + c)[:, None, :] - frac[None, :, :]
        d -= np.round(d)
        dist = np.linalg.norm(d @ s.lattice, axis=2)
        for i, j in enumerate(dist.argmin(axis=1)):
            if (dist[i, j] > tol or s.species[i] != s.species[j]
                    or np.linalg.norm(crystal.moments[i] - crystal.moments[j]) > moment_tol):
                raise VerificationError("a translation of the child's magnetic group does "
                                        "not map its atoms onto each other")
            a, b = owner[i], owner[j]
            while owner[a] != a:
                a = owner[a]
            while owner[b] != b:
                b = owner[b]
            owner[max(a, b)] = min(a, b)
    return [i for i in range(len(frac)) if owner[i] == i]


def _mirror_uni(crystal: MagneticCrystal, symprec: float, moment_tol: float) -> int:
    """The UNI number of the mirror image (x -> -x; axial moments unchanged)."""
    s = crystal.structure
    mirrored = Structure(s.species, -s.positions, -s.lattice)
    # -lattice is left-handed; spglib wants the same points, so use the
    # lattice as is with negated fractional coordinates
    mirrored = Structure(s.species, (-s.fractional) @ s.lattice, s.lattice)
    inverted = MagneticCrystal(mirrored, crystal.moments, has_moments=True,
                               name=crystal.name)
    return int(magnetic_symmetry(inverted, symprec, moment_tol).uni_number)


def _same_state(a: MagneticCrystal, b: MagneticCrystal, moment_tol: float,
                tol: float = 1e-3) -> bool:
    """Whether two states in one cell are the same atoms with the same moments."""
    sa, sb = a.structure, b.structure
    if sorted(sa.species) != sorted(sb.species):
        return False
    fa, fb = sa.fractional, sb.fractional
    d = fa[:, None, :] - fb[None, :, :]
    d -= np.round(d)
    dist = np.linalg.norm(d @ sa.lattice, axis=2)
    nearest = dist.argmin(axis=1)
    if dist[np.arange(len(fa)), nearest].max() > tol:
        return False
    if any(sa.species[i] != sb.species[j] for i, j in enumerate(nearest)):
        return False
    return bool(np.linalg.norm(a.moments - b.moments[nearest], axis=1).max() <= moment_tol)


def _check_states(states, allowed: set, symprec: float, moment_tol: float) -> None:
    """Each state has the child's magnetic type (or its mirror image's); no
    two are the same.  A failure is a bug, not bad input."""
    for i, state in enumerate(states):
        uni = int(magnetic_symmetry(state, symprec, moment_tol).uni_number)
        if uni not in allowed:
            record = _type_record(uni)
            raise VerificationError(f"domain state {i + 1} has magnetic group "
                                    f"{record.bns_symbol} ({record.bns_number}), not the "
                                    f"child's")
    for i in range(len(states)):
        for j in range(i):
            if _same_state(states[i], states[j], moment_tol):
                raise VerificationError(f"domain states {j + 1} and {i + 1} are the same")
