"""Point groups by name: orders from GAP, aliases, orientation, bad names."""
import numpy as np
import pytest

from sbs_gap import InputError, crystallographic_point_groups, point_group
from sbs_gap.breaking import gap_order
from sbs_gap.groups import HERMANN_MAUGUIN

FAMILY_ORDERS = {"C{n}": 1, "C{n}v": 2, "C{n}h": 2, "S{m}": 2, "D{n}": 2, "D{n}h": 4,
                 "D{n}d": 4}
POLYHEDRAL = {"T": 12, "Td": 24, "Th": 24, "O": 24, "Oh": 48, "I": 60, "Ih": 120}


@pytest.mark.gap
@pytest.mark.parametrize("pattern", list(FAMILY_ORDERS))
def test_every_axial_family_for_n_up_to_12_has_the_right_order(gap, pattern):
    for n in range(1, 13):
        name = pattern.format(n=n, m=2 * n)
        g = point_group(name)
        assert gap_order(g, session=gap) == FAMILY_ORDERS[pattern] * n, name


@pytest.mark.gap
@pytest.mark.parametrize("name,order", POLYHEDRAL.items())
def test_polyhedral_orders(gap, name, order):
    assert gap_order(point_group(name), session=gap) == order


@pytest.mark.gap
def test_worked_orders(gap):
    for name, order in {"Oh": 48, "Ih": 120, "D7d": 28, "S8": 8, "C1h": 2}.items():
        assert gap_order(point_group(name), session=gap) == order


def test_identities():
    same = {"C1h": "Cs", "C1v": "Cs", "S1": "Cs", "S2": "Ci", "C1i": "Ci", "D1": "C2",
            "D1h": "C2v", "D1d": "C2h", "S3": "C3h", "S5": "C5h", "C3i": "S6", "C2i": "C2h",
            "V": "D2", "Vh": "D2h", "Vd": "D2d", "C1": "C1"}
    for alias, canonical in same.items():
        assert point_group(alias).schoenflies == canonical, alias


HM_EXPECTED = {
    "1": ("C1", 1), "-1": ("Ci", 2), "2": ("C2", 2), "m": ("Cs", 2), "2/m": ("C2h", 4),
    "222": ("D2", 4), "mm2": ("C2v", 4), "mmm": ("D2h", 8), "4": ("C4", 4), "-4": ("S4", 4),
    "4/m": ("C4h", 8), "422": ("D4", 8), "4mm": ("C4v", 8), "-42m": ("D2d", 8),
    "4/mmm": ("D4h", 16), "3": ("C3", 3), "-3": ("S6", 6), "32": ("D3", 6), "3m": ("C3v", 6),
    "-3m": ("D3d", 12), "6": ("C6", 6), "-6": ("C3h", 6), "6/m": ("C6h", 12),
    "622": ("D6", 12), "6mm": ("C6v", 12), "-6m2": ("D3h", 12), "6/mmm": ("D6h", 24),
    "23": ("T", 12), "m-3": ("Th", 24), "432": ("O", 24), "-43m": ("Td", 24),
    "m-3m": ("Oh", 48),
}


@pytest.mark.gap
@pytest.mark.parametrize("symbol", list(HM_EXPECTED))
def test_all_32_hermann_mauguin_symbols(gap, symbol):
    schoenflies, order = HM_EXPECTED[symbol]
    g = point_group(symbol)
    assert g.schoenflies == schoenflies
    assert g.hermann_mauguin == symbol
    assert gap_order(g, session=gap) == order


def test_32_crystallographic_groups():
    groups = crystallographic_point_groups()
    assert len(groups) == 32 == len(HM_EXPECTED) == len(HERMANN_MAUGUIN)
    assert len({g.schoenflies for g in groups}) == 32
    assert point_group("D7d").hermann_mauguin is None
    assert point_group("-4m2").schoenflies == "D2d"
    assert point_group("m3m").schoenflies == "Oh"


def _closure(gens):
    elems = [np.eye(3)]
    keys = {tuple(np.round(np.eye(3), 8).ravel())}
    i = 0
    while i < len(elems):
        for g in gens:
            p = elems[i] @ g
            k = tuple(np.round(p, 8).ravel() + 0.0)
            if k not in keys:
                keys.add(k)
                elems.append(p)
        i += 1
    return elems


def _has(elems, m):
    return any(np.allclose(e, m) for e in elems)


def test_standard_orientation():
    mirror_xz = np.diag([1.0, -1, 1])
    twofold_x = np.diag([1.0, -1, -1])
    for n in range(2, 9):
        assert _has(_closure(point_group(f"C{n}v").numpy_generators), mirror_xz)
        assert _has(_closure(point_group(f"D{n}h").numpy_generators), mirror_xz)
        dnd = _closure(point_group(f"D{n}d").numpy_generators)
        assert _has(dnd, twofold_x)
        # the mirrors of Dnd bisect the two-fold axes: the one at angle pi/(2n)
        t = np.pi / (2 * n)
        mirror = np.array([[np.cos(2 * t), np.sin(2 * t), 0], [np.sin(2 * t), -np.cos(2 * t), 0],
                           [0, 0, 1]])
        assert _has(dnd, mirror) and not _has(dnd, mirror_xz)
    oh = _closure(point_group("Oh").numpy_generators)
    assert _has(oh, np.array([[0.0, -1, 0], [1, 0, 0], [0, 0, 1]]))  # C4 about z
    assert _has(oh, np.array([[0.0, 0, 1], [1, 0, 0], [0, 1, 0]]))   # C3 about (1,1,1)
    ih = _closure(point_group("Ih").numpy_generators)
    for axis in range(3):
        assert _has(ih, np.diag([-1.0 if i != axis else 1.0 for i in range(3)]))
    assert len(ih) == 120


def test_generators_are_orthogonal_and_exact():
    for name in ("Ih", "D7d", "S8", "C5v", "Td"):
        g = point_group(name)
        for m in g.numpy_generators:
            assert np.allclose(m @ m.T, np.eye(3), atol=1e-13)
        for m in g.sympy_generators:
            assert (m * m.T).applyfunc(lambda x: x.simplify()) == m.eye(3)


@pytest.mark.parametrize("name", [
    "", "X", "C0", "D0h", "C-3", "C03", "S0", "Sx", "C3x", "D3v", "S4h", "Oi", "Q",
    'Exec("touch /tmp/x")', "C3;", "m-3mm", "D1000000h", "C" + "9" * 8,
    "c3d", "Ih\x00", "4/mmmm", "O h", "C3v\nExec(1)",
])
def test_bad_names(name):
    with pytest.raises(InputError) as err:
        point_group(name)
    message = str(err.value)
    assert message and "\n" not in message


def test_surrounding_whitespace_is_accepted():
    assert point_group(" m-3m ").schoenflies == "Oh"
    assert point_group("O\n").schoenflies == "O"


def test_order_limit():
    with pytest.raises(InputError, match="order limit"):
        point_group("D30000h")
    assert point_group("D30000h", max_order=200_000).expected_order == 120_000


@pytest.mark.parametrize("typed,meant", [("Td1", "Td"), ("T_d", "Td")])
def test_name_suggestions_are_unique(typed, meant):
    with pytest.raises(InputError) as err:
        point_group(typed)
    assert f"(did you mean {meant}?)" in str(err.value)


@pytest.mark.parametrize("typed,meant", [("d3", "D3"), ("oh", "Oh"), ("OH", "Oh"), ("c4V", "C4v"),
                                         ("C4V", "C4v"), ("M-3M", "m-3m"), ("c3v", "C3v")])
def test_names_in_any_letter_case(typed, meant):
    """Issue #23: the usual case is unambiguous, so any case resolves, and
    the group carries the usual spelling."""
    g = point_group(typed)
    assert (g.name, g.schoenflies) == (meant, point_group(meant).schoenflies)
