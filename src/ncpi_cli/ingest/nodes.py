"""Text to YAML nodes, refusing what YAML does silently.

PyYAML expands aliases without limit (yaml/pyyaml#235) and keeps the last of two equal
mapping keys (yaml/pyyaml#165). ncpi composes the node tree itself: anchors and aliases
are reported and never expanded, and the field rules (not a constructor) decide what each
scalar means, so YAML 1.1 coercions (`no` -> false, `010` -> 8) are caught with the line
they came from.
"""

from __future__ import annotations

import re
from typing import Protocol

import yaml
from yaml.composer import Composer
from yaml.resolver import Resolver

from ncpi_cli.model import Problem

#: Tag given to the placeholder left where an alias was refused (already reported).
REFUSED_TAG = "tag:ncpi,2026:refused"
_TAG = "tag:yaml.org,2002:"
STR, INT, FLOAT, BOOL, NULL, TIMESTAMP = (_TAG + t for t in
                                          ("str", "int", "float", "bool", "null", "timestamp"))
SEQ, MAP = _TAG + "seq", _TAG + "map"

#: Limits that no real ncpi file comes near, so that hostile input fails fast and small.
MAX_DEPTH = 32
MAX_REFUSALS = 20
EMPTY = "the file is empty: expected a mapping that starts with 'ncpi: 1'"
MAX_MAPPING_KEYS = 1000


class _Hostile(Exception):
    """Input shaped to exhaust memory or time: stop composing at once."""

    def __init__(self, line: int, message: str):
        super().__init__(message)
        self.line = line


class SectionSink(Protocol):
    """Takes each record of a top-level list as soon as it is composed, so that a file's
    node tree is never held whole (a record's nodes are dropped once it is read)."""

    sections: tuple[str, ...]

    def item(self, section: str, node: yaml.Node, index: int) -> None: ...

    def reset(self) -> None: ...


class StreamedSequence(yaml.SequenceNode):
    """A top-level list whose items went to a `SectionSink`: it keeps only their count."""

    count = 0


class _StrictComposer(Composer):
    """Composer that reports anchors and aliases instead of honouring them, stops at
    nesting or mapping sizes no ncpi file has, and streams section records to a sink."""

    refused: list[tuple[int, str]]
    depth = 0
    sink: SectionSink | None = None
    _section: str | None = None
    _sections_seen: set[str]

    def compose_mapping_node(self, anchor):
        if self.sink is None or self.depth != 1:
            return super().compose_mapping_node(anchor)
        start = self.get_event()
        tag = start.tag
        if tag is None or tag == "!":
            tag = self.resolve(yaml.MappingNode, None, start.implicit)
        node = yaml.MappingNode(tag, [], start.start_mark, None, flow_style=start.flow_style)
        self._sections_seen = set()
        while not self.check_event(yaml.MappingEndEvent):
            key = self.compose_node(node, None)
            name = key.value if isinstance(key, yaml.ScalarNode) and key.tag == STR else None
            if name in self.sink.sections and name not in self._sections_seen:
                self._sections_seen.add(name)
                self._section = name
            value = self.compose_node(node, key)
            self._section = None
            node.value.append((key, value))
        node.end_mark = self.get_event().end_mark
        return node

    def compose_sequence_node(self, anchor):
        section = self._section
        if self.sink is None or self.depth != 2 or section is None:
            return super().compose_sequence_node(anchor)
        self._section = None
        start = self.get_event()
        tag = start.tag
        if tag is None or tag == "!":
            tag = self.resolve(yaml.SequenceNode, None, start.implicit)
        node = StreamedSequence(tag, [], start.start_mark, None, flow_style=start.flow_style)
        index = 0
        while not self.check_event(yaml.SequenceEndEvent):
            item = self.compose_node(node, index)
            if item.tag != REFUSED_TAG:
                self.sink.item(section, item, index)
            index += 1
        node.count = index
        node.end_mark = self.get_event().end_mark
        return node

    def compose_node(self, parent, index):
        if (isinstance(parent, yaml.MappingNode) and index is None
                and len(parent.value) >= MAX_MAPPING_KEYS):
            raise _Hostile(parent.start_mark.line + 1,
                           f"a mapping with more than {MAX_MAPPING_KEYS:,} keys: no ncpi "
                           "record has so many; the file was not read further")
        self.depth += 1
        try:
            if self.depth > MAX_DEPTH:
                raise _Hostile(self.peek_event().start_mark.line + 1,
                               f"values nested more than {MAX_DEPTH} levels deep: no ncpi "
                               "file nests so deep; the file was not read further")
            return self._compose_strict(parent, index)
        finally:
            self.depth -= 1

    def _compose_strict(self, parent, index):
        if self.check_event(yaml.AliasEvent):
            event = self.get_event()
            self.refused.append(
                (
                    event.start_mark.line + 1,
                    f"YAML alias *{event.anchor} is not allowed: write the value out in full",
                )
            )
            return yaml.ScalarNode(REFUSED_TAG, "", event.start_mark, event.end_mark)
        event = self.peek_event()
        if event.anchor is not None:
            self.refused.append(
                (
                    event.start_mark.line + 1,
                    f"YAML anchor &{event.anchor} is not allowed: ncpi files use no anchors "
                    "or aliases, write each record out in full",
                )
            )
            event.anchor = None
        return super().compose_node(parent, index)


class _PyLoader(yaml.reader.Reader, yaml.scanner.Scanner, yaml.parser.Parser,
                _StrictComposer, Resolver):
    def __init__(self, stream):
        yaml.reader.Reader.__init__(self, stream)
        yaml.scanner.Scanner.__init__(self)
        yaml.parser.Parser.__init__(self)
        Composer.__init__(self)
        Resolver.__init__(self)
        self.refused = []


_LOADERS = [_PyLoader]
if getattr(yaml, "__with_libyaml__", False):

    class _CLoader(_StrictComposer, yaml.cyaml.CParser, Resolver):
        """libyaml scans and parses; composition stays ours (and so stays strict)."""

        def __init__(self, stream):
            yaml.cyaml.CParser.__init__(self, stream)
            Composer.__init__(self)
            Resolver.__init__(self)
            self.refused = []

    _LOADERS.insert(0, _CLoader)


def compose(text: str, file: str, *, fast: bool = True,
            sink: SectionSink | None = None) -> tuple[yaml.Node | None, list[Problem]]:
    """The text's single YAML document as a node tree, and the problems found composing it.
    With a sink, each record of a top-level section goes to it as it is composed (and the
    sink is reset whenever the file yields no document, so nothing half-read is kept)."""
    node, problems = _compose(text, file, fast, sink)
    if node is None and sink is not None:
        sink.reset()
    return node, problems


def _compose(text: str, file: str, fast: bool,
             sink: SectionSink | None) -> tuple[yaml.Node | None, list[Problem]]:
    if not text.strip():
        return None, [Problem(file, 1, "", EMPTY)]
    try:
        if fast and _LOADERS[0] is not _PyLoader:
            try:
                return _compose_with(_LOADERS[0], text, file, sink)
            except yaml.YAMLError:
                if sink is not None:
                    sink.reset()  # libyaml words errors differently: Python's parser reports
        return _compose_with(_PyLoader, text, file, sink)
    except _Hostile as exc:
        return None, [Problem(file, exc.line, "", str(exc))]
    except yaml.MarkedYAMLError as exc:
        return None, [_syntax_problem(file, exc)]
    except yaml.reader.ReaderError as exc:
        line = text.count("\n", 0, exc.position) + 1
        return None, [Problem(file, line, "", f"character U+{exc.character:04X} is not allowed "
                                              "in a YAML file")]
    except yaml.YAMLError as exc:
        return None, [Problem(file, 0, "", f"invalid YAML: {exc}")]


def _compose_with(loader_class, text: str, file: str,
                  sink: SectionSink | None) -> tuple[yaml.Node, list[Problem]]:
    loader = loader_class(text)
    loader.sink = sink
    try:
        node = loader.get_single_node()
    finally:
        loader.dispose()
    if node is None:
        return None, [Problem(file, 1, "", EMPTY)]
    refused = loader.refused
    if len(refused) > MAX_REFUSALS:
        rest = len(refused) - MAX_REFUSALS
        refused = [*refused[:MAX_REFUSALS],
                   (refused[MAX_REFUSALS][0], f"... and {rest} more anchors and aliases, not "
                                              "listed")]
    return node, [Problem(file, line, "", message) for line, message in refused]


def _syntax_problem(file: str, exc: yaml.MarkedYAMLError) -> Problem:
    mark = exc.problem_mark or exc.context_mark
    line = mark.line + 1 if mark else 0
    if exc.context == "expected a single document in the stream":
        return Problem(file, line, "", "more than one YAML document ('---') in the file: "
                                       "ncpi reads one document per file")
    parts = [p for p in (exc.context, exc.problem) if p]
    return Problem(file, line, "", "YAML syntax error: " + ", ".join(parts))



def line_of(node: yaml.Node) -> int:
    return node.start_mark.line + 1


def place_of(node: yaml.Node) -> str:
    """The spreadsheet cell a node came from (`Cases!C12`); empty for YAML."""
    return getattr(node.start_mark, "place", "")


def describe(node: yaml.Node) -> str:
    """What a node is, in words, for messages."""
    if isinstance(node, yaml.MappingNode):
        return "a mapping" + ("" if node.tag == MAP else f" with the unsupported YAML tag "
                                                          f"{node.tag}")
    if isinstance(node, yaml.SequenceNode):
        return "a list" + ("" if node.tag == SEQ else f" with the unsupported YAML tag "
                                                       f"{node.tag}")
    return {BOOL: "a boolean", INT: "an integer", FLOAT: "a number", NULL: "empty",
            TIMESTAMP: "a date", STR: "text"}.get(node.tag, f"a value with the unsupported "
                                                           f"YAML tag {node.tag}")


_CONSTRUCTOR = yaml.constructor.SafeConstructor()


def yaml11_reading(node: yaml.ScalarNode) -> str:
    """What YAML 1.1 makes of a plain scalar, in words, for messages."""
    raw = node.value
    if node.tag == BOOL:
        value = raw.lower() in ("yes", "true", "on", "y")
        return f"a boolean ({str(value).lower()})"
    if node.tag == INT:
        if len(raw) > 30:
            return f"a number of {len(raw):,} characters"
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


_RESOLVER = Resolver()


def plain_tag(text: str) -> str:
    """The tag YAML 1.1 gives a plain (unquoted) scalar: what the composer would resolve."""
    return _RESOLVER.resolve(yaml.ScalarNode, text, (True, False))
