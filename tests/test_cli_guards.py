"""The command line never loses an input, never leaves half a file, and never shows a
traceback: outputs checked against inputs, I/O errors as messages, data shown as it is."""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys

import pytest
from typer.testing import CliRunner

from conftest import EXAMPLE
from ncpi_cli.cli import app

NCPI = [sys.executable, "-m", "ncpi_cli"]


def _run(*args: str, env: dict | None = None):
    return CliRunner().invoke(app, list(args), env=env)


def _digest(path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_a_manifest_over_an_input_is_refused(tmp_path):
    data = tmp_path / "cases.yaml"
    data.write_bytes(EXAMPLE.read_bytes())
    before = _digest(data)
    result = _run("grades", "--data", str(data), "--manifest", str(data))
    assert result.exit_code == 2 and result.stdout == ""
    assert result.stderr == (f"Error: manifest {data} is an input of this run ({data}): "
                             "ncpi never overwrites its inputs; choose another file\n")
    assert _digest(data) == before


def test_a_report_over_an_input_is_refused(tmp_path):
    data = tmp_path / "cases.yaml"
    data.write_bytes(EXAMPLE.read_bytes())
    before = _digest(data)
    result = _run("report", "--force", "exampleshire", "--data", str(data), "-o", str(data))
    assert result.exit_code == 2 and "is an input of this run" in result.stderr
    assert _digest(data) == before


def test_a_manifest_where_stdout_goes_is_refused(tmp_path):
    out = tmp_path / "out.csv"
    with open(out, "w") as stdout:
        done = subprocess.run([*NCPI, "reconcile", "--format", "csv", "--manifest", str(out)],
                              stdout=stdout, stderr=subprocess.PIPE, text=True)
    assert done.returncode == 2 and out.read_text() == ""
    assert done.stderr == (f"Error: manifest {out} is where standard output is redirected: "
                           "choose another file\n")


def test_a_failed_run_leaves_no_manifest(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("ncpi: 2\n")
    manifest = tmp_path / "run.json"
    assert _run("grades", "--data", str(bad), "--manifest", str(manifest)).exit_code == 3
    missing = tmp_path / "no-such-dir" / "run.json"
    result = _run("grades", "--manifest", str(missing))
    assert result.exit_code == 1
    assert result.stderr.endswith(f"Error: cannot write {missing}: No such file or "
                                  "directory\n")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bad.yaml"]


@pytest.mark.skipif(not os.path.exists("/dev/full"), reason="no /dev/full on this system")
def test_a_full_disk_is_an_io_error_not_a_bug():
    with open("/dev/full", "w") as full:
        done = subprocess.run([*NCPI, "grades", "--format", "csv"], stdout=full,
                              stderr=subprocess.PIPE, text=True)
    assert done.returncode == 1
    assert done.stderr == "Error: cannot write output: No space left on device\n"


def test_an_undecodable_file_name_gives_valid_utf8(tmp_path):
    """A file name with byte 0xff: the JSON (and every message) is valid UTF-8, the byte
    escaped; under a strict ASCII locale too."""
    name = os.fsdecode(b"cases-\xff.yaml")
    (tmp_path / name).write_bytes(EXAMPLE.read_bytes())
    for locale in ("C.UTF-8", "C"):
        env = {**os.environ, "LC_ALL": locale, "PYTHONIOENCODING": ""}
        done = subprocess.run([*NCPI, "grades", "--data", name, "--format", "json"],
                              cwd=tmp_path, capture_output=True, env=env)
        assert done.returncode == 0, done.stderr
        assert b"cases-\\udcff.yaml" in done.stdout  # escaped: the output is valid UTF-8
        document = json.loads(done.stdout.decode("utf-8"))
        assert document["manifest"]["inputs"][0]["path"] == name


def test_data_is_shown_as_it_is_on_a_terminal(monkeypatch):
    """Rich markup in data (a path like `a[/b]/f.yaml`, a name like `[bold red]x`) is printed
    verbatim by bespoke and generic views alike, never interpreted (it used to crash). Wide
    enough that the subject is not wrapped, whatever COLUMNS the test runner has: Gwent's
    checks (the national file's "sources agree" rows quote whole citations, which wrap)."""
    import io
    from dataclasses import replace

    from ncpi_cli.analysis.reconcile import reconcile
    from ncpi_cli.analysis.select import Filters
    from ncpi_cli.ingest import load
    from ncpi_cli.terminal import print_table

    monkeypatch.setenv("COLUMNS", "200")
    result = reconcile(load().dataset, Filters(force="gwent"))
    result.rows[0]["subject"] = "[bold red]x a[/b]/f.yaml"
    generic = replace(result, layout=replace(result.layout, command="no-such-view"))
    for shown in (result, generic):
        out = io.StringIO()
        print_table(shown, out)
        assert "[bold red]x a[/b]/f.yaml" in out.getvalue().replace("\n", "")


@pytest.mark.parametrize("columns", ["0", "-3", "wide"])
def test_an_unusable_columns_still_prints(columns):
    result = _run("grades", "--force", "gwent", "--format", "table",
                  env={"NO_COLOR": "1", "COLUMNS": columns})
    assert result.exit_code == 0 and "37 (46.3%)" in result.stdout


@pytest.mark.parametrize("mode", ["--self-vs-inspector", "--samples", "--initial-vs-review"])
def test_a_bad_as_of_is_refused_in_every_compare_mode(mode):
    result = _run("compare", mode, "--as-of", "2019-02-30")
    assert result.exit_code == 2
    assert result.stderr == "Error: --as-of must be a date as YYYY-MM-DD, not '2019-02-30'\n"


def test_reconcile_rows_do_not_depend_on_the_order_of_inputs(tmp_path):
    """The bundled data split into two files, named in either order."""
    from ncpi_cli.ingest.files import bundled_dir

    text = (bundled_dir() / "cases.yaml").read_text()
    head, _, tallies = text.partition("\ntallies:\n")
    tallies, _, _ = tallies.partition("\nrecommendations:\n")
    lines = tallies.split("\n  - ")
    one = tmp_path / "one.yaml"
    two = tmp_path / "two.yaml"
    one.write_text(head + "\ntallies:\n" + "\n  - ".join(lines[: len(lines) // 2]) + "\n")
    two.write_text("ncpi: 1\ntallies:\n  - " + "\n  - ".join(lines[len(lines) // 2:]) + "\n")
    forward = _run("reconcile", "--data", str(one), "--data", str(two), "--format", "csv")
    backward = _run("reconcile", "--data", str(two), "--data", str(one), "--format", "csv")
    assert forward.exit_code == 0, forward.stderr
    assert forward.stdout == backward.stdout.replace(str(two), str(two))


def test_an_empty_path_in_ncpi_data_is_refused(tmp_path):
    result = _run("grades", env={"NCPI_DATA": f"{EXAMPLE}:"})
    assert result.exit_code == 2
    assert "NCPI_DATA holds an empty path" in result.stderr


def test_ctrl_c_while_starting_is_one_line(monkeypatch, capsys):
    import builtins

    from ncpi_cli import entry

    real = builtins.__import__

    def interrupted(name, *args, **kwargs):
        if name == "cli" or name.endswith(".cli"):
            raise KeyboardInterrupt
        return real(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", interrupted)
    with pytest.raises(SystemExit) as stop:
        entry.main()
    assert stop.value.code == 130 and capsys.readouterr().err == "\ninterrupted\n"


def _on_a_terminal(*args: str) -> tuple[int, str]:
    """Run ncpi with standard output on a pseudo-terminal (CliRunner's is never one)."""
    import pty

    main, sub = pty.openpty()
    try:
        done = subprocess.run([*NCPI, *args], stdout=sub, stderr=subprocess.PIPE,
                              stdin=subprocess.DEVNULL, timeout=120)
    finally:
        os.close(sub)
        os.close(main)
    return done.returncode, done.stderr.decode()


@pytest.mark.skipif(not hasattr(os, "openpty"), reason="needs a pseudo-terminal")
def test_a_workbook_or_a_report_is_never_sent_to_a_terminal():
    code, err = _on_a_terminal("grades", "--force", "gwent", "--format", "xlsx")
    assert (code, err) == (2, "Error: --format xlsx writes a workbook, not text: give -o FILE "
                              "(or redirect standard output to a file)\n")
    code, err = _on_a_terminal("report", "--force", "gwent")
    assert (code, err) == (2, "Error: the report is an HTML page, not text for a terminal: "
                              "give -o FILE (or redirect standard output to a file)\n")


def test_a_table_option_in_a_problem_is_named_as_its_flag(tmp_path):
    table = tmp_path / "audit.csv"
    table.write_text("id,area,sample,inspector_grade\nX1,s47,inspector-selected,good\n")
    checked = _run("validate", str(table))
    assert checked.exit_code == 3
    assert checked.stderr.splitlines()[1].endswith(
        "may leave that column out when the inspection is named for the whole table "
        "(--inspection ID)")


EXAMPLE_YAML = EXAMPLE.parent / "exampleton-audit.yaml"
EXAMPLE_CSV = EXAMPLE.parent / "exampleton-audit.csv"


def test_validate_reads_files_named_both_ways_together():
    """`validate SHEET --data YAML` as `compare --data SHEET --data YAML` reads them."""
    both = _run("validate", str(EXAMPLE_CSV), "--data", str(EXAMPLE_YAML))
    assert both.exit_code == 0, both.stderr
    alone = _run("validate", str(EXAMPLE_CSV), str(EXAMPLE_YAML))
    assert both.stdout == alone.stdout
    # NCPI_DATA only stands in for files not named: the sheet alone, with the bundled data
    env = _run("validate", str(EXAMPLE_CSV), env={"NCPI_DATA": str(EXAMPLE_YAML)})
    assert env.exit_code == 3 and "exampleton-2023' is not defined" in env.stderr


def test_an_unknown_inspection_for_a_table_is_a_usage_error(tmp_path):
    table = tmp_path / "audit.csv"
    table.write_text("id,area,sample,inspector_grade\nX1,s47,inspector-selected,good\n")
    for args in (["validate", str(table), str(EXAMPLE_YAML)],
                 ["grades", "--data", str(table), "--data", str(EXAMPLE_YAML)]):
        run = _run(*args, "--inspection", "exampleton-2032")
        assert (run.exit_code, run.stderr.splitlines()[-1]) == (
            2, "Error: unknown inspection 'exampleton-2032' (did you mean 'exampleton-2023'? "
               "known: exampleton-2023)"), args


def test_other_problems_are_never_hidden_behind_an_unknown_inspection(tmp_path):
    """A YAML file that cannot be read, or a table with its own inspection column and a
    bad grade: the problems are shown (exit 3), not an unknown --inspection (exit 2)."""
    broken = tmp_path / "broken.yaml"
    broken.write_text("ncpi: 1\nforces: [\n")
    table = tmp_path / "audit.csv"
    table.write_text("id,area,sample,inspector_grade\nX1,s47,inspector-selected,good\n")
    run = _run("validate", str(table), str(broken), "--inspection", "exampleton-2023")
    assert run.exit_code == 3 and "YAML syntax error" in run.stderr
    own = tmp_path / "own.csv"
    own.write_text("id,inspection,area,sample,inspector_grade\n"
                   "X1,exampleton-2023,s47,inspector-selected,Goood\n")
    run = _run("validate", str(own), str(EXAMPLE_YAML), "--inspection", "exampleton-2032")
    assert run.exit_code == 3 and "unknown grade 'Goood'" in run.stderr


def test_an_empty_path_is_refused_not_read_as_this_directory():
    for args in (["validate", ""], ["grades", "--data", ""], ["grades", "--data", " "]):
        run = _run(*args)
        assert run.exit_code == 2, args
        assert run.stderr.splitlines()[-1].endswith(
            "an empty path: name a file or a directory (. for this one)"), args
