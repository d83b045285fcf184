"""Time reversal in the network (docs/theory.md section 9).

e3nn has no time label, so the time parity is carried beside the irreps, as
the rest of sbs_gap writes it: a trailing prime marks a time-odd irrep
(``"1e'"``, a magnetic moment; ``"2e'"``, a time-odd rank-2 field).  Time
reversal θ acts as -1 on time-odd features and as +1 on time-even ones.

:class:`TimeOddNetwork` maps a structure (time-even: positions, species) and
a time-odd symmetry breaking object b to a time-odd output (per node), and is
equivariant under E(3) x {1, θ}: its output is *linear* in b.  The structure
goes through an ordinary :class:`EquivariantNetwork` (time-even features h
per node); the time-odd features are the tensor product of h with b, and a
convolution whose weights depend on edge lengths only carries them to the
output.  No term of the output is built from time-even features alone, and
no bias or nonlinearity acts on a time-odd feature, so f(u, -b) = -f(u, b)
exactly: θ (b -> -b) reverses the output.

The object may also be a periodic marker pattern whose markers carry a
time-odd sign (irreps ``"0e'"``, a grey parent's type IV set): the markers
join the graph as extra nodes (``markers=True``: the encoder reads one more
time-even attribute, 1 on markers), their signs are the time-odd input, and
θ reverses every sign.

:func:`grey_equivariance_error` measures max |f(g u, g b) - g f(u, b)| over
elements g = (R, t, τ) of E(3) x {1, θ}, in float64.
"""
from __future__ import annotations

import numpy as np
import torch
from e3nn import nn as e3nn_nn
from e3nn import o3
from e3nn.math import soft_one_hot_linspace

from ..objects import irreps as parse_irreps
from ..objects import representation_matrices
from ._equivariance import as_float64, random_orthogonal
from ._network import EquivariantNetwork, Graph, Markers

__all__ = ["TimeOddNetwork", "grey_equivariance_error"]


def _untimed(text: str, *, odd: bool, what: str) -> o3.Irreps:
    """e3nn irreps of ``text`` whose every term has the asked time parity."""
    parsed = parse_irreps(text)
    if any(ir.time_odd != odd for _, ir in parsed):
        raise ValueError(f"{what} {text!r} must be all time-{'odd' if odd else 'even'} "
                         f"(time-odd irreps end with a prime: 1e')")
    return o3.Irreps("+".join(f"{mul}x{ir.l}{'e' if ir.p == 1 else 'o'}" for mul, ir in parsed))


class TimeOddNetwork(torch.nn.Module):
    """f(graph, b): a time-odd output per node from a time-even structure and a
    time-odd uniform object b, linear in b (module docstring).

    Parameters
    ----------
    irreps_node_attr : str
        Time-even irreps of the node attributes (e.g. ``"2x0e"``, species).
    irreps_object : str
        Time-odd irreps of the object, primed (e.g. ``"2e'"``).
    irreps_out : str
        Time-odd irreps of the output, primed (e.g. ``"1e'"``, a moment).
    cutoff, layers, multiplicity, lmax, num_basis, radial_hidden, num_neighbors
        As :class:`EquivariantNetwork` (``layers``: the structure encoder's).
    markers : bool
        The object is :class:`Markers` (extra nodes whose features are the
        time-odd object, e.g. a sign of irreps ``"0e'"``), not a uniform field.
    """

    def __init__(self, irreps_node_attr: str, irreps_object: str, irreps_out: str, *,
                 cutoff: float, layers: int = 2, multiplicity: int = 8, lmax: int = 2,
                 num_basis: int = 10, radial_hidden: int = 32, num_neighbors: float = 4.0,
                 markers: bool = False):
        super().__init__()
        # The constructor arguments, to rebuild the network in float64.
        self.config = dict(irreps_node_attr=irreps_node_attr, irreps_object=irreps_object,
                           irreps_out=irreps_out, cutoff=cutoff, layers=layers,
                           multiplicity=multiplicity, lmax=lmax, num_basis=num_basis,
                           radial_hidden=radial_hidden, num_neighbors=num_neighbors,
                           markers=markers)
        self.markers = markers
        # the time-labelled irreps (representation_matrices reads the primes)
        self.irreps_node_attr = str(parse_irreps(irreps_node_attr))
        self.irreps_object = str(parse_irreps(irreps_object))
        self.irreps_out = str(parse_irreps(irreps_out))
        node = _untimed(irreps_node_attr, odd=False, what="node attributes")
        obj = _untimed(irreps_object, odd=True, what="the object")
        out = _untimed(irreps_out, odd=True, what="the output")
        m, half = multiplicity, max(1, multiplicity // 2)
        hidden = o3.Irreps(f"{m}x0e+{m}x0o+" + "+".join(
            f"{half}x{l}{p}" for l in range(1, lmax + 1) for p in "eo"))
        # time-even features of the structure (no object: it cannot break θ);
        # with markers, one more attribute tells the marker nodes (time-even:
        # where the markers are, not their signs)
        encoder_attr = node + o3.Irreps("0e") if markers else node
        self.encoder = EquivariantNetwork(str(encoder_attr.simplify()), None, str(hidden), cutoff=cutoff,
                                          per_node=True, layers=layers, multiplicity=m,
                                          lmax=lmax, num_basis=num_basis,
                                          radial_hidden=radial_hidden,
                                          num_neighbors=num_neighbors)
        # time-odd features: bilinear in (h, b), so linear in b
        self.mix = o3.FullyConnectedTensorProduct(hidden, obj, hidden)
        # a convolution of the time-odd features (weights from edge lengths)
        self.cutoff, self.num_basis, self.num_neighbors = cutoff, num_basis, num_neighbors
        self.irreps_sh = o3.Irreps.spherical_harmonics(lmax)
        self.tp = o3.FullyConnectedTensorProduct(hidden, self.irreps_sh, out,
                                                 shared_weights=False)
        self.radial = e3nn_nn.FullyConnectedNet([num_basis, radial_hidden, self.tp.weight_numel],
                                                torch.nn.functional.silu)
        self.self_connection = o3.Linear(hidden, out)  # no bias on time-odd irreps

    def forward(self, graph: Graph, obj: torch.Tensor | Markers) -> torch.Tensor:
        """The time-odd output (n, dim) for the graph's n nodes; ``obj`` is the
        uniform object (dim,), given to every node, or (``markers=True``)
        :class:`Markers` whose features are the time-odd object (extra nodes,
        whose own outputs are dropped)."""
        if obj is None:
            raise ValueError("this network takes a time-odd symmetry breaking object")
        if isinstance(obj, Markers) != self.markers:
            raise ValueError("this network takes Markers, not a uniform object"
                             if self.markers else "this network takes a uniform object (a "
                             "tensor), not Markers: build it with markers=True")
        n = len(graph.pos)
        if self.markers:
            x = graph.node_attr
            m = len(obj.pos)
            # atoms: their attributes and 0; markers: no species and 1
            attr = torch.cat([
                torch.cat([x, torch.zeros(n, 1, dtype=x.dtype, device=x.device)], dim=1),
                torch.cat([torch.zeros(m, x.shape[1], dtype=x.dtype, device=x.device),
                           torch.ones(m, 1, dtype=x.dtype, device=x.device)], dim=1)])
            graph = Graph(pos=torch.cat([graph.pos, obj.pos.to(graph.pos)]), node_attr=attr,
                          cutoff=graph.cutoff, lattice=graph.lattice)
            h = self.encoder(graph)
            # the time-odd input: the markers' features, zero on the atoms
            features = obj.features.to(h)
            odd_in = torch.cat([torch.zeros(n, features.shape[1], dtype=h.dtype,
                                            device=h.device), features])
        else:
            h = self.encoder(graph)
            odd_in = obj.to(h).expand(len(h), -1)
        odd = self.mix(h, odd_in)
        src, dst, vec = graph.edges()
        sh = o3.spherical_harmonics(self.irreps_sh, vec, normalize=True,
                                    normalization="component")
        basis = soft_one_hot_linspace(torch.linalg.norm(vec, dim=1), 0.0, self.cutoff,
                                      self.num_basis, basis="smooth_finite", cutoff=True)
        messages = self.tp(odd[src], sh, self.radial(basis * self.num_basis ** 0.5))
        out = torch.zeros(len(h), messages.shape[1], dtype=h.dtype, device=h.device)
        out = out.index_add_(0, dst, messages) / self.num_neighbors ** 0.5
        return (out + self.self_connection(odd))[:n]


def _element(g) -> tuple[np.ndarray, float]:
    """(R, τ) of a 3x3 matrix R (τ = +1) or a 4x4 matrix diag(R, τ)."""
    g = np.asarray(g, dtype=float)
    return (g, 1.0) if g.shape == (3, 3) else (g[:3, :3], float(np.sign(g[3, 3])))


def grey_equivariance_error(model: TimeOddNetwork, graph: Graph, obj: torch.Tensor | Markers,
                            *, trials: int = 3, seed: int = 0, transforms=None) -> float:
    """max |f(g u, g b) - g f(u, b)| over g in E(3) x {1, θ}, in float64.

    ``trials`` random elements (orthogonal part proper and improper, a random
    translation, θ or not) and the given ``transforms``: pairs (g, t), x ->
    R x + t in the graph's Cartesian frame, g a 3x3 matrix R or a 4x4 matrix
    diag(R, τ) (τ = -1: the element carries θ).  The structure is time-even;
    the object and the output are moved by τ D(R) of their time-odd irreps
    (markers: their points by x -> R x + t, their features by τ D(R))."""
    model64 = as_float64(model)
    g64 = Graph(pos=graph.pos.double().cpu(), node_attr=graph.node_attr.double().cpu(),
                cutoff=graph.cutoff,
                lattice=None if graph.lattice is None else graph.lattice.double().cpu())
    b = obj.to(dtype=torch.float64, device="cpu")
    markers = isinstance(b, Markers)
    generator = torch.Generator().manual_seed(seed)
    moves = []
    for _ in range(trials):
        rot = random_orthogonal(generator).numpy()
        shift = torch.randn(3, generator=generator, dtype=torch.float64).numpy()
        tau = -1.0 if torch.rand(1, generator=generator).item() < 0.5 else 1.0
        moves.append((rot, shift, tau))
    for g, t in [] if transforms is None else transforms:
        rot, tau = _element(g)
        moves.append((rot, np.asarray(t, dtype=float), tau))
    worst = 0.0
    with torch.no_grad():
        base = model64(g64, b)
        for rot, shift, tau in moves:
            g4 = np.eye(4)
            g4[:3, :3], g4[3, 3] = rot, tau
            attr = torch.as_tensor(representation_matrices(model.irreps_node_attr, rot))
            moved = g64.transformed(torch.as_tensor(rot), attr, torch.as_tensor(shift))
            d_object = torch.as_tensor(representation_matrices(model.irreps_object, g4))
            b_moved = (b.transformed(torch.as_tensor(rot), d_object, torch.as_tensor(shift))
                       if markers else d_object @ b)
            expected = base @ torch.as_tensor(representation_matrices(model.irreps_out, g4)).T
            worst = max(worst, float(torch.max(torch.abs(model64(moved, b_moved) - expected))))
    return worst
