"""The ``sbs`` command as a user runs it: JSON contracts, exit codes, one-line errors."""
import json

import pytest

from tests.conftest import EXAMPLES, run_sbs

pytestmark = pytest.mark.gap


def test_group_json():
    out = run_sbs("group", "D3", "--json")
    assert out.returncode == 0, out.stderr
    record = json.loads(out.stdout)
    assert list(record) == ["group", "order", "schoenflies", "hermann_mauguin", "generators"]
    assert record["order"] == 6 and record["schoenflies"] == "D3"
    assert record["hermann_mauguin"] == "32"
    assert len(record["generators"]) == 2
    assert all(len(m) == 3 and all(len(r) == 3 for r in m) for m in record["generators"])


def test_group_json_for_aliases_and_non_crystallographic():
    record = json.loads(run_sbs("group", "m-3m", "--json").stdout)
    assert (record["group"], record["schoenflies"], record["order"]) == ("m-3m", "Oh", 48)
    record = json.loads(run_sbs("group", "D7d", "--json").stdout)
    assert record["hermann_mauguin"] is None and record["order"] == 28


def test_group_human_output():
    out = run_sbs("group", "Ih")
    assert out.returncode == 0
    assert "120" in out.stdout and "Ih" in out.stdout


def test_problem_json():
    out = run_sbs("group", "--problem", EXAMPLES / "appendix_g.json", "--json")
    assert out.returncode == 0, out.stderr
    assert json.loads(out.stdout) == {"group": "appendix-G", "order": 256,
                                      "ambient_order": 1024, "target_order": 2}


@pytest.mark.parametrize("args,fragment", [
    (("group", "Q7"), "unknown point group"),
    (("group", "C0"), "bad n"),
    (("group", "--problem", "/nonexistent.json"), "cannot read"),
    (("group",), "give a point group name"),
    (("group", "D3", "--problem", "x.json"), "not both"),
    (("group", "D3", "--max-order", "0"), "--max-order"),
    (("group", "D30000h"), "order limit"),
    (("frobnicate",), "invalid choice"),
])
def test_bad_input_exits_2_with_one_line(args, fragment):
    out = run_sbs(*args)
    assert out.returncode == 2
    assert out.stdout == ""
    lines = out.stderr.strip().splitlines()
    assert len(lines) == 1 and fragment in lines[0], out.stderr
    assert "Traceback" not in out.stderr


def test_bad_problem_file_exits_2(tmp_path):
    path = tmp_path / "p.json"
    path.write_text(json.dumps({"name": "x", "ambient": {"permutations": ["(1,2)"]},
                                "group": {"permutations": ["(1,3)"]}}))
    out = run_sbs("group", "--problem", path, "--json")
    assert out.returncode == 2
    assert "not an element of the ambient group" in out.stderr
    assert len(out.stderr.strip().splitlines()) == 1


def test_name_smuggling_changes_nothing(tmp_path):
    marker = tmp_path / "pwned"
    for name in (f'Exec("touch {marker}")', f'C3v"); Exec("touch {marker}"); ("',
                 f"Oh;Exec(\"touch {marker}\")"):
        out = run_sbs("group", name, "--json", cwd=tmp_path)
        assert out.returncode == 2 and "unknown point group" in out.stderr
    assert not marker.exists()
    assert list(tmp_path.iterdir()) == []


def test_missing_gap_exits_3(tmp_path):
    out = run_sbs("group", "D3", env={"SBS_GAP": str(tmp_path / "no-gap")})
    assert out.returncode == 3 and "SBS_GAP" in out.stderr


def test_tables_for_a_subset(tmp_path):
    out = run_sbs("tables", "--groups", "C1,Ci,S2,D3,mm2", "--out", tmp_path)
    assert out.returncode == 0, out.stderr
    assert "4 point groups" in out.stdout and "total time" in out.stdout
    full = (tmp_path / "full.csv").read_text().splitlines()
    assert full[0] == ("group,order,normalizer,normalizer_order,normalizer_finite,ideal,"
                       "min_size,complement")
    assert [line.split(",")[0] for line in full[1:]] == ["C1", "Ci", "D3", "C2v"]
    assert "D3,6,D6h,24,true,true,6," in full[3]
    partial = (tmp_path / "partial.csv").read_text().splitlines()
    assert len(partial) == 1 + 1 + 2 + 4 + 5
    assert (tmp_path / "groups.csv").read_text().count("\n") == 5
    assert "C1, Ci, D3, C2v" in (tmp_path / "README.md").read_text()
    before = {p.name: p.read_bytes() for p in tmp_path.iterdir()}
    again = run_sbs("tables", "--groups", "C1,Ci,S2,D3,mm2", "--out", tmp_path)
    assert again.returncode == 0
    assert {p.name: p.read_bytes() for p in tmp_path.iterdir()} == before  # same bytes


def test_tables_refuse_unknown_groups(tmp_path):
    out = run_sbs("tables", "--groups", "D3,Q5", "--out", tmp_path)
    assert out.returncode == 2 and "Q5" in out.stderr
    assert list(tmp_path.iterdir()) == []
