"""The command line through Typer's CliRunner: stdout and stderr apart, exit codes exact."""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys

import pytest
from typer.testing import CliRunner

from conftest import EXAMPLE, PREAMBLE
from ncpi_cli import __version__
from ncpi_cli.cli import app


@pytest.fixture
def run():
    runner = CliRunner()

    def _run(*args: str, env: dict | None = None):
        return runner.invoke(app, list(args), env=env)

    return _run


def test_version(run):
    result = run("--version")
    assert (result.exit_code, result.stdout) == (0, f"ncpi {__version__}\n")


def test_grades_defaults_to_csv_when_piped(run):
    result = run("grades", "--force", "gwent")
    assert result.exit_code == 0 and result.stderr == ""
    rows = list(csv.DictReader(io.StringIO(result.stdout, newline="")))
    assert len(rows) == 11
    last = rows[-1]
    assert (last["area"], last["sample"], last["good"], last["requires_improvement"],
            last["inadequate"], last["total"]) == ("all", "inspector-selected", "10", "20",
                                                   "17", "47")


def test_grades_table_has_counts_beside_percentages(run):
    result = run("grades", "--force", "gwent", "--format", "table",
                 env={"NO_COLOR": "1", "COLUMNS": "120"})
    assert result.exit_code == 0
    assert "\x1b[" not in result.stdout
    assert "37 (46.3%)" in result.stdout and "graded by inspector" in result.stdout


def test_compare_table_shows_ranges(run):
    result = run("compare", "--self-vs-inspector", "--force", "gwent", "--format", "table",
                 env={"COLUMNS": "120"})
    assert result.exit_code == 0, result.stderr
    assert "agreed: 4 to 16 of 33 (12.1% to 48.5%)" in result.stdout
    assert "force graded more favourably: 17 to 23 of 33 (51.5% to 69.7%)" in result.stdout
    assert "force graded less favourably: 0 to 6 of 33 (0.0% to 18.2%)" in result.stdout


def test_compare_json(run):
    result = run("compare", "--self-vs-inspector", "--format", "json")
    doc = json.loads(result.stdout)
    (row,) = doc["rows"]
    assert (row["agree_min"], row["agree_max"], row["basis"]) == (4, 16, "published")
    assert doc["manifest"]["arguments"]["mode"] == "self-vs-inspector"


def test_unknown_filter_value_is_a_usage_error(run):
    result = run("grades", "--area", "burglary")
    assert result.exit_code == 2 and result.stdout == ""
    assert result.stderr == (
        "Error: unknown area 'burglary' (known: s46, s47, domestic-abuse, other-referrals, "
        "cse, missing, rso, custody, online-abuse, unexpected-death, all)\n")


def test_unknown_option_is_a_usage_error(run):
    result = run("grades", "--colour")
    assert result.exit_code == 2
    assert "No such option: --colour" in result.stderr


def test_missing_file_is_a_usage_error(run, tmp_path):
    result = run("grades", "--data", str(tmp_path / "nope.yaml"))
    assert result.exit_code == 2
    assert result.stderr == f"Error: no such file or directory: {tmp_path / 'nope.yaml'}\n"


def test_invalid_data_exits_3_with_every_problem(run, write):
    path = write("ncpi: 1\nforces:\n  - {id: a, name: A, country: no}\n  - {id: b}\n")
    result = run("grades", "--data", str(path))
    assert result.exit_code == 3 and result.stdout == ""
    assert result.stderr.splitlines() == [
        f"{path}:3: force a: 'country: no' is read by YAML 1.1 as a boolean (false), not text: "
        "quote it (\"no\") if text is meant",
        f"{path}:4: force b: missing required key 'name'",
        "Error: the data failed validation: 2 problems",
    ]


def test_mismatch_exits_4_after_writing_the_rows(run, write):
    path = write(PREAMBLE + (
        "tallies:\n"
        "  - {inspection: t-2019, sample: self-assessed, assessor: force, good: 3}\n"
        "  - {inspection: t-2019, sample: self-assessed, assessor: inspector, good: 4}\n"))
    result = run("compare", "--self-vs-inspector", "--data", str(path))
    assert result.exit_code == 4
    assert len(list(csv.reader(io.StringIO(result.stdout)))) == 2
    assert result.stderr.startswith("Error: mismatch: t-2019 (all): the force's tally")


def test_validate_ok_and_failing(run, write):
    ok = run("validate")
    assert ok.exit_code == 0
    # the bundled files: cases.yaml (2 forces, 4 inspections, 12 tallies, 8 recommendations),
    # national.yaml (40 forces, 78 inspections, 37 tallies) and topics-2024.yaml
    # (6 inspections, 17 judgments, 2 judgment tallies, 7 causes of concern);
    # 26 + 155 + 32 records
    assert ok.stdout == ("ok: 3 file(s), 213 record(s), no problems (the figures against each "
                         "other: ncpi reconcile)\n")
    table = write("id,inspection,area,sample,inspector_grade\n"
                  "X1,gwent-2019,s47,inspector-selected,good\n", "audit.csv")
    # a table alone is read with the three bundled files: 213 records and its one case
    assert run("validate", str(table)).stdout.startswith(
        "ok: 4 file(s) (3 of them bundled), 214 record(s), no problems")
    bad = write("ncpi: 1\nforces:\n  - {id: a}\n")
    result = run("validate", str(bad), str(EXAMPLE))
    assert result.exit_code == 3 and result.stdout == ""
    assert result.stderr.splitlines() == [
        f"{bad}:3: force a: missing required key 'name'",
        "Error: 1 problem(s) in 1 of 2 file(s)"]


def test_data_from_environment(run):
    result = run("compare", "--self-vs-inspector", env={"NCPI_DATA": str(EXAMPLE)})
    rows = list(csv.DictReader(io.StringIO(result.stdout, newline="")))
    assert {r["inspection"] for r in rows} == {"exampleshire-2015", "exampleshire-2021"}
    assert {r["basis"] for r in rows} == {"cases"}


def test_case_level_table(run):
    result = run("compare", "--self-vs-inspector", "--data", str(EXAMPLE), "--table",
                 "--inspection", "exampleshire-2021")
    rows = list(csv.DictReader(io.StringIO(result.stdout, newline="")))
    assert [r["force_grade"] for r in rows] == ["good", "requires_improvement", "inadequate"]
    assert sum(int(r["total"]) for r in rows) == 33


def test_reruns_are_byte_identical(run):
    for args in (["grades", "--format", "json"], ["grades", "--format", "csv"],
                 ["compare", "--self-vs-inspector", "--format", "json", "--data",
                  str(EXAMPLE)]):
        assert run(*args).stdout_bytes == run(*args).stdout_bytes


def _ncpi(*args: str, seed: str = "0") -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONHASHSEED": seed}
    return subprocess.run([sys.executable, "-m", "ncpi_cli", *args], capture_output=True,
                          env=env, check=False)


def test_output_does_not_depend_on_hash_seed():
    args = ("compare", "--self-vs-inspector", "--format", "json", "--by", "area", "--data",
            str(EXAMPLE))
    first, second = _ncpi(*args, seed="1"), _ncpi(*args, seed="2")
    assert first.returncode == 0, first.stderr
    assert first.stdout == second.stdout


def test_help_and_version_do_not_import_pandas():
    code = ("import sys\nfrom ncpi_cli.cli import app\n"
            "for args in (['--help'], ['--version'], ['grades', '--help']):\n"
            "    try:\n        app(args)\n    except SystemExit:\n        pass\n"
            "print(sorted(m for m in ('pandas', 'numpy', 'scipy') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True)
    assert out.stdout.strip().splitlines()[-1] == "[]"


def test_grades_does_not_import_pandas_either():
    code = ("import sys\nfrom ncpi_cli.cli import app\n"
            "try:\n    app(['grades', '--format', 'csv'])\nexcept SystemExit:\n    pass\n"
            "print('pandas' in sys.modules, file=sys.stderr)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True)
    assert out.stderr.strip() == "False"


def test_python_dash_m():
    result = _ncpi("--version")
    assert result.returncode == 0 and result.stdout.decode() == f"ncpi {__version__}\n"


def test_unexpected_failure_is_one_line_and_exit_1(run, monkeypatch):
    import ncpi_cli.analysis.grades as grades_module

    def boom(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(grades_module, "grades", boom)
    result = run("grades")
    assert result.exit_code == 1
    assert result.stderr == ("Error: unexpected failure (RuntimeError: boom). This is a bug "
                             "in ncpi; please report it with the command you ran.\n")


def test_compare_samples_table(run):
    result = run("compare", "--samples", "--format", "table", env={"COLUMNS": "120"})
    assert result.exit_code == 0, result.stderr
    assert "Fisher-Freeman-Halton p = 0.2041 (exact)" in result.stdout
    assert "Mann-Whitney U = 930.0, p = 0.1026 (exact)" in result.stdout


@pytest.mark.parametrize("args", [["compare", "--samples", "--self-vs-inspector"],
                                  ["compare"]])
def test_compare_needs_exactly_one_mode(run, args):
    result = run(*args)
    assert result.exit_code == 2
    assert result.stderr == ("Error: choose one comparison: --self-vs-inspector, --samples or "
                             "--initial-vs-review\n")


def test_table_goes_with_self_vs_inspector(run):
    result = run("compare", "--samples", "--table")
    assert result.exit_code == 2 and "--table goes with --self-vs-inspector" in result.stderr


def test_json_carries_the_full_table_for_case_rows(run):
    result = run("compare", "--self-vs-inspector", "--format", "json", "--data", str(EXAMPLE),
                 "--inspection", "exampleshire-2021")
    (row,) = json.loads(result.stdout)["rows"]
    table = row["table"]
    assert table["grades"] == ["good", "requires_improvement", "inadequate"]
    assert sum(map(sum, table["counts"])) == row["n"] == 33
    assert row["small_sample"] is False
    # three grades: linear 1 - |i - j| / 2, quadratic 1 - (i - j)^2 / 4, in the scale's order
    assert row["weights"] == {"grades": table["grades"],
                              "linear": [[1, 0.5, 0], [0.5, 1, 0.5], [0, 0.5, 1]],
                              "quadratic": [[1, 0.75, 0], [0.75, 1, 0.75], [0, 0.75, 1]]}


def test_terminal_bars_beside_the_counts(run):
    plain = run("grades", "--force", "gwent", "--format", "table",
                env={"NO_COLOR": "1", "COLUMNS": "150"})
    line = next(ln for ln in plain.stdout.splitlines() if ln.startswith("│ s46"))
    assert "3 (50.0%)" in line and "░" * 10 + "▓" * 10 in line  # 3 good, 3 RI of 6
    assert "\x1b[" not in plain.stdout
    coloured = run("grades", "--force", "gwent", "--format", "table",
                   env={"FORCE_COLOR": "1", "COLUMNS": "150"})
    assert "\x1b[36m░" in coloured.stdout  # colour only where colour is allowed
    csv_out = run("grades", "--force", "gwent", "--format", "csv").stdout
    assert "░" not in csv_out


@pytest.mark.parametrize("args,message", [
    (["compare", "--samples", "--sample", "all"],
     "compare --samples compares the two samples: --sample does not apply"),
    (["compare", "--self-vs-inspector", "--sample", "inspector-selected"],
     "compare --self-vs-inspector uses the self-assessed sample only, not 'inspector-selected'"),
])
def test_a_selection_the_comparison_does_not_take_is_named_as_flags(run, args, message):
    """The library says it in domain words (tests/test_result.py); the CLI names flags."""
    result = run(*args)
    assert (result.exit_code, result.stderr) == (2, f"Error: {message}\n")


def test_manifest_reasons_name_the_flags(run, write):
    doc = json.loads(run("compare", "--samples", "--format", "json", "--area", "cse",
                         "--force", "gwent").stdout)
    tallies = doc["manifest"]["records"]["by_kind"]["tallies"]["reasons"]
    # Gwent's 12 bundled tallies: the inspectors' two one-sample tallies (p.15: 33
    # self-assessed, 47 inspector-selected) are of all areas, so outside cse; the other 10
    # (the force's tally, the all-cases sum and the eight areas of both samples) are not of
    # one sample. The national file's 37 tallies are none of them Gwent's.
    assert tallies == [{"reason": "not an inspectors' tally of one sample", "count": 10},
                       {"reason": "outside --area", "count": 2},
                       {"reason": "outside --force", "count": 37}]
    # All 49 bundled tallies: four are inspectors' tallies of one sample (Gwent's two and
    # West Yorkshire 2015's two), all of them of all areas; the other 45 are not.
    doc = json.loads(run("compare", "--samples", "--format", "json", "--area", "cse").stdout)
    assert doc["manifest"]["records"]["by_kind"]["tallies"]["reasons"] == [
        {"reason": "not an inspectors' tally of one sample", "count": 45},
        {"reason": "outside --area", "count": 4}]
    path = write(PREAMBLE + (
        "tallies:\n"
        "  - {inspection: t-2019, sample: self-assessed, assessor: force, area: cse, good: 3}\n"
        "  - {inspection: t-2019, sample: self-assessed, assessor: inspector, area: cse, "
        "good: 3}\n"))
    doc = json.loads(run("compare", "--self-vs-inspector", "--format", "json", "--data",
                         str(path)).stdout)
    assert doc["manifest"]["records"]["by_kind"]["tallies"]["reasons"] == [
        {"reason": "per-area tally (use --by area)", "count": 2}]  # the two cse tallies


def test_validate_runs_the_stated_total_arithmetic(run, write):
    """A tally whose counts do not add up to the total its source prints: validate says so
    (exit 4), as grades does, instead of passing it."""
    path = write(PREAMBLE + "tallies:\n  - {inspection: t-2019, assessor: inspector, good: 3, "
                            "inadequate: 1, stated_total: 5}\n")
    result = run("validate", str(path))
    assert result.exit_code == 4 and result.stdout == ""
    assert result.stderr == (f"Error: mismatch: {path}:8: tally #1 (t-2019): the counts add up "
                             "to 4 but the source states 5\n")


def test_list_what_the_data_holds(run):
    """The bundled data: Gwent and South Wales (cases.yaml: for each an inspection and its
    review) and the national file's 40 forces, six of them with a 2024-methodology inspection
    (topics-2024.yaml, which adds no force); the ten practice areas of the format."""
    from ncpi_cli.ingest import load

    dataset = load().dataset
    forces = list(csv.DictReader(io.StringIO(run("list", "forces").stdout, newline="")))
    assert len(forces) == 42
    assert [f["force"] for f in forces] == sorted(dataset.forces)
    shown = {f["force"]: f["inspections"] for f in forces}
    # South Wales: the 2015 inspection and its 2016 review (cases.yaml), and its undated
    # 2024-methodology inspection (topics-2024.yaml)
    assert (shown["gwent"], shown["south-wales"]) == ("2", "3")
    # the Metropolitan Police: the 2016 inspection, three 2017 quarterly updates, the 2019 review
    assert shown["metropolitan"] == "5"
    assert shown == {force: str(sum(i.force == force for i in dataset.inspections.values()))
                     for force in dataset.forces}
    inspections = list(csv.DictReader(io.StringIO(run("list", "inspections").stdout,
                                                  newline="")))
    listed = [(i["inspection"], i["follows"]) for i in inspections]
    assert len(listed) == 4 + 78 + 6  # cases.yaml, national.yaml, topics-2024.yaml
    gwent = listed.index(("gwent-2019", ""))
    assert listed[gwent:gwent + 2] == [
        ("gwent-2019", ""), ("gwent-2020-review", "gwent-2019")]
    south_wales = listed.index(("south-wales-2015", ""))
    assert listed[south_wales:south_wales + 3] == [
        ("south-wales-2015", ""), ("south-wales-2016-review", "south-wales-2015"),
        ("south-wales-ncpi-2024", "")]
    assert sorted(listed) == sorted((i.id, i.follows or "")
                                    for i in dataset.inspections.values())
    # a thematic report is of no one force: listed first, its force empty
    assert (inspections[0]["force"], inspections[0]["inspection"], inspections[0]["kind"]) == (
        "", "in-harms-way-2015", "thematic")
    areas = list(csv.DictReader(io.StringIO(run("list", "areas").stdout, newline="")))
    assert len(areas) == 10 and areas[6]["area"] == "rso"
    assert "sex offender management" in areas[6]["also_accepted"]
    assert run("list", "judgments").exit_code == 2


def test_validate_json_keeps_every_problem(run, tmp_path):
    """Fourteen rows with one unknown area: one grouped line on stderr, fourteen problems in
    the JSON (SYNTHETIC rows)."""
    rows = ["Case ref,Inspection,Practice area,Sample,Inspector grade"] + [
        f"EX-{i:02d},gwent-2019,Custdy,Inspector selected,Good" for i in range(14)]
    path = tmp_path / "audit.csv"
    path.write_text("\n".join(rows) + "\n")
    text = run("validate", str(path))
    assert text.exit_code == 3
    grouped = [line for line in text.stderr.splitlines() if "Custdy" in line]
    assert len(grouped) == 1 and ": 14 records, lines 2, 3," in grouped[0]
    result = run("validate", str(path), "--json")
    assert result.exit_code == 3
    document = json.loads(result.stdout)
    assert len(document["problems"]) == 14
    assert {p["line"] for p in document["problems"]} == set(range(2, 16))


@pytest.mark.parametrize("mode", [["--samples"], ["--self-vs-inspector", "--table"]])
def test_list_cases_outside_its_mode_is_a_usage_error(run, mode):
    result = run("compare", *mode, "--list-cases", "over")
    assert result.exit_code == 2 and result.stdout == ""
    assert result.stderr == "Error: --list-cases goes with --self-vs-inspector (and not --table)\n"


def test_list_cases_csv_rows_name_the_record_lines(run):
    """exampleshire-2021's 33 self-assessed cases are listed; `where` points at each record."""
    result = run("compare", "--self-vs-inspector", "--list-cases", "all", "--data", str(EXAMPLE),
                 "--inspection", "exampleshire-2021")
    assert result.exit_code == 0, result.stderr
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert len(rows) == 33
    lines = EXAMPLE.read_text().splitlines()
    assert all(r["case"] in lines[int(r["where"].rsplit(":", 1)[1]) - 1] for r in rows)


@pytest.mark.parametrize("mode", [["--self-vs-inspector"], ["--samples", "--by", "area"],
                                  ["--self-vs-inspector", "--by", "area", "--table"]])
def test_detail_outside_the_by_area_summary_is_a_usage_error(run, mode):
    result = run("compare", *mode, "--detail")
    assert result.exit_code == 2 and result.stdout == ""
    assert result.stderr == "Error: --detail goes with --self-vs-inspector --by area\n"
