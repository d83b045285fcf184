"""Time parity of irreps (docs/THEORY.md section 9): ``1e'`` is time-odd, and
representation matrices of magnetic point-group elements diag(R, τ).

Needs no GAP: the groups are generated here from 4x4 matrices diag(R, ±1).
"""
import itertools
import math

import numpy as np
import pytest

from sbs_gap import InputError
from sbs_gap.objects import Irrep, Irreps, format_irreps, irreps, representation_matrices
from sbs_gap.objects import _irreps

THETA = np.diag([1.0, 1.0, 1.0, -1.0])  # time reversal
C4Z = np.array([[0.0, -1, 0], [1, 0, 0], [0, 0, 1]])  # 4-fold rotation about z
C3 = np.array([[0.0, 0, 1], [1, 0, 0], [0, 1, 0]])  # 3-fold rotation about [111]
C2X = np.diag([1.0, -1, -1])
M_X = np.diag([-1.0, 1, 1])  # mirror x -> -x
M_Z = np.diag([1.0, 1, -1])
INV = -np.eye(3)
MOMENT_Z = np.array([0.0, 0, 1])  # l = 1 is x, y, z in e3nn's basis


def mag(r, tau=1):
    """The magnetic point-group element diag(R, τ)."""
    out = np.eye(4)
    out[:3, :3] = r
    out[3, 3] = tau
    return out


def close(generators):
    """All products of the generators (a finite matrix group)."""
    elements = [np.eye(len(generators[0]))]
    seen = {tuple(np.round(elements[0], 9).ravel())}
    frontier = list(elements)
    while frontier:
        new = []
        for a in frontier:
            for g in generators:
                p = a @ g
                key = tuple(np.round(p, 9).ravel() + 0.0)
                if key not in seen:
                    seen.add(key)
                    new.append(p)
        elements += new
        frontier = new
    return np.array(elements)


def d4h_grey():
    return close([mag(C4Z), mag(C2X), mag(INV), THETA])


def oh_grey():
    return close([mag(C4Z), mag(C3), mag(INV), THETA])


def stabilizer(group, irreps_text, vector):
    ds = representation_matrices(irreps_text, group)
    return [g for g, d in zip(group, ds) if np.allclose(d @ vector, vector, atol=1e-9)]


def fixes(irreps_text, element, vector):
    d = representation_matrices(irreps_text, element)
    return np.allclose(d @ vector, vector, atol=1e-12)


# --------------------------------------------------------------- parsing, formatting

def test_irrep_time_parity_field_defaults_to_even():
    assert Irrep(1, 1) == Irrep(1, 1, 1) and Irrep(1, 1).t == 1
    assert str(Irrep(1, 1)) == "1e" and str(Irrep(2, -1)) == "2o"
    assert str(Irrep(1, 1, -1)) == "1e'" and str(Irrep(0, -1, -1)) == "0o'"
    assert Irrep(1, 1, -1) != Irrep(1, 1) and Irrep(1, 1, -1).time_odd
    assert not Irrep(1, 1).time_odd and Irrep(3, -1).dim == 7


@pytest.mark.parametrize("text, canonical, terms", [
    ("1e'", "1e'", ((1, Irrep(1, 1, -1)),)),
    ("3x0o'", "3x0o'", ((3, Irrep(0, -1, -1)),)),
    ("2e + 1e'", "2e+1e'", ((1, Irrep(2, 1)), (1, Irrep(1, 1, -1)))),
    ("2x1e' + 1o + 0e'", "2x1e'+1o+0e'",
     ((2, Irrep(1, 1, -1)), (1, Irrep(1, -1)), (1, Irrep(0, 1, -1)))),
    ("1x1y'", "1o'", ((1, Irrep(1, -1, -1)),)),
    ("2y'+1e", "2e'+1e", ((1, Irrep(2, 1, -1)), (1, Irrep(1, 1)))),
    ("12o'", "12o'", ((1, Irrep(12, -1, -1)),)),
])
def test_time_odd_irreps_parse_and_format(text, canonical, terms):
    parsed = irreps(text)
    assert parsed.terms == terms and parsed.time_odd
    assert str(parsed) == format_irreps(text) == canonical
    assert irreps(canonical) == parsed and format_irreps(canonical) == canonical
    assert parsed.dim == sum(m * ir.dim for m, ir in terms)


def test_every_even_string_parses_and_formats_as_before():
    for l, p, mul in itertools.product(range(_irreps.MAX_IRREPS_L + 1), "eoy", (None, 1, 2, 10)):
        text = f"{mul}x{l}{p}" if mul else f"{l}{p}"
        letter = {"e": "e", "o": "o", "y": "e" if l % 2 == 0 else "o"}[p]
        expected = f"{l}{letter}" if mul in (None, 1) else f"{mul}x{l}{letter}"
        parsed = irreps(text)
        assert format_irreps(text) == str(parsed) == expected
        assert not parsed.time_odd
        assert all(ir.t == 1 for _, ir in parsed)
        assert parsed.terms[0][1] == Irrep(l, 1 if letter == "e" else -1)
    assert format_irreps("2e + 1o") == "2e+1o"
    assert format_irreps(" 2x1o+0e ") == "2x1o+0e"
    assert format_irreps("0e+1o+2e+3o+1e") == "0e+1o+2e+3o+1e"
    assert format_irreps("1x0e+1x1o") == "0e+1o"  # e3nn's own str


def test_round_trips_mixing_even_and_odd_terms():
    pieces = ["0e", "0o'", "1o", "1e'", "2x2e", "3x1e'", "4o'", "10x0e"]
    for k in range(1, 4):
        for combo in itertools.permutations(pieces, k):
            text = "+".join(combo)
            parsed = irreps(text)
            assert str(parsed) == text and irreps(str(parsed)) == parsed
            assert irreps(" + ".join(combo)) == parsed
            assert parsed.time_odd == any(c.endswith("'") for c in combo)
    ours = Irreps(((2, Irrep(1, 1, -1)), (1, Irrep(0, 1))))
    assert str(ours) == "2x1e'+0e" and irreps(str(ours)) == ours and irreps(ours) is ours


@pytest.mark.parametrize("text, bad", [
    ("1e''", "1e''"), ("1'", "1'"), ("'1e", "'1e"), ("2e+1e'x", "1e'x"), ("1e'+x", "x"),
    ("2x'1e", "2x'1e"), ("1q'", "1q'"), ("1e′", "1e′"), ("1e'2", "1e'2"),
])
def test_malformed_irreps_name_the_bad_term(text, bad):
    with pytest.raises(InputError) as info:
        irreps(text)
    message = str(info.value)
    assert repr(bad) in message and "1e'" in message and "invalid irreps" in message


def test_other_irreps_errors_are_unchanged():
    with pytest.raises(InputError, match="l up to 12"):
        irreps("13e'")
    with pytest.raises(InputError, match="dimension 0"):
        irreps("0x1e'")
    with pytest.raises(InputError, match="must be a string"):
        irreps(3)
    with pytest.raises(InputError, match="'2q'"):
        irreps("1o+2q")


# --------------------------------------------------------------- representation matrices

def _old_representation_matrices(irreps_text, matrices):
    """The implementation before time parity existed (3x3 input only)."""
    parsed = irreps(irreps_text)
    g = np.asarray(matrices, dtype=float)
    single = g.ndim == 2
    g = g.reshape(-1, 3, 3)
    det = np.sign(np.linalg.det(g))
    proper = g * det[:, None, None]
    out = np.zeros((len(g), parsed.dim, parsed.dim))
    start = 0
    blocks = {}
    for mul, ir in parsed:
        if ir.l not in blocks:
            blocks[ir.l] = _irreps._rotation_matrices(ir.l, proper)
        block = blocks[ir.l] * np.where(det < 0, ir.p, 1)[:, None, None]
        for _ in range(mul):
            out[:, start:start + ir.dim, start:start + ir.dim] = block
            start += ir.dim
    return out[0] if single else out


def _random_orthogonal(n, seed=0):
    q, _ = np.linalg.qr(np.random.default_rng(seed).normal(size=(n, 3, 3)))
    q[::2] *= -1
    return q


@pytest.mark.parametrize("text", ["0e", "0o", "1o", "1e", "2e+1o", "3x1o+2x0e", "2e+3o+1e",
                                  "12o", "4y", "5e+6o"])
def test_3x3_input_gives_the_same_matrices_as_before(text):
    groups = [d4h_grey()[:, :3, :3], oh_grey()[:, :3, :3], _random_orthogonal(12)]
    for g in groups:
        new = representation_matrices(text, g)
        assert np.array_equal(new, _old_representation_matrices(text, g))
        as_4x4 = np.array([mag(r) for r in g])  # τ = +1: the same, bit for bit
        assert np.array_equal(representation_matrices(text, as_4x4), new)
        assert np.array_equal(representation_matrices(text, g[3]),
                              _old_representation_matrices(text, g[3]))
        assert np.allclose(representation_matrices(text, mag(g[3])), new[3], atol=1e-12)
        # time-odd terms with 3x3 input act as if τ = +1
        primed = "+".join(f"{t}'" for t in format_irreps(text).split("+"))
        assert np.array_equal(representation_matrices(primed, g), new)


def test_l1_basis_is_x_y_z():
    g = _random_orthogonal(6, seed=3)
    det = np.linalg.det(g)
    assert np.allclose(representation_matrices("1o", g), g, atol=1e-12)
    assert np.allclose(representation_matrices("1e", g), g * det[:, None, None], atol=1e-12)
    assert np.allclose(representation_matrices("1e'", [mag(r, -1) for r in g]),
                       -g * det[:, None, None], atol=1e-12)
    assert np.allclose(representation_matrices("0o'", [mag(r, -1) for r in g])[:, 0, 0], -det)


@pytest.mark.parametrize("text", ["0e'+1e'+1o+2e'+2o", "0o'+3o'+1e+0e", "2x1e'+1o'"])
@pytest.mark.parametrize("group", [d4h_grey, oh_grey])
def test_4x4_input_is_a_representation_of_grey_groups(text, group):
    g = group()
    assert len(g) == {d4h_grey: 32, oh_grey: 96}[group]
    d = representation_matrices(text, g)
    dim = irreps(text).dim
    assert d.shape == (len(g), dim, dim)
    products = np.einsum("aij,bjk->abik", g, g).reshape(-1, 4, 4)
    d_products = representation_matrices(text, products).reshape(len(g), len(g), dim, dim)
    assert np.allclose(np.einsum("aij,bjk->abik", d, d), d_products, atol=1e-10)
    # orthogonal, and the identity goes to the identity
    assert np.allclose(np.einsum("aij,akj->aik", d, d), np.eye(dim), atol=1e-10)
    assert np.allclose(representation_matrices(text, np.eye(4)), np.eye(dim), atol=1e-12)


def test_time_reversal_is_minus_one_exactly_on_odd_terms():
    text = "0e+0e'+1o+1o'+2x1e'+2e+3o'"
    d = representation_matrices(text, THETA)
    signs = np.concatenate([np.full(m * ir.dim, float(ir.t)) for m, ir in irreps(text)])
    assert np.allclose(d, np.diag(signs), atol=1e-12)
    # the sign is exact: D(θ) is D(identity) with the odd blocks negated
    assert np.array_equal(d, representation_matrices(text, np.eye(4)) * signs[:, None])
    assert np.array_equal(representation_matrices("2e+1o", THETA),
                          representation_matrices("2e+1o", np.eye(3)))
    assert np.allclose(representation_matrices("2e+1o", THETA), np.eye(8), atol=1e-12)
    assert np.allclose(representation_matrices("1e'", THETA), -np.eye(3), atol=1e-12)
    # θ commutes with everything and combines with R by the sign alone
    for r in _random_orthogonal(4, seed=1):
        assert np.allclose(representation_matrices(text, mag(r, -1)),
                           representation_matrices(text, THETA) @ representation_matrices(text, r))


def test_a_magnetic_moment_along_z():
    # 4-fold rotation about z and m_z fix it without θ (an axial vector is
    # invariant under the mirror perpendicular to it)
    assert fixes("1e'", mag(C4Z), MOMENT_Z)
    assert fixes("1e'", mag(M_Z), MOMENT_Z)
    assert not fixes("1e'", mag(M_Z, -1), MOMENT_Z)
    # m_x reverses the axial z component; only m_x' (with θ) fixes the moment
    assert not fixes("1e'", mag(M_X), MOMENT_Z)
    assert fixes("1e'", mag(M_X, -1), MOMENT_Z)
    assert not fixes("1e'", THETA, MOMENT_Z) and fixes("1e'", mag(INV), MOMENT_Z)
    # a time-even axial vector (say, a rotation) ignores θ
    assert fixes("1e", mag(M_Z, -1), MOMENT_Z) and not fixes("1e", mag(M_X, -1), MOMENT_Z)
    # polarization along z: fixed by m_x and by θ, reversed by m_z
    assert fixes("1o", mag(M_X), MOMENT_Z) and fixes("1o", THETA, MOMENT_Z)
    assert not fixes("1o", mag(M_Z), MOMENT_Z)


def test_cubic_ferromagnet_and_ferroelectric_stabilizers():
    # THEORY.md section 9: m-3m1' -> 4/mm'm' (a moment along [001]), index 6
    g = oh_grey()
    stab = np.array(stabilizer(g, "1e'", MOMENT_Z))
    assert len(stab) == 16 and len(g) // len(stab) == 6
    assert not any(np.allclose(s, THETA) for s in stab)  # θ is broken
    primed = {tuple(np.round(s[:3, :3], 9).ravel() + 0.0) for s in stab if s[3, 3] < 0}
    unprimed = {tuple(np.round(s[:3, :3], 9).ravel() + 0.0) for s in stab if s[3, 3] > 0}
    assert len(primed) == len(unprimed) == 8  # 4/m unprimed, the rest with θ: 4/mm'm'
    assert tuple(M_X.ravel()) in primed and tuple(M_Z.ravel()) in unprimed
    assert tuple(C4Z.ravel()) in unprimed and tuple(INV.ravel()) in unprimed
    # the orbit of the moment: ±x, ±y, ±z
    orbit = {tuple(np.round(d @ MOMENT_Z, 9) + 0.0)
             for d in representation_matrices("1e'", g)}
    assert orbit == {tuple(v) for v in np.vstack([np.eye(3), -np.eye(3)])}
    # m-3m1' -> 4mm1': a time-even polar vector keeps θ
    stab = stabilizer(g, "1o", MOMENT_Z)
    assert len(stab) == 16 and any(np.allclose(s, THETA) for s in stab)


def test_grey_c1_to_c1_by_a_time_odd_scalar():
    g = close([THETA])
    assert len(g) == 2
    assert [len(stabilizer(g, t, np.ones(1))) for t in ("0e'", "0o'", "0e")] == [1, 1, 2]
    assert math.isclose(representation_matrices("0e'", THETA)[0, 0], -1.0)


@pytest.mark.parametrize("bad", [
    mag(C4Z, 0.5),  # τ not ±1
    mag(C4Z, 0.0),
    mag(C4Z) + np.eye(4, k=3) * 0.1,  # off the blocks
    mag(C4Z) + np.eye(4, k=-3) * 0.1,
    mag(2 * C4Z),  # R not orthogonal
])
def test_4x4_input_must_be_diag_r_tau(bad):
    with pytest.raises(InputError):
        representation_matrices("1e'", bad)
    with pytest.raises(InputError):
        representation_matrices("1o", np.array([np.eye(4), bad]))


def test_4x4_accepts_rounding_noise_and_returns_single_or_stacked():
    noisy = mag(C4Z, -1) + 1e-12
    d = representation_matrices("1e'", noisy)
    assert d.shape == (3, 3) and np.allclose(d, -C4Z, atol=1e-9)
    assert representation_matrices("1e'+0e", [mag(C4Z, -1)]).shape == (1, 4, 4)
