"""Structure files read with kept libraries (gemmi for CIF, ASE for XYZ and
POSCAR): every way a CIF states its symmetry is read or refused, partial
occupancy and stacked atoms are refused, and ase / pymatgen objects give the
Structure their file gives.  What was read is checked independently: the
space group with spglib, the atoms against ASE's and pymatgen's own readers."""
from __future__ import annotations

import itertools

import numpy as np
import pytest
import spglib

from sbs_gap import InputError, Structure, read_structure, to_structure
from sbs_gap.groups import quiet_spglib
from tests.conftest import EXAMPLES

STRUCTURES = EXAMPLES / "structures"
EXAMPLE_CIFS = sorted(STRUCTURES.glob("*.cif"))


def space_group(structure: Structure, symprec: float = 1e-3) -> int:
    kinds = {s: i for i, s in enumerate(sorted(set(structure.species)))}
    cell = (structure.lattice, structure.fractional, [kinds[s] for s in structure.species])
    with quiet_spglib():
        return spglib.get_symmetry_dataset(cell, symprec=symprec).number


def same_atoms(a: Structure, b: Structure, atol: float = 1e-6) -> bool:
    """The same species at the same fractional positions modulo the lattice
    (so also for lattices that differ by a rotation), and the same metric."""
    if sorted(a.species) != sorted(b.species):
        return False
    if not np.allclose(a.lattice @ a.lattice.T, b.lattice @ b.lattice.T, atol=atol):
        return False
    left = list(zip(b.species, b.fractional))
    for species, x in zip(a.species, a.fractional):
        d = np.array([f for s, f in left if s == species]) - x
        d -= np.round(d)
        dist = np.linalg.norm(d @ a.lattice, axis=1)
        k = int(np.argmin(dist))
        if dist[k] > atol:
            return False
        matches = [i for i, (s, _) in enumerate(left) if s == species]
        left.pop(matches[k])
    return not left


def cif(body: str, cell=(5.64, 5.64, 5.64, 90, 90, 90), name="x") -> str:
    a, b, c, alpha, beta, gamma = cell
    return (f"data_{name}\n_cell_length_a {a}\n_cell_length_b {b}\n_cell_length_c {c}\n"
            f"_cell_angle_alpha {alpha}\n_cell_angle_beta {beta}\n_cell_angle_gamma {gamma}\n"
            + body)


def sites(*rows: str, occupancy: bool = False) -> str:
    header = "loop_\n_atom_site_label\n_atom_site_type_symbol\n" \
             "_atom_site_fract_x\n_atom_site_fract_y\n_atom_site_fract_z\n"
    if occupancy:
        header += "_atom_site_occupancy\n"
    return header + "".join(r + "\n" for r in rows)


NACL_SITES = sites("Na1 Na 0 0 0", "Cl1 Cl 0.5 0.5 0.5")


def fm3m_operations() -> list[str]:
    """The 192 operations of Fm-3m: signed permutations of x, y, z, times the
    four F-centring translations (written out here, not taken from gemmi)."""
    ops = []
    for t in ("", "0,1/2,1/2", "1/2,0,1/2", "1/2,1/2,0"):
        shift = t.split(",") if t else ["0", "0", "0"]
        for perm in itertools.permutations("xyz"):
            for signs in itertools.product("+-", repeat=3):
                ops.append(",".join(f"{s}{v}" + (f"+{u}" if u != "0" else "")
                                    for s, v, u in zip(signs, perm, shift)))
    return ops


def read(tmp_path, text: str, name: str = "c.cif", **kw) -> Structure:
    path = tmp_path / name
    path.write_text(text)
    return read_structure(path, **kw)


# ----------------------------------------------------------------------------
# Every way a CIF states its symmetry
# ----------------------------------------------------------------------------

def check_nacl(structure: Structure):
    assert len(structure.species) == 8 and sorted(set(structure.species)) == ["Cl", "Na"]
    assert space_group(structure) == 225
    assert np.allclose(structure.lattice, 5.64 * np.eye(3))


def test_nacl_from_its_hermann_mauguin_symbol_only(tmp_path):
    check_nacl(read(tmp_path, cif("_symmetry_space_group_name_H-M 'F m -3 m'\n" + NACL_SITES)))
    check_nacl(read(tmp_path, cif("_space_group_name_H-M_alt 'Fm-3m'\n" + NACL_SITES)))


def test_nacl_from_a_cif2_dotted_operation_loop(tmp_path):
    loop = "loop_\n_space_group_symop.id\n_space_group_symop.operation_xyz\n" + "".join(
        f"{i} '{op}'\n" for i, op in enumerate(fm3m_operations(), start=1))
    check_nacl(read(tmp_path, cif(loop + NACL_SITES)))


def test_nacl_from_its_hall_symbol_only(tmp_path):
    check_nacl(read(tmp_path, cif("_space_group_name_Hall '-F 4 2 3'\n" + NACL_SITES)))


def test_nacl_from_its_it_number_only(tmp_path):
    check_nacl(read(tmp_path, cif("_space_group_IT_number 225\n" + NACL_SITES)))


def test_non_standard_setting_by_name(tmp_path):
    """P 1 21/n 1: the n glide (x+1/2, -y+1/2, z+1/2), not P21/c's c glide."""
    text = cif("_symmetry_space_group_name_H-M 'P 1 21/n 1'\n" + sites("C1 C 0.1 0.2 0.3"),
               cell=(5.0, 6.0, 7.0, 90, 100, 90))
    s = read(tmp_path, text)
    expected = [[0.1, 0.2, 0.3], [0.4, 0.7, 0.2], [0.9, 0.8, 0.7], [0.6, 0.3, 0.8]]
    assert sorted(map(tuple, np.round(s.fractional % 1, 9))) == sorted(map(tuple, expected))
    assert space_group(s) == 14


HCP_OPERATIONS = [
    "x,y,z", "-y,x-y,z", "-x+y,-x,z", "-x,-y,z+1/2", "y,-x+y,z+1/2", "x-y,x,z+1/2",
    "y,x,-z", "x-y,-y,-z", "-x,-x+y,-z", "-y,-x,-z+1/2", "-x+y,y,-z+1/2", "x,x-y,-z+1/2",
    "-x,-y,-z", "y,-x+y,-z", "x-y,x,-z", "x,y,-z+1/2", "-y,x-y,-z+1/2", "-x+y,-x,-z+1/2",
    "-y,-x,z", "-x+y,y,z", "x,x-y,z", "y,x,z+1/2", "x-y,-y,z+1/2", "-x,-x+y,z+1/2",
]


def test_operation_loop_in_cif1_tags_with_rounded_special_positions(tmp_path):
    """hcp Mg, P63/mmc written out in _symmetry_equiv_pos_as_xyz; the site
    (1/3, 2/3, 1/4) rounded to three digits is still one atom per image."""
    loop = "loop_\n_symmetry_equiv_pos_as_xyz\n" + "".join(f"'{op}'\n" for op in HCP_OPERATIONS)
    text = cif(loop + sites("Mg1 Mg 0.333 0.667 0.25"), cell=(3.21, 3.21, 5.21, 90, 90, 120))
    s = read(tmp_path, text)
    assert s.species == ("Mg", "Mg")
    assert space_group(s, symprec=1e-2) == 194


def test_origin_choices_are_read_when_stated_and_refused_when_not(tmp_path):
    cell = (5.43, 5.43, 5.43, 90, 90, 90)
    with pytest.raises(InputError, match="two origin choices.*F d -3 m:1.*F d -3 m:2"):
        read(tmp_path, cif("_symmetry_space_group_name_H-M 'F d -3 m'\n"
                           + sites("Si1 Si 0 0 0"), cell))
    with pytest.raises(InputError, match="227 has two origin choices"):
        read(tmp_path, cif("_space_group_IT_number 227\n" + sites("Si1 Si 0 0 0"), cell))
    # origin choice 1 puts Si at 0, choice 2 (ICSD's suffix Z) at 1/8
    one = read(tmp_path, cif("_symmetry_space_group_name_H-M 'F d -3 m:1'\n"
                             + sites("Si1 Si 0 0 0"), cell))
    two = read(tmp_path, cif("_symmetry_space_group_name_H-M 'F d -3 m Z'\n"
                             + sites("Si1 Si 0.125 0.125 0.125"), cell))
    for s in (one, two):
        assert len(s.species) == 8 and space_group(s) == 227


def test_rhombohedral_number_on_hexagonal_axes(tmp_path):
    text = cif("_space_group_IT_number 166\n" + sites("Bi1 Bi 0 0 0.4"),
               cell=(4.5, 4.5, 11.8, 90, 90, 120))
    s = read(tmp_path, text)
    assert len(s.species) == 6 and space_group(s) == 166


@pytest.mark.parametrize("symmetry,fragment", [
    # a P1 loop under an Fm-3m name: the name is not what the loop says
    ("_symmetry_space_group_name_H-M 'F m -3 m'\nloop_\n_symmetry_equiv_pos_as_xyz\n'x,y,z'\n",
     "_symmetry_equiv_pos_as_xyz and _symmetry_space_group_name_H-M 'F m -3 m' describe"),
    ("_space_group_name_Hall '-F 4 2 3'\n_space_group_name_H-M_alt 'P m -3 m'\n",
     "Hall symbol '-F 4 2 3' and _space_group_name_H-M_alt 'P m -3 m' describe"),
    ("_space_group_name_H-M_alt 'F m -3 m'\n_space_group_IT_number 221\n",
     "space group 225 from the H-M symbol 'F m -3 m', but _space_group_IT_number says 221"),
    ("_space_group_name_H-M_alt 'F q -3 m'\n", "unknown Hermann-Mauguin symbol 'F q -3 m'"),
    ("_space_group_name_Hall 'Q 4'\n", "cannot read the Hall symbol 'Q 4'"),
    ("loop_\n_space_group_symop_operation_xyz\n'x,y,z'\n'-y,x,z'\n",
     "2 symmetry operations do not form a group"),
    # an integer matrix, but no crystallographic operation
    ("loop_\n_space_group_symop_operation_xyz\n'x,y,z'\n'x+y+z,y,z'\n",
     "2 symmetry operations do not form a group"),
])
def test_contradictory_or_unreadable_symmetry_is_refused(tmp_path, symmetry, fragment):
    with pytest.raises(InputError, match="c.cif: .*" + fragment.replace("(", r"\(")):
        read(tmp_path, cif(symmetry + NACL_SITES))


def test_a_cell_without_the_symmetry_of_the_group_is_refused(tmp_path):
    with pytest.raises(InputError, match=r"cell \(5.64, 5.64, 6, 90, 90, 90\) does not have "
                                         "the symmetry of the H-M symbol 'F m -3 m'"):
        read(tmp_path, cif("_space_group_name_H-M_alt 'F m -3 m'\n" + NACL_SITES,
                           cell=(5.64, 5.64, 6.0, 90, 90, 90)))


# ----------------------------------------------------------------------------
# Occupancy: never stack atoms
# ----------------------------------------------------------------------------

def test_partial_occupancy_is_refused_naming_the_sites(tmp_path):
    text = cif("_space_group_name_H-M_alt 'P m -3 m'\n" + sites(
        "Ba1 Ba 0 0 0 0.5", "Sr1 Sr 0 0 0 0.5", "Ti1 Ti 0.5 0.5 0.5 1",
        "O1 O 0.5 0.5 0 1.0", occupancy=True), cell=(3.95, 3.95, 3.95, 90, 90, 90))
    with pytest.raises(InputError, match="c.cif: partial occupancy is not supported: "
                                         "Ba1 0.5, Sr1 0.5 "):
        read(tmp_path, text)


def test_two_species_on_one_site_are_refused(tmp_path):
    text = cif("_space_group_name_H-M_alt 'P m -3 m'\n" + sites(
        "Ba1 Ba 0 0 0", "Sr1 Sr 0 0 0", "Ti1 Ti 0.5 0.5 0.5", "O1 O 0.5 0.5 0"),
        cell=(3.95, 3.95, 3.95, 90, 90, 90))
    with pytest.raises(InputError, match=r"sites Ba1 \(Ba\) and Sr1 \(Sr\) are on one position"):
        read(tmp_path, text)


# ----------------------------------------------------------------------------
# Size limit, data blocks, extended XYZ
# ----------------------------------------------------------------------------

def test_the_atom_limit_says_what_it_is(tmp_path):
    lines = ["big", "1.0", "40 0 0", "0 40 0", "0 0 40", "C", "8000", "Direct"]
    rng = np.random.default_rng(0)
    lines += [" ".join(f"{v:.6f}" for v in row) for row in rng.random((8000, 3))]
    with pytest.raises(InputError, match="^POSCAR: 8000 atoms; at most 5000 are supported$"):
        read(tmp_path, "\n".join(lines) + "\n", name="POSCAR")
    xyz = "8000\nbig\n" + "".join(f"C {i} 0 0\n" for i in range(8000))
    with pytest.raises(InputError, match="^m.xyz: 8000 atoms; at most 5000 are supported$"):
        read(tmp_path, xyz, name="m.xyz")


def test_a_cif_with_several_blocks_reads_the_chosen_one(tmp_path):
    nacl = cif("_space_group_name_H-M_alt 'F m -3 m'\n" + NACL_SITES, name="NaCl")
    cscl = cif("_space_group_name_H-M_alt 'P m -3 m'\n" + sites(
        "Cs1 Cs 0 0 0", "Cl1 Cl 0.5 0.5 0.5"), cell=(4.12, 4.12, 4.12, 90, 90, 90), name="CsCl")
    path = tmp_path / "two.cif"
    path.write_text(nacl + cscl)
    with pytest.raises(InputError, match=r"two.cif has 2 data blocks \(data_NaCl, data_CsCl\)"):
        read_structure(path)
    check_nacl(read_structure(path, block="NaCl"))
    s = to_structure(path, block="CsCl")
    assert s.species == ("Cs", "Cl") and space_group(s) == 221


def test_extended_xyz_with_a_lattice_is_a_crystal(tmp_path):
    text = ('2\nLattice="4.12 0 0 0 4.12 0 0 0 4.12" Properties=species:S:1:pos:R:3\n'
            "Cs 0 0 0\nCl 2.06 2.06 2.06\n")
    s = read(tmp_path, text, name="cscl.xyz")
    assert s.periodic and np.allclose(s.lattice, 4.12 * np.eye(3))
    assert space_group(s) == 221


# ----------------------------------------------------------------------------
# to_structure: ase.Atoms and pymatgen objects give what their file gives
# ----------------------------------------------------------------------------

@pytest.mark.parametrize("path", EXAMPLE_CIFS, ids=lambda p: p.name)
def test_ase_atoms_give_the_structure_of_the_file(path):
    """ASE's own CIF reader, independent of ours: same lattice, same atoms."""
    import ase.io

    ours = read_structure(path)
    theirs = to_structure(ase.io.read(path))
    assert theirs.periodic and np.allclose(theirs.lattice, ours.lattice, atol=1e-9)
    assert same_atoms(ours, theirs)


@pytest.mark.filterwarnings("ignore:Issues encountered while parsing CIF")
@pytest.mark.parametrize("path", EXAMPLE_CIFS, ids=lambda p: p.name)
def test_pymatgen_structures_give_the_structure_of_the_file(path):
    """pymatgen's CIF reader (its own lattice orientation): same metric, same
    fractional atoms; built in our frame, the very same arrays."""
    core = pytest.importorskip("pymatgen.core")
    ours = read_structure(path)
    assert same_atoms(ours, to_structure(core.Structure.from_file(path)))
    built = core.Structure(core.Lattice(ours.lattice), list(ours.species), ours.positions,
                           coords_are_cartesian=True)
    again = to_structure(built)
    assert again.species == ours.species
    assert np.allclose(again.positions, ours.positions, atol=1e-9)
    assert np.allclose(again.lattice, ours.lattice, atol=1e-12)


def test_molecules_from_ase_and_pymatgen():
    import ase.io

    path = STRUCTURES / "methane.xyz"
    ours = read_structure(path)
    from_ase = to_structure(ase.io.read(path))
    assert not from_ase.periodic and from_ase.species == ours.species
    assert np.allclose(from_ase.positions, ours.positions)
    core = pytest.importorskip("pymatgen.core")
    from_pymatgen = to_structure(core.Molecule.from_file(path))
    assert not from_pymatgen.periodic and from_pymatgen.species == ours.species
    assert np.allclose(from_pymatgen.positions, ours.positions)


def test_to_structure_refuses_what_it_cannot_represent(tmp_path):
    import ase

    ours = read_structure(STRUCTURES / "BaTiO3_cubic.cif")
    assert to_structure(ours) is ours
    slab = ase.Atoms(list(ours.species), positions=ours.positions, cell=ours.lattice,
                     pbc=[True, True, False])
    with pytest.raises(InputError, match="ase.Atoms: periodic along some axes only"):
        to_structure(slab)
    stacked = ase.Atoms(["Ba", "Sr"], positions=[[0, 0, 0], [0, 0, 0]], cell=4 * np.eye(3),
                        pbc=True)
    with pytest.raises(InputError, match=r"atoms 1 \(Ba\) and 2 \(Sr\) are on one position"):
        to_structure(stacked)
    with pytest.raises(InputError, match="not ndarray"):
        to_structure(ours.positions)
    with pytest.raises(InputError, match="needs a path"):
        to_structure(ours, block="x")


def test_disordered_pymatgen_structures_are_refused():
    core = pytest.importorskip("pymatgen.core")
    mixed = core.Structure(core.Lattice.cubic(3.95), [{"Ba": 0.5, "Sr": 0.5}, "Ti"],
                           [[0, 0, 0], [0.5, 0.5, 0.5]])
    with pytest.raises(InputError, match="pymatgen Structure: partial occupancy is not "
                                         "supported: site 1 Ba:0.5, Sr:0.5"):
        to_structure(mixed)
