"""Magnetic structures (issue #26, part 2): mCIF files read with gemmi's CIF
parser and expanded with their magnetic operations, the magnetic space group
found by spglib, and ``sbs transition`` from a paramagnetic parent to a
magnetic child: S' -> M, the breaking row, the SBS and the |S' : M| magnetic
domain states written as mCIF files.

Every domain-state file is read back (the package's mCIF reader) and its
magnetic group found by spglib here, from the positions and moments read."""
from __future__ import annotations

import json

import numpy as np
import pytest
import spglib

from sbs_gap.breaking import magnetic_space_partial
from sbs_gap.errors import InputError
from sbs_gap.groups import quiet_spglib
from sbs_gap.structures import (
    MagneticCrystal, Structure, detect_magnetic, example_structures, magnetic_transition,
    read_magnetic_structure, read_mcif, write_mcif,
)
from tests.conftest import EXAMPLES, sbs

STRUCTURES = EXAMPLES / "structures"
MNF2_PARA = STRUCTURES / "MnF2_paramagnetic.cif"
MNF2_AFM = STRUCTURES / "MnF2_afm.mcif"
KNIF3_PARA = STRUCTURES / "KNiF3_paramagnetic.cif"
KNIF3_AFM = STRUCTURES / "KNiF3_afm.mcif"


def uni_of(crystal: MagneticCrystal, symprec: float = 1e-3) -> int:
    """spglib's UNI number, straight from the positions and moments read."""
    s = crystal.structure
    kinds = {e: i for i, e in enumerate(sorted(set(s.species)))}
    cell = (s.lattice, s.fractional % 1.0, [kinds[e] for e in s.species], crystal.moments)
    with quiet_spglib():
        return int(spglib.get_magnetic_symmetry_dataset(cell, symprec=symprec,
                                                         mag_symprec=0.05).uni_number)


def moment_set(crystal: MagneticCrystal) -> set:
    """(species, position mod 1, moment), rounded: a state up to nothing."""
    s = crystal.structure
    return {(e, *np.round(f % 1.0, 4) % 1.0, *np.round(m, 3) + 0.0)
            for e, f, m in zip(s.species, s.fractional, crystal.moments)}


def mnf2_text(mn1=(0.0, 0.0, 4.6), ops_drop: int | None = None, bns="136.499",
              extra_sites="", extra_moments="", moments=True) -> str:
    """MnF2_afm.mcif with edits."""
    text = MNF2_AFM.read_text()
    if ops_drop is not None:
        lines = text.splitlines()
        k = next(i for i, line in enumerate(lines) if line.startswith(f"{ops_drop} "))
        text = "\n".join(lines[:k] + lines[k + 1:]) + "\n"
    text = text.replace("_space_group_magn.number_BNS 136.499",
                        f"_space_group_magn.number_BNS {bns}")
    text = text.replace("Mn1 0.0 0.0 4.6 0,0,mz", f"Mn1 {mn1[0]} {mn1[1]} {mn1[2]} ?"
                        + extra_moments)
    text = text.replace("F1 F 0.30500 0.30500 0.00000 1",
                        "F1 F 0.30500 0.30500 0.00000 1" + extra_sites)
    if not moments:
        text = text[:text.index("loop_\n_atom_site_moment.label")]
    return text


# --- reading ------------------------------------------------------------------------

def test_mnf2_is_read_and_expanded_with_its_magnetic_operations():
    c = read_magnetic_structure(MNF2_AFM)
    s = c.structure
    assert sorted(s.species) == ["F"] * 4 + ["Mn"] * 2
    assert len(c.operations) == 16 and c.stated_bns_number == "136.499"
    assert c.stated_bns_symbol == "P4_2'/mnm'"
    for e, f, m in zip(s.species, s.fractional, c.moments):
        if e == "F":
            assert np.allclose(m, 0)
        elif np.allclose(f, 0):
            assert np.allclose(m, [0, 0, 4.6])
        else:
            assert np.allclose(f, 0.5) and np.allclose(m, [0, 0, -4.6])
    assert "MnF2_afm.mcif" in example_structures()


def test_older_mcif_tags_are_read():
    """The tag forms of older MAGNDATA files (2016): dotted categories of
    ``_space_group_symop.magn_*``, ``_space_group.magn_number_BNS``,
    ``_atom_site_moment_label``; and a stray non-ASCII byte in free text."""
    text = (mnf2_text()
            .replace("_space_group_symop_magn_operation.id", "_space_group_symop.magn_id")
            .replace("_space_group_symop_magn_operation.xyz",
                     "_space_group_symop.magn_operation_xyz")
            .replace("_space_group_symop_magn_centering.id",
                     "_space_group_symop.magn_centering_id")
            .replace("_space_group_symop_magn_centering.xyz",
                     "_space_group_symop.magn_centering_xyz")
            .replace("_space_group_magn.number_BNS", "_space_group.magn_number_BNS")
            .replace("_space_group_magn.name_BNS", "_space_group.magn_name_BNS")
            .replace("_atom_site_moment.", "_atom_site_moment_")
            .replace("data_MnF2_afm", "data_MnF2_afm\n_citation_journal_volume 385\u00d0386"))
    old = read_mcif(text, "old.mcif")
    assert old.stated_bns_number == "136.499" and len(old.operations) == 16
    assert moment_set(old) == moment_set(read_magnetic_structure(MNF2_AFM))


def test_moments_are_along_unit_cell_axes():
    """mCIF components are along a/|a|, b/|b|, c/|c| in Bohr magnetons: in a
    hexagonal cell (0, 2, 0) is 2 mu_B along b, whatever |b|; written back
    the same."""
    text = ("data_hex\n_cell_length_a 5\n_cell_length_b 5\n_cell_length_c 7\n"
            "_cell_angle_alpha 90\n_cell_angle_beta 90\n_cell_angle_gamma 120\n"
            "loop_\n_atom_site_label\n_atom_site_type_symbol\n_atom_site_fract_x\n"
            "_atom_site_fract_y\n_atom_site_fract_z\nFe1 Fe 0 0 0\nFe2 Fe 0.5 0.5 0.5\n"
            "loop_\n_atom_site_moment.label\n_atom_site_moment.crystalaxis_x\n"
            "_atom_site_moment.crystalaxis_y\n_atom_site_moment.crystalaxis_z\n"
            "Fe1 0 2 0\nFe2 1 0 1\n")
    c = read_mcif(text, "hex.mcif")
    b = c.structure.lattice[1] / np.linalg.norm(c.structure.lattice[1])
    assert np.allclose(c.moments[0], 2 * b)
    assert np.allclose(np.linalg.norm(c.moments[0]), 2)
    assert np.allclose(c.moments[1], [1, 0, 1])  # a along x, c along z
    assert np.allclose(c.crystal_axis_moments, [[0, 2, 0], [1, 0, 1]])


def test_written_mcif_is_read_back(tmp_path):
    c = read_magnetic_structure(MNF2_AFM)
    write_mcif(tmp_path / "x.mcif", c, "x", comments=("a comment",))
    back = read_magnetic_structure(tmp_path / "x.mcif")
    assert moment_set(back) == moment_set(c)
    assert (tmp_path / "x.mcif").read_text().startswith("# a comment\ndata_x\n")


# --- detection ------------------------------------------------------------------------

@pytest.mark.parametrize("path,bns,kind,space", [
    (MNF2_AFM, "136.499", "III", 136),
    (MNF2_PARA, "136.496", "II", 136),
    (KNIF3_AFM, "140.550", "IV", 221),
])
def test_detect_reports_the_magnetic_group(path, bns, kind, space):
    d = detect_magnetic(path)
    assert (d.bns_number, d.magnetic_type, d.detection.space_group.number) == (bns, kind, space)


def test_sbs_detect_mcif():
    out = sbs("detect", MNF2_AFM, "--json")
    assert out.returncode == 0, out.stderr
    record = json.loads(out.stdout)
    assert record["magnetic_space_group"] == "P4_2'/mnm'"
    assert (record["bns_number"], record["uni_number"], record["magnetic_type"]) == \
        ("136.499", 1159, "III")
    assert record["space_group"] == "P4_2/mnm" and record["magnetic_atoms"] == 2
    text = sbs("detect", KNIF3_AFM).stdout
    assert "I_c4/mcm (BNS 140.550, UNI 1210, type IV)" in text


# --- transitions ----------------------------------------------------------------------

def read_states(paths) -> list[MagneticCrystal]:
    return [read_magnetic_structure(p) for p in paths]


@pytest.mark.gap
def test_mnf2_transition_gives_two_opposite_domains(tmp_path):
    out = sbs("transition", MNF2_PARA, MNF2_AFM, "--out", tmp_path / "d", "--json")
    assert out.returncode == 0, out.stderr
    r = json.loads(out.stdout)
    assert (r["parent"], r["child"], r["child_bns_number"], r["index"]) == \
        ("P4_2/mnm1'", "P4_2'/mnm'", "136.499", 2)
    assert r["subgroup"] == "P4_2'/mnm' (136.499) [a,b,c; 0,0,0]"
    # the breaking row is `sbs partial "P4_2/mnm1'"`'s row of that class
    row = next(x for x in magnetic_space_partial("P4_2/mnm1'", "P4_2'/mnm'")
               if x.subgroup == r["subgroup"]).to_json()
    assert {k: r[k] for k in row if k != "group"} == {k: v for k, v in row.items()
                                                       if k != "group"}
    assert r["objects"]["size"] == 2 and r["objects"]["irreps"] == "2e'"
    assert [p.rsplit("/", 1)[1] for p in r["domain_states"]] == ["domain_01.mcif",
                                                                  "domain_02.mcif"]
    states = read_states(r["domain_states"])
    assert [uni_of(s) for s in states] == [1159, 1159]
    mn = [{tuple(np.round(f % 1, 3)): m[2] for e, f, m in
           zip(s.structure.species, s.structure.fractional, s.moments) if e == "Mn"}
          for s in states]
    assert mn[0] == {k: -v for k, v in mn[1].items()} and abs(mn[0][(0, 0, 0)]) == 4.6
    assert moment_set(states[0]) != moment_set(states[1])


@pytest.mark.gap
def test_knif3_doubling_gives_six_type_iv_domains(tmp_path):
    r = magnetic_transition(KNIF3_PARA, KNIF3_AFM)
    assert (r.parent, r.child, r.child_bns_number, r.index) == \
        ("Pm-3m1'", "I_c4/mcm", "140.550", 6)
    assert r.row["magnetic_type"] == "IV" and r.domain_cell == "2a,2b,2c"
    assert r.objects["size"] == 6
    # the class the knif3 demo trains with is the one these files give
    from sbs_gap.demos.knif3 import TARGET
    assert r.row["subgroup"] == TARGET
    states = read_states(r.write_domain_states(tmp_path))
    assert [uni_of(s) for s in states] == [1210] * 6
    assert len({frozenset(moment_set(s)) for s in states}) == 6
    # the Neel vector (the moment of the Ni at the origin): +-x, +-y, +-z
    neel = set()
    for s in states:
        k = next(i for i, (e, f) in enumerate(zip(s.structure.species, s.structure.fractional))
                 if e == "Ni" and np.allclose(f % 1, 0))
        neel.add(tuple(np.round(s.moments[k], 6) + 0.0))
    assert neel == {tuple(v) for v in np.vstack([2 * np.eye(3), -2 * np.eye(3)])}


def shifted_noisy_mnf2(strain=(1.0, 1.0, 1.0), shear: float = 0.0, seed=0
                       ) -> MagneticCrystal:
    """The MnF2 child with its origin at the other Mn, a strain, F moved
    by +-``shear`` along a and b as Pnnm allows (x, y free), and noise."""
    c = read_magnetic_structure(MNF2_AFM)
    rng = np.random.default_rng(seed)
    lattice = c.structure.lattice * np.array(strain)[:, None]
    frac = c.structure.fractional.copy()
    for i, e in enumerate(c.structure.species):
        if e == "F":  # (x,x,0) -> (x+d, x-d, 0) and its Pnnm images
            u = frac[i, 0] - np.round(frac[i, 0])  # +-0.305 or +-0.195
            if abs(frac[i, 2]) < 0.25:
                frac[i, :2] += shear * np.sign(u) * np.array([1, -1])
            else:
                frac[i, :2] -= shear * np.sign(u) * np.array([1, 1])
    frac = (frac + 0.5) % 1.0
    cart = frac @ lattice + rng.normal(scale=5e-5, size=frac.shape)
    return MagneticCrystal(Structure(c.structure.species, cart, lattice), c.moments,
                           has_moments=True, name="child")


@pytest.mark.gap
def test_a_shifted_noisy_child_embeds_the_same_way():
    r = magnetic_transition(MNF2_PARA, shifted_noisy_mnf2())
    assert (r.subgroup, r.index) == ("P4_2'/mnm' (136.499) [a,b,c; 0,0,0]", 2)


@pytest.mark.gap
def test_an_orthorhombic_child_lowers_the_positions_too():
    """a != b: the positions keep only Pnnm (index 2 in S), M has index 4."""
    r = magnetic_transition(MNF2_PARA, shifted_noisy_mnf2(strain=(1.01, 0.99, 1.0),
                                                          shear=0.01))
    assert r.positions == "Pnnm" and r.index == 4 and len(r.domain_states) == 4
    assert len({r.child_uni_number} | set(map(uni_of, r.domain_states))) == 1


def mnte(direction) -> tuple[MagneticCrystal, MagneticCrystal]:
    """A NiAs-type MnTe model (P6_3/mmc; approximate): the paramagnet, and
    +m / -m on the two Mn with m given along the hexagonal cell axes."""
    import gemmi

    lattice = np.array(gemmi.UnitCell(4.15, 4.15, 6.71, 90, 90, 120).orth.mat).T
    species = ("Mn", "Mn", "Te", "Te")
    frac = np.array([[0, 0, 0], [0, 0, 0.5], [1 / 3, 2 / 3, 0.25], [2 / 3, 1 / 3, 0.75]])
    m = np.asarray(direction, float) @ (lattice / np.linalg.norm(lattice, axis=1)[:, None])
    structure = Structure(species, frac @ lattice, lattice)
    return (MagneticCrystal(structure, np.zeros((4, 3)), has_moments=False, name="para"),
            MagneticCrystal(structure, np.array([m, -m, 0 * m, 0 * m]), name="child"))


@pytest.mark.gap
def test_hexagonal_moments_get_the_class_sbs_partial_lists():
    """Moments along a or along b (crystal axes of a hexagonal cell): conjugate
    orderings, one class, named as `sbs partial "P6_3/mmc1'"` names it."""
    listed = {row.subgroup for row in magnetic_space_partial("P6_3/mmc1'", "Cmcm")}
    names = set()
    for direction in ((2.0, 0, 0), (0, 2.0, 0)):
        parent, child = mnte(direction)
        r = magnetic_transition(parent, child)
        assert (r.child, r.index, r.subgroup_listed) == ("Cmcm", 6, True)
        names.add(r.subgroup)
    assert len(names) == 1 and names <= listed


# --- bad input: one line, exit 2, nothing written ------------------------------------

def refused(tmp_path, *args) -> str:
    out = sbs(*args, *(["--out", tmp_path / "out"] if args[0] == "transition" else []))
    assert out.returncode == 2, (out.stdout, out.stderr)
    assert out.stderr.count("\n") == 1 and "Traceback" not in out.stderr
    assert not (tmp_path / "out").exists()
    return out.stderr


def test_a_child_without_moments_is_refused(tmp_path):
    (tmp_path / "c.mcif").write_text(mnf2_text(moments=False))
    assert "no magnetic moments" in refused(tmp_path, "transition", MNF2_PARA,
                                            tmp_path / "c.mcif")


def test_a_magnetic_parent_is_refused(tmp_path):
    assert "the parent has nonzero magnetic moments" in refused(
        tmp_path, "transition", MNF2_AFM, MNF2_AFM)


def test_moments_that_break_the_operations_are_refused(tmp_path):
    (tmp_path / "c.mcif").write_text(mnf2_text(mn1=(4.6, 0.0, 0.0)))
    message = refused(tmp_path, "transition", MNF2_PARA, tmp_path / "c.mcif")
    assert "the moments break the stated magnetic operation" in message
    # an atom listed twice with the moment the operations do not give it
    (tmp_path / "d.mcif").write_text(mnf2_text(extra_sites="\nMn2 Mn 0.5 0.5 0.5 1",
                                               extra_moments="\nMn2 0.0 0.0 4.6 ?"))
    with pytest.raises(InputError, match="break the stated magnetic operation"):
        read_magnetic_structure(tmp_path / "d.mcif")
    # the same with the right moment is one atom
    (tmp_path / "e.mcif").write_text(mnf2_text(extra_sites="\nMn2 Mn 0.5 0.5 0.5 1",
                                               extra_moments="\nMn2 0.0 0.0 -4.6 ?"))
    assert len(read_magnetic_structure(tmp_path / "e.mcif").structure.species) == 6


def test_moments_need_magnetic_operations():
    text = (MNF2_PARA.read_text() + "loop_\n_atom_site_moment.label\n"
            "_atom_site_moment.crystalaxis_x\n_atom_site_moment.crystalaxis_y\n"
            "_atom_site_moment.crystalaxis_z\nMn1 0 0 4.6\n")
    with pytest.raises(InputError, match="moments with ordinary symmetry"):
        read_mcif(text, "x.cif")
    with pytest.raises(InputError, match="no atom site has that label"):
        read_mcif(mnf2_text().replace("Mn1 0.0 0.0 4.6", "Mn9 0.0 0.0 4.6"), "x.mcif")


def test_broken_operation_lists_are_refused(tmp_path):
    (tmp_path / "a.mcif").write_text(mnf2_text(ops_drop=5))
    with pytest.raises(InputError, match="do not form a group"):
        read_magnetic_structure(tmp_path / "a.mcif")
    (tmp_path / "b.mcif").write_text(mnf2_text(bns="136.498"))
    assert "_space_group_magn.number_BNS says 136.498" in refused(
        tmp_path, "detect", tmp_path / "b.mcif")


def test_a_child_that_is_no_distorted_parent_is_refused(tmp_path):
    text = mnf2_text().replace("F1 F 0.30500 0.30500", "F1 F 0.20000 0.20000")
    (tmp_path / "c.mcif").write_text(text)
    assert "nearest parent atom" in refused(tmp_path, "transition", MNF2_PARA,
                                            tmp_path / "c.mcif")
    assert "different elements" in refused(tmp_path, "transition", KNIF3_PARA, MNF2_AFM)


# --- a larger case, left to `make test-exhaustive` -------------------------------------

@pytest.mark.gap
@pytest.mark.exhaustive
def test_rock_salt_afm2_type_iv(tmp_path):
    """NiO-like rock salt (approximate model), moments along [111] alternating
    between (111) planes (k = (1/2,1/2,1/2) of the fcc lattice): R_I-3c,
    |Fm-3m1' : M| = 8 (four axes, two signs)."""
    a = 4.17
    fcc = np.array([[0, 0, 0], [.5, .5, 0], [.5, 0, .5], [0, .5, .5]])
    species, frac, moments = [], [], []
    for n in np.ndindex(2, 2, 2):
        for f in fcc:
            sign = (-1) ** int(round((f + n).sum()))
            species += ["Ni", "O"]
            frac += [(f + n) / 2, ((f + n + 0.5) % 2) / 2]
            moments += [sign * np.ones(3), np.zeros(3)]
    lattice = np.eye(3) * 2 * a
    child = MagneticCrystal(Structure(tuple(species), np.array(frac) @ lattice, lattice),
                            np.array(moments), has_moments=True, name="NiO")
    (tmp_path / "p.cif").write_text(
        "data_NiO\n_space_group_IT_number 225\n" + "".join(
            f"_cell_{k} {v}\n" for k, v in zip(
                ("length_a", "length_b", "length_c", "angle_alpha", "angle_beta",
                 "angle_gamma"), (a, a, a, 90, 90, 90)))
        + "loop_\n_atom_site_label\n_atom_site_type_symbol\n_atom_site_fract_x\n"
          "_atom_site_fract_y\n_atom_site_fract_z\nNi1 Ni 0 0 0\nO1 O 0.5 0.5 0.5\n")
    r = magnetic_transition(tmp_path / "p.cif", child)
    assert (r.child, r.index, r.row["magnetic_type"]) == ("R_I-3c", 8, "IV")
    states = read_states(r.write_domain_states(tmp_path / "d"))
    assert len({uni_of(s) for s in states}) == 1
    assert len({frozenset(moment_set(s)) for s in states}) == 8
