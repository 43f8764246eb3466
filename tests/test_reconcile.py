"""`reconcile`: the bundled Gwent data reconciles, the bundled national data fails only where
its sources disagree; each check fails on a file made to break it."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from conftest import PREAMBLE
from ncpi_cli.analysis.reconcile import reconcile
from ncpi_cli.analysis.select import Filters
from ncpi_cli.cli import app
from ncpi_cli.ingest import load

TALLY = "  - {inspection: t-2019, assessor: %s, sample: %s, area: %s, good: %d, " \
        "requires_improvement: %d, inadequate: %d}\n"


def _statuses(result) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for row in result.rows:
        out.setdefault(row["check"], []).append(row["status"])
    return out


def test_bundled_gwent_data_reconciles():
    """Hand check: 27+6+0 = 33 and 10+17+6 = 33 (p.15), 10+20+17 = 47; the eight areas sum
    to 20/37/23 and so do the two samples; 4 of 8 completed, 8 recommendations recorded."""
    result = reconcile(load().dataset, Filters(force="gwent"))
    assert result.mismatches == []
    assert {r["inspection"] for r in result.rows} == {"gwent-2019"}
    assert _statuses(result) == {
        "stated total": ["pass", "pass", "pass"],
        "areas add up to all areas": ["pass"],
        "samples add up to all cases": ["pass"],
        "force and inspectors graded the same cases": ["pass"],
        "progress within recommendations made": ["pass"],
        "recommendations recorded within those made": ["pass"],
    }


def test_stated_total_that_does_not_add_up(check):
    doc = PREAMBLE + "tallies:\n  - {inspection: t-2019, assessor: inspector, sample: " \
                     "self-assessed, good: 10, requires_improvement: 18, inadequate: 6, " \
                     "stated_total: 33}\n"
    (row,) = reconcile(check(doc).dataset).rows
    assert (row["check"], row["expected"], row["found"], row["status"], row["where"]) == \
        ("stated total", "33", "34", "fail", "data.yaml:8")


def test_areas_that_do_not_add_up(check):
    doc = PREAMBLE + "tallies:\n" + TALLY % ("inspector", "all", "all", 5, 5, 5) \
        + TALLY % ("inspector", "all", "s47", 2, 2, 2) + TALLY % ("inspector", "all", "cse",
                                                                 3, 3, 2)
    result = reconcile(check(doc).dataset)
    (row,) = result.rows
    assert row["check"] == "areas add up to all areas" and row["status"] == "fail"
    assert row["expected"] == "good 5, requires_improvement 5, inadequate 5 (total 15)"
    assert row["found"] == "good 5, requires_improvement 5, inadequate 4 (total 14)"
    assert len(result.mismatches) == 1


def test_samples_that_do_not_add_up(check):
    doc = PREAMBLE + "tallies:\n" + TALLY % ("inspector", "all", "all", 20, 37, 23) \
        + TALLY % ("inspector", "self-assessed", "all", 10, 17, 6) \
        + TALLY % ("inspector", "inspector-selected", "all", 10, 20, 16)
    (row,) = reconcile(check(doc).dataset).rows
    assert (row["check"], row["status"]) == ("samples add up to all cases", "fail")
    assert row["found"].endswith("inadequate 22 (total 79)")


def test_force_and_inspector_tallies_of_different_sizes(check):
    doc = PREAMBLE + "tallies:\n" + TALLY % ("force", "self-assessed", "all", 27, 6, 0) \
        + TALLY % ("inspector", "self-assessed", "all", 10, 18, 6)
    (row,) = reconcile(check(doc).dataset).rows
    assert (row["check"], row["expected"], row["found"], row["status"]) == \
        ("force and inspectors graded the same cases", "33", "34", "fail")


def test_case_records_against_published_tallies(check):
    cases = "".join(
        f"  - {{id: C{i}, inspection: t-2019, area: s47, sample: self-assessed, "
        f"force_grade: good, inspector_grade: {g}}}\n"
        for i, g in enumerate(["good", "good", "RI"]))
    doc = PREAMBLE + "tallies:\n" + TALLY % ("inspector", "self-assessed", "all", 2, 1, 0) \
        + TALLY % ("force", "self-assessed", "all", 2, 1, 0) + "cases:\n" + cases
    result = reconcile(check(doc).dataset)
    rows = {(r["check"], r["subject"]): r for r in result.rows}
    passed = rows[("case records match the published tally",
                   "inspector, sample self-assessed, area all")]
    failed = rows[("case records match the published tally",
                   "force, sample self-assessed, area all")]
    assert passed["status"] == "pass"
    assert (failed["status"], failed["found"]) == (
        "fail", "good 3, requires_improvement 0, inadequate 0 (total 3)")


def test_progress_beyond_the_recommendations_made(check):
    doc = ("ncpi: 1\nforces: [{id: f, name: F}]\ninspections:\n"
           "  - {id: i, force: f, kind: inspection, progress: [{date: 2020-09, completed: 9,"
           " of: 8}, {date: 2020-10, completed: 1, of: 2}]}\n"
           "recommendations:\n" + "".join(
               f"  - {{id: r{n}, inspection: i, timescale: immediately, summary: S}}\n"
               for n in range(3)))
    rows = reconcile(check(doc).dataset).rows
    got = [(r["check"], r["expected"], r["found"], r["status"]) for r in rows]
    assert got == [
        ("progress within recommendations made", "at most 8 completed", "9", "fail"),
        ("recommendations recorded within those made", "at most 8", "3", "pass"),
        ("progress within recommendations made", "at most 2 completed", "1", "pass"),
        ("recommendations recorded within those made", "at most 2", "3", "fail"),
    ]


def test_cli_exit_codes(write):
    runner = CliRunner()
    ok = runner.invoke(app, ["reconcile", "--force", "gwent"])
    assert ok.exit_code == 0 and ok.stderr == "note: 8 checks, 8 passed, 0 failed\n"
    assert ok.stdout.splitlines()[0] == "check,inspection,subject,expected,found,status,where"
    # All the bundled data: exit 4, and only because sources disagree. national.yaml records
    # seven disputes (two publication dates, two fieldwork dates, two stated totals, one
    # count): one failed "sources agree" row each, and every other check passes.
    everything = runner.invoke(app, ["reconcile", "--format", "json"])
    assert everything.exit_code == 4
    failed = [r for r in json.loads(everything.stdout)["rows"] if r["status"] == "fail"]
    assert {r["check"] for r in failed} == {"sources agree"}
    assert [(r["inspection"], r["subject"]) for r in failed] == [
        ("devon-and-cornwall-2015", "published"),
        ("dorset-2021", "inspector, sample all, area all: inadequate"),
        ("lancashire-2018", "fieldwork"),
        ("metropolitan-2016", "inspector, sample all, area all: stated_total"),
        ("suffolk-2022", "published"),
        ("warwickshire-2023-review", "fieldwork"),
        ("west-yorkshire-2015", "inspector, sample self-assessed, area all: stated_total"),
    ]
    dataset = load().dataset
    assert len(failed) == (sum(len(i.disputes) for i in dataset.inspections.values())
                           + sum(len(t.disputes) for t in dataset.tallies))
    assert all(line.startswith("Error: mismatch: sources agree: ")
               for line in everything.stderr.splitlines()[1:])
    bad = write(PREAMBLE + "tallies:\n  - {inspection: t-2019, assessor: inspector, good: 3,"
                           " stated_total: 4}\n")
    result = runner.invoke(app, ["reconcile", "--data", str(bad)])
    assert result.exit_code == 4
    assert result.stderr.splitlines() == [
        "note: 1 checks, 0 passed, 1 failed",
        f"Error: mismatch: stated total: t-2019, inspector, sample all, area all: expected 4, "
        f"found 3 ({bad}:8)"]


@pytest.mark.parametrize("fmt", ["csv", "json"])
def test_manifest_file_matches_the_json_manifest_and_reruns_identically(tmp_path, fmt):
    runner = CliRunner()
    first, second = tmp_path / "a.json", tmp_path / "b.json"
    gwent = ["--force", "gwent"]
    runner.invoke(app, ["reconcile", *gwent, "--format", fmt, "--manifest", str(first)])
    out = runner.invoke(app, ["reconcile", *gwent, "--format", "json", "--manifest",
                              str(second)])
    assert out.exit_code == 0
    a, b = json.loads(first.read_text()), json.loads(second.read_text())
    assert a["arguments"]["format"] == fmt
    a["arguments"]["format"] = b["arguments"]["format"]
    assert a == b == json.loads(out.stdout)["manifest"]
    assert b["arguments"]["force"] == "gwent"
    assert b["output"] == {"rows": 8, "sums": {}, "csv_cells_neutralised": 0}  # Gwent's 8
    assert set(b["libraries"]) == {"python", "typer", "rich", "PyYAML", "pandas"}
