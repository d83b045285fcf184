"""Training with a symmetry breaking set (docs/theory.md section 6).

The set B of objects comes with a target per object
(:meth:`sbs_gap.SymmetryBreakingSet.pair_targets`: one output paired per
S-orbit, extended by S); each step draws objects from B.  Equivariance makes
one pair per orbit enough; drawing the others only rehearses it.  At
inference the network is run on every object of B to give every degenerate
output.
"""
from __future__ import annotations

import time
from dataclasses import dataclass

import numpy as np
import torch

from ._network import EquivariantNetwork, Graph

__all__ = ["TrainingPair", "train", "default_device", "to_numpy"]


def default_device() -> torch.device:
    """cuda when available, else the CPU."""
    return torch.device("cuda" if torch.cuda.is_available() else "cpu")


@dataclass
class TrainingPair:
    """An input, the set B of objects and, for each object, its target
    (the S-image of the output paired with the orbit's first object)."""

    graph: Graph
    # (|B|, object dim) uniform objects, a list of Markers, or None (baseline)
    objects: torch.Tensor | list | None
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


def to_numpy(t: torch.Tensor) -> np.ndarray:
    """A tensor as a float64 NumPy array (detached, on the CPU)."""
    return t.detach().cpu().double().numpy()
