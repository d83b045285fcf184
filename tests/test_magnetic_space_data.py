"""The 1 651 magnetic space-group types (docs/theory.md section 9): the table
against spglib and pymatgen (ISO-MAG), the operations of every type against
pymatgen's, the type read off the operations, family and unitary groups, and
the reading of BNS numbers and symbols."""
import collections
import json
import re
import sqlite3
import subprocess
import sys
import warnings
from pathlib import Path

import numpy as np
import pytest
import spglib

from sbs_gap.errors import InputError
from tests.conftest import sbs
from sbs_gap.groups import (
    cell_basis, generic_cell, grey_type, is_magnetic_space_group_name, magnetic_space_group_type,
    magnetic_space_group_types, space_group_by_number,
)

REPO = Path(__file__).resolve().parent.parent
TYPES = magnetic_space_group_types()
# a fixed sample for `make test` (the exhaustive tier runs every type): every
# 28th type, and the types whose spglib setting needs a change (origin choice
# 2, permuted axes), F_S and P_I anti-centrings, hexagonal and rhombohedral
SAMPLE_BNS = sorted({t.bns_number for t in TYPES[::28]} | {
    "1.3", "16.3", "27.80", "43.226", "44.231", "48.259", "70.530", "136.499", "136.496",
    "123.348", "123.349", "167.107", "194.270", "221.97", "227.131", "228.139", "230.148",
}, key=lambda b: tuple(int(x) for x in b.split(".")))


def _by_bns(bns: str):
    return next(t for t in TYPES if t.bns_number == bns)


# ----------------------------------------------------------------------------
# The table
# ----------------------------------------------------------------------------

def test_counts_are_theorys():
    text = (REPO / "docs" / "theory.md").read_text()
    m = re.search(r"1 651 magnetic space-group types \(BNS: (\d+) \+ (\d+) \+ (\d+) \+ (\d+)\)",
                  text)
    assert m, "docs/theory.md section 9 no longer states the counts"
    theory = [int(x) for x in m.groups()]
    counts = collections.Counter(t.type for t in TYPES)
    assert len(TYPES) == 1651 == sum(theory)
    assert [counts[k] for k in (1, 2, 3, 4)] == theory == [230, 230, 674, 517]
    assert collections.Counter(t.kind for t in TYPES) == dict(zip(("I", "II", "III", "IV"),
                                                                  theory))
    assert sum(t.grey for t in TYPES) == 230


def test_table_is_consistent():
    assert [t.uni_number for t in TYPES] == list(range(1, 1652))
    for field in ("bns_number", "bns_symbol", "og_number", "og_symbol", "litvin_number"):
        assert len({getattr(t, field) for t in TYPES}) == 1651, field
    keys = [tuple(int(x) for x in t.bns_number.split(".")) for t in TYPES]
    assert keys == sorted(keys)  # UNI numbers are BNS order
    plain = {t.number: t.bns_symbol for t in TYPES if t.type == 1}
    assert len(plain) == 230
    for t in TYPES:
        assert t.number == int(t.bns_number.split(".")[0])
        assert int(t.og_number.split(".")[2]) == t.litvin_number
        assert t.name == t.bns_symbol
        # type IV symbols, and only they, have a subscripted lattice letter
        assert (t.bns_symbol[1:2] == "_") == (t.type == 4), t
        # grey: the space group's symbol and 1' (not P-1', P2_1': primed elements)
        assert (t.bns_symbol == plain[t.number] + "1'") == (t.type == 2), t
        assert ("'" in t.bns_symbol) == (t.type in (2, 3)), t
    # one grey group per space group
    assert sorted(t.number for t in TYPES if t.grey) == list(range(1, 231))


def test_table_agrees_with_spglib_and_pymatgen_row_by_row():
    import pymatgen.symmetry

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        spg = [spglib.get_magnetic_spacegroup_type(t.uni_number) for t in TYPES]
    for t, s in zip(TYPES, spg):
        assert (s.uni_number, s.bns_number, s.og_number, s.litvin_number, s.number, s.type) \
            == (t.uni_number, t.bns_number, t.og_number, t.litvin_number, t.number, t.type)
    path = Path(list(pymatgen.symmetry.__path__)[0]) / "symm_data_magnetic.sqlite"
    db = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        rows = db.execute("SELECT magtype, BNS1, BNS2, BNS_label, OG1, OG2, OG3, OG_label "
                          "FROM space_groups").fetchall()
    finally:
        db.close()
    by_bns = {f"{r[1]}.{r[2]}": r for r in rows}
    assert len(by_bns) == 1651
    for t in TYPES:
        magtype, _, _, bns_label, og1, og2, og3, og_label = by_bns[t.bns_number]
        assert (magtype, bns_label, f"{og1}.{og2}.{og3}", og_label) \
            == (t.type, t.bns_symbol, t.og_number, t.og_symbol)


# ----------------------------------------------------------------------------
# Operations: spglib (as sbs_gap reads it) against pymatgen, type by type
# ----------------------------------------------------------------------------

def _key(rotation, translation, primed) -> tuple:
    """An operation modulo the lattice, translations in 48ths."""
    scaled = np.mod(np.asarray(translation, dtype=float), 1.0) * 48
    assert np.allclose(scaled, np.round(scaled), atol=1e-6), translation
    return (tuple(np.round(rotation).astype(int).ravel().tolist()),
            tuple((np.round(scaled).astype(int) % 48).tolist()), bool(primed))


_IDENTITY = (1, 0, 0, 0, 1, 0, 0, 0, 1)


def _summary(ops: list[tuple]) -> dict:
    """What both sources must agree on, counted the same way: all operations
    modulo the lattice (centrings included), the centring translations, the
    primed operations, the magnetic point group (rotation, prime) and the
    point group."""
    return {
        "operations": len(ops),
        "centrings": sum(1 for r, _, p in ops if r == _IDENTITY and not p),
        "primed": sum(1 for _, _, p in ops if p),
        "anti_translations": sum(1 for r, _, p in ops if r == _IDENTITY and p),
        "magnetic_point_group": len({(r, p) for r, _, p in ops}),
        "point_group": len({r for r, _, _ in ops}),
    }


def _type_of(ops: list[tuple]) -> int:
    """The BNS type read off the operations."""
    primed = [(r, t) for r, t, p in ops if p]
    plain = [(r, t) for r, t, p in ops if not p]
    if not primed:
        return 1
    # theta is an element: the primed operations are the plain ones again
    if (_IDENTITY, (0, 0, 0)) in primed:
        assert sorted(primed) == sorted(plain)
        return 2
    assert len(primed) == len(plain)
    # an anti-translation (identity rotation with theta): type IV
    if any(r == _IDENTITY for r, _ in primed):
        return 4
    # half the operations primed, no anti-translation: the point group halves
    assert len({r for r, _ in plain}) * 2 == len({r for r, _, _ in ops})
    return 3


def _pymatgen_ops(t) -> list[tuple]:
    from pymatgen.symmetry.maggroups import MagneticSpaceGroup

    group = MagneticSpaceGroup(t.bns_symbol)  # by symbol; an int would be OG3 (Litvin)
    assert group._data["bns_number"] == [int(x) for x in t.bns_number.split(".")]
    # pymatgen: time_reversal -1 for a primed operation
    return [_key(op.rotation_matrix, op.translation_vector, op.time_reversal == -1)
            for op in group.symmetry_ops]


def _spglib_number(rotations, translations, cell) -> int:
    """spglib's space group of operations, duplicates dropped, in a cell."""
    unique = {}
    for r, t in zip(rotations, translations):
        unique.setdefault(_key(r, t, False)[:2], (r, np.mod(t, 1.0)))
    rot = np.array([r for r, _ in unique.values()], dtype="intc")
    tr = np.array([t for _, t in unique.values()], dtype=float)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        found = spglib.get_spacegroup_type_from_symmetry(rot, tr, lattice=cell_basis(cell).T)
    return int(found.number)


def _check_type(t) -> None:
    rotations, translations, time_reversals = t.operations()
    assert (rotations.dtype.kind, translations.dtype.kind, time_reversals.dtype.kind) \
        == ("i", "f", "i")
    assert rotations.shape == (len(time_reversals), 3, 3) and translations.shape[1] == 3
    assert set(np.unique(time_reversals).tolist()) <= {0, 1}
    assert np.all((translations >= 0) & (translations < 1))
    ours = [_key(r, s, z) for r, s, z in zip(rotations, translations, time_reversals)]
    theirs = _pymatgen_ops(t)
    assert len(set(ours)) == len(ours) and len(set(theirs)) == len(theirs)  # no duplicates
    assert _summary(ours) == _summary(theirs), t
    assert _type_of(ours) == _type_of(theirs) == t.type, t
    assert set(ours) == set(theirs), t  # the same setting: ISO-MAG's
    # family (theta forgotten) and unitary subgroup, in the family's generic
    # cell (another metric than the one sbs_gap uses)
    cell = generic_cell(space_group_by_number(t.number))
    plain = time_reversals == 0
    family = _spglib_number(rotations, translations, cell)
    unitary = _spglib_number(rotations[plain], translations[plain], cell)
    assert t.family_number() == family == int(t.og_number.split(".")[0]), t
    assert t.unitary_number() == unitary, t
    if t.type != 3:
        assert unitary == t.number, t  # BNS refers to the unitary subgroup
    else:
        assert family == t.number, t


@pytest.mark.parametrize("bns", SAMPLE_BNS)
def test_operations_agree_with_pymatgen_sample(bns):
    _check_type(_by_bns(bns))


@pytest.mark.exhaustive
@pytest.mark.parametrize("t", TYPES, ids=lambda t: t.bns_number)
def test_operations_agree_with_pymatgen_every_type(t):
    _check_type(t)


def test_operations_are_cached_and_read_only():
    t = magnetic_space_group_type("136.499")
    first = t.operations()
    assert t.operations()[0] is first[0]
    with pytest.raises(ValueError):
        first[0][0, 0, 0] = 2


def test_the_settings_spglib_gets_wrong_are_isomags():
    # P2'2'2: the two-folds along x and y carry theta, not the one along z
    rotations, _, time_reversals = magnetic_space_group_type("P2'2'2").operations()
    primed = {tuple(np.diag(r)) for r, z in zip(rotations, time_reversals) if z}
    assert primed == {(1, -1, -1), (-1, 1, -1)}
    # Pnnn (origin choice 2 as space_group("Pnnn")): the inversion at the origin
    rotations, translations, _ = magnetic_space_group_type("Pnnn").operations()
    inversion = [s for r, s in zip(rotations, translations) if (r == -np.eye(3)).all()]
    assert np.allclose(inversion, [[0, 0, 0]])


def test_the_package_does_not_import_pymatgen():
    code = ("import sys; from sbs_gap.groups import magnetic_space_group_type as m; "
            "t = m('P_c4/mmm'); t.operations(); t.family_number(); "
            "print('pymatgen' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         cwd=REPO, timeout=120)
    assert out.stdout.strip() == "False", out.stderr[-2000:]


# ----------------------------------------------------------------------------
# Family and unitary groups
# ----------------------------------------------------------------------------

@pytest.mark.parametrize("name, bns, kind, family, unitary", [
    ("P4_2'/mnm'", "136.499", "III", 136, 58),  # MnF2: unitary part Pnnm
    ("P4_2/mnm1'", "136.496", "II", 136, 136),
    ("P_c4/mmm", "123.348", "IV", 123, 123),  # unitary: P4/mmm with c doubled
    ("P_C4/mmm", "123.349", "IV", 123, 123),  # family: C-centred, i.e. P4/mmm again
    ("P_Im-3m", "221.97", "IV", 229, 221),  # family: body-centred Im-3m
    ("P_C2", "3.6", "IV", 5, 3),  # family C2
    ("P_S1", "1.3", "IV", 1, 1),
    ("Fm-3m'", "225.119", "III", 225, 202),  # unitary Fm-3
    ("Fm'-3'm'", "225.120", "III", 225, 209),  # unitary F432
    ("Pm-3m", "221.92", "I", 221, 221),
])
def test_family_and_unitary_numbers(name, bns, kind, family, unitary):
    t = magnetic_space_group_type(name)
    assert (t.bns_number, t.kind, t.family_number(), t.unitary_number()) \
        == (bns, kind, family, unitary)


def test_grey_type():
    t = grey_type(136)
    assert (t.bns_number, t.bns_symbol, t.type, t.grey) == ("136.496", "P4_2/mnm1'", 2, True)
    assert [grey_type(n).number for n in range(1, 231)] == list(range(1, 231))
    for bad in (0, 231, True, "136", 136.0):
        with pytest.raises(InputError):
            grey_type(bad)


# ----------------------------------------------------------------------------
# Names
# ----------------------------------------------------------------------------

def test_bns_number_and_symbol_name_the_same_type():
    a = magnetic_space_group_type("136.499")
    b = magnetic_space_group_type("P4_2'/mnm'")
    assert a is b
    assert (a.uni_number, a.bns_number, a.type, a.number) == (1159, "136.499", 3, 136)


@pytest.mark.parametrize("text", [
    "P4_2'/mnm'", "P42'/mnm'", " P 4_2' / m n m' ", "BNS 136.499", "bns:136.499",
    "136.499", "p4_2'/MNM'", "P4_2\u2019/mnm\u2019",
])
def test_spellings_of_mnf2(text):
    assert magnetic_space_group_type(text).bns_number == "136.499"


def test_grey_and_type_iv_symbols():
    grey = magnetic_space_group_type("P4_2/mnm1'")
    assert (grey.type, grey.number, grey.bns_number) == (2, 136, "136.496")
    assert magnetic_space_group_type("Pm-3m1'").bns_number == "221.93"
    small, large = magnetic_space_group_type("P_c4/mmm"), magnetic_space_group_type("P_C4/mmm")
    assert small.bns_number != large.bns_number
    assert (small.bns_number, large.bns_number) == ("123.348", "123.349")
    assert magnetic_space_group_type("P_C4_2/mnm").number == 136
    assert magnetic_space_group_type("P_C42/mnm").bns_symbol == "P_C4_2/mnm"


def test_subscript_case_is_significant():
    # P_S1 exists, P_s1 does not: no case folding of the subscript
    assert magnetic_space_group_type("P_S1").bns_number == "1.3"
    with pytest.raises(InputError, match="did you mean P_S1 "):
        magnetic_space_group_type("P_s1")


def test_an_exact_symbol_wins_and_a_tolerant_reading_must_be_unique():
    # P21' is the grey group of P2, not P2_1'
    assert magnetic_space_group_type("P21'").bns_number == "3.2"
    assert magnetic_space_group_type("P2_1'").bns_number == "4.9"
    with pytest.raises(InputError, match=r"ambiguous: P21' \(3\.2\), P2_1' \(4\.9\)"):
        magnetic_space_group_type("p21'")


@pytest.mark.parametrize("text, suggestion", [
    ("P4_2/mnm'1'", "P4_2/mnm1' (136.496)"),
    ("Pm3m1'", "Pm-3m1' (221.93)"),
    ("Fm-3m'1", "Fm-3m' (225.119)"),
    ("P4_2'/mnm", "P4_2'/mnm' (136.499)"),
])
def test_close_matches_are_named_in_one_line(text, suggestion):
    with pytest.raises(InputError) as error:
        magnetic_space_group_type(text)
    message = str(error.value)
    assert "\n" not in message
    assert message.startswith(f"unknown magnetic space group {text!r}")
    assert suggestion in message


@pytest.mark.parametrize("text, expected", [
    ("136.4999", "136.495 to 136.506"),
    ("999.1", "1.1 to 230.149"),
])
def test_unknown_numbers_say_which_exist(text, expected):
    with pytest.raises(InputError, match=re.escape(expected)):
        magnetic_space_group_type(text)


@pytest.mark.parametrize("junk", [
    "", "   ", "x" * 200, 5, None, 136.499, b"136.499", "P4_2'/mnm'; Exec(\"rm\")",
    "__import__('os')", "P4_2'/mnm'\nPm-3m", "x",
])
def test_junk_is_refused(junk):
    with pytest.raises(InputError) as error:
        magnetic_space_group_type(junk)
    assert "\n" not in str(error.value)
    assert len(str(error.value)) < 300
    assert not is_magnetic_space_group_name(junk)


def test_is_magnetic_space_group_name():
    for text in ("136.499", "999.1", "P4_2'/mnm'", "P42'/mnm'", "Pm-3m1'", "P_c4/mmm",
                 "Pm-3m", "BNS 136.499", "p21'"):
        assert is_magnetic_space_group_name(text), text
    for text in ("m-3m1'", "4/mm'm'", "P4_2/mnm'1'", "136", "SG136", "P_s1", ""):
        assert not is_magnetic_space_group_name(text), text


def test_every_symbol_and_number_reads_back():
    for t in TYPES:
        assert magnetic_space_group_type(t.bns_symbol) is t
        assert magnetic_space_group_type(t.bns_number) is t
        assert magnetic_space_group_type(" ".join(t.bns_symbol)) is t
        assert is_magnetic_space_group_name(t.bns_symbol)


def test_sbs_group_lists_a_bns_type_with_its_operations():
    out = sbs("group", "P4_2'/mnm'", "--json")
    assert out.returncode == 0, out.stderr
    record = json.loads(out.stdout)
    assert (record["bns_number"], record["type"], record["family"], record["unitary"]) == \
        ("136.499", "III", 136, 58)
    assert (record["operations_in_cell"], record["with_time_reversal"]) == (16, 8)
    # the 4_2 screw carries theta, the inversion does not (P4_2'/m...)
    assert "y+1/2,-x+1/2,z+1/2,-1" in record["operations"]
    assert "-x,-y,-z,+1" in record["operations"]
    out = sbs("group", "123.348", "--json")
    record = json.loads(out.stdout)
    assert (record["group"], record["type"]) == ("P_c4/mmm", "IV")
    # the anti-translation c/2 of the doubled cell (c of the parent)
    assert "x,y,z+1/2,-1" in record["operations"]
