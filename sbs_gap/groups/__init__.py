"""Group input: point groups by name, finite groups from problem files.

* :func:`point_group`: a finite subgroup of O(3) by Schoenflies name or
  Hermann-Mauguin symbol, with exact generators in the standard orientation;
* :func:`load_problem` / :func:`parse_problem`: a finite ambient group G, the
  input symmetry S and a target K from a JSON problem file;
* :func:`magnetic_point_group`: the magnetic point groups (``4/mm'm'``,
  ``m-3m1'``; docs/theory.md section 9), :func:`magnetic_point_group_types`
  the 122 crystallographic types;
* :func:`space_group`: the 230 space-group types in ITA settings, with the
  lattice holohedry of a metric (:func:`lattice_holohedry`);
* validated group data (:class:`MatrixData`, :class:`PermutationData`,
  :class:`PresentationData`, :class:`WordsData`).

Everything here is pure data: nothing starts GAP.  The engine registers the
data in GAP (:func:`sbs_gap.breaking.register_ambient`,
:func:`sbs_gap.breaking.gap_order`, :func:`sbs_gap.breaking.problem_info`).
"""
from ._closure import MatrixIndex, matrix_closure, matrix_key
from ._data import (
    MAX_DIMENSION, MatrixData, PermutationData, PresentationData, WordsData,
    parse_matrices,
)
from ._magnetic import (
    MagneticPointGroup, hm_positions, is_magnetic_name, magnetic_point_group,
    magnetic_point_group_types, magnetic_symbol,
)
from ._grey import GreySpaceGroup, grey_space_group, looks_like_magnetic_space_group
from ._magnetic_space import (
    MagneticSpaceGroupType, grey_type, is_magnetic_space_group_name,
    magnetic_space_group_type, magnetic_space_group_types,
)
from ._parse import free_reduce, parse_cycles, parse_word
from ._pointgroups import (
    DEFAULT_MAX_ORDER, HERMANN_MAUGUIN, PointGroup, crystallographic_point_groups, point_group,
    point_group_names,
)
from ._problem import Problem, ProblemInfo, load_problem, parse_problem
from ._resolve import group_by_name
from ._types import NotAPointGroup, element_order, point_group_type
from ._spacegroups import (
    MAX_SUBGROUP_INDEX, SpaceGroup, cell_basis, crystal_family, generic_cell,
    SpaceProblem, is_space_group_name, lattice_holohedry, parse_cell, parse_operation,
    parse_space_problem, primitive_basis, quiet_spglib, space_group, space_group_by_number,
    space_group_names,
)

__all__ = [
    "point_group", "PointGroup", "crystallographic_point_groups", "point_group_names",
    "HERMANN_MAUGUIN", "DEFAULT_MAX_ORDER", "load_problem", "parse_problem", "Problem",
    "ProblemInfo", "MatrixData", "PermutationData",
    "PresentationData", "WordsData", "parse_matrices", "MAX_DIMENSION", "parse_cycles",
    "parse_word", "free_reduce", "matrix_closure", "matrix_key", "MatrixIndex",
    "group_by_name", "SpaceGroup", "space_group", "space_group_by_number", "space_group_names",
    "is_space_group_name", "crystal_family", "generic_cell", "parse_cell", "cell_basis",
    "lattice_holohedry", "primitive_basis", "MAX_SUBGROUP_INDEX", "quiet_spglib",
    "SpaceProblem", "parse_space_problem", "parse_operation", "MagneticPointGroup",
    "magnetic_point_group", "magnetic_point_group_types", "magnetic_symbol", "hm_positions",
    "is_magnetic_name", "NotAPointGroup", "element_order", "point_group_type",
    "MagneticSpaceGroupType", "magnetic_space_group_types", "magnetic_space_group_type",
    "is_magnetic_space_group_name", "grey_type", "GreySpaceGroup", "grey_space_group",
    "looks_like_magnetic_space_group",
]
