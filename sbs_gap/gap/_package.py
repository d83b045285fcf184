"""The GAP package ``sbsgap`` (the folder ``gap_scripts/``) and how a session loads it.

Two ways, chosen by :func:`load_mode`:

* ``"package"``: GAP reads the package itself (``SetPackagePath`` then
  ``LoadPackage``), so GAP errors name the file and line they come from;
  used when GAP runs on this machine.
* ``"stream"``: the files named in ``init.g`` and ``read.g`` are sent through
  stdin, for a GAP that cannot see our files (``SBS_GAP='docker run -i ...'``).

``SBS_GAP_LOAD=package|stream`` overrides the choice.
"""
from __future__ import annotations

import os
import re
from pathlib import Path

__all__ = ["PACKAGE_NAME", "EXTENSIONS", "package_dir", "package_files", "extension_files",
           "suggested_packages", "load_mode", "LOAD_MODES"]

PACKAGE_NAME = "sbsgap"
#: Optional parts, read only where needed (never by LoadPackage).
EXTENSIONS = ("models", "testing")
LOAD_MODES = ("package", "stream")

_READ_PACKAGE = re.compile(
    r'^\s*ReadPackage\(\s*"sbsgap"\s*,\s*"([A-Za-z0-9_/]+\.g[di]?)"\s*\)\s*;', re.MULTILINE)
# Paths GAP may be told about: no quotes, backslashes or other specials.
_PLAIN_PATH = re.compile(r"[A-Za-z0-9_./+-]+")


def package_dir() -> Path:
    """The package folder (``gap_scripts/`` of a checkout, or inside a wheel)."""
    env = os.environ.get("SBS_GAP_SCRIPTS")
    if env:
        return Path(env)
    here = Path(__file__).resolve().parent
    repo = here.parent.parent / "gap_scripts"  # source checkout / editable install
    if (repo / "PackageInfo.g").is_file():
        return repo
    return here.parent / "_gap_scripts"  # wheel install (see pyproject.toml)


def package_files() -> list[Path]:
    """The files LoadPackage reads, in order: those named in init.g, then read.g."""
    root = package_dir()
    files = []
    for name in ("init.g", "read.g"):
        text = (root / name).read_text(encoding="utf-8")
        files += [root / m for m in _READ_PACKAGE.findall(text)]
    if not files:
        raise FileNotFoundError(f"no ReadPackage lines in {root}/init.g and read.g")
    return files


def extension_files(name: str) -> list[Path]:
    """The declaration and implementation file of an optional part."""
    if name not in EXTENSIONS:
        raise ValueError(f"no GAP extension named {name!r} (known: {', '.join(EXTENSIONS)})")
    return [package_dir() / "gap" / f"{name}.gd", package_dir() / "gap" / f"{name}.gi"]


def suggested_packages() -> list[str]:
    """The names in PackageInfo.g's SuggestedOtherPackages (loaded when streaming)."""
    text = (package_dir() / "PackageInfo.g").read_text(encoding="utf-8")
    block = re.search(r"SuggestedOtherPackages\s*:=\s*\[(.*?)\n\s*ExternalConditions", text,
                      re.DOTALL)
    names = re.findall(r'\[\s*"([A-Za-z0-9_]+)"', block.group(1)) if block else []
    return names


def load_mode(custom_command: bool) -> str:
    """``"package"`` or ``"stream"`` (see the module docstring)."""
    mode = os.environ.get("SBS_GAP_LOAD", "").strip()
    if mode:
        if mode not in LOAD_MODES:
            raise ValueError(f"SBS_GAP_LOAD must be one of {', '.join(LOAD_MODES)}, "
                             f"not {mode!r}")
        return mode
    if custom_command or not _PLAIN_PATH.fullmatch(str(package_dir())):
        return "stream"
    return "package"
