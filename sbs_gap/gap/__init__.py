"""The GAP bridge: one long-lived GAP process per session, driven via pexpect."""
from ._locate import GAP_HELP, find_gap_command, passagemath_gap_root  # noqa: F401
from ._session import (  # noqa: F401
    GapCode, GapPool, GapSession, close_all_sessions, close_default_session, default_session, gap_literal,
    gap_scripts_dir, started_pids,
)
