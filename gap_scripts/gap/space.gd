#############################################################################
##  space.gd: space groups in the ambient group E(3) (docs/theory.md,
##  section 8).
##
##  Conventions: affine 4x4 matrices acting on column vectors,
##  x -> R x + t, coordinates in the conventional basis of the ITA setting
##  (GAP's Cryst package, SpaceGroupOnLeftIT).  T(S) is the translation
##  lattice, P the point group (rotation parts), V the subspace fixed by P
##  and C the continuous translations along V.
##
##  The Euclidean normalizer N = N_E(S) is computed, not looked up: its
##  rotation parts are the elements A of the lattice holohedry H (passed in,
##  computed from the metric on the Python side) that normalize P and lift to
##  some (A, t) normalizing S; each lift and the translation normalizer are
##  solutions of congruences (I - A R A^-1) t = u' - A u (mod T(S)) over the
##  generators (R, u) of S, solved with the Smith normal form.
##
##  Breaking S to K (K <= S of finite index) runs the finite engine of
##  sbs.gd in F = N / (L C), L = meet over the rotation parts A of N of
##  A T(K): a lattice normal in N, inside every S-conjugate of K, so every
##  minimum of section 3 is attained by a stabilizer containing L C
##  (section 8, point 2; L here may be smaller than the L of N', which only
##  keeps more of the same subgroups).  F acts on itself (regular action),
##  so the permutation model is faithful by construction.
#############################################################################

#! @Chapter Symmetry breaking sets
#! @Section Space groups

#! @Description
#!  Registers space group number <A>number</A> (1..230) in an ITA setting
#!  (<A>settingCode</A> 0: Cryst's default, 1..6: the setting characters
#!  <C>"12bchr"</C> of <C>SpaceGroupSettingsIT</C>) under <A>key</A>, with its Euclidean
#!  normalizer for the lattice holohedry <A>holohedry</A> (3x3 matrices in
#!  the conventional basis).
#! @Arguments key, number, settingCode, holohedry
#! @Returns a record: generators, translation basis, point group order, the
#!  normalizer's rotation parts with one lift each, its discrete
#!  translations and a basis of its continuous translations
DeclareGlobalFunction("SBS_RegisterSpaceGroup");

#! @Description
#!  Whether the affine matrix <A>g</A> lies in the registered space group.
#! @Arguments key, g
#! @Returns true or false
DeclareGlobalFunction("SBS_InSpaceGroup");

#! @Description
#!  Class representatives of subgroups of the registered space group S:
#!  every t-subgroup (one per S-conjugacy class) and the maximal
#!  k-subgroups of index at most <A>maxKIndex</A>, each as a record
#!  <C>rec(kind, generators, maximal)</C>.
#! @Arguments key, maxKIndex
#! @Returns a list of records
DeclareGlobalFunction("SBS_SpaceGroupSubgroups");

#! @Description
#!  Partial breaking of the registered space group S to each target (a list
#!  of affine generators of a subgroup of finite index): the fields of
#!  <C>sbs partial</C>, with <C>continuous := true</C> when the lattice
#!  translations of S along the continuous translations of N are not all in
#!  K.  With <A>witness</A> true, also the rotation parts of a stabilizer M
#!  of a minimal exact set.
#! @Arguments key, targets, witness
#! @Returns a list of records
DeclareGlobalFunction("SBS_SpaceGroupBreaking");

#! @Description
#!  For each subgroup K (a list of affine generators) of the registered
#!  space group S: the S-conjugates of K (computed in S / L, L = meet of
#!  R T(K) over P), each as <C>rec(lattice, operations, index)</C>: a basis
#!  of its lattice, its operations [R, t] modulo the lattice.
#! @Arguments key, subgroups
#! @Returns a list (one per subgroup) of lists of records
DeclareGlobalFunction("SBS_SpaceGroupConjugates");

#! @Description
#!  Origin shifts o that conjugate the operations [R, t] (R x + t) into the
#!  registered space group S: (I - R) o = u(R) - t modulo T(S), u(R) the
#!  translation of an element of S with rotation part R.  fail when some R
#!  is not a rotation part of S or no o exists.
#! @Arguments key, operations
#! @Returns <C>rec(particular, discrete, continuous)</C> or fail
DeclareGlobalFunction("SBS_SpaceGroupEmbedding");

#! @Description
#!  Representatives s of the left cosets s K of the subgroup K (affine
#!  generators) in the registered space group S: the domain states of a
#!  transition S -> K are the s-images of one of them.
#! @Arguments key, generators
#! @Returns a list of affine matrices
DeclareGlobalFunction("SBS_SpaceGroupCosets");

#! @Description
#!  What realizing a minimal equivariant SBS of the registered space group S
#!  to the target K (affine generators) needs: the elements of N' modulo
#!  L + span C as affine matrices (<C>elements</C>), the positions among them
#!  of N''s generators, of S, of K's S-conjugates and of the stabilizers M of
#!  one object of a minimal set (<C>witnesses</C>); <C>finite</C> (false when
#!  the lattice translations of S along C are not all in K: then the data are
#!  those of the finite model N_discrete / L), <C>ideal</C>, <C>size</C>,
#!  <C>lattice</C> (L, basis vectors), <C>continuous</C> (a basis of C), and
#!  <C>to_reduced</C>, <C>from_reduced</C>, <C>reduced_dimension</C> d: a
#!  translation t is read modulo L + span C as the last 3 - d coordinates of
#!  to_reduced t, modulo 1.
#! @Arguments key, target
#! @Returns a record
DeclareGlobalFunction("SBS_SpaceGroupSbsData");
