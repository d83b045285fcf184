"""An equivariant point-cloud network that takes one symmetry breaking object,
and the training loop of THEORY.md section 6.

The network (e3nn, message passing in plain torch with ``index_add_``):
node inputs are the node attributes concatenated with the symmetry breaking
object (an irreps vector broadcast to every node); each layer is a
tensor-product convolution (spherical harmonics of the edge vectors, weights
from a radial MLP of the edge length) plus a linear self-connection, followed
by a gated nonlinearity; the output is per node or the mean over nodes.
Periodic structures use edges to lattice-translated neighbours.

Training follows THEORY.md section 6: the set B of objects comes with the
output paired with one object per S-orbit; each step draws objects from B
and uses the S-image of the paired output (equivariance makes one pair per
orbit enough; drawing the others only rehearses it).  At inference the
network is run on every object of B to give every degenerate output.
"""
from __future__ import annotations

import math
import time
from dataclasses import dataclass

import numpy as np
import torch
from e3nn import nn as e3nn_nn
from e3nn import o3
from e3nn.math import soft_one_hot_linspace

__all__ = ["Graph", "EquivariantNetwork", "TrainingPair", "train", "default_device",
           "equivariance_error"]


def default_device() -> torch.device:
    return torch.device("cuda" if torch.cuda.is_available() else "cpu")


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

    def transformed(self, rotation: torch.Tensor, attr_irreps: o3.Irreps) -> "Graph":
        """The graph moved by an orthogonal matrix (attributes transformed too)."""
        d = attr_irreps.D_from_matrix(rotation.to(self.pos.dtype).cpu()).to(self.pos)
        return Graph(pos=self.pos @ rotation.T.to(self.pos), node_attr=self.node_attr @ d.T,
                     cutoff=self.cutoff,
                     lattice=None if self.lattice is None else self.lattice @ rotation.T.to(
                         self.pos))


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

    def forward(self, graph: Graph, obj: torch.Tensor | None = None) -> torch.Tensor:
        x = graph.node_attr
        if self.irreps_object is not None:
            if obj is None:
                raise ValueError("this network takes a symmetry breaking object")
            x = self._concatenate(x, obj.to(x).expand(len(x), -1))
        src, dst, vec = graph.edges()
        for conv, gate in self.layers:
            x = gate(conv(x, src, dst, vec))
        out = self.final(x, src, dst, vec)
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


@dataclass
class TrainingPair:
    """An input, the set B of objects and, for each object, its target
    (the S-image of the output paired with the orbit's first object)."""

    graph: Graph
    objects: torch.Tensor | None   # (|B|, object dim), None for the baseline
    targets: torch.Tensor          # (|B|, ...) target per object


def train(model: EquivariantNetwork, pairs: list[TrainingPair], *, steps: int,
          lr: float = 1e-2, batch: int = 4, seed: int = 0, progress: bool = False,
          desc: str = "training") -> dict:
    """Adam on the mean squared error; each step draws ``batch`` objects from
    each pair's set B (uniformly).  Returns {"seconds", "final_loss"}."""
    generator = torch.Generator().manual_seed(seed)
    optimizer = torch.optim.Adam(model.parameters(), lr=lr)
    schedule = torch.optim.lr_scheduler.CosineAnnealingLR(optimizer, T_max=steps)
    bar = None
    if progress:
        from tqdm import tqdm
        bar = tqdm(total=steps, desc=desc, unit="step", leave=False)
    start = time.perf_counter()
    loss_value = float("nan")
    for _ in range(steps):
        optimizer.zero_grad()
        loss = 0.0
        for pair in pairs:
            count = len(pair.targets)
            picks = torch.randint(count, (min(batch, count),), generator=generator)
            for i in picks.tolist():
                obj = None if pair.objects is None else pair.objects[i]
                out = model(pair.graph, obj)
                loss = loss + torch.mean((out - pair.targets[i]) ** 2)
        loss = loss / len(pairs)
        loss.backward()
        optimizer.step()
        schedule.step()
        loss_value = float(loss.detach())
        if bar is not None:
            bar.update(1)
            bar.set_postfix(loss=f"{loss_value:.2e}")
    if bar is not None:
        bar.close()
    return {"seconds": time.perf_counter() - start, "final_loss": loss_value}


def random_orthogonal(generator: torch.Generator, dtype=torch.float64) -> torch.Tensor:
    q, r = torch.linalg.qr(torch.randn(3, 3, generator=generator, dtype=dtype))
    q = q * torch.sign(torch.diagonal(r))
    if torch.rand(1, generator=generator).item() < 0.5:
        q = -q  # improper half of the time
    return q


def equivariance_error(model: EquivariantNetwork, graph: Graph, obj: torch.Tensor | None,
                       *, trials: int = 3, seed: int = 0) -> float:
    """max |f(g u, g b) - g f(u, b)| over random g in O(3) (proper and improper),
    computed in float64."""
    previous = torch.get_default_dtype()
    torch.set_default_dtype(torch.float64)  # e3nn's D matrices in float64 too
    try:
        return _equivariance_error(model, graph, obj, trials, seed)
    finally:
        torch.set_default_dtype(previous)


def _equivariance_error(model, graph, obj, trials, seed) -> float:
    model64 = _as_double(model)
    g64 = Graph(pos=graph.pos.double().cpu(), node_attr=graph.node_attr.double().cpu(),
                cutoff=graph.cutoff,
                lattice=None if graph.lattice is None else graph.lattice.double().cpu())
    obj64 = None if obj is None else obj.double().cpu()
    generator = torch.Generator().manual_seed(seed)
    worst = 0.0
    with torch.no_grad():
        base = model64(g64, obj64)
        for _ in range(trials):
            rot = random_orthogonal(generator)
            moved = g64.transformed(rot, model.irreps_node_attr)
            b = None if obj64 is None else model.irreps_object.D_from_matrix(rot) @ obj64
            out = model64(moved, b)
            d_out = model.irreps_out.D_from_matrix(rot)
            expected = base @ d_out.T
            worst = max(worst, float(torch.max(torch.abs(out - expected))))
    return worst


def _as_double(model: EquivariantNetwork) -> EquivariantNetwork:
    """The same network in float64 on the CPU.  It is rebuilt (the default
    dtype is float64 here) and given the trained parameters: converting the
    float32 network would keep e3nn's float32-rounded internal constants,
    whose errors (~1e-7 relative) would hide in the equivariance check."""
    double = EquivariantNetwork(**model.config)
    parameters = {name: p.detach().double().cpu() for name, p in model.named_parameters()}
    missing, unexpected = double.load_state_dict(parameters, strict=False)
    if unexpected or any(name in dict(double.named_parameters()) for name in missing):
        raise AssertionError("the float64 copy does not have the network's parameters")
    return double.cpu()


def to_numpy(t: torch.Tensor) -> np.ndarray:
    return t.detach().cpu().double().numpy()
