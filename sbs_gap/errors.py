"""Exceptions raised by sbs_gap.

Every error a user can cause derives from :class:`InputError` and carries a
one-line message naming what was wrong; the CLI prints it and exits with 2.
"""
from __future__ import annotations

__all__ = [
    "SbsError", "InputError", "GapNotFoundError", "GapStartError", "GapError", "GapTimeout",
    "GapDied", "VerificationError",
]


class SbsError(Exception):
    """Base class of all sbs_gap errors."""


class InputError(SbsError, ValueError):
    """Invalid user input: a group name, a problem file, a number, a cycle."""


class GapNotFoundError(SbsError):
    """No GAP executable could be found or started."""


class GapStartError(GapNotFoundError):
    """GAP was found but did not start: it exited, or did not answer in time."""


class GapError(SbsError):
    """GAP raised an error while evaluating a call.

    ``gap_message`` is GAP's text; ``location`` the file and line of the GAP
    code that raised it (``"gap/sbs.gi:42"``), when GAP read the package from
    its files.
    """

    def __init__(self, message: str, gap_message: str = "", location: str | None = None):
        super().__init__(message if location is None else f"{message} (at {location})")
        self.gap_message = gap_message or message
        self.location = location


class GapTimeout(GapError, TimeoutError):
    """A GAP call ran past its time limit (GAP was interrupted or restarted)."""


class GapDied(GapError):
    """The GAP process died and could not complete the call."""


class VerificationError(SbsError):
    """A computed result failed its numerical verification (a bug, not bad input)."""
