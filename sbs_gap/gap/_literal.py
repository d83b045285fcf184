"""The one path from Python values to GAP text.

Every argument the bridge sends to GAP goes through :func:`gap_literal`, which
accepts only typed, validated values: booleans, ``None`` (GAP ``fail``),
integers, fractions, exact numbers (:mod:`sbs_gap.exact`, written as cyclotomic
expressions of integers, ``E(n)`` and ``Sqrt(q)``), :class:`StoreKey` (the name
of an object registered in GAP) and lists of those.  Plain strings are refused:
text from users never reaches GAP.
"""
from __future__ import annotations

import hashlib
import re
from fractions import Fraction
from operator import index

from ..exact import Cos, Exact, Product, Rat, Sin, Sqrt, Sum

__all__ = ["StoreKey", "gap_literal"]

_KEY = re.compile(r"[a-z][a-z0-9_]{0,63}")


class StoreKey(str):
    """The name of an object the bridge registered in GAP's ``SBS_Store``.

    Keys are lower-case identifiers; :meth:`digest` derives one from the
    defining data, so equal data share one registration per GAP process.
    """

    def __new__(cls, text: str):
        if not isinstance(text, str) or not _KEY.fullmatch(text):
            raise ValueError(f"not a store key: {text!r}")
        return super().__new__(cls, text)

    @classmethod
    def digest(cls, prefix: str, *data) -> "StoreKey":
        """A key for the registration of ``data`` (serialized with gap_literal)."""
        text = ",".join(gap_literal(d) for d in data)
        return cls(prefix + hashlib.sha256(text.encode()).hexdigest()[:32])


def _rational(q: Fraction) -> str:
    if q.denominator == 1:
        return f"({q.numerator})"
    return f"({q.numerator}/{q.denominator})"


def _root_of_unity_pair(turns: Fraction) -> tuple[str, str]:
    """exp(i pi turns) and its inverse, turns = p/q, as powers of E(2q)."""
    p, q = turns.numerator, turns.denominator
    return f"E({2 * q})^({p})", f"E({2 * q})^({-p})"


def _exact_literal(node: Exact) -> str:
    """An exact real number as a GAP cyclotomic expression."""
    if isinstance(node, Rat):
        return _rational(node.value)
    if isinstance(node, Sqrt):
        return f"Sqrt{_rational(node.radicand)}"
    if isinstance(node, Cos):
        z, zinv = _root_of_unity_pair(node.turns)
        return f"(({z}+{zinv})/2)"
    if isinstance(node, Sin):
        z, zinv = _root_of_unity_pair(node.turns)
        return f"(({z}-{zinv})/(2*E(4)))"
    if isinstance(node, Sum):
        return "(" + "+".join(_exact_literal(t) for t in node.terms) + ")"
    if isinstance(node, Product):
        return "(" + "*".join(_exact_literal(f) for f in node.factors) + ")"
    raise TypeError(f"cannot send a {type(node).__name__} to GAP")


def gap_literal(value) -> str:
    """Serialize validated Python data as a GAP literal.

    Accepted: bool, None (GAP ``fail``), int, Fraction, :class:`~sbs_gap.exact.Exact`,
    :class:`StoreKey`, and lists/tuples of those.  Anything else, plain ``str``
    included, raises TypeError.
    """
    if isinstance(value, StoreKey):
        return f'"{value}"'
    if isinstance(value, str):
        raise TypeError("plain strings are never sent to GAP")
    if value is True:
        return "true"
    if value is False:
        return "false"
    if value is None:
        return "fail"
    if isinstance(value, Fraction):
        return _rational(value) if value.denominator != 1 else str(value.numerator)
    if isinstance(value, Exact):
        return _exact_literal(value)
    if isinstance(value, (list, tuple)):
        return "[" + ",".join(gap_literal(v) for v in value) + "]"
    try:
        return str(index(value))
    except TypeError:
        raise TypeError(f"cannot send a {type(value).__name__} to GAP") from None
