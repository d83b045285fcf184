"""Symmetry detection on noisy molecules: success rate per noise level, and time.

For benzene (D6h), methane (Td), SF6 (Oh), ferrocene (D5h) and C60 (Ih), in
random orientations and positions, every atom moved by a random vector of
length up to the noise level: how often ``detect`` finds the right group, how
often it refuses (an error naming the problem), and how often it is wrong.

Run: .venv/bin/python bench/detection.py [--trials 20]
"""
from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

import numpy as np

from sbs_gap import InputError, detect

STRUCTURES = Path(__file__).resolve().parent.parent / "examples" / "structures"
MOLECULES = {"benzene": "D6h", "methane": "Td", "SF6": "Oh", "ferrocene": "D5h", "C60": "Ih"}
# (noise in angstrom, --tol): within the tolerance, at it, and beyond it
LEVELS = [(0.0, 0.01), (0.002, 0.01), (0.005, 0.01), (0.008, 0.01), (0.01, 0.01), (0.012, 0.01),
          (0.015, 0.01), (0.02, 0.01), (0.03, 0.1), (0.05, 0.1)]


def read_xyz(name: str):
    lines = (STRUCTURES / f"{name}.xyz").read_text().splitlines()[2:]
    species = [line.split()[0] for line in lines if line.strip()]
    pos = np.array([[float(x) for x in line.split()[1:4]] for line in lines if line.strip()])
    return species, pos


def random_rotation(rng) -> np.ndarray:
    q, r = np.linalg.qr(rng.normal(size=(3, 3)))
    q *= np.sign(np.diag(r))
    return q if np.linalg.det(q) > 0 else -q


def noisy(pos: np.ndarray, noise: float, rng) -> np.ndarray:
    direction = rng.normal(size=pos.shape)
    direction /= np.linalg.norm(direction, axis=1, keepdims=True)
    lengths = noise * rng.uniform(0, 1, size=(len(pos), 1))
    return pos @ random_rotation(rng).T + rng.normal(size=3) * 3 + direction * lengths


def trial(species, pos, expected: str, tol: float, folder: Path, k: int) -> str:
    path = folder / f"m{k}.xyz"
    path.write_text(f"{len(species)}\nnoisy\n" + "\n".join(
        f"{s} {x:.8f} {y:.8f} {z:.8f}" for s, (x, y, z) in zip(species, pos)) + "\n")
    try:
        return "right" if detect(path, tol=tol).group == expected else "wrong"
    except InputError:
        return "refused"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--trials", type=int, default=20)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    rng = np.random.default_rng(args.seed)
    print(f"{args.trials} random orientations per cell; right / refused / wrong")
    print(f"{'molecule':10s} " + " ".join(f"{f'{n:g}@{t:g}':>12s}" for n, t in LEVELS)
          + "   (noise A @ --tol A)")
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        for name, expected in MOLECULES.items():
            species, pos = read_xyz(name)
            cells, k = [], 0
            for noise, tol in LEVELS:
                counts = {"right": 0, "refused": 0, "wrong": 0}
                for _ in range(args.trials):
                    counts[trial(species, noisy(pos, noise, rng), expected, tol, folder, k)] += 1
                    k += 1
                cells.append(f"{counts['right']}/{counts['refused']}/{counts['wrong']}")
            print(f"{name:10s} " + " ".join(f"{c:>12s}" for c in cells), flush=True)
        species, pos = read_xyz("C60")
        times = []
        for _ in range(5):
            start = time.perf_counter()
            trial(species, noisy(pos, 0.005, rng), "Ih", 0.01, folder, 0)
            times.append(time.perf_counter() - start)
        print(f"C60 detection time, median of 5: {sorted(times)[2]:.2f} s")


if __name__ == "__main__":
    main()
