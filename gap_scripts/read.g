#############################################################################
##  read.g: the implementations of sbsgap (see init.g).
##
##  Not read here, on purpose: gap/models.g* (only the groundstate demo uses
##  it) and gap/testing.g* (test hooks).  Load them where needed:
##      gap> SBS_ReadExtension("models");
#############################################################################
ReadPackage("sbsgap", "gap/bridge.gi");
ReadPackage("sbsgap", "gap/groups.gi");
ReadPackage("sbsgap", "gap/sbs.gi");
ReadPackage("sbsgap", "gap/o3.gi");
ReadPackage("sbsgap", "gap/space.gi");
ReadPackage("sbsgap", "gap/magspace.gi");
