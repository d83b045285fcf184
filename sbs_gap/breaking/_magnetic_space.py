"""Symmetry breaking for grey space groups in E(3) x {1, theta}.

docs/theory.md sections 8 and 9: the parent is S' = S x {1, theta} (a
paramagnet), the target a magnetic subgroup M of S' without theta.  M is
given by its image H in S (theta forgotten: one-to-one on M) and a
homomorphism chi: H -> Z2 (which elements carry theta); its unitary part
H0 = ker chi.  The normalizer of S' is N_E(S) x {1, theta}; GAP runs the
section-3 engine in F' = N / (L C) x <theta>, L the normal core of the
theta-free lattice T(H0) (gap_scripts/gap/magspace.gi).

The classes of magnetic subgroups: for each enumerated class of subgroups H
of S (every t-subgroup and the maximal k-subgroups of index 2 to 4,
:mod:`._e3_structure`), M = H (type I) and one M per N_S(H)-orbit of
nontrivial chi (types III and IV).  Each is named by its BNS symbol and
number, identified by spglib's magnetic symmetry dataset of a generic
magnetic pattern with exactly that symmetry, and the transformation
``[a',b',c'; p]`` from S's basis and origin to the BNS standard setting
that spglib reports for it.
"""
from __future__ import annotations

from dataclasses import dataclass

import itertools
import re

import numpy as np

from ..errors import InputError
from ..exact import affine, rational_matrix
from ..gap import GapSession, default_session
from ..groups import (
    GreySpaceGroup, MagneticSpaceGroupType, cell_basis, grey_space_group,
    magnetic_space_group_type, magnetic_space_group_types, quiet_spglib,
)
from ..groups import point_group
from ._e3_naming import rotation_point_group
from ._e3_structure import SpaceGroupStructure, space_group_structure, space_subgroup_classes
from ._results import SpaceFullBreaking, SpacePartialBreaking, space_full_result
from ._transformations import Matrix, format_transformation, rational_floats, small_rational

__all__ = ["MagneticSpaceSubgroupClass", "MagneticSpacePartialBreaking",
           "MagneticSpaceFullBreaking", "magnetic_space_subgroup_classes",
           "select_magnetic_space_classes", "magnetic_space_partial", "magnetic_space_full",
           "magnetic_space_operations", "magnetic_space_classes_over", "lattice_target"]

_KINDS = {1: "I", 2: "II", 3: "III", 4: "IV"}

# Two generic points with generic axial moments (S's fractional
# coordinates, Cartesian), as two species: their orbits under M have
# exactly M's symmetry (checked for each class); one orbit alone can have
# more (an inversion through a point keeps its axial moment).
_GENERIC_POINTS = np.array([[0.1234, 0.3179, 0.0712], [0.4127, 0.0561, 0.2893]])
_GENERIC_MOMENTS = np.array([[0.31, -0.57, 0.77], [-0.63, 0.21, 0.44]])


@dataclass(frozen=True)
class MagneticSpaceSubgroupClass:
    """One S'-conjugacy class of magnetic subgroups M (without theta) of a
    grey space group S'.

    Attributes
    ----------
    name : str
        ``BNS-SYMBOL (BNS-NUMBER) [a',b',c'; p]``: M's type and the
        transformation from S's basis and origin to its BNS standard setting.
    symbol, bns_number : str
        M's BNS symbol and number.
    uni_number : int
        Its number in spglib's magnetic database.
    magnetic_type : str
        ``"I"``, ``"III"`` or ``"IV"``.
    family : str
        The class of H, M with theta forgotten (:class:`SpaceSubgroupClass` name).
    kind : str
        H's kind (``"t"``, ``"k"``, ``"general"``).
    index : int
        |S' : M| = 2 |S : H|, the number of magnetic domain states.
    transformation : str
    generators : tuple
        Affine 4x4 generators of H (one member), with ``flags``: 1 where the
        element of M carries theta.
    flags : tuple of int
    """

    name: str
    symbol: str
    bns_number: str
    uni_number: int
    magnetic_type: str
    family: str
    kind: str
    index: int
    transformation: str
    generators: tuple[Matrix, ...]
    flags: tuple[int, ...]


@dataclass(frozen=True)
class MagneticSpacePartialBreaking(SpacePartialBreaking):
    """:class:`SpacePartialBreaking` of a grey space group S' to a magnetic
    subgroup M: ``subgroup_number`` is the ITA number of M's BNS reference
    group; also M's BNS number, its type, the class of its image H in S and
    whether M keeps theta (never: the targets are magnetic orderings)."""

    subgroup_bns_number: str = ""
    magnetic_type: str = ""
    family: str = ""
    time_reversal_kept: bool = False


@dataclass(frozen=True)
class MagneticSpaceFullBreaking(SpaceFullBreaking):
    """:class:`SpaceFullBreaking` of a grey space group S' to T(S) (every
    symmetry but the lattice translations broken, theta included):
    ``complement`` names the magnetic point group of a stabilizer."""

    magnetic_type: str = "II"


def _structure(S, session: GapSession) -> tuple[GreySpaceGroup, SpaceGroupStructure]:
    grey = grey_space_group(S)
    return grey, space_group_structure(grey.space_group, session=session)


def magnetic_space_operations(structure: SpaceGroupStructure, generators, flags,
                              session: GapSession) -> dict:
    """GAP's description of M: its theta-free lattice (rows), operations
    ``[R, t, flag]`` modulo it and its index in S'."""
    return session.call("SBS_MagneticSpaceGroupOperations", structure.key, list(generators),
                        list(flags), requires=(structure.key,))


def _identify(structure: SpaceGroupStructure, ops: dict) -> tuple[int, str]:
    """(spglib's UNI number, the transformation to M's BNS standard setting) of
    M, from a generic magnetic pattern with M's symmetry; the transformation
    is checked: it carries M's operations onto those of the BNS setting
    (:meth:`MagneticSpaceGroupType.operations`, ISO-MAG's setting)."""
    basis = cell_basis(structure.cell)
    theta_free = rational_floats(ops["lattice"])  # rows, S's coordinates
    operations = [(rational_floats(r), rational_floats(t), int(f))
                  for r, t, f in ops["operations"]]
    # spglib reads the pattern in a conventional supercell of S (no stderr
    # warnings from skewed bases); where it finds no type there (seen for
    # some subgroups of body-centred groups), in a Niggli-reduced cell
    for lattice in (_supercell(theta_free, basis), _reduced(theta_free, basis)):
        dataset = _magnetic_dataset(operations, theta_free, lattice, basis)
        if dataset is not None:
            break
    else:
        raise RuntimeError("sbs_gap: the generic pattern of a magnetic subgroup has another "
                           "symmetry than the subgroup")
    dataset, lattice = dataset
    record = _records_by_uni()[int(dataset.uni_number)]
    # x_std = P x + p in the lattice's coordinates: the standard basis is
    # lattice^T P^-1, its origin lattice^T (-P^-1 p), in S's coordinates
    p_inverse = np.linalg.inv(dataset.transformation_matrix)
    columns = lattice.T @ p_inverse
    origin = lattice.T @ (-p_inverse @ dataset.origin_shift)
    columns, origin = _bns_setting(record, operations, theta_free, columns, origin)
    p_matrix = tuple(tuple(small_rational(x) for x in row) for row in columns)
    shift = tuple(small_rational(x) % 1 for x in origin)
    return record.uni_number, format_transformation(p_matrix, shift)


def _magnetic_dataset(operations, theta_free, lattice, basis):
    """spglib's magnetic dataset of a generic two-species pattern with M's
    symmetry in the cell ``lattice`` (rows, inside the theta-free lattice),
    or None when spglib finds no type or another symmetry."""
    import spglib

    shifts = _points_modulo(theta_free, lattice)
    positions, moments, species = [], [], []
    for r, t, flag in operations:
        cartesian = basis @ r @ np.linalg.inv(basis)
        for kind, (point, moment) in enumerate(zip(_GENERIC_POINTS, _GENERIC_MOMENTS)):
            m = (-1) ** flag * np.linalg.det(r) * cartesian @ moment
            for shift in shifts:
                positions.append(np.linalg.solve(lattice.T, r @ point + t + shift) % 1.0)
                moments.append(m)
                species.append(kind + 1)
    with quiet_spglib():
        dataset = spglib.get_magnetic_symmetry_dataset(
            ((basis @ lattice.T).T, positions, species, moments))
    if dataset is None or len(dataset.rotations) != len(operations) * len(shifts):
        return None
    return dataset, lattice


def _residues(x) -> tuple | None:
    """Coordinates modulo 1 as residues of 48ths (every translation of a
    space group in a standard setting is a multiple of 1/48), None if not."""
    scaled = np.asarray(x, dtype=float) * 48
    rounded = np.round(scaled)
    if np.abs(scaled - rounded).max() > 1e-6:
        return None
    return tuple(int(v) % 48 for v in rounded)


def _bns_setting(record: MagneticSpaceGroupType, operations, lattice, columns, origin):
    """spglib's standard setting moved to ISO-MAG's (the record's stored basis
    and origin change; then an origin shift on a 1/8 grid, where spglib
    chose the other origin), checked on every operation and centring."""
    table = {}
    for r, t, f in zip(*record.operations()):
        table.setdefault((tuple(r.ravel()), int(f)), set()).add(_residues(t))
    stored_basis, stored_origin = record.spglib_setting()
    basis_change = np.eye(3) if stored_basis is None else np.array(stored_basis, dtype=float)
    shift = np.zeros(3) if stored_origin is None else np.array(stored_origin, dtype=float)
    grid = sorted(itertools.product([k / 8 for k in range(8)], repeat=3),
                  key=lambda v: (sum(x > 0 for x in v), v))
    for c, o in ((columns @ basis_change, origin + columns @ shift), (columns, origin)):
        inverse = np.linalg.inv(c)
        # the lattice's points in the cell (centrings) must be the table's
        steps = (inverse @ lattice.T).T
        centrings = {_residues(np.asarray(n) @ steps % 1.0)
                     for n in itertools.product(range(-3, 4), repeat=3)}
        identity = (tuple(np.eye(3, dtype=int).ravel()), 0)
        if centrings != table.get(identity):
            continue
        moved = []
        for r, t, flag in operations:
            rotation = np.round(inverse @ r @ c)
            key = (tuple(int(x) for x in rotation.ravel()), flag)
            if key not in table:
                break
            moved.append((table[key], rotation - np.eye(3), inverse @ (r @ o + t - o)))
        else:
            if len(operations) * len(centrings) != sum(len(v) for v in table.values()):
                continue
            for v in grid:
                step = np.array(v)
                if all(_residues(t0 + w @ step) in wanted for wanted, w, t0 in moved):
                    return c, o + c @ step
    raise RuntimeError(f"sbs_gap: no setting of {record.bns_symbol} ({record.bns_number}) "
                       "found for a magnetic subgroup")


def _supercell(lattice: np.ndarray, basis: np.ndarray) -> np.ndarray:
    """The cell in which spglib reads M's pattern (rows, S's coordinates): the
    conventional cell of S multiplied along each axis as little as puts it
    inside the lattice (spglib warns on stderr for some skewed bases of the
    same lattice), else a Niggli-reduced basis of the lattice."""
    inverse = np.linalg.inv(lattice.T)
    multiples = []
    for axis in np.eye(3):
        m = next((m for m in range(1, 7)
                  if np.allclose(inverse @ (m * axis), np.round(inverse @ (m * axis)),
                                 atol=1e-9)), None)
        if m is None:
            return _reduced(lattice, basis)
        multiples.append(m)
    return np.diag(np.array(multiples, dtype=float))


def _points_modulo(lattice: np.ndarray, cell: np.ndarray) -> list[np.ndarray]:
    """The points of ``lattice`` (rows) modulo its sublattice ``cell``
    (rows), as vectors in S's coordinates."""
    count = int(round(abs(np.linalg.det(cell) / np.linalg.det(lattice))))
    inverse = np.linalg.inv(cell.T)
    points: dict[tuple, np.ndarray] = {}
    reach = 1
    while len(points) < count:
        reach += 1
        if reach > 12:
            raise RuntimeError("sbs_gap: could not list a lattice modulo a supercell")
        for n in itertools.product(range(-reach, reach + 1), repeat=3):
            v = np.asarray(n, dtype=float) @ lattice
            f = inverse @ v
            key = tuple(np.round(f - np.floor(f + 1e-9), 6))
            points.setdefault(key, cell.T @ np.array(key))
    return [points[k] for k in sorted(points)]


def _reduced(lattice: np.ndarray, basis: np.ndarray) -> np.ndarray:
    """A Niggli-reduced basis (rows, S's coordinates) of the lattice."""
    import spglib

    with quiet_spglib():
        reduced = spglib.niggli_reduce((basis @ lattice.T).T)
    if reduced is None:
        return lattice
    return np.round(np.linalg.solve(basis, np.asarray(reduced).T).T * 48) / 48


def _records_by_uni() -> dict[int, MagneticSpaceGroupType]:
    return {r.uni_number: r for r in magnetic_space_group_types()}


def _classes(structure: SpaceGroupStructure, families, session: GapSession,
             wanted: MagneticSpaceGroupType | None = None
             ) -> tuple[MagneticSpaceSubgroupClass, ...]:
    """The magnetic classes over the given classes H of S (one GAP call for
    the characters); only those of type ``wanted`` if given."""
    characters = session.call("SBS_MagneticSpaceGroupCharacters", structure.key,
                              [list(h.generators) for h in families],
                              requires=(structure.key,))
    records = _records_by_uni()
    result = []
    for h, chis in zip(families, characters):
        candidates = [[0] * len(h.generators)] + [list(c) for c in chis]
        if wanted is not None:
            candidates = [c for c in candidates if (any(c) == (wanted.type != 1))]
        for flags in candidates:
            ops = magnetic_space_operations(structure, h.generators, flags, session)
            uni, transformation = _identify(structure, ops)
            record = records[uni]
            if wanted is not None and uni != wanted.uni_number:
                continue
            result.append(MagneticSpaceSubgroupClass(
                name=f"{record.bns_symbol} ({record.bns_number}) [{transformation}]",
                symbol=record.bns_symbol, bns_number=record.bns_number, uni_number=uni,
                magnetic_type=_KINDS[record.type], family=h.name, kind=h.kind,
                index=int(ops["index"]), transformation=transformation,
                generators=tuple(h.generators), flags=tuple(int(f) for f in flags)))
    return tuple(result)


def magnetic_space_classes_over(S, families, *, session: GapSession | None = None
                                ) -> tuple[MagneticSpaceSubgroupClass, ...]:
    """The classes of magnetic subgroups M of S' whose image H (theta
    forgotten) lies in one of the given classes of subgroups of S
    (:class:`SpaceSubgroupClass`), e.g. S itself for the k = 0 orderings
    that keep every operation of S up to theta."""
    session = session or default_session()
    _, structure = _structure(S, session)
    return _classes(structure, list(families), session)


def magnetic_space_subgroup_classes(S, *, session: GapSession | None = None
                                    ) -> tuple[MagneticSpaceSubgroupClass, ...]:
    """Every enumerated class of magnetic subgroups of the grey group S'
    (types I, III, IV over the t-subgroups and maximal k-subgroups of S)."""
    session = session or default_session()
    _, structure = _structure(S, session)
    return session.memo(("magnetic-space-classes", structure.key), lambda: _classes(
        structure, space_subgroup_classes(structure.group, session=session), session))


def select_magnetic_space_classes(S, K, *, session: GapSession | None = None
                                  ) -> tuple[MagneticSpaceSubgroupClass, ...]:
    """The classes a ``--to`` argument names: a BNS symbol or number (every
    enumerated class of that type) or a class name as listed."""
    session = session or default_session()
    grey, structure = _structure(S, session)
    if isinstance(K, MagneticSpaceSubgroupClass):
        return (K,)
    if not isinstance(K, str) or len(K) > 200:
        raise InputError("a magnetic target is a BNS symbol or number: \"P4_2'/mnm'\" or "
                         "136.499")
    m = re.match(r"^\s*(?P<type>[^\[\]]+?)\s*(?:\((?P<number>[0-9.]+)\))?\s*"
                 r"(?:\[(?P<transformation>[^\[\]]*)\])?\s*$", K)
    if m is None:
        raise InputError(f"cannot read the magnetic target {K!r}: give a BNS symbol or number "
                         "(P4_2'/mnm', 136.499), optionally with the transformation of its "
                         "class as sbs partial lists it")
    type_text = m.group("number") or m.group("type")
    if m.group("transformation") is not None:
        transformation = _squeezed(m.group("transformation"))
        matches = [c for c in select_magnetic_space_classes(grey, type_text, session=session)
                   if _squeezed(c.transformation) == transformation]
        if not matches:
            raise InputError(f"{grey.name} has no magnetic subgroup class named {K!r} among "
                             "its enumerated classes (sbs partial without --to lists them)")
        return tuple(matches)
    K = type_text
    wanted = magnetic_space_group_type(K)
    if wanted.type == 2:
        raise InputError(f"{wanted.bns_symbol} ({wanted.bns_number}) is a grey group: a "
                         "magnetic ordering breaks time reversal, its target has no 1'")
    family = wanted.family_number()
    families = [h for h in space_subgroup_classes(structure.group, session=session)
                if h.number == family]
    matches = _classes(structure, families, session, wanted)
    if not matches:
        raise InputError(
            f"{grey.name} has no {wanted.bns_symbol} ({wanted.bns_number}) among the magnetic "
            f"subgroups over its t-subgroups and maximal k-subgroups (M with theta "
            f"forgotten is a space group of type {family}; "
            + ("none of its enumerated subgroups has that type)" if not families else
               "none of its homomorphisms to Z2 gives this type)"))
    return matches


def _squeezed(text: str) -> str:
    return re.sub(r"\s+", "", text)


def _target(generators, flags) -> list:
    return [list(generators), list(flags)]


def magnetic_space_partial(S, K=None, *, session: GapSession | None = None
                           ) -> tuple[MagneticSpacePartialBreaking, ...]:
    """Partial breaking of the grey space group S' to magnetic subgroups M
    (``sbs partial "P4_2/mnm1'" --to "P4_2'/mnm'"``), one row per class."""
    session = session or default_session()
    grey, structure = _structure(S, session)
    if K is None:
        classes = magnetic_space_subgroup_classes(grey, session=session)
    else:
        classes = select_magnetic_space_classes(grey, K, session=session)
    rows = session.call("SBS_MagneticSpaceGroupBreaking", structure.key,
                        [_target(c.generators, c.flags) for c in classes], False,
                        requires=(structure.key,))
    return tuple(MagneticSpacePartialBreaking(
        group=grey.name, subgroup=c.name, subgroup_number=int(c.bns_number.split(".")[0]),
        kind=c.kind, index=r["index"],
        generalized_normalizer_is_normalizer=r["generalized_normalizer_is_normalizer"],
        ideal=r["ideal"], exact_min_size=r["exact_min_size"],
        nonexact_min_size=r["nonexact_min_size"],
        break_more_is_smaller=r["break_more_is_smaller"], continuous=r["continuous"],
        subgroup_bns_number=c.bns_number, magnetic_type=c.magnetic_type, family=c.family)
        for c, r in zip(classes, rows))


def lattice_target(structure: SpaceGroupStructure) -> list:
    """T(S) without theta as a magnetic target: its basis translations, each
    without theta."""
    identity = rational_matrix([[1, 0, 0], [0, 1, 0], [0, 0, 1]])
    generators = [affine(identity, v) for v in structure.translation_basis]
    return _target(generators, [0] * len(generators))


def magnetic_point_group_name(operations) -> str:
    """The magnetic point group of rotation parts with flags ``[R, flag]``
    in Schoenflies' magnetic notation: ``D4h`` (no theta), ``D4h1'`` (grey)
    or ``D4h(C4h)`` (the image and its theta-free half)."""
    rotations = [r for r, _ in operations]
    image = point_group(rotation_point_group(rotations)).schoenflies
    plain = [r for r, f in operations if not f]
    primed = [r for r, f in operations if f]
    if not primed:
        return image
    if {_key(r) for r in primed} == {_key(r) for r in rotations}:
        return f"{image}1'"
    return f"{image}({point_group(rotation_point_group(plain)).schoenflies})"


def _key(r) -> tuple:
    return tuple(tuple(str(x) for x in row) for row in r)


def magnetic_space_full(S, *, session: GapSession | None = None) -> MagneticSpaceFullBreaking:
    """Full breaking of the grey space group S' to T(S) without theta
    (``sbs full "Pm-3m1'"``)."""
    session = session or default_session()
    grey, structure = _structure(S, session)
    record = session.call("SBS_MagneticSpaceGroupBreaking", structure.key,
                          [lattice_target(structure)], True, requires=(structure.key,))[0]
    names = [magnetic_point_group_name(w) for w in record.get("witness_operations") or []]
    plain = space_full_result(structure=structure, record=record,
                              complement=min(names) if names else None)
    fields = plain.to_json()
    fields.update(group=grey.name, normalizer=f"{plain.normalizer}1'")
    return MagneticSpaceFullBreaking(**fields)
