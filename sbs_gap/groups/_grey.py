"""Grey space groups S1' = S x {1, theta}: the parents of magnetic orderings
(docs/theory.md section 9).

A grey group is named by its space group's symbol followed by ``1'``
(``P4_2/mnm1'``, ``Pm-3m1'``; any ITA setting the space-group reader takes,
the setting after the prime: ``Fd-3m1':1``) or by its BNS number
(``136.496``).  Magnetic space groups of the other types are targets
(:func:`magnetic_space_group_type`), not parents.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from ..errors import InputError
from ._magnetic_space import MagneticSpaceGroupType, grey_type, magnetic_space_group_type
from ._spacegroups import (
    SpaceGroup, is_space_group_name, looks_like_space_group, space_group, space_group_by_number,
)

__all__ = ["GreySpaceGroup", "grey_space_group", "looks_like_magnetic_space_group"]

_BNS_NUMBER = re.compile(r"^\s*(?:BNS\s*)?[0-9]{1,3}\.[0-9]{1,4}\s*$")
_GREY = re.compile(r"^(?P<symbol>.+?)\s*1'\s*(?::\s*(?P<setting>[A-Za-z0-9]+))?$")


@dataclass(frozen=True)
class GreySpaceGroup:
    """The grey group S1' of a space group S (one ITA setting).

    Attributes
    ----------
    space_group : SpaceGroup
        S.
    """

    space_group: SpaceGroup

    @property
    def name(self) -> str:
        """``P4_2/mnm1'``; the setting after the prime (``Fd-3m1':1``)."""
        g = self.space_group
        _, colon, setting = g.name.partition(":")
        return f"{g.hermann_mauguin}1'" + (f":{setting}" if colon else "")

    @property
    def number(self) -> int:
        return self.space_group.number

    @property
    def bns_type(self) -> MagneticSpaceGroupType:
        """The type-II record of the BNS list (``136.496``)."""
        return grey_type(self.space_group.number)


def looks_like_magnetic_space_group(name) -> bool:
    """Whether a name is written as a magnetic space group: a BNS number, or
    a space-group symbol with primes, a final 1' or a subscripted lattice
    (``P_c4/mmm``)."""
    if not isinstance(name, str) or len(name) > 100:
        return False
    text = name.strip()
    if _BNS_NUMBER.match(text):
        return True
    subscripted = re.sub(r"^([PABCFIR])_[A-Za-z]", r"\1", text)
    if "'" not in text and subscripted == text:
        return False
    plain = subscripted[:-2] if re.search(r"[^-]1'$", subscripted) else subscripted
    plain = plain.replace("'", "")
    return is_space_group_name(plain) or looks_like_space_group(plain)


def grey_space_group(name) -> GreySpaceGroup:
    """The grey space group named ``S1'`` or by its BNS number; a clear
    error for a magnetic space group of another type."""
    if isinstance(name, GreySpaceGroup):
        return name
    if not isinstance(name, str) or not name.strip() or len(name) > 100:
        raise InputError("a grey space group is a space group followed by 1' (P4_2/mnm1') "
                         "or a BNS number (136.496)")
    text = name.strip()
    m = _GREY.match(text)
    if m and "'" not in m.group("symbol"):
        symbol = m.group("symbol")
        if m.group("setting"):
            symbol = f"{symbol}:{m.group('setting')}"
        return GreySpaceGroup(space_group(symbol))
    record = magnetic_space_group_type(text)
    if record.type == 2:
        return GreySpaceGroup(space_group_by_number(record.number))
    raise InputError(
        f"{record.bns_symbol} ({record.bns_number}) is a magnetic space group of type "
        f"{record.kind}: the parent of a magnetic ordering is a grey group; it is a target "
        f"of its grey parent, e.g. sbs partial \"{grey_type(_parent_number(record)).bns_symbol}"
        f"\" --to \"{record.bns_symbol}\"")


def _parent_number(record: MagneticSpaceGroupType) -> int:
    """The ITA number of a grey group that has ``record`` as a subgroup: its
    family (the space group of all its operations, theta forgotten)."""
    return record.family_number()
