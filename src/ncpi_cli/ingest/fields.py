"""Record rules declared as data, and the one reader that applies them.

A `Rule` lists a record kind's fields: key, type, whether it is required, its choices.
`RecordReader` applies a rule to a mapping node and reports every problem against the
record, with the line of the value at fault. Every reader of records (the precise YAML
path and the fast path for large case sections) goes through it, so a field's rule and
its messages are written once.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, NamedTuple

import yaml

from ncpi_cli import domain
from ncpi_cli.model import Origin, PartialDate, Problem
from ncpi_cli.printable import hidden_character, shown

from .nodes import (
    BOOL,
    FLOAT,
    INT,
    MAP,
    NULL,
    REFUSED_TAG,
    SEQ,
    STR,
    TIMESTAMP,
    describe,
    line_of,
    place_of,
    yaml11_reading,
)

MAX_COUNT = 1_000_000
SLUG = re.compile(r"[a-z0-9-]+")
DATE = re.compile(r"([0-9]{4})-([0-9]{2})(?:-([0-9]{2}))?")
#: a date, or a window of two (`2016-02/2016-05`): approximate and month-range dates
DATE_WINDOW = re.compile(rf"{DATE.pattern}(?:/{DATE.pattern})?")
#: Dates outside these years are typing errors (and would overflow due-date arithmetic).
YEARS = (1990, 2099)
SOURCE_KEYS = ("title", "publisher", "url", "document", "date", "primary", "note")

#: The types a field can have; `RecordReader` has one method per type.
FIELD_TYPES = ("text", "id", "slug", "choice", "grade", "count", "date", "slugs", "source",
               "citation", "records", "scalar", "flag")


@dataclass(frozen=True)
class Field:
    """One key of a record kind and the rule its value must pass."""

    key: str
    type: str
    required: bool = True
    #: accepted values (`choice`, `slugs`); for `choice`, the message's list too
    choices: tuple[str, ...] = ()
    #: the value's name in messages ("practice area")
    what: str = "value"
    #: for `choice`: the domain vocabulary whose spellings are accepted (`domain.VOCABULARIES`)
    vocabulary: str | None = None
    #: the value when the key is absent
    default: Any = None
    #: a further rule on a value that passed its type: returns a problem message or None
    check: Callable[[Any], str | None] | None = None
    #: for `records`: the rule of each item of the list
    item: Rule | None = None
    #: what the value means, for the format's documentation and schema
    meaning: str = ""

    def __post_init__(self) -> None:
        if self.type not in FIELD_TYPES:
            raise ValueError(f"unknown field type {self.type}")


@dataclass(frozen=True)
class Rule:
    """A record kind: its fields in the order messages list them, how its records are
    named in messages, and how a record that passed is built."""

    kind: str
    fields: tuple[Field, ...]
    #: key whose value names a record in messages ("case C1"); records without ids are
    #: named by position with that key's value as a hint ("tally #2 (gwent-2019)")
    label_key: str = "id"
    by_position: bool = False
    #: checks across fields of one record, after each field's own rule
    check: Callable[[RecordReader, dict[str, Any]], None] | None = None
    #: the model record, and what the cross-file checks need besides (grade lines)
    build: Callable[[RecordReader, dict[str, Any]], tuple[Any, Any]] | None = None

    @property
    def keys(self) -> tuple[str, ...]:
        return tuple(f.key for f in self.fields)

    def field(self, key: str) -> Field:
        return next(f for f in self.fields if f.key == key)


def label(rule: Rule, node: yaml.Node, index: int) -> str:
    """A record's name in messages: its id when it has a usable one, else its position."""
    value = None
    if isinstance(node, yaml.MappingNode):
        for key_node, value_node in node.value:
            if (isinstance(key_node, yaml.ScalarNode) and key_node.value == rule.label_key
                    and isinstance(value_node, yaml.ScalarNode) and value_node.value.strip()):
                value = shown(value_node.value)
                break
    if rule.by_position:
        return f"{rule.kind} #{index + 1}" + (f" ({value})" if value else "")
    return f"{rule.kind} {value}" if value else f"{rule.kind} #{index + 1}"


def accepts_id(tag: str, value: str) -> bool:
    """The rule of an id, for readers that check before they build a node."""
    return tag == STR and bool(value.strip()) and (value.isprintable() or
                                                   hidden_character(value) is None)


@dataclass
class FileRecords:
    """What the readers found in one file: problems, records read per section, and the
    records that passed their own rules (before the checks across files)."""

    file: str
    problems: list[Problem] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)
    pending: list[Pending] = field(default_factory=list)
    #: what a reader wants the user told that is not a problem (rows skipped, formulas)
    notes: list[str] = field(default_factory=list)
    #: (kind, id) of records rejected by their own rule, where first seen: a record that
    #: refers to one is told so, not that the id is unknown
    rejected: dict[tuple[str, str], Origin] = field(default_factory=dict)


class Pending(NamedTuple):
    """A record that passed the single-file checks, before cross-file checks. (A tuple:
    the fast path makes one per case, and a tuple is the cheapest record to make.)"""

    kind: str
    label: str
    origin: Origin
    value: Any
    #: grade keys with their count and line, checked against the inspection's scale in
    #: pass two; empty where every grade is on the record's own line
    grades: list[tuple[str, int, int]] | tuple = ()


def read_record(records: FileRecords, rule: Rule, node: yaml.Node, index: int) -> None:
    """Apply a rule to one record; a record that passes is kept for the cross-file checks."""
    r = RecordReader(records, node, label(rule, node, index), rule.keys)
    values = r.read(rule.fields)
    if rule.check is not None:
        rule.check(r, values)
    if r.ok and rule.build is not None:
        value, grades = rule.build(r, values)
        records.pending.append(Pending(rule.kind, r.label, r.origin, value, grades))
    elif not r.ok and isinstance(values.get("id"), str):
        records.rejected.setdefault((rule.kind, values["id"]), r.origin)


class RecordReader:
    """Typed access to one mapping, reporting every problem against this record."""

    def __init__(self, records: FileRecords, node: yaml.Node, label: str,
                 known: Sequence[str]):
        self.records = records
        self.node = node
        self.label = label
        self.ok = True
        self.fields: dict[str, yaml.Node] = {}
        self.origin = Origin(records.file, line_of(node), place_of(node))
        if not isinstance(node, yaml.MappingNode):
            self.problem(node, f"expected a mapping of keys to values, found {describe(node)}")
            return
        if node.tag != MAP:
            self.problem(node, f"unsupported YAML tag {node.tag}: ncpi files use no tags")
        self.fields = self._mapping(node, known)

    def problem(self, node: yaml.Node | None, message: str) -> None:
        self.ok = False
        if node is None:
            line, place = self.origin.line, self.origin.place
        else:
            line, place = line_of(node), place_of(node)
        self.records.problems.append(Problem(self.records.file, line, self.label, message,
                                             place))

    def _mapping(self, node: yaml.MappingNode, known: Sequence[str]) -> dict[str, yaml.Node]:
        """Keys to value nodes; non-text, duplicate and unknown keys reported."""
        out: dict[str, yaml.Node] = {}
        first_line: dict[str, int] = {}
        for key_node, value_node in node.value:
            if key_node.tag == REFUSED_TAG:
                continue
            if not isinstance(key_node, yaml.ScalarNode) or key_node.tag != STR:
                text = shown(key_node.value) if isinstance(key_node, yaml.ScalarNode) else "?"
                self.problem(key_node, f"key '{text}' is read by YAML as "
                                       f"{describe(key_node)}, not text")
                continue
            key = key_node.value
            if key in first_line:
                self.problem(key_node, f"duplicate key '{key}' (first at line "
                                       f"{first_line[key]}): YAML would silently keep only "
                                       "the last")
                continue
            first_line[key] = line_of(key_node)
            if key not in known:
                self.problem(key_node, f"unknown key '{shown(key)}' (known: "
                                       f"{', '.join(known)})")
                continue
            out[key] = value_node
        return out

    def read(self, fields: Sequence[Field]) -> dict[str, Any]:
        """Every field's value by its rule; an absent optional field gets its default."""
        values: dict[str, Any] = {}
        for f in fields:
            if f.type == "choice":
                value = self.choice(f.key, f.choices, f.what, f.required, f.vocabulary)
            elif f.type == "slugs":
                value = self.slugs(f.key, f.choices, f.what, f.required)
            elif f.type == "records":
                value = self.records_of(f.key, f.item)
            elif f.type == "source":
                value = self.source(f.key)
            elif f.type == "citation":
                value = self.citation(f.key)
            else:
                value = getattr(self, f.type)(f.key, f.required)
            if value is not None and f.check is not None:
                message = f.check(value)
                if message is not None:
                    self.problem(self.fields[f.key], message)
                    value = None
            values[f.key] = f.default if value is None and f.key not in self.fields else value
        return values

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
            self.problem(node, f"'{key}' must be a single value, not {describe(node)}")
            return None
        if node.tag == NULL:
            self.problem(node, f"'{key}' has no value: give one, or leave the key out")
            return None
        return node

    def text(self, key: str, required: bool = True, strict: bool = False) -> str | None:
        node = self._scalar(key, required)
        if node is None:
            return None
        if node.tag == STR and node.value.strip() and (
                node.value.isprintable() or hidden_character(node.value, strict) is None):
            return node.value
        hidden = hidden_character(node.value, strict) if node.tag == STR else None
        if hidden is not None:
            self.problem(node, f"'{key}' contains {hidden}, which would not show as it is: "
                               "remove it or write it out")
            return None
        if node.tag != STR:
            if node.tag in (BOOL, INT, FLOAT, TIMESTAMP):
                self.problem(node, f"'{key}: {node.value}' is read by YAML 1.1 as "
                                   f"{yaml11_reading(node)}, not text: quote it "
                                   f"(\"{node.value}\") if text is meant")
            else:
                self.problem(node, f"'{key}' must be text, not {describe(node)}")
            return None
        self.problem(node, f"'{key}' is blank")
        return None

    def id(self, key: str, required: bool = True) -> str | None:
        return self.text(key, required, strict=True)

    def slug(self, key: str, required: bool = True) -> str | None:
        value = self.text(key, required)
        if value is not None and not SLUG.fullmatch(value):
            self.problem(self.fields[key], f"'{key}' must be a slug of lower-case letters, "
                                           f"digits and hyphens, not '{value}'")
            return None
        return value

    def choice(self, key: str, choices: Sequence[str], what: str, required: bool = True,
               vocabulary: str | None = None) -> str | None:
        value = self.text(key, required)
        if value is None or value in choices:
            return value
        words = domain.VOCABULARIES[vocabulary] if vocabulary else None
        found = words.lookup(value) if words else None
        if found is None or found not in choices:
            hint = words.did_you_mean(value) if words and found is None else ""
            self.problem(self.fields[key], f"unknown {what} '{value}' ({hint}known: "
                                           f"{', '.join(choices)})")
            return None
        return found

    def grade(self, key: str, required: bool = True) -> str | None:
        value = self.text(key, required)
        if value is None:
            return None
        grade = domain.parse_grade(value)
        if grade is None:
            hint = domain.VOCABULARIES["grade"].did_you_mean(value)
            self.problem(self.fields[key], f"unknown grade '{value}' ({hint}accepted: "
                                           f"{domain.ACCEPTED_GRADE_SPELLINGS})")
        return grade

    def count(self, key: str, required: bool = True) -> int | None:
        node = self._scalar(key, required)
        if node is None:
            return None
        raw = node.value
        if node.tag == INT:
            if re.fullmatch(r"0|[1-9][0-9]*", raw):
                value = int(raw) if len(raw) <= len(str(MAX_COUNT)) else MAX_COUNT + 1
                if value > MAX_COUNT:
                    if len(raw) > 20:
                        raw = f"{raw[:12]}... ({len(raw):,} digits)"
                    self.problem(node, f"'{key}: {raw}' is implausibly large (more than "
                                       f"{MAX_COUNT:,})")
                    return None
                return value
            if re.fullmatch(r"-[0-9]+", raw):
                self.problem(node, f"'{key}' must not be negative, got {raw}")
            else:
                self.problem(node, f"'{key}: {raw}' is read by YAML 1.1 as "
                                   f"{yaml11_reading(node)}: write a plain whole number "
                                   f"without leading zeros, signs or separators")
            return None
        if node.tag == STR:
            self.problem(node, f"'{key}' must be a whole number, not text ('{raw}')")
        elif node.tag in (BOOL, FLOAT, TIMESTAMP):
            self.problem(node, f"'{key}' must be a whole number, not {raw} (read by YAML 1.1 "
                               f"as {yaml11_reading(node)})")
        else:
            self.problem(node, f"'{key}' must be a whole number, not {describe(node)}")
        return None

    def date(self, key: str, required: bool = False) -> PartialDate | None:
        node = self._scalar(key, required)
        if node is None:
            return None
        match = DATE_WINDOW.fullmatch(node.value) if node.tag in (STR, TIMESTAMP) else None
        if match:
            parts = [match.groups()[i:i + 3] for i in (0, 3) if match.groups()[i]]
            dates = []
            for year_text, month_text, day_text in parts:
                year, month = int(year_text), int(month_text)
                day = int(day_text) if day_text else None
                if not YEARS[0] <= year <= YEARS[1]:
                    self.problem(node, f"'{key}: {node.value}' is implausible: ncpi takes "
                                       f"dates from {YEARS[0]} to {YEARS[1]}")
                    return None
                try:
                    dt.date(year, month, day or 1)
                except ValueError:
                    self.problem(node, f"'{key}: {node.value}' is not a real date")
                    return None
                dates.append(PartialDate(year, month, day))
            if len(dates) == 1:
                return dates[0]
            first, last = dates
            if last.latest() <= first.earliest():
                self.problem(node, f"'{key}: {node.value}' is not a window: its end must "
                                   "come after its start")
                return None
            return PartialDate(first.year, first.month, first.day, last)
        self.problem(node, f"'{key}' must be a date as YYYY-MM-DD or YYYY-MM, or a window "
                           f"of two (YYYY-MM/YYYY-MM), not '{node.value}'")
        return None

    def flag(self, key: str, required: bool = False) -> bool | None:
        node = self._scalar(key, required)
        if node is None:
            return None
        if node.tag == BOOL and node.value in ("true", "false"):
            return node.value == "true"
        self.problem(node, f"'{key}' must be true or false, not '{shown(node.value)}'")
        return None

    def scalar(self, key: str, required: bool = True) -> yaml.ScalarNode | None:
        """The value node itself, for a field whose type depends on another field."""
        return self._scalar(key, required)

    def sequence(self, key: str) -> list[yaml.Node]:
        node = self.fields.get(key)
        if node is None or node.tag == REFUSED_TAG:
            return []
        if not isinstance(node, yaml.SequenceNode):
            self.problem(node, f"'{key}' must be a list, not {describe(node)}")
            return []
        if node.tag != SEQ:
            self.problem(node, f"unsupported YAML tag {node.tag}: ncpi files use no tags")
        return list(node.value)

    def slugs(self, key: str, choices: Sequence[str] = (), what: str = "value",
              required: bool = False) -> tuple[str, ...]:
        out = []
        for item in self.sequence(key):
            if not isinstance(item, yaml.ScalarNode) or item.tag != STR:
                if item.tag != REFUSED_TAG:
                    self.problem(item, f"each entry of '{key}' must be text, not "
                                       f"{describe(item)}")
                else:
                    self.ok = False
                continue
            if choices and item.value not in choices:
                self.problem(item, f"unknown {what} '{item.value}' in '{key}' (known: "
                                   f"{', '.join(choices)})")
            elif not choices and not SLUG.fullmatch(item.value):
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
        inner = RecordReader(self.records, node, self.label, SOURCE_KEYS)
        readers = {"date": inner.date, "primary": inner.flag}
        values = {k: readers.get(k, inner.text)(k, False) for k in SOURCE_KEYS
                  if k in inner.fields}
        if not inner.ok:
            self.ok = False
        return {k: v for k, v in values.items() if v is not None}

    def citation(self, key: str = "source") -> str | dict | None:
        """A source given as a locator in the record's own report (text) or as a source
        of its own (a mapping, as an inspection's `source`)."""
        node = self.fields.get(key)
        if node is None or node.tag == REFUSED_TAG:
            return None
        if isinstance(node, yaml.MappingNode):
            return self.source(key)
        return self.text(key, required=False)

    def records_of(self, key: str, rule: Rule | None) -> tuple:
        """A list of nested records (an inspection's progress, a recommendation's updates):
        each read by its rule and named as this record; any failure fails this record."""
        assert rule is not None and rule.build is not None
        out = []
        for item in self.sequence(key):
            inner = RecordReader(self.records, item, self.label, rule.keys)
            values = inner.read(rule.fields)
            if rule.check is not None:
                rule.check(inner, values)
            if inner.ok:
                out.append(rule.build(inner, values)[0])
            else:
                self.ok = False
        return tuple(out)
