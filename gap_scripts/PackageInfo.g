#############################################################################
##  PackageInfo.g for sbsgap: the GAP half of sbs_gap (exact symmetry breaking
##  sets for equivariant neural networks).
##
##  Interactive use from a checkout:
##      gap> SetPackagePath("sbsgap", "/path/to/sbs_gap/gap_scripts");
##      gap> LoadPackage("sbsgap");
##  The Python bridge loads it the same way when GAP can read this folder, and
##  streams the files listed in init.g / read.g through stdin otherwise.
#############################################################################

SetPackageInfo( rec(

PackageName := "sbsgap",
Subtitle := "Symmetry breaking sets: normalizers, complements and minimal sets",
Version := "0.1.0",
Date := "27/11/2026", # dd/mm/yyyy
License := "MIT",

PackageWWWHome := "https://github.com/sbs-gap/sbs_gap",
README_URL := "https://github.com/sbs-gap/sbs_gap/blob/main/README.md",
PackageInfoURL := "https://github.com/sbs-gap/sbs_gap/blob/main/gap_scripts/PackageInfo.g",
ArchiveURL := "https://github.com/sbs-gap/sbs_gap/archive/v0.1.0",
ArchiveFormats := ".tar.gz",

AbstractHTML := "The GAP side of <span class=\"pkgname\">sbs_gap</span>: for a group S \
inside an ambient group (a finite group, or O(3) for point groups) it computes the \
normalizer, the generalized normalizer, complements and the minimal equivariant \
symmetry breaking sets of Xie and Smidt (TMLR 2024).",

Persons := [
  rec(
    LastName := "sbs_gap developers",
    FirstNames := "",
    IsAuthor := true,
    IsMaintainer := true,
    Email := "sbs-gap@example.org",
  ),
],

Status := "dev",

PackageDoc := rec(
  BookName := "sbsgap",
  ArchiveURLSubset := [ "doc" ],
  HTMLStart := "doc/chap0.html",
  PDFFile := "doc/manual.pdf",
  SixFile := "doc/manual.six",
  LongTitle := "Symmetry breaking sets for equivariant networks",
),

Dependencies := rec(
  GAP := ">= 4.10",
  NeededOtherPackages := [ ],
  # What the library's group algorithms use where available (a missing one
  # only makes some methods unavailable; the passagemath wheel lacks some).
  SuggestedOtherPackages := [ [ "gapdoc", ">= 1.5" ], [ "primgrp", ">= 3.4" ],
                              [ "smallgrp", ">= 1.4" ], [ "transgrp", ">= 3.0" ],
                              [ "polycyclic", ">= 2.16" ], [ "autpgrp", ">= 1.10" ],
                              # space groups (gap/space.gi)
                              [ "cryst", ">= 4.1" ] ],
  ExternalConditions := [ ],
),

AvailabilityTest := ReturnTrue,

TestFile := "tst/testall.g",

Keywords := [ "symmetry breaking", "normalizer", "complement", "point group",
              "equivariant neural network" ],

AutoDoc := rec(
  TitlePage := rec(
    Abstract := "Declarations are documented in gap/*.gd with AutoDoc comments (#!).",
  ),
),

));
