"""The point-group catalog: coverage, three-way order agreement, atomic writes."""
import numpy as np
import pytest

from sbs_gap.tables import (catalog_groups, catalog_rows, numeric_closure_order,
                             write_atomic)


def test_coverage():
    names = [g.schoenflies for g in catalog_groups()]
    assert len(names) == len(set(names))
    for must in ("C1", "Ci", "Cs", "C12", "C12v", "C12h", "S24", "D12", "D12h", "D12d",
                 "T", "Td", "Th", "O", "Oh", "I", "Ih", "S4", "S6", "C3h"):
        assert must in names
    for alias in ("S2", "C1h", "D1", "C1v", "S3"):
        assert alias not in names
    assert sum(g.is_crystallographic for g in catalog_groups()) == 32


def test_numeric_closure():
    assert numeric_closure_order(np.array([np.diag([-1.0, -1, 1])])) == 2
    assert numeric_closure_order(np.zeros((0, 3, 3))) == 1


@pytest.mark.gap
def test_every_catalog_row_agrees(gap):
    rows = catalog_rows(session=gap)
    assert len(rows) == len(catalog_groups())
    bad = [r for r in rows if not r.consistent]
    assert bad == []


def test_atomic_write_leaves_old_file_on_failure(tmp_path):
    target = tmp_path / "t.csv"
    write_atomic(target, "old\n")

    with pytest.raises(TypeError):
        write_atomic(target, 12345)  # not text: the write fails midway
    assert target.read_text() == "old\n"
    assert [p.name for p in tmp_path.iterdir()] == ["t.csv"]


def test_atomic_write_gives_the_usual_file_mode(tmp_path):
    """Not mkstemp's private 0600: what open() gives under the umask (read
    from /proc, the umask itself untouched)."""
    import os
    import subprocess
    import sys
    code = ("import os, sys; from pathlib import Path; os.umask(int(sys.argv[2], 8)); "
            "from sbs_gap.tables import write_atomic; "
            "write_atomic(Path(sys.argv[1]), 'x'); print(oct(os.umask(0)))")
    for umask, mode in (("022", 0o644), ("077", 0o600), ("002", 0o664)):
        target = tmp_path / f"{umask}.csv"
        out = subprocess.run([sys.executable, "-c", code, str(target), umask],
                             capture_output=True, text=True, check=True)
        assert out.stdout.strip() == oct(int(umask, 8))  # the umask is unchanged
        assert os.stat(target).st_mode & 0o777 == mode
