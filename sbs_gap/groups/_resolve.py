"""One name, one group: point groups first, then space groups."""
from __future__ import annotations

from ..errors import InputError
from ._grey import GreySpaceGroup, grey_space_group, looks_like_magnetic_space_group
from ._magnetic import MagneticPointGroup, is_magnetic_name, magnetic_point_group
from ._pointgroups import DEFAULT_MAX_ORDER, PointGroup, point_group
from ._spacegroups import SpaceGroup, is_space_group_name, looks_like_space_group, space_group

__all__ = ["group_by_name"]


def group_by_name(name, *, max_order: int = DEFAULT_MAX_ORDER
                  ) -> PointGroup | SpaceGroup | MagneticPointGroup | GreySpaceGroup:
    """The point group or space group with this name.

    A name that is both (``C2``) is the point group: point-group behaviour is
    unchanged by space groups; write the space group as ``C 1 2 1`` or ``SG5``
    (``C121`` is the cyclic point group of order 121).  Letter case is free
    for both kinds (``OH``, ``p4mm``); no space-group symbol is a point-group
    name in another case, so the order decides only the names above (``c2``
    is the point group too).

    A name with a prime is a magnetic point group (``4/mm'm'``, ``m-3m1'``),
    or else a grey space group (``P4_2/mnm1'``), as is a BNS number
    (``136.496``); a magnetic space group of another type is refused with
    a hint (it is a target, not a parent).
    An unknown name shaped like a space-group symbol (``Pm3q``) gets the
    space-group error and suggestions, any other the point-group ones.
    """
    if isinstance(name, (PointGroup, SpaceGroup, MagneticPointGroup, GreySpaceGroup)):
        return name
    if is_magnetic_name(name) or looks_like_magnetic_space_group(name):
        # time reversal (docs/theory.md section 9): a magnetic point group,
        # else a grey space group
        try:
            return magnetic_point_group(name)
        except InputError:
            if not looks_like_magnetic_space_group(name):
                raise
        return grey_space_group(name)
    try:
        return point_group(name, max_order=max_order)
    except InputError as point_error:
        if isinstance(name, str) and (is_space_group_name(name)
                                      or looks_like_space_group(name)):
            return space_group(name)
        if not str(point_error).startswith("unknown point group"):
            raise
        raise InputError(f"{point_error}; or a space group such as Pm-3m, P4_2/mnm or "
                         "SG221") from None
