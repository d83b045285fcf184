#############################################################################
##  init.g: the declarations of sbsgap.  The Python bridge streams exactly the
##  files named here and in read.g, in this order, when GAP cannot read this
##  folder itself (e.g. GAP in a container); keep one ReadPackage per line.
#############################################################################
ReadPackage("sbsgap", "gap/bridge.gd");
ReadPackage("sbsgap", "gap/groups.gd");
ReadPackage("sbsgap", "gap/sbs.gd");
ReadPackage("sbsgap", "gap/o3.gd");
ReadPackage("sbsgap", "gap/space.gd");
ReadPackage("sbsgap", "gap/magspace.gd");
