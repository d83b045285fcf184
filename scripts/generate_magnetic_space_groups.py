"""Write sbs_gap/groups/data/magnetic_space_groups.json: the 1 651 magnetic
space-group types (BNS), from two independent tables that must agree.

Sources
-------
* pymatgen's ``pymatgen/symmetry/symm_data_magnetic.sqlite`` (ISO-MAG data,
  table ``space_groups``): the symbols (BNS_label, OG_label), the BNS number
  (BNS1, BNS2), the OG number (OG1, OG2, OG3) and the type (magtype);
* spglib (``get_magnetic_spacegroup_type(uni)``, uni = 1 .. 1651): the UNI
  number, the BNS and OG numbers, the Litvin number, the reference space-group
  number and the type.

The two are joined on the BNS number and checked field by field: same BNS
number, same type, same reference number (BNS1), same OG number.  Note that
pymatgen's OG3 (its primary key, which ``MagneticSpaceGroup(int)`` looks up)
is the Litvin serial number (the third part of the OG number), not the UNI
number: the UNI number is the position in BNS order, which the script checks
is spglib's ``uni_number``.  Any disagreement stops the script with the rows
that differ; nothing is typed by hand.

Operations: sbs_gap reads them from spglib at run time, in the BNS standard
setting of ISO-MAG (what pymatgen lists, and the setting whose primes the BNS
symbol spells).  spglib's default differs for 227 types: for the 24 reference
groups with two origin choices spglib's default Hall setting is origin
choice 1 (ISO-MAG, Bilbao and sbs_gap's space groups use origin choice 2),
and for 9 orthorhombic types of type III (16.3 P2'2'2, 27.80 Pc'c2', ...)
spglib's operations are those of the symbol with permuted axes (P2'22';
Fd'd2' also with its origin moved).  So
each record carries ``spglib_hall`` (the Hall number to ask spglib for: the
origin-choice-2 setting of the reference group, 0 for spglib's default),
``spglib_basis`` (null, or an integer matrix P with det 1 whose columns are
the ISO-MAG basis vectors in spglib's basis) and ``spglib_origin`` (null, or
the ISO-MAG origin p in spglib's coordinates): x = P x' + p, so an operation
(W, w) becomes (P^-1 W P, P^-1 (w + W p - p)).  They are found here (the
origin-choice-2 setting, then axis permutations, then origin shifts in
eighths) and checked: spglib's operations read this way equal pymatgen's, as
sets modulo the lattice, for every type.

The output is deterministic: records sorted by UNI number, one per line.

Run (maintainers, after a pymatgen or spglib upgrade):
    .venv/bin/python scripts/generate_magnetic_space_groups.py
"""
from __future__ import annotations

import itertools
import json
import sqlite3
import sys
import warnings
from importlib.metadata import version
from pathlib import Path

import numpy as np
import spglib

COUNT = 1651
OUT = (Path(__file__).resolve().parent.parent / "sbs_gap" / "groups" / "data"
       / "magnetic_space_groups.json")


def pymatgen_rows() -> dict[tuple[int, int], dict]:
    """BNS number (BNS1, BNS2) -> pymatgen's row."""
    import pymatgen.symmetry

    path = Path(list(pymatgen.symmetry.__path__)[0]) / "symm_data_magnetic.sqlite"
    db = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        rows = db.execute("SELECT magtype, BNS1, BNS2, BNS_label, OG1, OG2, OG3, OG_label "
                          "FROM space_groups").fetchall()
    finally:
        db.close()
    out = {}
    for magtype, bns1, bns2, bns_label, og1, og2, og3, og_label in rows:
        key = (int(bns1), int(bns2))
        if key in out:
            raise SystemExit(f"pymatgen lists BNS {bns1}.{bns2} twice")
        out[key] = {"type": int(magtype), "bns_symbol": str(bns_label),
                    "og": (int(og1), int(og2), int(og3)), "og_symbol": str(og_label)}
    return out


def spglib_rows() -> list:
    """spglib's MagneticSpaceGroupType for UNI 1 .. 1651."""
    with warnings.catch_warnings():
        # spglib 2.7+ warns about its error handling on every call
        warnings.simplefilter("ignore", DeprecationWarning)
        rows = [spglib.get_magnetic_spacegroup_type(uni) for uni in range(1, COUNT + 1)]
    missing = [uni for uni, t in enumerate(rows, 1) if t is None]
    if missing:
        raise SystemExit(f"spglib has no magnetic space-group type for UNI {missing[:10]}")
    return rows


def op_key(rotation, translation, primed) -> tuple:
    """An operation modulo the lattice: (rotation, translation in 48ths, primed)."""
    scaled = np.mod(np.asarray(translation, dtype=float), 1.0) * 48
    if not np.allclose(scaled, np.round(scaled), atol=1e-6):
        raise SystemExit(f"a translation {translation} is not in 48ths")
    return (tuple(int(x) for x in np.round(rotation).astype(int).ravel()),
            tuple(int(x) for x in np.round(scaled).astype(int) % 48), bool(primed))


def pymatgen_operations(bns: tuple[int, int]) -> set:
    """ISO-MAG's operations of a type (BNS setting, centrings included)."""
    from pymatgen.symmetry.maggroups import MagneticSpaceGroup

    group = MagneticSpaceGroup(list(bns))
    # pymatgen's time_reversal is -1 for a primed operation, +1 otherwise
    return {op_key(op.rotation_matrix, op.translation_vector, op.time_reversal == -1)
            for op in group.symmetry_ops}


def spglib_operations(uni: int, hall: int, basis=None, origin=None) -> set:
    """spglib's operations of a type in Hall setting ``hall`` (0: default),
    moved to the basis ``basis`` (columns in spglib's basis) and the origin
    ``origin`` (in spglib's coordinates); None: spglib's own."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        data = spglib.get_magnetic_symmetry_from_database(uni, hall)
    rotations, translations = data["rotations"], data["translations"]
    p = np.eye(3, dtype=int) if basis is None else np.array(basis, dtype=int)
    shift = np.zeros(3) if origin is None else np.array(origin, dtype=float)
    inverse = np.round(np.linalg.inv(p)).astype(int)
    # x = P x' + p: (W, w) -> (P^-1 W P, P^-1 (w + W p - p))
    moved = [(inverse @ r @ p, inverse @ (t + r @ shift - shift))
             for r, t in zip(rotations, translations)]
    return {op_key(r, t, z) for (r, t), z in zip(moved, data["time_reversals"])}


def origin_choice_two() -> dict[int, int]:
    """ITA number -> spglib's Hall number of its origin-choice-2 setting."""
    out = {}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        for hall in range(1, 531):
            t = spglib.get_spacegroup_type(hall)
            if t.choice == "2":
                out[int(t.number)] = hall
    return out


def axis_permutations() -> list[list[list[int]]]:
    """The signed permutation matrices of determinant 1 (the identity first)."""
    out = []
    for perm in itertools.permutations(range(3)):
        for signs in itertools.product((1, -1), repeat=3):
            p = np.zeros((3, 3), dtype=int)
            for column, (row, sign) in enumerate(zip(perm, signs)):
                p[row, column] = sign
            if round(np.linalg.det(p)) == 1:
                out.append(p.tolist())
    return out


def spglib_setting(uni: int, bns: tuple[int, int], halls: dict[int, int]
                   ) -> tuple[int, list | None, list | None]:
    """(Hall number, basis, origin) with which spglib's operations are
    ISO-MAG's: spglib's own setting if it is, else the first axis
    permutation, then the first origin shift in eighths, that makes them so."""
    wanted = pymatgen_operations(bns)
    hall = halls.get(bns[0], 0)
    bases = [None, *axis_permutations()[1:]]
    shifts = [None] + [list(v) for v in itertools.product([i / 8 for i in range(8)], repeat=3)
                       if any(v)]
    for origin in shifts:
        for basis in bases:
            if spglib_operations(uni, hall, basis, origin) == wanted:
                return hall, basis, origin
    raise SystemExit(f"UNI {uni} (BNS {bns[0]}.{bns[1]}): no Hall setting, axis permutation "
                     "and origin shift makes spglib's operations pymatgen's")


def bns_key(text: str) -> tuple[int, int]:
    first, second = text.split(".")
    return int(first), int(second)


def records() -> list[dict]:
    """The joined, cross-checked records, by UNI number."""
    pmg = pymatgen_rows()
    spg = spglib_rows()
    if len(pmg) != COUNT:
        raise SystemExit(f"pymatgen lists {len(pmg)} types, not {COUNT}")
    problems = []
    # UNI numbers are the BNS numbers in order: both orders must agree
    if sorted(pmg) != [bns_key(t.bns_number) for t in spg]:
        problems.append("the BNS numbers in UNI order differ between spglib and pymatgen")
    uni_of = {key: uni for uni, key in enumerate(sorted(pmg), 1)}
    halls = origin_choice_two()
    out = []
    for t in spg:
        key = bns_key(t.bns_number)
        row = pmg.get(key)
        if row is None:
            problems.append(f"UNI {t.uni_number}: BNS {t.bns_number} is not in pymatgen")
            continue
        og = tuple(int(x) for x in t.og_number.split("."))
        checks = {
            "uni": (t.uni_number, uni_of[key]),
            "type": (int(t.type), row["type"]),
            "number": (int(t.number), key[0]),
            "og_number": (og, row["og"]),
            "litvin_number": (int(t.litvin_number), row["og"][2]),
        }
        for field, (a, b) in checks.items():
            if a != b:
                problems.append(f"UNI {t.uni_number} (BNS {t.bns_number}) {field}: "
                                f"spglib {a!r} != pymatgen {b!r}")
        out.append({
            "uni": int(t.uni_number), "bns_number": t.bns_number,
            "bns_symbol": row["bns_symbol"], "og_number": t.og_number,
            "og_symbol": row["og_symbol"], "type": int(t.type), "number": int(t.number),
            "litvin_number": int(t.litvin_number),
        })
        hall, basis, origin = spglib_setting(t.uni_number, key, halls)
        out[-1].update(spglib_hall=hall, spglib_basis=basis, spglib_origin=origin)
    for field in ("bns_number", "bns_symbol", "og_number", "og_symbol"):
        values = [r[field] for r in out]
        if len(set(values)) != len(values):
            problems.append(f"{field} is not unique")
    if [r["uni"] for r in out] != list(range(1, COUNT + 1)):
        problems.append("UNI numbers are not 1 .. 1651")
    if problems:
        raise SystemExit("spglib and pymatgen disagree:\n  " + "\n  ".join(problems[:50]))
    return out


def write(rows: list[dict], path: Path) -> None:
    header = {
        "description": "the 1651 magnetic space-group types in BNS order (UNI number); "
                       "written by scripts/generate_magnetic_space_groups.py",
        "sources": {"pymatgen": version("pymatgen"), "spglib": version("spglib")},
        "fields": list(rows[0]),
        "count": len(rows),
    }
    lines = [json.dumps(r, ensure_ascii=True, separators=(",", ":")) for r in rows]
    text = ('{"header":' + json.dumps(header, ensure_ascii=True, separators=(",", ":"))
            + ',\n"records":[\n' + ",\n".join(lines) + "\n]}\n")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="ascii")


def main() -> None:
    rows = records()
    write(rows, OUT)
    counts = {k: sum(r["type"] == k for r in rows) for k in (1, 2, 3, 4)}
    print(f"wrote {OUT}: {len(rows)} types, by type {counts}; spglib in origin choice 2: "
          f"{sum(r['spglib_hall'] != 0 for r in rows)}, in another basis or origin: "
          + ", ".join(r["bns_number"] for r in rows if r["spglib_basis"] or r["spglib_origin"]),
          file=sys.stderr)


if __name__ == "__main__":
    main()
