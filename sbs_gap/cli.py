"""The ``sbs`` command line.

Exit status: 0 success; 1 a GAP failure (error, timeout, crash); 2 bad input
(unknown name, malformed problem file, wrong arguments); 3 no GAP found.
Errors are one line on stderr, never a traceback.
"""
from __future__ import annotations

import argparse
import json
import os
import re
import signal
import sys
import threading
import time

from . import __version__
from .errors import GapError, GapNotFoundError, InputError, SbsError, VerificationError
from .groups import (
    DEFAULT_MAX_ORDER, GreySpaceGroup, MagneticPointGroup, MagneticSpaceGroupType, SpaceGroup,
    SpaceProblem, group_by_name, load_problem,
)

__all__ = ["main", "build_parser"]

# Hermann-Mauguin symbols may start with a minus (-1, -42m, -6m2): arguments
# that start with "-" and a digit are values, never options (no option of
# sbs starts with a digit).
_NEGATIVE_SYMBOL = re.compile(r"^-\d")


class _Parser(argparse.ArgumentParser):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # argparse treats "-6m2" as an option unless it looks like a negative
        # number; widen what counts as one.  A private attribute of argparse
        # (unchanged since Python 3.2, still in 3.13); tests/test_cli.py
        # checks that every negative symbol parses.
        self._negative_number_matcher = _NEGATIVE_SYMBOL

    def error(self, message):  # one line, exit 2, like every input error
        raise InputError(message)


def _normalize_argv(argv: list[str]) -> list[str]:
    """Drop a ``--`` that only protects a negative symbol (``sbs group -- -6m2
    --json``), so that options after the symbol still count."""
    out = []
    for i, arg in enumerate(argv):
        if arg == "--" and i + 1 < len(argv) and _NEGATIVE_SYMBOL.match(argv[i + 1]):
            continue
        out.append(arg)
    return out


def _source(args, command: str):
    """The group the command is about: a name (the API resolves it) or a
    loaded problem file.  Which one the user gave is the command line's own
    question; every other argument is checked by the API."""
    if args.problem is not None and args.name is not None:
        raise InputError("give a point group name or --problem FILE, not both")
    if args.problem is not None:
        return load_problem(args.problem)
    if args.name is None:
        if command == "group":
            raise InputError("give a point group name (e.g. D3, m-3m), a space group (Pm-3m, "
                             "SG221) or --problem FILE")
        raise InputError(f"sbs {command} needs a point group name (e.g. D3, m-3m), a space "
                         "group (Pm-3m, SG221) or --problem FILE")
    return args.name


def _print(args, record: dict, table) -> int:
    """JSON or the text table (``table``, called only when needed)."""
    print(json.dumps(record) if args.json else table())
    return 0


def _group_command(args) -> int:
    from .breaking import gap_order, problem_info
    from .breaking.text import pairs_table

    source = _source(args, "group")
    if isinstance(source, SpaceProblem):
        from .breaking import space_subgroup_class

        cls = space_subgroup_class(source.group, source.target)
        record = {"group": source.name, "space_group": source.group.name,
                  "number": source.group.number, "target": cls.name,
                  "target_index": cls.index}
        return _print(args, record, lambda: pairs_table(record.items()))
    if not isinstance(source, str):
        info = problem_info(source, max_order=args.max_order)
        record = {"group": info.group, "order": info.order,
                  "ambient_order": info.ambient_order, "target_order": info.target_order}
        return _print(args, record, lambda: pairs_table(
            (k, "-" if v is None else v) for k, v in record.items()))
    g = _magnetic_space_type(source) or group_by_name(source, max_order=args.max_order)
    if isinstance(g, GreySpaceGroup):
        g = g.bns_type
    if isinstance(g, MagneticSpaceGroupType):
        return _magnetic_space_group_command(g, args)
    if isinstance(g, SpaceGroup):
        return _space_group_command(g, args)
    if isinstance(g, MagneticPointGroup):
        return _magnetic_group_command(g, args)
    record = {
        "group": g.name,
        "order": gap_order(g, max_order=args.max_order),
        "schoenflies": g.schoenflies,
        "hermann_mauguin": g.hermann_mauguin,
        "generators": [[[float(x) for x in row] for row in m]
                       for m in g.numpy_generators.tolist()],
    }
    return _print(args, record, lambda: _group_table(
        [(k, "-" if record[k] is None else record[k])
         for k in ("group", "schoenflies", "hermann_mauguin", "order")],
        record["generators"], "point"))


def _magnetic_space_type(source):
    """The BNS type a name or number gives, or None (magnetic point groups
    and grey groups in other settings are left to group_by_name)."""
    from .groups import (
        is_magnetic_name, looks_like_magnetic_space_group, magnetic_point_group,
        magnetic_space_group_type,
    )

    if not isinstance(source, str) or not looks_like_magnetic_space_group(source):
        return None
    if is_magnetic_name(source):
        try:
            magnetic_point_group(source)
            return None
        except InputError:
            pass
    try:
        return magnetic_space_group_type(source)
    except InputError:
        if source.strip().endswith("'") or ":" in source:
            return None  # a grey group in another setting: group_by_name reads it
        raise


def _magnetic_space_group_command(g, args) -> int:
    """``sbs group`` of a BNS type: its numbers, type and operations (BNS
    setting, ISO-MAG's), each as x,y,z with +1 or -1 for time reversal."""
    from fractions import Fraction

    from .breaking.text import affine_text, pairs_table

    rotations, translations, reversals = g.operations()
    operations = []
    for r, t, f in zip(rotations, translations, reversals):
        m = [[Fraction(int(x)) for x in row] + [Fraction(float(v)).limit_denominator(48)]
             for row, v in zip(r, t)] + [[Fraction(0)] * 3 + [Fraction(1)]]
        operations.append(f"{affine_text(m)},{'-1' if f else '+1'}")
    record = {
        "group": g.bns_symbol, "bns_number": g.bns_number, "og_number": g.og_number,
        "og_symbol": g.og_symbol, "uni_number": g.uni_number, "type": g.kind,
        "family": g.family_number(), "unitary": g.unitary_number(),
        "operations_in_cell": len(operations), "with_time_reversal": int(sum(reversals)),
        "operations": operations,
    }
    return _print(args, record, lambda: pairs_table(
        [(k, v) for k, v in record.items() if k != "operations"]
        + [(f"operation {i}", op) for i, op in enumerate(operations, start=1)]))


def _magnetic_group_command(g: MagneticPointGroup, args) -> int:
    from .breaking import magnetic_structure

    structure = magnetic_structure(g, max_order=args.max_order)
    record = {
        "group": g.name, "type": g.kind,
        "point_group": g.point_group.schoenflies,
        "hermann_mauguin": g.point_group.hermann_mauguin,
        "order": structure.order,
        # 4x4 matrices diag(R, +-1): -1 in the corner is time reversal
        "generators": g.numpy_generators.tolist(),
    }
    return _print(args, record, lambda: _group_table(
        [(k, "-" if record[k] is None else record[k])
         for k in ("group", "type", "point_group", "hermann_mauguin", "order")],
        record["generators"], "magnetic point"))


def _space_group_command(g: SpaceGroup, args) -> int:
    from .breaking import space_group_structure

    record = {
        "group": g.name, "number": g.number, "hermann_mauguin": g.hermann_mauguin,
        "full_symbol": g.full_symbol, "setting": g.setting_description,
        "crystal_family": g.crystal_family, "point_group": g.point_group,
        "centering": g.centering,
        # exact affine 4x4 matrices (x -> R x + t), rationals as strings
        "generators": [[[str(x) for x in row] for row in m]
                       for m in space_group_structure(g).generators],
    }
    return _print(args, record, lambda: _group_table(
        [(k, v) for k, v in record.items() if k != "generators"], record["generators"],
        "space"))


def _group_table(pairs: list, generators, kind: str) -> str:
    """``sbs group``'s text: the fields, then a line per generator (a point
    group's matrix rows, a space group's coordinate triplet)."""
    from .breaking.text import affine_text, pairs_table, vector_text

    for i, m in enumerate(generators, start=1):
        text = affine_text(m) if kind == "space" else "  ".join(vector_text(r) for r in m)
        pairs.append((f"generator {i}", text))
    return pairs_table(pairs)


def _full_command(args) -> int:
    from .breaking import full_breaking

    result = full_breaking(_source(args, "full"), cell=args.cell, max_order=args.max_order)
    return _print(args, result.to_json(), result.to_table)


def _partial_command(args) -> int:
    from .breaking import partial_breaking
    from .breaking.text import partial_table

    rows = partial_breaking(_source(args, "partial"), args.to,
                            all_classes=True if args.all else None, kind=args.kind,
                            cell=args.cell, max_order=args.max_order)
    if args.json:
        print(json.dumps([r.to_json() for r in rows]))
    else:
        print(partial_table(rows, group=args.name, kind=args.kind))
    return 0


def _objects_command(args) -> int:
    from .objects import symmetry_breaking_sets

    sets = symmetry_breaking_sets(_source(args, "objects"), args.to, args.irreps,
                                  cell=args.cell, sample=args.sample,
                                  max_order=args.max_order)
    # draws only when asked for (the API allows them for point groups only)
    draws = {} if args.sample is None else {"sample": args.sample, "seed": args.seed}
    if args.json:
        records = [s.to_record(**draws) for s in sets]
        print(json.dumps(records[0] if len(records) == 1 else records))
    else:
        print("\n\n".join(s.to_table(**draws) for s in sets))
    return 0


def _writable_folder(text: str):
    """The folder for output files, checked before anything is computed but
    created only when there is something to write."""
    from pathlib import Path

    folder = Path(text)
    existing = next(p for p in (folder, *folder.parents) if p.exists() or p == Path(p.anchor))
    if existing == folder and not folder.is_dir():
        raise InputError(f"--out {text!r} is not a folder")
    if not existing.is_dir() or not os.access(existing, os.W_OK | os.X_OK):
        raise InputError(f"cannot write to {str(existing)!r} (--out {text!r})")
    return folder


def _moment_tol(value: float) -> float:
    if not value > 0:
        raise InputError("--moment-tol is a positive number of Bohr magnetons")
    return value


def _transition_command(args) -> int:
    from .structures import is_magnetic_file, magnetic_transition, transition

    folder = _writable_folder(args.out) if args.out is not None else None
    limits = {k: v for k, v in (("max_strain", args.max_strain),
                                ("max_volume_change", args.max_volume_change)) if v is not None}
    # a magnetic file (mCIF) on either side: S' -> M and magnetic domain states
    if is_magnetic_file(args.parent) or is_magnetic_file(args.child):
        if args.moment_tol is not None:
            limits["moment_tol"] = _moment_tol(args.moment_tol)
        result = magnetic_transition(args.parent, args.child, tol=args.tol,
                                     symprec=args.symprec, **limits)
    else:
        if args.moment_tol is not None:
            raise InputError("--moment-tol is for magnetic structures (mCIF files)")
        result = transition(args.parent, args.child, tol=args.tol, symprec=args.symprec,
                            **limits)
    record = result.record()
    if folder is not None:
        record["domain_states"] = result.write_domain_states(folder)
    return _print(args, record, lambda: result.to_table(out=args.out))


def _detect_command(args) -> int:
    from .structures import detect, detect_magnetic, is_magnetic_file

    if not args.objects and (args.to is not None or args.irreps is not None):
        raise InputError("--to and --irreps go with --objects")
    if is_magnetic_file(args.file):  # an mCIF: also its magnetic space group
        if args.objects:
            raise InputError("--objects is not available for magnetic structures (mCIF); "
                             "sbs objects \"GROUP1'\" --to M gives a grey group's objects")
        tol = {} if args.moment_tol is None else {"moment_tol": _moment_tol(args.moment_tol)}
        result = detect_magnetic(args.file, tol=args.tol, site=args.site, block=args.block,
                                 **tol)
        return _print(args, result.to_record(), lambda: result.to_table(tol=args.tol))
    if args.moment_tol is not None:
        raise InputError("--moment-tol is for magnetic structures (mCIF files)")
    result = detect(args.file, tol=args.tol, site=args.site, block=args.block,
                    adaptive=not args.fixed_tol)
    # a crystal: its space group's objects (K as `sbs partial` names the space
    # subgroups), in the file's frame; else the point group's
    objects = result.symmetry_breaking_set(args.to, args.irreps) if args.objects else None
    return _print(args, result.to_record(objects),
                  lambda: result.to_table(objects, tol=args.tol))


def _demo_command(args) -> int:
    from .demos import run_demo

    device = args.device
    if device is None:
        from .nn import default_device
        device = default_device()
    out = args.out or f"demo_out/{args.demo}"
    start = time.perf_counter()
    metrics = run_demo(args.demo, out, quick=args.quick, seed=args.seed, device=device,
                       progress=sys.stderr.isatty())
    keys = ["demo", "n_outputs_expected", "n_outputs_reached", "coverage", "max_output_error",
            "equivariance_error", "baseline_error", "train_seconds", "sbs_overhead_fraction"]
    for k in keys + [k for k in metrics if k not in keys and not isinstance(metrics[k],
                                                                            (list, dict))]:
        v = metrics[k]
        print(f"{k:38s} {v:.4g}" if isinstance(v, float) else f"{k:38s} {v}")
    print(f"wrote {out}/metrics.json and {out}/{args.demo}.png in "
          f"{time.perf_counter() - start:.1f} s")
    return 0 if metrics["coverage"] == 1.0 else 1


def _progress_bar(total: int, desc: str):
    """A tqdm bar on a terminal's stderr; None when not a terminal or no tqdm."""
    if not sys.stderr.isatty():
        return None
    try:
        from tqdm import tqdm
    except ImportError:
        return None
    return tqdm(total=total, desc=desc, unit="group")


def _split_groups(text: str | None):
    """--groups: point groups and space groups (None: every covered group)."""
    from .tables import space_table_groups, table_groups

    if text is None:
        return table_groups(None), space_table_groups(None)
    point, space = [], []
    for name in text.split(","):
        if not name.strip():
            raise InputError(f"empty group name in --groups {text!r}")
        g = group_by_name(name.strip())
        (space if isinstance(g, SpaceGroup) else point).append(name.strip())
    return (table_groups(",".join(point)) if point else []), space_table_groups(space)


def _magnetic_tables(args, start: float) -> int:
    """``sbs tables --magnetic``: OUT/magnetic/ only (the grey groups)."""
    from .tables import (
        check_output_folder, compute_magnetic_tables, magnetic_table_groups,
        write_magnetic_tables,
    )

    point, space = magnetic_table_groups(args.groups)
    check_output_folder(args.out)
    bar = _progress_bar(len(point) + len(space), "grey groups")
    try:
        point_rows, space_rows, failures = compute_magnetic_tables(
            point, space, workers=args.workers or 2, scheduler=args.scheduler,
            progress=(lambda _name: bar.update(1)) if bar else None,
            timeout=args.connect_timeout)
    finally:
        if bar is not None:
            bar.close()
    paths = write_magnetic_tables(point_rows, space_rows, args.out, point=bool(point),
                                  space=bool(space))
    for group, error in failures:
        print(f"FAILED {group}: {error} (its rows are missing)")
    where = f"on {args.scheduler}" if args.scheduler else "locally"
    print(f"{len(point)} grey point groups, {len(point_rows)} magnetic subgroup classes; "
          f"{len(space)} grey space groups, {len(space_rows)} magnetic subgroup classes "
          f"({where})")
    print(f"wrote {len(paths)} files to {args.out}")
    print(f"total time {time.perf_counter() - start:.2f} s")
    return 1 if failures else 0


def _tables_command(args) -> int:
    from .tables import (
        SPACE_README, catalog_rows, check_output_folder, compute_space_tables, compute_tables,
        write_space_tables, write_tables,
    )

    start = time.perf_counter()
    if args.workers is not None and args.workers < 1:
        raise InputError("--workers must be a positive integer")
    if not args.connect_timeout > 0:
        raise InputError("--connect-timeout must be a positive number of seconds")
    if args.magnetic:
        return _magnetic_tables(args, start)
    groups, space = _split_groups(args.groups)
    check_output_folder(args.out)
    paths, bad = [], []
    if groups:
        bar = _progress_bar(2 * len(groups), "point groups")
        tick = (lambda _name: bar.update(1)) if bar else None
        catalog = catalog_rows(groups, progress=tick)
        bad = [r for r in catalog if not r.consistent]
        full, partial = compute_tables(groups, progress=tick, workers=args.workers)
        if bar is not None:
            bar.close()
    if space:
        bar = _progress_bar(len(space), "space groups")
        normalizers, space_full, space_partial = compute_space_tables(
            space, workers=args.workers or 2, scheduler=args.scheduler,
            progress=(lambda _name: bar.update(1)) if bar else None,
            timeout=args.connect_timeout)
        if bar is not None:
            bar.close()
    # everything is computed before anything is written
    if groups:
        paths += write_tables(groups, full, partial, catalog, args.out,
                              readme_extra=SPACE_README if space else "")
    if space:
        paths += write_space_tables(normalizers, space_full, space_partial, args.out)
    for r in bad:
        print(f"MISMATCH {r.schoenflies}: order by GAP {r.order}, NumPy {r.numeric_order}, "
              f"formula {r.formula_order}")
    if groups:
        print(f"{len(groups)} point groups, {len(partial)} subgroup classes")
    if space:
        where = f"on {args.scheduler}" if args.scheduler else "locally"
        print(f"{len(space)} space groups, {len(space_partial)} subgroup classes ({where})")
    print(f"wrote {len(paths)} files to {args.out}")
    print(f"total time {time.perf_counter() - start:.2f} s")
    return 1 if bad else 0


def _crosscheck_command(args) -> int:
    from .tables import CrosscheckReport, crosscheck_space_groups, crosscheck_tables

    start = time.perf_counter()
    if args.space_groups is not None:
        names = [n.strip() for n in args.space_groups.split(",") if n.strip()]
        if names == ["all"]:
            names = [f"SG{n}" for n in range(1, 231)]
        report = CrosscheckReport()
        bar = _progress_bar(len(names), "space groups")
        try:
            crosscheck_space_groups(names, report,
                                    progress=(lambda _: bar.update(1)) if bar else None)
        finally:
            if bar is not None:
                bar.close()
    else:
        magnetic = None
        if args.magnetic_space_groups is not None:
            magnetic = [n.strip() for n in args.magnetic_space_groups.split(",") if n.strip()]
            magnetic = "all" if magnetic == ["all"] else magnetic
        report = crosscheck_tables(args.tables, problems=args.problem or (),
                                   magnetic_space_groups=magnetic)
    for line in report.disagreements:
        print("DISAGREE " + line)
    if report.magnetic_rows:
        print(f"{report.magnetic_rows} magnetic rows compared ({report.grey_point_groups} grey "
              f"point groups, {report.grey_space_groups} grey space groups)")
    print(f"{report.rows} rows compared with the independent engine "
          f"({report.groups} point groups, {report.space_groups} space groups, "
          f"{report.problems} problem files): {len(report.disagreements)} disagreements")
    print(f"total time {time.perf_counter() - start:.2f} s")
    return 1 if report.disagreements else 0


def _command(sub, name: str, func, **kwargs) -> argparse.ArgumentParser:
    """Add the subcommand `name` to `sub` (``sub.add_parser(name, **kwargs)``),
    run by ``func(args)``.

    Returns
    -------
    argparse.ArgumentParser
        The subcommand's parser, for its arguments.
    """
    parser = sub.add_parser(name, **kwargs)
    parser.set_defaults(func=func)
    return parser


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="sbs", description="Exact symmetry breaking sets for equivariant "
                                             "networks (GAP-backed).")
    parser.add_argument("--version", action="version", version=f"sbs_gap {__version__}")
    common = _Parser(add_help=False)
    common.add_argument("--max-order", type=int, default=DEFAULT_MAX_ORDER,
                        help=f"refuse groups larger than this (default {DEFAULT_MAX_ORDER})")
    sub = parser.add_subparsers(dest="command", parser_class=_Parser)

    group = _command(sub, "group", _group_command, parents=[common],
                     help="a point group by name, or a problem file's groups")
    group.add_argument("name", nargs="?", help="Schoenflies name or Hermann-Mauguin symbol")
    group.add_argument("--problem", metavar="FILE", help="a problem file (JSON)")

    full = _command(sub, "full", _full_command, parents=[common],
                    help="full symmetry breaking: normalizer, ideal set, minimal size")
    full.add_argument("name", nargs="?", help="point group (Schoenflies or Hermann-Mauguin); "
                                              "the ambient group is O(3)")
    full.add_argument("--problem", metavar="FILE", help="a problem file (JSON)")
    full.add_argument("--cell", metavar="A,B,C,AL,BE,GA", help="space groups: the metric of "
                      "this cell instead of the generic one of the crystal family")

    partial = _command(sub, "partial", _partial_command, parents=[common],
                       help="partial breaking to the target (or every subgroup class)")
    partial.add_argument("name", nargs="?", help="point group (Schoenflies or "
                                                 "Hermann-Mauguin); the ambient group is O(3)")
    partial.add_argument("--to", metavar="K", help="only the subgroup classes of this type "
                         "(e.g. C2v, mm2) or name (e.g. 'C2v[z,x]'); space groups: a type "
                         "(P4mm), or a type with a transformation ('Fm-3m [2a,2b,2c; 0,0,0]')")
    partial.add_argument("--kind", choices=("t", "k", "all"), help="space groups: the "
                         "t-subgroups, the maximal k-subgroups of index 2, 3, 4, or both "
                         "(default)")
    partial.add_argument("--cell", metavar="A,B,C,AL,BE,GA", help="space groups: the metric "
                         "of this cell instead of the generic one of the crystal family")
    partial.add_argument("--problem", metavar="FILE", help="a problem file (JSON)")
    partial.add_argument("--all", action="store_true",
                         help="every S-conjugacy class of subgroups, even if the file has "
                              "a target")

    objects = _command(sub, "objects", _objects_command, parents=[common],
                       help="the minimal equivariant SBS as e3nn irreps vectors")
    objects.add_argument("name", nargs="?", help="point group (Schoenflies or "
                                                 "Hermann-Mauguin) or space group (Pm-3m, "
                                                 "SG221): uniform fields or marker patterns")
    objects.add_argument("--to", metavar="K", help="target subgroup class (default: full "
                         "breaking); a name from `sbs partial GROUP`")
    objects.add_argument("--irreps", metavar="IRREPS", help="e3nn irreps of the objects, "
                         "e.g. 1o or 2e+1o (default: the smallest that works, l <= 6)")
    objects.add_argument("--problem", metavar="FILE", help="a problem file whose ambient "
                         "group is given by matrices (objects are vectors of them)")
    objects.add_argument("--sample", type=int, metavar="N", help="also draw N objects "
                         "uniformly from the set (independent draws; a continuous set is "
                         "a continuum): listed as samples after the set")
    objects.add_argument("--seed", type=int, default=0, help="seed for --sample (default 0)")
    objects.add_argument("--cell", metavar="A,B,C,AL,BE,GA", help="space groups: the metric "
                         "(and the Cartesian frame of uniform vectors) of this cell")

    det = _command(sub, "detect", _detect_command, parents=[common],
                   help="point group of a molecule (XYZ) or crystal (CIF, POSCAR), "
                        "and a crystal's space group")
    det.add_argument("file", help="a .xyz molecule, or a .cif / POSCAR / .vasp crystal, or "
                     "a .mcif magnetic structure (also its magnetic space group)")
    det.add_argument("--tol", type=float, default=0.01,
                     help="distance tolerance in angstrom (default 0.01); molecules: "
                          "adapted up to 2 x when operations miss narrowly (the tolerance "
                          "used is reported)")
    det.add_argument("--fixed-tol", action="store_true",
                     help="molecules: answer at --tol exactly, or refuse")
    det.add_argument("--site", type=int, metavar="N",
                     help="crystals: the site symmetry of atom N (1-based, file order "
                          "after expanding symmetry)")
    det.add_argument("--objects", action="store_true",
                     help="also give the minimal SBS in the input frame (a crystal: its "
                          "space group's uniform fields or marker patterns, in the file's "
                          "cell; with --site, or a molecule: the point group's vectors)")
    det.add_argument("--to", metavar="K", help="with --objects: target subgroup class (a "
                     "crystal: a space subgroup as `sbs partial SPACEGROUP` names it)")
    det.add_argument("--irreps", metavar="IRREPS", help="with --objects: e3nn irreps")
    det.add_argument("--block", metavar="NAME", help="the data block of a CIF file with "
                     "several (the text after data_)")
    det.add_argument("--moment-tol", type=float, metavar="MU_B", help="magnetic structures "
                     "(mCIF): tolerance on moments in Bohr magnetons (default 0.05)")

    from .demos import DEMOS
    demo = _command(sub, "demo", _demo_command,
                    help=f"train an equivariant network with the engine's SBS ({', '.join(DEMOS)})")
    demo.add_argument("demo", choices=list(DEMOS))
    demo.add_argument("--quick", action="store_true", help="a short run (CI)")
    demo.add_argument("--out", metavar="DIR", help="output folder (default demo_out/NAME)")
    demo.add_argument("--seed", type=int, default=0, help="random seed (default 0)")
    demo.add_argument("--device", help="torch device (default: cuda if available, else cpu)")

    tables = _command(sub, "tables", _tables_command, parents=[common],
                      help="regenerate the SBS tables (full, partial, catalog)")
    tables.add_argument("--out", default="tables", help="output folder (default tables)")
    tables.add_argument("--groups", metavar="LIST",
                        help="comma-separated point groups and space groups (default: all "
                             "covered point groups and the 230 space-group types)")
    tables.add_argument("--scheduler", metavar="tcp://HOST:PORT", help="run the space-group "
                        "tasks on this Dask scheduler (one task per group; each worker "
                        "process keeps its own GAP session)")
    tables.add_argument("--connect-timeout", type=float, default=30.0, metavar="SECONDS",
                        help="how long to try reaching the Dask scheduler (default 30)")
    tables.add_argument("--workers", type=int, help="local GAP sessions (default 2)")
    tables.add_argument("--magnetic", action="store_true", help="only the magnetic tables "
                        "(OUT/magnetic/): the grey point groups and the grey space groups "
                        "(or the grey groups of --groups) to their magnetic subgroups; long")

    trans = _command(sub, "transition", _transition_command, parents=[common],
                     help="a parent and a distorted child crystal: the child's group "
                          "as a subgroup K of the parent's, S -> K, domain states")
    trans.add_argument("parent", help="the high-symmetry structure (CIF or POSCAR; "
                       "paramagnetic for a magnetic child)")
    trans.add_argument("child", help="the distorted structure (CIF or POSCAR), or a "
                       "magnetic structure (.mcif: S' -> M)")
    trans.add_argument("--tol", type=float, default=0.5, help="largest distance (angstrom) "
                       "between a child atom and the parent's after alignment (default 0.5)")
    # defaults None: transition()'s own (structures/_transition.py, not
    # imported here to keep the CLI's start fast); a test checks the text
    trans.add_argument("--max-strain", type=float, metavar="X",
                       help="largest shape part of the spontaneous strain, relative "
                            "(default 0.1: 10 %%)")
    trans.add_argument("--max-volume-change", type=float, metavar="X",
                       help="largest relative volume change (default 0.2: 20 %%)")
    trans.add_argument("--symprec", type=float, default=1e-3, help="spglib's tolerance for "
                       "the symmetry of each structure (default 0.001)")
    trans.add_argument("--out", metavar="DIR", help="write the |S:K| domain states there as "
                       "CIF files (in the parent's frame and metric); a magnetic child: the "
                       "|S':M| magnetic domain states as mCIF files")
    trans.add_argument("--moment-tol", type=float, metavar="MU_B", help="a magnetic child "
                       "(mCIF): tolerance on moments in Bohr magnetons (default 0.05)")

    crosscheck = _command(sub, "crosscheck", _crosscheck_command, parents=[common],
                          help="compare the tables with the independent pure-Python "
                               "engine")
    crosscheck.add_argument("--tables", default="tables", metavar="DIR",
                            help="folder with full.csv and partial.csv (default tables)")
    crosscheck.add_argument("--problem", metavar="FILE", action="append",
                            help="also compare a problem file (GAP engine vs brute force); "
                                 "repeatable")
    crosscheck.add_argument("--space-groups", metavar="LIST", help="instead of the tables: "
                            "space groups (comma-separated, or 'all'), full breaking and "
                            "every t-subgroup class computed now by GAP and independently")
    crosscheck.add_argument("--magnetic-space-groups", metavar="LIST", help="the grey space "
                            "groups of DIR/magnetic/spacegroups.csv to compare "
                            "(comma-separated, or 'all'; default a sample of 17)")

    # the commands that print a record; --json last in each one's help
    for command in (group, full, partial, objects, det, trans):
        command.add_argument("--json", action="store_true", help="print JSON")
    return parser


def _exit_on_sigterm(signum, frame):
    # SystemExit runs atexit handlers, which close GAP sessions.
    sys.exit(128 + signum)


def main(argv=None, *, handle_signals: bool | None = None) -> int:
    """Run ``sbs`` with ``argv`` (default: the process's command line).

    ``handle_signals``: turn SIGTERM into a normal exit (so GAP sessions are
    closed), a process-wide setting; default only when ``argv`` is None,
    i.e. for the ``sbs`` script and ``python -m sbs_gap.cli``, so that calls
    from Python (``main(["group", "D3"])``) leave process state alone.
    """
    if handle_signals is None:
        handle_signals = argv is None
    if handle_signals and threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGTERM, _exit_on_sigterm)
        # spglib's C library prints "Failed to match with UNI number!" when a
        # magnetic dataset has no type, which magnetic class naming expects
        # (it then tries another cell); the script silences it, as the same
        # process-wide kind of setting (a user's own value is kept)
        os.environ.setdefault("SPGLIB_WARNING", "OFF")
    parser = build_parser()
    try:
        args = parser.parse_args(_normalize_argv(list(sys.argv[1:] if argv is None else argv)))
        if args.command is None:
            parser.print_help()
            return 2
        if getattr(args, "max_order", 1) < 1:
            raise InputError("--max-order must be a positive integer")
        return args.func(args)
    except InputError as exc:
        print(f"sbs: error: {exc}", file=sys.stderr)
        return 2
    except GapNotFoundError as exc:
        print(f"sbs: error: {exc}", file=sys.stderr)
        return 3
    except GapError as exc:
        print(f"sbs: GAP failed: {exc}", file=sys.stderr)
        return 1
    except VerificationError as exc:
        print(f"sbs: internal error, a result failed its verification: {exc}",
              file=sys.stderr)
        return 1
    except SbsError as exc:
        print(f"sbs: error: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("sbs: interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
