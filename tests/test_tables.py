"""The committed tables: reproduced byte for byte, and agreeing with the
independent pure-Python engine (which must catch an altered row)."""
import shutil

import pytest

from sbs_gap.breaking import FULL_FIELDS, PARTIAL_FIELDS
from sbs_gap.tables import read_table
from tests.conftest import REPO, run_sbs

TABLES = REPO / "tables"
FILES = ("README.md", "groups.csv", "groups.md", "full.csv", "full.md", "partial.csv",
         "partial.md")
SPACE_FILES = tuple(f"spacegroups/{name}.{ext}" for name in ("normalizers", "full", "partial")
                    for ext in ("csv", "md"))

pytestmark = pytest.mark.gap


def test_committed_tables_are_reproduced_byte_for_byte(tmp_path):
    out = run_sbs("tables", "--out", tmp_path, timeout=1800)
    assert out.returncode == 0, out.stderr
    assert "87 point groups" in out.stdout and "230 space groups" in out.stdout
    assert "total time" in out.stdout
    for name in FILES + SPACE_FILES:
        assert (tmp_path / name).read_bytes() == (TABLES / name).read_bytes(), name
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(FILES + ("spacegroups",))
    assert sorted(p.name for p in (tmp_path / "spacegroups").iterdir()) == \
        sorted(name.split("/")[1] for name in SPACE_FILES)


def test_columns_are_the_json_fields():
    assert list(read_table(TABLES / "full.csv")[0]) == list(FULL_FIELDS)
    assert list(read_table(TABLES / "partial.csv")[0]) == list(PARTIAL_FIELDS)
    full = {r["group"]: r for r in read_table(TABLES / "full.csv")}
    assert len(full) == 87
    assert full["D3"]["normalizer"] == "D6h" and full["D3"]["min_size"] == 6
    assert full["C4"]["normalizer_order"] is None and full["C4"]["min_size"] is None


def test_crosscheck_agrees_on_every_row():
    out = run_sbs("crosscheck", "--tables", TABLES, "--problem",
                  REPO / "examples" / "s4_perm.json", "--problem",
                  REPO / "examples" / "d3_in_d6h_matrices.json", timeout=900)
    assert out.returncode == 0, out.stdout[-3000:] + out.stderr
    assert " 0 disagreements" in out.stdout


def test_crosscheck_catches_an_altered_row(tmp_path):
    for name in ("full.csv", "partial.csv"):
        shutil.copy(TABLES / name, tmp_path / name)
    text = (tmp_path / "partial.csv").read_text()
    lines = text.splitlines(keepends=True)
    i = next(k for k, line in enumerate(lines) if line.startswith("Oh,C4v,"))
    assert lines[i].startswith("Oh,C4v,8,6,true,true,6,6,false")
    lines[i] = "Oh,C4v,8,6,true,true,7,6,false\n"  # exact_min_size 6 -> 7
    (tmp_path / "partial.csv").write_text("".join(lines))
    full = (tmp_path / "full.csv").read_text().replace("D3,6,D6h,24,", "D3,6,D12h,24,")
    (tmp_path / "full.csv").write_text(full)
    out = run_sbs("crosscheck", "--tables", tmp_path, timeout=900)
    assert out.returncode == 1
    assert "2 disagreements" in out.stdout
    assert "partial Oh -> C4v: exact_min_size is 7" in out.stdout
    assert "full D3: normalizer is 'D12h'" in out.stdout


def test_crosscheck_without_tables_exits_2(tmp_path):
    out = run_sbs("crosscheck", "--tables", tmp_path)
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
    out = run_sbs("crosscheck", "--tables", tmp_path, timeout=900)
    assert out.returncode == 1, out.stdout
    assert "2 space groups" in out.stdout and "1 disagreements" in out.stdout
    assert "full P-1: min_size is 3" in out.stdout
