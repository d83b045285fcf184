"""Table work shared out to local GAP sessions, one item at a time."""
from __future__ import annotations

import queue
import threading
from concurrent.futures import ThreadPoolExecutor

from ..gap import GapSession, default_session

__all__ = ["run_on_sessions"]


def run_on_sessions(items, work, *, sessions: list[GapSession] | None = None,
                    workers: int = 1, progress=None, label=str) -> list:
    """``work(item, session)`` for every item, on ``sessions`` (default: the
    default session plus ``workers - 1`` new ones, closed afterwards), each
    session taking the next item when it is free; results in the order of
    ``items``, whatever the order they finished in.  ``progress(label(item))``
    is called as each finishes."""
    items = list(items)
    own: list[GapSession] = []
    if sessions is None:
        own = [GapSession() for _ in range(max(0, workers - 1))]
        sessions = [default_session()] + own
    todo: queue.Queue = queue.Queue()
    for i, item in enumerate(items):
        todo.put((i, item))
    results: dict[int, object] = {}
    lock = threading.Lock()

    def run(session: GapSession) -> None:
        while True:
            try:
                i, item = todo.get_nowait()
            except queue.Empty:
                return
            result = work(item, session)
            with lock:
                results[i] = result
                if progress is not None:
                    progress(label(item))

    try:
        with ThreadPoolExecutor(max_workers=len(sessions)) as pool:
            for f in [pool.submit(run, s) for s in sessions]:
                f.result()
    finally:
        for s in own:
            s.close()
    return [results[i] for i in range(len(items))]
