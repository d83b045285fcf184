"""One call per question, whatever the kind of input group.

The arguments are checked here, and only here: the ``sbs`` command line
passes its own through and prints the InputError.  The messages name the
command line's options (``--cell``: the keyword ``cell``).
"""
from __future__ import annotations

from ..errors import InputError
from ..gap import GapSession
from ..groups import (
    DEFAULT_MAX_ORDER, GreySpaceGroup, MagneticPointGroup, PointGroup, Problem, SpaceGroup,
    SpaceProblem, group_by_name, is_magnetic_name, looks_like_magnetic_space_group,
)
from ._e3 import space_group_full, space_group_partial, space_subgroup_class
from ._finite import solve_full, solve_partial
from ._magnetic import magnetic_full, magnetic_partial
from ._magnetic_space import magnetic_space_full, magnetic_space_partial
from ._o3 import point_group_full, point_group_partial
from ._results import FullBreaking, PartialBreaking, SpaceFullBreaking, SpacePartialBreaking

__all__ = ["full_breaking", "partial_breaking"]


def full_breaking(S, *, cell=None, session: GapSession | None = None,
                  max_order: int = DEFAULT_MAX_ORDER) -> FullBreaking | SpaceFullBreaking:
    """Full symmetry breaking of S (``sbs full``).

    Parameters
    ----------
    S : str, PointGroup, SpaceGroup or Problem
        A point group (Schoenflies name or Hermann-Mauguin symbol; the ambient
        group is O(3)), a space group (``Pm-3m``, ``SG221``; the ambient group
        is E(3) and K = T(S), docs/theory.md section 8) or a problem file's
        group inside its finite ambient group (:func:`sbs_gap.load_problem`).
    cell : optional
        Space groups: a cell ``a,b,c,alpha,beta,gamma`` whose metric is used
        instead of the generic one of the crystal family.
    session : GapSession, optional
        The GAP session (default: the process-wide one).
    max_order : int
        Refuse groups larger than this.

    Returns
    -------
    FullBreaking or SpaceFullBreaking
        The normalizer N of S, whether an ideal equivariant full SBS exists
        (S has a complement in N, Theorem A of docs/theory.md), the smallest
        equivariant full SBS and a complement.
    """
    if isinstance(S, Problem):
        _space_only(cell=cell)
        return solve_full(S, session=session, max_order=max_order)
    if isinstance(S, SpaceProblem):
        return space_group_full(S.group, cell=cell, session=session)
    group = group_by_name(S, max_order=max_order)
    if isinstance(group, SpaceGroup):
        return space_group_full(group, cell=cell, session=session)
    if isinstance(group, GreySpaceGroup):
        _generic_metric_only(cell)
        return magnetic_space_full(group, session=session)
    _space_only(cell=cell)
    if isinstance(group, MagneticPointGroup):
        return magnetic_full(group, session=session, max_order=max_order)
    return point_group_full(group, session=session, max_order=max_order)


def partial_breaking(S, K=None, *, all_classes: bool | None = None, kind: str | None = None,
                     cell=None, session: GapSession | None = None,
                     max_order: int = DEFAULT_MAX_ORDER
                     ) -> tuple[PartialBreaking, ...] | tuple[SpacePartialBreaking, ...]:
    """Partial symmetry breaking of S to K (``sbs partial``), one row per
    S-conjugacy class of subgroups.

    Parameters
    ----------
    S : str, PointGroup, SpaceGroup or Problem
        As in :func:`full_breaking`.
    K : optional
        Point groups: a class name (``'C2v[z,x]'``), a type (``C2v`` or
        ``mm2``: every class of that type), a :class:`SubgroupClass`, or
        matrices generating K; default every class.  Space groups: a type
        (``P4mm``), a class name, or a type with a transformation
        (``'Fm-3m [2a,2b,2c; 0,0,0]'``); default every t-subgroup and maximal
        k-subgroup of index 2, 3, 4.  Problems name their target in the
        file (K must be None).
    kind : ``"t"``, ``"k"`` or ``"all"``, optional
        Space groups: which enumerated classes (default all).
    cell : optional
        Space groups: as in :func:`full_breaking`.
    all_classes : bool, optional
        Problems: every class of subgroups even when the file has a target.

    Returns
    -------
    tuple of PartialBreaking
        Per class: the generalized normalizer N' = N_G(S, K) compared with N,
        whether an ideal equivariant exact SBS exists (Theorem B), and the
        smallest exact and non-exact equivariant SBS.
    """
    if isinstance(S, (Problem, SpaceProblem)) and K is not None:
        raise InputError("--to is for point groups; a problem file names its target")
    if isinstance(S, SpaceProblem):
        if all_classes is not None or kind is not None:
            raise InputError("a space-group problem file names its target; --all and --kind "
                             "do not apply")
        cls = space_subgroup_class(S.group, S.target, cell=cell, session=session)
        return space_group_partial(S.group, cls, cell=cell, session=session)
    if isinstance(S, Problem):
        if cell is not None or kind is not None:
            raise InputError("--cell and --kind are for space groups")
        return solve_partial(S, all_classes=all_classes, session=session, max_order=max_order)
    if all_classes is not None:
        raise InputError("--all is for problem files; without --to every class is given")
    group = group_by_name(S, max_order=max_order)
    if (isinstance(group, (PointGroup, SpaceGroup)) and isinstance(K, str)
            and (is_magnetic_name(K) or looks_like_magnetic_space_group(K))):
        raise InputError(f"{K!r} is a magnetic group, {S} is not: the parent of a magnetic "
                         f"ordering is a grey group (e.g. {_grey_hint(group)})")
    if isinstance(group, GreySpaceGroup):
        _generic_metric_only(cell)
        if kind is not None:
            raise InputError("--kind is for space groups; a grey group's classes are those "
                             "over every t-subgroup and maximal k-subgroup")
        return magnetic_space_partial(group, K, session=session)
    if isinstance(group, SpaceGroup):
        return space_group_partial(group, K, kind=kind or "all", cell=cell, session=session)
    _space_only(cell=cell, kind=kind)
    if isinstance(group, MagneticPointGroup):
        return magnetic_partial(group, K, session=session, max_order=max_order)
    return point_group_partial(group, K, session=session, max_order=max_order)


def _grey_hint(group) -> str:
    """The grey group of a point group or space group, as it would be written."""
    if isinstance(group, SpaceGroup):
        return GreySpaceGroup(group).name
    return f"{group.hermann_mauguin or group.schoenflies}1'"


def _generic_metric_only(cell) -> None:
    if cell is not None:
        raise InputError("--cell is not supported for grey space groups yet: their normalizer "
                         "is the one of the generic metric of the crystal family")


def _space_only(**arguments) -> None:
    """Refuse the arguments that only space groups take (``cell``, ``kind``),
    named as the command line names them (``--cell``, the keyword ``cell=``)."""
    for name, value in arguments.items():
        if value is not None:
            raise InputError(f"--{name} is for space groups")
