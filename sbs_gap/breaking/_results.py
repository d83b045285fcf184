"""The results of the engine, one type per question, assembled in one place.

Finite ambient groups (problem files) and point groups in O(3) answer with
the same two types; the GAP side writes the same record fields
(gap_scripts/gap/sbs.gi, ``SBS_PartialRow``), and :func:`full_result` /
:func:`partial_result` turn them into these dataclasses.  Space groups in
E(3) have their own two (:class:`SpaceFullBreaking`,
:class:`SpacePartialBreaking`): their normalizer has an index, continuous
translations and a rotation index, and their classes a kind and a number.
"""
from __future__ import annotations

from dataclasses import asdict, dataclass, fields

from ..errors import InputError
from ..groups import point_group
from .text import rows_table

__all__ = ["FullBreaking", "PartialBreaking", "full_result", "partial_result", "FULL_FIELDS",
           "PARTIAL_FIELDS", "SpaceFullBreaking", "SpacePartialBreaking", "space_full_result",
           "space_partial_result", "SPACE_FULL_FIELDS", "SPACE_PARTIAL_FIELDS"]


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

    def to_json(self) -> dict:
        """The fields, as ``sbs full --json`` prints them."""
        return asdict(self)

    def to_table(self) -> str:
        """``sbs full``'s text: a one-row table."""
        return rows_table([self.to_json()])


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

    def to_json(self) -> dict:
        """The fields, as one row of ``sbs partial --json``."""
        return asdict(self)


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


@dataclass(frozen=True)
class SpaceFullBreaking:
    """Full breaking of the point symmetry of a space group S: K = T(S), P1
    with S's lattice (``sbs full SPACEGROUP --json``; docs/theory.md
    section 8).

    Attributes
    ----------
    group : str
        S.
    number : int
        Its ITA number.
    normalizer : str
        The type of the Euclidean normalizer N (ITA Vol. A ch. 15.2 style: a
        superscript d for d continuous translations, ``P^1 4/mmm``).
    normalizer_index : int or None
        |N : S|; None when S is polar (N has continuous translations).
    continuous_translations : int
        The dimension d of N's continuous translations.
    normalizer_rotation_index : int
        |rotation parts of N| / |P|.
    ideal : bool
        Whether an ideal equivariant set exists: |P| objects.
    min_size : int or None
        The smallest equivariant set breaking to T(S).
    complement : str or None
        The point group (Hermann-Mauguin) of the rotation parts of the
        stabilizer of one object of a smallest set.
    continuous : bool
        Whether only continuous sets exist (never, for K = T(S)).
    """

    group: str
    number: int
    normalizer: str
    normalizer_index: int | None
    continuous_translations: int
    normalizer_rotation_index: int
    ideal: bool
    min_size: int | None
    complement: str | None
    continuous: bool

    def to_json(self) -> dict:
        """The fields, as ``sbs full SPACEGROUP --json`` prints them."""
        return asdict(self)

    def to_table(self) -> str:
        """``sbs full SPACEGROUP``'s text: a one-row table; the complement is
        named both ways (``-1 (Ci)``: a bare ``-1`` reads like a number)."""
        record = self.to_json()
        if record["complement"]:
            record["complement"] = _point_group_text(record["complement"])
        return rows_table([record])


def _point_group_text(symbol: str) -> str:
    """A crystallographic point group as ``-1 (Ci)``: Hermann-Mauguin and
    Schoenflies."""
    try:
        return f"{symbol} ({point_group(symbol).schoenflies})"
    except InputError:
        return symbol


@dataclass(frozen=True)
class SpacePartialBreaking:
    """Breaking a space group S to one S-conjugacy class of subgroups K of
    finite index (``sbs partial SPACEGROUP --json``).

    Attributes
    ----------
    group : str
        S.
    subgroup : str
        The class: ``SYMBOL (NUMBER) [a',b',c'; p]``, K's type and the
        transformation from S's basis and origin to K's conventional ones.
    subgroup_number : int
        K's ITA number.
    kind : str
        ``"t"`` (T(K) = T(S)), ``"k"`` (same point group) or ``"general"``.
    index : int
        |S : K|, the number of domain states.
    generalized_normalizer_is_normalizer : bool or None
        Whether N' = N_E(S, K) equals N_E(S); None when ``continuous``.
    ideal, exact_min_size, nonexact_min_size, break_more_is_smaller
        As for :class:`PartialBreaking`; sizes are None when ``continuous``.
    continuous : bool
        S meet C is not inside K: every equivariant SBS is a continuum
        (sliding along the polar directions).
    """

    group: str
    subgroup: str
    subgroup_number: int
    kind: str
    index: int
    generalized_normalizer_is_normalizer: bool | None
    ideal: bool
    exact_min_size: int | None
    nonexact_min_size: int | None
    break_more_is_smaller: bool
    continuous: bool

    def to_json(self) -> dict:
        """The fields, as one row of ``sbs partial SPACEGROUP --json``."""
        return asdict(self)


SPACE_FULL_FIELDS = tuple(f.name for f in fields(SpaceFullBreaking))
SPACE_PARTIAL_FIELDS = tuple(f.name for f in fields(SpacePartialBreaking))


def space_full_result(*, structure, record: dict, complement: str | None) -> SpaceFullBreaking:
    """A :class:`SpaceFullBreaking` from a registered space group (its
    normalizer) and GAP's row for K = T(S)."""
    n = structure.normalizer
    return SpaceFullBreaking(
        group=structure.group.name, number=structure.group.number, normalizer=n.symbol,
        normalizer_index=n.index, continuous_translations=n.continuous_translations,
        normalizer_rotation_index=n.rotation_index, ideal=record["ideal"],
        min_size=record["exact_min_size"], complement=complement,
        continuous=record["continuous"])


def space_partial_result(*, group: str, cls, record: dict) -> SpacePartialBreaking:
    """A :class:`SpacePartialBreaking` from a subgroup class and GAP's row."""
    return SpacePartialBreaking(
        group=group, subgroup=cls.name, subgroup_number=cls.number, kind=cls.kind,
        index=record["index"],
        generalized_normalizer_is_normalizer=record["generalized_normalizer_is_normalizer"],
        ideal=record["ideal"], exact_min_size=record["exact_min_size"],
        nonexact_min_size=record["nonexact_min_size"],
        break_more_is_smaller=record["break_more_is_smaller"],
        continuous=record["continuous"])
