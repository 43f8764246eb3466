"""Plain records of an NCPI data set, as validated from the input files."""

from __future__ import annotations

import calendar
import datetime as dt
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from operator import attrgetter
from typing import NamedTuple

from .domain import DEFAULT_METHODOLOGY, SCALES
from .printable import shown


class Origin(NamedTuple):
    """Where a record was read: the file as the user named it, and a 1-based line (a
    spreadsheet's row), with the cell (`Cases!A12`) where a sheet gives one."""

    file: str
    line: int
    place: str = ""

    def __str__(self) -> str:
        return f"{self.file}:{self.place or self.line}"


@dataclass(frozen=True, order=True)
class Problem:
    """One reason a record (or a file) was rejected."""

    file: str
    line: int
    record: str
    message: str
    #: the cell (`Cases!C12`) of a problem in a spreadsheet
    place: str = ""

    def __str__(self) -> str:
        """One line, whatever the file name or the data quoted in it."""
        where = (f"{self.file}:{self.place}" if self.place else
                 f"{self.file}:{self.line}" if self.line else self.file)
        record = f"{self.record}: " if self.record else ""
        return shown(f"{where}: {record}{self.message}")


@dataclass(frozen=True)
class PartialDate:
    """A date known to the day, or only to the month (never given an invented day), or a
    window between two such dates ("February to May 2016", "c. August 2017")."""

    year: int
    month: int
    day: int | None = None
    #: the last date of a window (`2016-02/2016-05`)
    end: PartialDate | None = None

    def __str__(self) -> str:
        text = (f"{self.year:04d}-{self.month:02d}" if self.day is None else
                f"{self.year:04d}-{self.month:02d}-{self.day:02d}")
        return f"{text}/{self.end}" if self.end is not None else text

    def earliest(self) -> dt.date:
        return dt.date(self.year, self.month, self.day or 1)

    def latest(self) -> dt.date:
        if self.end is not None:
            return self.end.latest()
        last = calendar.monthrange(self.year, self.month)[1]
        return dt.date(self.year, self.month, self.day or last)


@dataclass(frozen=True)
class Force:
    id: str
    name: str
    country: str | None
    origin: Origin


@dataclass(frozen=True)
class Progress:
    """Aggregate progress on an inspection's recommendations ("4 of the 8 completed")."""

    date: PartialDate
    completed: int
    of: int
    source: str | None


@dataclass(frozen=True)
class FollowUp:
    """A step the report requires after publication, e.g. an action plan within 6 weeks."""

    event: str
    amount: int
    unit: str  # "weeks" or "months"
    source: str | None


@dataclass(frozen=True)
class Response:
    """A published response to the report, e.g. the PCC's statutory comments."""

    by: str
    date: PartialDate
    source: str | None


@dataclass(frozen=True)
class Dispute:
    """Another value a source gives for a field of a record ("23 inadequate, not 28")."""

    key: str
    value: object
    source: str
    primary: bool = False


def settled_date(record, key: str) -> tuple[PartialDate | None, str | None]:
    """An inspection's date as analyses use it, and a note when sources dispute it: the
    primary source's date where only one side is primary, else a window spanning every
    value given (a disputed date is never narrowed to one of them)."""
    value = getattr(record, key)
    others = [d for d in record.disputes if d.key == key]
    if not others or value is None:
        return value, None
    mine = record.source.get("primary") is True
    primary = [d for d in others if d.primary]
    words = key.replace("_", " ")
    if len(primary) == 1 and not mine:
        return primary[0].value, (f"{words}: {primary[0].value} from the primary source is "
                                  f"used ({value} in the record's source)")
    if mine and not primary:
        return value, (f"{words}: {value} from the primary source is used (others give "
                       + ", ".join(str(d.value) for d in others) + ")")
    dates = [value, *(d.value for d in others)]
    first = min(dates, key=lambda d: d.earliest())
    last = max(dates, key=lambda d: d.latest())
    end = last.end if last.end is not None else last
    window = PartialDate(first.year, first.month, first.day,
                         end if end.latest() > PartialDate(first.year, first.month,
                                                           first.day).latest() else None)
    return window, (f"{words} disputed (" + " or ".join(str(d) for d in dates) +
                    "): the window spanning them is used")


@dataclass(frozen=True)
class Inspection:
    id: str
    force: str
    kind: str
    origin: Origin
    fieldwork: PartialDate | None = None
    published: PartialDate | None = None
    follows: str | None = None
    methodology: str = DEFAULT_METHODOLOGY
    source: dict[str, str] = field(default_factory=dict)
    progress: tuple[Progress, ...] = ()
    follow_up: tuple[FollowUp, ...] = ()
    responses: tuple[Response, ...] = ()
    #: recommendations the report made, where a source states how many
    recommendations_made: int | None = None
    disputes: tuple[Dispute, ...] = ()
    #: for a thematic report: the forces whose inspections it draws on
    covers: tuple[str, ...] = ()
    assurance: tuple[Assurance, ...] = ()

    @property
    def scale(self) -> tuple[str, ...]:
        return SCALES[self.methodology]


@dataclass(frozen=True)
class Tally:
    """One published distribution of grades, as printed in a report."""

    inspection: str
    assessor: str
    sample: str
    area: str
    counts: dict[str, int]
    origin: Origin
    label: str
    stated_total: int | None = None
    source: str | None = None
    #: grades of the scale whose counts the source does not state (unknown, not zero)
    unstated: tuple[str, ...] = ()
    #: cases not graded good, where the source gives only that combined count
    not_good: int | None = None
    #: percentages the source states without a count, by grade
    percent: dict[str, int] = field(default_factory=dict)
    #: whether the tally's source is the report or its publisher (None: not said)
    primary: bool | None = None
    disputes: tuple[Dispute, ...] = ()
    #: how disputes were settled for analysis (set by `resolved`, not read from a file)
    settled: tuple[str, ...] = ()

    def value_of(self, key: str) -> int | None:
        """The record's own value of a figure: a grade count, `stated_total` or `not_good`."""
        if key == "stated_total":
            return self.stated_total
        if key == "not_good":
            return self.not_good
        return self.counts.get(key)

    def resolved(self) -> Tally:
        """The tally as analyses use it. Per disputed figure: where exactly one of the
        values given for it comes from a primary source, that value, with a note saying so;
        otherwise the figure stays disputed (and is used by no analysis)."""
        if not self.disputes:
            return self
        counts, settled, open_ = dict(self.counts), [], []
        values = {"stated_total": self.stated_total, "not_good": self.not_good}
        for key in dict.fromkeys(d.key for d in self.disputes):
            others = [d for d in self.disputes if d.key == key]
            mine = self.value_of(key)
            primary = [(d.value, d.source) for d in others if d.primary]
            if self.primary is True:
                primary.insert(0, (mine, "this tally's source"))
            if len(primary) != 1:
                open_.extend(others)
                continue
            value, source = primary[0]
            rest = [str(v) for v, s in [(mine, "this tally's source"),
                                        *((d.value, d.source) for d in others)]
                    if (v, s) != (value, source)]
            settled.append(f"{key.replace('_', ' ')}: {value} from the primary source "
                           f"({source}) is used; other sources give {' or '.join(rest)}")
            if key in values:
                values[key] = value
            else:
                counts[key] = value
        return replace(self, counts=counts, stated_total=values["stated_total"],
                       not_good=values["not_good"], disputes=tuple(open_),
                       settled=tuple(settled))

    def disputed(self) -> dict[str, list]:
        """Each figure still in dispute, with every value given for it (the record's own
        first)."""
        out: dict[str, list] = {}
        for d in self.disputes:
            out.setdefault(d.key, [self.value_of(d.key)]).append(d.value)
        return out

    @property
    def complete(self) -> bool:
        """Every grade of the scale stated and none disputed: a full distribution."""
        return not self.unstated and not self.disputes

    @property
    def total(self) -> int | None:
        """The cases the tally covers: the sum of the counts, or for a partial tally the
        total its source states (None when it states none)."""
        if self.unstated:
            return self.stated_total
        return sum(self.counts.values())

    @property
    def usable_total(self) -> int | None:
        """The total an analysis may divide by: never one that rests on a disputed figure.
        A partial tally's stated total unless disputed; a sum of counts unless a count is
        disputed (then the stated total, if undisputed)."""
        disputed = self.disputed()
        if self.unstated:
            return None if "stated_total" in disputed else self.stated_total
        if any(g in disputed for g in self.counts):
            return None if "stated_total" in disputed else self.stated_total
        return sum(self.counts.values())


@dataclass(frozen=True, slots=True)
class Case:
    """One case-level audit record: an opaque id and its grades, nothing personal."""

    id: str
    inspection: str
    area: str
    sample: str
    origin: Origin
    force_grade: str | None = None
    inspector_grade: str | None = None
    themes: tuple[str, ...] = ()

    def grade_by(self, assessor: str) -> str | None:
        return self.force_grade if assessor == "force" else self.inspector_grade


#: a case's values after its id and origin, as `CaseBlock` holds them per distinct row
CaseValues = tuple[str, str, str, str | None, str | None, tuple[str, ...]]


@dataclass(frozen=True, eq=False)
class CaseBlock:
    """The cases of one case table read in bulk: their ids in row order, and for each row
    a code into its few distinct values. A national table has a million rows but thousands
    of distinct values; analyses count those (`profiles`), and a `Case` is made only for a
    caller that asks for cases one by one."""

    file: str
    #: the sheet row (1-based) of the first case; the rest follow without gaps
    first_row: int
    #: ids in row order (a dict: no id twice, and membership at C speed)
    ids: dict[str, None]
    codes: Sequence[int]
    #: per code: inspection, area, sample, force grade, inspector grade, themes
    values: tuple[CaseValues, ...]
    _rows: dict[str, int] | None = field(default=None, init=False, repr=False)

    def __len__(self) -> int:
        return len(self.codes)

    def origin(self, index: int) -> Origin:
        return Origin(self.file, self.first_row + index)

    def origin_of(self, case_id: str) -> Origin:
        """Where a case of the block was read (for a duplicate id found elsewhere): the
        rows by id are counted once, on the first call."""
        if self._rows is None:
            object.__setattr__(self, "_rows", dict(zip(self.ids, range(len(self.ids)))))
        return self.origin(self._rows[case_id])

    def __iter__(self) -> Iterator[Case]:
        values, file, row = self.values, self.file, self.first_row
        for index, (case_id, code) in enumerate(zip(self.ids, self.codes)):
            v = values[code]
            yield Case(case_id, v[0], v[1], v[2], Origin(file, row + index), v[3], v[4], v[5])

    def profiles(self) -> Counter:
        """Cases counted by (inspection, area, sample, force grade, inspector grade), in
        first-seen order."""
        counted: Counter = Counter()
        for code, n in Counter(self.codes).items():
            counted[self.values[code][:5]] += n
        return counted


class Cases(Sequence):
    """The case records of a data set, in the order read: cases one by one and cases read
    in bulk (`CaseBlock`), which stay in bulk until someone iterates."""

    def __init__(self, cases: Iterable[Case] = ()):
        self._parts: list[list[Case] | CaseBlock] = []
        self._listed: list[Case] | None = None
        for case in cases:
            self.append(case)

    def append(self, case: Case) -> None:
        if not self._parts or isinstance(self._parts[-1], CaseBlock):
            self._parts.append([])
        self._parts[-1].append(case)
        self._listed = None

    def extend(self, cases: Iterable[Case]) -> None:
        """Cases kept one by one, added as a run."""
        run = list(cases)
        if run:
            self._parts.append(run)
            self._listed = None

    def add_block(self, block: CaseBlock) -> None:
        self._parts.append(block)
        self._listed = None

    def __len__(self) -> int:
        return sum(len(part) for part in self._parts)

    def __iter__(self) -> Iterator[Case]:
        for part in self._parts:
            yield from part

    def __getitem__(self, index):
        if self._listed is None:
            self._listed = list(self)
        return self._listed[index]

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Sequence) or isinstance(other, str | bytes):
            return NotImplemented
        return list(self) == list(other)

    def __repr__(self) -> str:
        return f"Cases({len(self)} cases)"

    def profiles(self) -> Counter:
        """Cases counted by (inspection, area, sample, force grade, inspector grade), in
        first-seen order, without making a record per case of a block."""
        counted: Counter = Counter()
        for part in self._parts:
            counted.update(part.profiles() if isinstance(part, CaseBlock) else
                           case_profiles(part))
        return counted


_PROFILE_OF = attrgetter("inspection", "area", "sample", "force_grade", "inspector_grade")


def case_profiles(cases: Iterable[Case]) -> Counter:
    """Cases counted by (inspection, area, sample, force grade, inspector grade), in
    first-seen order: of `Cases` without making a record per case of a block, and of any
    other iterable of cases (a notebook's own list) one by one."""
    if isinstance(cases, Cases):
        return cases.profiles()
    return Counter(map(_PROFILE_OF, cases))


@dataclass(frozen=True)
class Update:
    date: PartialDate
    status: str | None
    source: str | None
    #: the PCC's assurance on it, where published
    assurance: str | None = None


@dataclass(frozen=True)
class Assurance:
    """A PCC's published assurance on the force's response to an inspection as a whole."""

    date: PartialDate
    level: str
    source: str | None


@dataclass(frozen=True)
class Judgment:
    """A topic's graded judgment in a 2024-methodology inspection."""

    inspection: str
    topic: str
    grade: str
    origin: Origin
    label: str
    source: str | None = None


@dataclass(frozen=True)
class JudgmentTally:
    """How many topics got each grade, where a source gives only that ("inadequate in two
    topics, requires improvement in two"): named topics are judgments, the rest stay
    unnamed."""

    inspection: str
    counts: dict[str, int]
    origin: Origin
    label: str
    source: str | None = None


@dataclass(frozen=True)
class Recommendation:
    id: str
    inspection: str
    timescale: str | None
    #: months allowed by the timescale; 0 for "immediately"; None where none is set (a cause
    #: of concern, an area for improvement)
    months: int | None
    summary: str
    origin: Origin
    areas: tuple[str, ...] = ()
    source: str | None = None
    updates: tuple[Update, ...] = ()
    #: `recommendation`, `cause-of-concern` or `area-for-improvement`
    type: str = "recommendation"
    #: for a recommendation made under a cause of concern: that cause's id
    under: str | None = None


@dataclass(frozen=True)
class InputFile:
    """An input as read: for the manifest and for error messages."""

    path: str
    size: int
    sha256: str
    records: dict[str, int]


@dataclass
class Dataset:
    forces: dict[str, Force] = field(default_factory=dict)
    inspections: dict[str, Inspection] = field(default_factory=dict)
    tallies: list[Tally] = field(default_factory=list)
    cases: Cases = field(default_factory=Cases)
    recommendations: list[Recommendation] = field(default_factory=list)
    judgments: list[Judgment] = field(default_factory=list)
    judgment_tallies: list[JudgmentTally] = field(default_factory=list)
    inputs: list[InputFile] = field(default_factory=list)

    def __post_init__(self) -> None:
        if not isinstance(self.cases, Cases):
            self.cases = Cases(self.cases)

    def force_of(self, inspection_id: str) -> str:
        return self.inspections[inspection_id].force

    def cases_frame(self):
        """The case records as a pandas DataFrame: one row per case, with where it was read."""
        import pandas as pd

        columns = ["id", "inspection", "area", "sample", "force_grade", "inspector_grade",
                   "themes", "file", "line", "place"]
        rows = [(c.id, c.inspection, c.area, c.sample, c.force_grade, c.inspector_grade,
                 " ".join(c.themes), c.origin.file, c.origin.line, c.origin.place)
                for c in self.cases]
        frame = pd.DataFrame.from_records(rows, columns=columns)
        return frame.astype({c: "string" for c in columns if c != "line"} | {"line": "Int64"})

    @property
    def records_read(self) -> int:
        return sum(sum(f.records.values()) for f in self.inputs)


def cite(source: dict) -> str | None:
    """A record's source as published: publisher, title, date and address (or file name),
    and whether it is coverage of the report rather than the report or its publisher."""
    title = source.get("title")
    date = source.get("date")
    parts = [source.get("publisher"), title and f"\u201c{title}\u201d", date and str(date),
             source.get("url") or source.get("document"),
             "secondary source" if source.get("primary") is False else None]
    return ", ".join(p for p in parts if p) or None
