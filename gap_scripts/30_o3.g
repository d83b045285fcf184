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
BindGlobal("SBS_PointGroupTypeFromData", function(data)
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
BindGlobal("SBS_PointGroupType", elements -> SBS_PointGroupTypeFromData(
    List(elements, g -> [DeterminantMat(g), TraceMat(g), Order(g)])));

# The type of a permutation group P whose elements stand for matrices.
BindGlobal("SBS_PermPointGroupType", function(P, matrixOf)
    return SBS_PointGroupTypeFromData(List(AsList(P), function(p)
        local m;
        m := matrixOf(p);
        return [DeterminantMat(m), TraceMat(m), Order(p)];
    end));
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
        normalizerName := SBS_PermPointGroupType(Fp, matrixOf);
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

# Everything `sbs full` and `sbs partial` report for a registered point
# group, in one pass over the subgroup lattice of S:
#   full     rec(ideal, min_size, complement, complements)
#   classes  one record per S-conjugacy class of subgroups K: its type, the
#            positions of a member's elements in the registered element list,
#            and the fields of `sbs partial`.
# Minimal sizes come from SBS_ClassMinima, computed in the component group
# F/F0 (only classes containing S meet F0 have finite sets).
BindGlobal("SBS_PointGroupAnalysis", function(key)
    local g, classes, reps, So, finite, hom, minima, rows, j, K, NprimeF, row, full,
          trivial, complements, Q;
    g := SBS_Ambient(key);
    classes := ConjugacyClassesSubgroups(g.S);
    reps := List(classes, Representative);
    So := Intersection(g.S, g.Fo);
    finite := List(reps, K -> IsSubset(K, So));
    hom := SBS_ComponentQuotient(g);
    minima := SBS_ClassMinima(g.S, reps, SBS_ClassesBelow(classes), H -> Image(hom, H));
    rows := [];
    for j in [1 .. Length(reps)] do
        K := reps[j];
        NprimeF := ClosureGroup(g.S, Normalizer(g.F, K));
        if finite[j] then
            row := minima(NprimeF, j, i -> finite[i]);
        else
            # Every equivariant SBS is infinite (THEORY.md section 4).
            row := rec(ideal := false, exact_min_size := fail, nonexact_min_size := fail,
                       break_more_is_smaller := false);
        fi;
        row.type := SBS_PermPointGroupType(K, g.matrixOf);
        row.elements := List(AsList(K), p -> Position(g.elementPerms, p));
        row.subgroup_order := Size(K);
        row.index := Index(g.S, K);
        row.generalized_normalizer_is_normalizer := Size(NprimeF) = Size(g.F);
        Add(rows, row);
    od;
    trivial := First(rows, r -> r.subgroup_order = 1);
    full := rec(ideal := trivial.ideal, min_size := trivial.exact_min_size,
                complement := fail, complements := []);
    if finite[Position(rows, trivial)] then
        Q := ImagesSource(hom);
        complements := ComplementClassesRepresentatives(Q, Image(hom, g.S));
        full.complements := SortedList(List(complements,
            C -> SBS_NormalizerSubgroupName(g, PreImage(hom, C))));
        full.complement := SBS_FirstOrFail(full.complements);
    fi;
    return rec(full := full, classes := rows);
end);

# What realizing an SBS for (S, K) needs (THEORY.md section 5), K given by
# the positions of its elements in the registered element list:
#   finite      whether a finite equivariant SBS exists
#   elements    the elements of the finite model N'_F of the generalized
#               normalizer N' (matrices as cyclotomic coefficients); N' is
#               N'_F times the identity component (trivial, SO(2) about axis,
#               or SO(3)), which fixes every object of a finite set
#   generators  positions (in elements) of generators of N'_F
#   group       positions of the elements of S
#   witnesses   lists of positions: the finite parts M_F of the stabilizers M
#               achieving the minimal exact size (finite case), or subgroups
#               M_F <= N'_F with M_F meet S = K (continuous case)
#   names       their names (M = M_F times the identity component when finite)
BindGlobal("SBS_PointGroupSbsData", function(key, positions)
    local g, K, NprimeF, So, hom, witnesses, elements, position, axis;
    g := SBS_Ambient(key);
    K := Subgroup(g.S, g.elementPerms{positions});
    NprimeF := ClosureGroup(g.S, Normalizer(g.F, K));
    So := Intersection(g.S, g.Fo);
    if IsSubset(K, So) then
        hom := SBS_ComponentQuotient(g);
        witnesses := List(SBS_ExactWitnesses(Image(hom, NprimeF), Image(hom, g.S),
                                              Image(hom, K)),
                          X -> Intersection(PreImage(hom, X), NprimeF));
    else
        witnesses := SBS_ExactWitnesses(NprimeF, g.S, K);
    fi;
    elements := AsList(NprimeF);
    position := p -> Position(elements, p);
    axis := fail;
    if g.axis <> fail then
        axis := List(g.axis, SBS_CycCoefficients);
    fi;
    return rec(finite := IsSubset(K, So), identity := g.identity, axis := axis,
        elements := List(elements, p -> List(g.matrixOf(p),
                                              row -> List(row, SBS_CycCoefficients))),
        generators := List(GeneratorsOfGroup(NprimeF), position),
        group := List(AsList(g.S), position),
        witnesses := List(witnesses, M -> List(AsList(M), position)),
        names := List(witnesses, function(M)
            if IsSubset(K, So) then
                return SBS_NormalizerSubgroupName(g, M);
            fi;
            return SBS_PermPointGroupType(M, g.matrixOf);
        end));
end);
