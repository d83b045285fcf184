"""The committed tables: reproduced byte for byte, and agreeing with the
independent pure-Python engine (which must catch an altered row)."""
import shutil

import pytest

from sbs_gap.breaking import FULL_FIELDS, PARTIAL_FIELDS
from sbs_gap.tables import read_table, table_groups
from tests.conftest import REPO, run_sbs, sbs

TABLES = REPO / "tables"
FILES = ("README.md", "groups.csv", "groups.md", "full.csv", "full.md", "partial.csv",
         "partial.md")
SPACE_FILES = tuple(f"spacegroups/{name}.{ext}" for name in ("normalizers", "full", "partial")
                    for ext in ("csv", "md"))

pytestmark = pytest.mark.gap


# `make test` regenerates and crosschecks a fixed sample in this process (on
# the shared GAP session): point groups of every family (Oh and Ih, the
# largest crystallographic and non-crystallographic, among them), and space
# groups of every crystal family.  `make test-exhaustive` regenerates
# every point group and all 230 types in a separate process, byte for byte,
# and compares every committed row with the independent engine.
POINT_SAMPLE = ("C1", "Ci", "Cs", "C2", "C5", "C12", "C2v", "C3v", "C7v", "C2h", "C3h", "S4",
                "S6", "S10", "D2", "D3", "D5", "D2h", "D3h", "D4h", "D2d", "D3d", "T", "Td",
                "O", "Oh", "Ih")
SPACE_SAMPLE = (1, 2, 14, 25, 99, 160, 166, 194, 195)


def _group_rows(path, first_column: int):
    """Data lines (CSV rows or Markdown table rows) by their group."""
    rows: dict[str, list[str]] = {}
    markdown = path.suffix == ".md"
    for number, line in enumerate(path.read_text().splitlines()):
        if markdown:
            if not line.startswith("|") or \
                    line.startswith(("| group", "| number", "| Schoenflies")) \
                    or set(line) <= set("|- "):
                continue
            key = line.split("|")[1 + first_column].strip()
        elif number == 0:
            continue  # the header
        else:
            key = line.split(",")[first_column]
        rows.setdefault(key, []).append(line)
    return rows


def _sample_order(names, every):
    """``names`` in the order of ``every`` (the committed tables' order)."""
    assert set(names) <= set(every), set(names) - set(every)
    return [name for name in every if name in names]


def test_a_sample_of_the_committed_tables_is_reproduced(tmp_path):
    """In this process, on the shared session: the sampled point groups' and
    space groups' rows equal the committed rows of those groups, in order, in
    every file (CSV and Markdown; the catalog too)."""
    points = _sample_order(POINT_SAMPLE, [g.schoenflies for g in table_groups()])
    space = [f"SG{n}" for n in SPACE_SAMPLE]
    out = sbs("tables", "--groups", ",".join(points + space), "--workers", "1",
              "--out", tmp_path)
    assert out.returncode == 0, out.stderr
    assert f"{len(points)} point groups" in out.stdout
    assert f"{len(SPACE_SAMPLE)} space groups" in out.stdout and "total time" in out.stdout
    for name in FILES + SPACE_FILES:
        if name == "README.md":  # it lists the groups asked for
            continue
        column = 1 if name.startswith("spacegroups/normalizers") else 0
        made = _group_rows(tmp_path / name, column)
        committed = _group_rows(TABLES / name, column)
        expected = len(SPACE_SAMPLE) if name.startswith("spacegroups/") else len(points)
        assert len(made) == expected, name
        assert list(made) == [group for group in committed if group in made], name
        for group, lines in made.items():
            assert lines == committed[group], (name, group)
        assert len(committed) == (230 if name.startswith("spacegroups/") else 87), name
    for name in ("full.csv", "partial.csv", "groups.csv"):  # the header lines too
        assert (tmp_path / name).read_text().splitlines()[0] == \
            (TABLES / name).read_text().splitlines()[0]
    assert sorted(p.name for p in (tmp_path / "spacegroups").iterdir()) == \
        sorted(name.split("/")[1] for name in SPACE_FILES)


@pytest.mark.exhaustive
def test_committed_tables_are_reproduced_byte_for_byte(tmp_path):
    """Every point group and all 230 space-group types, in a separate process
    with its own GAP sessions (as `make tables` runs): every file byte for
    byte, and each group's rows equal the committed rows, in order."""
    points = ",".join(g.schoenflies for g in table_groups())
    space = ",".join(f"SG{n}" for n in range(1, 231))
    out = run_sbs("tables", "--groups", f"{points},{space}", "--out", tmp_path, timeout=1800)
    assert out.returncode == 0, out.stderr
    assert "87 point groups" in out.stdout and "230 space groups" in out.stdout
    assert "total time" in out.stdout
    # README.md too: it lists the groups asked for, here every group in the
    # default order, so it is make tables' own (a stale committed README,
    # as 1fdfcc2 left it, is caught)
    for name in FILES + SPACE_FILES:
        assert (tmp_path / name).read_bytes() == (TABLES / name).read_bytes(), name
    for name in SPACE_FILES:
        column = 1 if name.startswith("spacegroups/normalizers") else 0
        made = _group_rows(tmp_path / name, column)
        committed = _group_rows(TABLES / name, column)
        assert len(made) == 230, name
        for group, lines in made.items():
            assert lines == committed[group], (name, group)
        assert len(committed) == 230, name
    assert sorted(p.name for p in (tmp_path / "spacegroups").iterdir()) == \
        sorted(name.split("/")[1] for name in SPACE_FILES)


def test_columns_are_the_json_fields():
    assert list(read_table(TABLES / "full.csv")[0]) == list(FULL_FIELDS)
    assert list(read_table(TABLES / "partial.csv")[0]) == list(PARTIAL_FIELDS)
    full = {r["group"]: r for r in read_table(TABLES / "full.csv")}
    assert len(full) == 87
    assert full["D3"]["normalizer"] == "D6h" and full["D3"]["min_size"] == 6
    assert full["C4"]["normalizer_order"] is None and full["C4"]["min_size"] is None


def _sample_tables(folder, points=POINT_SAMPLE, space=SPACE_SAMPLE):
    """The committed rows of the sampled groups (headers kept) in ``folder``."""
    space_names = {str(r["group"]) for r in read_table(TABLES / "spacegroups" / "full.csv")
                   if r["number"] in space}
    assert len(space_names) == len(space)
    for name in ("full.csv", "partial.csv"):
        lines = (TABLES / name).read_text().splitlines(keepends=True)
        (folder / name).write_text("".join(lines[:1] + [line for line in lines[1:]
                                                          if line.split(",")[0] in points]))
    if not space:
        return folder
    (folder / "spacegroups").mkdir()
    for name, column in (("normalizers.csv", 1), ("full.csv", 0), ("partial.csv", 0)):
        lines = (TABLES / "spacegroups" / name).read_text().splitlines(keepends=True)
        kept = [line for line in lines[1:] if line.split(",")[column] in space_names]
        (folder / "spacegroups" / name).write_text("".join(lines[:1] + kept))
    return folder


def test_crosscheck_agrees_on_a_sample(tmp_path, independent_answers):
    """The sampled groups' committed rows and two problem files, in this process."""
    folder = _sample_tables(tmp_path)
    out = sbs("crosscheck", "--tables", folder, "--problem",
              REPO / "examples" / "s4_perm.json", "--problem",
              REPO / "examples" / "d3_in_d6h_matrices.json")
    assert out.returncode == 0, out.stdout[-3000:] + out.stderr
    assert " 0 disagreements" in out.stdout
    assert (f"({len(POINT_SAMPLE)} point groups, {len(SPACE_SAMPLE)} space groups, "
            "2 problem files)") in out.stdout


def _assert_crosscheck_catches_two_altered_rows(folder):
    """Alter one partial row (Oh -> C4v) and one full row (D3) of the tables in
    `folder`, and check that crosscheck reports exactly those two."""
    text = (folder / "partial.csv").read_text()
    lines = text.splitlines(keepends=True)
    i = next(k for k, line in enumerate(lines) if line.startswith("Oh,C4v,"))
    assert lines[i].startswith("Oh,C4v,8,6,true,true,6,6,false")
    lines[i] = "Oh,C4v,8,6,true,true,7,6,false\n"  # exact_min_size 6 -> 7
    (folder / "partial.csv").write_text("".join(lines))
    full = (folder / "full.csv").read_text().replace("D3,6,D6h,24,", "D3,6,D12h,24,")
    (folder / "full.csv").write_text(full)
    out = sbs("crosscheck", "--tables", folder)
    assert out.returncode == 1
    assert "2 disagreements" in out.stdout
    assert "partial Oh -> C4v: exact_min_size is 7" in out.stdout
    assert "full D3: normalizer is 'D12h'" in out.stdout


def test_crosscheck_catches_an_altered_row_in_a_sample(tmp_path, independent_answers):
    """As test_crosscheck_catches_an_altered_row, on the sampled point groups."""
    _sample_tables(tmp_path, space=())
    _assert_crosscheck_catches_two_altered_rows(tmp_path)


@pytest.mark.exhaustive
def test_crosscheck_agrees_on_every_row(independent_answers):
    out = sbs("crosscheck", "--tables", TABLES, "--problem",
              REPO / "examples" / "s4_perm.json", "--problem",
              REPO / "examples" / "d3_in_d6h_matrices.json")
    assert out.returncode == 0, out.stdout[-3000:] + out.stderr
    assert " 0 disagreements" in out.stdout


@pytest.mark.exhaustive
def test_crosscheck_catches_an_altered_row(tmp_path, independent_answers):
    """Every committed point-group row; the independent answers are those the
    previous test computed (session fixture ``independent_answers``)."""
    for name in ("full.csv", "partial.csv"):
        shutil.copy(TABLES / name, tmp_path / name)
    _assert_crosscheck_catches_two_altered_rows(tmp_path)


def test_crosscheck_without_tables_exits_2(tmp_path):
    out = sbs("crosscheck", "--tables", tmp_path)
    assert out.returncode == 2 and "make tables" in out.stderr


def test_crosscheck_catches_an_altered_space_group_row(tmp_path):
    """The space-group tables are compared too: a subset with one wrong value."""
    keep_point = lambda line: line.startswith(("group,", "C1,"))  # noqa: E731
    for name in ("full.csv", "partial.csv"):
        lines = (TABLES / name).read_text().splitlines(keepends=True)
        (tmp_path / name).write_text("".join(filter(keep_point, lines)))
    (tmp_path / "spacegroups").mkdir()
    for name, column in (("normalizers.csv", 1), ("full.csv", 0), ("partial.csv", 0)):
        lines = (TABLES / "spacegroups" / name).read_text().splitlines(keepends=True)
        kept = [lines[0]] + [line for line in lines[1:]
                             if line.split(",")[column] in ("Pm-3m", "P-1")]
        (tmp_path / "spacegroups" / name).write_text("".join(kept))
    full = (tmp_path / "spacegroups" / "full.csv").read_text()
    assert "\nP-1,2,P-1,8,0,1,true,2," in full
    (tmp_path / "spacegroups" / "full.csv").write_text(
        full.replace("\nP-1,2,P-1,8,0,1,true,2,", "\nP-1,2,P-1,8,0,1,true,3,"))
    out = sbs("crosscheck", "--tables", tmp_path)
    assert out.returncode == 1, out.stdout
    assert "2 space groups" in out.stdout and "1 disagreements" in out.stdout
    assert "full P-1: min_size is 3" in out.stdout
