"""Where the tables are computed: local GAP sessions, or a Dask cluster.

:func:`run_tasks` runs one task per group (``task(name, session)``, rows as
plain data) on ``workers`` local GAP sessions or on an existing Dask
scheduler, and returns the results in the order of the names, so the bytes
of a table do not depend on where or in which order the tasks ran.
"""
from __future__ import annotations

from ..errors import InputError
from ..gap import GapPool, GapSession, default_session

__all__ = ["local_pool", "run_tasks"]


def local_pool(sessions: list[GapSession] | None, workers: int) -> GapPool:
    """A pool of the given sessions, or of the default session (whose cache
    may already hold answers) and ``workers - 1`` new ones, closed with the
    pool."""
    if sessions is not None:
        return GapPool(len(sessions), sessions=sessions)
    return GapPool(max(1, workers), sessions=[default_session()])


def run_tasks(task, names: list[str], *, workers: int = 2, scheduler: str | None = None,
              progress=None, timeout: float = 30) -> list:
    """``[task(name, session) for name in names]``: locally on ``workers``
    GAP sessions, or on the Dask cluster whose scheduler is at ``scheduler``
    (``task`` a module-level function, called there as ``task(name)`` with
    the worker process's default session)."""
    if scheduler is not None:
        return _distributed(task, names, scheduler, progress, timeout)
    with local_pool(None, workers) as pool:
        return pool.run(names, lambda name, session: task(name, session), progress=progress)


def _distributed(task, names: list[str], scheduler: str, progress, timeout: float) -> list:
    try:
        from distributed import Client, as_completed
    except ImportError:  # pragma: no cover - a dependency of the package
        raise InputError("--scheduler needs Dask distributed (pip install distributed)") \
            from None
    try:
        client = Client(scheduler, timeout=timeout)
    except (OSError, TimeoutError) as exc:
        raise InputError(f"cannot reach the Dask scheduler at {scheduler!r}: {exc}") from None
    try:
        futures = client.map(task, names, pure=False, retries=2)
        index = {f.key: i for i, f in enumerate(futures)}
        results: dict[int, object] = {}
        for future in as_completed(futures):
            results[index[future.key]] = future.result()
            if progress is not None:
                progress(names[index[future.key]])
        return [results[i] for i in range(len(names))]
    finally:
        client.close()
