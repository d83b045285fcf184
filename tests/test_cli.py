"""The ``sbs`` command as a user runs it: JSON contracts, exit codes, one-line errors.

Most tests call ``sbs_gap.cli.main`` in this process (``sbs``, on the shared
GAP session); those that only a separate process shows (exit status end to
end, ``python -m sbs_gap.cli``, GAP start-up failures set in the environment,
the start timeout, SIGTERM, what a CLI process imports, what GAP itself sees as
its working directory) run it as one (``run_sbs``)."""
import json
import os
import re
import signal
import subprocess
import sys
import time

import pytest

from tests.conftest import EXAMPLES, REPO, run_sbs, sbs

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
    record = json.loads(sbs("group", "m-3m", "--json").stdout)
    assert (record["group"], record["schoenflies"], record["order"]) == ("m-3m", "Oh", 48)
    record = json.loads(sbs("group", "D7d", "--json").stdout)
    assert record["hermann_mauguin"] is None and record["order"] == 28


def test_group_human_output():
    out = sbs("group", "Ih")
    assert out.returncode == 0
    assert "120" in out.stdout and "Ih" in out.stdout


def test_problem_json():
    out = sbs("group", "--problem", EXAMPLES / "appendix_g.json", "--json")
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
    out = sbs(*args)
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
    out = sbs("tables", "--groups", "C1,Ci,S2,D3,mm2", "--out", tmp_path)
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
    again = sbs("tables", "--groups", "C1,Ci,S2,D3,mm2", "--out", tmp_path)
    assert again.returncode == 0
    assert {p.name: p.read_bytes() for p in tmp_path.iterdir()} == before  # same bytes


def test_tables_refuse_unknown_groups(tmp_path):
    out = sbs("tables", "--groups", "D3,Q5", "--out", tmp_path)
    assert out.returncode == 2 and "Q5" in out.stderr
    assert list(tmp_path.iterdir()) == []


# ----------------------------------------------------------------------------
# Faults a new user hit (issue #12)
# ----------------------------------------------------------------------------

NEGATIVE = ["-1", "-3", "-4", "-6", "-42m", "-43m", "-3m", "-6m2", "-4m2", "m-3m"]


@pytest.mark.parametrize("symbol", NEGATIVE)
def test_hermann_mauguin_symbols_starting_with_minus_parse_everywhere(symbol):
    """Parsed in-process: every subcommand takes them as a group and --to value."""
    from sbs_gap.cli import _normalize_argv, build_parser
    parser = build_parser()
    for command in ("group", "full", "partial", "objects"):
        args = parser.parse_args([command, symbol, "--json"])
        assert args.name == symbol and args.json
    args = parser.parse_args(["partial", "m-3m", "--to", symbol, "--json"])
    assert args.to == symbol and args.json
    args = parser.parse_args(["objects", "m-3m", "--to", symbol])
    assert args.to == symbol
    if symbol.startswith("-"):  # the usual argparse escape works too
        args = parser.parse_args(_normalize_argv(["group", "--", symbol, "--json"]))
        assert args.name == symbol and args.json


def test_negative_symbols_as_a_user_types_them():
    out = sbs("group", "-6m2", "--json")
    assert out.returncode == 0, out.stderr
    assert json.loads(out.stdout)["schoenflies"] == "D3h"
    out = sbs("full", "-43m", "--json")
    assert out.returncode == 0 and json.loads(out.stdout)["normalizer"] == "Oh"
    out = sbs("group", "--", "-6m2", "--json")
    assert out.returncode == 0 and json.loads(out.stdout)["order"] == 12
    out = sbs("partial", "m-3m", "--to", "-43m", "--json")
    assert out.returncode == 0 and json.loads(out.stdout)[0]["subgroup"] == "Td"
    out = sbs("objects", "-4m2", "--to", "-4", "--json")
    assert out.returncode == 0 and json.loads(out.stdout)["subgroup"] == "S4"


def test_gap_that_exits_at_start_exits_3_with_one_line(tmp_path):
    out = run_sbs("group", "D3", env={"SBS_GAP": "false"})
    assert out.returncode == 3
    assert "GAP exited during start-up with status 1" in out.stderr
    assert len(out.stderr.strip().splitlines()) == 1 and "Traceback" not in out.stderr


def test_gap_that_never_answers_exits_3_after_the_start_timeout():
    start = time.monotonic()
    out = run_sbs("full", "D3", env={"SBS_GAP": "sleep 600", "SBS_GAP_START_TIMEOUT": "2"})
    assert time.monotonic() - start < 20
    assert out.returncode == 3
    assert "GAP did not answer within 2 s of starting" in out.stderr
    assert len(out.stderr.strip().splitlines()) == 1


def test_a_cli_process_does_not_import_torch():
    """The group-theory commands answer without torch or e3nn (only the demos
    and the network code need them)."""
    code = ("import sys\nfrom sbs_gap.cli import main\nrc = main(['full', 'D3', '--json'])\n"
            "print(rc, 'torch' in sys.modules, 'e3nn' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=REPO,
                         timeout=300)
    assert out.stdout.split()[-3:] == ["0", "False", "False"], out.stderr


def _children(pid: int) -> list[int]:
    kids = []
    for entry in os.listdir("/proc"):
        try:
            with open(f"/proc/{entry}/stat") as f:
                stat = f.read()
        except (OSError, ValueError):
            continue
        if stat[stat.rindex(")") + 2:].split()[1] == str(pid):
            kids.append(int(entry))
    return kids


def _alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as f:
            return f.read().split(") ")[1][0] != "Z"
    except FileNotFoundError:
        return False


def test_sigterm_exits_143_and_leaves_no_gap_process():
    """SIGTERM while the CLI waits for GAP: exit status 128 + 15, no traceback,
    and the GAP process it started is gone."""
    env = dict(os.environ, SBS_GAP="sleep 600", SBS_GAP_START_TIMEOUT="120")
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(REPO), env.get("PYTHONPATH")]))
    proc = subprocess.Popen([sys.executable, "-m", "sbs_gap.cli", "full", "D3"], cwd=REPO,
                            env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 60
        while not _children(proc.pid) and time.monotonic() < deadline:
            assert proc.poll() is None, proc.communicate()
            time.sleep(0.05)
        gap_pids = _children(proc.pid)
        assert gap_pids, "the CLI did not start GAP within 60 s"
        proc.send_signal(signal.SIGTERM)
        _, stderr = proc.communicate(timeout=60)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.communicate()
    assert proc.returncode == 128 + signal.SIGTERM, stderr
    assert "Traceback" not in stderr
    deadline = time.monotonic() + 10
    while any(map(_alive, gap_pids)) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not any(map(_alive, gap_pids))


def test_max_order_applies_to_point_groups():
    for command in ("group", "full", "partial", "objects"):
        out = sbs(command, "D3", "--max-order", "5")
        assert out.returncode == 2 and "order limit 5" in out.stderr, command
    assert sbs("full", "D3", "--max-order", "6").returncode == 0


def test_a_failed_verification_is_not_reported_as_a_gap_failure(monkeypatch, capsys):
    """A bug caught by the numerical checks says so (unit test of the CLI's
    error reporting; the checks themselves are tested in test_objects.py)."""
    import sbs_gap.objects
    from sbs_gap import VerificationError
    from sbs_gap.cli import main

    def broken(*args, **kwargs):
        raise VerificationError("the set is not closed under the generalized normalizer")

    monkeypatch.setattr(sbs_gap.objects, "symmetry_breaking_sets", broken)  # what the CLI calls
    assert main(["objects", "D3"]) == 1
    err = capsys.readouterr().err
    assert "GAP failed" not in err and "verification" in err and "not closed" in err


def test_dependency_floors_cover_what_is_used():
    """spglib's dataset attributes (dataset.rotations) need spglib >= 2.5."""
    text = (REPO / "pyproject.toml").read_text()
    floor = re.search(r'"spglib>=([0-9.]+)"', text).group(1)
    assert tuple(int(x) for x in floor.split(".")) >= (2, 5)


def test_tables_check_the_output_folder_before_computing():
    start = time.monotonic()
    out = sbs("tables", "--groups", "Oh", "--out", "/proc/nope")
    assert out.returncode == 2 and "cannot write tables to '/proc/nope'" in out.stderr
    assert len(out.stderr.strip().splitlines()) == 1 and time.monotonic() - start < 30
