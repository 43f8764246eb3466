"""`judgments`: the 2024 methodology's topic grades, partial ones kept partial, on the
bundled data (data/topics-2024.yaml, each judgment with its source) and on small documents."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from ncpi_cli.analysis.judgments import by_topic, judgments
from ncpi_cli.analysis.select import Filters
from ncpi_cli.cli import app
from ncpi_cli.ingest import load


@pytest.fixture(scope="module")
def bundled():
    return load().dataset


def _row(result, inspection):
    return next(r for r in result.rows if r["inspection"] == inspection)


def test_cleveland_is_partial_in_every_output(bundled):
    # HMICFRS, 15 January 2025: adequate in one topic, requires improvement in two,
    # inadequate in two, and only the inadequate ones named (initial response, investigation).
    row = _row(judgments(bundled, Filters(force="cleveland")), "cleveland-2025")
    assert (row["initial_response"], row["investigation"]) == ("inadequate", "inadequate")
    assert (row["leadership"], row["partnership_working"],
            row["risk_assessment_and_referral"]) == (None, None, None)
    assert row["unnamed"] == "1 adequate, 2 requires improvement"
    assert "which of them got which grade is not published" in row["note"]
    assert row["causes_of_concern"] == 2
    out = CliRunner().invoke(app, ["judgments", "--force", "cleveland", "--format", "json"])
    assert out.exit_code == 0, out.output
    (shown,) = json.loads(out.stdout)["rows"]
    assert shown["leadership"] is None and shown["unnamed"] == row["unnamed"]
    table = CliRunner().invoke(app, ["judgments", "--force", "cleveland", "--format", "table"],
                               env={"COLUMNS": "80"})
    assert "the topics marked ? share 1 adequate, 2 requires improvement" in table.stdout


def test_the_national_matrix_checked_by_hand(bundled):
    # Counted from data/topics-2024.yaml by hand: six inspections. Leadership: good at
    # Greater Manchester, adequate at West Midlands, inadequate at Gloucestershire; unnamed at
    # Cleveland and South Wales; Lincolnshire has no grades. Investigation: adequate (GM),
    # requires improvement (WM), inadequate (Gloucestershire, Cleveland); unnamed (South Wales).
    topics = {r["topic"]: r for r in by_topic(bundled).rows}
    lead = topics["leadership"]
    assert (lead["good"], lead["adequate"], lead["requires_improvement"], lead["inadequate"],
            lead["not_named"], lead["inspections"]) == (1, 1, 0, 1, 2, 6)
    invest = topics["investigation"]
    assert (invest["good"], invest["adequate"], invest["requires_improvement"],
            invest["inadequate"], invest["not_named"]) == (0, 1, 1, 2, 1)
    for row in topics.values():  # every inspection is named, unnamed or ungraded
        graded = sum(row[g] for g in ("good", "adequate", "requires_improvement",
                                      "inadequate"))
        assert graded + row["not_named"] + 1 == row["inspections"]  # + Lincolnshire


def test_topics_match_their_long_labels(check):
    doc = ("ncpi: 1\nforces: [{id: f, name: F}]\ninspections:\n"
           "  - {id: i, force: f, kind: inspection, methodology: ncpi-2024}\njudgments:\n"
           "  - {inspection: i, topic: Working with safeguarding partners, grade: Good}\n"
           "  - {inspection: i, topic: 'Investigating reports of child abuse, neglect and "
           "exploitation', grade: RI}\n")
    result = check(doc)
    assert result.ok, result.problems
    assert {(j.topic, j.grade) for j in result.dataset.judgments} == {
        ("partnership-working", "good"), ("investigation", "requires_improvement")}


def test_cross_methodology_figures_are_never_mixed(bundled):
    # 2024 inspections' judgments are not case tallies: they are on no funnel, and a
    # 2017-scale report is not compared grade by grade with a 2024 one.
    from ncpi_cli.analysis.national import national

    rows = {r["inspection"]: r for r in national(bundled).rows}
    assert rows["gloucestershire-2025"]["group"] == "inspections, ncpi-2024"
    assert rows["gloucestershire-2025"]["n"] is None


def test_a_tally_short_of_five_topics_says_how_many_have_no_grade(check):
    doc = ("ncpi: 1\nforces: [{id: f, name: F}]\ninspections:\n"
           "  - {id: i, force: f, kind: inspection, methodology: ncpi-2024}\njudgments:\n"
           "  - {inspection: i, topic: initial-response, grade: inadequate}\n"
           "  - {inspection: i, topic: investigation, grade: inadequate}\n"
           "judgment_tallies: [{inspection: i, inadequate: 2, good: 1}]\n")
    result = check(doc)
    assert result.ok, result.problems
    (row,) = judgments(result.dataset).rows
    # five topics, two named; the tally counts three: one more (good) among the three
    # unnamed, and two of them have no published grade
    assert row["unnamed"] == "1 good"
    assert "2 of the 3 topics not named have no grade published at all" in row["note"]
