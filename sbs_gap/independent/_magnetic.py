"""Magnetic point groups S' <= O(3) x {1, theta} without GAP (THEORY sections 2-4 and 9).

Elements are 4x4 matrices diag(R, tau), tau = -1 when the element carries theta
(time reversal: central, of order 2).  Input only from :mod:`sbs_gap.groups`
(``magnetic_point_group``: the elements of S' and its image P in O(3)).

The ambient group and its normalizer.  theta is central, so conjugating by (g, e)
is conjugating by g, and (g, e) normalizes S' iff g normalizes both P (the image)
and H (the unitary part, the elements without theta); theta always does:

    N(S') = (N_{O(3)}(P) n N_{O(3)}(H)) x {1, theta}.

Finite N_{O(3)}(P): found geometrically (:func:`._geometry.finite_normalizer`) and
cut down to the elements that normalize H.

Infinite N_{O(3)}(P) (P in C1, Ci, Cs, Cn, Cnh, S2n; THEORY section 4): the finite
model F of :func:`._pointgroups.infinite_model` ({+I, -I} for O(3), D_Mh about the
axis for D_inf_h) meets every component of N_{O(3)}(P) and F° = F n N° (N° = SO(3)
or SO(2) about the axis).  N° centralizes P, hence normalizes H, so each component
of N_{O(3)}(P) lies wholly inside N_{O(3)}(H) or outside it, and the model of N(S')
is (F n N(H)) x {1, theta} with identity part F° x {1}.  Everything of section 3
then runs in the component group (F n N(H)) x {1, theta} / F°:
- a finite equivariant SBS for (S', K) exists iff S' n N° <= K (S' n N° is normal in
  S', so "up to conjugacy" is plain containment); otherwise the sizes are None and
  the set is not ideal (it is a continuum);
- a subgroup M of N' with a finite orbit contains N'° = N°, and such M correspond to
  subgroups of the component group, with M n S' <-> image(M) n image(S') and the
  same indices, so the minima and the ideal test are computed there;
- N' = N(S') iff N' n model = model (N° <= N', and the model meets every component).

Section 3 is applied literally (:class:`._tables.BreakingAnalysis`: every subgroup M
of the generalized normalizer, filtered by the S'-class of M n S').  Nothing is
shared with the GAP path.
"""
from __future__ import annotations

from functools import cache

import numpy as np

from ..groups import magnetic_point_group
from ._geometry import ElementData, MatrixGroup, finite_normalizer, type_name
from ._pointgroups import infinite_model
from ._tables import BreakingAnalysis, TableGroup, bits, project

__all__ = ["element_key", "independent_magnetic_full", "independent_magnetic_partial",
           "independent_magnetic_orderings"]

MAGNETIC_PARTIAL_KEYS = ("subgroup_order", "index", "generalized_normalizer_is_normalizer",
                         "ideal", "exact_min_size", "nonexact_min_size",
                         "break_more_is_smaller")


def element_key(m) -> bytes:
    """The byte key of a 4x4 element: ``(np.round(m, 6) + 0.0).tobytes()``."""
    return (np.round(np.asarray(m, dtype=float), 6) + 0.0).tobytes()


def _block(r: np.ndarray, tau: float) -> np.ndarray:
    m = np.zeros((4, 4))
    m[:3, :3] = r
    m[3, 3] = tau
    return m


class _Group4(TableGroup):
    """A finite group of 4x4 orthogonal matrices (closed under products), with its
    multiplication table; elements sorted by key."""

    def __init__(self, mats):
        mats = np.asarray(mats, dtype=float)
        keys = [element_key(m) for m in mats]
        if len(set(keys)) != len(keys):
            raise AssertionError("repeated elements")
        order = sorted(range(len(mats)), key=lambda i: keys[i])
        self.mats = mats[order]
        self.keys = [keys[i] for i in order]
        self.index = {k: i for i, k in enumerate(self.keys)}
        n = len(self.mats)
        prods = np.einsum("aij,bjk->abik", self.mats, self.mats).reshape(n * n, 4, 4)
        flat = [self.index[element_key(p)] for p in prods]  # KeyError: not closed
        super().__init__([flat[a * n:(a + 1) * n] for a in range(n)],
                         self.index[element_key(np.eye(4))])

    def mask_of(self, mats) -> int:
        out = 0
        for m in mats:
            out |= 1 << self.index[element_key(m)]
        return out


def _normalizes(g: np.ndarray, keys: set, mats: np.ndarray) -> bool:
    return {element_key(g @ m @ g.T) for m in mats} == keys


class MagneticProblem:
    """The analysis of one magnetic point group S' in O(3) x {1, theta}."""

    def __init__(self, symbol):
        mpg = magnetic_point_group(symbol)
        self.name = mpg.name
        S4 = np.asarray(mpg.numpy_elements, dtype=float)
        P3 = np.asarray(mpg.point_group.numpy_elements, dtype=float)
        # the image P and the unitary part H, read off the 4x4 elements
        image = {element_key(m[:3, :3]): m[:3, :3] for m in S4}
        assert set(image) == {element_key(r) for r in P3}, "P is not the image of S'"
        H3 = np.array([m[:3, :3] for m in S4 if m[3, 3] > 0])
        h_keys = {element_key(r) for r in H3}
        p_keys = set(image)
        P = MatrixGroup(P3)
        data = ElementData(P)
        nmats = finite_normalizer(P, data)
        if nmats is not None:
            base, identity_part = list(nmats), []
        else:
            model = infinite_model(P, data)
            base = list(model.F.mats)
            identity_part = [model.F.mats[a] for a in bits(model.Fo)]
        # N_{O(3)}(P) n N_{O(3)}(H) (in the model), checked to normalize P as well
        keep = [g for g in base if _normalizes(g, p_keys, P3) and _normalizes(g, h_keys, H3)]
        self.G = G = _Group4([_block(g, t) for g in keep for t in (1.0, -1.0)])
        self.S = S = G.mask_of(S4)
        assert all(G.conj_mask(S, g) == S for g in range(G.n)), "S' not normal"
        self.analysis_G = BreakingAnalysis(G, S)
        self.finite = nmats is not None
        if self.finite:
            self.Go = G.trivial
        else:
            self.Go = G.mask_of([_block(r, 1.0) for r in identity_part])
            for a in bits(self.Go):           # the identity part centralizes S'
                assert all(G.mul[a][s] == G.mul[s][a] for s in bits(S))
            self.Q, self.proj = G.quotient(self.Go)
            self.analysis_Q = BreakingAnalysis(self.Q, project(S, self.proj))

    def analyse(self, K: int) -> dict:
        """The section 2-4 fields for the subgroup K of S' (a mask in G)."""
        G, S = self.G, self.S
        k = K.bit_count()
        gnn = self.analysis_G.generalized_normalizer(K) == G.full
        if self.finite:
            r = self.analysis_G.analyse(K)
        elif S & self.Go & ~K:                 # S' n N° not in K: only infinite sets
            r = {"exact": None, "nonexact": None, "ideal": False}
        else:
            r = self.analysis_Q.analyse(project(K, self.proj))
        exact, nonexact = r["exact"], r["nonexact"]
        bmis = nonexact is not None and (exact is None or nonexact < exact)
        values = (k, S.bit_count() // k, gnn, r["ideal"], exact, nonexact, bmis)
        return dict(zip(MAGNETIC_PARTIAL_KEYS, values))

    def partial(self) -> list[dict]:
        rows = []
        for members in self.analysis_G.s_classes:
            K = members[0]
            row = self.analyse(K)
            row["elements"] = frozenset(self.G.keys[a] for a in bits(K))
            rows.append(row)
        rows.sort(key=lambda row: row["subgroup_order"])
        return rows

    def full(self) -> dict:
        r = self.analyse(self.G.trivial)
        return {"group": self.name, "order": self.S.bit_count(),
                "normalizer_order": self.G.n if self.finite else None,
                "normalizer_finite": self.finite, "ideal": r["ideal"],
                "min_size": r["exact_min_size"]}


@cache
def _problem(symbol) -> MagneticProblem:
    return MagneticProblem(symbol)


def independent_magnetic_partial(symbol) -> list[dict]:
    """One row per S'-conjugacy class of subgroups K of the magnetic point group
    ``symbol`` (a symbol, or a :class:`sbs_gap.groups.MagneticPointGroup`: the
    type-I groups have no primed symbol): subgroup_order, index, generalized_normalizer_is_normalizer, ideal,
    exact_min_size, nonexact_min_size (None when every equivariant SBS is
    infinite), break_more_is_smaller, and ``elements``: the byte keys
    (:func:`element_key`) of the 4x4 elements of one member of the class."""
    return [dict(row) for row in _problem(symbol).partial()]


def independent_magnetic_full(symbol) -> dict:
    """Full breaking (K = 1) of the magnetic point group ``symbol``: group, order,
    normalizer_order (|N(S')|, None when infinite), normalizer_finite, ideal,
    min_size (None when every equivariant full SBS is infinite)."""
    return dict(_problem(symbol).full())


_THETA = element_key(np.diag([1.0, 1.0, 1.0, -1.0]))


def independent_magnetic_orderings(symbol) -> list[dict]:
    """The rows of :func:`independent_magnetic_partial` whose class does not
    contain theta (the magnetic orderings of a grey group: types I and III),
    each with ``subgroup_type`` in Schoenflies' magnetic notation, derived
    here from the members' elements (``D4h`` without primed elements,
    ``D4h(C4h)``: the image and its theta-free half), and
    ``time_reversal_kept`` (False)."""
    rows = []
    for row in independent_magnetic_partial(symbol):
        if _THETA in row["elements"]:
            continue
        mats = [np.frombuffer(k).reshape(4, 4) for k in row["elements"]]
        image = type_name([m[:3, :3] for m in mats])
        unitary = [m[:3, :3] for m in mats if m[3, 3] > 0]
        row["subgroup_type"] = image if len(unitary) == len(mats) else \
            f"{image}({type_name(unitary)})"
        row["time_reversal_kept"] = False
        rows.append(row)
    return rows
