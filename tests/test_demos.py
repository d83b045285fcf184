"""The training harness and the demos (quick modes), against real GAP.

`make test` runs the network checks and the cheapest demo (groundstate) through
the ``sbs demo`` command in a separate process; every demo's own test is in
the exhaustive tier (`make test-exhaustive`), except mnf2's quick run (a few
seconds), which `make test` runs too (its full run is exhaustive)."""
import json

import pytest
import torch

from sbs_gap.demos import run_demo
from sbs_gap.nn import EquivariantNetwork, Graph, Markers, equivariance_error
from tests.conftest import run_sbs, sbs

pytestmark = pytest.mark.gap


@pytest.fixture
def saved_figures(monkeypatch):
    """The matplotlib figures the demos save (their content, not just a file)."""
    from matplotlib.figure import Figure
    figures = []
    original = Figure.savefig

    def record(self, *args, **kwargs):
        figures.append(self)
        return original(self, *args, **kwargs)

    monkeypatch.setattr(Figure, "savefig", record)
    return figures


def figure_texts(fig) -> str:
    """Every title, axis label, colour-bar label and text of a figure."""
    parts = [fig._suptitle.get_text() if fig._suptitle else ""]
    for ax in fig.axes:
        parts += [ax.get_title(), ax.get_xlabel(), ax.get_ylabel()]
        if hasattr(ax, "get_zlabel"):
            parts.append(ax.get_zlabel())
        parts += [t.get_text() for t in ax.texts]
    return "\n".join(parts)


def run_quick(name, tmp_path, saved_figures):
    """Run demo `name` in quick mode into `tmp_path`.

    Returns
    -------
    metrics : dict
        The demo's metrics.
    text : str
        The texts of the last figure it saved (see `figure_texts`).
    """
    m = run_demo(name, tmp_path, quick=True)
    assert (tmp_path / f"{name}.png").is_file()  # every demo saves its figure
    return m, figure_texts(saved_figures[-1])


@pytest.mark.parametrize("per_node,periodic", [(False, False), (True, False), (True, True)])
def test_network_is_o3_equivariant_to_float_precision(per_node, periodic):
    g = torch.Generator().manual_seed(5)
    pos = torch.randn(7, 3, generator=g)
    attr = torch.randn(7, 2, generator=g)
    lattice = 3.0 * torch.eye(3) + 0.3 * torch.randn(3, 3, generator=g) if periodic else None
    graph = Graph(pos=pos, node_attr=attr, cutoff=2.5, lattice=lattice)
    model = EquivariantNetwork("0e+0o", "1o+2e", "1o+1e", cutoff=2.5, per_node=per_node)
    obj = torch.randn(8, generator=g)
    # random proper and improper elements of O(3), in float64
    assert equivariance_error(model, graph, obj, trials=4, seed=1) < 1e-6


def test_network_without_object_is_symmetric():
    pos = torch.tensor([[1.0, 0, 0], [-1.0, 0, 0], [0, 1.0, 0], [0, -1.0, 0]])
    graph = Graph(pos=pos, node_attr=torch.ones(4, 1), cutoff=3.0)
    model = EquivariantNetwork("0e", None, "1o", cutoff=3.0, per_node=False)
    with torch.no_grad():
        assert torch.linalg.norm(model(graph)) < 1e-6  # a D4h-symmetric input: no vector


@pytest.mark.exhaustive
def test_prism_quick(tmp_path, saved_figures):
    m, text = run_quick("prism", tmp_path, saved_figures)
    assert f"{m['nonequivariant_set_error']:.2f}" in text  # the key numbers on the figure
    assert f"{m['equivariant_set_error']:.1e}" in text and "x\ny" in text
    assert m["coverage"] == 1.0 and m["n_outputs_reached"] == 6
    assert m["max_output_error"] < 0.1
    assert m["equivariance_error"] < 1e-6
    assert m["baseline_error"] > 1.0  # the symmetric average is far from every vertex
    assert m["equivariant_set_error"] < 1e-4
    assert m["nonequivariant_set_error"] > 0.2
    saved = json.loads((tmp_path / "metrics.json").read_text())
    assert saved["coverage"] == 1.0 and (tmp_path / "prism.png").stat().st_size > 10_000


@pytest.mark.exhaustive
def test_octagon_quick(tmp_path, saved_figures):
    m, text = run_quick("octagon", tmp_path, saved_figures)
    assert f"error {m['mismatched_object_error']:.3f}" in text and "x (units" in text
    assert m["coverage"] == 1.0 and m["irreps"] == "1e" and m["set_size"] == 2
    assert m["max_output_error"] < 0.03
    assert m["mismatched_object_error"] > 0.1  # a polar object cannot make a pinwheel
    assert m["mismatched_output_chirality"] < 1e-4
    assert m["baseline_error"] > 0.1


@pytest.mark.exhaustive
def test_batio3_quick(tmp_path, saved_figures):
    m, text = run_quick("batio3", tmp_path, saved_figures)
    assert "x (A)" in text and "Ti shift z (A)" in text and "atom error" in text
    assert "largest atom error of the domain (A)" in text  # the colour bar
    assert m["set_sizes"] == [6, 12, 8] and m["transition_index"] == 6
    assert [p["coverage"] for p in m["phases"]] == [1.0, 1.0, 1.0]
    assert m["max_output_error"] < 0.01
    assert m["baseline_error"] > 0.05
    assert m["equivariance_error"] < 1e-6


@pytest.mark.exhaustive
def test_srtio3_quick(tmp_path, saved_figures):
    """Pm-3m -> I4/mcm: one marker pattern of the SBS in the periodic graph
    reaches all 6 domain states; equivariant in float64 under random E(3)
    maps and N''s generators (S's translations and screw-free elements)."""
    m, text = run_quick("srtio3", tmp_path, saved_figures)
    assert "rotation about z, sign +1" in text and "x (A)" in text
    assert (m["n_outputs_expected"], m["n_outputs_reached"], m["coverage"]) == (6, 6, 1.0)
    assert m["set_size"] == 6 and m["markers_per_object"] == 16
    assert m["max_output_error"] < 0.01  # angstrom; the oxygen shift is 0.072
    assert m["baseline_error"] > 0.05
    assert m["equivariance_error"] < 1e-6
    assert sorted((d["axis"], d["sign"]) for d in m["domains"]) == sorted(
        (a, s) for a in "xyz" for s in (1, -1))


def test_demo_cli(tmp_path):
    out = sbs("demo", "nope")
    assert out.returncode == 2
    for name in ("prism", "octagon", "batio3", "groundstate", "karman", "srtio3", "mnf2",
                 "knif3"):
        assert name in out.stderr  # the choices name every demo
    help_text = sbs("--help").stdout
    assert "prism, octagon, batio3, groundstate, karman, srtio3" in help_text
    # the demo command as a user runs it (a separate process)
    out = run_sbs("demo", "groundstate", "--quick", "--out", tmp_path, "--seed", "1")
    assert out.returncode == 0, out.stderr[-2000:]
    assert "coverage" in out.stdout and (tmp_path / "metrics.json").is_file()


@pytest.mark.exhaustive
def test_groundstate_quick(tmp_path, saved_figures):
    m, text = run_quick("groundstate", tmp_path, saved_figures)
    assert "spin" in text
    assert m["coverage"] == 1.0
    rows = {h["hamiltonian"]: h for h in m["hamiltonians"]}
    ring6, ring5, plaquette = rows["afm_ring6"], rows["afm_ring5"], rows["plaquette"]
    # symmetry computed by GAP from the couplings
    assert (ring6["group_order"], ring6["normalizer_order"]) == (24, 24)
    assert (ring5["group_order"], ring5["normalizer_order"]) == (20, 40)
    assert ring6["ideal"] and ring6["set_size"] == 2 and ring6["n_ground_states"] == 2
    assert ring5["ideal"] and ring5["set_size"] == ring5["orbit_size"] == 10
    # not ideal: the engine predicts 4 objects for 2 ground states; the network
    # confirms it (4 objects, 2 distinct outputs, both ground states)
    assert not plaquette["ideal"] and plaquette["set_size"] == plaquette["exact_min_size"] == 4
    assert plaquette["distinct_outputs"] == plaquette["orbit_size"] == 2
    for h in m["hamiltonians"]:
        assert h["baseline_output_max"] < 1e-6  # the flip-symmetric average
        assert h["equivariance_error"] < 1e-5
        assert (tmp_path / f"{h['hamiltonian']}.problem.json").is_file()


@pytest.mark.exhaustive
def test_karman_quick(tmp_path, saved_figures):
    m, text = run_quick("karman", tmp_path, saved_figures)
    assert "x / D" in text and "y / D" in text and "vorticity / max" in text
    assert f"error {m['baseline_error']:.2f}" in text
    assert m["strouhal_relative_deviation"] < 0.15
    assert m["set_size"] == 2
    assert m["coverage"] == 1.0
    for row in m["held_out"]:
        assert row["mirror_consistency"] < 1e-2  # the -epsilon run mirrors the +epsilon run
        for name in ("plus", "minus"):
            assert row[f"relative_error_{name}"] < 0.5
            assert row[f"relative_error_{name}"] < row["baseline_relative_error"]
    assert m["equivariance_error"] < 1e-5
    # the simulations are cached: a second run reuses them
    assert any((tmp_path / "cache").iterdir())


def _check_mnf2(m):
    """The metrics both mnf2 runs must meet."""
    assert (m["n_outputs_expected"], m["n_outputs_reached"], m["coverage"]) == (2, 2, 1.0)
    assert m["set_size"] == 2 and m["irreps"] == "2e'" and m["index"] == 2
    assert m["elements_with_theta"] == 16  # S' = P4_2/mnm1': half its 32 carry theta
    assert sorted(d["neel_sign"] for d in m["domains"]) == [-1, 1]
    assert m["equivariance_error"] <= 1e-4  # grey-group elements, float64
    assert m["time_reversal_error"] == 0.0  # f(u, -b) = -f(u, b) exactly
    # the baseline (the structure alone, float64) has no moment: the Mn site
    # symmetry mmm leaves no axial vector
    assert m["baseline_max_moment"] <= 1e-6
    assert m["baseline_error"] > 4.9  # Bohr magnetons; the moment is 5


def test_mnf2_quick(tmp_path, saved_figures):
    """MnF2, P4_2/mnm1' -> P4_2'/mnm': the engine's two time-odd 2e' objects
    give both Neel domain states through a network whose moments (1e') are
    odd in the object; equivariant under E(3) x {1, theta}."""
    m, text = run_quick("mnf2", tmp_path, saved_figures)
    assert "Neel sign +1" in text and "Neel sign -1" in text and "z (A)" in text
    assert f"max error {m['max_output_error']:.1e} muB" in text
    _check_mnf2(m)
    assert m["max_output_error"] < 0.05  # the tolerance of "reached"


@pytest.mark.exhaustive
def test_mnf2_full(tmp_path):
    m = run_demo("mnf2", tmp_path)
    _check_mnf2(m)
    assert m["max_output_error"] < 1e-2
    assert (tmp_path / "mnf2.png").is_file()


def test_time_odd_network_is_grey_equivariant():
    """TimeOddNetwork: E(3) x {1, theta} (random elements, theta half the
    time) in float64; theta alone reverses the output exactly; time-even
    objects or outputs are refused."""
    from sbs_gap.nn import TimeOddNetwork, grey_equivariance_error
    g = torch.Generator().manual_seed(3)
    graph = Graph(pos=torch.randn(5, 3, generator=g), node_attr=torch.randn(5, 2, generator=g),
                  cutoff=2.5, lattice=3.0 * torch.eye(3))
    model = TimeOddNetwork("2x0e", "2e'+1e'", "1e'+0e'", cutoff=2.5)
    b = torch.randn(8, generator=g)
    assert grey_equivariance_error(model, graph, b, trials=6, seed=2) < 1e-9
    with torch.no_grad():
        assert torch.equal(model(graph, -b), -model(graph, b))
    for obj, out in (("2e", "1e'"), ("2e'", "1e")):
        with pytest.raises(ValueError, match="time-odd"):
            TimeOddNetwork("0e", obj, out, cutoff=2.0)
    model = TimeOddNetwork("2x0e", "0e'", "1e'", cutoff=2.5)
    with pytest.raises(ValueError, match="Markers"):
        model.forward(graph, Markers(pos=torch.zeros(1, 3), features=torch.ones(1, 1)))


def test_time_odd_network_with_signed_markers():
    """Markers whose features are time-odd signs (0e'): extra nodes; grey
    equivariance in float64 (points moved, signs times tau); every sign
    reversed reverses the output exactly; a uniform object is refused."""
    from sbs_gap.nn import TimeOddNetwork, grey_equivariance_error
    g = torch.Generator().manual_seed(4)
    graph = Graph(pos=torch.randn(5, 3, generator=g), node_attr=torch.randn(5, 2, generator=g),
                  cutoff=2.5, lattice=3.0 * torch.eye(3))
    markers = Markers(pos=torch.randn(4, 3, generator=g),
                      features=torch.tensor([[1.0], [-1.0], [-1.0], [1.0]]))
    model = TimeOddNetwork("2x0e", "0e'", "1e'+2e'", cutoff=2.5, markers=True)
    with torch.no_grad():
        out = model(graph, markers)
        flipped = model(graph, Markers(pos=markers.pos, features=-markers.features))
    assert out.shape == (5, 8) and float(out.abs().max()) > 1e-3  # atoms only, not zero
    assert torch.equal(flipped, -out)
    assert grey_equivariance_error(model, graph, markers, trials=6, seed=2) < 1e-9
    with pytest.raises(ValueError, match="Markers"):
        model(graph, torch.ones(1))


def _check_knif3(m):
    """The metrics both knif3 runs must meet."""
    # the engine's domain count: |Pm-3m1' : I_c4/mcm| = 3 axes x 2 signs
    assert (m["n_outputs_expected"], m["n_outputs_reached"], m["coverage"]) == (6, 6, 1.0)
    assert m["set_size"] == m["index"] == 6 and m["irreps"] == "0e'"
    assert m["markers_per_object"] == 32  # 8 per cell of L, 4 cells of L in 2x2x2
    assert m["elements_with_theta"] == 96  # of the 192 of Pm-3m1' modulo L
    assert sorted((d["axis"], d["sign"]) for d in m["domains"]) == sorted(
        (a, s) for a in "xyz" for s in (1, -1))
    assert m["equivariance_error"] <= 1e-4
    assert m["time_reversal_error"] == 0.0
    # the structure alone: the Ni site symmetry m-3m leaves no axial vector
    assert m["baseline_max_moment"] <= 1e-6
    assert m["baseline_error"] > 1.9  # Bohr magnetons; the moment is 2


@pytest.mark.exhaustive
def test_knif3_quick(tmp_path, saved_figures):
    """KNiF3, Pm-3m1' -> I_c4/mcm (type IV, cell doubled): the engine's six
    sign-carrying marker patterns give the six G-type domain states."""
    m, text = run_quick("knif3", tmp_path, saved_figures)
    assert "moments along z, sign +1" in text and "moments along x, sign -1" in text
    assert f"max error {m['max_output_error']:.1e} muB" in text
    _check_knif3(m)
    assert m["max_output_error"] < 0.05


@pytest.mark.exhaustive
def test_knif3_full(tmp_path):
    m = run_demo("knif3", tmp_path)
    _check_knif3(m)
    assert m["max_output_error"] < 1e-2
    assert (tmp_path / "knif3.png").is_file()
