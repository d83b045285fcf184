"""Space-group tables on a real Dask cluster on localhost: a scheduler and two
worker processes (no mocks), the same bytes as the local run, and a worker
killed mid-run loses nothing."""
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.conftest import REPO, run_sbs

pytestmark = pytest.mark.gap

DASK = Path(sys.executable).with_name("dask")
GROUPS = "Pm-3m,P4mm,P1,C121,P6_3/mmc,Fd-3m,I4/mcm,P2_1/c,R-3m,Pmmm"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _start(*args, log):
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(REPO), env.get("PYTHONPATH")]))
    return subprocess.Popen([str(DASK), *args], cwd=REPO, env=env, stdout=log,
                            stderr=subprocess.STDOUT, start_new_session=True)


def _stop(proc):
    if proc.poll() is None:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()


@pytest.fixture
def cluster(tmp_path):
    """A scheduler and two single-threaded worker processes (no nanny: a
    killed worker stays dead)."""
    port = _free_port()
    address = f"tcp://127.0.0.1:{port}"
    logs = [open(tmp_path / f"{name}.log", "w") for name in ("scheduler", "w1", "w2")]
    procs = [_start("scheduler", "--host", "127.0.0.1", "--port", str(port),
                    "--no-dashboard", log=logs[0])]
    try:
        time.sleep(2)
        for log in logs[1:]:
            procs.append(_start("worker", address, "--nthreads", "1", "--no-nanny",
                                "--no-dashboard", log=log))
        _wait_for_workers(address, 2)
        yield address, procs[1:]
    finally:
        for p in procs:
            _stop(p)
        for log in logs:
            log.close()


def _wait_for_workers(address, n, timeout=60):
    from distributed import Client

    with Client(address, timeout=30) as client:
        client.wait_for_workers(n, timeout=timeout)


@pytest.fixture(scope="module")
def local_tables(tmp_path_factory) -> Path:
    """The local run both Dask runs are compared with (computed once)."""
    out = tmp_path_factory.mktemp("local")
    r = run_sbs("tables", "--groups", GROUPS, "--out", out)
    assert r.returncode == 0, r.stderr
    return out / "spacegroups"


def _same_bytes(a: Path, b: Path) -> None:
    names = sorted(p.name for p in a.iterdir())
    assert names == sorted(p.name for p in b.iterdir()) == \
        ["full.csv", "full.md", "normalizers.csv", "normalizers.md", "partial.csv", "partial.md"]
    for name in names:
        assert (a / name).read_bytes() == (b / name).read_bytes(), name


def test_dask_run_is_byte_identical_to_the_local_run(cluster, local_tables, tmp_path):
    address, _ = cluster
    out = tmp_path / "dask"
    r = run_sbs("tables", "--groups", GROUPS, "--out", out, "--scheduler", address)
    assert r.returncode == 0, r.stderr
    assert f"on {address}" in r.stdout
    _same_bytes(out / "spacegroups", local_tables)


def test_a_worker_killed_mid_run_loses_nothing(cluster, local_tables, tmp_path):
    address, workers = cluster
    out = tmp_path / "dask"
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(REPO), env.get("PYTHONPATH")]))
    run = subprocess.Popen([sys.executable, "-m", "sbs_gap.cli", "tables", "--groups", GROUPS,
                            "--out", str(out), "--scheduler", address], cwd=REPO, env=env,
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    time.sleep(6)  # both workers are busy with their first groups
    assert run.poll() is None, "the run ended before a worker could be killed"
    os.killpg(workers[0].pid, signal.SIGKILL)
    stdout, stderr = run.communicate(timeout=600)
    assert run.returncode == 0, stderr
    _same_bytes(out / "spacegroups", local_tables)


def test_unreachable_scheduler_is_an_input_error(tmp_path):
    port = _free_port()
    r = run_sbs("tables", "--groups", "P1", "--out", tmp_path,
                "--scheduler", f"tcp://127.0.0.1:{port}", "--connect-timeout", "2", timeout=120)
    assert r.returncode == 2 and "Dask scheduler" in r.stderr, (r.stdout, r.stderr)
    r = run_sbs("tables", "--groups", "P1", "--out", tmp_path, "--scheduler",
                f"tcp://127.0.0.1:{port}", "--connect-timeout", "0")
    assert r.returncode == 2 and "--connect-timeout must be a positive" in r.stderr
