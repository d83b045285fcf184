#############################################################################
##  models.gd: symmetry of lattice models, for the groundstate demo (an
##  extension: read with SBS_ReadExtension("models")).
##
##  An Ising model on n sites with couplings J_ij (integers, given as
##  [i, j, J] with i < j) and the global spin flip.  Literals: point i is
##  "site i up", point n + i is "site i down".
#############################################################################

#! @Chapter Lattice models
#! @Section Ising models

#! @Description
#!  The site permutations preserving every coupling (automorphisms of the
#!  weighted graph), by partition backtrack on one edge set per value.
#! @Arguments n, couplings
#! @Returns a permutation group on [1..n]
DeclareGlobalFunction("SBS_CouplingAutomorphisms");

#! @Description
#!  The permutation of the 2n literals induced by the site permutation
#!  <A>pi</A>, followed by the global flip when <A>flip</A> is true.
#! @Arguments n, pi, flip
#! @Returns a permutation
DeclareGlobalFunction("SBS_LiteralPermutation");

#! @Description
#!  S = Aut(J) x &lt;flip&gt;, its normalizer N in Sym(n) x &lt;flip&gt; (the
#!  relabelings and flips an equivariant graph network commutes with), and K,
#!  the stabilizer in S of <A>configuration</A> (a list of n literals); groups
#!  as generators on the 2n literals (image lists), with their orders.
#! @Arguments n, couplings, configuration
#! @Returns a record
DeclareGlobalFunction("SBS_IsingSymmetry");
