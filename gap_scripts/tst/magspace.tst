# GAP-native tests of magnetic subgroups of grey space groups
# (gap/magspace.gi; run by Test()).  docs/theory.md section 9's worked fact
# P4_2/mnm1' -> P4_2'/mnm' and the counts of its magnetic subgroups.
gap> START_TEST("sbs_gap magnetic space groups");
gap> c4 := [[0,-1,0],[1,0,0],[0,0,1]];; mx := [[-1,0,0],[0,1,0],[0,0,1]];;
gap> h4 := AsList(Group(c4, mx, -IdentityMat(3)));;
gap> lattice := b -> List(b, v -> SBS_AffineMatrix(IdentityMat(3), v));;
gap> r := SBS_RegisterSpaceGroup("tstP42mnm", 136, 0, h4);;
gap> gens := Concatenation(r.generators, lattice(IdentityMat(3)));;
gap> chis := SBS_MagneticSpaceGroupCharacters("tstP42mnm", [gens])[1];;

# Hom(P4_2/mnm, Z2) = Hom(4/mmm, Z2): 7 black-white groups over S itself,
# none with an anti-translation (the translations are flagged 0)
gap> Length(chis);
7
gap> ForAll(chis, c -> c{[Length(c) - 2 .. Length(c)]} = [0, 0, 0]);
true

# the one whose 4_2 screw carries theta and whose inversion does not:
# P4_2'/mnm' (MnF2), index 2, two domain states, ideal
gap> screw := PositionProperty(gens, g -> SBS_LinearPart(g) = c4 or SBS_LinearPart(g) = -c4);;
gap> rows := SBS_MagneticSpaceGroupBreaking("tstP42mnm", List(chis, c -> [gens, c]), false);;
gap> Set(rows, row -> [row.index, row.ideal, row.exact_min_size]);
[ [ 2, true, 2 ] ]

# type I (no theta at all): index 2 as well, theta alone breaks it
gap> row := SBS_MagneticSpaceGroupBreaking("tstP42mnm", [[gens, List(gens, g -> 0)]], false)[1];;
gap> [row.index, row.ideal, row.exact_min_size, row.generalized_normalizer_is_normalizer];
[ 2, true, 2, true ]

# an anti-translation: P4/mmm with the translation c primed (P_c4/mmm, the
# theta-free lattice has c doubled)
gap> r := SBS_RegisterSpaceGroup("tstP4mmm", 123, 0, h4);;
gap> pgens := List([c4, mx, -IdentityMat(3)], R -> SBS_AffineMatrix(R, [0, 0, 0]));;
gap> ops := SBS_MagneticSpaceGroupOperations("tstP4mmm",
>            Concatenation(pgens, lattice(IdentityMat(3))), [0, 0, 0, 0, 0, 1]);;
gap> [ops.index, Length(ops.operations), Number(ops.operations, o -> o[3] = 1), ops.lattice];
[ 2, 32, 16, [ [ 1, 0, 0 ], [ 0, 1, 0 ], [ 0, 0, 2 ] ] ]
gap> row := SBS_MagneticSpaceGroupBreaking("tstP4mmm",
>            [[Concatenation(pgens, lattice(IdentityMat(3))), [0, 0, 0, 0, 0, 1]]], false)[1];;
gap> [row.index, row.ideal, row.exact_min_size];
[ 2, true, 2 ]

# flags that are no homomorphism (theta itself in the group) are refused
gap> SBS_MagneticSpaceGroupBreaking("tstP42mnm",
>        [[Concatenation(gens, lattice([[1,0,0]])), Concatenation(List(gens, g -> 0), [1])]],
>        false);
Error, SBS-INPUT: target 1: the time-reversal flags do not define a magnetic group without time reversal (an element occurs with and without theta)
gap> STOP_TEST("sbs_gap magnetic space groups");
