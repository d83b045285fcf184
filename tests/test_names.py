"""Issue #23 (items 6, 7, 9): the names people type, clear answers instead of
a traceback or a hint that is no subgroup, and simple class names."""
from __future__ import annotations

import json
import re
from fractions import Fraction

import pytest

from sbs_gap import breaking
from sbs_gap.cli import main
from sbs_gap.errors import InputError
from sbs_gap.groups import PointGroup, SpaceGroup, group_by_name, space_group


def run(capsys, *args) -> tuple[int, str, str]:
    """The CLI in this process: (exit status, stdout, stderr)."""
    code = main(list(args))
    out = capsys.readouterr()
    return code, out.out, out.err


# --- names -------------------------------------------------------------------

@pytest.mark.parametrize("text, number, name", [
    ("Pm3m", 221, "Pm-3m"), ("Fm3m", 225, "Fm-3m"), ("Fd3m", 227, "Fd-3m"),
    ("Ia3d", 230, "Ia-3d"), ("Pa3", 205, "Pa-3"), ("fd3m:1", 227, "Fd-3m:1"),
    ("p4mm", 99, "P4mm"), ("PM-3M", 221, "Pm-3m"), ("pnma", 62, "Pnma"),
    ("P21/c", 14, "P2_1/c"), ("P42/mnm", 136, "P4_2/mnm"), ("P 1 21/c 1", 14, "P2_1/c"),
    ("r-3m:r", 166, "R-3m:R"),
    # a bar-free form another symbol already spells is that symbol
    ("P1", 1, "P1"), ("P-1", 2, "P-1"), ("R3m", 160, "R3m"), ("P3m1", 156, "P3m1"),
])
def test_space_group_spellings(text, number, name):
    g = space_group(text)
    assert (g.number, g.name) == (number, name)
    assert isinstance(group_by_name(text), SpaceGroup)


@pytest.mark.parametrize("text", ["P21/n", "P2_1/n", "p21/n"])
def test_monoclinic_short_symbol_of_a_refused_setting_names_the_standard_one(text):
    with pytest.raises(InputError) as err:
        group_by_name(text)
    message = str(err.value)
    assert "\n" not in message
    for words in ("non-standard setting of P2_1/c (No. 14)", "P 1 2_1/n 1",
                  "supported settings", "P2_1/c (P 1 2_1/c 1)"):
        assert words in message, message


def test_orthorhombic_permutation_names_the_standard_symbol():
    with pytest.raises(InputError) as err:
        space_group("Pbnm")
    assert "non-standard setting of Pnma (No. 62)" in str(err.value)


@pytest.mark.parametrize("text, kind, suggestion", [
    ("Pm3q", "unknown space group", "Pm-3"), ("Fd3q", "unknown space group", "Fd-3"),
    ("C4x", "unknown point group", None), ("Td1", "unknown point group", "Td"),
])
def test_unknown_names_get_suggestions_of_their_kind(text, kind, suggestion):
    with pytest.raises(InputError) as err:
        group_by_name(text)
    message = str(err.value)
    assert message.startswith(kind), message
    if suggestion is not None:
        assert "did you mean" in message and suggestion in message.split("did you mean")[1]
    # a space-group-looking name is never offered point groups
    if kind == "unknown space group":
        offered = message.split("did you mean")[1].strip(" ?").split(", ")
        assert all(isinstance(group_by_name(x), SpaceGroup) for x in offered), offered


@pytest.mark.parametrize("text, schoenflies", [("C4V", "C4v"), ("OH", "Oh"), ("d3h", "D3h"),
                                               ("c2", "C2"), ("C2", "C2")])
def test_point_group_names_in_any_case_stay_point_groups(text, schoenflies):
    g = group_by_name(text)
    assert isinstance(g, PointGroup) and g.schoenflies == schoenflies == g.name


def test_a_subgroup_named_in_another_case(gap):
    """('Oh', 'C4V') said 'not a subgroup of Oh': K's name is resolved like S's."""
    from sbs_gap import symmetry_breaking_set

    (row,) = breaking.partial_breaking("Oh", "C4V", session=gap)
    assert row.subgroup == "C4v"
    assert symmetry_breaking_set("Oh", "C4V").subgroup == "C4v"
    (row,) = breaking.space_group_partial("Pm-3m", "p4mm", session=gap)
    assert row.subgroup.startswith("P4mm (99)")


# --- answers instead of tracebacks and guesses ---------------------------------

def test_fd3m_has_no_small_maximal_k_subgroups(capsys):
    """Fd-3m has no maximal k-subgroup of index 2 to 4 (as in the Bilbao data
    of tests/data/bilbao_maximal.json): a line, not an IndexError."""
    code, out, err = run(capsys, "partial", "Fd-3m", "--kind", "k")
    assert (code, err) == (0, "")
    assert out.strip() == ("Fd-3m has no maximal k-subgroups of index 2 to 4 "
                           "(--kind k lists only those)")
    code, out, err = run(capsys, "partial", "Fd3m", "--kind", "k", "--json")
    assert (code, json.loads(out), err) == (0, [], "")


def test_hint_for_a_type_that_is_no_subgroup(capsys):
    code, out, err = run(capsys, "partial", "Pm-3m", "--to", "P6mm")
    assert code == 2 and out == ""
    assert err.strip() == ("sbs: error: P6mm is not a subgroup of Pm-3m: its point group 6mm "
                           "is not a subgroup of m-3m")


def test_hint_suggests_only_a_subgroup_the_engine_found(capsys, gap):
    code, _, err = run(capsys, "partial", "Pm-3m", "--to", "I4/mcm")
    assert code == 2 and len(err.strip().splitlines()) == 1
    suggested = re.search(r"e\.g\. '([^']+)'", err).group(1)
    assert suggested == "I4/mcm (140) [a-b,a+b,2c; 0,0,0]"
    # the suggestion is a subgroup: --to takes it as written, to the same class
    structure = breaking.space_group_structure("Pm-3m", session=gap)
    (cls,) = breaking.select_space_classes(structure, suggested, session=gap)
    assert (cls.name, cls.index) == (suggested, 6)


def test_hint_points_at_the_other_kind(capsys):
    code, _, err = run(capsys, "partial", "Pm-3m", "--kind", "t", "--to", "Fm-3m")
    assert code == 2
    assert "among its maximal k-subgroups" in err and "Fm-3m (225) [2a,2b,2c; 0,0,0]" in err


def test_complement_reads_as_a_point_group(capsys):
    code, out, _ = run(capsys, "full", "P1")
    assert code == 0
    header, row = out.splitlines()
    column = header.index("complement")
    assert row[column:].startswith("-1 (Ci) ")
    code, out, _ = run(capsys, "full", "P1", "--json")
    assert json.loads(out)["complement"] == "-1"  # the JSON keeps the symbol


# --- simple class names ----------------------------------------------------------

@pytest.mark.parametrize("S, K, name", [
    ("Ia-3", "Ia-3", "Ia-3 (206) [a,b,c; 0,0,0]"),
    ("Ia-3d", "Ia-3", "Ia-3 (206) [a,b,c; 0,0,0]"),
    ("F-43m", "F-43m", "F-43m (216) [a,b,c; 0,0,0]"),
    ("Fm-3m", "F-43m", "F-43m (216) [a,b,c; 0,0,0]"),
    ("Fd-3m", "F-43m", "F-43m (216) [a,b,c; 1/8,1/8,1/8]"),
    ("Fd-3m", "Fddd", "Fddd (70) [a,b,c; 0,0,0]"),
    ("Pm-3m", "R3m", "R3m (160) [a-b,b-c,a+b+c; 0,0,0]"),
])
def test_simplest_representative(gap, S, K, name):
    (row,) = breaking.space_group_partial(S, K, session=gap)
    assert row.subgroup == name


@pytest.mark.parametrize("S", [pytest.param("Ia-3d", marks=pytest.mark.exhaustive), "Fd-3m",
                               pytest.param("I4_1/amd", marks=pytest.mark.exhaustive)])
def test_names_are_of_the_class_and_simple(gap, S):
    """Each name, given back to --to, is checked by the engine (its
    operations are in S) and names the same class; origins are reduced,
    small fractions (the free origin of a polar K shows no odd 5/24)."""
    structure = breaking.space_group_structure(S, session=gap)
    for cls in breaking.space_subgroup_classes(S, session=gap):
        (back,) = breaking.select_space_classes(structure, f"{cls.symbol} [{cls.transformation}]",
                                                session=gap)
        assert (back.name, back.index, back.size) == (cls.name, cls.index, cls.size)
        origin = [Fraction(x) for x in cls.transformation.split("; ")[1].split(",")]
        assert all(abs(x) < 1 and x.denominator <= 8 for x in origin), cls.name
