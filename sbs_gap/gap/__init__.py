"""The GAP bridge: one long-lived GAP process per session, driven via pexpect.

* :class:`GapSession`: a GAP process with the package ``sbsgap``
  (``gap_scripts/``) loaded; :meth:`GapSession.call` calls one of its
  ``SBS_*`` functions on literal arguments and returns the decoded result.
* :func:`gap_literal` and :class:`StoreKey`: the one path from Python values
  to GAP text (nothing a user types ever becomes GAP code).
* :func:`default_session`, :class:`GapPool`: the process-wide session and a
  few sessions for parallel work.
* :func:`cyclotomic_to_float`, :func:`matrices_to_numpy`: GAP's exact
  answers as floats, at the edge.
* :func:`find_gap_command`: which GAP to run (``SBS_GAP``, ``gap`` on PATH,
  the passagemath-gap wheel).
"""
from ._decode import cyclotomic_to_float, matrices_to_numpy
from ._literal import StoreKey, gap_literal
from ._locate import GAP_HELP, configured_gap_command, find_gap_command, passagemath_gap_root
from ._package import EXTENSIONS, PACKAGE_NAME, package_dir, package_files
from ._session import (
    DEFAULT_START_TIMEOUT, DEFAULT_TIMEOUT, GapPool, GapSession, close_all_sessions,
    close_default_session, default_session, started_pids,
)

__all__ = [
    "GapSession", "GapPool", "default_session", "close_default_session", "close_all_sessions",
    "StoreKey", "gap_literal", "find_gap_command", "configured_gap_command",
    "passagemath_gap_root", "GAP_HELP", "PACKAGE_NAME", "EXTENSIONS", "package_dir",
    "package_files", "started_pids", "DEFAULT_TIMEOUT", "DEFAULT_START_TIMEOUT",
    "cyclotomic_to_float", "matrices_to_numpy",
]
