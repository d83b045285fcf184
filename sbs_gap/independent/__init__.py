"""An independent, pure-Python (numpy) re-derivation of the SBS answers.

Nothing here uses GAP or the GAP path's modules (``sbs_gap.gap``, ``sbs_gap.breaking``,
``sbs_gap.objects``, ``sbs_gap.tables``); only :func:`sbs_gap.groups.point_group` and
:func:`sbs_gap.groups.magnetic_point_group` are used, for the elements of the input
group, and :func:`sbs_gap.groups.magnetic_space_group_type` for the operations of a
BNS standard setting (to read a class name back into its operations).  It exists so that a cross-check can catch bugs in either implementation.

- :func:`independent_full` / :func:`independent_partial`: point groups S < O(3), with
  the same fields as ``sbs full --json`` / ``sbs partial --json`` (subgroup class names
  included);
- :func:`independent_problem_rows`: finite permutation groups (sizes and booleans);
- :func:`independent_space_full` / :func:`independent_space_t_rows`: space groups
  (spglib's operations, the normalizer by direct search, F by brute force);
- :func:`independent_magnetic_full` / :func:`independent_magnetic_partial`: magnetic
  point groups S' < O(3) x {1, theta} (THEORY section 9), rows matched to classes by
  the element keys :func:`magnetic_element_key`;
- :func:`independent_magnetic_orderings`: the classes without theta of a grey point
  group (the rows of ``tables/magnetic/pointgroups.csv``), with their magnetic type;
- :func:`independent_magnetic_space_rows`: grey space groups S1' -> magnetic
  subgroups M over the t-subgroups of S (types I, III, IV; THEORY sections 8-9),
  M read from a class name through the BNS setting's operations
  (:func:`sbs_gap.groups.magnetic_space_group_type`, data), or given by its
  generators and flags (:func:`independent_magnetic_space_row`); the classes
  enumerated here (:func:`independent_magnetic_space_classes`);
- :mod:`.bruteforce`: the literal brute force over all subgroups, for tiny groups.
"""
from ._geometry import closure_matrices, format_direction, type_name
from ._magnetic import element_key as magnetic_element_key
from ._magnetic import (
    independent_magnetic_full, independent_magnetic_orderings, independent_magnetic_partial,
)
from ._magnetic_space import (
    MAGNETIC_SPACE_KEYS, independent_magnetic_space_classes, independent_magnetic_space_row,
    independent_magnetic_space_rows, magnetic_subgroup_from_name,
)
from ._permutations import as_images, independent_problem_rows
from ._pointgroups import independent_full, independent_partial, point_group_problem
from ._spacegroups import (
    independent_space_full, independent_space_group, independent_space_t_rows,
)

__all__ = ["independent_full", "independent_partial", "independent_problem_rows",
           "point_group_problem", "as_images", "closure_matrices", "format_direction",
           "type_name", "independent_space_full", "independent_space_t_rows",
           "independent_space_group", "independent_magnetic_full",
           "independent_magnetic_partial", "magnetic_element_key",
           "independent_magnetic_orderings", "MAGNETIC_SPACE_KEYS",
           "independent_magnetic_space_classes", "independent_magnetic_space_row",
           "independent_magnetic_space_rows", "magnetic_subgroup_from_name"]
