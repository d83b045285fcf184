"""Crystals: the space group (number, symbol, Hall number, transformation to
the standard setting) and its symmetry breaking objects in the file's frame
(issue #23, item 5).  The checks here are independent of the package's own
verification: spglib is run again on the file, in floats."""
import json
from fractions import Fraction

import numpy as np
import pytest

from sbs_gap import detect, read_structure
from tests.conftest import EXAMPLES, random_rotation, sbs

STRUCTURES = EXAMPLES / "structures"
A_NACL = 5.64
F_CENTRING = np.array([[0, 0, 0], [0, 0.5, 0.5], [0.5, 0, 0.5], [0.5, 0.5, 0]])


def write_poscar(path, lattice, species, frac):
    """A POSCAR (Direct) with rows of ``lattice`` as basis vectors."""
    names = list(dict.fromkeys(species))
    order = [i for n in names for i, s in enumerate(species) if s == n]
    lines = ["test", "1.0"] + [" ".join(f"{x:.12f}" for x in row) for row in lattice]
    lines += [" ".join(names), " ".join(str(species.count(n)) for n in names), "Direct"]
    lines += [" ".join(f"{x:.12f}" for x in frac[i]) for i in order]
    path.write_text("\n".join(lines) + "\n")


def nacl_conventional():
    frac = np.vstack([F_CENTRING, F_CENTRING + [0.5, 0, 0]]) % 1
    return A_NACL * np.eye(3), ["Na"] * 4 + ["Cl"] * 4, frac


def nacl_primitive():
    lattice = A_NACL * np.array([[0, .5, .5], [.5, 0, .5], [.5, .5, 0]])
    return lattice, ["Na", "Cl"], np.array([[0, 0, 0], [.5, .5, .5]])


def nacl_moved(seed=3, shift=(0.1, 0.2, 0.3), perm=(2, 0, 1)):
    """The conventional cell with its axes permuted (cyclically: right-handed),
    the whole frame rotated, and the atoms shifted by ``shift``."""
    lattice, species, frac = nacl_conventional()
    q = random_rotation(np.random.default_rng(seed))
    perm = list(perm)
    return lattice[perm] @ q.T, species, (frac[:, perm] + shift) % 1, q


def spglib_operations(path, symprec=1e-5):
    import spglib

    from sbs_gap.groups import quiet_spglib

    s = read_structure(path)
    numbers = [sorted(set(s.species)).index(x) for x in s.species]
    with quiet_spglib():
        d = spglib.get_symmetry_dataset((s.lattice, s.fractional, numbers), symprec=symprec)
    return s, d


def to_float(rows):
    return np.array([[float(Fraction(x)) for x in row] for row in rows])


def same_points_modulo(a, b, lattice, tol=1e-6):
    """Whether the point sets a and b (rows) coincide modulo the lattice (rows)."""
    if len(a) != len(b):
        return False
    inv = np.linalg.inv(lattice)
    for x in a:
        d = (b - x) @ inv
        if not np.any(np.all(np.abs(d - np.round(d)) < tol, axis=1)):
            return False
    return True


# ----------------------------------------------------------------------------
# The space group and the transformation to the standard setting
# ----------------------------------------------------------------------------

def check_standard_nacl(path, result):
    """x_std = P x + p puts Na and Cl on the two F-centred sets of Fm-3m's
    standard setting (4a and 4b: which is at the origin is a choice)."""
    g = result.space_group
    assert (result.group, g.symbol, g.number, g.hall_number) == ("Oh", "Fm-3m", 225, 523)
    P, p = to_float(g.transformation_matrix), np.array([float(x) for x in g.origin_shift])
    s = read_structure(path)
    sites = {"a": F_CENTRING, "b": (F_CENTRING + [0.5, 0, 0]) % 1}
    found = {}
    for species in ("Na", "Cl"):
        std = np.array([P @ x + p for x, t in zip(s.fractional, s.species) if t == species])
        std = std % 1
        for name, points in sites.items():
            d = std[:, None, :] - points[None, :, :]
            if np.all(np.any(np.all(np.abs(d - np.round(d)) < 1e-9, axis=2), axis=1)):
                found[species] = name
    assert sorted(found.values()) == ["a", "b"], found
    # P and p are spglib's (up to a translation of the crystal for p)
    _, d = spglib_operations(path)
    assert np.allclose(P, d.transformation_matrix, atol=1e-12)
    # the ITA form is the inverse: the standard basis and origin in the file's
    P_ita, origin = np.linalg.inv(P), -np.linalg.inv(P) @ p
    basis, shift = g.transformation.split(";")
    columns = [c.strip() for c in basis.split(",")]
    for j, column in enumerate(columns):
        vector = np.zeros(3)
        for sign, coefficient, axis in _terms(column):
            vector["abc".index(axis)] += sign * coefficient
        assert np.allclose(vector, P_ita[:, j]), (column, P_ita)
    assert np.allclose([float(Fraction(x)) for x in shift.split(",")], origin)


def _terms(text):
    import re
    for sign, number, axis in re.findall(r"([+-]?)([0-9/]*)([abc])", text):
        yield (-1 if sign == "-" else 1), float(Fraction(number)) if number else 1.0, axis


def nacl_left_handed():
    """The conventional cell with a and b swapped (a left-handed basis),
    shifted by a/10 along the new a."""
    lattice, species, frac = nacl_conventional()
    return lattice[[1, 0, 2]], species, (frac[:, [1, 0, 2]] + [0.1, 0, 0]) % 1


def test_nacl_conventional_primitive_and_moved_cells(tmp_path):
    for name, (lattice, species, frac) in {
            "conventional": nacl_conventional(), "primitive": nacl_primitive(),
            "moved": nacl_moved()[:3], "left": nacl_left_handed()}.items():
        path = tmp_path / f"{name}.vasp"
        write_poscar(path, lattice, species, frac)
        result = detect(path)
        check_standard_nacl(path, result)
        record = result.to_json()
        assert list(record)[:4] == ["group", "hermann_mauguin", "rotation", "tol_used"]
        assert (record["space_group"], record["space_group_number"],
                record["hall_number"]) == ("Fm-3m", 225, 523)
    assert detect(tmp_path / "conventional.vasp").space_group.transformation == \
        "a,b,c; 0,0,0"
    assert detect(tmp_path / "primitive.vasp").space_group.transformation == \
        "-a+b+c,a-b+c,a+b-c; 0,0,0"
    # the shifted origin is the simplest: the Na atom at the shift itself
    assert detect(tmp_path / "moved.vasp").space_group.transformation.endswith(
        "; 1/10,1/5,3/10")
    # a left-handed cell: P reverses the hand, so that the standard cell is right-handed
    left = detect(tmp_path / "left.vasp").space_group
    assert np.linalg.det(to_float(left.transformation_matrix)) < 0
    assert left.transformation == "b,a,c; 1/10,0,0"


def test_exact_operations_in_the_file_frame_are_spglibs(tmp_path):
    lattice, species, frac, _ = nacl_moved(seed=5, shift=(0.25, 0.125, 0.375))
    path = tmp_path / "nacl.vasp"
    write_poscar(path, lattice, species, frac)
    g = detect(path).space_group
    s, d = spglib_operations(path)
    assert len(g.rotations) == len(d.rotations) == 192
    for W, w, W0, w0 in zip(g.rotations, g.translations, d.rotations, d.translations):
        assert np.array_equal(to_float(W), W0)
        diff = np.array([float(x) for x in w]) - w0
        assert np.allclose(diff, np.round(diff), atol=1e-9)
    # every operation maps the crystal onto itself
    for W, w in zip(g.rotations, g.translations):
        moved = s.fractional @ to_float(W).T + np.array([float(x) for x in w])
        for t in set(s.species):
            mine = [i for i, x in enumerate(s.species) if x == t]
            assert same_points_modulo(moved[mine], s.fractional[mine], np.eye(3))


def test_polar_crystal_origin_is_free_along_the_polar_axis(tmp_path):
    """P4mm (tetragonal BaTiO3): the file's origin moved along c stays the
    standard origin (p = 0 along the polar axis)."""
    s = read_structure(STRUCTURES / "BaTiO3_P4mm.cif")
    path = tmp_path / "POSCAR"
    write_poscar(path, s.lattice, list(s.species), (s.fractional + [0, 0, 0.137]) % 1)
    g = detect(path).space_group
    assert (g.symbol, g.number) == ("P4mm", 99)
    assert g.transformation == "a,b,c; 0,0,0"


def test_batio3_cubic_cif_is_pm3m():
    result = detect(STRUCTURES / "BaTiO3_cubic.cif")
    g = result.space_group
    assert (result.group, g.symbol, g.number, g.hall_number) == ("Oh", "Pm-3m", 221, 517)
    assert g.transformation == "a,b,c; 0,0,0"
    # molecules have none
    assert detect(STRUCTURES / "benzene.xyz").space_group is None


def test_cli_text_and_json_for_a_crystal(tmp_path):
    path = tmp_path / "nacl.vasp"
    write_poscar(path, *nacl_primitive())
    out = sbs("detect", path)
    assert out.returncode == 0, out.stderr
    rows = dict(line.split(None, 1) for line in out.stdout.splitlines()
                if line.split(None, 1)[0] in ("space_group", "number", "hall_number",
                                              "to_standard", "group", "tol_used"))
    assert rows == {"space_group": "Fm-3m", "number": "225", "hall_number": "523",
                    "to_standard": "-a+b+c,a-b+c,a+b-c; 0,0,0", "group": "Oh",
                    "tol_used": "0.01 A"}
    assert "P = [0 1/2 1/2; 1/2 0 1/2; 1/2 1/2 0], p = [0 0 0]" in out.stdout
    record = json.loads(sbs("detect", path, "--json").stdout)
    assert record["transformation_matrix"] == [["0", "1/2", "1/2"], ["1/2", "0", "1/2"],
                                               ["1/2", "1/2", "0"]]
    assert record["origin_shift"] == ["0", "0", "0"]
    assert record["group"] == "Oh" and record["tol_used"] == 0.01


# ----------------------------------------------------------------------------
# Objects in the file's frame
# ----------------------------------------------------------------------------

def group_modulo(ops, file_lattice_in_pattern):
    """The crystal's operations times the file's lattice translations, as
    (W, w) in floats: the file's lattice vectors modulo the pattern lattice
    are enumerated by the caller (``file_lattice_in_pattern``)."""
    return [(W, w + t) for W, w in ops for t in file_lattice_in_pattern]


@pytest.mark.gap
@pytest.mark.parametrize("cell", ["moved", "left-handed"])
def test_nacl_markers_in_a_moved_cell(tmp_path, cell):
    """Fm-3m -> Pm-3m: four patterns of two markers; every operation of the
    crystal (spglib, floats) permutes them modulo their lattice, and the first
    one's stabilizer has |G| / 4 elements."""
    lattice, species, frac = nacl_moved()[:3] if cell == "moved" else nacl_left_handed()
    path = tmp_path / "nacl.vasp"
    write_poscar(path, lattice, species, frac)
    result = detect(path)
    record = result.to_json()
    o = result.symmetry_breaking_set("Pm-3m").to_json()
    assert (o["frame"], o["kind"], o["size"], o["index"]) == ("file", "markers", 4, 4)
    assert o["subgroup"].startswith("Pm-3m (221)")
    _, d = spglib_operations(path)
    L = to_float(o["objects"][0]["lattice"])
    patterns = [to_float(b["positions_exact"]) for b in o["objects"]]
    # the file's lattice modulo L: here L is the file's lattice (a permuted basis)
    assert np.isclose(abs(np.linalg.det(L)), 1)
    stabilizer = 0
    for W, w in zip(d.rotations, d.translations):
        images = []
        for b in patterns:
            moved = b @ W.T + w
            match = [i for i, c in enumerate(patterns) if same_points_modulo(moved, c, L)]
            assert len(match) == 1
            images.append(match[0])
        assert sorted(images) == [0, 1, 2, 3]
        stabilizer += images[0] == 0
    assert len(d.rotations) == 192 and stabilizer == 192 // 4
    # the Cartesian positions are the fractional ones in the file's cell
    for b in o["objects"]:
        assert np.allclose(np.array(b["positions"]) @ lattice, b["cartesian"], atol=1e-9)
    # and the standard set, taken back: x_std = P x + p
    std = o["standard"]["objects"]
    P = to_float(record["transformation_matrix"])
    p = np.array([float(Fraction(x)) for x in record["origin_shift"]])
    for mine, theirs in zip(patterns, std):
        assert same_points_modulo(mine @ P.T + p, to_float(theirs["positions_exact"]),
                                  to_float(theirs["lattice"]))
    assert o["verified"]["stabilizer_type"] == "Pm-3m (221)"


@pytest.mark.gap
def test_nacl_uniform_fields_in_a_rotated_primitive_cell(tmp_path):
    """Fm-3m -> R-3m: four 2e vectors; in the file's Cartesian frame every
    rotation of the crystal permutes them, 12 of the 48 fix the first, and the
    frame rotation is spglib's std_rotation_matrix transposed."""
    from sbs_gap.objects import representation_matrices

    lattice, species, frac = nacl_primitive()
    q = random_rotation(np.random.default_rng(17))
    path = tmp_path / "nacl.vasp"
    write_poscar(path, lattice @ q.T, species, frac)
    result = detect(path)
    sbs = result.symmetry_breaking_set("R-3m")
    o = sbs.to_json()
    assert (o["kind"], o["irreps"], o["size"]) == ("uniform", "2e", 4)
    g = result.space_group
    assert np.allclose(sbs.rotation, g.std_rotation_matrix.T, atol=1e-9)
    s, d = spglib_operations(path)
    A = s.lattice.T
    cartesian = np.array([A @ W @ np.linalg.inv(A) for W in d.rotations])
    D = representation_matrices("2e", cartesian)
    vectors = np.array([b["vector"] for b in o["objects"]])
    fixing = 0
    for m in D:
        moved = vectors @ m.T
        images = [int(np.argmin(np.linalg.norm(vectors - v, axis=1))) for v in moved]
        assert np.allclose(moved, vectors[images], atol=1e-8) and sorted(images) == [0, 1, 2, 3]
        fixing += images[0] == 0
    assert len(D) == 48 and fixing == 12
    # the same vectors as the standard set's, rotated by Q
    std = np.array([b.vector for b in sbs.standard.objects])
    assert np.allclose(vectors, std @ representation_matrices("2e", sbs.rotation).T,
                       atol=1e-9)


@pytest.mark.gap
def test_batio3_cubic_cif_to_p4mm():
    out = sbs("detect", STRUCTURES / "BaTiO3_cubic.cif", "--objects", "--to", "P4mm",
                  "--irreps", "1o", "--json")
    assert out.returncode == 0, out.stderr
    record = json.loads(out.stdout)
    assert (record["space_group"], record["space_group_number"]) == ("Pm-3m", 221)
    o = record["objects"]
    assert (o["kind"], o["size"], o["subgroup"]) == ("uniform", 6, "P4mm (99) [a,b,c; 0,0,0]")
    vectors = np.array([b["vector"] for b in o["objects"]])
    assert np.allclose(sorted(map(tuple, np.abs(vectors))), sorted(map(tuple, np.vstack(
        [np.eye(3), np.eye(3)]))))
    assert o["verified"] == {"operations": 48, "group_order": 48, "stabilizer_order": 8,
                             "orbit": 6, "stabilizer_type": "P4mm (99)"}
    text = sbs("detect", STRUCTURES / "BaTiO3_cubic.cif", "--objects", "--to", "P4mm")
    assert "6 x uniform 1o (to P4mm (99) [a,b,c; 0,0,0]), in the file's frame" in text.stdout


@pytest.mark.gap
def test_polar_lines_in_a_shifted_rotated_cell(tmp_path):
    """P4mm -> P4mm [a-b,a+b,c]: oriented-free lines along the polar axis; in
    a rotated cell with its axes swapped (a <-> b, c reversed) and shifted,
    every operation permutes the line patterns modulo L + span(c)."""
    s = read_structure(STRUCTURES / "BaTiO3_P4mm.cif")
    q = random_rotation(np.random.default_rng(2))
    swap = np.array([[0, 1, 0], [1, 0, 0], [0, 0, -1]])  # determinant +1
    lattice = swap @ s.lattice @ q.T
    frac = (s.fractional @ np.linalg.inv(swap) + [0.3, 0.1, 0.25]) % 1
    path = tmp_path / "POSCAR"
    write_poscar(path, lattice, list(s.species), frac)
    result = detect(path)
    assert result.space_group.symbol == "P4mm"
    sbs = result.symmetry_breaking_set("P4mm [a-b,a+b,c; 0,0,0]")
    o = sbs.to_json()
    assert (o["kind"], o["size"]) == ("markers", 2)
    direction = to_float(o["objects"][0]["directions"])[0]
    # the lines run along the file's polar axis (its third vector)
    assert np.allclose(np.cross(direction, [0, 0, 1]), 0)
    _, d = spglib_operations(path)
    L = to_float(o["objects"][0]["lattice"])
    # modulo L + span(direction): drop the polar coordinate after reducing
    patterns = [to_float(b["positions_exact"]) for b in o["objects"]]

    steps = np.array([(i, j, k) for i in range(-3, 4) for j in range(-3, 4)
                      for k in range(-3, 4)]) @ L

    def congruent(x, y):  # x - y in L + span(e3): some n L differs from it along e3
        return np.any(np.all(np.abs((x - y - steps)[:, :2]) < 1e-9, axis=1))

    def same(a, b):
        return len(a) == len(b) and all(any(congruent(x, y) for y in b) for x in a)

    fixing = 0
    # the file's lattice modulo L: two translations (L has index 2)
    shifts = [np.zeros(3), np.array([1.0, 0, 0])]
    assert not same(patterns[0] + shifts[1], patterns[0])
    for W, w in group_modulo(list(zip(d.rotations, d.translations)), shifts):
        images = [next(i for i, c in enumerate(patterns) if same(b @ W.T + w, c))
                  for b in patterns]
        assert sorted(images) == [0, 1]
        fixing += images[0] == 0
    assert fixing == 8


def test_detect_takes_ase_atoms():
    """The objects crystal ML users hold go straight in."""
    import ase.io

    result = detect(ase.io.read(EXAMPLES / "structures" / "BaTiO3_cubic.cif"))
    assert result.group == "Oh" and result.space_group.number == 221
