"""Case tables (CSV, XLSX, ODS) read by the same case rule as YAML. Every workbook here is
written at test time by XlsxWriter from SYNTHETIC rows (no real case), and each expected
figure is read off the rows written."""

from __future__ import annotations

import codecs
import datetime as dt

import pytest
import xlsxwriter

from ncpi_cli import domain
from ncpi_cli.ingest import TableOptions, load

HEAD = ["Case ref", "Inspection", "Practice area", "Sample", "Force grade", "Inspector grade"]
ROWS = [["EX-0001", "gwent-2019", "S47", "Self-assessed", "Good", "Requires Improvement"],
        ["EX-0002", "gwent-2019", "Domestic Abuse", "Inspector selected", "", "RI"],
        ["EX-0003", "gwent-2019", "Sex offender management", "self assessed", "Good", "good"]]
#: ROWS as the case rule reads them: id, area, sample, force grade, inspector grade
CASES = [("EX-0001", "s47", "self-assessed", "good", "requires_improvement"),
         ("EX-0002", "domestic-abuse", "inspector-selected", None, "requires_improvement"),
         ("EX-0003", "rso", "self-assessed", "good", "good")]


def _cases(result):
    return [(c.id, c.area, c.sample, c.force_grade, c.inspector_grade)
            for c in result.dataset.cases if c.id.startswith("EX-")]


def _csv(path, lines, encoding="utf-8", delimiter=","):
    path.write_bytes(("\r\n".join(delimiter.join(cells) for cells in lines) + "\r\n")
                     .encode(encoding))
    return path


def _workbook(path, sheets):
    """sheets: name -> (rows, {"hidden": bool, "formulas": {(row, col): (formula, value)}})"""
    book = xlsxwriter.Workbook(str(path))
    for name, (rows, extra) in sheets.items():
        sheet = book.add_worksheet(name)
        for r, cells in enumerate(rows):
            for c, value in enumerate(cells):
                if (r, c) in extra.get("formulas", {}):
                    formula, cached = extra["formulas"][(r, c)]
                    sheet.write_formula(r, c, formula, None, cached)
                elif isinstance(value, str):
                    sheet.write_string(r, c, value)
                elif value is not None:
                    sheet.write(r, c, value)
        if extra.get("hidden"):
            sheet.hide()
    book.close()
    return path


def test_a_csv_audit_sheet_reads_as_cases(tmp_path):
    """Title and blank rows, an extra column, spellings as people write them."""
    path = _csv(tmp_path / "audit.csv", [
        ["Exampleshire case audit (SYNTHETIC)", "", "", "", "", "", ""], [""] * 7,
        [*HEAD, "Notes"], [*ROWS[0], "x"], [""] * 7, [*ROWS[1], ""], [*ROWS[2], ""]])
    result = load([path])
    assert result.ok, result.problems
    assert _cases(result) == CASES
    assert result.dataset.inputs[-1].records["cases"] == 3
    assert [n.split(": ", 1)[1] for n in result.notes[1:]] == [
        "2 row(s) above the header (row 3) skipped as titles",
        "columns not read: 'Notes' (line 3, column 7)",
        "1 blank row(s) skipped: 5"]
    assert [str(c.origin).rsplit("/", 1)[-1] for c in result.dataset.cases[-3:]] == [
        "audit.csv:4", "audit.csv:6", "audit.csv:7"]


@pytest.mark.parametrize(("encoding", "delimiter", "note"), [
    ("utf-8-sig", ",", None), ("utf-16", ",", "read as UTF-16"), ("utf-8", ";", None),
    ("utf-8", "\t", None)])
def test_csv_encodings_and_separators(tmp_path, encoding, delimiter, note):
    path = _csv(tmp_path / "audit.csv", [HEAD, *ROWS], encoding, delimiter)
    if encoding == "utf-16":
        assert path.read_bytes().startswith(codecs.BOM_UTF16_LE)
    result = load([path])
    assert result.ok, result.problems
    assert _cases(result) == CASES
    assert any(note in n for n in result.notes) if note else len(result.notes) == 1


def test_formula_text_is_kept_as_text(tmp_path):
    """A cell that reads `=1+1` or `@SUM(A1)` is text: never evaluated."""
    rows = [HEAD, ["=1+1", *ROWS[1][1:]], ["@SUM(A1)", *ROWS[2][1:]]]
    result = load([_csv(tmp_path / "audit.csv", rows)])
    assert result.ok
    assert [c[0] for c in _cases(result)] == [] and \
        [c.id for c in result.dataset.cases[-2:]] == ["=1+1", "@SUM(A1)"]


def test_a_workbook_reads_like_the_csv(tmp_path):
    path = _workbook(tmp_path / "audit.xlsx", {"Cases": ([["Audit (SYNTHETIC)"], [], HEAD,
                                                          *ROWS], {})})
    result = load([path])
    assert result.ok, result.problems
    assert _cases(result) == CASES
    assert [c.origin.place for c in result.dataset.cases[-3:]] == [
        "Cases!A4", "Cases!A5", "Cases!A6"]


def test_problems_name_the_cell(tmp_path):
    rows = [HEAD, [*ROWS[0][:2], "Custdy", *ROWS[0][3:]]]
    result = load([_workbook(tmp_path / "audit.xlsx", {"Cases": (rows, {})})])
    assert [str(p).rsplit("/", 1)[-1] for p in result.problems] == [
        "audit.xlsx:Cases!C2: case EX-0001: unknown practice area 'Custdy' (did you mean "
        "'custody'? known: s46, s47, domestic-abuse, other-referrals, cse, missing, rso, "
        "custody, online-abuse, unexpected-death)"]


def test_formulas_are_read_as_their_saved_values_and_named(tmp_path):
    rows = [HEAD, *ROWS]
    path = _workbook(tmp_path / "audit.xlsx", {"Cases": (rows, {"formulas": {
        (1, 2): ('=LOWER("S47")', "s47")}})})
    result = load([path])
    assert result.ok and _cases(result) == CASES
    assert any("1 formula cell(s) read as the values the workbook saved for them: Cases!C2"
               in n for n in result.notes)


def test_sheets_hidden_chosen_or_ambiguous(tmp_path):
    two = {"Cases": ([HEAD, *ROWS], {}), "Lookup": ([["x"]], {"hidden": True})}
    result = load([_workbook(tmp_path / "a.xlsx", two)])
    assert result.ok and any("hidden sheets not read: Lookup" in n for n in result.notes)
    both = {"First": ([HEAD, *ROWS], {}), "Old": ([HEAD, ROWS[0]], {})}
    path = _workbook(tmp_path / "b.xlsx", both)
    result = load([path])
    assert [p.message for p in result.problems] == [
        "the workbook has 2 visible sheets (First, Old) and none is named Cases: name the one "
        "that holds the cases (sheet option)"]
    assert load([path], tables=TableOptions(sheet="Old")).ok
    assert [p.message for p in load([path], tables=TableOptions(sheet="New")).problems] == [
        "no sheet named 'New' (sheets: First, Old)"]


def test_an_inspection_for_a_table_without_the_column(tmp_path):
    rows = [[h for h in HEAD if h != "Inspection"]] + [[c for i, c in enumerate(r) if i != 1]
                                                        for r in ROWS]
    path = _csv(tmp_path / "audit.csv", rows)
    assert [p.message for p in load([path]).problems] == [
        "the header (row 1) has no column inspection: a case table has the columns id, "
        "inspection, area, sample, force_grade, inspector_grade, themes; a table of one "
        "inspection may leave that column out when the inspection is named for the whole "
        "table (inspection option)"]
    result = load([path], tables=TableOptions(inspection="gwent-2019"))
    assert result.ok and _cases(result) == CASES


def test_a_million_empty_rows_cost_nothing(tmp_path):
    """A sheet whose last formatted cell is on row 1,048,576: the blank rows are skipped."""
    path = tmp_path / "audit.xlsx"
    book = xlsxwriter.Workbook(str(path))
    sheet = book.add_worksheet("Cases")
    for r, cells in enumerate([HEAD, *ROWS]):
        sheet.write_row(r, 0, cells)
    sheet.write_blank(1_048_575, 0, None, book.add_format({"bold": True}))
    book.close()
    result = load([path])
    assert result.ok and _cases(result) == CASES


def test_a_date_in_a_text_column_is_refused(tmp_path):
    book_path = tmp_path / "audit.xlsx"
    book = xlsxwriter.Workbook(str(book_path))
    sheet = book.add_worksheet("Cases")
    sheet.write_row(0, 0, HEAD)
    sheet.write_row(1, 0, ROWS[0])
    sheet.write_datetime(1, 0, dt.datetime(2019, 1, 2), book.add_format({"num_format": "d-m"}))
    book.close()
    assert [p.message for p in load([book_path]).problems] == [
        "id: the cell holds a date (2019-01-02), not text: format the column as text and "
        "type the value again"]


def _ods(path, rows):
    """A minimal OpenDocument spreadsheet, written by hand (the format's mimetype first,
    stored, then content.xml with one table)."""
    import zipfile
    from xml.sax.saxutils import escape

    cells = "".join(
        "<table:table-row>" + "".join(
            f'<table:table-cell office:value-type="string"><text:p>{escape(v)}</text:p>'
            "</table:table-cell>" if v else "<table:table-cell/>" for v in row)
        + "</table:table-row>" for row in rows)
    content = (
        '<?xml version="1.0" encoding="UTF-8"?><office:document-content '
        'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
        'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
        'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2">'
        '<office:body><office:spreadsheet><table:table table:name="Cases">'
        f"{cells}</table:table></office:spreadsheet></office:body></office:document-content>")
    manifest = (
        '<?xml version="1.0" encoding="UTF-8"?><manifest:manifest '
        'xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" '
        'manifest:version="1.2"><manifest:file-entry manifest:full-path="/" '
        'manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/>'
        '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>'
        "</manifest:manifest>")
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet",
                         compress_type=zipfile.ZIP_STORED)
        archive.writestr("content.xml", content, compress_type=zipfile.ZIP_DEFLATED)
        archive.writestr("META-INF/manifest.xml", manifest, compress_type=zipfile.ZIP_DEFLATED)
    return path


def test_an_opendocument_sheet_reads_like_the_others(tmp_path):
    result = load([_ods(tmp_path / "audit.ods", [HEAD, *ROWS])])
    assert result.ok, result.problems
    assert _cases(result) == CASES
    assert [c.origin.place for c in result.dataset.cases[-3:]] == [
        "Cases!A2", "Cases!A3", "Cases!A4"]


def test_repeated_rows_are_read_alike(tmp_path):
    """Rows whose cells repeat an earlier valid row's (but for the id) take the quick path:
    each still gets its own id, line and the id rule (a blank id is still a problem)."""
    rows = [HEAD] + [[f"EX-{n:03d}", *ROWS[1][1:]] for n in range(50)]
    rows[30][0] = ""
    result = load([_csv(tmp_path / "audit.csv", rows)])
    assert [p.message for p in result.problems] == ["'id' is blank"]
    assert result.problems[0].line == 31
    cases = [c for c in result.dataset.cases if c.id.startswith("EX-")]
    assert len(cases) == 49 and cases[0].origin.line == 2 and cases[-1].origin.line == 51
    assert {(c.area, c.sample, c.inspector_grade) for c in cases} == {
        ("domestic-abuse", "inspector-selected", "requires_improvement")}


def test_the_separator_is_found_below_long_title_rows(tmp_path):
    """Three title rows of 22,000 characters each, then a `;` header: the separator is
    guessed from the first 20 rows however long they are."""
    path = tmp_path / "audit.csv"
    path.write_text(("x" * 22_000 + "\n") * 3 + ";".join(HEAD) + "\n" + ";".join(ROWS[0]) + "\n")
    result = load([path])
    assert result.ok, result.problems
    assert _cases(result) == CASES[:1]


def test_a_problem_the_cross_file_checks_find_names_the_grade_s_cell(tmp_path):
    """An off-scale grade and a force grade on an inspector-selected case, each on a first
    row (read by the case rule) and on a row with the same cells (read by the shortcut for
    rows seen before): every problem names the cell of the grade at fault."""
    off = ["EX-1", "gwent-2019", "s47", "inspector-selected", "", "adequate"]
    forced = ["EX-2", "gwent-2019", "s47", "inspector-selected", "good", "good"]
    rows = [HEAD, off, forced, ["EX-3", *off[1:]], ["EX-4", *forced[1:]]]
    result = load([_workbook(tmp_path / "audit.xlsx", {"Cases": (rows, {})})])
    places = [(p.place, p.message.split(" ", 2)[1]) for p in result.problems]
    assert places == [("Cases!F2", "grade"), ("Cases!E3", "inspector-selected"),
                      ("Cases!F4", "grade"), ("Cases!E5", "inspector-selected")]


def test_an_undefined_inspection_among_many_is_counted_not_listed(tmp_path):
    path = _csv(tmp_path / "audit.csv", [HEAD, ["EX-1", "gwent-2091", *ROWS[0][2:]]])
    bundled = len(load().dataset.inspections)
    assert bundled > 12
    assert [p.message for p in load([path]).problems] == [
        "inspection 'gwent-2091' is not defined in the loaded data (did you mean 'gwent-2019'? "
        "define it under 'inspections:' in a YAML file read with this one, as "
        f"docs/data-format.md shows; known: {bundled} inspections)"]


def test_a_grade_typed_with_a_slip_is_refused_with_the_grade_it_is_close_to(tmp_path):
    path = _csv(tmp_path / "audit.csv", [HEAD, [*ROWS[1][:5], "Goood"]])
    (problem,) = load([path]).problems
    assert problem.message.startswith("unknown grade 'Goood' (did you mean 'good'? accepted: ")


def test_a_sheet_that_starts_below_and_right_of_a1_names_its_true_cells(tmp_path):
    """The header at C3, a case at C4:H4 whose inspector grade (H4) is a slip: the title
    rows, the row and the cell are the sheet's own."""
    rows = [[None] * 8, [None] * 8, [None, None, *domain.CASE_COLUMNS[:6]],
            [None, None, "A1", "gwent-2019", "s47", "inspector-selected", "", "Goood"]]
    result = load([_workbook(tmp_path / "audit.xlsx", {"Cases": (rows, {})})])
    assert [p.place for p in result.problems] == ["Cases!H4"]
    assert any("row(s) above the header (row 3)" in note for note in result.notes)


def test_a_row_read_by_the_rule_and_a_row_seen_before_are_named_alike(tmp_path):
    """The id not in the first column: a problem found across files names each row by its
    id cell, whether the row was read by the case rule or matched a row read before."""
    head = ["Inspection", "Case ref", *HEAD[2:]]
    row = ["nope-2023", "EX-1", "s47", "inspector-selected", "", "good"]
    rows = [head, row, [row[0], "EX-2", *row[2:]]]
    result = load([_workbook(tmp_path / "audit.xlsx", {"Cases": (rows, {})})])
    assert [p.place for p in result.problems] == ["Cases!B2", "Cases!B3"]
    assert len({p.message for p in result.problems}) == 1


def test_a_missing_inspection_column_is_explained_in_a_long_table_too(tmp_path):
    """Past 20 rows the header search gives up with its own message: it names the option
    too."""
    rows = [[h for h in HEAD if h != "Inspection"]] + [
        [f"EX-{i}", "s47", "Inspector selected", "", "Good"] for i in range(25)]
    (problem,) = load([_csv(tmp_path / "audit.csv", rows)]).problems
    assert problem.message.endswith("a table of one inspection may leave that column out "
                                    "when the inspection is named for the whole table "
                                    "(inspection option)")
