"""The breaking engine: normalizers, complements and minimal symmetry breaking sets.

One result type per question (:class:`FullBreaking`, :class:`PartialBreaking`),
whatever the input group:

* finite ambient groups from problem files (:func:`solve_full`,
  :func:`solve_partial`; docs/theory.md sections 2-3);
* point groups in O(3) (section 4): :func:`normalizer`,
  :func:`subgroup_classes`, :func:`complement_names`;
* magnetic point groups in O(3) x {1, theta} (section 9):
  :func:`magnetic_full`, :func:`magnetic_partial`,
  :func:`magnetic_subgroup_classes`;
* grey space groups in E(3) x {1, theta} (sections 8-9):
  :func:`magnetic_space_full`, :func:`magnetic_space_partial`,
  :func:`magnetic_space_subgroup_classes`;
* space groups in E(3) (section 8): :func:`euclidean_normalizer`,
  :func:`space_subgroup_classes`, :func:`space_group_full`,
  :func:`space_group_partial` (their own result types,
  :class:`SpaceFullBreaking` and :class:`SpacePartialBreaking`);
* :func:`full_breaking` / :func:`partial_breaking` dispatch on the input.

Everything is computed in GAP (gap_scripts/gap/sbs.gi, o3.gi, space.gi).
"""
from ._ambient import AmbientInfo, gap_order, problem_info, register_ambient
from ._api import full_breaking, partial_breaking
from ._e3 import lattice_generators, space_group_full, space_group_partial, space_subgroup_class
from ._e3_naming import operations_type, rotation_point_group
from ._e3_select import select_space_classes
from ._e3_structure import (
    MAX_K_INDEX, EuclideanNormalizer, SpaceGroupStructure, SpaceSubgroupClass,
    coset_representatives, embedding_shifts, euclidean_normalizer, space_group_structure,
    space_subgroup_classes,
)
from ._finite import ProblemSolution, solve, solve_full, solve_partial
from ._magnetic import (
    MagneticFullBreaking, MagneticPartialBreaking, MagneticStructure, MagneticSubgroupClass,
    magnetic_full, magnetic_partial, magnetic_structure, magnetic_subgroup_classes,
    select_magnetic_classes,
)
from ._magnetic import classes_with_rows as magnetic_classes_with_rows
from ._magnetic_space import (
    MagneticSpaceFullBreaking, MagneticSpacePartialBreaking, MagneticSpaceSubgroupClass,
    magnetic_point_group_name, magnetic_space_classes_over, magnetic_space_full,
    magnetic_space_operations,
    magnetic_space_partial, magnetic_space_subgroup_classes, select_magnetic_space_classes,
)
from ._naming import SubgroupClass, class_members, element_geometry
from ._o3 import (
    PointGroupNormalizer, PointGroupStructure, classes_with_rows, complement_names, normalizer,
    point_group_elements, point_group_full, point_group_partial, point_group_structure,
    select_subgroup_classes, subgroup_classes, subgroup_generators,
)
from ._results import (
    FULL_FIELDS, PARTIAL_FIELDS, SPACE_FULL_FIELDS, SPACE_PARTIAL_FIELDS, FullBreaking,
    PartialBreaking, SpaceFullBreaking, SpacePartialBreaking, full_result, partial_result,
)
from ._transformations import format_transformation, parse_transformation

__all__ = [
    "AmbientInfo", "gap_order", "problem_info", "register_ambient",
    "full_breaking", "partial_breaking", "FullBreaking", "PartialBreaking", "FULL_FIELDS",
    "PARTIAL_FIELDS", "full_result", "partial_result", "solve", "solve_full", "solve_partial",
    "ProblemSolution", "normalizer", "PointGroupNormalizer", "PointGroupStructure",
    "point_group_structure", "point_group_elements", "point_group_full", "point_group_partial",
    "subgroup_classes", "SubgroupClass", "select_subgroup_classes", "classes_with_rows",
    "class_members", "element_geometry", "complement_names", "subgroup_generators",
    "SpaceFullBreaking", "SpacePartialBreaking", "SPACE_FULL_FIELDS", "SPACE_PARTIAL_FIELDS",
    "EuclideanNormalizer", "SpaceGroupStructure", "SpaceSubgroupClass", "MAX_K_INDEX",
    "euclidean_normalizer", "space_group_structure", "space_subgroup_classes",
    "space_group_full", "space_group_partial", "select_space_classes",
    "format_transformation", "parse_transformation", "space_subgroup_class",
    "coset_representatives", "embedding_shifts", "operations_type", "lattice_generators",
    "rotation_point_group", "MagneticFullBreaking", "MagneticPartialBreaking",
    "MagneticStructure", "MagneticSubgroupClass", "magnetic_full", "magnetic_partial",
    "magnetic_structure", "magnetic_subgroup_classes", "select_magnetic_classes",
    "magnetic_classes_with_rows", "MagneticSpaceFullBreaking", "MagneticSpacePartialBreaking",
    "MagneticSpaceSubgroupClass", "magnetic_point_group_name", "magnetic_space_full",
    "magnetic_space_operations", "magnetic_space_partial", "magnetic_space_subgroup_classes",
    "select_magnetic_space_classes", "magnetic_space_classes_over",
]
