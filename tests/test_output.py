"""CSV and JSON: spreadsheet-safe, parseable, byte-identical on rerun, with a manifest."""

from __future__ import annotations

import csv
import io
import json

from conftest import PREAMBLE
from ncpi_cli.analysis.grades import grades
from ncpi_cli.analysis.select import Filters
from ncpi_cli.ingest import load
from ncpi_cli.output import build_manifest, neutralise, neutralised_cells, to_csv, to_json


def test_csv_round_trips_through_the_csv_module():
    """All the bundled figures, partial tallies (empty cells) and sources with commas and
    quotes included."""
    dataset = load().dataset
    result = grades(dataset)
    assert any(r["good"] is None for r in result.rows)  # a partial tally's unstated count
    text, _ = to_csv(result)
    parsed = list(csv.reader(io.StringIO(text, newline="")))
    assert parsed[0] == result.columns
    assert len(parsed) == len(result.rows) + 1
    for cells, row in zip(parsed[1:], result.rows):
        for column, cell in zip(result.columns, cells):
            value = row[column]
            if isinstance(value, bool):
                assert cell == ("true" if value else "false")
            else:
                assert cell == ("" if value is None else str(value))
    (s46,) = [dict(zip(parsed[0], cells)) for cells in parsed[1:]
              if cells[1:4] == ["gwent-2019", "s46", "all"]]
    assert int(s46["good"]) == 3 and float(s46["good_pct"]) == 50.0  # Gwent 2019, p.18
    (lancashire,) = [dict(zip(parsed[0], cells)) for cells in parsed[1:]
                     if cells[1] == "lancashire-2018"]
    # BBC News (national.yaml): 30 of 79 inadequate, the other grades not stated;
    # 30 / 79 = 37.97% -> 38.0
    assert (lancashire["good"], lancashire["requires_improvement"], lancashire["inadequate"],
            lancashire["total"], lancashire["inadequate_pct"]) == ("", "", "30", "79", "38.0")


def test_formula_cells_are_neutralised_and_numbers_are_not(check):
    doc = PREAMBLE + (
        "tallies:\n"
        "  - {inspection: t-2019, assessor: inspector, good: 1, source: '=HYPERLINK(\"x\")'}\n"
        "  - {inspection: t-2019, assessor: inspector, area: cse, good: 1, source: '@SUM(A1)'}\n"
        "  - {inspection: t-2019, assessor: inspector, area: s47, good: 1, source: '+1'}\n")
    result = grades(check(doc).dataset)
    text, count = to_csv(result)
    sources = [r["source"] for r in csv.DictReader(io.StringIO(text, newline=""))]
    assert sorted(sources) == sorted(["'=HYPERLINK(\"x\")", "'@SUM(A1)", "'+1"])
    assert count == neutralised_cells(result) == 3  # the three sources above
    assert neutralise("\tx") == ("'\tx", True)  # data files may not hold a tab (validation)
    assert neutralise("-51.5") == ("'-51.5", True)  # text; numeric cells never pass here


def test_negative_numbers_stay_numeric():
    from ncpi_cli.analysis.compare import self_vs_inspector

    text, count = to_csv(self_vs_inspector(load().dataset))
    row = dict(zip(*list(csv.reader(io.StringIO(text, newline="")))))
    assert row["good_diff_pp"] == "-51.5" and count == 0


def test_json_rows_and_manifest():
    loaded = load()
    result = grades(loaded.dataset, Filters(force="gwent"))
    doc = json.loads(to_json(result, build_manifest(result, loaded.dataset, {"x": 1})))
    assert set(doc) == {"rows", "manifest"}
    assert list(doc["rows"][0]) == result.columns
    assert doc["rows"][0]["good_pct"] == 50.0 and doc["rows"][0]["source"].startswith("p.18")
    manifest = doc["manifest"]
    # the three bundled files are all read, whatever the selection
    assert [source["path"] for source in manifest["inputs"]] == [
        "bundled:cases.yaml", "bundled:national.yaml", "bundled:topics-2024.yaml"]
    assert all(len(source["sha256"]) == 64 for source in manifest["inputs"])
    assert manifest["arguments"] == {"x": 1}


def test_manifest_accounts_for_every_record_read():
    """Control total: for each kind of record, read = used + rejected (each with reasons)."""
    loaded = load()
    result = grades(loaded.dataset)
    records = build_manifest(result, loaded.dataset, {})["records"]
    # cases.yaml: 2 forces, 4 inspections, 12 tallies, 8 recommendations (26);
    # national.yaml: 40 forces, 78 inspections, 37 tallies (155);
    # topics-2024.yaml: 6 inspections, 7 causes of concern, 17 judgments (Greater Manchester,
    # Gloucestershire and West Midlands 5 each, Cleveland 2), 2 judgment tallies (32)
    none = {"judgments": 0, "judgment_tallies": 0}
    assert [f.records for f in loaded.dataset.inputs] == [
        {"forces": 2, "inspections": 4, "tallies": 12, "cases": 0, "recommendations": 8,
         **none},
        {"forces": 40, "inspections": 78, "tallies": 37, "cases": 0, "recommendations": 0,
         **none},
        {"forces": 0, "inspections": 6, "tallies": 0, "cases": 0, "recommendations": 7,
         "judgments": 17, "judgment_tallies": 2}]
    assert records["read"] == records["used"] + records["rejected"] == 26 + 155 + 32
    for kind in records["by_kind"].values():
        assert kind["read"] == kind["used"] + kind["rejected"]
        assert kind["rejected"] == sum(r["count"] for r in kind["reasons"])
    tallies = records["by_kind"]["tallies"]
    # grades shows partial and disputed tallies too (marked in their note): only the two
    # force self-assessments (gwent-2019, west-yorkshire-2015) are not the inspectors'
    assert tallies["used"] == 49 - 2
    assert tallies["reasons"] == [
        {"reason": "assessor force (this run shows assessor inspector)", "count": 2}]
    # grades reads no recommendation, judgment or judgment tally: each is accounted for
    for kind, read in (("recommendations", 8 + 7), ("judgments", 17), ("judgment_tallies", 2)):
        assert records["by_kind"][kind] == {
            "read": read, "used": 0, "rejected": read,
            "reasons": [{"reason": "not used by this command", "count": read}]}
    # Gwent alone: its 11 inspector tallies; its force tally and the national file's 37
    # tallies (none of them Gwent's) are accounted for, each with its reason.
    gwent = build_manifest(grades(loaded.dataset, Filters(force="gwent")), loaded.dataset,
                           {})["records"]
    assert gwent["read"] == gwent["used"] + gwent["rejected"] == 26 + 155 + 32
    assert gwent["by_kind"]["tallies"]["used"] == 11
    assert gwent["by_kind"]["tallies"]["reasons"] == [
        {"reason": "assessor force (this run shows assessor inspector)", "count": 1},
        {"reason": "outside the selected force", "count": 37}]


def test_the_same_problem_on_many_records_is_one_line():
    """Fourteen rows with one unknown area are one line naming the first ten places; two
    alike stay two lines; other problems keep their place in the order."""
    from ncpi_cli.model import Problem
    from ncpi_cli.output import problem_lines

    message = "unknown practice area 'Custdy' (known: ...)"
    problems = [Problem("a.csv", line, f"case C{line}", message) for line in range(2, 16)]
    problems.insert(1, Problem("a.csv", 3, "case X", "'id' is blank"))
    problems += [Problem("b.xlsx", 4, "case D", "x", "Cases!C4"),
                 Problem("b.xlsx", 5, "case E", "x", "Cases!C5")]
    assert problem_lines(problems) == [
        "a.csv: unknown practice area 'Custdy' (known: ...): 14 records, lines 2, 3, 4, 5, 6, "
        "7, 8, 9, 10, 11, ... (first 10 shown)",
        "a.csv:3: case X: 'id' is blank",
        "b.xlsx:Cases!C4: case D: x",
        "b.xlsx:Cases!C5: case E: x"]
    three = [Problem("b.xlsx", n, "case", "y", f"Cases!C{n}") for n in (4, 5, 6)]
    assert problem_lines(three) == ["b.xlsx: y: 3 records, cells Cases!C4, Cases!C5, Cases!C6"]
