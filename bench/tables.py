"""Measure case tables (CSV, XLSX) against the same cases in YAML and against pandas (issue 11).

    python bench/tables.py                 # 100,000 and 1,000,000 cases, 10,000-row xlsx
    python bench/tables.py --quick         # skip the 1,000,000-case files
    python bench/tables.py --repeat 5 --repeat-large 3

Run it with the project's virtualenv (`.venv/bin/python bench/tables.py`): ncpi is the
installed command next to the interpreter (`.venv/bin/ncpi`), pandas the one in that venv.

What it measures, every command in its own process: wall time and the command's peak
resident set size (GNU `/usr/bin/time -f %M`), median of --repeat runs (--repeat-large at
1,000,000 cases), the commands interleaved (one run of each per round, the order rotated
each round):

- `ncpi grades --format csv --data cases-N.csv --data forces-inspections.yaml`
- `ncpi grades --format csv --data cases-N.yaml` (the same N cases, the YAML of
  bench/generate.py)
- the pandas reference: `python -c` doing `pandas.read_csv` then `pandas.crosstab` of
  (inspection, area) x inspector_grade on the same CSV, written to standard output; it
  includes interpreter start and `import pandas`, as the ncpi runs include theirs
- on a 10,000-row xlsx of the same columns: `ncpi validate` and `ncpi grades` (with the
  forces/inspections YAML) against `python -c` doing `pandas.read_excel` with
  engine="calamine" and engine="openpyxl"
- `python -c 'import pandas'` for context (the start-up cost in every pandas figure).

Every command runs with its bytecode cached in bench/data/tables/pycache
(PYTHONPYCACHEPREFIX, PYTHONDONTWRITEBYTECODE unset), as a user's `pip install` would have it;
the outputs are checked (below) before timing, which also fills that cache.

Data: SYNTHETIC, seeded: bench/generate.py's `generate(n)` (seed 1, flow style; the bytes of
`python bench/generate.py N`) is written as cases-N.yaml, and its case lines converted to
cases-N.csv (columns id,inspection,area,sample,force_grade,inspector_grade; force_grade
empty on inspector-selected cases); its forces and inspections alone are
forces-inspections.yaml; cases-10000.xlsx (written with xlsxwriter) holds generate(10000)'s
cases. Everything goes to bench/data/tables/, which git ignores (bench/data/). Before timing,
each ncpi output from a case table is checked to be byte for byte the output from the same
cases in YAML, and the pandas crosstab to count every case.

Targets (issue 11): at 1,000,000 cases, `grades` on the CSV >= 3 x faster than on the YAML
and <= 2 x the pandas read_csv + crosstab; the 10,000-row xlsx read in <= 3 x
pandas.read_excel.
"""

from __future__ import annotations

import argparse
import csv
import importlib.metadata
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
import generate  # noqa: E402  (bench/generate.py)

DATA = HERE / "data" / "tables"
PY = sys.executable
NCPI = str(Path(sys.executable).parent / "ncpi")
TIME = "/usr/bin/time"  # GNU time, for the peak RSS of each command
#: Every command runs with bytecode cached (as after `pip install`), in a cache of its own:
#: the checkout is installed editable and PYTHONDONTWRITEBYTECODE may be set, which would
#: make ncpi compile its modules on every run (and pandas would not).
ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
ENV["PYTHONPYCACHEPREFIX"] = str(DATA / "pycache")
COLUMNS = ["id", "inspection", "area", "sample", "force_grade", "inspector_grade"]
XLSX_ROWS = 10_000

PANDAS_CSV = ("import sys, pandas as pd; df = pd.read_csv(sys.argv[1]); "
              "t = pd.crosstab([df['inspection'], df['area']], df['inspector_grade']); "
              "sys.stdout.write(t.to_csv())")
PANDAS_XLSX = ("import sys, pandas as pd; df = pd.read_excel(sys.argv[1], engine=sys.argv[2]); "
               "sys.stdout.write(f'{len(df)}\\n')")


# --- data -----------------------------------------------------------------------------------

def _cases(text: str) -> tuple[str, list[dict[str, str]]]:
    """generate()'s text as its forces-and-inspections part and its cases as dicts."""
    head, cases = text.split("\ncases:\n", 1)
    rows = []
    for line in cases.splitlines():
        body = line.strip()
        assert body.startswith("- {") and body.endswith("}"), line
        rows.append(dict(field.split(": ", 1) for field in body[3:-1].split(", ")))
    return head + "\n", rows


def _write(path: Path, data: str | bytes) -> None:
    """Write only if different, so a second run reuses the files (and their page cache)."""
    raw = data.encode("utf-8") if isinstance(data, str) else data
    if path.exists() and path.stat().st_size == len(raw) and path.read_bytes() == raw:
        return
    path.write_bytes(raw)


def _csv_text(rows: list[dict[str, str]]) -> str:
    import io
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(COLUMNS)
    writer.writerows([row.get(c, "") for c in COLUMNS] for row in rows)
    return out.getvalue()


def make_data(sizes: list[int]) -> dict[str, Path]:
    DATA.mkdir(parents=True, exist_ok=True)
    files: dict[str, Path] = {}
    for n in sizes:
        text = generate.generate(n)
        head, rows = _cases(text)
        assert len(rows) == n
        files[f"yaml-{n}"] = DATA / f"cases-{n}.yaml"
        files[f"csv-{n}"] = DATA / f"cases-{n}.csv"
        _write(files[f"yaml-{n}"], text)
        _write(files[f"csv-{n}"], _csv_text(rows))
        files["forces"] = DATA / "forces-inspections.yaml"
        _write(files["forces"], head.replace(
            f"# SYNTHETIC benchmark data: bench/generate.py {n} ",
            "# SYNTHETIC benchmark data: the forces and inspections of bench/generate.py "))
    text = generate.generate(XLSX_ROWS)
    _, rows = _cases(text)
    files["yaml-xlsx"] = DATA / f"cases-{XLSX_ROWS}.yaml"
    files["xlsx"] = DATA / f"cases-{XLSX_ROWS}.xlsx"
    _write(files["yaml-xlsx"], text)
    if not files["xlsx"].exists():
        import xlsxwriter
        book = xlsxwriter.Workbook(str(files["xlsx"]))
        book.set_properties({"title": "SYNTHETIC benchmark cases (bench/tables.py)",
                             "created": __import__("datetime").datetime(2026, 11, 24)})
        sheet = book.add_worksheet("Cases")
        sheet.write_row(0, 0, COLUMNS)
        for i, row in enumerate(rows, start=1):
            sheet.write_row(i, 0, [row.get(c, "") for c in COLUMNS])
        book.close()
    return files


# --- measuring ------------------------------------------------------------------------------

def run_once(cmd: list[str], capture: bool = False) -> tuple[float, float, bytes]:
    """Wall seconds, peak RSS in MiB and (if capture) standard output of one run.

    The peak comes from /usr/bin/time, not from os.wait4 here: Linux carries the parent's
    high-water RSS into a child's ru_maxrss across the exec of a vfork()ed child, so a
    parent that has just generated a million cases would lend its peak to every command.
    The wall time (taken here) includes time's own fork and exec, about a millisecond.
    """
    out = subprocess.PIPE if capture else subprocess.DEVNULL
    with tempfile.NamedTemporaryFile("r", suffix=".rss") as rss:
        start = time.perf_counter()
        proc = subprocess.Popen([TIME, "-f", "%M", "-o", rss.name, *cmd], stdout=out,
                                stderr=subprocess.PIPE, env=ENV)
        stdout, stderr = proc.communicate()
        seconds = time.perf_counter() - start
        if proc.returncode != 0:
            raise SystemExit(f"failed ({proc.returncode}): {' '.join(cmd)}\n"
                             f"{stderr.decode()}")
        kib = int(rss.read().split()[-1])
    return seconds, kib / 1024, stdout or b""


def check(files: dict[str, Path], sizes: list[int]) -> None:
    """The case tables give ncpi the same cases as the YAML; pandas counts every case."""
    for n in sizes:
        a = run_once([NCPI, "grades", "--format", "csv", "--data", str(files[f"csv-{n}"]),
                      "--data", str(files["forces"])], capture=True)[2]
        b = run_once([NCPI, "grades", "--format", "csv", "--data", str(files[f"yaml-{n}"])],
                     capture=True)[2]
        assert a == b and a, f"ncpi grades differs between CSV and YAML at {n}"
        p = run_once([PY, "-c", PANDAS_CSV, str(files[f"csv-{n}"])], capture=True)[2]
        counted = sum(int(x) for line in p.decode().splitlines()[1:]
                      for x in line.split(",")[2:])
        assert counted == n, (counted, n)
    a = run_once([NCPI, "grades", "--format", "csv", "--data", str(files["xlsx"]),
                  "--data", str(files["forces"])], capture=True)[2]
    b = run_once([NCPI, "grades", "--format", "csv", "--data", str(files["yaml-xlsx"])],
                 capture=True)[2]
    assert a == b and a, "ncpi grades differs between xlsx and YAML"
    run_once([NCPI, "validate", str(files["xlsx"]), str(files["forces"])])
    for engine in ("calamine", "openpyxl"):
        p = run_once([PY, "-c", PANDAS_XLSX, str(files["xlsx"]), engine], capture=True)[2]
        assert int(p) == XLSX_ROWS, p


def machine() -> str:
    model = "?"
    with open("/proc/cpuinfo") as f:
        for line in f:
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    with open("/proc/meminfo") as f:
        mem_kib = int(f.readline().split()[1])
    import yaml
    versions = ", ".join(f"{name} {importlib.metadata.version(name)}" for name in
                         ("ncpi-cli", "pandas", "numpy", "python-calamine", "openpyxl",
                          "pyyaml"))
    try:
        commit = subprocess.run(["git", "-C", str(HERE), "describe", "--always", "--dirty"],
                                capture_output=True, text=True).stdout.strip()
    except OSError:
        commit = "?"
    return (f"{os.cpu_count()} cores ({model}), {mem_kib / 2**20:.0f} GiB memory, "
            f"{platform.system()} {platform.machine()}, CPython {platform.python_version()}, "
            f"{versions} (libyaml: {yaml.__with_libyaml__}); ncpi at {commit}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="skip the 1,000,000-case files")
    parser.add_argument("--repeat", type=int, default=5, help="runs of each command")
    parser.add_argument("--repeat-large", type=int, default=3,
                        help="runs of each 1,000,000-case command")
    args = parser.parse_args()
    sizes = [100_000] if args.quick else [100_000, 1_000_000]

    print(machine(), flush=True)
    print(f"load average before: {' '.join(f'{x:.2f}' for x in os.getloadavg())}", flush=True)
    began = time.perf_counter()
    files = make_data(sizes)
    for path in sorted(files.values()):
        print(f"  {path.relative_to(HERE.parent)}: {path.stat().st_size:,} bytes")
    check(files, sizes)
    print(f"data made and outputs checked in {time.perf_counter() - began:.0f} s\n", flush=True)

    forces = str(files["forces"])
    # (label, size, command)
    commands: list[tuple[str, int, list[str]]] = [
        ("python -c 'import pandas'", 0, [PY, "-c", "import pandas"])]
    for n in sizes:
        csv_path, yaml_path = str(files[f"csv-{n}"]), str(files[f"yaml-{n}"])
        commands += [
            ("ncpi grades, CSV + forces/inspections YAML", n,
             [NCPI, "grades", "--format", "csv", "--data", csv_path, "--data", forces]),
            ("ncpi grades, YAML", n, [NCPI, "grades", "--format", "csv", "--data", yaml_path]),
            ("pandas read_csv + crosstab", n, [PY, "-c", PANDAS_CSV, csv_path])]
    xlsx = str(files["xlsx"])
    commands += [
        ("ncpi validate, xlsx + forces/inspections YAML", XLSX_ROWS,
         [NCPI, "validate", xlsx, forces]),
        ("ncpi grades, xlsx + forces/inspections YAML", XLSX_ROWS,
         [NCPI, "grades", "--format", "csv", "--data", xlsx, "--data", forces]),
        ("pandas read_excel, engine=calamine", XLSX_ROWS, [PY, "-c", PANDAS_XLSX, xlsx,
                                                           "calamine"]),
        ("pandas read_excel, engine=openpyxl", XLSX_ROWS, [PY, "-c", PANDAS_XLSX, xlsx,
                                                           "openpyxl"])]

    def runs_of(n: int) -> int:
        return args.repeat_large if n >= 1_000_000 else args.repeat

    times: dict[int, list[float]] = {i: [] for i in range(len(commands))}
    peaks: dict[int, list[float]] = {i: [] for i in range(len(commands))}
    rounds = max(args.repeat, args.repeat_large if not args.quick else 0)
    for r in range(rounds):
        order = [i for i in range(len(commands)) if r < runs_of(commands[i][1])]
        shift = r % len(order)
        for i in order[shift:] + order[:shift]:
            seconds, mib, _ = run_once(commands[i][2])
            times[i].append(seconds)
            peaks[i].append(mib)
        print(f"round {r + 1}/{rounds} done at {time.perf_counter() - began:.0f} s, load "
              f"{os.getloadavg()[0]:.2f}", flush=True)

    med = {i: statistics.median(times[i]) for i in times}
    print(f"\nload average after: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    print(f"total {time.perf_counter() - began:.0f} s\n")
    print("| command | cases | runs | median wall time | (min–max) | peak memory |")
    print("|---|---:|---:|---:|---:|---:|")
    for i, (label, n, _) in enumerate(commands):
        print(f"| {label} | {n:,} | {len(times[i])} | {med[i]:.3f} s | "
              f"{min(times[i]):.3f}–{max(times[i]):.3f} s | {max(peaks[i]):.1f} MiB |"
              if n else
              f"| {label} | – | {len(times[i])} | {med[i]:.3f} s | "
              f"{min(times[i]):.3f}–{max(times[i]):.3f} s | {max(peaks[i]):.1f} MiB |")

    def find(label: str, n: int) -> float:
        return next(med[i] for i, (lab, size, _) in enumerate(commands)
                    if lab.startswith(label) and size == n)

    print("\n| ratio (issue 11 target) | measured | met |")
    print("|---|---:|---|")

    def ratio(text: str, value: float, ok: bool | None) -> None:
        met = "–" if ok is None else ("yes" if ok else "**no**")
        print(f"| {text} | {value:.2f} × | {met} |")

    for n in sizes:
        target = n >= 1_000_000
        g_csv, g_yaml = find("ncpi grades, CSV", n), find("ncpi grades, YAML", n)
        ref = find("pandas read_csv", n)
        ratio(f"YAML / CSV `grades`, {n:,} cases" + (" (target ≥ 3)" if target else ""),
              g_yaml / g_csv, g_yaml / g_csv >= 3 if target else None)
        ratio(f"CSV `grades` / pandas read_csv + crosstab, {n:,} cases"
              + (" (target ≤ 2)" if target else ""), g_csv / ref,
              g_csv / ref <= 2 if target else None)
    for label in ("ncpi validate, xlsx", "ncpi grades, xlsx"):
        for engine in ("calamine", "openpyxl"):
            value = find(label, XLSX_ROWS) / find(f"pandas read_excel, engine={engine}",
                                                  XLSX_ROWS)
            ratio(f"`{label.split(', ')[0][5:]}` xlsx / read_excel ({engine}), "
                  f"{XLSX_ROWS:,} rows (target ≤ 3)", value, value <= 3)
    imp = find("python -c 'import pandas'", 0)
    print(f"\n(`import pandas` alone: {imp:.3f} s of every pandas figure)")


if __name__ == "__main__":
    main()
