# GAP-native tests of space groups in E(3) (gap/space.gi; run by Test()).
# docs/theory.md section 8's worked facts.
gap> START_TEST("sbs_gap space groups");
gap> c4 := [[0,-1,0],[1,0,0],[0,0,1]];; c3 := [[0,0,1],[1,0,0],[0,1,0]];;
gap> mx := [[-1,0,0],[0,1,0],[0,0,1]];; inv := -IdentityMat(3);;
gap> m3m := AsList(Group(c4, c3, inv));; h4 := AsList(Group(c4, mx, inv));;
gap> lattice := b -> List(b, v -> SBS_AffineMatrix(IdentityMat(3), v));;
gap> r := SBS_RegisterSpaceGroup("tstPm3m", 221, 0, m3m);;
gap> [r.normalizer_index, r.normalizer_rotation_index, r.continuous_translations];
[ 2, 1, [  ] ]
gap> p4mm := Concatenation([SBS_AffineMatrix(c4, [0,0,0]), SBS_AffineMatrix(mx, [0,0,0])],
>                          lattice(IdentityMat(3)));;
gap> row := SBS_SpaceGroupBreaking("tstPm3m", [p4mm], false)[1];;
gap> [row.index, row.ideal, row.exact_min_size, row.generalized_normalizer_is_normalizer];
[ 6, true, 6, true ]
gap> fm3m := Concatenation([SBS_AffineMatrix(c4, [0,0,0]), SBS_AffineMatrix(c3, [0,0,0]),
>                           SBS_AffineMatrix(inv, [0,0,0])],
>                          lattice([[1,1,0],[1,0,1],[0,1,1]]));;
gap> row := SBS_SpaceGroupBreaking("tstPm3m", [fm3m], false)[1];;
gap> [row.index, row.ideal, row.exact_min_size, row.generalized_normalizer_is_normalizer];
[ 2, true, 2, false ]
gap> r := SBS_RegisterSpaceGroup("tstP4mm", 99, 0, h4);;
gap> [r.normalizer_index, r.continuous_translations];
[ fail, [ [ 0, 0, 1 ] ] ]
gap> p4mm2c := Concatenation([SBS_AffineMatrix(c4, [0,0,0]), SBS_AffineMatrix(mx, [0,0,0])],
>                            lattice([[1,0,0],[0,1,0],[0,0,2]]));;
gap> SBS_SpaceGroupBreaking("tstP4mm", [p4mm2c], false)[1].continuous;
true
gap> r := SBS_RegisterSpaceGroup("tstP4", 75, 0, h4);;
gap> row := SBS_SpaceGroupBreaking("tstP4", [lattice(IdentityMat(3))], false)[1];;
gap> [row.index, row.ideal, row.exact_min_size];
[ 4, true, 4 ]
gap> r := SBS_RegisterSpaceGroup("tstPm1", 2, 0, [IdentityMat(3), inv]);;
gap> r.normalizer_index;
8
gap> SBS_SpaceGroupBreaking("tstPm1", [lattice(IdentityMat(3))], false)[1].exact_min_size;
2
gap> SBS_InSpaceGroup("tstPm3m", SBS_AffineMatrix(c4, [1/2, 0, 0]));
false
gap> SBS_SpaceGroupBreaking("tstPm3m", [[SBS_AffineMatrix(c4, [1/2, 0, 0])]], false);
Error, SBS-INPUT: target 1: generator 1 is not an element of the group (the target must be a subgroup)
gap> SBS_LatticeIntersection([[[2,0,0],[0,1,0],[0,0,1]], [[1,0,0],[0,2,0],[0,0,1]]]);
[ [ 2, 0, 0 ], [ 0, 2, 0 ], [ 0, 0, 1 ] ]
gap> Length(SBS_SpaceGroupCosets("tstPm3m", p4mm));
6
gap> Length(SBS_SpaceGroupCosets("tstPm3m", fm3m));
2
gap> e := SBS_SpaceGroupEmbedding("tstPm3m", [[c4, [1/2, 1/2, 0]]]);;
gap> o := e.particular;; e.continuous;
[ [ 0, 0, 1 ] ]
gap> SBS_InSpaceGroup("tstPm3m", SBS_AffineMatrix(c4, [1/2, 1/2, 0] + o - c4 * o));
true
gap> SBS_SpaceGroupEmbedding("tstPm3m", [[[[0,1,0],[1,0,0],[0,0,1]] * c4, [0, 0, 1/3]]]);
fail
gap> List(SBS_SpaceGroupConjugates("tstPm3m", [p4mm])[1], c -> c.index);
[ 6, 6, 6 ]
gap> d := SBS_SpaceGroupSbsData("tstPm3m", p4mm);;
gap> [Length(d.elements), Length(d.group), d.finite, d.ideal, d.size, Length(d.witnesses[1])];
[ 96, 48, true, true, 6, 16 ]
gap> ForAny(d.generators, i -> d.elements[i] = [IdentityMat(3), [1/2, 1/2, 1/2]]);
true
gap> d := SBS_SpaceGroupSbsData("tstPm3m", fm3m);;
gap> [Length(d.elements), d.size, Length(d.target_conjugates), d.lattice];
[ 96, 2, 1, [ [ 2, 0, 0 ], [ -1, 1, 0 ], [ -1, 0, 1 ] ] ]
gap> d := SBS_SpaceGroupSbsData("tstP4mm", p4mm2c);;
gap> [d.finite, d.reduced_dimension, d.continuous];
[ false, 0, [ [ 0, 0, 1 ] ] ]
gap> # the closure modulo a lattice (integer codes) against the rational arithmetic
gap> ar := SBS_KeyArithmetic(SBS_ModuloReducer(4 * IdentityMat(3), []));;
gap> m3mGens := [SBS_AffineMatrix(c4, [0,0,0]), SBS_AffineMatrix(c3, [0,0,0]),
>                SBS_AffineMatrix(inv, [0,0,0])];;
gap> gens := List(Concatenation(m3mGens, lattice(IdentityMat(3))), ar.keyOf);;
gap> cl := SBS_KeyClosure(ar, gens, 10^5);; Length(cl.elements);
3072
gap> ForAll([1 .. Length(cl.elements)], i -> cl.position(cl.elements[i]) = i);
true
gap> ForAll(gens, g -> cl.leftMultiple(g) = List(cl.elements, x -> cl.position(ar.mult(g, x))));
true
gap> [cl.position([c4, [1/3, 0, 0]]), IsPosInt(cl.position([c4, [1/4, 0, 1/2]]))];
[ fail, true ]
gap> row := SBS_SpaceGroupBreaking("tstPm3m",
>               [Concatenation(m3mGens, lattice(4 * IdentityMat(3)))], false)[1];;
gap> [row.index, row.ideal, row.exact_min_size, row.quotient_order];
[ 64, true, 64, 6144 ]
gap> STOP_TEST("sbs_gap space groups");
