"""The `ncpi` command line: parses options, calls the library, prints. No analysis here.

Heavy modules (pandas) are never imported at module level, so `ncpi --help` and
`ncpi --version` stay fast; the library modules are imported inside the commands.
"""

from __future__ import annotations

import enum
import shlex
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any

import typer

from . import __version__
from .errors import (
    DataError,
    InputError,
    NcpiError,
    OutputError,
    OverwriteError,
    SelectionError,
)
from .printable import shown

app = typer.Typer(
    name="ncpi",
    help="Grade distributions and self-assessment comparisons for National Child Protection "
    "Inspection case audits. With no --data, reads the bundled published figures (42 forces).",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)


class _OneValueEach(typer.core.TyperCommand):
    """A command that refuses an option given twice where it takes one value: click would
    silently keep the last one."""

    def parse_args(self, ctx, args: list[str]) -> list[str]:
        single = {name: p for p in self.params
                  if getattr(p, "is_flag", None) is False and not p.multiple
                  and not getattr(p, "count", False) for name in p.opts}
        seen: set[str] = set()
        for token in args:
            if token == "--":
                break
            name = token.split("=", 1)[0] if token.startswith("--") else token
            option = single.get(name)
            if option is None:
                continue
            if option.name in seen:
                ctx.fail(f"{name} is given twice: it takes one value")
            seen.add(option.name)
        return super().parse_args(ctx, args)


def _command(**settings):
    return app.command(cls=_OneValueEach, **settings)


class Format(str, enum.Enum):
    table = "table"
    csv = "csv"
    json = "json"
    xlsx = "xlsx"


class Assessor(str, enum.Enum):
    inspector = "inspector"
    force = "force"


class CaseList(str, enum.Enum):
    over = "over"
    under = "under"
    disagree = "disagree"
    agree = "agree"
    all = "all"


class By(str, enum.Enum):
    area = "area"


def _version(value: bool) -> None:
    if value:
        typer.echo(f"ncpi {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: Annotated[bool, typer.Option("--version", callback=_version, is_eager=True,
                                          help="Show the version and exit.")] = False,
) -> None:
    """Grade distributions and self-assessment comparisons for NCPI case audits."""


def _data_paths(ctx: typer.Context, value: list[Path] | None) -> list[Path] | None:
    """Refuse an empty path in NCPI_DATA (`a.yaml:` or `::`), which would read the current
    directory: a stray separator is a typing error, not a request for `.`."""
    import os

    source = ctx.get_parameter_source("data")
    if source is not None and source.name == "ENVIRONMENT":
        raw = os.environ.get("NCPI_DATA", "")
        if any(not part.strip() for part in raw.split(os.pathsep)):
            raise typer.BadParameter(f"NCPI_DATA holds an empty path ({raw!r}): remove the "
                                     f"extra '{os.pathsep}'", param_hint="NCPI_DATA")
    return value


def _path(text: str) -> Path:
    """A path as given: an empty one is refused (it would mean the current directory)."""
    if not text.strip():
        raise typer.BadParameter("an empty path: name a file or a directory (. for this one)")
    return Path(text)


DataOpt = Annotated[list[Path] | None, typer.Option(
    "--data", envvar="NCPI_DATA", show_default=False, metavar="PATH", callback=_data_paths,
    parser=_path,
    help="A data file (YAML, or a case table: .csv, .xlsx, .ods) or a directory of "
         "*.yaml/*.yml files; repeatable. Env NCPI_DATA (paths separated by ':'). Default: "
         "the bundled data.")]
FormatOpt = Annotated[Format | None, typer.Option(
    "--format", show_default=False, metavar="table|csv|json|xlsx",
    help="table (default on a terminal), csv (default when piped), json, or xlsx (a workbook: "
         "with -o FILE). With -o and no --format: from FILE's ending.")]
OutputOpt = Annotated[Path | None, typer.Option(
    "-o", "--output", metavar="FILE", show_default=False,
    help="Write the output to FILE (whole or not at all) instead of standard output.")]
ForceOpt = Annotated[list[str] | None, typer.Option(
    "--force", metavar="ID", show_default=False,
    help="Only this force (an id); repeatable: any of several.")]
InspectionOpt = Annotated[list[str] | None, typer.Option(
    "--inspection", metavar="ID", show_default=False,
    help="Only this inspection (an id); repeatable: any of several.")]
SheetOpt = Annotated[str | None, typer.Option(
    "--sheet", metavar="NAME", show_default=False,
    help="The sheet of a workbook (.xlsx, .ods) that holds the case table (default: its only "
         "visible sheet).")]
AreaOpt = Annotated[str | None, typer.Option(
    "--area", metavar="AREA",
    help="Only this practice area: s46, s47, domestic-abuse, other-referrals, cse, missing, "
         "rso, custody, online-abuse, unexpected-death, or 'all' for all-areas rows "
         "(ncpi list areas: what each means).")]
ManifestOpt = Annotated[Path | None, typer.Option(
    "--manifest", metavar="FILE", show_default=False,
    help="Also write the run's manifest (inputs and their sha256, records used and rejected, "
         "control totals, versions) to FILE as JSON.")]
AsOfOpt = Annotated[str | None, typer.Option(
    "--as-of", metavar="YYYY-MM-DD", show_default=False,
    help="Judge due dates as of this day (default: today).")]
SampleOpt = Annotated[str | None, typer.Option(
    "--sample", metavar="SAMPLE",
    help="Only this sample: self-assessed, inspector-selected or all.")]


class UsageError(NcpiError):
    """Options that do not go together, or a value an option cannot take."""


#: Exit codes of the CLI contract, by kind of failure (README, "Exit codes").
EXIT_CODES: dict[type[NcpiError], int] = {
    UsageError: 2, InputError: 2, SelectionError: 2, OverwriteError: 2, DataError: 3,
    OutputError: 1,
}


#: The library's selection fields and options, as this CLI spells them.
FLAGS = {"force": "--force", "inspection": "--inspection", "area": "--area",
         "sample": "--sample", "by area": "--by area"}
#: Results by the command line that makes them.
MODES = {"compare": "compare --self-vs-inspector", "compare-samples": "compare --samples"}


def _phrase(reason) -> str:
    """A reason records were not used, in the flags a user passes."""
    if reason.outside:
        return "outside " + "/".join(FLAGS[f] for f in reason.outside)
    if reason.option:
        return f"{reason.subject} (use {FLAGS[reason.option]})"
    return reason.text


def _message(error: NcpiError) -> str:
    """The library's message, with a selection an analysis does not take named as flags."""
    from .analysis.select import NotSelectable

    if not isinstance(error, NotSelectable):
        return str(error)
    mode = MODES[error.command]
    if error.only is not None:
        return f"{mode} uses the {error.only} {error.field} only, not '{error.value}'"
    return f"{mode} {error.purpose}: {FLAGS[error.field]} does not apply"


#: how the library names a reading option in a problem, and the option on this command line
OPTION_WORDS = {"(sheet option)": "(--sheet NAME)", "(inspection option)": "(--inspection ID)"}


def _problem_lines(problems) -> list[str]:
    """Problems for a person, with the reading options they mention named as flags."""
    from .output import problem_lines

    lines = problem_lines(problems)
    for words, flag in OPTION_WORDS.items():
        lines = [line.replace(words, flag) for line in lines]
    return lines


def _fail(error: NcpiError) -> typer.Exit:
    if isinstance(error, DataError):
        for line in _problem_lines(error.problems):
            sys.stderr.write(f"{line}\n")
    sys.stderr.write(f"Error: {shown(_message(error))}\n")
    code = next((c for kind, c in EXIT_CODES.items() if isinstance(error, kind)), 1)
    return typer.Exit(code)


def _guarded(body: Callable[[], int]) -> None:
    """Run a command body: expected failures become one message and their exit code."""
    try:
        code = body()
    except NcpiError as error:
        raise _fail(error) from None
    except BrokenPipeError:
        raise  # click handles a closed pipe quietly
    except OSError as error:  # a full disk, a device error
        reason = shown(error.strerror or str(error))
        where = "write output" if error.filename is None else f"use {shown(str(error.filename))}"
        sys.stderr.write(f"Error: cannot {where}: {reason}\n")
        raise typer.Exit(1) from None
    except MemoryError:
        sys.stderr.write("Error: not enough memory for this run: split the data into smaller "
                         "files, or use a machine with more memory\n")
        raise typer.Exit(1) from None
    except Exception as error:  # a bug: say so plainly, never show a traceback
        sys.stderr.write(f"Error: unexpected failure ({type(error).__name__}: "
                         f"{shown(str(error))}). "
                         "This is a bug in ncpi; please report it with the command you ran.\n")
        raise typer.Exit(1) from None
    if code:
        raise typer.Exit(code)


#: inputs larger than this show progress on a terminal (about a second's reading)
PROGRESS_BYTES = 10_000_000


def _load(data: list[Path] | None, sheet: str | None = None,
          inspection: list[str] | None = None,
          outputs: tuple[tuple[str, Path | None], ...] = ()):
    """Load the data, after making sure no output of the run can overwrite an input. One
    --inspection also names the inspection of a case table without an inspection column."""
    from .ingest import TableOptions, input_paths, load
    from .writing import check_outputs

    check_outputs([(what, path) for what, path in outputs if path is not None],
                  input_paths(data), sys.stdout)
    tables = TableOptions(sheet, inspection[0] if inspection and len(inspection) == 1
                          else None)
    if sys.stderr.isatty():
        with _ProgressLine() as progress:
            loaded = load(data, progress, tables=tables)
    else:
        loaded = load(data, tables=tables)
    _notes(loaded)
    _check_table_inspection(loaded, tables.inspection)
    if loaded.problems:
        raise DataError(loaded.problems)
    return loaded


def _check_table_inspection(loaded, inspection: str | None) -> None:
    """An --inspection given to a table that names no inspection of the data is a usage
    error, rather than the same problem on every row: where every problem is that one."""
    from .ingest.link import known, near

    loaded_ids = loaded.dataset.inspections
    undefined = f"inspection '{inspection}' is not defined in the loaded data"
    if (inspection is None or inspection in loaded_ids or not loaded.problems
            or not all(p.message.startswith((undefined, "... and ")) for p in loaded.problems)):
        return
    hint = near(inspection, loaded_ids)
    define = "" if hint else (": define it under 'inspections:' in a YAML file given with "
                              "--data (docs/data-format.md)")
    raise SelectionError(f"unknown inspection '{inspection}' ({hint}known: "
                         f"{known(loaded_ids, 'inspection')}){define}")


def _notes(loaded) -> None:
    if loaded.ignored:
        sys.stderr.write(shown(f"note: ignored {len(loaded.ignored)} file(s) that are not "
                               f"*.yaml or *.yml: {', '.join(loaded.ignored)}") + "\n")
    if loaded.skipped:
        sys.stderr.write(shown(f"note: skipped {len(loaded.skipped)} entr"
                               f"{'y' if len(loaded.skipped) == 1 else 'ies'} that are not "
                               f"regular files: {', '.join(loaded.skipped)}") + "\n")
    for note in loaded.notes:
        sys.stderr.write(f"note: {shown(note)}\n")


def _as_of(text: str | None):
    import datetime as dt
    import re

    if text is None:
        return dt.date.today()
    try:
        if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
            raise ValueError
        return dt.date.fromisoformat(text)
    except ValueError:
        raise UsageError(f"--as-of must be a date as YYYY-MM-DD, not '{text}'") from None


class _ProgressLine:
    """A progress line on stderr while a large input (over PROGRESS_BYTES) is read."""

    def __init__(self) -> None:
        self.bar = None
        self.task = None

    def __enter__(self) -> _ProgressLine:
        return self

    def __call__(self, file: str, size: int, cases: int) -> None:
        if self.bar is None:
            if size < PROGRESS_BYTES:
                return
            from rich.console import Console
            from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

            self.bar = Progress(SpinnerColumn(), TextColumn("{task.description}"),
                                TimeElapsedColumn(), console=Console(stderr=True),
                                transient=True)
            self.bar.start()
            self.task = self.bar.add_task("reading", total=None)
        # a case table says nothing until it is read: no count to show meanwhile
        counted = f": {cases:,} cases" if cases else ""
        self.bar.update(self.task, description=f"reading {file}{counted}")

    def __exit__(self, *exc: object) -> None:
        if self.bar is not None:
            self.bar.stop()


def _format(fmt: Format | None, output: Path | None) -> str:
    """The output format: as asked; else from -o FILE's ending; else a table on a terminal
    and CSV when piped. A workbook is never sent to a terminal."""
    if fmt is None and output is not None:
        chosen = {".json": "json", ".xlsx": "xlsx"}.get(output.suffix.lower(), "csv")
    else:
        chosen = fmt.value if fmt else ("table" if sys.stdout.isatty() else "csv")
    if chosen == "xlsx" and output is None and sys.stdout.isatty():
        raise UsageError("--format xlsx writes a workbook, not text: give -o FILE (or "
                         "redirect standard output to a file)")
    if chosen == "table" and output is not None:
        raise UsageError("-o writes a file: choose --format csv, json or xlsx")
    return chosen


def _emit(result, loaded, fmt: Format | None, arguments: dict[str, Any],
          manifest_path: Path | None = None, output: Path | None = None,
          detail: bool = False) -> int:
    from .output import build_manifest, render, write, write_manifest
    from .writing import write_atomically

    chosen = _format(fmt, output)
    arguments = {"data": [str(p) for p in arguments.pop("data") or []] or ["bundled"],
                 "format": chosen, **arguments,
                 **({"output": str(output)} if output is not None else {})}
    manifest = build_manifest(result, loaded.dataset, arguments, loaded.ignored, _phrase)
    if manifest_path is not None:
        write_manifest(manifest, str(manifest_path))
    if output is not None:
        write_atomically(output, render(result, chosen, manifest))
        rows = len(result.rows)
        sys.stderr.write(shown(f"wrote {output} ({rows} row{'' if rows == 1 else 's'})") + "\n")
    else:
        write(result, chosen, sys.stdout, manifest, detail)
    sys.stdout.flush()
    for note in result.notes:
        sys.stderr.write(f"note: {shown(note)}\n")
    for mismatch in result.mismatches:
        sys.stderr.write(f"Error: mismatch: {shown(mismatch)}\n")
    return 4 if result.mismatches else 0


def _examples(*commands: str) -> str:
    """A command's help epilog: examples, one per line, as written (not rewrapped)."""
    return "Examples:\n\n\b\n" + "\n".join(f"  {command}" for command in commands)


@_command(short_help="Grade counts and % by practice area and sample.",
             epilog=_examples("ncpi grades --force gwent",
                      "ncpi grades --force gwent --assessor force",
                      "ncpi grades --data audit.xlsx --format csv > grades.csv"))
def grades(
    data: DataOpt = None,
    sheet: SheetOpt = None,
    fmt: FormatOpt = None,
    force: ForceOpt = None,
    inspection: InspectionOpt = None,
    area: AreaOpt = None,
    sample: SampleOpt = None,
    assessor: Annotated[Assessor, typer.Option(
        "--assessor", help="Whose grading: the inspectors' (default) or the force's own.")
    ] = Assessor.inspector,
    manifest: ManifestOpt = None,
    output: OutputOpt = None,
) -> None:
    """Counts and percentages of each grade, per practice area, plus all-areas rows."""

    def body() -> int:
        from .analysis.grades import grades as run
        from .analysis.select import Filters

        loaded = _load(data, sheet, inspection, (("manifest", manifest), ("output", output)))
        filters = Filters(force, inspection, area, sample)
        result = run(loaded.dataset, filters, assessor.value)
        return _emit(result, loaded, fmt, {"data": data, **filters.as_dict(),
                                           "assessor": assessor.value}, manifest, output)

    _guarded(body)


class Outcome(str, enum.Enum):
    inadequate = "inadequate"
    good = "good"
    not_good = "not-good"


@_command(short_help="Every force at a glance, with a funnel-plot band.",
          epilog=_examples("ncpi national",
                           "ncpi national --grade not-good --collapse-scales",
                           "ncpi national --force dorset --force gwent --every",
                           "ncpi national --sort inadequate_pct --descending --format csv"))
def national(
    data: DataOpt = None,
    fmt: FormatOpt = None,
    force: ForceOpt = None,
    inspection: InspectionOpt = None,
    area: AreaOpt = None,
    grade: Annotated[Outcome, typer.Option(
        "--grade", metavar="inadequate|good|not-good",
        help="The grade the funnel is drawn for.")] = Outcome.inadequate,
    collapse: Annotated[bool, typer.Option(
        "--collapse-scales", help="Pool the four-grade (2014-16) and three-grade (2017 on) "
                                  "inspections, on good / not good only.")] = False,
    every: Annotated[bool, typer.Option(
        "--every", help="Every report, not only the latest of each kind per force.")] = False,
    sort: Annotated[str | None, typer.Option(
        "--sort", metavar="COLUMN", show_default=False,
        help="Sort the rows on this column (rows without a value last).")] = None,
    descending: Annotated[bool, typer.Option(
        "--descending", help="With --sort: largest first.")] = False,
    manifest: ManifestOpt = None,
    output: OutputOpt = None,
) -> None:
    """One row per inspection or follow-up visit: dates, n, each grade's count and %, and
    where the chosen grade sits against comparable inspections (funnel plot, exact binomial
    limits at 95% and 99.8%, and limits widened for overdispersion)."""

    def body() -> int:
        from .analysis.national import national as run
        from .analysis.select import Filters

        if descending and sort is None:
            raise UsageError("--descending goes with --sort COLUMN")
        loaded = _load(data, outputs=(("manifest", manifest), ("output", output)))
        filters = Filters(force, inspection, area)
        result = run(loaded.dataset, filters, grade.value, collapse, every, sort, descending)
        return _emit(result, loaded, fmt, {
            "data": data, **filters.as_dict(), "grade": grade.value,
            "collapse_scales": collapse, "every": every, "sort": sort,
            "descending": descending}, manifest, output)

    _guarded(body)


class ByTopic(str, enum.Enum):
    topic = "topic"


@_command(short_help="2024 methodology: each topic's grade, forces x topics.",
          epilog=_examples("ncpi judgments",
                           "ncpi judgments --force cleveland",
                           "ncpi judgments --by topic --format csv"))
def judgments(
    data: DataOpt = None,
    fmt: FormatOpt = None,
    force: ForceOpt = None,
    inspection: InspectionOpt = None,
    by: Annotated[ByTopic | None, typer.Option(
        "--by", metavar="topic", help="One row per topic: how many inspections graded it "
                                      "so.")] = None,
    manifest: ManifestOpt = None,
    output: OutputOpt = None,
) -> None:
    """The topics graded since 2024: one row per inspection (forces x topics), topics
    published only as counts left unnamed, and causes of concern."""

    def body() -> int:
        from .analysis.judgments import by_topic
        from .analysis.judgments import judgments as run
        from .analysis.select import Filters

        loaded = _load(data, outputs=(("manifest", manifest), ("output", output)))
        filters = Filters(force, inspection)
        result = (by_topic if by else run)(loaded.dataset, filters)
        return _emit(result, loaded, fmt, {"data": data, **filters.as_dict(),
                                           "by": by.value if by else None}, manifest, output)

    _guarded(body)


@_command(short_help="Force vs inspectors, the two samples, inspection vs review.",
             epilog=_examples("ncpi compare --self-vs-inspector --force gwent",
                      "ncpi compare --self-vs-inspector --data audit.csv --by area",
                      "ncpi compare --self-vs-inspector --data audit.csv --list-cases over",
                      "ncpi compare --samples --force gwent",
                      "ncpi compare --initial-vs-review --as-of 2026-11-24"))
def compare(
    self_vs_inspector: Annotated[bool, typer.Option(
        "--self-vs-inspector",
        help="The force's grades of its self-assessed cases against the inspectors' grades "
             "of the same cases.")] = False,
    initial_vs_review: Annotated[bool, typer.Option(
        "--initial-vs-review",
        help="An inspection against its post-inspection review: grades where both "
             "published them, and recommendation progress.")] = False,
    samples: Annotated[bool, typer.Option(
        "--samples",
        help="The inspectors' grades of the self-assessed sample against their grades of "
             "the cases they selected themselves.")] = False,
    data: DataOpt = None,
    sheet: SheetOpt = None,
    fmt: FormatOpt = None,
    force: ForceOpt = None,
    inspection: InspectionOpt = None,
    area: AreaOpt = None,
    sample: SampleOpt = None,
    by: Annotated[By | None, typer.Option(
        "--by", metavar="area", help="Also one row per practice area.")] = None,
    table: Annotated[bool, typer.Option(
        "--table", help="Print the full force x inspector table of each case-level group "
                        "instead of the summary.")] = False,
    detail: Annotated[bool, typer.Option(
        "--detail", help="With --by area on the terminal: a block per area (intervals, "
                         "tests) instead of one summary row per area.")] = False,
    list_cases: Annotated[CaseList | None, typer.Option(
        "--list-cases", metavar="over|under|disagree|agree|all", show_default=False,
        help="List the self-assessed cases behind the figures (id, area, both grades, where "
             "the record is) instead of the summary.")] = None,
    as_of: AsOfOpt = None,
    manifest: ManifestOpt = None,
    output: OutputOpt = None,
) -> None:
    """Compare gradings: agreement, over- and under-grading, per-grade differences."""

    def body() -> int:
        from .analysis.compare import cross_table
        from .analysis.compare import self_vs_inspector as run
        from .analysis.samples import samples as run_samples
        from .analysis.select import Filters

        if self_vs_inspector + samples + initial_vs_review != 1:
            raise UsageError("choose one comparison: --self-vs-inspector, --samples or "
                             "--initial-vs-review")
        if table and not self_vs_inspector:
            raise UsageError("--table goes with --self-vs-inspector (the force x inspector "
                             "table of the same cases)")
        if list_cases is not None and (not self_vs_inspector or table):
            raise UsageError("--list-cases goes with --self-vs-inspector (and not --table)")
        if detail and (not self_vs_inspector or by is not By.area or table or list_cases):
            raise UsageError("--detail goes with --self-vs-inspector --by area")
        day = _as_of(as_of)
        loaded = _load(data, sheet, inspection, (("manifest", manifest), ("output", output)))
        filters = Filters(force, inspection, area, sample)
        by_area = by is By.area
        if samples:
            result = run_samples(loaded.dataset, filters, by_area)
            mode = "samples"
        elif initial_vs_review:
            from .analysis.review import initial_vs_review as run_review

            result = run_review(loaded.dataset, filters, day)
            mode = "initial-vs-review"
        elif list_cases is not None:
            from .analysis.compare import case_list

            result = case_list(loaded.dataset, filters, list_cases.value)
            mode = "self-vs-inspector"
        else:
            result = (cross_table if table else run)(loaded.dataset, filters, by_area)
            mode = "self-vs-inspector"
        return _emit(result, loaded, fmt, {
            "data": data, "mode": mode, **filters.as_dict(),
            "by": by.value if by else None, "table": table,
            "list_cases": list_cases.value if list_cases else None,
            "as_of": str(day) if initial_vs_review else None}, manifest, output, detail)

    _guarded(body)


@_command(short_help="Check the figures against each other (exit 4 on a failure).",
             epilog=_examples("ncpi reconcile",
                      "ncpi reconcile --data my-data/ --format csv"))
def reconcile(
    data: DataOpt = None,
    sheet: SheetOpt = None,
    fmt: FormatOpt = None,
    force: ForceOpt = None,
    inspection: InspectionOpt = None,
    manifest: ManifestOpt = None,
    output: OutputOpt = None,
) -> None:
    """Check the data against itself: stated totals, areas and samples against all, cases
    against published tallies, progress against recommendations made (exit 4 on a failure)."""

    def body() -> int:
        from .analysis.reconcile import reconcile as run
        from .analysis.select import Filters

        loaded = _load(data, sheet, inspection, (("manifest", manifest), ("output", output)))
        filters = Filters(force, inspection)
        result = run(loaded.dataset, filters)
        return _emit(result, loaded, fmt, {"data": data, **filters.as_dict()}, manifest,
                     output)

    _guarded(body)


@_command(short_help="Each recommendation: due date, status, overdue.",
             epilog=_examples("ncpi recommendations --force gwent",
                      "ncpi recommendations --due-within 30 --as-of 2026-11-24"))
def recommendations(
    data: DataOpt = None,
    fmt: FormatOpt = None,
    force: ForceOpt = None,
    inspection: InspectionOpt = None,
    area: AreaOpt = None,
    as_of: AsOfOpt = None,
    overdue: Annotated[bool, typer.Option(
        "--overdue", help="Only those overdue on the as-of day.")] = False,
    due_within: Annotated[int | None, typer.Option(
        "--due-within", metavar="DAYS", show_default=False, min=0,
        help="Only those not completed and due within DAYS of the as-of day.")] = None,
    manifest: ManifestOpt = None,
    output: OutputOpt = None,
) -> None:
    """Each recommendation: timescale, due date, latest known status, overdue as of a day."""
    _dated("recommendations", data, fmt, (force, inspection, area), as_of, manifest, output,
           {"overdue_only": overdue, "due_within": due_within})


@_command(short_help="Steps from fieldwork to the PCC's response, with status.",
             epilog=_examples("ncpi timeline --force gwent",
                      "ncpi timeline --as-of 2019-08-15"))
def timeline(
    data: DataOpt = None,
    fmt: FormatOpt = None,
    force: ForceOpt = None,
    inspection: InspectionOpt = None,
    as_of: AsOfOpt = None,
    manifest: ManifestOpt = None,
    output: OutputOpt = None,
) -> None:
    """An inspection's steps in order, from fieldwork to the PCC's response to the review,
    each met, missed, pending or unknown."""
    _dated("timeline", data, fmt, (force, inspection), as_of, manifest, output)


def _dated(analysis: str, data, fmt, filter_values: tuple, as_of: str | None,
           manifest: Path | None, output: Path | None,
           options: dict[str, Any] | None = None) -> None:
    """A lifecycle analysis, judged as of a day."""

    def body() -> int:
        from .analysis import lifecycle
        from .analysis.select import Filters

        day = _as_of(as_of)
        loaded = _load(data, outputs=(("manifest", manifest), ("output", output)))
        filters = Filters(*filter_values)
        result = getattr(lifecycle, analysis)(loaded.dataset, filters, day, **(options or {}))
        return _emit(result, loaded, fmt, {"data": data, **filters.as_dict(),
                                           "as_of": str(day), **(options or {})}, manifest,
                     output)

    _guarded(body)


@_command(short_help="A self-contained HTML report of a force, or of them all.",
          epilog=_examples("ncpi report --force gwent -o gwent.html",
                           "ncpi report --national -o national.html",
                           "ncpi report --national --grade not-good --collapse-scales "
                           "-o n.html"))
def report(
    force: Annotated[list[str] | None, typer.Option(
        "--force", metavar="ID", show_default=False,
        help="The force (an id); or --national.")] = None,
    national: Annotated[bool, typer.Option(
        "--national", help="Every force: funnel plots, inspection to review, every "
                           "report's figures.")] = False,
    output: Annotated[Path | None, typer.Option(
        "-o", "--output", metavar="FILE", show_default=False,
        help="Write the HTML to FILE (default: standard output).")] = None,
    data: DataOpt = None,
    sheet: SheetOpt = None,
    inspection: InspectionOpt = None,
    grade: Annotated[Outcome, typer.Option(
        "--grade", metavar="inadequate|good|not-good",
        help="With --national: the grade the funnels are drawn for.")] = Outcome.inadequate,
    collapse: Annotated[bool, typer.Option(
        "--collapse-scales", help="With --national: pool both grade scales, on good / not "
                                  "good only.")] = False,
    as_of: AsOfOpt = None,
) -> None:
    """A self-contained HTML report: of a force (grades, comparisons, review,
    recommendations, timeline) or, with --national, of every force."""

    def body() -> int:
        from .writing import write_atomically

        if national == bool(force):
            raise UsageError("give --force ID (a force's report) or --national (every force)")
        if national and inspection:
            raise UsageError("--inspection goes with --force, not --national")
        if not national and (grade is not Outcome.inadequate or collapse):
            raise UsageError("--grade and --collapse-scales go with --national")
        if force and (len(force) > 1 or (inspection and len(inspection) > 1)):
            raise UsageError("a report is of one force (and at most one inspection): give "
                             "--force once, or --national for every force")
        if output is None and sys.stdout.isatty():
            raise UsageError("the report is an HTML page, not text for a terminal: give -o "
                             "FILE (or redirect standard output to a file)")
        day = _as_of(as_of)
        loaded = _load(data, sheet, inspection, (("report", output),))
        if national:
            from .analysis.overview import national_overview
            from .report import build_national

            html = build_national(loaded.dataset, national_overview(
                loaded.dataset, grade.value, collapse, day), day)
        else:
            from .analysis.overview import force_overview
            from .report import build

            html = build(loaded.dataset, force_overview(
                loaded.dataset, force[0], inspection[0] if inspection else None, day), day)
        if output is None:
            sys.stdout.write(html)
            sys.stdout.flush()
            return 0
        write_atomically(output, html)
        sys.stderr.write(f"wrote {output} ({len(html.encode()):,} bytes)\n")
        return 0

    _guarded(body)


@_command(short_help="Write a workbook to fill in, one row per case.",
             epilog=_examples("ncpi template audit.xlsx --inspection exampleton-2023 \\\n"
                              "      --data examples/exampleton-audit.yaml",
                              "ncpi template audit.xlsx --inspection gwent-2019"))
def template(
    output: Annotated[Path, typer.Argument(metavar="FILE", show_default=False,
                                           help="The workbook to write (.xlsx).")],
    inspection: Annotated[str, typer.Option(
        "--inspection", metavar="ID", help="The inspection the audit is of (its grades "
                                           "fill the drop-down lists).")],
    data: DataOpt = None,
    overwrite: Annotated[bool, typer.Option(
        "--overwrite", help="Replace FILE if it exists (never an input of the run).")] = False,
) -> None:
    """Write a ready-to-fill case table: header, drop-down lists, a sheet explaining each
    column."""

    def body() -> int:
        from .ingest.template import template as build
        from .writing import write_atomically

        if output.suffix.lower() != ".xlsx":
            raise UsageError(f"the template is an Excel workbook: name it .xlsx, not "
                             f"'{output.name}'")
        if output.exists() and not overwrite:
            raise UsageError(f"{output} exists: choose another name, or --overwrite")
        loaded = _load(data, outputs=(("template", output),))
        found = loaded.dataset.inspections.get(inspection)
        if found is None:
            known = ", ".join(sorted(loaded.dataset.inspections)) or "none"
            raise SelectionError(f"unknown inspection '{inspection}' (known: {known})")
        write_atomically(output, build(found))
        then = " ".join(shlex.quote(str(path)) for path in [output, *(data or [])])
        sys.stderr.write(shown(f"wrote {output}: fill one row per case on the Cases sheet, "
                               f"then: ncpi validate {then}") + "\n")
        return 0

    _guarded(body)


class Listable(str, enum.Enum):
    forces = "forces"
    inspections = "inspections"
    areas = "areas"


@_command(name="list", short_help="What the data holds: forces, inspections, areas.",
             epilog=_examples("ncpi list forces", "ncpi list inspections --data my-data/",
                              "ncpi list areas"))
def list_(
    what: Annotated[Listable, typer.Argument(metavar="forces|inspections|areas",
                                             help="What to list.")],
    data: DataOpt = None,
    sheet: SheetOpt = None,
    fmt: FormatOpt = None,
    output: OutputOpt = None,
) -> None:
    """The forces and inspections in the loaded data (their ids for --force and
    --inspection), or the practice areas with the spellings accepted for each."""

    def body() -> int:
        from .analysis.listing import listing

        loaded = _load(data, sheet, outputs=(("output", output),))
        result = listing(loaded.dataset, what.value)
        return _emit(result, loaded, fmt, {"data": data, "what": what.value}, None, output)

    _guarded(body)


@_command(short_help="Check data files: every problem, with its place.",
             epilog=_examples("ncpi validate my-data/",
                              "ncpi validate audit.xlsx inspections.yaml",
                              "ncpi validate my-data/ --json > problems.json"))
def validate(
    ctx: typer.Context,
    paths: Annotated[list[Path] | None, typer.Argument(
        show_default=False, parser=_path, metavar="PATH",
        help="Data files or directories, read with any --data given "
                                 "(default: NCPI_DATA, or the bundled data).")] = None,
    data: DataOpt = None,
    sheet: SheetOpt = None,
    inspection: Annotated[str | None, typer.Option(
        "--inspection", metavar="ID", help="The inspection of a case table that has no "
                                           "inspection column.")] = None,
    as_json: Annotated[bool, typer.Option(
        "--json", help="Every problem as JSON on standard output (none grouped), with the "
                       "files and records read.")] = False,
) -> None:
    """Check data files: every problem is listed as file:line: record: message (exit 3);
    a tally whose counts contradict its stated total is a mismatch (exit 4).

    The figures are not checked against each other here: ncpi reconcile does that."""

    def body() -> int:
        from .analysis.common import stated_total_mismatch
        from .ingest import TableOptions, load

        source = ctx.get_parameter_source("data")
        # files named both ways are read together; NCPI_DATA only stands in for none named
        named = source is not None and source.name == "COMMANDLINE"
        given = [*(paths or []), *(data or [])] if named or not paths else list(paths)
        loaded = load(given or None, tables=TableOptions(sheet, inspection))
        _notes(loaded)
        _check_table_inspection(loaded, inspection)
        files = len(loaded.dataset.inputs)
        read = loaded.dataset.records_read
        mismatches = [m for t in loaded.dataset.tallies if (m := stated_total_mismatch(t))]
        if as_json:
            import json

            sys.stdout.write(json.dumps({
                "files": [{"path": f.path, "bytes": f.size, "sha256": f.sha256,
                           "records": f.records} for f in loaded.dataset.inputs],
                "records_read": read,
                "problems": [{"file": p.file, "line": p.line, "place": p.place or None,
                              "record": p.record, "message": p.message}
                             for p in loaded.problems],
                "mismatches": [] if loaded.problems else mismatches,
                "notes": loaded.notes}, indent=2, ensure_ascii=False) + "\n")
        else:
            for line in _problem_lines(loaded.problems):
                sys.stderr.write(f"{line}\n")
        if loaded.problems:
            bad = len({p.file for p in loaded.problems})
            sys.stderr.write(f"Error: {len(loaded.problems)} problem(s) in {bad} of {files} "
                             f"file(s)\n")
            return 3
        for mismatch in mismatches:
            sys.stderr.write(f"Error: mismatch: {shown(mismatch)}\n")
        if mismatches:
            return 4
        if not as_json:
            from .ingest.files import BUNDLED_PREFIX

            bundled = sum(f.path.startswith(BUNDLED_PREFIX) for f in loaded.dataset.inputs)
            some = f" ({bundled} of them bundled)" if 0 < bundled < files else ""
            sys.stdout.write(f"ok: {files} file(s){some}, {read} record(s), no problems (the "
                             "figures against each other: ncpi reconcile)\n")
        return 0

    _guarded(body)


def main() -> None:
    """Console-script entry point. Output is UTF-8 whatever the locale, and what no UTF-8 can
    hold (a file name's undecodable byte) is escaped (`\\udcff`), never a crash. (click
    stops quietly on a closed pipe, `| head`.)"""
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None:
            reconfigure(encoding="utf-8", errors="backslashreplace")
    app()
