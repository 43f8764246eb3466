"""Docs cannot drift: README's column tables are the columns each analysis declares (name
and meaning), and every command's help shows its own text and README mentions it."""

from __future__ import annotations

import importlib
import pkgutil
import re

import pytest
from typer.testing import CliRunner

from conftest import REPO
from ncpi_cli import analysis
from ncpi_cli.cli import app
from ncpi_cli.result import Layout

README = (REPO / "README.md").read_text(encoding="utf-8")
MARKER = re.compile(r"<!-- columns: ([a-z-]+) -->\n((?:\|.*\n)+)")


def _layouts() -> dict[str, Layout]:
    """Every Layout any analysis module declares, by command."""
    found: dict[str, Layout] = {}
    for info in pkgutil.iter_modules(analysis.__path__):
        module = importlib.import_module(f"ncpi_cli.analysis.{info.name}")
        for value in vars(module).values():
            if isinstance(value, Layout):
                found[value.command] = value
    return found


def _readme_tables(text: str) -> dict[str, list[tuple[list[str], str]]]:
    """README's column tables by command: each row's column names and meaning."""
    tables = {}
    for command, body in MARKER.findall(text):
        rows = []
        for line in body.splitlines()[2:]:
            names, meaning = (cell.strip() for cell in line.strip("|").split(" | ", 1))
            rows.append((re.findall(r"`([^`]+)`", names), meaning))
        tables[command] = rows
    return tables


def _disagreements(text: str, command: str) -> list[str]:
    """Where README's table for `command` and its declaration differ. Every declared column
    (templates as `<grade>`; not the view-only figures) is listed with its meaning, and every
    listed column is declared; "as above" stands for the same column with the same meaning
    in an earlier table."""
    tables = _readme_tables(text)
    if command not in tables:
        return [f"no README table for {command}"]
    earlier: dict[str, str] = {}
    for previous in list(tables)[:list(tables).index(command)]:
        for names, meaning in tables[previous]:
            earlier.update({n: meaning for n in names if meaning != "as above"})
    layout = LAYOUTS[command]
    view = {c.name for entry in layout.view_only
            for c in (entry if isinstance(entry, tuple) else (entry,))}
    declared = {c.name: c.meaning for c in layout.declared() if c.name not in view}
    problems = []
    documented: dict[str, str | None] = {}
    for names, meaning in tables[command]:
        for name in names:
            if name not in declared:
                problems.append(f"README lists {name!r}, which is not declared")
            documented[name] = earlier.get(name) if meaning == "as above" else meaning
    for name, meaning in declared.items():
        if name not in documented:
            problems.append(f"{name!r} is declared but not in README")
        elif documented[name] != meaning:
            problems.append(f"README's meaning of {name!r} is not the declared one")
    return problems


LAYOUTS = _layouts()


def test_every_layout_has_a_readme_table_and_no_table_is_stray():
    # grades, compare (summary, --table, --samples, --initial-vs-review), reconcile,
    # recommendations, timeline, list (forces, inspections, areas), national, judgments
    # (and --by topic)
    assert len(LAYOUTS) == 15
    assert sorted(_readme_tables(README)) == sorted(LAYOUTS)


@pytest.mark.parametrize("command", sorted(LAYOUTS))
def test_readme_columns_are_the_declared_columns(command):
    assert _disagreements(README, command) == []


def test_the_check_fails_when_readme_and_declarations_disagree():
    dropped = README.replace("| `small_sample` | `true` when `total` is under 10 |\n", "")
    assert _disagreements(dropped, "grades") == ["'small_sample' is declared but not in README"]
    stray = README.replace("| `total` | sum of the counts;", "| `total`, `grand_total` | sum of "
                           "the counts;")
    assert _disagreements(stray, "grades") == ["README lists 'grand_total', which is not "
                                               "declared"]
    reworded = README.replace("| sum of the counts;", "| the counts added up;")
    assert _disagreements(reworded, "grades") == ["README's meaning of 'total' is not the "
                                                  "declared one"]


def _commands():
    return [(c.name or c.callback.__name__, c.callback) for c in app.registered_commands]


@pytest.mark.parametrize("name,callback", _commands())
def test_each_command_shows_its_own_help(name, callback):
    """Its docstring's first sentence is in its --help (a deleted docstring fails here),
    and README mentions the command."""
    result = CliRunner().invoke(app, [name, "--help"], env={"COLUMNS": "200"})
    assert result.exit_code == 0, name
    doc = (callback.__doc__ or "").strip()
    assert doc, f"{name} has no docstring"
    first = " ".join(doc.split(".")[0].split())
    assert first in " ".join(result.stdout.split()), name
    assert f"ncpi {name}" in README, name


def test_the_figures_readme_states_are_the_tool_s():
    """README's own counts, from the tool: the reconcile checks on the bundled data and the
    size of the bad-input corpus."""
    from ncpi_cli.analysis.reconcile import reconcile
    from ncpi_cli.analysis.select import Filters
    from ncpi_cli.ingest import load

    gwent = reconcile(load().dataset, Filters(force="gwent"))
    assert not gwent.mismatches
    assert f"Gwent's bundled data reconciles: {len(gwent.rows)} checks, all pass" in README
    corpus = len(list((REPO / "tests" / "bad_inputs").iterdir()))
    assert f"holds a corpus of {corpus} broken or awkward files" in README


def test_help_fits_80_columns_and_every_command_has_examples():
    """The command list shows every summary whole at 80 columns (click cuts a long one with
    '...'), and each command's help ends with examples."""
    runner = CliRunner()
    top = runner.invoke(app, ["--help"], env={"COLUMNS": "80"})
    commands = top.stdout.split("Commands:")[1]
    assert "..." not in commands and all(len(line) <= 80 for line in commands.splitlines())
    for command in app.registered_commands:
        name = command.name or command.callback.__name__
        page = runner.invoke(app, [name, "--help"], env={"COLUMNS": "80"}).stdout
        assert "Examples:" in page and f"ncpi {name}" in page.split("Examples:")[1], name
