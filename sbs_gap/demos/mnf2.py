"""Demo ``mnf2``: rutile MnF2, paramagnetic P4_2/mnm1' to the antiferromagnet
P4_2'/mnm' (BNS 136.499, k = 0), moments +-m along c on the two Mn sites.

Structure: a labelled approximate rutile model, not published coordinates:
a = 4.87 A, c = 3.31 A, Mn at 2a (0,0,0), (1/2,1/2,1/2), F at 4f (x,x,0),
(-x,-x,0), (1/2+x,1/2-x,1/2), (1/2-x,1/2+x,1/2) with x = 0.305.  The moment
size is the spin-only value of Mn2+ (S = 5/2, g = 2): 5 Bohr magnetons, a
model size, not a measured one.  The fluorines carry no moment in the model.

|P4_2/mnm1' : P4_2'/mnm'| = 2 domain states, the two signs of the Neel
vector.  The engine's set is 2 uniform objects of irreps ``2e'`` (a time-odd
rank-2 field, +v and -v, Cartesian with a along x): no time-odd vector
survives the magnetic point group 4'/mm'm (no net moment).  The network
(:class:`sbs_gap.nn.TimeOddNetwork`) reads the paramagnetic cell (6 atoms,
periodic graph) and the object on every node and predicts a moment (``1e'``,
an axial time-odd vector) on every atom; its output is linear in the object,
so time reversal (b -> -b) reverses it exactly.  Training pairs: object 0
with the Neel state +m on Mn(0,0,0), -m on Mn(1/2,1/2,1/2); the other object
with that state moved by the S' element that moves object 0 to it (the
engine's domain states: the S'-orbit of the paired one; theta maps one to
the other).  The baseline, an E(3)-equivariant network of the structure
alone trained on the first state (in float64, see ``run``), outputs no
moment: the Mn site symmetry mmm has no invariant axial vector.
"""
from __future__ import annotations

from pathlib import Path

import numpy as np
import torch

from ..nn import (
    EquivariantNetwork, Graph, TimeOddNetwork, TrainingPair, as_float64, grey_equivariance_error,
    periodic_object, to_numpy, train,
)
from ..objects import representation_matrices, symmetry_breaking_set
from ._common import (
    Timer, figure_path, grey_group_elements, moment_metric_bars, tensor, write_metrics,
)

A, C = 4.87, 3.31               # angstrom, the approximate rutile cell (docstring)
X_F = 0.305                     # the F parameter of 4f (x, x, 0)
MOMENT = 5.0                    # Bohr magnetons, spin-only Mn2+ (docstring)
PARENT = "P4_2/mnm1'"
TARGET = "P4_2'/mnm' [a,b,c; 0,0,0]"
SPECIES = ("Mn", "F")
NAMES = ("Mn", "Mn", "F", "F", "F", "F")
FRACTIONAL = np.array([[0, 0, 0], [0.5, 0.5, 0.5],
                       [X_F, X_F, 0], [-X_F, -X_F, 0],
                       [0.5 + X_F, 0.5 - X_F, 0.5], [0.5 - X_F, 0.5 + X_F, 0.5]])
CELL = np.diag([A, A, C])       # rows: a, b, c in the Cartesian frame (a along x)
CUTOFF = 3.6                    # angstrom: Mn-F (2.10, 2.13), F-F, Mn-Mn along c (3.31)
TOLERANCE = 0.05                # Bohr magnetons: a domain counts as reached within it
LAYERS = 1                      # gated convolutions of the structure encoder


def neel_state(sign: int) -> np.ndarray:
    """Moments (Bohr magnetons, per atom of FRACTIONAL): sign m z on
    Mn(0,0,0), -sign m z on Mn(1/2,1/2,1/2), none on F."""
    out = np.zeros((len(FRACTIONAL), 3))
    out[0, 2], out[1, 2] = sign * MOMENT, -sign * MOMENT
    return out


def cartesian(operation) -> tuple[np.ndarray, np.ndarray]:
    """(R, t) of an exact space-group operation in the Cartesian frame."""
    r = np.array([[float(x) for x in row] for row in operation[0]])
    t = np.array([float(x) for x in operation[1]])
    basis = CELL.T  # columns a, b, c
    return basis @ r @ np.linalg.inv(basis), basis @ t


def time_parities(sbs, operations, actions) -> list[float]:
    """tau of each operation (-1: it carries theta), read off how it moves
    object 0 of the set (a time-odd uniform field: g b = tau D(R) b).  The
    set lists S''s elements by their Euclidean parts and their permutation
    of the objects; the Euclidean part alone does not show theta."""
    v0 = sbs.objects[0].vector
    out = []
    for op, action in zip(operations, actions):
        moved = representation_matrices(sbs.irreps.rstrip("'"), cartesian(op)[0]) @ v0
        image = sbs.objects[action[0]].vector
        if np.allclose(moved, image, atol=1e-8):
            out.append(1.0)
        elif np.allclose(-moved, image, atol=1e-8):
            out.append(-1.0)
        else:
            raise AssertionError("an operation moves the object outside the set")
    return out


def moved_moments(operation, tau: float, moments: np.ndarray) -> np.ndarray:
    """The moment field moved by g = (R, t, tau): an axial time-odd vector,
    m'(R x + t) = tau det(R) R m(x), in the order of FRACTIONAL."""
    r_frac = np.array([[float(x) for x in row] for row in operation[0]])
    t_frac = np.array([float(x) for x in operation[1]])
    r = cartesian(operation)[0]
    where = {tuple(np.round(x % 1, 6) % 1): i for i, x in enumerate(FRACTIONAL)}
    out = np.zeros_like(moments)
    for x, m in zip(FRACTIONAL, moments):
        out[where[tuple(np.round((r_frac @ x + t_frac) % 1, 6) % 1)]] = \
            tau * np.linalg.det(r) * (r @ m)
    return out


def domain_targets(sbs, taus) -> np.ndarray:
    """Object 0 gets the Neel state +; object j the state moved by an S'
    element that moves object 0 to j.  Checks that the pairing is
    equivariant (every element fixing object 0 fixes its state) and that the
    S'-orbit is the two Neel states."""
    first = neel_state(+1)
    targets = [None] * len(sbs.objects)
    for op, tau, action in zip(sbs.group_operations, taus, sbs.group_action):
        moved = moved_moments(op, tau, first)
        j = action[0]
        if j == 0 and not np.allclose(moved, first, atol=1e-9):
            raise AssertionError("an element fixing object 0 moves its domain state")
        if targets[j] is None:
            targets[j] = moved
        elif not np.allclose(targets[j], moved, atol=1e-9):
            raise AssertionError("two elements moving object 0 to the same object disagree")
    orbit = {tuple(np.round(t, 9).ravel()) for t in targets}
    if orbit != {tuple(np.round(neel_state(s), 9).ravel()) for s in (1, -1)}:
        raise AssertionError("the S'-orbit of the paired state is not the two Neel states")
    return np.array(targets)


def cell_graph(device=None, dtype=torch.float32) -> Graph:
    """The paramagnetic cell as a periodic graph (species one-hot)."""
    attr = np.array([[float(s == name) for name in SPECIES] for s in NAMES])

    def t(x):
        return torch.as_tensor(x, dtype=dtype, device=device)
    return Graph(pos=t(FRACTIONAL @ CELL), node_attr=t(attr), cutoff=CUTOFF, lattice=t(CELL))


def moment_error(predicted: np.ndarray, target: np.ndarray) -> float:
    """Largest moment error over the atoms (Bohr magnetons)."""
    return float(np.max(np.linalg.norm(predicted - target, axis=1)))


def run(out: Path, *, quick: bool = False, seed: int = 0, device=None,
        progress: bool = False) -> dict:
    torch.manual_seed(seed)
    steps = 100 if quick else 1500
    # the baseline's gradients vanish by symmetry: it is trained briefly
    comparison_steps = 20 if quick else 300
    graph = cell_graph(device)
    with Timer() as sbs_time:
        sbs = symmetry_breaking_set(PARENT, TARGET)
    if sbs.kind != "uniform" or len(sbs.objects) != 2 or sbs.irreps != "2e'":
        raise AssertionError(f"unexpected set {sbs}")
    objects = torch.stack([periodic_object(sbs, i, supercell=np.eye(3), cell=CELL,
                                           device=device) for i in range(2)])
    if not torch.allclose(objects.cpu(), sbs.as_torch(dtype=torch.float32)):
        raise AssertionError("the set's tensors differ from its objects")
    taus = time_parities(sbs, sbs.group_operations, sbs.group_action)
    targets = domain_targets(sbs, taus)

    model = TimeOddNetwork("2x0e", sbs.irreps, "1e'", cutoff=CUTOFF, layers=LAYERS,
                           multiplicity=8).to(device)
    # one object per step: f(u, -b) = -f(u, b) exactly, and the second pair
    # is the first reversed (theta), so both give the same loss
    result = train(model, [TrainingPair(graph, objects, tensor(targets, device))],
                   steps=steps, batch=1, seed=seed, progress=progress, desc="MnF2 (SBS)")
    # the baseline: the structure alone (an ordinary E(3)-equivariant network,
    # no time label), trained on the first Neel state only, in float64 with
    # exact Clebsch-Gordan constants (as_float64).  In float32 the moments
    # cancel only to rounding (positions and arithmetic), and Adam, which
    # scales its steps by the gradient's own size, amplifies that rounding: a
    # float32 trial of 1500 steps ended with a 5.06 muB moment.  In float64
    # the rounding gradients stay far below Adam's epsilon.
    graph64 = cell_graph(dtype=torch.float64)
    baseline = as_float64(EquivariantNetwork("2x0e", None, "1e", cutoff=CUTOFF, per_node=True,
                                             layers=LAYERS + 1, multiplicity=8))  # as deep
    base = train(baseline, [TrainingPair(graph64, None,
                                         torch.as_tensor(targets[:1], dtype=torch.float64))],
                 steps=comparison_steps, batch=1, seed=seed, progress=progress,
                 desc="MnF2 (baseline)")
    with torch.no_grad():
        outputs = np.array([to_numpy(model(graph, b)) for b in objects])
        reversed_ = np.array([to_numpy(model(graph, -b)) for b in objects])
        base_out = to_numpy(baseline(graph64))
    states = [neel_state(1), neel_state(-1)]
    errors = [moment_error(o, t) for o, t in zip(outputs, targets)]
    reached = sum(any(moment_error(o, s) < TOLERANCE for o in outputs) for s in states)

    # the grey group: each element of S' (P4_2/mnm with and without theta)
    # composed with a random move of the frame (an element of O(3) and a
    # translation), N''s generators, and random elements of E(3) x {1, theta}
    normalizer_taus = time_parities(sbs, sbs.normalizer_generators,
                                    sbs.normalizer_generators_action)
    elements = grey_group_elements(
        [(*cartesian(op), tau) for op, tau in zip(sbs.group_operations, taus)],
        [(*cartesian(op), tau) for op, tau in zip(sbs.normalizer_generators, normalizer_taus)],
        torch.Generator().manual_seed(seed + 1))
    random_trials = 4
    equivariance = grey_equivariance_error(model, graph, objects[0], trials=random_trials,
                                           seed=seed, transforms=elements)
    mn = [i for i, name in enumerate(NAMES) if name == "Mn"]
    metrics = {
        "demo": "mnf2",
        "n_outputs_expected": 2,
        "n_outputs_reached": reached,
        "coverage": reached / 2,
        "max_output_error": max(errors),
        "equivariance_error": equivariance,
        # theta alone (b -> -b), in the trained float32 network: f(u, -b) + f(u, b)
        "time_reversal_error": float(np.max(np.abs(reversed_ + outputs))),
        "baseline_error": min(moment_error(base_out, s) for s in states),
        "baseline_max_moment": float(np.max(np.linalg.norm(base_out, axis=1))),
        "baseline": "EquivariantNetwork of the structure alone, float64, trained on the + "
                    "Neel state",
        "train_seconds": result["seconds"],
        "sbs_overhead_fraction": sbs_time.seconds / (sbs_time.seconds + result["seconds"]),
        "set_size": len(sbs.objects), "irreps": sbs.irreps, "index": sbs.index,
        "subgroup": sbs.subgroup, "stabilizer": sbs.stabilizer,
        "objects": [list(map(float, o.vector)) for o in sbs.objects],
        "equivariance_elements": len(elements) + random_trials,
        "elements_with_theta": int(sum(t < 0 for t in taus)),  # of S''s 32
        "domains": [{"object": i, "neel_sign": int(np.sign(t[0, 2])),
                     "target_mn_moments": [float(t[k, 2]) for k in mn],
                     "predicted_mn_moments": [list(map(float, o[k])) for k in mn],
                     "max_fluorine_moment": float(np.max(np.linalg.norm(
                         o[[k for k in range(len(NAMES)) if k not in mn]], axis=1))),
                     "error": e}
                    for i, (o, t, e) in enumerate(zip(outputs, targets, errors))],
        "moment_bohr_magnetons": MOMENT, "lattice_a": A, "lattice_c": C, "fluorine_x": X_F,
        "cutoff": CUTOFF, "tolerance": TOLERANCE,
        "baseline_train_seconds": base["seconds"], "steps": steps,
        "comparison_steps": comparison_steps,
    }
    write_metrics(out, metrics)
    _figure(figure_path(out, "mnf2"), sbs, outputs, targets, metrics)
    return metrics


def _figure(path, sbs, outputs, targets, metrics):
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, axes = plt.subplots(1, 4, figsize=(21, 5.6))
    # 1: the cell seen along c and the time-odd rank-2 object on a circle
    ax = axes[0]
    frac = FRACTIONAL % 1
    images = [frac + np.array([i, j, 0]) for i in (-1, 0, 1) for j in (-1, 0, 1)]
    for shifted in images:
        inside = np.all((shifted[:, :2] > -0.05) & (shifted[:, :2] < 1.05), axis=1)
        for k in np.flatnonzero(inside):
            x, y = shifted[k, :2] * A
            mn = NAMES[k] == "Mn"
            ax.scatter(x, y, s=160 if mn else 60, color="tab:purple" if mn else "tab:green",
                       edgecolors="black" if shifted[k, 2] > 0.25 else "none", zorder=3)
    ax.plot([0, A, A, 0, 0], [0, 0, A, A, 0], color="lightgray")
    angle = np.linspace(0, 2 * np.pi, 181)
    ring = np.stack([np.cos(angle), np.sin(angle), np.zeros_like(angle)], axis=1)
    from ..objects import spherical_harmonics
    value = spherical_harmonics(2, ring) @ sbs.objects[0].vector
    radius = 0.9 + 0.35 * value / np.max(np.abs(value))
    for sign, color in ((1, "tab:red"), (-1, "tab:blue")):
        part = np.where(np.sign(value) == sign, radius, np.nan)
        ax.plot(A / 2 + part * np.cos(angle), A / 2 + part * np.sin(angle), color=color, lw=2)
    ax.set_aspect("equal")
    ax.set_xlabel("x (A)")
    ax.set_ylabel("y (A)")
    ax.set_title(f"input: rutile MnF2 (model), a = {A} A, c = {C} A, x(F) = {X_F}\n"
                 "Mn purple, F green (ringed: z = c/2); object 0 (2e', time-odd)\n"
                 "on a circle in the centre: red > 0, blue < 0", fontsize=9)
    # 2, 3: the moments of each object's output, seen along [1-10]
    diagonal = np.array([1.0, 1.0, 0.0]) / np.sqrt(2)
    pos = FRACTIONAL @ CELL
    mn = [i for i, name in enumerate(NAMES) if name == "Mn"]
    scale = 0.25  # angstrom per Bohr magneton
    for k, (ax, o, t, d) in enumerate(zip(axes[1:3], outputs, targets, metrics["domains"])):
        for i in range(len(NAMES)):
            h = pos[i] @ diagonal
            ax.scatter(h, pos[i, 2], s=160 if NAMES[i] == "Mn" else 60,
                       color="tab:purple" if NAMES[i] == "Mn" else "tab:green", zorder=3)
        for i, label in zip(mn, ("Mn(0,0,0)", "Mn(1/2,1/2,1/2)")):
            h = pos[i] @ diagonal
            ax.arrow(h, pos[i, 2], 0, scale * t[i, 2], width=0.3, head_width=0.6,
                     head_length=0.3, length_includes_head=True, color="lightgray", zorder=1)
            ax.arrow(h, pos[i, 2], scale * o[i] @ diagonal, scale * o[i, 2], width=0.05,
                     head_width=0.25, head_length=0.2, length_includes_head=True,
                     color="black", zorder=4)
            ax.text(h + 0.35, pos[i, 2] - 0.1, label, fontsize=8)
        ax.set_xlim(-1.5, 5.0)
        ax.set_ylim(-1.8, 3.6)
        ax.set_aspect("equal")
        ax.set_xlabel("along [110] (A)")
        ax.set_ylabel("z (A)")
        ax.set_title(f"object {k} ({'+' if k == 0 else '-'}v): Neel sign {d['neel_sign']:+d}\n"
                     f"Mn moments {d['predicted_mn_moments'][0][2]:+.3f}, "
                     f"{d['predicted_mn_moments'][1][2]:+.3f} muB (target "
                     f"{d['target_mn_moments'][0]:+.0f}, {d['target_mn_moments'][1]:+.0f})\n"
                     f"gray: domain state, black: output; error {d['error']:.1e} muB",
                     fontsize=9)
    # 4: the numbers
    ax = axes[3]
    names = ["max output\nerror (muB)", "equivariance\n(grey group)", "time reversal\nb -> -b",
             "baseline max\nmoment (muB, float64)"]
    values = [metrics["max_output_error"], metrics["equivariance_error"],
              metrics["time_reversal_error"], metrics["baseline_max_moment"]]
    moment_metric_bars(ax, names, values, MOMENT)
    ax.text(3.4, MOMENT * 1.3, f"m = {MOMENT:g} muB", color="tab:red", ha="right", fontsize=8)
    ax.set_title(f"{metrics['n_outputs_reached']}/2 domain states; baseline without the "
                 f"object\n(trained on the + state, float64): max |moment| "
                 f"{metrics['baseline_max_moment']:.1e} muB", fontsize=9)
    fig.suptitle(f"MnF2 P4_2/mnm1' -> P4_2'/mnm' (136.499): objects {sbs.irreps} (+v, -v), "
                 f"output 1e' moments; {metrics['n_outputs_reached']}/2 domains, max error "
                 f"{metrics['max_output_error']:.1e} muB, equivariance "
                 f"{metrics['equivariance_error']:.1e}, baseline max moment "
                 f"{metrics['baseline_max_moment']:.1e} muB (float64)", fontsize=11)
    fig.subplots_adjust(left=0.04, right=0.98, top=0.8, bottom=0.14, wspace=0.3)
    fig.savefig(path, dpi=100)
    plt.close(fig)
