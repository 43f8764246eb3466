"""A plain CSV case table is read in bulk (`tables._bulk`, a code per row for its distinct
rest), and must give exactly what reading it row by row gives: the same cases with the same
rows, the same problems, notes and counts. Checked on generated tables (SYNTHETIC: made-up
ids and grades), plain and anything but, and on the cross-file checks a block passes or
fails as one."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from ncpi_cli.ingest import InputText, TableOptions, read_texts
from ncpi_cli.ingest.link import BLOCK
from ncpi_cli.ingest.tables import read_table
from ncpi_cli.model import CaseBlock

HEAD = ("ncpi: 1\nforces: [{id: f, name: F}]\ninspections:\n"
        "  - {id: i-2017, force: f, kind: inspection}\n"
        "  - {id: i-2015, force: f, kind: inspection, methodology: ncpi-2014}\n")
NAMES = {"id": ["id", "Case ref"], "inspection": ["inspection", "Inspection"],
         "area": ["area", "Practice area"], "sample": ["sample", "Sample"],
         "force_grade": ["force_grade", "Force grade"],
         "inspector_grade": ["inspector_grade", "Inspector Grade"], "notes": ["Notes"]}
GOOD = {"area": ["S47", "Domestic Abuse", "custody", " cse "],
        "sample": ["Self-assessed", "inspector selected"],
        "grade": ["Good", "RI", "requires improvement", "inadequate"],
        "inspection": ["i-2017", "i-2015"], "notes": ["", "x", "seen twice"]}
#: faults only the cross-file checks find: the block is then checked case by case
CROSS = {"grade": ["adequate"], "inspection": ["i-2099"], "id": ["C0", "Y1"]}
BAD = {"area": ["Custdy", "all"], "sample": ["random", ""], "grade": ["outstanding", "no"],
       "inspection": ["Bad Id", ""], "notes": ["Total", "summary", '"a, b"', "x\ny"],
       "id": ["", " C7", "Total", "=1+1", "é1", '"C8"', "C0"]}


def _read(files: list[tuple[str, str]], bulk: bool, options: TableOptions):
    result = read_texts([InputText(None, name, text.encode("utf-8", "surrogatepass"))
                         for name, text in files], fast_path=bulk, tables=options)
    return ([str(p) for p in result.problems], result.notes, list(result.dataset.cases),
            result.dataset.inputs)


@st.composite
def tables(draw) -> tuple[list[tuple[str, str]], TableOptions]:
    mode = draw(st.sampled_from(["plain", "cross-file faults", "any faults", "one fault"]))
    faults = {"plain": {}, "cross-file faults": CROSS, "any faults": {**BAD, **CROSS},
              "one fault": {}}[mode]
    rows = draw(st.integers(1, 15))
    #: one fault in an otherwise plain table: the case where a bulk reader that missed it
    #: would still read in bulk
    fault = (draw(st.integers(0, rows - 1)), draw(st.sampled_from(sorted(BAD)))) \
        if mode == "one fault" else None
    at = [0]

    def pick(kind: str, good: list[str]) -> str:
        if fault == (at[0], kind):
            return draw(st.sampled_from(BAD[kind]))
        if faults.get(kind) and draw(st.integers(0, 5)) == 0:
            return draw(st.sampled_from(faults[kind]))
        return draw(st.sampled_from(good))

    columns = ["id", "area", "sample", "force_grade", "inspector_grade"]
    one_inspection = draw(st.integers(0, 4)) == 0
    if not one_inspection:
        columns.append("inspection")
    if draw(st.booleans()):
        columns.append("notes")
    columns = draw(st.permutations(columns))
    sep = draw(st.sampled_from([",", ";", "\t"]))
    end = draw(st.sampled_from(["\n", "\r\n"] + (["\r"] if mode == "any faults" else [])))
    lines = []
    if draw(st.integers(0, 3)) == 0:
        lines.append(sep.join(["Case audit (SYNTHETIC)"] + [""] * (len(columns) - 1)))
    lines.append(sep.join(draw(st.sampled_from(NAMES[c])) for c in columns))
    for n in range(rows):
        at[0] = n
        sample = pick("sample", GOOD["sample"])
        cells = {"id": pick("id", [f"C{n}"]), "area": pick("area", GOOD["area"]),
                 "sample": sample, "inspector_grade": pick("grade", GOOD["grade"]),
                 "inspection": pick("inspection", GOOD["inspection"]),
                 "notes": pick("notes", GOOD["notes"]),
                 "force_grade": pick("grade", GOOD["grade"]) if sample.startswith("Self")
                 else ""}
        row = [cells[c] for c in columns]
        if mode == "any faults" and draw(st.integers(0, 8)) == 0:
            row = draw(st.sampled_from([row[:-1], [*row, "extra"], [""] * len(row), []]))
        lines.append(sep.join(row))
    text = end.join(lines) + draw(st.sampled_from([end, ""]))
    files = [("head.yaml", HEAD), ("audit.csv", text)]
    if mode not in ("plain", "one fault") and draw(st.booleans()):
        other = "ncpi: 1\ncases:\n  - {id: Y1, inspection: i-2017, area: s47, " \
                "sample: inspector-selected, inspector_grade: good}\n"
        files.insert(draw(st.sampled_from([1, 2])), ("other.yaml", other))
    return files, TableOptions(inspection="i-2017" if one_inspection else None)


@settings(max_examples=300, deadline=None)
@given(tables())
def test_bulk_and_row_by_row_agree(drawn):
    files, options = drawn
    assert _read(files, True, options) == _read(files, False, options)


def _table(text: str) -> InputText:
    return InputText(None, "audit.csv", text.encode())


def _bulk_taken(text: str) -> bool:
    records = read_table(_table(text), TableOptions())
    return any(p.kind == BLOCK for p in records.pending)


PLAIN = ("Case ref,Inspection,Practice area,Sample,Force grade,Inspector grade,Notes\n"
         "C1,i-2017,S47,Self-assessed,Good,RI,\n"
         "C2,i-2017,Domestic Abuse,inspector selected,,Good,x\n"
         "C3,i-2017,S47,Self-assessed,Good,RI,\n")


def test_a_plain_table_is_read_in_bulk_whatever_its_column_order():
    """The generated tables above would agree trivially if nothing took the bulk path."""
    assert _bulk_taken(PLAIN)
    assert _bulk_taken(PLAIN.replace("\n", "\r\n").replace(",", ";"))
    moved = "\n".join(",".join([*cells[1:3], cells[0], *cells[3:]]) for cells in
                      (line.split(",") for line in PLAIN.splitlines()))
    last = "\n".join(",".join([*cells[1:], cells[0]]) for cells in
                     (line.split(",") for line in PLAIN.splitlines()))
    assert _bulk_taken(moved) and _bulk_taken(last)
    for text in (moved, last):
        files = [("head.yaml", HEAD), ("audit.csv", text)]
        bulk = _read(files, True, TableOptions())
        assert bulk == _read(files, False, TableOptions())
        assert [(c.id, c.area, c.origin.line) for c in bulk[2]] == [
            ("C1", "s47", 2), ("C2", "domestic-abuse", 3), ("C3", "s47", 4)]


def test_anything_but_plain_is_read_row_by_row():
    changes = [("C2,i-2017", 'C2,"i-2017"'),         # a quoted cell
               ("x\nC3", "x\n\nC3"),                # a blank row
               ("C2,", " C2,"),                     # an id with a space
               ("C3,i-2017,S47", "C3,i-2017,Custdy"),  # a rest failing the case rule
               ("C3,", "Total,"),                   # a totals row
               ("RI,\nC2", "RI\nC2"),                # a short row
               ("x\nC3", "x\rC3"),                   # a lone carriage return
               ("C3,", "C1,")]                      # an id twice
    for old, new in changes:
        text = PLAIN.replace(old, new, 1)
        assert text != PLAIN and not _bulk_taken(text), new


def test_a_block_failing_a_cross_file_check_reports_each_row():
    """One case of an unknown inspection: the block is checked case by case, and the other
    cases are kept."""
    text = PLAIN.replace("C2,i-2017", "C2,i-2099")
    files = [("head.yaml", HEAD), ("audit.csv", text)]
    problems, _, cases, _ = _read(files, True, TableOptions())
    assert [c.id for c in cases] == ["C1", "C3"]
    assert problems == ["audit.csv:3: case C2: inspection 'i-2099' is not defined in the "
                        "loaded data (define it under 'inspections:' in a YAML file read "
                        "with this one, as docs/data-format.md shows; known: i-2015, i-2017)"]


def test_an_id_in_a_block_and_in_yaml_is_a_duplicate_at_its_row():
    other = ("ncpi: 1\ncases:\n  - {id: C3, inspection: i-2017, area: s47, "
             "sample: inspector-selected, inspector_grade: good}\n")
    after = _read([("head.yaml", HEAD), ("audit.csv", PLAIN), ("other.yaml", other)], True,
                  TableOptions())
    assert after[0] == ["other.yaml:3: case C3: duplicate case id 'C3' (first at "
                        "audit.csv:4)"]
    before = _read([("head.yaml", HEAD), ("other.yaml", other), ("audit.csv", PLAIN)], True,
                   TableOptions())
    assert before[0] == ["audit.csv:4: case C3: duplicate case id 'C3' (first at "
                         "other.yaml:3)"]
    assert [c.id for c in before[2]] == ["C3", "C1", "C2"]


def test_a_block_counts_its_profiles_as_its_cases_would():
    records = read_table(_table(PLAIN), TableOptions())
    block = next(p.value for p in records.pending if p.kind == BLOCK)
    assert isinstance(block, CaseBlock) and len(block) == 3
    by_hand = {("i-2017", "s47", "self-assessed", "good", "requires_improvement"): 2,
               ("i-2017", "domestic-abuse", "inspector-selected", None, "good"): 1}
    assert block.profiles() == by_hand
    assert list(block.profiles()) == list(by_hand)  # first-seen order
