"""Results as an Excel workbook: one sheet of rows with typed cells, and the run's manifest.

Counts are whole numbers, percentages numbers from 0 to 100 (as in CSV, and on the scale of
their intervals) shown with a % sign, p-values and
statistics numbers; text is always written as text, so a value such as `=HYPERLINK(...)`
is never a formula (nothing needs neutralising, and nothing is changed). The header is
frozen and filtered. The same input gives the same bytes: the workbook's dates are fixed.
"""

from __future__ import annotations

import datetime as dt
import io
import json
from decimal import Decimal
from typing import Any

from .result import Kind, Result

#: Workbook properties carry a date; a fixed one keeps reruns byte-identical.
FIXED_DATE = dt.datetime(2000, 1, 1)
MAX_WIDTH = 60


def to_xlsx(result: Result, manifest: dict[str, Any]) -> bytes:
    import xlsxwriter

    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True, "strings_to_formulas": False,
                                        "strings_to_urls": False,
                                        "strings_to_numbers": False})
    book.set_properties({"created": FIXED_DATE, "title": f"ncpi {result.command}"})
    header = book.add_format({"bold": True, "bottom": 1})
    formats = {Kind.PCT: book.add_format({"num_format": '0.0"%"'}),
               Kind.POINTS: book.add_format({"num_format": "+0.0;-0.0;0.0"}),
               Kind.INTERVAL: book.add_format({"num_format": "0.0##"}),
               Kind.P_VALUE: book.add_format({"num_format": "0.0000"}),
               Kind.STATISTIC: book.add_format({"num_format": "0.0##"})}
    sheet = book.add_worksheet("rows")
    columns = result.columns
    widths = [len(name) for name in columns]
    for c, name in enumerate(columns):
        sheet.write_string(0, c, name, header)
    for r, row in enumerate(result.rows, start=1):
        for c, name in enumerate(columns):
            value = row.get(name)
            shown = _write(sheet, r, c, value, result.column(name).kind, formats)
            widths[c] = max(widths[c], len(shown))
    for c, width in enumerate(widths):
        sheet.set_column(c, c, min(width + 2, MAX_WIDTH))
    sheet.freeze_panes(1, 0)
    sheet.autofilter(0, 0, max(len(result.rows), 1), max(len(columns) - 1, 0))
    _manifest_sheet(book, manifest, header)
    book.close()
    return buffer.getvalue()


def _write(sheet, r: int, c: int, value: object, kind: Kind, formats: dict) -> str:
    """Write one cell by its column's kind; what it shows, for the column's width."""
    if value is None:
        return ""
    if isinstance(value, bool):
        sheet.write_boolean(r, c, value)
        return "FALSE"
    if kind is Kind.PCT and isinstance(value, Decimal):  # 0-100 as in CSV, beside its interval
        sheet.write_number(r, c, float(value), formats[Kind.PCT])
        return f"{value}%"
    if isinstance(value, int):
        sheet.write_number(r, c, value)
        return str(value)
    if isinstance(value, Decimal):
        sheet.write_number(r, c, float(value), formats.get(kind))
        return str(value)
    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
    sheet.write_string(r, c, text)
    return text


def _manifest_sheet(book, manifest: dict[str, Any], header) -> None:
    """The manifest flattened to one row per value: `inputs[0].sha256` and its value."""
    sheet = book.add_worksheet("manifest")
    sheet.write_string(0, 0, "key", header)
    sheet.write_string(0, 1, "value", header)
    for r, (key, value) in enumerate(_flatten(manifest), start=1):
        sheet.write_string(r, 0, key)
        if isinstance(value, bool) or value is None:
            sheet.write_string(r, 1, json.dumps(value))
        elif isinstance(value, int | float):
            sheet.write_number(r, 1, value)
        else:
            sheet.write_string(r, 1, str(value))
    sheet.set_column(0, 0, 40)
    sheet.set_column(1, 1, 70)
    sheet.freeze_panes(1, 0)


def _flatten(value: object, key: str = "") -> list[tuple[str, object]]:
    if isinstance(value, dict):
        if not value:
            return [(key, "{}")]
        return [pair for k, v in value.items()
                for pair in _flatten(v, f"{key}.{k}" if key else str(k))]
    if isinstance(value, list):
        if not value:
            return [(key, "[]")]
        return [pair for i, v in enumerate(value) for pair in _flatten(v, f"{key}[{i}]")]
    return [(key, value)]
