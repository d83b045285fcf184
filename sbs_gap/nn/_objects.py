"""Space-group objects as network inputs (docs/theory.md section 8, point 3):
a uniform field is a global input (given to every node), a marker pattern
becomes extra nodes of the periodic graph (features: 1, or the time-odd
sign of a grey parent's marker)."""
from __future__ import annotations

import numpy as np
import torch

from ..errors import InputError
from ..objects import SpaceSymmetryBreakingSet
from ._network import Markers

__all__ = ["periodic_object"]


def periodic_object(sbs: SpaceSymmetryBreakingSet, index: int, *, supercell, cell,
                    dtype=torch.float32, device=None) -> torch.Tensor | Markers:
    """Object ``index`` of a space-group set, for a periodic graph.

    Parameters
    ----------
    sbs : SpaceSymmetryBreakingSet
    supercell : array_like
        The graph's cell (rows) in S's conventional coordinates, e.g.
        ``2 * np.eye(3)`` for a 2x2x2 supercell; its lattice must lie in the
        pattern's lattice L.
    cell : array_like
        The conventional basis vectors (rows) in the graph's Cartesian frame,
        e.g. ``a * np.eye(3)`` for a cubic cell of edge a.
    """
    obj = sbs.objects[index]
    cell = np.asarray(cell, dtype=float)
    if obj.kind == "uniform":
        # the set's vectors are Cartesian for its own basis (a along x, b in
        # the xy plane); the graph's frame must agree up to scale
        own = sbs.cartesian_basis / np.linalg.norm(sbs.cartesian_basis, axis=1, keepdims=True)
        given = cell / np.linalg.norm(cell, axis=1, keepdims=True)
        if not np.allclose(own, given, atol=1e-6):
            raise InputError("the cell's axes differ from the set's Cartesian frame (a along "
                             "x, b in the xy plane; angles of the set's cell)")
        return torch.as_tensor(obj.vector, dtype=dtype, device=device)
    if obj.directions:
        raise InputError("oriented lines (polar S) are not graph nodes; give the network a "
                         "non-polar setting or a uniform object")
    # each point's features: the scalar 1, or a grey parent's time-odd sign (0e')
    points, features = obj.features_in_cell(supercell)
    points = points @ cell
    return Markers(pos=torch.as_tensor(points, dtype=dtype, device=device),
                   features=torch.as_tensor(features, dtype=dtype, device=device))
