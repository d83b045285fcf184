#############################################################################
##  models.gi: symmetry of lattice models (the groundstate demo; an extension,
##  read with SBS_ReadExtension("models")), computed from the couplings.
##
##  An Ising model on n sites with couplings J_ij (integers, given as
##  [i, j, J] with i < j) and the global spin flip.  Literals: point i is
##  "site i up", point n + i is "site i down"; a configuration is the set of
##  its n literals.  Relabelings pi of the sites act on both halves; the flip
##  swaps i and n + i.
#############################################################################

# The site permutations preserving every coupling (graph automorphisms of
# the weighted graph), by partition backtrack on one edge set per value.
InstallGlobalFunction(SBS_CouplingAutomorphisms, function(n, couplings)
    local G, value;
    G := SymmetricGroup(n);
    for value in Set(couplings, c -> c[3]) do
        G := Stabilizer(G, Set(Filtered(couplings, c -> c[3] = value), c -> Set(c{[1, 2]})),
                        OnSetsSets);
    od;
    return G;
end);

# Site permutation pi and flip bit -> permutation of the 2n literals.
InstallGlobalFunction(SBS_LiteralPermutation, function(n, pi, flip)
    local images, i;
    images := [];
    for i in [1 .. n] do
        if flip then
            images[i] := n + i ^ pi;
            images[n + i] := i ^ pi;
        else
            images[i] := i ^ pi;
            images[n + i] := n + i ^ pi;
        fi;
    od;
    return PermList(images);
end);

# S = Aut(J) x <flip>, its normalizer N in Sym(n) x <flip> (the relabelings
# and flips an equivariant graph network commutes with), and K, the
# stabilizer in S of a configuration (a list of n literals).  Groups are
# returned as generators on the 2n literals (image lists).
InstallGlobalFunction(SBS_IsingSymmetry, function(n, couplings, configuration)
    local aut, flip, S, ambient, N, K, images;
    if n < 2 or n > 64 then
        SBS_InputError("models with 2 to 64 sites are supported");
    fi;
    if ForAny(couplings, c -> not (IsInt(c[1]) and IsInt(c[2]) and IsInt(c[3])
                                   and 1 <= c[1] and c[1] < c[2] and c[2] <= n)) then
        SBS_InputError("couplings must be [i, j, J] with 1 <= i < j <= n, J an integer");
    fi;
    aut := SBS_CouplingAutomorphisms(n, couplings);
    flip := SBS_LiteralPermutation(n, (), true);
    S := Group(Concatenation(List(GeneratorsOfGroup(aut),
                                  g -> SBS_LiteralPermutation(n, g, false)), [flip]));
    ambient := Group(Concatenation(List(GeneratorsOfGroup(SymmetricGroup(n)),
                                        g -> SBS_LiteralPermutation(n, g, false)), [flip]));
    N := Normalizer(ambient, S);
    K := Stabilizer(S, Set(configuration), OnSets);
    images := G -> List(GeneratorsOfGroup(G), g -> ListPerm(g, 2 * n));
    return rec(automorphism_order := Size(aut), order := Size(S),
               normalizer_order := Size(N),
               group := images(S), normalizer := images(N),
               target := images(K), target_order := Size(K));
end);
