"""The CLI prints what the library computes: for every command and mode, `--format json`
rows equal the library's `Result` rows, the library called directly (no CLI involved)."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal

import pytest
from typer.testing import CliRunner

from conftest import EXAMPLE
from ncpi_cli.analysis.compare import case_list, cross_table, self_vs_inspector
from ncpi_cli.analysis.grades import grades
from ncpi_cli.analysis.judgments import by_topic, judgments
from ncpi_cli.analysis.lifecycle import recommendations, timeline
from ncpi_cli.analysis.listing import listing
from ncpi_cli.analysis.national import national
from ncpi_cli.analysis.reconcile import reconcile
from ncpi_cli.analysis.review import initial_vs_review
from ncpi_cli.analysis.samples import samples
from ncpi_cli.analysis.select import Filters
from ncpi_cli.cli import app
from ncpi_cli.ingest import load

DAY = dt.date(2026, 11, 22)
AS_OF = ["--as-of", DAY.isoformat()]
#: (CLI arguments, the library call that should give the same rows)
MODES = [
    (["grades"], lambda d: grades(d)),
    (["grades", "--assessor", "force"], lambda d: grades(d, Filters(), "force")),
    (["grades", "--area", "all", "--sample", "all"],
     lambda d: grades(d, Filters(area="all", sample="all"))),
    (["compare", "--self-vs-inspector"], lambda d: self_vs_inspector(d)),
    (["compare", "--self-vs-inspector", "--by", "area"],
     lambda d: self_vs_inspector(d, by_area=True)),
    (["compare", "--self-vs-inspector", "--table"], lambda d: cross_table(d)),
    (["compare", "--self-vs-inspector", "--list-cases", "all"],
     lambda d: case_list(d, Filters(), "all")),
    (["compare", "--samples"], lambda d: samples(d)),
    (["compare", "--samples", "--by", "area"], lambda d: samples(d, by_area=True)),
    (["compare", "--initial-vs-review", *AS_OF], lambda d: initial_vs_review(d, as_of=DAY)),
    (["reconcile"], lambda d: reconcile(d)),
    (["national"], lambda d: national(d)),
    (["national", "--grade", "not-good", "--collapse-scales", "--every"],
     lambda d: national(d, outcome="not-good", collapse=True, every=True)),
    (["national", "--force", "gwent", "--force", "dorset", "--sort", "n"],
     lambda d: national(d, Filters(force=("gwent", "dorset")), sort="n")),
    (["judgments"], lambda d: judgments(d)),
    (["judgments", "--by", "topic"], lambda d: by_topic(d)),
    (["list", "forces"], lambda d: listing(d, "forces")),
    (["list", "inspections"], lambda d: listing(d, "inspections")),
    (["list", "areas"], lambda d: listing(d, "areas")),
    (["recommendations", *AS_OF], lambda d: recommendations(d, as_of=DAY)),
    (["timeline", *AS_OF], lambda d: timeline(d, as_of=DAY)),
]
DATA = {"bundled": [], "exampleshire": ["--data", str(EXAMPLE)]}


def _plain(value: object) -> object:
    """A row value as JSON carries it: decimals as numbers, the rest as they are."""
    return float(value) if isinstance(value, Decimal) else value


@pytest.mark.parametrize("data", sorted(DATA))
@pytest.mark.parametrize("args,library", MODES, ids=[" ".join(m[0]) for m in MODES])
def test_cli_json_rows_are_the_library_rows(args, library, data):
    dataset = load([EXAMPLE] if data == "exampleshire" else None).dataset
    result = library(dataset)
    cli = CliRunner().invoke(app, [*args, *DATA[data], "--format", "json"])
    assert cli.exit_code in (0, 4), cli.stderr  # 4: a reconcile check failed, rows written
    rows = json.loads(cli.stdout)["rows"]
    keys = [*result.columns, *result.json_extras]
    expected = [{k: _plain(row.get(k)) for k in keys} for row in result.rows]
    assert rows == expected
    assert all(list(row) == keys for row in rows)


@pytest.mark.parametrize("args,library", MODES, ids=[" ".join(m[0]) for m in MODES])
def test_every_mode_is_compared_on_real_rows(args, library):
    """The parity above is not vacuous: each mode has rows on one data set at least."""
    assert library(load().dataset).rows or library(load([EXAMPLE]).dataset).rows
