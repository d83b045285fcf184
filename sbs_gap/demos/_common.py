"""Shared pieces of the demos: set distances, metrics files and figures."""
from __future__ import annotations

import json
import time
from pathlib import Path

import numpy as np
import torch

__all__ = ["atom_distance", "coverage", "hausdorff", "write_metrics", "Timer", "figure_path",
           "tensor", "cubic_supercell", "field_stabilizer", "moved_field", "transported_targets",
           "grey_group_elements", "moment_metric_bars"]


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


def cubic_supercell(sites, size: int = 2) -> tuple[np.ndarray, list[str]]:
    """Conventional fractional coordinates and species of a size x size x
    size supercell: for each cell n (in ``np.ndindex`` order), the ``sites``
    (name, offset) in their order, at n + offset."""
    coords, species = [], []
    for n in np.ndindex(size, size, size):
        n = np.array(n, dtype=float)
        for name, offset in sites:
            coords.append(n + np.array(offset))
            species.append(name)
    return np.array(coords), species


def moved_field(operation, coords: np.ndarray, field: np.ndarray, period: int = 1, *,
                axial: bool = False, tau: float = 1.0) -> np.ndarray:
    """The field u moved by g = (R, t): u'(R x + t) = R u(x), in the order of
    ``coords`` (a cubic cell: the field's Cartesian axes are the cell's).
    ``axial``: u'(R x + t) = tau det(R) R u(x), a magnetic moment moved by g
    with time parity ``tau`` (-1: g carries theta)."""
    r, t = _floats(operation)
    factor = tau * np.linalg.det(r) if axial else 1.0
    where = {tuple(np.round(c % period, 6) % period): i for i, c in enumerate(coords)}
    out = np.zeros_like(field)
    for x, u in zip(coords, field):
        moved = factor * (r @ u) if axial else r @ u
        out[where[tuple(np.round((r @ x + t) % period, 6) % period)]] = moved
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


# ----------------------------------------------------------------------------
# The magnetic demos (grey parents)
# ----------------------------------------------------------------------------

def grey_group_elements(group, normalizer, generator: torch.Generator) -> list:
    """Elements (diag(R, tau), t) of E(3) x {1, theta} for
    :func:`sbs_gap.nn.grey_equivariance_error`: each (R, t, tau) of ``group``
    (Cartesian) composed with a random move of the frame, x -> q x + shift (q
    in O(3), drawn from ``generator``), then each of ``normalizer`` as is."""
    from ..nn import random_orthogonal

    def element(r, tau):
        g = np.eye(4)
        g[:3, :3], g[3, 3] = r, tau
        return g
    elements = []
    for r, t, tau in group:
        q = random_orthogonal(generator).numpy()
        shift = torch.randn(3, generator=generator, dtype=torch.float64).numpy()
        elements.append((element(q @ r, tau), q @ t + shift))
    elements += [(element(r, tau), t) for r, t, tau in normalizer]
    return elements


def moment_metric_bars(ax, names, values, moment: float) -> None:
    """The four numbers of a magnetic demo (errors in Bohr magnetons and the
    equivariance error) as bars on a log scale, zero drawn at 1e-17, the
    moment size as a red line."""
    floor = 1e-17
    ax.bar(range(len(values)), [max(v, floor) for v in values],
           color=["black", "tab:blue", "tab:orange", "tab:gray"])
    for i, v in enumerate(values):
        ax.text(i, max(v, floor) * 2, f"{v:.1e}", ha="center", fontsize=9)
    ax.set_yscale("log")
    ax.set_ylim(floor / 10, 1e2)
    ax.axhline(moment, color="tab:red", lw=0.8, ls="--")
    ax.set_xticks(range(len(values)))
    ax.set_xticklabels(names, fontsize=8)
    ax.set_ylabel("value (log scale; 0 drawn at 1e-17)")
