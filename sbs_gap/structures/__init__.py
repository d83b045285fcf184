"""Structures and symmetry detection.

* :func:`read_structure`: molecules (XYZ) and crystals (CIF, POSCAR);
  :func:`to_structure`: the same from a path, an ase.Atoms or a pymatgen
  Structure/Molecule;
* :func:`detect`: the point group of a molecule, a crystal or a crystal site
  (spglib for crystals), with the rotation from its standard orientation to
  the input frame, and for crystals the space group with the transformation
  to its ITA setting (:func:`crystal_space_group`);
* :func:`crystal_symmetry_breaking_set`: space-group objects in a crystal
  file's own frame;
* :func:`transition`: a parent and a distorted child crystal, the child's
  group embedded in the parent's as K, the breaking row of S -> K and the
  |S : K| domain states (:func:`write_cif`);
* :func:`example_structure`: the files of ``examples/structures/``;
* magnetic structures (mCIF): :func:`read_mcif` / :func:`read_magnetic_structure`
  (:class:`MagneticCrystal`), :func:`write_mcif`, :func:`detect_magnetic`
  (the magnetic space group, spglib) and :func:`magnetic_transition` (a
  paramagnetic parent and a magnetic child: S' -> M, the |S' : M| magnetic
  domain states).
"""
from ._crystal_objects import (
    CrystalSymmetryBreakingSet, FileMarkerPattern,
    crystal_symmetry_breaking_set,
)
from ._detect import (
    ADAPT_LIMIT, CrystalSpaceGroup, Detection, crystal_operations, crystal_space_group, detect,
    molecule_operations, point_group_of_matrices, same_group, standard_orientation,
)
from ._examples import example_structure, example_structures
from ._magnetic_transition import (
    MagneticDetection, MagneticTransition, detect_magnetic, magnetic_transition,
)
from ._mcif import (
    MOMENT_TOL, MagneticCrystal, is_magnetic_file, magnetic_symmetry, read_magnetic_structure,
    read_mcif, write_mcif,
)
from ._readers import (
    MAX_ATOMS, Structure, read_cif, read_poscar, read_structure, read_xyz, to_structure,
)
from ._transition import Transition, transition, write_cif

__all__ = ["detect", "Detection", "read_structure", "to_structure", "Structure", "read_xyz",
           "read_cif", "read_poscar", "MAX_ATOMS", "point_group_of_matrices",
           "standard_orientation", "same_group", "molecule_operations", "crystal_operations",
           "transition", "Transition", "write_cif", "example_structure", "example_structures",
           "ADAPT_LIMIT", "CrystalSpaceGroup", "crystal_space_group",
           "CrystalSymmetryBreakingSet", "FileMarkerPattern",
           "crystal_symmetry_breaking_set", "MagneticCrystal", "read_mcif",
           "read_magnetic_structure", "write_mcif", "is_magnetic_file", "magnetic_symmetry",
           "MOMENT_TOL", "MagneticDetection", "detect_magnetic", "MagneticTransition",
           "magnetic_transition"]
