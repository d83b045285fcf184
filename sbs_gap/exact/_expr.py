"""Exact real numbers for group elements: a strict parser and three evaluators.

The grammar (whitespace is ignored)::

    expr   := ['+' | '-'] term (('+' | '-') term)*
    term   := factor (('*' factor) | ('/' INT))*
    factor := '-' factor | atom
    atom   := INT | 'sqrt' '(' INT ['/' INT] ')'
            | ('cos' | 'sin') '(' angle ')' | '(' expr ')'
    angle  := ['-'] [INT ['/' INT] '*'] 'pi' ['/' INT]  |  '0'

Nothing is ever handed to ``eval`` or ``sympify``: the parser builds a small
tree of frozen dataclasses.  That tree is then turned into a sympy number or a
float here, and into a GAP cyclotomic expression (integers, ``E(n)``,
``Sqrt(q)`` and arithmetic) by the bridge's literal serializer
(:func:`sbs_gap.gap.gap_literal`), the one place that writes GAP text.

Bounds keep GAP's cyclotomic fields small: angle denominators and square-root
arguments are limited (see ``MAX_ANGLE_DENOMINATOR`` and ``MAX_SQRT_ARGUMENT``).
"""
from __future__ import annotations

import math
import re
from dataclasses import dataclass
from fractions import Fraction
from typing import TYPE_CHECKING

from ..errors import InputError

if TYPE_CHECKING:  # sympy is imported only by to_sympy (it takes ~1 s to import)
    import sympy

__all__ = [
    "Exact", "Rat", "Sqrt", "Cos", "Sin", "Sum", "Product",
    "parse_exact", "exact", "cos_pi", "sin_pi", "sqrt",
    "MAX_ANGLE_DENOMINATOR", "MAX_SQRT_ARGUMENT", "MAX_INT_DIGITS",
]

#: cos(p*pi/q), sin(p*pi/q): q is at most this (GAP then works in Q(E(2q))).
MAX_ANGLE_DENOMINATOR = 10_000
#: sqrt(a/b): a and b are at most this.
MAX_SQRT_ARGUMENT = 10_000
#: integer literals have at most this many digits.
MAX_INT_DIGITS = 30
#: texts longer than this are refused before parsing.
MAX_TEXT_LENGTH = 2_000


class Exact:
    """An exact real number built from rationals, square roots, cos and sin."""

    __slots__ = ()

    def to_sympy(self) -> sympy.Expr:
        raise NotImplementedError

    def to_float(self) -> float:
        raise NotImplementedError

    # Arithmetic so point-group code can build exact matrices directly.
    def __add__(self, other):
        return Sum((self, exact(other)))

    def __radd__(self, other):
        return Sum((exact(other), self))

    def __sub__(self, other):
        return Sum((self, Product((Rat(Fraction(-1)), exact(other)))))

    def __rsub__(self, other):
        return Sum((exact(other), Product((Rat(Fraction(-1)), self))))

    def __mul__(self, other):
        return Product((self, exact(other)))

    def __rmul__(self, other):
        return Product((exact(other), self))

    def __neg__(self):
        return Product((Rat(Fraction(-1)), self))

    def __truediv__(self, other):
        if isinstance(other, (int, Fraction)) and other != 0:
            return Product((self, Rat(1 / Fraction(other))))
        raise TypeError("exact numbers divide only by nonzero rationals")

    def __float__(self):
        return self.to_float()


@dataclass(frozen=True, slots=True)
class Rat(Exact):
    value: Fraction

    def to_sympy(self):
        import sympy
        return sympy.Rational(self.value.numerator, self.value.denominator)

    def to_float(self):
        return float(self.value)


@dataclass(frozen=True, slots=True)
class Sqrt(Exact):
    """The nonnegative square root of a nonnegative rational."""

    radicand: Fraction

    def to_sympy(self):
        import sympy
        return sympy.sqrt(sympy.Rational(self.radicand.numerator, self.radicand.denominator))

    def to_float(self):
        return math.sqrt(self.radicand)


@dataclass(frozen=True, slots=True)
class Cos(Exact):
    """cos(turns * pi)."""

    turns: Fraction

    def to_sympy(self):
        import sympy
        return sympy.cos(sympy.Rational(self.turns.numerator, self.turns.denominator) * sympy.pi)

    def to_float(self):
        return math.cos(float(self.turns) * math.pi)


@dataclass(frozen=True, slots=True)
class Sin(Exact):
    """sin(turns * pi)."""

    turns: Fraction

    def to_sympy(self):
        import sympy
        return sympy.sin(sympy.Rational(self.turns.numerator, self.turns.denominator) * sympy.pi)

    def to_float(self):
        return math.sin(float(self.turns) * math.pi)


@dataclass(frozen=True, slots=True)
class Sum(Exact):
    terms: tuple

    def to_sympy(self):
        import sympy
        return sympy.Add(*(t.to_sympy() for t in self.terms))

    def to_float(self):
        return math.fsum(t.to_float() for t in self.terms)


@dataclass(frozen=True, slots=True)
class Product(Exact):
    factors: tuple

    def to_sympy(self):
        import sympy
        return sympy.Mul(*(f.to_sympy() for f in self.factors))

    def to_float(self):
        return math.prod(f.to_float() for f in self.factors)


def exact(value) -> Exact:
    """Coerce an int, Fraction, Exact or exact-number text to :class:`Exact`."""
    if isinstance(value, Exact):
        return value
    if isinstance(value, bool):
        raise TypeError("booleans are not numbers here")
    if isinstance(value, (int, Fraction)):
        return Rat(Fraction(value))
    if isinstance(value, str):
        return parse_exact(value)
    raise TypeError(f"cannot make an exact number from {type(value).__name__}")


def _check_turns(p: int, q: int, text: str, max_denominator: int | None) -> Fraction:
    if q == 0:
        raise InputError(f"division by zero in angle of {text!r}")
    turns = Fraction(p, q)
    if max_denominator is not None and turns.denominator > max_denominator:
        raise InputError(
            f"angle denominator {turns.denominator} in {text!r} exceeds {max_denominator}")
    return turns


def cos_pi(p: int, q: int = 1, max_denominator: int | None = None) -> Exact:
    """cos(p*pi/q), reduced so that cos(0) and cos(pi) are plain rationals.

    The parser passes ``max_denominator`` to bound user-given angles.
    """
    turns = _check_turns(p, q, f"cos({p}*pi/{q})", max_denominator)
    return _simplify_trig(Cos(turns))


def sin_pi(p: int, q: int = 1, max_denominator: int | None = None) -> Exact:
    """sin(p*pi/q), reduced so that exact zeros and ones are plain rationals."""
    turns = _check_turns(p, q, f"sin({p}*pi/{q})", max_denominator)
    return _simplify_trig(Sin(turns))


def sqrt(a: int, b: int = 1) -> Exact:
    """sqrt(a/b) for a nonnegative rational; perfect squares become rationals."""
    value = Fraction(a, b)
    if value < 0:
        raise InputError(f"sqrt of a negative number ({value}) is not real")
    for part in (value.numerator, value.denominator):
        if part > MAX_SQRT_ARGUMENT:
            raise InputError(f"sqrt argument {value} exceeds {MAX_SQRT_ARGUMENT}")
    n, d = value.numerator, value.denominator
    rn, rd = math.isqrt(n), math.isqrt(d)
    if rn * rn == n and rd * rd == d:
        return Rat(Fraction(rn, rd))
    return Sqrt(value)


def _simplify_trig(node: Exact) -> Exact:
    """Closed forms at multiples of pi/6 and pi/4 (rationals, sqrt(2)/2, sqrt(3)/2).

    Keeps GAP literals short, sympy matrices clean and floats correctly rounded.
    """
    turns = node.turns % 2
    if isinstance(node, Sin):
        turns = (turns - Fraction(1, 2)) % 2  # sin(x) = cos(x - pi/2)
    if turns > 1:
        turns = 2 - turns  # cos(2pi - x) = cos(x)
    sign = 1
    if turns > Fraction(1, 2):
        turns, sign = 1 - turns, -1  # cos(pi - x) = -cos(x)
    # cos at 0, pi/6, pi/4, pi/3, pi/2 as (rational factor, radicand)
    known = {Fraction(0): (1, 1), Fraction(1, 6): (Fraction(1, 2), 3),
             Fraction(1, 4): (Fraction(1, 2), 2), Fraction(1, 3): (Fraction(1, 2), 1),
             Fraction(1, 2): (0, 1)}
    if turns in known:
        factor, radicand = known[turns]
        factor = Rat(Fraction(sign * factor))
        return factor if radicand == 1 else Product((factor, Sqrt(Fraction(radicand))))
    return type(node)(node.turns % 2)


# --------------------------------------------------------------------------
# Parser
# --------------------------------------------------------------------------

_TOKEN = re.compile(r"\s*(?:(?P<int>\d+)|(?P<name>[A-Za-z]+)|(?P<op>[-+*/()]))")


def _tokenize(text: str) -> list[tuple[str, str]]:
    tokens, pos = [], 0
    text = text.rstrip()
    while pos < len(text):
        m = _TOKEN.match(text, pos)
        if not m:
            raise InputError(f"unexpected character {text[pos:].strip()[:1]!r} in number {text!r}")
        kind = m.lastgroup
        value = m.group(kind)
        if kind == "int" and len(value) > MAX_INT_DIGITS:
            raise InputError(f"integer with more than {MAX_INT_DIGITS} digits in {text!r}")
        if kind == "name" and value not in ("sqrt", "cos", "sin", "pi"):
            raise InputError(
                f"unknown name {value!r} in number {text!r} (allowed: sqrt, cos, sin, pi)")
        tokens.append((kind, value))
        pos = m.end()
    return tokens


class _Parser:
    def __init__(self, text: str):
        self.text = text
        self.tokens = _tokenize(text)
        self.pos = 0

    # helpers
    def peek(self):
        return self.tokens[self.pos] if self.pos < len(self.tokens) else (None, None)

    def take(self, value=None, kind=None):
        tok = self.peek()
        if (value is not None and tok[1] != value) or (kind is not None and tok[0] != kind):
            want = repr(value) if value is not None else ("an integer" if kind == "int" else kind)
            got = "end of text" if tok[0] is None else repr(tok[1])
            raise InputError(f"expected {want} but found {got} in number {self.text!r}")
        self.pos += 1
        return tok[1]

    def integer(self) -> int:
        return int(self.take(kind="int"))

    # grammar
    def parse(self) -> Exact:
        if not self.tokens:
            raise InputError("empty number")
        node = self.expr()
        if self.pos != len(self.tokens):
            raise InputError(f"unexpected {self.peek()[1]!r} in number {self.text!r}")
        return node

    def expr(self) -> Exact:
        sign = 1
        if self.peek()[1] in ("+", "-"):
            sign = -1 if self.take() == "-" else 1
        terms = [self._signed(sign, self.term())]
        while self.peek()[1] in ("+", "-"):
            sign = -1 if self.take() == "-" else 1
            terms.append(self._signed(sign, self.term()))
        return terms[0] if len(terms) == 1 else Sum(tuple(terms))

    @staticmethod
    def _signed(sign: int, node: Exact) -> Exact:
        if sign == 1:
            return node
        if isinstance(node, Rat):
            return Rat(-node.value)
        return Product((Rat(Fraction(-1)), node))

    def term(self) -> Exact:
        factors = [self.factor()]
        scale = Fraction(1)
        while self.peek()[1] in ("*", "/"):
            if self.take() == "*":
                factors.append(self.factor())
            else:
                d = self.integer()
                if d == 0:
                    raise InputError(f"division by zero in number {self.text!r}")
                scale /= d
        rationals = [f.value for f in factors if isinstance(f, Rat)]
        others = [f for f in factors if not isinstance(f, Rat)]
        coeff = math.prod(rationals, start=scale)
        if not others:
            return Rat(coeff)
        if coeff != 1:
            others.insert(0, Rat(coeff))
        return others[0] if len(others) == 1 else Product(tuple(others))

    def factor(self) -> Exact:
        if self.peek()[1] == "-":
            self.take()
            return self._signed(-1, self.factor())
        return self.atom()

    def atom(self) -> Exact:
        kind, value = self.peek()
        if kind == "int":
            return Rat(Fraction(self.integer()))
        if value == "(":
            self.take("(")
            node = self.expr()
            self.take(")")
            return node
        if value == "sqrt":
            self.take()
            self.take("(")
            a = self.integer()
            b = 1
            if self.peek()[1] == "/":
                self.take()
                b = self.integer()
                if b == 0:
                    raise InputError(f"division by zero in number {self.text!r}")
            self.take(")")
            return sqrt(a, b)
        if value in ("cos", "sin"):
            self.take()
            self.take("(")
            p, q = self.angle()
            self.take(")")
            trig = cos_pi if value == "cos" else sin_pi
            return trig(p, q, MAX_ANGLE_DENOMINATOR)
        got = "end of text" if kind is None else repr(value)
        raise InputError(f"expected a number but found {got} in number {self.text!r}")

    def angle(self) -> tuple[int, int]:
        """Returns (p, q) with angle = p*pi/q."""
        sign = 1
        if self.peek()[1] == "-":
            self.take()
            sign = -1
        if self.peek()[0] == "int":
            num = self.integer()
            den = 1
            if self.peek()[1] == "/":
                self.take()
                den = self.integer()
                if den == 0:
                    raise InputError(f"division by zero in angle of {self.text!r}")
            if self.peek()[1] != "*":
                if num == 0:
                    return 0, 1
                raise InputError(
                    f"angles must be rational multiples of pi, like 2*pi/5, in {self.text!r}")
            self.take("*")
        else:
            num, den = 1, 1
        self.take("pi")
        if self.peek()[1] == "/":
            self.take()
            d = self.integer()
            if d == 0:
                raise InputError(f"division by zero in angle of {self.text!r}")
            den *= d
        return sign * num, den


def parse_exact(text: str) -> Exact:
    """Parse exact-number text such as ``"-sqrt(3)/2"`` or ``"cos(2*pi/5)"``.

    Raises
    ------
    InputError
        naming what is wrong with the text.
    """
    if isinstance(text, bool) or not isinstance(text, (str, int)):
        raise InputError(f"a number must be given as a string or integer, not {text!r}")
    if isinstance(text, int):
        return Rat(Fraction(text))
    if len(text) > MAX_TEXT_LENGTH:
        raise InputError(f"number text longer than {MAX_TEXT_LENGTH} characters")
    return _Parser(text).parse()
