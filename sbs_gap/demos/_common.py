"""Shared pieces of the demos: set distances, metrics files and figures."""
from __future__ import annotations

import json
import time
from pathlib import Path

import numpy as np
import torch

__all__ = ["atom_distance", "coverage", "hausdorff", "write_metrics", "Timer", "figure_path",
           "tensor", "field_stabilizer", "moved_field", "transported_targets"]


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


# ----------------------------------------------------------------------------
# Displacement fields of a crystal under space-group operations (conventional
# fractional coordinates; ``period``: the cell edge, in conventional cells, of
# the periodic supercell the atoms fill)
# ----------------------------------------------------------------------------

def _floats(operation):
    r = np.array([[float(x) for x in row] for row in operation[0]])
    return r, np.array([float(x) for x in operation[1]])


def moved_field(operation, coords: np.ndarray, field: np.ndarray, period: int = 1
                ) -> np.ndarray:
    """The field u moved by g = (R, t): u'(R x + t) = R u(x), in the order of
    ``coords`` (a cubic cell: the field's Cartesian axes are the cell's)."""
    r, t = _floats(operation)
    where = {tuple(np.round(c % period, 6) % period): i for i, c in enumerate(coords)}
    out = np.zeros_like(field)
    for x, u in zip(coords, field):
        out[where[tuple(np.round((r @ x + t) % period, 6) % period)]] = r @ u
    return out


def field_stabilizer(operations, coords: np.ndarray, field: np.ndarray, period: int = 1
                     ) -> frozenset[int]:
    """Positions of the operations that keep the field."""
    return frozenset(k for k, op in enumerate(operations)
                     if np.allclose(moved_field(op, coords, field, period), field, atol=1e-9))


def transported_targets(sbs, coords: np.ndarray, fields, period: int = 1,
                        prefer=None) -> tuple[np.ndarray, int]:
    """Targets of a space-group set (docs/theory.md section 6): object 0 gets
    one of ``fields`` whose stabilizer in S is the object's (the first, or
    the least by ``prefer(field)``), object s.0 gets s applied to it.
    Returns (targets, which field object 0 got)."""
    ops = sbs.group_operations
    stab0 = frozenset(k for k, action in enumerate(sbs.group_action) if action[0] == 0)
    matching = [i for i, f in enumerate(fields)
                if field_stabilizer(ops, coords, f, period) == stab0]
    first = min(matching, key=lambda i: prefer(fields[i])) if prefer else matching[0]
    targets = []
    for i in range(len(sbs.objects)):
        k = next(k for k, action in enumerate(sbs.group_action) if action[0] == i)
        targets.append(moved_field(ops[k], coords, fields[first], period))
    return np.array(targets), first
