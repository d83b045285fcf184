"""One call for the objects of S -> K, whatever the kind of input group.

:func:`symmetry_breaking_set` dispatches to the point-group and problem-file
realization (:mod:`._realize`) or to the space-group sets (:mod:`._periodic`);
:func:`symmetry_breaking_sets` is what ``sbs objects`` prints.  The arguments
are checked here, and only here (the command line passes its own through);
the messages name the command line's options (``--cell``: the keyword
``cell``).
"""
from __future__ import annotations

from ..breaking import (
    select_magnetic_space_classes, select_space_classes, space_group_structure,
    space_subgroup_class,
)
from ..errors import InputError
from ..gap import GapSession, default_session
from ..groups import (
    DEFAULT_MAX_ORDER, GreySpaceGroup, Problem, SpaceGroup, SpaceProblem, group_by_name,
)
from ._periodic import space_symmetry_breaking_set
from ._realize import point_group_set, problem_set

__all__ = ["symmetry_breaking_set", "symmetry_breaking_sets"]


def symmetry_breaking_set(S, K=None, irreps: str | None = None, frame=None, *,
                          cell=None, session: GapSession | None = None,
                          max_order: int = DEFAULT_MAX_ORDER):
    """The minimal equivariant exact symmetry breaking set of S -> K, as vectors.

    An equivariant network f(u, b) cannot lower the symmetry S of its input
    u; fed one object b of this set, its output has the symmetry of b, which
    is exactly (a conjugate of) K.  The set is closed under the generalized
    normalizer N' = N_G(S, K), so choosing it commutes with the ambient group,
    and it is the smallest such set (docs/theory.md sections 2-5).

    Parameters
    ----------
    S : str, PointGroup, SpaceGroup or Problem
        A point group (e.g. ``"Oh"``, ``"m-3m"``; ambient group O(3)), a
        space group (``"Pm-3m"``, ``"SG221"``), or a problem file
        (:func:`sbs_gap.load_problem`) whose objects are vectors of its
        ``representation`` (or of its ambient matrices).
    K : optional
        The target: a class name (``"C2v[z,x]"``), a type (``"C4v"``) naming
        one class, a :class:`~sbs_gap.breaking.SubgroupClass`, or matrices
        generating K (in ``frame`` when given; e.g. the operations detected
        for the output structure).  Default: full breaking (K = 1).  A
        problem names its target in the file.
    irreps : str, optional
        e3nn irreps of the objects (``"1o"``, ``"2e+1o"``); default the
        smallest that realizes the stabilizer (l <= 6, at most three distinct
        irreps).
    frame : array_like, optional
        An orthogonal 3x3 matrix R taking S's standard orientation
        (docs/theory.md section 7) to the user's frame, e.g. the ``rotation``
        returned by :func:`sbs_gap.detect`: objects, group elements and axes
        are given in that frame.
    session : GapSession, optional
        The GAP session (default: the process-wide one).
    cell : optional
        Space groups: a cell ``a,b,c,alpha,beta,gamma`` (see
        :func:`space_symmetry_breaking_set`).

    Returns
    -------
    SymmetryBreakingSet or SpaceSymmetryBreakingSet
        Verified: every object's stabilizer in S is a conjugate of K, the set
        is closed under N', S is transitive on it when ideal, and its size is
        the minimum.  A space group S (a name, :class:`SpaceGroup` or a
        space-group problem file) gives a
        :class:`~sbs_gap.objects.SpaceSymmetryBreakingSet` of uniform fields
        or periodic marker patterns.
    """
    session = session or default_session()
    space = _space_group(S, max_order)
    if space is None:
        return _point_set(S, K, irreps, frame, cell, session, max_order)
    _no_target(S, K)
    if frame is not None:
        raise InputError("frame is for point groups; a space group's objects are in "
                         "its conventional setting (cell sets the Cartesian frame)")
    if isinstance(S, SpaceProblem):
        K = space_subgroup_class(S.group, S.target)
    return space_symmetry_breaking_set(space, K, irreps, cell=cell, session=session)


def symmetry_breaking_sets(S, K=None, irreps: str | None = None, *, cell=None,
                           sample: int | None = None, session: GapSession | None = None,
                           max_order: int = DEFAULT_MAX_ORDER) -> tuple:
    """The sets ``sbs objects`` gives: one per class of subgroups that K names.

    A space group's K may be a type that names several classes (t- and
    k-subgroups, other cells or origins, as ``sbs partial SPACEGROUP --to K``
    lists them): one set each, in that order.  A point group's K names one
    class (:func:`symmetry_breaking_set` refuses a type with several, listing
    their names: a point-group set is asked for one orientation of K).

    Parameters
    ----------
    S, K, irreps, cell, session, max_order
        As for :func:`symmetry_breaking_set` (in the standard orientation).
    sample : int, optional
        The number of draws the caller will take from the set
        (:meth:`SymmetryBreakingSet.to_record`): checked here, before anything
        is computed (a positive integer; point groups and their problem files
        only, a space group's set is listed whole).

    Returns
    -------
    tuple of SymmetryBreakingSet or SpaceSymmetryBreakingSet
    """
    if sample is not None and (isinstance(sample, bool) or not isinstance(sample, int)
                               or sample < 1):
        raise InputError("--sample must be a positive integer")
    session = session or default_session()
    space = _space_group(S, max_order)
    if space is None:
        return (_point_set(S, K, irreps, None, cell, session, max_order),)
    _no_target(S, K)
    if sample is not None:
        raise InputError("--sample is for point groups (a space group's set is listed whole)")
    if isinstance(S, SpaceProblem):
        classes = [space_subgroup_class(S.group, S.target)]
    elif K is None:
        classes = [None]
    elif isinstance(space, GreySpaceGroup):
        classes = select_magnetic_space_classes(space, K, session=session)
    else:
        structure = space_group_structure(space, cell=cell, session=session)
        classes = select_space_classes(structure, K, session=session)
    return tuple(space_symmetry_breaking_set(space, cls, irreps, cell=cell, session=session)
                 for cls in classes)


def _space_group(S, max_order: int) -> SpaceGroup | GreySpaceGroup | None:
    """S's space group when S is one (a name, a SpaceGroup, a space-group
    problem file) or its grey group (``P4_2/mnm1'``), else None."""
    if isinstance(S, SpaceProblem):
        return S.group
    if isinstance(S, str):
        S = group_by_name(S, max_order=max_order)
    return S if isinstance(S, (SpaceGroup, GreySpaceGroup)) else None


def _no_target(S, K) -> None:
    if isinstance(S, SpaceProblem) and K is not None:
        raise InputError("--to is for point groups; a problem file names its target")


def _point_set(S, K, irreps, frame, cell, session: GapSession, max_order: int):
    """A point group's set, or a problem file's."""
    if isinstance(S, Problem):
        if K is not None or irreps is not None:
            raise InputError("--to and --irreps are for point groups; a problem file names "
                             "its target and its representation is its matrices")
        if frame is not None:
            raise InputError("frame is for point groups; a problem file's objects are "
                             "vectors of its representation")
    if cell is not None:
        raise InputError("--cell is for space groups")
    if isinstance(S, Problem):
        return problem_set(S, session, max_order)
    return point_group_set(S, K, irreps, frame, session, max_order)
