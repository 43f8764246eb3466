"""`--format xlsx`: a workbook read back by openpyxl (a second reader, not the writer):
typed cells, formats, frozen and filtered header, the manifest sheet, text never a formula."""

from __future__ import annotations

import io

import openpyxl
from typer.testing import CliRunner

from conftest import PREAMBLE
from ncpi_cli.cli import app


def _run(*args: str):
    return CliRunner().invoke(app, list(args))


def test_grades_as_a_workbook(tmp_path):
    out = tmp_path / "gwent.xlsx"
    result = _run("grades", "--force", "gwent", "-o", str(out))
    assert result.exit_code == 0, result.stderr
    book = openpyxl.load_workbook(out)
    assert book.sheetnames == ["rows", "manifest"]
    rows = book["rows"]
    header = [c.value for c in rows[1]]
    assert rows.freeze_panes == "A2" and rows.auto_filter.ref.startswith("A1:")
    record = {h: c for h, c in zip(header, rows[3])}
    # Gwent 2019, s47 (report p.16): 4 good, 4 requires improvement, 2 inadequate of 10
    assert record["area"].value == "s47" and record["area"].data_type == "s"
    assert (record["good"].value, record["total"].value) == (4, 10)
    # 4 of 10 = 40.0%, stored 0-100 as in CSV (its interval 16.8-68.7 on the same scale)
    assert record["good_pct"].value == 40 and record["good_pct"].number_format == '0.0"%"'
    assert (record["good_ci_low"].value, record["good_ci_high"].value) == (16.8, 68.7)
    assert record["small_sample"].value is False
    manifest = {r[0].value: r[1].value for r in book["manifest"].iter_rows(min_row=2)}
    assert manifest["command"] == "grades" and manifest["output.rows"] == 11


def test_text_is_never_a_formula(tmp_path, write):
    data = write(PREAMBLE + "tallies:\n  - {inspection: t-2019, assessor: inspector, good: 1, "
                            "source: '=HYPERLINK(\"http://x\")'}\n")
    out = tmp_path / "t.xlsx"
    assert _run("grades", "--data", str(data), "--format", "xlsx", "-o", str(out)).exit_code == 0
    rows = openpyxl.load_workbook(out)["rows"]
    header = [c.value for c in rows[1]]
    cell = rows[2][header.index("source")]
    assert (cell.value, cell.data_type) == ('=HYPERLINK("http://x")', "s")


def test_every_analysis_writes_a_workbook(tmp_path):
    for args in (["compare", "--self-vs-inspector"], ["compare", "--samples"],
                 ["reconcile", "--force", "gwent"],
                 ["recommendations", "--as-of", "2026-11-24"],
                 ["timeline", "--as-of", "2026-11-24"]):
        out = tmp_path / f"{args[-1]}.xlsx"
        result = _run(*args, "-o", str(out))
        assert result.exit_code == 0, (args, result.stderr)
        assert openpyxl.load_workbook(out)["rows"].max_row > 1
    # reconcile over all the bundled data exits 4 (the seven disputes national.yaml records,
    # one failed "sources agree" check each), and its workbook is written all the same
    out = tmp_path / "everything.xlsx"
    result = _run("reconcile", "-o", str(out))
    assert result.exit_code == 4
    rows = openpyxl.load_workbook(out)["rows"]
    header = [c.value for c in rows[1]]
    failed = [r[header.index("check")].value for r in rows.iter_rows(min_row=2)
              if r[header.index("status")].value == "fail"]
    assert failed == ["sources agree"] * 7


def test_a_workbook_is_not_sent_to_a_terminal_and_a_table_not_to_a_file(tmp_path):
    piped = _run("grades", "--format", "xlsx")
    assert piped.exit_code == 0 and openpyxl.load_workbook(io.BytesIO(piped.stdout_bytes))
    table = _run("grades", "--format", "table", "-o", str(tmp_path / "g.txt"))
    assert table.exit_code == 2
    assert table.stderr == "Error: -o writes a file: choose --format csv, json or xlsx\n"


def test_the_same_run_writes_the_same_bytes(tmp_path):
    out = tmp_path / "g.xlsx"
    _run("grades", "-o", str(out))
    first = out.read_bytes()
    _run("grades", "-o", str(out))
    assert out.read_bytes() == first
