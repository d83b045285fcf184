"""Independent brute force for small finite groups (pure Python, no GAP).

Enumerates every subgroup of the generalized normalizer and applies the
definitions of docs/theory.md sections 2-3 literally, sharing no logic with the
GAP path (which reduces to N_{N'}(K)/K).
"""
from __future__ import annotations



def _compose(p, q):  # first p, then q (GAP's convention for permutations)
    return tuple(q[i] for i in p)


def _inverse(p):
    inv = [0] * len(p)
    for i, x in enumerate(p):
        inv[x] = i
    return tuple(inv)


def closure(gens, identity):
    elems = {identity}
    frontier = [identity]
    while frontier:
        new = []
        for a in frontier:
            for g in gens:
                b = _compose(a, g)
                if b not in elems:
                    elems.add(b)
                    new.append(b)
        frontier = new
    return frozenset(elems)


def perm_from_images(images, degree):
    full = list(images) + list(range(len(images) + 1, degree + 1))
    return tuple(x - 1 for x in full)


def all_subgroups(group, identity):
    cyclic = {closure([g], identity) for g in group}
    subgroups = set(cyclic)
    frontier = set(cyclic)
    while frontier:
        new = set()
        for h in frontier:
            for c in cyclic:
                if not c <= h:
                    j = closure(list(h | c), identity)
                    if j not in subgroups:
                        new.add(j)
        subgroups |= new
        frontier = new
    return subgroups


def conjugate(h, g):
    gi = _inverse(g)
    return frozenset(_compose(_compose(gi, x), g) for x in h)


def analyse(ambient, S, K, identity):
    """Returns dict(ideal, exact, nonexact, normalizer_order, nprime_order, full_ideal)."""
    N = frozenset(g for g in ambient if conjugate(S, g) == S)
    class_K = {conjugate(K, s) for s in S}
    nprime = frozenset(g for g in N if conjugate(K, g) in class_K)
    subs = [M for M in all_subgroups(nprime, identity)]
    exact = [len(nprime) // len(M) for M in subs if (M & S) in class_K]
    nonexact = [len(nprime) // len(M) for M in subs
                if any((M & S) <= k for k in class_K)]
    ideal = any((M & S) in class_K and len(M) * len(S) // len(M & S) == len(nprime)
                for M in subs)
    return dict(ideal=ideal, exact=min(exact), nonexact=min(nonexact),
                normalizer_order=len(N), nprime_order=len(nprime))
