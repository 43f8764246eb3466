"""Which files to read, and their bytes: the first step of ingest.

Inputs are named as the user named them (or `bundled:NAME` for the data shipped in the
package) and read one at a time, so that a large input's bytes are not all held at once.
"""

from __future__ import annotations

import errno
import hashlib
import stat
from collections.abc import Sequence
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

from ncpi_cli.errors import InputError
from ncpi_cli.model import Problem

BUNDLED_PREFIX = "bundled:"
YAML_SUFFIXES = (".yaml", ".yml")
#: File endings read as case tables, and how.
TABLE_SUFFIXES = {".csv": "csv", ".tsv": "csv", ".xlsx": "xlsx", ".xlsm": "xlsx",
                  ".ods": "ods"}
ZIP_MAGIC = b"PK\x03\x04"
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


@dataclass(frozen=True)
class TableOptions:
    """How to read case tables: which sheet, and the inspection of a table that has no
    inspection column."""

    sheet: str | None = None
    inspection: str | None = None


def suffix(name: str) -> str:
    dot = name.rfind(".")
    return name[dot:].lower() if dot >= 0 else ""


def is_table(name: str) -> bool:
    return suffix(name) in TABLE_SUFFIXES


@dataclass(frozen=True)
class InputText:
    """One input file's bytes, with the name the user knows it by."""

    path: Path | None
    display: str
    data: bytes

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.data).hexdigest()

    def decode(self) -> tuple[str | None, list[Problem]]:
        """The text (a UTF-8 BOM accepted), or the problem that stops it being read."""
        try:
            return self.data.decode("utf-8-sig"), []
        except UnicodeDecodeError as exc:
            line = self.data.count(b"\n", 0, exc.start) + 1
            byte = self.data[exc.start]
            return None, [Problem(self.display, line, "", f"not valid UTF-8 (byte "
                                                          f"0x{byte:02x}): save the file as "
                                                          "UTF-8")]


@dataclass(frozen=True)
class InputSource:
    """A file to read, named as the user named it."""

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
    #: entries of a directory that are not regular files, each with what it is
    skipped: list[str] = field(default_factory=list)


def bundled_dir() -> Path:
    return Path(str(resources.files("ncpi_cli") / "data"))


def find_inputs(paths: Sequence[str | Path] | None) -> Inputs:
    """The files named, directly or as directories (the bundled data when none is named)."""
    out = Inputs()
    if not paths:
        out.files = [InputSource(p, BUNDLED_PREFIX + p.name) for p in _yaml_files(bundled_dir())]
        return out
    seen: set[Path] = set()
    for given in paths:
        path = Path(given)
        if path.is_dir():
            try:
                entries = sorted(path.iterdir())
            except OSError as exc:
                raise InputError(f"cannot read directory {given}: {exc.strerror}") from exc
            found = [p for p in entries if p.is_file() and p.suffix in YAML_SUFFIXES]
            for entry in entries:
                if not entry.is_file():
                    skipped = f"{entry} ({_not_a_file(entry)})"
                    if skipped not in out.skipped:
                        out.skipped.append(skipped)
                elif entry not in found and str(entry) not in out.ignored:
                    out.ignored.append(str(entry))
            if not found:
                tables = [e.name for e in entries if e.is_file() and is_table(e.name)]
                named = (f" (a case table is read when named itself: "
                         f"{', '.join(tables[:5])}{', ...' if len(tables) > 5 else ''})"
                         if tables else "")
                raise InputError(f"no *.yaml or *.yml files in directory {given}{named}")
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


def _not_a_file(path: Path) -> str:
    """What a directory entry that is not a regular file is, for the note that names it."""
    try:
        mode = path.stat().st_mode
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            return "a symbolic link loop"
        return "a broken symbolic link" if path.is_symlink() else exc.strerror or "unreadable"
    if stat.S_ISDIR(mode):
        return "a directory: directories are not read recursively"
    if stat.S_ISFIFO(mode):
        return "a named pipe"
    return "not a regular file"


def _yaml_files(directory: Path) -> list[Path]:
    return sorted(p for p in directory.iterdir() if p.is_file() and p.suffix in YAML_SUFFIXES)
