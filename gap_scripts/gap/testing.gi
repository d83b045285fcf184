#############################################################################
##  testing.gi: hooks for the tests of the bridge (testing.gd).
#############################################################################

InstallGlobalFunction(SBS_Spin, function(ms)
    local t, i;
    t := NanosecondsSinceEpoch();
    i := 0;
    while NanosecondsSinceEpoch() - t < ms * 10^6 do
        i := i + 1;
    od;
    return i > 0;
end);

InstallGlobalFunction(SBS_Fail, function(n)
    return 1 / (n - n);
end);

InstallGlobalFunction(SBS_Equal, function(a, b)
    return a = b;
end);
