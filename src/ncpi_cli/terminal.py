"""Tables for people at a terminal (rich). Machines get CSV or JSON from `output`."""

from __future__ import annotations

import os
import shutil
from typing import TextIO

from rich.console import Console
from rich.table import Table
from rich.text import Text

from . import domain
from .charts import GLYPH, text_bar
from .result import Kind, Result


def _label(grade: str) -> str:
    return domain.GRADE_LABELS.get(grade, grade)


def _count_pct(count: object, share: object) -> str:
    if count is None:
        return ""
    return f"{count} ({share}%)" if share is not None else f"{count}"


def _grades_in(result: Result, prefix: str = "") -> list[str]:
    return [g for g in domain.GRADES if f"{prefix}{g}" in result.columns]


def print_table(result: Result, stream: TextIO) -> None:
    """Colour only on a terminal and never with NO_COLOR: rich decides, from the stream.
    Data is shown as it is: no rich markup or emoji codes are read in it."""
    console = Console(file=stream, highlight=False, soft_wrap=False, width=_width(stream),
                      markup=False, emoji=False)
    VIEWS.get(result.command, _generic)(result, console)


def _width(stream: TextIO) -> int | None:
    """COLUMNS where it is a usable width; else the terminal's own (rich finds it), or 200
    when piped. A COLUMNS of 0 or of text is passed over rather than printing nothing."""
    columns = os.environ.get("COLUMNS", "")
    usable = columns.isascii() and columns.isdigit() and int(columns) >= MIN_WIDTH
    if stream.isatty():
        if usable or not columns:
            return None
        return max(shutil.get_terminal_size().columns, MIN_WIDTH)
    return int(columns) if usable else 200


MIN_WIDTH = 20


def _generic(result: Result, console: Console) -> None:
    """Any result as one table of its declared columns: numbers right-aligned."""
    table = Table(title=result.command, title_justify="left")
    names = result.columns
    for name in names:
        numeric = result.column(name).kind.numeric
        table.add_column(name, justify="right" if numeric else "left")
    for row in result.rows:
        table.add_row(*(_cell(row.get(name)) for name in names))
    console.print(table)


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


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
        table.add_column("distribution", no_wrap=True)
        for row in rows:
            cells = [row["area"], row["sample"]]
            cells += [_count_pct(row[g], row[f"{g}_pct"]) for g in grades]
            cells.append(str(row["total"]))
            scale = [g for g in grades if row[g] is not None]
            cells.append(_bar({g: row[g] for g in scale}, scale))
            table.add_row(*cells)
        console.print(table)
        console.print("  " + _key(grades))


def _compare(result: Result, console: Console) -> None:
    grades = _grades_in(result, "force_")
    for row in result.rows:
        title = (f"{row['force']} · {row['inspection']} · area {row['area']} · basis "
                 f"{row['basis']} · n = {row['n'] if row['n'] is not None else '?'}")
        table = Table(title=title, title_justify="left",
                      caption="counts (% of n) [95% Wilson interval]", caption_justify="left")
        table.add_column("grade")
        table.add_column("force", justify="right")
        table.add_column("inspectors", justify="right")
        table.add_column("difference (pp)", justify="right")
        for g in grades:
            if row[f"force_{g}"] is None:
                continue
            table.add_row(_label(g), _count_ci(row, f"force_{g}"),
                          _count_ci(row, f"inspector_{g}"), _signed(row[f"{g}_diff_pp"]))
        console.print(table)
        scale = [g for g in grades if row[f"force_{g}"] is not None]
        bars = Table.grid(padding=(0, 2))
        for who, label in (("force", "force"), ("inspector", "inspectors")):
            bars.add_row(f"  {label}", _bar({g: row[f"{who}_{g}"] for g in scale}, scale))
        console.print(bars)
        console.print("  " + _key(scale))
        n = row["n"]
        if row["agree"] is not None:
            console.print(f"  agreed: {row['agree']} ({row['agree_pct']}%, 95% CI "
                          f"{row['agree_ci_low']}-{row['agree_ci_high']}%)")
            console.print(f"  force graded more favourably: {row['over']} ({row['over_pct']}%); "
                          f"less favourably: {row['under']} ({row['under_pct']}%)")
            console.print(f"  mean gap (inspectors' grade minus force's, in steps): "
                          f"{row['mean_gap']}; sign test p = {_or_dash(row['sign_test_p'])}")
            for key, name in (("kappa", "kappa"), ("kappa_linear", "linear-weighted kappa")):
                if row[key] is not None:
                    console.print(f"  {name}: {row[key]} (95% CI {row[f'{key}_ci_low']} to "
                                  f"{row[f'{key}_ci_high']}, approximate)")
            if row["kappa_max"] is not None:
                console.print(f"  largest kappa these margins allow: {row['kappa_max']}")
            if row["bowker"] is not None:
                console.print(f"  symmetry (Bowker): {row['bowker']}, df {row['bowker_df']}, "
                              f"p = {row['bowker_p']} (exact p = "
                              f"{_or_dash(row['bowker_exact_p'])})")
                console.print(f"  marginal homogeneity (Stuart-Maxwell): "
                              f"{row['stuart_maxwell']}, df {row['stuart_maxwell_df']}, "
                              f"p = {row['stuart_maxwell_p']}")
            for name in _other_statistics(result):
                if row[name] is not None:
                    console.print(f"  {name}: {row[name]}")
        elif row["agree_min"] is not None:
            console.print("  pairing not published; exact ranges over every pairing the "
                          "totals allow:")
            for key, words in (("agree", "agreed"), ("over", "force graded more favourably"),
                               ("under", "force graded less favourably")):
                low, high = row[f"{key}_min"], row[f"{key}_max"]
                console.print(f"  {words}: {low} to {high} of {n} "
                              f"({row[f'{key}_min_pct']}% to {row[f'{key}_max_pct']}%)")
        if row["note"] and row["agree_min"] is None:
            console.print(f"  note: {row['note']}")
        console.print()


#: statistics the compare view words itself; any other declared statistic gets a line
WORDED = {"agree_ci_low", "agree_ci_high", "mean_gap", "sign_test_p", "kappa", "kappa_se",
          "kappa_ci_low", "kappa_ci_high", "kappa_max", "kappa_linear", "kappa_linear_se",
          "kappa_linear_ci_low", "kappa_linear_ci_high", "bowker", "bowker_df", "bowker_p",
          "bowker_exact_p", "stuart_maxwell", "stuart_maxwell_df", "stuart_maxwell_p"}
STATISTICS = (Kind.STATISTIC, Kind.P_VALUE, Kind.INTERVAL)


def _other_statistics(result: Result) -> list[str]:
    return [name for name in result.columns if name not in WORDED
            and not result.column(name).per_grade and result.column(name).kind in STATISTICS]


def _samples(result: Result, console: Console) -> None:
    grades = _grades_in(result, "self_assessed_")
    for row in result.rows:
        title = (f"{row['force']} · {row['inspection']} · area {row['area']} · basis "
                 f"{row['basis']} · inspectors' grades of each sample")
        table = Table(title=title, title_justify="left",
                      caption="counts (% of sample) [95% Wilson interval]",
                      caption_justify="left")
        table.add_column("grade")
        table.add_column(f"self-assessed (n = {row['self_assessed_n']})", justify="right")
        table.add_column(f"inspector-selected (n = {row['inspector_selected_n']})",
                         justify="right")
        table.add_column("difference (pp)", justify="right")
        for g in grades:
            if row[f"self_assessed_{g}"] is None:
                continue
            table.add_row(_label(g), _count_ci(row, f"self_assessed_{g}"),
                          _count_ci(row, f"inspector_selected_{g}"),
                          _signed(row[f"{g}_diff_pp"]))
        console.print(table)
        if row["fisher_exact_p"] is not None:
            console.print(f"  Fisher-Freeman-Halton p = {row['fisher_exact_p']} "
                          f"({row['fisher_method']})")
            console.print(f"  Mann-Whitney U = {row['mann_whitney_u']}, p = "
                          f"{row['mann_whitney_p']} ({row['mann_whitney_method']})")
        if row["note"]:
            console.print(f"  note: {row['note']}")
        console.print()


def _bar(counts: dict[str, int], scale: list[str]) -> Text:
    """A 20-cell bar, one glyph per grade (light to dark); colour only where allowed."""
    text = Text()
    for piece, style in text_bar(counts, scale):
        text.append(piece, style=style)
    return text


def _key(scale: list[str]) -> str:
    return "   ".join(f"{GLYPH[g]} {_label(g)}" for g in scale)


def _count_ci(row: dict, key: str) -> str:
    text = _count_pct(row[key], row[f"{key}_pct"])
    if row.get(f"{key}_ci_low") is not None:
        text += f" [{row[f'{key}_ci_low']}-{row[f'{key}_ci_high']}]"
    return text


def _or_dash(value: object) -> str:
    return "-" if value is None else str(value)


def _signed(diff: object) -> str:
    if diff is None:
        return ""
    return f"{diff:+}" if diff else "0.0"


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


def _reconcile(result: Result, console: Console) -> None:
    table = Table(title="Reconciliation: the data checked against itself",
                  title_justify="left")
    for column in ("check", "inspection", "subject", "expected", "found", "status"):
        table.add_column(column)
    for row in result.rows:
        status = Text(row["status"], style="" if row["status"] == "pass" else "bold")
        table.add_row(*(str(row[c]) for c in ("check", "inspection", "subject", "expected",
                                             "found")), status)
    console.print(table)


def _recommendations(result: Result, console: Console) -> None:
    table = Table(title="Recommendations", title_justify="left")
    for column in ("recommendation", "timescale", "due", "status", "past due", "overdue"):
        table.add_column(column, no_wrap=column in ("recommendation", "due"))
    for row in result.rows:
        due = row["due"] if row["due"] == row["due_latest"] else \
            f"{row['due']} to {row['due_latest']}"
        table.add_row(row["recommendation"], row["timescale"], due or "", row["status"],
                      _yes_no(row["past_due"]), _yes_no(row["overdue"]))
    console.print(table)
    for progress in dict.fromkeys(r["progress"] for r in result.rows if r["progress"]):
        console.print(f"  aggregate progress: {progress} (which ones is not published)")


def _yes_no(value: object) -> str:
    return "unknown" if value is None else ("yes" if value else "no")


def _timeline(result: Result, console: Console) -> None:
    table = Table(title="Timeline", title_justify="left")
    for column in ("date", "inspection", "step", "done", "status"):
        table.add_column(column, no_wrap=column == "date")
    for row in result.rows:
        date = row["date"] or "?"
        if row["date_latest"] and row["date_latest"] != row["date"]:
            date = f"{row['date']} to {row['date_latest']}"
        table.add_row(date, row["inspection"], row["step"], row["done"] or "", row["status"])
    console.print(table)


def _stage(row: dict, stage: str, grades: list[str]) -> str:
    if row[f"{stage}_n"] is None:
        return "not published"
    counts = [str(row[f"{stage}_{g}"]) for g in grades if row[f"{stage}_{g}"] is not None]
    return " / ".join(counts) + f" (n {row[f'{stage}_n']})"


def _review(result: Result, console: Console) -> None:
    grades = _grades_in(result, "initial_")
    table = Table(title="Initial inspection against its post-inspection review",
                  title_justify="left")
    for column in ("inspection", "review", "area", "sample", "assessor"):
        table.add_column(column)
    table.add_column("initial", justify="right")
    table.add_column("review", justify="right")
    for row in result.rows:
        table.add_row(row["inspection"], row["review"], row["area"], row["sample"],
                      row["assessor"], _stage(row, "initial", grades),
                      _stage(row, "review", grades))
    console.print(table)
    for progress in dict.fromkeys((r["inspection"], r["progress"]) for r in result.rows):
        console.print(f"  {progress[0]}: recommendations: {progress[1] or 'no progress recorded'}")


VIEWS = {"grades": _grades, "compare": _compare, "compare-table": _cross,
         "compare-samples": _samples, "reconcile": _reconcile,
         "recommendations": _recommendations, "timeline": _timeline,
         "compare-review": _review}
