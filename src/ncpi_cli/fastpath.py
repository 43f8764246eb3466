"""A fast path for the bulk of a large file: the `cases:` section, one record per line.

Composing YAML nodes in Python costs about 65 µs a case; a national file has hundreds of
thousands. Case records almost always come as one flow mapping per line
(`  - {id: C1, inspection: x-2019, area: s47, ...}`) or as a short block mapping, so this
module reads that shape with regular expressions and checks each record with the same rules
as `validate`.

It never decides anything the precise path would decide differently. It accepts only
a conservative subset (plain scalars that YAML 1.1 reads as text, simple quoted scalars,
flat lists of slugs) and only records that pass every single-record rule. On the first line
outside that subset, or the first record with any problem, it gives up and the whole file
goes through the precise path, which finds and words every problem with its line. The
test suite checks that both paths give the same records.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from yaml import ScalarNode
from yaml.resolver import Resolver

from . import domain
from .model import Case, Origin

STR_TAG = "tag:yaml.org,2002:str"
CASE_KEYS = ("id", "inspection", "area", "sample", "force_grade", "inspector_grade", "themes")
REQUIRED = ("id", "inspection", "area", "sample")

HEADER = re.compile(r"^cases:[ \t]*(?:#[^\n]*)?$", re.M)
NEXT_TOP = re.compile(r"^[^\s#]", re.M)
LINE = re.compile(r"([^\n]*)\n")
FLOW_ITEM = re.compile(r"( *)- \{(.*)\} *")
BLOCK_FIRST = re.compile(r"( *)- ([A-Za-z_][A-Za-z0-9_]*): +(.+?) *")
BLOCK_MORE = re.compile(r"( *)([A-Za-z_][A-Za-z0-9_]*): +(.+?) *")
_PLAIN = r"[A-Za-z0-9_][^,\[\]{}#:\"'\n]*?"
FIELD = re.compile(r" *([A-Za-z_][A-Za-z0-9_]*): +("
                   r"\"[^\"\\\n]*\"|'[^'\n]*'|\[[^\[\]{}\n]*\]|" + _PLAIN + r") *(?:,|$)")
VALUE = re.compile(r"\"[^\"\\\n]*\"|'[^'\n]*'|\[[^\[\]{}\n]*\]|" + _PLAIN)
SLUG = re.compile(r"[a-z0-9-]+")


class GiveUp(Exception):
    """The section is outside the fast path's subset: use the precise path."""


@dataclass
class FastCases:
    """What the fast path read: the file with its cases section blanked, and the cases."""

    rest: str
    header_line: int
    cases: list[tuple[Case, list[tuple[str, int, int]]]]
    count: int


_RESOLVER = Resolver()
#: first characters for which YAML 1.1 has an implicit (non-text) reading at all
_SPECIAL_FIRST = frozenset(ch for ch in Resolver.yaml_implicit_resolvers if ch is not None)
_ANY_FIRST = None in Resolver.yaml_implicit_resolvers
_tags: dict[str, str] = {}


def _is_text(plain: str) -> bool:
    """Whether YAML 1.1 reads this plain scalar as text (not a bool, number, date, null)."""
    if plain[0] not in _SPECIAL_FIRST and not _ANY_FIRST:
        return True
    tag = _tags.get(plain)
    if tag is None:
        tag = _RESOLVER.resolve(ScalarNode, plain, (True, False))
        if len(_tags) < 100_000:
            _tags[plain] = tag
    return tag == STR_TAG


def _scalar(raw: str) -> str:
    if raw[0] in "\"'":
        return raw[1:-1]
    if raw[0] == "[" or not _is_text(raw):
        raise GiveUp
    return raw


def _slugs(raw: str) -> tuple[str, ...]:
    if raw[0] != "[":
        raise GiveUp
    inner = raw[1:-1].strip()
    if not inner:
        return ()
    items = tuple(item.strip() for item in inner.split(","))
    for item in items:
        if not SLUG.fullmatch(item) or not _is_text(item):
            raise GiveUp
    return items


def split(text: str) -> tuple[int, int, int] | None:
    """Where the cases section is: (header offset, body start, body end), or None."""
    header = HEADER.search(text)
    if header is None:
        return None
    body_start = header.end() + 1
    following = NEXT_TOP.search(text, body_start)
    body_end = following.start() if following else len(text)
    return header.start(), body_start, body_end


def read(text: str, file: str,
         progress: Callable[[int], None] | None = None) -> FastCases | None:
    """The cases of one file by the fast path, or None when it does not apply."""
    if not text.endswith("\n"):
        text += "\n"
    where = split(text)
    if where is None:
        return None
    header_at, body_start, body_end = where
    header_line = text.count("\n", 0, header_at) + 1
    line = header_line
    cases: list[tuple[Case, list[tuple[str, int, int]]]] = []
    pending: dict[str, tuple[str, int]] | None = None
    pending_line = 0
    indent: str | None = None
    count = 0
    try:
        for match in LINE.finditer(text, body_start, body_end):
            raw_line = match[1]
            line += 1
            stripped = raw_line.strip()
            if not stripped or stripped.startswith("#"):
                continue
            flow = FLOW_ITEM.fullmatch(raw_line)
            if flow:
                if pending is not None:
                    cases.append(_case(pending, file, pending_line))
                    pending = None
                if indent is None:
                    indent = flow[1]
                elif flow[1] != indent:
                    raise GiveUp
                cases.append(_flow_case(flow[2], file, line))
                count += 1
            else:
                first = BLOCK_FIRST.fullmatch(raw_line)
                if first:
                    if pending is not None:
                        cases.append(_case(pending, file, pending_line))
                    if indent is None:
                        indent = first[1]
                    elif first[1] != indent:
                        raise GiveUp
                    if not VALUE.fullmatch(first[3]):
                        raise GiveUp
                    pending, pending_line = {first[2]: (first[3], line)}, line
                    count += 1
                else:
                    more = BLOCK_MORE.fullmatch(raw_line)
                    if (more is None or pending is None or more[1] != indent + "  "
                            or more[2] in pending or not VALUE.fullmatch(more[3])):
                        raise GiveUp
                    pending[more[2]] = (more[3], line)
            if progress is not None and count % 20_000 == 0:
                progress(count)
        if pending is not None:
            cases.append(_case(pending, file, pending_line))
    except GiveUp:
        return None
    if count == 0:
        return None  # `cases:` with no items is null in YAML: the precise path says so
    lines_in_body = text.count("\n", body_start, body_end)
    rest = (text[:header_at] + "cases: []" + "\n" * (1 + lines_in_body) + text[body_end:])
    return FastCases(rest, header_line, cases, count)


def _fields(body: str, line: int) -> dict[str, tuple[str, int]]:
    fields: dict[str, tuple[str, int]] = {}
    position = 0
    end = len(body.rstrip())
    while position < end:
        match = FIELD.match(body, position)
        if match is None or match[1] in fields:
            raise GiveUp
        fields[match[1]] = (match[2], line)
        position = match.end()
    return fields


_CHECKED: dict[tuple[str, str], str] = {}
KEY_SET = frozenset(CASE_KEYS)
REQUIRED_SET = frozenset(REQUIRED)
GRADE_KEYS = ("force_grade", "inspector_grade")


def _checked(key: str, raw: str) -> str:
    """The value of a repeated field (inspection, area, sample, grade) checked once."""
    value = _scalar(raw)
    if not value.strip():
        raise GiveUp
    if key == "inspection":
        ok = SLUG.fullmatch(value) is not None
    elif key == "area":
        ok = value in domain.AREAS
    elif key == "sample":
        ok = value in domain.SAMPLES
    else:
        grade = domain.parse_grade(value)
        ok, value = grade is not None, grade or value
    if not ok:
        raise GiveUp
    if len(_CHECKED) < 10_000:
        _CHECKED[(key, raw)] = value
    return value


Template = tuple[str, str, str, "str | None", "str | None", tuple[str, ...]]
_TEMPLATES: dict[str, Template] = {}
ID_FIRST = re.compile(r" *id: +(\"[^\"\\\n]*\"|'[^'\n]*'|" + _PLAIN + r") *, *(.*)")


def _template(fields: dict[str, tuple[str, int]]) -> Template:
    """Everything of a case but its id, checked by the rules of `validate._read_case`."""
    keys = fields.keys()
    if not keys <= KEY_SET or not keys >= REQUIRED_SET - {"id"}:
        raise GiveUp
    values = {key: _CHECKED.get((key, raw)) or _checked(key, raw)
              for key, (raw, _) in fields.items() if key not in ("id", "themes")}
    themes = _slugs(fields["themes"][0]) if "themes" in fields else ()
    return (values["inspection"], values["area"], values["sample"],
            values.get("force_grade"), values.get("inspector_grade"), themes)


def _case_id(raw: str) -> str:
    value = _scalar(raw)
    if not value.strip():
        raise GiveUp
    return value


def _flow_case(body: str, file: str, line: int) -> tuple[Case, tuple]:
    """A one-line case; the part after its id is checked once per distinct text."""
    head = ID_FIRST.fullmatch(body)
    if head is None:
        return _case(_fields(body, line), file, line)
    tail = head[2]
    template = _TEMPLATES.get(tail)
    if template is None:
        fields = _fields(tail, line)
        if "id" in fields:
            raise GiveUp
        template = _template(fields)
        if len(_TEMPLATES) < 50_000:
            _TEMPLATES[tail] = template
    inspection, area, sample, force_grade, inspector_grade, themes = template
    return Case(_case_id(head[1]), inspection, area, sample, Origin(file, line), force_grade,
                inspector_grade, themes), ()


def _case(fields: dict[str, tuple[str, int]], file: str,
          line: int) -> tuple[Case, list[tuple[str, int, int]] | tuple]:
    """A case that passes every single-record rule of `validate._read_case`, or GiveUp."""
    if "id" not in fields:
        raise GiveUp
    inspection, area, sample, force_grade, inspector_grade, themes = _template(fields)
    lines = [(key, 0, fields[key][1]) for key in GRADE_KEYS
             if key in fields and fields[key][1] != line] or ()
    case = Case(_case_id(fields["id"][0]), inspection, area, sample, Origin(file, line),
                force_grade, inspector_grade, themes)
    return case, lines
