"""sbs_gap: exact symmetry breaking sets for equivariant neural networks.

An equivariant network cannot lower the symmetry S of its input; fed one
object of a symmetry breaking set (SBS), it can produce each of the less
symmetric outputs (symmetry K).  The mathematics is in docs/theory.md.

The public API (one call per question)::

    full_breaking(S)                      # normalizer, ideal?, minimal size (FullBreaking)
    partial_breaking(S, K)                # the same for S -> K, per class (PartialBreaking)
    subgroup_classes(S)                   # the classes of K, with their names
    symmetry_breaking_set(S, K, irreps=, frame=)   # the objects (SymmetryBreakingSet)
    detect(path)                          # S and its orientation from a structure
    to_structure(obj)                     # a path, ase.Atoms or pymatgen object -> Structure
    point_group(name), load_problem(path) # inputs

S is a point group (ambient group O(3)) or a problem file's finite group.
The group theory runs in GAP (:mod:`sbs_gap.gap`); the layers, from the bottom:
``exact`` and ``gap`` -> ``groups`` -> ``breaking`` -> ``objects`` ->
``structures`` -> ``tables``, ``nn`` -> ``demos`` -> ``cli``.  Importing sbs_gap
does not import torch (``sbs_gap.nn`` does).
"""
from .errors import (
    GapDied, GapError, GapNotFoundError, GapStartError, GapTimeout, InputError, SbsError,
    VerificationError,
)

__version__ = "0.1.0"

from .groups import (  # noqa: E402
    DEFAULT_MAX_ORDER, PointGroup, Problem, ProblemInfo, crystallographic_point_groups,
    load_problem, parse_problem, point_group,
)
from .breaking import (  # noqa: E402
    FullBreaking, PartialBreaking, PointGroupNormalizer, SubgroupClass, full_breaking,
    normalizer, partial_breaking, subgroup_classes,
)
from .objects import (  # noqa: E402
    SymmetryBreakingSet, representation_matrices, symmetry_breaking_set,
)
from .structures import (  # noqa: E402
    Detection, Structure, detect, read_structure, to_structure,
)

__all__ = [
    "point_group", "PointGroup", "crystallographic_point_groups", "load_problem",
    "parse_problem", "Problem", "ProblemInfo", "DEFAULT_MAX_ORDER",
    "full_breaking", "partial_breaking", "FullBreaking", "PartialBreaking",
    "subgroup_classes", "SubgroupClass", "normalizer", "PointGroupNormalizer",
    "symmetry_breaking_set", "SymmetryBreakingSet", "representation_matrices",
    "detect", "Detection", "read_structure", "to_structure", "Structure",
    "SbsError", "InputError", "GapNotFoundError", "GapStartError", "GapError", "GapTimeout",
    "GapDied", "VerificationError", "__version__",
]
