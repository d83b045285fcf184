"""Runs last (file order): after the suite, no GAP process may be left."""
import os

import pytest

from sbs_gap.gap import close_all_sessions, started_pids


def _gap_children():
    me = str(os.getpid())
    out = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as f:
                stat = f.read()
        except OSError:
            continue
        name = stat[stat.index("(") + 1:stat.rindex(")")]
        fields = stat[stat.rindex(")") + 2:].split()
        if fields[1] == me and "gap" in name:
            out.append((int(entry), name, fields[0]))
    return out


@pytest.mark.gap
def test_no_gap_process_left_after_the_suite():
    assert started_pids, "the suite should have started GAP"
    close_all_sessions()
    alive = []
    for pid in started_pids:
        try:
            with open(f"/proc/{pid}/stat") as f:
                alive.append((pid, f.read()))
        except FileNotFoundError:
            pass
    assert alive == []  # not even zombies: every process was reaped
    assert _gap_children() == []
