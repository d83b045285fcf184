"""Detection margin under Gaussian noise (issue #23, item 8).

Eight molecules x 10 random orientations, every Cartesian coordinate moved by
Gaussian noise of sigma = 0.5 x --tol angstrom (``--tol`` is a distance in
angstrom: atoms within it of a symmetric structure): all must be right, at a
reported tolerance (``tol_used``) between --tol and 2 --tol.  A refusal must
be true: it never asks for a tolerance it already ran at.
bench/detection_noise.py prints the same trials at more noise levels.
"""
import re

import numpy as np
import pytest

from sbs_gap import InputError, detect
from tests.conftest import EXAMPLES, random_rotation

STRUCTURES = EXAMPLES / "structures"
TOL = 0.01  # the default --tol
ADAPT_LIMIT = 2.0  # the documented bound of the adaptive tolerance (x --tol)


def _read_xyz(name):
    rows = [ln.split() for ln in (STRUCTURES / f"{name}.xyz").read_text().splitlines()[2:]
            if ln.strip()]
    return [r[0] for r in rows], np.array([[float(x) for x in r[1:4]] for r in rows])


MOLECULES = {
    "benzene": ("D6h", *_read_xyz("benzene")),
    "methane": ("Td", *_read_xyz("methane")),
    "ammonia": ("C3v", *_read_xyz("ammonia")),
    "water": ("C2v", *_read_xyz("water")),
    "ethane": ("D3d", *_read_xyz("ethane")),
    "SF6": ("Oh", *_read_xyz("SF6")),
    "ferrocene": ("D5h", *_read_xyz("ferrocene")),
    "C60": ("Ih", *_read_xyz("C60")),
}


def write_xyz(path, species, positions):
    path.write_text(f"{len(species)}\nnoisy\n" + "\n".join(
        f"{s} {x:.8f} {y:.8f} {z:.8f}" for s, (x, y, z) in zip(species, positions)) + "\n")


def gaussian(pos, sigma, rng):
    """Randomly rotated and moved, then N(0, sigma^2) on every coordinate."""
    return (pos @ random_rotation(rng).T + rng.normal(size=3) * 3
            + rng.normal(scale=sigma, size=pos.shape))


def test_the_built_molecules_have_their_groups(tmp_path):
    for name in ("ammonia", "water", "ethane"):
        group, species, pos = MOLECULES[name]
        write_xyz(tmp_path / "m.xyz", species, pos)
        result = detect(tmp_path / "m.xyz")
        assert (result.group, result.tol_used) == (group, TOL), name


def test_all_80_trials_right_at_half_the_tolerance(tmp_path):
    """Right 80/80 at sigma = 0.5 tol (before: 59/80 with this seed, 21
    refused: C60 0/10, SF6 6/10, benzene 7/10, ferrocene 8/10, ammonia and
    ethane 9/10)."""
    rng = np.random.default_rng(2023)
    wrong, adapted = [], []
    for name, (group, species, pos) in MOLECULES.items():
        for k in range(10):
            path = tmp_path / f"{name}{k}.xyz"
            write_xyz(path, species, gaussian(pos, 0.5 * TOL, rng))
            try:
                result = detect(path, tol=TOL)
            except InputError as exc:
                wrong.append((name, k, str(exc)))
                continue
            if result.group != group:
                wrong.append((name, k, result.group))
            adapted.append((path, group, result))
    assert not wrong, f"{len(wrong)} of 80 wrong or refused: {wrong}"
    for path, group, result in adapted:
        assert TOL <= result.tol_used <= ADAPT_LIMIT * TOL
    # the answer holds at the reported tolerance, with no adapting
    for path, group, result in [a for a in adapted if a[2].tol_used > TOL][:6]:
        again = detect(path, tol=result.tol_used, adaptive=False)
        assert (again.group, again.tol_used) == (group, result.tol_used)


def test_json_and_text_report_the_tolerance_used(tmp_path):
    import json

    from tests.conftest import sbs

    _, species, pos = MOLECULES["C60"]
    rng = np.random.default_rng(11)
    for _ in range(20):  # a trial that needs adapting
        write_xyz(tmp_path / "c60.xyz", species, gaussian(pos, 0.5 * TOL, rng))
        used = detect(tmp_path / "c60.xyz").tol_used
        if used > TOL:
            break
    assert used > TOL
    record = json.loads(sbs("detect", tmp_path / "c60.xyz", "--json").stdout)
    assert record["group"] == "Ih" and record["tol_used"] == used
    text = sbs("detect", tmp_path / "c60.xyz").stdout
    assert f"tol_used         {used:g} A (adapted from --tol 0.01)" in text
    fixed = sbs("detect", tmp_path / "c60.xyz", "--fixed-tol")
    assert fixed.returncode == 2 and "ambiguous at a tolerance of 0.01 A" in fixed.stderr


def _claims(message):
    at = float(re.search(r"at a tolerance of ([0-9.e-]+) A", message).group(1))
    accept = float(re.search(r"--tol ([0-9.e-]+) or more would accept", message).group(1))
    below = float(re.search(r"--tol below ([0-9.e-]+) would not", message).group(1))
    return at, accept, below


@pytest.mark.parametrize("adaptive", [False, True])
def test_a_refusal_never_asks_for_the_tolerance_it_ran_at(tmp_path, adaptive):
    """The issue's report: 'use --tol 0.01 or more' while running at 0.01.
    Refusals name a tolerance above the one they ran at (to accept the
    narrow misses) and one at or below it (to exclude them), as printed."""
    group, species, pos = MOLECULES["C60"]
    rng = np.random.default_rng(5)
    refusals = 0
    for k in range(12):
        path = tmp_path / f"{k}.xyz"
        write_xyz(path, species, gaussian(pos, (0.5 if not adaptive else 1.2) * TOL, rng))
        try:
            result = detect(path, tol=TOL, adaptive=adaptive)
        except InputError as exc:
            message = str(exc)
            assert "ambiguous" in message and "--tol" in message
            at, accept, below = _claims(message)
            assert accept > at and f"{accept:g}" != f"{at:g}"
            assert below <= at
            assert at == TOL if not adaptive else TOL <= at <= ADAPT_LIMIT * TOL
            refusals += 1
            continue
        assert result.group == group
    assert refusals >= 3


def test_a_real_distortion_is_not_adapted_away(tmp_path):
    """Methane with one C-H bond 0.1 A longer stays C3v: the adaptive search
    never goes past 2 --tol, and nothing narrowly misses."""
    _, species, pos = MOLECULES["methane"]
    stretched = pos.copy()
    stretched[1] *= 1 + 0.1 / np.linalg.norm(stretched[1])
    write_xyz(tmp_path / "m.xyz", species, stretched)
    result = detect(tmp_path / "m.xyz")
    assert (result.group, result.tol_used) == ("C3v", TOL)
