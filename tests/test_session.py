"""The GAP bridge against a real GAP: errors, timeouts, deaths, threads, cleanup."""
import os
import signal
from pathlib import Path
import threading
import time

import pytest

from sbs_gap import GapDied, GapError, GapNotFoundError, GapStartError, GapTimeout
from sbs_gap.breaking import problem_info
from sbs_gap.exact import parse_exact
from sbs_gap.gap import GapPool, GapSession, StoreKey, find_gap_command, gap_literal

pytestmark = pytest.mark.gap


def _alive(pid):
    try:
        with open(f"/proc/{pid}/stat") as f:
            return f.read().split(") ", 1)[1].split()[0] != "Z"
    except FileNotFoundError:
        return False


def test_start_version_and_trivial_call(fresh_gap):
    fresh_gap.start()
    assert fresh_gap.version.startswith("4.")
    assert fresh_gap.call("SBS_Equal", 2, 2) is True
    assert fresh_gap.call("SBS_Equal", parse_exact("1/2"), parse_exact("2/4")) is True


def test_gap_error_is_raised_and_the_session_stays_usable(fresh_gap):
    fresh_gap.start()
    pid = fresh_gap.pid
    with pytest.raises(GapError) as err:
        fresh_gap.call("SBS_Fail", 1)
    assert "divisor" in str(err.value) and "divisor" in err.value.gap_message
    assert fresh_gap.call("SBS_Equal", 1, 1) is True
    assert fresh_gap.pid == pid  # no restart was needed


def test_gap_errors_name_the_file_and_line():
    """GAP reads the package from its files, so errors say where they arose."""
    with GapSession(load="package") as session:
        session.load_extension("testing")
        with pytest.raises(GapError) as err:
            session.call("SBS_Fail", 1)
    assert err.value.location is not None
    path, line = err.value.location.rsplit(":", 1)
    assert path == "gap/testing.gi" and int(line) > 0
    assert f"(at {err.value.location})" in str(err.value)
    source = (Path(__file__).resolve().parent.parent / "gap_scripts" / path).read_text()
    assert "1 / (n - n)" in source.splitlines()[int(line) - 1]


def test_streamed_package_works_the_same():
    """The package sent through stdin (for a GAP that cannot see our files)."""
    with GapSession(load="stream") as streamed, GapSession(load="package") as read:
        assert streamed.start().version == read.start().version
        for s in (streamed, read):
            s.load_extension("testing")
        assert streamed.call("SBS_Equal", 2, 2) is read.call("SBS_Equal", 2, 2) is True
        with pytest.raises(GapError) as err:
            streamed.call("SBS_Fail", 1)
        assert err.value.location is None and "divisor" in str(err.value)


def test_demo_and_test_code_is_not_loaded_by_default(fresh_gap):
    with GapSession() as plain:
        with pytest.raises(GapError, match="SBS_Spin"):
            plain.call("SBS_Spin", 1)
        with pytest.raises(GapError, match="SBS_IsingSymmetry"):
            plain.call("SBS_IsingSymmetry", 4, [], [1, 2, 3, 4])
    assert fresh_gap.call("SBS_Spin", 1) is True  # loaded where asked for


def test_gap_that_exits_at_start_gives_a_clear_error(monkeypatch):
    monkeypatch.setenv("SBS_GAP", "false")
    with GapSession() as session:
        with pytest.raises(GapStartError, match="exited during start-up with status 1"):
            session.start()
    with GapSession(["sh", "-c", "echo no such library >&2; exit 4"]) as session:
        with pytest.raises(GapStartError, match="status 4: no such library"):
            session.call("SBS_Version")


def test_gap_that_never_answers_times_out_at_start(monkeypatch):
    monkeypatch.setenv("SBS_GAP_START_TIMEOUT", "1.5")
    start = time.monotonic()
    with GapSession(["sleep", "60"]) as session:
        with pytest.raises(GapStartError, match="did not answer within 1.5 s of starting"):
            session.start()
        assert session.pid is None
    assert time.monotonic() - start < 10
    monkeypatch.setenv("SBS_GAP_START_TIMEOUT", "soon")
    with pytest.raises(GapNotFoundError, match="SBS_GAP_START_TIMEOUT"):
        GapSession(["sleep", "60"]).start()


def test_timeout_interrupts_and_next_call_works(fresh_gap):
    fresh_gap.start()
    start = time.monotonic()
    with pytest.raises(GapTimeout):
        fresh_gap.call("SBS_Spin", 20_000, timeout=0.5)
    assert time.monotonic() - start < 5
    assert fresh_gap.call("SBS_Spin", 1) is True


def test_gap_killed_mid_call_is_restarted_and_the_call_retried(fresh_gap):
    fresh_gap.start()
    pid = fresh_gap.pid
    threading.Timer(0.3, os.kill, (pid, signal.SIGKILL)).start()
    assert fresh_gap.call("SBS_Spin", 1000, timeout=30) is True
    assert fresh_gap.pid != pid and fresh_gap.starts == 2
    assert not _alive(pid)


def test_gap_killed_between_calls_restarts_on_the_next_call(fresh_gap):
    fresh_gap.start()
    pid = fresh_gap.pid
    os.kill(pid, signal.SIGKILL)
    time.sleep(0.2)
    assert fresh_gap.call("SBS_Equal", 3, 3) is True
    assert fresh_gap.pid != pid


def test_gap_that_keeps_dying_gives_a_clear_error(fresh_gap):
    fresh_gap.start()
    stop = threading.Event()

    def killer():
        while not stop.is_set():
            pid = fresh_gap.pid
            if pid:
                try:
                    os.kill(pid, signal.SIGKILL)
                except ProcessLookupError:
                    pass
            time.sleep(0.05)

    thread = threading.Thread(target=killer)
    thread.start()
    try:
        with pytest.raises(GapDied, match="died"):
            fresh_gap.call("SBS_Spin", 3000, timeout=30)
    finally:
        stop.set()
        thread.join()
    assert fresh_gap.call("SBS_Equal", 1, 1) is True


def test_registered_objects_survive_a_restart(fresh_gap):
    from sbs_gap import load_problem
    from tests.conftest import EXAMPLES
    problem = load_problem(EXAMPLES / "s4_perm.json")
    assert problem_info(problem, session=fresh_gap).order == 12
    os.kill(fresh_gap.pid, signal.SIGKILL)
    time.sleep(0.2)
    assert problem_info(problem, session=fresh_gap).ambient_order == 24


def test_close_leaves_no_process():
    session = GapSession().start()
    pid = session.pid
    assert _alive(pid)
    session.close()
    assert not _alive(pid)
    with pytest.raises(GapError):
        session.call("SBS_Equal", 1, 1)
    session.close()  # idempotent


def test_exception_inside_with_block_leaves_no_process():
    with pytest.raises(RuntimeError):
        with GapSession() as session:
            pid = session.start().pid
            raise RuntimeError("boom")
    assert not _alive(pid)


def test_threads_share_one_session_safely(fresh_gap):
    results, errors = [], []

    def worker(k):
        try:
            for i in range(20):
                results.append(fresh_gap.call("SBS_Equal", k * 100 + i, k * 100 + i))
        except Exception as exc:  # noqa: BLE001
            errors.append(exc)

    threads = [threading.Thread(target=worker, args=(k,)) for k in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors and results == [True] * 80


def test_pool_runs_calls_in_parallel():
    with GapPool(size=2) as pool:
        pool.load_extension("testing")
        pids = [s.start().pid for s in pool.sessions]
        start = time.monotonic()
        assert pool.map("SBS_Spin", [(700,), (700,)]) == [True, True]
        elapsed = time.monotonic() - start
        assert elapsed < 1.3  # two 0.7 s calls ran side by side
    assert not any(_alive(p) for p in pids)


def test_only_our_functions_and_generated_literals_reach_gap(fresh_gap):
    for name in ("Exec", "Read", "SBS_Equal; Exec", "Process", "sbs_equal", "",
                 "SBS_Equal\nExec"):
        with pytest.raises(ValueError):
            fresh_gap.call(name, 1)
    with pytest.raises(TypeError):
        fresh_gap.call("SBS_Equal", 'Exec("touch /tmp/x")', 1)
    with pytest.raises(TypeError):
        gap_literal(1.5)
    for bad in ('k"); Exec("ls', "K1", "", "k" * 65, "k\n"):
        with pytest.raises(ValueError):
            StoreKey(bad)
    with pytest.raises(TypeError):
        fresh_gap.ensure("plainkey", "SBS_RegisterPermGroup", [[2, 1]], 10)
    assert gap_literal([1, (2, -3), None, True, StoreKey("k1")]) == '[1,[2,-3],fail,true,"k1"]'
    # no public method takes GAP code
    assert not [m for m in dir(fresh_gap) if "eval" in m and not m.startswith("_")]


def test_sbs_gap_variable_is_used_and_checked(monkeypatch):
    monkeypatch.setenv("SBS_GAP", "/nonexistent/gap -q")
    with pytest.raises(GapNotFoundError):
        find_gap_command()
    monkeypatch.delenv("SBS_GAP")
    argv = find_gap_command()
    monkeypatch.setenv("SBS_GAP", " ".join(argv))
    assert find_gap_command() == argv
    with GapSession() as session:
        assert session.load_mode == "stream"  # SBS_GAP may run GAP elsewhere
        session.load_extension("testing")
        assert session.call("SBS_Equal", 5, 5) is True


def test_no_gap_anywhere_gives_instructions(monkeypatch, tmp_path):
    import sbs_gap.gap._locate as locate
    monkeypatch.delenv("SBS_GAP", raising=False)
    monkeypatch.setenv("PATH", str(tmp_path))
    monkeypatch.setattr(locate, "passagemath_gap_root", lambda: None)
    with pytest.raises(GapNotFoundError, match="apt-get install gap-core"):
        locate.find_gap_command()


def test_gap_dies_with_a_killed_python():
    """SIGKILL skips atexit; the parent-death signal still takes GAP down."""
    import subprocess
    import sys
    code = ("from sbs_gap.gap import GapSession\n"
            "s = GapSession().start()\n"
            "s.load_extension('testing')\n"
            "print(s.pid, flush=True)\n"
            "s.call('SBS_Spin', 60000, timeout=120)\n")
    child = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, text=True)
    gap_pid = int(child.stdout.readline())
    assert _alive(gap_pid)
    time.sleep(0.3)
    child.kill()
    child.wait()
    deadline = time.monotonic() + 10
    while _alive(gap_pid) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not _alive(gap_pid)
