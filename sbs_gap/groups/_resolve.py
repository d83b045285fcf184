"""One name, one group: point groups first, then space groups."""
from __future__ import annotations

from ..errors import InputError
from ._pointgroups import DEFAULT_MAX_ORDER, PointGroup, point_group
from ._spacegroups import SpaceGroup, is_space_group_name, space_group

__all__ = ["group_by_name"]


def group_by_name(name, *, max_order: int = DEFAULT_MAX_ORDER) -> PointGroup | SpaceGroup:
    """The point group or space group with this name.

    A name that is both (``C2``) is the point group: point-group behaviour is
    unchanged by space groups; write the space group as ``C 1 2 1`` or ``SG5``
    (``C121`` is the cyclic point group of order 121).
    """
    if isinstance(name, (PointGroup, SpaceGroup)):
        return name
    try:
        return point_group(name, max_order=max_order)
    except InputError as point_error:
        if isinstance(name, str) and is_space_group_name(name):
            return space_group(name)
        if not str(point_error).startswith("unknown point group"):
            raise
        raise InputError(f"{point_error}; or a space group such as Pm-3m, P4_2/mnm or "
                         "SG221") from None
