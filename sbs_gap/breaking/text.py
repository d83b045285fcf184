"""Plain text for the results' ``to_table()``: aligned tables, vectors,
matrices and affine maps, and the table of partial-breaking rows.

One place for the layout of every ``sbs`` text output (breaking results here,
sets of objects, detections and transitions above).  No GAP, no NumPy.
"""
from __future__ import annotations

from fractions import Fraction

__all__ = ["pairs_table", "rows_table", "partial_table", "vector_text", "matrix_text", "affine_text"]


def pairs_table(pairs) -> str:
    """``key  value`` lines, the keys padded to one width."""
    pairs = list(pairs)
    width = max(len(k) for k, _ in pairs)
    return "\n".join(f"{k.ljust(width)}  {v}" for k, v in pairs)


def rows_table(records, empty: str = "no rows") -> str:
    """Records (dicts with the same keys) as aligned columns under a header
    line; None is ``-``.  ``empty`` is the text for no records."""
    records = list(records)
    if not records:
        return empty
    keys = list(records[0])
    cells = [[("-" if r[k] is None else str(r[k])) for k in keys] for r in records]
    widths = [max(len(k), *(len(row[i]) for row in cells)) for i, k in enumerate(keys)]
    lines = ["  ".join(k.ljust(w) for k, w in zip(keys, widths))]
    lines += ["  ".join(c.ljust(w) for c, w in zip(row, widths)) for row in cells]
    return "\n".join(lines)


def partial_table(rows, *, group=None, kind: str | None = None) -> str:
    """``sbs partial``'s text: the rows of :func:`~sbs_gap.breaking.partial_breaking`
    (point groups, problems or space groups) as one table.  With no rows, a
    sentence; for a space group's ``kind="k"`` (``group`` its name) one that
    says why that is legitimate (e.g. Fd-3m has no maximal k-subgroup of
    index 2 to 4)."""
    if not rows and kind == "k" and group is not None:
        from ..groups import group_by_name
        from . import MAX_K_INDEX

        return (f"{group_by_name(group).name} has no maximal k-subgroups of index 2 to "
                f"{MAX_K_INDEX} (--kind k lists only those)")
    return rows_table([r.to_json() for r in rows], empty="no subgroup classes")


def vector_text(values, digits: int = 4) -> str:
    """``[+0.8660 +0.5000 +0.0000]``: signed, fixed decimals."""
    return "[" + " ".join(f"{x:+.{digits}f}" for x in values) + "]"


def matrix_text(rows) -> str:
    """``[1 0 0; 0 1 0; 0 0 1]``: rows as given (exact values as text)."""
    return "[" + "; ".join(" ".join(str(x) for x in row) for row in rows) + "]"


def affine_text(m) -> str:
    """x -> R x + t (a 3x4 or 4x4 affine matrix, exact entries or their text)
    as the coordinate triplet of ITA (e.g. ``-y,x,z+1/2``)."""
    parts = []
    for i in range(3):
        terms = ""
        for coefficient, axis in zip(m[i][:3], "xyz"):
            c = Fraction(coefficient)
            if c:
                sign = "-" if c < 0 else "+"
                magnitude = "" if abs(c) == 1 else f"{abs(c)}"
                terms += f"{sign}{magnitude}{axis}"
        t = Fraction(m[i][3])
        if t:
            terms += f"{'-' if t < 0 else '+'}{abs(t)}"
        parts.append(terms.lstrip("+") or "0")
    return ",".join(parts)
