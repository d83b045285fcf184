"""How GAP is started: no ``preexec_fn`` (not safe with threads), its own
session and process group, and the parent-death signal through an exec
wrapper (util-linux ``setpriv``, else a Python one-liner)."""
import ctypes
import os
import subprocess
import sys
import threading
import time

import pytest

import sbs_gap.gap._session as session_module
from sbs_gap import GapNotFoundError
from sbs_gap.gap import GapSession

pytestmark = pytest.mark.gap

_PYTHON_WRAPPER = (sys.executable, "-I", "-S", "-c", session_module._PYTHON_PDEATHSIG)


def _alive(pid):
    try:
        with open(f"/proc/{pid}/stat") as f:
            return f.read().split(") ", 1)[1].split()[0] != "Z"
    except FileNotFoundError:
        return False


def _parent(pid):
    with open(f"/proc/{pid}/stat") as f:
        return int(f.read().split(") ", 1)[1].split()[1])


class _Busy:
    """Threads that keep the loader and the allocator busy (what Dask, torch
    or tqdm threads do) while GAP is being started."""

    def __init__(self, count=2):
        self._stop = threading.Event()
        self._threads = [threading.Thread(target=self._work, args=(k,), daemon=True)
                         for k in range(count)]

    def _work(self, k):
        while not self._stop.is_set():
            if k % 2:
                ctypes.CDLL(None).getpid()  # dlopen/dlsym: the loader's lock
            else:
                [bytearray(256) for _ in range(2000)]  # malloc's locks
            time.sleep(0)

    def __enter__(self):
        for t in self._threads:
            t.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        for t in self._threads:
            t.join()


def test_sessions_start_from_several_threads_while_others_are_busy():
    starts, errors, pids = [], [], []
    lock = threading.Lock()

    def opener():
        try:
            for _ in range(3):
                with GapSession() as session:
                    began = time.monotonic()
                    session.start()
                    took = time.monotonic() - began
                    assert session.call("SBS_Version")
                    with lock:
                        starts.append(took)
                        pids.append(session.pid)
        except Exception as exc:  # noqa: BLE001
            with lock:
                errors.append(exc)

    with _Busy():
        openers = [threading.Thread(target=opener) for _ in range(4)]
        for t in openers:
            t.start()
        for t in openers:
            t.join(timeout=180)
    assert not any(t.is_alive() for t in openers)
    assert errors == []
    assert len(starts) == 12
    assert max(starts) < 20, starts  # about 1 s each, 4 at a time on 2 cores
    assert not any(_alive(p) for p in pids)


def test_gap_leads_its_own_session_and_is_our_child():
    """The wrapper execs GAP in place: GAP keeps the pid Popen returned, its
    parent is this process, and it leads a new session and process group."""
    results = {}

    def start(where):
        session = GapSession().start()
        results[where] = session

    start("main")
    thread = threading.Thread(target=start, args=("thread",))
    thread.start()
    thread.join()
    pids = [session.pid for session in results.values()]
    try:
        assert len(pids) == 2
        for pid in pids:
            assert os.getsid(pid) == pid and os.getpgid(pid) == pid
            assert _parent(pid) == os.getpid()
            assert pid in session_module.started_pids
    finally:
        for session in results.values():
            session.close()
    assert not any(_alive(pid) for pid in pids)


@pytest.mark.own_gap_process
@pytest.mark.parametrize("wrapper", ["found", "python"])
def test_gap_dies_with_a_killed_python_that_has_busy_threads(wrapper):
    """SIGKILL skips atexit; the parent-death signal still takes a busy GAP
    down, with setpriv (when present) and with the Python wrapper."""
    code = ("import sys, threading, time\n"
            "import sbs_gap.gap._session as m\n"
            f"if {wrapper!r} == 'python':\n"
            "    m._pdeathsig_candidates = lambda: [(sys.executable, '-I', '-S', '-c',\n"
            "                                        m._PYTHON_PDEATHSIG)]\n"
            "def busy():\n"
            "    while True:\n"
            "        bytearray(256)\n"
            "threading.Thread(target=busy, daemon=True).start()\n"
            "s = m.GapSession().start()\n"
            "s.load_extension('testing')\n"
            "print(s.pid, (m._parent_death_prefix() or ('none',))[0], flush=True)\n"
            # busy, so GAP does not see its stdin close
            "s.call('SBS_Spin', 60000, timeout=120)\n")
    child = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, text=True)
    try:
        gap_pid, used = child.stdout.readline().split()
        gap_pid = int(gap_pid)
        if wrapper == "python":
            assert used == sys.executable
        assert _alive(gap_pid)
        time.sleep(0.5)  # the call is on its way: GAP would quit on stdin's end
    finally:
        child.kill()
        child.wait()
    deadline = time.monotonic() + 10
    while _alive(gap_pid) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not _alive(gap_pid)


def test_without_a_working_wrapper_gap_still_starts(monkeypatch):
    monkeypatch.setattr(session_module, "_pdeathsig_prefix", None)
    monkeypatch.setattr(session_module, "_pdeathsig_candidates",
                        lambda: [("false",), ("/nonexistent/setpriv",)])
    assert session_module._parent_death_prefix() == ()
    with GapSession() as session:
        assert session.call("SBS_Version")
        assert _parent(session.pid) == os.getpid()


def test_the_wrapper_is_found_once_and_works():
    prefix = session_module._parent_death_prefix()
    assert prefix in (session_module._SETPRIV_PDEATHSIG, _PYTHON_WRAPPER)
    assert session_module._parent_death_prefix() is prefix
    # the wrappers leave GAP's signals as Popen set them (Python itself
    # ignores SIGPIPE and SIGXFSZ, and exec keeps what is ignored)
    show = ["grep", "-E", "^Sig(Ign|Blk)", "/proc/self/status"]
    direct = subprocess.run(show, capture_output=True, text=True, check=True).stdout
    for wrapper in (_PYTHON_WRAPPER, prefix):
        wrapped = subprocess.run([*wrapper, *show], capture_output=True, text=True,
                                 check=True).stdout
        assert wrapped == direct


@pytest.mark.parametrize("make", ["missing", "not executable"])
def test_a_gap_that_cannot_be_run_is_not_found(make, tmp_path):
    path = tmp_path / "gap"
    if make == "not executable":
        path.write_text("#!/bin/sh\n")
        path.chmod(0o644)
    with pytest.raises(GapNotFoundError, match="cannot start GAP with"):
        GapSession([str(path), "-q"]).start()
    assert session_module._spawn_argv([str(path)], True) == [str(path)]


def test_no_preexec_fn_reaches_popen(monkeypatch):
    """preexec_fn runs Python between fork and exec, which can deadlock on a
    lock another thread held at the fork: GAP must be started without it."""
    seen = []
    real = subprocess.Popen

    class Recording(real):
        def __init__(self, *args, **kwargs):
            seen.append(kwargs)
            super().__init__(*args, **kwargs)

    monkeypatch.setattr(session_module.subprocess, "Popen", Recording)
    with GapSession() as session:
        session.start()
    gap_popen = [kw for kw in seen if kw.get("stdin") is subprocess.PIPE]
    assert gap_popen and all(kw.get("preexec_fn") is None and kw["start_new_session"]
                             for kw in gap_popen)
