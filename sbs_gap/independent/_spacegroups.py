"""Space groups, re-derived without GAP and without the GAP path's logic.

* operations: spglib's database of the 530 Hall settings (not Cryst);
* the lattice holohedry: every integer matrix with entries -1, 0, 1 that
  keeps this module's own generic metric of the crystal family and the
  lattice;
* the Euclidean normalizer: a direct search over those matrices and the
  translations on a grid of 1/24 of the conventional cell (every normalizer
  translation of a space group lies on it), testing each candidate against
  every operation of S;
* F = N / (T(S) C) built as a multiplication table, and the minimal sizes by
  the brute force over subgroups of :mod:`._permutations`
  (:func:`._permutations.problem_analysis`).

It covers full breaking (K = T(S)) and the t-subgroup rows, for the default
settings of the 230 types; types come from spglib's identification.
"""
from __future__ import annotations

import warnings
from dataclasses import dataclass
from functools import lru_cache
from itertools import product

import numpy as np

from ._permutations import problem_analysis

__all__ = ["IndependentSpaceGroup", "independent_space_group", "independent_space_full",
           "independent_space_t_rows"]

GRID = 24

# This module's own generic metrics (a, b, c, alpha, beta, gamma) per family.
_METRICS = {"triclinic": (1.0, 1.23, 1.41, 83.1, 79.3, 71.9),
            "monoclinic": (1.0, 1.23, 1.41, 90.0, 108.3, 90.0),
            "orthorhombic": (1.0, 1.23, 1.41, 90.0, 90.0, 90.0),
            "tetragonal": (1.0, 1.0, 1.41, 90.0, 90.0, 90.0),
            "hexagonal": (1.0, 1.0, 1.41, 90.0, 90.0, 120.0),
            "cubic": (1.0, 1.0, 1.0, 90.0, 90.0, 90.0)}


def _family(number: int) -> str:
    for last, name in ((2, "triclinic"), (15, "monoclinic"), (74, "orthorhombic"),
                       (142, "tetragonal"), (194, "hexagonal"), (230, "cubic")):
        if number <= last:
            return name
    raise ValueError(number)


def _metric(cell) -> np.ndarray:
    a, b, c, al, be, ga = cell
    ca, cb, cg = np.cos(np.radians([al, be, ga]))
    return np.array([[a * a, a * b * cg, a * c * cb], [a * b * cg, b * b, b * c * ca],
                     [a * c * cb, b * c * ca, c * c]])


def _quiet(function, *args, **kwargs):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        return function(*args, **kwargs)


def _default_hall(number: int) -> int:
    """Origin choice 2, unique axis b (cell choice 1), hexagonal axes."""
    import spglib

    halls = [h for h in range(1, 531) if _quiet(spglib.get_spacegroup_type, h).number == number]
    choices = {h: _quiet(spglib.get_spacegroup_type, h).choice for h in halls}
    for wanted in ("2", "b", "b1", "H"):
        for h in halls:
            if choices[h] == wanted:
                return h
    return halls[0]


@dataclass(frozen=True)
class IndependentSpaceGroup:
    number: int
    hall: int
    rotations: np.ndarray        # (n, 3, 3) int, all operations mod the conventional cell
    shifts: np.ndarray           # (n, 3) in units of 1/GRID (ints)
    centring: np.ndarray         # (m, 3) pure translations mod the cell, units 1/GRID
    point_group: list            # distinct rotations
    polar_axes: tuple[int, ...]  # coordinate axes along which P fixes everything
    normalizer: list             # (A, shift in 1/GRID) mod the conventional cell


def _key(r) -> bytes:
    return np.asarray(r, dtype=np.int64).tobytes()


@lru_cache(maxsize=None)
def independent_space_group(number: int) -> IndependentSpaceGroup:
    """Operations (spglib's database) and the Euclidean normalizer by direct
    search, for the default setting of type ``number``."""
    import spglib

    hall = _default_hall(number)
    db = _quiet(spglib.get_symmetry_from_database, hall)
    rotations = np.array(db["rotations"], dtype=np.int64)
    shifts = np.round(np.array(db["translations"]) * GRID).astype(np.int64) % GRID
    identity = np.eye(3, dtype=np.int64)
    centring = shifts[[np.array_equal(r, identity) for r in rotations]]
    point_group = list({_key(r): r for r in rotations}.values())
    # the subspace fixed by P: along coordinate axes in the default settings
    fixed = tuple(i for i in range(3) if all(np.array_equal(r[:, i], identity[:, i])
                                             for r in point_group))
    stacked = np.concatenate([r - identity for r in point_group])
    if 3 - np.linalg.matrix_rank(stacked) != len(fixed):
        raise ValueError(f"type {number}: the fixed subspace is not along coordinate axes")
    # lattice holohedry: integer matrices keeping the metric and the lattice
    cell = _METRICS[_family(number)]
    if spglib_setting_is_rhombohedral(hall):
        cell = (1.0, 1.0, 1.0, 71.3, 71.3, 71.3)
    g = _metric(cell)
    candidates = _unimodular_candidates()
    keeps = np.all(np.abs(np.einsum("nji,jk,nkl->nil", candidates, g, candidates) - g) < 1e-9,
                   axis=(1, 2))
    holohedry = []
    for a in candidates[keeps]:
        # A keeps the lattice: it permutes the centring translations mod 1
        images = {tuple(x) for x in (centring @ a.T) % GRID}
        if images == {tuple(x) for x in centring}:
            holohedry.append(a)
    normalizer = _normalizer(rotations, shifts, centring, point_group, holohedry)
    return IndependentSpaceGroup(number=number, hall=hall, rotations=rotations, shifts=shifts,
                                 centring=centring, point_group=point_group,
                                 polar_axes=fixed, normalizer=normalizer)


@lru_cache(maxsize=1)
def _unimodular_candidates() -> np.ndarray:
    """Every 3x3 matrix with entries -1, 0, 1 and determinant +-1."""
    every = np.array(list(product((-1, 0, 1), repeat=9)), dtype=np.int64).reshape(-1, 3, 3)
    return every[np.abs(np.round(np.linalg.det(every))) == 1]


def spglib_setting_is_rhombohedral(hall: int) -> bool:
    import spglib

    return _quiet(spglib.get_spacegroup_type, hall).choice == "R"


def _generators(rotations, shifts, point_group):
    """Operations of S whose rotations generate P, and the centring
    translations: conjugating these into S is conjugating S into S."""
    identity = np.eye(3, dtype=np.int64)
    chosen, generated = [], {_key(identity)}
    for r, t in zip(rotations, shifts):
        if np.array_equal(r, identity):
            chosen.append((r, t))
        elif _key(r) not in generated:
            chosen.append((r, t))
            generated = set(_closure_keys([c for c, _ in chosen]))
    return chosen


def _code(v: np.ndarray) -> np.ndarray:
    v = np.asarray(v) % GRID
    return (v[..., 0] * GRID + v[..., 1]) * GRID + v[..., 2]


def _normalizer(rotations, shifts, centring, point_group, holohedry) -> list:
    """Every (A, t) with A in the holohedry and t on the grid (mod the cell)
    that conjugates each generator of S into S."""
    allowed = {}
    for r, t in zip(rotations, shifts):
        allowed.setdefault(_key(r), []).append(int(_code(t)))
    allowed = {k: np.array(v) for k, v in allowed.items()}
    generators = _generators(rotations, shifts, point_group)
    axis = np.arange(GRID)
    grid = np.array(list(product(axis, axis, axis)), dtype=np.int64)
    identity = np.eye(3, dtype=np.int64)
    found = []
    for a in holohedry:
        ainv = np.round(np.linalg.inv(a)).astype(np.int64)
        ok = np.ones(len(grid), dtype=bool)
        for r, t in generators:
            c = a @ r @ ainv
            if _key(c) not in allowed:
                ok[:] = False
                break
            # n (R, t) n^-1 = (c, A t + (I - c) x) must be an operation of S
            images = (a @ t)[None, :] + grid @ (identity - c).T
            ok &= np.isin(_code(images), allowed[_key(c)])
            if not ok.any():
                break
        for x in grid[ok]:
            found.append((a, x))
    return found


def _reduce(t: np.ndarray, group: IndependentSpaceGroup) -> tuple:
    """A translation (grid units) modulo T(S) and the continuous translations:
    polar coordinates dropped, then the least representative over the
    centring translations."""
    cands = []
    for c in group.centring:
        v = (t + c) % GRID
        v = tuple(0 if i in group.polar_axes else int(x) for i, x in enumerate(v))
        cands.append(v)
    return min(cands)


def _quotient(group: IndependentSpaceGroup):
    """F = N / (T(S) C) as (elements, multiplication); elements are
    (rotation key, reduced translation) with a representative (A, t)."""
    elements: dict[tuple, tuple] = {}
    for a, t in group.normalizer:
        k = (_key(a), _reduce(t, group))
        elements.setdefault(k, (a, t))
    keys = list(elements)
    index = {k: i for i, k in enumerate(keys)}

    def product_key(x, y):
        (a, s), (b, t) = elements[x], elements[y]
        return (_key(a @ b), _reduce((s + a @ t) % GRID, group))

    return keys, index, elements, product_key


def _as_permutation(element_key, keys, index, product_key) -> tuple[int, ...]:
    return tuple(index[product_key(element_key, y)] for y in keys)


def independent_space_full(number: int) -> dict:
    """Full breaking (K = T(S)) of the default setting of type ``number``:
    the fields of ``sbs full --json`` this engine derives (no names)."""
    g = independent_space_group(number)
    rotations = {_key(a) for a, _ in g.normalizer}
    d = len(g.polar_axes)
    index = None
    if d == 0:
        index = len(g.normalizer) // (len(g.point_group) * len(g.centring))
    rows = _rows(g, [[]])
    return {"number": number, "normalizer_number": _normalizer_type(g),
            "normalizer_index": index, "continuous_translations": d,
            "normalizer_rotation_index": len(rotations) // len(g.point_group),
            "ideal": rows[0]["ideal"], "min_size": rows[0]["exact_min_size"],
            "continuous": False}


def _normalizer_type(g: IndependentSpaceGroup) -> int:
    import spglib

    rot = np.array([a for a, _ in g.normalizer], dtype="intc")
    tr = np.array([t for _, t in g.normalizer], dtype=float) / GRID
    cell = _METRICS[_family(g.number)]
    if spglib_setting_is_rhombohedral(g.hall):
        cell = (1.0, 1.0, 1.0, 71.3, 71.3, 71.3)
    lattice = np.linalg.cholesky(_metric(cell))  # rows: vectors with this metric
    result = _quiet(spglib.get_spacegroup_type_from_symmetry, rot, tr, lattice=lattice,
                    symprec=1e-5)
    return None if result is None else int(result.number)


def _rows(g: IndependentSpaceGroup, targets) -> list[dict]:
    """Rows for targets given as lists of rotation keys (K = those rotations
    with T(S)); computed in F with the brute force."""
    keys, index, elements, product_key = _quotient(g)
    perms = [_as_permutation(k, keys, index, product_key) for k in keys]
    s_keys = [k for k in keys if _is_in_s(g, elements[k])]
    s_perms = [perms[index[k]] for k in s_keys]
    identity = tuple(range(len(keys)))
    _, analyse = problem_analysis(perms, s_perms)
    return [analyse([perms[index[k]] for k in s_keys if k[0] in target] or [identity])
            for target in targets]


def _is_in_s(g: IndependentSpaceGroup, element) -> bool:
    a, t = element
    for r, s in zip(g.rotations, g.shifts):
        if np.array_equal(r, a) and _reduce(s, g) == _reduce(t, g):
            return True
    return False


def independent_space_t_rows(number: int) -> list[dict]:
    """One row per S-conjugacy class of t-subgroups (the classes of
    subgroups of S / T(S)): subgroup_number, index and the minimal sizes."""
    import spglib

    g = independent_space_group(number)
    keys = [_key(r) for r in g.point_group]
    table = {_key(a): a for a in g.point_group}
    # subgroups of P by closure of subsets of at most three generators
    subgroups = set()
    mats = list(table.values())
    for combo in _combinations_upto(len(mats), 3):
        subgroups.add(_closure_keys([mats[i] for i in combo]))
    # S-conjugacy of t-subgroups = conjugacy of their point groups under P
    classes = []
    seen = set()
    for sub in sorted(subgroups, key=lambda s: (len(s), sorted(s))):
        if sub in seen:
            continue
        conj = {frozenset(_key(p @ table[k] @ np.round(np.linalg.inv(p)).astype(np.int64))
                          for k in sub) for p in g.point_group}
        seen |= conj
        classes.append(sub)
    rows = _rows(g, classes)
    result = []
    for sub, row in zip(classes, rows):
        ops = [(r, s) for r, s in zip(g.rotations, g.shifts) if _key(r) in sub]
        rot = np.array([r for r, _ in ops], dtype="intc")
        tr = np.array([s for _, s in ops], dtype=float) / GRID
        t = _quiet(spglib.get_spacegroup_type_from_symmetry, rot, tr, symprec=1e-5)
        result.append({"subgroup_number": None if t is None else int(t.number),
                       "index": len(keys) // len(sub), "ideal": row["ideal"],
                       "exact_min_size": row["exact_min_size"],
                       "nonexact_min_size": row["nonexact_min_size"],
                       "generalized_normalizer_is_normalizer":
                           row["generalized_normalizer_is_normalizer"]})
    return result


def _combinations_upto(n: int, k: int):
    from itertools import combinations

    yield ()
    for size in range(1, k + 1):
        yield from combinations(range(n), size)


def _closure_keys(gens) -> frozenset:
    identity = np.eye(3, dtype=np.int64)
    found = {_key(identity): identity}
    frontier = [identity]
    while frontier:
        x = frontier.pop()
        for gen in gens:
            y = gen @ x
            if _key(y) not in found:
                found[_key(y)] = y
                frontier.append(y)
    return frozenset(found)
