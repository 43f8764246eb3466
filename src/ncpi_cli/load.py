"""Reading input files: paths to bytes to YAML nodes, refusing what YAML does silently.

PyYAML expands aliases without limit (yaml/pyyaml#235) and keeps the last of two equal
mapping keys (yaml/pyyaml#165). ncpi composes the node tree itself: anchors and aliases
are reported and never expanded, and the validator (not a constructor) decides what each
scalar means, so YAML 1.1 coercions (`no` -> false, `010` -> 8) can be caught with the
line they came from.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

import yaml
from yaml.composer import Composer
from yaml.resolver import Resolver

from .errors import InputError
from .model import Problem

BUNDLED_PREFIX = "bundled:"
YAML_SUFFIXES = (".yaml", ".yml")
#: Tag given to the placeholder left where an alias was refused (already reported).
REFUSED_TAG = "tag:ncpi,2026:refused"


@dataclass(frozen=True)
class InputText:
    """One input file's bytes, with the name the user knows it by."""

    path: Path
    display: str
    data: bytes

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.data).hexdigest()


@dataclass(frozen=True)
class InputSource:
    """A file to read, named as the user named it. Read one at a time, so that a large
    input's bytes are not all held at once."""

    path: Path
    display: str

    def read(self) -> InputText:
        try:
            return InputText(self.path, self.display, self.path.read_bytes())
        except OSError as exc:
            raise InputError(f"cannot read {self.display}: {exc.strerror}") from exc


@dataclass
class Inputs:
    files: list[InputSource] = field(default_factory=list)
    #: files skipped in a directory because they are not *.yaml / *.yml
    ignored: list[str] = field(default_factory=list)


def bundled_dir() -> Path:
    return Path(str(resources.files("ncpi_cli") / "data"))


def read_inputs(paths: Sequence[str | Path] | None) -> Inputs:
    """The files named, directly or as directories (the bundled data when none is named)."""
    out = Inputs()
    if not paths:
        out.files = [InputSource(p, BUNDLED_PREFIX + p.name) for p in _yaml_files(bundled_dir())]
        return out
    seen: set[Path] = set()
    for given in paths:
        path = Path(given)
        if path.is_dir():
            found = _yaml_files(path)
            out.ignored.extend(
                str(p) for p in sorted(path.iterdir()) if p.is_file() and p not in found
            )
            if not found:
                raise InputError(f"no *.yaml or *.yml files in directory {given}")
            members = [(p, str(p)) for p in found]
        elif path.is_file():
            members = [(path, str(given))]
        elif path.exists():
            raise InputError(f"not a file or directory: {given}")
        else:
            raise InputError(f"no such file or directory: {given}")
        for member, display in members:
            key = member.resolve()
            if key not in seen:
                seen.add(key)
                out.files.append(InputSource(member, display))
    return out


def _yaml_files(directory: Path) -> list[Path]:
    return sorted(p for p in directory.iterdir() if p.is_file() and p.suffix in YAML_SUFFIXES)


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


class _StrictComposer(Composer):
    """Composer that reports anchors and aliases instead of honouring them, and stops at
    nesting or mapping sizes no ncpi file has."""

    refused: list[tuple[int, str]]
    depth = 0

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


def decode(source: InputText) -> tuple[str | None, list[Problem]]:
    try:
        return source.data.decode("utf-8-sig"), []
    except UnicodeDecodeError as exc:
        line = source.data.count(b"\n", 0, exc.start) + 1
        byte = source.data[exc.start]
        return None, [Problem(source.display, line, "", f"not valid UTF-8 (byte 0x{byte:02x}): "
                                                        "save the file as UTF-8")]


def compose(source: InputText, *, fast: bool = True) -> tuple[yaml.Node | None, list[Problem]]:
    """The file's single YAML document as a node tree, and the problems found composing it."""
    text, problems = decode(source)
    if text is None:
        return None, problems
    return compose_text(text, source.display, fast=fast)


def compose_text(text: str, file: str, *, fast: bool = True
                 ) -> tuple[yaml.Node | None, list[Problem]]:
    if not text.strip():
        return None, [Problem(file, 1, "", EMPTY)]
    try:
        if fast and _LOADERS[0] is not _PyLoader:
            try:
                return _compose_with(_LOADERS[0], text, file)
            except yaml.YAMLError:
                pass  # libyaml words errors differently: the Python parser reports them
        return _compose_with(_PyLoader, text, file)
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


def _compose_with(loader_class, text: str, file: str) -> tuple[yaml.Node, list[Problem]]:
    loader = loader_class(text)
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

