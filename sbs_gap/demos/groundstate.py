"""Demo ``groundstate``: Ising ground states through the general finite-group
path (problem files), not the point-group tables.

For each Hamiltonian H = sum J_ij s_i s_j on a small graph:

1. the ground states are found by exact enumeration of all 2^n configurations;
2. GAP computes the symmetry from the couplings (gap_scripts/gap/models.gi,
   an extension of the GAP package loaded only by this demo):
   S = Aut(J) x <global flip>, acting on the 2n literals "site i up/down", its
   normalizer N in Sym(n) x <flip> (the relabelings a graph network commutes
   with) and K, the stabilizer of a ground state;
3. the engine (a problem file with ambient N, group S, target K, as
   permutation matrices of the literals) gives the minimal equivariant SBS
   and its objects: vectors on the literals, i.e. two channels per node
   (even and odd under the flip);
4. a permutation-equivariant graph network (message passing with J; exactly
   odd under the flip by antisymmetrization) takes the object as node
   features and is trained with one (object, ground state) pair per S-orbit of
   the set; run on every object it gives every ground state of the orbit.  The
   baseline without an object can only give the flip-symmetric average, 0.

Hamiltonians: the antiferromagnetic 6-ring (bipartite; the two Neel states;
an ideal set of 2), the antiferromagnetic 5-ring (frustrated; 10 ground
states, an ideal set of 10), and a 4-site plaquette with unequal couplings
whose normalizer is larger than S, where the minimal equivariant set is not
ideal: 4 objects for 2 ground states (each ground state is produced twice).
"""
from __future__ import annotations

import itertools
import json
import time
from pathlib import Path

import numpy as np
import torch

from ..breaking import partial_breaking
from ..gap import default_session
from ..groups import parse_problem
from ..objects import symmetry_breaking_set
from ._common import Timer, figure_path, write_metrics

HAMILTONIANS = {
    "afm_ring6": {"n": 6, "couplings": [(i, i % 6 + 1, 1) for i in range(1, 7)],
                  "description": "antiferromagnetic ring of 6 sites (bipartite)"},
    "afm_ring5": {"n": 5, "couplings": [(i, i % 5 + 1, 1) for i in range(1, 6)],
                  "description": "antiferromagnetic ring of 5 sites (frustrated)"},
    "plaquette": {"n": 4, "couplings": [(1, 2, -1), (1, 3, 1), (2, 4, 2), (3, 4, -1)],
                  "description": "4-site plaquette with couplings -1, +1, +2, -1"},
}


def _normalized(couplings):
    return sorted((min(i, j), max(i, j), int(w)) for i, j, w in couplings)


def ground_states(n: int, couplings) -> tuple[float, list[np.ndarray]]:
    J = coupling_matrix(n, couplings)
    best, states = None, []
    for bits in itertools.product((1, -1), repeat=n):
        s = np.array(bits, dtype=float)
        e = 0.5 * s @ J @ s
        if best is None or e < best - 1e-9:
            best, states = e, [s]
        elif abs(e - best) < 1e-9:
            states.append(s)
    return float(best), states


def coupling_matrix(n: int, couplings) -> np.ndarray:
    J = np.zeros((n, n))
    for i, j, w in couplings:
        J[i - 1, j - 1] = J[j - 1, i - 1] = w
    return J


def _literal_matrix(images) -> list[list[str]]:
    m = len(images)
    return [["1" if images[col] == row + 1 else "0" for col in range(m)] for row in range(m)]


def _literals(state: np.ndarray) -> np.ndarray:
    """A spin configuration as a vector on the 2n literals (site i up / down)."""
    return np.concatenate([(state > 0).astype(float), (state < 0).astype(float)])


def _apply(d: np.ndarray, state: np.ndarray) -> np.ndarray:
    """An element of S, as its matrix on the literals, applied to a configuration."""
    n = len(state)
    moved = d @ _literals(state)
    return moved[:n] - moved[n:]


class SpinNetwork(torch.nn.Module):
    """Message passing with the coupling matrix; node features (even, odd)
    channels; output: one flip-odd scalar per node.  Equivariant under every
    relabeling of the sites (J relabeled with them) and exactly odd under the
    global flip (antisymmetrized)."""

    def __init__(self, even: int, odd: int, hidden: int = 32, layers: int = 3):
        super().__init__()
        self.even, self.odd = even, odd
        width = even + odd
        self.self_weights = torch.nn.ModuleList()
        self.neighbour_weights = torch.nn.ModuleList()
        for _ in range(layers):
            self.self_weights.append(torch.nn.Linear(width, hidden))
            self.neighbour_weights.append(torch.nn.Linear(width, hidden, bias=False))
            width = hidden
        self.readout = torch.nn.Linear(width, 1)

    def _g(self, J, x):
        for lin_self, lin_nb in zip(self.self_weights, self.neighbour_weights):
            x = torch.tanh(lin_self(x) + J @ lin_nb(x))
        return self.readout(x)[:, 0]

    def forward(self, J: torch.Tensor, x: torch.Tensor) -> torch.Tensor:
        flipped = torch.cat([x[:, :self.even], -x[:, self.even:]], dim=1)
        return 0.5 * (self._g(J, x) - self._g(J, flipped))


def _features(vector: np.ndarray, n: int) -> np.ndarray:
    """Literal vector -> per-node (constant, even, odd) channels."""
    up, down = vector[:n], vector[n:]
    return np.stack([np.ones(n), up + down, up - down], axis=1)


def run_hamiltonian(name: str, spec: dict, *, steps: int, seed: int, out: Path) -> dict:
    n, couplings = spec["n"], _normalized(spec["couplings"])
    energy, states = ground_states(n, couplings)
    first = states[0]
    configuration = [i + 1 if first[i] > 0 else n + i + 1 for i in range(n)]
    with Timer() as sbs_time:
        session = default_session()
        session.load_extension("models")
        sym = session.call("SBS_IsingSymmetry", n, [list(c) for c in couplings], configuration)
        identity = [list(range(1, 2 * n + 1))]
        problem_data = {
            "name": name, "description": spec["description"],
            "ambient": {"matrices": [_literal_matrix(g) for g in sym["normalizer"]]},
            "group": {"matrices": [_literal_matrix(g) for g in sym["group"]]},
            "target": {"matrices": [_literal_matrix(g) for g in (sym["target"] or identity)]},
        }
        problem = parse_problem(problem_data)
        (row,) = partial_breaking(problem)
        sbs = symmetry_breaking_set(problem)
    (out / f"{name}.problem.json").write_text(json.dumps(problem_data) + "\n")

    orbit = []
    for d in sbs.group_elements:
        s = _apply(d, first)
        if not any(np.array_equal(s, t) for t in orbit):
            orbit.append(s)
    # Each S-orbit of the set is paired with a ground state whose symmetry
    # contains the object's stabilizer, then extended by S (section 6).
    objects = sbs.objects
    targets = sbs.pair_targets(orbit, act=_apply)

    J = torch.tensor(coupling_matrix(n, couplings), dtype=torch.float32)
    feats = [torch.tensor(_features(b, n), dtype=torch.float32) for b in objects]
    y = [torch.tensor(t, dtype=torch.float32) for t in targets]
    torch.manual_seed(seed)
    model = SpinNetwork(even=2, odd=1)
    optimizer = torch.optim.Adam(model.parameters(), lr=5e-3)
    schedule = torch.optim.lr_scheduler.CosineAnnealingLR(optimizer, steps)
    start = time.perf_counter()
    for _ in range(steps):
        optimizer.zero_grad()
        loss = sum(torch.mean((model(J, f) - t) ** 2) for f, t in zip(feats, y)) / len(y)
        loss.backward()
        optimizer.step()
        schedule.step()
    train_seconds = time.perf_counter() - start
    with torch.no_grad():
        outputs = np.array([model(J, f).numpy() for f in feats])
        baseline = model(J, torch.tensor(np.stack([np.ones(n), np.zeros(n), np.zeros(n)], 1),
                                         dtype=torch.float32)).numpy()
    produced = [np.sign(o) for o in outputs]
    reached = sum(any(np.array_equal(p, s) for p in produced) for s in orbit)
    distinct = {tuple(p) for p in produced}
    # Equivariance of the network: a random relabeling and the flip.
    perm = np.random.default_rng(seed).permutation(n)
    P = torch.tensor(np.eye(n)[perm], dtype=torch.float32)
    with torch.no_grad():
        f0 = feats[0]
        moved = model(P @ J @ P.T, P @ f0)
        flipped = model(J, torch.cat([f0[:, :2], -f0[:, 2:]], 1))
        equivariance = max(float(torch.max(torch.abs(moved - P @ model(J, f0)))),
                           float(torch.max(torch.abs(flipped + model(J, f0)))))
    return {
        "hamiltonian": name, "description": spec["description"], "sites": n,
        "couplings": [list(c) for c in couplings], "ground_energy": energy,
        "n_ground_states": len(states), "orbit_size": len(orbit),
        "group_order": sym["order"], "automorphism_order": sym["automorphism_order"],
        "normalizer_order": sym["normalizer_order"], "target_order": sym["target_order"],
        "index": row.index, "ideal": row.ideal, "exact_min_size": row.exact_min_size,
        "nonexact_min_size": row.nonexact_min_size,
        "break_more_is_smaller": row.break_more_is_smaller,
        "set_size": len(objects), "object_stabilizer": sbs.stabilizer,
        "n_outputs_reached": reached, "distinct_outputs": len(distinct),
        "coverage": reached / len(orbit),
        "max_output_error": float(max(np.max(np.abs(o - t)) for o, t in zip(outputs, targets))),
        "baseline_error": float(min(np.max(np.abs(baseline - s)) for s in orbit)),
        "baseline_output_max": float(np.max(np.abs(baseline))),
        "equivariance_error": equivariance,
        "train_seconds": train_seconds, "sbs_seconds": sbs_time.seconds,
        "_outputs": outputs, "_orbit": orbit, "_couplings": couplings,
    }


def run(out: Path, *, quick: bool = False, seed: int = 0, device=None,
        progress: bool = False) -> dict:
    out.mkdir(parents=True, exist_ok=True)
    steps = 300 if quick else 1500
    results = [run_hamiltonian(name, spec, steps=steps, seed=seed, out=out)
               for name, spec in HAMILTONIANS.items()]
    public = [{k: v for k, v in r.items() if not k.startswith("_")} for r in results]
    expected = sum(r["orbit_size"] for r in results)
    reached = sum(r["n_outputs_reached"] for r in results)
    train_seconds = sum(r["train_seconds"] for r in results)
    sbs_seconds = sum(r["sbs_seconds"] for r in results)
    metrics = {
        "demo": "groundstate",
        "n_outputs_expected": expected,
        "n_outputs_reached": reached,
        "coverage": reached / expected,
        "max_output_error": max(r["max_output_error"] for r in results),
        "equivariance_error": max(r["equivariance_error"] for r in results),
        "baseline_error": min(r["baseline_error"] for r in results),
        "train_seconds": train_seconds,
        "sbs_overhead_fraction": sbs_seconds / (sbs_seconds + train_seconds),
        "hamiltonians": public,
        "steps": steps,
    }
    write_metrics(out, metrics)
    _figure(figure_path(out, "groundstate"), results)
    return metrics


def _figure(path, results):
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    rows = max(len(r["_outputs"]) for r in results)
    fig, axes = plt.subplots(len(results), 1, figsize=(12, 2.2 * len(results)))
    for ax, r in zip(axes, results):
        n = r["sites"]
        outputs, orbit = r["_outputs"], r["_orbit"]
        grid = np.full((n, len(orbit) + 1 + len(outputs)), np.nan)
        for k, s in enumerate(orbit):
            grid[:, k] = s
        for k, o in enumerate(outputs):
            grid[:, len(orbit) + 1 + k] = o
        image = ax.imshow(grid, cmap="coolwarm", vmin=-1, vmax=1, aspect="auto")
        ax.set_yticks(range(n), [f"site {i + 1}" for i in range(n)], fontsize=7)
        ax.set_xticks([len(orbit) / 2 - 0.5, len(orbit) + 1 + len(outputs) / 2 - 0.5],
                      ["ground states (orbit)",
                       f"network outputs, one per SBS object (max error "
                       f"{r['max_output_error']:.1e})"])
        fig.colorbar(image, ax=ax, pad=0.01).set_label("spin", fontsize=8)
        ideal = "ideal" if r["ideal"] else "not ideal"
        ax.set_title(f"{r['description']}: |S| = {r['group_order']}, |N| = "
                     f"{r['normalizer_order']}, {r['orbit_size']} ground states in the orbit, "
                     f"SBS of {r['set_size']} objects ({ideal})", fontsize=9)
    del rows
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)
