"""Docs cannot drift: every command has help text and a README mention, and every output
column is documented in README (grade-named columns as `<grade>` templates)."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from typer.testing import CliRunner

from conftest import EXAMPLE, REPO
from ncpi_cli import domain
from ncpi_cli.analysis.common import Filters
from ncpi_cli.analysis.compare import cross_table, self_vs_inspector
from ncpi_cli.analysis.grades import grades
from ncpi_cli.analysis.lifecycle import recommendations, timeline
from ncpi_cli.analysis.reconcile import reconcile
from ncpi_cli.analysis.review import initial_vs_review
from ncpi_cli.analysis.samples import samples
from ncpi_cli.cli import app
from ncpi_cli.validate import load

README = (REPO / "README.md").read_text(encoding="utf-8")
GRADE = re.compile(r"(?<![a-z])(" + "|".join(sorted(domain.GRADES, key=len, reverse=True))
                   + r")(?![a-z])")


def _documented(column: str) -> bool:
    """Named in backticks as it is, or as a `<grade>` template, or as a documented stem
    followed by a documented suffix (`force_<grade>`, `_pct`)."""
    for name in (column, GRADE.sub("<grade>", column)):
        if f"`{name}`" in README:
            return True
        for suffix in ("_pct", "_ci_low", "_ci_high", "_se"):
            if name.endswith(suffix) and f"`{suffix}`" in README \
                    and f"`{name[: -len(suffix)]}`" in README:
                return True
    return False


def _all_columns() -> set[str]:
    day = dt.date(2026, 11, 22)
    bundled, example = load().dataset, load([EXAMPLE]).dataset
    columns: set[str] = set()
    for dataset in (bundled, example):
        for result in (grades(dataset), self_vs_inspector(dataset), cross_table(dataset),
                       samples(dataset), reconcile(dataset), recommendations(dataset, as_of=day),
                       timeline(dataset, as_of=day), initial_vs_review(dataset, as_of=day),
                       grades(dataset, Filters(), "force")):
            columns.update(result.columns)
    return columns


@pytest.mark.parametrize("column", sorted(_all_columns()))
def test_every_output_column_is_documented(column):
    assert _documented(column), f"README does not document the column {column!r}"


def test_every_command_has_help_and_a_readme_mention():
    runner = CliRunner()
    for command in app.registered_commands:
        name = command.name or command.callback.__name__
        result = runner.invoke(app, [name, "--help"])
        assert result.exit_code == 0 and len(result.stdout) > 200, name
        assert f"ncpi {name}" in README, name
