"""Space-group tables on a real Dask cluster on localhost: a scheduler and two
worker processes (no mocks, one cluster for the module), the same bytes as the
local run, and a worker killed mid-run loses nothing (exhaustive tier, last)."""
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.conftest import REPO, sbs

pytestmark = pytest.mark.gap

DASK = Path(sys.executable).with_name("dask")
GROUPS = "Pm-3m,P4mm,P1,C121,P6_3/mmc,Fd-3m,I4/mcm,P2_1/c,R-3m,Pmmm"
# `make test`: a few quick groups on the same cluster; GROUPS in the
# exhaustive tier (and for the kill test: enough work to kill a worker mid-run).
SAMPLE = "P1,P4mm,P2_1/c,R-3m"


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


def _wait_for_port(port, proc, timeout=60):
    """Until the scheduler accepts connections (bounded; fails if it exited)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        assert proc.poll() is None, "the scheduler exited"
        with socket.socket() as s:
            if s.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.1)
    raise AssertionError(f"the scheduler did not listen on port {port} within {timeout} s")


@pytest.fixture(scope="module")
def cluster(tmp_path_factory):
    """A scheduler and two single-threaded worker processes (no nanny: a
    killed worker stays dead), shared by the module's tests; the test that
    kills a worker runs last."""
    port = _free_port()
    address = f"tcp://127.0.0.1:{port}"
    folder = tmp_path_factory.mktemp("cluster")
    logs = [open(folder / f"{name}.log", "w") for name in ("scheduler", "w1", "w2")]
    procs = [_start("scheduler", "--host", "127.0.0.1", "--port", str(port),
                    "--no-dashboard", log=logs[0])]
    try:
        _wait_for_port(port, procs[0])
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
    r = sbs("tables", "--groups", GROUPS, "--out", out)
    assert r.returncode == 0, r.stderr
    return out / "spacegroups"


@pytest.fixture(scope="module")
def local_sample(tmp_path_factory) -> Path:
    """The local run of SAMPLE (in this process, on the shared session)."""
    out = tmp_path_factory.mktemp("local_sample")
    r = sbs("tables", "--groups", SAMPLE, "--out", out, "--workers", "1")
    assert r.returncode == 0, r.stderr
    return out / "spacegroups"


def _same_bytes(a: Path, b: Path) -> None:
    names = sorted(p.name for p in a.iterdir())
    assert names == sorted(p.name for p in b.iterdir()) == \
        ["full.csv", "full.md", "normalizers.csv", "normalizers.md", "partial.csv", "partial.md"]
    for name in names:
        assert (a / name).read_bytes() == (b / name).read_bytes(), name


def _assert_dask_run_matches(cluster, groups: str, out: Path, local: Path) -> None:
    """Run the tables of `groups` on `cluster` into `out`: it must report the
    scheduler and write the same bytes as the local run in `local`."""
    address, _ = cluster
    r = sbs("tables", "--groups", groups, "--out", out, "--scheduler", address)
    assert r.returncode == 0, r.stderr
    assert f"on {address}" in r.stdout
    _same_bytes(out / "spacegroups", local)


def test_dask_run_of_a_sample_is_byte_identical_to_the_local_run(cluster, local_sample,
                                                                  tmp_path):
    """As the test below, for the groups of SAMPLE."""
    _assert_dask_run_matches(cluster, SAMPLE, tmp_path / "dask", local_sample)


@pytest.mark.exhaustive
def test_dask_run_is_byte_identical_to_the_local_run(cluster, local_tables, tmp_path):
    _assert_dask_run_matches(cluster, GROUPS, tmp_path / "dask", local_tables)


def test_unreachable_scheduler_is_an_input_error(tmp_path):
    port = _free_port()
    r = sbs("tables", "--groups", "P1", "--out", tmp_path,
            "--scheduler", f"tcp://127.0.0.1:{port}", "--connect-timeout", "2")
    assert r.returncode == 2 and "Dask scheduler" in r.stderr, (r.stdout, r.stderr)
    r = sbs("tables", "--groups", "P1", "--out", tmp_path, "--scheduler",
            f"tcp://127.0.0.1:{port}", "--connect-timeout", "0")
    assert r.returncode == 2 and "--connect-timeout must be a positive" in r.stderr


def _wait_until_both_busy(address, timeout=120):
    """Until each of the two workers has a task (bounded: polls the scheduler)."""
    from distributed import Client

    deadline = time.monotonic() + timeout
    with Client(address, timeout=30) as client:
        while time.monotonic() < deadline:
            processing = client.processing()
            if len(processing) == 2 and all(processing.values()):
                return
            time.sleep(0.1)
    raise AssertionError(f"the two workers were not both busy within {timeout} s")


# Last in the module: it kills one of the cluster's two workers.
@pytest.mark.exhaustive
def test_a_worker_killed_mid_run_loses_nothing(cluster, local_tables, tmp_path):
    address, workers = cluster
    out = tmp_path / "dask"
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(REPO), env.get("PYTHONPATH")]))
    run = subprocess.Popen([sys.executable, "-m", "sbs_gap.cli", "tables", "--groups", GROUPS,
                            "--out", str(out), "--scheduler", address], cwd=REPO, env=env,
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        _wait_until_both_busy(address)  # both workers are busy with their first groups
        assert run.poll() is None, "the run ended before a worker could be killed"
        os.killpg(workers[0].pid, signal.SIGKILL)
        stdout, stderr = run.communicate(timeout=600)
    finally:
        if run.poll() is None:  # a failed check: no run left behind
            run.kill()
            run.communicate()
    assert run.returncode == 0, stderr
    _same_bytes(out / "spacegroups", local_tables)
