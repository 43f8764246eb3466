"""A seeded mutation fuzzer: the bundled and example files, broken in small random ways
(byte flips, special characters, lost or repeated lines, indentation shifts, odd numbers,
truncation), must never give a traceback or an unexpected-failure exit, must word every
problem on one line, must account for every record, and must read the same by both paths.

CI runs FUZZ_MUTANTS (150) mutants; `NCPI_FUZZ=5000 pytest tests/test_fuzz.py` runs more.
The seed is fixed, so a failure here fails the same way on every machine."""

from __future__ import annotations

import json
import os
import random

import pytest
from typer.testing import CliRunner

from conftest import EXAMPLE
from ncpi_cli.cli import app
from ncpi_cli.ingest import InputText, read_texts
from ncpi_cli.ingest.files import bundled_dir

FUZZ_MUTANTS = int(os.environ.get("NCPI_FUZZ", "150"))
SEED = 20261124
BASES = [p.read_bytes() for p in (*sorted(bundled_dir().glob("*.yaml")), EXAMPLE)]
SPECIAL = ["\x00", "\t", "\r", "\x85", "\u2028", "\u200b", "\ufeff", "\x1b[31m", "\x7f",
           "\u202e", "\\udfff", '"\\udfff"', "\xff"]
NUMBERS = ["9" * 40, "9" * 5000, "1.5", ".inf", ".nan", "yes", "no", "010", "0x1F", "1:20",
           "~", "-3", "²", "٣", "２０１９-０６"]


def mutate(data: bytes, rnd: random.Random) -> bytes:
    text = data.decode("utf-8")
    lines = text.split("\n")
    for _ in range(rnd.randint(1, 4)):
        kind = rnd.choice(["flip", "special", "drop", "repeat", "indent", "number",
                           "truncate"])
        i = rnd.randrange(len(lines))
        line = lines[i]
        if kind == "flip" and line:
            at = rnd.randrange(len(line))
            lines[i] = line[:at] + rnd.choice(":,{}[]#'\"- &*!|>%@`") + line[at + 1:]
        elif kind == "special":
            at = rnd.randrange(len(line) + 1)
            lines[i] = line[:at] + rnd.choice(SPECIAL) + line[at:]
        elif kind == "drop":
            del lines[i]
        elif kind == "repeat":
            lines.insert(i, line)
        elif kind == "indent":
            lines[i] = (" " + line) if rnd.random() < 0.5 else line.removeprefix(" ")
        elif kind == "number" and ": " in line:
            key, _, _ = line.partition(": ")
            lines[i] = f"{key}: {rnd.choice(NUMBERS)}"
        elif kind == "truncate":
            lines = lines[: i + 1]
            lines[-1] = line[: rnd.randrange(len(line) + 1)]
        if not lines:
            lines = [""]
    out = "\n".join(lines).encode("utf-8", "surrogatepass")
    if rnd.random() < 0.05:  # a raw byte that is not UTF-8
        at = rnd.randrange(len(out) + 1)
        out = out[:at] + b"\xff" + out[at:]
    return out


def _mutants(count: int) -> list[bytes]:
    rnd = random.Random(SEED)
    return [mutate(rnd.choice(BASES), rnd) for _ in range(count)]


def _same_both_ways(data: bytes) -> None:
    fast = read_texts([InputText(None, "m.yaml", data)])
    precise = read_texts([InputText(None, "m.yaml", data)], fast_path=False)
    assert [str(p) for p in fast.problems] == [str(p) for p in precise.problems]
    assert fast.dataset == precise.dataset


@pytest.mark.parametrize("chunk", range(10))
def test_mutants_never_break_ncpi(chunk, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    runner = CliRunner()
    mutants = _mutants(FUZZ_MUTANTS)[chunk::10]
    for n, data in enumerate(mutants):
        path = tmp_path / "m.yaml"
        path.write_bytes(data)
        _same_both_ways(data)
        checked = runner.invoke(app, ["validate", "m.yaml"])
        # 4: a tally whose counts contradict its stated total (a changed count does that)
        assert checked.exit_code in (0, 3, 4), (n, checked.stderr[-400:])
        run = runner.invoke(app, ["grades", "--data", "m.yaml", "--format", "json"])
        assert run.exit_code in (0, 2, 3, 4), (n, run.stderr[-400:])
        for result in (checked, run):
            assert "Traceback" not in result.output
            assert "unexpected failure" not in result.stderr
            for line in result.stderr.splitlines():
                assert line.startswith(("m.yaml", "Error: ", "note: ")), (n, line)
        if checked.exit_code == 3:
            assert run.exit_code == 3 and run.stdout == ""
        if run.exit_code in (0, 4):
            records = json.loads(run.stdout)["manifest"]["records"]
            assert records["read"] == records["used"] + records["rejected"]
            for kind in records["by_kind"].values():
                assert kind["read"] == kind["used"] + kind["rejected"]
