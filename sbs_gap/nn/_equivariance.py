"""The equivariance test of a trained network, in float64.

max |f(g u, g b) - g f(u, b)| over random g in E(3) and given ones.  The network is checked
as a float64 copy whose Clebsch-Gordan constants are recomputed in float64:
converting a float32 network would keep e3nn's float32-rounded constants,
whose errors (~1e-7 relative) would hide in the check.  Nothing here changes
torch's default dtype.
"""
from __future__ import annotations

import numpy as np
import torch
from e3nn import o3

from ..objects import representation_matrices
from ._network import EquivariantNetwork, Graph, Markers

__all__ = ["equivariance_error", "random_orthogonal", "as_float64"]


def random_orthogonal(generator: torch.Generator, dtype=torch.float64) -> torch.Tensor:
    """A random orthogonal 3x3 matrix (Haar; improper half of the time)."""
    q, r = torch.linalg.qr(torch.randn(3, 3, generator=generator, dtype=dtype))
    q = q * torch.sign(torch.diagonal(r))
    if torch.rand(1, generator=generator).item() < 0.5:
        q = -q  # improper half of the time
    return q


def equivariance_error(model: EquivariantNetwork, graph: Graph, obj, *, trials: int = 3,
                       seed: int = 0, transforms=None) -> float:
    """max |f(g u, g b) - g f(u, b)| over random g in E(3) (orthogonal part
    proper and improper, random translation) and the given ``transforms``:
    orthogonal matrices R or Euclidean maps (R, t), x -> R x + t, in the
    graph's Cartesian frame (e.g. the generators of the generalized
    normalizer, elements and translations outside S included), computed in
    float64.  ``obj`` is a uniform object (tensor), :class:`Markers` or None."""
    model64 = as_float64(model)
    g64 = Graph(pos=graph.pos.double().cpu(), node_attr=graph.node_attr.double().cpu(),
                cutoff=graph.cutoff,
                lattice=None if graph.lattice is None else graph.lattice.double().cpu())
    obj64 = None if obj is None else obj.to(dtype=torch.float64, device="cpu")
    generator = torch.Generator().manual_seed(seed)
    moves = [(random_orthogonal(generator), torch.randn(3, generator=generator,
                                                        dtype=torch.float64))
             for _ in range(trials)]
    for t in [] if transforms is None else transforms:
        if isinstance(t, (tuple, list)) and len(t) == 2:
            moves.append((torch.as_tensor(np.asarray(t[0], dtype=float)),
                           torch.as_tensor(np.asarray(t[1], dtype=float))))
        else:
            moves.append((torch.as_tensor(np.asarray(t, dtype=float)), None))
    worst = 0.0

    def rep(irreps, rot):
        return torch.as_tensor(representation_matrices(irreps, rot.numpy()))

    with torch.no_grad():
        base = model64(g64, obj64)
        for rot, shift in moves:
            moved = g64.transformed(rot, rep(model.irreps_node_attr, rot), shift)
            if obj64 is None:
                b = None
            elif isinstance(obj64, Markers):
                b = obj64.transformed(rot, rep(model.irreps_object, rot), shift)
            else:
                b = rep(model.irreps_object, rot) @ obj64
            out = model64(moved, b)
            expected = base @ rep(model.irreps_out, rot).T
            worst = max(worst, float(torch.max(torch.abs(out - expected))))
    return worst


def as_float64(model: EquivariantNetwork) -> EquivariantNetwork:
    """The same network in float64 on the CPU, with e3nn's Clebsch-Gordan
    constants recomputed in float64 (:func:`e3nn.o3.wigner_3j`).  Any network
    class of this package that keeps its constructor arguments in ``config``
    (:class:`EquivariantNetwork`, :class:`TimeOddNetwork`) is rebuilt as its
    own class.

    The constants are found by value, not by e3nn's internal names: a buffer of
    shape (2l1+1, 2l2+1, 2l3+1) that holds the float32 rounding of
    ``wigner_3j(l1, l2, l3)`` gets the float64 values in place."""
    double = type(model)(**model.config)
    double.load_state_dict(model.state_dict())
    double = double.to(device="cpu", dtype=torch.float64)
    replaced = 0
    with torch.no_grad():
        for buffer in double.buffers():
            exact = _clebsch_gordan(buffer)
            if exact is not None:
                buffer.copy_(exact)
                replaced += 1
    if replaced == 0:
        raise AssertionError("found no Clebsch-Gordan constants to recompute in float64")
    return double


def _clebsch_gordan(buffer: torch.Tensor) -> torch.Tensor | None:
    """``wigner_3j(l1, l2, l3)`` in float64 if ``buffer`` holds it rounded to float32
    (or exactly), else None."""
    if buffer.dim() != 3 or not all(d % 2 for d in buffer.shape):
        return None
    l1, l2, l3 = ((d - 1) // 2 for d in buffer.shape)
    if not abs(l2 - l3) <= l1 <= l2 + l3:
        return None
    exact = o3.wigner_3j(l1, l2, l3, dtype=torch.float64)
    if torch.equal(buffer, exact.float().double()) or torch.equal(buffer, exact):
        return exact
    return None
