"""One output path for every command: CSV and JSON for machines, rich tables for people.

CSV and JSON never go through rich, carry no wall-clock time, and are byte-identical for
the same input and command. Text cells a spreadsheet would run as a formula are
neutralised in CSV (OWASP "CSV Injection"); numbers stay numbers.
"""

from __future__ import annotations

import csv
import io
import json
import platform
from collections.abc import Callable
from decimal import Decimal
from typing import Any, TextIO

from . import __version__, domain
from .model import Dataset, Problem
from .printable import shown
from .result import Reason, Result

FORMATS = ("table", "csv", "json", "xlsx")
FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\n")


def neutralise(text: str) -> tuple[str, bool]:
    """The text made safe for a spreadsheet cell, and whether it needed it."""
    if text.startswith(FORMULA_START):
        return "'" + text, True
    return text, False


def _is_text(value: object) -> bool:
    """A cell CSV writes as text (numbers, flags and empty cells are not)."""
    return value is not None and not isinstance(value, (bool, int, Decimal))


def _csv_cell(value: object) -> tuple[object, bool]:
    if value is None:
        return "", False
    if isinstance(value, bool):
        return ("true" if value else "false"), False
    if isinstance(value, (int, Decimal)):
        return str(value), False
    return neutralise(str(value))


def neutralised_cells(result: Result) -> int:
    """How many CSV text cells (header included) get a leading quote."""
    columns = result.columns
    cells = [*columns, *(row.get(c) for row in result.rows for c in columns)]
    return sum(_is_text(v) and str(v).startswith(FORMULA_START) for v in cells)


def to_csv(result: Result) -> tuple[str, int]:
    """CSV text (excel dialect, header row) and the number of cells neutralised."""
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, dialect="excel", lineterminator="\r\n")
    neutralised = 0
    header = []
    columns = result.columns
    for column in columns:
        cell, changed = _csv_cell(column)
        header.append(cell)
        neutralised += changed
    writer.writerow(header)
    for row in result.rows:
        cells = []
        for column in columns:
            cell, changed = _csv_cell(row.get(column))
            cells.append(cell)
            neutralised += changed
        writer.writerow(cells)
    return buffer.getvalue(), neutralised


def _json_value(value: object) -> Any:
    if isinstance(value, Decimal):
        return float(value)
    return value


def to_json(result: Result, manifest: dict[str, Any]) -> str:
    keys = [*result.columns, *result.json_extras]
    rows = [{c: _json_value(row.get(c)) for c in keys} for row in result.rows]
    return json.dumps({"rows": rows, "manifest": manifest}, indent=2, ensure_ascii=False) + "\n"


LIBRARIES = ("typer", "rich", "PyYAML", "pandas")


def _library_versions() -> dict[str, str]:
    from importlib import metadata

    versions = {"python": platform.python_version()}
    for name in LIBRARIES:
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            versions[name] = "not installed"
    return versions


def _valid_counts(dataset: Dataset) -> dict[str, int]:
    return {"forces": len(dataset.forces), "inspections": len(dataset.inspections),
            "tallies": len(dataset.tallies), "cases": len(dataset.cases),
            "recommendations": len(dataset.recommendations),
            "judgments": len(dataset.judgments),
            "judgment_tallies": len(dataset.judgment_tallies)}


def control_totals(result: Result) -> dict[str, Any]:
    """Row count and the sum of every whole-number column, for checking a copy."""
    sums = {}
    for column in result.columns:
        values = [row.get(column) for row in result.rows]
        numbers = [v for v in values if isinstance(v, int) and not isinstance(v, bool)]
        if numbers and len(numbers) == len([v for v in values if v is not None]):
            sums[column] = sum(numbers)
    return {"rows": len(result.rows), "sums": sums}


def build_manifest(result: Result, dataset: Dataset, arguments: dict[str, Any],
                   ignored: list[str] | None = None,
                   phrase: Callable[[Reason], str] = str) -> dict[str, Any]:
    """What a reviewer needs to trace the output to its inputs. No clock time in it.

    Control total: for each kind of record, read = used + rejected, each rejection with
    its reason (records that failed validation included), worded by `phrase` (the
    library's domain words by default)."""
    kinds: dict[str, dict[str, Any]] = {}
    read_by_kind: dict[str, int] = {}
    for f in dataset.inputs:
        for kind, n in f.records.items():
            read_by_kind[kind] = read_by_kind.get(kind, 0) + n
    valid = _valid_counts(dataset)
    for kind, read in read_by_kind.items():
        reasons: dict[str, int] = {}
        for reason, n in result.account.reasons(kind).items():
            reasons[phrase(reason)] = reasons.get(phrase(reason), 0) + n
        if read > valid[kind]:
            reasons["failed validation"] = read - valid[kind]
        rejected = sum(reasons.values())
        kinds[kind] = {"read": read, "used": result.account.used.get(kind, 0),
                       "rejected": rejected,
                       "reasons": [{"reason": r, "count": n} for r, n in sorted(reasons.items())]}
    return {
        "tool": "ncpi",
        "version": __version__,
        "format_version": domain.FORMAT_VERSION,
        "libraries": _library_versions(),
        "command": result.command,
        "arguments": arguments,
        "inputs": [{"path": f.path, "bytes": f.size, "sha256": f.sha256,
                    "records": f.records} for f in dataset.inputs],
        "ignored_files": list(ignored or []),
        "cache": "none: every run reads and validates its inputs afresh",
        "records": {
            "read": sum(k["read"] for k in kinds.values()),
            "used": sum(k["used"] for k in kinds.values()),
            "rejected": sum(k["rejected"] for k in kinds.values()),
            "by_kind": kinds,
        },
        "output": {**control_totals(result), "csv_cells_neutralised": neutralised_cells(result)},
        "notes": list(result.notes) + list(result.mismatches),
    }


#: The same problem on this many records or more is one line, naming where it occurs.
GROUP_FROM = 3
GROUP_SHOWN = 10


def problem_lines(problems: list[Problem]) -> list[str]:
    """Problems for a person: one line each, except that the same problem on many records
    of one file is one line with the count and the first places (`--format json` and the
    library keep every problem)."""
    groups: dict[tuple[str, str], list[Problem]] = {}
    for problem in problems:
        groups.setdefault((problem.file, problem.message), []).append(problem)
    lines = []
    for (file, message), members in groups.items():
        if len(members) < GROUP_FROM:
            lines.extend(str(p) for p in members)
            continue
        places = [p.place or str(p.line) for p in members[:GROUP_SHOWN]]
        what = "lines" if not members[0].place else "cells"
        more = f", ... (first {GROUP_SHOWN} shown)" if len(members) > GROUP_SHOWN else ""
        lines.append(shown(f"{file}: {message}: {len(members)} records, {what} "
                           f"{', '.join(places)}{more}"))
    return lines


def write_manifest(manifest: dict[str, Any], path: str) -> None:
    """The manifest as a whole file or none (a failed run leaves no empty manifest)."""
    from pathlib import Path

    from .writing import write_atomically

    text = json.dumps(manifest, indent=2, ensure_ascii=False) + "\n"
    write_atomically(Path(path), text.encode("utf-8", "backslashreplace"))


def render(result: Result, fmt: str, manifest: dict[str, Any]) -> bytes:
    """A file format's bytes (csv, json, xlsx): what `-o FILE` writes."""
    if fmt == "xlsx":
        from .workbook import to_xlsx

        return to_xlsx(result, manifest)
    text = to_csv(result)[0] if fmt == "csv" else to_json(result, manifest)
    return text.encode("utf-8", "backslashreplace")


def write(result: Result, fmt: str, stream: TextIO, manifest: dict[str, Any],
          detail: bool = False) -> None:
    if fmt == "xlsx":
        stream.flush()
        stream.buffer.write(render(result, fmt, manifest))
    elif fmt == "csv":
        text, _ = to_csv(result)
        stream.write(text)
    elif fmt == "json":
        stream.write(to_json(result, manifest))
    else:
        from .terminal import print_table

        print_table(result, stream, detail)
