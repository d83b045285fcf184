"""Symmetry breaking objects in an e3nn layer, with sbs_gap's public API only.

A cubic cluster (symmetry Oh: an atom at the centre and six at +-x, +-y, +-z)
must be polarized along a four-fold axis (symmetry C4v).  An equivariant layer
cannot do that on its own: its output is as symmetric as its input.  Fed each
object of the symmetry breaking set for Oh -> C4v, it produces each of the six
polarized states, and the set is closed under the generalized normalizer, so
choosing it does not depend on how the cluster is oriented.

Run:  .venv/bin/python examples/objects_oh_to_c4v.py
"""
import numpy as np
import torch
from e3nn import o3

import sbs_gap

# 1. The set, as a torch tensor (verified when built).
sbs = sbs_gap.symmetry_breaking_set("Oh", "C4v", irreps="1o")
objects = sbs.as_torch(dtype=torch.float64)
print(f"{sbs.group} -> {sbs.subgroup}: {sbs.size} objects of {sbs.irreps}, "
      f"ideal={sbs.ideal}, stabilizer {sbs.stabilizer}")

# 2. A structure and an e3nn layer: node features are the spherical harmonics
#    (l = 0, 1) of each atom's position; the layer mixes them with the object.
positions = torch.tensor([[0, 0, 0], [1, 0, 0], [-1, 0, 0], [0, 1, 0], [0, -1, 0],
                          [0, 0, 1], [0, 0, -1]], dtype=torch.float64)
features = o3.spherical_harmonics("0e+1o", positions, normalize=False)
torch.manual_seed(0)
layer = o3.FullyConnectedTensorProduct("0e+1o", "1o", "1o").to(torch.float64)


def polarization(obj: torch.Tensor) -> torch.Tensor:
    """The layer on the structure plus one object, summed over atoms: a vector."""
    with torch.no_grad():
        return layer(features, obj.expand(len(positions), 3)).sum(dim=0)


without = polarization(torch.zeros(3))
outputs = torch.stack([polarization(b) for b in objects])
print(f"without an object the output is {without.norm():.1e} (symmetric)")
for b, y in zip(objects, outputs):
    print(f"  object {b.numpy().round(3) + 0.0} -> polarization {y.numpy().round(3) + 0.0}")

# 3. What the set promises, checked on the outputs:
#    - each output is fixed by its object's stabilizer (a conjugate of C4v),
#    - S and the normalizer permute objects and outputs alike (equivariance).
elements = torch.as_tensor(sbs.group_elements)
for i, y in enumerate(outputs):
    fixing = [s for s, perm in enumerate(sbs.group_action) if perm[i] == i]
    assert len(fixing) == 8  # |C4v|
    assert all(torch.allclose(elements[s] @ y, y) for s in fixing)
for g, perm in zip(sbs.normalizer_generators, sbs.normalizer_generators_action):
    g = torch.as_tensor(g)
    assert torch.allclose(outputs @ g.T, outputs[list(perm)])
assert len({tuple(y.numpy().round(6)) for y in outputs}) == 6
print("every output has the symmetry of its object; the six outputs are distinct")

# 4. Training targets paired with the objects: one valid output per orbit (here a
#    displacement of 0.1 along the first object), extended to the others by S.
targets = sbs.pair_targets([0.1 * sbs.objects[0]])
print("targets:", (targets.round(3) + 0.0).tolist())

# 5. The same set in the frame of a detected structure: the Ti site of the
#    cubic perovskite, whatever its orientation in the file.
site = sbs_gap.detect("examples/structures/BaTiO3_cubic.vasp", site=2)
framed = sbs_gap.symmetry_breaking_set(site.group, "C4v", irreps="1o", frame=site.rotation)
print(f"detected {site.group}; objects in the file's frame:",
      (np.round(framed.objects, 3) + 0.0).tolist())
