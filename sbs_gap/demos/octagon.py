"""Demo ``octagon``: a regular octagon (D8h) whose valid outputs are the two
chiral pinwheel distortions (every node displaced along its tangent, one way
or the other; symmetry C8h).

The engine picks the object for D8h -> C8h (an axial vector along z, ``1e``,
the set {+e_z, -e_z}); with it the network produces both pinwheels. A
mismatched object, a polar vector along z (``1o``, stabilizer C8v), cannot:
by Curie's principle the outputs keep the vertical mirrors, so the chiral
(tangential) part vanishes; ``mismatched_object_error`` measures it.
"""
from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import torch

from ..nn import EquivariantNetwork, Graph, TrainingPair, equivariance_error, to_numpy, train
from ..objects import symmetry_breaking_set
from ._common import Timer, atom_distance, coverage, figure_path, tensor, write_metrics

N_NODES, RADIUS, TWIST = 8, 1.0, 0.15
CUTOFF = 2.1


def octagon_graph(device=None) -> Graph:
    angles = 2 * math.pi * np.arange(N_NODES) / N_NODES
    pos = np.stack([RADIUS * np.cos(angles), RADIUS * np.sin(angles), np.zeros(N_NODES)], 1)
    return Graph(pos=tensor(pos, device), node_attr=tensor(np.ones((N_NODES, 1)), device),
                 cutoff=CUTOFF)


def pinwheel(pos: np.ndarray, sign: float) -> np.ndarray:
    """Displacements along the tangents (counter-clockwise for sign +1)."""
    tangent = np.stack([-pos[:, 1], pos[:, 0], np.zeros(len(pos))], 1)
    return sign * TWIST * tangent / np.linalg.norm(tangent, axis=1, keepdims=True)


def _permuted(pos: np.ndarray, s: np.ndarray, field: np.ndarray) -> np.ndarray:
    """s applied to a per-node vector field on the octagon (nodes permuted)."""
    moved = pos @ s.T
    out = np.empty_like(field)
    for i, p in enumerate(moved):
        j = int(np.argmin(np.linalg.norm(pos - p, axis=1)))
        out[j] = s @ field[i]
    return out


def run(out: Path, *, quick: bool = False, seed: int = 0, device=None,
        progress: bool = False) -> dict:
    torch.manual_seed(seed)
    steps = 100 if quick else 800
    graph = octagon_graph(device)
    pos = to_numpy(graph.pos)
    valid = np.array([pinwheel(pos, +1), pinwheel(pos, -1)])

    with Timer() as sbs_time:
        sbs = symmetry_breaking_set("D8h", "C8h")  # the engine picks the object type
    objects = sbs.objects
    targets = sbs.pair_targets(valid, act=lambda s, y: _permuted(pos, s, y))

    def fit(irreps_object, objs, tgts, desc):
        model = EquivariantNetwork("0e", irreps_object, "1o", cutoff=CUTOFF, per_node=True,
                                   layers=2, multiplicity=8).to(device)
        pair = TrainingPair(graph, None if objs is None else tensor(objs, device),
                            tensor(tgts, device))
        result = train(model, [pair], steps=steps, seed=seed, progress=progress, desc=desc)
        with torch.no_grad():
            outs = np.array([to_numpy(model(graph, None if objs is None else tensor(b, device)))
                             for b in (objs if objs is not None else [None])])
        return model, result, outs

    model, result, outputs = fit(sbs.irreps, objects, targets, "octagon (SBS)")
    reached, _ = coverage(outputs, valid, tolerance=0.03)
    max_error = max(atom_distance(o, t) for o, t in zip(outputs, targets))

    # Mismatched object: a polar vector along z, trained on the same targets.
    polar = np.array([[0.0, 0.0, 1.0], [0.0, 0.0, -1.0]])
    mismatched_targets = np.array([valid[0], valid[1]])
    _, _, mismatched_out = fit("1o", polar, mismatched_targets, "octagon (polar object)")
    mismatched_error = max(min(atom_distance(o, v) for v in valid) for o in mismatched_out)
    chirality = [float(np.mean(np.sum(np.cross(pos, o)[:, 2:], axis=1))) for o in mismatched_out]

    _, base, base_out = fit(None, None, np.array([valid[0], valid[1]]), "octagon (baseline)")
    baseline_error = min(atom_distance(base_out[0], v) for v in valid)

    metrics = {
        "demo": "octagon",
        "n_outputs_expected": 2,
        "n_outputs_reached": reached,
        "coverage": reached / 2,
        "max_output_error": max_error,
        "equivariance_error": equivariance_error(model, graph, tensor(objects[0], device),
                                                 transforms=sbs.normalizer_generators),
        "baseline_error": baseline_error,
        "train_seconds": result["seconds"],
        "sbs_overhead_fraction": sbs_time.seconds / (sbs_time.seconds + result["seconds"]),
        "group": "D8h", "target": "C8h", "irreps": sbs.irreps, "set_size": len(objects),
        "object_stabilizer": sbs.stabilizer,
        "mismatched_irreps": "1o", "mismatched_object_stabilizer": "C8v",
        "mismatched_object_error": mismatched_error,
        "mismatched_output_chirality": max(abs(c) for c in chirality),
        "twist": TWIST,
        "baseline_train_seconds": base["seconds"],
        "steps": steps,
    }
    write_metrics(out, metrics)
    _figure(figure_path(out, "octagon"), pos, objects, outputs, mismatched_out, base_out[0],
            metrics)
    return metrics


def _figure(path, pos, objects, outputs, mismatched, base, metrics):
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, axes = plt.subplots(1, 4, figsize=(16, 4.6))
    loop = np.vstack([pos, pos[:1]])
    titles = [f"SBS object b = {objects[0][2]:+.0f} e_z (axial, 1e)",
              f"SBS object b = {objects[1][2]:+.0f} e_z (axial, 1e)",
              f"mismatched: polar +e_z (1o)\nerror {metrics['mismatched_object_error']:.3f}, "
              f"chirality {metrics['mismatched_output_chirality']:.0e}",
              f"baseline (no object)\nerror {metrics['baseline_error']:.3f}"]
    titles[0] += f"\nmax error {metrics['max_output_error']:.1e}"
    titles[1] += f"\nmax error {metrics['max_output_error']:.1e}"
    fields = [outputs[0], outputs[1], mismatched[0], base]
    for ax, title, field in zip(axes, titles, fields):
        ax.plot(*loop[:, :2].T, color="gray", lw=1)
        ax.scatter(*pos[:, :2].T, color="tab:purple", zorder=3)
        moved = pos + field
        ax.plot(*np.vstack([moved, moved[:1]])[:, :2].T, color="tab:green", lw=1.5)
        for p, d in zip(pos, field):
            ax.arrow(p[0], p[1], 2 * d[0], 2 * d[1], head_width=0.04, color="tab:green",
                     length_includes_head=True)
        ax.set_aspect("equal")
        ax.set_xlim(-1.45, 1.45)
        ax.set_ylim(-1.45, 1.45)
        ax.set_xlabel("x (units of the radius)")
        ax.set_ylabel("y")
        ax.set_title(title, fontsize=10)
    fig.suptitle(f"octagon D8h -> C8h: predicted displacements (drawn x2, twist {TWIST:g}); "
                 "the SBS gives both pinwheels")
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)
