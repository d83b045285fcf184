"""Group input: point groups by name, finite groups from problem files."""
from ._data import (  # noqa: F401
    AmbientInfo, MatrixData, PermutationData, PresentationData, WordsData, register_ambient,
)
from ._parse import free_reduce, parse_cycles, parse_word  # noqa: F401
from ._pointgroups import (  # noqa: F401
    DEFAULT_MAX_ORDER, HERMANN_MAUGUIN, PointGroup, crystallographic_point_groups, point_group,
    point_group_names,
)
from ._problem import Problem, ProblemInfo, load_problem, parse_problem  # noqa: F401
