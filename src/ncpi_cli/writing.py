"""Writing outputs without ever losing an input or leaving half a file.

Every output a run writes (a report, a manifest, a workbook) is checked against every
input it read, and against the other outputs and standard output, by file identity (so a
link or another spelling of the same path is caught). A file is written to a temporary
file beside it and renamed into place, so a failed run leaves the old file, or none.
"""

from __future__ import annotations

import os
import stat
import tempfile
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import IO

from .errors import OutputError, OverwriteError


def _identity(path: Path) -> tuple[int, int] | None:
    try:
        info = path.stat()
    except OSError:
        return None
    return info.st_dev, info.st_ino


def _stream_identity(stream: IO | None) -> tuple[int, int] | None:
    """A stream's file, when it is a regular file (a redirection `> file`)."""
    if stream is None:
        return None
    try:
        info = os.fstat(stream.fileno())
    except (OSError, ValueError, AttributeError):
        return None
    if not stat.S_ISREG(info.st_mode):
        return None
    return info.st_dev, info.st_ino


def check_outputs(outputs: Sequence[tuple[str, Path]], inputs: Iterable[Path],
                  stdout: IO | None = None) -> None:
    """Refuse a run whose outputs would overwrite one of its inputs, each other, or the
    file standard output is redirected to; `outputs` are (what, path) pairs."""
    read = {}
    for path in inputs:
        key = _identity(Path(path))
        if key is not None:
            read.setdefault(key, path)
    redirected = _stream_identity(stdout)
    if redirected is not None and redirected in read:
        raise OverwriteError(f"standard output is redirected to the input {read[redirected]}: "
                             "the shell empties that file before ncpi reads it; write the "
                             "output to another file")
    written: dict[object, str] = {}
    for what, path in outputs:
        path = Path(path)
        key = _identity(path) or ("new", str(path.resolve()))
        if key in read:
            raise OverwriteError(f"{what} {path} is an input of this run ({read[key]}): "
                                 "ncpi never overwrites its inputs; choose another file")
        if key == redirected:
            raise OverwriteError(f"{what} {path} is where standard output is redirected: "
                                 "choose another file")
        if key in written:
            raise OverwriteError(f"{what} {path} is also the {written[key]}: choose another "
                                 "file")
        written[key] = what


def write_atomically(path: Path, data: str | bytes) -> None:
    """Write a whole file or nothing: a temporary file beside it, renamed into place."""
    path = Path(path)
    payload = data.encode("utf-8") if isinstance(data, str) else data
    try:
        descriptor, name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.",
                                            suffix=".tmp")
    except OSError as exc:
        raise OutputError(f"cannot write {path}: {exc.strerror}") from exc
    temporary = Path(name)
    try:
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(payload)
            handle.flush()
            os.fsync(handle.fileno())
        mask = os.umask(0)
        os.umask(mask)
        os.chmod(temporary, 0o666 & ~mask)
        os.replace(temporary, path)
    except OSError as exc:
        temporary.unlink(missing_ok=True)
        raise OutputError(f"cannot write {path}: {exc.strerror}") from exc
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
