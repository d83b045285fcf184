"""The magnetic tables (``sbs tables --magnetic``, ``tables/magnetic/``):
rows equal to the API's, field by field; the independent engine agrees (and
catches altered rows); the same bytes on a Dask cluster as locally; the
generated tables reproduced (a sample in ``make test``, more in the
exhaustive tier)."""
import json
import shutil
from dataclasses import asdict
from pathlib import Path

import pytest

from sbs_gap.breaking import (
    magnetic_partial, magnetic_space_classes_over, magnetic_space_partial,
    space_subgroup_classes,
)
from sbs_gap.groups import grey_space_group
from sbs_gap.tables import (
    MAGNETIC_POINT_FIELDS, MAGNETIC_SPACE_FIELDS, MAGNETIC_SPACE_SAMPLE, CrosscheckReport,
    crosscheck_magnetic_tables, magnetic_table_groups, read_table,
)
from tests.conftest import REPO, run_sbs, sbs

pytestmark = pytest.mark.gap

MAGNETIC = REPO / "tables" / "magnetic"
POINT = ("m-3m1'", "2/m1'", "11'")
SPACE = ("P-11'", "P2/m1'")


def _run(groups, folder: Path, *extra) -> Path:
    out = sbs("tables", "--magnetic", "--groups", ",".join(groups), "--workers", "1",
              "--out", folder, *extra)
    assert out.returncode == 0, out.stderr
    assert "total time" in out.stdout
    return folder / "magnetic"


@pytest.fixture(scope="module")
def sample(tmp_path_factory) -> Path:
    """The tables of POINT and SPACE, in this process (shared session)."""
    return _run(POINT + SPACE, tmp_path_factory.mktemp("magnetic"))


def _by_group(rows) -> dict:
    out: dict[str, list[dict]] = {}
    for row in rows:
        out.setdefault(str(row["group"]), []).append(row)
    return out


def test_columns_are_the_json_fields(sample):
    for name, fields in (("pointgroups.csv", MAGNETIC_POINT_FIELDS),
                         ("spacegroups.csv", MAGNETIC_SPACE_FIELDS)):
        assert (sample / name).read_text().splitlines()[0] == ",".join(fields)
    out = sbs("partial", "m-3m1'", "--to", "4/mm'm'", "--json")
    assert tuple(json.loads(out.stdout)[0]) == MAGNETIC_POINT_FIELDS
    out = sbs("partial", "P4_2/mnm1'", "--to", "136.499", "--json")
    assert tuple(json.loads(out.stdout)[0]) == MAGNETIC_SPACE_FIELDS
    assert sorted(p.name for p in sample.iterdir()) == \
        ["README.md", "pointgroups.csv", "pointgroups.md", "spacegroups.csv", "spacegroups.md"]


def test_rows_are_the_api_rows(sample):
    """Every row, field by field (as the CSV spells them), in the API's order:
    the point groups' classes without theta, the space groups' classes over
    their t-subgroups (what `sbs partial GROUP --json` lists first)."""
    point = _by_group(read_table(sample / "pointgroups.csv"))
    assert list(point) == list(POINT)
    for group in POINT:
        expected = [asdict(r) for r in magnetic_partial(group) if not r.time_reversal_kept]
        assert [_typed(r) for r in point[group]] == expected, group
        assert {r["time_reversal_kept"] for r in point[group]} == {False}
    space = _by_group(read_table(sample / "spacegroups.csv"))
    assert list(space) == list(SPACE)
    for group in SPACE:
        grey = grey_space_group(group)
        families = space_subgroup_classes(grey.space_group, kind="t")
        classes = magnetic_space_classes_over(grey, families)
        expected = [asdict(r) for c in classes for r in magnetic_space_partial(grey, c)]
        assert [_typed(r) for r in space[group]] == expected, group
        assert {r["kind"] for r in space[group]} == {"t"}
        assert {r["magnetic_type"] for r in space[group]} == {"I", "III", "IV"}


def _typed(row: dict) -> dict:
    """A CSV row as the API's record (names that read as numbers stay text)."""
    out = dict(row)
    for key in ("subgroup", "subgroup_type", "subgroup_bns_number", "family", "group"):
        if key in out and out[key] is not None:
            out[key] = str(out[key])
    return out


def test_worked_facts_in_the_tables(sample):
    """THEORY section 9 read from the tables: m-3m1' -> 4/mm'm' (size 6) and
    the two domain states of a k = 0 order; P-11' -> P_S-1 (type IV)."""
    point = {(r["group"], r["subgroup"]): r for r in read_table(sample / "pointgroups.csv")}
    row = point[("m-3m1'", "4/mm'm'")]
    assert (row["index"], row["ideal"], row["exact_min_size"]) == (6, True, 6)
    assert ("m-3m1'", "4mm1'") not in point  # theta kept: not an ordering
    space = [r for r in read_table(sample / "spacegroups.csv") if r["group"] == "P-11'"]
    assert len(space) == 24
    assert [sum(r["magnetic_type"] == t for r in space) for t in ("I", "III", "IV")] == [2, 1, 21]


def test_the_independent_engine_agrees(sample):
    """`sbs crosscheck` on the sample: every point-group row, and every
    space-group row read back from its name (plus the class count)."""
    folder = sample.parent
    out = sbs("crosscheck", "--tables", folder, "--magnetic-space-groups", "all")
    assert out.returncode == 0, out.stdout[-3000:] + out.stderr
    assert " 0 disagreements" in out.stdout
    rows = sum(1 for _ in open(sample / "pointgroups.csv")) - 1 + \
        sum(1 for _ in open(sample / "spacegroups.csv")) - 1
    assert (f"{rows} magnetic rows compared ({len(POINT)} grey point groups, "
            f"{len(SPACE)} grey space groups)") in out.stdout


def test_crosscheck_catches_altered_and_missing_rows(sample, tmp_path):
    shutil.copytree(sample, tmp_path / "magnetic")
    path = tmp_path / "magnetic" / "pointgroups.csv"
    lines = path.read_text().splitlines(keepends=True)
    i = next(k for k, line in enumerate(lines) if line.startswith("m-3m1',4/mm'm',"))
    assert ",6,true,true,6,6," in lines[i]
    lines[i] = lines[i].replace(",6,true,true,6,6,", ",6,true,true,7,6,")
    path.write_text("".join(lines))
    path = tmp_path / "magnetic" / "spacegroups.csv"
    lines = path.read_text().splitlines(keepends=True)
    i = next(k for k, line in enumerate(lines) if line.startswith("P-11',\"P_S-1 (2.7) [a,b,2c"))
    assert ",2,false,true,2,2,false,false,2.7,IV," in lines[i]
    lines[i] = lines[i].replace(",2,false,true,2,2,", ",2,true,true,2,2,")
    gone = next(k for k, line in enumerate(lines) if line.startswith("P2/m1',"))
    del lines[gone]
    path.write_text("".join(lines))
    out = sbs("crosscheck", "--tables", tmp_path, "--magnetic-space-groups", "all")
    assert out.returncode == 1
    assert "4 disagreements" in out.stdout, out.stdout
    assert "magnetic m-3m1': {'subgroup_order': 16, 'index': 6" in out.stdout
    assert ("magnetic P-11' -> P_S-1 (2.7) [a,b,2c; 0,0,0]: "
            "generalized_normalizer_is_normalizer is True in the table, False independently"
            ) in out.stdout
    assert "magnetic P2/m1': 87 rows in the table, 88 classes independently" in out.stdout


def test_groups_and_names():
    """Plain names stand for their grey groups; C2221' alone is a point group
    (the grey cyclic group of order 222), SG21 the space group."""
    point, space = magnetic_table_groups("m-3m,Pm-3m,m-3m1',SG21,SG5")
    assert [g.name for g in point] == ["m-3m1'"]
    assert [g.name for g in space] == ["Pm-3m1'", "C2221'", "C21'"]
    point, space = magnetic_table_groups(None)
    assert (len(point), len(space)) == (32, 230)
    out = sbs("tables", "--magnetic", "--groups", "4/mm'm'", "--out", "/nonexistent")
    assert out.returncode == 2 and "not a grey group" in out.stderr


def test_no_spglib_noise_on_stderr(tmp_path, monkeypatch):
    """Naming I4221''s classes meets subgroups for which spglib's magnetic
    dataset finds no type in the first cell tried (then a Niggli cell
    does); spglib's C library prints "Failed to match with UNI number!" for
    each unless SPGLIB_WARNING=OFF, which the sbs script sets (a value of
    the user's own is kept: ON shows them)."""
    monkeypatch.delenv("SPGLIB_WARNING", raising=False)
    out = run_sbs("tables", "--magnetic", "--groups", "I4221'", "--workers", "1",
                  "--out", tmp_path / "quiet")
    assert out.returncode == 0 and out.stderr == "", out.stderr
    rows = read_table(tmp_path / "quiet" / "magnetic" / "spacegroups.csv")
    assert len(rows) == 52
    out = run_sbs("tables", "--magnetic", "--groups", "I4221'", "--workers", "1",
                  "--out", tmp_path / "loud", env={"SPGLIB_WARNING": "ON"})
    assert out.returncode == 0 and "Failed to match with UNI number" in out.stderr
    assert (tmp_path / "loud" / "magnetic" / "spacegroups.csv").read_bytes() == \
        (tmp_path / "quiet" / "magnetic" / "spacegroups.csv").read_bytes()


def test_make_tables_leaves_the_magnetic_tables_alone(tmp_path):
    """`sbs tables` without --magnetic writes no magnetic/ folder."""
    out = sbs("tables", "--groups", "C2v", "--workers", "1", "--out", tmp_path)
    assert out.returncode == 0, out.stderr
    assert not (tmp_path / "magnetic").exists()


# ----------------------------------------------------------------------------
# On a Dask cluster: the same bytes
# ----------------------------------------------------------------------------

DASK = ("11'", "2/m1'", "P-11'", "P2/m1'")


def test_dask_run_is_byte_identical_to_the_local_run(tmp_path):
    """A `distributed.LocalCluster` (two worker processes, one thread each,
    each with its own GAP session, started on its first task) through
    --scheduler: the tables of DASK byte for byte as the local run's."""
    distributed = pytest.importorskip("distributed")
    local = _run(DASK, tmp_path / "local")
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                  dashboard_address=None) as cluster:
        out = sbs("tables", "--magnetic", "--groups", ",".join(DASK), "--out",
                  tmp_path / "dask", "--scheduler", cluster.scheduler_address)
    assert out.returncode == 0, out.stderr
    assert f"on {cluster.scheduler_address}" in out.stdout
    for name in ("pointgroups.csv", "pointgroups.md", "spacegroups.csv", "spacegroups.md",
                 "README.md"):
        assert (tmp_path / "dask" / "magnetic" / name).read_bytes() == \
            (local / name).read_bytes(), name


# ----------------------------------------------------------------------------
# The generated tables/magnetic/ (`make tables-magnetic`)
# ----------------------------------------------------------------------------

def _generated(name: str) -> Path:
    path = MAGNETIC / name
    if not path.is_file():
        pytest.skip(f"no {path.relative_to(REPO)} (run `make tables-magnetic`)")
    return path


def test_the_generated_tables_have_the_sample_rows(sample):
    """The sample's rows are those of tables/magnetic/, in every file."""
    for name in ("pointgroups.csv", "spacegroups.csv", "pointgroups.md", "spacegroups.md"):
        generated = _generated(name).read_text().splitlines()
        made = (sample / name).read_text().splitlines()
        header = 1 if name.endswith(".csv") else 6
        assert made[:header] == generated[:header], name
        for line in made[header:]:
            assert line in generated, (name, line)
    assert (sample / "README.md").read_bytes() == _generated("README.md").read_bytes()


def test_the_generated_tables_cover_every_grey_group():
    point = _by_group(read_table(_generated("pointgroups.csv")))
    space = _by_group(read_table(_generated("spacegroups.csv")))
    groups, grey = magnetic_table_groups(None)
    assert list(point) == [g.name for g in groups]
    assert list(space) == [g.name for g in grey]


@pytest.mark.exhaustive
def test_the_rows_are_the_first_rows_of_sbs_partial(tmp_path):
    """`sbs partial "P4/m1'"` lists the t-subgroup families first: the
    table's rows, then only classes over k-subgroups."""
    folder = _run(("P4/m1'",), tmp_path)
    expected = [_typed(r) for r in read_table(folder / "spacegroups.csv")]
    every = magnetic_space_partial("P4/m1'")
    assert [asdict(r) for r in every[:len(expected)]] == expected
    assert all(r.kind != "t" for r in every[len(expected):])


@pytest.mark.exhaustive
def test_the_generated_point_group_table_is_reproduced(tmp_path):
    """All 32 grey point groups, byte for byte."""
    folder = _run(tuple(g.name for g in magnetic_table_groups(None)[0]), tmp_path)
    for name in ("pointgroups.csv", "pointgroups.md"):
        assert (folder / name).read_bytes() == _generated(name).read_bytes(), name


@pytest.mark.exhaustive
def test_the_generated_space_rows_of_a_larger_sample_are_reproduced(tmp_path):
    """The grey space groups of crosscheck's sample (every family), their
    rows as generated."""
    folder = _run(MAGNETIC_SPACE_SAMPLE, tmp_path)
    generated = _by_group(read_table(_generated("spacegroups.csv")))
    made = _by_group(read_table(folder / "spacegroups.csv"))
    assert list(made) == list(MAGNETIC_SPACE_SAMPLE)
    for group, rows in made.items():
        assert rows == generated[group], group


@pytest.mark.exhaustive
def test_the_independent_engine_agrees_with_every_generated_row():
    """Every point-group row and every space-group row of tables/magnetic/
    (all 230 grey space groups: each name read back, its class counted)."""
    _generated("spacegroups.csv")
    report = CrosscheckReport()
    crosscheck_magnetic_tables(REPO / "tables", report, space_groups="all")
    assert report.disagreements == []
    assert (report.grey_point_groups, report.grey_space_groups) == (32, 230)
