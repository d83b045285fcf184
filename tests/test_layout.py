"""The package layout: imports only point down the layers, no module uses another
module's private names, and library calls leave process-wide state alone."""
import ast
import subprocess
import sys
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "sbs_gap"

# Layer of each top-level part of sbs_gap; a module may import parts of a lower
# layer, and its own part.  The package root and the CLI are facades on top.
LAYERS = {
    "errors": 0,
    "exact": 1,
    "gap": 2,
    "groups": 3,
    "breaking": 4, "independent": 4,
    "objects": 5,
    # structures: detection hands over objects (sbs detect --objects)
    "tables": 6, "nn": 6, "structures": 6,
    "demos": 7,
    "cli": 8, "__init__": 8, "__main__": 8,
}
TOP = 8


def _modules():
    for path in sorted(PACKAGE.rglob("*.py")):
        rel = path.relative_to(PACKAGE).with_suffix("")
        yield path, rel.parts


def _imported(path: Path, parts: tuple[str, ...]):
    """(absolute module, names) for every sbs_gap import in a module."""
    package = ["sbs_gap", *parts[:-1]] if parts[-1] != "__init__" else ["sbs_gap", *parts[:-1]]
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.ImportFrom):
            if node.level:
                base = package[:len(package) - node.level + 1]
                module = ".".join(base + ([node.module] if node.module else []))
            else:
                module = node.module or ""
            if module.startswith("sbs_gap"):
                yield module, [a.name for a in node.names], node.lineno
        elif isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.startswith("sbs_gap"):
                    yield alias.name, [], node.lineno


def test_every_part_has_a_layer():
    parts = {p.name if p.is_dir() else p.stem for p in PACKAGE.iterdir()
             if p.name != "__pycache__" and (p.is_dir() or p.suffix == ".py")}
    assert parts <= set(LAYERS), parts - set(LAYERS)


@pytest.mark.parametrize("path,parts", list(_modules()),
                         ids=lambda v: "/".join(v) if isinstance(v, tuple) else None)
def test_imports_point_down_and_use_public_names(path, parts):
    own = parts[0]
    for module, names, line in _imported(path, parts):
        target = module.split(".")
        where = f"{'/'.join(parts)}.py:{line} imports {module}"
        if len(target) == 1:  # the package root
            assert LAYERS[own] == TOP, where
            continue
        part = target[1]
        if part != own:
            assert LAYERS[part] < LAYERS[own], f"{where}: {part} is not below {own}"
            # another part is used only through its public face
            assert not any(t.startswith("_") for t in target[2:]), f"{where}: private module"
        assert not [n for n in names if n.startswith("_")], f"{where}: private names {names}"


def test_no_gap_code_is_written_outside_the_bridge():
    """GAP text comes from the literal serializer only (sbs_gap/gap/)."""
    for path, parts in _modules():
        if parts[0] == "gap":
            continue
        text = path.read_text()
        for marker in ("SBS_Run(", "GapCode", ".evaluate(", "_evaluate(", "to_gap("):
            assert marker not in text, f"{path}: {marker}"


def test_importing_and_using_the_library_changes_no_process_wide_state():
    code = """
import warnings
import torch, e3nn.o3, spglib, ase.io  # their own import-time settings are not ours
import sbs_gap
dtype = torch.get_default_dtype()
filters = list(warnings.filters)
s = sbs_gap.symmetry_breaking_set("D3", irreps="1o")
s.as_torch()
sbs_gap.representation_matrices("2e+1o", s.group_elements)
d = sbs_gap.detect("examples/structures/BaTiO3_cubic.vasp", site=2)
import spglib.error
from sbs_gap.nn import EquivariantNetwork, Graph, equivariance_error
net = EquivariantNetwork("0e", "1o", "1o", cutoff=2.0, per_node=False, layers=1)
g = Graph(pos=torch.randn(4, 3), node_attr=torch.ones(4, 1), cutoff=2.0)
equivariance_error(net, g, torch.tensor([1.0, 0, 0]), trials=1)
assert torch.get_default_dtype() is dtype is torch.float32, "dtype"
assert list(warnings.filters) == filters, "warning filters"
assert spglib.error.OLD_ERROR_HANDLING is True, "spglib"
print("ok")
"""
    repo = PACKAGE.parent
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         cwd=repo, timeout=300)
    assert out.stdout.strip() == "ok", out.stderr[-3000:]


def test_importing_sbs_gap_does_not_import_torch():
    code = "import sys, sbs_gap, sbs_gap.breaking, sbs_gap.objects, sbs_gap.structures\n" \
           "print('torch' in sys.modules, 'e3nn' in sys.modules, 'spglib' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         timeout=120)
    assert out.stdout.split() == ["False", "False", "False"], out.stderr


def test_caches_belong_to_sessions():
    for path, _ in _modules():
        assert "id(session)" not in path.read_text(), path
