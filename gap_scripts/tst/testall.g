#############################################################################
##  testall.g: runs every tst/*.tst of sbsgap.
##      gap -q -A tst/testall.g     (after SetPackagePath, or from pkg/)
#############################################################################
LoadPackage("sbsgap");
SBS_ReadExtension("testing");
TestDirectory(DirectoriesPackageLibrary("sbsgap", "tst"),
              rec(exitGAP := true, testOptions := rec(width := 4096)));
FORCE_QUIT_GAP(1);  # not reached when TestDirectory exits GAP
