"""Shared pieces of the demos: S-images of a paired output, set distances,
metrics files and figures."""
from __future__ import annotations

import json
import time
from pathlib import Path

import numpy as np
import torch

from ..detect import _closure
from ..groups import point_group

__all__ = ["group_elements", "paired_targets", "atom_distance", "coverage", "hausdorff",
           "write_metrics",
           "Timer", "figure_path"]


def group_elements(name: str) -> np.ndarray:
    """All elements of a point group (float matrices, standard orientation)."""
    return _closure(point_group(name).numpy_generators)


def paired_targets(objects: np.ndarray, object_rep, target_of, first_target, group: np.ndarray):
    """For each object b = D(s) b0 (s in S), the target s . y0 (THEORY.md
    section 6: one pair per S-orbit teaches all S-images).  ``object_rep(s)``
    is D(s) on objects, ``target_of(s, y0)`` applies s to an output."""
    b0 = objects[0]
    targets = []
    for b in objects:
        hits = [s for s in group if np.allclose(object_rep(s) @ b0, b, atol=1e-8)]
        if not hits:
            raise AssertionError("the set is not a single S-orbit")
        targets.append(target_of(hits[0], first_target))
    return np.array(targets)


def atom_distance(a: np.ndarray, b: np.ndarray) -> float:
    """The largest distance between corresponding 3-vectors of two arrays."""
    return float(np.max(np.linalg.norm(np.reshape(a - b, (-1, 3)), axis=1)))


def coverage(outputs: np.ndarray, valid: np.ndarray, tolerance: float,
             distance=atom_distance) -> tuple[int, float]:
    """(how many valid outputs some output reaches within tolerance, the largest
    distance from an output to its nearest valid output)."""
    reached = sum(any(distance(o, v) < tolerance for o in outputs) for v in valid)
    worst = max(min(distance(o, v) for v in valid) for o in outputs)
    return reached, worst


def hausdorff(a: np.ndarray, b: np.ndarray) -> float:
    """Hausdorff distance between two finite sets of arrays (``atom_distance``)."""
    d = atom_distance
    return max(max(min(d(x, y) for y in b) for x in a), max(min(d(x, y) for x in a) for y in b))


def write_metrics(out: Path, metrics: dict) -> Path:
    out.mkdir(parents=True, exist_ok=True)
    path = out / "metrics.json"
    clean = {k: (float(v) if isinstance(v, (np.floating, float)) else
                 int(v) if isinstance(v, (np.integer,)) else v) for k, v in metrics.items()}
    path.write_text(json.dumps(clean, indent=2) + "\n")
    return path


def figure_path(out: Path, name: str) -> Path:
    out.mkdir(parents=True, exist_ok=True)
    return out / f"{name}.png"


class Timer:
    def __init__(self):
        self.seconds = 0.0

    def __enter__(self):
        self._start = time.perf_counter()
        return self

    def __exit__(self, *exc):
        self.seconds += time.perf_counter() - self._start


def tensor(x, device=None) -> torch.Tensor:
    return torch.as_tensor(np.asarray(x), dtype=torch.float32, device=device)
