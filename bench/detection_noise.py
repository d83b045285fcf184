"""Detection margin under Gaussian noise (issue #23, item 8).

Eight molecules (benzene, methane, ammonia, water, ethane, SF6, ferrocene,
C60) in random orientations and positions, every Cartesian coordinate moved
by Gaussian noise of standard deviation sigma = f x --tol (angstrom, per
coordinate): how often ``detect`` finds the right point group, how often it
refuses (an InputError naming the problem) and how often it is wrong, and
the tolerance it used (``Detection.tol_used``).

Run: .venv/bin/python bench/detection_noise.py [--trials 10] [--seed 0]
     [--tol 0.01] [--factors 0.3,0.5]
"""
from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

import numpy as np

from sbs_gap import InputError, detect

STRUCTURES = Path(__file__).resolve().parent.parent / "examples" / "structures"


def _read_xyz(name: str):
    lines = (STRUCTURES / f"{name}.xyz").read_text().splitlines()[2:]
    rows = [line.split() for line in lines if line.strip()]
    return [r[0] for r in rows], np.array([[float(x) for x in r[1:4]] for r in rows])


def molecules() -> dict[str, tuple[str, list[str], np.ndarray]]:
    """name -> (point group, species, positions in angstrom)."""
    groups = (("benzene", "D6h"), ("methane", "Td"), ("ammonia", "C3v"), ("water", "C2v"),
              ("ethane", "D3d"), ("SF6", "Oh"), ("ferrocene", "D5h"), ("C60", "Ih"))
    return {name: (group, *_read_xyz(name)) for name, group in groups}


def random_rotation(rng) -> np.ndarray:
    q, r = np.linalg.qr(rng.normal(size=(3, 3)))
    q *= np.sign(np.diag(r))
    return q if np.linalg.det(q) > 0 else -q


def noisy(pos: np.ndarray, sigma: float, rng) -> np.ndarray:
    """Rotated, translated, Gaussian noise of ``sigma`` angstrom per coordinate."""
    return (pos @ random_rotation(rng).T + rng.normal(size=3) * 3
            + rng.normal(scale=sigma, size=pos.shape))


def run_trials(factor: float, tol: float, trials: int, seed: int, folder: Path, **options):
    """{molecule: (right, refused, wrong, [tol_used of the right ones], seconds)}."""
    rng = np.random.default_rng(seed)
    results = {}
    for name, (expected, species, pos) in molecules().items():
        counts = {"right": 0, "refused": 0, "wrong": 0}
        used = []
        start = time.perf_counter()
        for k in range(trials):
            path = folder / f"{name}_{k}.xyz"
            path.write_text(f"{len(species)}\nnoisy\n" + "\n".join(
                f"{s} {x:.8f} {y:.8f} {z:.8f}"
                for s, (x, y, z) in zip(species, noisy(pos, factor * tol, rng))) + "\n")
            try:
                d = detect(path, tol=tol, **options)
            except InputError:
                counts["refused"] += 1
                continue
            if d.group == expected:
                counts["right"] += 1
                used.append(getattr(d, "tol_used", tol))
            else:
                counts["wrong"] += 1
        results[name] = (counts["right"], counts["refused"], counts["wrong"], used,
                         time.perf_counter() - start)
    return results


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--trials", type=int, default=10)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--tol", type=float, default=0.01)
    parser.add_argument("--factors", default="0.3,0.5", help="sigma / tol, comma-separated")
    parser.add_argument("--fixed-tol", action="store_true",
                        help="no adaptive tolerance (detect(..., adaptive=False))")
    args = parser.parse_args()
    options = {"adaptive": False} if args.fixed_tol else {}
    print(f"{args.trials} random orientations, seed {args.seed}, --tol {args.tol:g}; "
          "right / refused / wrong, tolerance used (max), seconds")
    with tempfile.TemporaryDirectory() as tmp:
        for factor in (float(f) for f in args.factors.split(",")):
            results = run_trials(factor, args.tol, args.trials, args.seed, Path(tmp),
                                 **options)
            print(f"sigma = {factor:g} x tol = {factor * args.tol:g} A per coordinate")
            total = [0, 0, 0]
            for name, (right, refused, wrong, used, seconds) in results.items():
                top = f"{max(used):.3g}" if used else "-"
                print(f"  {name:10s} {right:3d} / {refused:3d} / {wrong:3d}   tol used <= "
                      f"{top:8s} {seconds:6.2f} s")
                total = [total[0] + right, total[1] + refused, total[2] + wrong]
            print(f"  {'all':10s} {total[0]:3d} / {total[1]:3d} / {total[2]:3d}", flush=True)


if __name__ == "__main__":
    main()
