"""One call per question, whatever the kind of input group."""
from __future__ import annotations

from ..errors import InputError
from ..gap import GapSession
from ..groups import DEFAULT_MAX_ORDER, Problem
from ._finite import solve_full, solve_partial
from ._o3 import point_group_full, point_group_partial
from ._results import FullBreaking, PartialBreaking

__all__ = ["full_breaking", "partial_breaking"]


def full_breaking(S, *, session: GapSession | None = None,
                  max_order: int = DEFAULT_MAX_ORDER) -> FullBreaking:
    """Full symmetry breaking of S (``sbs full``).

    Parameters
    ----------
    S : str, PointGroup or Problem
        A point group (Schoenflies name or Hermann-Mauguin symbol; the ambient
        group is O(3)) or a problem file's group inside its finite ambient
        group (:func:`sbs_gap.load_problem`).
    session : GapSession, optional
        The GAP session (default: the process-wide one).
    max_order : int
        Refuse groups larger than this.

    Returns
    -------
    FullBreaking
        The normalizer N of S, whether an ideal equivariant full SBS exists
        (S has a complement in N, Theorem A of docs/theory.md), the smallest
        equivariant full SBS and a complement.
    """
    if isinstance(S, Problem):
        return solve_full(S, session=session, max_order=max_order)
    return point_group_full(S, session=session, max_order=max_order)


def partial_breaking(S, K=None, *, all_classes: bool | None = None,
                     session: GapSession | None = None,
                     max_order: int = DEFAULT_MAX_ORDER) -> tuple[PartialBreaking, ...]:
    """Partial symmetry breaking of S to K (``sbs partial``), one row per
    S-conjugacy class of subgroups.

    Parameters
    ----------
    S : str, PointGroup or Problem
        As in :func:`full_breaking`.
    K : optional
        Point groups: a class name (``'C2v[z,x]'``), a type (``C2v`` or
        ``mm2``: every class of that type), a :class:`SubgroupClass`, or
        matrices generating K; default every class.  Problems name their
        target in the file (K must be None).
    all_classes : bool, optional
        Problems: every class of subgroups even when the file has a target.

    Returns
    -------
    tuple of PartialBreaking
        Per class: the generalized normalizer N' = N_G(S, K) compared with N,
        whether an ideal equivariant exact SBS exists (Theorem B), and the
        smallest exact and non-exact equivariant SBS.
    """
    if isinstance(S, Problem):
        if K is not None:
            raise InputError("a problem file names its target; K is for point groups")
        return solve_partial(S, all_classes=all_classes, session=session, max_order=max_order)
    if all_classes is not None:
        raise InputError("all_classes is for problem files; without K every class is given")
    return point_group_partial(S, K, session=session, max_order=max_order)
