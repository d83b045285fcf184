"""The demos of docs/theory.md section 6 (``sbs demo NAME``): each trains the
equivariant network of :mod:`sbs_gap.nn` (:func:`sbs_gap.nn.train`) with the
engine's symmetry breaking set, writes ``metrics.json`` and a PNG figure into
its folder."""
from __future__ import annotations

import importlib
from pathlib import Path

from ..errors import InputError

__all__ = ["DEMOS", "run_demo"]

#: name -> module (each has ``run(out, quick=, seed=, device=, progress=)``)
DEMOS = {"prism": "prism", "octagon": "octagon", "batio3": "batio3",
         "groundstate": "groundstate", "karman": "karman", "srtio3": "srtio3",
         "mnf2": "mnf2", "knif3": "knif3"}


def run_demo(name: str, out, *, quick: bool = False, seed: int = 0, device=None,
             progress: bool = False) -> dict:
    if name not in DEMOS:
        raise InputError(f"unknown demo {name!r}; choose one of {', '.join(DEMOS)}")
    module = importlib.import_module(f".{DEMOS[name]}", __name__)
    return module.run(Path(out), quick=quick, seed=seed, device=device, progress=progress)
