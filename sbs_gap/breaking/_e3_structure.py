"""Space groups registered in a GAP session: the Euclidean normalizer and the
subgroup classes (docs/theory.md section 8; gap_scripts/gap/space.gi).

The Euclidean normalizer N_E(S) comes from the lattice holohedry of the
metric (generic for the crystal family unless a cell is given) and
Smith-normal-form solutions of the normalizing congruences.

What the normalizers were checked against: for all 230 types, |N : S|, the
dimension of the continuous translations and the rotation parts agree with
moyo's Euclidean normalizers (tests/data/moyo_reference.json, whose values
follow ITA Vol. A Tables 15.2.1.3/15.2.1.4; the tables themselves were not
available here) and with the independent engine's direct search
(``sbs crosscheck --space-groups all``), which also compares the type of N.

The subgroup classes (every t-subgroup, the maximal k-subgroups of index 2
to :data:`MAX_K_INDEX`) are enumerated by GAP and named by
:func:`~._e3_naming.class_name` from all their members.  Every answer is
kept in the session's cache.
"""
from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

from ..errors import InputError
from ..exact import rational_matrix
from ..gap import GapSession, StoreKey, default_session
from ..groups import (
    SpaceGroup, generic_cell, lattice_holohedry, parse_cell, primitive_basis, space_group,
    space_group_by_number,
)
from ._e3_naming import class_name, normalizer_type
from ._transformations import (
    Matrix, Vector, basis_columns, exact_matrix, exact_rational, exact_vector, rational_floats,
)

__all__ = ["EuclideanNormalizer", "SpaceGroupStructure", "space_group_structure",
           "euclidean_normalizer", "SpaceSubgroupClass", "space_subgroup_classes",
           "make_classes", "coset_representatives", "embedding_shifts", "MAX_K_INDEX",
           "as_space_group"]

#: Maximal k-subgroups are listed up to this index (issue #13: 2, 3 and 4).
MAX_K_INDEX = 4


@dataclass(frozen=True)
class EuclideanNormalizer:
    """N_E(S) for one metric (docs/theory.md section 8).

    Attributes
    ----------
    group : str
        S.
    symbol, number : str, int
        The type of N (its discrete part with S's lattice translations along
        the continuous directions when there are any), as ITA writes it:
        a superscript d for d continuous directions (``P^1 4/mmm``).
    index : int or None
        |N : S|, None when S is polar (N has continuous translations).
    continuous_translations : int
        d, the dimension of the continuous translations.
    rotation_index : int
        |rotation parts of N| / |P|.
    rotations : tuple
        The rotation parts of N, each with one translation that lifts it
        into N, as (matrix, vector) in S's conventional basis.
    translations, continuous : tuple
        Generators of N's translations modulo the continuous ones, and a
        basis of the continuous ones (lattice vectors of S along V).
    """

    group: str
    symbol: str
    number: int
    index: int | None
    continuous_translations: int
    rotation_index: int
    rotations: tuple[tuple[Matrix, Vector], ...]
    translations: tuple[Vector, ...]
    continuous: tuple[Vector, ...]


@dataclass(frozen=True)
class SpaceGroupStructure:
    """A space group registered in a GAP session with its Euclidean normalizer."""

    group: SpaceGroup
    key: StoreKey
    cell: tuple[float, ...]
    generic_metric: bool
    generators: tuple[Matrix, ...]
    translation_basis: tuple[Vector, ...]
    point_group_order: int
    normalizer: EuclideanNormalizer


def as_space_group(S) -> SpaceGroup:
    """S itself, or the space group it names."""
    return S if isinstance(S, SpaceGroup) else space_group(S)


def space_group_structure(S, *, cell=None, session: GapSession | None = None
                          ) -> SpaceGroupStructure:
    """Register the space group S (a name or :class:`SpaceGroup`) in GAP with
    its Euclidean normalizer for the generic metric of its crystal family, or
    for ``cell`` (a string ``a,b,c,alpha,beta,gamma`` or six numbers)."""
    g = as_space_group(S)
    session = session or default_session()
    if cell is None:
        values, generic = generic_cell(g), True
    else:
        text = cell if isinstance(cell, str) else ",".join(repr(float(x)) for x in cell)
        values, generic = parse_cell(text, g), False
    holohedry = lattice_holohedry(basis_columns(primitive_basis(g)), values,
                                  tol=1e-6 if generic else 1e-4)
    args = (g.number, g.setting_code, holohedry)
    key = StoreKey.digest("sg", *args)
    info = session.ensure(key, "SBS_RegisterSpaceGroup", *args)
    # the cell is part of the key: two metrics with one holohedry share the
    # GAP record but not the structure (its cell places the objects)
    return session.memo(("e3-structure", key, tuple(values)), lambda: SpaceGroupStructure(
        group=g, key=key, cell=values, generic_metric=generic,
        generators=tuple(exact_matrix(m) for m in info["generators"]),
        translation_basis=tuple(exact_vector(v) for v in info["translation_basis"]),
        point_group_order=info["point_group_order"], normalizer=_normalizer(g, info, values)))


def _normalizer(g: SpaceGroup, info: dict, cell) -> EuclideanNormalizer:
    lifts = tuple((exact_matrix(a), exact_vector(t)) for a, t in info["normalizer_lifts"])
    translations = tuple(exact_vector(v) for v in info["normalizer_translations"])
    continuous = tuple(exact_vector(v) for v in info["continuous_translations"])
    basis = tuple(exact_vector(v) for v in info["translation_basis"])
    number = normalizer_type(lifts, translations, basis, continuous, cell)
    d = len(continuous)
    symbol = space_group_by_number(number).hermann_mauguin
    if d:
        symbol = f"{symbol[0]}^{d} {symbol[1:]}"
    index = info["normalizer_index"]
    return EuclideanNormalizer(
        group=g.name, symbol=symbol, number=number,
        index=None if index is None else int(exact_rational(index)), continuous_translations=d,
        rotation_index=int(exact_rational(info["normalizer_rotation_index"])), rotations=lifts,
        translations=translations, continuous=continuous)


def euclidean_normalizer(S, *, cell=None, session: GapSession | None = None
                         ) -> EuclideanNormalizer:
    """N_E(S) for the generic metric of S's crystal family, or for ``cell``."""
    return space_group_structure(S, cell=cell, session=session).normalizer


@dataclass(frozen=True)
class SpaceSubgroupClass:
    """One S-conjugacy class of subgroups K of finite index.

    ``name`` is ``SYMBOL (NUMBER) [a',b',c'; p]`` (:mod:`._e3_naming`);
    ``kind`` is ``"t"`` (T(K) = T(S)), ``"k"`` (same point group) or
    ``"general"``; ``size`` the number of conjugates of K in S;
    ``maximal`` whether K is a maximal subgroup (None when not known: an
    explicit K); ``generators`` are affine 4x4 matrices of one member.
    """

    name: str
    symbol: str
    number: int
    kind: str
    index: int
    transformation: str
    size: int
    maximal: bool | None
    generators: tuple[Matrix, ...]


def _kind(structure: SpaceGroupStructure, member: dict, index: int) -> str:
    n_ops = len(member["operations"])
    if n_ops * index == structure.point_group_order:
        return "t"
    if n_ops == structure.point_group_order:
        return "k"
    return "general"


def make_classes(structure: SpaceGroupStructure, subgroups, session: GapSession,
                 maximal=None) -> list[SpaceSubgroupClass]:
    """Named classes of the subgroups given by affine generators (exact, in
    S's coordinates), with their ``maximal`` flags if known; one GAP call
    for all their members."""
    everything = session.call("SBS_SpaceGroupConjugates", structure.key,
                              [list(g) for g in subgroups], requires=(structure.key,))
    flags = maximal or [None] * len(subgroups)
    return [_named_class(structure, generators, members, flag)
            for generators, members, flag in zip(subgroups, everything, flags)]


def _named_class(structure, generators, members, maximal) -> SpaceSubgroupClass:
    number, transformation = class_name(
        [(rational_floats(m["lattice"]), rational_floats([r for r, _ in m["operations"]]),
          rational_floats([t for _, t in m["operations"]])) for m in members],
        generic_cell(structure.group))
    index = int(members[0]["index"])
    symbol = space_group_by_number(number).hermann_mauguin
    return SpaceSubgroupClass(
        name=f"{symbol} ({number}) [{transformation}]", symbol=symbol, number=number,
        kind=_kind(structure, members[0], index), index=index, transformation=transformation,
        size=len(members), maximal=maximal,
        generators=tuple(exact_matrix(g) for g in generators))


def coset_representatives(S, cls: SpaceSubgroupClass, *,
                          session: GapSession | None = None) -> tuple[Matrix, ...]:
    """Representatives s of the cosets s K of K (one member of ``cls``) in
    S: the domain states of S -> K are the s-images of one state."""
    session = session or default_session()
    structure = space_group_structure(S, session=session)
    reps = session.call("SBS_SpaceGroupCosets", structure.key, list(cls.generators),
                        requires=(structure.key,))
    return tuple(exact_matrix(m) for m in reps)


def embedding_shifts(S, operations, *, session: GapSession | None = None):
    """Origin shifts o that conjugate the operations (R, t) into S:
    ``(particular, discrete, continuous)`` (any o = particular + an integer
    combination of discrete + a real combination of continuous, modulo
    T(S)), or None when some R is not a rotation part of S or no o exists."""
    session = session or default_session()
    structure = space_group_structure(S, session=session)
    raw = session.call("SBS_SpaceGroupEmbedding", structure.key,
                       [[rational_matrix(r), tuple(Fraction(x) for x in t)]
                        for r, t in operations], requires=(structure.key,))
    if raw is None:
        return None
    return (exact_vector(raw["particular"]), tuple(exact_vector(v) for v in raw["discrete"]),
            tuple(exact_vector(v) for v in raw["continuous"]))


def space_subgroup_classes(S, *, kind: str = "all", cell=None,
                           session: GapSession | None = None) -> tuple[SpaceSubgroupClass, ...]:
    """S-conjugacy classes of subgroups of S: every t-subgroup (``kind="t"``),
    the maximal k-subgroups of index 2, 3 and 4 (``kind="k"``), or both."""
    if kind not in ("t", "k", "all"):
        raise InputError(f"kind must be t, k or all, not {kind!r}")
    session = session or default_session()
    structure = space_group_structure(S, cell=cell, session=session)
    classes = session.memo(("e3-classes", structure.key),
                           lambda: _enumerated_classes(structure, session))
    return tuple(c for c in classes if kind == "all" or c.kind == kind)


def _enumerated_classes(structure: SpaceGroupStructure, session: GapSession
                        ) -> tuple[SpaceSubgroupClass, ...]:
    raw = session.call("SBS_SpaceGroupSubgroups", structure.key, MAX_K_INDEX,
                       requires=(structure.key,))
    classes = make_classes(structure, [[exact_matrix(m) for m in r["generators"]] for r in raw],
                           session, [r["maximal"] for r in raw])
    order = {"t": 0, "k": 1, "general": 2}
    classes.sort(key=lambda c: (order[c.kind], c.index, c.number, c.name))
    return tuple(classes)
