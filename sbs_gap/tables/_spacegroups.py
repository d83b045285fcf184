"""The SBS tables of the 230 space-group types (``tables/spacegroups/``).

``normalizers.csv/.md``: one row per type, the Euclidean normalizer for the
generic metric; ``full.csv/.md``: the fields of ``sbs full SPACEGROUP --json``;
``partial.csv/.md``: one row per type and class (every t-subgroup, the maximal
k-subgroups of index 2, 3, 4), the fields of ``sbs partial SPACEGROUP --json``.

One task per group, on local GAP sessions or on an existing Dask cluster
(``scheduler="tcp://host:port"``): each Dask worker process computes with its
own GAP session (the process-wide default session, started on its first task,
reused by the next ones, closed when the process exits), and a task lost with
a worker is run again elsewhere by Dask.  Rows travel as plain dicts; the
tables are assembled in the order of the groups, so the bytes do not depend
on where or in which order the tasks ran.
"""
from __future__ import annotations

from dataclasses import asdict, dataclass, fields
from pathlib import Path

from ..breaking import (
    SPACE_FULL_FIELDS, SPACE_PARTIAL_FIELDS, SpaceFullBreaking, SpacePartialBreaking,
    euclidean_normalizer, space_group_full, space_group_partial,
)
from ..errors import InputError
from ..gap import GapSession, default_session
from ..groups import SpaceGroup, space_group, space_group_by_number
from ._io import csv_text, markdown_text, write_atomic
from ._pool import local_pool

__all__ = ["NormalizerRow", "NORMALIZER_FIELDS", "space_table_groups", "space_group_rows",
           "compute_space_tables", "write_space_tables", "SPACE_README"]


@dataclass(frozen=True)
class NormalizerRow:
    """The Euclidean normalizer of one type for the generic metric."""

    number: int
    group: str
    crystal_family: str
    normalizer: str
    normalizer_index: int | None
    continuous_translations: int
    normalizer_rotation_index: int


NORMALIZER_FIELDS = tuple(f.name for f in fields(NormalizerRow))


def space_table_groups(names=None) -> list[SpaceGroup]:
    """The 230 types in their default settings, or the given names/groups,
    each once, in the order given."""
    if names is None:
        return [space_group_by_number(n) for n in range(1, 231)]
    seen, groups = set(), []
    for item in names:
        g = item if isinstance(item, SpaceGroup) else space_group(item)
        if g.hall_number not in seen:
            seen.add(g.hall_number)
            groups.append(g)
    return groups


def space_group_rows(name: str, session: GapSession | None = None) -> dict:
    """The table rows of one space group, as plain data (a Dask task result)."""
    session = session or default_session()
    g = space_group(name)
    n = euclidean_normalizer(g, session=session)
    normalizer = NormalizerRow(number=g.number, group=g.name, crystal_family=g.crystal_family,
                               normalizer=n.symbol, normalizer_index=n.index,
                               continuous_translations=n.continuous_translations,
                               normalizer_rotation_index=n.rotation_index)
    return {"normalizer": asdict(normalizer),
            "full": asdict(space_group_full(g, session=session)),
            "partial": [asdict(r) for r in space_group_partial(g, session=session)]}


def _task_name(g: SpaceGroup) -> str:
    """What a task is given: the name that resolves to this very setting."""
    return g.name


def _distributed(names: list[str], scheduler: str, progress, timeout: float) -> list[dict]:
    try:
        from distributed import Client, as_completed
    except ImportError:  # pragma: no cover - a dependency of the package
        raise InputError("--scheduler needs Dask distributed (pip install distributed)") \
            from None
    try:
        client = Client(scheduler, timeout=timeout)
    except (OSError, TimeoutError) as exc:
        raise InputError(f"cannot reach the Dask scheduler at {scheduler!r}: {exc}") from None
    try:
        futures = client.map(space_group_rows, names, pure=False, retries=2)
        index = {f.key: i for i, f in enumerate(futures)}
        results: dict[int, dict] = {}
        for future in as_completed(futures):
            results[index[future.key]] = future.result()
            if progress is not None:
                progress(names[index[future.key]])
        return [results[i] for i in range(len(names))]
    finally:
        client.close()


def compute_space_tables(groups: list[SpaceGroup], *, workers: int = 2,
                         scheduler: str | None = None, progress=None, timeout: float = 30
                         ) -> tuple[list[NormalizerRow], list[SpaceFullBreaking],
                                    list[SpacePartialBreaking]]:
    """The rows of every group, locally on ``workers`` GAP sessions, or on
    the Dask cluster whose scheduler is at ``scheduler``."""
    names = [_task_name(g) for g in groups]
    if scheduler is not None:
        raw = _distributed(names, scheduler, progress, timeout)
    else:
        with local_pool(None, workers) as pool:
            raw = pool.run(names, lambda name, session: space_group_rows(name, session),
                           progress=progress)
    normalizers = [NormalizerRow(**r["normalizer"]) for r in raw]
    full = [SpaceFullBreaking(**r["full"]) for r in raw]
    partial = [SpacePartialBreaking(**row) for r in raw for row in r["partial"]]
    return normalizers, full, partial


def write_space_tables(normalizers, full, partial, out) -> list[Path]:
    """Write ``out/spacegroups/``; returns the paths written."""
    folder = Path(out) / "spacegroups"
    texts = {
        "normalizers.csv": csv_text(normalizers, NORMALIZER_FIELDS),
        "normalizers.md": markdown_text(
            "Euclidean normalizers of the space groups",
            "Generated by `make tables`; the generic metric of each crystal family "
            "(see ../README.md).", normalizers, NORMALIZER_FIELDS),
        "full.csv": csv_text(full, SPACE_FULL_FIELDS),
        "full.md": markdown_text(
            "Full breaking of the point symmetry of the space groups (K = T(S))",
            "Generated by `make tables`; columns as in `sbs full SPACEGROUP --json` "
            "(see ../README.md).", full, SPACE_FULL_FIELDS),
        "partial.csv": csv_text(partial, SPACE_PARTIAL_FIELDS),
        "partial.md": markdown_text(
            "Partial breaking of the space groups",
            "Generated by `make tables`; one row per group and S-conjugacy class (every "
            "t-subgroup, the maximal k-subgroups of index 2, 3, 4); columns as in "
            "`sbs partial SPACEGROUP --json` (see ../README.md).", partial,
            SPACE_PARTIAL_FIELDS),
    }
    paths = []
    for name, text in texts.items():
        write_atomic(folder / name, text)
        paths.append(folder / name)
    return paths


SPACE_README = """
## spacegroups/: the 230 space-group types (ambient group E(3))

Each type in its default ITA setting (origin choice 2, unique axis b, hexagonal
axes; docs/theory.md section 8), with the generic metric of its crystal family.

`normalizers.csv`, `normalizers.md`: one row per type.

| column | meaning |
|---|---|
| `number`, `group` | ITA number and short Hermann-Mauguin symbol of S |
| `crystal_family` | triclinic, monoclinic, orthorhombic, tetragonal, hexagonal (trigonal included) or cubic |
| `normalizer` | the type of the Euclidean normalizer N = N_E(S), written as ITA Vol. A ch. 15.2 does: for d continuous directions a superscript d after the lattice letter (`P^1 4/mmm`) |
| `normalizer_index` | \\|N : S\\|; empty when S is polar (N contains continuous translations) |
| `continuous_translations` | d, the dimension of the continuous translations of N (the subspace fixed by the point group) |
| `normalizer_rotation_index` | \\|rotation parts of N\\| / \\|P\\|, P the point group of S |

`full.csv`, `full.md`: full breaking of the point symmetry, K = T(S) (P1 with the
lattice of S); the columns are the fields of `sbs full SPACEGROUP --json`: the four
normalizer columns above, and

| column | meaning |
|---|---|
| `ideal` | whether an ideal equivariant set exists (\\|P\\| objects) |
| `min_size` | the smallest equivariant set breaking S to T(S) |
| `complement` | the point group (Hermann-Mauguin) of the rotation parts of the stabilizer of one object of a smallest set; the least name when there are several (text: `-1` is the point group -1, Ci, not a number) |
| `continuous` | whether only continuous sets exist (never, for K = T(S)) |

`partial.csv`, `partial.md`: one row per type S and S-conjugacy class of
subgroups K: every t-subgroup (T(K) = T(S); K = S and K = T(S) included) and the
maximal k-subgroups (same point group) of index 2, 3 and 4.

| column | meaning |
|---|---|
| `group` | S |
| `subgroup` | the class: `SYMBOL (NUMBER) [a',b',c'; p]`, the type of K and the transformation (P, p) from the basis and origin of S to the conventional ones of K (ITA notation: the new basis vectors in terms of a, b, c; the new origin in the coordinates of S) |
| `subgroup_number` | the ITA number of K |
| `kind` | `t`, `k` or `general` |
| `index` | \\|S : K\\|, the number of domain states |
| `generalized_normalizer_is_normalizer` | whether N' = {n in N : nKn^-1 is S-conjugate to K} equals N; empty when `continuous` |
| `ideal`, `exact_min_size`, `nonexact_min_size`, `break_more_is_smaller` | as for point groups (above); sizes empty when `continuous` |
| `continuous` | the lattice translations of S along its polar directions are not all in K: every equivariant set is a continuum (sliding along them) |

Names. spglib finds the type and the transformation of each S-conjugate of K
(from a structure with exactly the symmetry of K); a class takes the least of its
members' names (smallest transformation coefficients, fewest negative entries,
then the simplest origin), and the origin is the simplest of those describing the
same subgroup. The same class gets the same name from any representative.

Computed with one task per group, on local GAP sessions or on a Dask cluster
(`sbs tables --scheduler tcp://HOST:PORT`); the bytes are the same either way.
"""
