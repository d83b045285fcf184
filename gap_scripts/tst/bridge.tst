# GAP-native tests of the bridge protocol helpers (run by Test()).
gap> START_TEST("sbs_gap bridge");
gap> SBS_ToJson([1, -2, 2/3, true, false, fail, "a\"b\\c"]);
"[1,-2,\"2/3\",true,false,null,\"a\\\"b\\\\c\"]"
gap> SBS_ToJson(rec(b := [], a := (1,3,2)));
"{\"a\":[3,1,2],\"b\":[]}"
gap> SBS_ToJson(E(4));
"\"E(4)\""
gap> SBS_Equal((E(10)^2 + E(10)^-2)/2, (Sqrt(5) - 1)/4);
true
gap> SBS_Equal((E(12)^2 - E(12)^-2)/(2*E(4)), Sqrt(3)/2);
true
gap> SBS_CycCoefficients(E(3));
[ 3, [ [ 1, 1 ] ] ]
gap> SBS_CycCoefficients(1/2);
[ 1, [ [ 0, 1/2 ] ] ]
gap> SBS_Spin(1);
true
gap> r := CALL_WITH_CATCH(SBS_Fail, [1]);;
Error, Rational operations: <divisor> must not be zero
gap> r[1];
false
gap> STOP_TEST("sbs_gap bridge");
