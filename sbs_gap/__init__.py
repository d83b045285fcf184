"""sbs_gap: exact symmetry breaking sets for equivariant neural networks.

The group theory runs in GAP, driven through one long-lived session
(:mod:`sbs_gap.gap`); groups come in as point-group names
(:func:`point_group`) or problem files (:func:`load_problem`).
"""
from .errors import (  # noqa: F401
    GapDied, GapError, GapNotFoundError, GapTimeout, InputError, SbsError,
)

__version__ = "0.1.0"

from .groups import (  # noqa: F401,E402
    DEFAULT_MAX_ORDER, PointGroup, Problem, ProblemInfo, crystallographic_point_groups,
    load_problem, parse_problem, point_group,
)

from .engine import FullBreaking, PartialBreaking, solve  # noqa: F401,E402
from .o3 import (  # noqa: F401,E402
    full_breaking, normalizer, partial_breaking, subgroup_classes,
)
