"""Point groups S < O(3): full and partial breaking without GAP.

Finite normalizer: N = N_{O(3)}(S) is found geometrically
(:func:`._geometry.finite_normalizer`) and everything is enumerated in N.

Infinite normalizer (docs/theory.md section 4): a finite model F of N that meets
every component is used, F° = F n N° is normal in F and the factor group
F/F° = N/N° carries the reduced problem:
- S in {+I, -I} (C1, Ci): N = O(3), N° = SO(3), F = {+I, -I}, F° = 1;
- otherwise (Cs, Cn, Cnh, S2n): N = D_inf_h about the axis u, N° = SO(2) about u,
  F = D_Mh about u with M = 2 lcm(element orders of S), F° = its rotations about u.
A finite equivariant SBS for (S, K) exists iff S n F° <= K (S n N° is normal in S);
then sizes are indices in F/F°.  The generalized normalizer N' is computed in F:
N' = N iff N' n F = F, since N° <= N' and F N° = N.
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from ..groups import point_group
from ._geometry import (
    ElementData, MatrixGroup, closure_matrices, finite_normalizer, label_family, mat_key, type_name,
)
from ._tables import BreakingAnalysis, TableGroup, bits, project

__all__ = ["independent_full", "independent_partial", "infinite_model"]

FULL_KEYS = ("group", "order", "normalizer", "normalizer_order", "normalizer_finite", "ideal",
             "min_size", "complement")
PARTIAL_KEYS = ("group", "subgroup", "subgroup_order", "index",
                "generalized_normalizer_is_normalizer", "ideal", "exact_min_size",
                "nonexact_min_size", "break_more_is_smaller")


@lru_cache(maxsize=None)
def _matrix_group(key: frozenset, elems_bytes: bytes) -> MatrixGroup:
    return MatrixGroup(np.frombuffer(elems_bytes).reshape(-1, 3, 3))


def _cached_group(elems: np.ndarray) -> MatrixGroup:
    """One MatrixGroup (with its subgroup lattice) per set of matrices."""
    elems = np.ascontiguousarray(elems, dtype=float)
    key = frozenset(mat_key(m) for m in elems)
    return _matrix_group(key, elems.tobytes())


@dataclass
class _Infinite:
    kind: str                  # "O(3)" or "Dinfh"
    F: MatrixGroup
    Fo: int                    # mask of F n N°
    Q: TableGroup              # F / F°
    proj: list[int]
    coset_type: list[str]      # per element of Q
    axis: np.ndarray | None


def _rotation(axis_frame: np.ndarray, angle: float) -> np.ndarray:
    c, s = math.cos(angle), math.sin(angle)
    local = np.array([[c, -s, 0], [s, c, 0], [0, 0, 1]])
    return axis_frame @ local @ axis_frame.T


def infinite_model(S: MatrixGroup, data: ElementData) -> _Infinite:
    proper_axis = [data.dir[a] for a in range(S.n) if data.dir[a] is not None]
    if not proper_axis:                                   # S <= {+I, -I}
        F = MatrixGroup(np.array([np.eye(3), -np.eye(3)]))
        Fo = F.mask_of_matrices([np.eye(3)])
        Q, proj = F.quotient(Fo)
        ctype = ["?"] * Q.n
        for a in range(F.n):
            ctype[proj[a]] = "+" if F.det[a] > 0 else "-"
        return _Infinite("O(3)", F, Fo, Q, proj, ctype, None)
    u = proper_axis[0]
    helper = np.array([1.0, 0, 0]) if abs(u[0]) < 0.9 else np.array([0, 1.0, 0])
    e1 = np.cross(u, helper)
    e1 /= np.linalg.norm(e1)
    e2 = np.cross(u, e1)
    frame = np.column_stack([e1, e2, u])
    lcm = 1
    for a in range(S.n):
        lcm = lcm * data.order[a] // math.gcd(lcm, data.order[a])
    M = 2 * lcm
    twofold = frame @ np.diag([1.0, -1, -1]) @ frame.T
    sigma_h = frame @ np.diag([1.0, 1, -1]) @ frame.T
    F = MatrixGroup(closure_matrices([_rotation(frame, 2 * math.pi / M), twofold, sigma_h]))
    assert all(F.find(m) is not None for m in S.mats), "model does not contain S"
    types = []
    for a in range(F.n):
        proper = F.det[a] > 0
        keeps = float(u @ F.mats[a] @ u) > 0
        types.append({(True, True): "rot", (True, False): "c2", (False, True): "v",
                      (False, False): "h"}[(proper, keeps)])
    Fo = sum(1 << a for a in range(F.n) if types[a] == "rot")
    Q, proj = F.quotient(Fo)
    ctype = ["?"] * Q.n
    for a in range(F.n):
        ctype[proj[a]] = types[a]
    return _Infinite("Dinfh", F, Fo, Q, proj, ctype, u)


def _infinite_complement_name(model: _Infinite, Mq: int) -> str:
    kinds = frozenset(model.coset_type[q] for q in bits(Mq))
    if model.kind == "O(3)":
        return "O(3)" if "-" in kinds else "SO(3)"
    return {frozenset({"rot"}): "Cinf", frozenset({"rot", "c2"}): "Dinf",
            frozenset({"rot", "h"}): "Cinfh", frozenset({"rot", "v"}): "Cinfv",
            frozenset({"rot", "c2", "v", "h"}): "Dinfh"}[kinds]


class PointGroupProblem:
    def __init__(self, name: str):
        pg = point_group(name)
        self.name = pg.schoenflies
        gens = pg.numpy_generators
        self.S = MatrixGroup(closure_matrices(list(gens)))
        self.data = ElementData(self.S)
        # subgroup classes of S (S-conjugacy), named
        S = self.S
        self.classes = S.classes_under(S.all_subgroups, S.full)
        types = [type_name(S.mats[bits(c[0])]) for c in self.classes]
        count: dict[str, int] = {}
        for t in types:
            count[t] = count.get(t, 0) + 1
        self.class_names = []
        for members, t in zip(self.classes, types):
            fam = label_family(t)
            if count[t] > 1 and fam is not None:
                label = self.data.label([bits(m) for m in members], fam)
                self.class_names.append(f"{t}[{label}]")
            else:
                self.class_names.append(t)
        assert len(set(self.class_names)) == len(self.class_names), self.class_names
        # the ambient model
        nmats = finite_normalizer(S, self.data)
        if nmats is not None:
            self.N = _cached_group(nmats)
            self.infinite = None
            self.analysis = BreakingAnalysis(self.N, self.N.mask_of_matrices(S.mats))
        else:
            self.N = None
            self.infinite = model = infinite_model(S, self.data)
            self.S_F = model.F.mask_of_matrices(S.mats)
            self.analysis_F = BreakingAnalysis(model.F, self.S_F)
            self.S_Q = project(self.S_F, model.proj)
            self.analysis_Q = BreakingAnalysis(model.Q, self.S_Q)

    def _to_ambient(self, K_in_S: int) -> int:
        G = self.N if self.N is not None else self.infinite.F
        return G.mask_of_matrices(self.S.mats[bits(K_in_S)])

    def breaking(self, K_in_S: int, want_complements: bool = False) -> dict:
        """gnn, ideal, exact, nonexact and complement-like subgroups for K."""
        K = self._to_ambient(K_in_S)
        if self.N is not None:
            r = self.analysis.analyse(K, want_complements)
            r["gnn"] = r["nprime"] == self.N.full
            r["names"] = sorted(type_name(self.N.mats[bits(M)]) for M in r["ideal_subgroups"])
            return r
        model = self.infinite
        gnn = self.analysis_F.generalized_normalizer(K) == model.F.full
        if self.S_F & model.Fo & ~K:
            return dict(gnn=gnn, exact=None, nonexact=None, ideal=False, names=[])
        r = self.analysis_Q.analyse(project(K, model.proj), want_complements)
        r["gnn"] = gnn
        r["names"] = sorted(_infinite_complement_name(model, M) for M in r["ideal_subgroups"])
        return r

    def full(self) -> dict:
        r = self.breaking(self.S.trivial, want_complements=True)
        if self.N is not None:
            normalizer, norder = type_name(self.N.mats), self.N.n
        else:
            normalizer, norder = self.infinite.kind, None
        values = (self.name, self.S.n, normalizer, norder, self.N is not None, r["ideal"],
                  r["exact"], r["names"][0] if r["names"] else None)
        return dict(zip(FULL_KEYS, values))

    def partial(self) -> list[dict]:
        rows = []
        for members, cname in zip(self.classes, self.class_names):
            K = members[0]
            r = self.breaking(K)
            exact, nonexact = r["exact"], r["nonexact"]
            bmis = exact is not None and nonexact is not None and nonexact < exact
            values = (self.name, cname, K.bit_count(), self.S.n // K.bit_count(), r["gnn"],
                      r["ideal"], exact, nonexact, bmis)
            rows.append(dict(zip(PARTIAL_KEYS, values)))
        rows.sort(key=lambda row: (row["subgroup_order"], row["subgroup"]))
        return rows


@lru_cache(maxsize=None)
def _problem(canonical: str) -> PointGroupProblem:
    return PointGroupProblem(canonical)


def point_group_problem(name: str) -> PointGroupProblem:
    """The independent engine's analysis of one point group (cached)."""
    return _problem(point_group(name).schoenflies)


def independent_full(name: str) -> dict:
    """Full breaking (K = 1) of the point group ``name`` in O(3); keys as ``sbs full --json``."""
    return point_group_problem(name).full()


def independent_partial(name: str) -> list[dict]:
    """One row per S-conjugacy class of subgroups K of S; keys as ``sbs partial --json``."""
    return point_group_problem(name).partial()
