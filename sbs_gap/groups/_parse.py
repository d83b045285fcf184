"""Strict parsers for permutations in cycle notation and for group words.

Both produce plain integer data (image lists, letter lists); that is all the
GAP bridge ever receives from them.
"""
from __future__ import annotations

import re

from ..errors import InputError

__all__ = ["parse_cycles", "parse_word", "parse_generator_names", "free_reduce",
           "MAX_POINT", "MAX_EXPONENT", "MAX_WORD_LENGTH", "MAX_GENERATORS"]

#: Largest point a permutation may move.
MAX_POINT = 100_000
#: Largest |exponent| in a word.
MAX_EXPONENT = 100_000
#: Longest word after expanding powers.
MAX_WORD_LENGTH = 1_000_000
#: Most generators of a presentation.
MAX_GENERATORS = 64
#: Longest accepted text of one cycle string or word.
MAX_TEXT = 100_000

_CYCLE = re.compile(r"\(\s*([^()]*?)\s*\)")
_NAME = re.compile(r"^[A-Za-z][A-Za-z0-9_]{0,31}$")


def parse_cycles(text: str, what: str = "permutation") -> tuple[int, ...]:
    """Parse disjoint-cycle notation such as ``"(1,2,3)(4,5)"`` into an image list.

    Returns the images of 1..d (d the largest point mentioned); ``"()"`` is the
    identity (empty image list).
    """
    if not isinstance(text, str):
        raise InputError(f"{what} must be a string in cycle notation like '(1,2,3)(4,5)', "
                         f"not {text!r}")
    if len(text) > MAX_TEXT:
        raise InputError(f"{what} is longer than {MAX_TEXT} characters")
    stripped = text.strip()
    if not stripped:
        raise InputError(f"{what} is empty; write '()' for the identity")
    pos, cycles = 0, []
    while pos < len(stripped):
        m = _CYCLE.match(stripped, pos)
        if not m:
            raise InputError(f"malformed cycle in {what} {text!r} at {stripped[pos:pos + 10]!r}: "
                             "expected cycles like (1,2,3)")
        body = m.group(1)
        pos = m.end()
        while pos < len(stripped) and stripped[pos].isspace():
            pos += 1
        if body == "":
            cycles.append(())
            continue
        points = []
        for part in body.split(","):
            part = part.strip()
            if not re.fullmatch(r"[0-9]+", part):
                raise InputError(f"malformed cycle in {what} {text!r}: {part!r} is not a "
                                 "positive integer")
            p = int(part)
            if p < 1:
                raise InputError(f"point {p} in {what} {text!r}: points are numbered from 1")
            if p > MAX_POINT:
                raise InputError(f"point {p} in {what} {text!r} exceeds {MAX_POINT}")
            points.append(p)
        cycles.append(tuple(points))
    if any(len(c) == 0 for c in cycles) and len(cycles) > 1:
        raise InputError(f"malformed {what} {text!r}: '()' stands alone for the identity")
    seen: set[int] = set()
    for cycle in cycles:
        for p in cycle:
            if p in seen:
                raise InputError(f"point {p} appears twice in {what} {text!r} "
                                 "(cycles must be disjoint)")
            seen.add(p)
    degree = max(seen, default=0)
    images = list(range(1, degree + 1))
    for cycle in cycles:
        for i, p in enumerate(cycle):
            images[p - 1] = cycle[(i + 1) % len(cycle)]
    while images and images[-1] == len(images):
        images.pop()
    return tuple(images)


def parse_generator_names(names, what: str = "presentation") -> tuple[str, ...]:
    if not isinstance(names, list):
        raise InputError(f"{what} generators must be a list of names")
    if len(names) > MAX_GENERATORS:
        raise InputError(f"{what} has {len(names)} generators, more than {MAX_GENERATORS}")
    out = []
    for name in names:
        if not isinstance(name, str) or not _NAME.match(name):
            raise InputError(f"bad generator name {name!r} in {what}: names are a letter "
                             "followed by letters, digits or _ (at most 32 characters)")
        if name in out:
            raise InputError(f"generator name {name!r} appears twice in {what}")
        out.append(name)
    return tuple(out)


def free_reduce(letters) -> tuple[int, ...]:
    out: list[int] = []
    for x in letters:
        if out and out[-1] == -x:
            out.pop()
        else:
            out.append(x)
    return tuple(out)


def _inverse(word: tuple[int, ...]) -> tuple[int, ...]:
    return tuple(-x for x in reversed(word))


_WORD_TOKEN = re.compile(r"\s*(?:(?P<name>[A-Za-z][A-Za-z0-9_]*)|(?P<int>-?[0-9]+)|"
                         r"(?P<op>[*^()\[\],=]))")


class _WordParser:
    """word := product ['=' product];  product := '1' | factor ('*' factor)*;
    factor := base ('^' INT)*;  base := NAME | '(' product ')' | '[' product ',' product ']'.

    ``[a, b]`` is the commutator a^-1 b^-1 a b (GAP's convention).
    """

    def __init__(self, text: str, names: tuple[str, ...], what: str):
        self.text, self.what = text, what
        self.index = {n: i + 1 for i, n in enumerate(names)}
        self.tokens, pos = [], 0
        body = text.rstrip()
        while pos < len(body):
            m = _WORD_TOKEN.match(body, pos)
            if not m:
                raise InputError(f"unexpected character {body[pos:].strip()[:1]!r} in {what} "
                                 f"{text!r}")
            self.tokens.append((m.lastgroup, m.group(m.lastgroup)))
            pos = m.end()
        self.pos = 0

    def peek(self):
        return self.tokens[self.pos] if self.pos < len(self.tokens) else (None, None)

    def fail(self, expected: str):
        kind, value = self.peek()
        got = "end of text" if kind is None else repr(value)
        raise InputError(f"malformed {self.what} {self.text!r}: expected {expected}, "
                         f"found {got}")

    def take(self, value: str):
        if self.peek()[1] != value:
            self.fail(repr(value))
        self.pos += 1

    def parse(self) -> tuple[int, ...]:
        if not self.tokens:
            raise InputError(f"{self.what} is empty; write '1' for the identity")
        word = self.product()
        if self.peek()[1] == "=":
            self.pos += 1
            rhs = self.product()
            word = word + _inverse(rhs)
        if self.pos != len(self.tokens):
            self.fail("'*', '^' or the end")
        return free_reduce(word)

    def product(self) -> tuple[int, ...]:
        word = self.factor()
        while self.peek()[1] == "*":
            self.pos += 1
            word = word + self.factor()
        return word

    def factor(self) -> tuple[int, ...]:
        word = self.base()
        while self.peek()[1] == "^":
            self.pos += 1
            kind, value = self.peek()
            if kind != "int":
                self.fail("an integer exponent")
            self.pos += 1
            e = int(value)
            if abs(e) > MAX_EXPONENT:
                raise InputError(f"exponent {e} in {self.what} {self.text!r} exceeds "
                                 f"{MAX_EXPONENT}")
            if e < 0:
                word = _inverse(word)
            if len(word) * abs(e) > MAX_WORD_LENGTH:
                raise InputError(f"{self.what} {self.text!r} is longer than {MAX_WORD_LENGTH} "
                                 "letters")
            word = free_reduce(word * abs(e))
        return word

    def base(self) -> tuple[int, ...]:
        kind, value = self.peek()
        if (kind, value) == ("int", "1"):
            self.pos += 1
            return ()
        if kind == "name":
            if value not in self.index:
                known = ", ".join(self.index) or "none"
                raise InputError(f"unknown generator {value!r} in {self.what} {self.text!r} "
                                 f"(generators: {known})")
            self.pos += 1
            return (self.index[value],)
        if value == "(":
            self.pos += 1
            word = self.product()
            self.take(")")
            return word
        if value == "[":
            self.pos += 1
            a = self.product()
            self.take(",")
            b = self.product()
            self.take("]")
            return free_reduce(_inverse(a) + _inverse(b) + a + b)
        self.fail("a generator, '(' or '['")


def parse_word(text: str, names: tuple[str, ...], what: str = "word") -> tuple[int, ...]:
    """Parse a word like ``"(r*s)^3"`` or ``"s^2*r^-1"`` into a letter list.

    Letter ``i`` is the i-th generator, ``-i`` its inverse.  A relation
    ``"a = b"`` becomes the relator ``a * b^-1``.
    """
    if not isinstance(text, str):
        raise InputError(f"{what} must be a string like 's^2*r', not {text!r}")
    if len(text) > MAX_TEXT:
        raise InputError(f"{what} is longer than {MAX_TEXT} characters")
    return _WordParser(text, names, what).parse()
