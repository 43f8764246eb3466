"""Files to a Dataset, one way for every command: find the inputs, read each file's records
by its kind's rule (the precise YAML path, or the fast path for large case sections), then
link the records across files. Every record read is kept or rejected with its problem."""

from __future__ import annotations

import gc
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from ncpi_cli.errors import ResourceError
from ncpi_cli.model import Dataset, InputFile, Problem

from . import fast
from .document import new_records, read_text
from .fields import FileRecords
from .files import (
    BUNDLED_PREFIX,
    OLE_MAGIC,
    ZIP_MAGIC,
    InputText,
    TableOptions,
    find_inputs,
    is_table,
)
from .link import link

__all__ = ["BUNDLED_PREFIX", "InputText", "LoadResult", "Progress", "TableOptions",
           "input_paths", "load", "read_texts"]

MAX_PROBLEMS_PER_FILE = 1000
NO_OPTIONS = TableOptions()

#: Called as inputs are read: (file as named, its size in bytes, cases read so far).
Progress = Callable[[str, int, int], None]


@dataclass
class LoadResult:
    dataset: Dataset
    problems: list[Problem]
    #: files in a named directory that were not read (not *.yaml / *.yml)
    ignored: list[str] = field(default_factory=list)
    #: entries of a named directory that are not regular files, each with what it is
    skipped: list[str] = field(default_factory=list)
    #: what the readers want the user told (rows skipped, formulas read as values)
    notes: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def load(paths: Sequence[str | Path] | None = None, progress: Progress | None = None, *,
         tables: TableOptions = NO_OPTIONS) -> LoadResult:
    """Read and validate files or directories (the bundled data when none are given).

    Case tables (CSV, XLSX, ODS) hold cases only: when every input named is a table, the
    forces and inspections come from the bundled data."""
    inputs = find_inputs(paths)
    notes = []
    if inputs.files and all(is_table(f.display) for f in inputs.files):
        bundled = find_inputs(None).files
        inputs.files[:0] = bundled
        notes.append("forces and inspections from the bundled data (the inputs named are "
                     "all case tables): " + ", ".join(f.display for f in bundled))
    result = read_texts((source.read() for source in inputs.files), inputs.ignored,
                        progress=progress, tables=tables)
    result.skipped = inputs.skipped
    result.notes[:0] = notes
    return result


def input_paths(paths: Sequence[str | Path] | None) -> list[Path]:
    """The files `load` would read for these paths (to check outputs against them)."""
    return [source.path for source in find_inputs(paths).files]


def read_texts(texts: Iterable[InputText], ignored: Sequence[str] = (), *,
               fast_path: bool = True, progress: Progress | None = None,
               tables: TableOptions = NO_OPTIONS) -> LoadResult:
    """Validate inputs read one at a time. `fast_path=False` reads every file by the precise
    path (the fast path must give the same result: the tests compare the two)."""
    parsed: list[tuple[FileRecords, InputFile]] = []
    gc_was_enabled = gc.isenabled()
    gc.disable()  # hundreds of thousands of small records: collection cycles only cost here
    try:
        for text in texts:
            try:
                parsed.append(_read_file(text, fast_path, progress, tables))
            except MemoryError:
                size = len(text.data)
                del text, parsed[:]
                raise ResourceError(f"not enough memory to read the inputs (at one of "
                                    f"{size:,} bytes): split the data into smaller files, or "
                                    "use a machine with more memory") from None
            del text  # the next file's bytes may be large: hold one at a time
    finally:
        if gc_was_enabled:
            gc.enable()
    dataset = Dataset(inputs=[file for _, file in parsed])
    cross = link([records for records, _ in parsed], dataset)
    problems: list[Problem] = []
    for records, _ in parsed:
        mine = sorted(records.problems + cross.get(records.file, []))
        problems.extend(_capped(mine))
    notes = [note for records, _ in parsed for note in records.notes]
    return LoadResult(dataset, problems, list(ignored), notes=notes)


def _read_file(source: InputText, fast_path: bool, progress: Progress | None,
               tables: TableOptions) -> tuple[FileRecords, InputFile]:
    size = len(source.data)
    if progress is not None:
        progress(source.display, size, 0)
    if is_table(source.display):
        from .tables import read_table  # csv, zipfile, calamine: only for a table

        records = read_table(source, tables, bulk=fast_path)
        return records, InputFile(source.display, size, source.sha256, records.counts)
    text, problems = source.decode()
    if source.data.startswith((ZIP_MAGIC, OLE_MAGIC)):
        records = new_records(source.display)
        records.problems.append(Problem(source.display, 0, "", "this is a workbook (a zip or "
                                        "OLE file), not YAML: name it .xlsx or .ods to read "
                                        "it as a case table"))
    elif text is None:
        records = new_records(source.display)
        records.problems.extend(problems)
    else:
        records = None
        if fast_path:
            records = fast.read(text, source.display, progress=progress and (
                lambda count: progress(source.display, size, count)))
        if records is None:
            records = read_text(text, source.display)
    return records, InputFile(source.display, size, source.sha256, records.counts)


def _capped(problems: list[Problem]) -> list[Problem]:
    if len(problems) <= MAX_PROBLEMS_PER_FILE:
        return problems
    shown = problems[:MAX_PROBLEMS_PER_FILE]
    rest = len(problems) - len(shown)
    return [*shown, Problem(shown[-1].file, shown[-1].line, "",
                            f"... and {rest} more problems in this file, not shown")]
