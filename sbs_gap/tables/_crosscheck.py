"""Compare the tables (GAP) with the independent pure-Python engine.

``sbs crosscheck`` / ``make crosscheck``: every row of ``full.csv`` and
``partial.csv`` is recomputed by :mod:`sbs_gap.independent` (NumPy, no GAP)
and compared field by field; missing and extra rows count as disagreements.
Problem files (permutation or matrix ambient groups of at most
:data:`MAX_BRUTE_FORCE_ORDER` elements) are compared with a brute force over
all subgroups, on the fields that do not depend on naming.  Space groups
(:func:`crosscheck_space_groups`): full breaking and every t-subgroup class,
computed by GAP now, against the independent engine (spglib's operations,
the normalizer by direct search).  Magnetic tables (``magnetic/``, when
present: :func:`crosscheck_magnetic_tables`): every grey point-group row, and
the rows of a sample of grey space groups (or all), against the independent
engine, which reads each class name back into the subgroup it names.
"""
from __future__ import annotations

import multiprocessing
import os
from collections import Counter
from concurrent.futures import ProcessPoolExecutor
from dataclasses import asdict, dataclass, field
from pathlib import Path

import numpy as np

from ..breaking import (
    FULL_FIELDS, PARTIAL_FIELDS, euclidean_normalizer, solve_full, solve_partial,
    space_group_full, space_group_partial,
)
from ..errors import InputError
from ..groups import MatrixData, MatrixIndex, PermutationData, load_problem, matrix_closure
from ..groups import GreySpaceGroup, SpaceGroup, group_by_name, grey_space_group, space_group
from ..independent import (
    independent_full, independent_partial, independent_problem_rows, independent_space_full,
    independent_space_t_rows,
)
from ..independent import (
    MAGNETIC_SPACE_KEYS, independent_magnetic_orderings, independent_magnetic_space_rows,
)
from ._io import read_table

__all__ = ["CrosscheckReport", "crosscheck_tables", "crosscheck_problem",
           "crosscheck_space_groups", "crosscheck_space_tables", "MAX_BRUTE_FORCE_ORDER",
           "crosscheck_magnetic_tables", "MAGNETIC_SPACE_SAMPLE"]

#: Problem files whose ambient group is larger are not brute-forced.
MAX_BRUTE_FORCE_ORDER = 500


@dataclass
class CrosscheckReport:
    rows: int = 0
    groups: int = 0
    problems: int = 0
    space_groups: int = 0
    disagreements: list[str] = field(default_factory=list)
    magnetic_rows: int = 0
    grey_point_groups: int = 0
    grey_space_groups: int = 0


def _compare(where: str, ours: dict, theirs: dict, names, report: CrosscheckReport) -> None:
    for k in names:
        if ours.get(k) != theirs.get(k):
            report.disagreements.append(
                f"{where}: {k} is {ours.get(k)!r} in the table, {theirs.get(k)!r} independently")


def crosscheck_tables(folder, *, problems=(), progress=None,
                      magnetic_space_groups=None) -> CrosscheckReport:
    """Compare ``folder/full.csv`` and ``folder/partial.csv`` with the independent
    engine, and each problem file in ``problems`` with the brute force; the
    space-group and magnetic tables too when they are there
    (``magnetic_space_groups``: as :func:`crosscheck_magnetic_tables`)."""
    folder = Path(folder)
    if (folder / "magnetic").is_dir() and not (folder / "full.csv").is_file() \
            and not (folder / "partial.csv").is_file() and not problems:
        report = CrosscheckReport()     # a folder of `sbs tables --magnetic` alone
        crosscheck_magnetic_tables(folder, report, space_groups=magnetic_space_groups,
                                   progress=progress)
        return report
    for name in ("full.csv", "partial.csv"):
        if not (folder / name).is_file():
            raise InputError(f"no {name} in {folder} (run `make tables` first)")
    full = read_table(folder / "full.csv")
    partial = read_table(folder / "partial.csv")
    report = CrosscheckReport()
    by_group: dict[str, list[dict]] = {}
    for row in partial:
        by_group.setdefault(str(row["group"]), []).append(row)
    for row in full:
        group = str(row["group"])
        report.groups += 1
        report.rows += 1
        _compare(f"full {group}", row, independent_full(group), FULL_FIELDS, report)
        theirs = {r["subgroup"]: r for r in independent_partial(group)}
        ours = {str(r["subgroup"]): r for r in by_group.pop(group, [])}
        for sub in sorted(set(ours) | set(theirs)):
            report.rows += 1
            if sub not in theirs:
                report.disagreements.append(f"partial {group} -> {sub}: row not found "
                                            "independently")
            elif sub not in ours:
                report.disagreements.append(f"partial {group} -> {sub}: row missing from "
                                            "the table")
            else:
                _compare(f"partial {group} -> {sub}", ours[sub], theirs[sub], PARTIAL_FIELDS,
                         report)
        if progress is not None:
            progress(group)
    for group in sorted(by_group):
        report.disagreements.append(f"partial rows for {group}, which has no full row")
    for path in problems:
        crosscheck_problem(path, report)
    if (folder / "spacegroups" / "full.csv").is_file():
        crosscheck_space_tables(folder, report, progress=progress)
    if (folder / "magnetic").is_dir():
        crosscheck_magnetic_tables(folder, report, space_groups=magnetic_space_groups,
                                   progress=progress)
    return report


# ----------------------------------------------------------------------------
# Problem files: GAP engine against the brute force
# ----------------------------------------------------------------------------

def _regular_permutations(ambient: MatrixData, elements_of_interest):
    """Matrices -> permutations of the group's elements (left multiplication),
    by a floating-point closure; no GAP."""
    gens = ambient.numpy()
    try:
        elements = matrix_closure(gens, limit=MAX_BRUTE_FORCE_ORDER)
    except InputError:
        raise InputError(f"the ambient group has more than {MAX_BRUTE_FORCE_ORDER} "
                         "elements: too large for the brute force") from None
    index = MatrixIndex(elements)

    def as_perm(m):
        try:
            return tuple(int(p) for p in index.positions(np.asarray(m, dtype=float) @ elements))
        except KeyError:
            raise InputError("a problem matrix is not in the ambient group") from None

    return [[as_perm(m) for m in data.numpy()] if data is not None else None
            for data in elements_of_interest], [as_perm(g) for g in gens]


def _zero_based(data: PermutationData, degree: int):
    perms = []
    for images in data.generators:
        full = list(images) + list(range(len(images) + 1, degree + 1))
        perms.append(tuple(x - 1 for x in full))
    return perms


def crosscheck_problem(path, report: CrosscheckReport) -> None:
    """Compare the GAP engine's answers for one problem file with the brute force."""
    problem = load_problem(path)
    if isinstance(problem.ambient, PermutationData):
        degree = max([len(g) for g in problem.ambient.generators]
                     + [len(g) for g in problem.group.generators]
                     + ([len(g) for g in problem.target.generators] if problem.target else [])
                     + [1])
        ambient = _zero_based(problem.ambient, degree)
        group = _zero_based(problem.group, degree)
        target = _zero_based(problem.target, degree) if problem.target else None
    elif isinstance(problem.ambient, MatrixData):
        (group, target), ambient = _regular_permutations(
            problem.ambient, [problem.group, problem.target])
    else:
        raise InputError(f"{path}: the brute force needs an ambient group given by "
                         "permutations or matrices, not a presentation")
    full = asdict(solve_full(problem))
    rows = [asdict(r) for r in solve_partial(problem)]
    their_full, their_rows = independent_problem_rows(ambient, group, target)
    report.problems += 1
    report.rows += 1 + len(rows)
    _compare(f"problem {problem.name} full", full, their_full,
             ("order", "normalizer_order", "ideal", "min_size"), report)
    # (a complement exists iff the full case is ideal: compared above)
    fields = ("subgroup_order", "index", "generalized_normalizer_is_normalizer", "ideal",
              "exact_min_size", "nonexact_min_size", "break_more_is_smaller")
    ours = Counter(tuple(r[k] for k in fields) for r in rows)
    theirs = Counter(tuple(r[k] for k in fields) for r in their_rows)
    for row in sorted((ours - theirs).elements(), key=str):
        report.disagreements.append(f"problem {problem.name} partial: GAP row {row} not "
                                    "found by the brute force")
    for row in sorted((theirs - ours).elements(), key=str):
        report.disagreements.append(f"problem {problem.name} partial: brute-force row {row} "
                                    "not found by GAP")


# ----------------------------------------------------------------------------
# Space groups: GAP path against the independent engine
# ----------------------------------------------------------------------------

_T_FIELDS = ("subgroup_number", "index", "ideal", "exact_min_size", "nonexact_min_size",
             "generalized_normalizer_is_normalizer")


def _independent_space(number: int) -> tuple[dict, list[dict]]:
    """The independent engine's full row and t-subgroup rows of one type."""
    return independent_space_full(number), independent_space_t_rows(number)


def _compare_space_group(name: str, number: int, ours: dict, rows: list[dict],
                         report: CrosscheckReport, independent=None) -> None:
    """One space group: its full row (with ``normalizer_number``) and its
    t-subgroup rows against the independent engine (``independent``: its
    answers when already computed)."""
    theirs, their_rows = independent or _independent_space(number)
    report.space_groups += 1
    report.rows += 1
    _compare(f"full {name}", ours, theirs,
             ("normalizer_number", "normalizer_index", "continuous_translations",
              "normalizer_rotation_index", "ideal", "min_size", "continuous"), report)
    mine = Counter(tuple(r[k] for k in _T_FIELDS) for r in rows)
    other = Counter(tuple(r[k] for k in _T_FIELDS) for r in their_rows)
    report.rows += len(rows)
    for key in sorted(set(mine) | set(other), key=str):
        if mine[key] != other[key]:
            report.disagreements.append(
                f"t-subgroups of {name}: {dict(zip(_T_FIELDS, key))} occurs "
                f"{mine[key]} times here, {other[key]} times independently")


def crosscheck_space_groups(names, report: CrosscheckReport, *, session=None,
                            progress=None) -> None:
    """Full breaking and the t-subgroup rows of each space group (default
    settings), computed by GAP now, against the independent engine; rows are
    matched as multisets of their fields (the independent engine does not
    name classes by transformation)."""
    for name in names:
        g = space_group(name)
        if g.hall_number != space_group(f"SG{g.number}").hall_number:
            raise InputError(f"the independent check covers default settings; {g.name} is not")
        ours = asdict(space_group_full(g, session=session))
        ours["normalizer_number"] = euclidean_normalizer(g, session=session).number
        rows = [asdict(r) for r in space_group_partial(g, kind="t", session=session)]
        _compare_space_group(g.name, g.number, ours, rows, report)
        if progress is not None:
            progress(g.name)


def crosscheck_space_tables(folder, report: CrosscheckReport, *, progress=None,
                            workers: int | None = None) -> None:
    """``folder/spacegroups/``: every full row and every t-subgroup row
    against the independent engine (the normalizer's type through its symbol
    in normalizers.csv).  The independent answers are computed in
    ``workers`` processes (default: one per CPU, at most 8); the comparison
    and the report keep the table's order."""
    folder = Path(folder) / "spacegroups"
    normalizers = {r["number"]: r for r in read_table(folder / "normalizers.csv")}
    partial: dict[str, list[dict]] = {}
    for row in read_table(folder / "partial.csv"):
        if row["kind"] == "t":
            partial.setdefault(str(row["group"]), []).append(row)
    full = read_table(folder / "full.csv")
    numbers = [int(row["number"]) for row in full]
    workers = workers or min(8, os.cpu_count() or 1)
    if workers > 1 and len(numbers) > 1:
        # spawned (not forked) processes: the caller may hold a GAP session
        # with its reader thread
        context = multiprocessing.get_context("spawn")
        with ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool:
            answers = pool.map(_independent_space, numbers)
            _compare_rows(full, answers, normalizers, partial, report, progress)
    else:
        _compare_rows(full, map(_independent_space, numbers), normalizers, partial, report,
                      progress)


def _compare_rows(full, answers, normalizers, partial, report, progress) -> None:
    for row, independent in zip(full, answers):
        name, number = str(row["group"]), int(row["number"])
        ours = dict(row)
        symbol = str(normalizers[number]["normalizer"])
        ours["normalizer_number"] = _type_number(symbol)
        _compare_space_group(name, number, ours, partial.get(name, []), report, independent)
        if progress is not None:
            progress(name)


def _type_number(symbol: str) -> int | None:
    """The ITA number of a normalizer symbol as the tables write it (a
    superscript ``^d`` after the lattice letter for continuous translations)."""
    text = symbol.replace(" ", "")
    if "^" in text:
        text = text[0] + text[3:]
    try:
        return space_group(text).number
    except InputError:
        return None


# ----------------------------------------------------------------------------
# Magnetic tables: GAP path against the independent engine
# ----------------------------------------------------------------------------

_MAGNETIC_POINT_FIELDS = ("subgroup_order", "index", "generalized_normalizer_is_normalizer",
                          "ideal", "exact_min_size", "nonexact_min_size",
                          "break_more_is_smaller", "subgroup_type", "time_reversal_kept")

#: The grey space groups ``sbs crosscheck`` compares by default (when the
#: magnetic table has them): every crystal family, centred and polar ones, in
#: a few seconds each.
MAGNETIC_SPACE_SAMPLE = ("P11'", "P-11'", "P2/m1'", "C2/m1'", "P2_1/c1'", "Pmm21'", "Pmmm1'",
                         "Pnma1'", "Cmcm1'", "P4/m1'", "P4mm1'", "P4_2/mnm1'", "I4/mmm1'",
                         "R-3m1'", "P6_3/mmc1'", "Pm-3m1'", "Fm-3m1'")


def crosscheck_magnetic_tables(folder, report: CrosscheckReport, *, space_groups=None,
                               progress=None, workers: int | None = None) -> None:
    """``folder/magnetic/``: every row of ``pointgroups.csv`` against the
    independent engine (matched per group as multisets of their fields, the
    magnetic type ``subgroup_type`` derived independently; class names are
    the GAP path's), and the rows of the grey space groups ``space_groups``
    of ``spacegroups.csv`` (names, ``"all"``, or None:
    :data:`MAGNETIC_SPACE_SAMPLE`): each class name read back into the
    subgroup it names, its fields recomputed, and the names checked to
    list each class the independent engine enumerates exactly once.  The
    space groups are computed in ``workers`` processes (default: one per
    CPU, at most 8)."""
    folder = Path(folder) / "magnetic"
    path = folder / "pointgroups.csv"
    if path.is_file():
        by_group: dict[str, list[dict]] = {}
        for row in read_table(path):
            by_group.setdefault(str(row["group"]), []).append(row)
        for group, rows in by_group.items():
            _compare_magnetic_point_group(group, rows, report)
            if progress is not None:
                progress(group)
    path = folder / "spacegroups.csv"
    if not path.is_file():
        if space_groups is not None:
            raise InputError(f"no spacegroups.csv in {folder} (run `make tables-magnetic`)")
        return
    by_group = {}
    for row in read_table(path):
        by_group.setdefault(str(row["group"]), []).append(row)
    if space_groups is None:
        names = [g for g in MAGNETIC_SPACE_SAMPLE if g in by_group]
    elif space_groups == "all" or list(space_groups) == ["all"]:
        names = list(by_group)
    else:
        names = []
        for name in space_groups:
            g = _grey(name)
            if g is None or g.name not in by_group:
                raise InputError(f"{name!r} is not a grey space group of {path}")
            names.append(g.name)
    jobs = []
    for name in names:
        g = grey_space_group(name)   # (C2221' is a grey point group for group_by_name)
        if g.space_group.hall_number != space_group(f"SG{g.number}").hall_number:
            raise InputError("the independent check covers default settings; "
                             f"{g.name} is not")
        jobs.append((g.number, tuple(str(r["subgroup"]) for r in by_group[name])))
    workers = workers or min(8, os.cpu_count() or 1)
    if workers > 1 and len(jobs) > 1:
        context = multiprocessing.get_context("spawn")
        with ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool:
            answers = pool.map(_independent_magnetic_space, jobs)
            _compare_magnetic_space(names, by_group, answers, report, progress)
    else:
        _compare_magnetic_space(names, by_group, map(_independent_magnetic_space, jobs),
                                report, progress)


def _grey(name) -> GreySpaceGroup | None:
    """The grey space group a name gives: its grey name (``C2221'``) or a
    plain space group's (``SG21``, ``Pm-3m``)."""
    try:
        return grey_space_group(name)
    except InputError:
        g = group_by_name(name)
        return GreySpaceGroup(g) if isinstance(g, SpaceGroup) else None


def _independent_magnetic_space(job) -> tuple[list[dict], int]:
    number, names = job
    return independent_magnetic_space_rows(number, names)


def _compare_magnetic_point_group(group: str, rows: list[dict],
                                  report: CrosscheckReport) -> None:
    report.grey_point_groups += 1
    report.magnetic_rows += len(rows)
    names = Counter(str(r["subgroup"]) for r in rows)
    for name, count in names.items():
        if count > 1:
            report.disagreements.append(f"magnetic {group}: the class name {name} occurs "
                                        f"{count} times")
    mine = Counter(tuple(r[k] for k in _MAGNETIC_POINT_FIELDS) for r in rows)
    other = Counter(tuple(r[k] for k in _MAGNETIC_POINT_FIELDS)
                    for r in independent_magnetic_orderings(group))
    for key in sorted(set(mine) | set(other), key=str):
        if mine[key] != other[key]:
            report.disagreements.append(
                f"magnetic {group}: {dict(zip(_MAGNETIC_POINT_FIELDS, key))} occurs "
                f"{mine[key]} times in the table, {other[key]} times independently")


def _compare_magnetic_space(names, by_group, answers, report, progress) -> None:
    fields = ("subgroup_number",) + MAGNETIC_SPACE_KEYS
    for name, (theirs, classes) in zip(names, answers):
        rows = by_group[name]
        report.grey_space_groups += 1
        report.magnetic_rows += len(rows)
        seen: dict[int, str] = {}
        for row, other in zip(rows, theirs):
            where = f"magnetic {name} -> {row['subgroup']}"
            if "error" in other:
                report.disagreements.append(f"{where}: {other['error']} (independently)")
                continue
            _compare(where, row, other, fields, report)
            if other["class"] is None:
                report.disagreements.append(f"{where}: not a class the independent engine "
                                            "enumerates")
            elif other["class"] in seen:
                report.disagreements.append(f"{where}: the same class as "
                                            f"{seen[other['class']]}")
            else:
                seen[other["class"]] = str(row["subgroup"])
        if len(rows) != classes:
            report.disagreements.append(f"magnetic {name}: {len(rows)} rows in the table, "
                                        f"{classes} classes independently")
        if progress is not None:
            progress(name)
