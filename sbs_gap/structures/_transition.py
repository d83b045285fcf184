"""Phase transitions between two crystal structures (``sbs transition``).

A parent (high-symmetry) and a child (distorted) structure: spglib finds the
parent's space group S (in its default ITA setting, docs/theory.md section 8)
and the child's group; the child is embedded in S as a subgroup K:

1. lattice: an integer matrix T (child basis = parent basis T, columns in
   S's conventional basis) whose metric matches the child's within the
   strain tolerance (rotations of the Cartesian frame do not matter);
2. operations: the child's operations (R_c, t_c) become (T R_c T^-1, T t_c)
   in S's coordinates; GAP finds the origin shifts o that conjugate them
   into S (``embedding_shifts``);
3. atoms: among those shifts (and the alignments T), the one that puts each
   child atom closest to a parent atom of the same element; it must be
   within ``tol`` (angstrom).

The domain states are the child, placed in S's frame, transformed by coset
representatives of K in S: |S : K| structures, written as CIF files in the
parent's metric (the child's spontaneous strain is dropped; its atomic
displacements are kept).
"""
from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from itertools import product
from pathlib import Path

import numpy as np

from ..breaking import (
    SpacePartialBreaking, coset_representatives, embedding_shifts, format_transformation,
    space_group_partial, space_group_structure, space_subgroup_class,
)
from ..errors import InputError
from ..gap import GapSession, default_session
from ..groups import quiet_spglib, space_group_by_number
from ._readers import Structure, read_structure

__all__ = ["Transition", "transition", "write_cif"]

#: Relative tolerance on the lattice metric when matching the child's cell.
STRAIN_TOLERANCE = 0.05


@dataclass(frozen=True)
class Transition:
    """The answer of ``sbs transition``: the fields of ``--json`` plus the
    domain states (structures in the parent's frame)."""

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
    domain_states: tuple[Structure, ...]

    def record(self) -> dict:
        fields = ("parent", "parent_number", "child", "child_number", "index", "subgroup",
                  "transformation", "generalized_normalizer_is_normalizer", "ideal",
                  "exact_min_size", "nonexact_min_size", "continuous")
        return {k: getattr(self, k) for k in fields}


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


def _rational(x: float, what: str) -> Fraction:
    q = Fraction(float(x)).limit_denominator(48)
    if abs(float(q) - float(x)) > 1e-4:
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


def _lattice_vectors(primitive: np.ndarray, radius: float, conventional: np.ndarray):
    """Vectors of the lattice (primitive basis columns, conventional
    coordinates) up to ``radius`` angstrom: (coordinates, lengths)."""
    r = range(-4, 5)
    combos = np.array([c for c in product(r, r, r) if any(c)], dtype=float)
    coords = combos @ primitive.T
    lengths = np.linalg.norm(coords @ conventional.T, axis=1)
    keep = lengths <= radius
    return coords[keep], lengths[keep]


def _alignments(child_metric: np.ndarray, primitive: np.ndarray, conventional: np.ndarray):
    """Integer-lattice matrices T (child basis vectors as columns, in the
    parent's conventional coordinates) whose metric matches the child's."""
    child_lengths = np.sqrt(np.diag(child_metric))
    coords, lengths = _lattice_vectors(primitive, child_lengths.max() * (1 + STRAIN_TOLERANCE),
                                       conventional)
    candidates = [coords[np.abs(lengths - length) <= STRAIN_TOLERANCE * length]
                  for length in child_lengths]
    g = conventional.T @ conventional
    found = []
    for c0 in candidates[0]:
        for c1 in candidates[1]:
            if abs(c0 @ g @ c1 - child_metric[0, 1]) > STRAIN_TOLERANCE * child_lengths[0] \
                    * child_lengths[1]:
                continue
            for c2 in candidates[2]:
                t = np.array([c0, c1, c2]).T
                m = t.T @ g @ t
                if np.all(np.abs(m - child_metric) <= STRAIN_TOLERANCE * np.outer(
                        child_lengths, child_lengths)) and np.linalg.det(t) > 1e-9:
                    found.append(t)
    return found


def _fractions(m: np.ndarray) -> tuple:
    return tuple(tuple(Fraction(x).limit_denominator(12) for x in row) for row in m)


def transition(parent_path, child_path, *, tol: float = 0.5, symprec: float = 1e-3,
               session: GapSession | None = None) -> Transition:
    """Embed the child's space group in the parent's (module docstring).

    Raises
    ------
    InputError
        for unreadable or non-periodic files, different compositions, or a
        child group that is no subgroup of the parent's for any alignment
        within the tolerances.
    """
    if not (isinstance(tol, (int, float)) and 0 < tol < 5):
        raise InputError("--tol is a distance in angstrom, above 0 and below 5")
    session = session or default_session()
    parent = _as_periodic(read_structure(parent_path), "parent")
    child = _as_periodic(read_structure(child_path), "child")
    if sorted(set(parent.species)) != sorted(set(child.species)):
        raise InputError(f"the parent ({'/'.join(sorted(set(parent.species)))}) and the child "
                         f"({'/'.join(sorted(set(child.species)))}) have different elements")
    first = _dataset(parent, symprec, "parent")
    S = space_group_by_number(int(first.number))
    pdata = _dataset(parent, symprec, "parent", hall=S.hall_number)
    cdata = _dataset(child, symprec, "child")
    child_group = space_group_by_number(int(cdata.number))
    structure = space_group_structure(S, session=session)
    # parent in S's conventional setting: x_std = Ps x + ps, basis A Ps^-1
    ps = np.array(pdata.transformation_matrix, dtype=float)
    conventional = parent.lattice.T @ np.linalg.inv(ps)  # columns a, b, c (angstrom)
    parent_frac = (parent.fractional @ ps.T + np.array(pdata.origin_shift)) % 1.0
    primitive = np.array([[float(x) for x in v] for v in structure.translation_basis]).T
    child_basis = child.lattice.T
    child_metric = child_basis.T @ child_basis
    child_frac = child.fractional % 1.0
    child_ops = [(np.array(r, dtype=float), np.array(t, dtype=float))
                 for r, t in zip(cdata.rotations, cdata.translations)]
    best = None
    for t_matrix in _alignments(child_metric, primitive, conventional):
        t_exact = _fractions(t_matrix)
        tinv = np.linalg.inv(t_matrix)
        ops = []
        for r, t in child_ops:
            rp = t_matrix @ r @ tinv
            if not np.allclose(rp, np.round(rp), atol=1e-6):
                break
            ops.append((tuple(tuple(int(round(x)) for x in row) for row in rp),
                        tuple(_rational(x, "a child translation") for x in t_matrix @ t)))
        else:
            shifts = embedding_shifts(S, ops, session=session)
            if shifts is None:
                continue
            candidate = _best_origin(shifts, t_matrix, child_frac, child.species, parent_frac,
                                     parent.species, conventional)
            if candidate is None:
                continue
            # equally good alignments (related by the parent's symmetry): the
            # one closest to the identity, then the simplest origin
            key = (round(candidate[0], 6), sum(x < 0 for row in t_exact for x in row),
                   sum(abs(x) for row in t_exact for x in row),
                   sum(abs(x) for x in candidate[1]), format_transformation(t_exact,
                                                                            candidate[1]))
            if best is None or key < best[4]:
                best = (candidate[0], t_exact, candidate[1], ops, key)
    if best is None or best[0] > tol:
        detail = "" if best is None else (f" (the best alignment leaves an atom "
                                          f"{best[0]:.2f} angstrom from the parent's)")
        raise InputError(
            f"the child's group {child_group.hermann_mauguin} ({child_group.number}) is not a "
            f"subgroup of the parent's {S.hermann_mauguin} ({S.number}) for any alignment "
            f"within the tolerance{detail}")
    displacement, t_exact, origin, ops, _ = best
    generators = []
    for r, t in ops:
        shift = tuple(t[i] + origin[i] - sum(r[i][k] * origin[k] for k in range(3))
                      for i in range(3))
        generators.append(_affine(r, shift))
    identity = ((1, 0, 0), (0, 1, 0), (0, 0, 1))
    for j in range(3):
        generators.append(_affine(identity, tuple(t_exact[i][j] for i in range(3))))
    cls = space_subgroup_class(S, generators, session=session)
    row: SpacePartialBreaking = space_group_partial(S, cls, session=session)[0]
    states = _domain_states(S, cls, t_exact, origin, child_frac, child.species, conventional,
                            session)
    return Transition(
        parent=S.name, parent_number=S.number, child=child_group.name,
        child_number=child_group.number, index=row.index, subgroup=row.subgroup,
        transformation=format_transformation(t_exact, origin),
        generalized_normalizer_is_normalizer=row.generalized_normalizer_is_normalizer,
        ideal=row.ideal, exact_min_size=row.exact_min_size,
        nonexact_min_size=row.nonexact_min_size, continuous=row.continuous,
        max_displacement=float(displacement), domain_states=states)


def _affine(r, t):
    rows = [tuple(Fraction(x) for x in r[i]) + (Fraction(t[i]),) for i in range(3)]
    return tuple(rows) + ((Fraction(0), Fraction(0), Fraction(0), Fraction(1)),)


def _max_displacement(points: np.ndarray, species, parent_frac, parent_species,
                      conventional) -> float:
    """The largest distance (angstrom) from a point (parent coordinates) to
    the nearest parent atom of the same element, periodically."""
    worst = 0.0
    for element in set(species):
        mine = points[[s == element for s in species]]
        theirs = parent_frac[[s == element for s in parent_species]]
        d = mine[:, None, :] - theirs[None, :, :]
        d -= np.round(d)
        dist = np.linalg.norm(d @ conventional.T, axis=2).min(axis=1)
        worst = max(worst, float(dist.max()))
    return worst


def _best_origin(shifts, t_matrix, child_frac, child_species, parent_frac, parent_species,
                 conventional):
    """Among the origin shifts (particular + discrete combinations, with the
    continuous part fitted), the one that puts the child's atoms nearest the
    parent's: (displacement, exact origin) or None."""
    particular, discrete, continuous = shifts
    base = child_frac @ t_matrix.T
    # particular + every 0/1 combination of the discrete generators (each
    # has order 2 or more modulo T(S); the combinations are the candidates)
    options = [particular]
    for v in discrete:
        options = options + [tuple(a + b for a, b in zip(o, v)) for o in options]
    best = None
    for origin in set(options):
        o = np.array([float(x) for x in origin])
        points = base + o
        if continuous:
            # fit the free shift along the polar directions: move the mean
            # displacement to zero along them
            shift = _polar_fit(points, child_species, parent_frac, parent_species, continuous,
                               conventional)
            origin = tuple(Fraction(x) + Fraction(s).limit_denominator(10**6)
                           for x, s in zip(origin, shift))
            points = base + np.array([float(x) for x in origin])
        d = _max_displacement(points, child_species, parent_frac, parent_species, conventional)
        if best is None or d < best[0] - 1e-9:
            best = (d, tuple(Fraction(x) for x in origin))
    return best


def _polar_fit(points, species, parent_frac, parent_species, continuous, conventional):
    directions = np.array([[float(x) for x in v] for v in continuous])
    total = np.zeros(3)
    for element in set(species):
        mine = points[[s == element for s in species]]
        theirs = parent_frac[[s == element for s in parent_species]]
        d = theirs[None, :, :] - mine[:, None, :]
        d -= np.round(d)
        nearest = np.linalg.norm(d @ conventional.T, axis=2).argmin(axis=1)
        total += d[np.arange(len(mine)), nearest].sum(axis=0)
    mean = total / len(points)
    # the component of the mean along the continuous directions (fractional)
    coefficients, *_ = np.linalg.lstsq(directions.T, mean, rcond=None)
    return directions.T @ coefficients


def _domain_states(S, cls, t_exact, origin, child_frac, species, conventional, session):
    t_matrix = np.array([[float(x) for x in row] for row in t_exact])
    o = np.array([float(x) for x in origin])
    points = child_frac @ t_matrix.T + o  # parent coordinates
    states = []
    for rep in coset_representatives(S, cls, session=session):
        r = np.array([[float(x) for x in row[:3]] for row in rep[:3]])
        t = np.array([float(rep[i][3]) for i in range(3)])
        cell = r @ t_matrix  # the state's cell, parent coordinates (columns)
        moved = points @ r.T + t
        frac = (moved @ np.linalg.inv(cell).T) % 1.0
        lattice = (conventional @ cell).T
        states.append(Structure(tuple(species), frac @ lattice, lattice))
    return tuple(states)


def write_cif(path, structure: Structure, title: str = "structure") -> None:
    """A P1 CIF of a crystal structure (every atom listed)."""
    lattice = structure.lattice
    a, b, c = np.linalg.norm(lattice, axis=1)

    def angle(u, v):
        return float(np.degrees(np.arccos(np.clip(u @ v / np.linalg.norm(u) / np.linalg.norm(v),
                                                  -1, 1))))

    alpha, beta, gamma = angle(lattice[1], lattice[2]), angle(lattice[0], lattice[2]), \
        angle(lattice[0], lattice[1])
    lines = [f"data_{title}", "_symmetry_space_group_name_H-M 'P 1'",
             f"_cell_length_a {a:.6f}", f"_cell_length_b {b:.6f}", f"_cell_length_c {c:.6f}",
             f"_cell_angle_alpha {alpha:.6f}", f"_cell_angle_beta {beta:.6f}",
             f"_cell_angle_gamma {gamma:.6f}", "loop_", "_atom_site_label",
             "_atom_site_type_symbol", "_atom_site_fract_x", "_atom_site_fract_y",
             "_atom_site_fract_z"]
    for i, (s, f) in enumerate(zip(structure.species, structure.fractional % 1.0), start=1):
        lines.append(f"{s}{i} {s} {f[0]:.8f} {f[1]:.8f} {f[2]:.8f}")
    Path(path).write_text("\n".join(lines) + "\n", encoding="utf-8")
