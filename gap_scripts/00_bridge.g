#############################################################################
##  sbs_gap bridge: the protocol between Python (pexpect) and this GAP.
##
##  Python only ever sends lines of the form
##      SBS_Run(<id>, function() return <generated expression>; end);
##  built from data it validated itself.  SBS_Run prints sentinel lines that
##  Python waits for, so no prompt parsing is needed (GAP runs with -q).
#############################################################################

# Errors must never leave GAP waiting in a break loop: they unwind to the
# nearest CALL_WITH_CATCH (inside SBS_Run) and the message is printed there.
BreakOnError := false;
# Long result lines and error messages must not be wrapped.
SetPrintFormattingStatus("*stdout*", false);
SetPrintFormattingStatus("*errout*", false);

# GAP is started with -A (no autoloaded packages: the passagemath wheel lacks
# some data packages).  Load what the library's group algorithms expect, where
# available; a missing one only makes some methods unavailable.
BindGlobal("SBS_LoadedPackages", Filtered(
    ["gapdoc", "primgrp", "smallgrp", "transgrp", "polycyclic", "autpgrp"],
    name -> LoadPackage(name, false) = true));

# Cache of objects (groups, homomorphisms) built on request of Python,
# keyed by a hex digest Python computes from the defining data.
SBS_Store := rec();

BindGlobal("SBS_JsonString", function(s)
    local out, c, i;
    out := "\"";
    for c in s do
        i := INT_CHAR(c);
        if c = '\"' then Append(out, "\\\"");
        elif c = '\\' then Append(out, "\\\\");
        elif c = '\n' then Append(out, "\\n");
        elif i < 32 or i > 126 then Append(out, "?");
        else Add(out, c);
        fi;
    od;
    Add(out, '\"');
    return out;
end);

# Serialize a GAP value as JSON.  Rationals and other cyclotomics become
# strings (exact), integers stay integers.
DeclareGlobalFunction("SBS_ToJson");
InstallGlobalFunction(SBS_ToJson, function(x)
    local parts, name;
    if x = true then return "true";
    elif x = false then return "false";
    elif x = fail then return "null";
    elif IsInt(x) then return String(x);
    elif IsString(x) and (IsEmpty(x) = false or IsStringRep(x)) then
        return SBS_JsonString(x);
    elif IsCyc(x) then return SBS_JsonString(String(x));
    elif IsPerm(x) then
        return SBS_ToJson(ListPerm(x));
    elif IsList(x) then
        parts := List(x, SBS_ToJson);
        return Concatenation("[", JoinStringsWithSeparator(parts, ","), "]");
    elif IsRecord(x) then
        parts := [];
        for name in Set(RecNames(x)) do
            Add(parts, Concatenation(SBS_JsonString(name), ":",
                                     SBS_ToJson(x.(name))));
        od;
        return Concatenation("{", JoinStringsWithSeparator(parts, ","), "}");
    fi;
    Error("SBS_ToJson: cannot serialize ", x);
end);

BindGlobal("SBS_Run", function(id, func)
    local result, json;
    Print("@@SBS:", id, ":BEGIN\n");
    result := CALL_WITH_CATCH(func, []);
    if result[1] = true then
        if Length(result) < 2 then
            json := "null";
        else
            json := CALL_WITH_CATCH(SBS_ToJson, [result[2]]);
            if json[1] = true then
                json := json[2];
            else
                Print("\n@@SBS:", id, ":ERR\n");
                return;
            fi;
        fi;
        Print("\n@@SBS:", id, ":OK ", json, "\n");
    else
        Print("\n@@SBS:", id, ":ERR\n");
    fi;
end);

# Raise a GAP error that Python maps to a user-facing input error.
BindGlobal("SBS_InputError", function(arg)
    CallFuncList(Error, Concatenation(["SBS-INPUT: "], arg));
end);

BindGlobal("SBS_Version", function()
    return GAPInfo.Version;
end);

# Busy work for a given number of milliseconds (used to test timeouts and
# process deaths; does nothing else).
BindGlobal("SBS_Spin", function(ms)
    local t, i;
    t := NanosecondsSinceEpoch();
    i := 0;
    while NanosecondsSinceEpoch() - t < ms * 10^6 do
        i := i + 1;
    od;
    return i > 0;
end);

# Raise an ordinary GAP error (used to test error recovery).
BindGlobal("SBS_Fail", function(n)
    return 1 / (n - n);
end);

# Exact equality of two values (used to check generated cyclotomic literals).
BindGlobal("SBS_Equal", function(a, b)
    return a = b;
end);

# A cyclotomic as [n, [c_0, ..., c_{n-1}]] with x = Sum c_k E(n)^k, so that
# Python can evaluate it in floating point.
BindGlobal("SBS_CycCoefficients", function(x)
    local n;
    n := Conductor(x);
    return [n, CoeffsCyc(x, n)];
end);
