"""Group data registered in a GAP session: where the group data types meet GAP.

The data types of :mod:`sbs_gap.groups` (:class:`~sbs_gap.groups.PointGroup`,
:class:`~sbs_gap.groups.Problem`, the permutation, matrix and presentation data)
are pure data: reading or building them never starts GAP.  The functions here
take that data to GAP, where every group becomes a permutation group
(gap_scripts/gap/sbs.gi, ``SBS_Register*``), and return what GAP computed.
"""
from __future__ import annotations

from dataclasses import dataclass

from ..gap import GapSession, StoreKey, default_session
from ..groups import (
    DEFAULT_MAX_ORDER, MatrixData, PermutationData, PointGroup, PresentationData, Problem,
    ProblemInfo,
)

__all__ = ["AmbientInfo", "register_ambient", "gap_order", "problem_info"]


@dataclass(frozen=True)
class AmbientInfo:
    """What GAP computed when it registered an ambient group."""

    key: StoreKey
    order: int
    degree: int


def _registration(data, max_order: int, max_cosets: int) -> tuple[str, tuple]:
    """The GAP registration function and its arguments (after the key)."""
    if isinstance(data, PermutationData):
        return "SBS_RegisterPermGroup", (data.gap_data(), max_order)
    if isinstance(data, MatrixData):
        return "SBS_RegisterMatrixGroup", (data.gap_data(), data.dimension, max_order)
    if isinstance(data, PresentationData):
        return "SBS_RegisterFpGroup", (len(data.generator_names), data.relators, max_order,
                                       max_cosets)
    raise TypeError(f"not ambient group data: {type(data).__name__}")


def register_ambient(data, *, max_order: int, session: GapSession | None = None,
                     max_cosets: int | None = None) -> AmbientInfo:
    """Register an ambient group in GAP (once per GAP process) and return its info.

    ``data`` is :class:`~sbs_gap.groups.PermutationData`,
    :class:`~sbs_gap.groups.MatrixData` or :class:`~sbs_gap.groups.PresentationData`
    (GAP checks finiteness and the order limit exactly).
    """
    session = session or default_session()
    max_cosets = max_cosets or max(4 * max_order, 4096)
    function, args = _registration(data, max_order, max_cosets)
    key = StoreKey.digest("k" + function.removeprefix("SBS_Register").lower(), *args)
    info = session.ensure(key, function, *args)
    return AmbientInfo(key=key, order=info["order"], degree=info["degree"])


def gap_order(group, *, session: GapSession | None = None,
              max_order: int = DEFAULT_MAX_ORDER) -> int:
    """The order of a point group (or of ambient group data) computed by GAP, exactly
    from the generators (``sbs group NAME``)."""
    data = group.matrix_data() if isinstance(group, PointGroup) else group
    return register_ambient(data, max_order=max_order, session=session).order


def problem_info(problem: Problem, *, session: GapSession | None = None,
                 max_order: int = DEFAULT_MAX_ORDER) -> ProblemInfo:
    """Check a problem in GAP (finiteness, order limit, S <= G, K <= S) and return
    the orders (``sbs group --problem``)."""
    session = session or default_session()
    ambient = register_ambient(problem.ambient, max_order=max_order, session=session)
    result = session.call("SBS_ProblemOrders", ambient.key, problem.group.gap_data(),
                          problem.target_data(), requires=(ambient.key,))
    return ProblemInfo(group=problem.name, order=result["order"],
                       ambient_order=result["ambient_order"],
                       target_order=result["target_order"])
