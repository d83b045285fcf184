"""Finite permutation groups: the same rows as the problem-file engine, without GAP."""
from __future__ import annotations

import re

from ._pointgroups import FULL_KEYS, PARTIAL_KEYS
from ._tables import BreakingAnalysis, TableGroup, bits, mask_of

__all__ = ["independent_problem_rows"]


def as_images(p, degree_hint: int = 0) -> tuple[int, ...]:
    """A permutation as a tuple of 0-based images.

    Accepts a tuple/list of 0-based images or a string in cycle notation with
    1-based points, e.g. ``"(1,2,3)(4,5)"``.
    """
    if isinstance(p, str):
        cycles = [[int(x) - 1 for x in c.split(",") if x.strip()]
                  for c in re.findall(r"\(([^()]*)\)", p)]
        top = max([x + 1 for c in cycles for x in c] + [degree_hint])
        img = list(range(top))
        for c in cycles:
            for i, x in enumerate(c):
                img[x] = c[(i + 1) % len(c)]
        return tuple(img)
    return tuple(int(x) for x in p)


def _pad(p: tuple[int, ...], degree: int) -> tuple[int, ...]:
    return p + tuple(range(len(p), degree))


def _compose(p, q):  # first p, then q
    return tuple(q[i] for i in p)


def _closure(gens, identity):
    elems = [identity]
    seen = {identity}
    for a in elems:  # grows while iterating
        for g in gens:
            b = _compose(a, g)
            if b not in seen:
                seen.add(b)
                elems.append(b)
    return elems


def problem_analysis(ambient_perms, group_perms):
    """The analysis of S = <group_perms> inside G = <ambient_perms>, once:
    returns (full row, analyse) with ``analyse(target_perms)`` the partial
    row of the target's class (see :func:`independent_problem_rows`)."""
    raw = [as_images(p) for p in list(ambient_perms) + list(group_perms)]
    degree = max([len(p) for p in raw] + [1])
    norm = lambda ps: [_pad(as_images(p), degree) for p in ps]  # noqa: E731
    identity = tuple(range(degree))
    elems = _closure(norm(ambient_perms), identity)
    index = {p: i for i, p in enumerate(elems)}
    mul = [[index[_compose(a, b)] for b in elems] for a in elems]
    G = TableGroup(mul, 0)
    S = G.generated([index[p] for p in norm(group_perms)])
    # N = N_G(S), the ambient group of the analysis
    N_elems = [g for g in range(G.n) if G.conj_mask(S, g) == S]
    pos = {g: i for i, g in enumerate(N_elems)}
    N = TableGroup([[pos[G.mul[a][b]] for b in N_elems] for a in N_elems], pos[G.e])
    to_n = lambda m: mask_of(pos[g] for g in bits(m))  # noqa: E731
    analysis = BreakingAnalysis(N, to_n(S))
    order = S.bit_count()
    full = analysis.analyse(N.trivial)
    full_row = dict(zip(FULL_KEYS, (None, order, None, N.n, True, full["ideal"], full["exact"],
                                    None)))

    def row_of(K: int) -> dict:
        r = analysis.analyse(K)
        k = K.bit_count()
        bmis = r["nonexact"] is not None and r["exact"] is not None and r["nonexact"] < r["exact"]
        return dict(zip(PARTIAL_KEYS, (None, None, k, order // k, r["nprime"] == N.full,
                                       r["ideal"], r["exact"], r["nonexact"], bmis)))

    def analyse(target_perms) -> dict:
        return row_of(to_n(G.generated([index[p] for p in norm(target_perms)])))

    analyse.class_representatives = lambda: [row_of(members[0])  # noqa: E731
                                             for members in analysis.s_classes]
    return full_row, analyse


def independent_problem_rows(ambient_perms, group_perms, target_perms_or_None=None):
    """(full, partial rows) for S = <group_perms> inside G = <ambient_perms>.

    Permutations are 0-based image tuples or 1-based cycle strings.  The rows carry
    the keys of ``sbs full --json`` / ``sbs partial --json``; names (group,
    normalizer, subgroup, complement) are None.  Partial rows: one per S-class of
    subgroups of S, or only the target's class when a target is given.
    """
    full_row, analyse = problem_analysis(ambient_perms, group_perms)
    if target_perms_or_None is not None:
        rows = [analyse(target_perms_or_None)]
    else:
        rows = analyse.class_representatives()
    rows.sort(key=lambda row: row["subgroup_order"])
    return full_row, rows
