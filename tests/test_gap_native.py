"""GAP's own tests (gap_scripts/tst/*.tst), run by Test() in a real GAP."""
import subprocess

import pytest

from sbs_gap.gap import find_gap_command, gap_scripts_dir

pytestmark = pytest.mark.gap

TST_FILES = sorted((gap_scripts_dir() / "tst").glob("*.tst"))


def test_there_are_gap_native_tests():
    assert len(TST_FILES) >= 2


@pytest.mark.parametrize("tst", TST_FILES, ids=lambda p: p.name)
def test_gap_native(tst):
    scripts = "".join(p.read_text() + "\n" for p in sorted(gap_scripts_dir().glob("*.g")))
    # Test() reads the file itself; the path is ours, quoted for GAP.
    path = str(tst).replace("\\", "\\\\").replace('"', '\\"')
    program = (scripts + f'SBS_TestResult := Test("{path}", rec(width := 4096));;\n'
               'Print("@@RESULT ", SBS_TestResult, "\\n");\nQUIT;\n')
    out = subprocess.run(find_gap_command(), input=program, capture_output=True, text=True,
                         timeout=300)
    assert "@@RESULT true" in out.stdout, out.stdout[-3000:] + out.stderr[-2000:]
