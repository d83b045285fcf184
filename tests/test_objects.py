"""SBS objects as e3nn irreps vectors (docs/theory.md section 5), against real GAP."""
import json
import math
import time

import numpy as np
import pytest

from sbs_gap import (InputError, VerificationError, load_problem, parse_problem, point_group,
                     representation_matrices, symmetry_breaking_set)
from sbs_gap.tables import read_table
from tests.conftest import EXAMPLES, REPO, sbs

pytestmark = pytest.mark.gap


def rows_equal_as_sets(a, b):
    a = sorted(map(tuple, np.round(a, 9) + 0.0))
    b = sorted(map(tuple, np.round(b, 9) + 0.0))
    return a == b


def stabilizer_in(group, vector, irreps="1o"):
    elements = point_group(group).numpy_elements
    ds = representation_matrices(irreps, elements)
    return [m for m, d in zip(elements, ds) if np.allclose(d @ vector, vector, atol=1e-9)]


def test_d3_six_in_plane_vectors_at_thirty_degrees(gap):
    s = symmetry_breaking_set("D3", irreps="1o", session=gap)
    assert s.size == 6 and s.ideal and not s.continuous and s.stabilizer == "C2v"
    assert np.allclose(s.objects[:, 2], 0) and np.allclose(np.linalg.norm(s.objects, axis=1), 1)
    angles = sorted(round(math.degrees(math.atan2(y, x)) % 360, 6) for x, y, _ in s.objects)
    assert angles == [30, 90, 150, 210, 270, 330]
    for b in s.objects:  # trivial stabilizers in D3
        assert len(stabilizer_in("D3", b)) == 1


def test_oh_to_c4v_gives_the_six_axis_vectors(gap):
    s = symmetry_breaking_set("Oh", "C4v", "1o", session=gap)
    assert s.size == 6 and s.ideal
    assert rows_equal_as_sets(s.objects, np.vstack([np.eye(3), -np.eye(3)]))


def test_oh_to_c3v_gives_the_eight_body_diagonals(gap):
    s = symmetry_breaking_set("Oh", "C3v", "1o", session=gap)
    diagonals = np.array([[a, b, c] for a in (1, -1) for b in (1, -1) for c in (1, -1)])
    assert s.size == 8 and rows_equal_as_sets(s.objects, diagonals / math.sqrt(3))


def test_ci_gives_plus_minus_pseudoscalar(gap):
    s = symmetry_breaking_set("Ci", session=gap)
    assert s.irreps == "0o" and s.size == 2 and s.stabilizer == "SO(3)"
    assert rows_equal_as_sets(s.objects, [[1.0], [-1.0]])
    assert s.normalizer_generators_action == ((1, 0),)


def test_cnh_to_cn_two_objects(gap):
    s = symmetry_breaking_set("C4h", "C4", session=gap)
    assert s.size == 2 and s.ideal


def test_irreps_that_cannot_realize_are_refused(gap):
    with pytest.raises(InputError, match="smallest that can is '1o'"):
        symmetry_breaking_set("D3", irreps="0e+0o", session=gap)
    out = sbs("objects", "D3", "--irreps", "2e")
    # 2e: a generic fixed vector of C2v in 2e is fixed by more than C2v
    assert out.returncode in (0, 2)
    out = sbs("objects", "D3", "--irreps", "0e")
    assert out.returncode == 2 and "'1o'" in out.stderr


def test_bad_irreps_and_ambiguous_targets_exit_2():
    out = sbs("objects", "D3", "--irreps", "1x")
    assert out.returncode == 2 and "invalid irreps" in out.stderr
    out = sbs("objects", "Oh", "--to", "C2v")
    assert out.returncode == 2 and "C2v[z,x]" in out.stderr


def test_continuous_set_for_cyclic_groups(gap):
    s = symmetry_breaking_set("C4", session=gap)
    assert s.continuous and s.size is None
    samples = s.sample(50, seed=1)
    assert np.allclose(samples[:, 2], 0, atol=1e-9)  # a circle of in-plane vectors
    angles = np.degrees(np.arctan2(samples[:, 1], samples[:, 0]))
    assert np.ptp(angles) > 180  # spread around the circle
    for b in samples[:5]:
        assert len(stabilizer_in("C4", b)) == 1


def test_cli_json_contract():
    out = sbs("objects", "Oh", "--to", "C4v", "--irreps", "1o", "--json")
    assert out.returncode == 0, out.stderr
    record = json.loads(out.stdout)
    assert list(record)[:7] == ["group", "subgroup", "irreps", "size", "objects",
                                "stabilizer", "normalizer_generators_action"]
    assert record["size"] == 6 and record["stabilizer"] == "C4v"
    for perm in record["normalizer_generators_action"]:
        assert sorted(perm) == list(range(6))
    out = sbs("objects", "C3", "--sample", "4", "--json")
    record = json.loads(out.stdout)
    assert record["continuous"] is True and len(record["samples"]) == 4
    assert "continuous" in record["description"]


def test_sampling_is_consistent_with_what_is_listed():
    """The set (objects, its actions, its description) and the draws, apart."""
    out = sbs("objects", "C4", "--sample", "5", "--json")
    record = json.loads(out.stdout)
    listed = len(record["objects"])
    assert len(record["samples"]) == 5
    assert all(sorted(p) == list(range(listed)) for p in record["normalizer_generators_action"])
    assert f"the {listed} listed objects" in record["description"]
    out = sbs("objects", "D3", "--sample", "3", "--json")
    record = json.loads(out.stdout)
    assert record["size"] == len(record["objects"]) == 6
    for v, i in zip(record["samples"], record["sample_indices"]):
        assert np.allclose(v, record["objects"][i])
    text = sbs("objects", "D3", "--sample", "3").stdout
    assert text.count("object ") == 6 + 3 and "sample 3" in text


def test_torch_output(gap):
    import torch
    s = symmetry_breaking_set("D3", session=gap)
    t = s.as_torch(dtype=torch.float32, device="cpu")
    assert t.dtype == torch.float32 and t.shape == (6, 3) and t.device.type == "cpu"


def test_matrix_problem_objects(gap):
    with open(EXAMPLES / "d3_in_d6h_matrices.json") as f:
        data = json.load(f)
    data.pop("representation")
    target = data.pop("target")
    s = symmetry_breaking_set(parse_problem(data), session=gap)  # full breaking, vectors
    assert s.size == 6 and s.ideal
    # to the C2 about x, the stabilizer is D2h: no vector realizes it ...
    data["target"] = target
    with pytest.raises(InputError, match="cannot realize"):
        symmetry_breaking_set(parse_problem(data), session=gap)
    # ... quadrupoles do (the file's representation, 2e: not faithful, -1 acts trivially)
    s = symmetry_breaking_set(load_problem(EXAMPLES / "d3_in_d6h_matrices.json"), session=gap)
    assert (s.size, s.ideal, s.dim) == (3, True, 5)


@pytest.mark.parametrize("path", sorted(EXAMPLES.glob("*.json")), ids=lambda p: p.name)
def test_every_example_problem_works(path):
    for command in ("group", "full", "partial"):
        out = sbs(command, "--problem", path, "--json")
        assert out.returncode == 0, (command, out.stderr)
    out = sbs("objects", "--problem", path, "--json")
    data = json.loads(path.read_text())
    if "space_group" in data:  # uniform fields or marker patterns
        assert out.returncode == 0, out.stderr
        record = json.loads(out.stdout)
        assert record["kind"] in ("uniform", "markers") and len(record["objects"]) >= 2
    elif "representation" in data or "matrices" in data["ambient"]:
        assert out.returncode == 0, out.stderr
        record = json.loads(out.stdout)
        assert record["size"] == len(record["objects"]) >= 2
    else:  # objects need a representation: said in one line
        assert out.returncode == 2 and "'representation'" in out.stderr


# `make test`: point groups of every family; every group in the exhaustive tier.
OBJECT_SAMPLE = ("C1", "Ci", "Cs", "C2", "C4", "C3v", "C2h", "C3h", "S4", "S6", "D2", "D3",
                 "D2h", "D3h", "D4h", "D2d", "D3d", "T", "Td", "Th", "O", "Oh", "D5d", "Ih")


def test_a_sample_of_table_groups_and_crystallographic_rows_gets_verified_objects(gap):
    """As the test below, for the groups in OBJECT_SAMPLE."""
    full = [row for row in read_table(REPO / "tables" / "full.csv")
            if row["group"] in OBJECT_SAMPLE]
    for row in full:
        s = symmetry_breaking_set(row["group"], session=gap)
        assert s.size == row["min_size"] and s.continuous == (row["min_size"] is None)
    count = 0
    for row in read_table(REPO / "tables" / "partial.csv"):
        if row["group"] not in OBJECT_SAMPLE:
            continue
        if row["exact_min_size"] is None or not point_group(row["group"]).is_crystallographic:
            continue
        s = symmetry_breaking_set(row["group"], row["subgroup"], session=gap)
        assert s.size == row["exact_min_size"]
        count += 1
    assert len(full) == len(OBJECT_SAMPLE) and count > 0


@pytest.mark.exhaustive
def test_every_table_group_and_crystallographic_row_gets_verified_objects(gap):
    start = time.monotonic()
    full = read_table(REPO / "tables" / "full.csv")
    for row in full:
        s = symmetry_breaking_set(row["group"], session=gap)
        assert s.size == row["min_size"] and s.continuous == (row["min_size"] is None)
    count = 0
    for row in read_table(REPO / "tables" / "partial.csv"):
        if row["exact_min_size"] is None or not point_group(row["group"]).is_crystallographic:
            continue
        s = symmetry_breaking_set(row["group"], row["subgroup"], session=gap)
        assert s.size == row["exact_min_size"]
        count += 1
    assert len(full) == 87 and count == 250
    print(f"objects for {len(full)} groups and {count} rows in "
          f"{time.monotonic() - start:.1f} s")


def test_verification_catches_a_wrong_set(gap):
    """The checks behind every set: a set that is not closed under N', or whose
    objects have too large a stabilizer, is refused."""
    from sbs_gap.objects import _realize as realize  # the verification step itself
    ctx = realize._point_group_context("D3", None, None, gap, 100_000)
    witness, v, ds = realize.realize(ctx, "1o")
    objects = realize.vector_orbit(ds, v)
    with pytest.raises(VerificationError):
        realize.verify_vectors(ctx, ds, objects[:3], [])  # not closed under N'
    with pytest.raises(VerificationError):
        realize.verify_vectors(ctx, ds, np.array([[0.0, 0.0, 1.0]]), [])  # stabilizer too big


def _permutation_matrix(images):
    n = len(images)
    return [["1" if images[j] == i + 1 else "0" for j in range(n)] for i in range(n)]


def test_problem_with_a_named_representation(gap):
    with open(EXAMPLES / "s4_perm.json") as f:
        data = json.load(f)
    data.pop("target")  # full breaking of A4 in S4, objects in the permutation representation
    data["representation"] = {"matrices": [_permutation_matrix([2, 3, 4, 1]),
                                           _permutation_matrix([2, 1, 3, 4])]}
    s = symmetry_breaking_set(parse_problem(data), session=gap)
    assert s.size == 12 and s.ideal and s.objects.shape == (12, 4)
    # not a representation: (1,2) -> identity breaks (ab)^3 = 1
    data["representation"]["matrices"][1] = _permutation_matrix([1, 2, 3, 4])
    with pytest.raises(InputError, match="do not define a representation"):
        symmetry_breaking_set(parse_problem(data), session=gap)
    data["representation"]["matrices"] = data["representation"]["matrices"][:1]
    with pytest.raises(InputError, match="one per ambient generator"):
        parse_problem(data)


def test_the_public_api_example_runs():
    """examples/objects_oh_to_c4v.py: objects as torch tensors through an e3nn layer."""
    import subprocess
    import sys
    out = subprocess.run([sys.executable, "examples/objects_oh_to_c4v.py"], cwd=REPO,
                         capture_output=True, text=True, timeout=300)
    assert out.returncode == 0, out.stderr[-3000:]
    assert "Oh -> C4v: 6 objects of 1o, ideal=True" in out.stdout
    assert "the six outputs are distinct" in out.stdout
    text = (REPO / "examples" / "objects_oh_to_c4v.py").read_text()
    assert "_" not in "".join(line.split("sbs_gap.")[1][:1] for line in text.splitlines()
                              if "sbs_gap." in line)  # public names only
