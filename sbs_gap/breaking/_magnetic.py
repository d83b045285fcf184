"""Symmetry breaking for magnetic point groups in O(3) x {1, theta}.

docs/theory.md section 9: theta (time reversal) is central of order 2, so a
magnetic point group S' is a subgroup of P x {1, theta}, P its image in O(3),
and its normalizer in O(3) x {1, theta} lies in N_{O(3)}(P) x {1, theta}.  GAP
registers P as a point group (its normalizer, or the finite model of an
infinite one) and S' inside that model times <theta>
(gap_scripts/gap/o3.gi, ``SBS_RegisterMagneticPointGroup``); sections 3-4
then run unchanged: the same GAP functions as for point groups answer, with
elements as 4x4 matrices diag(R, +-1).

Classes of subgroups are named by their Hermann-Mauguin symbol with primes
read in a frame of the class (:func:`sbs_gap.groups.magnetic_symbol`), e.g.
``4/mm'm'`` or ``4mm1'``, in Schoenflies' magnetic notation when P is not
crystallographic (``C5v(C5)``), with the geometric label of
:mod:`._naming` when several classes share a symbol.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..errors import InputError
from ..gap import GapSession, StoreKey, default_session
from ..groups import (
    DEFAULT_MAX_ORDER, MagneticPointGroup, MatrixIndex, magnetic_point_group, magnetic_symbol,
    matrix_key,
)
from ._naming import (
    canonical_label, class_members, direction_key, element_geometry, geometric_name_parts,
)
from ._o3 import (
    PointGroupNormalizer, cached_call, candidate_overgroups, normalizer_from_record,
    point_group_elements,
)
from ._results import FullBreaking, PartialBreaking, full_result, partial_result

__all__ = ["MagneticStructure", "MagneticSubgroupClass", "MagneticFullBreaking",
           "MagneticPartialBreaking", "classes_with_rows", "magnetic_structure",
           "magnetic_full", "magnetic_partial", "magnetic_subgroup_classes",
           "select_magnetic_classes"]


@dataclass(frozen=True)
class MagneticStructure:
    """A magnetic point group registered in GAP, with its normalizer in
    O(3) x {1, theta} (``normalizer.name`` in Schoenflies' magnetic
    notation, e.g. ``Oh1'``, ``Dinfh1'``)."""

    group: MagneticPointGroup
    key: StoreKey
    order: int
    normalizer: PointGroupNormalizer


@dataclass(frozen=True)
class MagneticSubgroupClass:
    """One S'-conjugacy class of subgroups of a magnetic point group S'.

    Attributes
    ----------
    group : str
        S'.
    name : str
        The class name, e.g. ``4/mm'm'`` or ``D2d1'[z,x]``.
    type : str
        Its type in Schoenflies' magnetic notation (``D4h(C4h)``, ``C4v1'``).
    symbol : str
        Its Hermann-Mauguin symbol with primes (Schoenflies' notation when
        not crystallographic), read in the canonical member's frame.
    label : str
        The geometric label (empty when the symbol alone names the class).
    order : int
        |K|.
    time_reversal : bool
        Whether theta is in K (a grey subgroup).
    elements : tuple of int
        The canonical member: positions among the elements of S'.
    """

    group: str
    name: str
    type: str
    symbol: str
    label: str
    order: int
    time_reversal: bool
    elements: tuple[int, ...]


@dataclass(frozen=True)
class MagneticFullBreaking(FullBreaking):
    """:class:`FullBreaking` of a magnetic point group, with its type
    (``"I"``, ``"II"`` grey, ``"III"`` black-white)."""

    magnetic_type: str = ""


@dataclass(frozen=True)
class MagneticPartialBreaking(PartialBreaking):
    """:class:`PartialBreaking` of a magnetic point group, with K's type in
    Schoenflies' magnetic notation and whether K keeps theta."""

    subgroup_type: str = ""
    time_reversal_kept: bool = False


def _as_magnetic(S) -> MagneticPointGroup:
    return S if isinstance(S, MagneticPointGroup) else magnetic_point_group(S)


def magnetic_structure(S, *, session: GapSession | None = None,
                       max_order: int = DEFAULT_MAX_ORDER) -> MagneticStructure:
    """Register the magnetic point group S (a symbol or
    :class:`MagneticPointGroup`) in GAP with its normalizer; cached per
    session."""
    g = _as_magnetic(S)
    session = session or default_session()
    gens, flags = g.generator_data()
    args = (gens, list(flags), candidate_overgroups(g.point_group), max_order)
    key = StoreKey.digest("mp", *args)
    info = session.ensure(key, "SBS_RegisterMagneticPointGroup", *args)
    return session.memo(("magnetic-structure", key), lambda: MagneticStructure(
        group=g, key=key, order=info["order"], normalizer=normalizer_from_record(g.name, info)))


def magnetic_full(S, *, session: GapSession | None = None,
                  max_order: int = DEFAULT_MAX_ORDER) -> MagneticFullBreaking:
    """Full breaking of a magnetic point group in O(3) x {1, theta}."""
    session = session or default_session()
    structure = magnetic_structure(S, session=session, max_order=max_order)
    record = cached_call(structure, session, "SBS_PointGroupFull")
    n = structure.normalizer
    plain = full_result(group=structure.group.name, order=structure.order,
                        normalizer=n.name, normalizer_order=n.order, record=record)
    return MagneticFullBreaking(**plain.to_json(), magnetic_type=structure.group.kind)


def _frames(type_: str, geometry: list) -> list[tuple]:
    """Candidate frames (p, s) of a member from its image's geometry."""
    parts = geometric_name_parts(type_, geometry)
    frames = []
    for part in parts:
        if len(part) == 2:
            frames.append(part)
        elif len(part) == 1:
            p = part[0]
            s = np.cross(p, [1.0, 0, 0])
            if np.linalg.norm(s) < 1e-6:
                s = np.cross(p, [0, 1.0, 0])
            frames.append((p, s / np.linalg.norm(s)))
        else:
            frames.append((np.array([0, 0, 1.0]), np.array([1.0, 0, 0])))
    return frames


def _image_type(type_: str) -> str:
    """The Schoenflies type of the image from GAP's magnetic name."""
    if type_.endswith("1'"):
        return type_[:-2]
    return type_.split("(", 1)[0]


def _name_class(elements4: np.ndarray, index: MatrixIndex, geometry: list, row: dict
                ) -> tuple:
    """(key, symbol, label, canonical member) of one class GAP found;
    ``geometry``: :func:`element_geometry` of each element's rotation."""
    member = frozenset(i - 1 for i in row["elements"])
    image_type = _image_type(row["type"])
    best = None
    for m in class_members(index, member):
        positions = sorted(m)
        # the image: each rotation once (a grey member has each twice)
        image = list({matrix_key(elements4[i, :3, :3]): i for i in positions}.values())
        image_geometry = [geometry[i] for i in image]
        for frame in _frames(image_type, image_geometry):
            symbol = magnetic_symbol(image_type, elements4[positions], frame) or row["type"]
            key = (tuple(direction_key(np.asarray(u, dtype=float)) for u in frame), symbol)
            if best is None or key < best[0]:
                best = (key, symbol, m, image_geometry)
    key, symbol, m, image_geometry = best
    # the label of the image's canonical description, as point groups name it
    _, label, _ = canonical_label(image_type, [frozenset(range(len(image_geometry)))],
                                  image_geometry)
    return key, symbol, label, m


def classes_with_rows(structure: MagneticStructure, session: GapSession | None = None
                      ) -> list[tuple[MagneticSubgroupClass, dict]]:
    """(class, GAP's partial-breaking record) for every S'-conjugacy class of
    subgroups, sorted by order and name."""
    session = session or default_session()

    def named():
        rows = cached_call(structure, session, "SBS_PointGroupClasses")
        elements = point_group_elements(structure, session)
        index = MatrixIndex(elements)
        geometry = [element_geometry(e[:3, :3]) for e in elements]
        described = [(*_name_class(elements, index, geometry, row), row) for row in rows]
        count: dict[str, int] = {}
        for _, symbol, *_ in described:
            count[symbol] = count.get(symbol, 0) + 1
        out = []
        for key, symbol, label, member, row in described:
            name = f"{symbol}[{label}]" if count[symbol] > 1 and label else symbol
            cls = MagneticSubgroupClass(
                group=structure.group.name, name=name, type=row["type"], symbol=symbol,
                label=label if count[symbol] > 1 else "", order=len(member),
                time_reversal=row["type"].endswith("1'"), elements=tuple(sorted(member)))
            out.append((cls, row))
        out.sort(key=lambda c: (c[0].order, c[0].name))
        names = [c.name for c, _ in out]
        if len(set(names)) != len(names):
            raise AssertionError(f"two classes of {structure.group.name} share a name")
        return out

    return session.memo(("magnetic-classes", structure.key), named)


def magnetic_subgroup_classes(S, *, session: GapSession | None = None,
                              max_order: int = DEFAULT_MAX_ORDER
                              ) -> tuple[MagneticSubgroupClass, ...]:
    """The S'-conjugacy classes of subgroups of the magnetic point group S'."""
    structure = magnetic_structure(S, session=session, max_order=max_order)
    return tuple(c for c, _ in classes_with_rows(structure, session))


def select_magnetic_classes(S, K, *, session: GapSession | None = None,
                            max_order: int = DEFAULT_MAX_ORDER) -> list[MagneticSubgroupClass]:
    """The classes of subgroups of S' that K names: a class name, a type in
    Schoenflies' magnetic notation (every class of it), a magnetic symbol in
    the standard orientation (``4/mm'm'``: the class of that subgroup), an
    ordinary point group name (its type-I classes), or a class object."""
    structure = magnetic_structure(S, session=session, max_order=max_order)
    classes = [c for c, _ in classes_with_rows(structure, session)]
    if isinstance(K, MagneticSubgroupClass):
        if K not in classes:
            raise InputError(f"{K.name} is not a class of subgroups of {structure.group.name}")
        return [K]
    if not isinstance(K, str):
        raise InputError("K of a magnetic group is a name such as 4/mm'm' or 4mm1'")
    text = K.strip().replace(" ", "")
    chosen = [c for c in classes if c.name == text] or [c for c in classes if c.type == text]
    if not chosen:
        chosen = _classes_of_group(structure, classes, text, session)
    if not chosen:
        raise InputError(f"{K!r} is not a subgroup of {structure.group.name} (up to "
                         f"conjugacy); valid choices: " + ", ".join(c.name for c in classes))
    return chosen


def _classes_of_group(structure, classes, text, session) -> list[MagneticSubgroupClass]:
    """The class of the subgroup a symbol names in the standard orientation
    (primes: a magnetic group; none: the ordinary group, type I)."""
    from ..groups import point_group
    try:
        if "'" in text:
            k = magnetic_point_group(text)
            members = k.numpy_elements
        else:
            members = _with_flags(point_group(text).numpy_elements, 1)
    except InputError:
        return []
    elements = point_group_elements(structure, session)
    index = MatrixIndex(elements)
    try:
        member = frozenset(int(p) for p in index.positions(members))
    except KeyError:
        raise InputError(f"{text} (in its standard orientation) is not a subgroup of "
                         f"{structure.group.name}") from None
    for c in classes:
        if c.order == len(member) and member in class_members(index, c.elements):
            return [c]
    raise AssertionError("a subgroup of S' lies in no class")


def _with_flags(rotations: np.ndarray, sign: int) -> np.ndarray:
    out = np.zeros((len(rotations), 4, 4))
    out[:, :3, :3] = rotations
    out[:, 3, 3] = sign
    return out


def magnetic_partial(S, K=None, *, session: GapSession | None = None,
                     max_order: int = DEFAULT_MAX_ORDER) -> tuple[MagneticPartialBreaking, ...]:
    """Partial breaking of a magnetic point group S' to K (every class
    without K), in O(3) x {1, theta}."""
    session = session or default_session()
    structure = magnetic_structure(S, session=session, max_order=max_order)
    described = classes_with_rows(structure, session)
    chosen = None if K is None else set(select_magnetic_classes(
        structure.group, K, session=session, max_order=max_order))
    out = []
    for c, r in described:
        if chosen is not None and c not in chosen:
            continue
        plain = partial_result(group=structure.group.name, subgroup=c.name, record=r)
        out.append(MagneticPartialBreaking(**plain.to_json(), subgroup_type=c.type,
                                           time_reversal_kept=c.time_reversal))
    return tuple(out)

