#############################################################################
##  magspace.gd: magnetic subgroups of grey space groups in E(3) x {1, theta}
##  (docs/theory.md, sections 8 and 9).
##
##  The parent is the grey group S' = S x {1, theta} of a registered space
##  group S (space.gd).  A magnetic subgroup M of S' without theta is given
##  by affine generators of its image H in S (theta forgotten, which is
##  one-to-one on M) and one time-reversal flag per generator (1: the
##  element carries theta): the flags are a homomorphism chi: H -> Z2 whose
##  kernel H0 = M meet S is the unitary part.  Types: I (chi trivial), III
##  (T(H0) = T(H)), IV (an anti-translation: T(H0) < T(H)).
##
##  The reduction of section 8 holds with theta central: L = meet over the
##  rotation parts A of N of A T(H0) (theta-free translations of M, as
##  section 9 asks), C the continuous translations (theta-free), and
##  F' = N' / (L C) = F x <theta>, theta a transposition on two points
##  beyond F's regular action.  The finite engine of sbs.gd runs there.
#############################################################################

#! @Chapter Symmetry breaking sets
#! @Section Magnetic space groups

#! @Description
#!  Partial breaking of the grey group of the registered space group S to
#!  each target <C>[generators, flags]</C> (affine generators of H, whose
#!  pure translations span space, and 0/1 time-reversal flags): the fields
#!  of <C>sbs partial</C>, with <C>continuous := true</C> when the lattice
#!  translations of S along the continuous translations of N are not all
#!  theta-free translations of M.  With <A>witness</A> true, also the
#!  rotation parts with flags of a stabilizer of a minimal exact set.
#! @Arguments key, targets, witness
#! @Returns a list of records
DeclareGlobalFunction("SBS_MagneticSpaceGroupBreaking");

#! @Description
#!  For each subgroup H (affine generators, pure translations spanning
#!  space) of the registered space group S: one flag list per
#!  N_S(H)-orbit of nontrivial homomorphisms chi: H -> Z2 (the least flag
#!  list of the orbit), i.e. one magnetic subgroup of type III or IV per
#!  S'-conjugacy class with image H.
#! @Arguments key, subgroups
#! @Returns a list (one per subgroup) of lists of flag lists
DeclareGlobalFunction("SBS_MagneticSpaceGroupCharacters");

#! @Description
#!  The magnetic subgroup M (generators and flags) of the grey group of the
#!  registered space group S, described for naming: a basis (rows) of its
#!  theta-free lattice T(H0), its operations <C>[R, t, flag]</C> modulo
#!  T(H0), its index in S' and the lattice T(H) of H.
#! @Arguments key, generators, flags
#! @Returns a record
DeclareGlobalFunction("SBS_MagneticSpaceGroupOperations");

#! @Description
#!  What realizing a minimal equivariant SBS of S' to M needs: as
#!  <Ref Func="SBS_SpaceGroupSbsData"/>, each element of N' carrying its
#!  time-reversal flag (<C>elements</C>: <C>[R, t, flag]</C>).
#! @Arguments key, generators, flags
#! @Returns a record
DeclareGlobalFunction("SBS_MagneticSpaceGroupSbsData");
