"""The torch harness: an e3nn network that takes a symmetry breaking object.

* :class:`Graph`, :class:`EquivariantNetwork`: gated tensor-product
  convolutions, message passing in plain torch, periodic graphs;
* :func:`train`, :class:`TrainingPair`: training with a set of objects and
  their paired targets (docs/theory.md section 6);
* :class:`Markers`, :func:`periodic_object`: space-group objects in periodic
  graphs (uniform fields as a global input, marker patterns as extra nodes);
* :func:`equivariance_error`: the float64 equivariance test (E(3), with
  given Euclidean maps such as N' elements outside S).
* :class:`TimeOddNetwork`, :func:`grey_equivariance_error`: time reversal
  (docs/theory.md section 9): a time-odd output (a magnetic moment, ``1e'``)
  linear in a time-odd object, equivariant under E(3) x {1, theta}.

Importing this package imports torch and e3nn; nothing else in sbs_gap needs
them at import time.
"""
from ._equivariance import as_float64, equivariance_error, random_orthogonal
from ._magnetic import TimeOddNetwork, grey_equivariance_error
from ._network import EquivariantNetwork, Graph, Markers
from ._objects import periodic_object
from ._training import TrainingPair, default_device, to_numpy, train

__all__ = ["Graph", "Markers", "periodic_object", "EquivariantNetwork", "TrainingPair", "train",
           "default_device", "to_numpy", "equivariance_error", "random_orthogonal", "as_float64",
           "TimeOddNetwork", "grey_equivariance_error"]
