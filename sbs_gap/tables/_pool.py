"""The local GAP sessions the tables are computed on."""
from __future__ import annotations

from ..gap import GapPool, GapSession, default_session

__all__ = ["local_pool"]


def local_pool(sessions: list[GapSession] | None, workers: int) -> GapPool:
    """A pool of the given sessions, or of the default session (whose cache
    may already hold answers) and ``workers - 1`` new ones, closed with the
    pool."""
    if sessions is not None:
        return GapPool(len(sessions), sessions=sessions)
    return GapPool(max(1, workers), sessions=[default_session()])
