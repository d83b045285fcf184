"""Demo ``karman``: the Karman vortex street as spontaneous symmetry breaking.

Flow past a cylinder (lattice Boltzmann, :mod:`sbs_gap.demos.lbm`), mirror
symmetric about the centre line.  Below the instability the wake is
symmetric; once the antisymmetric mode grows, the flow picks one of two mirror
images.  For each Reynolds number the solver gives the symmetric wake (the
input; the state is projected onto symmetric states while it forms) and both
outcomes (runs kicked with +epsilon and -epsilon, recorded once the
antisymmetric part of the vorticity has reached a set fraction of the
symmetric wake's, at the next zero crossing of the centre-line transverse
velocity, which fixes the phase of the oscillation).

The symmetry group is the mirror M (vorticity and transverse velocity odd
under it).  The engine (a problem file: the mirror acting by -1 on a
pseudoscalar) gives the SBS {+p, -p}.  A mirror-equivariant CNN (exactly:
f(x) = (g(x) + M g(M x)) / 2) takes the fields, the flow parameter and the
object as input channels and predicts the vorticity of the outcome; it is
tested on held-out Reynolds numbers.  Without the object the same network
can only predict a symmetric field: the mean of the two outcomes.

Validation of the solver: the shedding Strouhal number at Re = 100 (reported
with the blockage), against 0.165 for an unconfined cylinder.
"""
from __future__ import annotations

import hashlib
import json
import time
from pathlib import Path

import numpy as np
import torch

from ..groups import parse_problem
from ..objects import symmetry_breaking_set
from ._common import Timer, figure_path, write_metrics
from .lbm import Channel, LatticeBoltzmann, strouhal

# Quick mode (CI): the same physics on fewer Reynolds numbers and a smaller CNN.
QUICK = {"diameter": 8, "ny": 64, "nx": 192, "train": [92, 108], "held_out": [100],
         "symmetric_steps": 1200, "validation_steps": 4500, "train_steps": 300, "width": 16}
FULL = {"diameter": 10, "ny": 80, "nx": 240,
        "train": [70, 80, 85, 90, 95, 105, 110, 115, 120, 130, 135, 140],
        "held_out": [75, 100, 125], "symmetric_steps": 2500, "validation_steps": 14000,
        "train_steps": 1200, "width": 32}
EPSILON = 0.02        # kick: transverse velocity, fraction of u_mean
AMPLITUDE = 0.4       # record the outcome when the antisymmetric part of the vorticity
                      # reaches this fraction of the symmetric wake's (L2 norms)
MAX_GROWTH_STEPS = 30000
STROUHAL_REFERENCE = 0.165
POOL = 4              # the network sees (and predicts) fields averaged over 4x4 cells


def _mirror_fields(x: torch.Tensor, odd: list[bool]) -> torch.Tensor:
    """M on a stack of fields (..., channels, ny, nx): flip y, negate odd ones."""
    sign = torch.tensor([-1.0 if o else 1.0 for o in odd], dtype=x.dtype, device=x.device)
    return torch.flip(x, dims=(-2,)) * sign[:, None, None]


def simulate(cfg: dict, reynolds: float, cache: Path) -> dict:
    """Symmetric wake and both outcomes at one Reynolds number (cached)."""
    key = hashlib.sha256(json.dumps([cfg["diameter"], cfg["ny"], cfg["nx"], reynolds,
                                     cfg["symmetric_steps"], EPSILON, AMPLITUDE, 5],
                                    sort_keys=True).encode()).hexdigest()[:16]
    path = cache / f"karman_{key}.npz"
    if path.is_file():
        data = np.load(path)
        return {k: data[k] for k in data.files}
    channel = Channel(nx=cfg["nx"], ny=cfg["ny"], diameter=cfg["diameter"], reynolds=reynolds)
    solver = LatticeBoltzmann(channel)
    for _ in range(cfg["symmetric_steps"] // 100):
        solver.step(100)
        solver.symmetrize()  # keep the wake exactly symmetric while it forms
    start = [t.numpy().copy() for t in solver.fields()]
    state = solver.f.clone()
    outcomes, steps = [], []
    base_norm = float(np.linalg.norm(start[0]))

    def antisymmetric_amplitude() -> float:
        # vorticity is odd under the mirror: its antisymmetric part is
        # (w + flip_y(w)) / 2; its norm grows smoothly with the mode
        w = solver.fields()[0]
        return float(torch.linalg.norm(0.5 * (w + torch.flip(w, dims=(0,))))) / base_norm

    for sign in (1.0, -1.0):
        solver.f = state.clone()
        solver.kick(sign * EPSILON)
        grown = 0
        while antisymmetric_amplitude() < AMPLITUDE and grown < MAX_GROWTH_STEPS:
            solver.step(20)
            grown += 20
        # Then lock the phase: the next zero crossing of the centre-line
        # transverse velocity, upward for the + kick (downward for its mirror).
        before = sign * solver.probe()
        while grown < MAX_GROWTH_STEPS:
            solver.step(5)
            grown += 5
            now = sign * solver.probe()
            if before < 0 <= now:
                break
            before = now
        steps.append(grown)
        outcomes.append(solver.fields()[0].numpy().copy())
    data = {"vorticity": start[0], "ux": start[1], "uy": start[2], "plus": outcomes[0],
            "minus": outcomes[1], "growth_steps": np.array(steps), "reynolds": reynolds}
    cache.mkdir(parents=True, exist_ok=True)
    np.savez_compressed(path, **data)
    return data


def validate(cfg: dict) -> dict:
    """Shedding Strouhal number at Re = 100."""
    channel = Channel(nx=cfg["nx"], ny=cfg["ny"], diameter=cfg["diameter"], reynolds=100)
    solver = LatticeBoltzmann(channel)
    solver.kick(0.05)
    every, signal = 10, []
    for _ in range(cfg["validation_steps"] // every):
        solver.step(every)
        signal.append(solver.probe())
    st = strouhal(signal, every, channel)
    return {"strouhal": st, "strouhal_reference": STROUHAL_REFERENCE,
            "strouhal_relative_deviation": abs(st - STROUHAL_REFERENCE) / STROUHAL_REFERENCE,
            "blockage": channel.blockage, "reynolds": 100, "tau": channel.tau,
            "grid": [channel.nx, channel.ny], "diameter_cells": channel.diameter}


class _CNN(torch.nn.Module):
    def __init__(self, channels: int, width: int = 32, depth: int = 5):
        super().__init__()
        layers, c = [], channels
        for _ in range(depth):
            layers += [torch.nn.Conv2d(c, width, 5, padding=2), torch.nn.GELU()]
            c = width
        layers.append(torch.nn.Conv2d(c, 1, 5, padding=2))
        self.net = torch.nn.Sequential(*layers)

    def forward(self, x):
        return self.net(x)


class MirrorEquivariantCNN(torch.nn.Module):
    """f(x) = x_0 + (g(x) + M g(M x)) / 2, x_0 the input vorticity: exactly
    equivariant under the mirror (both terms are)."""

    def __init__(self, odd_inputs: list[bool], width: int = 32):
        super().__init__()
        self.odd_inputs = odd_inputs
        self.g = _CNN(len(odd_inputs), width=width)

    def forward(self, x):
        mirrored = _mirror_fields(x, self.odd_inputs)
        out = self.g(x) + _mirror_fields(self.g(mirrored), [True])
        return x[:, :1] + 0.5 * out


def _inputs(sample: dict, p: float | None, scale: float) -> torch.Tensor:
    fields = [sample["vorticity"] / scale, sample["ux"] / scale, sample["uy"] / scale,
              np.full_like(sample["ux"], (float(sample["reynolds"]) - 100.0) / 50.0)]
    if p is not None:
        fields.append(np.full_like(sample["ux"], p))
    x = torch.tensor(np.stack(fields)[None], dtype=torch.float32)
    return torch.nn.functional.avg_pool2d(x, POOL)


def _target(field: np.ndarray, scale: float) -> torch.Tensor:
    return torch.nn.functional.avg_pool2d(
        torch.tensor(field[None, None] / scale, dtype=torch.float32), POOL)


def _relative(a: torch.Tensor, b: torch.Tensor) -> float:
    return float(torch.linalg.norm(a - b) / torch.linalg.norm(b))


def run(out: Path, *, quick: bool = False, seed: int = 0, device=None,
        progress: bool = False) -> dict:
    torch.manual_seed(seed)
    cfg = QUICK if quick else FULL
    out.mkdir(parents=True, exist_ok=True)
    cache = out / "cache"
    t0 = time.perf_counter()
    validation = validate(cfg)
    samples = {re: simulate(cfg, re, cache) for re in cfg["train"] + cfg["held_out"]}
    simulation_seconds = time.perf_counter() - t0

    with Timer() as sbs_time:
        problem = parse_problem({"name": "mirror acting on a pseudoscalar",
                                 "ambient": {"matrices": [[["-1"]]]},
                                 "group": {"matrices": [[["-1"]]]}})
        sbs = symmetry_breaking_set(problem)
    objects = [float(v[0]) for v in sbs.objects]  # +1, -1
    scale = float(max(np.abs(s["plus"]).max() for s in samples.values()))
    odd = [True, False, True, False, True]  # vorticity, ux, uy, Re, object

    def pairs(res, with_object):
        xs, ys = [], []
        for re in res:
            s = samples[re]
            for p, outcome in zip(objects, ("plus", "minus")):
                xs.append(_inputs(s, p if with_object else None, scale))
                ys.append(_target(s[outcome], scale))
        return torch.cat(xs), torch.cat(ys)

    def fit(with_object):
        model = MirrorEquivariantCNN(odd if with_object else odd[:4], width=cfg["width"])
        x, y = pairs(cfg["train"], with_object)
        optimizer = torch.optim.Adam(model.parameters(), lr=2e-3)
        schedule = torch.optim.lr_scheduler.CosineAnnealingLR(optimizer, cfg["train_steps"])
        start = time.perf_counter()
        for _ in range(cfg["train_steps"]):
            optimizer.zero_grad()
            loss = torch.mean((model(x) - y) ** 2)
            loss.backward()
            optimizer.step()
            schedule.step()
        return model, time.perf_counter() - start

    model, train_seconds = fit(True)
    baseline, baseline_seconds = fit(False)
    held = []
    reached = 0
    with torch.no_grad():
        for re in cfg["held_out"]:
            s = samples[re]
            truth = {"plus": _target(s["plus"], scale), "minus": _target(s["minus"], scale)}
            row = {"reynolds": re, "growth_steps": [int(v) for v in s["growth_steps"]],
                   "mirror_consistency": _relative(_target(s["minus"], scale),
                                                   _mirror_fields(truth["plus"], [True]))}
            preds = [model(_inputs(s, p, scale)) for p in objects]
            # the two outcomes are matched to the two predictions as a set
            direct = _relative(preds[0], truth["plus"]) + _relative(preds[1], truth["minus"])
            swapped = _relative(preds[0], truth["minus"]) + _relative(preds[1], truth["plus"])
            if swapped < direct:
                truth = {"plus": truth["minus"], "minus": truth["plus"]}
            for pred, name in zip(preds, ("plus", "minus")):
                other = "minus" if name == "plus" else "plus"
                err = _relative(pred, truth[name])
                row[f"relative_error_{name}"] = err
                row[f"relative_error_{name}_vs_other_outcome"] = _relative(pred, truth[other])
                if err < 0.5 and err < row[f"relative_error_{name}_vs_other_outcome"]:
                    reached += 1
            base = baseline(_inputs(s, None, scale))
            row["baseline_relative_error"] = min(_relative(base, truth["plus"]),
                                                 _relative(base, truth["minus"]))
            mean = 0.5 * (truth["plus"] + truth["minus"])
            row["baseline_distance_to_mean"] = _relative(base, mean)
            held.append(row)
        x = _inputs(samples[cfg["held_out"][0]], objects[0], scale)
        equivariance = float(torch.max(torch.abs(
            model(_mirror_fields(x, odd)) - _mirror_fields(model(x), [True]))))
    expected = 2 * len(cfg["held_out"])
    errors = [r[f"relative_error_{n}"] for r in held for n in ("plus", "minus")]
    metrics = {
        "demo": "karman",
        "n_outputs_expected": expected,
        "n_outputs_reached": reached,
        "coverage": reached / expected,
        "max_output_error": max(errors),
        "equivariance_error": equivariance,
        "baseline_error": min(r["baseline_relative_error"] for r in held),
        "train_seconds": train_seconds,
        "sbs_overhead_fraction": sbs_time.seconds / (sbs_time.seconds + train_seconds),
        "error_measure": "relative L2 error of the predicted vorticity field",
        **validation,
        "set_size": len(objects), "object_irreps": sbs.irreps,
        "train_reynolds": cfg["train"], "held_out_reynolds": cfg["held_out"],
        "held_out": held,
        "simulation_seconds": simulation_seconds,
        "baseline_train_seconds": baseline_seconds,
        "epsilon": EPSILON, "amplitude": AMPLITUDE,
    }
    write_metrics(out, metrics)
    _figure(figure_path(out, "karman"), samples[cfg["held_out"][0]], model, baseline, objects,
            scale, cfg)
    return metrics


def _figure(path, sample, model, baseline, objects, scale, cfg):
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    with torch.no_grad():
        preds = [model(_inputs(sample, p, scale))[0, 0].numpy() for p in objects]
        base = baseline(_inputs(sample, None, scale))[0, 0].numpy()
    truth = [_target(sample[k], scale)[0, 0].numpy() for k in ("plus", "minus")]
    start = _target(sample["vorticity"], scale)[0, 0].numpy()

    def error(a, b):
        return float(np.linalg.norm(a - b) / np.linalg.norm(b))

    re_number = float(sample["reynolds"])
    base_error = min(error(base, t) for t in truth)
    panels = [(start, f"input: symmetric wake, Re = {re_number:g}"),
              (base, f"baseline (no object): symmetric mean, error {base_error:.2f}"),
              (truth[0], "simulated outcome (kick +epsilon)"),
              (preds[0], f"predicted with object +p: error {error(preds[0], truth[0]):.2f}"),
              (truth[1], "simulated outcome (kick -epsilon)"),
              (preds[1], f"predicted with object -p: error {error(preds[1], truth[1]):.2f}")]
    d = cfg["diameter"]
    x0 = 4 * d  # the cylinder's centre (lbm.Channel's default)
    extent = [-x0 / d, (cfg["nx"] - x0) / d, -cfg["ny"] / (2 * d), cfg["ny"] / (2 * d)]
    fig, axes = plt.subplots(3, 2, figsize=(12.5, 8))
    vmax = float(np.abs(np.stack(truth)).max())
    for ax, (field, title) in zip(axes.ravel(), panels):
        image = ax.imshow(field, cmap="RdBu_r", vmin=-vmax, vmax=vmax, origin="lower",
                          extent=extent, aspect="equal")
        ax.add_patch(plt.Circle((0, 0), 0.5, color="black"))
        ax.set_title(title, fontsize=10)
        ax.set_xlabel("x / D (downstream of the cylinder)", fontsize=8)
        ax.set_ylabel("y / D", fontsize=8)
        ax.tick_params(labelsize=7)
    bar = fig.colorbar(image, ax=axes.ravel().tolist(), shrink=0.8)
    bar.set_label("vorticity / max |vorticity| of the outcomes (averaged over 4x4 cells)")
    fig.suptitle(f"Karman vortex street at held-out Re = {re_number:g}: relative L2 errors of "
                 "the predicted vorticity; the baseline can only give the symmetric mean")
    fig.savefig(path, dpi=110)
    plt.close(fig)
