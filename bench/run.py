"""Measure ncpi against the targets of issue #7, side by side with the baselines, in one run.

    python bench/run.py            # everything (about three minutes on two cores)
    python bench/run.py --quick    # skip the 1,000,000-case runs and the naive script

Each command runs in its own process; wall time is the median of --repeat runs (the large
ones once), peak memory is the child's maximum resident set size. Synthetic data is made by
bench/generate.py (seeded) into bench/data/, which git ignores.
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
DATA = HERE / "data"
PY = sys.executable
NCPI = [PY, "-m", "ncpi_cli"]


def measure(cmd: list[str], repeat: int) -> tuple[float, float]:
    """Median wall seconds and peak RSS in MiB of `cmd` run `repeat` times."""
    times, peaks = [], []
    for _ in range(repeat):
        start = time.perf_counter()
        proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        _, status, usage = os.wait4(proc.pid, 0)
        times.append(time.perf_counter() - start)
        peaks.append(usage.ru_maxrss / 1024)
        code = os.waitstatus_to_exitcode(status)
        if code != 0:
            raise SystemExit(f"failed ({code}): {' '.join(cmd)}\n{proc.stderr.read().decode()}")
    return statistics.median(times), max(peaks)


def ensure(n: int) -> Path:
    path = DATA / f"cases-{n}.yaml"
    if not path.exists():
        subprocess.run([PY, str(HERE / "generate.py"), str(n), str(path)], check=True)
    return path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    rows: list[tuple[str, float, float]] = []

    def run(label: str, cmd: list[str], repeat: int | None = None) -> float:
        seconds, mib = measure(cmd, repeat or args.repeat)
        rows.append((label, seconds, mib))
        print(f"{label:<48} {seconds:8.3f} s {mib:9.1f} MiB", flush=True)
        return seconds

    print(f"python {platform.python_version()} on {platform.machine()}, "
          f"{os.cpu_count()} cores\n")
    typer_s = run("python -c 'import typer'", [PY, "-c", "import typer"])
    help_s = run("ncpi --help", [*NCPI, "--help"])
    pandas_s = run("python -c 'import pandas, yaml'", [PY, "-c", "import pandas, yaml"])
    bundled_s = run("ncpi grades (bundled data)", [*NCPI, "grades", "--format", "csv"])

    k100 = ensure(100_000)
    g100 = run("ncpi grades, 100,000 cases", [*NCPI, "grades", "--data", str(k100)], 3)
    c100 = run("ncpi compare --self-vs-inspector, 100,000 cases",
               [*NCPI, "compare", "--self-vs-inspector", "--data", str(k100)], 3)
    ratios = [("ncpi --help / import typer (target <= 2)", help_s / typer_s),
              ("ncpi grades bundled / import pandas, yaml (target <= 1.3)",
               bundled_s / pandas_s)]
    if not args.quick:
        naive = [PY, str(HERE / "naive.py"), str(k100)]
        ng = run("naive script (safe_load + crosstab) grades, 100k", [*naive, "grades"], 1)
        nc = run("naive script (safe_load + crosstab) compare, 100k", [*naive, "compare"], 1)
        m1 = ensure(1_000_000)
        g1m = run("ncpi grades, 1,000,000 cases", [*NCPI, "grades", "--data", str(m1)], 1)
        c1m = run("ncpi compare --self-vs-inspector, 1,000,000 cases",
                  [*NCPI, "compare", "--self-vs-inspector", "--data", str(m1)], 1)
        ratios += [("naive grades / ncpi grades, 100k (target >= 10)", ng / g100),
                   ("naive compare / ncpi compare, 100k (target >= 10)", nc / c100),
                   ("ncpi grades 1M / 100k (target < 10)", g1m / g100),
                   ("ncpi compare 1M / 100k (target < 10)", c1m / c100)]
    print()
    for label, value in ratios:
        print(f"{label:<60} {value:6.2f}")
    if not args.quick:
        peak = max(mib for label, _, mib in rows if "1,000,000" in label)
        print(f"{'peak memory at 1,000,000 cases, MiB (target < 1536)':<60} {peak:6.0f}")


if __name__ == "__main__":
    main()
