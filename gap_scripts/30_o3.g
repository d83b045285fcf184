#############################################################################
##  Point groups in the compact ambient group O(3) (THEORY.md section 4).
##
##  S is a finite group of exact 3x3 orthogonal matrices (Python's column
##  convention; every formula below is convention-free or says which).
##
##  The normalizer N = N_{O(3)}(S) is derived, not looked up:
##  * N -> Aut(S), n -> conjugation, has kernel C = C_{O(3)}(S) and image
##    A = { a in Aut(S) : trace(a(s)) = trace(s) } (representations with equal
##    characters are orthogonally equivalent).  C is finite iff the character
##    of S on R^3 is a sum of k distinct real-type irreducibles, and then
##    |C| = 2^k, so |N| = 2^k |A| exactly.
##  * If N is finite it is searched inside finite overgroups given by Python;
##    a candidate is accepted only if its normalizer of S has exactly
##    2^k |A| elements, which proves nothing outside it normalizes S.
##  * Otherwise the identity component N0 of N centralizes S: N0 = SO(3) when
##    S lies in {+-1}, else N0 = SO(2) about the axis a spanned by the unique
##    multiplicity-one real line of R^3, and N = Dinfh(a).  Everything is then
##    computed in a finite model F <= N with F N0 = N:
##    F = <S, -1, a two-fold rotation perpendicular to a>, F0 = F meet N0.
##  Finite case: F = N, F0 = 1.  The component-group reduction: a finite
##  equivariant SBS for (S, K) exists iff S meet F0 <= K, and then THEORY
##  section 3 runs in F/F0 with the images of S and K.
#############################################################################

# yes if condition, else no (an expression-level if).
BindGlobal("SBS_IfThen", function(condition, yes, no)
    if condition then
        return yes;
    fi;
    return no;
end);

# ["C", n], ["D", n], ["T", 0], ["O", 0] or ["I", 0] for a finite group of
# rotations given as the list of its elements.
BindGlobal("SBS_RotationGroupType", function(rotations)
    local r, m;
    r := Length(rotations);
    m := Maximum(List(rotations, Order));
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

# Canonical Schoenflies name of a finite subgroup of O(3) given by the list
# of its elements: from its rotation subgroup R and, when -1 is not in it,
# the rotation group R' = R u -(improper elements), in which R has index 2.
BindGlobal("SBS_PointGroupType", function(elements)
    local rotations, improper, rt, r2, n, name;
    name := function(letter, k, suffix)
        return Concatenation(letter, String(k), suffix);
    end;
    rotations := Filtered(elements, g -> DeterminantMat(g) = 1);
    improper := Filtered(elements, g -> DeterminantMat(g) = -1);
    rt := SBS_RotationGroupType(rotations);
    n := rt[2];
    if IsEmpty(improper) then
        if rt[1] in ["C", "D"] then
            return name(rt[1], n, "");
        fi;
        return rt[1];
    fi;
    if -One(elements[1]) in improper then
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
    r2 := SBS_RotationGroupType(Concatenation(rotations, List(improper, g -> -g)));
    if rt[1] = "C" and r2[1] = "C" then
        if n = 1 then
            return "Cs";
        elif IsOddInt(n) then
            return name("C", n, "h");
        fi;
        return name("S", 2 * n, "");
    elif rt[1] = "C" and r2[1] = "D" then
        return name("C", n, "v");
    elif rt[1] = "D" and r2[1] = "D" then
        if IsOddInt(n) then
            return name("D", n, "h");
        fi;
        return name("D", n, "d");
    elif rt[1] = "T" and r2[1] = "O" then
        return "Td";
    fi;
    Error("sbs_gap: unrecognized finite subgroup of O(3)");
end);

# The character analysis of the 3-dimensional representation of S (a
# permutation group, traceOf giving the trace of an element's matrix).
# Returns rec(constituents := [[multiplicity, degree, indicator, values on
# the classes]], classes, finite (is C_{O(3)}(S) finite), k).
BindGlobal("SBS_CharacterAnalysis", function(Sp, traceOf)
    local tbl, classes, chi, irr, ind, constituents, i, m;
    tbl := CharacterTable(Sp);
    classes := ConjugacyClasses(tbl);
    chi := ClassFunction(tbl, List(classes, c -> traceOf(Representative(c))));
    irr := Irr(tbl);
    ind := Indicator(tbl, 2);
    constituents := [];
    for i in [1 .. Length(irr)] do
        m := ScalarProduct(tbl, chi, irr[i]);
        if m <> 0 then
            Add(constituents, rec(multiplicity := m, degree := irr[i][1],
                                  indicator := ind[i], values := ValuesOfClassFunction(irr[i])));
        fi;
    od;
    return rec(constituents := constituents, classes := classes,
               finite := ForAll(constituents, c -> c.multiplicity = 1 and c.indicator = 1),
               k := Length(constituents));
end);

# The number of automorphisms of Sp that preserve traceOf.
BindGlobal("SBS_TracePreservingAutomorphismCount", function(Sp, traceOf)
    local aut, reps;
    if IsTrivial(Sp) then
        return 1;
    fi;
    aut := AutomorphismGroup(Sp);
    reps := List(ConjugacyClasses(Sp), Representative);
    # Aut(S) has at most a few thousand elements for finite point groups.
    return Number(AsList(aut), a -> ForAll(reps, g -> traceOf(Image(a, g)) = traceOf(g)));
end);

# Row vector u x v.
BindGlobal("SBS_Cross", function(u, v)
    return [u[2] * v[3] - u[3] * v[2], u[3] * v[1] - u[1] * v[3],
            u[1] * v[2] - u[2] * v[1]];
end);

# Register the point group generated by gens (exact matrices) under key,
# with its normalizer in O(3).  candidates: generator lists of finite
# overgroups of S in which a finite normalizer is looked for (and verified).
BindGlobal("SBS_RegisterPointGroup", function(key, gens, candidates, limit)
    local one, Smat, elms, elmSet, action, traceOf, analysis, expected, H, hAct,
          sPerms, SH, NH, found, F, Fp, Fo, Sp, matrixOf, identity, axis, lambda, P,
          b, twofold, fGens, f, g, c, normalizerName, elmPerms, toPerm, i;
    one := IdentityMat(3);
    SBS_CheckMatrices("group", gens, 3);
    Smat := Group(gens, one);
    action := SBS_BasisOrbitAction(gens, 3, limit);
    if action = fail or Size(action.perm) > limit then
        SBS_InputError("the point group has more than ", limit, " elements (the order limit)");
    fi;
    elms := List(AsList(action.perm), action.matrixOf);
    elmSet := Set(elms);
    traceOf := p -> TraceMat(action.matrixOf(p));
    analysis := SBS_CharacterAnalysis(action.perm, traceOf);
    axis := fail;
    if analysis.finite then
        identity := "trivial";
        expected := 2 ^ analysis.k
                    * SBS_TracePreservingAutomorphismCount(action.perm, traceOf);
        found := fail;
        for H in candidates do
            hAct := SBS_BasisOrbitAction(H, 3, limit);
            sPerms := List(gens, hAct.toPerm);
            if not fail in sPerms then
                SH := Subgroup(hAct.perm, sPerms);
                NH := Normalizer(hAct.perm, SH);
                if Size(NH) = expected then
                    found := rec(action := hAct, N := NH);
                    break;
                fi;
            fi;
        od;
        if found = fail then
            Error("sbs_gap: the O(3) normalizer of S (order ", expected,
                  ") lies in none of the candidate overgroups");
        fi;
        Fp := found.N;
        matrixOf := found.action.matrixOf;
        toPerm := found.action.toPerm;
        Fo := TrivialSubgroup(Fp);
        normalizerName := SBS_PointGroupType(List(AsList(Fp), matrixOf));
    else
        if Length(analysis.constituents) = 1 then
            # S lies in {+-1}: every rotation commutes with it.
            identity := "SO(3)";
            fGens := Concatenation(gens, [-one]);
            normalizerName := "O(3)";
        else
            identity := "SO(2)";
            lambda := First(analysis.constituents,
                            c -> c.multiplicity = 1 and c.degree = 1 and c.indicator = 1);
            if lambda = fail then
                Error("sbs_gap: no invariant axis for a point group with infinite normalizer");
            fi;
            # Projection onto the lambda-isotypic line (a symmetric matrix).
            P := Sum(AsList(action.perm), function(p)
                local cls;
                cls := PositionProperty(analysis.classes, c -> p in c);
                return lambda.values[cls] * action.matrixOf(p);
            end) / Size(action.perm);
            axis := First(P, row -> not IsZero(row));
            b := First(List(one, e -> SBS_Cross(axis, e)), v -> not IsZero(v));
            # The two-fold rotation about b: 2 b b^T / (b.b) - 1.
            twofold := 2 * TransposedMat([b]) * [b] / (b * b) - one;
            fGens := Concatenation(gens, [-one, twofold]);
            normalizerName := "Dinfh";
        fi;
        for f in fGens do
            for g in gens do
                if not f * g * f ^ -1 in elmSet then
                    Error("sbs_gap: the finite model of the normalizer does not normalize S");
                fi;
            od;
        od;
        hAct := SBS_BasisOrbitAction(fGens, 3, 8 * limit);
        Fp := hAct.perm;
        matrixOf := hAct.matrixOf;
        toPerm := hAct.toPerm;
        if identity = "SO(3)" then
            Fo := Subgroup(Fp, Filtered(AsList(Fp), p -> DeterminantMat(matrixOf(p)) = 1));
        else
            Fo := Subgroup(Fp, Filtered(AsList(Fp), p -> DeterminantMat(matrixOf(p)) = 1
                                                       and matrixOf(p) * axis = axis));
        fi;
    fi;
    elmPerms := List(elms, toPerm);
    Sp := Subgroup(Fp, elmPerms);
    SBS_Store.(key) := rec(kind := "pointgroup", F := Fp, Fo := Fo, S := Sp,
        elements := elms, elementPerms := elmPerms, matrixOf := matrixOf,
        identity := identity, axis := axis);
    return rec(order := Size(Sp), normalizer := normalizerName,
               normalizer_finite := identity = "trivial",
               normalizer_order := SBS_IfThen(identity = "trivial", Size(Fp), fail),
               identity_component := identity,
               normalizer_model_order := Size(Fp),
               elements := List(elms, m -> List(m, row -> List(row, SBS_CycCoefficients))));
end);

# Name of the closed subgroup M F0' of N, given M's finite part Mp <= F
# (Mp contains F0): a point group when N is finite, else the Lie group.
BindGlobal("SBS_NormalizerSubgroupName", function(g, Mp)
    local mats, kinds, a;
    mats := List(AsList(Mp), g.matrixOf);
    if g.identity = "trivial" then
        return SBS_PointGroupType(mats);
    elif g.identity = "SO(3)" then
        return SBS_IfThen(-IdentityMat(3) in mats, "O(3)", "SO(3)");
    fi;
    # Cosets of SO(2) in Dinfh: rotations about the axis (1), two-fold
    # rotations perpendicular to it (2), sigma_h times rotations (h),
    # vertical mirrors (v).
    a := g.axis;
    kinds := Set(mats, function(m)
        if DeterminantMat(m) = 1 then
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

# The component-group quotient F -> F/F0.
BindGlobal("SBS_ComponentQuotient", function(g)
    if not IsBound(g.quotient) then
        g.quotient := NaturalHomomorphismByNormalSubgroup(g.F, g.Fo);
    fi;
    return g.quotient;
end);

# Full breaking of a registered point group: the fields of `sbs full`.
BindGlobal("SBS_PointGroupFull", function(key)
    local g, hom, Q, Sbar, complements, names;
    g := SBS_Ambient(key);
    if not IsTrivial(Intersection(g.S, g.Fo)) then
        return rec(ideal := false, min_size := fail, complement := fail,
                   complements := []);
    fi;
    hom := SBS_ComponentQuotient(g);
    Q := ImagesSource(hom);
    Sbar := Image(hom, g.S);
    complements := ComplementClassesRepresentatives(Q, Sbar);
    names := List(complements, C -> SBS_NormalizerSubgroupName(g, PreImage(hom, C)));
    return rec(ideal := not IsEmpty(complements),
               min_size := SBS_ExactMinimum(Q, Sbar, TrivialSubgroup(Sbar)).size,
               complement := SBS_FirstOrFail(names),
               complements := SortedList(names));
end);

# Representatives of the S-conjugacy classes of subgroups of a registered
# point group: their Schoenflies type and the positions of their elements in
# the element list returned at registration.
BindGlobal("SBS_PointGroupSubgroupClasses", function(key)
    local g, position;
    g := SBS_Ambient(key);
    position := p -> Position(g.elementPerms, p);
    return List(List(ConjugacyClassesSubgroups(g.S), Representative), K -> rec(
        type := SBS_PointGroupType(List(AsList(K), g.matrixOf)),
        elements := List(AsList(K), position)));
end);

# Partial breaking of a registered point group to the subgroups K given by
# the positions of their elements: the fields of `sbs partial`.
BindGlobal("SBS_PointGroupPartial", function(key, targets)
    local g, Ks, So, finite, hom, finiteRows, rows, i, K, row, Nprime;
    g := SBS_Ambient(key);
    Ks := List(targets, positions -> Subgroup(g.S, g.elementPerms{positions}));
    So := Intersection(g.S, g.Fo);
    finite := Filtered([1 .. Length(Ks)], i -> IsSubset(Ks[i], So));
    hom := SBS_ComponentQuotient(g);
    finiteRows := SBS_PartialRecords(ImagesSource(hom), Image(hom, g.S),
                                     List(Ks{finite}, K -> Image(hom, K)));
    rows := [];
    for i in [1 .. Length(Ks)] do
        K := Ks[i];
        if i in finite then
            row := finiteRows[Position(finite, i)];
        else
            # Every equivariant SBS is infinite (THEORY.md section 4).
            row := rec(ideal := false, exact_min_size := fail, nonexact_min_size := fail,
                       break_more_is_smaller := false);
        fi;
        Nprime := ClosureGroup(g.S, Normalizer(g.F, K));
        row.subgroup_order := Size(K);
        row.index := Index(g.S, K);
        row.generalized_normalizer_is_normalizer := Size(Nprime) = Size(g.F);
        row.generalized_normalizer := SBS_NormalizerSubgroupName(g, Nprime);
        Unbind(row.generalized_normalizer_order);
        Add(rows, row);
    od;
    return rows;
end);
