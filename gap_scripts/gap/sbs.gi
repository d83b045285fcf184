#############################################################################
##  sbs.gi: symmetry breaking sets for finite ambient groups (see sbs.gd).
#############################################################################

# N_G(S, K) = { n in N_G(S) : K^n in Cl_S(K) } = S * N_{N_G(S)}(K)  (Frattini).
InstallGlobalFunction(SBS_GeneralizedNormalizer, function(N, S, K)
    return ClosureGroup(S, Normalizer(N, K));
end);

# The largest order of a subgroup X of Q with X meet P = 1 (P normal in Q).
InstallGlobalFunction(SBS_LargestAvoidingSubgroupOrder, function(Q, P)
    local lattice, best, cls;
    if IsTrivial(P) then
        return Size(Q);
    fi;
    if Size(P) = Size(Q) then
        return 1;
    fi;
    if not IsEmpty(ComplementClassesRepresentatives(Q, P)) then
        return Size(Q) / Size(P);
    fi;
    lattice := LatticeByCyclicExtension(Q, X -> IsTrivial(Intersection(X, P)));
    best := 1;
    for cls in ConjugacyClassesSubgroups(lattice) do
        if IsTrivial(Intersection(Representative(cls), P)) then
            best := Maximum(best, Size(Representative(cls)));
        fi;
    od;
    return best;
end);

# Minimal |N' : M| over M <= Nprime with M meet S = L (up to S-conjugacy),
# together with the sizes of Q and P and whether P has a complement in Q.
InstallGlobalFunction(SBS_ExactMinimum, function(Nprime, S, L)
    local NL, hom, Q, P, largest;
    NL := Normalizer(Nprime, L);
    hom := NaturalHomomorphismByNormalSubgroup(NL, L);
    Q := ImagesSource(hom);
    P := Image(hom, Normalizer(S, L));
    largest := SBS_LargestAvoidingSubgroupOrder(Q, P);
    return rec(size := Index(Nprime, NL) * Size(Q) / largest,
               ideal := largest * Size(P) = Size(Q));
end);

# Subgroups of K up to S-conjugacy (representatives).
InstallGlobalFunction(SBS_SubgroupsUpToConjugacy, function(S, K)
    local reps, L;
    reps := [];
    for L in List(ConjugacyClassesSubgroups(K), Representative) do
        if ForAll(reps, R -> Size(R) <> Size(L)
                  or RepresentativeAction(S, R, L) = fail) then
            Add(reps, L);
        fi;
    od;
    return reps;
end);

# A deterministic, cheap name: GAP's structure description for small groups
# (it gets slow for large 2-groups), the order otherwise.
BindGlobal("SBS_GroupName", function(H)
    if Size(H) <= 128 then
        return StructureDescription(H);
    fi;
    return Concatenation("group of order ", String(Size(H)));
end);

# The fields of `sbs partial` that come from the minimal sizes.
BindGlobal("SBS_MinimaFields", function(exact, nonexact)
    return rec(ideal := exact.ideal, exact_min_size := exact.size,
               nonexact_min_size := nonexact, break_more_is_smaller := nonexact < exact.size);
end);

# below[j]: the classes (of subgroups of S) with a member inside the
# representative of class j, j itself included; tested on sorted element lists.
InstallGlobalFunction(SBS_ClassesBelow, function(classes)
    local reps, elementSets, memberSets;
    reps := List(classes, Representative);
    elementSets := List(reps, AsSSortedList);
    memberSets := List(classes, c -> List(AsList(c), AsSSortedList));
    return List([1 .. Length(reps)], j -> Filtered([1 .. Length(reps)],
        i -> Size(reps[j]) mod Size(reps[i]) = 0
             and ForAny(memberSets[i], m -> IsSubsetSet(elementSets[j], m))));
end);

# A value computed on first use: f() the first time, the same value after.
BindGlobal("SBS_Lazy", function(f)
    local cache;
    cache := rec();
    return function()
        if not IsBound(cache.value) then
            cache.value := f();
        fi;
        return cache.value;
    end;
end);

# Minimal sizes per S-conjugacy class of subgroups.  The exact minimum of a
# class L depends only on L and on N' (few distinct ones), so it is computed
# once per pair and shared by every target containing a conjugate of L (the
# non-exact minimum).  image maps subgroups into the group the minima are
# computed in (the identity, or the quotient by an identity component).
# Returns a function (Nprime, j, allowed) -> the minima fields for class j,
# the non-exact minimum over the classes i below j with allowed(i); below()
# gives SBS_ClassesBelow's lists, computed only if some class is not ideal.
InstallGlobalFunction(SBS_ClassMinima, function(S, reps, below, image)
    local Sbar, normalizers, cache, exactOf;
    Sbar := image(S);
    normalizers := [];
    cache := [];
    exactOf := function(ni, i)
        if not IsBound(cache[ni][i]) then
            cache[ni][i] := SBS_ExactMinimum(image(normalizers[ni]), Sbar, image(reps[i]));
        fi;
        return cache[ni][i];
    end;
    return function(Nprime, j, allowed)
        local ni, exact, nonexact, i;
        ni := Position(normalizers, Nprime);
        if ni = fail then
            Add(normalizers, Nprime);
            ni := Length(normalizers);
            cache[ni] := [];
        fi;
        exact := exactOf(ni, j);
        nonexact := exact.size;
        if exact.ideal then
            # no set is smaller: |N' : M| >= |S : S meet M| >= |S : K| when
            # S meet M is subconjugate to K
            return SBS_MinimaFields(exact, nonexact);
        fi;
        for i in below()[j] do
            if allowed(i) then
                nonexact := Minimum(nonexact, exactOf(ni, i).size);
            fi;
        od;
        return SBS_MinimaFields(exact, nonexact);
    end;
end);

# Partial breaking of S to each of the subgroups in targets, inside
# N = N_G(S): the fields of `sbs partial`, one record per target, computed
# per S-conjugacy class of subgroups (SBS_ClassMinima).
BindGlobal("SBS_PartialRecords", function(N, S, targets)
    local classes, reps, minima, rows, K, j, Nprime;
    classes := ConjugacyClassesSubgroups(S);
    reps := List(classes, Representative);
    minima := SBS_ClassMinima(S, reps,
                  SBS_Lazy(function() return SBS_ClassesBelow(classes); end), IdFunc);
    rows := [];
    for K in targets do
        j := First([1 .. Length(classes)],
                   i -> Size(reps[i]) = Size(K) and K in classes[i]);
        Nprime := SBS_GeneralizedNormalizer(N, S, reps[j]);
        Add(rows, SBS_PartialRow(N, S, K, Nprime, minima(Nprime, j, ReturnTrue)));
    od;
    return rows;
end);

# One target: only the subgroups of K are looked at (the subgroup lattice of a
# large S, e.g. appendix G's group of order 256, is never computed).
BindGlobal("SBS_PartialRecord", function(N, S, K)
    local Nprime, exact, nonexact, L;
    Nprime := SBS_GeneralizedNormalizer(N, S, K);
    exact := SBS_ExactMinimum(Nprime, S, K);
    nonexact := exact.size;
    if not exact.ideal then  # an ideal set is also the smallest non-exact one
        for L in SBS_SubgroupsUpToConjugacy(S, K) do
            if Size(L) < Size(K) then
                nonexact := Minimum(nonexact, SBS_ExactMinimum(Nprime, S, L).size);
            fi;
        od;
    fi;
    return SBS_PartialRow(N, S, K, Nprime, SBS_MinimaFields(exact, nonexact));
end);

InstallGlobalFunction(SBS_PartialRow, function(N, S, K, Nprime, minima)
    local row;
    row := ShallowCopy(minima);
    row.subgroup_order := Size(K);
    row.index := Index(S, K);
    row.generalized_normalizer_order := Size(Nprime);
    row.generalized_normalizer_is_normalizer := Size(Nprime) = Size(N);
    return row;
end);

BindGlobal("SBS_ProblemGroups", function(key, groupElements)
    local A, S;
    A := SBS_Ambient(key).perm;
    S := SBS_ProblemGroup(key, groupElements);
    return rec(A := A, S := S, N := Normalizer(A, S));
end);

# The least element of a list of names, or fail if it is empty.
BindGlobal("SBS_FirstOrFail", function(list)
    if IsEmpty(list) then
        return fail;
    fi;
    return Minimum(list);
end);

# Full breaking of S in a registered ambient group: the fields of `sbs full`.
InstallGlobalFunction(SBS_FullBreaking, function(key, groupElements)
    local g, complements, exact;
    g := SBS_ProblemGroups(key, groupElements);
    complements := ComplementClassesRepresentatives(g.N, g.S);
    exact := SBS_ExactMinimum(g.N, g.S, TrivialSubgroup(g.S));
    return rec(order := Size(g.S), ambient_order := Size(g.A),
               normalizer := SBS_GroupName(g.N), normalizer_order := Size(g.N),
               ideal := not IsEmpty(complements), min_size := exact.size,
               complement_classes := Length(complements),
               complement := SBS_FirstOrFail(List(complements, SBS_GroupName)));
end);

# Partial breaking to the target of a problem (targetElements), or to every
# S-conjugacy class of subgroups (targetElements = fail).  Rows are sorted by
# subgroup order, then name; copies with equal names get "#2", "#3", ...
InstallGlobalFunction(SBS_PartialBreaking, function(key, groupElements, targetElements)
    local g, targets, rows, i, row, counts, name;
    g := SBS_ProblemGroups(key, groupElements);
    if targetElements = fail then
        targets := List(ConjugacyClassesSubgroups(g.S), Representative);
    else
        targets := [SBS_ProblemTarget(key, g.S, targetElements)];
    fi;
    if targetElements = fail then
        rows := SBS_PartialRecords(g.N, g.S, targets);
    else
        rows := [SBS_PartialRecord(g.N, g.S, targets[1])];
    fi;
    for i in [1 .. Length(rows)] do
        rows[i].subgroup := SBS_GroupName(targets[i]);
    od;
    SortBy(rows, r -> [r.subgroup_order, r.subgroup, r.exact_min_size, r.nonexact_min_size,
                       r.generalized_normalizer_order]);
    counts := rec();
    for row in rows do
        name := row.subgroup;
        if IsBound(counts.(name)) then
            counts.(name) := counts.(name) + 1;
            row.subgroup := Concatenation(name, "#", String(counts.(name)));
        else
            counts.(name) := 1;
        fi;
    od;
    return rows;
end);

# The subgroups M <= Nprime achieving the exact minimum of SBS_ExactMinimum:
# M meet S = L and |Nprime : M| minimal, one per class of X = M/L in
# N_{Nprime}(L)/L (Q-conjugacy).  The stabilizers of the objects of a
# minimal exact SBS (docs/theory.md section 5 realizes them as vectors).
# The S-conjugates of K, each as the sorted positions of its elements (exact:
# a representation need not be faithful, so its matrices cannot tell them).
BindGlobal("SBS_ConjugatePositions", function(S, K, position)
    return Set(ConjugateSubgroups(S, K), C -> SortedList(List(AsList(C), position)));
end);

InstallGlobalFunction(SBS_ExactWitnesses, function(Nprime, S, L)
    local NL, hom, Q, P, reps, lattice, best;
    NL := Normalizer(Nprime, L);
    hom := NaturalHomomorphismByNormalSubgroup(NL, L);
    Q := ImagesSource(hom);
    P := Image(hom, Normalizer(S, L));
    if IsTrivial(P) then
        reps := [Q];
    elif Size(P) = Size(Q) then
        reps := [TrivialSubgroup(Q)];
    else
        reps := ComplementClassesRepresentatives(Q, P);
        if IsEmpty(reps) then
            lattice := LatticeByCyclicExtension(Q, X -> IsTrivial(Intersection(X, P)));
            reps := Filtered(List(ConjugacyClassesSubgroups(lattice), Representative),
                             X -> IsTrivial(Intersection(X, P)));
            best := Maximum(List(reps, Size));
            reps := Filtered(reps, X -> Size(X) = best);
        fi;
    fi;
    return List(reps, X -> PreImage(hom, X));
end);

# What realizing an SBS for a problem file needs (its ambient group given by
# matrices): the generalized normalizer's elements as matrices, generators,
# S and K (the target, or the trivial group) as positions among them, the
# stabilizers M achieving the minimal exact size, and that size.
InstallGlobalFunction(SBS_ProblemSbsData, function(key, groupElements, targetElements,
                                        representation)
    local A, g, K, Nprime, exact, witnesses, elements, position, rep, hom;
    A := SBS_Ambient(key);
    if representation <> fail then
        # images of the ambient's generators in an orthogonal representation
        SBS_CheckMatrices("representation", representation, Length(representation[1]));
        if Length(representation) <> Length(A.generators) then
            SBS_InputError("the representation needs one matrix per ambient generator");
        fi;
        hom := GroupHomomorphismByImages(A.perm, Group(representation), A.generators,
                                         representation);
        if hom = fail then
            SBS_InputError("the representation matrices do not define a representation ",
                           "of the ambient group (a relation of the group fails for them)");
        fi;
        rep := p -> ImagesRepresentative(hom, p);
    elif A.kind = "matrices" then
        rep := A.matrixOf;
    else
        SBS_InputError("objects are vectors of a matrix representation: give the problem ",
                       "a 'representation', or an ambient group given by matrices");
    fi;
    g := SBS_ProblemGroups(key, groupElements);
    if targetElements = fail then
        K := TrivialSubgroup(g.S);
    else
        K := SBS_ProblemTarget(key, g.S, targetElements);
    fi;
    Nprime := SBS_GeneralizedNormalizer(g.N, g.S, K);
    exact := SBS_ExactMinimum(Nprime, g.S, K);
    witnesses := SBS_ExactWitnesses(Nprime, g.S, K);
    elements := AsList(Nprime);
    position := p -> Position(elements, p);
    return rec(
        elements := List(elements, p -> List(rep(p),
                                              row -> List(row, SBS_CycCoefficients))),
        generators := List(GeneratorsOfGroup(Nprime), position),
        group := List(AsList(g.S), position),
        target_conjugates := SBS_ConjugatePositions(g.S, K, position),
        witnesses := List(witnesses, M -> List(AsList(M), position)),
        names := List(witnesses, SBS_GroupName),
        subgroup := SBS_GroupName(K),
        ideal := exact.ideal, size := exact.size);
end);
