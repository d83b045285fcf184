"""The strict exact-number parser and its GAP cyclotomic literals."""
import math
from fractions import Fraction

import pytest
import sympy

from sbs_gap import InputError
from sbs_gap.exact import parse_exact

VALID = {
    "0": 0.0, "1": 1.0, "-7": -7.0, "3/4": 0.75, "-1/2": -0.5, "sqrt(2)": math.sqrt(2),
    "sqrt(3)/2": math.sqrt(3) / 2, "-sqrt(3)/2": -math.sqrt(3) / 2, "sqrt(1/2)": math.sqrt(.5),
    "cos(2*pi/5)": math.cos(2 * math.pi / 5), "sin(pi/3)": math.sin(math.pi / 3),
    "cos(2/5*pi)": math.cos(2 * math.pi / 5), "-sin(-pi/6)": 0.5, "cos(pi)": -1.0,
    "sin(0)": 0.0, "(1+sqrt(5))/4": (1 + math.sqrt(5)) / 4, "1/2 + sqrt(5)/4": 0.5 + 5**.5 / 4,
    "2*cos(pi/7)*sin(pi/7)": math.sin(2 * math.pi / 7), "cos(3*pi/8) - sin(pi/8)": 0.0,
    " sqrt( 4 ) ": 2.0, "cos(pi/12)*cos(pi/12) - sin(pi/12)*sin(pi/12)": math.sqrt(3) / 2,
}

INVALID = [
    "", "   ", "1+", "x", "sqrt(-2)", "cos(2)", "1/0", "eval(1)", "2**3", "1e5", "sqrt(2",
    'Exec("touch /tmp/x")', "((1)", "1 2", "cos(pi/100001)", "sqrt(100001)", "pi",
    "1/sqrt(2)", "__import__('os')", "cos(pi", "sin()", "1;2", "E(4)", "Sqrt(2)",
    "9" * 40, "cos(x*pi)", "--", "1/", "[1]",
]


@pytest.mark.parametrize("text,value", VALID.items())
def test_valid_numbers_parse_to_the_right_value(text, value):
    node = parse_exact(text)
    assert node.to_float() == pytest.approx(value, abs=1e-12)
    assert float(node.to_sympy().evalf(30)) == pytest.approx(value, abs=1e-12)


@pytest.mark.parametrize("text", INVALID)
def test_invalid_numbers_are_refused_with_a_message(text):
    with pytest.raises(InputError) as err:
        parse_exact(text)
    assert str(err.value)


def test_non_string_numbers_are_refused():
    for bad in (1.5, None, [1], True):
        with pytest.raises(InputError):
            parse_exact(bad)


def test_sympy_simplifies_to_the_known_closed_forms():
    assert sympy.simplify(parse_exact("cos(2*pi/5)").to_sympy() - (sympy.sqrt(5) - 1) / 4) == 0
    assert parse_exact("sqrt(9/4)").to_sympy() == sympy.Rational(3, 2)


@pytest.mark.gap
@pytest.mark.parametrize("text", list(VALID))
def test_gap_cyclotomics_equal_the_float_value(gap, text):
    """GAP evaluates our literal; its coefficients on E(n)^k give back the float."""
    node = parse_exact(text)
    n, terms = gap.call("SBS_CycCoefficients", node)
    value = sum(float(Fraction(c)) * complex(math.cos(2 * math.pi * k / n),
                                             math.sin(2 * math.pi * k / n))
                for k, c in terms)
    assert value.imag == pytest.approx(0, abs=1e-12)
    assert value.real == pytest.approx(VALID[text], abs=1e-12)


@pytest.mark.gap
def test_gap_identities_hold_exactly(gap):
    pairs = [("cos(2*pi/5)", "(sqrt(5)-1)/4"), ("sin(pi/4)", "sqrt(2)/2"),
             ("cos(pi/6)", "sqrt(3)/2"), ("2*cos(pi/5)", "(1+sqrt(5))/2")]
    for a, b in pairs:
        assert gap.call("SBS_Equal", parse_exact(a), parse_exact(b)) is True
    assert gap.call("SBS_Equal", parse_exact("cos(pi/5)"), parse_exact("1/2")) is False
