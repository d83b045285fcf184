# GAP-native tests of point groups in O(3) (gap/o3.gi; run by Test()).
gap> START_TEST("sbs_gap O(3)");
gap> c4 := [[0,-1,0],[1,0,0],[0,0,1]];; mz := [[1,0,0],[0,1,0],[0,0,-1]];;
gap> mxz := [[1,0,0],[0,-1,0],[0,0,1]];; c2x := [[1,0,0],[0,-1,0],[0,0,-1]];;
gap> c3 := [[0,0,1],[1,0,0],[0,1,0]];; inv := -IdentityMat(3);;
gap> types := List([[c4], [c4, mz], [c4, mxz], [c4, c2x], [-c4], [c4, c2x, mz],
>                   [c3], [c3, inv], [c4, c3], [c4, c3, inv], [-c4, c3],
>                   [mz], [inv], [c2x, c4^2]],
>                  gens -> SBS_PointGroupType(AsList(Group(gens))));
[ "C4", "C4h", "C4v", "D4", "S4", "D4h", "C3", "S6", "O", "Oh", "Td", "Cs", "Ci", "D2" ]
gap> oh := [c4, c3, inv];;
gap> SBS_RegisterPointGroup("tstD2", [c2x, c4^2], [oh], 1000).normalizer;
"Oh"
gap> SBS_PointGroupFull("tstD2").min_size;
4
gap> r := SBS_RegisterPointGroup("tstC4h", [c4, mz], [oh], 1000);;
gap> [r.normalizer, r.normalizer_order, r.identity_component];
[ "Dinfh", fail, "SO(2)" ]
gap> SBS_PointGroupFull("tstC4h").min_size;
fail
gap> r := SBS_RegisterPointGroup("tstCs", [mz], [], 1000);;
gap> SBS_PointGroupFull("tstCs").complements;
[ "Cinfv", "Dinf" ]
gap> r := SBS_RegisterPointGroup("tstCi", [inv], [], 1000);;
gap> [r.normalizer, SBS_PointGroupFull("tstCi").complement];
[ "O(3)", "SO(3)" ]
gap> SBS_RegisterPointGroup("tstC4v", [c4, mxz], [], 1000);
Error, sbs_gap: the O(3) normalizer of S (order 32) lies in none of the candidate overgroups
gap> SBS_CentralizerAnalysis([c4, mxz]);
rec( axial := [  ], commutant := 2 )
gap> SBS_CentralizerAnalysis([c4]).axial;
[ [ 0, 0, 1 ] ]
gap> Length(SBS_CentralizerAnalysis([inv]).axial);
3
gap> SBS_TracePreservingAutomorphismCount(Group((1,2,3,4), (1,3)), ReturnTrue);
8
gap> rows := SBS_PointGroupClasses("tstD2");;
gap> List(rows, r -> [r.type, r.exact_min_size]);
[ [ "C1", 4 ], [ "C2", 2 ], [ "C2", 2 ], [ "C2", 2 ], [ "D2", 1 ] ]
gap> # magnetic point groups (docs/theory.md section 9): the grey C1' and Oh1',
gap> # the black-white m'mm (mx with theta): its normalizer keeps the x axis
gap> one := IdentityMat(3);; r4 := [[0,-1,0],[1,0,0],[0,0,1]];;
gap> r3 := [[0,0,1],[1,0,0],[0,1,0]];; mx := [[-1,0,0],[0,1,0],[0,0,1]];;
gap> my := [[1,0,0],[0,-1,0],[0,0,1]];; mz := [[1,0,0],[0,1,0],[0,0,-1]];;
gap> info := SBS_RegisterMagneticPointGroup("tstC1grey", [one], [1], [], 1000);;
gap> [info.type, info.order, info.normalizer, info.identity_component];
[ "C11'", 2, "O(3)1'", "SO(3)" ]
gap> full := SBS_PointGroupFull("tstC1grey");; [full.ideal, full.min_size];
[ true, 2 ]
gap> info := SBS_RegisterMagneticPointGroup("tstOhgrey", [r4, r3, -one, one], [0, 0, 0, 1],
>        [[r4, r3, -one]], 1000);;
gap> [info.type, info.order, info.normalizer, info.normalizer_order];
[ "Oh1'", 96, "Oh1'", 96 ]
gap> row := First(SBS_PointGroupClasses("tstOhgrey"), r -> r.type = "D4h(C4h)");;
gap> [row.index, row.ideal, row.exact_min_size, row.nonexact_min_size];
[ 6, true, 6, 6 ]
gap> info := SBS_RegisterMagneticPointGroup("tstD2hbw", [mx, my, mz], [1, 0, 0],
>        [[r4, r3, -one]], 1000);;
gap> [info.type, info.order, info.normalizer, info.normalizer_order];
[ "D2h(C2v)", 8, "D4h1'", 32 ]
gap> SBS_RegisterMagneticPointGroup("tstBad", [one], [2], [], 1000);
Error, SBS-INPUT: one time-reversal flag (0 or 1) per generator is needed
gap> STOP_TEST("sbs_gap O(3)");
