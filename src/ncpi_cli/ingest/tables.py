"""Case tables: a spreadsheet (CSV, XLSX, ODS) with one row per case, read by the same
case rule as YAML (`rules.CASE` through `fields.read_record`).

An audit team's sheet is rarely only the table: a title above it, blank rows, a total at
the bottom, a notes column, formulas. The header row is found by its column names (case,
spaces and punctuation ignored; synonyms in `domain.VOCABULARIES["column"]`); rows above it
and blank rows are skipped and said so; a totals row is refused; every other row is a case,
kept or rejected with its reason and its cell (`audit.xlsx:Cases!C12`, `audit.csv:12`).
Cells are read as text, never evaluated: a formula is read as the value the workbook saved
for it, and said so.

A plain CSV table (as a program writes one: no quotes, no blank or totals rows) is read in
bulk (`_bulk`): each distinct row apart from its id is checked once, and its cases are kept
as one `CaseBlock`. Any other table, or a plain one with a problem, is read row by row, so
every problem is found by one reader; the tests check that both give the same.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import io
import re
import zipfile
from array import array
from collections.abc import Iterator
from dataclasses import dataclass
from operator import itemgetter, methodcaller

import yaml

from ncpi_cli import domain
from ncpi_cli.model import Case, CaseBlock, Origin, Problem

from .document import new_records
from .fields import FileRecords, Pending, accepts_id, read_record
from .files import OLE_MAGIC, TABLE_SUFFIXES, ZIP_MAGIC, InputText, TableOptions, suffix
from .link import BLOCK
from .nodes import MAP, SEQ, STR
from .rules import CASE, GRADE_KEYS

#: Rows searched for the header.
HEADER_ROWS = 20
#: Distinct rows (besides the id) a table read in bulk may have; past it, row by row.
MAX_DISTINCT = 50_000
#: A workbook is a zip of XML: refuse one that unpacks past this, or packs too tightly.
MAX_UNPACKED = 512 * 1024 * 1024
MAX_RATIO = 200
MAX_PACKED_TIGHTLY = 32 * 1024 * 1024
REQUIRED_COLUMNS = ("id", "area", "sample")
TOTAL_LABELS = frozenset({"total", "totals", "grandtotal", "sum"})
TOTAL_STARTS = ("total", "grand", "sum")
COLUMN = domain.VOCABULARIES["column"]


class _Refused(Exception):
    """The table cannot be read at all: one problem for the file."""

    def __init__(self, message: str, line: int = 0, place: str = ""):
        super().__init__(message)
        self.line = line
        self.place = place


class _Mark:
    """A node's position: the row (as PyYAML's 0-based line) and the cell."""

    __slots__ = ("line", "place")

    def __init__(self, row: int, place: str):
        self.line = row - 1
        self.place = place


def column_letter(index: int) -> str:
    """0 -> A, 25 -> Z, 26 -> AA."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


@dataclass
class _Grid:
    """A sheet's rows as (row number, cells), and how to name a cell."""

    rows: Iterator[tuple[int, list[object]]]
    sheet: str | None
    formulas: frozenset[tuple[int, int]] = frozenset()
    merged: tuple[tuple[tuple[int, int], tuple[int, int]], ...] = ()
    #: every cell is already text (a CSV): no cell types to read
    text_only: bool = False
    #: a CSV's text and separator, for reading its cases in bulk
    text: str | None = None
    delimiter: str = ","

    def place(self, row: int, column: int) -> str:
        if self.sheet is None:
            return ""
        return f"{self.sheet}!{column_letter(column)}{row}"

    def where(self, row: int, column: int) -> str:
        """The cell for a note: `Cases!C12`, or `line 12, column 3` in a CSV."""
        return self.place(row, column) or f"line {row}, column {column + 1}"


def read_table(source: InputText, options: TableOptions, bulk: bool = True) -> FileRecords:
    """Every case of a case table, kept for the cross-file checks or rejected. `bulk=False`
    reads every row one by one (reading in bulk must give the same: the tests compare)."""
    records = new_records(source.display)
    try:
        grid = _open(source, options, records)
        found = _bulk(grid, options, records.file) if bulk and grid.text is not None else None
        if found is not None:
            block, notes = found
            records.notes.extend(notes)
            records.counts["cases"] += len(block)
            records.pending.append(Pending(BLOCK, f"cases of {records.file}",
                                           block.origin(0), block))
            return records
        _read_rows(grid, options, records)
    except _Refused as refused:
        records.problems.append(Problem(source.display, refused.line, "", str(refused),
                                        refused.place))
    return records


def _open(source: InputText, options: TableOptions, records: FileRecords) -> _Grid:
    kind = TABLE_SUFFIXES[suffix(source.display)]
    data = source.data
    if data.startswith(OLE_MAGIC):
        raise _Refused("the workbook is password-protected (encrypted) or in the old .xls "
                       "format: save an unprotected .xlsx copy")
    if kind == "csv":
        if data.startswith(ZIP_MAGIC):
            raise _Refused("this is a workbook (a zip file), not CSV text: name it .xlsx or "
                           ".ods")
        return _csv_grid(source, records)
    if not data.startswith(ZIP_MAGIC):
        looks = "text" if _looks_like_text(data) else "neither a workbook nor text"
        raise _Refused(f"not an {kind.upper()} workbook (it looks like {looks}): save it as "
                       f"{kind.upper()}, or name a CSV file .csv")
    _check_zip(data)
    return _workbook_grid(source, kind, options, records)


def _looks_like_text(data: bytes) -> bool:
    try:
        data[:4096].decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def _check_zip(data: bytes) -> None:
    """Refuse a zip that is damaged or would unpack to far more than it holds (a zip bomb)
    before any XML is read."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, OSError, EOFError) as exc:
        raise _Refused(f"the workbook is damaged or truncated ({exc}): open it in a "
                       "spreadsheet program and save it again") from None
    if unpacked > MAX_UNPACKED or (unpacked > MAX_RATIO * len(data)
                                   and unpacked > MAX_PACKED_TIGHTLY):
        raise _Refused(f"the workbook would unpack to {unpacked:,} bytes from {len(data):,}: "
                       "refused unread (no case table is so large)")


def _csv_grid(source: InputText, records: FileRecords) -> _Grid:
    data = source.data
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            text = data.decode("utf-16")
        except UnicodeDecodeError as exc:
            raise _Refused(f"starts as UTF-16 but is not valid UTF-16 (at byte {exc.start}): "
                           "save it as 'CSV UTF-8'") from None
        records.notes.append(f"{source.display}: read as UTF-16 (it starts with a UTF-16 "
                             "byte-order mark)")
    else:
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            line = data.count(b"\n", 0, exc.start) + 1
            raise _Refused(f"not valid UTF-8 (byte 0x{data[exc.start]:02x}): save it as "
                           "'CSV UTF-8' (the encoding is not guessed)", line) from None
    delimiter = _delimiter(text)

    def rows() -> Iterator[tuple[int, list[object]]]:
        reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
        start = 1
        try:
            for cells in reader:
                yield start, list(cells)
                start = reader.line_num + 1
        except csv.Error as exc:
            raise _Refused(f"not readable as CSV: {exc}", reader.line_num) from None

    return _Grid(rows(), None, text_only=True, text=text, delimiter=delimiter)


def _delimiter(text: str) -> str:
    """The separator that makes the most header names in the first rows (`,` or `;` or a
    tab: spreadsheets in some locales write `;`)."""
    end = -1
    for _ in range(HEADER_ROWS):  # the first rows, without splitting the whole text
        end = text.find("\n", end + 1)
        if end < 0:
            break
    head = (text if end < 0 else text[:end + 1]).splitlines()[:HEADER_ROWS]
    best, score = ",", -1
    for candidate in (",", ";", "\t"):
        found = max((sum(COLUMN.lookup(cell) is not None for cell in line.split(candidate))
                     for line in head), default=0)
        if found > score:
            best, score = candidate, found
    return best


def _workbook_grid(source: InputText, kind: str, options: TableOptions,
                   records: FileRecords) -> _Grid:
    import python_calamine as calamine

    try:
        workbook = calamine.CalamineWorkbook.from_filelike(io.BytesIO(source.data))
        sheets = workbook.sheets_metadata
        visible = [s.name for s in sheets if s.visible == calamine.SheetVisibleEnum.Visible]
        name = _choose_sheet([s.name for s in sheets], visible, options.sheet)
        hidden = [s.name for s in sheets if s.name not in visible]
        if name not in visible:
            records.notes.append(f"{source.display}: sheet {name} is hidden; read because "
                                 "it was asked for")
        elif hidden:
            records.notes.append(f"{source.display}: hidden sheets not read: "
                                 f"{', '.join(hidden)}")
        sheet = workbook.get_sheet_by_name(name)
        merged = tuple(sheet.merged_cell_ranges or ())
        # from A1, whatever the sheet's first used cell: row i is sheet row i + 1
        cells = sheet.to_python(skip_empty_area=False)
    except calamine.PasswordError:
        raise _Refused("the workbook is password-protected: save an unprotected copy") \
            from None
    except calamine.CalamineError as exc:
        raise _Refused(f"the workbook cannot be read ({exc}): open it in a spreadsheet "
                       "program and save it again") from None
    formulas = _formula_cells(source.data, kind, name)
    if formulas:
        shown = ", ".join(f"{name}!{column_letter(c)}{r}" for r, c in sorted(formulas)[:10])
        more = f" and {len(formulas) - 10} more" if len(formulas) > 10 else ""
        records.notes.append(f"{source.display}: {len(formulas)} formula cell(s) read as the "
                             f"values the workbook saved for them: {shown}{more}")
    rows = ((i + 1, list(row)) for i, row in enumerate(cells))
    return _Grid(rows, name, formulas=formulas, merged=merged)


def _choose_sheet(names: list[str], visible: list[str], asked: str | None) -> str:
    if asked is not None:
        if asked not in names:
            raise _Refused(f"no sheet named '{asked}' (sheets: {', '.join(names)})")
        return asked
    if len(visible) == 1:
        return visible[0]
    named = [name for name in visible if domain.label_key(name) == "cases"]
    if len(named) == 1:
        return named[0]
    listed = ", ".join(names) or "none"
    raise _Refused(f"the workbook has {len(visible)} visible sheets ({listed}) and none is "
                   "named Cases: name the one that holds the cases (sheet option)")


def _formula_cells(data: bytes, kind: str, sheet: str) -> frozenset[tuple[int, int]]:
    """Cells (1-based row, 0-based column) of the sheet that hold a formula, read from the
    workbook's XML (the values come from calamine, which does not say)."""
    from xml.etree import ElementTree

    found: set[tuple[int, int]] = set()
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        if kind == "ods":
            return frozenset()  # ODS formulas: values are saved alongside; not listed
        part = _sheet_part(archive, sheet)
        if part is None:
            return frozenset()
        with archive.open(part) as stream:
            cell = None
            for event, element in ElementTree.iterparse(stream, events=("start", "end")):
                tag = element.tag.rsplit("}", 1)[-1]
                if event == "start" and tag == "c":
                    cell = element.get("r")
                elif event == "end" and tag == "f" and cell:
                    match = re.fullmatch(r"([A-Z]+)([0-9]+)", cell)
                    if match:
                        found.add((int(match[2]), _column_index(match[1])))
                elif event == "end" and tag == "c":
                    element.clear()
    return frozenset(found)


def _column_index(letters: str) -> int:
    index = 0
    for ch in letters:
        index = index * 26 + ord(ch) - 64
    return index - 1


def _sheet_part(archive: zipfile.ZipFile, sheet: str) -> str | None:
    """The zip member of a sheet, by way of the workbook and its relationships."""
    from xml.etree import ElementTree

    try:
        book = ElementTree.fromstring(archive.read("xl/workbook.xml"))
        rels = ElementTree.fromstring(archive.read("xl/_rels/workbook.xml.rels"))
    except (KeyError, ElementTree.ParseError):
        return None
    relation = None
    for element in book.iter():
        if element.tag.endswith("}sheet") and element.get("name") == sheet:
            relation = next((v for k, v in element.attrib.items() if k.endswith("}id")), None)
    for element in rels.iter():
        if element.get("Id") == relation:
            target = element.get("Target", "")
            return target.lstrip("/") if target.startswith("/") else f"xl/{target}"
    return None


def _text(value: object) -> str | None:
    """A cell as text; None for a cell whose type is not text or a number."""
    if isinstance(value, bool):
        return None
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, int):
        return str(value)
    if isinstance(value, str):
        return value.strip()
    if value is None:
        return ""
    return None


def _bulk(grid: _Grid, options: TableOptions, file: str) -> tuple[CaseBlock, list[str]] | None:
    """The cases of a plain CSV table, read in bulk; None for any table that is not plain,
    which is then read row by row (so a table's problems are found, with their rows, by
    one reader only).

    Plain: no quotes and no cell across lines (row i is line i), no blank row, every id
    printable ASCII without spaces and unique, and every distinct rest of a row (its cells
    but the id) as wide as the header and passing the case rule, totals rows included. A
    table of a million cases has thousands of distinct rests: each is checked once, and
    each case keeps its id and a code for its rest."""
    text = grid.text
    if '"' in text or "\x00" in text:
        return None
    if "\r" in text:
        text = text.replace("\r\n", "\n")
        if "\r" in text:
            return None
    lines = text.split("\n")
    if lines[-1] == "":
        lines.pop()
    if max(map(len, lines), default=0) > csv.field_size_limit():
        return None
    d = grid.delimiter
    try:
        header = _header(grid, ((i + 1, line.split(d)) for i, line in enumerate(lines)),
                         options)
    except _Refused:
        return None
    width = len(lines[header.row - 1].split(d))
    del lines[:header.row]
    at_id = next(i for i, key in header.columns.items() if key == "id")
    if at_id == 0 or at_id == width - 1:
        # the id and the rest of each row, two strings a row: no list of cells per row
        parts = list(map(methodcaller("partition" if at_id == 0 else "rpartition", d), lines))
        del lines
        ids = list(map(itemgetter(0 if at_id == 0 else 2), parts))
        rests: list = list(map(itemgetter(2 if at_id == 0 else 0), parts))
    else:
        parts = list(map(methodcaller("split", d), lines))
        del lines
        if set(map(len, parts)) != {width}:
            return None
        ids = list(map(itemgetter(at_id), parts))
        rests = list(map(itemgetter(*(i for i in range(width) if i != at_id)), parts))
    del parts
    together = "".join(ids)
    if not (ids and all(ids) and together.isascii() and together.isprintable()
            and " " not in together and not _maybe_total([together])):
        return None
    unique = dict.fromkeys(ids)
    del together
    distinct = dict.fromkeys(rests)
    if len(unique) != len(ids) or len(distinct) > MAX_DISTINCT:
        return None
    scratch = new_records(file)
    values = []
    for rest in distinct:
        texts = [cell.strip() for cell in (rest.split(d) if isinstance(rest, str) else rest)]
        if len(texts) != width - 1:
            return None
        texts.insert(at_id, "x")
        if _is_total(texts):
            return None
        node = _row_node(grid, header.row + 1, texts, texts, header.columns, options, scratch)
        read_record(scratch, CASE, node, 0)
        if scratch.problems or len(scratch.pending) != len(values) + 1:
            return None
        case = scratch.pending[-1].value
        values.append((case.inspection, case.area, case.sample, case.force_grade,
                       case.inspector_grade, case.themes))
    code = {rest: i for i, rest in enumerate(distinct)}
    codes = array("i", map(code.__getitem__, rests))
    del rests, distinct, code
    block = CaseBlock(file, header.row + 1, unique, codes, tuple(values))
    return block, _header_notes(grid, header, file)


def _header_notes(grid: _Grid, header: _Header, file: str) -> list[str]:
    notes = []
    if header.titles:
        notes.append(f"{file}: {header.titles} row(s) above the header (row {header.row}) "
                     "skipped as titles")
    if header.unread:
        shown = ", ".join(f"'{text}' ({grid.where(header.row, i)})" for i, text in header.unread)
        notes.append(f"{file}: columns not read: {shown}")
    return notes


def _read_rows(grid: _Grid, options: TableOptions, records: FileRecords) -> None:
    rows = iter(grid.rows)
    header = _header(grid, rows, options)
    file = records.file
    records.notes.extend(_header_notes(grid, header, file))
    blank: list[int] = []
    index = 0
    at_id = next(i for i, key in header.columns.items() if key == "id")
    others = [i for i in header.columns if i != at_id]
    #: the other cells of a row that passed the case rule -> the case's values: a row with
    #: the same cells passes too, whatever its id, once the id passes the id rule
    valid_rows: dict[tuple, tuple] = {}
    pick = (lambda texts: (texts[others[0]],)) if len(others) == 1 else itemgetter(*others)
    widest = max(others, default=0)
    #: in a sheet, a case's grades keep their cells (as the case rule gives them)
    grade_columns = [(key, i) for i, key in header.columns.items() if key in GRADE_KEYS] \
        if grid.sheet is not None else []
    for row, cells in rows:
        texts = [c.strip() for c in cells] if grid.text_only else [_text(c) for c in cells]
        if not any(texts) and None not in texts:
            blank.append(row)
            continue
        records.counts["cases"] += 1
        if _is_total(texts):
            records.problems.append(Problem(file, row, f"row {row}", "a totals row, not a "
                                            "case: remove it (totals are not counted)",
                                            grid.place(row, 0)))
            continue
        key = (pick(texts) if len(texts) > widest else
               tuple(texts[i] if i < len(texts) else "" for i in others))
        known = valid_rows.get(key)
        case_id = texts[at_id] if at_id < len(texts) else ""
        if known is not None and case_id is not None and accepts_id(STR, case_id):
            origin = Origin(file, row, grid.place(row, at_id))
            grades = tuple((key, 0, row, grid.place(row, i)) for key, i in grade_columns
                           if i < len(texts) and texts[i])
            records.pending.append(Pending("case", f"case {case_id}", origin,
                                           Case(case_id, *known[:3], origin, *known[3:]),
                                           grades))
            index += 1
            continue
        node = _row_node(grid, row, cells, texts, header.columns, options, records)
        if node is not None:
            before = len(records.pending)
            read_record(records, CASE, node, index)
            if len(records.pending) > before and None not in key and len(valid_rows) < 50_000:
                case = records.pending[-1].value
                valid_rows[key] = (case.inspection, case.area, case.sample, case.force_grade,
                                   case.inspector_grade, case.themes)
        index += 1
    for (top, left), (bottom, right) in grid.merged:
        if bottom + 1 > header.row:
            corner = grid.place(top + 1, left)
            records.problems.append(Problem(
                file, top + 1, "", f"merged cells {corner}:{column_letter(right)}{bottom + 1}: "
                                   "a merged cell gives its value to one row only; unmerge "
                                   "them and fill each row", corner))
    if blank:
        listed = ", ".join(map(str, blank[:10])) + (", ..." if len(blank) > 10 else "")
        records.notes.append(f"{file}: {len(blank)} blank row(s) skipped: {listed}")


@dataclass
class _Header:
    row: int
    #: column index -> case key
    columns: dict[int, str]
    #: columns that are not read: (index, header text)
    unread: list[tuple[int, str]]
    #: rows above the header (titles, blank rows)
    titles: int


def _header(grid: _Grid, rows: Iterator[tuple[int, list[object]]],
            options: TableOptions) -> _Header:
    """The header: the first row (of the first HEADER_ROWS non-blank ones) that names every
    required column; rows above it are titles."""
    needed = set(REQUIRED_COLUMNS) | ({"inspection"} if options.inspection is None else set())
    best: tuple[int, int, list[str]] | None = None
    seen = above = 0
    for row, cells in rows:
        texts = [_text(cell) or "" for cell in cells]
        above += 1
        if not any(texts):
            continue
        seen += 1
        names = {COLUMN.lookup(t) for t in texts if t}
        if best is None or len(names - {None}) > best[1]:
            best = (row, len(names - {None}), texts)
        if needed <= names:
            best = (row, 0, texts)
            break
        if seen >= HEADER_ROWS:
            expected = ", ".join(domain.CASE_COLUMNS)
            absent = needed - {COLUMN.lookup(t) for t in best[2] if t}
            raise _Refused(f"no header row with the columns {', '.join(sorted(absent))} in "
                           f"the first {HEADER_ROWS} rows (a case table has the columns "
                           f"{expected}, or their synonyms in the format's documentation)"
                           f"{_one_inspection(absent)}", best[0], grid.place(best[0], 0))
    if best is None:
        raise _Refused("the table is empty: no header row and no cases")
    row, _, texts = best
    columns: dict[int, str] = {}
    unread: list[tuple[int, str]] = []
    for i, text in enumerate(texts):
        key = COLUMN.lookup(text) if text else None
        if key is None:
            if text:
                unread.append((i, text))
            continue
        earlier = next((j for j, k in columns.items() if k == key), None)
        if earlier is not None:
            raise _Refused(f"column {key} appears twice in the header: "
                           f"{grid.where(row, earlier)} and {grid.where(row, i)}",
                           row, grid.place(row, i))
        columns[i] = key
    if not needed <= set(columns.values()):
        missing = ", ".join(sorted(needed - set(columns.values())))
        raise _Refused(f"the header (row {row}) has no column {missing}: a case table has "
                       f"the columns {', '.join(domain.CASE_COLUMNS)}"
                       f"{_one_inspection(needed - set(columns.values()))}", row,
                       grid.place(row, 0))
    return _Header(row, columns, unread, above - 1)


def _one_inspection(absent: set[str]) -> str:
    """What to do about a missing inspection column."""
    if "inspection" not in absent:
        return ""
    return ("; a table of one inspection may leave that column out when the inspection is "
            "named for the whole table (inspection option)")


def _is_total(texts: list[str | None]) -> bool:
    """A totals row: a cell that says Total (Totals, Grand total, Sum)."""
    return _maybe_total(texts) and any(t and t.lower().startswith(TOTAL_STARTS)
                                       and domain.label_key(t) in TOTAL_LABELS for t in texts)


def _maybe_total(texts: list[str | None]) -> bool:
    """A quick look (one pass over the row's text) before the exact check of each cell."""
    joined = "\x00".join(t for t in texts if t).lower()
    return any(start in joined for start in TOTAL_STARTS)


def _row_node(grid: _Grid, row: int, cells: list[object], texts: list[str | None],
              mapped: dict[int, str], options: TableOptions,
              records: FileRecords) -> yaml.MappingNode | None:
    """A row as the mapping node the case rule reads (cells as text, each with its cell)."""
    row_mark = _Mark(row, grid.place(row, next(i for i, k in mapped.items() if k == "id")))
    pairs = []
    for i, key in mapped.items():
        text = texts[i] if i < len(texts) else ""
        place = grid.place(row, i)
        mark = _Mark(row, place)
        if text is None:
            value = cells[i]
            shown = value.isoformat() if isinstance(value, dt.date | dt.time) else str(value)
            what = "a date" if isinstance(value, dt.date | dt.time) else "a TRUE/FALSE value"
            records.problems.append(Problem(
                records.file, row, f"row {row}", f"{key}: the cell holds {what} ({shown}), not "
                f"text: format the column as text and type the value again", place))
            return None
        if text == "" and key not in REQUIRED_COLUMNS and key != "inspection":
            continue
        if key == "themes":
            items = [t.strip() for t in re.split(r"[;,]", text) if t.strip()]
            value_node: yaml.Node = yaml.SequenceNode(
                SEQ, [yaml.ScalarNode(STR, t, mark, mark) for t in items], mark, mark)
        else:
            value_node = yaml.ScalarNode(STR, text, mark, mark)
        pairs.append((yaml.ScalarNode(STR, key, mark, mark), value_node))
    if options.inspection is not None and "inspection" not in mapped.values():
        pairs.append((yaml.ScalarNode(STR, "inspection", row_mark, row_mark),
                      yaml.ScalarNode(STR, options.inspection, row_mark, row_mark)))
    return yaml.MappingNode(MAP, pairs, row_mark, row_mark)
