#############################################################################
##  magspace.gi: magnetic subgroups of grey space groups (see magspace.gd).
#############################################################################

# The generators (checked to lie in S) and 0/1 flags of a magnetic target.
BindGlobal("SBS_CheckMagneticTarget", function(G, gens, flags, what)
    local i;
    if not (IsList(gens) and IsList(flags) and Length(gens) = Length(flags)
            and ForAll(flags, f -> f in [0, 1])) then
        SBS_InputError(what, ": one time-reversal flag (0 or 1) per generator is needed");
    fi;
    for i in [1 .. Length(gens)] do
        if not SBS_InSpaceGroup(G.key, gens[i]) then
            SBS_InputError(what, ": generator ", i, " is not an element of the group ",
                           "(the target must be a subgroup)");
        fi;
    od;
end);

# The lattice L0 = meet over the rotation parts R of S of R (2 Lambda),
# Lambda spanned by the pure translations among gens (basis rows): normal in
# S, and inside the kernel of every homomorphism H -> Z2 (it consists of
# squares).
BindGlobal("SBS_SquaresLattice", function(G, gens, what)
    local translations, doubled;
    translations := List(Filtered(gens, g -> SBS_LinearPart(g) = IdentityMat(3)),
                         SBS_ShiftPart);
    if IsEmpty(translations) or RankMat(translations) < 3 then
        SBS_InputError(what, ": the pure translations among the generators do not span ",
                       "space (give a basis of the subgroup's lattice)");
    fi;
    doubled := 2 * SBS_LatticeBasis(translations);
    return SBS_LatticeIntersection(List(G.rotations,
                                        R -> TransposedMat(R * TransposedMat(doubled))));
end);

# The elements of H modulo L0 (keys of ar, breadth first) with the flag of
# each.  A key reached with both flags means that the flags are not a
# homomorphism (theta itself would be in M).
BindGlobal("SBS_FlaggedClosure", function(ar, gens, flags, what)
    local keys, elementFlags, positions, genKeys, n, i, y, f, pos;
    keys := [ar.one];
    elementFlags := [0];
    positions := NewDictionary(ar.one, true);
    AddDictionary(positions, ar.one, 1);
    genKeys := List(gens, ar.keyOf);
    n := 1;
    while n <= Length(keys) do
        for i in [1 .. Length(genKeys)] do
            y := ar.mult(genKeys[i], keys[n]);
            f := (flags[i] + elementFlags[n]) mod 2;
            pos := LookupDictionary(positions, y);
            if pos = fail then
                Add(keys, y);
                Add(elementFlags, f);
                AddDictionary(positions, y, Length(keys));
                if Length(keys) > SBS_MaxQuotient then
                    SBS_InputError(what, ": the group modulo its doubled lattice has more ",
                                   "than ", SBS_MaxQuotient, " elements");
                fi;
            elif elementFlags[pos] <> f then
                SBS_InputError(what, ": the time-reversal flags do not define a magnetic ",
                               "group without time reversal (an element occurs with and ",
                               "without theta)");
            fi;
        od;
        n := n + 1;
    od;
    return rec(keys := keys, flags := elementFlags);
end);

# T(H), T(H0) (basis columns), the index |S' : M| and the elements of M
# modulo L0 with their flags; kept per group and target.
BindGlobal("SBS_MagneticSubgroupData", function(G, gens, flags, what)
    local key, i, L0, ar, closure, translationsOf, TH, TH0, rotations, data;
    if not IsBound(G.magneticDataKeys) then
        G.magneticDataKeys := [];
        G.magneticData := [];
    fi;
    key := Immutable([gens, flags]);
    i := Position(G.magneticDataKeys, key);
    if i <> fail then
        return G.magneticData[i];
    fi;
    SBS_CheckMagneticTarget(G, gens, flags, what);
    L0 := SBS_SquaresLattice(G, gens, what);
    ar := SBS_KeyArithmetic(SBS_ModuloReducer(TransposedMat(L0), []));
    closure := SBS_FlaggedClosure(ar, gens, flags, what);
    translationsOf := f -> List(Filtered([1 .. Length(closure.keys)],
                                         j -> closure.keys[j][1] = IdentityMat(3)
                                              and closure.flags[j] in f),
                                j -> ar.lift(closure.keys[j][2]));
    TH := TransposedMat(SBS_LatticeBasis(Concatenation(L0, translationsOf([0, 1]))));
    TH0 := TransposedMat(SBS_LatticeBasis(Concatenation(L0, translationsOf([0]))));
    rotations := Set(closure.keys, k -> k[1]);
    data := rec(TH := TH, TH0 := TH0, L0 := L0, arithmetic := ar, closure := closure,
                index := 2 * Length(G.rotations) / Length(rotations)
                         * AbsInt(DeterminantMat(G.Binv * TH)));
    Add(G.magneticDataKeys, key);
    Add(G.magneticData, data);
    return data;
end);

# F' = F x <theta> for a finite quotient q of N (space.gi,
# SBS_FiniteQuotientModulo): theta the transposition of the two points after
# F's; kept in q.
BindGlobal("SBS_MagneticQuotient", function(q)
    local n, theta;
    if IsBound(q.magnetic) then
        return q.magnetic;
    fi;
    n := LargestMovedPoint(q.F);
    theta := (n + 1, n + 2);
    q.magnetic := rec(
        F := ClosureGroup(q.F, theta), theta := theta,
        image := {gens, flags} -> Group(List([1 .. Length(gens)],
                                             i -> q.imageOf(gens[i]) * theta ^ flags[i]), ()),
        # [R, reduced translation, flag] of an element of F'
        element := function(p)
            local f, k;
            f := SBS_IfThen((n + 1) ^ p = n + 1, 0, 1);
            k := q.element(p * theta ^ f);
            return [k[1], k[2], f];
        end);
    return q.magnetic;
end);

# The grey group S' in F' and the image of the target.
BindGlobal("SBS_MagneticImages", function(G, m, q, gens, flags)
    return [ClosureGroup(q.image(G.generators), m.theta), m.image(gens, flags)];
end);

InstallGlobalFunction(SBS_MagneticSpaceGroupBreaking, function(key, targets, witness)
    local G, rows, k, what, data, q, m, images, row, Nprime;
    G := SBS_SpaceGroupRecord(key);
    G.key := key;
    rows := [];
    for k in [1 .. Length(targets)] do
        what := Concatenation("target ", String(k));
        data := SBS_MagneticSubgroupData(G, targets[k][1], targets[k][2], what);
        if not SBS_ContinuousInTarget(G, data.TH0) then
            rows[k] := SBS_ContinuousRow(data.index);
            continue;
        fi;
        q := SBS_CachedQuotient(G, SBS_NormalCoreLattice(G, data.TH0));
        m := SBS_MagneticQuotient(q);
        images := SBS_MagneticImages(G, m, q, targets[k][1], targets[k][2]);
        row := SBS_PartialRecord(m.F, images[1], images[2]);
        if row.index <> data.index then
            Error("sbs_gap: the quotient changed the index of target ", k);
        fi;
        row.continuous := false;
        row.quotient_order := Size(m.F);
        if witness then
            Nprime := SBS_GeneralizedNormalizer(m.F, images[1], images[2]);
            row.witness_operations := List(
                SBS_SolvableExactWitnesses(Nprime, images[1], images[2]),
                M -> Set(List(AsList(M), p -> m.element(p){[1, 3]})));
        fi;
        rows[k] := row;
    od;
    return rows;
end);

# The N_S(H)-orbits of nontrivial homomorphisms H -> Z2, computed in S / L0
# (L0 = SBS_SquaresLattice, normal in S and in the kernel of each): one
# least flag list per orbit.
BindGlobal("SBS_CharacterOrbits", function(G, gens)
    local L0, ar, closure, perm, Sbar, Hbar, Phi, hom, pcgs, r, exponents, genVectors,
          flagsOf, N, act, seen, result, c, orbit, x, n, y, all;
    L0 := SBS_SquaresLattice(G, gens, "subgroup");
    ar := SBS_KeyArithmetic(SBS_ModuloReducer(TransposedMat(L0), []));
    closure := SBS_KeyClosure(ar, List(G.generators, ar.keyOf), SBS_MaxQuotient);
    perm := g -> PermList(closure.leftMultiple(ar.keyOf(g)));
    Sbar := Group(List(G.generators, perm));
    Hbar := Subgroup(Sbar, List(gens, perm));
    # Hom(H, Z2) = Hom(H / Phi, Z2), Phi generated by commutators and squares
    Phi := ClosureGroup(DerivedSubgroup(Hbar), List(GeneratorsOfGroup(Hbar), g -> g ^ 2));
    hom := NaturalHomomorphismByNormalSubgroup(Hbar, Phi);
    pcgs := Pcgs(Image(hom));
    r := Length(pcgs);
    if r = 0 then
        return [];
    fi;
    exponents := h -> List(ExponentsOfPcElement(pcgs, ImagesRepresentative(hom, h)),
                           e -> e mod 2);
    genVectors := List(gens, g -> exponents(perm(g)));
    flagsOf := c -> List(genVectors, v -> (v * c) mod 2);
    # n acts on chi by chi^n(h) = chi(n h n^-1): c -> c' with
    # c'_j = c . exponents(n p_j n^-1), p_j preimages of the pcgs
    N := Normalizer(Sbar, Hbar);
    act := function(c, n)
        return List(pcgs, p -> (c * exponents(n * PreImagesRepresentative(hom, p) * n ^ -1))
                                mod 2);
    end;
    all := Filtered(Tuples([0, 1], r), c -> not IsZero(c));
    seen := [];
    result := [];
    for c in all do
        if not c in seen then
            orbit := [c];
            for x in orbit do
                for n in GeneratorsOfGroup(N) do
                    y := act(x, n);
                    if not y in orbit then
                        Add(orbit, y);
                    fi;
                od;
            od;
            UniteSet(seen, orbit);
            Add(result, Minimum(List(orbit, flagsOf)));
        fi;
    od;
    return SortedList(result);
end);

InstallGlobalFunction(SBS_MagneticSpaceGroupCharacters, function(key, subgroups)
    local G, gens, i;
    G := SBS_SpaceGroupRecord(key);
    G.key := key;
    for gens in subgroups do
        for i in [1 .. Length(gens)] do
            if not SBS_InSpaceGroup(key, gens[i]) then
                SBS_InputError("subgroup: generator ", i, " is not an element of the group");
            fi;
        od;
    od;
    return List(subgroups, gens -> SBS_CharacterOrbits(G, gens));
end);

InstallGlobalFunction(SBS_MagneticSpaceGroupOperations, function(key, gens, flags)
    local G, data, red, ops, k;
    G := SBS_SpaceGroupRecord(key);
    G.key := key;
    data := SBS_MagneticSubgroupData(G, gens, flags, "subgroup");
    red := SBS_ModuloReducer(data.TH0, []);
    ops := Set([1 .. Length(data.closure.keys)], k -> [data.closure.keys[k][1],
               red.reduce(data.arithmetic.lift(data.closure.keys[k][2])),
               data.closure.flags[k]]);
    return rec(lattice := TransposedMat(data.TH0), family_lattice := TransposedMat(data.TH),
               index := data.index,
               operations := List(ops, o -> [o[1], red.lift(o[2]), o[3]]));
end);

InstallGlobalFunction(SBS_MagneticSpaceGroupSbsData, function(key, gens, flags)
    local G, data, finite, L, q, m, images, Sbar, K, Nprime, exact, witnesses, elements,
          keys, position;
    G := SBS_SpaceGroupRecord(key);
    G.key := key;
    data := SBS_MagneticSubgroupData(G, gens, flags, "target");
    finite := SBS_ContinuousInTarget(G, data.TH0);
    L := SBS_NormalCoreLattice(G, data.TH0);
    if finite then
        q := SBS_CachedQuotient(G, L);
    else
        q := SBS_FiniteQuotientModulo(G, L, []);
    fi;
    m := SBS_MagneticQuotient(q);
    images := SBS_MagneticImages(G, m, q, gens, flags);
    Sbar := images[1];
    K := images[2];
    if Index(Sbar, K) <> data.index then
        Error("sbs_gap: the quotient changed the index of the target");
    fi;
    Nprime := SBS_GeneralizedNormalizer(m.F, Sbar, K);
    exact := SBS_ExactMinimum(Nprime, Sbar, K);
    witnesses := SBS_ExactWitnesses(Nprime, Sbar, K);
    elements := AsSSortedList(Nprime);
    position := p -> PositionSorted(elements, p);
    keys := List(elements, m.element);
    return rec(
        elements := List(keys, k -> [k[1], q.arithmetic.lift(k[2]), k[3]]),
        generators := List(GeneratorsOfGroup(Nprime), position),
        group := List(AsList(Sbar), position),
        target_conjugates := SBS_ConjugatePositions(Sbar, K, position),
        witnesses := List(witnesses, M -> List(AsList(M), position)),
        finite := finite, ideal := exact.ideal and finite, size := exact.size,
        index := data.index, lattice := TransposedMat(L),
        continuous := G.normalizer.continuous,
        to_reduced := q.reducer.toZ, from_reduced := q.reducer.fromZ,
        reduced_dimension := q.reducer.d,
        normalizer_order := Size(m.F));
end);
