"""An equivariant point-cloud network that takes one symmetry breaking object.

Node inputs are the node attributes concatenated with the symmetry breaking
object (an irreps vector broadcast to every node); each layer is a
tensor-product convolution (spherical harmonics of the edge vectors, weights
from a radial MLP of the edge length) plus a linear self-connection, followed
by a gated nonlinearity; the output is per node or the mean over nodes.
Message passing is plain torch (``index_add_``).  Periodic structures use
edges to lattice-translated neighbours.
"""
from __future__ import annotations

import math
from dataclasses import dataclass

import torch
from e3nn import nn as e3nn_nn
from e3nn import o3
from e3nn.math import soft_one_hot_linspace

__all__ = ["Graph", "Markers", "EquivariantNetwork"]


@dataclass
class Graph:
    """A point cloud: positions (n, 3), node attributes (n, attr_dim) of
    ``irreps_node_attr``, and for crystals the lattice (rows are the basis
    vectors); edges connect points closer than ``cutoff``."""

    pos: torch.Tensor
    node_attr: torch.Tensor
    cutoff: float
    lattice: torch.Tensor | None = None

    def edges(self) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
        """(source, destination, edge vector) for every pair within the cutoff
        (with lattice translations for crystals), self-pairs excluded."""
        pos = self.pos
        if self.lattice is None:
            shifts = torch.zeros(1, 3, dtype=pos.dtype, device=pos.device)
        else:
            reach = [int(math.ceil(self.cutoff / torch.linalg.norm(v).item())) + 1
                     for v in self.lattice]
            grid = torch.tensor([(a, b, c) for a in range(-reach[0], reach[0] + 1)
                                 for b in range(-reach[1], reach[1] + 1)
                                 for c in range(-reach[2], reach[2] + 1)],
                                dtype=pos.dtype, device=pos.device)
            shifts = grid @ self.lattice
        vec = pos[None, :, None, :] + shifts[None, None, :, :] - pos[:, None, None, :]
        dist = torch.linalg.norm(vec, dim=-1)  # (src, dst, shift)
        keep = (dist < self.cutoff) & (dist > 1e-8)
        src, dst, sh = torch.nonzero(keep, as_tuple=True)
        # message from src to dst along dst_pos - src_pos
        return src, dst, vec[src, dst, sh]

    def transformed(self, rotation: torch.Tensor, attr_matrix: torch.Tensor,
                    translation: torch.Tensor | None = None) -> "Graph":
        """The graph moved by x -> R x + t (R orthogonal); ``attr_matrix`` is
        the representation of R on the node attributes (e.g. from
        :func:`sbs_gap.representation_matrices`)."""
        r = rotation.to(self.pos)
        return Graph(pos=_moved_points(self.pos, r, translation),
                     node_attr=self.node_attr @ attr_matrix.to(self.pos).T, cutoff=self.cutoff,
                     lattice=None if self.lattice is None else self.lattice @ r.T)


def _moved_points(pos: torch.Tensor, rotation: torch.Tensor,
                  translation: torch.Tensor | None) -> torch.Tensor:
    """x -> R x + t for the rows of ``pos``."""
    moved = pos @ rotation.to(pos).T
    return moved if translation is None else moved + translation.to(pos)


@dataclass
class Markers:
    """A symmetry breaking object given as marker points (a periodic
    pattern, :class:`sbs_gap.objects.MarkerPattern`, in the graph's cell):
    Cartesian positions (m, 3) and features (m, dim) of the network's
    ``irreps_object``.  They join the graph as extra nodes."""

    pos: torch.Tensor
    features: torch.Tensor

    def transformed(self, rotation: torch.Tensor, feature_matrix: torch.Tensor,
                    translation: torch.Tensor | None = None) -> "Markers":
        return Markers(pos=_moved_points(self.pos, rotation, translation),
                       features=self.features @ feature_matrix.to(self.pos).T)

    def to(self, *args, **kwargs) -> "Markers":
        return Markers(pos=self.pos.to(*args, **kwargs),
                       features=self.features.to(*args, **kwargs))


class _Convolution(torch.nn.Module):
    def __init__(self, irreps_in, irreps_out, irreps_sh, cutoff, num_basis, radial_hidden,
                 num_neighbors):
        super().__init__()
        self.irreps_sh = irreps_sh
        self.cutoff = cutoff
        self.num_basis = num_basis
        self.num_neighbors = num_neighbors
        self.tp = o3.FullyConnectedTensorProduct(irreps_in, irreps_sh, irreps_out,
                                                 shared_weights=False)
        self.radial = e3nn_nn.FullyConnectedNet([num_basis, radial_hidden, self.tp.weight_numel],
                                                torch.nn.functional.silu)
        self.self_connection = o3.Linear(irreps_in, irreps_out)

    def forward(self, x, src, dst, vec):
        sh = o3.spherical_harmonics(self.irreps_sh, vec, normalize=True,
                                    normalization="component")
        length = torch.linalg.norm(vec, dim=1)
        basis = soft_one_hot_linspace(length, 0.0, self.cutoff, self.num_basis,
                                      basis="smooth_finite", cutoff=True)
        weights = self.radial(basis * self.num_basis ** 0.5)
        messages = self.tp(x[src], sh, weights)
        out = torch.zeros(len(x), messages.shape[1], dtype=x.dtype, device=x.device)
        out = out.index_add_(0, dst, messages) / self.num_neighbors ** 0.5
        return out + self.self_connection(x)


class EquivariantNetwork(torch.nn.Module):
    """f(graph, object): equivariant under O(3) in the positions, node
    attributes, object and output together.

    Parameters
    ----------
    irreps_node_attr : str
        Irreps of the node attributes (e.g. ``"0o"`` for a pseudoscalar).
    irreps_object : str or None
        Irreps of the symmetry breaking object (None: a network without one,
        the baseline).
    irreps_out : str
        Irreps of the output.
    per_node : bool
        Output per node (True) or the mean over nodes (False).
    """

    def __init__(self, irreps_node_attr: str, irreps_object: str | None, irreps_out: str, *,
                 cutoff: float, per_node: bool, layers: int = 3, multiplicity: int = 8,
                 lmax: int = 2, num_basis: int = 10, radial_hidden: int = 32,
                 num_neighbors: float = 4.0):
        super().__init__()
        # The constructor arguments, to rebuild the network in float64.
        self.config = dict(irreps_node_attr=irreps_node_attr, irreps_object=irreps_object,
                           irreps_out=irreps_out, cutoff=cutoff, per_node=per_node,
                           layers=layers, multiplicity=multiplicity, lmax=lmax,
                           num_basis=num_basis, radial_hidden=radial_hidden,
                           num_neighbors=num_neighbors)
        self.irreps_node_attr = o3.Irreps(irreps_node_attr)
        self.irreps_object = o3.Irreps(irreps_object) if irreps_object else None
        # Each irrep once, sorted, so that the broadcast object can be slotted in.
        self.irreps_in = (self.irreps_node_attr + self.irreps_object).sort().irreps.simplify() \
            if self.irreps_object else self.irreps_node_attr
        self.irreps_out = o3.Irreps(irreps_out)
        self.per_node = per_node
        irreps_sh = o3.Irreps.spherical_harmonics(lmax)
        m = multiplicity
        scalars = o3.Irreps(f"{m}x0e+{m}x0o")
        gated = o3.Irreps("+".join(f"{max(1, m // 2)}x{l}{p}" for l in range(1, lmax + 1)
                                   for p in "eo"))
        gates = o3.Irreps(f"{gated.num_irreps}x0e")
        self.layers = torch.nn.ModuleList()
        irreps = self.irreps_in
        for _ in range(layers):
            gate = e3nn_nn.Gate(scalars, [torch.nn.functional.silu, torch.tanh], gates,
                                [torch.sigmoid], gated)
            conv = _Convolution(irreps, gate.irreps_in, irreps_sh, cutoff, num_basis,
                                radial_hidden, num_neighbors)
            self.layers.append(torch.nn.ModuleList([conv, gate]))
            irreps = gate.irreps_out
        self.final = _Convolution(irreps, self.irreps_out, irreps_sh, cutoff, num_basis,
                                  radial_hidden, num_neighbors)

    def forward(self, graph: Graph, obj: torch.Tensor | Markers | None = None) -> torch.Tensor:
        """The output for the graph's nodes; ``obj`` is a uniform object (an
        irreps vector, given to every node) or :class:`Markers` (extra nodes,
        whose own outputs are dropped)."""
        x = graph.node_attr
        n = len(x)
        if self.irreps_object is not None:
            if obj is None:
                raise ValueError("this network takes a symmetry breaking object")
            if isinstance(obj, Markers):
                attr = torch.zeros(len(obj.pos), x.shape[1], dtype=x.dtype, device=x.device)
                x = torch.cat([self._concatenate(x, torch.zeros(
                                   n, obj.features.shape[1], dtype=x.dtype, device=x.device)),
                               self._concatenate(attr, obj.features.to(x))])
                graph = Graph(pos=torch.cat([graph.pos, obj.pos.to(graph.pos)]),
                              node_attr=x, cutoff=graph.cutoff, lattice=graph.lattice)
            else:
                x = self._concatenate(x, obj.to(x).expand(n, -1))
        src, dst, vec = graph.edges()
        for conv, gate in self.layers:
            x = gate(conv(x, src, dst, vec))
        out = self.final(x, src, dst, vec)[:n]
        return out if self.per_node else out.mean(dim=0)

    def _concatenate(self, attr, obj):
        # Features in the order of irreps_in (sorted, equal irreps merged).
        parts = []
        for irreps, data in ((self.irreps_node_attr, attr), (self.irreps_object, obj)):
            start = 0
            for mul, ir in irreps:
                parts.append((ir, data[:, start:start + mul * ir.dim]))
                start += mul * ir.dim
        pieces = []
        for mul, ir in self.irreps_in:
            chunk = [d for i, d in parts if i == ir]
            pieces.append(torch.cat(chunk, dim=1))
        return torch.cat(pieces, dim=1)
