#############################################################################
##  groups.gi: every input group becomes a permutation group (see groups.gd).
#############################################################################

# The determinant; 3x3 by cofactors, which is far faster than Gaussian
# elimination over large cyclotomic fields (D1000h: 10 us against 230 ms).
InstallGlobalFunction(SBS_Determinant, function(m)
    if Length(m) = 3 then
        return m[1][1] * (m[2][2] * m[3][3] - m[2][3] * m[3][2])
             - m[1][2] * (m[2][1] * m[3][3] - m[2][3] * m[3][1])
             + m[1][3] * (m[2][1] * m[3][2] - m[2][2] * m[3][1]);
    fi;
    return DeterminantMat(m);
end);

# A bounded orbit of the vector v under the matrices gens (acting on rows
# from the right, GAP's convention).  fail if it has more than limit points.
BindGlobal("SBS_BoundedOrbit", function(gens, v, limit)
    local orbit, dict, i, g, w;
    orbit := [v];
    dict := NewDictionary(v, false);
    AddDictionary(dict, v);
    i := 1;
    while i <= Length(orbit) do
        for g in gens do
            w := orbit[i] * g;
            if not KnowsDictionary(dict, w) then
                if Length(orbit) >= limit then
                    return fail;
                fi;
                AddDictionary(dict, w);
                Add(orbit, w);
            fi;
        od;
        i := i + 1;
    od;
    return orbit;
end);

# Exact checks of matrices that Python has already checked in floating point.
InstallGlobalFunction(SBS_CheckMatrices, function(what, mats, dim)
    local i, m;
    for i in [1 .. Length(mats)] do
        m := mats[i];
        if not IsMatrix(m) or DimensionsMat(m) <> [dim, dim] then
            SBS_InputError(what, " matrix ", i, " is not ", dim, "x", dim);
        fi;
        if not ForAll(m, row -> ForAll(row, x -> IsCyc(x) and x = ComplexConjugate(x))) then
            SBS_InputError(what, " matrix ", i, " has non-real entries");
        fi;
        if m * TransposedMat(m) <> IdentityMat(dim) then
            if IsZero(SBS_Determinant(m)) then
                SBS_InputError(what, " matrix ", i, " is not invertible");
            fi;
            SBS_InputError(what, " matrix ", i,
                           " is not orthogonal (exactly, M*M^T <> 1)");
        fi;
    od;
end);

# The action of a finite group of matrices (acting on row vectors from the
# right, GAP's convention) on the union of the orbits of the standard basis
# vectors: they span, so the action is faithful.  Returns fail if the orbits
# exceed limit points, else rec(points, perms, perm (the group), toPerm,
# matrixOf).  toPerm(m) is fail unless m permutes the points and induces an
# element of the group (m is then determined by it); matrixOf inverts it.
InstallGlobalFunction(SBS_BasisOrbitAction, function(mats, dim, limit)
    local points, dict, orbit, v, perms, P, basisIndex;
    points := [];
    dict := NewDictionary(IdentityMat(dim)[1], true);
    for v in IdentityMat(dim) do
        if not KnowsDictionary(dict, v) then
            orbit := SBS_BoundedOrbit(mats, v, limit);
            if orbit = fail then
                return fail;
            fi;
            for v in orbit do
                Add(points, v);
                AddDictionary(dict, v, Length(points));
            od;
        fi;
    od;
    perms := List(mats, m -> PermList(List(points, p -> LookupDictionary(dict, p * m))));
    P := Group(perms, ());
    basisIndex := List(IdentityMat(dim), v -> LookupDictionary(dict, v));
    return rec(points := points, perms := perms, perm := P,
        toPerm := function(m)
            local images, p, v;
            if not IsMatrix(m) or DimensionsMat(m) <> [dim, dim] then
                return fail;
            fi;
            images := [];
            for v in points do
                p := LookupDictionary(dict, v * m);
                if p = fail then
                    return fail;
                fi;
                Add(images, p);
            od;
            p := PermList(images);
            if p = fail or not p in P then
                return fail;
            fi;
            return p;
        end,
        # Row i of the matrix is the image of the i-th basis vector.
        matrixOf := p -> List(basisIndex, i -> points[i ^ p]));
end);

# Register a finite group of orthogonal matrices under key.
InstallGlobalFunction(SBS_RegisterMatrixGroup, function(key, mats, dim, limit)
    local i, action, order;
    SBS_CheckMatrices("ambient", mats, dim);
    for i in [1 .. Length(mats)] do
        if Order(mats[i]) = infinity then
            SBS_InputError("ambient matrix ", i,
                " has infinite order, so the matrices generate an infinite group");
        fi;
    od;
    action := SBS_BasisOrbitAction(mats, dim, limit);
    if action = fail then
        if not IsEmpty(mats) and not IsFinite(Group(mats)) then
            SBS_InputError("the ambient matrices generate an infinite group");
        fi;
        SBS_InputError("the ambient matrices generate a group with more than ",
                       limit, " elements (the order limit)");
    fi;
    order := Size(action.perm);
    if order > limit then
        SBS_InputError("the ambient group has order ", order,
                       ", more than the order limit ", limit);
    fi;
    SBS_Store.(key) := rec(kind := "matrices", perm := action.perm,
                           generators := action.perms, matrices := mats,
                           points := action.points, toPerm := action.toPerm,
                           matrixOf := action.matrixOf);
    return rec(order := order, degree := Length(action.points));
end);

# Register a permutation group given by image lists.
InstallGlobalFunction(SBS_RegisterPermGroup, function(key, images, limit)
    local perms, P, order;
    perms := List(images, PermList);
    if fail in perms then
        SBS_InputError("an ambient permutation is not a bijection");
    fi;
    P := Group(perms, ());
    order := Size(P);
    if order > limit then
        SBS_InputError("the ambient group has order ", order,
                       ", more than the order limit ", limit);
    fi;
    SBS_Store.(key) := rec(kind := "permutations", perm := P, generators := perms,
        toPerm := function(img)
            local p;
            p := PermList(img);
            if p = fail or not p in P then
                return fail;
            fi;
            return p;
        end);
    return rec(order := order, degree := LargestMovedPoint(P));
end);

# Register a finitely presented group: relators are letter lists (i for the
# i-th generator, -i for its inverse).  Coset enumeration over the trivial
# subgroup, bounded by maxCosets, gives the regular representation, which is
# then shrunk.
InstallGlobalFunction(SBS_RegisterFpGroup, function(key, ngens, relators, limit, maxCosets)
    local F, fam, rels, table, perms, P, hom, images, order, wordToPerm;
    if ngens = 0 then
        perms := [];
    else
        F := FreeGroup(ngens);
        fam := FamilyObj(F.1);
        rels := List(relators, r -> AssocWordByLetterRep(fam, r));
        table := CosetTableFromGensAndRels(GeneratorsOfGroup(F), rels, []
                                           : max := maxCosets, silent := true);
        if table = fail then
            SBS_InputError("coset enumeration of the presentation did not finish within ",
                maxCosets, " cosets: the group is infinite or much larger than the ",
                "order limit ", limit);
        fi;
        if Length(table[1]) > limit then
            SBS_InputError("the presented group has order ", Length(table[1]),
                           ", more than the order limit ", limit);
        fi;
        perms := List([1 .. ngens], i -> PermList(table[2 * i - 1]));
    fi;
    P := Group(perms, ());
    order := Size(P);
    if order > 1 then
        hom := SmallerDegreePermutationRepresentation(P);
        images := List(perms, p -> ImagesRepresentative(hom, p));
        P := Group(images, ());
        perms := images;
    fi;
    wordToPerm := function(letters)
        local p, l;
        p := ();
        for l in letters do
            if not IsInt(l) or l = 0 or AbsInt(l) > ngens then
                return fail;
            fi;
            if l > 0 then
                p := p * perms[l];
            else
                p := p * perms[-l]^-1;
            fi;
        od;
        return p;
    end;
    SBS_Store.(key) := rec(kind := "presentation", perm := P, generators := perms,
                           toPerm := wordToPerm);
    return rec(order := order, degree := NrMovedPoints(P));
end);

InstallGlobalFunction(SBS_Ambient, function(key)
    if not IsBound(SBS_Store.(key)) then
        Error("sbs_gap: no group registered under ", key);
    fi;
    return SBS_Store.(key);
end);

# Elements given in the ambient's input format, as permutations; what names
# their role ("group", "target") for error messages.
InstallGlobalFunction(SBS_ElementsToPerms, function(key, what, elements)
    local A, perms, i, p;
    A := SBS_Ambient(key);
    perms := [];
    for i in [1 .. Length(elements)] do
        p := A.toPerm(elements[i]);
        if p = fail then
            SBS_InputError(what, " generator ", i, " is not an element of the ambient group");
        fi;
        Add(perms, p);
    od;
    return perms;
end);

# The subgroup S of a registered ambient group generated by groupElements.
InstallGlobalFunction(SBS_ProblemGroup, function(key, groupElements)
    return Subgroup(SBS_Ambient(key).perm,
                    SBS_ElementsToPerms(key, "group", groupElements));
end);

# The target K generated by targetElements, checked to lie in S.
InstallGlobalFunction(SBS_ProblemTarget, function(key, S, targetElements)
    local targetPerms, i;
    targetPerms := SBS_ElementsToPerms(key, "target", targetElements);
    for i in [1 .. Length(targetPerms)] do
        if not targetPerms[i] in S then
            SBS_InputError("target generator ", i, " is not an element of the group ",
                           "(the target must be a subgroup of the group)");
        fi;
    od;
    return Subgroup(S, targetPerms);
end);

# Orders in a problem: the ambient group (registered under key), its subgroup
# S generated by groupElements and, unless targetElements is fail, the
# target K, which must lie in S.
InstallGlobalFunction(SBS_ProblemOrders, function(key, groupElements, targetElements)
    local S, result;
    S := SBS_ProblemGroup(key, groupElements);
    result := rec(ambient_order := Size(SBS_Ambient(key).perm), order := Size(S),
                  target_order := fail);
    if targetElements <> fail then
        result.target_order := Size(SBS_ProblemTarget(key, S, targetElements));
    fi;
    return result;
end);
