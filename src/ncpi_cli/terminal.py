"""Tables for people at a terminal (rich). Machines get CSV or JSON from `output`."""

from __future__ import annotations

from typing import TextIO

from rich.console import Console
from rich.table import Table

from . import domain
from .analysis.common import Result, pct


def _label(grade: str) -> str:
    return domain.GRADE_LABELS.get(grade, grade)


def _count_pct(count: object, share: object) -> str:
    if count is None:
        return ""
    return f"{count} ({share}%)" if share is not None else f"{count}"


def _grades_in(result: Result, prefix: str = "") -> list[str]:
    return [g for g in domain.GRADES if f"{prefix}{g}" in result.columns]


def print_table(result: Result, stream: TextIO) -> None:
    """Colour only on a terminal and never with NO_COLOR: rich decides, from the stream."""
    console = Console(file=stream, highlight=False, soft_wrap=False)
    VIEWS[result.command](result, console)


def _grades(result: Result, console: Console) -> None:
    grades = _grades_in(result)
    groups: dict[tuple, list[dict]] = {}
    for row in result.rows:
        key = (row["force"], row["inspection"], row["assessor"], row["basis"])
        groups.setdefault(key, []).append(row)
    for (force, inspection, assessor, basis), rows in groups.items():
        table = Table(title=f"{force} · {inspection} · graded by {assessor} · basis {basis}",
                      caption="counts, with % of the row's total", title_justify="left",
                      caption_justify="left")
        table.add_column("area", no_wrap=True, min_width=max(len(r["area"]) for r in rows))
        table.add_column("sample", no_wrap=True, min_width=max(len(r["sample"]) for r in rows))
        for g in grades:
            table.add_column(_label(g), justify="right")
        table.add_column("total", justify="right")
        for row in rows:
            cells = [row["area"], row["sample"]]
            cells += [_count_pct(row[g], row[f"{g}_pct"]) for g in grades]
            cells.append(str(row["total"]))
            table.add_row(*cells)
        console.print(table)


def _compare(result: Result, console: Console) -> None:
    grades = _grades_in(result, "force_")
    for row in result.rows:
        title = (f"{row['force']} · {row['inspection']} · area {row['area']} · basis "
                 f"{row['basis']} · n = {row['n'] if row['n'] is not None else '?'}")
        table = Table(title=title, title_justify="left")
        table.add_column("grade")
        table.add_column("force", justify="right")
        table.add_column("inspectors", justify="right")
        table.add_column("difference (pp)", justify="right")
        for g in grades:
            diff = row[f"{g}_diff_pp"]
            table.add_row(_label(g),
                          _count_pct(row[f"force_{g}"], row[f"force_{g}_pct"]),
                          _count_pct(row[f"inspector_{g}"], row[f"inspector_{g}_pct"]),
                          _signed(diff))
        console.print(table)
        n = row["n"]
        if row["agree"] is not None:
            for key, words in (("agree", "agreed"), ("over", "force graded more favourably"),
                               ("under", "force graded less favourably")):
                console.print(f"  {words}: {row[key]} ({_share(row[key], n)}%)")
        elif row["agree_min"] is not None:
            console.print("  pairing not published; exact ranges over every pairing the "
                          "totals allow:")
            for key, words in (("agree", "agreed"), ("over", "force graded more favourably"),
                               ("under", "force graded less favourably")):
                low, high = row[f"{key}_min"], row[f"{key}_max"]
                console.print(f"  {words}: {low} to {high} of {n} "
                              f"({_share(low, n)}% to {_share(high, n)}%)")
        if row["note"] and row["agree_min"] is None:
            console.print(f"  note: {row['note']}")
        console.print()


def _signed(diff: object) -> str:
    if diff is None:
        return ""
    return f"{diff:+}" if diff else "0.0"


def _share(count: int, n: int) -> str:
    return str(pct(count, n))


def _cross(result: Result, console: Console) -> None:
    grades = _grades_in(result, "inspector_")
    groups: dict[tuple, list[dict]] = {}
    for row in result.rows:
        groups.setdefault((row["force"], row["inspection"], row["area"]), []).append(row)
    for (force, inspection, area), rows in groups.items():
        shown = [g for g in grades if rows[0][f"inspector_{g}"] is not None]
        table = Table(title=f"{force} · {inspection} · area {area}: force grade (rows) x "
                            "inspector grade (columns)", title_justify="left")
        table.add_column("force \\ inspectors")
        for g in shown:
            table.add_column(_label(g), justify="right")
        table.add_column("total", justify="right")
        for row in rows:
            table.add_row(_label(row["force_grade"]),
                          *(str(row[f"inspector_{g}"]) for g in shown), str(row["total"]))
        console.print(table)


VIEWS = {"grades": _grades, "compare": _compare, "compare-table": _cross}
