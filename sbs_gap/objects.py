"""Symmetry breaking objects as e3nn irreps vectors (THEORY.md section 5).

For a point group S, a target class K and a representation (an e3nn irreps
string), :func:`symmetry_breaking_set` returns the minimal equivariant exact
SBS as float vectors in e3nn's basis, with the permutation action of the
generalized normalizer N' on them.  GAP (gap_scripts/30_o3.g) provides N'
(its finite model N'_F when N' is infinite), S, and the stabilizers M that
achieve the minimal size; here

1. the fixed space V^M = {v : D(m) v = v, m in M} is computed, with D from
   e3nn's ``Irreps.D_from_matrix`` applied to the exact group elements (and,
   when N' is infinite and a finite set exists, the identity component of N',
   which must fix every object);
2. a generic v in V^M is taken (the group average of a fixed generic vector);
   if its stabilizer in N' is larger than M the irreps cannot realize M;
3. the set is the orbit {D(n) v : n in N'}, deduplicated, with the action of
   the generators of N' recorded as permutations.

Every set is verified before it is returned: each object's stabilizer in S is
exactly a conjugate of K, the set is closed under N', and S acts transitively
when the set is ideal.  A failure raises :class:`VerificationError`.

When no finite equivariant SBS exists (cyclic types, THEORY.md section 4) the
set is continuous: the orbit of v under N', which includes the rotations about
the principal axis; :meth:`SymmetryBreakingSet.sample` draws from it uniformly.
"""
from __future__ import annotations

import itertools
import math
from dataclasses import dataclass, field
from functools import lru_cache

import numpy as np

from .errors import InputError, SbsError
from .gap import GapCode, GapSession, default_session, gap_literal
from . import o3

__all__ = ["SymmetryBreakingSet", "VerificationError", "symmetry_breaking_set",
           "smallest_irreps", "MAX_L"]

#: Largest degree l searched for the smallest realizing irreps.
MAX_L = 6
# D matrices are accurate to ~1e-14 (see _wigner); distinct objects and
# non-stabilizing elements differ by far more than this tolerance.
_TOL = 1e-6


class VerificationError(SbsError):
    """A produced set failed its numerical verification."""


@dataclass(frozen=True)
class SymmetryBreakingSet:
    """An equivariant symmetry breaking set, realized as irreps vectors.

    Attributes
    ----------
    group, subgroup : str
        S and the class of K (as named by ``sbs partial``; ``C1`` for full
        breaking).
    irreps : str
        e3nn irreps string of the objects' representation.
    objects : numpy.ndarray
        Shape (size, dim): the objects, in e3nn's basis (l = 1 is x, y, z).
        For a continuous set, the finitely many objects with rotation angle 0
        about the principal axis (one per coset of the finite model).
    stabilizer : str
        Name of M, the stabilizer in N' of the first object (``Cinfv`` etc.
        when it contains the identity component of an infinite N').
    normalizer_generators_action : tuple of tuples
        For each generator n of N' (of its finite model when infinite), the
        permutation i -> j with D(n) objects[i] = objects[j].
    continuous : bool
        True when no finite equivariant SBS exists (then ``size`` is None).
    ideal : bool
        Whether S acts transitively on the set (then size = |S : K|).
    """

    group: str
    subgroup: str
    irreps: str
    size: int | None
    objects: np.ndarray = field(repr=False)
    stabilizer: str
    normalizer_generators_action: tuple[tuple[int, ...], ...]
    continuous: bool
    ideal: bool
    _axis: tuple[float, float, float] | None = field(default=None, repr=False)

    def to_json(self) -> dict:
        return {"group": self.group, "subgroup": self.subgroup, "irreps": self.irreps,
                "size": self.size, "objects": np.round(self.objects, 12).tolist(),
                "stabilizer": self.stabilizer,
                "normalizer_generators_action": [list(p) for p in
                                                 self.normalizer_generators_action],
                "continuous": self.continuous}

    def description(self) -> str:
        """A sentence describing the set (what a continuous set is)."""
        if not self.continuous:
            return (f"{self.size} objects of {self.irreps}, each with stabilizer "
                    f"{self.stabilizer} in the generalized normalizer")
        axis = ", ".join(f"{x:.6g}" for x in self._axis)
        return (f"continuous: the rotations about the axis ({axis}) applied to the "
                f"{len(self.objects)} listed objects of {self.irreps} (no finite "
                f"equivariant set exists); sample with --sample N")

    def as_torch(self, device=None, dtype=None):
        """The objects as a torch tensor (default dtype float64)."""
        import torch
        return torch.as_tensor(self.objects, dtype=dtype or torch.float64, device=device)

    def sample(self, n: int, *, seed: int | None = None) -> np.ndarray:
        """Draw n objects uniformly from the set (a finite set: uniformly from
        its elements; a continuous set: a uniform element of the finite model
        composed with a uniform rotation about the principal axis)."""
        rng = np.random.default_rng(seed)
        picks = self.objects[rng.integers(len(self.objects), size=n)]
        if not self.continuous:
            return picks
        angles = rng.uniform(0.0, 2 * math.pi, size=n)
        irreps = _irreps(self.irreps)
        out = np.empty_like(picks)
        for i, (v, theta) in enumerate(zip(picks, angles)):
            out[i] = _wigner(irreps, _axis_rotation(np.array(self._axis), theta)) @ v
        return out


# ----------------------------------------------------------------------------
# e3nn representation matrices
# ----------------------------------------------------------------------------

@lru_cache(maxsize=None)
def _irreps(text: str):
    from e3nn import o3 as e3o3
    try:
        irreps = e3o3.Irreps(text)
    except Exception as exc:  # e3nn raises ValueError / AssertionError
        raise InputError(f"invalid irreps {text!r}: {exc}") from None
    if irreps.dim == 0:
        raise InputError(f"irreps {text!r} have dimension 0")
    if irreps.lmax > 12:
        raise InputError(f"irreps {text!r}: l up to 12 is supported")
    return irreps


def _format_irreps(irreps) -> str:
    return "+".join(str(ir) if mul == 1 else f"{mul}x{ir}" for mul, ir in irreps)


# A generic rotation: D(R) = D(R Q) D(Q)^T keeps e3nn's Euler-angle
# conversion away from gimbal lock, where it loses accuracy (group elements
# such as rotations about z sit exactly there).
_GENERIC_Q = None


def _wigner(irreps, matrix: np.ndarray) -> np.ndarray:
    import torch
    previous = torch.get_default_dtype()
    # e3nn builds some internal tensors in the default dtype: float64 here.
    torch.set_default_dtype(torch.float64)
    try:
        return _wigner64(irreps, matrix)
    finally:
        torch.set_default_dtype(previous)


def _wigner64(irreps, matrix: np.ndarray) -> np.ndarray:
    """D of one matrix (3, 3) or of a batch (n, 3, 3)."""
    import torch
    global _GENERIC_Q
    if _GENERIC_Q is None:
        from e3nn import o3 as e3o3
        _GENERIC_Q = e3o3.angles_to_matrix(*(torch.tensor(x, dtype=torch.float64)
                                             for x in (0.4123, 1.1311, 2.2718))).numpy()
    with torch.no_grad():
        rq = irreps.D_from_matrix(torch.as_tensor(matrix @ _GENERIC_Q, dtype=torch.float64))
        q = irreps.D_from_matrix(torch.as_tensor(_GENERIC_Q, dtype=torch.float64))
        return (rq @ q.T).numpy()


def _wigner_all(irreps, matrices: np.ndarray) -> np.ndarray:
    """D for each of a stack of matrices, shape (n, dim, dim)."""
    return _wigner(irreps, np.asarray(matrices)).reshape(len(matrices), irreps.dim, irreps.dim)


def _axis_rotation(axis: np.ndarray, theta: float) -> np.ndarray:
    a = axis / np.linalg.norm(axis)
    k = np.array([[0, -a[2], a[1]], [a[2], 0, -a[0]], [-a[1], a[0], 0]])
    return np.eye(3) + math.sin(theta) * k + (1 - math.cos(theta)) * (k @ k)


def _matrices(raw, dim: int = 3) -> np.ndarray:
    return np.array([[[o3._cyclotomic_float(x) for x in row] for row in m] for m in raw],
                    dtype=float).reshape(-1, dim, dim)


# ----------------------------------------------------------------------------
# Realizing a stabilizer
# ----------------------------------------------------------------------------

@dataclass
class _Context:
    """Everything about (S, K) that does not depend on the representation."""

    group: str
    subgroup: str
    nprime: np.ndarray          # elements of N'_F, (n, 3, 3)
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
            return [_axis_rotation(np.array([1.0, 0, 0]), 1.0),
                    _axis_rotation(np.array([0, 1.0, 0]), 1.0)]
        return [_axis_rotation(self.axis, 1.0)]


def _fixed_vector(ds: np.ndarray, witness: list[int], extra: list[np.ndarray],
                  dim: int) -> np.ndarray | None:
    """The group average over the witness of a fixed generic vector, projected
    first onto the space fixed by the ``extra`` matrices."""
    w = np.cos(np.arange(1, dim + 1) * 1.2345) + 0.1 * np.arange(1, dim + 1)
    if extra:
        stacked = np.concatenate([d - np.eye(dim) for d in extra])
        _, sv, vt = np.linalg.svd(stacked)
        null = vt[np.sum(sv > 1e-9):]
        if len(null) == 0:
            return None
        w = null.T @ (null @ w)
    v = np.mean([ds[i] @ w for i in witness], axis=0)
    if np.linalg.norm(v) < 1e-8:
        # w happened to be orthogonal to the fixed space: try others
        for k in range(1, 6):
            w2 = np.sin(np.arange(1, dim + 1) * (0.7 + k)) + k
            if extra:
                w2 = null.T @ (null @ w2)
            v = np.mean([ds[i] @ w2 for i in witness], axis=0)
            if np.linalg.norm(v) > 1e-8:
                break
        else:
            return None
    return v / np.linalg.norm(v)


def _stabilizer(ds: np.ndarray, v: np.ndarray) -> frozenset[int]:
    return frozenset(i for i, d in enumerate(ds) if np.linalg.norm(d @ v - v) < _TOL)


def _realize(ctx: _Context, irreps_text: str):
    """(witness, v, D) for the first witness the irreps realize, or None."""
    irreps = _irreps(irreps_text)
    ds = _wigner_all(irreps, ctx.nprime)
    extra = [_wigner(irreps, r) for r in ctx.continuous_generators()]
    return _realize_with(ctx, ds, extra)


def _realize_with(ctx: _Context, ds: np.ndarray, extra: list[np.ndarray]):
    for witness in ctx.witnesses:
        v = _fixed_vector(ds, witness, extra, ds.shape[1])
        if v is None:
            continue
        if _stabilizer(ds, v) == frozenset(witness):
            return witness, v, ds
    return None


_ALL_IRREPS = [(l, p) for l in range(MAX_L + 1) for p in ("e", "o")]


def _irreps_string(choice) -> str:
    return "+".join(f"{l}{p}" for l, p in choice)


def _candidate_irreps():
    """Sets of distinct irreps (multiplicities never help a generic vector),
    smallest dimension first; ties: fewer irreps, then the natural parities
    (0e, 1o, 2e, ...), then by degree."""
    choices = []
    for r in range(1, 4):
        for combo in itertools.combinations(_ALL_IRREPS, r):
            dim = sum(2 * l + 1 for l, _ in combo)
            unnatural = sum(p != ("e" if l % 2 == 0 else "o") for l, p in combo)
            choices.append(((dim, r, unnatural, combo), combo))
    choices.sort()
    return [c for _, c in choices]


def smallest_irreps(ctx: _Context):
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
            irreps = _irreps(f"{ir[0]}{ir[1]}")
            ds = _wigner_all(irreps, ctx.nprime)
            extra = [_wigner(irreps, r) for r in ctx.continuous_generators()]
            found = []
            for witness in ctx.witnesses:
                v = _fixed_vector(ds, witness, extra, irreps.dim)
                found.append(everything if v is None else _stabilizer(ds, v))
            stabilizers[ir] = found
        return stabilizers[ir][w]

    for combo in _candidate_irreps():
        for w, witness in enumerate(ctx.witnesses):
            stab = everything
            for ir in combo:
                stab = stab & stabilizer(ir, w)
            if stab == frozenset(witness):
                text = _irreps_string(combo)
                realized = _realize(ctx, text)
                if realized is not None:
                    return text, realized
    return None


# ----------------------------------------------------------------------------
# The public call
# ----------------------------------------------------------------------------

def _context(group: str, to: str | None, session: GapSession) -> _Context:
    reg = o3._registered(group, session)
    described = o3._described_classes(group, session)
    classes = tuple(c for c, _ in described)
    if to is None:
        (chosen,) = [c for c in classes if c.order == 1]
    else:
        matches = o3._select(classes, reg.group.schoenflies, to)
        if len(matches) > 1:
            raise InputError(f"{to!r} names several classes of subgroups of "
                             f"{reg.group.schoenflies}: " + ", ".join(c.name for c in matches)
                             + "; give one of these names")
        chosen = matches[0]
    row = dict(described)[chosen]
    data = session.evaluate(GapCode(
        f'SBS_PointGroupSbsData("{reg.key}",{gap_literal([i + 1 for i in chosen.elements])})'),
        requires=(reg.key,))
    nprime = _matrices(data["elements"])
    # K and its S-conjugates, as positions in nprime.
    index = {o3._matrix_key(m): i for i, m in enumerate(nprime)}
    k_set = [index[o3._matrix_key(reg.elements[i])] for i in chosen.elements]
    group_positions = [p - 1 for p in data["group"]]
    conjugates = _conjugates(nprime, group_positions, k_set)
    axis = None
    if data["axis"] is not None:
        axis = np.array([o3._cyclotomic_float(x) for x in data["axis"]])
    return _Context(group=reg.group.schoenflies, subgroup=chosen.name, nprime=nprime,
                    generators=[p - 1 for p in data["generators"]],
                    group_positions=group_positions,
                    witnesses=[[p - 1 for p in w] for w in data["witnesses"]],
                    witness_names=list(data["names"]),
                    finite=data["finite"], identity=data["identity"], axis=axis,
                    k_conjugates=sorted(conjugates, key=sorted), ideal=row["ideal"],
                    exact_size=row["exact_min_size"])


def _conjugates(nprime: np.ndarray, group_positions, k_set) -> set[frozenset[int]]:
    """The S-conjugates of K, as sets of positions in nprime."""
    index = {o3._matrix_key(m): i for i, m in enumerate(nprime)}
    return {frozenset(index[o3._matrix_key(nprime[s] @ nprime[k] @ nprime[s].T)]
                      for k in k_set) for s in group_positions}


def _orbit(ds: np.ndarray, v: np.ndarray) -> np.ndarray:
    """{D(n) v}, deduplicated, in the order of first appearance."""
    images = ds @ v
    objects = [images[0]]
    for w in images[1:]:
        if np.min(np.linalg.norm(np.array(objects) - w, axis=1)) > _TOL:
            objects.append(w)
    return np.array(objects)


def _permutation(d: np.ndarray, objects: np.ndarray) -> tuple[int, ...]:
    """The permutation by which D = d acts on the objects; raises if it does not."""
    moved = objects @ d.T
    distance = np.linalg.norm(moved[:, None, :] - objects[None, :, :], axis=2)
    images = np.argmin(distance, axis=1)
    if np.max(distance[np.arange(len(objects)), images]) > _TOL:
        raise VerificationError("the set is not closed under the generalized normalizer")
    if len(set(images.tolist())) != len(objects):
        raise VerificationError("a normalizer generator does not permute the set")
    return tuple(int(i) for i in images)


def _verify(ctx: _Context, ds: np.ndarray, objects: np.ndarray, irreps_text: str | None) -> None:
    """Numerical checks of what the set claims (THEORY.md section 5)."""
    conjugates = set(ctx.k_conjugates)
    s_ds = ds[ctx.group_positions]
    continuous = [_wigner(_irreps(irreps_text), r) for r in ctx.continuous_generators()]
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
        _permutation(ds[g], objects)
    if ctx.finite:
        orbit = _orbit(s_ds, objects[0])
        transitive = len(orbit) == len(objects)
        if ctx.ideal and not transitive:
            raise VerificationError("the set is claimed ideal but S is not transitive on it")
        if len(objects) != ctx.exact_size:
            raise VerificationError(f"the set has {len(objects)} objects, the minimal size "
                                    f"is {ctx.exact_size}")


def symmetry_breaking_set(group: str, to: str | None = None, irreps: str | None = None,
                          *, session: GapSession | None = None) -> SymmetryBreakingSet:
    """The minimal equivariant exact SBS of ``group`` -> ``to`` (full breaking
    when ``to`` is None) as vectors of ``irreps`` (default: the smallest
    realizing irreps), verified numerically."""
    session = session or default_session()
    ctx = _context(group, to, session)
    if irreps is None:
        found = smallest_irreps(ctx)
        if found is None:
            raise InputError(f"no irreps with l <= {MAX_L} (up to three distinct irreps) "
                             f"realize the stabilizer for {ctx.group} -> {ctx.subgroup}")
        irreps, (witness, v, ds) = found
    else:
        text = _format_irreps(_irreps(irreps))
        realized = _realize(ctx, text)
        if realized is None:
            best = smallest_irreps(ctx)
            hint = f"the smallest that can is {best[0]!r}" if best else \
                f"no irreps with l <= {MAX_L} can"
            raise InputError(f"irreps {irreps!r} cannot realize the stabilizer needed for "
                             f"{ctx.group} -> {ctx.subgroup}; {hint}")
        witness, v, ds = realized
        irreps = text
    objects = _orbit(ds, v)
    _verify(ctx, ds, objects, irreps)
    stabilizer = ctx.witness_names[ctx.witnesses.index(witness)]
    return SymmetryBreakingSet(
        group=ctx.group, subgroup=ctx.subgroup, irreps=irreps,
        size=len(objects) if ctx.finite else None, objects=objects, stabilizer=stabilizer,
        normalizer_generators_action=tuple(_permutation(ds[g], objects)
                                           for g in ctx.generators),
        continuous=not ctx.finite, ideal=bool(ctx.ideal) and ctx.finite,
        _axis=tuple(ctx.axis) if ctx.axis is not None else None)


def problem_symmetry_breaking_set(problem, *, session: GapSession | None = None,
                                  max_order: int | None = None) -> SymmetryBreakingSet:
    """The minimal equivariant exact SBS of a problem file as vectors of its
    ``representation`` (or of the ambient's own matrices when it has none);
    full breaking when the problem has no target; verified numerically."""
    from .groups import DEFAULT_MAX_ORDER, register_ambient
    from .groups._data import MatrixData

    representation = problem.representation
    if representation is None and not isinstance(problem.ambient, MatrixData):
        raise InputError("objects are vectors of a matrix representation: give the problem "
                         "a 'representation', or an ambient group given by matrices")
    session = session or default_session()
    ambient = register_ambient(problem.ambient, max_order=max_order or DEFAULT_MAX_ORDER,
                               session=session)
    target = "fail" if problem.target is None else problem.target.gap_elements()
    rep = "fail" if representation is None else representation.gap_elements()
    data = session.evaluate(GapCode(
        f'SBS_ProblemSbsData("{ambient.key}",{problem.group.gap_elements()},{target},{rep})'),
        requires=(ambient.key,))
    dim = (representation or problem.ambient).dimension
    nprime = _matrices(data["elements"], dim)
    group_positions = [p - 1 for p in data["group"]]
    k_set = [p - 1 for p in data["target"]]
    conjugates = _conjugates(nprime, group_positions, k_set)
    ctx = _Context(group=problem.name, subgroup=data["subgroup"], nprime=nprime,
                   generators=[p - 1 for p in data["generators"]],
                   group_positions=group_positions,
                   witnesses=[[p - 1 for p in w] for w in data["witnesses"]],
                   witness_names=list(data["names"]), finite=True, identity="trivial",
                   axis=None, k_conjugates=sorted(conjugates, key=sorted),
                   ideal=data["ideal"], exact_size=data["size"])
    realized = _realize_with(ctx, nprime, [])
    if realized is None:
        raise InputError(f"the problem's {dim}-dimensional matrix representation cannot "
                         "realize the stabilizer of a minimal set (a generic fixed vector "
                         "has a larger stabilizer); use a larger representation")
    witness, v, ds = realized
    objects = _orbit(ds, v)
    _verify(ctx, ds, objects, None)
    return SymmetryBreakingSet(
        group=ctx.group, subgroup=ctx.subgroup, irreps=f"matrices (dimension {dim})",
        size=len(objects), objects=objects,
        stabilizer=ctx.witness_names[ctx.witnesses.index(witness)],
        normalizer_generators_action=tuple(_permutation(ds[g], objects)
                                           for g in ctx.generators),
        continuous=False, ideal=bool(ctx.ideal))
