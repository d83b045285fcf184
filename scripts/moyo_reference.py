"""Write tests/data/moyo_reference.json: subgroup classes and Euclidean normalizers from moyo.

Run with the separate virtual environment that has ``moyopy`` (not the project's)::

    /tmp/moyovenv/bin/python scripts/moyo_reference.py [--out PATH] [--groups 1-230]

Only ``moyopy`` and the standard library are used (exact arithmetic with
``fractions.Fraction``).  The output is deterministic: fixed lattice parameters,
fixed pseudo-random seeds (``random.Random(int)``), every list sorted, JSON
written with sorted keys.

Where the data comes from
-------------------------
moyopy (Python binding of the Rust library moyo, https://github.com/spglib/moyo),
version recorded under "source".

* Setting: ``moyopy.operations_from_number(n)`` uses ``Setting.standard()``
  ("unique axis b, cell choice 1 for monoclinic, hexagonal axes for
  rhombohedral, origin choice 2 for centrosymmetric space groups"); this script
  asserts that the default and ``Setting.standard()`` give identical operations
  for every n.  That is the setting sbs_gap uses.
* t-subgroups: ``enumerate_translationengleiche_subgroups(prim_rot, prim_tr)``
  on the primitive operations of S (``operations_from_number(n, primitive=True)``).
  It returns one object per S-conjugacy class (``.representative``,
  ``.conjugates`` = every distinct conjugate, representative first), including
  S itself (index 1, depth 0) and the translation subgroup P1.
  ``representative.depth`` = shortest covering-chain length from S, so depth 1
  means maximal t-subgroup.
* k-subgroups: ``enumerate_klassengleiche_subgroups_by_index(prim_rot, prim_tr, i)``
  returns one object per S-conjugacy class of k-subgroups of index i, for every
  point-group invariant sublattice of index i (ALL of them, maximal or not;
  conjugation is by all of S, lattice translations included).
  ``representative.transformation`` = 3x3 integer matrix whose columns
  generate the sublattice in the primitive basis of S;
  ``representative.operations`` = coset representatives in that sublattice basis.
  moyo does not flag maximality; it is computed here (see "k_detail").
* Subgroup type: identified twice, (A) ``moyopy.SpaceGroup(rot, tr, basis=...)``
  on the subgroup's operations, with the Cartesian basis of its primitive
  lattice taken from the generic metric of S (so handedness, hence
  enantiomorphic pairs, is fixed), and (B) ``MoyoDataset`` on a structure made
  of three general orbits (atomic numbers 1, 2, 3) of the subgroup.  Entries
  where A and B disagree are listed in "failures" (none in the committed run).
* Euclidean normalizer: ``MoyoDataset(cell).normalizer_wyckoff_positions()`` for
  a structure made of three general orbits of S on a lattice with the generic
  metric of S's crystal family (parameters in "note"); moyo computes N_E for the
  metric of the (refined) input lattice.
"""

from __future__ import annotations

import argparse
import json
import math
import random
import sys
import time
from fractions import Fraction
from pathlib import Path

import moyopy

EPS = 1e-6
SEEDS = (11, 23, 37)  # one general orbit per seed, atomic numbers 1, 2, 3
CONV_PARAMS = {  # (a, b, c, alpha, beta, gamma) of the conventional cell
    "triclinic": (4.13, 5.71, 6.37, 78.3, 84.9, 97.7),
    "monoclinic": (4.13, 5.71, 6.37, 90.0, 104.3, 90.0),
    "orthorhombic": (4.13, 5.71, 6.37, 90.0, 90.0, 90.0),
    "tetragonal": (4.13, 4.13, 6.37, 90.0, 90.0, 90.0),
    "hexagonal": (4.13, 4.13, 6.37, 90.0, 90.0, 120.0),
    "cubic": (4.13, 4.13, 4.13, 90.0, 90.0, 90.0),
}

NOTE = (
    "Reference data computed with moyopy (Rust library moyo) by scripts/moyo_reference.py. "
    "Setting: moyo's default = Setting.standard() = unique axis b, cell choice 1, hexagonal axes "
    "for R groups, origin choice 2 (asserted identical to the default for all n); this is the "
    "setting sbs_gap uses. "
    "'t': one entry [ITA number of subgroup type, index [S:H], size of the S-conjugacy class] per "
    "S-conjugacy class of translationengleiche subgroups H (S itself with index 1 and P1 included); "
    "sorted. "
    "'t_maximal': same entries restricted to maximal t-subgroups (moyo depth == 1). "
    "'k': {'2','3','4'}: one entry [ITA number, index] per S-conjugacy class of klassengleiche "
    "subgroups of that index (ALL, maximal or not; isomorphic ones included); sorted, duplicates kept "
    "(one per class). 'k_maximal': same restricted to maximal ones. Maximality is NOT given by moyo; it "
    "is computed here: a k-subgroup H with lattice L_H of index i in L_S is maximal iff no "
    "point-group-invariant lattice lies strictly between (then H*T(L') is an intermediate group and "
    "conversely every intermediate group is a k-subgroup with such a lattice). Index 2, 3: always "
    "maximal. Index 4: non-maximal iff some c in (Z/2)^3\\0 has c.T = 0 mod 2 (columns of the "
    "sublattice matrix T) and c.R = c mod 2 for every primitive rotation R. "
    "'k_detail': per index, [ITA number, index, class size, maximal (0/1), sublattice matrix T of the "
    "representative (columns = sublattice basis in the primitive basis of S, moyo's "
    "representative.transformation)]. "
    "'normalizer': Euclidean normalizer N_E(S) of the generic metric of S's crystal family, from "
    "MoyoDataset.normalizer_wyckoff_positions(primitive=False) on a structure of three general "
    "orbits of S. 'count' = number of operations of N_E(S) modulo T(S) (the full lattice of S, "
    "centring translations included) and modulo the continuous translations of polar groups "
    "(moyo drops the continuous directions and keeps the discrete translation part, solutions of "
    "(W-I)p in Z^3 mod Z^3 and mod the continuous subspace), i.e. count = |N_E(S) : T(S)| for "
    "non-polar S and |N_E(S) : T(S)+R^d| for polar S (d = 'continuous_dim', computed here as the "
    "dimension of the common fixed space of the rotations of S, not by moyo). "
    "count / |S:T(S)| = index [N_E(S):S] for non-polar S (ITA 15.2 convention). "
    "'count_chirality_preserving' = same with preserve_chirality=True (det +1 linear parts only). "
    "'translations' = number of pure translations in N_E(S) mod T(S) (and mod continuous part), "
    "i.e. |T(N_E):T(S)| for non-polar S. 'linear_parts' = number of distinct linear parts P = "
    "order of the point group of N_E(S) = count / translations = |N_E(S) : T(N_E(S))|. "
    "'index_in_normalizer' = count / |S:T(S)| (as a fraction string). "
    "'operations' = the operations (P, p), x -> P x + p, in the conventional ITA basis of the "
    "standard setting, p as exact fractions reduced mod 1 (a set closed under inverses, so the "
    "direction convention of moyo's UnimodularTransformation does not matter); each is checked "
    "here to normalize S (mod T(S)) and to preserve the metric. "
    "'lattice' = conventional cell parameters used (a,b,c,alpha,beta,gamma, Angstrom/degrees). "
    "Subgroup types are identified by moyopy.SpaceGroup with the generic-metric basis, and "
    "checked against MoyoDataset on a 3-orbit structure (any disagreement would be listed under "
    "'failures'). Cross-check done once outside this script (not part of it): an independent "
    "brute-force enumeration (subgroups of the point group for 't'; complements of L/L' in S/L' "
    "over all invariant sublattices L' of index 2, 3, 4 for 'k', conjugacy under S/L') gave the "
    "same [type, index, class size] multisets for all 230 groups. "
    "Known differences from tests/data/bilbao_maximal.json (pyxtal copy of Bilbao MAXSUB), "
    "where this data is believed right: I422 (97) has the maximal t-subgroup F222 (22) "
    "(a-b,a+b,c), missing there; among the maximal index-3 k-subgroups on the 3x-larger "
    "hexagonal cell (a' = a-b, b' = a+2b, c' = c) that file lists one subgroup fewer for 19 "
    "groups (147, 149, 168, 171-173, 175-184, 187, 191, 192: 2 of the 3 conjugates, or 8 of 9 "
    "for 149 and 187) and none of the three (normal) ones of P3_2 (145)."
)


# --------------------------------------------------------------------------- linear algebra

def frac(x: float, max_den: int = 48) -> Fraction:
    f = Fraction(x).limit_denominator(max_den)
    if abs(float(f) - x) > 1e-6:
        raise ValueError(f"not a simple fraction: {x}")
    return f


def mat_mul(a, b):
    return [[sum(a[i][k] * b[k][j] for k in range(len(b))) for j in range(len(b[0]))]
            for i in range(len(a))]


def mat_vec(a, v):
    return [sum(a[i][k] * v[k] for k in range(len(v))) for i in range(len(a))]


def transpose(a):
    return [list(r) for r in zip(*a)]


def det3(m):
    return (m[0][0] * (m[1][1] * m[2][2] - m[1][2] * m[2][1])
            - m[0][1] * (m[1][0] * m[2][2] - m[1][2] * m[2][0])
            + m[0][2] * (m[1][0] * m[2][1] - m[1][1] * m[2][0]))


def inv3(m):
    m = [[Fraction(x) for x in r] for r in m]
    d = det3(m)
    if d == 0:
        raise ValueError("singular")
    cof = [[(m[(i + 1) % 3][(j + 1) % 3] * m[(i + 2) % 3][(j + 2) % 3]
             - m[(i + 1) % 3][(j + 2) % 3] * m[(i + 2) % 3][(j + 1) % 3]) for j in range(3)]
           for i in range(3)]
    return [[cof[j][i] / d for j in range(3)] for i in range(3)]


def rank(rows) -> int:
    rows = [[Fraction(x) for x in r] for r in rows]
    r = 0
    ncol = len(rows[0]) if rows else 0
    for c in range(ncol):
        piv = next((i for i in range(r, len(rows)) if rows[i][c] != 0), None)
        if piv is None:
            continue
        rows[r], rows[piv] = rows[piv], rows[r]
        for i in range(len(rows)):
            if i != r and rows[i][c] != 0:
                f = rows[i][c] / rows[r][c]
                rows[i] = [a - f * b for a, b in zip(rows[i], rows[r])]
        r += 1
    return r


def mod1(v):
    return tuple(x - math.floor(x) for x in v)


# --------------------------------------------------------------------------- lattices

def family(n: int) -> str:
    if n <= 2:
        return "triclinic"
    if n <= 15:
        return "monoclinic"
    if n <= 74:
        return "orthorhombic"
    if n <= 142:
        return "tetragonal"
    if n <= 194:
        return "hexagonal"
    return "cubic"


def cart_basis(params):
    """Rows = Cartesian a, b, c."""
    a, b, c, al, be, ga = params
    al, be, ga = (math.radians(x) for x in (al, be, ga))
    va = [a, 0.0, 0.0]
    vb = [b * math.cos(ga), b * math.sin(ga), 0.0]
    cx = c * math.cos(be)
    cy = c * (math.cos(al) - math.cos(be) * math.cos(ga)) / math.sin(ga)
    cz = math.sqrt(c * c - cx * cx - cy * cy)
    return [va, vb, [cx, cy, cz]]


def combine_rows(rows, mat):
    """Rows of new basis: new_j = sum_i mat[i][j] * rows[i] (mat columns = new vectors)."""
    return [[sum(float(mat[i][j]) * rows[i][k] for i in range(3)) for k in range(3)]
            for j in range(3)]


def metric(rows):
    return [[sum(rows[i][k] * rows[j][k] for k in range(3)) for j in range(3)] for i in range(3)]


# --------------------------------------------------------------------------- structures

def orbit_cell(basis_rows, rotations, translations, seeds=SEEDS):
    """Three general orbits (atomic numbers 1, 2, 3) of the given operations, in basis_rows."""
    positions, numbers = [], []
    for z, seed in enumerate(seeds, start=1):
        rnd = random.Random(seed)
        x = [0.05 + 0.9 * rnd.random() for _ in range(3)]
        seen = []
        for r, t in zip(rotations, translations):
            y = mod1([sum(r[i][j] * x[j] for j in range(3)) + t[i] for i in range(3)])
            if any(max(min(abs(a - b), 1 - abs(a - b)) for a, b in zip(y, s)) < 1e-8 for s in seen):
                continue
            seen.append(y)
        positions.extend([list(p) for p in seen])
        numbers.extend([z] * len(seen))
    return moyopy.Cell(basis_rows, positions, numbers)


def identify(rotations, translations, basis_rows):
    """(A) SpaceGroup identification with basis, (B) MoyoDataset on a 3-orbit structure."""
    a = moyopy.SpaceGroup(rotations, translations, basis=basis_rows,
                          setting=moyopy.Setting.standard()).number
    ds = moyopy.MoyoDataset(orbit_cell(basis_rows, rotations, translations),
                            setting=moyopy.Setting.standard())
    return a, ds.number


# --------------------------------------------------------------------------- per group

def primitive_setup(n: int):
    conv = moyopy.operations_from_number(n)
    std = moyopy.operations_from_number(n, setting=moyopy.Setting.standard())
    assert conv.rotations == std.rotations and conv.translations == std.translations, n
    prim = moyopy.operations_from_number(n, primitive=True)
    sg = moyopy.SpaceGroup(prim.rotations, prim.translations, setting=moyopy.Setting.standard())
    assert sg.number == n, (n, sg.number)
    entry = moyopy.HallSymbolEntry(sg.hall_number)
    lin = entry.centering.linear  # conv basis = prim basis * lin (columns)
    lin_inv = inv3(lin)  # prim basis = conv basis * lin_inv
    # check: prim rotations = lin R_c lin^-1, prim translations = lin t_c (mod 1)
    pset = {(tuple(map(tuple, r)), mod1([round(x, 6) % 1.0 for x in t]))
            for r, t in zip(prim.rotations, prim.translations)}
    for r, t in zip(conv.rotations, conv.translations):
        rp = mat_mul(mat_mul(lin, r), lin_inv)
        assert all(x.denominator == 1 for row in rp for x in row), n
        tp = [float(sum(Fraction(lin[i][j]) * frac(t[j]) for j in range(3))) for i in range(3)]
        key = (tuple(tuple(int(x) for x in row) for row in rp), mod1([round(x, 6) % 1.0 for x in tp]))
        assert key in pset, (n, key)
    params = CONV_PARAMS[family(n)]
    conv_rows = cart_basis(params)
    prim_rows = combine_rows(conv_rows, lin_inv)
    return conv, prim, entry, params, conv_rows, prim_rows


def k_is_maximal(index: int, tmat, prim_rotations) -> bool:
    # lattice invariance sanity check: R T = T M with M integral
    t_inv = inv3(tmat)
    for r in prim_rotations:
        mm = mat_mul(t_inv, mat_mul(r, tmat))
        assert all(x.denominator == 1 for row in mm for x in row), "sublattice not invariant"
    if index in (2, 3):
        return True
    assert index == 4
    for c in range(1, 8):
        cv = [(c >> k) & 1 for k in range(3)]
        if any(sum(cv[i] * tmat[i][j] for i in range(3)) % 2 for j in range(3)):
            continue  # L_H not inside ker(c)
        if all(all((sum(cv[i] * r[i][j] for i in range(3)) - cv[j]) % 2 == 0 for j in range(3))
               for r in prim_rotations):
            return False  # ker(c) is an invariant lattice strictly between
    return True


def fraction_str(f: Fraction) -> str:
    return str(f)


def normalizes(op, rot_set, trans_lookup, centering):
    """(P,p)^-1 (W,w) (P,p) in S (mod T(S)) for every (W,w) in S."""
    p_lin, p_sh = op
    p_inv = inv3(p_lin)
    for (w, wt) in trans_lookup:
        w_new = mat_mul(mat_mul(p_inv, [list(r) for r in w]), p_lin)
        if any(x.denominator != 1 for row in w_new for x in row):
            return False
        key = tuple(tuple(int(x) for x in row) for row in w_new)
        if key not in rot_set:
            return False
        # translation: P^-1 (W p + w - p)
        v = [sum(Fraction(w[i][j]) * p_sh[j] for j in range(3)) + wt[i] - p_sh[i] for i in range(3)]
        t_new = mat_vec(p_inv, v)
        ok = False
        for t_s in rot_set[key]:
            for cvec in centering:
                d = [t_new[i] - t_s[i] - cvec[i] for i in range(3)]
                if all(x.denominator == 1 for x in d):
                    ok = True
                    break
            if ok:
                break
        if not ok:
            return False
    return True


def normalizer_data(n, conv, entry, params, conv_rows):
    cell = orbit_cell(conv_rows, conv.rotations, conv.translations)
    ds = moyopy.MoyoDataset(cell, setting=moyopy.Setting.standard())
    if ds.number != n:
        raise RuntimeError(f"structure for {n} detected as {ds.number}")
    nw = ds.normalizer_wyckoff_positions(primitive=False)
    nw_c = ds.normalizer_wyckoff_positions(primitive=False, preserve_chirality=True)
    nw_p = ds.normalizer_wyckoff_positions(primitive=True)
    count = len(nw.stabilizer) * len(nw.coset_representatives)
    count_c = len(nw_c.stabilizer) * len(nw_c.coset_representatives)
    count_p = len(nw_p.stabilizer) * len(nw_p.coset_representatives)
    assert count == count_p, (n, count, count_p)
    if len(nw.coset_representatives) != 1:
        raise RuntimeError(f"{n}: general-position structure has {len(nw.coset_representatives)} cosets")
    centering = [[frac(x) for x in v] for v in entry.centering.lattice_points]
    rot_set = {}
    trans_lookup = []
    for r, t in zip(conv.rotations, conv.translations):
        key = tuple(map(tuple, r))
        tf = [frac(x) for x in t]
        rot_set.setdefault(key, []).append(tf)
        trans_lookup.append((key, tf))
    g_std = metric(ds.std_cell.basis)
    ops = set()
    n_trans = 0
    bad = []
    for u in nw.stabilizer:
        lin = [list(map(int, row)) for row in u.linear]
        sh = [frac(x) % 1 for x in u.origin_shift]
        # reduce shift modulo centering translations for a canonical representative
        cands = [tuple((sh[i] + c[i]) % 1 for i in range(3)) for c in centering]
        sh = min(cands)
        key = (tuple(map(tuple, lin)), sh)
        if key in ops:
            bad.append(f"duplicate op mod T(S): {key}")
        ops.add(key)
        if lin == [[1, 0, 0], [0, 1, 0], [0, 0, 1]]:
            n_trans += 1
        if not normalizes((lin, list(sh)), rot_set, trans_lookup, centering):
            bad.append(f"does not normalize S: {key}")
        gp = mat_mul(mat_mul(transpose(lin), g_std), lin)
        if any(abs(gp[i][j] - g_std[i][j]) > 1e-6 * max(1.0, abs(g_std[i][j]))
               for i in range(3) for j in range(3)):
            bad.append(f"does not preserve metric: {key}")
    rots = [r for r in conv.rotations]
    stacked = []
    for r in rots:
        for i in range(3):
            stacked.append([r[i][j] - (1 if i == j else 0) for j in range(3)])
    cont_dim = 3 - rank(stacked)
    n_pg = len({tuple(map(tuple, r)) for r in conv.rotations})
    res = {
        "count": count,
        "count_chirality_preserving": count_c,
        "translations": n_trans,
        "linear_parts": len({lin for (lin, _) in ops}),
        "continuous_dim": cont_dim,
        "index_in_normalizer": str(Fraction(count, n_pg)),
        "lattice": list(params),
        "operations": sorted(
            [[list(map(list, lin)), [fraction_str(x) for x in sh]] for (lin, sh) in ops]),
    }
    return res, bad


def process(n: int):
    failures = []
    conv, prim, entry, params, conv_rows, prim_rows = primitive_setup(n)
    prot, ptr = prim.rotations, prim.translations
    out = {"hm": moyopy.SpaceGroupType(n).hm_short, "hall_number": entry.hall_number,
           "order_point_group": len(prot)}

    # t-subgroups
    tl, tmax = [], []
    for cls in moyopy.enumerate_translationengleiche_subgroups(prot, ptr):
        rep = cls.representative
        a, b = identify(rep.operations.rotations, rep.operations.translations, prim_rows)
        if a != b:
            failures.append(f"t: identification disagrees A={a} B={b} (index {rep.translationengleiche_index})")
        e = [a, rep.translationengleiche_index, len(cls.conjugates)]
        tl.append(e)
        if rep.depth == 1:
            tmax.append(e)
    out["t"] = sorted(tl)
    out["t_maximal"] = sorted(tmax)

    # k-subgroups
    kk, kmax, kdet = {}, {}, {}
    for index in (2, 3, 4):
        lst, mx, det = [], [], []
        for cls in moyopy.enumerate_klassengleiche_subgroups_by_index(prot, ptr, index):
            rep = cls.representative
            assert rep.klassengleiche_index == index
            tmat = [list(map(int, r)) for r in rep.transformation]
            assert abs(det3(tmat)) == index, (n, tmat)
            sub_rows = combine_rows(prim_rows, tmat)
            a, b = identify(rep.operations.rotations, rep.operations.translations, sub_rows)
            if a != b:
                failures.append(f"k{index}: identification disagrees A={a} B={b} T={tmat}")
            maximal = k_is_maximal(index, tmat, prot)
            lst.append([a, index])
            if maximal:
                mx.append([a, index])
            det.append([a, index, len(cls.conjugates), int(maximal), tmat])
        kk[str(index)] = sorted(lst)
        kmax[str(index)] = sorted(mx)
        kdet[str(index)] = sorted(det)
    out["k"] = kk
    out["k_maximal"] = kmax
    out["k_detail"] = kdet

    nd, bad = normalizer_data(n, conv, entry, params, conv_rows)
    out["normalizer"] = nd
    failures.extend(f"normalizer: {b}" for b in bad)
    return out, failures


def dump_json(doc) -> str:
    """Sorted keys; one line per group (keeps the file small and diffs readable)."""
    lines = ["{"]
    top = [k for k in sorted(doc) if k != "groups"]
    for k in top:
        lines.append(f" {json.dumps(k)}: {json.dumps(doc[k], sort_keys=True)},")
    lines.append(' "groups": {')
    keys = list(doc["groups"])
    for i, k in enumerate(keys):
        sep = "," if i < len(keys) - 1 else ""
        body = json.dumps(doc["groups"][k], sort_keys=True, separators=(",", ":"))
        lines.append(f"  {json.dumps(k)}: {body}{sep}")
    lines.append(" }")
    lines.append("}")
    return "\n".join(lines) + "\n"


def parse_groups(spec: str):
    res = []
    for part in spec.split(","):
        if "-" in part:
            lo, hi = part.split("-")
            res.extend(range(int(lo), int(hi) + 1))
        else:
            res.append(int(part))
    return res


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", default=str(Path(__file__).resolve().parent.parent
                                         / "tests" / "data" / "moyo_reference.json"))
    ap.add_argument("--groups", default="1-230")
    args = ap.parse_args(argv)
    t0 = time.time()
    groups, failures = {}, {}
    for n in parse_groups(args.groups):
        try:
            data, fails = process(n)
            groups[str(n)] = data
            if fails:
                failures[str(n)] = fails
        except Exception as exc:  # noqa: BLE001  (record and continue)
            failures[str(n)] = [f"exception: {type(exc).__name__}: {exc}"]
        print(f"{n:3d} done  t={len(groups.get(str(n), {}).get('t', []))} "
              f"failures={len(failures.get(str(n), []))}", file=sys.stderr, flush=True)
    doc = {
        "source": {
            "package": "moyopy",
            "version": moyopy.__version__,
            "functions": [
                "operations_from_number(n) / (n, primitive=True)",
                "enumerate_translationengleiche_subgroups",
                "enumerate_klassengleiche_subgroups_by_index",
                "SpaceGroup (type identification)",
                "MoyoDataset(...).normalizer_wyckoff_positions",
            ],
            "script": "scripts/moyo_reference.py",
        },
        "note": NOTE,
        "failures": failures,
        "groups": {k: groups[k] for k in sorted(groups, key=int)},
    }
    Path(args.out).write_text(dump_json(doc))
    print(f"wrote {args.out} in {time.time() - t0:.1f} s; groups={len(groups)} "
          f"with failures={len(failures)}", file=sys.stderr)


if __name__ == "__main__":
    main()
