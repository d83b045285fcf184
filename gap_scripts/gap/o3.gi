#############################################################################
##  o3.gi: point groups in O(3) (see o3.gd for the method).
#############################################################################

# yes if condition, else no (an expression-level if).
BindGlobal("SBS_IfThen", function(condition, yes, no)
    if condition then
        return yes;
    fi;
    return no;
end);

# ["C", n], ["D", n], ["T", 0], ["O", 0] or ["I", 0] for a finite group of
# rotations of order r whose elements have largest order m.
BindGlobal("SBS_RotationGroupType", function(r, m)
    if m = r then
        return ["C", r];
    elif r = 2 * m then
        return ["D", m];
    elif r = 12 and m = 3 then
        return ["T", 0];
    elif r = 24 and m = 4 then
        return ["O", 0];
    elif r = 60 and m = 5 then
        return ["I", 0];
    fi;
    Error("sbs_gap: not a finite group of rotations");
end);

# Canonical Schoenflies name of a finite subgroup of O(3) from the
# [determinant, trace, order] of each of its elements.  The rotation subgroup
# R fixes the family; -1 (det -1, trace -3) doubles it (Cnh, S2n, Dnh, Dnd, Th,
# Oh, Ih); without -1, R = Cn has n mirrors (trace 1) for Cnv, one or none
# for Cnh (n odd) and S2n (n even); R = Dn gives Dnh (n odd) or Dnd (n even),
# R = T gives Td.
InstallGlobalFunction(SBS_PointGroupTypeFromData, function(data)
    local rotations, improper, rt, n, mirrors, name;
    name := function(letter, k, suffix)
        return Concatenation(letter, String(k), suffix);
    end;
    rotations := Filtered(data, d -> d[1] = 1);
    improper := Filtered(data, d -> d[1] = -1);
    rt := SBS_RotationGroupType(Length(rotations), Maximum(List(rotations, d -> d[3])));
    n := rt[2];
    if IsEmpty(improper) then
        if rt[1] in ["C", "D"] then
            return name(rt[1], n, "");
        fi;
        return rt[1];
    fi;
    if ForAny(improper, d -> d[2] = -3) then
        if rt[1] = "C" then
            if n = 1 then
                return "Ci";
            elif IsEvenInt(n) then
                return name("C", n, "h");
            fi;
            return name("S", 2 * n, "");
        elif rt[1] = "D" then
            if IsEvenInt(n) then
                return name("D", n, "h");
            fi;
            return name("D", n, "d");
        fi;
        return Concatenation(rt[1], "h");
    fi;
    if rt[1] = "C" then
        mirrors := Number(improper, d -> d[2] = 1);
        if n = 1 then
            return "Cs";
        elif mirrors = n then
            return name("C", n, "v");
        elif IsOddInt(n) then
            return name("C", n, "h");
        fi;
        return name("S", 2 * n, "");
    elif rt[1] = "D" then
        if IsOddInt(n) then
            return name("D", n, "h");
        fi;
        return name("D", n, "d");
    elif rt[1] = "T" then
        return "Td";
    fi;
    Error("sbs_gap: unrecognized finite subgroup of O(3)");
end);

# The type of a group of matrices given as the list of its elements.
InstallGlobalFunction(SBS_PointGroupType, elements -> SBS_PointGroupTypeFromData(
    List(elements, g -> [SBS_Determinant(g), TraceMat(g), Order(g)])));

# The type of a permutation group P whose elements stand for matrices.
BindGlobal("SBS_PermPointGroupType", function(P, matrixOf)
    return SBS_PointGroupTypeFromData(List(AsList(P), function(p)
        local m;
        m := matrixOf(p);
        return [SBS_Determinant(m), TraceMat(m), Order(p)];
    end));
end);

InstallGlobalFunction(SBS_CentralizerAnalysis, function(gens)
    local one;
    one := IdentityMat(3);
    if IsEmpty(gens) then
        return rec(axial := one, commutant := 9);
    fi;
    # NullspaceMat(M) solves v M = 0, so M is the transpose of the stacked
    # det(g) g - 1 (column vectors a with (det(g) g - 1) a = 0).
    # Commutant: g X - X g = 0 for X in row-major vectors of length 9 is
    # (g (x) 1 - 1 (x) g^T) vec(X) = 0.
    return rec(
        axial := NullspaceMat(TransposedMat(Concatenation(
            List(gens, g -> SBS_Determinant(g) * g - one)))),
        commutant := 9 - RankMat(Concatenation(List(gens,
            g -> KroneckerProduct(g, one) - KroneckerProduct(one, TransposedMat(g))))));
end);

InstallGlobalFunction(SBS_TracePreservingAutomorphismCount, function(Sp, traceOf)
    local aut, classes, reps, classIndex, i, x, perms, image, traces, blocks;
    if IsTrivial(Sp) then
        return 1;
    fi;
    aut := AutomorphismGroup(Sp);
    classes := ConjugacyClasses(Sp);
    reps := List(classes, Representative);
    classIndex := NewDictionary(One(Sp), true);
    for i in [1 .. Length(classes)] do
        for x in AsList(classes[i]) do
            AddDictionary(classIndex, x, i);
        od;
    od;
    # The action of Aut(S) on the classes (a homomorphism: (ab)(r) = b(a(r))).
    perms := List(GeneratorsOfGroup(aut), a -> PermList(List(reps,
        r -> LookupDictionary(classIndex, Image(a, r)))));
    image := Group(perms, ());
    traces := List(reps, traceOf);
    blocks := List(Set(traces), t -> Filtered([1 .. Length(reps)], i -> traces[i] = t));
    return Size(aut) / Size(image) * Size(Stabilizer(image, blocks, OnTuplesSets));
end);

# Row vector u x v.
BindGlobal("SBS_Cross", function(u, v)
    return [u[2] * v[3] - u[3] * v[2], u[3] * v[1] - u[1] * v[3],
            u[1] * v[2] - u[2] * v[1]];
end);

# The finite normalizer of S (generators gens, action its basis-orbit action)
# inside one of the candidate overgroups, accepted only with exactly the
# expected order; rec(action, N) of the overgroup's action and N in it.
BindGlobal("SBS_FiniteNormalizer", function(gens, candidates, expected, limit)
    local H, hAct, sPerms, NH;
    for H in candidates do
        hAct := SBS_BasisOrbitAction(H, 3, limit);
        if hAct <> fail then
            sPerms := List(gens, hAct.toPerm);
            if not fail in sPerms then
                NH := Normalizer(hAct.perm, Subgroup(hAct.perm, sPerms));
                if Size(NH) = expected then
                    return rec(action := hAct, N := NH);
                fi;
            fi;
        fi;
    od;
    Error("sbs_gap: the O(3) normalizer of S (order ", expected,
          ") lies in none of the candidate overgroups");
end);

InstallGlobalFunction(SBS_RegisterPointGroup, function(key, gens, candidates, limit)
    local one, action, centralizer, identity, axis, expected, found, Fp, matrixOf, toPerm,
          Fo, normalizerName, b, twofold, fGens, f, g, hAct, quotient, images;
    one := IdentityMat(3);
    SBS_CheckMatrices("group", gens, 3);
    action := SBS_BasisOrbitAction(gens, 3, limit);
    if action = fail or Size(action.perm) > limit then
        SBS_InputError("the point group has more than ", limit, " elements (the order limit)");
    fi;
    centralizer := SBS_CentralizerAnalysis(gens);
    axis := fail;
    if IsEmpty(centralizer.axial) then
        identity := "trivial";
        expected := 2 ^ centralizer.commutant * SBS_TracePreservingAutomorphismCount(
            action.perm, p -> TraceMat(action.matrixOf(p)));
        found := SBS_FiniteNormalizer(gens, candidates, expected, limit);
        Fp := found.N;
        matrixOf := found.action.matrixOf;
        toPerm := found.action.toPerm;
        Fo := TrivialSubgroup(Fp);
        normalizerName := SBS_PermPointGroupType(Fp, matrixOf);
    else
        if Length(centralizer.axial) = 3 then
            # S lies in {+-1}: every rotation commutes with it.
            identity := "SO(3)";
            fGens := Concatenation(gens, [-one]);
            normalizerName := "O(3)";
        else
            identity := "SO(2)";
            axis := centralizer.axial[1];
            b := First(List(one, e -> SBS_Cross(axis, e)), v -> not IsZero(v));
            # The two-fold rotation about b: 2 b b^T / (b.b) - 1.
            twofold := 2 * TransposedMat([b]) * [b] / (b * b) - one;
            fGens := Concatenation(gens, [-one, twofold]);
            normalizerName := "Dinfh";
        fi;
        for f in fGens do
            for g in gens do
                if action.toPerm(f * g * f ^ -1) = fail then
                    Error("sbs_gap: the finite model of the normalizer does not normalize S");
                fi;
            od;
        od;
        hAct := SBS_BasisOrbitAction(fGens, 3, 8 * limit);
        Fp := hAct.perm;
        matrixOf := hAct.matrixOf;
        toPerm := hAct.toPerm;
        # F0 = F meet N0 is the kernel of F -> {+-1}^2, f -> (det f, the sign
        # of f on the axis), or of the determinant alone for N0 = SO(3).
        quotient := Group((1, 2), (3, 4));
        images := List(fGens, function(m)
            local image;
            image := SBS_IfThen(SBS_Determinant(m) = 1, (), (1, 2));
            if axis <> fail and m * axis <> axis then
                image := image * (3, 4);
            fi;
            return image;
        end);
        Fo := Kernel(GroupHomomorphismByImages(Fp, quotient, hAct.perms, images));
    fi;
    SBS_Store.(key) := rec(kind := "pointgroup", F := Fp, Fo := Fo,
        S := Subgroup(Fp, List(gens, toPerm)), matrixOf := matrixOf, toPerm := toPerm,
        identity := identity, axis := axis);
    return rec(order := Size(SBS_Store.(key).S), normalizer := normalizerName,
               normalizer_finite := identity = "trivial",
               normalizer_order := SBS_IfThen(identity = "trivial", Size(Fp), fail),
               identity_component := identity,
               normalizer_model_order := Size(Fp));
end);

# The elements of S in their fixed order (sorted permutations), cached.
BindGlobal("SBS_PointGroupElementPerms", function(g)
    if not IsBound(g.elementPerms) then
        g.elementPerms := AsSSortedList(g.S);
    fi;
    return g.elementPerms;
end);

BindGlobal("SBS_MatrixCoefficients", m -> List(m, row -> List(row, SBS_CycCoefficients)));

InstallGlobalFunction(SBS_PointGroupElements, function(key)
    local g;
    g := SBS_Ambient(key);
    return List(SBS_PointGroupElementPerms(g), p -> SBS_MatrixCoefficients(g.matrixOf(p)));
end);

# Name of the closed subgroup M F0' of N, given M's finite part Mp <= F
# (Mp contains F0): a point group when N is finite, else the Lie group.
BindGlobal("SBS_PlainNormalizerSubgroupName", function(g, Mp)
    local mats, kinds, a;
    if g.identity = "trivial" then
        return SBS_PermPointGroupType(Mp, g.matrixOf);
    fi;
    mats := List(AsList(Mp), g.matrixOf);
    if g.identity = "SO(3)" then
        return SBS_IfThen(-IdentityMat(3) in mats, "O(3)", "SO(3)");
    fi;
    # Cosets of SO(2) in Dinfh: rotations about the axis (1), two-fold
    # rotations perpendicular to it (2), sigma_h times rotations (h),
    # vertical mirrors (v).
    a := g.axis;
    kinds := Set(mats, function(m)
        if SBS_Determinant(m) = 1 then
            return SBS_IfThen(m * a = a, "1", "2");
        fi;
        return SBS_IfThen(m * a = a, "v", "h");
    end);
    if kinds = ["1"] then return "Cinf";
    elif kinds = ["1", "2"] then return "Dinf";
    elif kinds = ["1", "h"] then return "Cinfh";
    elif kinds = ["1", "v"] then return "Cinfv";
    fi;
    return "Dinfh";
end);

# The component-group quotient F -> F/F0 (the identity when F0 is trivial).
BindGlobal("SBS_ComponentQuotient", function(g)
    if not IsBound(g.quotient) then
        if IsTrivial(g.Fo) then
            g.quotient := IdentityMapping(g.F);
        else
            g.quotient := NaturalHomomorphismByNormalSubgroup(g.F, g.Fo);
        fi;
    fi;
    return g.quotient;
end);

# Magnetic groups (docs/theory.md section 9) are kept as subgroups of
# A = F x <theta>, theta a transposition of two points after F's (theta is
# central and commutes with every rotation).  The name of X <= A in
# Schoenflies' magnetic notation: the name of its image in F, with "1'" when
# theta lies in X (grey), or the name of its unitary part (the elements
# without theta) in parentheses when that is a proper subgroup (black-white).
BindGlobal("SBS_MagneticName", function(g, X, nameOf)
    local image, unitary;
    image := Group(List(GeneratorsOfGroup(X), g.image), ());
    if g.theta in X then
        return Concatenation(nameOf(image), "1'");
    fi;
    unitary := Stabilizer(X, g.thetaPoint);
    if Size(unitary) = Size(X) then
        return nameOf(image);
    fi;
    return Concatenation(nameOf(image), "(",
        nameOf(Group(List(GeneratorsOfGroup(unitary), g.image), ())), ")");
end);

# Name of the closed subgroup M F0' of N (see SBS_PlainNormalizerSubgroupName),
# magnetic groups in Schoenflies' magnetic notation.
BindGlobal("SBS_NormalizerSubgroupName", function(g, Mp)
    if IsBound(g.plain) then
        return SBS_MagneticName(g, Mp, X -> SBS_PlainNormalizerSubgroupName(g.plain, X));
    fi;
    return SBS_PlainNormalizerSubgroupName(g, Mp);
end);

# The type of a subgroup K of S (a point group, or a magnetic point group).
BindGlobal("SBS_SubgroupTypeName", function(g, K)
    if IsBound(g.plain) then
        return SBS_MagneticName(g, K, X -> SBS_PermPointGroupType(X, g.plain.matrixOf));
    fi;
    return SBS_PermPointGroupType(K, g.matrixOf);
end);

# A magnetic point group S' <= O(3) x {1, theta}: generators gens (3x3) with
# flags (1 when the generator carries theta, else 0).  Its image P in O(3) is
# registered as a point group first (its normalizer N_{O(3)}(P) or finite
# model F, F0); then N_{O(3) x Z2}(S') = N_A(S') F0 with A = F x <theta>:
# normalizing S' means normalizing P and the unitary part, and F0 (rotations
# about P's axis, or all of SO(3) for P <= {+-1}) centralizes P.
InstallGlobalFunction(SBS_RegisterMagneticPointGroup, function(key, gens, flags, candidates,
                                                               limit)
    local info, plain, n, theta, A, Sm, Fm, typeName;
    if Length(flags) <> Length(gens) or not ForAll(flags, f -> f in [0, 1]) then
        SBS_InputError("one time-reversal flag (0 or 1) per generator is needed");
    fi;
    info := SBS_RegisterPointGroup(key, gens, candidates, limit);
    plain := SBS_Store.(key);
    n := Maximum(LargestMovedPoint(plain.F), 1);
    theta := (n + 1, n + 2);
    A := ClosureGroup(plain.F, theta);
    Sm := Subgroup(A, List([1 .. Length(gens)],
                           i -> plain.toPerm(gens[i]) * theta ^ flags[i]));
    Fm := Normalizer(A, Sm);
    SBS_Store.(key) := rec(kind := "pointgroup", F := Fm, Fo := plain.Fo, S := Sm,
        identity := plain.identity, axis := plain.axis, plain := plain, theta := theta,
        thetaPoint := n + 1,
        image := p -> RestrictedPerm(p, [1 .. n]),
        # diag(R, -1) for an element that carries theta, diag(R, 1) otherwise
        matrixOf := function(p)
            local m, sign;
            m := plain.matrixOf(RestrictedPerm(p, [1 .. n]));
            sign := SBS_IfThen((n + 1) ^ p = n + 1, 1, -1);
            return Concatenation(List(m, row -> Concatenation(row, [0])), [[0, 0, 0, sign]]);
        end);
    typeName := SBS_SubgroupTypeName(SBS_Store.(key), Sm);
    return rec(order := Size(Sm), type := typeName,
               point_group_order := info.order,
               normalizer := SBS_NormalizerSubgroupName(SBS_Store.(key), Fm),
               normalizer_finite := info.normalizer_finite,
               normalizer_order := SBS_IfThen(info.normalizer_finite, Size(Fm), fail),
               identity_component := info.identity_component,
               normalizer_model_order := Size(Fm));
end);

InstallGlobalFunction(SBS_PointGroupFull, function(key)
    local g, hom, Q, P, exact, names;
    g := SBS_Ambient(key);
    if not IsTrivial(Intersection(g.S, g.Fo)) then
        # S meets the identity component: every equivariant full SBS is
        # infinite (docs/theory.md section 4).
        return rec(ideal := false, min_size := fail, complement := fail, complements := []);
    fi;
    hom := SBS_ComponentQuotient(g);
    Q := ImagesSource(hom);
    P := Image(hom, g.S);
    exact := SBS_ExactMinimum(Q, P, TrivialSubgroup(P));
    names := SortedList(List(ComplementClassesRepresentatives(Q, P),
                             C -> SBS_NormalizerSubgroupName(g, PreImage(hom, C))));
    return rec(ideal := exact.ideal, min_size := exact.size, complements := names,
               complement := SBS_FirstOrFail(names));
end);

InstallGlobalFunction(SBS_PointGroupClasses, function(key)
    local g, elementPerms, classes, reps, So, finite, hom, minima, rows, j, K, NprimeF, row;
    g := SBS_Ambient(key);
    elementPerms := SBS_PointGroupElementPerms(g);
    classes := ConjugacyClassesSubgroups(g.S);
    reps := List(classes, Representative);
    So := Intersection(g.S, g.Fo);
    finite := List(reps, K -> IsSubset(K, So));
    hom := SBS_ComponentQuotient(g);
    minima := SBS_ClassMinima(g.S, reps,
                  SBS_Lazy(function() return SBS_ClassesBelow(classes); end),
                  H -> Image(hom, H));
    rows := [];
    for j in [1 .. Length(reps)] do
        K := reps[j];
        NprimeF := ClosureGroup(g.S, Normalizer(g.F, K));
        if finite[j] then
            row := minima(NprimeF, j, i -> finite[i]);
        else
            # Every equivariant SBS is infinite (docs/theory.md section 4).
            row := rec(ideal := false, exact_min_size := fail, nonexact_min_size := fail,
                       break_more_is_smaller := false);
        fi;
        row := SBS_PartialRow(g.F, g.S, K, NprimeF, row);
        row.type := SBS_SubgroupTypeName(g, K);
        row.elements := List(AsList(K), p -> PositionSorted(elementPerms, p));
        Add(rows, row);
    od;
    return rows;
end);

InstallGlobalFunction(SBS_PointGroupSbsData, function(key, positions)
    local g, K, NprimeF, finite, hom, witnesses, elements, position, axis;
    g := SBS_Ambient(key);
    K := Subgroup(g.S, SBS_PointGroupElementPerms(g){positions});
    NprimeF := ClosureGroup(g.S, Normalizer(g.F, K));
    finite := IsSubset(K, Intersection(g.S, g.Fo));
    if finite then
        hom := SBS_ComponentQuotient(g);
        witnesses := List(SBS_ExactWitnesses(Image(hom, NprimeF), Image(hom, g.S),
                                              Image(hom, K)),
                          X -> Intersection(PreImage(hom, X), NprimeF));
    else
        witnesses := SBS_ExactWitnesses(NprimeF, g.S, K);
    fi;
    elements := AsSSortedList(NprimeF);
    position := p -> PositionSorted(elements, p);
    axis := fail;
    if g.axis <> fail then
        axis := List(g.axis, SBS_CycCoefficients);
    fi;
    return rec(finite := finite, identity := g.identity, axis := axis,
        elements := List(elements, p -> SBS_MatrixCoefficients(g.matrixOf(p))),
        generators := List(GeneratorsOfGroup(NprimeF), position),
        group := List(AsList(g.S), position),
        target_conjugates := SBS_ConjugatePositions(g.S, K, position),
        witnesses := List(witnesses, M -> List(AsList(M), position)),
        names := List(witnesses, function(M)
            if finite then
                return SBS_NormalizerSubgroupName(g, M);
            fi;
            return SBS_SubgroupTypeName(g, M);
        end));
end);
