"""Finding a GAP executable: ``SBS_GAP``, then ``gap`` on PATH, then passagemath-gap."""
from __future__ import annotations

import os
import shlex
import shutil
import site
import sys
import sysconfig
from pathlib import Path

from ..errors import GapNotFoundError

__all__ = ["find_gap_command", "configured_gap_command", "passagemath_gap_root", "GAP_HELP"]

GAP_HELP = (
    "no GAP found. Install one of: Debian packages "
    "(apt-get install gap-core gap-libs gap-smallgrp), "
    "the PyPI wheel (pip install passagemath-gap), "
    "or set SBS_GAP to a full command line that starts GAP "
    "(e.g. SBS_GAP='docker run -i --rm IMAGE gap -q'). "
    "`make test` and `make tables` install GAP automatically."
)


def _site_dirs() -> list[Path]:
    dirs = []
    for key in ("purelib", "platlib"):
        dirs.append(Path(sysconfig.get_paths()[key]))
    try:
        dirs.extend(Path(p) for p in site.getsitepackages())
    except AttributeError:  # some virtualenv layouts lack it
        pass
    user = getattr(site, "getusersitepackages", lambda: None)()
    if user:
        dirs.append(Path(user))
    dirs.extend(Path(p) for p in sys.path if p)
    seen, out = set(), []
    for d in dirs:
        if d not in seen:
            seen.add(d)
            out.append(d)
    return out


def passagemath_gap_root() -> Path | None:
    """The folder of the GAP shipped by the passagemath-gap wheel, if installed."""
    for d in _site_dirs():
        exe = d / "gap" / "gap"
        if exe.is_file() and os.access(exe, os.X_OK):
            return d / "gap"
    return None


def configured_gap_command() -> list[str] | None:
    """The argument vector of ``SBS_GAP`` (split with shell rules), or None."""
    configured = os.environ.get("SBS_GAP", "").strip()
    if not configured:
        return None
    argv = shlex.split(configured)
    if not shutil.which(argv[0]) and not Path(argv[0]).is_file():
        raise GapNotFoundError(f"SBS_GAP names {argv[0]!r}, which is not an executable")
    return argv


def find_gap_command() -> list[str]:
    """The argument vector that starts a quiet GAP reading commands from stdin.

    Order: the ``SBS_GAP`` environment variable (a full command line, split
    with shell rules, used as given), ``gap`` on ``PATH``, the passagemath-gap
    binary.  Raises :class:`GapNotFoundError` saying how to get GAP otherwise.
    """
    configured = configured_gap_command()
    if configured is not None:
        return configured
    gap = shutil.which("gap")
    if gap:
        return [gap, "-q", "-A"]
    root = passagemath_gap_root()
    if root is not None:
        # -A: the wheel lacks some autoloaded data packages; -l: its library.
        return [str(root / "gap"), "-q", "-A", "-l", str(root)]
    raise GapNotFoundError(GAP_HELP)
