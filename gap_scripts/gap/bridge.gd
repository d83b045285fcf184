#############################################################################
##  bridge.gd: the protocol between the Python bridge (sbs_gap.gap) and GAP.
##
##  Python only ever sends lines of the form
##      SBS_Run(<id>, function() return SBS_<F>(<literals>); end);
##  built from data it validated itself; SBS_Run prints sentinel lines that
##  Python waits for, so no prompt parsing is needed (GAP runs with -q).
#############################################################################

#! @Chapter The bridge
#! @Section Protocol

#! @Description
#!  Prepares a GAP process for the Python bridge: errors never stop in a break
#!  loop (they unwind to the nearest <C>CALL_WITH_CATCH</C> and print their
#!  first location, file and line), and output lines are not wrapped.  The
#!  bridge calls it once per process; interactive sessions need not.
#! @Returns nothing
DeclareGlobalFunction("SBS_StartBridge");

#! @Description
#!  Calls <A>func</A> without arguments and prints <C>@@SBS:id:BEGIN</C>, then
#!  <C>@@SBS:id:OK json</C> with the result as JSON (see <Ref Func="SBS_ToJson"/>)
#!  or <C>@@SBS:id:ERR</C> after the error message.
#! @Arguments id, func
DeclareGlobalFunction("SBS_Run");

#! @Description
#!  The JSON text of <A>x</A>: booleans, <C>fail</C> (null), integers, strings,
#!  other cyclotomics as strings (exact), permutations as image lists, lists
#!  and records (keys sorted).
#! @Arguments x
#! @Returns a string
DeclareGlobalFunction("SBS_ToJson");

#! @Description
#!  Raises an error that the bridge reports to the user as bad input (exit
#!  status 2), with the concatenation of the arguments as message.
#! @Arguments parts...
DeclareGlobalFunction("SBS_InputError");

#! @Description The version of this GAP.
#! @Returns a string
DeclareGlobalFunction("SBS_Version");

#! @Description
#!  A cyclotomic <A>x</A> as <C>[n, [[k, c], ...]]</C> with
#!  <M>x = \sum c E(n)^k</M> over the nonzero coefficients, so that Python can
#!  evaluate it in floating point.
#! @Arguments x
#! @Returns a list
DeclareGlobalFunction("SBS_CycCoefficients");

#! @Description
#!  Reads the optional part <A>name</A> of the package (<C>"models"</C>: the
#!  lattice models of the groundstate demo; <C>"testing"</C>: test hooks).
#! @Arguments name
#! @Returns true
DeclareGlobalFunction("SBS_ReadExtension");

#! @Description
#!  Objects (groups, homomorphisms) the bridge registered, keyed by a digest
#!  of their defining data.
DeclareGlobalVariable("SBS_Store");
