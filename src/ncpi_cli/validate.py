"""YAML nodes to a Dataset, with every problem named by file, line and record.

Two passes. The first reads each file on its own (types, keys, spellings). The second
checks what needs all files at once: unique ids, references, grades against the scale of
the inspection a record belongs to. A record with any problem is rejected, never repaired.
"""

from __future__ import annotations

import datetime as dt
import gc
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import yaml

from . import domain, fastpath
from .load import (
    REFUSED_TAG,
    Inputs,
    InputText,
    compose,
    compose_text,
    decode,
    read_inputs,
)
from .model import (
    Case,
    Dataset,
    FollowUp,
    Force,
    InputFile,
    Inspection,
    Origin,
    PartialDate,
    Problem,
    Progress,
    Recommendation,
    Response,
    Tally,
    Update,
)

MAX_COUNT = 1_000_000
MAX_PROBLEMS_PER_FILE = 1000
SECTIONS = ("forces", "inspections", "tallies", "cases", "recommendations")
SLUG = re.compile(r"[a-z0-9-]+")
DATE = re.compile(r"(\d{4})-(\d{2})(?:-(\d{2}))?")
WITHIN = re.compile(r"within (\d+|[a-z]+) months?")
NUMBER_WORDS = {w: i for i, w in enumerate((
    "zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
    "eleven", "twelve"))}

_TAG = "tag:yaml.org,2002:"
STR, INT, FLOAT, BOOL, NULL, TIMESTAMP = (_TAG + t for t in
                                          ("str", "int", "float", "bool", "null", "timestamp"))
SEQ, MAP = _TAG + "seq", _TAG + "map"


@dataclass
class LoadResult:
    dataset: Dataset
    problems: list[Problem]
    ignored: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


ProgressReport = Callable[[str, int], None]


def load(paths: Sequence[str | Path] | None = None,
         progress: ProgressReport | None = None) -> LoadResult:
    """Read and validate files or directories (the bundled data when none are given).

    `progress(file, cases_read)` is called as large files are read."""
    return load_inputs(read_inputs(paths), progress)


def load_inputs(inputs: Inputs, progress: ProgressReport | None = None) -> LoadResult:
    """Validate inputs already found, reading one file at a time."""
    return validate_texts((source.read() for source in inputs.files), ignored=inputs.ignored,
                          progress=progress)


def validate_texts(texts: Iterable[InputText], ignored: Sequence[str] = (), *,
                   fast: bool = True, progress: ProgressReport | None = None) -> LoadResult:
    """Validate inputs already read. `fast=False` forces the precise path for every file
    (the fast path must give the same result: tests compare the two)."""
    parsed: list[_FileRecords] = []
    problems: list[Problem] = []
    gc_was_enabled = gc.isenabled()
    gc.disable()  # hundreds of thousands of small records: collection cycles only cost here
    try:
        for text in texts:
            if progress is not None:
                progress(text.display, 0)
            records = (fast and _read_fast(text, progress)) or _read_precise(text)
            records.input = InputFile(text.display, len(text.data), text.sha256, records.counts)
            parsed.append(records)
            del text, records  # the next file's bytes may be large: hold one at a time
    finally:
        if gc_was_enabled:
            gc.enable()
    dataset = Dataset(inputs=[r.input for r in parsed])
    cross = _cross_check(parsed, dataset)
    for records in parsed:
        mine = sorted(p for p in records.problems + cross.get(records.file, []))
        problems.extend(_capped(mine))
    return LoadResult(dataset, problems, list(ignored))


def _read_precise(source: InputText) -> _FileRecords:
    node, file_problems = compose(source)
    records = _FileRecords(source.display)
    if node is not None:
        _read_document(node, records)
    records.problems[:0] = file_problems
    return records


def _read_fast(source: InputText, progress: ProgressReport | None = None) -> _FileRecords | None:
    """The file with its cases read by `fastpath`, or None to use the precise path."""
    text, _ = decode(source)
    if text is None:
        return None
    fast = fastpath.read(text, source.display, progress=progress and (
        lambda count: progress(source.display, count)))
    if fast is None:
        return None
    node, file_problems = compose_text(fast.rest, source.display)
    if not isinstance(node, yaml.MappingNode):
        return None
    blank = [v for k, v in node.value if isinstance(k, yaml.ScalarNode) and k.value == "cases"]
    if len(blank) != 1 or not isinstance(blank[0], yaml.SequenceNode) or blank[0].value \
            or _line(blank[0]) != fast.header_line:
        return None
    records = _FileRecords(source.display)
    _read_document(node, records)
    records.problems[:0] = file_problems
    records.counts["cases"] = fast.count
    records.pending.extend(_Pending("case", f"case {case.id}", case.origin, case, lines)
                           for case, lines in fast.cases)
    return records


def _capped(problems: list[Problem]) -> list[Problem]:
    if len(problems) <= MAX_PROBLEMS_PER_FILE:
        return problems
    shown = problems[:MAX_PROBLEMS_PER_FILE]
    rest = len(problems) - len(shown)
    return [*shown, Problem(shown[-1].file, shown[-1].line, "",
                            f"... and {rest} more problems in this file, not shown")]


@dataclass(slots=True)
class _Pending:
    """A record that passed the single-file checks, before cross-file checks."""

    kind: str
    label: str
    origin: Origin
    value: Any
    #: grade keys with their count and line, checked against the inspection's scale in
    #: pass two; empty where every grade is on the record's own line
    grades: list[tuple[str, int, int]] | tuple = ()


@dataclass
class _FileRecords:
    file: str
    problems: list[Problem] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=lambda: {s: 0 for s in SECTIONS})
    pending: list[_Pending] = field(default_factory=list)
    input: InputFile | None = None


def _line(node: yaml.Node) -> int:
    return node.start_mark.line + 1


def _describe(node: yaml.Node) -> str:
    if isinstance(node, yaml.MappingNode):
        return "a mapping" + ("" if node.tag == MAP else f" with the unsupported YAML tag "
                                                          f"{node.tag}")
    if isinstance(node, yaml.SequenceNode):
        return "a list" + ("" if node.tag == SEQ else f" with the unsupported YAML tag "
                                                       f"{node.tag}")
    return {BOOL: "a boolean", INT: "an integer", FLOAT: "a number", NULL: "empty",
            TIMESTAMP: "a date", STR: "text"}.get(node.tag, f"a value with the unsupported "
                                                           f"YAML tag {node.tag}")


def _yaml11_reading(node: yaml.ScalarNode) -> str:
    """What YAML 1.1 makes of a plain scalar, in words, for messages."""
    raw = node.value
    if node.tag == BOOL:
        value = raw.lower() in ("yes", "true", "on", "y")
        return f"a boolean ({str(value).lower()})"
    if node.tag == INT:
        value = yaml.constructor.SafeConstructor.construct_yaml_int(_CONSTRUCTOR, node)
        if re.fullmatch(r"[-+]?0[0-7_]+", raw):
            return f"the octal number {value}"
        if ":" in raw:
            return f"the base-60 number {value}"
        return f"the number {value}"
    if node.tag == FLOAT:
        return "a number"
    if node.tag == TIMESTAMP:
        return "a date"
    if node.tag == NULL:
        return "empty (null)"
    return "text"


_CONSTRUCTOR = yaml.constructor.SafeConstructor()


class _Record:
    """Typed access to one mapping, reporting every problem against this record."""

    def __init__(self, records: _FileRecords, node: yaml.Node, label: str,
                 known: Sequence[str]):
        self.records = records
        self.node = node
        self.label = label
        self.ok = True
        self.fields: dict[str, yaml.Node] = {}
        self.origin = Origin(records.file, _line(node))
        if not isinstance(node, yaml.MappingNode):
            self.problem(node, f"expected a mapping of keys to values, found {_describe(node)}")
            return
        if node.tag != MAP:
            self.problem(node, f"unsupported YAML tag {node.tag}: ncpi files use no tags")
        self.fields = _mapping(records, node, label, known, self)

    def problem(self, node: yaml.Node | None, message: str) -> None:
        self.ok = False
        line = _line(node) if node is not None else self.origin.line
        self.records.problems.append(Problem(self.records.file, line, self.label, message))

    def _scalar(self, key: str, required: bool) -> yaml.ScalarNode | None:
        node = self.fields.get(key)
        if node is None:
            if required and isinstance(self.node, yaml.MappingNode):
                self.problem(None, f"missing required key '{key}'")
            return None
        if node.tag == REFUSED_TAG:
            self.ok = False
            return None
        if not isinstance(node, yaml.ScalarNode):
            self.problem(node, f"'{key}' must be a single value, not {_describe(node)}")
            return None
        if node.tag == NULL:
            self.problem(node, f"'{key}' has no value: give one, or leave the key out")
            return None
        return node

    def text(self, key: str, required: bool = True) -> str | None:
        node = self._scalar(key, required)
        if node is None:
            return None
        if node.tag != STR:
            if node.tag in (BOOL, INT, FLOAT, TIMESTAMP):
                self.problem(node, f"'{key}: {node.value}' is read by YAML 1.1 as "
                                   f"{_yaml11_reading(node)}, not text: quote it "
                                   f"(\"{node.value}\") if text is meant")
            else:
                self.problem(node, f"'{key}' must be text, not {_describe(node)}")
            return None
        if not node.value.strip():
            self.problem(node, f"'{key}' is blank")
            return None
        return node.value

    def slug(self, key: str, required: bool = True) -> str | None:
        value = self.text(key, required)
        if value is not None and not SLUG.fullmatch(value):
            self.problem(self.fields[key], f"'{key}' must be a slug of lower-case letters, "
                                           f"digits and hyphens, not '{value}'")
            return None
        return value

    def choice(self, key: str, choices: Sequence[str], what: str,
               required: bool = True) -> str | None:
        value = self.text(key, required)
        if value is not None and value not in choices:
            self.problem(self.fields[key], f"unknown {what} '{value}' (known: "
                                           f"{', '.join(choices)})")
            return None
        return value

    def grade(self, key: str, required: bool = True) -> str | None:
        value = self.text(key, required)
        if value is None:
            return None
        grade = domain.parse_grade(value)
        if grade is None:
            self.problem(self.fields[key], f"unknown grade '{value}' (accepted: "
                                           f"{domain.ACCEPTED_GRADE_SPELLINGS})")
        return grade

    def integer(self, key: str, required: bool = True) -> int | None:
        node = self._scalar(key, required)
        if node is None:
            return None
        raw = node.value
        if node.tag == INT:
            if re.fullmatch(r"0|[1-9][0-9]*", raw):
                value = int(raw)
                if value > MAX_COUNT:
                    self.problem(node, f"'{key}: {raw}' is implausibly large (more than "
                                       f"{MAX_COUNT:,})")
                    return None
                return value
            if re.fullmatch(r"-[0-9]+", raw):
                self.problem(node, f"'{key}' must not be negative, got {raw}")
            else:
                self.problem(node, f"'{key}: {raw}' is read by YAML 1.1 as "
                                   f"{_yaml11_reading(node)}: write a plain whole number "
                                   f"without leading zeros, signs or separators")
            return None
        if node.tag == STR:
            self.problem(node, f"'{key}' must be a whole number, not text ('{raw}')")
        elif node.tag in (BOOL, FLOAT, TIMESTAMP):
            self.problem(node, f"'{key}' must be a whole number, not {raw} (read by YAML 1.1 "
                               f"as {_yaml11_reading(node)})")
        else:
            self.problem(node, f"'{key}' must be a whole number, not {_describe(node)}")
        return None

    def date(self, key: str, required: bool = False) -> PartialDate | None:
        node = self._scalar(key, required)
        if node is None:
            return None
        match = DATE.fullmatch(node.value) if node.tag in (STR, TIMESTAMP) else None
        if match:
            year, month = int(match[1]), int(match[2])
            day = int(match[3]) if match[3] else None
            try:
                dt.date(year, month, day or 1)
                return PartialDate(year, month, day)
            except ValueError:
                self.problem(node, f"'{key}: {node.value}' is not a real date")
                return None
        self.problem(node, f"'{key}' must be a date as YYYY-MM-DD or YYYY-MM, not "
                           f"'{node.value}'")
        return None

    def sequence(self, key: str) -> list[yaml.Node]:
        node = self.fields.get(key)
        if node is None or node.tag == REFUSED_TAG:
            return []
        if not isinstance(node, yaml.SequenceNode):
            self.problem(node, f"'{key}' must be a list, not {_describe(node)}")
            return []
        if node.tag != SEQ:
            self.problem(node, f"unsupported YAML tag {node.tag}: ncpi files use no tags")
        return list(node.value)

    def slug_list(self, key: str, choices: Sequence[str] | None = None,
                  what: str = "value") -> tuple[str, ...]:
        out = []
        for item in self.sequence(key):
            if not isinstance(item, yaml.ScalarNode) or item.tag != STR:
                if item.tag != REFUSED_TAG:
                    self.problem(item, f"each entry of '{key}' must be text, not "
                                       f"{_describe(item)}")
                else:
                    self.ok = False
                continue
            if choices is not None and item.value not in choices:
                self.problem(item, f"unknown {what} '{item.value}' in '{key}' (known: "
                                   f"{', '.join(choices)})")
            elif not SLUG.fullmatch(item.value):
                self.problem(item, f"'{key}' entries must be slugs of lower-case letters, "
                                   f"digits and hyphens, not '{item.value}'")
            else:
                out.append(item.value)
        return tuple(out)

    def source(self, key: str = "source") -> dict[str, str]:
        node = self.fields.get(key)
        if node is None or node.tag == REFUSED_TAG:
            return {}
        if not isinstance(node, yaml.MappingNode):
            self.problem(node, f"'{key}' must be a mapping of {', '.join(SOURCE_KEYS)}")
            return {}
        inner = _Record(self.records, node, self.label, SOURCE_KEYS)
        values = {k: inner.text(k, required=False) for k in SOURCE_KEYS if k in inner.fields}
        if not inner.ok:
            self.ok = False
        return {k: v for k, v in values.items() if v is not None}


SOURCE_KEYS = ("title", "publisher", "url", "document", "note")


def _mapping(records: _FileRecords, node: yaml.MappingNode, label: str,
             known: Sequence[str], owner: _Record | None) -> dict[str, yaml.Node]:
    """Keys to value nodes; non-text, duplicate and unknown keys reported."""
    out: dict[str, yaml.Node] = {}
    first_line: dict[str, int] = {}

    def report(node: yaml.Node, message: str) -> None:
        if owner is not None:
            owner.problem(node, message)
        else:
            records.problems.append(Problem(records.file, _line(node), label, message))

    for key_node, value_node in node.value:
        if key_node.tag == REFUSED_TAG:
            continue
        if not isinstance(key_node, yaml.ScalarNode) or key_node.tag != STR:
            shown = key_node.value if isinstance(key_node, yaml.ScalarNode) else "?"
            report(key_node, f"key '{shown}' is read by YAML as {_describe(key_node)}, "
                             "not text")
            continue
        key = key_node.value
        if key in first_line:
            report(key_node, f"duplicate key '{key}' (first at line {first_line[key]}): "
                             "YAML would silently keep only the last")
            continue
        first_line[key] = _line(key_node)
        if key not in known:
            report(key_node, f"unknown key '{key}' (known: {', '.join(known)})")
            continue
        out[key] = value_node
    return out


def _read_document(node: yaml.Node, records: _FileRecords) -> None:
    file = records.file
    if not isinstance(node, yaml.MappingNode):
        records.problems.append(Problem(file, _line(node), "", "the file must hold a mapping "
                                        f"with 'ncpi: 1' and lists of records, not "
                                        f"{_describe(node)}"))
        return
    top = _Record(records, node, "", ("ncpi", *SECTIONS))
    if "ncpi" not in top.fields:
        top.problem(None, "missing 'ncpi: 1' (the format version) at the top of the file")
    else:
        version = top.integer("ncpi")
        if version is not None and version != domain.FORMAT_VERSION:
            top.problem(top.fields["ncpi"], f"unsupported format version {version}: this "
                                            f"ncpi reads version {domain.FORMAT_VERSION}")
    for section in SECTIONS:
        items = top.sequence(section)
        records.counts[section] = len(items)
        for index, item in enumerate(items):
            if item.tag == REFUSED_TAG:
                continue
            READERS[section](records, item, index)


def _label(kind: str, node: yaml.Node, index: int, hint: str = "") -> str:
    """A record's name in messages: its id when it has a usable one, else its position.

    Records without ids (tallies) are named by position, with `hint` (their inspection)."""
    value = None
    if isinstance(node, yaml.MappingNode):
        for key_node, value_node in node.value:
            if (isinstance(key_node, yaml.ScalarNode) and key_node.value == (hint or "id")
                    and isinstance(value_node, yaml.ScalarNode) and value_node.value.strip()):
                value = value_node.value
                break
    if hint:
        return f"{kind} #{index + 1}" + (f" ({value})" if value else "")
    return f"{kind} {value}" if value else f"{kind} #{index + 1}"


def _read_force(records: _FileRecords, node: yaml.Node, index: int) -> None:
    r = _Record(records, node, _label("force", node, index), ("id", "name", "country"))
    force_id = r.slug("id")
    name = r.text("name")
    country = r.choice("country", domain.COUNTRIES, "country", required=False)
    if r.ok:
        records.pending.append(_Pending("force", r.label, r.origin,
                                        Force(force_id, name, country, r.origin)))


def _read_inspection(records: _FileRecords, node: yaml.Node, index: int) -> None:
    keys = ("id", "force", "kind", "fieldwork", "published", "follows", "methodology",
            "source", "progress", "follow_up", "responses")
    r = _Record(records, node, _label("inspection", node, index), keys)
    inspection_id = r.slug("id")
    force = r.slug("force")
    kind = r.choice("kind", domain.INSPECTION_KINDS, "inspection kind")
    fieldwork = r.date("fieldwork")
    published = r.date("published")
    follows = r.slug("follows", required=False)
    methodology = domain.DEFAULT_METHODOLOGY
    if "methodology" in r.fields:
        known = (*domain.SCALES, *domain.RESERVED_METHODOLOGIES)
        value = r.choice("methodology", known, "methodology")
        if value in domain.RESERVED_METHODOLOGIES:
            r.problem(r.fields["methodology"], f"methodology {value} is reserved for a later "
                                               f"version of the format "
                                               f"({domain.RESERVED_METHODOLOGIES[value]})")
        elif value is not None:
            methodology = value
    source = r.source()
    progress = []
    for item in r.sequence("progress"):
        p = _Record(records, item, r.label, ("date", "completed", "of", "source"))
        date, completed, of = p.date("date", required=True), p.integer("completed"), \
            p.integer("of")
        text = p.text("source", required=False)
        if p.ok and completed is not None and of is not None:
            progress.append(Progress(date, completed, of, text))
        else:
            r.ok = False
    follow_up = []
    for item in r.sequence("follow_up"):
        f = _Record(records, item, r.label, ("event", "within", "source"))
        event = f.choice("event", tuple(domain.FOLLOW_UP_EVENTS), "follow-up event")
        within = f.text("within")
        period = parse_period(within) if within is not None else None
        if within is not None and period is None:
            f.problem(f.fields["within"], f"'within: {within}' is not a period such as "
                                          "'6 weeks' or 'six months'")
        text = f.text("source", required=False)
        if f.ok and period is not None:
            follow_up.append(FollowUp(event, period[0], period[1], text))
        else:
            r.ok = False
    responses = []
    for item in r.sequence("responses"):
        q = _Record(records, item, r.label, ("by", "date", "source"))
        by = q.choice("by", domain.RESPONDENTS, "respondent")
        date = q.date("date", required=True)
        text = q.text("source", required=False)
        if q.ok:
            responses.append(Response(by, date, text))
        else:
            r.ok = False
    if r.ok:
        records.pending.append(_Pending("inspection", r.label, r.origin, Inspection(
            inspection_id, force, kind, r.origin, fieldwork, published, follows, methodology,
            source, tuple(progress), tuple(follow_up), tuple(responses))))


def _read_tally(records: _FileRecords, node: yaml.Node, index: int) -> None:
    keys = ("inspection", "assessor", "sample", "area", *domain.GRADES, "stated_total",
            "source")
    r = _Record(records, node, _label("tally", node, index, "inspection"), keys)
    inspection_id = r.slug("inspection")
    assessor = r.choice("assessor", domain.ASSESSORS, "assessor")
    sample = domain.ALL
    if "sample" in r.fields:
        sample = r.choice("sample", (domain.ALL, *domain.SAMPLES), "sample")
    area = domain.ALL
    if "area" in r.fields:
        area = r.choice("area", (*domain.AREAS, domain.ALL), "practice area")
    if assessor == "force" and sample == "inspector-selected":
        r.problem(r.fields["sample"], "the force does not grade inspector-selected cases: "
                                      "a force tally's sample is self-assessed or all")
    grades = []
    for grade in domain.GRADES:
        if grade in r.fields:
            value = r.integer(grade)
            if value is not None:
                grades.append((grade, value, _line(r.fields[grade])))
    if isinstance(r.node, yaml.MappingNode) and not any(g in r.fields for g in domain.GRADES):
        r.problem(None, "a tally needs at least one grade count (" +
                  ", ".join(domain.GRADES) + ")")
    stated = r.integer("stated_total", required=False)
    source = r.text("source", required=False)
    if r.ok:
        tally = Tally(inspection_id, assessor, sample, area, {}, r.origin, r.label, stated,
                      source)
        records.pending.append(_Pending("tally", r.label, r.origin, tally, grades))


def _read_case(records: _FileRecords, node: yaml.Node, index: int) -> None:
    keys = ("id", "inspection", "area", "sample", "force_grade", "inspector_grade", "themes")
    r = _Record(records, node, _label("case", node, index), keys)
    case_id = r.text("id")
    inspection_id = r.slug("inspection")
    area = r.choice("area", tuple(domain.AREAS), "practice area")
    sample = r.choice("sample", domain.SAMPLES, "sample")
    force_grade = r.grade("force_grade", required=False)
    inspector_grade = r.grade("inspector_grade", required=False)
    themes = r.slug_list("themes", what="theme")
    if r.ok:
        grades = [(f"{who}_grade", 0, _line(r.fields[f"{who}_grade"]))
                  for who in domain.ASSESSORS if f"{who}_grade" in r.fields]
        case = Case(case_id, inspection_id, area, sample, r.origin, force_grade,
                    inspector_grade, themes)
        records.pending.append(_Pending("case", r.label, r.origin, case, grades))


def _read_recommendation(records: _FileRecords, node: yaml.Node, index: int) -> None:
    keys = ("id", "inspection", "areas", "timescale", "summary", "source", "updates")
    r = _Record(records, node, _label("recommendation", node, index), keys)
    rec_id = r.slug("id")
    inspection_id = r.slug("inspection")
    areas = r.slug_list("areas", tuple(domain.AREAS), "practice area")
    timescale = r.text("timescale")
    months = None
    if timescale is not None:
        months = parse_timescale(timescale)
        if months is None:
            r.problem(r.fields["timescale"], f"timescale '{timescale}' is not 'immediately' "
                                             "or 'within N months'")
    summary = r.text("summary")
    source = r.text("source", required=False)
    updates = []
    for item in r.sequence("updates"):
        u = _Record(records, item, r.label, ("date", "status", "source"))
        date = u.date("date", required=True)
        status = u.choice("status", domain.UPDATE_STATUSES, "status")
        text = u.text("source", required=False)
        if u.ok:
            updates.append(Update(date, status, text))
        else:
            r.ok = False
    if r.ok:
        records.pending.append(_Pending("recommendation", r.label, r.origin, Recommendation(
            rec_id, inspection_id, timescale, months, summary, r.origin, areas, source,
            tuple(updates))))


def parse_period(text: str) -> tuple[int, str] | None:
    """'6 weeks', 'six months', 'within 6 weeks' -> (6, 'weeks')."""
    words = " ".join(text.lower().split()).removeprefix("within ").split(" ")
    if len(words) != 2 or words[1].rstrip("s") not in ("week", "month"):
        return None
    amount = int(words[0]) if words[0].isdigit() else NUMBER_WORDS.get(words[0])
    return (amount, words[1].rstrip("s") + "s") if amount else None


def parse_timescale(text: str) -> int | None:
    """Months allowed: 0 for 'immediately', N for 'within N months' (digits or words)."""
    text = " ".join(text.lower().split())
    if text == "immediately":
        return 0
    match = WITHIN.fullmatch(text)
    if not match:
        return None
    word = match[1]
    return int(word) if word.isdigit() else NUMBER_WORDS.get(word)


READERS: dict[str, Callable[[_FileRecords, yaml.Node, int], None]] = {
    "forces": _read_force,
    "inspections": _read_inspection,
    "tallies": _read_tally,
    "cases": _read_case,
    "recommendations": _read_recommendation,
}


def _cross_check(parsed: list[_FileRecords], dataset: Dataset) -> dict[str, list[Problem]]:
    """Checks that need every file: ids, references, scales. Fills the dataset."""
    problems: dict[str, list[Problem]] = {}

    def reject(item: _Pending, message: str, line: int | None = None) -> None:
        problems.setdefault(item.origin.file, []).append(
            Problem(item.origin.file, line or item.origin.line, item.label, message))

    first: dict[str, dict[str, _Pending]] = {}
    unique: list[_Pending] = []
    for records in parsed:
        for item in records.pending:
            if item.kind != "tally":
                ids = first.get(item.kind)
                if ids is None:
                    ids = first[item.kind] = {}
                earlier = ids.get(item.value.id)
                if earlier is not None:
                    reject(item, f"duplicate {item.kind} id '{item.value.id}' (first at "
                                 f"{earlier.origin})")
                    continue
                ids[item.value.id] = item
            unique.append(item)

    forces = {p.value.id: p.value for p in unique if p.kind == "force"}
    inspections = {p.value.id: p.value for p in unique if p.kind == "inspection"}

    def known(ids: dict) -> str:
        return ", ".join(sorted(ids)) or "none"

    for item in unique:
        if item.kind == "force":
            dataset.forces[item.value.id] = item.value
        elif item.kind == "inspection":
            insp = item.value
            ok = True
            if insp.force not in forces:
                reject(item, f"force '{insp.force}' is not defined in the loaded data "
                             f"(known: {known(forces)})")
                ok = False
            if insp.follows is not None:
                followed = inspections.get(insp.follows)
                if followed is None:
                    reject(item, f"follows '{insp.follows}', which is not an inspection in "
                                 f"the loaded data (known: {known(inspections)})")
                    ok = False
                elif insp.follows == insp.id:
                    reject(item, "an inspection cannot follow itself")
                    ok = False
                elif followed.force != insp.force:
                    reject(item, f"follows '{insp.follows}', an inspection of another force "
                                 f"({followed.force})")
                    ok = False
            if ok:
                dataset.inspections[insp.id] = insp

    seen_tallies: dict[tuple, _Pending] = {}
    for item in unique:
        if item.kind in ("force", "inspection"):
            continue
        record = item.value
        insp = inspections.get(record.inspection)
        if insp is None:
            reject(item, f"inspection '{record.inspection}' is not defined in the loaded data "
                         f"(known: {known(inspections)})")
            continue
        if item.kind == "recommendation":
            dataset.recommendations.append(record)
        elif item.kind == "tally":
            if _check_tally(item, insp, reject, seen_tallies):
                dataset.tallies.append(replace(record, counts={
                    g: dict((k, v) for k, v, _ in item.grades).get(g, 0) for g in insp.scale}))
        elif item.kind == "case" and _check_case(item, insp, reject):
            dataset.cases.append(record)
    return problems


def _check_tally(item: _Pending, insp: Inspection, reject, seen: dict) -> bool:
    ok = True
    for grade, _, line in item.grades:
        if grade not in insp.scale:
            reject(item, f"'{grade}' is not a grade of the {insp.methodology} scale used by "
                         f"inspection {insp.id} ({domain.scale_text(insp.methodology)})", line)
            ok = False
    t = item.value
    key = (t.inspection, t.assessor, t.sample, t.area)
    if key in seen:
        reject(item, f"duplicate tally: {t.inspection}, assessor {t.assessor}, sample "
                     f"{t.sample}, area {t.area} is already given at {seen[key].origin}")
        return False
    seen[key] = item
    return ok


def _check_case(item: _Pending, insp: Inspection, reject) -> bool:
    case: Case = item.value
    ok = True

    def line_of(key: str) -> int:
        return next((line for k, _, line in item.grades if k == key), item.origin.line)

    scale = insp.scale
    if (case.force_grade is not None and case.force_grade not in scale) or \
            (case.inspector_grade is not None and case.inspector_grade not in scale):
        for key in ("force_grade", "inspector_grade"):
            grade = getattr(case, key)
            if grade is not None and grade not in scale:
                reject(item, f"{key.replace('_', ' ')} '{domain.GRADE_LABELS[grade]}' is not on "
                             f"the {insp.methodology} scale used by inspection {insp.id} "
                             f"({domain.scale_text(insp.methodology)})", line_of(key))
                ok = False
    self_audit = insp.kind == "self-audit"
    if case.sample == "self-assessed" or self_audit:
        if case.force_grade is None:
            why = "a self-audit" if self_audit else "a self-assessed case"
            reject(item, f"missing 'force_grade': {why} carries the force's grade")
            ok = False
    elif case.force_grade is not None:
        reject(item, "an inspector-selected case has no force grade: remove 'force_grade' or "
                     "make the case self-assessed", line_of("force_grade"))
        ok = False
    if case.inspector_grade is None and not self_audit:
        reject(item, "missing 'inspector_grade': every case of an inspection or review "
                     "carries the inspectors' grade")
        ok = False
    return ok
