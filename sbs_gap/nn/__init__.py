"""The torch harness: an e3nn network that takes a symmetry breaking object.

* :class:`Graph`, :class:`EquivariantNetwork`: gated tensor-product
  convolutions, message passing in plain torch, periodic graphs;
* :func:`train`, :class:`TrainingPair`: training with a set of objects and
  their paired targets (docs/theory.md section 6);
* :func:`equivariance_error`: the float64 equivariance test.

Importing this package imports torch and e3nn; nothing else in sbs_gap needs
them at import time.
"""
from ._equivariance import as_float64, equivariance_error, random_orthogonal
from ._network import EquivariantNetwork, Graph
from ._training import TrainingPair, default_device, to_numpy, train

__all__ = ["Graph", "EquivariantNetwork", "TrainingPair", "train", "default_device",
           "to_numpy", "equivariance_error", "random_orthogonal", "as_float64"]
