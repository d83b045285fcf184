"""Cycle notation and group words: strict parsing into integer data."""
import pytest

from sbs_gap import InputError
from sbs_gap.groups import parse_cycles, parse_word


def test_cycles():
    assert parse_cycles("(1,2,3)(4,5)") == (2, 3, 1, 5, 4)
    assert parse_cycles("()") == ()
    assert parse_cycles(" ( 1 , 3 ) ") == (3, 2, 1)
    assert parse_cycles("(5)") == ()
    assert parse_cycles("(2,3)") == (1, 3, 2)


@pytest.mark.parametrize("text", [
    "", "1,2", "(1,2", "(1,2)(2,3)", "(0,1)", "(-1,2)", "(a,b)", "(1,,2)", "(1 2)",
    "(1,2)x", "()()", "(1,2)()", "(1,2);Exec(\"touch /tmp/x\")", "(1.5,2)", "(1,200001)",
])
def test_malformed_cycles(text):
    with pytest.raises(InputError):
        parse_cycles(text)


def test_words():
    names = ("r", "s")
    assert parse_word("r", names) == (1,)
    assert parse_word("s^2*r", names) == (2, 2, 1)
    assert parse_word("(r*s)^2", names) == (1, 2, 1, 2)
    assert parse_word("r^-1", names) == (-1,)
    assert parse_word("r*r^-1", names) == ()
    assert parse_word("1", names) == ()
    assert parse_word("[r,s]", names) == (-1, -2, 1, 2)
    assert parse_word("r^2 = s^3", names) == (1, 1, -2, -2, -2)


@pytest.mark.parametrize("text", [
    "", "t", "r*", "r^", "r^x", "(r*s", "r**s", "r s", "r^1000001", "[r]", "r;s",
    'Exec("ls")', "r^2^", "r=s=r",
])
def test_malformed_words(text):
    with pytest.raises(InputError):
        parse_word(text, ("r", "s"))
