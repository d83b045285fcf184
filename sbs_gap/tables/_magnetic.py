"""The magnetic tables (``make tables-magnetic``, ``sbs tables --magnetic``).

``tables/magnetic/``, docs/theory.md section 9: the parent is a grey group
S1' (a paramagnet), the targets its magnetic subgroups M without theta
(magnetic orderings).

``pointgroups.csv/.md``: the 32 grey crystallographic point groups; one row
per S'-conjugacy class of subgroups without theta (types I and III), the
fields of ``sbs partial "m-3m1'" --json``.

``spacegroups.csv/.md``: the 230 grey space-group types (default settings);
one row per S'-conjugacy class of magnetic subgroups M whose image H (theta
forgotten) is a t-subgroup of S: types I and III (k = 0) and type IV (an
anti-translation: the theta-free lattice has index 2 in T(S), the cell
doubled from a point of the Brillouin-zone boundary); the fields of
``sbs partial "P4_2/mnm1'" --json``, in its order (its first rows: the
t-subgroup families come first).

One task per grey group (:func:`magnetic_group_rows`, rows as plain dicts),
on local GAP sessions or on a Dask cluster, with the machinery of the
space-group tables (:func:`._pool.run_tasks`); the tables are assembled in
the order of the groups.  Not part of ``make tables``: the 230 space groups
take tens of minutes.
"""
from __future__ import annotations

from dataclasses import asdict, fields
from pathlib import Path

from ..breaking import (
    MagneticPartialBreaking, MagneticSpacePartialBreaking, magnetic_partial,
    magnetic_space_classes_over, magnetic_space_partial, space_subgroup_classes,
)
from ..errors import InputError
from ..gap import GapSession, default_session
from ..groups import (
    HERMANN_MAUGUIN, GreySpaceGroup, MagneticPointGroup, PointGroup, SpaceGroup, group_by_name,
    grey_space_group, magnetic_point_group, space_group_by_number,
)
from ._io import csv_text, markdown_text, write_atomic
from ._pool import run_tasks

__all__ = ["MAGNETIC_POINT_FIELDS", "MAGNETIC_SPACE_FIELDS", "magnetic_table_groups",
           "magnetic_group_rows", "magnetic_group_task", "compute_magnetic_tables", "write_magnetic_tables",
           "MAGNETIC_README"]

MAGNETIC_POINT_FIELDS = tuple(f.name for f in fields(MagneticPartialBreaking))
MAGNETIC_SPACE_FIELDS = tuple(f.name for f in fields(MagneticSpacePartialBreaking))


def magnetic_table_groups(names=None) -> tuple[list[MagneticPointGroup], list[GreySpaceGroup]]:
    """The grey groups of the magnetic tables: the 32 grey crystallographic
    point groups and the 230 grey space-group types (default settings), or
    those of the comma-separated ``names`` (grey names such as ``m-3m1'``,
    ``Pm-3m1'``; a plain point or space group stands for its grey group),
    each once, in the order given."""
    if names is None:
        return ([magnetic_point_group(f"{hm}1'") for hm in HERMANN_MAUGUIN.values()],
                [GreySpaceGroup(space_group_by_number(n)) for n in range(1, 231)])
    items = names.split(",") if isinstance(names, str) else list(names)
    point: list[MagneticPointGroup] = []
    space: list[GreySpaceGroup] = []
    seen: set[tuple] = set()
    for item in items:
        if isinstance(item, str) and not item.strip():
            raise InputError(f"empty group name in --groups {names!r}")
        g = group_by_name(item.strip() if isinstance(item, str) else item)
        if isinstance(g, PointGroup):
            g = magnetic_point_group(f"{g.hermann_mauguin or g.schoenflies}1'")
        elif isinstance(g, SpaceGroup):
            g = GreySpaceGroup(g)
        if isinstance(g, MagneticPointGroup) and not g.grey:
            p = g.point_group
            raise InputError(f"{g.name} is not a grey group: the magnetic tables start from "
                             f"a paramagnet, e.g. {p.hermann_mauguin or p.schoenflies}1'")
        if (type(g), g.name) in seen:
            continue
        seen.add((type(g), g.name))
        (point if isinstance(g, MagneticPointGroup) else space).append(g)
    return point, space


def magnetic_group_rows(task, session: GapSession | None = None) -> dict:
    """The table rows of one grey group, as plain data (a Dask task result):
    ``{"kind": "point" | "space", "group": ..., "rows": [...]}``.  ``task``:
    ``("point", NAME)`` or ``("space", NAME)`` (a grey space group's name can
    also be a point group's: ``C2221'`` is the grey cyclic group of order 222
    for :func:`sbs_gap.groups.group_by_name`), or a name, resolved as the
    command line resolves it."""
    session = session or default_session()
    if isinstance(task, str):
        g = group_by_name(task)
    elif task[0] == "point":
        g = magnetic_point_group(task[1])
    else:
        g = grey_space_group(task[1])
    name = g.name
    if isinstance(g, MagneticPointGroup):
        rows = [asdict(r) for r in magnetic_partial(g, session=session)
                if not r.time_reversal_kept]
        return {"kind": "point", "group": g.name, "rows": rows}
    if not isinstance(g, GreySpaceGroup):
        raise InputError(f"{name} is not a grey group")
    families = space_subgroup_classes(g.space_group, kind="t", session=session)
    classes = magnetic_space_classes_over(g, families, session=session)
    rows = [asdict(r) for c in classes for r in magnetic_space_partial(g, c, session=session)]
    return {"kind": "space", "group": g.name, "rows": rows}


def magnetic_group_task(task, session: GapSession | None = None) -> dict:
    """:func:`magnetic_group_rows`, with an engine failure returned as
    ``{"kind", "group", "rows": [], "error": TEXT}``: one group's failure
    does not lose the other groups' rows of a long run."""
    try:
        return magnetic_group_rows(task, session)
    except Exception as exc:  # reported per group by compute_magnetic_tables' caller
        kind, name = ("", task) if isinstance(task, str) else task
        return {"kind": kind, "group": name, "rows": [],
                "error": f"{type(exc).__name__}: {exc}"}


def compute_magnetic_tables(point: list[MagneticPointGroup], space: list[GreySpaceGroup], *,
                            workers: int = 2, scheduler: str | None = None, progress=None,
                            timeout: float = 30
                            ) -> tuple[list[MagneticPartialBreaking],
                                       list[MagneticSpacePartialBreaking],
                                       list[tuple[str, str]]]:
    """The rows of every grey group (point groups first, then space groups,
    in the order given), locally on ``workers`` GAP sessions or on the Dask
    cluster whose scheduler is at ``scheduler``: one task per group.  Also
    the groups whose computation failed, with the error (their rows are
    missing from the others)."""
    names = [("point", g.name) for g in point] + [("space", g.name) for g in space]
    raw = run_tasks(magnetic_group_task, names, workers=workers, scheduler=scheduler,
                    progress=progress, timeout=timeout)
    point_rows = [MagneticPartialBreaking(**row) for r in raw if r["kind"] == "point"
                  for row in r["rows"]]
    space_rows = [MagneticSpacePartialBreaking(**row) for r in raw if r["kind"] == "space"
                  for row in r["rows"]]
    failures = [(r["group"], r["error"]) for r in raw if "error" in r]
    return point_rows, space_rows, failures


def write_magnetic_tables(point_rows, space_rows, out, *, point: bool = True,
                          space: bool = True) -> list[Path]:
    """Write ``out/magnetic/`` (the point-group and/or the space-group table,
    and its README); returns the paths written."""
    folder = Path(out) / "magnetic"
    texts = {}
    if point:
        texts["pointgroups.csv"] = csv_text(point_rows, MAGNETIC_POINT_FIELDS)
        texts["pointgroups.md"] = markdown_text(
            "Magnetic orderings of the grey point groups",
            "Generated by `make tables-magnetic`; one row per grey point group S1' and "
            "S'-conjugacy class of subgroups without time reversal (types I and III); "
            "columns as in `sbs partial \"m-3m1'\" --json` (see README.md).", point_rows,
            MAGNETIC_POINT_FIELDS)
    if space:
        texts["spacegroups.csv"] = csv_text(space_rows, MAGNETIC_SPACE_FIELDS)
        texts["spacegroups.md"] = markdown_text(
            "Magnetic orderings of the grey space groups",
            "Generated by `make tables-magnetic`; one row per grey space group S1' and "
            "S'-conjugacy class of magnetic subgroups M over the t-subgroups of S (types I, "
            "III and IV); columns as in `sbs partial \"P4_2/mnm1'\" --json` (see README.md).",
            space_rows, MAGNETIC_SPACE_FIELDS)
    texts["README.md"] = MAGNETIC_README
    paths = []
    for name, text in texts.items():
        write_atomic(folder / name, text)
        paths.append(folder / name)
    return paths


MAGNETIC_README = """# tables/magnetic/: magnetic orderings (ambient group x time reversal)

Generated by `make tables-magnetic` (which runs `.venv/bin/sbs tables --magnetic
--out tables`; not part of `make tables`: the space groups take tens of minutes);
never edited by hand. docs/theory.md section 9: the parent is a grey group
S1' = S x {1, theta} (a paramagnet), the targets are its magnetic subgroups M
without theta (a magnetic ordering); \\|S1' : M\\| is the number of magnetic
domain states. Every value is computed by GAP through `sbs_gap`; `make
crosscheck` compares the point-group rows, and a sample of the space-group
rows, with the independent pure-Python engine.

## pointgroups.csv, pointgroups.md

The 32 grey crystallographic point groups (`11'` to `m-3m1'`, in O(3) x {1, theta});
one row per S'-conjugacy class of subgroups K without theta: type I (K in S)
and type III (black-white, K = H u theta (P - H)). The columns are the
fields of `sbs partial "m-3m1'" --json`: those of the point-group `partial.csv`
(../README.md; `subgroup` the primed Hermann-Mauguin symbol read in a frame of
the class, with the geometric label when several classes share it) and

| column | meaning |
|---|---|
| `subgroup_type` | K in Schoenflies' magnetic notation: `D4h` (type I), `D4h(C4h)` (type III: the image and its theta-free half) |
| `time_reversal_kept` | whether theta is in K: always false here (the grey subgroups, theta kept, are left out) |

## spacegroups.csv, spacegroups.md

The 230 grey space-group types S1' (default ITA settings, the generic metric;
the normalizer of S1' is N_E(S) x {1, theta}); one row per S'-conjugacy class
of magnetic subgroups M without theta whose image H (theta forgotten) is a
t-subgroup of S: type I (M = H), type III (theta on the operations outside an
index-2 subgroup of H, every translation of T(S) without theta: k = 0) and
type IV (theta on translations: the theta-free lattice has index 2 in T(S),
the anti-translations of an ordering with a wave vector on the Brillouin-zone
boundary, the magnetic cell doubled). The columns are the fields of `sbs
partial "P4_2/mnm1'" --json` (the first rows it prints, over the t-subgroups):
those of `spacegroups/partial.csv` (../README.md) with

| column | meaning |
|---|---|
| `subgroup` | `BNS-SYMBOL (BNS-NUMBER) [a',b',c'; p]`: M's BNS type and the transformation from S's basis and origin to its BNS standard setting (ISO-MAG's) |
| `subgroup_number` | the ITA number of M's BNS reference group (the part of the BNS number before the dot) |
| `kind` | `t` (H is a t-subgroup of S) |
| `index` | \\|S1' : M\\| = 2 \\|S : H\\|, the number of magnetic domain states |
| `subgroup_bns_number` | M's BNS number |
| `magnetic_type` | `I`, `III` or `IV` |
| `family` | the class of H, as in `spacegroups/partial.csv` |
| `time_reversal_kept` | always false |

The name of a class is reproducible (the same in any run, locally or on Dask)
and valid (given back as a target, it selects this class), but not
canonical: it is read off the member GAP returns, so it can describe a
conjugate of the member whose family name is printed (for Pm-3m1' to
I_c4/mcm, `[a-c,a+c,-2b; 0,0,0]` has the four-fold axis along b while the
family reads `P4/mmm (123) [a,b,c; 0,0,0]`), and two tables of different
sbs_gap versions may name the same class differently.

## Regenerating

    make tables-magnetic                                   # all of tables/magnetic/
    .venv/bin/sbs tables --magnetic --groups "m-3m1',P4_2/mnm1'" --out /tmp/t
    .venv/bin/sbs tables --magnetic --scheduler tcp://HOST:PORT   # on a Dask cluster

One task per grey group, on local GAP sessions (`--workers`, default 2) or on a
Dask cluster; the bytes are the same either way.
"""
