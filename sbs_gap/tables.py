"""The SBS tables of all covered point groups (``make tables``, ``sbs tables``).

``full.csv``/``full.md``: one row per point group, the fields of ``sbs full
--json``; ``partial.csv``/``partial.md``: one row per (group, S-conjugacy class
of subgroups), the fields of ``sbs partial --json``; ``groups.csv``/``groups.md``:
the catalog (orders checked three ways); ``README.md``: what the columns mean.
Every value is computed (GAP, through :mod:`sbs_gap.o3`).  Output is
deterministic, and all files are computed before any is written, each
atomically.
"""
from __future__ import annotations

import csv
import io
import os
import queue
import threading
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, fields
from pathlib import Path

from .catalog import AXIAL_N_MAX, catalog_groups, write_atomic, write_catalog
from .engine import FullBreaking, PartialBreaking
from .errors import InputError
from .gap import GapSession, default_session
from .groups import PointGroup, point_group
from .o3 import full_breaking, partial_breaking

__all__ = ["FULL_FIELDS", "PARTIAL_FIELDS", "table_groups", "compute_tables", "write_tables",
           "format_value", "parse_value", "read_table"]

FULL_FIELDS = tuple(f.name for f in fields(FullBreaking))
PARTIAL_FIELDS = tuple(f.name for f in fields(PartialBreaking))


def table_groups(names: str | None = None) -> list[PointGroup]:
    """The covered groups (default), or the comma-separated ``names``, each once
    under its canonical name, in the order given."""
    if names is None:
        return catalog_groups()
    seen, groups = set(), []
    for text in names.split(","):
        if not text.strip():
            raise InputError(f"empty group name in --groups {names!r}")
        g = point_group(text.strip())
        if g.schoenflies not in seen:
            seen.add(g.schoenflies)
            groups.append(point_group(g.schoenflies))
    return groups


def _default_workers() -> int:
    return max(1, min(2, os.cpu_count() or 1))


def compute_tables(groups: list[PointGroup], *, sessions: list[GapSession] | None = None,
                   workers: int | None = None,
                   progress=None) -> tuple[list[FullBreaking], list[PartialBreaking]]:
    """Full and partial breaking rows for each group, in the order of ``groups``.

    The groups are shared out to ``workers`` GAP sessions (default: the default
    session plus one more on a machine with two or more cores); the result
    does not depend on how they were shared.
    """
    own: list[GapSession] = []
    if sessions is None:
        sessions = [default_session()]
        for _ in range((workers or _default_workers()) - 1):
            own.append(GapSession())
        sessions += own
    todo: queue.Queue = queue.Queue()
    for i, g in enumerate(groups):
        todo.put((i, g))
    results: dict[int, tuple] = {}
    lock = threading.Lock()

    def work(session: GapSession) -> None:
        while True:
            try:
                i, g = todo.get_nowait()
            except queue.Empty:
                return
            row = (full_breaking(g.schoenflies, session=session),
                   partial_breaking(g.schoenflies, session=session))
            with lock:
                results[i] = row
                if progress is not None:
                    progress(g.schoenflies)

    try:
        with ThreadPoolExecutor(max_workers=len(sessions)) as pool:
            for f in [pool.submit(work, s) for s in sessions]:
                f.result()
    finally:
        for s in own:
            s.close()
    full = [results[i][0] for i in range(len(groups))]
    partial = [row for i in range(len(groups)) for row in results[i][1]]
    return full, partial


def format_value(value) -> str:
    """CSV text of a field: JSON spelling for booleans, empty for null."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def parse_value(text: str):
    """Inverse of :func:`format_value` (integers, booleans, null, names)."""
    if text == "":
        return None
    if text in ("true", "false"):
        return text == "true"
    if text.lstrip("-").isdigit():
        return int(text)
    return text


def _csv_text(rows, names) -> str:
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(names)
    for r in rows:
        record = asdict(r)
        writer.writerow([format_value(record[k]) for k in names])
    return buf.getvalue()


def read_table(path: Path) -> list[dict]:
    """Rows of a table CSV as dicts of typed values."""
    with open(path, newline="", encoding="utf-8") as f:
        return [{k: parse_value(v) for k, v in row.items()} for row in csv.DictReader(f)]


def _markdown_text(title: str, intro: str, rows, names) -> str:
    lines = [f"# {title}", "", intro, "",
             "| " + " | ".join(names) + " |", "|" + "---|" * len(names)]
    for r in rows:
        record = asdict(r)
        lines.append("| " + " | ".join("-" if record[k] is None else format_value(record[k])
                                       for k in names) + " |")
    return "\n".join(lines) + "\n"


_README = """# tables/

Generated by `make tables` (which runs `.venv/bin/sbs tables --out tables`); never
edited by hand. Every value is computed: the group theory by GAP (through the
`sbs_gap` bridge), checked by `make crosscheck` against an independent
pure-Python engine (NumPy, no GAP). The same command writes the same bytes.

{coverage} The ambient group is O(3); groups are in the standard
orientation of THEORY.md section 7 (principal axis z).

## full.csv, full.md: full symmetry breaking (K = 1)

One row per point group S; the columns are the fields of `sbs full GROUP --json`.

| column | meaning |
|---|---|
| `group` | S, canonical Schoenflies name |
| `order` | \\|S\\| |
| `normalizer` | N = N_O(3)(S): a Schoenflies name when finite, `O(3)` (S = C1, Ci) or `Dinfh` (cylinder symmetry: Cs, Cn, Cnh, S2n) when infinite |
| `normalizer_order` | \\|N\\|, empty when N is infinite |
| `normalizer_finite` | whether N is finite |
| `ideal` | whether an ideal equivariant full SBS exists: S has a complement in N (Theorem A; for infinite N, in the component group N/N°) |
| `min_size` | the smallest equivariant full SBS; empty when every equivariant full SBS is infinite (S meets the identity component of N) |
| `complement` | a complement M of S in N (the stabilizer of one object of an ideal set), the first name in sorting order when there are several classes; `SO(3)`, `O(3)`, `Cinf`, `Cinfv`, `Cinfh`, `Dinf`, `Dinfh` for the closed subgroups of infinite normalizers; empty if none |

## partial.csv, partial.md: partial symmetry breaking S -> K

One row per point group S and S-conjugacy class of subgroups K (including K = 1
and K = S); the columns are the fields of `sbs partial GROUP --json`.

| column | meaning |
|---|---|
| `group` | S |
| `subgroup` | K: its Schoenflies type; when S has several classes of that type, a label in brackets (below) |
| `subgroup_order` | \\|K\\| |
| `index` | \\|S : K\\|, the number of degenerate outputs |
| `generalized_normalizer_is_normalizer` | whether N' = N_O(3)(S, K) = {{n in N : nKn^-1 is S-conjugate to K}} equals N |
| `ideal` | whether an ideal equivariant exact SBS exists (Theorem B): a set of exactly \\|S : K\\| objects, each with stabilizer in S conjugate to K, closed under N' |
| `exact_min_size` | the smallest equivariant SBS whose objects have stabilizer in S conjugate to K; empty when only infinite ones exist |
| `nonexact_min_size` | the same when stabilizers may be smaller (subconjugate to K: breaking more than asked) |
| `break_more_is_smaller` | `nonexact_min_size < exact_min_size` |

Labels. `C2v[z,x]`: the label names the principal axis (or the mirror normal of
Cs) of a canonical member of the class and, for Cnv, Dn, Dnh, Dnd, a secondary
direction: a mirror normal (Cnv) or a two-fold axis perpendicular to the
principal one (Dn, Dnh, Dnd). Directions: `x`, `y`, `z`; `xy<degrees>` in the xy
plane (e.g. `xy45`); integer triples such as `111` or `1-10` (Miller-like, `-1`
is a negative component); otherwise rounded coordinates. The canonical member
and directions minimize a geometric key (coordinate axes first, z before x
before y; then coordinate planes), so names do not depend on GAP's ordering.

## groups.csv, groups.md: the point-group catalog

| column | meaning |
|---|---|
| `schoenflies` | canonical Schoenflies name |
| `hermann_mauguin` | short Hermann-Mauguin symbol (empty if not crystallographic) |
| `family`, `n` | axial family (`C, Cv, Ch, S, D, Dh, Dd`) and n, or the group's own name |
| `order` | computed exactly by GAP from the cyclotomic generators |
| `numeric_order` | computed independently by a floating-point closure in NumPy |
| `formula_order` | the textbook formula |
| `generators` | number of generators |
| `permutation_degree` | degree of the faithful permutation representation GAP computes in |

## Regenerating

    make tables                                   # all of tables/, from a fresh clone
    .venv/bin/sbs tables --groups C1,Ci,D3 --out /tmp/t   # a chosen subset elsewhere
    make crosscheck                               # compare with the pure-Python engine

Files are written atomically after everything is computed: an interrupted run
leaves the previous tables in place.
"""


def _coverage(groups) -> str:
    names = [g.schoenflies for g in groups]
    if names == [g.schoenflies for g in catalog_groups()]:
        return ("Coverage: the 32 crystallographic point groups; the axial families Cn, Cnv,\n"
                "Cnh, S2n, Dn, Dnh, Dnd for n = 1..%d (each group once, under its canonical\n"
                "Schoenflies name: S2 appears as Ci, D1 as C2, C1h as Cs, ...); T, Td, Th, O,\n"
                "Oh, I, Ih: %d groups." % (AXIAL_N_MAX, len(names)))
    return "Coverage (a chosen subset): " + ", ".join(names) + "."


def write_tables(groups: list[PointGroup], full: list[FullBreaking],
                 partial: list[PartialBreaking], catalog, out) -> list[Path]:
    """Write the tables into ``out``; returns the paths written."""
    out = Path(out)
    texts = {
        "full.csv": _csv_text(full, FULL_FIELDS),
        "full.md": _markdown_text(
            "Full symmetry breaking of point groups in O(3)",
            "Generated by `make tables`; columns as in `sbs full GROUP --json` "
            "(see README.md).", full, FULL_FIELDS),
        "partial.csv": _csv_text(partial, PARTIAL_FIELDS),
        "partial.md": _markdown_text(
            "Partial symmetry breaking of point groups in O(3)",
            "Generated by `make tables`; one row per group and S-conjugacy class of "
            "subgroups; columns as in `sbs partial GROUP --json` (see README.md).",
            partial, PARTIAL_FIELDS),
        "README.md": _README.format(coverage=_coverage(groups)),
    }
    paths = write_catalog(catalog, out)
    for name, text in texts.items():
        write_atomic(out / name, text)
        paths.append(out / name)
    return paths

