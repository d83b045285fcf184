"""The classes of subgroups of a space group that a target names (``--to``):
a type, a class name, or a type with a transformation; and, when the
enumerated classes have no subgroup of the type asked for, a one-line
answer saying why, with a checked example where there is one.

The text is read here (never sent to GAP); the subgroup it describes is
built from the standard group of its type, checked to lie in S and named
by the engine like any enumerated class.
"""
from __future__ import annotations

import heapq
import re

import numpy as np

from ..errors import InputError
from ..exact import affine, inverse, matmul, matvec, rational_matrix
from ..gap import GapSession
from ..groups import (
    MAX_SUBGROUP_INDEX, SpaceGroup, point_group, space_group, space_group_by_number,
)
from ._e3_structure import (
    MAX_K_INDEX, SpaceGroupStructure, SpaceSubgroupClass, make_classes, space_group_structure,
    space_subgroup_classes,
)
from ._o3 import subgroup_classes
from ._transformations import Matrix, format_transformation, parse_transformation

__all__ = ["select_space_classes"]


_EXPLICIT = re.compile(r"^\s*(?P<type>[^\[\]]+?)\s*(?:\[(?P<transform>[^\[\]]*)\])?\s*"
                       r"(?:\((?P<number>[0-9]{1,3})\))?\s*$")


def _cell_points(structure: SpaceGroupStructure) -> float:
    """Lattice points per conventional cell: 1 / the volume of a primitive cell."""
    basis = np.array([[float(x) for x in v] for v in structure.translation_basis])
    return 1.0 / abs(np.linalg.det(basis))


def _explicit_generators(structure: SpaceGroupStructure, target: SpaceGroup, p_matrix, shift,
                         session: GapSession) -> list[Matrix]:
    """Generators of W K_std W^-1, W = (P, p): the standard group of
    ``target`` and its lattice placed in S's coordinates."""
    std = space_group_structure(target, session=session)
    w = affine(p_matrix, shift)
    winv = inverse(w)
    identity = rational_matrix([[1, 0, 0], [0, 1, 0], [0, 0, 1]])
    lattice = [affine(identity, v) for v in std.translation_basis]
    return [matmul(matmul(w, g), winv) for g in list(std.generators) + lattice]


def select_space_classes(structure: SpaceGroupStructure, K, *, kind: str = "all",
                         session: GapSession) -> list[SpaceSubgroupClass]:
    """The classes a ``--to`` argument names: a type (every enumerated class
    of it), a class name or a type with a transformation, e.g.
    ``Fm-3m [2a,2b,2c; 0,0,0]`` (that subgroup's class, enumerated or not)."""
    if isinstance(K, SpaceSubgroupClass):
        return [K]
    if not isinstance(K, str) or len(K) > 200:
        raise InputError("a target K is a space-group type, optionally with a "
                         "transformation: 'P4mm' or 'Fm-3m [2a,2b,2c; 0,0,0]'")
    m = _EXPLICIT.match(K)
    if not m:
        raise InputError(f"cannot read the target {K!r}: give a type (P4mm) or a type with a "
                         "transformation (Fm-3m [2a,2b,2c; 0,0,0])")
    type_text = re.sub(r"\(\s*[0-9]{1,3}\s*\)\s*$", "", m.group("type")).strip()
    target = space_group(type_text)
    if m.group("transform") is None:
        matches = [c for c in space_subgroup_classes(structure.group, kind=kind,
                                                     cell=None, session=session)
                   if c.number == target.number]
        if not matches:
            raise InputError(_missing_type(structure, target, kind, session))
        return matches
    p_matrix, shift = parse_transformation(m.group("transform"))
    # the index, from the types and the cell volumes, before anything is built:
    # |S : K| = |P_S : P_K| * |T(S) : T(K)|, the lattice index from det P and
    # the lattice points per conventional cell
    std = space_group_structure(target, session=session)
    volume = abs(np.linalg.det(np.array([[float(x) for x in row] for row in p_matrix])))
    index = (structure.point_group_order / std.point_group_order * volume
             * _cell_points(structure) / _cell_points(std))
    if index > MAX_SUBGROUP_INDEX + 0.5:
        raise InputError(f"{K!r} would have index {index:.0f} in {structure.group.name}; "
                         f"subgroups up to index {MAX_SUBGROUP_INDEX} are supported")
    gens = _explicit_generators(structure, target, p_matrix, shift, session)
    for i, g in enumerate(gens):
        if not session.call("SBS_InSpaceGroup", structure.key, g, requires=(structure.key,)):
            raise InputError(f"{K!r} is not a subgroup of {structure.group.name}: its "
                             f"operation {i + 1} is not in {structure.group.name}")
    cls = make_classes(structure, [gens], session)[0]
    if cls.index > MAX_SUBGROUP_INDEX:
        raise InputError(f"{K!r} has index {cls.index} in {structure.group.name}; subgroups "
                         f"up to index {MAX_SUBGROUP_INDEX} are supported")
    if cls.kind not in ("t", "k"):
        cls = SpaceSubgroupClass(**{**cls.__dict__, "kind": "general"})
    return [cls]


#: How many space-group types the search for an example subgroup
#: (:func:`_subgroup_example`) may enumerate the maximal k-subgroups of.
_EXAMPLE_TYPES = 8


def _point_group_type(hermann_mauguin: str) -> str:
    return point_group(hermann_mauguin).schoenflies


def _missing_type(structure: SpaceGroupStructure, target: SpaceGroup, kind: str,
                  session: GapSession) -> str:
    """The one-line answer when ``--to`` names a type that no listed class
    has: not a subgroup at all (the point groups say so), listed under the
    other kind, or a subgroup found by the engine (named as the classes
    are, so every suggestion is a subgroup of S); never an unchecked guess."""
    S, K = structure.group.name, target.hermann_mauguin
    lists = {"t": "t-subgroups",
             "k": f"maximal k-subgroups of index 2 to {MAX_K_INDEX}",
             "all": f"t-subgroups and maximal k-subgroups of index 2 to {MAX_K_INDEX}"}
    searched = f"{S} has no {K} among its {lists[kind]}"
    types = {c.type for c in subgroup_classes(structure.group.point_group, session=session)}
    if _point_group_type(target.point_group) not in types:
        return (f"{K} is not a subgroup of {S}: its point group {target.point_group} is not "
                f"a subgroup of {structure.group.point_group}")
    if kind != "all":
        other = [c for c in space_subgroup_classes(structure.group, session=session)
                 if c.number == target.number]
        if other:
            return (f"{searched}; it has {K} among its {lists[other[0].kind]}: "
                    f"{', '.join(c.name for c in other)} (--kind {other[0].kind} or all)")
    example = _subgroup_example(structure, target, session)
    if example is not None:
        return (f"{searched}; it has {K} subgroups of higher index, e.g. '{example.name}' "
                f"(index {example.index}; --to takes it as written)")
    return (f"{searched}, nor among the chains of maximal k-subgroups (index 2 to "
            f"{MAX_K_INDEX} each, up to index {MAX_SUBGROUP_INDEX}) searched from its "
            f"t-subgroups; if {K} is a subgroup of {S} otherwise, give it by its "
            f"transformation: '{K} [a',b',c'; p1,p2,p3]'")


def _subgroup_example(structure: SpaceGroupStructure, target: SpaceGroup,
                      session: GapSession) -> SpaceSubgroupClass | None:
    """A subgroup of S of the type of ``target``, of the smallest index
    reached, or None.

    K lies in the t-subgroup H = K T(S), of K's point group, as a
    k-subgroup; the search follows chains of maximal k-subgroups of index
    2 to :data:`MAX_K_INDEX` (the engine's enumeration, in each standard
    setting, composed with the transformations of the class names) from
    every such H, smallest index first, through at most
    :data:`_EXAMPLE_TYPES` types.  The result is checked and named by
    :func:`select_space_classes`, like any explicit target."""
    wanted = _point_group_type(target.point_group)
    frontier = []
    for c in space_subgroup_classes(structure.group, kind="t", session=session):
        if _point_group_type(space_group_by_number(c.number).point_group) == wanted:
            p_matrix, shift = parse_transformation(c.transformation)
            heapq.heappush(frontier, (c.index, c.name, c.number, p_matrix, shift))
    seen: set[str] = set()
    types: set[int] = set()
    while frontier:
        index, _, number, p_matrix, shift = heapq.heappop(frontier)
        if number == target.number:
            text = f"{target.hermann_mauguin} [{format_transformation(p_matrix, shift)}]"
            return select_space_classes(structure, text, session=session)[0]
        if number not in types and len(types) >= _EXAMPLE_TYPES:
            continue
        types.add(number)
        for c in space_subgroup_classes(space_group_by_number(number), kind="k",
                                        session=session):
            if index * c.index > MAX_SUBGROUP_INDEX:
                continue
            # x_S = P x_H + p and x_H = P_c x_K + p_c
            p_c, shift_c = parse_transformation(c.transformation)
            p_new = matmul(p_matrix, p_c)
            shift_new = tuple(x + y for x, y in zip(matvec(p_matrix, shift_c), shift))
            text = f"{c.symbol} [{format_transformation(p_new, shift_new)}]"
            if text not in seen:
                seen.add(text)
                heapq.heappush(frontier, (index * c.index, text, c.number, p_new, shift_new))
    return None
