"""Every terminal view rendered (NO_COLOR, 120 columns) with figures from the data it shows.

Gwent 2019 (bundled) figures are from the report as cited in `src/ncpi_cli/data/cases.yaml`:
p.15 force self-assessment 27 good / 6 RI / 0 inadequate of 33, inspectors 10 / 17 / 6 of the
same 33, inspector-selected 10 / 20 / 17 of 47; pp.16-19 the practice areas.
"""

from __future__ import annotations

import io
import json
from decimal import Decimal

import pytest
from typer.testing import CliRunner

from conftest import EXAMPLE
from ncpi_cli import domain
from ncpi_cli.analysis.compare import LAYOUT as COMPARE
from ncpi_cli.analysis.compare import self_vs_inspector
from ncpi_cli.analysis.select import Filters
from ncpi_cli.cli import app
from ncpi_cli.ingest import load
from ncpi_cli.result import Account, Column, Kind, Layout, Result
from ncpi_cli.terminal import VIEWS, print_table

ENV = {"NO_COLOR": "1", "COLUMNS": "120"}
AS_OF = ["--as-of", "2026-11-22"]


def _table(*args: str, columns: int = 120) -> str:
    result = CliRunner().invoke(app, [*args, "--format", "table"],
                                env={**ENV, "COLUMNS": str(columns)})
    assert result.exit_code == 0, result.stderr
    assert "\x1b[" not in result.stdout
    return result.stdout


def _lines(text: str) -> list[str]:
    return [" ".join(line.replace("│", " ").replace("┃", " ").split())
            for line in text.splitlines()]


def test_grades_view():
    lines = _lines(_table("grades", "--force", "gwent"))
    # p.16: s46 (place of safety) 3 good, 3 RI, 0 inadequate of 6: half and half
    assert "s46 all 3 (50.0%) 3 (50.0%) 0 (0.0%) 6 ░░░░░░░░░░▓▓▓▓▓▓▓▓▓▓" in lines
    # p.15: the inspectors' 33 self-assessed cases, 10 / 17 / 6
    assert "all self-assessed 10 (30.3%) 17 (51.5%) 6 (18.2%) 33 ░░░░░░▓▓▓▓▓▓▓▓▓▓████" in lines
    assert "gwent · gwent-2019 · graded by inspector · basis published" in lines


def test_compare_view_published_ranges():
    text = _table("compare", "--self-vs-inspector")
    # p.15: force 27 good of 33 (81.8%, Wilson 65.6-91.4), inspectors 10 (30.3%, 17.4-47.3);
    # 30.3 - 81.8 = -51.5 points
    assert "│ good                 │ 27 (81.8%) [65.6-91.4] │ 10 (30.3%) [17.4-47.3] │" in text
    assert "-51.5" in text
    # the exact ranges (tests/test_bounds.py derives them); percentages of n = 33:
    # 4/33 = 12.1%, 16/33 = 48.5%, 17/33 = 51.5%, 23/33 = 69.7%, 6/33 = 18.2%
    assert "agreed: 4 to 16 of 33 (12.1% to 48.5%)" in text
    assert "force graded more favourably: 17 to 23 of 33 (51.5% to 69.7%)" in text
    assert "force graded less favourably: 0 to 6 of 33 (0.0% to 18.2%)" in text


def test_compare_view_case_statistics():
    text = _table("compare", "--self-vs-inspector", "--data", str(EXAMPLE), "--inspection",
                  "exampleshire-2015")
    # the example's 2015 cases: the diagonal of the force x inspector table holds 20 of 33
    # (60.6%); 12 above it, 1 below (tests/test_compare.py checks these against pandas)
    assert "agreed: 20 (60.6%, 95% CI 43.7-75.3%)" in text
    assert "force graded more favourably: 12 (36.4%); less favourably: 1 (3.0%)" in text
    # sign test: 2 * P(X <= 1), X ~ Binomial(13, 1/2) = 2 * 14 / 8192 = 0.003418
    assert "sign test p = 0.003418" in text
    assert "kappa: 0.471" in text and "symmetry (Bowker): 10.333, df 3" in text



def test_compare_by_area_is_one_row_per_area_within_80_columns():
    """Counted here straight from the example's case records (no analysis code): for each area
    of exampleshire-2021, the self-assessed cases and those where both grades are the same."""
    dataset = load([EXAMPLE]).dataset
    cases = [c for c in dataset.cases
             if c.inspection == "exampleshire-2021" and c.sample == "self-assessed"]
    text = _table("compare", "--self-vs-inspector", "--by", "area", "--data", str(EXAMPLE),
                  "--inspection", "exampleshire-2021", columns=80)
    lines = _lines(text)
    assert all(len(line) <= 80 for line in text.splitlines())
    for area in dict.fromkeys(c.area for c in cases):
        mine = [c for c in cases if c.area == area]
        agree = sum(c.force_grade == c.inspector_grade for c in mine)
        star = "*" if len(mine) < 10 else ""
        assert any(line.startswith(f"{area} {len(mine)}{star} {agree} (")
                   for line in lines), area
    agreed = sum(c.force_grade == c.inspector_grade for c in cases)
    assert any(line.startswith(f"all 33 {agreed} (") for line in lines)
    assert "Wilson" not in text
    assert "over / under: cases the force graded more / less favourably" in " ".join(lines)
    detail = _table("compare", "--self-vs-inspector", "--by", "area", "--data", str(EXAMPLE),
                    "--inspection", "exampleshire-2021", "--detail", columns=80)
    assert detail.count("[95% Wilson interval]") == 9

def test_cross_table_view():
    text = _table("compare", "--self-vs-inspector", "--table", "--data", str(EXAMPLE),
                  "--inspection", "exampleshire-2021")
    lines = _lines(text)
    # the example's 2021 table; rows add up to the force's 12 / 12 / 9 of 33
    assert "good 5 7 0 12" in lines
    assert "requires improvement 2 6 4 12" in lines
    assert "inadequate 0 1 8 9" in lines


def test_samples_view():
    text = _table("compare", "--samples")
    # p.15: self-assessed 10 / 17 / 6 of 33 against inspector-selected 10 / 20 / 17 of 47
    assert "self-assessed (n = 33)" in text and "inspector-selected (n = 47)" in text
    assert "10 (30.3%)" in text and "17 (36.2%)" in text
    # README: both p-values exact; scipy checks them in tests/test_samples.py
    assert "Fisher-Freeman-Halton p = 0.2041 (exact)" in text


def test_reconcile_view():
    lines = _lines(_table("reconcile", "--force", "gwent"))
    # p.15: the stated totals 33, 33 and 47 each equal the sum of their counts
    assert sum(line.startswith("stated total gwent-2019") for line in lines) == 3
    assert any(line.endswith("33 33 pass") for line in lines)
    # All the bundled data: exit 4 after the view is shown, the failures being the seven
    # disputes national.yaml records, one "sources agree" row each (tests/test_reconcile.py)
    everything = CliRunner().invoke(app, ["reconcile", "--format", "table"], env=ENV)
    assert everything.exit_code == 4
    lines = _lines(everything.stdout)
    assert lines.count("check sources agree") == lines.count("status fail") == 7
    assert "inspection devon-and-cornwall-2015" in lines


def test_recommendations_view():
    text = _table("recommendations", *AS_OF, columns=400)
    lines = _lines(text)
    # r2 "immediately" after publication in June 2019: due within June, past by 2026; the
    # summary as bundled (report p.30), shown in the table
    assert ("gwent-2019-r2 recommendation immediately 2019-06-01 to 2019-06-30 not recorded "
            "yes unknown Review with children's social care and other agencies"
            ) in " ".join(lines)
    assert "aggregate progress: 4 of 8 completed by 2020-09-02" in text
    # a cause of concern (data/topics-2024.yaml, Cleveland 2025) has no timescale: no due date
    assert ("cleveland-2025-coc1 cause of concern none set not recorded unknown unknown "
            "How the force responds when children go missing.") in " ".join(lines)


def test_timeline_view():
    lines = _lines(_table("timeline", "--force", "gwent", *AS_OF))
    # README: the revisit was due by 30 December 2019 and the review's fieldwork was in
    # January 2020; the PCC answered the review (published 13 July 2020) on 2 September
    assert "2019-12-01 to 2019-12-30 gwent-2019 revisit due (6 months) 2020-01-01 to 2020-01-31 " \
           "missed" in lines
    assert any(line.startswith("2020-09-06 gwent-2020-review PCC comments on review due")
               and line.endswith("2020-09-02 met") for line in lines)


def _rows(text: str) -> str:
    """The text with table borders and line breaks gone: a title or note that wrapped reads
    as one line again."""
    rules = set("┏┳┓┡╇┩└┴┘━─ ")
    return " ".join(line for line in _lines(text) if line and not set(line) <= rules)


def json_rows(*args: str) -> list[dict]:
    """The rows the command gives as JSON: what the view shows, as figures."""
    result = CliRunner().invoke(app, [*args, "--format", "json"])
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout)["rows"]


def test_review_view():
    text = _table("compare", "--initial-vs-review", "--force", "gwent", *AS_OF)
    joined = _rows(text)
    # p.16: s46 3 good / 3 RI / 0 inadequate of 6 (3/6 = 50.0%; not good 3 + 0 = 3). The 2020
    # review published no grade figures: its column shows "-", with no change and no interval.
    assert ("gwent-2019 against gwent-2020-review · area s46 · sample all "
            "grade initial review change (pp) 95% CI "
            "good 3 (50.0%) - requires improvement 3 (50.0%) - inadequate 0 (0.0%) - "
            "not good 3 (50.0%) - n: 6 before, not stated after;") in joined
    # one table per Gwent 2019 tally (cases.yaml: the eight areas, all areas, the two samples
    # and the force's self-assessment), each saying the review published nothing for it
    assert text.count("note: gwent-2020-review published no grade figures for this group") == 12
    assert "gwent-2019: 4 of 8 recommendations completed by 2020-09-02" in text
    assert "+" not in joined and " to " not in joined  # no change, no interval
    # A pair with figures (national.yaml, HMICFRS): North Yorkshire 2022, 13 good / 34 RI /
    # 26 inadequate of 73; its 2023 review 11 / 8 / 14 of 33. 13/73 = 17.8%, 11/33 = 33.3%,
    # change +15.5 points with Newcombe's interval -1.5 to 34.0 (tests/test_review.py derives
    # both); not good is 60/73 = 82.2% against 22/33 = 66.7%, the same change negated.
    lines = _lines(_table("compare", "--initial-vs-review", "--force", "north-yorkshire",
                          *AS_OF, columns=80))
    assert "north-yorkshire-2022 against north-yorkshire-2023-review" in lines
    assert "good 13 (17.8%) 11 (33.3%) +15.5 -1.5 to 34.0" in lines
    assert "not good 60 (82.2%) 22 (66.7%) -15.5 -34.0 to 1.5" in lines
    assert ("n: 73 before, 33 after; count (% of n); change: review % minus initial %"
            in lines)


def test_national_view():
    text = _table("national", columns=80)
    assert all(len(line) <= 80 for line in text.splitlines())
    joined, lines = _rows(text), _lines(text)
    # The ten 2017-method inspections with an inadequate count (national.yaml; Gwent from
    # cases.yaml, p.15: 6 + 17 = 23 of 33 + 47 = 80, 28.8%). Pooled: 271 of 778 = 34.8%
    # (22+28+23+30+25+26+33+21+35+28 of 69+79+80+79+81+73+101+72+70+74).
    assert "inspections, ncpi-2017 · inadequate" in lines
    assert "pooled 34.8% over 10 reports; overdispersion phi 0.440 (p = 0.8833)" in joined
    assert "gwent 2019-06 80 23 (28.8%) within 95%" in lines
    # phi 0.440 is below 1: the ten scatter less than chance, so nothing is widened
    assert "overdispersion phi 0.440 (p = 0.8833), not above 1: no adjusted limits" in joined
    # Thames Valley 2023, 35 of 70 (50.0%): above the 97.5% quantile of Binomial(70, 271/778)
    # (32), below its 99.9% quantile (37): outside the 95% limits, inside the 99.8% ones.
    assert "thames-valley 2023-11 70 35 (50.0%) above 95%" in lines
    # the 2024 methodology grades topics, not cases: its reports are on no funnel
    for inspection in ("cleveland-2025", "gloucestershire-2025", "greater-manchester-2024",
                       "west-midlands-2025"):
        assert (f"{inspection} graded by topic (2024 methodology), no case figures "
                "published: its topic judgments give its grades") in joined
    # the reports with neither figures nor anything stated are counted, not listed
    rows = json_rows("national")
    blank = sum(r["note"] == "no published case figures found" for r in rows)
    assert f"{blank} more reports publish no case figures" in joined


def test_national_view_takes_each_forces_latest_report_of_each_methodology():
    """By default `national` shows the latest report of each kind per force and methodology
    (figures of different methodologies are not comparable): South Wales's 2015 inspection
    and its undated 2024-methodology one both show; Lincolnshire's 2019 inspection and its
    2024-methodology one both show (data/national.yaml, data/topics-2024.yaml)."""
    shown = {r["inspection"] for r in json_rows("national")}
    assert {"south-wales-ncpi-2024", "lincolnshire-ncpi-2024", "south-wales-2015",
            "lincolnshire-2019"} <= shown
    every = {r["inspection"] for r in json_rows("national", "--every")}
    # Metropolitan's 2017 quarterly updates: only the latest (q4) by default
    assert "metropolitan-2017-q3" in every and "metropolitan-2017-q3" not in shown


def test_judgments_view():
    text = _table("judgments", columns=80)
    assert all(len(line) <= 80 for line in text.splitlines())
    lines, joined = _lines(text), _rows(text)
    # data/topics-2024.yaml, topics in the order lead, partn, resp, risk, invest, then the
    # causes of concern recorded. Cleveland (15 January 2025): only its two inadequate topics
    # are named (responding, investigation); the other three share 1 adequate and 2 requires
    # improvement (1 + 2 + 2 = 5 topics). South Wales: 3 good and 2 adequate, none named.
    assert "cleveland 2025-01 ? ? I ? I 2" in lines
    assert "gloucestershire 2025-05 I A I RI I 3" in lines
    assert "greater-manchester 2024-12 G G A A A 0" in lines
    assert "lincolnshire ? 2" in lines  # no graded report found: no topic, 2 causes
    assert "south-wales ? ? ? ? ? ? 0" in lines
    assert "west-midlands 2025-11 A G RI RI RI 0" in lines
    assert ("cleveland-2025: the topics marked ? share 1 adequate, 2 requires improvement"
            in joined)
    assert "south-wales-ncpi-2024: the topics marked ? share 3 good, 2 adequate" in joined
    assert ("gloucestershire-2025: causes of concern: Leadership and governance of child "
            "protection;") in joined
    # --by topic: each topic was graded adequate by exactly one report (leadership West
    # Midlands, partnership Gloucestershire, the other three Greater Manchester); six 2024
    # inspections in all. Leadership: good GM, inadequate Gloucestershire, unnamed at
    # Cleveland and South Wales.
    text = _table("judgments", "--by", "topic", columns=80)
    assert all(len(line) <= 80 for line in text.splitlines())
    joined = _rows(text)
    assert "Topic judgments by topic (2024 methodology)" in joined
    assert "leadership of 1 1 0 1 2 6" in joined  # the label wraps; the figures stay whole


def test_every_view_is_exercised():
    """The tests above cover every bespoke view; a new one needs a test here."""
    assert set(VIEWS) == {"grades", "compare", "compare-table", "compare-samples", "reconcile",
                          "recommendations", "timeline", "compare-review", "national",
                          "judgments", "judgments-topics", "compare-cases"}


def _render(result: Result, monkeypatch) -> str:
    monkeypatch.setenv("COLUMNS", "120")
    monkeypatch.setenv("NO_COLOR", "1")
    out = io.StringIO()
    print_table(result, out)
    return out.getvalue()


def test_a_result_without_a_bespoke_view_gets_the_generic_table(monkeypatch):
    layout = Layout("national-picture", (
        Column("force", Kind.TEXT, "ids"), Column("<grade>", Kind.COUNT, "counts"),
        Column("<grade>_pct", Kind.PCT, "percentages"), Column("small_sample", Kind.FLAG, "")))
    rows = [{"force": "gwent", "good": 20, "inadequate": 23, "good_pct": Decimal("25.0"),
             "inadequate_pct": Decimal("28.8"), "small_sample": False}]
    text = _render(Result(layout, ("good", "inadequate"), rows, Account()), monkeypatch)
    lines = _lines(text)
    assert "national-picture" in lines
    assert "force good inadequate good_pct inadequate_pct small_sample" in lines
    assert "gwent 20 23 25.0 28.8 false" in lines


def test_a_new_statistic_gets_a_line_in_the_compare_view(monkeypatch):
    """A statistic added to the registry is shown without touching the view."""
    result = self_vs_inspector(load([EXAMPLE]).dataset, Filters(inspection="exampleshire-2015"))
    extra = Column("gwet_ac1", Kind.STATISTIC, "Gwet's AC1")
    result.layout = Layout("compare", (*COMPARE.entries, extra), COMPARE.json_only,
                           COMPARE.view_only)
    result.rows[0]["gwet_ac1"] = Decimal("0.512")
    assert "  gwet_ac1: 0.512" in _render(result, monkeypatch).splitlines()


@pytest.mark.parametrize("args", [["grades"], ["compare", "--samples"], ["national"],
                                  ["judgments"]])
def test_views_fit_the_width(args):
    widest = max(len(line) for line in _table(*args).splitlines())
    assert widest <= 120


def _national(tmp_path) -> str:
    """A SYNTHETIC national-size file: 12 forces with long ids, each an inspection with
    case records in four areas and a review."""
    lines = ["ncpi: 1", "forces:"]
    lines += [f"  - {{id: synthetic-constabulary-{f:02d}, name: Synthetic {f:02d}}}"
              for f in range(12)]
    lines.append("inspections:")
    for f in range(12):
        force = f"synthetic-constabulary-{f:02d}"
        lines.append(f"  - {{id: {force}-2019, force: {force}, kind: inspection, "
                     "published: 2019-06}")
        lines.append(f"  - {{id: {force}-2020-review, force: {force}, kind: "
                     f"post-inspection-review, follows: {force}-2019, published: 2020-07-13}}")
    lines.append("cases:")
    grades = ["good", "requires improvement", "inadequate"]
    for f in range(12):
        for n in range(24):
            sample = "self-assessed" if n % 2 else "inspector-selected"
            force_grade = f", force_grade: {grades[n % 2]}" if n % 2 else ""
            lines.append(f"  - {{id: SYN-{f:02d}-{n:03d}, inspection: synthetic-constabulary-"
                         f"{f:02d}-2019, area: {['s47', 'cse', 'custody', 'missing'][n % 4]}, "
                         f"sample: {sample}{force_grade}, inspector_grade: {grades[n % 3]}}}")
    path = tmp_path / "national.yaml"
    path.write_text("\n".join(lines) + "\n")
    return str(path)


@pytest.mark.parametrize("columns", [80, 120])
def test_no_figure_or_id_is_ever_cut(tmp_path, columns):
    """Every view, on the bundled data, the example and a national-size file: no line wider
    than the terminal and no `…` (rich's mark of a cut) anywhere."""
    national = _national(tmp_path)
    runs = [[], ["--data", str(EXAMPLE)], ["--data", national]]
    commands = [["grades"], ["grades", "--assessor", "force"],
                ["compare", "--self-vs-inspector"], ["compare", "--self-vs-inspector", "--table"],
                ["compare", "--self-vs-inspector", "--list-cases", "disagree"],
                ["compare", "--self-vs-inspector", "--by", "area"],
                ["compare", "--self-vs-inspector", "--by", "area", "--detail"],
                ["compare", "--samples"],
                ["compare", "--initial-vs-review", *AS_OF], ["reconcile"],
                ["recommendations", *AS_OF], ["timeline", *AS_OF], ["list", "forces"],
                ["list", "inspections"], ["list", "areas"], ["national"],
                ["national", "--every"], ["national", "--grade", "not-good",
                                          "--collapse-scales"],
                ["judgments"], ["judgments", "--by", "topic"]]
    for data in runs:
        for command in commands:
            result = CliRunner().invoke(app, [*command, *data, "--format", "table"],
                                        env={**ENV, "COLUMNS": str(columns)})
            assert result.exit_code in (0, 4), (command, data, result.stderr)
            for line in result.stdout.splitlines():
                assert "…" not in line, (command, data, line)
                assert len(line) <= columns, (command, data, len(line), line)


def test_case_list_view_gives_each_case_its_line_and_grades_in_words():
    """Counted here from the example's records: the self-assessed cases of exampleshire-2021
    whose two grades differ, each with the line of its record."""
    dataset = load([EXAMPLE]).dataset
    differ = [c for c in dataset.cases if c.inspection == "exampleshire-2021"
              and c.sample == "self-assessed" and c.force_grade != c.inspector_grade]
    text = _table("compare", "--self-vs-inspector", "--list-cases", "disagree", "--data",
                  str(EXAMPLE), "--inspection", "exampleshire-2021", columns=80)
    assert all(len(line) <= 80 for line in text.splitlines())
    lines = _lines(text)
    assert EXAMPLE.name in text  # one file: named in the title, each case by its line
    for case in differ:
        row = next(line for line in lines if line.startswith(f"{case.id} "))
        assert row.endswith(f" {case.origin.line}")
        assert domain.GRADE_LABELS[case.force_grade].split()[0] in row
    assert "requires_improvement" not in text
