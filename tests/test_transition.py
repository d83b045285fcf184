"""Phase transitions from two structures: the domain-state files, strain,
supercells and the three ways a pair is refused (issue #23).

Every domain-state file is read back with the package's reader and its
group found by spglib, independently of how it was written."""
from __future__ import annotations

import json
from fractions import Fraction
from pathlib import Path

import numpy as np
import pytest
import spglib

from sbs_gap import cli
from sbs_gap.structures import Structure, read_structure, transition, write_cif

STRUCTURES = Path(__file__).resolve().parent.parent / "examples" / "structures"

pytestmark = pytest.mark.gap


# --- structures built here -------------------------------------------------------

def _hall(number: int) -> int:
    return next(h for h in range(1, 531) if spglib.get_spacegroup_type(h).number == number)


def _expand(lattice, hall: int, sites) -> Structure:
    """A crystal from its asymmetric unit and spglib's operations."""
    ops = spglib.get_symmetry_from_database(hall)
    species, frac = [], []
    for element, x in sites:
        for r, t in zip(ops["rotations"], ops["translations"]):
            y = (r @ np.array(x, dtype=float) + t) % 1.0
            if not any(s == element and np.allclose((y - f + 0.5) % 1 - 0.5, 0, atol=1e-6)
                       for s, f in zip(species, frac)):
                species.append(element)
                frac.append(y)
    lattice = np.array(lattice, dtype=float)
    return Structure(tuple(species), np.array(frac) @ lattice, lattice)


def nacl(a: float = 5.64) -> Structure:
    return _expand(np.eye(3) * a, _hall(225), [("Na", (0, 0, 0)), ("Cl", (0.5, 0.5, 0.5))])


def supercell(s: Structure, n: int) -> Structure:
    shifts = np.array(list(np.ndindex(n, n, n)), dtype=float)
    frac = ((s.fractional[None] + shifts[:, None]) / n).reshape(-1, 3)
    lattice = s.lattice * n
    return Structure(tuple(s.species) * len(shifts), frac @ lattice, lattice)


def strained(s: Structure, factors) -> Structure:
    """The same fractional coordinates in a cell stretched along its axes."""
    lattice = s.lattice * np.array(factors, dtype=float)[:, None]
    return Structure(s.species, s.fractional @ lattice, lattice)


def _state_numbers_and_distinct(paths, child_number):
    """Read every written file back: (spglib numbers, all pairwise distinct)."""
    states = [read_structure(p) for p in paths]
    numbers = []
    for s in states:
        names = sorted(set(s.species))
        cell = (s.lattice, s.fractional % 1.0, [names.index(x) for x in s.species])
        numbers.append(spglib.get_symmetry_dataset(cell, symprec=1e-3).number)
    keys = []
    for s in states:
        # the same cell for all: the sorted, rounded contents are the state
        assert np.allclose(s.lattice, states[0].lattice, atol=1e-5)
        frac = np.round(s.fractional % 1.0, 4) % 1.0
        keys.append(tuple(sorted(zip(s.species, map(tuple, frac)))))
    return numbers, len(set(keys)) == len(keys)


def _mirror_number(path) -> int:
    s = read_structure(path)
    names = sorted(set(s.species))
    cell = (s.lattice, (-s.fractional) % 1.0, [names.index(x) for x in s.species])
    return spglib.get_symmetry_dataset(cell, symprec=1e-3).number


def _run(capsys, *args):
    code = cli.main([str(a) for a in args])
    out, err = capsys.readouterr()
    return code, out, err


# --- domain states ---------------------------------------------------------------

@pytest.mark.parametrize("parent, child, number, index", [
    ("BaTiO3_cubic.cif", "BaTiO3_P4mm.cif", 99, 6),
    ("SrTiO3_cubic.cif", "SrTiO3_I4mcm.cif", 140, 6),
    ("quartz_beta.cif", "quartz_alpha.cif", 154, 2),
    ("BaTiO3_cubic.cif", "BaTiO3_Amm2.cif", 38, 12),
])
def test_domain_state_files_are_distinct_states_of_the_childs_group(
        gap, capsys, tmp_path, parent, child, number, index):
    code, out, err = _run(capsys, "transition", STRUCTURES / parent, STRUCTURES / child,
                          "--out", tmp_path / "d", "--json")
    assert code == 0, err
    record = json.loads(out)
    assert record["index"] == index and len(record["domain_states"]) == index
    numbers, distinct = _state_numbers_and_distinct(record["domain_states"], number)
    allowed = {number, _mirror_number(record["domain_states"][0])}
    assert set(numbers) <= allowed and number in numbers
    assert distinct


def test_improper_cosets_give_the_enantiomorph(gap, tmp_path):
    """beta -> alpha cristobalite (approximate models, Fd-3m -> P4_12_12,
    index 12): the cosets with improper rotations give P4_32_12 (96); the
    files say so when read back."""
    beta = _expand(np.eye(3) * 7.16, _hall(227), [("Si", (0, 0, 0)), ("O", (1 / 8,) * 3)])
    alpha = _expand(np.diag([4.97, 4.97, 6.93]), _hall(92),
                    [("Si", (0.30, 0.30, 0.0)), ("O", (0.24, 0.10, 0.18))])
    t = transition(beta, alpha, tol=1.0, session=gap)
    assert (t.parent_number, t.child_number, t.index) == (227, 92, 12)
    assert 0.6 < t.max_displacement < 0.7  # ideal O at 16c vs the bent Si-O-Si
    assert t.max_strain < 0.02 and -0.08 < t.volume_change < -0.05
    paths = []
    for i, s in enumerate(t.domain_states):
        paths.append(tmp_path / f"d{i}.cif")
        write_cif(paths[-1], s)
    numbers, distinct = _state_numbers_and_distinct(paths, 92)
    assert sorted(numbers) == [92] * 6 + [96] * 6 and distinct
    improper = [np.linalg.det(np.array(g, dtype=float)[:3, :3]) < 0
                for g in t.coset_representatives]
    assert sum(improper) == 6
    assert all((n == 96) == bad for n, bad in zip(numbers, improper))


def test_antiphase_states_differ_by_a_translation_only(gap):
    """Pm-3m -> I4/mcm (cell doubled): three orientations times two
    antiphase states; each state's antiphase partner is the state moved by
    a parent lattice translation, and is still a different state."""
    t = transition(STRUCTURES / "SrTiO3_cubic.cif", STRUCTURES / "SrTiO3_I4mcm.cif",
                   session=gap)
    assert t.domain_cell == "2a,2b,2c" and len(t.domain_states[0].species) == 40

    def key(frac):
        return sorted(map(tuple, np.round(frac % 1.0, 5) % 1.0))

    keys = [key(s.fractional) for s in t.domain_states]
    first = t.domain_states[0].fractional
    # the parent's translations a, b, c, ... in the common 2a,2b,2c cell
    shifts = [np.array(v) / 2 for v in np.ndindex(2, 2, 2) if any(v)]
    partners = {keys.index(key(first + v)) for v in shifts if key(first + v) in keys}
    assert len(partners - {0}) == 1  # one antiphase partner; K keeps the rest


# --- strain ------------------------------------------------------------------------

@pytest.mark.parametrize("factor, shape", [(1.03, 0.023), (1.06, 0.043)])
def test_strained_children_are_found(gap, factor, shape):
    """A P4mm child with c 3 % and 6 % (PbTiO3-like c/a) longer."""
    child = strained(read_structure(STRUCTURES / "BaTiO3_P4mm.cif"), (1, 1, factor))
    t = transition(STRUCTURES / "BaTiO3_cubic.cif", child, session=gap)
    assert (t.child_number, t.index) == (99, 6)
    assert t.max_strain == pytest.approx(shape, abs=1e-3)
    strain = np.array(t.spontaneous_strain)
    assert np.allclose(strain, strain.T) and np.linalg.det(np.eye(3) + strain) == \
        pytest.approx(1 + t.volume_change)


def test_strain_beyond_the_limit_names_the_smallest_strain(gap, capsys, tmp_path):
    child = strained(read_structure(STRUCTURES / "BaTiO3_P4mm.cif"), (1, 1, 1.15))
    path = tmp_path / "child.cif"
    write_cif(path, child)
    code, out, err = _run(capsys, "transition", STRUCTURES / "BaTiO3_cubic.cif", path,
                          "--out", tmp_path / "d")
    assert code == 2 and "beyond the strain limits" in err and "0.101" in err, err
    assert "--max-strain 0.1" in err and not (tmp_path / "d").exists()
    code, out, err = _run(capsys, "transition", STRUCTURES / "BaTiO3_cubic.cif", path,
                          "--max-strain", "0.11", "--json")
    assert code == 0, err
    assert json.loads(out)["max_strain"] == pytest.approx(0.101, abs=1e-3)


def test_volume_change_has_its_own_limit(gap, capsys, tmp_path):
    child = strained(read_structure(STRUCTURES / "BaTiO3_P4mm.cif"), (1.05, 1.05, 1.05))
    path = tmp_path / "child.cif"
    write_cif(path, child)
    code, out, err = _run(capsys, "transition", STRUCTURES / "BaTiO3_cubic.cif", path,
                          "--json")
    assert code == 0, err
    assert json.loads(out)["volume_change"] == pytest.approx(0.1576, abs=2e-3)
    code, out, err = _run(capsys, "transition", STRUCTURES / "BaTiO3_cubic.cif", path,
                          "--max-volume-change", "0.1")
    assert code == 2 and "volume change of +0.15" in err, err


def test_atoms_beyond_tol_name_the_displacement(gap, capsys):
    code, out, err = _run(capsys, "transition", STRUCTURES / "BaTiO3_cubic.cif",
                          STRUCTURES / "BaTiO3_P4mm.cif", "--tol", "0.05")
    assert code == 2 and "0.095 angstrom" in err and "--tol 0.05" in err, err


def test_sibling_phases_are_not_a_group_subgroup_pair(gap, capsys):
    for files in (("BaTiO3_P4mm.cif", "BaTiO3_Amm2.cif"), ("BaTiO3_Amm2.cif",
                                                           "BaTiO3_P4mm.cif")):
        code, out, err = _run(capsys, "transition", *(STRUCTURES / f for f in files))
        assert code == 2 and "not a group-subgroup pair" in err, err


@pytest.mark.parametrize("flag, value", [("--max-strain", "-0.1"), ("--max-strain", "1.5"),
                                         ("--max-volume-change", "2")])
def test_bad_strain_limits(capsys, flag, value):
    code, out, err = _run(capsys, "transition", STRUCTURES / "BaTiO3_cubic.cif",
                          STRUCTURES / "BaTiO3_P4mm.cif", flag, value)
    assert code == 2 and flag in err and len(err.strip().splitlines()) == 1


def test_help_states_the_default_limits():
    from sbs_gap.structures._transition import DEFAULT_MAX_STRAIN, DEFAULT_MAX_VOLUME_CHANGE

    text = " ".join(cli.build_parser()._subparsers._group_actions[0].choices["transition"]
                    .format_help().split())
    assert f"default {DEFAULT_MAX_STRAIN:g}:" in text
    assert f"default {DEFAULT_MAX_VOLUME_CHANGE:g}:" in text


# --- supercells ------------------------------------------------------------------------

def test_an_undistorted_supercell_is_the_parent_itself(gap):
    t = transition(nacl(), supercell(nacl(), 8), session=gap)
    assert (t.child_number, t.index, t.transformation) == (225, 1, "a,b,c; 0,0,0")
    assert len(t.domain_states) == 1 and t.max_displacement < 1e-6


@pytest.mark.parametrize("n, index", [(2, 192), (4, 1536)])
def test_a_large_supercell_is_refused_naming_its_index(capsys, tmp_path, n, index):
    big = supercell(nacl(), n)
    positions = big.positions.copy()
    positions[0] += (0, 0, 0.1)
    path = tmp_path / "child.cif"
    write_cif(path, Structure(big.species, positions, big.lattice))
    parent = tmp_path / "parent.cif"
    write_cif(parent, nacl())
    code, out, err = _run(capsys, "transition", parent, path)
    assert code == 2 and f"index about {index}" in err and "up to index 96" in err, err


# --- display -----------------------------------------------------------------------------

def test_transformations_are_small_exact_fractions(gap):
    for parent, child in (("BaTiO3_cubic.cif", "BaTiO3_P4mm.cif"),
                          ("quartz_beta.cif", "quartz_alpha.cif")):
        t = transition(STRUCTURES / parent, STRUCTURES / child, session=gap)
        origin = t.transformation.split(";")[1].split(",")
        assert all(Fraction(x).denominator <= 24 and abs(Fraction(x)) <= Fraction(1, 2)
                   for x in origin), t.transformation


def test_ase_atoms_in(gap):
    """What crystal ML users hold: ase.Atoms for both structures."""
    import ase.io

    t = transition(ase.io.read(STRUCTURES / "BaTiO3_cubic.cif"),
                   ase.io.read(STRUCTURES / "BaTiO3_P4mm.cif"), session=gap)
    assert (t.child_number, t.index, len(t.domain_states)) == (99, 6, 6)


def test_an_unwritable_output_folder_is_one_line(capsys):
    code, out, err = _run(capsys, "transition", STRUCTURES / "BaTiO3_cubic.cif",
                          STRUCTURES / "BaTiO3_P4mm.cif", "--out", "/proc/nope")
    assert code == 2 and "/proc/nope" in err and len(err.strip().splitlines()) == 1


def test_library_calls_raise_no_spglib_deprecation_warning():
    """spglib >= 2.7 warns on every call unless a process-wide flag is
    changed (pyproject.toml lets the tests' own spglib calls warn): sbs_gap's
    calls go through quiet_spglib, so detection and both transitions, the
    plain and the magnetic one, raise none."""
    import warnings

    from sbs_gap.structures import detect, detect_magnetic, magnetic_transition
    from tests.conftest import REPO
    examples = REPO / "examples" / "structures"
    with warnings.catch_warnings():
        warnings.filterwarnings("error", message="Set OLD_ERROR_HANDLING",
                                category=DeprecationWarning)
        detect(examples / "BaTiO3_P4mm.cif")
        transition(examples / "BaTiO3_cubic.cif", examples / "BaTiO3_P4mm.cif")
        detect_magnetic(examples / "MnF2_afm.mcif")
        magnetic_transition(examples / "MnF2_paramagnetic.cif", examples / "MnF2_afm.mcif")
