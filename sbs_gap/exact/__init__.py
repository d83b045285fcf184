"""Exact numbers: strict parsing and conversion to sympy, float and GAP cyclotomics."""
from ._expr import (  # noqa: F401
    MAX_ANGLE_DENOMINATOR, MAX_INT_DIGITS, MAX_SQRT_ARGUMENT, Cos, Exact, Product, Rat, Sin,
    Sqrt, Sum, cos_pi, exact, parse_exact, sin_pi, sqrt,
)
from ._rational import (  # noqa: F401
    affine, affine_parts, determinant, inverse, matmul, matvec, mod_one, rational_matrix,
)
