#############################################################################
##  testing.gd: hooks for the tests of the bridge (an extension: read with
##  SBS_ReadExtension("testing"), never by LoadPackage).
#############################################################################

#! @Chapter The bridge
#! @Section Test hooks

#! @Description Busy work for <A>ms</A> milliseconds (tests timeouts and deaths).
#! @Arguments ms
#! @Returns true
DeclareGlobalFunction("SBS_Spin");

#! @Description Raises an ordinary GAP error (tests error recovery).
#! @Arguments n
DeclareGlobalFunction("SBS_Fail");

#! @Description Exact equality (tests generated cyclotomic literals).
#! @Arguments a, b
#! @Returns a boolean
DeclareGlobalFunction("SBS_Equal");
