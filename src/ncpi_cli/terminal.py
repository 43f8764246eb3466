"""Tables for people at a terminal (rich). Machines get CSV or JSON from `output`."""

from __future__ import annotations

import os
import re
import shutil
import textwrap
from dataclasses import dataclass
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


def print_table(result: Result, stream: TextIO, detail: bool = False) -> None:
    """Colour only on a terminal and never with NO_COLOR: rich decides, from the stream.
    Data is shown as it is: no rich markup or emoji codes are read in it. `detail` asks a
    view that summarises many rows in one table (compare by area) for a block per row."""
    console = Console(file=stream, highlight=False, soft_wrap=False, width=_width(stream),
                      markup=False, emoji=False)
    if result.command == "compare" and not detail:
        _compare_areas(result, console)
    else:
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
    """Any result as one table of its declared columns: numbers right-aligned and whole,
    text wrapped at spaces (so an id, having none, is never cut)."""
    columns = [_Column(name, FIGURE, "right") if result.column(name).kind.numeric
               else _Column(name, TEXT) for name in result.columns]
    rows = [[_cell(row.get(name)) for name in result.columns] for row in result.rows]
    _fitted(console, result.command, columns, rows)


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


FIGURE, TEXT, BAR = "figure", "text", "bar"
BAR_WIDTH, MIN_BAR = 20, 6
#: text longer than this without a space (a web address) is folded over lines, never cut
FOLD = 30


@dataclass
class _Column:
    """A column to fit: a figure or an id is never cut or wrapped; text wraps at spaces;
    a bar shrinks, then goes, before anything else gives way."""

    header: str
    role: str = FIGURE
    justify: str = "left"
    #: a shorter header used when the table does not fit, explained in a legend below
    short: str | None = None
    #: when the table does not fit, one table per value of this column (in the title)
    split: bool = False


def _words(text: str) -> int:
    return max((len(word) for word in text.split()), default=0)


def _fitted(console: Console, title: str, columns: list[_Column], rows: list[list],
            caption: str | None = None, legend: list[str] | None = None) -> None:
    """Print a table that shows every figure and id whole at the console's width. In turn,
    until it fits: columns with one value move into the title, short headers replace long
    ones (explained below), the bar shrinks and then goes, the table splits by a column
    marked `split`; text wraps at spaces. Past all that it is printed wider than the console
    rather than cut."""
    legend = list(legend or [])
    at = next((i for i, c in enumerate(columns) if c.split), None)
    plan = _plan(console.width, title, columns, rows, legend)
    if plan.width > console.width and at is not None and len({str(r[at]) for r in rows}) > 1:
        kept = [c for i, c in enumerate(columns) if i != at]
        for value in dict.fromkeys(str(r[at]) for r in rows):
            part = [[c for i, c in enumerate(r) if i != at] for r in rows if str(r[at]) == value]
            sub = _plan(console.width, f"{title} · {columns[at].header} {value}", kept, part,
                        [])
            _print_plan(console, sub, caption)
            legend += [line for line in sub.legend if line not in legend]
    elif plan.width > console.width and len(plan.columns) > 3:
        _print_cards(console, plan, caption)
        legend = plan.legend
    else:
        _print_plan(console, plan, caption)
        legend = plan.legend
    for line in legend:
        _say(console, f"{line}")


@dataclass
class _Plan:
    title: str
    columns: list[_Column]
    headers: list[str]
    rows: list[list]
    bar: int
    legend: list[str]
    width: int
    #: whether headers fit unwrapped
    whole_headers: bool = False


def _plan(width: int, title: str, columns: list[_Column], rows: list[list],
          legend: list[str]) -> _Plan:
    columns, rows, legend = list(columns), [list(r) for r in rows], list(legend)
    headers = [c.header for c in columns]

    def need(bar: int, whole: bool = False) -> int:
        total = 3 * len(columns) + 1
        for i, column in enumerate(columns):
            cells = [str(row[i]) for row in rows]
            head = len(headers[i]) if whole else _words(headers[i])
            if column.role == BAR:
                total += max(bar, head) if whole else bar
            elif column.role == TEXT:
                total += min(max([head, *map(_words, cells)]), FOLD)
            else:
                total += max([head, *map(len, cells)])
        return total

    if need(BAR_WIDTH) > width and len(rows) > 1:
        constant = [i for i in range(1, len(columns)) if columns[i].role != BAR
                    and len({str(row[i]) for row in rows}) == 1]
        title += "".join(f" · {columns[i].header} {rows[0][i]}" for i in constant
                         if str(rows[0][i]))
        for i in reversed(constant):
            del columns[i], headers[i]
            for row in rows:
                del row[i]
    if need(BAR_WIDTH) > width:
        for i, column in enumerate(columns):
            if column.short and column.short != column.header:
                legend.append(f"{column.short} = {column.header}")
                headers[i] = column.short
    bar = BAR_WIDTH
    while bar > MIN_BAR and need(bar) > width:
        bar -= 1
    if need(bar) > width and any(c.role == BAR for c in columns):
        keep = [i for i, c in enumerate(columns) if c.role != BAR]
        columns = [columns[i] for i in keep]
        headers = [headers[i] for i in keep]
        rows = [[row[i] for i in keep] for row in rows]
    whole = need(bar, whole=True) <= width
    return _Plan(title, columns, headers, rows, bar, legend, need(bar, whole), whole)


def _print_cards(console: Console, plan: _Plan, caption: str | None) -> None:
    """A table too wide for the terminal, one record at a time: each column's name beside
    its value, so every value stays whole however many columns there are."""
    console.print(plan.title)
    for row in plan.rows:
        card = Table(show_header=False, box=None, padding=(0, 1))
        card.add_column(justify="right", style="bold", no_wrap=True)
        card.add_column(overflow="fold")
        for header, cell in zip(plan.headers, row):
            card.add_row(header, _shrunk(cell, plan.bar))
        console.print(card, crop=False)
        console.print()
    if caption:
        console.print(caption)


def _print_plan(console: Console, plan: _Plan, caption: str | None) -> None:
    """The table at widths worked out here, column by column (rich is given each width, so
    it never narrows a column below its longest word): figures and bars at their own width,
    text at least its longest word (up to FOLD), then the room left to the text columns,
    the one nearest to whole first."""
    widths, wants = [], []
    for i, (column, header) in enumerate(zip(plan.columns, plan.headers)):
        cells = [str(row[i]) for row in plan.rows]
        head = len(header) if plan.whole_headers else _words(header)
        if column.role == BAR:
            least = max(plan.bar, head)
            want = least
        elif column.role == TEXT:
            least = min(max([_words(header), *map(_words, cells)]), FOLD)
            want = max([len(header), *map(len, cells)])
        else:
            least = max([head, *map(len, cells)])
            want = least
        widths.append(least)
        wants.append(want)
    room = console.width - (3 * len(widths) + 1) - sum(widths)
    while room > 0:  # the column nearest to whole first: dates before long sentences
        short = [i for i, (w, want) in enumerate(zip(widths, wants)) if w < want]
        if not short:
            break
        nearest = min(short, key=lambda i: (wants[i] - widths[i], i))
        grow = min(room, wants[nearest] - widths[nearest])
        widths[nearest] += grow
        room -= grow
    table = Table(title=plan.title, title_justify="left", caption=caption,
                  caption_justify="left")
    for column, header, width in zip(plan.columns, plan.headers, widths):
        table.add_column(header, justify=column.justify, overflow="fold", width=width)
    for row in plan.rows:
        table.add_row(*(_shrunk(cell, plan.bar) for cell in row))
    console.print(table, crop=False)


def _shrunk(cell: object, bar: int) -> object:
    """A bar cell drawn at `bar` cells; anything else as it is."""
    return cell.render(bar) if isinstance(cell, _BarCell) else cell


@dataclass
class _BarCell:
    counts: dict[str, int]
    scale: list[str]

    def render(self, width: int) -> Text:
        text = Text()
        for piece, style in text_bar(self.counts, self.scale, width):
            text.append(piece, style=style)
        return text

    def __str__(self) -> str:
        return ""


SHORT_GRADES = {"good": "good", "adequate": "adeq", "requires_improvement": "RI",
                "inadequate": "inad"}


def _short_grades(text: str) -> str:
    """Grade names shortened in a text of counts (`requires_improvement 3` -> `RI 3`)."""
    return re.sub(r"\b(good|adequate|requires_improvement|inadequate)\b",
                  lambda m: SHORT_GRADES[m[1]], text)


def _grades(result: Result, console: Console) -> None:
    groups: dict[tuple, list[dict]] = {}
    for row in result.rows:
        key = (row["force"], row["inspection"], row["assessor"], row["basis"])
        groups.setdefault(key, []).append(row)
    for (force, inspection, assessor, basis), rows in groups.items():
        grades = [g for g in _grades_in(result) if any(row[g] is not None for row in rows)]
        columns = [_Column("area"), _Column("sample", split=True)]
        columns += [_Column(_label(g), justify="right", short=SHORT_GRADES[g]) for g in grades]
        columns += [_Column("total", justify="right"), _Column("bar", BAR)]
        cells = []
        for row in rows:
            scale = [g for g in grades if row[g] is not None]
            complete = row["total"] is not None and sum(row[g] for g in scale) == row["total"]
            cells.append([row["area"], row["sample"],
                          *(_count_pct(row[g], row[f"{g}_pct"]) for g in grades),
                          _or_dash(row["total"]),
                          _BarCell({g: row[g] for g in scale}, scale) if complete and
                          row["total"] else ""])
        _fitted(console, f"{force} · {inspection} · graded by {assessor} · basis {basis}",
                columns, cells, caption="counts, with % of the row's total")
        console.print("  " + _key(grades))
        for row in rows:
            if row.get("note"):
                _say(console, f"note ({row['area']}, {row['sample']}): {row['note']}")


def _compare(result: Result, console: Console) -> None:
    grades = _grades_in(result, "force_")
    for row in result.rows:
        title = (f"{row['force']} · {row['inspection']} · area {row['area']} · basis "
                 f"{row['basis']} · n = {row['n'] if row['n'] is not None else '?'}")
        if row["n"] == 0:
            _say(console, title)
            _say(console, f"note: {row['note']}")
            console.print()
            continue
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
            _say(console, f"agreed: {row['agree']} ({row['agree_pct']}%, 95% CI "
                          f"{row['agree_ci_low']}-{row['agree_ci_high']}%)")
            _say(console, f"force graded more favourably: {row['over']} ({row['over_pct']}%); "
                          f"less favourably: {row['under']} ({row['under_pct']}%)")
            _say(console, f"mean gap (inspectors' grade minus force's, in steps): "
                          f"{row['mean_gap']}; sign test p = {_or_dash(row['sign_test_p'])}")
            readings = row.get("readings") or {}
            for key, name in domain.COEFFICIENTS:
                if row.get(key) is not None:
                    how = "bootstrap" if key.startswith("alpha") else "approximate"
                    interval = ("" if row.get(f"{key}_ci_low") is None else
                                f" (95% CI {row[f'{key}_ci_low']} to {row[f'{key}_ci_high']}, "
                                f"{how})")
                    _say(console, f"{name}: {row[key]}{interval}")
                    if key in readings:
                        _say(console, f"  {readings[key]}")
            if row["kappa_max"] is not None:
                _say(console, f"largest kappa these margins allow: {row['kappa_max']}")
            if row.get("prevalence_index") is not None:
                _say(console, f"on good / not good: prevalence index "
                              f"{row['prevalence_index']}, bias index {row['bias_index']}")
                if "prevalence_bias" in readings:
                    _say(console, f"  {readings['prevalence_bias']}")
            if row["bowker"] is not None:
                _say(console, f"symmetry (Bowker): {row['bowker']}, df {row['bowker_df']}, "
                              f"p = {row['bowker_p']} (exact p = "
                              f"{_or_dash(row['bowker_exact_p'])})")
                _say(console, f"marginal homogeneity (Stuart-Maxwell): "
                              f"{row['stuart_maxwell']}, df {row['stuart_maxwell_df']}, "
                              f"p = {row['stuart_maxwell_p']}")
            for name in _other_statistics(result):
                if row[name] is not None:
                    _say(console, f"{name}: {row[name]}")
        elif row["agree_min"] is not None:
            console.print("  pairing not published; exact ranges over every pairing the "
                          "totals allow:")
            for key, words in (("agree", "agreed"), ("over", "force graded more favourably"),
                               ("under", "force graded less favourably")):
                low, high = row[f"{key}_min"], row[f"{key}_max"]
                _say(console, f"{words}: {low} to {high} of {n} "
                              f"({row[f'{key}_min_pct']}% to {row[f'{key}_max_pct']}%)")
        if row.get("reading"):
            _say(console, f"{row['reading']}")
        if row["note"] and row["agree_min"] is None:
            _say(console, f"note: {row['note']}")
        console.print()



def _compare_areas(result: Result, console: Console) -> None:
    """An inspection compared area by area: one summary row per area, so every area is on
    one screen; an inspection with a single row keeps its block."""
    groups: dict[tuple, list[dict]] = {}
    for row in result.rows:
        groups.setdefault((row["force"], row["inspection"]), []).append(row)
    for (force, inspection), rows in groups.items():
        if len(rows) == 1:
            _compare(Result(result.layout, result.grades, rows, result.account), console)
            continue
        columns = [_Column("area"), _Column("basis", split=True), _Column("n", justify="right"),
                   _Column("agreed", justify="right"), _Column("over", justify="right"),
                   _Column("under", justify="right"), _Column("kappa", justify="right"),
                   _Column("AC1", justify="right")]
        cells, noted = [], 0
        for row in rows:
            if row["agree"] is not None:
                figures = [_count_pct(row[k], row[f"{k}_pct"]) for k in ("agree", "over", "under")]
            elif row["agree_min"] is not None:
                figures = [f"{row[f'{k}_min']} to {row[f'{k}_max']}"
                           for k in ("agree", "over", "under")]
            else:
                figures = ["", "", ""]
            n = _or_dash(row["n"]) + ("*" if row["small_sample"] else "")
            cells.append([row["area"], row["basis"], n, *figures, _or_dash(row["kappa"]),
                          _or_dash(row.get("ac1"))])
            noted += bool(row["note"])
        _fitted(console, f"{force} · {inspection} · self-assessed cases by area", columns,
                cells, caption="counts (% of n)" + (
                    "; published basis: the range the totals allow"
                    if any(row["agree_min"] is not None for row in rows) else ""))
        if any(row["small_sample"] for row in rows):
            _say(console, "* under 10 cases: intervals and tests are unreliable")
        _say(console, "over / under: cases the force graded more / less favourably than the "
                      "inspectors")
        _say(console, f"{noted} of {len(rows)} rows carry a note (why a figure is absent, "
                      "how to read it); --detail prints each area's block with its note, "
                      "intervals and tests")
        console.print()

#: statistics the compare view words itself; any other declared statistic gets a line
WORDED = {f"{key}{end}" for key, _ in domain.COEFFICIENTS
          for end in ("", "_se", "_ci_low", "_ci_high")} | {
    "agree_ci_low", "agree_ci_high", "mean_gap", "sign_test_p", "kappa_max", "bowker",
    "bowker_df", "bowker_p", "bowker_exact_p", "stuart_maxwell", "stuart_maxwell_df",
    "stuart_maxwell_p", "prevalence_index", "bias_index"}
STATISTICS = (Kind.STATISTIC, Kind.P_VALUE, Kind.INTERVAL)


def _other_statistics(result: Result) -> list[str]:
    return [name for name in result.columns if name not in WORDED
            and not result.column(name).per_grade and result.column(name).kind in STATISTICS]


def _samples(result: Result, console: Console) -> None:
    grades = _grades_in(result, "self_assessed_")
    for row in result.rows:
        title = (f"{row['force']} · {row['inspection']} · area {row['area']} · basis "
                 f"{row['basis']} · inspectors' grades of each sample")
        columns = [_Column("grade", TEXT),
                   _Column(f"self-assessed (n = {row['self_assessed_n']})", justify="right"),
                   _Column(f"inspector-selected (n = {row['inspector_selected_n']})",
                           justify="right"),
                   _Column("difference (pp)", justify="right")]
        cells = [[_label(g), _count_ci(row, f"self_assessed_{g}"),
                  _count_ci(row, f"inspector_selected_{g}"), _signed(row[f"{g}_diff_pp"])]
                 for g in grades if row[f"self_assessed_{g}"] is not None]
        _fitted(console, title, columns, cells,
                caption="counts (% of sample) [95% Wilson interval]")
        if row["fisher_exact_p"] is not None:
            _say(console, f"Fisher-Freeman-Halton p = {row['fisher_exact_p']} "
                          f"({row['fisher_method']})")
            _say(console, f"Mann-Whitney U = {row['mann_whitney_u']}, p = "
                          f"{row['mann_whitney_p']} ({row['mann_whitney_method']})")
        if row.get("reading"):
            _say(console, f"{row['reading']}")
        if row["note"]:
            _say(console, f"note: {row['note']}")
        console.print()


def _say(console: Console, text: str) -> None:
    """A line of text under a table, wrapped at the console's width with a hanging indent;
    a figure stays beside its name (`p = 0.2041` is never split)."""
    text = re.sub(r"(\b(?:p|U|df|n)) = ", "\\1\u00a0=\u00a0", text)
    lines = textwrap.wrap(text, width=max(console.width, MIN_WIDTH), initial_indent="  ",
                          subsequent_indent="    ", break_long_words=False,
                          break_on_hyphens=False) or [""]
    for line in lines:
        console.print(line.replace("\u00a0", " "), crop=False)


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
    columns = [_Column("check", TEXT), _Column("inspection"), _Column("subject", TEXT),
               _Column("expected", TEXT), _Column("found", TEXT), _Column("status")]
    rows = [[row["check"], row["inspection"], row["subject"], _short_grades(row["expected"]),
             _short_grades(row["found"]),
             Text(row["status"], style="" if row["status"] == "pass" else "bold")]
            for row in result.rows]
    used = [g for g in domain.GRADES if any(re.search(rf"\b{g}\b", f"{r['expected']} "
                                                                   f"{r['found']}")
                                           for r in result.rows)]
    legend = [f"{SHORT_GRADES[g]} = {_label(g)}" for g in used
              if SHORT_GRADES[g] != _label(g)]
    _fitted(console, "Reconciliation: the data checked against itself", columns, rows,
            legend=legend)


def _recommendations(result: Result, console: Console) -> None:
    columns = [_Column("recommendation"), _Column("type", TEXT), _Column("timescale", TEXT),
               _Column("due", TEXT), _Column("status", TEXT), _Column("past due"),
               _Column("overdue"), _Column("summary", TEXT)]
    rows = []
    for row in result.rows:
        due = row["due"] if row["due"] == row["due_latest"] else \
            f"{row['due']} to {row['due_latest']}"
        status = row["status"] + (f" ({row['assurance']})" if row["assurance"] else "")
        kind = row["type"].replace("-", " ") + (f" under {row['under']}" if row["under"]
                                                else "")
        rows.append([row["recommendation"], kind, row["timescale"] or "none set", due or "",
                     status, _yes_no(row["past_due"]), _yes_no(row["overdue"]),
                     row["summary"]])
    _fitted(console, "Recommendations", columns, rows)
    for progress in dict.fromkeys(r["progress"] for r in result.rows if r["progress"]):
        _say(console, f"aggregate progress: {progress} (which ones is not published)")


def _yes_no(value: object) -> str:
    return "unknown" if value is None else ("yes" if value else "no")


def _timeline(result: Result, console: Console) -> None:
    """One table per force (its inspections and reviews in date order)."""
    columns = [_Column("date", TEXT), _Column("inspection"), _Column("step", TEXT),
               _Column("done", TEXT), _Column("status")]
    groups: dict[str, list[list]] = {}
    for row in result.rows:
        date = row["date"] or "?"
        if row["date_latest"] and row["date_latest"] != row["date"]:
            date = f"{row['date']} to {row['date_latest']}"
        groups.setdefault(row["force"], []).append(
            [date, row["inspection"], row["step"], row["done"] or "", row["status"]])
    for force, rows in groups.items():
        _fitted(console, f"Timeline · {force}", columns, rows)


def _review(result: Result, console: Console) -> None:
    """One table per inspection and what followed it (and per group of cases where there
    are several): each grade's count and % before and after, and the change in points with
    its 95% interval."""
    grades = _grades_in(result, "initial_")
    columns = [_Column("grade", TEXT), _Column("initial", justify="right"),
               _Column("review", justify="right"), _Column("change (pp)", justify="right"),
               _Column("95% CI", justify="right")]
    for row in result.rows:
        title = f"{row['inspection']} against {row['review']}"
        if (row["area"], row["sample"]) != (domain.ALL, domain.ALL):
            title += f" · area {row['area']} · sample {row['sample']}"
        if row["assessor"] != "inspector":
            title += f" · graded by {row['assessor']}"
        cells = []
        for key, label in [*((g, _label(g)) for g in grades), ("not_good", "not good")]:
            before = _count_pct(row.get(f"initial_{key}"), row.get(f"initial_{key}_pct"))
            after = _count_pct(row.get(f"review_{key}"), row.get(f"review_{key}_pct"))
            if not before and not after:
                continue
            low, high = row.get(f"{key}_diff_ci_low"), row.get(f"{key}_diff_ci_high")
            cells.append([label, before or "-", after or "-", _signed(row.get(f"{key}_diff_pp")),
                          f"{low} to {high}" if low is not None else ""])
        n = (f"n: {row['initial_n'] if row['initial_n'] is not None else 'not stated'} "
             f"before, {row['review_n'] if row['review_n'] is not None else 'not stated'} "
             "after")
        if cells:
            _fitted(console, title, columns, cells,
                    caption=f"{n}; count (% of n); change: review % minus initial %")
        else:
            _say(console, f"{title}: no grade figures published for either")
        tests = [f"{name} p = {row[key]}" for key, name in (
            ("fisher_exact_p", "Fisher-Freeman-Halton"), ("mann_whitney_p", "Mann-Whitney"))
            if row.get(key) is not None]
        if tests:
            _say(console, "different cases, so independent-sample tests: " + "; ".join(tests))
        if row["progress"]:
            _say(console, f"{row['inspection']}: {row['progress']}")
        if row["note"]:
            _say(console, f"note: {row['note']}")


KIND_WORDS = {"inspection": "inspection", "re-inspection": "re-inspection",
              "post-inspection-review": "review", "quarterly-update": "quarterly update",
              "assessment-of-progress": "progress visit", "thematic": "thematic"}


def _national(result: Result, console: Console) -> None:
    """One table per comparable group (the funnel it is drawn against), then the reports
    with no figure for the chosen grade and what they do state."""
    rows = result.rows
    if not rows:
        return
    outcome = rows[0]["outcome"]
    word = outcome.replace("-", " ")
    on_funnel: dict[str, list[dict]] = {}
    off: list[dict] = []
    for row in rows:
        (on_funnel.setdefault(row["group"], []) if row["band"] else off).append(row)
    for group, members in on_funnel.items():
        first = members[0]
        adjusted = any(row["band_adjusted"] is not None for row in members)
        columns = [_Column("force"), _Column("month"), _Column("n", justify="right"),
                   _Column(word, justify="right"), _Column("band")]
        if adjusted:
            columns.append(_Column("adjusted"))
        cells = []
        for row in members:
            count = row[outcome] if outcome in row else row["not_good"]
            cells.append([row["force"], (row["published"] or "?")[:7], str(row["n"]),
                          _count_pct(count, row["outcome_pct"]), row["band"],
                          *([row["band_adjusted"]] if adjusted else [])])
        over = (f"overdispersion phi {first['phi']} (p = {first['phi_p']})"
                + ("" if adjusted else ", not above 1: no adjusted limits")
                if first["phi"] is not None else
                "overdispersion not estimated (fewer than 10 reports)")
        _fitted(console, f"{group} · {word}", columns, cells,
                caption=f"pooled {first['pooled_pct']}% over {first['units']} reports; "
                        f"{over}; count (% of n); band: against exact binomial limits for n; "
                        "month: of publication (--format csv: intervals, limits)")
    stated = [row for row in off if row["note"] != "no published case figures found"]
    if stated:
        columns = [_Column("report"), _Column("n", justify="right"),
                   _Column("what is stated", TEXT)]
        cells = [[row["inspection"], "" if row["n"] is None else str(row["n"]),
                  row["note"] or ""] for row in stated]
        _fitted(console, f"Reports with figures, not on a funnel for {word}", columns, cells)
    if len(off) > len(stated):
        _say(console, f"{len(off) - len(stated)} more reports publish no case figures "
                      "(--format csv lists every report with its dates)")


TOPIC_SHORT = {"leadership": "lead", "partnership-working": "partn",
               "initial-response": "resp", "risk-assessment-and-referral": "risk",
               "investigation": "invest"}
GRADE_SHORT = {"good": "G", "adequate": "A", "requires_improvement": "RI",
               "inadequate": "I"}


def _judgments(result: Result, console: Console) -> None:
    """Forces x topics, a letter per grade, `?` where a grade is published only within a
    count; then what the letters mean, the unnamed counts and the causes of concern."""
    if not result.rows:
        return
    columns = [_Column("force"), _Column("month"),
               *(_Column(short) for short in TOPIC_SHORT.values()), _Column("CoC")]
    cells = []
    for row in result.rows:
        marks = []
        for topic in domain.TOPICS:
            grade = row[topic.replace("-", "_")]
            marks.append(GRADE_SHORT[grade] if grade else ("?" if row["unnamed"] else ""))
        cells.append([row["force"], (row["published"] or "?")[:7], *marks,
                      str(row["causes_of_concern"])])
    _fitted(console, "Topic judgments (2024 methodology)", columns, cells)
    _say(console, "G good, A adequate, RI requires improvement, I inadequate; ? published "
                  "only as a count, not named; CoC causes of concern recorded; month ? "
                  "publication date not known")
    _say(console, "topics: " + "; ".join(f"{short} = {domain.TOPICS[t]}"
                                         for t, short in TOPIC_SHORT.items()))
    for row in result.rows:
        if row["unnamed"]:
            _say(console, f"{row['inspection']}: the topics marked ? share {row['unnamed']}")
        elif row["note"]:
            _say(console, f"{row['inspection']}: {row['note']}")
        if row["causes"]:
            _say(console, f"{row['inspection']}: causes of concern: {row['causes']}")


def _judgments_topics(result: Result, console: Console) -> None:
    """Each topic's grades across inspections, one row per topic."""
    grades = [g for g in domain.GRADES if g in result.columns]
    columns = [_Column("topic", TEXT), *(_Column(_label(g), justify="right",
                                                 short=GRADE_SHORT[g]) for g in grades),
               _Column("not named", justify="right"), _Column("of", justify="right")]
    cells = [[row["label"], *(str(row[g]) for g in grades), str(row["not_named"]),
              str(row["inspections"])] for row in result.rows]
    _fitted(console, "Topic judgments by topic (2024 methodology)", columns, cells,
            caption="inspections that graded the topic so; not named: published only within "
                    "a count")


def _case_list(result: Result, console: Console) -> None:
    """The cases behind the agreement figures, a table per inspection: grades in words,
    and each case's line (or cell) where the inspection's cases come from one file."""
    groups: dict[tuple, list[dict]] = {}
    for row in result.rows:
        groups.setdefault((row["force"], row["inspection"]), []).append(row)
    for (force, inspection), rows in groups.items():
        files = {row["where"].rsplit(":", 1)[0] for row in rows}
        one_file = files.pop() if len(files) == 1 else None
        outcomes = {row["outcome"] for row in rows}
        title = f"{force} · {inspection} · self-assessed cases" + (
            f" · {outcomes.pop()}" if len(outcomes) == 1 else "") + (
            f" · {one_file}" if one_file else "")
        columns = [_Column("case"), _Column("area"), _Column("force's grade", TEXT),
                   _Column("inspectors' grade", TEXT)]
        if len(outcomes) > 1:
            columns.append(_Column("outcome"))
        in_sheet = one_file is not None and "!" in rows[0]["where"]
        columns.append(_Column("cell" if in_sheet else "line", justify="right") if one_file
                       else _Column("where"))
        cells = []
        for row in rows:
            where = row["where"].rsplit(":", 1)[1] if one_file else row["where"]
            cells.append([row["case"], row["area"],
                          domain.GRADE_LABELS.get(row["force_grade"], row["force_grade"]),
                          domain.GRADE_LABELS.get(row["inspector_grade"],
                                                  row["inspector_grade"]),
                          *([row["outcome"]] if len(outcomes) > 1 else []), where])
        _fitted(console, title, columns, cells)
        console.print()
    if any(row["outcome"] != "agree" for row in result.rows):
        _say(console, "over / under: the force graded the case more / less favourably than "
                      "the inspectors")


VIEWS = {"national": _national, "judgments": _judgments,
         "judgments-topics": _judgments_topics, "grades": _grades,
         "compare": _compare, "compare-table": _cross,
         "compare-samples": _samples, "reconcile": _reconcile,
         "recommendations": _recommendations, "timeline": _timeline,
         "compare-review": _review, "compare-cases": _case_list}
