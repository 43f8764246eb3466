"""Property-based tests over generated (synthetic) records: no input gives a traceback;
every record read is used or rejected; CSV never opens a cell with a formula character;
output does not change between reruns or PYTHONHASHSEED values."""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from ncpi_cli.cli import app

FORMULA = ("=", "+", "-", "@", "\t", "\r", "\n")
AREAS = ["s46", "s47", "cse", "custody", "all", "burglary"]
GRADES = ["good", "RI", "requires improvement", "inadequate", "adequate", "no", "010"]
TEXT = st.sampled_from(["Testshire", "=HYPERLINK(\"x\")", "+44", "-2", "@SUM(A1)", "\ttab",
                        "plain", "p.15", "2019-02-04", "yes", "''"])

settings.register_profile("ncpi", max_examples=60, deadline=None,
                          suppress_health_check=[HealthCheck.function_scoped_fixture])
settings.load_profile("ncpi")


def _quote(text: str) -> str:
    return json.dumps(text)  # JSON strings are valid YAML flow scalars


@st.composite
def documents(draw) -> str:
    """A data file (SYNTHETIC): half the time wholly valid, else built from valid and
    invalid pieces alike."""
    bad = draw(st.booleans())

    def pick(valid: list, invalid: list):
        return draw(st.sampled_from(valid + invalid if bad else valid))

    lines = ["ncpi: 1", "forces:"]
    forces = draw(st.lists(st.sampled_from(["f", "g-2", "-h"]), min_size=1, max_size=2,
                           unique=True))
    for f in forces:
        lines.append(f"  - {{id: {_quote(f)}, name: {_quote(draw(TEXT))}}}")
    lines.append("inspections:")
    scales = {}
    for i, f in enumerate(forces):
        method = draw(st.sampled_from(["ncpi-2017", "ncpi-2014"]))
        scales[f"i{i}"] = (["good", "requires_improvement", "inadequate"] if method ==
                           "ncpi-2017" else ["good", "adequate", "requires_improvement",
                                             "inadequate"])
        lines.append(f"  - {{id: i{i}, force: {_quote(f)}, kind: inspection, "
                     f"methodology: {method}}}")
    tallies: list[str] = []
    seen = set()
    for _ in range(draw(st.integers(0, 6))):
        inspection = pick(list(scales), ["zz"])
        keys = draw(st.lists(st.sampled_from(scales.get(inspection, ["good"]) +
                                             (["adequate"] if bad else [])),
                             min_size=1, max_size=4, unique=True))
        counts = ", ".join(f"{g}: {draw(st.integers(-1 if bad else 0, 40))}" for g in keys)
        assessor = draw(st.sampled_from(["force", "inspector"]))
        sample = pick(["all", "self-assessed"] if assessor == "force" else
                      ["all", "self-assessed", "inspector-selected"], ["inspector-selected"])
        area = pick(AREAS[:5], AREAS[5:])
        if not bad and (inspection, assessor, sample, area) in seen:
            continue
        seen.add((inspection, assessor, sample, area))
        tallies.append(f"  - {{inspection: {inspection}, assessor: {assessor}, sample: {sample}, "
                     f"area: {area}, {counts}, source: {_quote(draw(TEXT))}}}")
    lines += ["tallies:", *tallies] if tallies else ["tallies: []"]
    lines.append("cases: []" if not (count := draw(st.integers(0, 25))) else "cases:")
    for n in range(count):
        inspection = draw(st.sampled_from(list(scales)))
        sample = draw(st.sampled_from(["self-assessed", "inspector-selected"]))
        scale = [g.replace("_", " ") for g in scales[inspection]]
        grades = scale + (["RI"] if "requires improvement" in scale else [])
        fields = [f"id: C{n}", f"inspection: {inspection}", f"area: {pick(AREAS[:4], ['all'])}",
                  f"sample: {sample}",
                  f"inspector_grade: {pick(grades, GRADES)}"]
        if sample == "self-assessed" or (bad and draw(st.booleans())):
            fields.append(f"force_grade: {pick(grades, GRADES)}")
        lines.append("  - {" + ", ".join(fields) + "}")
    return "\n".join(lines) + "\n"


def _invoke(args):
    return CliRunner().invoke(app, args)


@given(st.text(max_size=300))
def test_arbitrary_text_never_gives_a_traceback(tmp_path_factory, text):
    path = tmp_path_factory.mktemp("t") / "x.yaml"
    path.write_text(text, encoding="utf-8")
    result = _invoke(["validate", str(path)])
    assert result.exit_code in (0, 3), result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)


@given(documents())
def test_generated_records_are_accounted_for_and_safe(tmp_path_factory, doc):
    path = tmp_path_factory.mktemp("d") / "data.yaml"
    path.write_text(doc, encoding="utf-8")
    for args in (["grades"], ["grades", "--assessor", "force"],
                 ["compare", "--self-vs-inspector", "--by", "area"], ["compare", "--samples"],
                 ["reconcile"]):
        result = _invoke([*args, "--data", str(path), "--format", "json"])
        assert result.exit_code in (0, 3, 4), result.output
        assert result.exception is None or isinstance(result.exception, SystemExit)
        if result.exit_code == 3:
            assert result.stdout == ""
            continue
        records = json.loads(result.stdout)["manifest"]["records"]
        assert records["read"] == records["used"] + records["rejected"]
        for kind in records["by_kind"].values():
            assert kind["read"] == kind["used"] + kind["rejected"]
        text = _invoke([*args, "--data", str(path), "--format", "csv"]).stdout
        for row in csv.reader(io.StringIO(text, newline="")):
            for cell in row:
                if cell.startswith(FORMULA):
                    float(cell)  # only a number may start with '-' or '+'
        again = _invoke([*args, "--data", str(path), "--format", "csv"]).stdout
        assert again == text


#: one process per hash seed runs every generated file (a process per file and seed cost
#: ten seconds of the suite)
_EVERY_FILE = """
import json, sys
from typer.testing import CliRunner
from ncpi_cli.cli import app
runs = []
for path in sys.argv[1:]:
    r = CliRunner().invoke(app, ["compare", "--self-vs-inspector", "--by", "area", "--data",
                                 path, "--format", "json"])
    runs.append([r.exit_code, r.stdout, r.stderr])
print(json.dumps(runs))
"""


def test_output_does_not_depend_on_the_hash_seed(tmp_path):
    docs: list[str] = []

    @settings(max_examples=8, database=None)
    @given(documents())
    def collect(doc):
        docs.append(doc)

    collect()
    paths = []
    for i, doc in enumerate(dict.fromkeys(docs)):
        path = tmp_path / f"data{i}.yaml"
        path.write_text(doc, encoding="utf-8")
        paths.append(str(path))
    outputs = set()
    for seed in ("0", "1", "4242"):
        env = {**os.environ, "PYTHONHASHSEED": seed}
        run = subprocess.run([sys.executable, "-c", _EVERY_FILE, *paths], capture_output=True,
                             env=env, check=True, text=True)
        outputs.add(run.stdout)
    assert len(outputs) == 1 and len(json.loads(outputs.pop())) == len(paths) >= 2
