"""Symmetry breaking sets for point groups in the ambient group O(3).

docs/theory.md section 4, computed in GAP (gap_scripts/gap/o3.gi): the
normalizer N_{O(3)}(S) is derived from exact linear algebra and the
automorphisms of S (|N| = |C_{O(3)}(S)| |Aut_chi(S)|, and a finite normalizer
found inside an overgroup is accepted only when it has exactly that order);
infinite normalizers (O(3), Dinfh) are handled by the component-group
reduction in a finite model.  Subgroup classes are named geometrically
(:mod:`._naming`).

Every GAP answer about a group is kept in the session's cache (dropped when
GAP restarts or the session closes).
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..errors import InputError
from ..gap import GapSession, StoreKey, default_session, matrices_to_numpy
from ..groups import DEFAULT_MAX_ORDER, MatrixIndex, PointGroup, matrix_closure, point_group
from ._naming import SubgroupClass, class_members, name_classes
from ._results import FullBreaking, PartialBreaking, full_result, partial_result

__all__ = ["PointGroupNormalizer", "PointGroupStructure", "point_group_structure",
           "point_group_elements", "normalizer", "complement_names", "point_group_full",
           "subgroup_classes", "select_subgroup_classes", "point_group_partial",
           "classes_with_rows", "subgroup_generators", "cached_call", "candidate_overgroups",
           "normalizer_from_record"]


@dataclass(frozen=True)
class PointGroupNormalizer:
    """N_{O(3)}(S) of a point group S in its standard orientation.

    ``identity_component`` is ``"trivial"`` (finite normalizer), ``"SO(2)"``
    (about the principal axis; the normalizer is Dinfh) or ``"SO(3)"``
    (the normalizer is O(3)).
    """

    group: str
    name: str
    order: int | None
    finite: bool
    identity_component: str


@dataclass(frozen=True)
class PointGroupStructure:
    """A point group registered in a GAP session, with its normalizer.

    ``key`` names the registration in GAP (for calls that need it).
    """

    group: PointGroup
    key: StoreKey
    order: int
    normalizer: PointGroupNormalizer


def _as_point_group(S, max_order: int) -> PointGroup:
    if isinstance(S, PointGroup):
        return S
    return point_group(S, max_order=max_order)


def candidate_overgroups(g: PointGroup) -> list:
    """Finite groups that may contain N_{O(3)}(S); GAP verifies the choice."""
    candidates = []
    if g.n:
        candidates.append(point_group(f"D{2 * g.n}h", max_order=8 * g.n).generators)
    candidates += [point_group("Oh").generators, point_group("Ih").generators]
    return candidates


def point_group_structure(S, *, session: GapSession | None = None,
                          max_order: int = DEFAULT_MAX_ORDER) -> PointGroupStructure:
    """Register the point group S (a name or :class:`PointGroup`) in GAP with
    its normalizer in O(3); cached per session."""
    g = _as_point_group(S, max_order)
    session = session or default_session()
    args = (g.generators, candidate_overgroups(g), max_order)
    key = StoreKey.digest("p", *args)
    info = session.ensure(key, "SBS_RegisterPointGroup", *args)
    return session.memo(("o3-structure", key), lambda: PointGroupStructure(
        group=g, key=key, order=info["order"],
        normalizer=normalizer_from_record(g.schoenflies, info)))


def normalizer_from_record(group: str, info: dict) -> PointGroupNormalizer:
    """The normalizer GAP's registration record describes (SBS_RegisterPointGroup,
    SBS_RegisterMagneticPointGroup)."""
    return PointGroupNormalizer(
        group=group, name=info["normalizer"], order=info["normalizer_order"],
        finite=info["normalizer_finite"], identity_component=info["identity_component"])


def cached_call(structure: PointGroupStructure, session: GapSession, function: str):
    return session.memo((function, structure.key), lambda: session.call(
        function, structure.key, requires=(structure.key,)))


def point_group_elements(structure: PointGroupStructure,
                         session: GapSession | None = None) -> np.ndarray:
    """The elements of S as floats (|S|, 3, 3), in GAP's fixed order (the
    positions that :class:`SubgroupClass` and GAP's answers refer to)."""
    session = session or default_session()
    return session.memo(("o3-elements", structure.key), lambda: matrices_to_numpy(
        cached_call(structure, session, "SBS_PointGroupElements")))


def normalizer(S, *, session: GapSession | None = None) -> PointGroupNormalizer:
    """N_{O(3)}(S) for the point group S (standard orientation)."""
    return point_group_structure(S, session=session).normalizer


def point_group_full(S, *, session: GapSession | None = None,
                     max_order: int = DEFAULT_MAX_ORDER) -> FullBreaking:
    """Full symmetry breaking of a point group in O(3): ``sbs full GROUP``."""
    session = session or default_session()
    structure = point_group_structure(S, session=session, max_order=max_order)
    record = cached_call(structure, session, "SBS_PointGroupFull")
    n = structure.normalizer
    return full_result(group=structure.group.schoenflies, order=structure.order,
                       normalizer=n.name, normalizer_order=n.order, record=record)


def complement_names(S, *, session: GapSession | None = None) -> tuple[str, ...]:
    """Names of all classes of complements of S in its normalizer (Theorem A)."""
    session = session or default_session()
    structure = point_group_structure(S, session=session)
    return tuple(cached_call(structure, session, "SBS_PointGroupFull")["complements"])


def classes_with_rows(structure: PointGroupStructure,
                      session: GapSession | None = None) -> list[tuple[SubgroupClass, dict]]:
    """(class, GAP's partial-breaking record) for every S-conjugacy class of
    subgroups, sorted by order and name."""
    session = session or default_session()

    def named():
        # the classes first: later GAP answers may draw on the random state it leaves
        rows = cached_call(structure, session, "SBS_PointGroupClasses")
        return name_classes(structure.group.schoenflies,
                            point_group_elements(structure, session), rows)

    return session.memo(("o3-classes", structure.key), named)


def subgroup_classes(S, *, session: GapSession | None = None,
                     max_order: int = DEFAULT_MAX_ORDER) -> tuple[SubgroupClass, ...]:
    """The S-conjugacy classes of subgroups of the point group S, sorted by
    order and name, each with a deterministic name."""
    structure = point_group_structure(S, session=session, max_order=max_order)
    return tuple(c for c, _ in classes_with_rows(structure, session))


def subgroup_generators(matrices) -> np.ndarray:
    """Matrices given for a subgroup K as a float array (k, 3, 3), or InputError."""
    try:
        return np.asarray(matrices, dtype=float).reshape(-1, 3, 3)
    except (TypeError, ValueError):
        raise InputError("K given as matrices must be 3x3 matrices") from None


def _classes_of_matrices(structure, classes, matrices, session) -> list[SubgroupClass]:
    elements = point_group_elements(structure, session)
    group = matrix_closure(subgroup_generators(matrices), limit=len(elements))
    index = MatrixIndex(elements)
    try:
        member = frozenset(int(p) for p in index.positions(group))
    except KeyError:
        raise InputError(f"the matrices given for K are not all elements of "
                         f"{structure.group.schoenflies} (in its standard orientation, or "
                         "in the frame given)") from None
    for c in classes:
        if c.order == len(member) and member in class_members(index, c.elements):
            return [c]
    raise AssertionError("a subgroup of S lies in no class of subgroups")


def select_subgroup_classes(S, K, *, session: GapSession | None = None,
                            max_order: int = DEFAULT_MAX_ORDER) -> list[SubgroupClass]:
    """The classes of subgroups of S that K names.

    K is a class name (``'C2v[z,x]'``: one class), a Schoenflies type or
    Hermann-Mauguin symbol (``C2v``, ``mm2``: every class of that type), a bare
    label (``'z,x'``), a :class:`SubgroupClass`, or matrices generating K (in
    S's standard orientation).  Raises InputError naming the valid choices.
    """
    structure = point_group_structure(S, session=session, max_order=max_order)
    classes = [c for c, _ in classes_with_rows(structure, session)]
    group = structure.group.schoenflies
    if isinstance(K, SubgroupClass):
        if K.group != group or K not in classes:
            raise InputError(f"{K.name} is a class of subgroups of {K.group}, not of {group}")
        return [K]
    if not isinstance(K, str):
        return _classes_of_matrices(structure, classes, K, session)
    text = K.strip()
    chosen = [c for c in classes if c.name == text]
    if not chosen:
        try:  # a type by any of its spellings (C2v, mm2, D1h, ...)
            wanted = point_group(text).schoenflies
        except InputError:
            wanted = None
        if wanted is not None:
            chosen = [c for c in classes if c.type == wanted]
    if not chosen:
        bare = text.strip("[]")
        chosen = [c for c in classes if c.label and c.label == bare]
        if len({c.type for c in chosen}) > 1:
            raise InputError(f"subgroup {K!r} of {group} is ambiguous: it is the label of "
                             + ", ".join(c.name for c in chosen) + "; give one of these names")
    if not chosen:
        raise InputError(f"{K!r} is not a subgroup of {group} (up to conjugacy in "
                         f"{group}); valid choices: " + ", ".join(c.name for c in classes))
    return chosen


def point_group_partial(S, K=None, *, session: GapSession | None = None,
                        max_order: int = DEFAULT_MAX_ORDER) -> tuple[PartialBreaking, ...]:
    """Partial breaking of a point group in O(3): ``sbs partial GROUP [--to K]``.

    K as in :func:`select_subgroup_classes`; without it every S-conjugacy
    class of subgroups is returned.
    """
    session = session or default_session()
    structure = point_group_structure(S, session=session, max_order=max_order)
    described = classes_with_rows(structure, session)
    chosen = None if K is None else set(select_subgroup_classes(
        structure.group, K, session=session, max_order=max_order))
    return tuple(partial_result(group=structure.group.schoenflies, subgroup=c.name, record=r)
                 for c, r in described if chosen is None or c in chosen)
