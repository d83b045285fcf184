"""Symmetry breaking objects as e3nn irreps vectors (docs/theory.md section 5).

* :func:`symmetry_breaking_set`: the minimal equivariant SBS of S -> K as a
  verified :class:`SymmetryBreakingSet` (objects, the actions of S and N' on
  them, representation matrices, sampling, pairing with training targets,
  torch tensors), or for a space group a :class:`SpaceSymmetryBreakingSet`
  of uniform fields or marker patterns; :func:`symmetry_breaking_sets`, one
  set per class that K names (``sbs objects``);
* :func:`representation_matrices`: D(g) of e3nn irreps for orthogonal
  matrices, in float64, from e3nn's spherical harmonics evaluated in NumPy
  (no torch needed);
* :func:`irreps`, :func:`format_irreps`, :func:`axis_rotation`.
"""
from ._api import symmetry_breaking_set, symmetry_breaking_sets
from ._irreps import (
    MAX_IRREPS_L, Irrep, Irreps, axis_rotation, format_irreps, irreps, representation_matrices,
    spherical_harmonics,
)
from ._periodic import MARKER_GRID, space_symmetry_breaking_set
from ._realize import MAX_L, smallest_irreps
from ._set import SymmetryBreakingSet
from ._space_set import MarkerFields, MarkerPattern, SpaceSymmetryBreakingSet, UniformField

__all__ = ["symmetry_breaking_set", "symmetry_breaking_sets", "SymmetryBreakingSet", "MarkerFields",
           "representation_matrices", "irreps", "Irreps", "Irrep", "format_irreps", "axis_rotation", "smallest_irreps",
           "spherical_harmonics", "MAX_L", "MAX_IRREPS_L", "space_symmetry_breaking_set",
           "SpaceSymmetryBreakingSet", "UniformField", "MarkerPattern", "MARKER_GRID"]
