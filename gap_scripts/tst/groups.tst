# GAP-native tests of group registration (run by Test()).
gap> START_TEST("sbs_gap groups");
gap> c := (E(3) + E(3)^-1)/2;; s := (E(3) - E(3)^-1)/(2*E(4));;
gap> r3 := [[c, -s, 0], [s, c, 0], [0, 0, 1]];; c2x := [[1, 0, 0], [0, -1, 0], [0, 0, -1]];;
gap> SBS_RegisterMatrixGroup("kD3", [r3, c2x], 3, 100000);
rec( degree := 11, order := 6 )
gap> SBS_Store.kD3.toPerm(r3 * c2x) in SBS_Store.kD3.perm;
true
gap> SBS_Store.kD3.toPerm([[1, 0, 0], [0, 1, 0], [0, 0, -1]]);
fail
gap> SBS_ProblemOrders("kD3", [r3], fail);
rec( ambient_order := 6, order := 3, target_order := fail )
gap> SBS_RegisterPermGroup("kS4", [[2, 3, 4, 1], [2, 1]], 100000);
rec( degree := 4, order := 24 )
gap> SBS_ProblemOrders("kS4", [[2, 3, 1], [1, 3, 4, 2]], [[2, 1, 4, 3]]);
rec( ambient_order := 24, order := 12, target_order := 2 )
gap> SBS_RegisterFpGroup("kA5", 2, [[1, 1], [2, 2, 2], [1, 2, 1, 2, 1, 2, 1, 2, 1, 2]], 100000, 10000).order;
60
gap> CALL_WITH_CATCH(SBS_RegisterFpGroup, ["kInf", 2, [[1, 1], [2, 2, 2]], 1000, 4096])[1];
Error, SBS-INPUT: coset enumeration of the presentation did not finish within 4096 cosets: the group is infinite or much larger than the order limit 1000
false
gap> m := [[3/5, -4/5, 0], [4/5, 3/5, 0], [0, 0, 1]];;
gap> CALL_WITH_CATCH(SBS_RegisterMatrixGroup, ["kInfM", [m], 3, 1000])[1];
Error, SBS-INPUT: ambient matrix 1 has infinite order, so the matrices generate an infinite group
false
gap> CALL_WITH_CATCH(SBS_RegisterMatrixGroup, ["kBad", [[[1, 1], [0, 1]]], 2, 1000])[1];
Error, SBS-INPUT: ambient matrix 1 is not orthogonal (exactly, M*M^T <> 1)
false
gap> STOP_TEST("sbs_gap groups");
