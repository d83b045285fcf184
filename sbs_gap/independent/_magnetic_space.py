"""Grey space groups S1' -> magnetic subgroups M, without GAP (THEORY sections 8 and 9).

Nothing here is shared with the GAP path (gap_scripts/gap/magspace.gi,
:mod:`sbs_gap.breaking`).  S's operations and its Euclidean normalizer N come
from :mod:`._spacegroups` (spglib's database, the normalizer by direct search);
the operations of a BNS standard setting from
:func:`sbs_gap.groups.magnetic_space_group_type` (data: spglib's magnetic
database in ISO-MAG's setting).  Translations are integers in units of
1/:data:`GRID` of the conventional cell; lattices are integer Hermite normal
forms in those units.

A magnetic subgroup M of S1' without theta whose image H (theta forgotten) is
a t-subgroup of S is {(h, chi(h))}, chi: H -> Z2; its theta-free lattice
T(H0) = ker chi restricted to T(S) contains 2 T(S).  Hence:

* classes (:func:`independent_magnetic_space_classes`): in the finite group
  Q = S1' / 2T(S), one subgroup per t-subgroup H (from the subgroups of the
  point group, up to conjugacy) and homomorphism chi (a choice of theta on a
  generating set, kept when the generated group misses theta), up to
  conjugation by Q;
* rows (:func:`independent_magnetic_space_row`): section 3 applied literally
  (:class:`._tables.BreakingAnalysis`) in F' = N / (L + V) x {1, theta}, V the
  polar directions (continuous translations) and L the core of T(H0) under the
  rotation parts of N (normal in N, inside T(H0) and all its conjugates; a
  smaller L than the one of section 8 changes no minimum).  A finite
  equivariant set exists iff the lattice translations of S along V are
  theta-free in M; otherwise the row is continuous (sizes empty).
* names (:func:`magnetic_subgroup_from_name`): the class name ``SYMBOL
  (BNS) [a',b',c'; p]`` read back into M's operations: the BNS setting's
  operations carried by x = P x' + p into S's coordinates.
"""
from __future__ import annotations

import re
from fractions import Fraction
from functools import cached_property, lru_cache
from itertools import product

import numpy as np

from ..groups import magnetic_space_group_type
from ._geometry import closure_matrices
from ._spacegroups import GRID, independent_space_group
from ._tables import TableGroup, bits, mask_of

__all__ = ["MAGNETIC_SPACE_KEYS", "independent_magnetic_space_row",
           "independent_magnetic_space_rows", "independent_magnetic_space_classes",
           "magnetic_subgroup_from_name", "MagneticSpaceTwin", "magnetic_space_twin"]

MAGNETIC_SPACE_KEYS = ("index", "generalized_normalizer_is_normalizer", "ideal",
                       "exact_min_size", "nonexact_min_size", "break_more_is_smaller",
                       "continuous", "magnetic_type")

_IDENTITY = (1, 0, 0, 0, 1, 0, 0, 0, 1)


# ----------------------------------------------------------------------------
# Lattices: Hermite normal forms in grid units
# ----------------------------------------------------------------------------

def _hnf(vectors) -> tuple[tuple[int, ...], ...]:
    """The upper-triangular row Hermite normal form (positive diagonal,
    entries above it reduced) of the full-rank lattice the integer vectors
    span."""
    rows = [[int(x) for x in v] for v in vectors if any(int(x) for x in v)]
    basis = []
    for col in range(3):
        while True:
            live = [r for r in rows if r[col] != 0]
            if len(live) <= 1:
                break
            pivot = min(live, key=lambda r: abs(r[col]))
            for r in live:
                if r is not pivot:
                    q = r[col] // pivot[col]
                    for j in range(3):
                        r[j] -= q * pivot[j]
        live = [r for r in rows if r[col] != 0]
        if len(live) != 1:
            raise ValueError("the vectors do not span a full-rank lattice")
        pivot = live[0]
        rows = [r for r in rows if r is not pivot]
        if pivot[col] < 0:
            pivot = [-x for x in pivot]
        basis.append(pivot)
    for j in range(3):
        for i in range(j):
            q = basis[i][j] // basis[j][j]
            basis[i] = [a - q * b for a, b in zip(basis[i], basis[j])]
    return tuple(tuple(r) for r in basis)


def _reduce(v, lattice) -> tuple[int, int, int]:
    """The canonical representative of v modulo the lattice (its HNF)."""
    v = [int(x) for x in v]
    for i in range(3):
        q = v[i] // lattice[i][i]
        if q:
            v = [a - q * b for a, b in zip(v, lattice[i])]
    return tuple(v)


def _contains(lattice, v) -> bool:
    return not any(_reduce(v, lattice))


def _coset_representatives(fine, coarse) -> list[tuple[int, ...]]:
    """Representatives of the lattice ``fine`` modulo its sublattice ``coarse``."""
    reps = {_reduce((0, 0, 0), coarse)}
    frontier = list(reps)
    while frontier:
        new = []
        for x in frontier:
            for b in fine:
                y = _reduce(np.add(x, b), coarse)
                if y not in reps:
                    reps.add(y)
                    new.append(y)
        frontier = new
    return sorted(reps)


# ----------------------------------------------------------------------------
# Elements (A, t, f) and finite groups of them
# ----------------------------------------------------------------------------

def _rot(a) -> tuple[int, ...]:
    return tuple(int(x) for x in np.asarray(a).ravel())


def _matmul(a, b) -> tuple[int, ...]:
    return tuple(sum(a[3 * i + k] * b[3 * k + j] for k in range(3))
                 for i in range(3) for j in range(3))


def _apply(a, t) -> tuple[int, int, int]:
    return tuple(sum(a[3 * i + k] * t[k] for k in range(3)) for i in range(3))


class _Group(TableGroup):
    """A :class:`TableGroup` from a NumPy multiplication table, with NumPy
    copies: ``mul_np``, ``inv_np`` and ``conj_np[a, g]`` = g a g^-1."""

    def __init__(self, table):
        table = np.asarray(table, dtype=np.int64)
        n = len(table)
        e = int(np.flatnonzero((table == np.arange(n)[None, :]).all(axis=1))[0])
        inverse = np.argmax(table == e, axis=1)
        self.mul_np, self.inv_np = table, inverse
        self.mul, self.inv, self.e, self.n = table.tolist(), inverse.tolist(), e, n
        self.full, self.trivial = (1 << n) - 1, 1 << e

    @cached_property
    def conj_np(self) -> np.ndarray:
        return self.mul_np[self.mul_np.T, self.inv_np[None, :]]


def _bool(mask: int, n: int) -> np.ndarray:
    out = np.zeros(n, dtype=bool)
    out[bits(mask)] = True
    return out


class _AffineGroup(_Group):
    """A finite group of elements (A, t mod lattice, f), with its
    multiplication table (identity first): ``elements`` with every
    translation of the conventional cell (GRID units) added, modulo the
    lattice; checked to be closed."""

    def __init__(self, elements, lattice):
        self.lattice = lattice
        cell = [tuple(GRID * int(i == j) for j in range(3)) for i in range(3)]
        shifts = _coset_representatives(cell, lattice)
        found = {(_IDENTITY, (0, 0, 0), 0)}
        for a, t, f in elements:
            a = _rot(a)
            for z in shifts:
                found.add((a, _reduce(np.add(t, z), lattice), int(f) % 2))
        identity = (_IDENTITY, (0, 0, 0), 0)
        ordered = [identity] + sorted(found - {identity})
        self.elements = ordered
        self.position = {x: i for i, x in enumerate(ordered)}
        super().__init__(self._table(ordered, lattice))

    @staticmethod
    def _table(elements, lattice) -> np.ndarray:
        rotations = sorted({a for a, _, _ in elements})
        rindex = {a: i for i, a in enumerate(rotations)}
        mats = np.array(rotations, dtype=np.int64).reshape(-1, 3, 3)
        rmul = np.full((len(rotations), len(rotations)), -1, dtype=np.int64)
        for i, a in enumerate(mats):
            for j, b in enumerate(mats):
                rmul[i, j] = rindex.get(_rot(a @ b), -1)
        if (rmul < 0).any():
            raise ValueError("the rotation parts are not closed")
        er = np.array([rindex[a] for a, _, _ in elements])
        et = np.array([t for _, t, _ in elements], dtype=np.int64)
        ef = np.array([f for _, _, f in elements], dtype=np.int64)
        H = np.array(lattice, dtype=np.int64)
        d = np.diag(H)

        def code(r, t, f):
            return ((r * d[0] + t[..., 0]) * d[1] + t[..., 1]) * d[2] * 2 + t[..., 2] * 2 + f

        own = code(er, et, ef)
        order = np.argsort(own)
        t = et[None, :, :] @ np.transpose(mats[er], (0, 2, 1))  # (n, n, 3): A_a t_b
        t = t + et[:, None, :]
        for i in range(3):
            q = np.floor_divide(t[..., i], H[i, i])
            t = t - q[..., None] * H[i]
        products = code(rmul[er[:, None], er[None, :]], t, ef[:, None] ^ ef[None, :])
        where = np.searchsorted(own[order], products)
        where = np.minimum(where, len(order) - 1)
        if not (own[order][where] == products).all():
            raise ValueError("the elements are not closed under products")
        return order[where]

    def _norm(self, element):
        a, t, f = element
        return (_rot(a), _reduce(t, self.lattice), int(f) % 2)

    def index_of(self, element) -> int:
        return self.position[self._norm(element)]

    def mask_of(self, elements) -> int:
        return self.generated([self.index_of(e) for e in elements])


# ----------------------------------------------------------------------------
# One grey space group
# ----------------------------------------------------------------------------

class MagneticSpaceTwin:
    """The independent analysis of the grey group S1' of the default setting
    of type ``number``."""

    def __init__(self, number: int):
        g = independent_space_group(number)
        self.number, self.group = number, g
        self.polar = tuple(g.polar_axes)
        # T(S) in grid units: the conventional cell and the centrings
        cell = [tuple(GRID * int(i == j) for j in range(3)) for i in range(3)]
        self.lattice = _hnf(cell + [tuple(int(x) for x in c) for c in g.centring])
        self.double = _hnf([tuple(2 * x for x in b) for b in self.lattice])
        self.operations = [(_rot(r), tuple(int(x) for x in s), 0)
                           for r, s in zip(g.rotations, g.shifts)]
        self.rotations = sorted({op[0] for op in self.operations})
        self.normalizer_rotations = sorted({_rot(a) for a, _ in g.normalizer})
        self._analyses: dict = {}

    # -- S1' / 2T(S): the classes -------------------------------------------
    @property
    def quotient(self) -> _AffineGroup:
        """Q = S1' / 2T(S)."""
        if not hasattr(self, "_quotient"):
            self._quotient = _AffineGroup(
                [(a, t, f) for a, t, _ in self.operations for f in (0, 1)], self.double)
        return self._quotient

    def _lattice_ops(self):
        return [(_IDENTITY, b, 0) for b in self.lattice]

    def t_subgroups(self) -> list[frozenset]:
        """The rotation sets of one t-subgroup per S-conjugacy class (the
        subgroups of the point group up to conjugacy)."""
        mats = {r: np.array(r).reshape(3, 3) for r in self.rotations}
        keys = list(mats)
        # every subgroup, by joining cyclic subgroups one at a time
        cyclic = {_closure([mats[k]]): k for k in keys}
        generators = {_closure([]): []}
        frontier = list(generators)
        while frontier:
            new = []
            for h in frontier:
                for c, k in cyclic.items():
                    if not c <= h:
                        j = _closure([mats[x] for x in generators[h] + [k]])
                        if j not in generators:
                            generators[j] = generators[h] + [k]
                            new.append(j)
            frontier = new
        subgroups = set(generators)
        classes, seen = [], set()
        for sub in sorted(subgroups, key=lambda s: (-len(s), sorted(s))):
            if sub in seen:
                continue
            for p in keys:
                pm = mats[p]
                pinv = np.round(np.linalg.inv(pm)).astype(np.int64)
                seen.add(frozenset(_rot(pm @ mats[k] @ pinv) for k in sub))
            classes.append(sub)
        return classes

    def classes(self) -> list[list[int]]:
        """The S1'-conjugacy classes of magnetic subgroups without theta over
        the t-subgroups of S, as lists of member masks in :attr:`quotient`."""
        Q = self.quotient
        theta = Q.index_of((_IDENTITY, (0, 0, 0), 1))
        found: list[int] = []
        for rotations in self.t_subgroups():
            ops = [op for op in self.operations if op[0] in rotations]
            H = Q.mask_of(ops + self._lattice_ops())
            gens = _generating_set(Q, [Q.index_of(op) for op in ops]
                                   + [Q.index_of(op) for op in self._lattice_ops()])
            for flags in product((0, 1), repeat=len(gens)):
                chosen = [Q.mul[g][theta] if f else g for g, f in zip(gens, flags)]
                M = Q.generated(chosen)
                if not M >> theta & 1 and M.bit_count() == H.bit_count():
                    found.append(M)
        return _orbits(Q, sorted(set(found)), _generating_set(Q, range(Q.n)))

    def mask_in_quotient(self, operations) -> int:
        """The subgroup of Q generated by M's operations (with T(S)'s
        translations as M has them); M must contain 2T(S)."""
        return self.quotient.mask_of(operations)

    def representative_operations(self, mask: int) -> list:
        """The elements of a subgroup of Q, with 2T(S), as operations."""
        Q = self.quotient
        return [Q.elements[a] for a in bits(mask)] + [(_IDENTITY, b, 0) for b in self.double]

    # -- one magnetic subgroup: its row ---------------------------------------
    def row(self, operations) -> dict:
        """The fields of MAGNETIC_SPACE_KEYS for M generated by
        ``operations`` ((A, t in grid units, theta flag); with a basis of its
        translations)."""
        Q = self.quotient
        try:
            M0 = Q.mask_of(operations)
        except KeyError:
            raise ValueError("M is not in S1'") from None
        theta = Q.index_of((_IDENTITY, (0, 0, 0), 1))
        if M0 >> theta & 1:
            raise ValueError("M contains theta")
        rotations = {Q.elements[a][0] for a in bits(M0)}
        chi = {}
        for a in bits(M0):
            r, t, f = Q.elements[a]
            if r == _IDENTITY:
                chi[t] = f
        # M is over a t-subgroup: every translation of T(S) is in M (with or
        # without theta); its order in Q is then |H / 2T(S)|
        if len(chi) != len(_coset_representatives(self.lattice, self.double)):
            raise ValueError("M's image is not a t-subgroup of S")
        theta_free = _hnf([t for t, f in chi.items() if not f] + list(self.double))
        magnetic_type = ("IV" if any(chi.values()) else
                         "III" if any(Q.elements[a][2] for a in bits(M0)) else "I")
        index = len(self.rotations) * 2 // len(rotations)
        row = {"index": index, "magnetic_type": magnetic_type}
        if not self._finite(theta_free):
            row.update(generalized_normalizer_is_normalizer=None, ideal=False,
                       exact_min_size=None, nonexact_min_size=None,
                       break_more_is_smaller=False, continuous=True)
            return row
        core = self._core(theta_free)
        G, S = self._group(core)
        M = G.mask_of(list(operations) + [(_IDENTITY, b, 0) for b in theta_free])
        assert M & ~S == 0 and S.bit_count() // M.bit_count() == index
        r = section3(G, S, M)
        exact, nonexact = r["exact"], r["nonexact"]
        row.update(generalized_normalizer_is_normalizer=r["nprime"] == G.full,
                   ideal=r["ideal"], exact_min_size=exact, nonexact_min_size=nonexact,
                   break_more_is_smaller=nonexact is not None and (
                       exact is None or nonexact < exact),
                   continuous=False)
        return row

    def _finite(self, theta_free) -> bool:
        """Whether every lattice translation of S along the polar directions
        is theta-free in M (S1' n C in M)."""
        if not self.polar:
            return True
        ranges = [range(0, GRID + 1) if i in self.polar else range(1) for i in range(3)]
        for v in product(*ranges):
            if _contains(self.lattice, v) and not _contains(theta_free, v):
                return False
        return True

    def _core(self, theta_free):
        """The intersection of A T(H0) over the rotation parts A of N."""
        reps = _coset_representatives(self.lattice, self.double)
        kept = []
        for x in reps:
            if all(_contains(theta_free, _apply(_inverse(a), x))
                   for a in self.normalizer_rotations):
                kept.append(x)
        return _hnf(kept + list(self.double))

    def _group(self, core):
        """F' = N / (L + V) x {1, theta} and S1' in it (once per L)."""
        if core not in self._analyses:
            quotient = _hnf(list(core) + [tuple(int(i == j) for j in range(3))
                                          for i in self.polar])
            elements = {(_rot(a), _reduce(x, quotient), f) for a, x in self.group.normalizer
                        for f in (0, 1)}
            G = _AffineGroup(sorted(elements), quotient)
            S = G.mask_of(self.operations + [(_IDENTITY, b, 0) for b in self.lattice]
                          + [(_IDENTITY, (0, 0, 0), 1)])
            assert all(G.conj_mask(S, g) == S for g in range(G.n)), "S1' not normal"
            self._analyses[core] = (G, S)
        return self._analyses[core]


def section3(G: "_Group", S: int, K: int) -> dict:
    """Section 3 for S (normal in G) and K <= S, literally: N' = {g : g K g^-1
    is S-conjugate to K} (= S N_G(K)); over the subgroups M of N' with M n S
    subconjugate to K (in S): the exact minimum of |N' : M| (M n S
    S-conjugate to K), the non-exact one, and whether an exact M has
    M S = N' (ideal).

    Every M may be taken to contain Z, the intersection of the S-conjugates
    of K (normal in N', inside each of them: M Z n S = (M n S) Z keeps the
    condition and |N' : M Z| <= |N' : M|), so the search runs in N' / Z, over
    the subgroups whose intersection with S / Z lies in a conjugate of K / Z
    (:func:`_subgroups`: the condition passes to subgroups)."""
    n = G.n
    s_members = bits(S)
    orbit = _orbits(G, [K], _generating_set(G, s_members))[0]
    k_generators = _generating_set(G, bits(K))
    if k_generators:
        inside = _bool(K, n)[G.conj_np[k_generators, :]].all(axis=0)
        normalizer = np.flatnonzero(inside)
    else:
        normalizer = np.arange(n)
    nprime = np.unique(G.mul_np[np.ix_(np.array(s_members), normalizer)])
    assert all(G.conj_mask(K, int(g)) in set(orbit) for g in nprime[:: max(1, len(nprime) // 16)])
    core = G.full
    for k in orbit:
        core &= k
    position = np.full(n, -1)
    position[nprime] = np.arange(len(nprime))
    local_mul = position[G.mul_np[np.ix_(nprime, nprime)]]
    label = local_mul[:, position[bits(core)]].min(axis=1)   # the coset g Z, by its least member
    reps, projection = np.unique(label, return_inverse=True)
    Q = _Group(projection[local_mul[np.ix_(reps, reps)]])

    def image(mask: int) -> int:
        return mask_of(set(projection[position[bits(mask)]].tolist()))

    Sq = image(S)
    targets = {image(k) for k in orbit}

    def allowed(mask: int) -> bool:
        inside = mask & Sq
        return any(inside & ~k == 0 for k in targets)

    found = _subgroups(Q, allowed)
    exact = nonexact = None
    ideal = False
    s_order = Sq.bit_count()
    for M in found:
        size = Q.n // M.bit_count()
        nonexact = size if nonexact is None else min(nonexact, size)
        inside = M & Sq
        if inside in targets:
            exact = size if exact is None else min(exact, size)
            if M.bit_count() * s_order // inside.bit_count() == Q.n:
                ideal = True
    return {"nprime": mask_of(nprime.tolist()), "exact": exact, "nonexact": nonexact,
            "ideal": ideal}


def _inverse(a) -> tuple[int, ...]:
    return _rot(np.round(np.linalg.inv(np.array(a).reshape(3, 3))).astype(np.int64))


def _closure(mats) -> frozenset:
    """The group the integer matrices generate, as rotation keys."""
    return frozenset(_rot(m) for m in np.rint(closure_matrices(mats)).astype(np.int64))


def _subgroups(G: TableGroup, allowed) -> list[int]:
    """Every subgroup of the solvable group G that satisfies ``allowed`` (a
    condition that passes to subgroups), by cyclic extensions: a subgroup
    U > 1 of a solvable group has a normal subgroup V with U / V cyclic (of
    prime order), so U = V<g> with g normalizing V, and V is found first."""
    found = {G.trivial: []}
    frontier = [G.trivial]
    mul = G.mul
    while frontier:
        new = []
        for h in frontier:
            generators = found[h]
            members = bits(h)
            if generators:   # N_G(h): q g q^-1 in h for each generator g
                normalizer = np.flatnonzero(
                    _bool(h, G.n)[G.conj_np[generators, :]].all(axis=0)).tolist()
            else:
                normalizer = range(G.n)
            covered = h
            for q in normalizer:
                if covered >> q & 1:
                    continue
                extension, x = h, q
                while not h >> x & 1:       # h<q>: the cosets x h, x = q^i
                    row = mul[x]
                    coset = 0
                    for y in members:
                        coset |= 1 << row[y]
                    extension |= coset
                    if x == q:
                        covered |= coset
                    x = mul[x][q]
                if extension not in found and allowed(extension):
                    found[extension] = generators + [q]
                    new.append(extension)
        frontier = new
    return list(found)


def _orbits(G: TableGroup, subgroups: list[int], generators: list[int]) -> list[list[int]]:
    """``subgroups`` partitioned by conjugacy in G (orbits by the generators)."""
    seen: set[int] = set()
    out = []
    for h in subgroups:
        if h in seen:
            continue
        orbit, frontier = {h}, [h]
        while frontier:
            new = []
            for x in frontier:
                for g in generators:
                    y = G.conj_mask(x, g)
                    if y not in orbit:
                        orbit.add(y)
                        new.append(y)
            frontier = new
        seen |= orbit
        out.append(sorted(orbit))
    return out


def _generating_set(G: TableGroup, elements) -> list[int]:
    """A subset of ``elements`` generating the same subgroup (greedy)."""
    chosen, current = [], G.trivial
    for a in elements:
        if not current >> a & 1:
            chosen.append(a)
            current = G.generated(chosen)
    return chosen


@lru_cache(maxsize=None)
def magnetic_space_twin(number: int) -> MagneticSpaceTwin:
    """The (cached) independent analysis of the grey group of type ``number``."""
    return MagneticSpaceTwin(number)


# ----------------------------------------------------------------------------
# Public entry points
# ----------------------------------------------------------------------------

def _grid(x) -> int:
    v = Fraction(x) * GRID
    if v.denominator != 1:
        raise ValueError(f"a translation {x} is not on the 1/{GRID} grid")
    return int(v)


def _operations_of(generators, flags) -> list:
    ops = []
    for m, f in zip(generators, flags):
        rows = [[Fraction(x) for x in row] for row in m]
        a = [[int(rows[i][j]) for j in range(3)] for i in range(3)]
        if any(rows[i][j] != a[i][j] for i in range(3) for j in range(3)):
            raise ValueError("a rotation part is not an integer matrix")
        ops.append((_rot(a), tuple(_grid(rows[i][3]) for i in range(3)), int(f)))
    return ops


def independent_magnetic_space_row(number: int, generators, flags) -> dict:
    """S1' -> M for the default setting of type ``number``: M given by affine
    4x4 generators (exact rationals, S's conventional coordinates) of its
    image H, a t-subgroup of S (with a basis of T(S) among them), and
    ``flags`` (1 where M's element carries theta).  Returns the fields of
    :data:`MAGNETIC_SPACE_KEYS` (sizes None, gnn None when continuous)."""
    return magnetic_space_twin(number).row(_operations_of(generators, flags))


def independent_magnetic_space_classes(number: int) -> list[list]:
    """One list of operations (A, t in 1/GRID units, flag) generating a
    member of each S1'-conjugacy class of magnetic subgroups without theta
    over the t-subgroups of S (types I, III, IV)."""
    twin = magnetic_space_twin(number)
    return [twin.representative_operations(members[0]) for members in twin.classes()]


def independent_magnetic_space_rows(number: int, names) -> tuple[list[dict], int]:
    """The table rows of the grey group of type ``number`` (default setting)
    for its class names (``SYMBOL (BNS) [a',b',c'; p]``, over t-subgroups),
    recomputed here: for each name the fields of :data:`MAGNETIC_SPACE_KEYS`
    of the member it describes, with ``subgroup_number`` (the BNS reference
    group) and ``class``, the position of its class among the classes
    enumerated here (None if it is none of them), or ``error`` when the name
    describes no magnetic subgroup of S1' over a t-subgroup; and the number
    of those classes.  A table lists each class once iff the ``class`` values are
    distinct and as many as the classes."""
    twin = magnetic_space_twin(number)
    classes = twin.classes()
    owner = {m: i for i, members in enumerate(classes) for m in members}
    rows = []
    for name in names:
        try:
            operations = magnetic_subgroup_from_name(number, name)
            row = twin.row(operations)
            row["class"] = owner.get(twin.mask_in_quotient(operations))
            row["subgroup_number"] = magnetic_space_group_type(_bns_number(name)).number
        except (ValueError, KeyError) as exc:   # a name that names no such subgroup
            row = {"error": str(exc) or type(exc).__name__, "class": None}
        rows.append(row)
    return rows, len(classes)


def _bns_number(name: str) -> str:
    m = re.search(r"\((?P<bns>[0-9]+\.[0-9]+)\)", name)
    if m is None:
        raise ValueError(f"cannot read the class name {name!r}")
    return m.group("bns")


def magnetic_subgroup_from_name(number: int, name: str) -> list:
    """The operations (A, t in 1/GRID units, flag) of the member of S1' that
    a class name ``SYMBOL (BNS) [a',b',c'; p]`` describes: the operations of
    the BNS setting (with its basis translations) carried into S's
    coordinates by x = P x' + p."""
    m = re.search(r"\[(?P<basis>[^;\]]*);(?P<origin>[^\]]*)\]\s*$", name)
    if m is None:
        raise ValueError(f"cannot read the class name {name!r}")
    record = magnetic_space_group_type(_bns_number(name))
    P = _basis_matrix(m.group("basis"))
    p = [Fraction(x.strip()) for x in m.group("origin").split(",")]
    Pinv = _inverse_fraction(P)
    ops = []
    rotations, translations, flags = record.operations()
    for w, t, f in zip(rotations, translations, flags):
        W = [[Fraction(int(x)) for x in row] for row in w]
        tt = [Fraction(float(x)).limit_denominator(96) for x in t]
        R = _mul(_mul(P, W), Pinv)
        shift = [sum(P[i][k] * tt[k] for k in range(3)) + p[i]
                 - sum(R[i][k] * p[k] for k in range(3)) for i in range(3)]
        ops.append((R, shift, int(f)))
    for i in range(3):  # the basis translations of the BNS cell
        ops.append(([[Fraction(int(r == c)) for c in range(3)] for r in range(3)],
                    [P[r][i] for r in range(3)], 0))
    out = []
    for R, t, f in ops:
        a = [[int(x) for x in row] for row in R]
        if any(R[i][j] != a[i][j] for i in range(3) for j in range(3)):
            raise ValueError(f"{name}: a rotation is not integral in S's basis")
        out.append((_rot(a), tuple(_grid(x) for x in t), f))
    return out


def _basis_matrix(text: str) -> list[list[Fraction]]:
    """Columns: the new basis vectors a', b', c' in terms of a, b, c."""
    vectors = [v.strip() for v in text.split(",")]
    if len(vectors) != 3:
        raise ValueError(f"cannot read the basis {text!r}")
    columns = []
    for v in vectors:
        coefficients = {"a": Fraction(0), "b": Fraction(0), "c": Fraction(0)}
        for sign, number, axis in re.findall(r"([+-]?)([0-9/]*)([abc])", v.replace(" ", "")):
            value = Fraction(number) if number else Fraction(1)
            coefficients[axis] += -value if sign == "-" else value
        columns.append([coefficients["a"], coefficients["b"], coefficients["c"]])
    return [[columns[j][i] for j in range(3)] for i in range(3)]


def _mul(a, b):
    return [[sum(a[i][k] * b[k][j] for k in range(3)) for j in range(3)] for i in range(3)]


def _inverse_fraction(m):
    (a, b, c), (d, e, f), (g, h, i) = m
    det = a * (e * i - f * h) - b * (d * i - f * g) + c * (d * h - e * g)
    if det == 0:
        raise ValueError("a singular basis")
    adj = [[e * i - f * h, c * h - b * i, b * f - c * e],
           [f * g - d * i, a * i - c * g, c * d - a * f],
           [d * h - e * g, b * g - a * h, a * e - b * d]]
    return [[x / det for x in row] for row in adj]
