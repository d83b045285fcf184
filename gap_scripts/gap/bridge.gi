#############################################################################
##  bridge.gi: the protocol between the Python bridge and GAP (bridge.gd).
#############################################################################

InstallValue(SBS_Store, rec());

InstallGlobalFunction(SBS_StartBridge, function()
    # Errors must never leave GAP waiting in a break loop: they unwind to the
    # nearest CALL_WITH_CATCH (inside SBS_Run) and print their first location.
    BreakOnError := false;
    AlwaysPrintTracebackOnError := true;
    # GAP 4.12 prints the first location with the message; 4.13 and later
    # print it in the traceback, of which one frame is enough.
    OnBreak := function() Where(1); end;
    # Long result lines and error messages must not be wrapped.
    SetPrintFormattingStatus("*stdout*", false);
    SetPrintFormattingStatus("*errout*", false);
end);

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

InstallGlobalFunction(SBS_Run, function(id, func)
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

InstallGlobalFunction(SBS_InputError, function(arg)
    CallFuncList(Error, Concatenation(["SBS-INPUT: "], arg));
end);

InstallGlobalFunction(SBS_Version, function()
    return GAPInfo.Version;
end);

InstallGlobalFunction(SBS_CycCoefficients, function(x)
    local n, coefficients;
    n := Conductor(x);
    coefficients := CoeffsCyc(x, n);
    return [n, Filtered(List([1 .. n], k -> [k - 1, coefficients[k]]), t -> t[2] <> 0)];
end);

InstallGlobalFunction(SBS_ReadExtension, function(name)
    if not name in ["models", "testing"] then
        Error("sbsgap: no extension named ", name);
    fi;
    return ReadPackage("sbsgap", Concatenation("gap/", name, ".gd"))
       and ReadPackage("sbsgap", Concatenation("gap/", name, ".gi"));
end);
