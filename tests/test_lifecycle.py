"""Due dates, statutory deadlines and the inspection timeline, checked against dates worked
out by hand (month ends, leap years, dates known only to the month)."""

from __future__ import annotations

import datetime as dt

import pytest
from typer.testing import CliRunner

from ncpi_cli.analysis.lifecycle import (
    Window,
    add_months,
    judge,
    recommendations,
    shift,
    statutory_deadline,
    timeline,
)
from ncpi_cli.analysis.review import initial_vs_review
from ncpi_cli.analysis.select import Filters
from ncpi_cli.cli import app
from ncpi_cli.ingest import load
from ncpi_cli.model import PartialDate

D = dt.date
TODAY = D(2026, 11, 22)


@pytest.mark.parametrize(("start", "months", "expected"), [
    (D(2019, 6, 13), 3, D(2019, 9, 13)),
    (D(2019, 8, 31), 1, D(2019, 9, 30)),     # September has 30 days
    (D(2020, 1, 31), 1, D(2020, 2, 29)),     # 2020 is a leap year
    (D(2019, 1, 31), 1, D(2019, 2, 28)),
    (D(2019, 11, 30), 3, D(2020, 2, 29)),    # across a year end into a leap February
    (D(2019, 10, 15), 6, D(2020, 4, 15)),
    (D(2019, 6, 30), 6, D(2019, 12, 30)),
])
def test_add_months(start, months, expected):
    assert add_months(start, months) == expected


@pytest.mark.parametrize(("published", "deadline"), [
    # day 1 is the publication day: 13 Jul (1) .. 31 Jul (19), Aug (20-50), 6 Sep (56)
    (D(2020, 7, 13), D(2020, 9, 6)),
    # 10 Jan (1) .. 31 Jan (22), 29 days of February 2020 (51), 5 Mar (56)
    (D(2020, 1, 10), D(2020, 3, 5)),
    # the same in 2019: 28 days of February (50), 6 Mar (56)
    (D(2019, 1, 10), D(2019, 3, 6)),
    (D(2016, 6, 30), D(2016, 8, 24)),  # 30 Jun (1), July (2-32), 24 Aug (56)
])
def test_statutory_deadline_counts_the_publication_day(published, deadline):
    assert statutory_deadline(Window(published, published)) == Window(deadline, deadline)


def test_month_only_dates_give_windows_not_invented_days():
    june = Window.of(PartialDate(2019, 6))
    assert june == Window(D(2019, 6, 1), D(2019, 6, 30))
    assert shift(june, 6, "weeks") == Window(D(2019, 7, 13), D(2019, 8, 11))
    assert shift(june, 3, "months") == Window(D(2019, 9, 1), D(2019, 9, 30))
    assert statutory_deadline(june) == Window(D(2019, 7, 26), D(2019, 8, 24))
    feb = Window.of(PartialDate(2020, 2))
    assert feb.latest == D(2020, 2, 29)


def test_judging_is_conservative():
    due = Window(D(2019, 9, 1), D(2019, 9, 30))
    assert judge(due, Window(D(2019, 8, 20), D(2019, 8, 20)), TODAY) == "met"
    assert judge(due, Window(D(2019, 10, 1), D(2019, 10, 31)), TODAY) == "missed"
    # done in September, due some day in September: cannot tell
    assert judge(due, Window(D(2019, 9, 1), D(2019, 9, 30)), TODAY) == "unknown"
    assert judge(due, None, D(2019, 9, 15)) == "pending"   # may not have passed yet
    assert judge(due, None, D(2019, 10, 1)) == "unknown"   # passed, nothing recorded
    assert judge(None, None, TODAY) == "unknown"


@pytest.fixture(scope="module")
def bundled():
    return load().dataset


def _steps(rows):
    return {r["step"]: r for r in rows}


def test_gwent_pcc_response_to_the_review_was_on_time(bundled):
    """Review published 13 July 2020; day 56 is 6 September 2020; the PCC wrote on
    2 September 2020 (004_651a8b54d1ecd732.txt)."""
    rows = timeline(bundled, Filters(force="gwent"), TODAY).rows
    step = _steps(rows)["PCC comments on review due (56 days)"]
    assert (step["inspection"], step["date"], step["done"], step["status"]) == \
        ("gwent-2020-review", "2020-09-06", "2020-09-02", "met")


def test_gwent_timeline_in_order(bundled):
    rows = timeline(bundled, Filters(force="gwent"), TODAY).rows
    assert [(r["step"], r["date"], r["date_latest"], r["status"]) for r in rows] == [
        ("fieldwork", "2019-02-01", "2019-02-28", "done"),
        ("report published", "2019-06-01", "2019-06-30", "done"),
        ("recommendations due immediately (2)", "2019-06-01", "2019-06-30", "unknown"),
        ("update on immediate recommendations due (6 weeks)", "2019-07-13", "2019-08-11",
         "unknown"),
        ("action plan due (6 weeks)", "2019-07-13", "2019-08-11", "unknown"),
        ("PCC comments on report due (56 days)", "2019-07-26", "2019-08-24", "unknown"),
        ("recommendations due within 3 months (6)", "2019-09-01", "2019-09-30", "unknown"),
        # June 2019 + 6 months is 1-30 December 2019; the review's fieldwork was January 2020
        ("revisit due (6 months)", "2019-12-01", "2019-12-30", "missed"),
        ("review fieldwork", "2020-01-01", "2020-01-31", "done"),
        ("review published", "2020-07-13", "2020-07-13", "done"),
        ("progress: 4 of 8 completed", "2020-09-02", "2020-09-02", "done"),
        ("PCC comments on review due (56 days)", "2020-09-06", "2020-09-06", "met"),
    ]


def test_timeline_as_of_an_earlier_day_shows_what_was_known(bundled):
    """The as-of day applies to evidence: the PCC's letter of 2 September 2020 was not known
    on 1 August 2020 (its deadline, 6 September, was still to come); on 15 August 2019 the
    January 2020 review, the 2020 progress statement and the letter were not known at all."""
    rows = timeline(bundled, Filters(force="gwent"), D(2020, 8, 1)).rows
    assert _steps(rows)["PCC comments on review due (56 days)"]["status"] == "pending"
    rows = timeline(bundled, Filters(force="gwent"), D(2020, 9, 3)).rows
    assert _steps(rows)["PCC comments on review due (56 days)"]["status"] == "met"
    rows = timeline(bundled, Filters(force="gwent"), D(2019, 7, 1)).rows
    assert _steps(rows)["recommendations due within 3 months (6)"]["status"] == "pending"
    early = _steps(timeline(bundled, Filters(force="gwent"), D(2019, 8, 15)).rows)
    assert not {"review fieldwork", "review published", "progress: 4 of 8 completed",
                "PCC comments on review due (56 days)"} & set(early)
    assert early["revisit due (6 months)"]["status"] == "pending"


def test_gwent_recommendations(bundled):
    rows = recommendations(bundled, Filters(force="gwent"), TODAY).rows
    assert [r["recommendation"] for r in rows] == [f"gwent-2019-r{n}" for n in range(1, 9)]
    assert [r["timescale"] for r in rows].count("immediately") == 2
    first = rows[0]
    assert (first["due"], first["due_latest"], first["status"], first["past_due"],
            first["overdue"]) == ("2019-09-01", "2019-09-30", "not recorded", True, None)
    assert first["progress"] == "4 of 8 completed by 2020-09-02"
    assert all(r["source"].startswith("p.") for r in rows)
    custody = recommendations(bundled, Filters(area="custody"), TODAY).rows
    assert [r["recommendation"] for r in custody] == ["gwent-2019-r8"]


def test_recommendation_status_from_updates(check):
    doc = ("ncpi: 1\nforces: [{id: f, name: F}]\ninspections:\n"
           "  - {id: i, force: f, kind: inspection, published: 2021-01-31}\n"
           "recommendations:\n"
           "  - {id: i-r1, inspection: i, timescale: within 1 month, summary: S,"
           " updates: [{date: 2021-02-10, status: in-progress}, {date: 2021-03-05,"
           " status: completed}]}\n"
           "  - {id: i-r2, inspection: i, timescale: immediately, summary: S}\n")
    dataset = check(doc).dataset
    rows = recommendations(dataset, as_of=D(2021, 3, 1)).rows
    # 31 Jan + 1 month = 28 Feb 2021 (not a leap year)
    assert (rows[0]["due"], rows[0]["status"], rows[0]["past_due"], rows[0]["overdue"]) == \
        ("2021-02-28", "in-progress", True, True)
    later = recommendations(dataset, as_of=D(2021, 3, 10)).rows
    assert (later[0]["status"], later[0]["overdue"]) == ("completed", False)
    assert (later[1]["due"], later[1]["status"], later[1]["overdue"]) == \
        ("2021-01-31", "not recorded", None)


def test_overdue_is_no_until_the_due_day(check):
    """Not yet due is "no", not "unknown": 31 Jan 2021 + 1 month = 28 Feb 2021; a month-only
    publication (June 2019) + 3 months is 1 to 30 September, uncertain inside the window."""
    doc = ("ncpi: 1\nforces: [{id: f, name: F}]\ninspections:\n"
           "  - {id: i, force: f, kind: inspection, published: 2021-01-31}\n"
           "  - {id: j, force: f, kind: inspection, published: 2019-06}\n"
           "recommendations:\n"
           "  - {id: i-r1, inspection: i, timescale: within 1 month, summary: S}\n"
           "  - {id: j-r1, inspection: j, timescale: within 3 months, summary: S}\n")
    dataset = check(doc).dataset

    def overdue(day):
        return [r["overdue"] for r in recommendations(dataset, as_of=day).rows]

    assert overdue(D(2019, 9, 1)) == [False, False]
    assert overdue(D(2019, 9, 15)) == [False, None]   # inside j's window: not known
    assert overdue(D(2021, 2, 28)) == [False, None]   # i due today: not yet overdue
    assert overdue(D(2021, 3, 1)) == [None, None]     # past due, no status recorded


def test_overdue_and_due_within_filters(check):
    """i-r1 due 28 Feb 2021 and in progress; i-r2 due 31 Jan 2021 and completed; j-r1 due
    30 April 2021, nothing recorded."""
    doc = ("ncpi: 1\nforces: [{id: f, name: F}]\ninspections:\n"
           "  - {id: i, force: f, kind: inspection, published: 2021-01-31}\n"
           "recommendations:\n"
           "  - {id: i-r1, inspection: i, timescale: within 1 month, summary: S,"
           " updates: [{date: 2021-02-10, status: in-progress}]}\n"
           "  - {id: i-r2, inspection: i, timescale: immediately, summary: S,"
           " updates: [{date: 2021-01-31, status: completed}]}\n"
           "  - {id: i-r3, inspection: i, timescale: within 3 months, summary: S}\n")
    dataset = check(doc).dataset
    overdue = recommendations(dataset, as_of=D(2021, 3, 1), overdue_only=True)
    assert [r["recommendation"] for r in overdue.rows] == ["i-r1"]
    reasons = {r: n for r, n in overdue.account.reasons("recommendations").items()}
    assert [(str(r), n) for r, n in reasons.items()] == [("not overdue on the as-of day", 2)]
    soon = recommendations(dataset, as_of=D(2021, 2, 20), due_within=10)
    assert [r["recommendation"] for r in soon.rows] == ["i-r1"]
    later = recommendations(dataset, as_of=D(2021, 4, 25), due_within=10)
    assert [r["recommendation"] for r in later.rows] == ["i-r3"]


def test_initial_vs_review_says_what_is_missing(bundled):
    rows = initial_vs_review(bundled, Filters(force="gwent"), TODAY).rows
    assert {r["review"] for r in rows} == {"gwent-2020-review"}
    whole = next(r for r in rows if (r["area"], r["sample"], r["assessor"]) ==
                 ("all", "all", "inspector"))
    assert (whole["initial_good"], whole["initial_not_good"], whole["review_n"]) == (20, 60,
                                                                                     None)
    assert whole["note"] == "gwent-2020-review published no grade figures for this group"
    assert whole["progress"] == "4 of 8 recommendations completed by 2020-09-02"
    (wales,) = initial_vs_review(bundled, Filters(force="south-wales"), TODAY).rows
    assert wales["initial_n"] is None and wales["review_n"] is None
    assert "no progress on the recommendations is recorded" in wales["note"]


def test_initial_vs_review_with_figures_on_both_and_different_scales(check):
    doc = ("ncpi: 1\nforces: [{id: f, name: F}]\ninspections:\n"
           "  - {id: i, force: f, kind: inspection, methodology: ncpi-2014}\n"
           "  - {id: r, force: f, kind: post-inspection-review, follows: i}\n"
           "tallies:\n"
           "  - {inspection: i, assessor: inspector, good: 2, adequate: 3, "
           "requires_improvement: 3, inadequate: 2}\n"
           "  - {inspection: r, assessor: inspector, good: 5, requires_improvement: 4, "
           "inadequate: 1}\n")
    (row,) = initial_vs_review(check(doc).dataset, as_of=TODAY).rows
    assert (row["initial_good"], row["initial_not_good"], row["review_good"],
            row["review_not_good"]) == (2, 8, 5, 5)
    assert row["initial_adequate"] is None and row["review_requires_improvement"] is None
    assert (str(row["good_diff_pp"]), str(row["not_good_diff_pp"])) == ("30.0", "-30.0")
    assert "compared on good / not good only" in row["note"]


def test_cli_commands():
    runner = CliRunner()
    result = runner.invoke(app, ["timeline", "--force", "gwent", "--as-of", "2026-11-22"])
    assert result.exit_code == 0 and "PCC comments on review due (56 days)" in result.stdout
    result = runner.invoke(app, ["recommendations", "--as-of", "2026-11-22", "--format",
                                 "json"])
    assert result.exit_code == 0
    import json

    doc = json.loads(result.stdout)
    # Gwent 2019's 8 recommendations (cases.yaml) and topics-2024.yaml's 7 causes of concern
    # (Cleveland 2025: 2, Gloucestershire 2025: 3, Lincolnshire: 2)
    assert len(doc["rows"]) == 8 + 7 and doc["manifest"]["arguments"]["as_of"] == "2026-11-22"
    assert sorted((r["inspection"], r["type"]) for r in doc["rows"]) == sorted(
        [("gwent-2019", "recommendation")] * 8 + [("cleveland-2025", "cause-of-concern")] * 2
        + [("gloucestershire-2025", "cause-of-concern")] * 3
        + [("lincolnshire-ncpi-2024", "cause-of-concern")] * 2)
    bad = runner.invoke(app, ["timeline", "--as-of", "22/11/2026"])
    assert bad.exit_code == 2
    assert bad.stderr == "Error: --as-of must be a date as YYYY-MM-DD, not '22/11/2026'\n"
    review = runner.invoke(app, ["compare", "--initial-vs-review", "--as-of", "2026-11-22"])
    assert review.exit_code == 0 and "gwent-2020-review" in review.stdout
