"""The library as a notebook uses it: load, run an analysis, get rows and DataFrames. The
DataFrame is checked against the rows it comes from, cell by cell."""

from __future__ import annotations

import math
import subprocess
import sys

from conftest import EXAMPLE
from ncpi_cli import api
from ncpi_cli.result import Kind


def _same(frame, result) -> None:
    assert list(frame.columns) == result.columns
    assert len(frame) == len(result.rows)
    for i, row in enumerate(result.rows):
        for name in result.columns:
            value, cell = row.get(name), frame[name].iloc[i]
            if value is None:
                assert cell is None or cell is frame[name].dtype.na_value or (
                    isinstance(cell, float) and math.isnan(cell)), (name, cell)
            elif result.column(name).kind.numeric and not isinstance(value, int):
                assert float(cell) == float(value), name
            else:
                assert cell == value, name


def test_every_analysis_as_a_dataframe():
    bundled, example = api.load().dataset, api.load([EXAMPLE]).dataset
    import datetime as dt

    day = dt.date(2026, 11, 24)
    for data in (bundled, example):
        for result in (api.grades(data), api.self_vs_inspector(data, by_area=True),
                       api.cross_table(data), api.samples(data), api.reconcile(data),
                       api.recommendations(data, as_of=day), api.timeline(data, as_of=day),
                       api.initial_vs_review(data, as_of=day)):
            _same(result.to_pandas(), result)


def test_dataframe_types_follow_the_declared_kinds():
    result = api.grades(api.load().dataset, api.Filters(force="gwent"))
    frame = result.to_pandas()
    expected = {Kind.COUNT: "Int64", Kind.PCT: "Float64", Kind.INTERVAL: "Float64",
                Kind.FLAG: "boolean", Kind.TEXT: "string"}
    for name in result.columns:
        assert str(frame[name].dtype) == expected[result.column(name).kind], name
    # Gwent's S47 row: 4 of 10 good (report p.16), 40.0%
    s47 = frame[frame["area"] == "s47"].iloc[0]
    assert (s47["good"], s47["total"], s47["good_pct"]) == (4, 10, 40.0)


def test_case_records_as_a_dataframe():
    data = api.load([EXAMPLE]).dataset
    frame = data.cases_frame()
    assert len(frame) == len(data.cases) == 160
    first = data.cases[0]
    assert frame.iloc[0]["id"] == first.id and frame.iloc[0]["line"] == first.origin.line
    assert frame["inspector_grade"].isna().sum() == sum(
        c.inspector_grade is None for c in data.cases)


def test_a_notebook_may_give_the_cases_as_its_own_list():
    """A subset of the cases as a plain list (dataclasses.replace, or an assignment): the
    analyses count it as they count the cases read. The example's exampleshire-2021 S47
    cases, counted here from the records, against grades' S47 row for them."""
    from dataclasses import replace

    data = api.load([EXAMPLE]).dataset
    s47 = [c for c in data.cases if c.area == "s47" and c.inspection == "exampleshire-2021"]
    good = sum(c.inspector_grade == "good" for c in s47)
    replaced = replace(data, cases=s47)
    assigned = replace(data)
    assigned.cases = list(s47)  # after construction: stays a plain list
    for subset in (replaced, assigned):
        rows = api.grades(subset, api.Filters(inspection=("exampleshire-2021",))).rows
        row = next(r for r in rows if r["area"] == "s47" and r["sample"] == "all")
        assert (row["total"], row["good"]) == (len(s47), good)


def test_a_yaml_run_does_not_import_pandas():
    code = ("import sys; from ncpi_cli import api; d = api.load().dataset; "
            "api.self_vs_inspector(d); print('pandas' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True)
    assert out.stdout.strip() == "False"
