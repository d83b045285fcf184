#############################################################################
##  space.gi: space groups in E(3) (see space.gd).
#############################################################################

# The largest finite quotient (and set of subgroup elements modulo a
# lattice) that is built; beyond it an input error, not a long computation.
BindGlobal("SBS_MaxQuotient", 200000);

BindGlobal("SBS_AffineMatrix", function(R, t)
    local m, i;
    m := IdentityMat(4);
    for i in [1 .. 3] do
        m[i]{[1 .. 3]} := R[i];
        m[i][4] := t[i];
    od;
    return m;
end);

BindGlobal("SBS_LinearPart", m -> List(m{[1 .. 3]}, row -> row{[1 .. 3]}));
BindGlobal("SBS_ShiftPart", m -> List([1 .. 3], i -> m[i][4]));

# A basis (rows) of the Z-span of rational row vectors.
BindGlobal("SBS_LatticeBasis", function(rows)
    local den, hnf;
    den := Lcm(Integers, Concatenation([1], List(Concatenation(rows), DenominatorRat)));
    hnf := HermiteNormalFormIntegerMat(rows * den);
    return Filtered(hnf, r -> not IsZero(r)) / den;
end);

# The intersection of full lattices given by basis rows (returned as basis
# rows): the dual of the sum of the duals.
BindGlobal("SBS_LatticeIntersection", function(bases)
    local duals;
    duals := Concatenation(List(bases, b -> TransposedMat(b^-1)));
    return TransposedMat(SBS_LatticeBasis(duals)^-1);
end);

# Solutions t of the congruences (I - R'_i) t = c_i (mod lattice), the
# lattice having basis columns B (Binv its inverse): rec(particular, discrete,
# continuous) or fail.  discrete generates the solutions of the homogeneous
# system modulo the lattice and the continuous ones.
BindGlobal("SBS_SolveCongruences", function(B, Binv, blocks, rhs)
    local M, c, snf, D, r, cp, i, z, Q, particular, discrete, continuous, e;
    if IsEmpty(blocks) then
        blocks := [NullMat(3, 3)];
        rhs := [[0, 0, 0]];
    fi;
    M := Concatenation(List(blocks, X -> Binv * X * B));
    c := Concatenation(List(rhs, v -> Binv * v));
    snf := SmithNormalFormIntegerMatTransforms(M);
    D := snf.normal;
    r := snf.rank;
    cp := snf.rowtrans * c;
    for i in [r + 1 .. Length(cp)] do
        if not IsInt(cp[i]) then
            return fail;
        fi;
    od;
    Q := snf.coltrans;
    z := List([1 .. 3], i -> 0);
    for i in [1 .. r] do
        z[i] := cp[i] / D[i][i];
    od;
    particular := B * (Q * z);
    discrete := [];
    continuous := [];
    for i in [1 .. 3] do
        e := List([1 .. 3], j -> 0);
        e[i] := 1;
        if i <= r then
            Add(discrete, B * (Q * e) / D[i][i]);
        else
            Add(continuous, B * (Q * e));
        fi;
    od;
    return rec(particular := particular, discrete := discrete, continuous := continuous);
end);

BindGlobal("SBS_SpaceGroupRecord", function(key)
    local rec_;
    rec_ := SBS_Ambient(key);
    if rec_.kind <> "space group" then
        Error("sbs_gap: ", key, " is not a registered space group");
    fi;
    return rec_;
end);

InstallGlobalFunction(SBS_InSpaceGroup, function(key, g)
    local G, R, pos;
    G := SBS_SpaceGroupRecord(key);
    R := SBS_LinearPart(g);
    pos := Position(G.rotations, R);
    if pos = fail or g[4] <> [0, 0, 0, 1] then
        return false;
    fi;
    return ForAll(G.Binv * (SBS_ShiftPart(g) - G.shifts[pos]), IsInt);
end);

# The lift t of A (with (A, t) normalizing S), or fail.
BindGlobal("SBS_NormalizerLift", function(G, A)
    local Ainv, blocks, rhs, g, R, Rp, pos, sol;
    Ainv := A^-1;
    blocks := [];
    rhs := [];
    for g in G.generators do
        R := SBS_LinearPart(g);
        Rp := A * R * Ainv;
        pos := Position(G.rotations, Rp);
        if pos = fail then
            return fail;
        fi;
        Add(blocks, IdentityMat(3) - Rp);
        Add(rhs, G.shifts[pos] - A * SBS_ShiftPart(g));
    od;
    sol := SBS_SolveCongruences(G.B, G.Binv, blocks, rhs);
    if sol = fail then
        return fail;
    fi;
    return sol.particular;
end);

# Settings by code: 0 Cryst's default, 1..6 the characters of "12bchr"
# (origin choice 1 or 2, unique axis b or c, hexagonal or rhombohedral axes).
BindGlobal("SBS_SettingCharacters", "12bchr");

InstallGlobalFunction(SBS_RegisterSpaceGroup, function(key, number, settingCode, holohedry)
    local settings, setting, S, hom, P, B, G, A, t, tn, lifts, index, gens, rotationGroup, l;
    if not IsBoundGlobal("SpaceGroupOnLeftIT") then
        SBS_InputError("space groups need GAP's Cryst package, which this GAP lacks");
    fi;
    if not (IsInt(number) and number >= 1 and number <= 230) then
        SBS_InputError("space group numbers run from 1 to 230");
    fi;
    settings := ValueGlobal("SpaceGroupSettingsIT")(3, number);
    if settingCode = 0 then
        setting := settings[1];
        if '2' in settings then
            setting := '2';
        fi;
    elif IsInt(settingCode) and settingCode >= 1 and settingCode <= 6
         and SBS_SettingCharacters[settingCode] in settings then
        setting := SBS_SettingCharacters[settingCode];
    else
        SBS_InputError("space group ", number, " has no setting ", settingCode,
                       " in Cryst (its settings: ", settings, ")");
    fi;
    # the holohedry is in the conventional basis (orthogonal only for a
    # Cartesian one): rational, invertible, sending the lattice onto itself
    # (checked below), and a group
    if not ForAll(holohedry, m -> IsMatrix(m) and DimensionsMat(m) = [3, 3]
                  and ForAll(m, row -> ForAll(row, IsRat)) and AbsInt(DeterminantMat(m)) = 1)
       or Size(Group(holohedry, IdentityMat(3))) <> Length(Set(holohedry)) then
        SBS_InputError("the holohedry must be a finite group of rational 3x3 matrices of ",
                       "determinant +-1");
    fi;
    S := ValueGlobal("SpaceGroupOnLeftIT")(3, number, setting);
    hom := ValueGlobal("PointHomomorphism")(S);
    P := AsSSortedList(ValueGlobal("PointGroup")(S));
    B := TransposedMat(ValueGlobal("TranslationBasis")(S));
    G := rec(kind := "space group", number := number, group := S,
             generators := GeneratorsOfGroup(S), rotations := P,
             shifts := List(P, R -> SBS_ShiftPart(PreImagesRepresentative(hom, R))),
             B := B, Binv := B^-1, perm := fail, quotientKeys := [], quotients := []);
    # translation normalizer: (I - R) t in T(S) for the generators R of P
    tn := SBS_SolveCongruences(B, G.Binv,
              List(GeneratorsOfGroup(ValueGlobal("PointGroup")(S)), R -> IdentityMat(3) - R),
              List(GeneratorsOfGroup(ValueGlobal("PointGroup")(S)), R -> [0, 0, 0]));
    lifts := [];
    for A in Set(holohedry) do
        if ForAll(G.Binv * A * B, row -> ForAll(row, IsInt))
           and ForAll(G.Binv * A^-1 * B, row -> ForAll(row, IsInt)) then
            t := SBS_NormalizerLift(G, A);
            if t <> fail then
                Add(lifts, [A, t]);
            fi;
        fi;
    od;
    # generators of N: those of S, the discrete translations, and lifts of
    # rotation parts outside the group generated so far (few of them)
    gens := ShallowCopy(G.generators);
    Append(gens, List(tn.discrete, v -> SBS_AffineMatrix(IdentityMat(3), v)));
    rotationGroup := Group(P, IdentityMat(3));
    for l in lifts do
        if not l[1] in rotationGroup then
            Add(gens, SBS_AffineMatrix(l[1], l[2]));
            rotationGroup := ClosureGroup(rotationGroup, l[1]);
        fi;
    od;
    G.normalizer := rec(lifts := lifts, translations := tn.discrete,
                        continuous := tn.continuous, generators := gens);
    SBS_Store.(key) := G;
    if IsEmpty(tn.continuous) then
        index := Length(lifts) / Length(P)
                 * AbsInt(DeterminantMat(G.Binv * TransposedMat(tn.discrete)))^-1;
    else
        index := fail;
    fi;
    return rec(generators := G.generators, point_group_order := Length(P),
               translation_basis := TransposedMat(B),
               normalizer_lifts := lifts, normalizer_translations := tn.discrete,
               continuous_translations := tn.continuous,
               normalizer_index := index,
               normalizer_rotation_index := Length(lifts) / Length(P));
end);

# Translations modulo L + span(V) (L basis columns, V a list of vectors of
# L's span): coordinates in a basis of L whose first d vectors span L meet
# span(V), the last 3 - d of them taken mod 1.  lift gives back a
# representative translation.
BindGlobal("SBS_ModuloReducer", function(L, V)
    local Linv, d, W, C, Cinv, toZ, fromZ;
    Linv := L^-1;
    d := Length(V);
    if d > 0 then
        W := List(V, v -> Linv * v);
        W := List(W, w -> w * Lcm(Integers, List(w, DenominatorRat)));
        C := SmithNormalFormIntegerMatTransforms(W).coltrans;
    else
        C := IdentityMat(3);
    fi;
    Cinv := C^-1;
    # z = toZ t: coordinates in which V is spanned by the first d axes and L
    # by the unit vectors; t = fromZ z
    toZ := TransposedMat(C) * Linv;
    fromZ := L * TransposedMat(Cinv);
    return rec(
        reduce := function(t)
            local c;
            c := toZ * t;
            return List([d + 1 .. 3], i -> FractionModOne(c[i]));
        end,
        lift := c -> fromZ * Concatenation(List([1 .. d], i -> 0), c),
        toZ := toZ, fromZ := fromZ, d := d,
        zero := List([d + 1 .. 3], i -> 0));
end);

# Elements modulo the reducer's lattice (and V) as keys [R, z], z the reduced
# coordinates; a rotation R acts on z through the block of toZ R fromZ on the
# last 3 - d coordinates (R keeps L and V, so the block is integral and
# ignores the dropped coordinates), so products cost one small matrix-vector
# product.
BindGlobal("SBS_KeyArithmetic", function(red)
    local blocks, block, range;
    blocks := NewDictionary(IdentityMat(3), true);
    range := [red.d + 1 .. 3];
    block := function(R)
        local b;
        b := LookupDictionary(blocks, R);
        if b = fail then
            b := (red.toZ * R * red.fromZ){range}{range};
            AddDictionary(blocks, R, b);
        fi;
        return b;
    end;
    return rec(
        keyOf := g -> [SBS_LinearPart(g), red.reduce(SBS_ShiftPart(g))],
        mult := function(k1, k2)
            if IsEmpty(range) then  # every translation is continuous (P1)
                return [k1[1] * k2[1], []];
            fi;
            return [k1[1] * k2[1], List(k1[2] + block(k1[1]) * k2[2], FractionModOne)];
        end,
        affine := k -> SBS_AffineMatrix(k[1], red.lift(k[2])),
        lift := red.lift,
        block := block,
        one := [IdentityMat(3), red.zero]);
end);

# The elements generated by the keys gens (breadth first: x, then g * x for
# the generators g in order), as keys, with
#   position(k): the position of the key k among them (fail if absent),
#   leftMultiple(k): the positions of k * x over the elements x.
# Internally an element is a rotation index and integer coordinates z * D
# (D the common denominator of the generators' coordinates: the blocks are
# integral, so products keep it), one integer each: products cost integer
# arithmetic and one lookup of an integer instead of rational lists in a
# dictionary (measured for |N / L| = 6144: the closure 10.2 s -> 0.15 s, the
# regular permutations of 11 generators 9.5 s -> 0.14 s).
BindGlobal("SBS_KeyClosure", function(ar, gens, limit)
    local dim, D, rotations, rotationProduct, blocks, powers, shift, codeOf, rotationOf,
          coordinatesOf, positions, lookup, encode, n, g, e, r, z, code, elements,
          position, leftMultiple, genIndices, genCoordinates;
    dim := Length(ar.one[2]);
    D := Lcm(Integers, Concatenation([1], List(Concatenation(List(gens, g -> g[2])),
                                              DenominatorRat)));
    # the rotation parts by a plain closure (a matrix Group would draw on
    # GAP's global random source and so change later random choices)
    rotations := [IdentityMat(3)];
    for r in rotations do
        for g in gens do
            z := g[1] * r;
            if not z in rotations then
                Add(rotations, z);
            fi;
        od;
    od;
    rotations := Set(rotations);
    rotationProduct := List(rotations, a -> List(rotations,
                                                 b -> PositionSorted(rotations, a * b)));
    blocks := List(rotations, ar.block);
    if not ForAll(blocks, b -> ForAll(b, row -> ForAll(row, IsInt))) then
        Error("sbs_gap: a rotation does not keep the lattice of the keys");
    fi;
    powers := List([1 .. dim], i -> D^(i - 1));
    # the coordinates of (R_i, z1) * (R, z2), and the code of an element
    if dim = 0 then  # every translation is continuous (P1): rotations only
        shift := {i, z1, z2} -> [];
        codeOf := {i, zi} -> i - 1;
    else
        shift := {i, z1, z2} -> List(z1 + blocks[i] * z2, x -> x mod D);
        codeOf := {i, zi} -> (i - 1) * D^dim + zi * powers;
    fi;
    # the elements found so far: code -> position
    positions := NewDictionary(0, true);
    lookup := code -> LookupDictionary(positions, code);
    encode := function(k)
        local i, zi;
        i := PositionSorted(rotations, k[1]);
        zi := k[2] * D;
        if i > Length(rotations) or rotations[i] <> k[1] or not ForAll(zi, IsInt) then
            return fail;
        fi;
        return [i, zi];
    end;
    genIndices := [];
    genCoordinates := [];
    for g in gens do
        e := encode(g);
        Add(genIndices, e[1]);
        Add(genCoordinates, e[2]);
    od;
    rotationOf := [PositionSorted(rotations, IdentityMat(3))];
    coordinatesOf := [List([1 .. dim], i -> 0)];
    AddDictionary(positions, codeOf(rotationOf[1], coordinatesOf[1]), 1);
    n := 1;
    while n <= Length(rotationOf) do
        for g in [1 .. Length(gens)] do
            r := rotationProduct[genIndices[g]][rotationOf[n]];
            z := shift(genIndices[g], genCoordinates[g], coordinatesOf[n]);
            code := codeOf(r, z);
            if lookup(code) = fail then
                Add(rotationOf, r);
                Add(coordinatesOf, z);
                AddDictionary(positions, code, Length(rotationOf));
                if Length(rotationOf) > limit then
                    SBS_InputError("the finite quotient has more than ", limit, " elements");
                fi;
            fi;
        od;
        n := n + 1;
    od;
    elements := List([1 .. Length(rotationOf)],
                     n -> [rotations[rotationOf[n]], coordinatesOf[n] / D]);
    position := function(k)
        local e;
        e := encode(k);
        if e = fail then
            return fail;
        fi;
        return lookup(codeOf(e[1], e[2]));
    end;
    leftMultiple := function(k)
        local e, product;
        e := encode(k);
        if e = fail then
            Error("sbs_gap: an element outside the closure");
        fi;
        product := rotationProduct[e[1]];
        return List([1 .. Length(rotationOf)], n -> lookup(codeOf(product[rotationOf[n]],
            shift(e[1], e[2], coordinatesOf[n]))));
    end;
    return rec(elements := elements, position := position, leftMultiple := leftMultiple);
end);

# The translation lattice T(K) (basis columns) and point group order of the
# subgroup K generated by gens, checked to lie in S; its pure translations
# must span space (finite index).  T(K) is read off the finite group K / L0,
# L0 the meet of R Lambda over the rotation parts R of K, Lambda the lattice
# of the pure translations among gens (L0 is normal in K).
BindGlobal("SBS_SpaceSubgroupData", function(G, gens, what)
    local i, translations, rotations, L0, ar, closure, TK, index;
    for i in [1 .. Length(gens)] do
        if not SBS_InSpaceGroup(G.key, gens[i]) then
            SBS_InputError(what, ": generator ", i, " is not an element of the group ",
                           "(the target must be a subgroup)");
        fi;
    od;
    translations := List(Filtered(gens, g -> SBS_LinearPart(g) = IdentityMat(3)),
                         SBS_ShiftPart);
    if IsEmpty(translations) or RankMat(translations) < 3 then
        SBS_InputError(what, ": the pure translations among the generators do not span ",
                       "space (give a basis of the subgroup's lattice)");
    fi;
    rotations := AsList(Group(List(gens, SBS_LinearPart), IdentityMat(3)));
    L0 := SBS_LatticeIntersection(List(rotations,
              R -> TransposedMat(R * TransposedMat(SBS_LatticeBasis(translations)))));
    ar := SBS_KeyArithmetic(SBS_ModuloReducer(TransposedMat(L0), []));
    closure := SBS_KeyClosure(ar, List(gens, ar.keyOf), SBS_MaxQuotient);
    TK := SBS_LatticeBasis(Concatenation(L0,
              List(Filtered(closure.elements, k -> k[1] = IdentityMat(3)),
                   k -> SBS_ShiftPart(ar.affine(k)))));
    TK := TransposedMat(TK);
    index := Length(G.rotations) / Length(rotations) * AbsInt(DeterminantMat(G.Binv * TK));
    return rec(TK := TK, index := index, point_group_order := Length(rotations));
end);

# F = N / (L + span V) for the lattice L (basis columns) and continuous
# translations V (those of N, or none: then F is the finite model of N's
# discrete part), as a permutation group on its own elements (the regular
# action, faithful by construction): rec(F, image, elements, permOf, ...),
# image(gens) the subgroup generated by the images of affine matrices of N.
BindGlobal("SBS_FiniteQuotientModulo", function(G, L, V)
    local red, ar, closure, permOf, F, hom, cache;
    red := SBS_ModuloReducer(L, V);
    ar := SBS_KeyArithmetic(red);
    closure := SBS_KeyClosure(ar, List(G.normalizer.generators, ar.keyOf), SBS_MaxQuotient);
    # memoized: the targets share most of their generators
    cache := NewDictionary(ar.one, true);
    permOf := function(g)
        local k, p;
        k := ar.keyOf(g);
        p := LookupDictionary(cache, k);
        if p = fail then
            p := PermList(closure.leftMultiple(k));
            AddDictionary(cache, k, p);
        fi;
        return p;
    end;
    # a smaller faithful action makes subgroup computations in a large F
    # faster; finding it costs more than it saves for a small one (measured:
    # 250 ms for |F| = 128)
    F := Group(List(G.normalizer.generators, permOf));
    if Size(F) > 1000 then
        hom := SmallerDegreePermutationRepresentation(F);
    else
        hom := IdentityMapping(F);
    fi;
    return rec(F := Image(hom),
               image := gens -> Group(List(gens, g -> ImagesRepresentative(hom, permOf(g))), ()),
               element := p -> closure.elements[1 ^ PreImagesRepresentative(hom, p)],
               elements := closure.elements, permOf := permOf, arithmetic := ar,
               reducer := red);
end);

BindGlobal("SBS_FiniteQuotient", {G, L} -> SBS_FiniteQuotientModulo(G, L,
                                                                      G.normalizer.continuous));

# The lattice L = meet of A T(K) over the rotation parts A of N.
BindGlobal("SBS_NormalCoreLattice", function(G, TK)
    return TransposedMat(SBS_LatticeIntersection(List(G.normalizer.lifts,
                                                      l -> TransposedMat(l[1] * TK))));
end);

# The finite quotient for the lattice L, built once per lattice and session.
BindGlobal("SBS_CachedQuotient", function(G, L)
    local Lkey, j;
    Lkey := HermiteNormalFormIntegerMat(TransposedMat(G.Binv * L));
    j := Position(G.quotientKeys, Lkey);
    if j = fail then
        Add(G.quotientKeys, Lkey);
        Add(G.quotients, SBS_FiniteQuotient(G, L));
        j := Length(G.quotientKeys);
    fi;
    return G.quotients[j];
end);

# S meet C, the lattice vectors of S along V, lies in K (T(K) basis columns):
# a basis of it is G.normalizer.continuous, part of a basis of T(S).
BindGlobal("SBS_ContinuousInTarget", {G, TK} -> ForAll(G.normalizer.continuous,
                                                        v -> ForAll(TK^-1 * v, IsInt)));

BindGlobal("SBS_ContinuousRow", index -> rec(
    index := index, continuous := true, ideal := false, exact_min_size := fail,
    nonexact_min_size := fail, break_more_is_smaller := false,
    generalized_normalizer_is_normalizer := fail));

InstallGlobalFunction(SBS_SpaceGroupBreaking, function(key, targets, witness)
    local G, rows, data, quotients, batches, k, q, j, batch, Sbar, images, records, Nprime,
          i;
    G := SBS_SpaceGroupRecord(key);
    G.key := key;
    rows := [];
    quotients := [];
    batches := [];
    for k in [1 .. Length(targets)] do
        data := SBS_SpaceSubgroupData(G, targets[k], Concatenation("target ", String(k)));
        if SBS_ContinuousInTarget(G, data.TK) then
            q := SBS_CachedQuotient(G, SBS_NormalCoreLattice(G, data.TK));
            j := PositionProperty(quotients, x -> IsIdenticalObj(x, q));
            if j = fail then
                Add(quotients, q);
                Add(batches, []);
                j := Length(quotients);
            fi;
            Add(batches[j], [k, data.index]);
        else
            rows[k] := SBS_ContinuousRow(data.index);
        fi;
    od;
    for j in [1 .. Length(quotients)] do
        q := quotients[j];
        batch := batches[j];
        Sbar := q.image(G.generators);
        images := List(batch, b -> q.image(targets[b[1]]));
        # one target at a time: most are ideal, and then only K's exact
        # minimum is needed (not the subgroup lattice of the image of S)
        records := List(images, K -> SBS_PartialRecord(q.F, Sbar, K));
        for i in [1 .. Length(batch)] do
            if records[i].index <> batch[i][2] then
                Error("sbs_gap: the quotient changed the index of target ", batch[i][1]);
            fi;
            records[i].continuous := false;
            records[i].quotient_order := Size(q.F);
            if witness then
                Nprime := SBS_GeneralizedNormalizer(q.F, Sbar, images[i]);
                records[i].witness_rotations := List(
                    SBS_ExactWitnesses(Nprime, Sbar, images[i]),
                    M -> Set(List(AsList(M), p -> q.element(p)[1])));
            fi;
            rows[batch[i][1]] := records[i];
        od;
    od;
    return rows;
end);

InstallGlobalFunction(SBS_SpaceGroupSubgroups, function(key, maxKIndex)
    local G, S, hom, Pgroup, lattice, result, Q, gens, K, primes, maximal, iso, Pperm;
    G := SBS_SpaceGroupRecord(key);
    S := G.group;
    hom := ValueGlobal("PointHomomorphism")(S);
    Pgroup := ValueGlobal("PointGroup")(S);
    lattice := List(TransposedMat(G.B), v -> SBS_AffineMatrix(IdentityMat(3), v));
    result := [];
    # subgroup classes on a permutation image of P (much faster than on the
    # matrix group itself)
    iso := IsomorphismPermGroup(Pgroup);
    Pperm := Image(iso);
    maximal := List(ConjugacyClassesMaximalSubgroups(Pperm), Representative);
    for Q in List(ConjugacyClassesSubgroups(Pperm), Representative) do
        gens := Concatenation(List(SmallGeneratingSet(Q), p -> PreImagesRepresentative(hom,
                                   PreImagesRepresentative(iso, p))), lattice);
        Add(result, rec(kind := "t", generators := gens,
                        maximal := ForAny(maximal, M -> Size(M) = Size(Q)
                                          and IsConjugate(Pperm, M, Q))));
    od;
    primes := Filtered([2 .. maxKIndex], IsPrimeInt);
    if not IsEmpty(primes) then
        for K in ValueGlobal("MaximalSubgroupClassReps")(S,
                     rec(classequal := true, primes := primes)) do
            if Index(S, K) <= maxKIndex then
                Add(result, rec(kind := "k", generators := GeneratorsOfGroup(K),
                                maximal := true));
            fi;
        od;
    fi;
    return result;
end);

# A subgroup given by its elements modulo a lattice L inside it (keys of
# ar): its lattice T(K) (basis vectors) and its operations modulo T(K).
BindGlobal("SBS_OperationsModuloLattice", function(keys, ar, L, index)
    local translations, TK, red, ops;
    translations := List(Filtered(keys, k -> k[1] = IdentityMat(3)), k -> ar.lift(k[2]));
    TK := SBS_LatticeBasis(Concatenation(TransposedMat(L), translations));
    red := SBS_ModuloReducer(TransposedMat(TK), []);
    ops := Set(keys, k -> [k[1], red.reduce(ar.lift(k[2]))]);
    return rec(lattice := TK, index := index,
               operations := List(ops, o -> [o[1], red.lift(o[2])]));
end);

BindGlobal("SBS_ConjugatesOf", function(G, gens)
    local data, L, ar, start, orbit, sets, s, x, image, conj, sInv;
    data := SBS_SpaceSubgroupData(G, gens, "subgroup");
    # every conjugate of K contains L = meet of R T(K) over P, and S permutes
    # them: each is the set of its elements modulo L
    L := TransposedMat(SBS_LatticeIntersection(List(G.rotations,
                                                    R -> TransposedMat(R * data.TK))));
    ar := SBS_KeyArithmetic(SBS_ModuloReducer(L, []));
    start := Set(SBS_KeyClosure(ar, List(gens, ar.keyOf), SBS_MaxQuotient).elements);
    orbit := [start];
    sets := [start];
    for x in orbit do
        for s in G.generators do
            sInv := ar.keyOf(s^-1);
            conj := k -> ar.mult(ar.mult(ar.keyOf(s), k), sInv);
            image := Set(x, conj);
            if not image in sets then
                Add(orbit, image);
                AddSet(sets, image);
            fi;
        od;
    od;
    return List(orbit, x -> SBS_OperationsModuloLattice(x, ar, L, data.index));
end);

InstallGlobalFunction(SBS_SpaceGroupConjugates, function(key, subgroups)
    local G;
    G := SBS_SpaceGroupRecord(key);
    G.key := key;
    return List(subgroups, gens -> SBS_ConjugatesOf(G, gens));
end);

InstallGlobalFunction(SBS_SpaceGroupEmbedding, function(key, operations)
    local G, blocks, rhs, op, pos, sol;
    G := SBS_SpaceGroupRecord(key);
    blocks := [];
    rhs := [];
    for op in operations do
        pos := Position(G.rotations, op[1]);
        if pos = fail then
            return fail;
        fi;
        Add(blocks, IdentityMat(3) - op[1]);
        Add(rhs, G.shifts[pos] - op[2]);
    od;
    sol := SBS_SolveCongruences(G.B, G.Binv, blocks, rhs);
    if sol = fail then
        return fail;
    fi;
    # homogeneous solutions that are not lattice translations of S
    sol.discrete := Filtered(sol.discrete, v -> not ForAll(G.Binv * v, IsInt));
    return sol;
end);

InstallGlobalFunction(SBS_SpaceGroupCosets, function(key, gens)
    local G, data, L, ar, K, elements, reps, covered, x;
    G := SBS_SpaceGroupRecord(key);
    G.key := key;
    data := SBS_SpaceSubgroupData(G, gens, "subgroup");
    if data.index > SBS_MaxQuotient then
        SBS_InputError("the subgroup's index is too large to list its cosets");
    fi;
    # S / L with L = meet of R T(K) over P, normal in S and inside K
    L := TransposedMat(SBS_LatticeIntersection(List(G.rotations,
                                                    R -> TransposedMat(R * data.TK))));
    ar := SBS_KeyArithmetic(SBS_ModuloReducer(L, []));
    K := SBS_KeyClosure(ar, List(gens, ar.keyOf), SBS_MaxQuotient).elements;
    elements := SBS_KeyClosure(ar, List(G.generators, ar.keyOf), SBS_MaxQuotient).elements;
    reps := [];
    covered := [];
    for x in elements do
        if not x in covered then
            Add(reps, ar.affine(x));
            UniteSet(covered, List(K, k -> ar.mult(x, k)));
        fi;
    od;
    return reps;
end);

# What realizing a space-group SBS needs (docs/theory.md section 8, point 3):
# F = N / (L C) (or, when S meet C is not inside K, the finite model
# N_discrete / L of a continuous set), the elements of N' there as affine
# matrices (translations lifted from coordinates modulo L + span C),
# generators of N', S, K's S-conjugates and the stabilizers M of one object
# of a minimal set (all as positions among N's elements), and the
# coordinates in which L + span C is read (the last 3 - d of toZ t, mod 1).
InstallGlobalFunction(SBS_SpaceGroupSbsData, function(key, target)
    local G, data, finite, L, q, Sbar, K, Nprime, exact, witnesses, elements, keys,
          position;
    G := SBS_SpaceGroupRecord(key);
    G.key := key;
    data := SBS_SpaceSubgroupData(G, target, "target");
    finite := SBS_ContinuousInTarget(G, data.TK);
    L := SBS_NormalCoreLattice(G, data.TK);
    if finite then
        q := SBS_CachedQuotient(G, L);
    else
        q := SBS_FiniteQuotientModulo(G, L, []);
    fi;
    Sbar := q.image(G.generators);
    K := q.image(target);
    if Index(Sbar, K) <> data.index then
        Error("sbs_gap: the quotient changed the index of the target");
    fi;
    Nprime := SBS_GeneralizedNormalizer(q.F, Sbar, K);
    exact := SBS_ExactMinimum(Nprime, Sbar, K);
    witnesses := SBS_ExactWitnesses(Nprime, Sbar, K);
    elements := AsSSortedList(Nprime);
    position := p -> PositionSorted(elements, p);
    keys := List(elements, q.element);
    return rec(
        elements := List(keys, k -> [k[1], q.arithmetic.lift(k[2])]),
        generators := List(GeneratorsOfGroup(Nprime), position),
        group := List(AsList(Sbar), position),
        target_conjugates := SBS_ConjugatePositions(Sbar, K, position),
        witnesses := List(witnesses, M -> List(AsList(M), position)),
        finite := finite, ideal := exact.ideal and finite, size := exact.size,
        index := data.index, lattice := TransposedMat(L),
        continuous := G.normalizer.continuous,
        to_reduced := q.reducer.toZ, from_reduced := q.reducer.fromZ,
        reduced_dimension := q.reducer.d,
        normalizer_order := Size(q.F));
end);
