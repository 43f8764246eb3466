"""A ready-to-fill case table: the workbook `tables.py` reads, written from the same case
rule, with drop-down lists of the values each column accepts for one inspection."""

from __future__ import annotations

import io

from ncpi_cli import domain
from ncpi_cli.model import Inspection

from .rules import CASE

SHEET = "Cases"
ROWS = 1000
FIXED_DATE = (2000, 1, 1)


def template(inspection: Inspection) -> bytes:
    """The workbook's bytes: a `Cases` sheet with the header and drop-down lists, and an
    `About` sheet that explains each column."""
    import datetime as dt

    import xlsxwriter

    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True, "strings_to_formulas": False,
                                        "strings_to_numbers": False,
                                        "strings_to_urls": False})
    book.set_properties({"created": dt.datetime(*FIXED_DATE),
                         "title": f"NCPI case audit: {inspection.id}"})
    text = book.add_format({"num_format": "@"})  # cells stay text: no id becomes a date
    header = book.add_format({"bold": True, "bottom": 1, "num_format": "@"})
    sheet = book.add_worksheet(SHEET)
    choices = _choices(inspection)
    for column, key in enumerate(domain.CASE_COLUMNS):
        sheet.write_string(0, column, key, header)
        sheet.set_column(column, column, 24 if key != "themes" else 30, text)
        if key in choices:
            sheet.data_validation(1, column, ROWS, column, {
                "validate": "list", "source": list(choices[key]),
                "error_title": f"Not a {key}",
                "error_message": f"Choose from the list ({', '.join(choices[key])})"})
    sheet.freeze_panes(1, 0)
    _about(book, inspection, choices, header)
    sheet.activate()
    book.close()
    return buffer.getvalue()


def _choices(inspection: Inspection) -> dict[str, tuple[str, ...]]:
    grades = tuple(domain.GRADE_LABELS[g] for g in inspection.scale)
    return {"inspection": (inspection.id,), "area": tuple(domain.AREAS),
            "sample": domain.SAMPLES, "force_grade": grades, "inspector_grade": grades}


def _about(book, inspection: Inspection, choices: dict[str, tuple[str, ...]], header) -> None:
    sheet = book.add_worksheet("About")
    wrap = book.add_format({"text_wrap": True, "valign": "top"})
    lines = [
        ("NCPI case audit", f"inspection {inspection.id} ({inspection.methodology} grades); "
                            "one row per case on the Cases sheet. Check it with: "
                            "ncpi validate <this file> <the YAML file that defines "
                            f"{inspection.id}> (no YAML file if {inspection.id} is in "
                            "ncpi's bundled data)"),
        ("", "Case ids are references only: no names, dates of birth or case narratives."),
    ]
    for field in CASE.fields:
        accepted = choices.get(field.key)
        values = f" Values: {', '.join(accepted)}." if accepted else ""
        needed = "required" if field.key in ("id", "inspection", "area", "sample") else \
            "optional"
        lines.append((field.key, f"{field.meaning} ({needed}).{values}"))
    sheet.write_string(0, 0, "column", header)
    sheet.write_string(0, 1, "meaning", header)
    for row, (key, meaning) in enumerate(lines, start=1):
        sheet.write_string(row, 0, key)
        sheet.write_string(row, 1, meaning, wrap)
    sheet.set_column(0, 0, 18)
    sheet.set_column(1, 1, 100)
