"""Shared helpers: small YAML documents written to tmp files and validated."""

from __future__ import annotations

import functools
import textwrap
from pathlib import Path

import pytest
import typer.main
import typer.testing

from ncpi_cli.ingest import LoadResult, load

#: CliRunner rebuilds the whole click command tree from the Typer app on every invoke (about
#: 25 ms, thousands of times in the suite); the tree depends on the app alone, so build it
#: once. The command line itself builds it once per process anyway.
typer.testing._get_command = functools.lru_cache(maxsize=None)(typer.main.get_command)

REPO = Path(__file__).resolve().parents[1]
EXAMPLE = REPO / "examples" / "exampleshire.yaml"

#: A minimal valid preamble: a force and an ncpi-2017 inspection (and an ncpi-2014 one).
PREAMBLE = """\
ncpi: 1
forces:
  - {id: testshire, name: Testshire Police, country: england}
inspections:
  - {id: t-2019, force: testshire, kind: inspection, published: 2019-06}
  - {id: t-2015, force: testshire, kind: inspection, methodology: ncpi-2014}
"""


@pytest.fixture
def write(tmp_path: Path):
    """Write a YAML text (dedented) to a file and return its path."""

    def _write(text: str, name: str = "data.yaml") -> Path:
        path = tmp_path / name
        path.write_text(textwrap.dedent(text), encoding="utf-8")
        return path

    return _write


@pytest.fixture
def check(write, tmp_path, monkeypatch):
    """Validate a YAML text, named as a user in its directory would name it."""
    monkeypatch.chdir(tmp_path)

    def _check(text: str, name: str = "data.yaml") -> LoadResult:
        write(text, name)
        return load([name])

    return _check
