"""The fast path for case records must give exactly what the precise path gives: the same
records, the same problems with the same lines. Checked on generated (synthetic) files, in
flow and block style, valid and broken."""

from __future__ import annotations

import json
import re

from hypothesis import given, settings
from hypothesis import strategies as st

from ncpi_cli.ingest import InputText, read_texts
from ncpi_cli.ingest import fast as fastpath

HEAD = ("ncpi: 1\nforces: [{id: f, name: F}]\ninspections:\n"
        "  - {id: i-2017, force: f, kind: inspection}\n"
        "  - {id: i-2015, force: f, kind: inspection, methodology: ncpi-2014}\n")
GOOD = {"area": ["s47", "cse", "custody"], "sample": ["self-assessed", "inspector-selected"],
        "grade": ["good", "RI", "requires improvement", "Inadequate", '"good"'],
        "inspection": ["i-2017", "i-2015"]}
BAD = {"area": ["all", "burglary", "yes"], "sample": ["all", "random"],
       "grade": ["adequate", "outstanding", "no", "010", "~", "'good'", "good # note"],
       "inspection": ["i-2099", "Bad Id", "2019-02-04"]}


#: faults only the cross-file checks find, which the fast path must pass on to them
CROSS = {"area": [], "sample": [], "grade": ["adequate"], "inspection": ["i-2099"]}


@st.composite
def case_files(draw) -> str:
    mode = draw(st.sampled_from(["valid", "cross-file faults", "any faults"]))
    broken = mode == "any faults"
    block = draw(st.booleans())

    def pick(kind: str) -> str:
        faults = {"valid": {}, "cross-file faults": CROSS, "any faults": BAD}[mode]
        if faults.get(kind) and draw(st.integers(0, 6)) == 0:
            return draw(st.sampled_from(faults[kind]))
        return draw(st.sampled_from(GOOD[kind]))

    lines = [HEAD, "# synthetic\n", "cases:\n"]
    for n in range(draw(st.integers(1, 12))):
        sample = pick("sample")
        ids = [f"C{n}", f'"{n:03d}"'] + {"valid": [], "cross-file faults": ["C0"],
                                         "any faults": ["C0", f"{n:03d}"]}[mode]
        case_id = draw(st.sampled_from(ids))
        fields = [("id", case_id), ("inspection", pick("inspection")), ("area", pick("area")),
                  ("sample", sample), ("inspector_grade", pick("grade"))]
        if sample == "self-assessed" or (broken and draw(st.booleans())):
            fields.append(("force_grade", pick("grade")))
        if draw(st.booleans()):
            fields.append(("themes", draw(st.sampled_from(
                ["[joint-visit]", "[]", "[joint-visit, ppn-late]"] +
                (["[Joint Visit]", "[yes]"] if broken else [])))))
        if broken and draw(st.integers(0, 15)) == 0:
            fields.append(("colour", "red"))
        if broken and draw(st.integers(0, 15)) == 0:
            fields.append(fields[0])
        fields = draw(st.permutations(fields))
        if block:
            lines.append(f"  - {fields[0][0]}: {fields[0][1]}\n")
            lines.extend(f"    {k}: {v}\n" for k, v in fields[1:])
        else:
            lines.append("  - {" + ", ".join(f"{k}: {v}" for k, v in fields) + "}\n")
        if draw(st.integers(0, 5)) == 0:
            lines.append("\n")
    if draw(st.booleans()):
        lines.append("tallies:\n  - {inspection: i-2017, assessor: inspector, good: 1}\n")
    return "".join(lines)


def _result(text: str, fast: bool):
    data = text.encode("utf-8", "surrogatepass")  # a lone surrogate makes invalid UTF-8
    result = read_texts([InputText(None, "x.yaml", data)], fast_path=fast)
    return ([str(p) for p in result.problems], result.dataset.cases, result.dataset.tallies,
            result.dataset.inputs)


@settings(max_examples=200, deadline=None)
@given(case_files())
def test_fast_and_precise_paths_agree(text):
    assert _result(text, fast=True) == _result(text, fast=False)


SPECIAL = ["\x00", "\t", "\r", "\x85", "\u2028", "\u200b", "\ufeff", "\x1b", "\x7f", "\x9b",
           "\u202e", "\ud800"]
STRUCTURAL = [":", ",", "{", "}", "[", "]", "#", "'", '"', " ", "-", "&", "*", "!", "|", "\\"]
NUMBERS = ["9" * 30, "9" * 5000, "1.5", ".inf", "-.nan", "yes", "no", "010", "0x1F", "1:20",
           "~", "2019-02-30", "-3"]


@st.composite
def mutants(draw) -> str:
    """A case file with one to three mutations of the kinds that once made the two paths
    disagree: special characters, structural bytes, indentation shifts, odd numbers."""
    text = draw(case_files())
    for _ in range(draw(st.integers(1, 3))):
        kind = draw(st.sampled_from(["special", "byte", "indent", "number"]))
        at = draw(st.integers(0, len(text) - 1))
        if kind == "special":
            text = text[:at] + draw(st.sampled_from(SPECIAL)) + text[at:]
        elif kind == "byte":
            text = text[:at] + draw(st.sampled_from(STRUCTURAL)) + text[at + 1:]
        elif kind == "indent":
            start = text.rfind("\n", 0, at) + 1
            text = (text[:start] + " " + text[start:] if draw(st.booleans())
                    else text[:start] + text[start:].removeprefix(" "))
        else:
            tokens = [m.span(1) for m in re.finditer(r": ([^,}\n]+)", text)]
            if tokens:
                lo, hi = draw(st.sampled_from(tokens))
                text = text[:lo] + draw(st.sampled_from(NUMBERS)) + text[hi:]
    return text


@settings(max_examples=200, deadline=None)
@given(mutants())
def test_fast_and_precise_paths_agree_on_mutants(text):
    fast, precise = _result(text, True), _result(text, False)
    assert fast == precise
    assert all("\n" not in p and "\r" not in p and "\u2028" not in p for p in fast[0])


def _unstreamed(text: str):
    """The precise path as it was before records streamed: the whole node tree first."""
    from ncpi_cli.ingest.document import new_records, read_document
    from ncpi_cli.ingest.nodes import compose

    records = new_records("x.yaml")
    node, problems = compose(text, "x.yaml")
    if node is not None:
        read_document(node, records)
    return sorted(problems + records.problems), [p.value for p in records.pending]


@settings(max_examples=200, deadline=None)
@given(st.one_of(case_files(), mutants()))
def test_streamed_records_are_the_records_of_the_whole_tree(text):
    from ncpi_cli.ingest.document import read_text

    data = text.encode("utf-8", "surrogatepass").decode("utf-8", "replace")
    streamed = read_text(data, "x.yaml")
    problems, values = _unstreamed(data)
    assert sorted(streamed.problems) == problems
    assert sorted(map(repr, (p.value for p in streamed.pending))) == sorted(map(repr, values))


def test_the_fast_path_is_taken_for_ordinary_files():
    """Not vacuous: plain flow and block files are read by the fast path."""
    flow = HEAD + "cases:\n  - {id: C1, inspection: i-2017, area: s47, sample: " \
                  "self-assessed, force_grade: good, inspector_grade: RI}\n"
    block = HEAD + "cases:\n  - id: C1\n    inspection: i-2017\n    area: s47\n" \
                   "    sample: inspector-selected\n    inspector_grade: good\n"
    for text in (flow, block):
        fast = fastpath.read(text, "x.yaml")
        assert fast is not None and fast.counts["cases"] == 1
        assert _result(text, True) == _result(text, False)


def test_comments_keep_the_fast_path():
    """A comment after a record, between records or after a block value is what YAML
    drops: the fast path drops it too (a commented file used to fall to the slow path)."""
    text = HEAD + ("cases:\n  # synthetic\n"
                   "  - {id: C1, inspection: i-2017, area: s47, sample: inspector-selected, "
                   "inspector_grade: good}  # checked\n"
                   "  - id: C2  # block\n    inspection: i-2017\n    area: s47 # here\n"
                   "    sample: inspector-selected\n    inspector_grade: RI\n")
    fast = fastpath.read(text, "x.yaml")
    assert fast is not None and fast.counts["cases"] == 2 and not fast.problems
    assert _result(text, True) == _result(text, False)


def test_windows_line_ends_keep_the_fast_path():
    text = (HEAD + "cases:\n  - {id: C1, inspection: i-2017, area: s47, sample: "
            "inspector-selected, inspector_grade: good}\n").replace("\n", "\r\n")
    fast = fastpath.read(text, "x.yaml")
    assert fast is not None and fast.counts["cases"] == 1 and not fast.problems
    assert _result(text, True) == _result(text, False)


def test_the_fast_path_gives_up_outside_its_subset():
    for cases in ["  - &a {id: C1}\n",                           # anchor
                  "  - {id: C1, inspection: i-2017, area: s47, sample: inspector-selected,\n"
                  "     inspector_grade: good}\n",               # a record over two lines
                  "  - {id: C1\t, inspection: i-2017}\n",        # a tab: YAML trims it
                  "  - {id: \"C\u00851\", inspection: i-2017}\n",  # NEL inside an id
                  "  - {id: C1, themes: [a, [b]]}\n",             # nested list
                  ]:
        assert fastpath.read(HEAD + "cases:\n" + cases, "x.yaml") is None


def test_the_fast_path_reports_rule_problems_itself():
    """A bad record does not send a large file to the precise path: the same rule gives
    the same message and line."""
    for case, message in [
        ("{id: C1, inspection: i-2017, area: s47, sample: inspector-selected, "
         "inspector_grade: no}", "'inspector_grade: no' is read by YAML 1.1 as a boolean"),
        ("{id: C1, id: C2, inspection: i-2017, area: s47, sample: inspector-selected, "
         "inspector_grade: good}", "duplicate key 'id' (first at line 7)"),
    ]:
        text = HEAD + "cases:\n  - " + case + "\n"
        fast = fastpath.read(text, "x.yaml")
        assert fast is not None and message in str(fast.problems[0])
        assert _result(text, True) == _result(text, False)


def test_bundled_example_reads_the_same_both_ways():
    from conftest import EXAMPLE

    text = EXAMPLE.read_text()
    assert fastpath.read(text, "x") is not None
    fast, precise = _result(text, True), _result(text, False)
    assert fast == precise
    assert json.dumps([c.id for c in fast[1]]) == json.dumps([c.id for c in precise[1]])


def test_progress_is_reported_while_reading_large_files(tmp_path):
    from ncpi_cli.ingest import load

    lines = [HEAD, "cases:\n"] + [
        f"  - {{id: C{i}, inspection: i-2017, area: s47, sample: inspector-selected, "
        f"inspector_grade: good}}\n" for i in range(40_000)]
    path = tmp_path / "large.yaml"
    path.write_text("".join(lines))
    seen: list[tuple[str, int]] = []
    result = load([path], progress=lambda file, size, n: seen.append((file, n)))
    assert result.ok and len(result.dataset.cases) == 40_000
    assert seen == [(str(path), 0), (str(path), 20_000), (str(path), 40_000)]


def test_a_comment_indented_with_a_tab_goes_to_the_precise_path():
    """Found by the mutant test above: the fast path skipped `\t# ...` as a comment, where
    YAML refuses the tab."""
    text = (HEAD + "cases:\n  - id: C1\n    inspection: i-2017\n\t#   area: s47\n"
            "    sample: inspector-selected\n    inspector_grade: good\n")
    problems = _result(text, fast=True)[0]
    assert problems == _result(text, fast=False)[0]
    assert problems[0].startswith("x.yaml:9: YAML syntax error")
    # and a hidden character in a comment line (also found by it)
    text = text.replace("\t#", "#\x00")
    assert _result(text, fast=True) == _result(text, fast=False)
    assert _result(text, fast=True)[0] == ["x.yaml:9: character U+0000 is not allowed in a "
                                           "YAML file"]


def test_a_lone_carriage_return_goes_to_the_precise_path():
    """YAML reads a CR alone as a line break; the fast path counts lines by LF only."""
    text = HEAD.replace("inspections:\n", "inspections:\r\r\n") + (
        "cases:\n  - {id: C1, inspection: i-2017, area: nowhere, sample: inspector-selected, "
        "inspector_grade: good}\n")
    assert _result(text, fast=True) == _result(text, fast=False)
