"""The GAP bridge against a real GAP: errors, timeouts, deaths, threads, cleanup."""
import os
import signal
import threading
import time

import pytest

from sbs_gap import GapDied, GapError, GapNotFoundError, GapTimeout
from sbs_gap.exact import parse_exact
from sbs_gap.gap import GapCode, GapPool, GapSession, find_gap_command, gap_literal

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
    assert problem.info(session=fresh_gap).order == 12
    os.kill(fresh_gap.pid, signal.SIGKILL)
    time.sleep(0.2)
    assert problem.info(session=fresh_gap).ambient_order == 24


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
        pids = [s.start().pid for s in pool.sessions]
        start = time.monotonic()
        assert pool.map("SBS_Spin", [(700,), (700,)]) == [True, True]
        elapsed = time.monotonic() - start
        assert elapsed < 1.3  # two 0.7 s calls ran side by side
    assert not any(_alive(p) for p in pids)


def test_only_our_functions_and_generated_literals_reach_gap(fresh_gap):
    for name in ("Exec", "Read", "SBS_Equal; Exec", "Process", "sbs_equal", ""):
        with pytest.raises(ValueError):
            fresh_gap.call(name, 1)
    with pytest.raises(TypeError):
        fresh_gap.call("SBS_Equal", 'Exec("touch /tmp/x")', 1)
    with pytest.raises(TypeError):
        fresh_gap.evaluate('Exec("touch /tmp/x")')
    with pytest.raises(TypeError):
        gap_literal(1.5)
    assert gap_literal([1, (2, -3)]) == "[1,[2,-3]]"


def test_sbs_gap_variable_is_used_and_checked(monkeypatch):
    monkeypatch.setenv("SBS_GAP", "/nonexistent/gap -q")
    with pytest.raises(GapNotFoundError):
        find_gap_command()
    monkeypatch.delenv("SBS_GAP")
    argv = find_gap_command()
    monkeypatch.setenv("SBS_GAP", " ".join(argv))
    assert find_gap_command() == argv
    with GapSession() as session:
        assert session.call("SBS_Equal", 5, 5) is True


def test_no_gap_anywhere_gives_instructions(monkeypatch, tmp_path):
    import sbs_gap.gap._locate as locate
    monkeypatch.delenv("SBS_GAP", raising=False)
    monkeypatch.setenv("PATH", str(tmp_path))
    monkeypatch.setattr(locate, "passagemath_gap_root", lambda: None)
    with pytest.raises(GapNotFoundError, match="apt-get install gap-core"):
        locate.find_gap_command()


def test_call_code_is_a_single_generated_line(fresh_gap):
    with pytest.raises(ValueError):
        fresh_gap.evaluate(GapCode("1;\nExec(\"ls\")"))


def test_gap_dies_with_a_killed_python():
    """SIGKILL skips atexit; the parent-death signal still takes GAP down."""
    import subprocess
    import sys
    code = ("from sbs_gap.gap import GapSession\n"
            "s = GapSession().start()\n"
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
