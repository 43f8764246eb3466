"""The HTML report: self-contained, correct figures, and checked in a real browser."""

from __future__ import annotations

import datetime as dt
import re
import shutil
import struct
import zlib
from pathlib import Path

import pytest
from typer.testing import CliRunner

from conftest import EXAMPLE
from ncpi_cli.analysis.overview import force_overview
from ncpi_cli.charts import DIGIT, LINE, place_labels, split_cells, text_bar
from ncpi_cli.cli import app
from ncpi_cli.errors import SelectionError
from ncpi_cli.ingest import load
from ncpi_cli.report import build as render

AS_OF = dt.date(2026, 11, 22)


def build(dataset, force, inspection=None, as_of=AS_OF) -> str:
    """The report as `ncpi report` makes it: the library's results, then the HTML."""
    return render(dataset, force_overview(dataset, force, inspection, as_of), as_of)


@pytest.fixture(scope="module")
def gwent_html() -> str:
    return build(load().dataset, "gwent", as_of=AS_OF)


@pytest.fixture(scope="module")
def national_html() -> str:
    from ncpi_cli.analysis.overview import national_overview
    from ncpi_cli.report import build_national

    dataset = load().dataset
    return build_national(dataset, national_overview(dataset, as_of=AS_OF), AS_OF)


def test_national_report_funnels_dumbbell_and_every_report(national_html):
    # Figures as bundled (data/national.yaml, each with its source): Thames Valley 2023,
    # 35 inadequate of 70 (50.0%), above the 95% limit of the ten 2017-scale inspections;
    # North Yorkshire 26 of 73 (35.6%) at its inspection, 14 of 33 (42.4%) at its review.
    assert "<script" not in national_html
    assert len(re.findall(r"<svg [^>]*role=\"img\"", national_html)) == 3
    assert "inspections, ncpi-2017: inadequate" in national_html
    assert "Thames Valley Police (2023-11-08): 50% of 70" in national_html  # its point
    assert "35 (50.0%)" in national_html and "above 95%" in national_html
    assert "North Yorkshire Police (2023-05)" in national_html
    assert "26 (35.6%)" in national_html and "14 (42.4%)" in national_html
    assert "in-harms-way-2015" in national_html  # every report is listed, the thematic too
    assert "Overdispersion phi = 0.440" in national_html
    # the 2024 methodology: Cleveland's grades published only as counts stay unnamed
    assert "Topic judgments (2024 methodology)" in national_html
    assert "<td>1 adequate, 2 requires improvement</td>" in national_html


def test_a_force_report_compares_its_review(tmp_path):
    html = build(load().dataset, "north-yorkshire")
    assert "north-yorkshire-2022 against north-yorkshire-2023-review: n = 73 and 33" in html
    assert "+15.5" in html and "-1.5 to 34.0" in html  # good: 17.8% then 33.3%


def test_report_is_self_contained(gwent_html):
    """No scripts, no external resources: nothing to fetch when opened offline."""
    assert "<script" not in gwent_html
    assert not re.search(r"""(src|href)\s*=\s*["'](?!#)""", gwent_html)
    assert "@import" not in gwent_html and "url(http" not in gwent_html
    assert "@page { size: A4" in gwent_html


def test_report_shows_the_published_figures(gwent_html):
    # p.15 and p.16-19 figures, as counts on the bars and in the tables
    assert "27 (81.8%)" in gwent_html and "10 (30.3%)" in gwent_html
    assert "n = 80" in gwent_html and "n = 47" in gwent_html
    # the pairing ranges are drawn as ranges, labelled with their ends
    assert ">4–16<" in gwent_html and ">17–23<" in gwent_html and ">0–6<" in gwent_html
    assert "Fisher–Freeman–Halton p = 0.2041 (exact)" in gwent_html
    assert len(re.findall(r"<tr><td>r[0-9]+</td>", gwent_html)) == 8  # eight recommendations
    assert "✓ met" in gwent_html and "✗ missed" in gwent_html
    assert "sha256" in gwent_html


def test_every_chart_has_a_text_alternative(gwent_html):
    charts = re.findall(r"<svg [^>]*role=\"img\"[^>]*>", gwent_html)
    assert len(charts) == 4
    for chart in charts:
        ids = re.search(r'aria-labelledby="([^"]+)"', chart)[1].split()
        for ident in ids:
            assert f'id="{ident}"' in gwent_html
    assert len(set(re.findall(r'id="([^"]+)"', gwent_html))) == \
        len(re.findall(r'id="([^"]+)"', gwent_html))  # ids unique


def test_report_with_case_records_and_unknown_force():
    dataset = load([EXAMPLE]).dataset
    html = build(dataset, "exampleshire", "exampleshire-2015", AS_OF)
    assert "Agreement on 20 of 33 cases (60.6%)" in html
    with pytest.raises(SelectionError, match="unknown force 'nowhere'"):
        build(dataset, "nowhere")


def test_report_output_is_deterministic(tmp_path):
    runner = CliRunner()
    a, b = tmp_path / "a.html", tmp_path / "b.html"
    for path in (a, b):
        result = runner.invoke(app, ["report", "--force", "gwent", "-o", str(path),
                                     "--as-of", "2026-11-22"])
        assert result.exit_code == 0, result.stderr
    assert a.read_bytes() == b.read_bytes()


def test_terminal_bars():
    assert split_cells([3, 3, 0], 20) == [10, 10, 0]
    assert split_cells([1, 1, 1], 20) == [7, 7, 6]
    assert sum(split_cells([20, 37, 23], 20)) == 20
    assert "".join(t for t, _ in text_bar({"good": 10, "requires_improvement": 17,
                                           "inadequate": 6},
                                          ["good", "requires_improvement", "inadequate"])) \
        == "░" * 6 + "▓" * 10 + "█" * 4


def _png_ink(path: Path) -> float:
    """Share of non-white bytes in a PNG's pixel data (RGB or RGBA, 8-bit)."""
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    pos, raw = 8, b""
    while pos < len(data):
        length, kind = struct.unpack(">I4s", data[pos:pos + 8])
        if kind == b"IDAT":
            raw += data[pos + 8:pos + 8 + length]
        pos += 12 + length
    pixels = zlib.decompress(raw)
    return sum(1 for b in pixels[::97] if b < 240) / len(pixels[::97])


CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")


@pytest.mark.skipif(CHROMIUM is None, reason="Chromium is not installed (Debian package "
                    "'chromium'); .ci/run installs it so that CI runs this test")
def test_report_in_a_real_browser_with_the_network_blocked(tmp_path, gwent_html):
    _in_a_browser(tmp_path, gwent_html, 4)


@pytest.mark.skipif(CHROMIUM is None, reason="Chromium is not installed (Debian package "
                    "'chromium'); .ci/run installs it so that CI runs this test")
def test_national_report_in_a_real_browser(tmp_path, national_html):
    _in_a_browser(tmp_path, national_html, 3, most_pages=30)


def _in_a_browser(tmp_path, html: str, charts: int, most_pages: int = 12) -> None:
    sync_api = pytest.importorskip("playwright.sync_api",
                                   reason="playwright (test extra) is not installed")
    gwent_html = html
    page_path = tmp_path / "report.html"
    page_path.write_text(gwent_html, encoding="utf-8")
    requests, errors = [], []
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=[
            "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
            "--disable-background-networking", "--disable-component-update", "--disable-sync"])
        try:
            page = browser.new_page(viewport={"width": 1000, "height": 1400})
            page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
            page.on("pageerror", lambda e: errors.append(str(e)))

            def block(route):
                requests.append(route.request.url)
                if route.request.url == page_path.as_uri():
                    route.continue_()
                else:
                    route.abort()

            page.route("**/*", block)
            page.goto(page_path.as_uri())
            screenshot = tmp_path / "gwent.png"
            page.screenshot(path=str(screenshot), full_page=True)
            pdf = page.pdf(format="A4")
            svgs = page.locator("svg[role=img]").count()
        finally:
            browser.close()
    assert requests == [page_path.as_uri()]
    assert errors == []
    assert svgs == charts
    assert _png_ink(screenshot) > 0.02
    assert pdf.startswith(b"%PDF") and len(pdf) > 10_000
    _check_printed(pdf, gwent_html, most_pages)


def _check_printed(pdf: bytes, html: str, most_pages: int = 12) -> None:
    """The printed A4 report: a sensible number of pages, and no page that ends on a
    heading (a heading left alone at the foot of a page, its content on the next)."""
    import io

    pypdf = pytest.importorskip("pypdf", reason="pypdf (test extra) is not installed")
    pages = pypdf.PdfReader(io.BytesIO(pdf)).pages
    assert 2 <= len(pages) <= most_pages, len(pages)
    headings = {re.sub(r"<[^>]+>", "", h).strip()
                for h in re.findall(r"<h[23][^>]*>(.*?)</h[23]>", html)}
    for number, page in enumerate(pages[:-1], start=1):
        lines = [line.strip() for line in page.extract_text().splitlines() if line.strip()]
        assert lines and lines[-1] not in headings, (number, lines[-3:])


def test_agreement_interval_is_drawn_in_cases_from_the_exact_interval():
    """The chart's interval in cases comes from the exact Wilson interval, not from the
    rounded percentages turned back into cases (75.3% of 33 would give 24.8)."""
    from statsmodels.stats.proportion import proportion_confint

    html = build(load([EXAMPLE]).dataset, "exampleshire", "exampleshire-2015", AS_OF)
    low, high = proportion_confint(20, 33, method="wilson")  # 20 of 33 agreed (2015 cases)
    assert (round(33 * low, 1), round(33 * high, 1)) == (14.4, 24.9)
    assert "20 (95% CI 14.4–24.9)" in html


def test_a_report_a_board_paper_can_use(gwent_html):
    """Both statutory responses at a glance (the PCC's comments on the June 2019 report are
    not recorded; its letter of 2 September 2020 on the review met the 6 September deadline);
    practice areas by name; round axis ticks (33 self-assessed cases: 0, 10, 20, 30); dates
    kept on one line; headings kept with what follows when printed."""
    assert "PCC response to the report<b>? unknown</b>" in gwent_html
    assert "PCC response to the review<b>✓ met (2020-09-02)</b>" in gwent_html
    assert "<td>enquiries under Children Act 1989 s47</td>" in gwent_html
    assert re.findall(r'class="tick">(\d+)</text>', gwent_html) == ["0", "10", "20", "30"]
    assert '<td class="date">2019-09-01 to 2019-09-30</td>' in gwent_html
    assert "h2, h3 { break-after: avoid;" in gwent_html
    assert "no case-level pairing is inferred" in gwent_html


def test_a_case_level_report_does_not_speak_of_published_totals():
    html = build(load([EXAMPLE]).dataset, "exampleshire")
    assert "no case-level pairing is inferred" not in html


def test_the_report_has_a_review_section(gwent_html):
    """Gwent's review (January 2020 fieldwork, news release 13 July 2020) published no case
    figures; the PCC's letter of 2 September 2020 was within the 56 days."""
    section = gwent_html[gwent_html.index("<h2>Post-inspection review</h2>"):]
    assert ('<td>gwent-2020-review</td><td class="date">2020-01</td>'
            '<td class="date">2020-07-13</td><td>none published</td>'
            "<td>✓ met (2020-09-02)</td>") in section


def test_case_level_comparison_shows_the_coefficient_panel():
    """exampleshire-2021's table [[5, 7, 0], [2, 6, 4], [0, 1, 8]]: AC1 0.366 (0.3665 by
    irrCAC 0.4.4, run at development), Brennan-Prediger (19/33 - 1/3) / (2/3) = 0.364."""
    from ncpi_cli.analysis.compare import self_vs_inspector
    from ncpi_cli.analysis.select import Filters

    dataset = load([EXAMPLE]).dataset
    html = build(dataset, "exampleshire", "exampleshire-2021")
    (row,) = self_vs_inspector(dataset, Filters(inspection="exampleshire-2021")).rows
    assert (str(row["ac1"]), str(row["bp"])) == ("0.366", "0.364")
    assert "Agreement beyond chance" in html
    assert (f'<th scope="row">Gwet&#x27;s AC1</th><td class="num">0.366</td>'
            f'<td class="num">{row["ac1_ci_low"]} to {row["ac1_ci_high"]}</td>') in html
    assert '<th scope="row">Brennan-Prediger</th><td class="num">0.364</td>' in html
    # the weights in grade order: linear 1 - |i - j| / 2 on three grades
    assert ('<tr><th scope="row">good</th><td class="num">1</td><td class="num">0.5</td>'
            '<td class="num">0</td></tr>') in html


def test_report_compares_area_by_area():
    """Each area's n and agreement, counted here from the example's case records."""
    from ncpi_cli import domain

    dataset = load([EXAMPLE]).dataset
    html = build(dataset, "exampleshire", "exampleshire-2021")
    assert "<h4>Self-assessed cases by practice area</h4>" in html
    cases = [c for c in dataset.cases
             if c.inspection == "exampleshire-2021" and c.sample == "self-assessed"]
    for area in dict.fromkeys(c.area for c in cases):
        mine = [c for c in cases if c.area == area]
        agree = sum(c.force_grade == c.inspector_grade for c in mine)
        star = "*" if len(mine) < 10 else ""
        assert (f'<td>{domain.AREAS[area]}</td><td class="n">{len(mine)}{star}</td>'
                f'<td class="n">{agree} (') in html, area


def test_funnel_labels_beside_clustered_points_cover_no_point_and_no_label():
    """Five reports of about the same n and share (as the 2017-scale inspections cluster):
    every number gets a place of its own; a lone point keeps the usual place."""
    spots = [(300.0, 200.0), (304.0, 203.0), (299.0, 207.0), (308.0, 198.0), (302.0, 196.0)]
    texts = ["1", "2", "3", "4", "10"]
    boxes = [(x, y - LINE, x + DIGIT * len(t), y) for (x, y), t in
             zip(place_labels(spots, texts), texts)]
    dots = [(x - 4, y - 4, x + 4, y + 4) for x, y in spots]

    def overlaps(a, b):
        return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]

    for i, box in enumerate(boxes):
        assert not any(overlaps(box, other) for other in boxes[:i] + boxes[i + 1:] + dots)
    assert place_labels([(100.0, 100.0)], ["7"]) == [(106.0, 95.0)]
