"""GAP's own tests (gap_scripts/tst/*.tst), run by the package's tst/testall.g."""
import subprocess

import pytest

from sbs_gap.gap import find_gap_command, package_dir

pytestmark = [pytest.mark.gap, pytest.mark.own_gap_process]

TST_FILES = sorted((package_dir() / "tst").glob("*.tst"))


def test_there_are_gap_native_tests():
    assert len(TST_FILES) >= 4


def test_testall_passes_with_the_package_loaded_by_gap():
    """As a GAP user runs it: SetPackagePath, then tst/testall.g."""
    root = str(package_dir())
    assert '"' not in root and "\\" not in root
    program = (f'SetPackagePath("sbsgap", "{root}");\n'
               f'Read("{root}/tst/testall.g");\n')
    out = subprocess.run(find_gap_command(), input=program, capture_output=True, text=True,
                         timeout=300)
    text = out.stdout + out.stderr
    assert "No errors detected while testing" in text, text[-3000:]
    for tst in TST_FILES:
        assert tst.name in text
