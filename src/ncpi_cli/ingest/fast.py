"""A fast path for the bulk of a large file: the `cases:` section, one record per line.

Composing YAML nodes with PyYAML costs about 65 µs a case; a national file has hundreds of
thousands. Case records almost always come as one flow mapping per line
(`  - {id: C1, inspection: x-2019, area: s47, ...}`) or as a short block mapping, so this
module composes that shape itself, with regular expressions, into the same nodes PyYAML
would give (same values, tags and lines), and hands them to the same rule
(`rules.CASE` through `fields.read_record`). A record whose text after its id has been seen
on a valid record before is not checked again: only its id is.

It reads only a conservative subset of YAML (plain scalars, simple quoted scalars, flat
lists; printable characters only). On the first line outside that subset it gives up and
the whole file goes through the precise path. Everything else in the file (the other
sections) is composed by the precise composer, with the cases section blanked out and its
lines kept, so every line number stays true. The test suite checks that both paths give
the same records and the same problems.
"""

from __future__ import annotations

import re
from collections.abc import Callable

import yaml
from yaml.resolver import Resolver

from ncpi_cli.model import Case, Origin

from .document import compose_into, new_records
from .fields import FileRecords, Pending, accepts_id, read_record
from .nodes import MAP, SEQ, STR, line_of, plain_tag
from .rules import CASE, GRADE_KEYS

HEADER = re.compile(r"^cases:[ \t]*(?:#[^\n]*)?$", re.M)
NEXT_TOP = re.compile(r"^[^\s#]", re.M)
LINE = re.compile(r"([^\n]*)\n")
#: a line may end in a comment (` # ...`), which YAML drops
_COMMENT = r"(?: +#.*)?"
FLOW_ITEM = re.compile(r"( *)- \{(.*)\} *" + _COMMENT)
BLOCK_FIRST = re.compile(r"( *)- ([A-Za-z_][A-Za-z0-9_]*): +(.+?) *" + _COMMENT)
BLOCK_MORE = re.compile(r"( *)([A-Za-z_][A-Za-z0-9_]*): +(.+?) *" + _COMMENT)
_PLAIN = r"[A-Za-z0-9_][^,\[\]{}#:\"'\n]*?"
_VALUE = r"\"[^\"\\\n]*\"|'[^'\n]*'|\[[^\[\]{}\n]*\]|" + _PLAIN
FIELD = re.compile(r" *([A-Za-z_][A-Za-z0-9_]*): +(" + _VALUE + r") *(?:,|$)")
VALUE = re.compile(_VALUE)
ITEM = re.compile(r"\"[^\"\\\n,]*\"|'[^'\n,]*'|" + _PLAIN)
ID_FIRST = re.compile(r" *id: +(\"[^\"\\\n]*\"|'[^'\n]*'|" + _PLAIN + r") *, *(.*)")
PROGRESS_EVERY = 20_000
#: `tuple.__new__`: the hot path makes its tuples without a Python-level constructor
new = tuple.__new__


class GiveUp(Exception):
    """The section is outside the fast path's subset: use the precise path."""


class _Mark:
    """A node's position, as PyYAML's marks give it (0-based line)."""

    __slots__ = ("line",)

    def __init__(self, line: int):
        self.line = line - 1


_tags: dict[str, str] = {}
#: first characters for which YAML 1.1 has an implicit (non-text) reading at all
_SPECIAL_FIRST = frozenset(ch for ch in Resolver.yaml_implicit_resolvers if ch is not None)
_ANY_FIRST = None in Resolver.yaml_implicit_resolvers
#: first characters of an id that is not plain text at first sight (quoted, or readable by
#: YAML 1.1 as something else)
_NOT_PLAIN_FIRST = _SPECIAL_FIRST | {'"', "'"}


def _tag(plain: str) -> str:
    if plain[0] not in _SPECIAL_FIRST and not _ANY_FIRST:
        return STR
    tag = _tags.get(plain)
    if tag is None:
        tag = plain_tag(plain)
        if len(_tags) < 100_000:
            _tags[plain] = tag
    return tag


def _tag_value(raw: str) -> tuple[str, str]:
    """A scalar's tag and value, as the composer gives them."""
    if raw[0] in "\"'":
        return STR, raw[1:-1]
    return _tag(raw), raw


def _scalar(raw: str, mark: _Mark) -> yaml.ScalarNode:
    tag, value = _tag_value(raw)
    return yaml.ScalarNode(tag, value, mark, mark)


def _node(raw: str, mark: _Mark) -> yaml.Node:
    if raw[0] != "[":
        return _scalar(raw, mark)
    inner = raw[1:-1].strip()
    items = [] if not inner else [item.strip() for item in inner.split(",")]
    if not all(ITEM.fullmatch(item) for item in items):
        raise GiveUp
    return yaml.SequenceNode(SEQ, [_scalar(item, mark) for item in items], mark, mark)


def _mapping(pairs: list[tuple[str, str, int]], line: int) -> yaml.MappingNode:
    mark = _Mark(line)
    value = []
    for key, raw, at in pairs:
        key_mark = mark if at == line else _Mark(at)
        value.append((yaml.ScalarNode(STR, key, key_mark, key_mark), _node(raw, key_mark)))
    return yaml.MappingNode(MAP, value, mark, mark)


def _fields(body: str, line: int) -> list[tuple[str, str, int]]:
    pairs = []
    position = 0
    end = len(body.rstrip())
    while position < end:
        match = FIELD.match(body, position)
        if match is None:
            raise GiveUp
        pairs.append((match[1], match[2], line))
        position = match.end()
    return pairs


def split(text: str) -> tuple[int, int, int] | None:
    """Where the cases section is: (header offset, body start, body end), or None."""
    header = HEADER.search(text)
    if header is None:
        return None
    body_start = header.end() + 1
    following = NEXT_TOP.search(text, body_start)
    body_end = following.start() if following else len(text)
    return header.start(), body_start, body_end


_CASE_KEYS = frozenset(CASE.keys)
_CASE_REQUIRED = frozenset(f.key for f in CASE.fields if f.required)
_TAIL_REQUIRED = _CASE_REQUIRED - {"id"}
#: a case's values after its id and before its origin, in `Case`'s order
_KNOWN = ("inspection", "area", "sample", "force_grade", "inspector_grade", "themes")
_CASE_DEFAULTS = {f.key: () if f.type == "slugs" else f.default for f in CASE.fields}
_NOT_SEEN = object()


class _CaseReader:
    """Reads case lines into records. A record is read by `rules.CASE`, unless every one of
    its values (all but the id) was seen on a record that passed it: a value's rule depends
    on its key and text alone, so only the id is then checked."""

    def __init__(self, records: FileRecords):
        self.records = records
        self.file = records.file
        self.pending = records.pending
        self.count = 0
        #: (key, text) -> value, for values seen on a record that passed the rule
        self.valid_values: dict[tuple[str, str], object] = {}
        #: text after `id: X,` -> the case's other values
        self.valid_tails: dict[str, tuple] = {}

    def flow(self, body: str, line: int, head: re.Match | None) -> None:
        """A one-line case that `_read_cases` did not keep at once (see `_hot`)."""
        if head is not None:
            known = self.valid_tails.get(head[2]) or self._seen(head[2])
            if known is not None:
                value = head[1]
                if value[0] in "\"'":
                    value = value[1:-1]
                    ok = accepts_id(STR, value)
                else:
                    ok = accepts_id(_tag(value), value)
                if ok:
                    self.count += 1
                    origin = new(Origin, (self.file, line, ""))
                    self.pending.append(new(Pending, (
                        "case", "case " + value, origin,
                        Case(value, known[0], known[1], known[2], origin, known[3], known[4],
                             known[5]), ())))
                    return
        pairs = _fields(body, line)
        if not self._quick(pairs, line):
            self._read(pairs, line)

    def block(self, pairs: list[tuple[str, str, int]], line: int) -> None:
        if not self._quick(pairs, line):
            self._read(pairs, line)

    def _keep(self, case_id: str, known: tuple, line: int, grades: list | tuple) -> None:
        origin = Origin(self.records.file, line)
        self.records.pending.append(Pending("case", f"case {case_id}", origin,
                                            Case(case_id, *known[:3], origin, *known[3:]),
                                            grades))

    def _seen(self, tail: str) -> tuple | None:
        """The values of the text after a case's id, when each was seen on a record that
        passed the rule (remembered for the next line with the same text)."""
        pairs = _fields(tail, 0)
        values = {}
        seen = self.valid_values
        for key, raw, _ in pairs:
            value = seen.get((key, raw), _NOT_SEEN)
            if value is _NOT_SEEN or key in values:
                return None
            values[key] = value
        if "id" in values or not _TAIL_REQUIRED <= values.keys() <= _CASE_KEYS:
            return None
        known = tuple(values.get(key, _CASE_DEFAULTS[key]) for key in _KNOWN)
        if len(self.valid_tails) < 50_000:
            self.valid_tails[tail] = known
        return known

    def _quick(self, pairs: list[tuple[str, str, int]], line: int) -> bool:
        """Keep a record whose values (all but the id) were each seen on a record that
        passed the rule, and whose id passes it; False to read it by the rule."""
        keys = {key for key, _, _ in pairs}
        if len(keys) != len(pairs) or not _CASE_REQUIRED <= keys <= _CASE_KEYS:
            return False
        values = dict(_CASE_DEFAULTS)
        for key, raw, _ in pairs:
            if key != "id":
                value = self.valid_values.get((key, raw), _NOT_SEEN)
                if value is _NOT_SEEN:
                    return False
                values[key] = value
        tag, case_id = _tag_value(next(raw for key, raw, _ in pairs if key == "id"))
        if not accepts_id(tag, case_id):
            return False
        known = tuple(values[key] for key in _KNOWN)
        grades = [(key, 0, at) for key, _, at in pairs if key in GRADE_KEYS and at != line]
        self.count += 1
        self._keep(case_id, known, line, grades or ())
        return True

    def _read(self, pairs: list[tuple[str, str, int]], line: int) -> None:
        before = (len(self.records.pending), len(self.records.problems))
        read_record(self.records, CASE, _mapping(pairs, line), self.count)
        self.count += 1
        if (len(self.records.pending) == before[0] + 1
                and len(self.records.problems) == before[1]
                and len(self.valid_values) < 50_000):
            case: Case = self.records.pending[-1].value
            for key, raw, _ in pairs:
                if key != "id":
                    self.valid_values[(key, raw)] = getattr(case, key)


def read(text: str, file: str,
         progress: Callable[[int], None] | None = None) -> FileRecords | None:
    """Every record of one file, its cases by the fast path; None when it does not apply."""
    if "\r" in text:  # Windows line ends: YAML reads CR LF as one break, and so do we
        text = text.replace("\r\n", "\n")
        if "\r" in text:
            return None  # a lone CR is a break of its own in YAML: the precise path counts
    if not text.endswith("\n"):
        text += "\n"
    where = split(text)
    if where is None:
        return None
    header_at, body_start, body_end = where
    header_line = text.count("\n", 0, header_at) + 1
    records = new_records(file)
    cases = _CaseReader(records)
    try:
        _read_cases(text, body_start, body_end, header_line, cases, progress)
    except GiveUp:
        return None
    if cases.count == 0:
        return None  # `cases:` with no items is null in YAML: the precise path says so
    lines_in_body = text.count("\n", body_start, body_end)
    rest = text[:header_at] + "cases: []" + "\n" * (1 + lines_in_body) + text[body_end:]
    node = compose_into(records, rest)
    if not _placeholder_in_place(node, header_line):
        return None
    records.counts["cases"] = cases.count
    return records


def _read_cases(text: str, start: int, end: int, line: int, cases: _CaseReader,
                progress: Callable[[int], None] | None) -> None:
    pending: list[tuple[str, str, int]] | None = None
    pending_line = 0
    indent: str | None = None
    # tabs, controls, separators, format characters: YAML decides (one pass over a section
    # that has none, which is the usual case; line by line otherwise)
    printable = text.replace("\n", "").isprintable()
    # The hot path, kept inline: a case on one line whose text after the id was seen on a
    # valid case, with a plain id. Such an id passes the id rule: YAML 1.1 reads it as text
    # (its first character has no other reading), it starts with a letter, digit or `_`
    # (ID_FIRST), so it is not blank, and the file holds no hidden character.
    hot = printable and not _ANY_FIRST
    tails = cases.valid_tails
    keep = cases.pending.append
    file = cases.file
    for match in LINE.finditer(text, start, end):
        raw_line = match[1]
        line += 1
        if not printable and not raw_line.isprintable():
            raise GiveUp  # a hidden character, in a comment too: the precise path says
        stripped = raw_line.strip()
        if not stripped or stripped.startswith("#"):
            if raw_line[:len(raw_line) - len(raw_line.lstrip())].strip(" "):
                raise GiveUp  # a tab before a comment: YAML may refuse it; the precise path says
            continue
        flow = FLOW_ITEM.fullmatch(raw_line)
        if flow:
            if pending is not None:
                cases.block(pending, pending_line)
                pending = None
            if indent is None:
                indent = flow[1]
            elif flow[1] != indent:
                raise GiveUp
            head = ID_FIRST.fullmatch(flow[2])
            known = tails.get(head[2]) if hot and head is not None else None
            if known is not None and head[1][0] not in _NOT_PLAIN_FIRST:
                value = head[1]
                origin = new(Origin, (file, line, ""))
                keep(new(Pending, ("case", "case " + value, origin, Case(
                    value, known[0], known[1], known[2], origin, known[3], known[4], known[5]),
                    ())))
                cases.count += 1
            else:
                cases.flow(flow[2], line, head)
            if progress is not None:
                _report(progress, cases.count)
        else:
            first = BLOCK_FIRST.fullmatch(raw_line)
            if first:
                if pending is not None:
                    cases.block(pending, pending_line)
                if indent is None:
                    indent = first[1]
                elif first[1] != indent:
                    raise GiveUp
                if not VALUE.fullmatch(first[3]):
                    raise GiveUp
                pending, pending_line = [(first[2], first[3], line)], line
                _report(progress, cases.count + 1)
            else:
                more = BLOCK_MORE.fullmatch(raw_line)
                if (more is None or pending is None or more[1] != indent + "  "
                        or not VALUE.fullmatch(more[3])):
                    raise GiveUp
                pending.append((more[2], more[3], line))
    if pending is not None:
        cases.block(pending, pending_line)


def _report(progress: Callable[[int], None] | None, count: int) -> None:
    if progress is not None and count % PROGRESS_EVERY == 0:
        progress(count)


def _placeholder_in_place(node: yaml.Node | None, header_line: int) -> bool:
    """The blanked section composed as one empty list at the header's line (a second
    `cases:` key, or a file that is not a mapping, goes to the precise path)."""
    if not isinstance(node, yaml.MappingNode):
        return False
    found = [v for k, v in node.value if isinstance(k, yaml.ScalarNode) and k.value == "cases"]
    return (len(found) == 1 and isinstance(found[0], yaml.SequenceNode) and not found[0].value
            and line_of(found[0]) == header_line)
