"""Demo ``knif3``: cubic perovskite KNiF3, paramagnetic Pm-3m1' to the G-type
antiferromagnet I_c4/mcm (BNS 140.550, type IV), k = (1/2,1/2,1/2): the
magnetic cell doubles the cubic one along every axis, and each Ni moment is
opposite to its six Ni neighbours.

Structure: a labelled approximate model, not a published refinement: cubic
a = 4.014 A (KNiF3 at room temperature is close to 4.01 A), Ni at 1a (0,0,0),
K at 1b (1/2,1/2,1/2), F at 3d (1/2,0,0), (0,1/2,0), (0,0,1/2), the same
model as examples/structures/KNiF3_*.  The moment size, 2 Bohr magnetons
(spin-only Ni2+, S = 1), is a model size; so is the direction along a cube
axis.

|Pm-3m1' : I_c4/mcm| = 6 domain states, as the engine counts them: three
moment axes times two signs of the staggered moment.  The two signs of one
axis are related by time reversal and equally by a cubic translation (an
anti-translation of the magnetic group), so they share their magnetic group.
The engine's set for ``Pm-3m1' -> I_c4/mcm [a-c,a+c,-2b; 0,0,0]`` (the class
``sbs transition`` matches for the example files) is 6 periodic marker
patterns whose markers carry a time-odd sign (irreps ``0e'``): no uniform
field can break the cubic translations.  One pattern joins the graph of the
2x2x2 cubic supercell (40 atoms) as 32 extra nodes;
:class:`sbs_gap.nn.TimeOddNetwork` reads their signs as its time-odd input,
linearly, and predicts a moment (``1e'``) on every atom, so time reversal
(every sign reversed) reverses the output exactly.  Each object is paired
with the domain state of the same magnetic stabilizer and every other object
with its S'-image (docs/theory.md section 6).  The baseline, an
E(3)-equivariant network of the structure alone (float64), can output no
moment: the Ni site symmetry m-3m has no invariant axial vector, and the
2x2x2 cell adds no symmetry breaking.
"""
from __future__ import annotations

from pathlib import Path

import numpy as np
import torch

from ..nn import (
    EquivariantNetwork, Graph, TimeOddNetwork, TrainingPair, as_float64, grey_equivariance_error,
    periodic_object, to_numpy, train,
)
from ..objects import symmetry_breaking_set
from ._common import (
    Timer, cubic_supercell, figure_path, grey_group_elements, moment_metric_bars,
    moved_field, tensor, write_metrics,
)

A = 4.014                       # angstrom, the approximate cubic cell (docstring)
MOMENT = 2.0                    # Bohr magnetons, spin-only Ni2+ (docstring)
PARENT = "Pm-3m1'"
TARGET = "I_c4/mcm (140.550) [a-c,a+c,-2b; 0,0,0]"
SUPERCELL = 2 * np.eye(3)       # the graph's cell: 2x2x2 cubic cells (lies in L)
SPECIES = ("Ni", "K", "F")
CUTOFF = 3.0                    # angstrom: Ni-F 2.01, K-F 2.84, markers 1.0-2.3 from atoms
TOLERANCE = 0.05                # Bohr magnetons: a domain counts as reached within it
LAYERS = 1                      # gated convolutions of the structure encoder


def supercell_atoms() -> tuple[np.ndarray, list[str]]:
    """Cubic fractional coordinates and species of the 40 atoms of the
    2x2x2 supercell."""
    return cubic_supercell((("Ni", (0, 0, 0)), ("K", (0.5, 0.5, 0.5)), ("F", (0.5, 0, 0)),
                            ("F", (0, 0.5, 0)), ("F", (0, 0, 0.5))))


def g_type_state(coords: np.ndarray, species, axis: int, sign: int) -> np.ndarray:
    """Moments (Bohr magnetons, per atom): sign (-1)^(n_x+n_y+n_z) m along
    ``axis`` on the Ni at n, none on K and F."""
    out = np.zeros((len(coords), 3))
    for i, (x, name) in enumerate(zip(coords, species)):
        if name == "Ni":
            out[i, axis] = sign * (-1) ** int(round(x.sum())) * MOMENT
    return out


def g_type_states(coords: np.ndarray, species) -> dict:
    """The six G-type states, by (axis, sign)."""
    return {(axis, sign): g_type_state(coords, species, axis, sign)
            for axis in range(3) for sign in (1, -1)}


def domain_targets(sbs, coords, states) -> tuple[np.ndarray, list[tuple[int, int]]]:
    """Object 0 gets a G-type state (of ``states``, :func:`g_type_states`)
    whose stabilizer contains object 0's (the first of axis and sign);
    object j the state moved by an element of S' that moves object 0 to j.
    Checks that the pairing is well defined and that the S'-orbit is the six
    G-type states.  Returns (targets, (axis, sign) of each)."""
    ops, taus = sbs.group_operations, [-1 if f else 1 for f in sbs.group_time_reversal]

    def moved(k, moments):
        # an axial time-odd vector in the periodic 2x2x2 cell
        return moved_field(ops[k], coords, moments, 2, axial=True, tau=taus[k])
    stabilizer = [k for k, action in enumerate(sbs.group_action) if action[0] == 0]
    fitting = [key for key, state in states.items()
               if all(np.allclose(moved(k, state), state) for k in stabilizer)]
    if not fitting:
        raise AssertionError("no G-type state is kept by object 0's stabilizer")
    first = states[fitting[0]]
    targets: list = [None] * len(sbs.objects)
    for k, action in enumerate(sbs.group_action):
        image = moved(k, first)
        j = action[0]
        if targets[j] is None:
            targets[j] = image
        elif not np.allclose(targets[j], image):
            raise AssertionError("two elements moving object 0 to the same object disagree")
    keys = [next(key for key, state in states.items() if np.allclose(state, t))
            for t in targets]
    if sorted(keys) != sorted(states):
        raise AssertionError("the S'-orbit of the paired state is not the six G-type states")
    return np.array(targets), keys


def moment_error(predicted: np.ndarray, target: np.ndarray) -> float:
    """Largest moment error over the atoms (Bohr magnetons)."""
    return float(np.max(np.linalg.norm(predicted - target, axis=1)))


def run(out: Path, *, quick: bool = False, seed: int = 0, device=None,
        progress: bool = False) -> dict:
    torch.manual_seed(seed)
    steps = 80 if quick else 600
    comparison_steps = 20 if quick else 300   # its gradients vanish by symmetry
    coords, species = supercell_atoms()
    cell = A * np.eye(3)
    attr = np.array([[float(s == name) for name in SPECIES] for s in species])
    graph = Graph(pos=tensor(coords @ cell, device), node_attr=tensor(attr, device),
                  cutoff=CUTOFF, lattice=tensor(SUPERCELL @ cell, device))
    with Timer() as sbs_time:
        sbs = symmetry_breaking_set(PARENT, TARGET)
    if sbs.kind != "markers" or sbs.irreps != "0e'" or len(sbs.objects) != sbs.index:
        raise AssertionError(f"unexpected set {sbs}")
    objects = [periodic_object(sbs, i, supercell=SUPERCELL, cell=cell, device=device)
               for i in range(len(sbs.objects))]
    states = g_type_states(coords, species)
    targets, keys = domain_targets(sbs, coords, states)

    model = TimeOddNetwork("3x0e", "0e'", "1e'", cutoff=CUTOFF, layers=LAYERS, multiplicity=8,
                           markers=True).to(device)
    result = train(model, [TrainingPair(graph, objects, tensor(targets, device))],
                   steps=steps, batch=2, seed=seed, progress=progress, desc="KNiF3 (SBS)")
    # the baseline in float64, as in the mnf2 demo: float32 rounding would
    # let Adam grow a spurious moment where the exact answer is zero
    graph64 = Graph(pos=graph.pos.double().cpu(), node_attr=graph.node_attr.double().cpu(),
                    cutoff=CUTOFF, lattice=graph.lattice.double().cpu())
    baseline = as_float64(EquivariantNetwork("3x0e", None, "1e", cutoff=CUTOFF, per_node=True,
                                             layers=LAYERS + 1, multiplicity=8))
    base = train(baseline, [TrainingPair(graph64, None,
                                         torch.as_tensor(targets[:1], dtype=torch.float64))],
                 steps=comparison_steps, batch=1, seed=seed, progress=progress,
                 desc="KNiF3 (baseline)")
    with torch.no_grad():
        outputs = np.array([to_numpy(model(graph, b)) for b in objects])
        reversed_ = np.array([to_numpy(model(graph, type(b)(pos=b.pos, features=-b.features)))
                              for b in objects])
        base_out = to_numpy(baseline(graph64))
    errors = [moment_error(o, t) for o, t in zip(outputs, targets)]
    reached = sum(any(moment_error(o, s) < TOLERANCE for o in outputs) for s in states.values())

    # the grey group: every element of S' (Pm-3m1' modulo L: 192 with the
    # anti-translations and theta) composed with a random move of the frame,
    # N''s generators with their theta, and random elements of E(3) x {1, theta}
    taus = [-1.0 if f else 1.0 for f in sbs.group_time_reversal]

    def cartesian(r, t):
        return np.array([[float(x) for x in row] for row in r]), \
            A * np.array([float(x) for x in t])
    elements = grey_group_elements(
        [(*cartesian(r, t), tau) for (r, t), tau in zip(sbs.group_operations, taus)],
        [(*cartesian(r, t), -1.0 if flag else 1.0) for (r, t), flag in
         zip(sbs.normalizer_generators, sbs.normalizer_generators_time_reversal)],
        torch.Generator().manual_seed(seed + 1))
    random_trials = 4
    equivariance = grey_equivariance_error(model, graph, objects[0], trials=random_trials,
                                           seed=seed, transforms=elements)
    ni = [i for i, s in enumerate(species) if s == "Ni"]
    metrics = {
        "demo": "knif3",
        "n_outputs_expected": sbs.index,
        "n_outputs_reached": reached,
        "coverage": reached / sbs.index,
        "max_output_error": max(errors),
        "equivariance_error": equivariance,
        # theta alone (every marker sign reversed), in the trained float32 network
        "time_reversal_error": float(np.max(np.abs(reversed_ + outputs))),
        "baseline_error": min(moment_error(base_out, s) for s in states.values()),
        "baseline_max_moment": float(np.max(np.linalg.norm(base_out, axis=1))),
        "baseline": "EquivariantNetwork of the structure alone, float64, trained on the first "
                    "domain state",
        "train_seconds": result["seconds"],
        "sbs_overhead_fraction": sbs_time.seconds / (sbs_time.seconds + result["seconds"]),
        "set_size": len(sbs.objects), "irreps": sbs.irreps, "index": sbs.index,
        "subgroup": sbs.subgroup, "stabilizer": sbs.stabilizer,
        "markers_per_object": int(len(objects[0].pos)),
        "equivariance_elements": len(elements) + random_trials,
        "elements_with_theta": int(sum(t < 0 for t in taus)),
        "domains": [{"object": i, "axis": "xyz"[axis], "sign": sign,
                     "max_ni_moment_error": float(np.max(np.linalg.norm(
                         o[ni] - t[ni], axis=1))),
                     "max_k_f_moment": float(np.max(np.linalg.norm(
                         np.delete(o, ni, axis=0), axis=1))),
                     "error": e}
                    for i, ((axis, sign), o, t, e) in enumerate(zip(keys, outputs, targets,
                                                                     errors))],
        "moment_bohr_magnetons": MOMENT, "lattice_constant": A, "cutoff": CUTOFF,
        "tolerance": TOLERANCE, "baseline_train_seconds": base["seconds"], "steps": steps,
        "comparison_steps": comparison_steps,
    }
    write_metrics(out, metrics)
    _figure(figure_path(out, "knif3"), coords, species, objects, outputs, targets, keys,
            metrics)
    return metrics


def _figure(path, coords, species, objects, outputs, targets, keys, metrics):
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, axes = plt.subplots(2, 4, figsize=(20, 10))
    panels = list(axes.flat)
    scale = 0.8  # angstrom per Bohr magneton
    ni = np.array([s == "Ni" for s in species])
    for ax, obj, o, t, (axis, sign), d in zip(panels, objects, outputs, targets, keys,
                                               metrics["domains"]):
        # the plane spanned by the moment axis and the next axis, through the origin
        other = (axis + 1) % 3
        normal = 3 - axis - other
        layer = ni & (np.abs(coords[:, normal]) < 1e-9)
        pos = coords * A
        ax.scatter(pos[layer, axis], pos[layer, other], s=90, color="tab:green", zorder=3,
                   label="Ni")
        ax.quiver(pos[layer, axis], pos[layer, other], scale * t[layer, axis],
                  scale * t[layer, other], angles="xy", scale_units="xy", scale=1,
                  color="lightgray", width=0.02, zorder=2, label="domain state")
        ax.quiver(pos[layer, axis], pos[layer, other], scale * o[layer, axis],
                  scale * o[layer, other], angles="xy", scale_units="xy", scale=1,
                  color="black", width=0.006, zorder=4, label="network output")
        m = to_numpy(obj.pos)
        f = to_numpy(obj.features)[:, 0]
        near = np.abs(m[:, normal]) < 0.3 * A
        for s, color in ((1, "tab:red"), (-1, "tab:blue")):
            pick = near & (f == s)
            ax.scatter(m[pick, axis], m[pick, other], marker="x", color=color, s=40,
                       label=f"marker, sign {s:+d}")
        ax.set_xlim(-0.6 * A, 1.6 * A)  # the graph's 2x2 Ni of this layer
        ax.set_ylim(-0.6 * A, 1.6 * A)
        ax.set_aspect("equal")
        ax.set_xlabel(f"{'xyz'[axis]} (A)")
        ax.set_ylabel(f"{'xyz'[other]} (A)")
        ax.set_title(f"object {d['object']}: moments along {'xyz'[axis]}, sign {sign:+d}\n"
                     f"Ni layer {'xyz'[normal]} = 0 of the 2x2x2 cell; error {d['error']:.1e} muB",
                     fontsize=10)
    panels[0].legend(fontsize=7, loc="upper right")
    ax = panels[6]
    names = ["max output\nerror (muB)", "equivariance\n(grey group)", "time reversal\nsigns -> -",
             "baseline max\nmoment (muB)"]
    values = [metrics["max_output_error"], metrics["equivariance_error"],
              metrics["time_reversal_error"], metrics["baseline_max_moment"]]
    moment_metric_bars(ax, names, values, MOMENT)
    ax.set_title(f"{metrics['n_outputs_reached']}/{metrics['n_outputs_expected']} domain "
                 f"states; m = {MOMENT:g} muB (red line)", fontsize=10)
    panels[7].axis("off")
    panels[7].text(0, 0.5, f"KNiF3 (approximate model), a = {A} A\n"
                   f"set: {metrics['set_size']} marker patterns, {metrics['irreps']}\n"
                   f"{metrics['markers_per_object']} markers in the 2x2x2 cell\n"
                   f"stabilizer {metrics['stabilizer']}\n"
                   f"equivariance over {metrics['equivariance_elements']} elements\n"
                   f"({metrics['elements_with_theta']} of S' carry theta)\n"
                   f"training {metrics['train_seconds']:.1f} s, {metrics['steps']} steps",
                   fontsize=10, va="center")
    fig.suptitle(f"KNiF3 Pm-3m1' -> I_c4/mcm (140.550, type IV, cell doubled): "
                 f"{metrics['n_outputs_reached']}/{metrics['n_outputs_expected']} domains, max "
                 f"error {metrics['max_output_error']:.1e} muB, equivariance "
                 f"{metrics['equivariance_error']:.1e}, baseline max moment "
                 f"{metrics['baseline_max_moment']:.1e} muB (float64)", fontsize=11)
    fig.savefig(path, dpi=100)
    plt.close(fig)
