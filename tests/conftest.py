"""Shared fixtures.  Tests marked ``gap`` run against a real GAP (no mocks).

Tiers: ``make test`` runs ``pytest -m "not exhaustive"``; tests marked
``exhaustive`` (every row, every type, every demo) run in ``make
test-exhaustive``; ``make test-all`` runs both.  After the run (in each xdist
worker, and in a plain run), no GAP process may be left: see
:func:`pytest_sessionfinish`.
"""
from __future__ import annotations

import contextlib
import functools
import io
import os
import signal
import subprocess
import sys
import threading
from pathlib import Path

# Under xdist (`make test`: two workers on two cores) one OpenMP/BLAS thread
# per worker: torch's and NumPy's default of one per core oversubscribes the
# cores (measured: the network tests 1.7x slower).  Set before NumPy or torch
# is imported; inherited by the CLI processes the tests start.
if os.environ.get("PYTEST_XDIST_WORKER"):
    os.environ.setdefault("OMP_NUM_THREADS", "1")

import numpy as np  # noqa: E402
import pytest  # noqa: E402

from sbs_gap.gap import GapSession, default_session  # noqa: E402

REPO = Path(__file__).resolve().parent.parent
EXAMPLES = REPO / "examples"


@pytest.fixture(scope="session")
def gap() -> GapSession:
    """The process-wide default GAP session (started once for the suite), with
    the package's test hooks (SBS_Spin, SBS_Fail, SBS_Equal) loaded."""
    session = default_session().start()
    session.load_extension("testing")
    return session


@pytest.fixture
def fresh_gap():
    """A private GAP session with the test hooks, closed after the test."""
    with GapSession(timeout=60) as session:
        session.load_extension("testing")
        yield session


# ----------------------------------------------------------------------------
# The command line: in this process (most tests), or as a user runs it
# ----------------------------------------------------------------------------

def sbs(*args, cwd=None) -> subprocess.CompletedProcess:
    """The ``sbs`` command in this process: ``sbs_gap.cli.main(argv)`` with its
    stdout and stderr captured, in ``cwd`` (default the repository root), on
    the process's default GAP session (the ``gap`` fixture's, caches shared).
    Returns what :func:`run_sbs` returns (``returncode``, ``stdout``,
    ``stderr``).  ``SystemExit`` (argparse's ``--help``, ``--version``) gives
    its code; the SIGTERM handler ``main`` installs is put back afterwards.
    What only a separate process shows (exit status end to end, GAP start-up
    failures from the environment, signals) uses :func:`run_sbs`."""
    from sbs_gap.cli import main

    argv = [str(a) for a in args]
    out, err = io.StringIO(), io.StringIO()
    on_main_thread = threading.current_thread() is threading.main_thread()
    handler = signal.getsignal(signal.SIGTERM) if on_main_thread else None
    here = os.getcwd()
    try:
        os.chdir(cwd or REPO)
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            try:
                code = main(argv)
            except SystemExit as exc:
                if exc.code is None or isinstance(exc.code, int):
                    code = exc.code or 0
                else:  # like the interpreter: the message on stderr, status 1
                    print(exc.code, file=sys.stderr)
                    code = 1
    finally:
        os.chdir(here)
        if on_main_thread:
            signal.signal(signal.SIGTERM, handler)
    return subprocess.CompletedProcess(["sbs", *argv], code, out.getvalue(), err.getvalue())


def run_sbs(*args, cwd=None, env=None, timeout=300):
    """Run the CLI as a user would (a separate interpreter, its own GAP)."""
    full_env = dict(os.environ)
    # importable from any working directory, installed or not
    full_env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(REPO),
                                                           full_env.get("PYTHONPATH")]))
    if env:
        full_env.update(env)
    return subprocess.run([sys.executable, "-m", "sbs_gap.cli", *map(str, args)],
                          capture_output=True, text=True, cwd=cwd or REPO, env=full_env,
                          timeout=timeout)


def random_rotation(rng) -> np.ndarray:
    """A random proper rotation (Haar), from a NumPy Generator."""
    q, r = np.linalg.qr(rng.normal(size=(3, 3)))
    q *= np.sign(np.diag(r))
    return q if np.linalg.det(q) > 0 else -q


# ----------------------------------------------------------------------------
# The independent engine's point-group answers, computed once per process
# ----------------------------------------------------------------------------

@pytest.fixture(scope="session")
def independent_answers():
    """``sbs crosscheck`` in this process computes each point group's
    independent answers (``independent_full``, ``independent_partial``: pure
    Python, deterministic) once per test process: the crosscheck tests of
    tests/test_tables.py share them instead of recomputing all of them per
    test.  The comparison itself is the package's, unchanged."""
    import sbs_gap.tables._crosscheck as crosscheck

    with pytest.MonkeyPatch.context() as mp:
        for name in ("independent_full", "independent_partial"):
            compute = getattr(crosscheck, name)
            mp.setattr(crosscheck, name, functools.cache(compute))
        yield crosscheck


# ----------------------------------------------------------------------------
# After the run: no GAP process left (per process: each xdist worker has its
# own GAP sessions and checks them; the controller fails the run if any
# worker found one)
# ----------------------------------------------------------------------------

_ran_gap_tests = False


def _gap_children():
    me = str(os.getpid())
    out = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as f:
                stat = f.read()
        except OSError:
            continue
        name = stat[stat.index("(") + 1:stat.rindex(")")]
        fields = stat[stat.rindex(")") + 2:].split()
        if fields[1] == me and "gap" in name:
            out.append((int(entry), name, fields[0]))
    return out


def check_no_gap_process_left(ran_gap_tests: bool) -> None:
    """The assertions of the former tests/test_zz_no_leftover_gap.py, for this
    process: GAP was started if GAP tests ran; after closing every session no
    started GAP process is alive, not even as a zombie, and no GAP child is
    left."""
    from sbs_gap.gap import close_all_sessions, started_pids

    assert started_pids or not ran_gap_tests, "the suite should have started GAP"
    close_all_sessions()
    alive = []
    for pid in started_pids:
        try:
            with open(f"/proc/{pid}/stat") as f:
                alive.append((pid, f.read()))
        except FileNotFoundError:
            pass
    assert alive == []  # not even zombies: every process was reaped
    assert _gap_children() == []


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item):
    global _ran_gap_tests
    uses_sessions = (item.get_closest_marker("gap") is not None
                     and item.get_closest_marker("own_gap_process") is None)
    if uses_sessions or "gap" in item.fixturenames:
        _ran_gap_tests = True


_worker_failures: list[str] = []


def pytest_testnodedown(node, error):  # xdist controller: a worker finished
    failure = getattr(node, "workeroutput", {}).get("sbs_leftover_gap")
    if failure:
        _worker_failures.append(f"{node.gateway.id}: {failure}")


@pytest.hookimpl(tryfirst=True)
def pytest_sessionfinish(session, exitstatus):
    failures = list(_worker_failures)
    try:
        check_no_gap_process_left(_ran_gap_tests)
    except AssertionError as exc:
        failures.append(f"{os.getpid()}: {exc!r}")
    workeroutput = getattr(session.config, "workeroutput", None)
    if workeroutput is not None:  # an xdist worker: the controller reports it
        if len(failures) > len(_worker_failures):
            workeroutput["sbs_leftover_gap"] = failures[-1]
        return
    if failures:
        reporter = session.config.pluginmanager.get_plugin("terminalreporter")
        if reporter is not None:
            reporter.write_sep("=", "GAP process check failed after the suite", red=True)
        for line in failures:  # "worker: pid: the failed assertion"
            if reporter is not None:
                reporter.write_line(line, red=True)
            else:
                print(f"GAP process check failed after the suite: {line}", file=sys.stderr)
        if session.exitstatus in (pytest.ExitCode.OK, pytest.ExitCode.NO_TESTS_COLLECTED):
            session.exitstatus = pytest.ExitCode.TESTS_FAILED

