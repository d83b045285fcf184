"""Realizing a minimal equivariant SBS as vectors (docs/theory.md section 5).

GAP (gap_scripts/gap/o3.gi, sbs.gi) provides the generalized normalizer N'
(its finite model N'_F when N' is infinite), S, and the stabilizers M that
achieve the minimal size.  Here

1. the fixed space V^M = {v : D(m) v = v, m in M} is computed, with D the
   representation matrices of the chosen irreps (:mod:`._irreps`) or of a
   problem's representation (and, when N' is infinite and a finite set
   exists, the identity component of N', which must fix every object);
2. a generic v in V^M is taken (the group average of a fixed generic vector);
   if its stabilizer in N' is larger than M the representation cannot
   realize M;
3. the set is the orbit {D(n) v : n in N'}, deduplicated, with the action of
   S and of the generators of N' recorded as permutations.

Every set is verified before it is returned: each object's stabilizer in S is
exactly a conjugate of K, the set is closed under N', S acts transitively when
the set is ideal, and the size is the engine's minimum.  A failure raises
:class:`~sbs_gap.errors.VerificationError`.
"""
from __future__ import annotations

import itertools
from dataclasses import dataclass

import numpy as np

from ..breaking import (
    SubgroupClass, classes_with_rows, magnetic_classes_with_rows, magnetic_structure,
    point_group_structure, register_ambient, select_magnetic_classes, select_subgroup_classes,
    subgroup_generators,
)
from ..errors import InputError, VerificationError
from ..gap import GapSession, cyclotomic_to_float, matrices_to_numpy
from ..groups import MagneticPointGroup, MatrixData, Problem, group_by_name
from ._irreps import axis_rotation, format_irreps, representation_matrices
from ._set import SymmetryBreakingSet

__all__ = ["point_group_set", "problem_set", "smallest_irreps", "MAX_L"]

#: Largest degree l searched for the smallest realizing irreps.
MAX_L = 6
# D matrices are accurate to ~1e-14; distinct objects and non-stabilizing
# elements differ by far more than this tolerance.
_TOL = 1e-6


@dataclass
class RealizationContext:
    """Everything about (S, K) that does not depend on the representation."""

    group: str
    subgroup: str
    nprime: np.ndarray          # elements of N'_F: (n, 3, 3), or representation matrices
    generators: list[int]
    group_positions: list[int]  # S inside nprime
    witnesses: list[list[int]]
    witness_names: list[str]
    finite: bool
    identity: str
    axis: np.ndarray | None
    k_conjugates: list[frozenset[int]]  # conjugates of K, as positions in nprime
    ideal: bool
    exact_size: int | None

    def continuous_generators(self) -> list[np.ndarray]:
        """Rotations that generate a dense subgroup of the identity component
        of N' (only when it must fix the objects: finite sets)."""
        if not self.finite or self.identity == "trivial":
            return []
        if self.identity == "SO(3)":
            return [axis_rotation([1.0, 0, 0], 1.0), axis_rotation([0, 1.0, 0], 1.0)]
        return [axis_rotation(self.axis, 1.0)]


def _fixed_vector(ds: np.ndarray, witness: list[int], extra: list[np.ndarray],
                  dim: int) -> np.ndarray | None:
    """The group average over the witness of a fixed generic vector, projected
    first onto the space fixed by the ``extra`` matrices."""
    w = np.cos(np.arange(1, dim + 1) * 1.2345) + 0.1 * np.arange(1, dim + 1)
    null = None
    if extra:
        stacked = np.concatenate([d - np.eye(dim) for d in extra])
        _, sv, vt = np.linalg.svd(stacked)
        null = vt[np.sum(sv > 1e-9):]
        if len(null) == 0:
            return None
        w = null.T @ (null @ w)
    v = np.mean(ds[witness] @ w, axis=0)
    if np.linalg.norm(v) < 1e-8:
        # w happened to be orthogonal to the fixed space: try others
        for k in range(1, 6):
            w2 = np.sin(np.arange(1, dim + 1) * (0.7 + k)) + k
            if null is not None:
                w2 = null.T @ (null @ w2)
            v = np.mean(ds[witness] @ w2, axis=0)
            if np.linalg.norm(v) > 1e-8:
                break
        else:
            return None
    return v / np.linalg.norm(v)


def _stabilizer(ds: np.ndarray, v: np.ndarray) -> frozenset[int]:
    return frozenset(np.flatnonzero(np.linalg.norm(ds @ v - v, axis=1) < _TOL).tolist())


def _continuous_matrices(ctx: RealizationContext, irreps_text: str) -> list[np.ndarray]:
    rotations = ctx.continuous_generators()
    return list(representation_matrices(irreps_text, np.array(rotations))) if rotations else []


def realize(ctx: RealizationContext, irreps_text: str):
    """(witness, v, D) for the first witness the irreps realize, or None."""
    ds = representation_matrices(irreps_text, ctx.nprime)
    return _realize_with(ctx, ds, _continuous_matrices(ctx, irreps_text))


def _realize_with(ctx: RealizationContext, ds: np.ndarray, extra: list[np.ndarray]):
    for witness in ctx.witnesses:
        v = _fixed_vector(ds, witness, extra, ds.shape[1])
        if v is None:
            continue
        if _stabilizer(ds, v) == frozenset(witness):
            return witness, v, ds
    return None


def choose_realization(ctx: RealizationContext, irreps: str | None):
    """(irreps text, witness, v, D) for the given irreps, or the smallest
    that realize a stabilizer of a minimal set; InputError when none does."""
    if irreps is None:
        found = smallest_irreps(ctx)
        if found is None:
            raise InputError(f"no irreps with l <= {MAX_L} (up to three distinct irreps) "
                             f"realize the stabilizer for {ctx.group} -> {ctx.subgroup}")
        text, (witness, v, ds) = found
        return text, witness, v, ds
    text = format_irreps(irreps)
    realized = realize(ctx, text)
    if realized is None:
        best = smallest_irreps(ctx)
        hint = f"the smallest that can is {best[0]!r}" if best else \
            f"no irreps with l <= {MAX_L} can"
        raise InputError(f"irreps {irreps!r} cannot realize the stabilizer needed for "
                         f"{ctx.group} -> {ctx.subgroup}; {hint}")
    return (text, *realized)


_ALL_IRREPS = [(l, p) for l in range(MAX_L + 1) for p in ("e", "o")]
# with time parity (magnetic groups): "" even, "'" odd
_ALL_TIME_IRREPS = [(l, p + t) for l in range(MAX_L + 1) for p in ("e", "o") for t in ("", "'")]


def _irreps_string(choice) -> str:
    return "+".join(f"{l}{p}" for l, p in choice)


def _candidate_irreps(time_parity: bool = False):
    """Sets of distinct irreps (multiplicities never help a generic vector),
    smallest dimension first; ties: fewer irreps, then the natural parities
    (0e, 1o, 2e, ...), then by degree; with ``time_parity`` (magnetic
    groups) time-odd irreps too, time-even first on ties."""
    choices = []
    for r in range(1, 4):
        for combo in itertools.combinations(_ALL_TIME_IRREPS if time_parity else _ALL_IRREPS,
                                            r):
            dim = sum(2 * l + 1 for l, _ in combo)
            unnatural = sum(p[0] != ("e" if l % 2 == 0 else "o") for l, p in combo)
            odd = sum(p.endswith("'") for _, p in combo)
            choices.append(((dim, r, odd, unnatural, combo), combo))
    choices.sort()
    return [c for _, c in choices]


def smallest_irreps(ctx: RealizationContext):
    """The smallest irreps (l <= MAX_L, at most three distinct irreps) realizing
    a stabilizer of a minimal set, with the realization; None if none does.

    A generic vector of a sum of irreps has as stabilizer the intersection of
    the stabilizers of its components, so each irrep is analysed once per
    witness and combinations are decided by intersecting.
    """
    everything = frozenset(range(len(ctx.nprime)))
    stabilizers: dict = {}

    def stabilizer(ir, w):
        if ir not in stabilizers:
            text = f"{ir[0]}{ir[1]}"
            ds = representation_matrices(text, ctx.nprime)
            extra = _continuous_matrices(ctx, text)
            found = []
            for witness in ctx.witnesses:
                v = _fixed_vector(ds, witness, extra, ds.shape[1])
                found.append(everything if v is None else _stabilizer(ds, v))
            stabilizers[ir] = found
        return stabilizers[ir][w]

    for combo in _candidate_irreps(time_parity=ctx.nprime.shape[1] == 4):
        for w, witness in enumerate(ctx.witnesses):
            stab = everything
            for ir in combo:
                stab = stab & stabilizer(ir, w)
            if stab == frozenset(witness):
                text = _irreps_string(combo)
                realized = realize(ctx, text)
                if realized is not None:
                    return text, realized
    return None


# ----------------------------------------------------------------------------
# Orbits, actions and verification
# ----------------------------------------------------------------------------

def vector_orbit(ds: np.ndarray, v: np.ndarray) -> np.ndarray:
    """{D(n) v}, deduplicated, in the order of first appearance."""
    images = ds @ v
    objects = [images[0]]
    for w in images[1:]:
        if np.min(np.linalg.norm(np.array(objects) - w, axis=1)) > _TOL:
            objects.append(w)
    return np.array(objects)


def vector_permutation(d: np.ndarray, objects: np.ndarray) -> tuple[int, ...]:
    """The permutation by which D = d acts on the objects; raises if it does not."""
    moved = objects @ d.T
    distance = np.linalg.norm(moved[:, None, :] - objects[None, :, :], axis=2)
    images = np.argmin(distance, axis=1)
    if np.max(distance[np.arange(len(objects)), images]) > _TOL:
        raise VerificationError("the set is not closed under the generalized normalizer")
    if len(set(images.tolist())) != len(objects):
        raise VerificationError("a normalizer element does not permute the set")
    return tuple(int(i) for i in images)


def verify_vectors(ctx: RealizationContext, ds: np.ndarray, objects: np.ndarray,
                   continuous) -> None:
    """Numerical checks of what the set claims (docs/theory.md section 5)."""
    conjugates = set(ctx.k_conjugates)
    s_ds = ds[ctx.group_positions]
    moved = np.einsum("sij,bj->bsi", s_ds, objects)  # moved[b, s] = D(s) objects[b]
    fixed = np.linalg.norm(moved - objects[:, None, :], axis=2) < _TOL
    for b, row in zip(objects, fixed):
        stab = frozenset(ctx.group_positions[i] for i in np.flatnonzero(row))
        if stab not in conjugates:
            raise VerificationError(
                f"an object's stabilizer in {ctx.group} (order {len(stab)}) is not a "
                f"conjugate of {ctx.subgroup}")
        for r in continuous:
            if np.linalg.norm(r @ b - b) > _TOL:
                raise VerificationError("an object is moved by the identity component of N'")
    for g in ctx.generators:
        vector_permutation(ds[g], objects)
    if ctx.finite:
        orbit = vector_orbit(s_ds, objects[0])
        transitive = len(orbit) == len(objects)
        if ctx.ideal and not transitive:
            raise VerificationError("the set is claimed ideal but S is not transitive on it")
        if len(objects) != ctx.exact_size:
            raise VerificationError(f"the set has {len(objects)} objects, the minimal size "
                                    f"is {ctx.exact_size}")


def _assemble(ctx: RealizationContext, irreps_text: str, witness, v, ds, continuous,
              frame: np.ndarray | None) -> SymmetryBreakingSet:
    """The verified set, in the frame R (point groups) when given."""
    objects = vector_orbit(ds, v)
    objects[np.abs(objects) < 1e-13] = 0.0  # float noise of exact zeros
    verify_vectors(ctx, ds, objects, continuous)
    group_action = tuple(vector_permutation(ds[s], objects) for s in ctx.group_positions)
    generator_action = tuple(vector_permutation(ds[g], objects) for g in ctx.generators)
    axis = ctx.axis
    if frame is None:
        group_elements = ds[ctx.group_positions]
        generators = ds[ctx.generators]
    else:
        # Everything moves with R: objects by D(R), elements by conjugation.
        d_frame = representation_matrices(irreps_text, frame)
        objects = objects @ d_frame.T
        objects[np.abs(objects) < 1e-13] = 0.0
        lifted = frame
        if ctx.nprime.shape[1] == 4:  # magnetic: R acts on the O(3) block only
            lifted = np.eye(4)
            lifted[:3, :3] = frame
        group_elements = lifted @ ctx.nprime[ctx.group_positions] @ lifted.T
        generators = lifted @ ctx.nprime[ctx.generators] @ lifted.T
        axis = None if axis is None else frame @ axis
        moved = tuple(vector_permutation(d, objects)
                      for d in representation_matrices(irreps_text, generators))
        if moved != generator_action:
            raise VerificationError("the set moved into the frame is not acted on as before")
    return SymmetryBreakingSet(
        group=ctx.group, subgroup=ctx.subgroup, irreps=irreps_text, objects=objects,
        stabilizer=ctx.witness_names[ctx.witnesses.index(witness)],
        continuous=not ctx.finite, ideal=bool(ctx.ideal) and ctx.finite,
        group_elements=group_elements, group_action=group_action,
        normalizer_generators=generators, normalizer_generators_action=generator_action,
        frame=None if frame is None else np.asarray(frame, dtype=float), axis=axis)


# ----------------------------------------------------------------------------
# Contexts: point groups and problem files
# ----------------------------------------------------------------------------

def _positions(conjugates) -> list[frozenset[int]]:
    """GAP's S-conjugates of K (1-based positions) as 0-based position sets."""
    return [frozenset(p - 1 for p in c) for c in conjugates]


def _orthogonal_frame(frame) -> np.ndarray:
    if frame is None:
        return np.eye(3)
    try:
        r = np.asarray(frame, dtype=float)
    except (TypeError, ValueError):
        raise InputError("frame must be an orthogonal 3x3 matrix") from None
    if r.shape != (3, 3) or not np.allclose(r @ r.T, np.eye(3), atol=1e-6):
        raise InputError("frame must be an orthogonal 3x3 matrix (e.g. the rotation that "
                         "detect() returned)")
    u, _, vt = np.linalg.svd(r)  # the nearest orthogonal matrix, exactly orthogonal
    return u @ vt


def _one_class(described, K, select, group_name: str) -> tuple:
    """(class, GAP's row) of the class K names among ``described`` (the
    trivial one for K None); ``select(K)`` gives the classes K names, and more
    than one is refused, naming them."""
    if K is None:
        (chosen,) = [c for c, _ in described if c.order == 1]
    else:
        matches = select(K)
        if len(matches) > 1:
            raise InputError(f"{K!r} names several classes of subgroups of {group_name}: "
                             + ", ".join(c.name for c in matches) + "; give one of these names")
        chosen = matches[0]
    return chosen, dict(described)[chosen]


def _point_group_class(structure, K, frame, session) -> tuple[SubgroupClass, dict]:
    if K is not None and not isinstance(K, (str, SubgroupClass)):
        K = frame.T @ subgroup_generators(K) @ frame  # into the standard orientation
    return _one_class(classes_with_rows(structure, session), K,
                      lambda k: select_subgroup_classes(structure.group, k, session=session),
                      structure.group.schoenflies)


def _magnetic_class(structure, K, session) -> tuple:
    if K is not None and not isinstance(K, str) and not hasattr(K, "elements"):
        raise InputError("K of a magnetic group is given by name (e.g. 4/mm'm')")
    return _one_class(magnetic_classes_with_rows(structure, session), K,
                      lambda k: select_magnetic_classes(structure.group, k, session=session),
                      structure.group.name)


def _point_group_context(S, K, frame, session, max_order) -> RealizationContext:
    if isinstance(S, str):
        S = group_by_name(S, max_order=max_order)
    if isinstance(S, MagneticPointGroup):
        # time reversal (docs/theory.md section 9): elements diag(R, +-1)
        structure = magnetic_structure(S, session=session, max_order=max_order)
        chosen, row = _magnetic_class(structure, K, session)
        group_name = structure.group.name
    else:
        structure = point_group_structure(S, session=session, max_order=max_order)
        chosen, row = _point_group_class(structure, K, frame, session)
        group_name = structure.group.schoenflies
    data = session.call("SBS_PointGroupSbsData", structure.key,
                        [i + 1 for i in chosen.elements], requires=(structure.key,))
    nprime = matrices_to_numpy(data["elements"])
    group_positions = [p - 1 for p in data["group"]]
    axis = None
    if data["axis"] is not None:
        axis = np.array([cyclotomic_to_float(x) for x in data["axis"]])
    return RealizationContext(
        group=group_name, subgroup=chosen.name, nprime=nprime,
        generators=[p - 1 for p in data["generators"]], group_positions=group_positions,
        witnesses=[[p - 1 for p in w] for w in data["witnesses"]],
        witness_names=list(data["names"]), finite=data["finite"], identity=data["identity"],
        axis=axis, k_conjugates=_positions(data["target_conjugates"]), ideal=row["ideal"],
        exact_size=row["exact_min_size"])


def problem_set(problem: Problem, session: GapSession, max_order: int) -> SymmetryBreakingSet:
    """The verified set of a problem file: vectors of its representation."""
    representation = problem.representation
    if representation is None and not isinstance(problem.ambient, MatrixData):
        raise InputError("objects are vectors of a matrix representation: give the problem "
                         "a 'representation', or an ambient group given by matrices")
    ambient = register_ambient(problem.ambient, max_order=max_order, session=session)
    data = session.call("SBS_ProblemSbsData", ambient.key, problem.group.gap_data(),
                        problem.target_data(),
                        None if representation is None else representation.gap_data(),
                        requires=(ambient.key,))
    dim = (representation or problem.ambient).dimension
    nprime = matrices_to_numpy(data["elements"], dim)
    group_positions = [p - 1 for p in data["group"]]
    ctx = RealizationContext(group=problem.name, subgroup=data["subgroup"], nprime=nprime,
                   generators=[p - 1 for p in data["generators"]],
                   group_positions=group_positions,
                   witnesses=[[p - 1 for p in w] for w in data["witnesses"]],
                   witness_names=list(data["names"]), finite=True, identity="trivial",
                   axis=None,
                   k_conjugates=_positions(data["target_conjugates"]),
                   ideal=data["ideal"], exact_size=data["size"])
    realized = _realize_with(ctx, nprime, [])
    if realized is None:
        raise InputError(f"the problem's {dim}-dimensional matrix representation cannot "
                         "realize the stabilizer of a minimal set (a generic fixed vector "
                         "has a larger stabilizer); use a larger representation")
    witness, v, ds = realized
    return _assemble(ctx, f"matrices (dimension {dim})", witness, v, ds, [], None)


def point_group_set(S, K, irreps: str | None, frame, session: GapSession,
                    max_order: int) -> SymmetryBreakingSet:
    """The verified set of a point group S -> K, in ``frame`` (arguments as for
    :func:`sbs_gap.objects.symmetry_breaking_set`, checked there)."""
    frame = _orthogonal_frame(frame)
    ctx = _point_group_context(S, K, frame, session, max_order)
    text, witness, v, ds = choose_realization(ctx, irreps)
    return _assemble(ctx, text, witness, v, ds, _continuous_matrices(ctx, text), frame)
