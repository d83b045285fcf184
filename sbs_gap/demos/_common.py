"""Shared pieces of the demos: set distances, metrics files and figures."""
from __future__ import annotations

import json
import time
from pathlib import Path

import numpy as np
import torch

__all__ = ["atom_distance", "coverage", "hausdorff", "write_metrics", "Timer", "figure_path",
           "tensor"]


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
    """float32 on the device (the demos train in float32)."""
    return torch.as_tensor(np.asarray(x), dtype=torch.float32, device=device)
