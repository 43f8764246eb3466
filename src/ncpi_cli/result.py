"""The output contract: what an analysis hands to CSV, JSON, the terminal and the report.

Each analysis declares its columns once, as data (`Column`: name, kind, one-line meaning),
in a `Layout`. Columns named after a grade are templates (`force_<grade>_pct`) expanded on
the grade scales a result covers. The writers, the terminal views, the HTML report and the
README's column tables (checked by a test) all read these declarations.
"""

from __future__ import annotations

import enum
import re
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal

from . import domain

GRADE = "<grade>"


class Kind(enum.Enum):
    """What a column holds: a closed set, so a renderer knows how to show any column."""

    TEXT = "text"
    COUNT = "count"  # a whole number of records or cases
    PCT = "pct"  # a percentage 0-100, one decimal, computed exactly
    POINTS = "points"  # a difference of two percentages, in percentage points
    INTERVAL = "interval"  # one end of a confidence interval
    P_VALUE = "p-value"
    STATISTIC = "statistic"  # a test statistic, an estimate or its degrees of freedom
    FLAG = "flag"  # true / false
    DATE = "date"  # an ISO date, or a month where only the month is known
    TABLE = "table"  # a nested table (JSON only)

    @property
    def numeric(self) -> bool:
        return self in NUMERIC

    def holds(self, value: object) -> bool:
        """Whether `value` is of this kind (None, "not available", is of every kind)."""
        if value is None:
            return True
        if self is Kind.FLAG:
            return isinstance(value, bool)
        if isinstance(value, bool):
            return False
        if self is Kind.COUNT:
            return isinstance(value, int) and value >= 0
        if self in (Kind.PCT, Kind.POINTS):
            bound = 100 if self is Kind.PCT else -100
            return (isinstance(value, Decimal) and value.as_tuple().exponent == -1
                    and min(0, bound) <= value <= 100)
        if self in (Kind.INTERVAL, Kind.STATISTIC):
            return isinstance(value, (int, Decimal))
        if self is Kind.P_VALUE:
            return isinstance(value, Decimal) and 0 <= value <= 1
        if self is Kind.DATE:
            return isinstance(value, str) and bool(_DATE.fullmatch(value))
        if self is Kind.TABLE:
            return isinstance(value, dict)
        return isinstance(value, str)


NUMERIC = frozenset({Kind.COUNT, Kind.PCT, Kind.POINTS, Kind.INTERVAL, Kind.P_VALUE,
                     Kind.STATISTIC})
_DATE = re.compile(r"\d{4}-\d{2}(-\d{2})?(/\d{4}-\d{2}(-\d{2})?)?")


@dataclass(frozen=True)
class Column:
    """One output column, or a template of one per grade (its name holds `<grade>`)."""

    name: str
    kind: Kind
    meaning: str

    @property
    def per_grade(self) -> bool:
        return GRADE in self.name

    def named(self, grade: str) -> str:
        return self.name.replace(GRADE, grade)


@dataclass(frozen=True)
class Layout:
    """A command's columns in output order. An entry is a column, or a tuple of templates
    expanded grade by grade (`good_ci_low, good_ci_high, inadequate_ci_low, ...`).
    `json_only` values are in JSON rows only; `view_only` values are figures the terminal
    or the report show and no file carries."""

    command: str
    entries: tuple[Column | tuple[Column, ...], ...]
    json_only: tuple[Column, ...] = ()
    view_only: tuple[Column | tuple[Column, ...], ...] = ()

    def declared(self) -> list[Column]:
        """Every declaration, templates unexpanded, in order."""
        return [c for entry in (*self.entries, *self.json_only, *self.view_only)
                for c in (entry if isinstance(entry, tuple) else (entry,))]

    def names(self, grades: tuple[str, ...] | list[str]) -> list[str]:
        """The CSV columns for these grades, in order."""
        return _expand(self.entries, grades)

    def view_names(self, grades: tuple[str, ...] | list[str]) -> list[str]:
        return _expand(self.view_only, grades)

    def column(self, name: str) -> Column:
        """The declaration a concrete column name comes from."""
        for column in self.declared():
            if column.name == name or (column.per_grade and _template_of(name) == column.name):
                return column
        raise KeyError(f"{self.command}: no column {name!r} is declared")


def _expand(entries, grades) -> list[str]:
    out: list[str] = []
    for entry in entries:
        if isinstance(entry, tuple):
            out += [c.named(g) for g in grades for c in entry]
        elif entry.per_grade:
            out += [entry.named(g) for g in grades]
        else:
            out.append(entry.name)
    return out


_GRADE_WORD = re.compile(
    r"(?<![a-z])(" + "|".join(sorted(domain.GRADES, key=len, reverse=True)) + r")(?![a-z])")


_GRADE_WORD = re.compile(
    r"(?<![a-z])(" + "|".join(sorted(domain.GRADES, key=len, reverse=True)) + r")(?![a-z])")


def _template_of(name: str) -> str:
    """The `<grade>` template a concrete name comes from (the name itself if none)."""
    return _GRADE_WORD.sub(GRADE, name)


def per_grade(*columns: Column) -> tuple[Column, ...]:
    """Templates expanded together, grade by grade."""
    return columns


@dataclass(frozen=True, order=True)
class Reason:
    """Why records were not used, in domain words (`text`). `outside` names the selection
    fields (force, inspection, area, sample) the records fall outside; `option` names the
    analysis option that would have used the records, `subject` what they are. A caller
    may phrase these in its own words (the CLI names its flags)."""

    text: str
    outside: tuple[str, ...] = ()
    option: str | None = None
    subject: str | None = None

    def __str__(self) -> str:
        return self.text


SELECTION_WORDS = {"force": "force", "inspection": "inspection", "area": "practice area",
                   "sample": "sample"}


def outside(*fields: str) -> Reason:
    """Records outside the selected force, inspection, practice area or sample."""
    words = " or ".join(SELECTION_WORDS[f] for f in fields)
    return Reason(f"outside the selected {words}", outside=fields)


@dataclass
class Account:
    """Records used, and each record not used with its reason: read = used + not used."""

    used: Counter = field(default_factory=Counter)
    excluded: Counter = field(default_factory=Counter)

    def use(self, kind: str, n: int = 1) -> None:
        self.used[kind] += n

    def exclude(self, kind: str, reason: Reason | str, n: int = 1) -> None:
        if isinstance(reason, str):
            reason = Reason(reason)
        self.excluded[(kind, reason)] += n

    def reasons(self, kind: str) -> dict[Reason, int]:
        return {reason: n for (k, reason), n in self.excluded.items() if k == kind}


@dataclass
class Result:
    """An analysis's output: rows of plain values under declared columns, and its account."""

    layout: Layout
    grades: tuple[str, ...]
    rows: list[dict[str, object]]
    account: Account
    #: for the reader (stderr on a terminal, the JSON manifest)
    notes: list[str] = field(default_factory=list)
    #: mismatches that make the run exit 4 once the output is written
    mismatches: list[str] = field(default_factory=list)

    @property
    def command(self) -> str:
        return self.layout.command

    @property
    def columns(self) -> list[str]:
        return self.layout.names(self.grades)

    @property
    def json_extras(self) -> list[str]:
        return [c.name for c in self.layout.json_only]

    def column(self, name: str) -> Column:
        return self.layout.column(name)

    def to_pandas(self):
        """The rows as a pandas DataFrame, one column per declared column, typed by kind:
        counts as nullable integers, figures as floats, flags as nullable booleans, text
        as strings; "not available" is missing (<NA>, NaN), never 0."""
        import pandas as pd

        data = {}
        for name in self.columns:
            kind = self.column(name).kind
            values = [row.get(name) for row in self.rows]
            if kind is Kind.COUNT:
                data[name] = pd.array(values, dtype="Int64")
            elif kind.numeric:
                data[name] = pd.array([None if v is None else float(v) for v in values],
                                      dtype="Float64")
            elif kind is Kind.FLAG:
                data[name] = pd.array(values, dtype="boolean")
            else:
                data[name] = pd.array(values, dtype="string")
        return pd.DataFrame(data, columns=self.columns)
