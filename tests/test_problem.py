"""Problem files: the four GROUP kinds, validation, and checks done in GAP."""
import copy
import json

import pytest

from sbs_gap import InputError, load_problem, parse_problem
from sbs_gap.breaking import problem_info
from tests.conftest import EXAMPLES

R3 = [["-1/2", "-sqrt(3)/2", "0"], ["sqrt(3)/2", "-1/2", "0"], ["0", "0", "1"]]
C2X = [["1", "0", "0"], ["0", "-1", "0"], ["0", "0", "-1"]]
MZ = [["1", "0", "0"], ["0", "1", "0"], ["0", "0", "-1"]]
I3 = [["1", "0", "0"], ["0", "1", "0"], ["0", "0", "1"]]

PERM = {"name": "A4 in S4", "ambient": {"permutations": ["(1,2,3,4)", "(1,2)"]},
        "group": {"permutations": ["(1,2,3)", "(2,3,4)"]},
        "target": {"permutations": ["(1,2)(3,4)"]}}
MATRIX = {"name": "D3 in D3h", "ambient": {"matrices": [R3, C2X, MZ]},
          "group": {"matrices": [R3, C2X]}, "target": {"matrices": [C2X]}}
PRESENTATION = {"name": "S3 in D6", "ambient": {"presentation": {
    "generators": ["r", "s"], "relators": ["r^6", "s^2", "(r*s)^2"]}},
    "group": {"words": ["r^2", "s"]}, "target": {"words": ["s"]}}


def _with(base, path, value):
    data = copy.deepcopy(base)
    node = data
    for key in path[:-1]:
        node = node[key]
    if value is _DELETE:
        del node[path[-1]]
    else:
        node[path[-1]] = value
    return data


_DELETE = object()

# (problem, fragment of the expected message); all refused before GAP runs.
MALFORMED = [
    ([], "JSON object"),
    ("text", "JSON object"),
    (_with(PERM, ["name"], _DELETE), "missing the key 'name'"),
    (_with(PERM, ["ambient"], _DELETE), "missing the key 'ambient'"),
    (_with(PERM, ["group"], _DELETE), "missing the key 'group'"),
    (_with(PERM, ["targt"], {"permutations": []}), "unknown key 'targt'"),
    (_with(PERM, ["name"], ""), "'name'"),
    (_with(PERM, ["name"], 7), "'name'"),
    (_with(PERM, ["name"], "x" * 300), "'name'"),
    (_with(PERM, ["name"], "line\nbreak"), "'name'"),
    (_with(PERM, ["description"], 5), "description"),
    (_with(PERM, ["ambient"], []), "'ambient' must be an object"),
    (_with(PERM, ["ambient"], {}), "exactly one of the keys"),
    (_with(PERM, ["ambient"], {"permutations": [], "matrices": []}), "exactly one"),
    (_with(PERM, ["ambient"], {"perms": []}), "exactly one"),
    (_with(PERM, ["ambient"], {"words": ["a"]}), "cannot be given as words"),
    (_with(PERM, ["ambient", "permutations"], "(1,2)"), "must be a list"),
    (_with(PERM, ["ambient", "permutations", 0], "(1,2"), "malformed cycle"),
    (_with(PERM, ["ambient", "permutations", 0], "(1,1)"), "appears twice"),
    (_with(PERM, ["ambient", "permutations", 0], "(0,1)"), "numbered from 1"),
    (_with(PERM, ["ambient", "permutations", 0], 12), "cycle notation"),
    (_with(PERM, ["ambient", "permutations", 0], "(1,2)(2,3)"), "disjoint"),
    (_with(PERM, ["ambient", "permutations", 0], "1 2"), "malformed cycle"),
    (_with(PERM, ["ambient", "permutations", 0], ""), "identity"),
    (_with(PERM, ["ambient", "permutations", 0], '(1,2);Exec("touch x")'), "malformed"),
    (_with(PERM, ["group"], {"matrices": [I3]}), "give 'group' as permutations"),
    (_with(PERM, ["group"], {"words": ["a"]}), "give 'group' as permutations"),
    (_with(PERM, ["target"], {"permutations": ["(1,x)"]}), "not a positive integer"),
    (_with(MATRIX, ["ambient", "matrices"], []), "at least one matrix"),
    (_with(MATRIX, ["ambient", "matrices"], "I"), "must be a list"),
    (_with(MATRIX, ["ambient", "matrices", 0], []), "non-empty list of rows"),
    (_with(MATRIX, ["ambient", "matrices", 0], [["1", "0"], ["0"]]), "not square"),
    (_with(MATRIX, ["ambient", "matrices", 1], [["1", "0"], ["0", "1"]]), "dimension 3"),
    (_with(MATRIX, ["ambient", "matrices", 0, 0, 0], "x"), "unknown name 'x'"),
    (_with(MATRIX, ["ambient", "matrices", 0, 0, 0], "1.5"), "unexpected character"),
    (_with(MATRIX, ["ambient", "matrices", 0, 0, 0], 0.5), "string or integer"),
    (_with(MATRIX, ["ambient", "matrices", 0, 0, 0], None), "string or integer"),
    (_with(MATRIX, ["ambient", "matrices", 0, 0, 0], "sqrt(-1)"), "expected an integer"),
    (_with(MATRIX, ["ambient", "matrices", 0, 0, 0], "cos(1)"), "multiples of pi"),
    (_with(MATRIX, ["ambient", "matrices", 0, 0, 0], 'Exec("rm -rf /")'), "unknown name"),
    (_with(MATRIX, ["ambient", "matrices", 0], [["1", "1", "0"], ["0", "1", "0"],
                                                ["0", "0", "1"]]), "not orthogonal"),
    (_with(MATRIX, ["ambient", "matrices", 0], [["2", "0", "0"], ["0", "1", "0"],
                                                ["0", "0", "1"]]), "not orthogonal"),
    (_with(MATRIX, ["ambient", "matrices", 0], [["0", "0", "0"], ["0", "1", "0"],
                                                ["0", "0", "1"]]), "not invertible"),
    (_with(MATRIX, ["group"], {"permutations": []}), "give 'group' as matrices"),
    (_with(MATRIX, ["group", "matrices", 0], [["1"]]), "dimension 3"),
    (_with(PRESENTATION, ["ambient", "presentation"], ["r"]), "keys 'generators'"),
    (_with(PRESENTATION, ["ambient", "presentation", "generators"], "rs"), "list of names"),
    (_with(PRESENTATION, ["ambient", "presentation", "generators"], ["r", "r"]), "twice"),
    (_with(PRESENTATION, ["ambient", "presentation", "generators"], ["1r"]), "bad generator"),
    (_with(PRESENTATION, ["ambient", "presentation", "generators"], ['a"b']), "bad generator"),
    (_with(PRESENTATION, ["ambient", "presentation", "relators"], "r^6"), "list of words"),
    (_with(PRESENTATION, ["ambient", "presentation", "relators", 0], "t^2"),
     "unknown generator 't'"),
    (_with(PRESENTATION, ["ambient", "presentation", "relators", 0], "r^"), "malformed"),
    (_with(PRESENTATION, ["ambient", "presentation", "relators", 0], "r**2"), "malformed"),
    (_with(PRESENTATION, ["ambient", "presentation", "extra"], []), "keys 'generators'"),
    (_with(PRESENTATION, ["group"], {"permutations": ["(1,2)"]}), "give 'group' as words"),
    (_with(PRESENTATION, ["group", "words"], "r"), "list of strings"),
    (_with(PRESENTATION, ["group", "words", 0], "(r"), "malformed"),
    (_with(PRESENTATION, ["group", "words", 0], 'r); Exec("ls"); ('), "unexpected"),
    (_with(PRESENTATION, ["target", "words", 0], "q"), "unknown generator 'q'"),
]


@pytest.mark.parametrize("data,fragment", MALFORMED)
def test_malformed_problems_give_clear_errors(data, fragment):
    with pytest.raises(InputError) as err:
        parse_problem(data)
    message = str(err.value)
    assert fragment in message
    assert "\n" not in message


def test_there_are_more_than_fifty_malformed_cases():
    assert len(MALFORMED) >= 50


def test_bad_files(tmp_path):
    with pytest.raises(InputError, match="cannot read"):
        load_problem(tmp_path / "missing.json")
    with pytest.raises(InputError, match="not a file"):
        load_problem(tmp_path)
    bad = tmp_path / "bad.json"
    bad.write_text("{not json")
    with pytest.raises(InputError, match="not valid JSON"):
        load_problem(bad)
    binary = tmp_path / "bin.json"
    binary.write_bytes(b"\xff\xfe\x00")
    with pytest.raises(InputError, match="cannot read"):
        load_problem(binary)


@pytest.mark.gap
@pytest.mark.parametrize("data,orders", [
    (PERM, (12, 24, 2)), (MATRIX, (6, 12, 2)), (PRESENTATION, (6, 12, 2)),
])
def test_all_group_kinds_in_gap(gap, data, orders):
    info = problem_info(parse_problem(data), session=gap)
    assert (info.order, info.ambient_order, info.target_order) == orders
    assert info.group == data["name"]


@pytest.mark.gap
def test_shipped_examples(gap):
    g = problem_info(load_problem(EXAMPLES / "appendix_g.json"), session=gap)
    assert (g.ambient_order, g.order, g.target_order) == (1024, 256, 2)
    d3 = problem_info(load_problem(EXAMPLES / "d3_in_d6h_matrices.json"), session=gap)
    assert (d3.ambient_order, d3.order, d3.target_order) == (24, 6, 2)
    s4 = problem_info(load_problem(EXAMPLES / "s4_perm.json"), session=gap)
    assert (s4.ambient_order, s4.order, s4.target_order) == (24, 12, 4)


@pytest.mark.gap
def test_trivial_groups_and_no_target(gap):
    data = _with(PERM, ["group", "permutations"], [])
    data = _with(data, ["target"], _DELETE)
    info = problem_info(parse_problem(data), session=gap)
    assert (info.order, info.target_order) == (1, None)
    trivial = {"name": "trivial", "ambient": {"presentation": {"generators": [],
                                                               "relators": []}},
               "group": {"words": []}}
    assert problem_info(parse_problem(trivial), session=gap).ambient_order == 1


# Refused by GAP: facts only exact computation can establish.
GAP_REFUSED = [
    (_with(PERM, ["group", "permutations"], ["(1,5)"]), "group generator 1 is not an element"),
    (_with(PERM, ["target", "permutations"], ["(1,2)"]), "not an element of the group"),
    (_with(MATRIX, ["group", "matrices"], [[["0", "-1", "0"], ["1", "0", "0"],
                                            ["0", "0", "1"]]]), "not an element"),
    (_with(MATRIX, ["target", "matrices"], [MZ]), "not an element of the group"),
    (_with(PRESENTATION, ["target", "words"], ["r"]), "not an element of the group"),
    # exactly not orthogonal, although within float tolerance
    (_with(MATRIX, ["ambient", "matrices"], [[
        ["7071067811865476/10000000000000000", "-7071067811865476/10000000000000000", "0"],
        ["7071067811865476/10000000000000000", "7071067811865476/10000000000000000", "0"],
        ["0", "0", "1"]]]), "not orthogonal"),
    # rotation by arctan(4/3): an element of infinite order
    (_with(MATRIX, ["ambient", "matrices"], [[["3/5", "-4/5", "0"], ["4/5", "3/5", "0"],
                                              ["0", "0", "1"]]]), "infinite"),
    # two rotations of finite order about perpendicular axes, infinite group
    (_with(MATRIX, ["ambient", "matrices"], [
        [["cos(2*pi/5)", "-sin(2*pi/5)", "0"], ["sin(2*pi/5)", "cos(2*pi/5)", "0"],
         ["0", "0", "1"]],
        [["1", "0", "0"], ["0", "cos(2*pi/5)", "-sin(2*pi/5)"],
         ["0", "sin(2*pi/5)", "cos(2*pi/5)"]]]), "infinite"),
    (_with(PRESENTATION, ["ambient", "presentation", "relators"], ["r^2", "s^3"]),
     "coset enumeration"),
    (_with(PRESENTATION, ["ambient", "presentation", "relators"], []), "coset enumeration"),
]


@pytest.mark.gap
@pytest.mark.parametrize("data,fragment", GAP_REFUSED)
def test_gap_refuses_with_clear_errors(gap, data, fragment):
    problem = parse_problem(data)
    with pytest.raises(InputError) as err:
        problem_info(problem, session=gap, max_order=2000)
    assert fragment in str(err.value)


@pytest.mark.gap
def test_order_limit_is_configurable(gap):
    problem = parse_problem(PERM)
    with pytest.raises(InputError, match="more than the order limit 10"):
        problem_info(problem, session=gap, max_order=10)
    assert problem_info(problem, session=gap, max_order=24).ambient_order == 24


@pytest.mark.gap
def test_gap_code_cannot_be_smuggled_through_a_problem(gap, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    marker = tmp_path / "pwned"
    evil_text = f'Exec("touch {marker}")'
    data = copy.deepcopy(PRESENTATION)
    data["name"] = f'"); {evil_text}; ("'
    data["description"] = evil_text
    # generator names that are GAP function names are harmless: names never reach GAP
    data["ambient"]["presentation"]["generators"] = ["Exec", "Print"]
    data["ambient"]["presentation"]["relators"] = ["Exec^6", "Print^2", "(Exec*Print)^2"]
    data["group"]["words"] = ["Exec^2", "Print"]
    data["target"]["words"] = ["Print"]
    assert problem_info(parse_problem(data), session=gap).order == 6
    for path, value in [(["group", "words", 0], f"Exec^2); {evil_text}; (Exec"),
                        (["ambient", "presentation", "relators", 0], evil_text)]:
        with pytest.raises(InputError):
            parse_problem(_with(data, path, value))
    file = tmp_path / "evil.json"
    file.write_text(json.dumps(data))
    problem_info(load_problem(file), session=gap)
    assert not marker.exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["evil.json"]
