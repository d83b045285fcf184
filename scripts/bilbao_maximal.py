"""Write tests/data/bilbao_maximal.json: Bilbao's maximal subgroups of the 230 space groups.

Where the data comes from
-------------------------
The PyXtal package (https://github.com/MaterSim/PyXtal) ships the maximal
subgroups of every space group, as tabulated by the Bilbao Crystallographic
Server (program MAXSUB; ITA volume A1), in two data files inside its wheel:

* ``pyxtal/database/t_subgroup.json``: the maximal translationengleiche
  (t-) subgroups;
* ``pyxtal/database/k_subgroup.json``: maximal klassengleiche (k-) subgroups.

This script only reads those two JSON files straight out of the wheel (a zip
archive) with the standard library; pyxtal itself is neither installed nor
imported, and none of its code is used.  Both files map the space-group number
G ("1" .. "230", ITA standard settings) to parallel lists ``subgroup`` (ITA
number of the subgroup type H), ``index`` ([G:H]), ``transformation`` (a 3x4
matrix [P|p]), ``type`` ("t" or "k"), plus ``relations`` (Wyckoff splittings)
and ``cosets``, which are not copied.

What one entry means
--------------------
One entry is one *subgroup*, not one conjugacy class: every member of a
conjugacy class of maximal subgroups is listed with its own (P, p).  For
example Pm-3m (221) lists P4/mmm (123) three times (one class, three
conjugates) and R-3m (166) four times, and its k-list has Im-3m (229) eight
times (two classes of four conjugates).  The number of entries of a given type
is therefore the number of maximal subgroups of that type, not the number of
classes.  Checked once for all 230 groups, by a separate computation with
exact fractions (against the general positions in pyxtal's
``wyckoff_list.csv``): every entry is a subgroup of G with the stated index, no
two entries are the same subgroup, and every t-list is closed under
conjugation by G.

* "t": all maximal t-subgroups (index 2, 3 or 4; [] for P1).
* "k": only the entries of index 2, 3 and 4 are kept.  These contain all types
  of maximal k-subgroup, the non-isomorphic ones (index 2, 3, 4; index 4 e.g.
  P -> I with 2a,2b,2c or F -> P decentring) *and* the isomorphic ones (same
  space-group type, or the enantiomorphic partner) of index 2, 3 and 4 (index 4
  only as the hexagonal/trigonal 2a,2b case; cubic groups have no isomorphic
  subgroup below index 8, and pyxtal lists none of index 8 anywhere).  pyxtal
  also lists isomorphic subgroups of index 5, 7 and 9; those lists are
  truncated (for P1, 27 of the 31 of index 5 and 27 of the 57 of index 7), so
  they are dropped here.
* Known gap inside the kept k-entries: in 19 trigonal/hexagonal groups (147,
  149, 168, 171-173, 175-184, 187, 191, 192) the class of three conjugate
  isomorphic subgroups of index 3 with a' = a-b, b' = a+2b (for 149 and 187 the
  subgroup P321 / P-62m with the same cell) is listed with only two of its
  three members (origin shifts 0 and a; the one at 2a is missing).

Output
------
``{"source": ..., "groups": {"1": {...}, ..., "230": {...}}}`` where each group
has

* ``"t"``: ``[[subgroup_number, index], ...]`` one pair per pyxtal entry,
  sorted (stably, so equal pairs keep pyxtal's order);
* ``"k"``: the same for the k-entries of index 2, 3, 4;
* ``"t_transformations"`` / ``"k_transformations"``: in the same order, the
  transformation of each entry as a string of the three rows of [P|p] with
  exact fractions, e.g. ``"2,0,0,1/2;0,2,0,1/2;0,0,2,1/2"``.  Bilbao/ITA
  convention: (a', b', c') = (a, b, c) P, i.e. the columns of P are the
  subgroup's conventional basis vectors in G's basis, and p is the subgroup's
  origin in G's coordinates, so x_G = P x_H + p.  The subgroup's operations in
  G's coordinates are (P, p) h (P, p)^-1 for h in H's ITA standard setting.

Run (maintainers): .venv/bin/python scripts/bilbao_maximal.py [--wheel PATH | --wheel-dir DIR]
(the wheel: ``pip download pyxtal==1.1.5 --no-deps -d /tmp/pyx``).
"""
from __future__ import annotations

import argparse
import json
import re
import sys
import zipfile
from fractions import Fraction
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "tests" / "data" / "bilbao_maximal.json"
K_INDICES = (2, 3, 4)


def find_wheel(wheel_dir: Path) -> Path:
    wheels = sorted(wheel_dir.glob("pyxtal-*.whl"))
    if not wheels:
        sys.exit(f"no pyxtal-*.whl in {wheel_dir} (pip download pyxtal==1.1.5 --no-deps -d {wheel_dir})")
    return wheels[-1]


def wheel_version(zf: zipfile.ZipFile, wheel: Path) -> str:
    for name in zf.namelist():
        if name.endswith(".dist-info/METADATA"):
            for line in zf.read(name).decode("utf-8").splitlines():
                if line.startswith("Version:"):
                    return line.split(":", 1)[1].strip()
    match = re.match(r"pyxtal-([^-]+)-", wheel.name)
    return match.group(1) if match else "unknown"


def fraction_text(x: float) -> str:
    q = Fraction(x).limit_denominator(48)
    if abs(float(q) - x) > 1e-9:
        raise ValueError(f"transformation entry {x!r} is not a small fraction")
    return str(q)


def transformation_text(matrix: dict) -> str:
    rows = matrix["data"] if isinstance(matrix, dict) else matrix
    if len(rows) != 3 or any(len(r) != 4 for r in rows):
        raise ValueError(f"expected a 3x4 [P|p] matrix, got {rows!r}")
    return ";".join(",".join(fraction_text(x) for x in row) for row in rows)


def entries(table: dict, number: int, kind: str, indices=None):
    record = table[str(number)]
    subs, idx, trans, types = (record[key] for key in ("subgroup", "index", "transformation", "type"))
    if not len(subs) == len(idx) == len(trans) == len(types):
        raise ValueError(f"{kind}-subgroups of {number}: lists of different lengths")
    rows = []
    for sub, index, tr, typ in zip(subs, idx, trans, types):
        if typ != kind:
            raise ValueError(f"{kind}-subgroups of {number}: entry of type {typ!r}")
        if indices is not None and index not in indices:
            continue
        rows.append(((int(sub), int(index)), transformation_text(tr)))
    rows.sort(key=lambda row: row[0])  # stable: equal pairs keep pyxtal's order
    return [list(pair) for pair, _ in rows], [text for _, text in rows]


def build(wheel: Path) -> dict:
    with zipfile.ZipFile(wheel) as zf:
        version = wheel_version(zf, wheel)
        t_table = json.loads(zf.read("pyxtal/database/t_subgroup.json"))
        k_table = json.loads(zf.read("pyxtal/database/k_subgroup.json"))
    groups = {}
    for number in range(1, 231):
        t, t_tr = entries(t_table, number, "t")
        k, k_tr = entries(k_table, number, "k", K_INDICES)
        groups[str(number)] = {"t": t, "k": k, "t_transformations": t_tr, "k_transformations": k_tr}
    return {
        "source": f"pyxtal {version} database/t_subgroup.json, k_subgroup.json "
        "(Bilbao Crystallographic Server data)",
        "groups": groups,
    }


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--wheel", type=Path, help="path of the pyxtal wheel")
    parser.add_argument("--wheel-dir", type=Path, default=Path("/tmp/pyx"),
                        help="folder holding pyxtal-*.whl (default /tmp/pyx)")
    parser.add_argument("--out", type=Path, default=OUT, help=f"output file (default {OUT})")
    args = parser.parse_args(argv)
    wheel = args.wheel or find_wheel(args.wheel_dir)
    data = build(wheel)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    # one line per group keeps the file diffable
    body = ",\n".join(f'"{n}":{json.dumps(g, separators=(",", ":"))}' for n, g in data["groups"].items())
    text = "{" + f'"source":{json.dumps(data["source"])},\n"groups":{{\n{body}\n}}' + "}\n"
    tmp = args.out.with_suffix(".json.tmp")
    tmp.write_text(text, encoding="utf-8")
    tmp.replace(args.out)
    n_t = sum(len(g["t"]) for g in data["groups"].values())
    n_k = sum(len(g["k"]) for g in data["groups"].values())
    print(f"{args.out}: {n_t} t-entries, {n_k} k-entries (index 2-4) from {wheel.name}")


if __name__ == "__main__":
    main()
