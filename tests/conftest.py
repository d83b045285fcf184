"""Shared fixtures.  Tests marked ``gap`` run against a real GAP (no mocks)."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from sbs_gap.gap import GapSession, default_session

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


def run_sbs(*args, cwd=None, env=None, timeout=300):
    """Run the CLI as a user would (a separate interpreter)."""
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
