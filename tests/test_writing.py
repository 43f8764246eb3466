"""Outputs never overwrite inputs, and a failed write leaves no half-written file."""

from __future__ import annotations

import os

import pytest

from ncpi_cli.errors import OutputError, OverwriteError
from ncpi_cli.writing import check_outputs, write_atomically


def test_an_output_that_is_an_input_is_refused(tmp_path):
    data = tmp_path / "cases.yaml"
    data.write_text("ncpi: 1\n")
    with pytest.raises(OverwriteError, match=r"manifest .*cases\.yaml is an input of this run"):
        check_outputs([("manifest", data)], [data])


def test_a_link_to_an_input_is_the_input(tmp_path):
    data = tmp_path / "cases.yaml"
    data.write_text("ncpi: 1\n")
    link = tmp_path / "link.yaml"
    link.symlink_to(data)
    with pytest.raises(OverwriteError, match="is an input of this run"):
        check_outputs([("report", tmp_path / "." / "link.yaml")], [data])


def test_two_outputs_in_one_file_are_refused(tmp_path):
    out = tmp_path / "out.json"
    with pytest.raises(OverwriteError, match="is also the report"):
        check_outputs([("report", out), ("manifest", tmp_path / "." / "out.json")], [])


def test_an_output_where_stdout_is_redirected_is_refused(tmp_path):
    out = tmp_path / "out.csv"
    with open(out, "w") as stdout, pytest.raises(OverwriteError,
                                                 match="where standard output is redirected"):
        check_outputs([("manifest", out)], [], stdout)


def test_stdout_redirected_to_an_input_is_refused(tmp_path):
    data = tmp_path / "cases.yaml"
    data.write_text("ncpi: 1\n")
    with open(data, "a") as stdout, pytest.raises(OverwriteError,
                                                  match="the shell empties that file"):
        check_outputs([], [data], stdout)


def test_distinct_files_pass(tmp_path):
    data = tmp_path / "cases.yaml"
    data.write_text("ncpi: 1\n")
    check_outputs([("report", tmp_path / "r.html"), ("manifest", tmp_path / "m.json")], [data])


def test_a_write_is_whole_or_nothing(tmp_path, monkeypatch):
    target = tmp_path / "report.html"
    target.write_text("old")
    write_atomically(target, "new")
    assert target.read_text() == "new"
    assert oct(target.stat().st_mode & 0o777) == oct(0o666 & ~_umask())

    def fail(*_args):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "fsync", fail)
    with pytest.raises(OutputError, match=r"cannot write .*report\.html: No space left on device"):
        write_atomically(target, "newer")
    assert target.read_text() == "new"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["report.html"]


def test_an_unwritable_directory_is_an_output_error(tmp_path):
    with pytest.raises(OutputError, match="cannot write"):
        write_atomically(tmp_path / "missing" / "r.html", "x")


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask
