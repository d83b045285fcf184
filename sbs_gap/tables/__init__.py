"""The tables (``make tables``, ``sbs tables``) and their checks.

* :func:`compute_tables` / :func:`write_tables`: the SBS tables of the covered
  point groups (full.csv, partial.csv and Markdown twins);
* :func:`compute_space_tables` / :func:`write_space_tables`: the tables of
  the 230 space-group types (``tables/spacegroups/``), locally or on Dask;
* :func:`compute_magnetic_tables` / :func:`write_magnetic_tables`: the
  magnetic tables of the grey point and space groups (``tables/magnetic/``,
  ``sbs tables --magnetic``), locally or on Dask;
* :func:`catalog_rows` / :func:`write_catalog`: the catalog of groups with
  their orders checked three ways;
* :func:`crosscheck_tables`: every row recomputed by the independent
  pure-Python engine (:mod:`sbs_gap.independent`); the magnetic tables
  with :func:`crosscheck_magnetic_tables` (a sample of the space groups);
* :func:`read_table`, :func:`write_atomic`: table files.
"""
from ._catalog import (
    AXIAL_N_MAX, CatalogRow, catalog_groups, catalog_rows, numeric_closure_order, write_catalog,
)
from ._crosscheck import (
    MAGNETIC_SPACE_SAMPLE, MAX_BRUTE_FORCE_ORDER, CrosscheckReport, crosscheck_magnetic_tables,
    crosscheck_problem, crosscheck_space_groups, crosscheck_space_tables, crosscheck_tables,
)
from ._io import check_output_folder, format_value, parse_value, read_table, write_atomic
from ._magnetic import (
    MAGNETIC_POINT_FIELDS, MAGNETIC_README, MAGNETIC_SPACE_FIELDS, compute_magnetic_tables,
    magnetic_group_rows, magnetic_group_task, magnetic_table_groups, write_magnetic_tables,
)
from ._pointgroups import compute_tables, table_groups, write_tables
from ._spacegroups import (
    NORMALIZER_FIELDS, SPACE_README, NormalizerRow, compute_space_tables, space_group_rows,
    space_table_groups, write_space_tables,
)

__all__ = [
    "compute_tables", "write_tables", "table_groups", "catalog_rows", "catalog_groups",
    "CatalogRow", "numeric_closure_order", "write_catalog", "AXIAL_N_MAX", "crosscheck_tables",
    "crosscheck_problem", "crosscheck_space_groups", "crosscheck_space_tables",
    "CrosscheckReport", "MAX_BRUTE_FORCE_ORDER",
    "read_table", "write_atomic", "format_value", "parse_value", "check_output_folder",
    "compute_space_tables", "write_space_tables", "space_table_groups", "space_group_rows",
    "NormalizerRow", "NORMALIZER_FIELDS", "SPACE_README",
    "compute_magnetic_tables", "write_magnetic_tables", "magnetic_table_groups",
    "magnetic_group_rows", "magnetic_group_task", "MAGNETIC_POINT_FIELDS", "MAGNETIC_SPACE_FIELDS", "MAGNETIC_README",
    "crosscheck_magnetic_tables", "MAGNETIC_SPACE_SAMPLE",
]
