"""`ncpi template`: the workbook an audit team fills in. Filled by openpyxl (as a person
would, with the drop-down values), it validates with no edit to its structure."""

from __future__ import annotations

import json
from pathlib import Path

import openpyxl
from typer.testing import CliRunner

from ncpi_cli import domain
from ncpi_cli.cli import app

EXAMPLE_YAML = Path(__file__).resolve().parents[1] / "examples" / "exampleton-audit.yaml"


def _run(*args: str):
    return CliRunner().invoke(app, list(args))


def test_the_template_lists_the_values_of_the_inspection(tmp_path):
    out = tmp_path / "audit.xlsx"
    result = _run("template", str(out), "--inspection", "gwent-2019")
    assert result.exit_code == 0, result.stderr
    book = openpyxl.load_workbook(out)
    assert book.sheetnames == ["Cases", "About"]
    cases = book["Cases"]
    assert [c.value for c in cases[1]] == list(domain.CASE_COLUMNS)
    lists = {str(v.sqref).split(":")[0][0]: v.formula1
             for v in cases.data_validations.dataValidation}
    # columns B..F: inspection, area, sample, force_grade, inspector_grade; gwent-2019 is
    # graded on the ncpi-2017 scale (no "adequate")
    assert lists["B"] == '"gwent-2019"'
    assert lists["C"] == '"' + ",".join(domain.AREAS) + '"'
    assert lists["D"] == '"self-assessed,inspector-selected"'
    assert lists["E"] == lists["F"] == '"good,requires improvement,inadequate"'
    about = [r[0].value for r in book["About"].iter_rows(min_row=2)]
    assert all(key in about for key in domain.CASE_COLUMNS)


def test_a_filled_template_validates_with_the_command_it_suggests(tmp_path):
    """README's tour: a template for the synthetic example inspection, filled, then the
    `validate` the template command names, then compare by area."""
    out = tmp_path / "audit.xlsx"
    made = _run("template", str(out), "--inspection", "exampleton-2023", "--data",
                str(EXAMPLE_YAML))
    assert made.exit_code == 0, made.stderr
    suggested = made.stderr.rsplit("then: ", 1)[1].split()
    assert suggested == ["ncpi", "validate", str(out), str(EXAMPLE_YAML)]
    book = openpyxl.load_workbook(out)
    sheet = book["Cases"]
    for row in (["EX-1", "exampleton-2023", "s47", "self-assessed", "good",
                 "requires improvement"],
                ["EX-2", "exampleton-2023", "custody", "self-assessed", "good", "good"],
                ["EX-3", "exampleton-2023", "custody", "inspector-selected", None,
                 "inadequate"]):
        sheet.append(row)
    book.save(out)
    checked = _run(*suggested[1:])
    assert checked.exit_code == 0, checked.stderr
    # the table's 3 cases and the YAML's force and inspection (examples/exampleton-audit.yaml)
    assert checked.stdout.startswith("ok: 2 file(s), 5 record(s), no problems")
    compared = _run("compare", "--self-vs-inspector", "--data", str(out), "--data",
                    str(EXAMPLE_YAML), "--by", "area", "--format", "json")
    assert compared.exit_code == 0, compared.stderr
    rows = json.loads(compared.stdout)["rows"]
    # two self-assessed cases: EX-1 over-graded (good vs requires improvement), EX-2 agreed
    everything = next(r for r in rows if r["area"] == "all")
    assert (everything["basis"], everything["n"], everything["agree"], everything["over"]) \
        == ("cases", 2, 1, 1)


def test_the_template_never_replaces_a_file_unasked(tmp_path):
    out = tmp_path / "audit.xlsx"
    out.write_bytes(b"a filled audit")
    refused = _run("template", str(out), "--inspection", "gwent-2019")
    assert refused.exit_code == 2 and out.read_bytes() == b"a filled audit"
    assert refused.stderr == f"Error: {out} exists: choose another name, or --overwrite\n"
    assert _run("template", str(out), "--inspection", "gwent-2019",
                "--overwrite").exit_code == 0
    unknown = _run("template", str(tmp_path / "b.xlsx"), "--inspection", "nowhere-2019")
    assert unknown.exit_code == 2 and "unknown inspection 'nowhere-2019'" in unknown.stderr
