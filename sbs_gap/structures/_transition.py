"""Phase transitions between two crystal structures (``sbs transition``).

A parent (high-symmetry) and a child (distorted) structure: spglib finds the
parent's space group S (in its default ITA setting, docs/theory.md section 8)
and the child's group; both are read in their conventional cells (a child
given as a supercell of its true cell is reduced to it first), and the child
is embedded in S as a subgroup K:

1. lattice: an integer matrix T (child basis = parent basis T, columns in
   S's conventional basis) whose ideal cell the child's cell reaches by a
   homogeneous strain within ``max_strain`` (shape) and
   ``max_volume_change`` (volume); rotations of the Cartesian frame do not
   matter.  The strain is the Biot strain U - I of the deformation F from
   the parent's ideal child cell to the child's (U = sqrt(F^T F), in the
   parent's Cartesian frame); its volume part is det U - 1, its shape part
   the largest |principal stretch / (det U)^(1/3) - 1|;
2. operations: the child's operations (R_c, t_c), exact from spglib's
   database, become (T R_c T^-1, T t_c) in S's coordinates; GAP finds the
   origin shifts o that conjugate them into S (``embedding_shifts``);
3. atoms: among those shifts (and the alignments T), the one that puts each
   child atom closest to a parent atom of the same element; it must be
   within ``tol`` (angstrom).

Three ways to fail, each its own error: the child's group is no subgroup of
the parent's for any alignment of its cell (not a group-subgroup pair); it
is one only for alignments strained beyond the limits (the smallest strain
found is named); or the atoms are farther than ``tol`` (the largest
displacement is named).

The domain states are g_i * child for coset representatives g_i of K in S:
|S : K| structures in the parent's Cartesian frame and metric (the child's
spontaneous strain is dropped, its atomic displacements kept, improper g_i
give the mirror image), all written in one cell: the smallest diagonal
multiple of the parent's conventional cell that is a period of every state.
Each state is checked with spglib (the child's type or its enantiomorph)
and the states are checked pairwise distinct before they are returned.
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from fractions import Fraction
from itertools import product
from pathlib import Path

import numpy as np

from ..breaking import (
    SpacePartialBreaking, coset_representatives, embedding_shifts, format_transformation,
    space_group_partial, space_group_structure, space_subgroup_class,
)
from ..breaking.text import affine_text, pairs_table
from ..errors import InputError, VerificationError
from ..exact import inverse, matmul
from ..gap import GapSession, default_session
from ..groups import MAX_SUBGROUP_INDEX, quiet_spglib, space_group_by_number
from ._readers import Structure, to_structure

__all__ = ["Transition", "transition", "write_cif", "DEFAULT_MAX_STRAIN",
           "DEFAULT_MAX_VOLUME_CHANGE"]

#: Default limit on the shape part of the spontaneous strain (largest
#: principal stretch at constant volume, relative).  Ferroic transitions stay
#: well inside it (PbTiO3, c/a = 1.06: 4.2 %), and so do DFT cells against
#: experiment; alignments farther off are different embeddings, not strain.
DEFAULT_MAX_STRAIN = 0.10
#: Default limit on the relative volume change (thermal expansion between
#: the two temperatures, pressure, DFT's 3-6 % volume error; the beta -> alpha
#: cristobalite transition shrinks the cell by about 12 %).
DEFAULT_MAX_VOLUME_CHANGE = 0.20
# When nothing is found within the limits, how far the search looks to name
# the smallest strain that would work; beyond it (a third of the cell's
# shape or volume) the two cells are not one crystal distorted.
_RELAXED_STRAIN, _RELAXED_VOLUME = 0.3, 0.3
# More candidate alignments than this (beyond the parent's symmetry) means
# the cell is far too large for this search.
_MAX_ALIGNMENTS = 20000


@dataclass(frozen=True)
class Transition:
    """The answer of ``sbs transition``: the fields of ``--json`` plus the
    domain states.

    Attributes
    ----------
    max_strain, volume_change : float
        Shape and volume parts of the child's spontaneous strain against the
        parent's ideal cell (module docstring).
    spontaneous_strain : tuple
        The Biot strain tensor U - I (3x3, parent's Cartesian frame).
    max_displacement : float
        The largest distance (angstrom) from a child atom to the nearest
        parent atom of its element, after the alignment.
    domain_cell : str
        The cell all domain states are given in, in the parent's
        conventional basis (``2a,2b,2c``).
    domain_states : tuple of Structure
        The |S : K| states g_i * child in ``domain_cell`` (parent's frame).
    coset_representatives : tuple
        The g_i, as exact 4x4 affine matrices in S's conventional basis.
    """

    parent: str
    parent_number: int
    child: str
    child_number: int
    index: int
    subgroup: str
    transformation: str
    generalized_normalizer_is_normalizer: bool | None
    ideal: bool
    exact_min_size: int | None
    nonexact_min_size: int | None
    continuous: bool
    max_displacement: float
    max_strain: float
    volume_change: float
    spontaneous_strain: tuple
    domain_cell: str
    domain_states: tuple[Structure, ...]
    coset_representatives: tuple = ()

    def record(self) -> dict:
        fields = ("parent", "parent_number", "child", "child_number", "index", "subgroup",
                  "transformation", "generalized_normalizer_is_normalizer", "ideal",
                  "exact_min_size", "nonexact_min_size", "continuous")
        out = {k: getattr(self, k) for k in fields}
        out["max_displacement"] = round(self.max_displacement, 6)
        out["max_strain"] = round(self.max_strain, 6)
        out["volume_change"] = round(self.volume_change, 6)
        out["spontaneous_strain"] = [[round(x, 6) for x in row]
                                     for row in self.spontaneous_strain]
        out["domain_cell"] = self.domain_cell
        return out

    def write_domain_states(self, folder) -> list[str]:
        """Write the domain states to ``folder`` (created if missing) as
        ``domain_01.cif``, ... (:func:`write_cif`, in the parent's frame and
        metric, each naming its coset representative g); their paths."""
        folder = Path(folder)
        paths = []
        try:
            folder.mkdir(parents=True, exist_ok=True)
            for i, (state, rep) in enumerate(zip(self.domain_states,
                                                 self.coset_representatives), start=1):
                path = folder / f"domain_{i:02d}.cif"
                write_cif(path, state, title=f"domain_{i:02d}", comments=(
                    f"domain state {i} of {len(self.domain_states)}: g * child, "
                    f"{self.parent} -> {self.subgroup}",
                    f"g = {affine_text(rep)} (parent's conventional basis)",
                    f"cell: {self.domain_cell} of the parent's conventional cell, "
                    "parent's metric (spontaneous strain dropped)"))
                paths.append(str(path))
        except OSError as exc:  # e.g. /proc, which even root cannot write
            raise InputError(f"cannot write the domain states to {str(folder)!r}: "
                             f"{exc.strerror or exc}") from None
        return paths

    def to_table(self, out: str | None = None) -> str:
        """``sbs transition``'s text: :meth:`record` (the strain in one line),
        and where the domain states were written (``out``) when they were."""
        pairs = [(k, "-" if v is None else v) for k, v in self.record().items()
                 if k not in ("spontaneous_strain", "max_displacement", "max_strain",
                              "volume_change")]
        pairs.append(("max_displacement", f"{self.max_displacement:.3f} angstrom"))
        pairs.append(("strain", f"shape {self.max_strain:.4f}, volume "
                                f"{self.volume_change:+.4f}"))
        if out is not None:
            pairs.append(("domain states", f"{len(self.domain_states)} CIF files in {out} "
                                           f"(cell {self.domain_cell})"))
        return pairs_table(pairs)


# --- cells --------------------------------------------------------------------

def _dataset(structure: Structure, symprec: float, what: str, hall: int = 0):
    import spglib

    names = sorted(set(structure.species))
    numbers = [names.index(s) + 1 for s in structure.species]
    cell = (structure.lattice, structure.fractional % 1.0, numbers)
    with quiet_spglib():
        dataset = spglib.get_symmetry_dataset(cell, symprec=symprec, hall_number=hall)
    if dataset is None:
        raise InputError(f"spglib found no symmetry in the {what} structure (check the file "
                         "and --symprec)")
    return dataset


@dataclass(frozen=True)
class _Cell:
    """A crystal in the conventional cell of its spglib dataset: basis
    columns (angstrom, the input's Cartesian frame, not idealized), the
    symmetrized fractional positions, the species, and the exact
    operations of the setting (spglib's database)."""

    basis: np.ndarray
    fractional: np.ndarray
    species: tuple[str, ...]
    rotations: np.ndarray
    translations: np.ndarray
    hall_number: int
    number: int


def _conventional(structure: Structure, dataset, hall: int) -> _Cell:
    import spglib

    names = sorted(set(structure.species))
    p = np.array(dataset.transformation_matrix, dtype=float)
    basis = structure.lattice.T @ np.linalg.inv(p)
    species = tuple(names[int(t) - 1] for t in dataset.std_types)
    with quiet_spglib():
        ops = spglib.get_symmetry_from_database(hall)
    return _Cell(basis, np.array(dataset.std_positions, dtype=float) % 1.0, species,
                 np.array(ops["rotations"]), np.array(ops["translations"]), hall,
                 int(dataset.number))


def _rational(x: float, what: str) -> Fraction:
    q = Fraction(float(x)).limit_denominator(48)
    if abs(float(q) - float(x)) > 1e-6:
        raise InputError(f"{what}: {x} is not a rational translation (refine the structure "
                         "or change --symprec)")
    return q


def _as_periodic(structure: Structure, what: str) -> Structure:
    if not structure.periodic:
        raise InputError(f"the {what} structure is not periodic (give a CIF or POSCAR with "
                         "a cell)")
    if len(structure.species) == 0:
        raise InputError(f"the {what} structure has no atoms")
    return structure


def _point_order(cell: _Cell) -> int:
    return len({r.tobytes() for r in cell.rotations})


# --- strain and lattice alignments --------------------------------------------

def _strain(b0: np.ndarray, child_metric: np.ndarray):
    """(shape strain, volume change, U - I) of the deformation taking the
    cell with basis columns ``b0`` (Cartesian) to one with ``child_metric``."""
    b0inv = np.linalg.inv(b0)
    c = b0inv.T @ child_metric @ b0inv  # F^T F in the reference frame
    w, v = np.linalg.eigh((c + c.T) / 2)
    stretches = np.sqrt(np.clip(w, 1e-12, None))
    volume = float(np.prod(stretches))
    shape = float(np.max(np.abs(stretches / volume ** (1 / 3) - 1)))
    u = v @ np.diag(stretches) @ v.T
    return shape, volume - 1.0, u - np.eye(3)


def _stretch_window(max_strain: float, max_volume: float) -> tuple[float, float]:
    """Bounds on any length ratio child/parent allowed by the two limits."""
    low = max(1e-3, 1 - max_volume) ** (1 / 3) * max(1e-3, 1 - max_strain)
    high = (1 + max_volume) ** (1 / 3) * (1 + max_strain)
    return low, high


def _lattice_points(primitive: np.ndarray, conventional: np.ndarray, radius: float):
    """Nonzero vectors of the parent's lattice (primitive basis columns in
    conventional coordinates) up to ``radius`` angstrom: (conventional
    coordinates, lengths)."""
    cart = conventional @ primitive
    bounds = np.ceil(radius * np.linalg.norm(np.linalg.inv(cart), axis=1)).astype(int)
    axes = [np.arange(-b, b + 1) for b in bounds]
    n = np.stack(np.meshgrid(*axes, indexing="ij"), -1).reshape(-1, 3)
    n = n[np.any(n != 0, axis=1)]
    lengths = np.linalg.norm(n @ cart.T, axis=1)
    keep = lengths <= radius
    return n[keep] @ primitive.T, lengths[keep]


def _orbit_representatives(vectors: np.ndarray, rotations: np.ndarray) -> np.ndarray:
    """The simplest vector (smallest coordinates, fewest negative ones) of
    each orbit of the parent's point group among ``vectors``: alignments
    that differ by a parent rotation are the same embedding seen from a
    rotated parent."""
    keys = np.round(vectors * 12).astype(np.int64)
    images = np.einsum("gij,nj->gni", rotations, keys)  # (|G|, n, 3)
    # the lexicographically largest image labels the orbit
    label = images[0].copy()
    for img in images[1:]:
        bigger = (img[:, 0] > label[:, 0]) | ((img[:, 0] == label[:, 0]) & (
            (img[:, 1] > label[:, 1]) | ((img[:, 1] == label[:, 1]) & (img[:, 2] > label[:, 2]))))
        label[bigger] = img[bigger]
    best: dict[tuple, int] = {}
    for i, (lab, key) in enumerate(zip(map(tuple, label), keys)):
        rank = (int(np.abs(key).sum()), int((key < 0).sum()), tuple(-key))
        if lab not in best or rank < best[lab][0]:
            best[lab] = (rank, i)
    return vectors[sorted(i for _, i in best.values())]


def _alignments(child: _Cell, parent: _Cell, primitive: np.ndarray, max_strain: float,
                max_volume: float):
    """Candidate T (child basis = parent conventional basis T), with their
    strains, sorted by shape strain: [(shape, volume, U - I, T)]."""
    conventional = parent.basis
    child_metric = child.basis.T @ child.basis
    child_lengths = np.sqrt(np.diag(child_metric))
    low, high = _stretch_window(max_strain, max_volume)
    coords, lengths = _lattice_points(primitive, conventional, child_lengths.max() / low)
    candidates = [coords[(lengths >= length / high) & (lengths <= length / low)]
                  for length in child_lengths]
    rotations = np.array(sorted({r.tobytes(): r for r in parent.rotations}.values(),
                                key=lambda r: r.tobytes()), dtype=float)
    first = _orbit_representatives(candidates[0], rotations) if len(candidates[0]) else \
        candidates[0]
    g = conventional.T @ conventional
    gc2 = child_metric[:2, :2]
    found = []
    for c0 in first:
        c1s = candidates[1]
        if not len(c1s):
            break
        # the 2D stretches of (a', b') bound the 3D ones (interlacing)
        g00 = c0 @ g @ c0
        g01 = c1s @ g @ c0
        g11 = np.einsum("ni,ij,nj->n", c1s, g, c1s)
        det0 = g00 * g11 - g01 ** 2
        ok = det0 > 1e-8 * g00 * g11
        inv00, inv01, inv11 = g11 / np.where(ok, det0, 1), -g01 / np.where(ok, det0, 1), \
            g00 / np.where(ok, det0, 1)
        m00 = inv00 * gc2[0, 0] + inv01 * gc2[1, 0]
        m11 = inv01 * gc2[0, 1] + inv11 * gc2[1, 1]
        tr = m00 + m11
        dt = np.linalg.det(gc2) / np.where(ok, det0, 1)
        disc = np.sqrt(np.clip(tr ** 2 - 4 * dt, 0, None))
        ok &= ((tr - disc) / 2 >= low ** 2 - 1e-9) & ((tr + disc) / 2 <= high ** 2 + 1e-9)
        for c1 in c1s[ok]:
            ts = np.stack([np.broadcast_to(c0, candidates[2].shape),
                           np.broadcast_to(c1, candidates[2].shape), candidates[2]], axis=-1)
            dets = np.linalg.det(ts)
            ts = ts[dets * np.linalg.det(child.basis) * np.linalg.det(conventional) > 1e-9]
            for t in ts:
                shape, volume, strain = _strain(conventional @ t, child_metric)
                if shape <= max_strain + 1e-9 and abs(volume) <= max_volume + 1e-9:
                    found.append((shape, volume, strain, t))
                    if len(found) > _MAX_ALIGNMENTS:
                        raise InputError("the child's cell has too many alignments with the "
                                         "parent's lattice to search (a very large supercell?)")
    found.sort(key=lambda a: (round(a[0], 9), round(abs(a[1]), 9)))
    return found


def _fractions(m: np.ndarray) -> tuple:
    return tuple(tuple(Fraction(x).limit_denominator(12) for x in row) for row in m)


def _conjugated_operations(child: _Cell, t_matrix: np.ndarray, parent_rotations: set):
    """The child's operations in S's coordinates, exact, or None when a
    rotation part is not one of S's (a cheap test before GAP)."""
    tinv = np.linalg.inv(t_matrix)
    ops = []
    for r, t in zip(child.rotations, child.translations):
        rp = t_matrix @ r @ tinv
        rounded = np.round(rp)
        if not np.allclose(rp, rounded, atol=1e-6):
            return None
        key = tuple(tuple(int(x) for x in row) for row in rounded)
        if key not in parent_rotations:
            return None
        ops.append((key, tuple(_rational(x, "a child translation") for x in t_matrix @ t)))
    return ops


# --- atoms ------------------------------------------------------------------------

def _distances(points: np.ndarray, species, parent: _Cell) -> np.ndarray:
    """Distance (angstrom) from each point (parent coordinates) to the
    nearest parent atom of the same element, periodically."""
    out = np.zeros(len(points))
    for element in set(species):
        mask = np.array([s == element for s in species])
        theirs = parent.fractional[[s == element for s in parent.species]]
        if not len(theirs):
            out[mask] = np.inf
            continue
        d = points[mask][:, None, :] - theirs[None, :, :]
        d -= np.round(d)
        out[mask] = np.linalg.norm(d @ parent.basis.T, axis=2).min(axis=1)
    return out


def _origin_candidates(shifts, primitive: np.ndarray):
    """particular + every combination of the discrete generators, each
    taken up to its order modulo T(S)."""
    particular, discrete, _ = shifts
    pinv = np.linalg.inv(primitive)
    options = {tuple(particular)}
    for v in discrete:
        coords = pinv @ np.array([float(x) for x in v])
        order = 1
        while order < 24 and not np.allclose(order * coords, np.round(order * coords),
                                             atol=1e-9):
            order += 1
        options = {tuple(o[i] + k * v[i] for i in range(3)) for o in options
                   for k in range(order)}
    return sorted(options)


def _best_origin(shifts, t_matrix, child: _Cell, parent: _Cell, primitive):
    """Among the origin shifts, the one that puts the child's atoms nearest
    the parent's: (displacement, exact origin, fitted continuous shift)."""
    continuous = shifts[2]
    base = child.fractional @ t_matrix.T
    best = None
    for origin in _origin_candidates(shifts, primitive):
        o = np.array([float(x) for x in origin])
        shift = np.zeros(3)
        if continuous:
            shift = _polar_fit(base + o, child.species, parent, continuous)
        d = float(_distances(base + o + shift, child.species, parent).max())
        if best is None or d < best[0] - 1e-9:
            best = (d, tuple(Fraction(x) for x in origin), shift)
    return best


def _polar_fit(points, species, parent: _Cell, continuous):
    """The free shift along the polar directions that moves the mean
    displacement to zero along them (fractional, parent coordinates)."""
    directions = np.array([[float(x) for x in v] for v in continuous])
    total = np.zeros(3)
    for element in set(species):
        mine = points[[s == element for s in species]]
        theirs = parent.fractional[[s == element for s in parent.species]]
        d = theirs[None, :, :] - mine[:, None, :]
        d -= np.round(d)
        nearest = np.linalg.norm(d @ parent.basis.T, axis=2).argmin(axis=1)
        total += d[np.arange(len(mine)), nearest].sum(axis=0)
    mean = total / len(points)
    coefficients, *_ = np.linalg.lstsq(directions.T, mean, rcond=None)
    return directions.T @ coefficients


def _reduced_origin(origin) -> tuple[Fraction, ...]:
    """The origin modulo integer translations, in (-1/2, 1/2]."""
    out = []
    for x in origin:
        x = x - math.floor(x)
        out.append(x - 1 if x > Fraction(1, 2) else x)
    return tuple(out)


# --- the transition ---------------------------------------------------------------

def _index_guess(child: _Cell, parent: _Cell) -> float:
    """|S : K| from the orders of the conventional operation sets and the
    cell volumes (strain moves it off an integer)."""
    volume = abs(np.linalg.det(child.basis)) / abs(np.linalg.det(parent.basis))
    return len(parent.rotations) / len(child.rotations) * volume


def transition(parent_path, child_path, *, tol: float = 0.5, symprec: float = 1e-3,
               max_strain: float = DEFAULT_MAX_STRAIN,
               max_volume_change: float = DEFAULT_MAX_VOLUME_CHANGE,
               session: GapSession | None = None) -> Transition:
    """Embed the child's space group in the parent's (module docstring).

    Parameters
    ----------
    parent_path, child_path
        Structure files (CIF, POSCAR), :class:`Structure`, ``ase.Atoms`` or
        pymatgen ``Structure`` objects.
    tol : float
        Largest distance (angstrom) from a child atom to the nearest parent
        atom of its element.
    symprec : float
        spglib's tolerance for both structures.
    max_strain, max_volume_change : float
        Limits on the shape and volume parts of the spontaneous strain
        (relative; module docstring).

    Raises
    ------
    InputError
        for unreadable or non-periodic structures, different compositions,
        a child that is no subgroup of the parent, one that is only for a
        strain beyond the limits, or atoms beyond ``tol`` (each its own
        message), or an index beyond :data:`~sbs_gap.groups.MAX_SUBGROUP_INDEX`.
    """
    if not (isinstance(tol, (int, float)) and 0 < tol < 5):
        raise InputError("--tol is a distance in angstrom, above 0 and below 5")
    for value, flag in ((max_strain, "--max-strain"), (max_volume_change,
                                                       "--max-volume-change")):
        if not (isinstance(value, (int, float)) and 0 <= value < 1):
            raise InputError(f"{flag} is a relative strain, at least 0 and below 1 "
                             "(0.1 is 10 %)")
    session = session or default_session()
    parent_structure = _as_periodic(to_structure(parent_path), "parent")
    child_structure = _as_periodic(to_structure(child_path), "child")
    if sorted(set(parent_structure.species)) != sorted(set(child_structure.species)):
        raise InputError(
            f"the parent ({'/'.join(sorted(set(parent_structure.species)))}) and the child "
            f"({'/'.join(sorted(set(child_structure.species)))}) have different elements")
    first = _dataset(parent_structure, symprec, "parent")
    S = space_group_by_number(int(first.number))
    pdata = _dataset(parent_structure, symprec, "parent", hall=S.hall_number)
    cdata = _dataset(child_structure, symprec, "child")
    child_group = space_group_by_number(int(cdata.number))
    parent = _conventional(parent_structure, pdata, S.hall_number)
    child = _conventional(child_structure, cdata, int(cdata.hall_number))
    names = (f"the child's group {child_group.hermann_mauguin} ({child_group.number})",
             f"the parent's {S.hermann_mauguin} ({S.number})")
    if _point_order(parent) % _point_order(child):
        raise InputError(f"{names[0]} is not a subgroup of {names[1]}: its point group "
                         f"{child_group.point_group} is not a subgroup of "
                         f"{S.point_group} (not a group-subgroup pair)")
    guess = _index_guess(child, parent)
    if guess * (1 - max_volume_change) > MAX_SUBGROUP_INDEX + 0.5:
        raise InputError(f"{names[0]} would have index about {guess:.0f} in {names[1]} "
                         f"(its primitive cell holds about "
                         f"{guess * _point_order(child) / _point_order(parent):.0f} of the "
                         f"parent's); subgroups up to index {MAX_SUBGROUP_INDEX} are supported")
    structure = space_group_structure(S, session=session)
    primitive = np.array([[float(x) for x in v] for v in structure.translation_basis]).T
    parent_rotations = {tuple(tuple(int(x) for x in row) for row in r)
                        for r in parent.rotations}

    def embeddings(limit_strain, limit_volume, stop_at_first=False):
        for shape, volume, strain, t_matrix in _alignments(child, parent, primitive,
                                                           limit_strain, limit_volume):
            ops = _conjugated_operations(child, t_matrix, parent_rotations)
            if ops is None:
                continue
            shifts = embedding_shifts(S, ops, session=session)
            if shifts is None:
                continue
            yield shape, volume, strain, t_matrix, ops, shifts
            if stop_at_first:
                return

    best = None
    tried = 0
    for shape, volume, strain, t_matrix, ops, shifts in embeddings(max_strain,
                                                                   max_volume_change):
        tried += 1
        displacement, origin, shift = _best_origin(shifts, t_matrix, child, parent, primitive)
        t_exact = _fractions(t_matrix)
        origin = _reduced_origin(origin)
        key = (round(displacement, 4), round(shape, 4),
               sum(x < 0 for row in t_exact for x in row),
               sum(abs(x) for row in t_exact for x in row), sum(abs(x) for x in origin),
               format_transformation(t_exact, origin))
        if best is None or key < best["key"]:
            best = dict(key=key, displacement=displacement, t=t_exact, origin=origin,
                        shift=shift, ops=ops, shape=shape, volume=volume, strain=strain)
    if best is None:
        relaxed = next(embeddings(max(_RELAXED_STRAIN, max_strain),
                                  max(_RELAXED_VOLUME, max_volume_change),
                                  stop_at_first=True), None)
        if relaxed is None:
            raise InputError(f"{names[0]} is not a subgroup of {names[1]} for any alignment "
                             f"of the child's cell (strain up to {_RELAXED_STRAIN:g}, volume "
                             f"change up to {_RELAXED_VOLUME:g}): not a group-subgroup pair")
        raise InputError(
            f"{names[0]} is a subgroup of {names[1]} only for lattice alignments beyond the "
            f"strain limits (--max-strain {max_strain:g}, --max-volume-change "
            f"{max_volume_change:g}): the smallest needs a shape strain of {relaxed[0]:.3f} "
            f"and a volume change of {relaxed[1]:+.3f}")
    if best["displacement"] > tol:
        raise InputError(
            f"{names[0]} embeds in {names[1]} (shape strain {best['shape']:.3f}), but the best "
            f"alignment leaves an atom {best['displacement']:.3f} angstrom from the nearest "
            f"parent atom of its element (--tol {tol:g})")
    generators = []
    for r, t in best["ops"]:
        o = best["origin"]
        shift = tuple(t[i] + o[i] - sum(r[i][k] * o[k] for k in range(3)) for i in range(3))
        generators.append(_affine(r, shift))
    identity = ((1, 0, 0), (0, 1, 0), (0, 0, 1))
    for j in range(3):
        generators.append(_affine(identity, tuple(best["t"][i][j] for i in range(3))))
    cls = space_subgroup_class(S, generators, session=session)
    row: SpacePartialBreaking = space_group_partial(S, cls, session=session)[0]
    reps = coset_representatives(S, cls, session=session)
    origin = np.array([float(x) for x in best["origin"]]) + best["shift"]
    cell, states = _domain_states(reps, best["t"], origin, child, parent)
    _check_states(states, child)
    return Transition(
        parent=S.name, parent_number=S.number, child=child_group.name,
        child_number=child_group.number, index=row.index, subgroup=row.subgroup,
        transformation=format_transformation(best["t"], best["origin"]),
        generalized_normalizer_is_normalizer=row.generalized_normalizer_is_normalizer,
        ideal=row.ideal, exact_min_size=row.exact_min_size,
        nonexact_min_size=row.nonexact_min_size, continuous=row.continuous,
        max_displacement=float(best["displacement"]), max_strain=float(best["shape"]),
        volume_change=float(best["volume"]),
        spontaneous_strain=tuple(tuple(float(x) for x in r) for r in best["strain"]),
        domain_cell=",".join(f"{n}{axis}" if n != 1 else axis
                             for n, axis in zip(cell, "abc")),
        domain_states=states, coset_representatives=tuple(reps))


def _affine(r, t):
    rows = [tuple(Fraction(x) for x in r[i]) + (Fraction(t[i]),) for i in range(3)]
    return tuple(rows) + ((Fraction(0), Fraction(0), Fraction(0), Fraction(1)),)


# --- domain states ------------------------------------------------------------------

def _centering(child: _Cell) -> list[tuple[Fraction, ...]]:
    """The child's centering vectors (its pure translations modulo Z^3, in
    its conventional coordinates), exact."""
    out = set()
    for r, t in zip(child.rotations, child.translations):
        if np.array_equal(r, np.eye(3, dtype=r.dtype)):
            out.add(tuple(Fraction(float(x)).limit_denominator(12) % 1 for x in t))
    return sorted(out)


def _common_cell(reps, t_exact, centering) -> tuple[int, int, int]:
    """The smallest (n1, n2, n3) with n_j e_j in every state's lattice
    R_i T(K) (e_j the parent's conventional basis vectors; T(K) is T Z^3
    plus the child's centering)."""
    inverses = []
    for rep in reps:
        r = [[Fraction(rep[i][j]) for j in range(3)] for i in range(3)]
        inverses.append(inverse(matmul(r, t_exact)))
    centering = set(centering)
    n = []
    for j in range(3):
        bound = 1
        for inv in inverses:
            for i in range(3):
                bound = math.lcm(bound, inv[i][j].denominator)
        n.append(next(k for k in range(1, bound + 1)
                      if all(tuple((k * inv[i][j]) % 1 for i in range(3)) in centering
                             for inv in inverses)))
    return tuple(n)


def _translations_in_cell(lattice: np.ndarray, centering: np.ndarray,
                          cell: np.ndarray) -> np.ndarray:
    """The translations of a state (lattice basis columns ``lattice`` plus
    ``centering`` in its coordinates) modulo the common cell, fractional in
    the cell (duplicates removed by the caller)."""
    m = np.linalg.inv(lattice) @ cell
    corners = np.array(list(product((0, 1), repeat=3))) @ m.T
    lo, hi = np.floor(corners.min(axis=0)).astype(int), np.ceil(corners.max(axis=0)).astype(int)
    axes = [np.arange(a, b + 1) for a, b in zip(lo, hi)]
    n = np.stack(np.meshgrid(*axes, indexing="ij"), -1).reshape(-1, 3).astype(float)
    n = (n[:, None, :] + centering[None, :, :]).reshape(-1, 3)
    return (n @ lattice.T) @ np.linalg.inv(cell).T


def _unique_points(frac: np.ndarray, species: tuple) -> tuple[np.ndarray, tuple]:
    keys = np.round(frac % 1.0, 6) % 1.0
    seen, keep = set(), []
    for i, (s, k) in enumerate(zip(species, map(tuple, keys))):
        if (s, k) not in seen:
            seen.add((s, k))
            keep.append(i)
    return frac[keep] % 1.0, tuple(species[i] for i in keep)


def _domain_states(reps, t_exact, origin, child: _Cell, parent: _Cell):
    t_matrix = np.array([[float(x) for x in row] for row in t_exact])
    points = child.fractional @ t_matrix.T + origin  # parent coordinates
    centering = _centering(child)
    n = _common_cell(reps, t_exact, centering)
    cell = np.diag(np.array(n, dtype=float))
    lattice = (parent.basis @ cell).T  # rows, angstrom, the parent's frame
    cinv = np.linalg.inv(cell)
    expected = len(child.species) * int(np.prod(n)) / abs(np.linalg.det(t_matrix))
    c = np.array([[float(x) for x in v] for v in centering])
    states = []
    for rep in reps:
        r = np.array([[float(x) for x in row[:3]] for row in rep[:3]])
        t = np.array([float(rep[i][3]) for i in range(3)])
        moved = points @ r.T + t
        shifts = _translations_in_cell(r @ t_matrix, c, cell)
        frac = ((moved @ cinv.T)[None, :, :] + shifts[:, None, :]).reshape(-1, 3)
        frac, species = _unique_points(frac, tuple(child.species) * len(shifts))
        if abs(len(species) - expected) > 1e-6:
            raise VerificationError(f"{len(species)} atoms in a domain state's cell, "
                               f"{expected:g} expected")
        states.append(Structure(species, frac @ lattice, lattice))
    return n, tuple(states)


def _same_state(a: Structure, b: Structure, tol: float = 1e-3) -> bool:
    """Whether two states in the same cell are the same atoms (modulo it)."""
    if sorted(a.species) != sorted(b.species):
        return False
    fa, fb = a.fractional, b.fractional
    for element in set(a.species):
        x = fa[[s == element for s in a.species]]
        y = fb[[s == element for s in b.species]]
        d = x[:, None, :] - y[None, :, :]
        d -= np.round(d)
        dist = np.linalg.norm(d @ a.lattice, axis=2)
        if dist.min(axis=1).max() > tol:
            return False
    return True


def _enantiomorph_number(child: _Cell) -> int:
    """The type of the child's mirror image (its own number unless the
    type is one of an enantiomorphic pair)."""
    mirrored = Structure(child.species, (-child.fractional) @ child.basis.T, child.basis.T)
    return int(_dataset(mirrored, 1e-3, "mirrored child").number)


def _check_states(states, child: _Cell) -> None:
    """Each state has the child's type (or its enantiomorph); no two are
    the same.  A failure is a bug, not bad input."""
    allowed = {child.number, _enantiomorph_number(child)}
    for i, state in enumerate(states):
        number = int(_dataset(state, 1e-3, "domain state").number)
        if number not in allowed:
            raise VerificationError(f"domain state {i + 1} has space group {number}, not "
                               f"{sorted(allowed)}")
    for i in range(len(states)):
        for j in range(i):
            if _same_state(states[i], states[j]):
                raise VerificationError(f"domain states {j + 1} and {i + 1} are the same")


def write_cif(path, structure: Structure, title: str = "structure",
              comments: tuple[str, ...] = ()) -> None:
    """A P1 CIF of a crystal structure (every atom listed), with optional
    comment lines at the top."""
    lattice = structure.lattice
    a, b, c = np.linalg.norm(lattice, axis=1)

    def angle(u, v):
        return float(np.degrees(np.arccos(np.clip(u @ v / np.linalg.norm(u) / np.linalg.norm(v),
                                                  -1, 1))))

    alpha, beta, gamma = angle(lattice[1], lattice[2]), angle(lattice[0], lattice[2]), \
        angle(lattice[0], lattice[1])
    lines = [f"# {c}" for c in comments]
    lines += [f"data_{title}", "_symmetry_space_group_name_H-M 'P 1'",
              "_space_group_IT_number 1",
              f"_cell_length_a {a:.6f}", f"_cell_length_b {b:.6f}", f"_cell_length_c {c:.6f}",
              f"_cell_angle_alpha {alpha:.6f}", f"_cell_angle_beta {beta:.6f}",
              f"_cell_angle_gamma {gamma:.6f}", "loop_", "_space_group_symop_operation_xyz",
              "'x, y, z'", "loop_", "_atom_site_label",
              "_atom_site_type_symbol", "_atom_site_fract_x", "_atom_site_fract_y",
              "_atom_site_fract_z"]
    for i, (s, f) in enumerate(zip(structure.species, structure.fractional % 1.0), start=1):
        lines.append(f"{s}{i} {s} {f[0]:.8f} {f[1]:.8f} {f[2]:.8f}")
    Path(path).write_text("\n".join(lines) + "\n", encoding="utf-8")
