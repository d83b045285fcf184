"""A realized symmetry breaking set: objects, the group actions on them, helpers."""
from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np

from ..breaking.text import pairs_table, vector_text
from ..errors import InputError
from ._irreps import axis_rotation, representation_matrices

__all__ = ["SymmetryBreakingSet"]


def _vector_action(g: np.ndarray, y) -> np.ndarray:
    """g applied to Cartesian 3-vectors (the last axis of y has length 3)."""
    return np.asarray(y, dtype=float) @ np.asarray(g).T


@dataclass(frozen=True, eq=False)
class SymmetryBreakingSet:
    """An equivariant symmetry breaking set (SBS), realized as vectors.

    The set B breaks the input symmetry S to the target K (docs/theory.md):
    every object b in B has stabilizer Stab_S(b) conjugate to K in S, and B
    is closed under the generalized normalizer N' = N_G(S, K), which makes the
    choice of B itself equivariant.  Build one with
    :func:`sbs_gap.symmetry_breaking_set`; every set is verified numerically
    when it is built.

    Attributes
    ----------
    group, subgroup : str
        S and the class of K (as ``sbs partial`` names it; ``C1`` for full
        breaking).
    irreps : str
        The e3nn irreps of the objects (point groups), or
        ``"matrices (dimension d)"`` for a problem file's representation.
    objects : numpy.ndarray
        Shape (size, dim).  For a continuous set, representatives: the
        objects at rotation angle 0 about the axis, one per component (use
        :meth:`sample`).
    stabilizer : str
        M, the stabilizer in N' of the first object.
    continuous : bool
        True when no finite equivariant SBS exists (then ``size`` is None).
    ideal : bool
        Whether S acts transitively on the set (then size = |S : K|).
    group_elements : numpy.ndarray
        The elements of S as they act here: 3x3 matrices in the set's frame
        (point groups) or the problem's representation matrices.
    group_action : tuple of tuples
        For each element s of S (in the order of ``group_elements``), the
        permutation i -> j of the objects with s . objects[i] = objects[j].
    normalizer_generators : numpy.ndarray
        Generators of N' (of its finite model when N' is infinite), like
        ``group_elements``.
    normalizer_generators_action : tuple of tuples
        Their permutations of the objects.
    frame : numpy.ndarray or None
        The orthogonal matrix R taking S's standard orientation to the frame
        of the set (identity by default; point groups only).
    axis : numpy.ndarray or None
        The axis of the rotations in N' (in the frame), when N' contains
        them (continuous sets rotate about it).
    """

    group: str
    subgroup: str
    irreps: str
    objects: np.ndarray = field(repr=False)
    stabilizer: str
    continuous: bool
    ideal: bool
    group_elements: np.ndarray = field(repr=False)
    group_action: tuple[tuple[int, ...], ...] = field(repr=False)
    normalizer_generators: np.ndarray = field(repr=False)
    normalizer_generators_action: tuple[tuple[int, ...], ...] = field(repr=False)
    frame: np.ndarray | None = field(default=None, repr=False)
    axis: np.ndarray | None = field(default=None, repr=False)

    # ------------------------------------------------------------ structure
    @property
    def size(self) -> int | None:
        """The number of objects; None for a continuous set."""
        return None if self.continuous else len(self.objects)

    @property
    def dim(self) -> int:
        """The dimension of one object."""
        return self.objects.shape[1]

    @property
    def orbits(self) -> tuple[tuple[int, ...], ...]:
        """The S-orbits of the objects (indices, each orbit sorted, in order of
        their first object).  One orbit exactly when the set is ideal."""
        seen, out = set(), []
        for i in range(len(self.objects)):
            if i not in seen:
                orbit = tuple(sorted({p[i] for p in self.group_action}))
                seen.update(orbit)
                out.append(orbit)
        return tuple(out)

    def representation(self, g) -> np.ndarray:
        """D(g) of the objects' irreps for orthogonal 3x3 matrices g (in the
        set's frame): D(g) b is g applied to an object b.  Point groups only."""
        if self.frame is None:
            raise InputError("this set's objects are vectors of a problem's representation: "
                             "its matrices are group_elements and normalizer_generators")
        return representation_matrices(self.irreps, g)

    @property
    def group_representation(self) -> np.ndarray:
        """D(s) for every element s of S, shape (|S|, dim, dim)."""
        if self.frame is None:
            return self.group_elements
        return self.representation(self.group_elements)

    # ------------------------------------------------------------- outputs
    def as_torch(self, dtype=None, device=None):
        """The objects as a torch tensor (default dtype: torch's default).

        Raises InputError for a continuous set, whose objects are a continuum:
        draw them with :meth:`sample`.
        """
        import torch
        if self.continuous:
            raise InputError(f"the set for {self.group} -> {self.subgroup} is continuous (no "
                             "finite equivariant set exists): draw objects with "
                             "sample(n), e.g. torch.as_tensor(sbs.sample(n))")
        return torch.as_tensor(self.objects, dtype=dtype or torch.get_default_dtype(),
                               device=device)

    def sample(self, n: int, *, seed: int | None = None) -> np.ndarray:
        """Draw n objects uniformly from the set, shape (n, dim).

        A finite set: uniformly from its objects.  A continuous set: a uniform
        representative composed with a uniform rotation about ``axis`` (the
        identity component of N'), which is uniform on the continuum.
        """
        if not isinstance(n, int) or n < 1:
            raise InputError("sample(n) needs a positive integer n")
        rng = np.random.default_rng(seed)
        picks = self.objects[rng.integers(len(self.objects), size=n)]
        if not self.continuous:
            return picks
        angles = rng.uniform(0.0, 2 * math.pi, size=n)
        rotations = np.array([axis_rotation(self.axis, theta) for theta in angles])
        return np.einsum("nij,nj->ni", self.representation(rotations), picks)

    def pair_targets(self, outputs, act=None, *, atol: float = 1e-8) -> np.ndarray:
        """The training target of every object (docs/theory.md section 6).

        For each S-orbit of the set, its first object b is paired with the
        first of ``outputs`` whose symmetry contains Stab_S(b) (s . y = y for
        every s in S fixing b); then s . b gets s . y for every s in S.  An
        equivariant network trained on these pairs learns all of them from
        one pair per orbit, and run over the whole set it gives every
        degenerate output.

        Parameters
        ----------
        outputs : sequence of arrays
            Valid outputs: at least one per S-orbit compatible with it,
            typically all the degenerate outputs.
        act : callable, optional
            ``act(g, y)``: the element g (an entry of ``group_elements``)
            applied to an output y.  Default for point groups: y is an array
            of Cartesian 3-vectors (last axis 3), rotated as ``y @ g.T``.

        Returns
        -------
        numpy.ndarray
            Shape (len(objects), *output shape): the target of each object.
        """
        if self.continuous:
            raise InputError("a continuous set pairs targets with sampled objects only through "
                             "the network; pair_targets needs a finite set")
        if act is None:
            if self.frame is None:
                raise InputError("give act(g, y) for a problem's representation")
            act = _vector_action
        candidates = [np.asarray(y, dtype=float) for y in outputs]
        if not candidates:
            raise InputError("pair_targets needs at least one output")
        targets: list[np.ndarray | None] = [None] * len(self.objects)
        for orbit in self.orbits:
            first = orbit[0]
            fixing = [s for s, p in enumerate(self.group_action) if p[first] == first]
            chosen = next((y for y in candidates
                           if all(np.allclose(act(self.group_elements[s], y), y, atol=atol)
                                  for s in fixing)), None)
            if chosen is None:
                raise InputError(f"no output is fixed by the stabilizer of object {first} "
                                 f"(order {len(fixing)}): give outputs whose symmetry "
                                 f"contains a conjugate of {self.subgroup}")
            for s, p in enumerate(self.group_action):
                if targets[p[first]] is None:
                    targets[p[first]] = np.asarray(act(self.group_elements[s], chosen),
                                                   dtype=float)
        return np.array(targets)

    # ------------------------------------------------------------------ text
    def to_json(self) -> dict:
        return {"group": self.group, "subgroup": self.subgroup, "irreps": self.irreps,
                "size": self.size, "objects": np.round(self.objects, 12).tolist(),
                "stabilizer": self.stabilizer,
                "normalizer_generators_action": [list(p) for p in
                                                 self.normalizer_generators_action],
                "continuous": self.continuous}

    def to_record(self, sample: int | None = None, *, seed: int | None = None) -> dict:
        """``sbs objects --json``'s record: :meth:`to_json`, the
        :meth:`description` of a continuous set and, with ``sample=N``, N
        draws (:meth:`sample`, beside the set: ``objects`` and the actions
        stay the set's) as ``samples``, with, for a finite set, the object
        each draw is (``sample_indices``)."""
        record = self.to_json()
        if self.continuous:
            record["description"] = self.description()
        if sample is not None:
            samples = self.sample(sample, seed=seed)
            record["samples"] = [[round(float(x), 12) for x in v] for v in samples]
            if not self.continuous:
                distance = ((samples[:, None, :] - self.objects[None, :, :]) ** 2).sum(axis=2)
                record["sample_indices"] = [int(i) for i in distance.argmin(axis=1)]
        return record

    def to_table(self, sample: int | None = None, *, seed: int | None = None) -> str:
        """``sbs objects``'s text: the summary, one line per object, and the
        draws of :meth:`to_record` (each with its object when the set is
        finite)."""
        record = self.to_record(sample, seed=seed)
        pairs = [(k, "-" if record[k] is None else record[k])
                 for k in ("group", "subgroup", "irreps", "size", "stabilizer", "continuous")]
        if self.continuous:
            pairs.append(("description", record["description"]))
        for i, v in enumerate(record["objects"]):
            pairs.append((f"object {i + 1}", vector_text(v)))
        for i, v in enumerate(record.get("samples", [])):
            which = f" (object {record['sample_indices'][i] + 1})" \
                if "sample_indices" in record else ""
            pairs.append((f"sample {i + 1}", vector_text(v) + which))
        return pairs_table(pairs)

    def description(self) -> str:
        """A sentence describing the set (what a continuous set is)."""
        if not self.continuous:
            return (f"{self.size} objects of {self.irreps}, each with stabilizer "
                    f"{self.stabilizer} in the generalized normalizer")
        axis = ", ".join(f"{x:.6g}" for x in self.axis)
        return (f"continuous: the rotations about the axis ({axis}) applied to the "
                f"{len(self.objects)} listed objects of {self.irreps} (no finite "
                f"equivariant set exists); draw objects with sample(n) (sbs objects "
                f"--sample N)")
