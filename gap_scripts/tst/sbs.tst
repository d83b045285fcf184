# GAP-native tests of the finite-group SBS engine (run by Test()).
gap> START_TEST("sbs_gap engine");
gap> SBS_LargestAvoidingSubgroupOrder(Group((1,2,3,4)), Group((1,3)(2,4)));
1
gap> SBS_LargestAvoidingSubgroupOrder(Group((1,2,3,4), (1,3)), Group((1,3)(2,4)));
2
gap> SBS_LargestAvoidingSubgroupOrder(SymmetricGroup(4), AlternatingGroup(4));
2
gap> # the element-only shortcuts (index p^2, abelian quotient) agree with the
gap> # subgroup lattice on every normal subgroup of every group of order 4..24,
gap> # as permutation groups and as pc groups
gap> brute := {Q, P} -> Maximum(List(Filtered(ConjugacyClassesSubgroups(Q),
>        c -> IsTrivial(Intersection(Representative(c), P))),
>        c -> Size(Representative(c))));;
gap> mismatches := [];; cases := 0;;
gap> for o in [4 .. 24] do for i in [1 .. NrSmallGroups(o)] do
>      G := SmallGroup(o, i);; iso := IsomorphismPermGroup(G);;
>      for P in NormalSubgroups(G) do
>        cases := cases + 1;; expected := brute(G, P);;
>        if SBS_LargestAvoidingSubgroupOrder(G, P) <> expected
>           or SBS_LargestAvoidingSubgroupOrder(Image(iso), Image(iso, P)) <> expected then
>          Add(mismatches, [o, i, IdGroup(P)]);;
>        fi;
>      od; od; od;
gap> [cases, mismatches];
[ 613, [  ] ]
gap> S := AlternatingGroup(4);; N := SymmetricGroup(4);;
gap> K := Group((1,2)(3,4));;
gap> Size(SBS_GeneralizedNormalizer(N, S, K));
24
gap> SBS_ExactMinimum(N, S, K);
rec( ideal := true, size := 6 )
gap> SBS_ExactMinimum(N, S, TrivialSubgroup(S));
rec( ideal := true, size := 12 )
gap> r := SBS_PartialRecord(Group((1,2,3,4), (1,2)), Group((1,2,3,4)), Group((1,3)(2,4)));;
gap> [r.exact_min_size, r.nonexact_min_size, r.ideal];
[ 2, 2, true ]
gap> List(SBS_SubgroupsUpToConjugacy(SymmetricGroup(3), SymmetricGroup(3)), Size);
[ 1, 2, 3, 6 ]
gap> STOP_TEST("sbs_gap engine");
