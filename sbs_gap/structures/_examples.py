"""The example structures of ``examples/structures/`` (carried inside wheels
as ``sbs_gap/_structures``, see pyproject.toml)."""
from __future__ import annotations

from pathlib import Path

from ..errors import InputError

__all__ = ["example_structure", "example_structures"]


def _folder() -> Path:
    here = Path(__file__).resolve().parent.parent
    repo = here.parent / "examples" / "structures"  # source checkout / editable install
    return repo if repo.is_dir() else here / "_structures"


def example_structures() -> list[str]:
    """The names of the example structure files."""
    return sorted(p.name for p in _folder().iterdir()
                  if p.suffix in (".cif", ".mcif", ".vasp", ".xyz"))


def example_structure(name: str) -> Path:
    """The path of an example structure file, e.g. ``"BaTiO3_P4mm.cif"``."""
    path = _folder() / name
    if name not in example_structures():
        raise InputError(f"no example structure {name!r}; the examples: "
                         + ", ".join(example_structures()))
    return path
