"""The results of the engine, one type per question, assembled in one place.

Every kind of input group (a finite ambient group from a problem file, a point
group in O(3), next space groups in E(3)) answers with the same two types; the
GAP side writes the same record fields (gap_scripts/gap/sbs.gi,
``SBS_PartialRow``), and :func:`full_result` / :func:`partial_result` turn
them into these dataclasses.
"""
from __future__ import annotations

from dataclasses import dataclass, fields

__all__ = ["FullBreaking", "PartialBreaking", "full_result", "partial_result", "FULL_FIELDS",
           "PARTIAL_FIELDS"]


@dataclass(frozen=True)
class FullBreaking:
    """Full symmetry breaking of S (K = 1): the fields of ``sbs full --json``.

    Attributes
    ----------
    group : str
        S.
    order : int
        |S|.
    normalizer : str
        N = N_G(S): a Schoenflies name for point groups (``O(3)`` or ``Dinfh``
        when infinite), GAP's structure description for problem files.
    normalizer_order : int or None
        |N|, None when N is infinite.
    normalizer_finite : bool
        Whether N is finite.
    ideal : bool
        Whether an ideal equivariant full SBS exists: S has a complement M in
        N (M meet S = 1, MS = N; Theorem A).  Its objects are the N-orbit of
        one object with stabilizer M: exactly |S| of them.
    min_size : int or None
        The smallest equivariant full SBS, min |N : M| over M <= N with
        M meet S = 1; None when every equivariant full SBS is infinite (S
        meets the identity component of N).
    complement : str or None
        A complement M (the stabilizer of one object of an ideal set), the
        first name in sorting order when there are several classes.
    """

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
    """Breaking S to one S-conjugacy class of subgroups K: ``sbs partial --json``.

    Attributes
    ----------
    group, subgroup : str
        S, and the name of the class of K.
    subgroup_order, index : int
        |K| and |S : K|, the number of degenerate outputs.
    generalized_normalizer_is_normalizer : bool
        Whether N' = N_G(S, K) = {n in N_G(S) : n K n^-1 is S-conjugate to K}
        equals N_G(S).  Every equivariant SBS for (S, K) is closed under N'.
    ideal : bool
        Whether an ideal equivariant exact SBS exists (Theorem B): |S : K|
        objects, each with stabilizer in S conjugate to K, closed under N'.
    exact_min_size : int or None
        min |N' : M| over M <= N' with M meet S conjugate to K: the smallest
        equivariant SBS whose objects break exactly to K; None when only
        infinite ones exist.
    nonexact_min_size : int or None
        The same with M meet S subconjugate to K (breaking more than asked).
    break_more_is_smaller : bool
        ``nonexact_min_size < exact_min_size``.
    """

    group: str
    subgroup: str
    subgroup_order: int
    index: int
    generalized_normalizer_is_normalizer: bool
    ideal: bool
    exact_min_size: int | None
    nonexact_min_size: int | None
    break_more_is_smaller: bool


FULL_FIELDS = tuple(f.name for f in fields(FullBreaking))
PARTIAL_FIELDS = tuple(f.name for f in fields(PartialBreaking))


def full_result(*, group: str, order: int, normalizer: str, normalizer_order: int | None,
                record: dict) -> FullBreaking:
    """A :class:`FullBreaking` from GAP's full-breaking record (``ideal``,
    ``min_size``, ``complement``) and what the caller knows of N."""
    return FullBreaking(group=group, order=order, normalizer=normalizer,
                        normalizer_order=normalizer_order,
                        normalizer_finite=normalizer_order is not None,
                        ideal=record["ideal"], min_size=record["min_size"],
                        complement=record["complement"])


def partial_result(*, group: str, subgroup: str, record: dict) -> PartialBreaking:
    """A :class:`PartialBreaking` from GAP's row record (``SBS_PartialRow``)."""
    return PartialBreaking(
        group=group, subgroup=subgroup, subgroup_order=record["subgroup_order"],
        index=record["index"],
        generalized_normalizer_is_normalizer=record["generalized_normalizer_is_normalizer"],
        ideal=record["ideal"], exact_min_size=record["exact_min_size"],
        nonexact_min_size=record["nonexact_min_size"],
        break_more_is_smaller=record["break_more_is_smaller"])
