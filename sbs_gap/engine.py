"""Symmetry breaking sets for finite ambient groups (problem files), computed in GAP.

THEORY.md sections 2-3: the normalizer N = N_G(S), the generalized normalizer
N' = N_G(S, K), complements of S in N (Theorem A), the Theorem B test and the
minimal exact and non-exact equivariant SBS sizes.  The GAP side is
gap_scripts/20_sbs.g, which documents the reduction to N_{N'}(K)/K.

Point groups in the compact ambient group O(3) are in :mod:`sbs_gap.o3`.
"""
from __future__ import annotations

from dataclasses import dataclass

from .gap import GapCode, GapSession, default_session
from .groups import DEFAULT_MAX_ORDER, Problem, register_ambient

__all__ = ["FullBreaking", "PartialBreaking", "ProblemSolution", "solve_full",
           "solve_partial", "solve"]


@dataclass(frozen=True)
class FullBreaking:
    """Full symmetry breaking (K = 1); the fields of ``sbs full --json``."""

    group: str
    order: int
    normalizer: str
    normalizer_order: int | None
    normalizer_finite: bool
    ideal: bool
    min_size: int | None
    complement: str | None


@dataclass(frozen=True)
class PartialBreaking:
    """Breaking S to one S-conjugacy class of subgroups K; ``sbs partial --json``."""

    group: str
    subgroup: str
    subgroup_order: int
    index: int
    generalized_normalizer_is_normalizer: bool
    ideal: bool
    exact_min_size: int | None
    nonexact_min_size: int | None
    break_more_is_smaller: bool


@dataclass(frozen=True)
class ProblemSolution:
    full: FullBreaking
    partial: tuple[PartialBreaking, ...]


def _ambient(problem: Problem, session: GapSession, max_order: int):
    return register_ambient(problem.ambient, max_order=max_order, session=session)


def solve_full(problem: Problem, *, session: GapSession | None = None,
               max_order: int = DEFAULT_MAX_ORDER, timeout: float | None = None) -> FullBreaking:
    """Full breaking of the problem's group S inside its (finite) ambient group."""
    session = session or default_session()
    ambient = _ambient(problem, session, max_order)
    code = GapCode(f'SBS_FullBreaking("{ambient.key}",{problem.group.gap_elements()})')
    r = session.evaluate(code, requires=(ambient.key,), timeout=timeout)
    return FullBreaking(group=problem.name, order=r["order"], normalizer=r["normalizer"],
                        normalizer_order=r["normalizer_order"], normalizer_finite=True,
                        ideal=r["ideal"], min_size=r["min_size"], complement=r["complement"])


def solve_partial(problem: Problem, *, all_classes: bool | None = None,
                  session: GapSession | None = None, max_order: int = DEFAULT_MAX_ORDER,
                  timeout: float | None = None) -> tuple[PartialBreaking, ...]:
    """Partial breaking to the problem's target, or to every S-conjugacy class of
    subgroups (the default when the problem has no target, or ``all_classes``)."""
    session = session or default_session()
    ambient = _ambient(problem, session, max_order)
    every = all_classes if all_classes is not None else problem.target is None
    target = "fail" if every else problem.target.gap_elements()
    code = GapCode(f'SBS_PartialBreaking("{ambient.key}",{problem.group.gap_elements()},'
                   f'{target})')
    rows = session.evaluate(code, requires=(ambient.key,), timeout=timeout)
    return tuple(PartialBreaking(
        group=problem.name, subgroup=r["subgroup"], subgroup_order=r["subgroup_order"],
        index=r["index"],
        generalized_normalizer_is_normalizer=r["generalized_normalizer_is_normalizer"],
        ideal=r["ideal"], exact_min_size=r["exact_min_size"],
        nonexact_min_size=r["nonexact_min_size"],
        break_more_is_smaller=r["break_more_is_smaller"]) for r in rows)


def solve(problem: Problem, *, session: GapSession | None = None,
          max_order: int = DEFAULT_MAX_ORDER) -> ProblemSolution:
    """Full breaking and partial breaking (target, or all classes) of a problem."""
    return ProblemSolution(full=solve_full(problem, session=session, max_order=max_order),
                           partial=solve_partial(problem, session=session,
                                                 max_order=max_order))
