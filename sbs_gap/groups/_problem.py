"""Problem files: an ambient group G, the input symmetry S <= G, a target K <= S.

Format (JSON)::

    {"name": str, "ambient": GROUP, "group": GROUP, "target": GROUP (optional),
     "description": str (optional)}

GROUP is one of::

    {"permutations": ["(1,2,3)(4,5)", ...]}          # [] is the trivial group
    {"matrices": [[["1","0"],["0","-1"]], ...]}      # exact orthogonal matrices
    {"presentation": {"generators": ["r","s"],       # ambient only; finite
                      "relators": ["r^2", "(r*s)^3"]}}
    {"words": ["r", "s^2*r"]}                        # subgroups of a presented ambient

An optional ``"representation": {"matrices": [...]}`` gives, for each generator
of the ambient group in order, its matrix in an orthogonal representation: the
SBS objects (``sbs objects --problem``) are then vectors of it (by default, of
the ambient's own matrices).

``group`` and ``target`` are given in the ambient's terms: permutations for a
permutation ambient, matrices for a matrix ambient, words for a presented one.

Space groups (ambient E(3)) have their own form: ``{"name": str, "space_group":
"Pm-3m", "target": {"operations": ["-y,x,z", "x+2,y,z", ...]}}``, K given by
generating operations in coordinate-triplet notation, a basis of its lattice
among them (:class:`~sbs_gap.groups.SpaceProblem`).
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from ..errors import InputError
from ._data import (
    MatrixData, PermutationData, PresentationData, WordsData,
    parse_matrices, parse_permutations,
)
from ._parse import parse_generator_names, parse_word
from ._spacegroups import SpaceProblem, parse_space_problem

__all__ = ["Problem", "ProblemInfo", "load_problem", "parse_problem", "MAX_PROBLEM_BYTES"]

MAX_PROBLEM_BYTES = 10_000_000
_TOP_KEYS = ("name", "ambient", "group", "target", "description", "representation")
_GROUP_KINDS = ("permutations", "matrices", "presentation", "words")


@dataclass(frozen=True)
class ProblemInfo:
    """Orders computed by GAP for a problem (``sbs group --problem``;
    :func:`sbs_gap.breaking.problem_info`)."""

    group: str
    order: int
    ambient_order: int
    target_order: int | None


@dataclass(frozen=True)
class Problem:
    """A validated problem: ambient group data, and S, K in the ambient's terms."""

    name: str
    ambient: PermutationData | MatrixData | PresentationData
    group: PermutationData | MatrixData | WordsData
    target: PermutationData | MatrixData | WordsData | None = None
    description: str = ""
    #: Optional: the images of the ambient's generators in an orthogonal
    #: representation, for the SBS objects (``sbs objects --problem``).
    representation: MatrixData | None = None

    def target_data(self):
        """The target's generators as literal data for GAP, or None (GAP fail)."""
        return None if self.target is None else self.target.gap_data()



def _one_kind(obj, role: str) -> tuple[str, object]:
    if not isinstance(obj, dict):
        raise InputError(f"'{role}' must be an object with one of the keys "
                         f"{', '.join(_GROUP_KINDS)}")
    keys = list(obj)
    if len(keys) != 1 or keys[0] not in _GROUP_KINDS:
        raise InputError(f"'{role}' must have exactly one of the keys "
                         f"{', '.join(_GROUP_KINDS)} (found: {', '.join(map(repr, keys)) or 'none'})")
    return keys[0], obj[keys[0]]


def _parse_presentation(value) -> PresentationData:
    if not isinstance(value, dict) or set(value) - {"generators", "relators"} \
            or "generators" not in value:
        raise InputError("'ambient' presentation must be an object with keys 'generators' "
                         "and 'relators'")
    names = parse_generator_names(value["generators"], "ambient presentation")
    relators = value.get("relators", [])
    if not isinstance(relators, list):
        raise InputError("ambient presentation 'relators' must be a list of words")
    return PresentationData(names, tuple(parse_word(r, names, f"relator {i + 1}")
                                         for i, r in enumerate(relators)))


def _parse_subgroup(obj, role: str, ambient) -> PermutationData | MatrixData | WordsData:
    kind, value = _one_kind(obj, role)
    expected = "words" if isinstance(ambient, PresentationData) else ambient.kind
    if kind != expected:
        raise InputError(f"'{role}' is given as {kind} but the ambient group is given as "
                         f"{ambient.kind}: give '{role}' as {expected}")
    if kind == "permutations":
        return parse_permutations(value, role)
    if kind == "matrices":
        return parse_matrices(value, role, dimension=ambient.dimension)
    if not isinstance(value, list):
        raise InputError(f"'{role}' words must be a list of strings")
    return WordsData(tuple(parse_word(w, ambient.generator_names, f"{role} word {i + 1}")
                           for i, w in enumerate(value)))


def parse_problem(data) -> Problem | SpaceProblem:
    """Validate a problem given as parsed JSON; raises InputError naming the fault."""
    if not isinstance(data, dict):
        raise InputError("a problem must be a JSON object")
    if "space_group" in data:
        return parse_space_problem(data)
    unknown = [k for k in data if k not in _TOP_KEYS]
    if unknown:
        raise InputError(f"unknown key {unknown[0]!r} in problem (allowed: "
                         f"{', '.join(_TOP_KEYS)})")
    for key in ("name", "ambient", "group"):
        if key not in data:
            raise InputError(f"problem is missing the key {key!r}")
    name = data["name"]
    if not isinstance(name, str) or not name.strip() or len(name) > 200 \
            or not name.isprintable():
        raise InputError("problem 'name' must be a non-empty printable string of at most "
                         "200 characters")
    description = data.get("description", "")
    if not isinstance(description, str):
        raise InputError("problem 'description' must be a string")
    kind, value = _one_kind(data["ambient"], "ambient")
    if kind == "permutations":
        ambient = parse_permutations(value, "ambient")
    elif kind == "matrices":
        ambient = parse_matrices(value, "ambient")
    elif kind == "presentation":
        ambient = _parse_presentation(value)
    else:
        raise InputError("'ambient' cannot be given as words; words name elements of a "
                         "presented ambient group")
    group = _parse_subgroup(data["group"], "group", ambient)
    target = None
    if data.get("target") is not None:
        target = _parse_subgroup(data["target"], "target", ambient)
    representation = None
    if data.get("representation") is not None:
        rep = data["representation"]
        if not isinstance(rep, dict) or list(rep) != ["matrices"]:
            raise InputError("'representation' must be an object with the one key 'matrices'")
        representation = parse_matrices(rep["matrices"], "representation")
        count = (len(ambient.generator_names) if isinstance(ambient, PresentationData)
                 else len(ambient.generators))
        if len(representation.generators) != count:
            raise InputError(f"'representation' has {len(representation.generators)} "
                             f"matrices; it needs one per ambient generator ({count})")
    return Problem(name=name, ambient=ambient, group=group, target=target,
                   description=description, representation=representation)


def load_problem(path) -> Problem | SpaceProblem:
    """Read and validate a problem file (JSON)."""
    path = Path(path)
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise InputError(f"cannot read problem file {str(path)!r}: {exc.strerror}") from None
    if not path.is_file():
        raise InputError(f"problem file {str(path)!r} is not a file")
    if size > MAX_PROBLEM_BYTES:
        raise InputError(f"problem file {str(path)!r} is larger than {MAX_PROBLEM_BYTES} bytes")
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"cannot read problem file {str(path)!r}: {exc}") from None
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise InputError(f"problem file {str(path)!r} is not valid JSON: {exc.msg} at line "
                         f"{exc.lineno} column {exc.colno}") from None
    return parse_problem(data)
