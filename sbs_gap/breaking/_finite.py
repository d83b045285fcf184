"""Symmetry breaking sets for finite ambient groups (problem files), computed in GAP.

docs/theory.md sections 2-3: the normalizer N = N_G(S), the generalized
normalizer N' = N_G(S, K), complements of S in N (Theorem A), the Theorem B
test and the minimal exact and non-exact equivariant SBS sizes.  The GAP side
is gap_scripts/gap/sbs.gi, which documents the reduction to N_{N'}(K)/K.
"""
from __future__ import annotations

from dataclasses import dataclass

from ..errors import InputError
from ..gap import GapSession, default_session
from ..groups import DEFAULT_MAX_ORDER, Problem
from ._ambient import AmbientInfo, register_ambient
from ._results import FullBreaking, PartialBreaking, full_result, partial_result

__all__ = ["ProblemSolution", "solve_full", "solve_partial", "solve"]


@dataclass(frozen=True)
class ProblemSolution:
    """Full breaking and the partial-breaking rows of one problem."""

    full: FullBreaking
    partial: tuple[PartialBreaking, ...]


def _ambient(problem: Problem, session: GapSession, max_order: int) -> AmbientInfo:
    return register_ambient(problem.ambient, max_order=max_order, session=session)


def solve_full(problem: Problem, *, session: GapSession | None = None,
               max_order: int = DEFAULT_MAX_ORDER, timeout: float | None = None) -> FullBreaking:
    """Full breaking of the problem's group S inside its (finite) ambient group."""
    session = session or default_session()
    ambient = _ambient(problem, session, max_order)
    r = session.call("SBS_FullBreaking", ambient.key, problem.group.gap_data(),
                     requires=(ambient.key,), timeout=timeout)
    return full_result(group=problem.name, order=r["order"], normalizer=r["normalizer"],
                       normalizer_order=r["normalizer_order"], record=r)


def solve_partial(problem: Problem, *, all_classes: bool | None = None,
                  session: GapSession | None = None, max_order: int = DEFAULT_MAX_ORDER,
                  timeout: float | None = None) -> tuple[PartialBreaking, ...]:
    """Partial breaking to the problem's target, or to every S-conjugacy class of
    subgroups (``all_classes=True``; the default when the problem has no target)."""
    every = all_classes if all_classes is not None else problem.target is None
    if not every and problem.target is None:
        raise InputError(f"problem {problem.name!r} has no target; give it one, or ask for "
                         "every class of subgroups (all_classes=True)")
    session = session or default_session()
    ambient = _ambient(problem, session, max_order)
    rows = session.call("SBS_PartialBreaking", ambient.key, problem.group.gap_data(),
                        None if every else problem.target_data(),
                        requires=(ambient.key,), timeout=timeout)
    return tuple(partial_result(group=problem.name, subgroup=r["subgroup"], record=r)
                 for r in rows)


def solve(problem: Problem, *, session: GapSession | None = None,
          max_order: int = DEFAULT_MAX_ORDER) -> ProblemSolution:
    """Full breaking and partial breaking (target, or all classes) of a problem."""
    return ProblemSolution(full=solve_full(problem, session=session, max_order=max_order),
                           partial=solve_partial(problem, session=session,
                                                 max_order=max_order))
