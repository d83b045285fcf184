"""Symmetry detection from molecules and crystals (no GAP needed for the group;
--objects uses GAP)."""
import json

import numpy as np
import pytest

from sbs_gap import InputError, crystallographic_point_groups
from sbs_gap.structures import detect, same_group
from tests.conftest import EXAMPLES, random_rotation, sbs

STRUCTURES = EXAMPLES / "structures"


def write_xyz(path, species, positions):
    lines = [str(len(species)), "test"] + [f"{s} {x:.8f} {y:.8f} {z:.8f}"
                                           for s, (x, y, z) in zip(species, positions)]
    path.write_text("\n".join(lines) + "\n")


def check_orientation(result, name, q):
    """R S_std R^T is the detected group, and equals the group we built."""
    from sbs_gap import point_group
    std = point_group(name).numpy_elements
    r = result.rotation
    assert np.allclose(r @ r.T, np.eye(3), atol=1e-8)
    assert same_group(np.einsum("ij,njk,lk->nil", r, std, r), result.operations, tol=1e-2)
    assert same_group(np.einsum("ij,njk,lk->nil", q, std, q), result.operations, tol=1e-2)


def test_rotated_translated_noisy_methane(tmp_path):
    rng = np.random.default_rng(3)
    lines = (STRUCTURES / "methane.xyz").read_text().splitlines()[2:]
    species = [ln.split()[0] for ln in lines]
    pos = np.array([[float(x) for x in ln.split()[1:]] for ln in lines])
    q = random_rotation(rng)
    moved = pos @ q.T + np.array([1.0, -2.0, 0.5]) + rng.normal(scale=1e-3, size=pos.shape)
    write_xyz(tmp_path / "m.xyz", species, moved)
    result = detect(tmp_path / "m.xyz")
    assert result.group == "Td" and result.hermann_mauguin == "-43m"
    check_orientation(result, "Td", q)


def test_benzene():
    result = detect(STRUCTURES / "benzene.xyz")
    assert result.group == "D6h"
    check_orientation(result, "D6h", np.eye(3))


@pytest.mark.parametrize("group", crystallographic_point_groups(), ids=lambda g: g.schoenflies)
def test_generic_orbit_of_every_crystallographic_group(tmp_path, group):
    rng = np.random.default_rng(abs(hash(group.schoenflies)) % 2**32)
    elements = group.numpy_elements
    motif = np.array([[1.3, 0.4, 0.7], [1.9, 0.9, 0.2], [0.8, 1.6, 1.1], [2.2, -0.3, 1.4]])
    kinds = ["C", "N", "O", "F"]
    species = [k for _ in elements for k in kinds]
    pos = np.concatenate([motif @ g.T for g in elements])
    q = random_rotation(rng)
    moved = pos @ q.T + rng.normal(size=3) + rng.normal(scale=2e-4, size=pos.shape)
    write_xyz(tmp_path / "orbit.xyz", species, moved)
    result = detect(tmp_path / "orbit.xyz")
    assert result.group == group.schoenflies
    check_orientation(result, group.schoenflies, q)


def test_cubic_batio3_ti_site_is_oh():
    for name in ("BaTiO3_cubic.vasp", "BaTiO3_cubic.cif"):
        result = detect(STRUCTURES / name, site=2)
        assert result.group == "Oh", name
    assert detect(STRUCTURES / "BaTiO3_cubic.vasp").group == "Oh"  # the crystal class
    assert detect(STRUCTURES / "BaTiO3_cubic.vasp", site=3).group == "D4h"  # an O site


def test_rotated_crystal(tmp_path):
    q = random_rotation(np.random.default_rng(7))
    text = (STRUCTURES / "BaTiO3_cubic.vasp").read_text().splitlines()
    lattice = (4.0 * np.eye(3)) @ q.T  # rows: rotated basis vectors
    for i in range(3):
        text[2 + i] = " ".join(f"{x:.10f}" for x in lattice[i])
    (tmp_path / "POSCAR").write_text("\n".join(text) + "\n")
    result = detect(tmp_path / "POSCAR", site=2)
    assert result.group == "Oh"
    check_orientation(result, "Oh", q)


def test_cif_with_symmetry_operations(tmp_path):
    # Ti at the origin of a cell whose listed operations generate the rest.
    cif = """data_x
_cell_length_a 4.0
_cell_length_b 4.0
_cell_length_c 4.0
_cell_angle_alpha 90
_cell_angle_beta 90
_cell_angle_gamma 90
loop_
_space_group_symop_operation_xyz
'x,y,z'
'z,x,y'
'y,z,x'
loop_
_atom_site_label
_atom_site_fract_x
_atom_site_fract_y
_atom_site_fract_z
Ti1 0.0 0.0 0.0
Ba1 0.5 0.5 0.5
O1 0.5 0.0 0.0
"""
    (tmp_path / "c.cif").write_text(cif)
    assert detect(tmp_path / "c.cif", site=1).group == "Oh"


@pytest.mark.parametrize("text,fragment", [
    ("2\nx\nC 0 0 0\n", "2 atoms announced"),
    ("1\nx\nC 0 0 0\n", "symmetry O"),
    ("2\nx\nC 0 0 0\nC 0 0 1.2\n", "linear"),
    ("1\nx\nXx1 0 0 zero\n", "not a number"),
])
def test_bad_molecules(tmp_path, text, fragment):
    (tmp_path / "bad.xyz").write_text(text)
    with pytest.raises(InputError, match=fragment):
        detect(tmp_path / "bad.xyz")


def test_unknown_format(tmp_path):
    (tmp_path / "a.pdb").write_text("x")
    out = sbs("detect", tmp_path / "a.pdb")
    assert out.returncode == 2 and "unknown format" in out.stderr


@pytest.mark.gap
def test_cli_objects_in_the_input_frame(tmp_path):
    q = random_rotation(np.random.default_rng(11))
    text = (STRUCTURES / "BaTiO3_cubic.vasp").read_text().splitlines()
    lattice = (4.0 * np.eye(3)) @ q.T
    for i in range(3):
        text[2 + i] = " ".join(f"{x:.10f}" for x in lattice[i])
    (tmp_path / "POSCAR").write_text("\n".join(text) + "\n")
    out = sbs("detect", tmp_path / "POSCAR", "--site", "2", "--objects", "--to", "C4v",
                  "--irreps", "1o", "--json")
    assert out.returncode == 0, out.stderr
    record = json.loads(out.stdout)
    assert record["group"] == "Oh" and list(record)[:3] == ["group", "hermann_mauguin",
                                                             "rotation"]
    objects = np.array(record["objects"]["objects"])
    # the six objects point along the rotated cubic axes: +-q e_i
    expected = np.vstack([q.T, -q.T])
    for v in objects:
        assert min(np.linalg.norm(v - e) for e in expected) < 1e-6


def test_poscar_cartesian_with_a_volume_scales_positions_too(tmp_path):
    """A negative scale is the cell volume: lattice and Cartesian positions scale alike."""
    from sbs_gap import read_structure
    half = 1.0  # written in units of 2 angstrom, scaled to a = 4 by volume 64
    text = "\n".join([
        "BaTiO3, Cartesian, scale by volume", "-64.0",
        "2.0 0.0 0.0", "0.0 2.0 0.0", "0.0 0.0 2.0", "Ba Ti O", "1 1 3", "Cartesian",
        "0 0 0", f"{half} {half} {half}", f"{half} {half} 0", f"{half} 0 {half}",
        f"0 {half} {half}"]) + "\n"
    path = tmp_path / "POSCAR"
    path.write_text(text)
    structure = read_structure(path)
    assert np.allclose(structure.lattice, 4 * np.eye(3))
    assert np.allclose(structure.positions[1], [2, 2, 2])
    assert detect(path, site=2).group == "Oh"


# a cubic perovskite written in P1, so that moving one atom lowers the symmetry
P1_PEROVSKITE_CIF = """data_BaTiO3
_cell_length_a 4.006
_cell_length_b 4.006
_cell_length_c 4.006
_cell_angle_alpha 90
_cell_angle_beta 90
_cell_angle_gamma 90
_symmetry_space_group_name_H-M 'P 1'
loop_
_symmetry_equiv_pos_as_xyz
'x, y, z'
loop_
_atom_site_label
_atom_site_type_symbol
_atom_site_fract_x
_atom_site_fract_y
_atom_site_fract_z
Ba1 Ba 0.0 0.0 0.0
Ti1 Ti 0.5 0.5 0.5
O1 O 0.5 0.5 0.0
O2 O 0.5 0.0 0.5
O3 O 0.0 0.5 0.5
"""


def test_cif_with_several_data_blocks_is_refused_unless_one_is_chosen(tmp_path):
    one = P1_PEROVSKITE_CIF
    other = one.replace("data_BaTiO3", "data_shifted").replace("Ti1 Ti 0.5 0.5 0.5",
                                                               "Ti1 Ti 0.5 0.5 0.6")
    path = tmp_path / "two.cif"
    path.write_text(one + "\n" + other)
    with pytest.raises(InputError, match="2 data blocks.*data_BaTiO3, data_shifted"):
        detect(path, site=2)
    assert detect(path, site=2, block="BaTiO3").group == "Oh"
    assert detect(path, site=2, block="shifted").group == "C4v"
    with pytest.raises(InputError, match="no data block named 'x'"):
        detect(path, block="x")
    out = sbs("detect", path, "--site", "2", "--block", "shifted", "--json")
    assert out.returncode == 0 and json.loads(out.stdout)["group"] == "C4v"
    out = sbs("detect", path)
    assert out.returncode == 2 and "--block" in out.stderr


# ----------------------------------------------------------------------------
# Noisy molecules (issue #16): right up to the tolerance, refused beyond it
# ----------------------------------------------------------------------------

MOLECULES = {"benzene": "D6h", "methane": "Td", "SF6": "Oh", "ferrocene": "D5h", "C60": "Ih"}


def _molecule(name):
    lines = (STRUCTURES / f"{name}.xyz").read_text().splitlines()[2:]
    species = [ln.split()[0] for ln in lines if ln.strip()]
    return species, np.array([[float(x) for x in ln.split()[1:4]] for ln in lines if ln.strip()])


def _noisy(pos, noise, rng):
    """Rotated, translated, every atom moved by up to ``noise`` angstrom."""
    direction = rng.normal(size=pos.shape)
    direction /= np.linalg.norm(direction, axis=1, keepdims=True)
    return (pos @ random_rotation(rng).T + rng.normal(size=3)
            + direction * noise * rng.uniform(0, 1, size=(len(pos), 1)))


@pytest.mark.parametrize("name", list(MOLECULES))
def test_noisy_molecules_up_to_the_tolerance(tmp_path, name):
    species, pos = _molecule(name)
    rng = np.random.default_rng(len(name))
    for k, noise in enumerate([0.002, 0.005, 0.008, 0.01, 0.01, 0.01]):
        path = tmp_path / f"{k}.xyz"
        write_xyz(path, species, _noisy(pos, noise, rng))
        assert detect(path, tol=0.01).group == MOLECULES[name], (name, noise)


@pytest.mark.parametrize("name", ["benzene", "ferrocene", "C60"])
def test_beyond_the_tolerance_detection_refuses_rather_than_guesses(tmp_path, name):
    species, pos = _molecule(name)
    rng = np.random.default_rng(7)
    outcomes = set()
    for k in range(6):
        path = tmp_path / f"{k}.xyz"
        write_xyz(path, species, _noisy(pos, 0.02, rng))
        try:
            outcomes.add(detect(path, tol=0.01).group)
        except InputError as exc:
            assert "ambiguous" in str(exc) and "--tol" in str(exc)
            outcomes.add("refused")
    assert outcomes <= {MOLECULES[name], "refused"}


def test_the_reported_cases_of_issue_16(tmp_path):
    species, pos = _molecule("benzene")
    for tol in (0.05, 0.2):  # unrotated benzene at large tolerances
        assert detect(STRUCTURES / "benzene.xyz", tol=tol).group == "D6h"
    species, pos = _molecule("methane")
    rng = np.random.default_rng(3)
    for k in range(5):  # methane with 0.03 A noise at --tol 0.1: not "linear"
        path = tmp_path / f"m{k}.xyz"
        write_xyz(path, species, _noisy(pos, 0.03, rng))
        assert detect(path, tol=0.1).group == "Td"
    # a genuinely lower symmetry stays lower: methane with one C-H bond 0.1 A longer
    stretched = pos.copy()
    stretched[1] *= 1 + 0.1 / np.linalg.norm(stretched[1])
    path = tmp_path / "stretched.xyz"
    write_xyz(path, species, stretched)
    assert detect(path, tol=0.01).group == "C3v"
