"""Adversarial shapes for the statistics (issue 16), measured as ratios in one run.

    python bench/adversarial.py            # everything (about ten minutes on two cores)
    python bench/adversarial.py --quick    # skip the 1,000,000-case files

Part 1 times each statistic in this process on inputs chosen to be its worst: the most
disagreements for the sign test, the slowest two-sample tables found by scanning (about
their exact limits), the most outcomes for Bowker's exact test. Part 2 runs `ncpi compare`
in its own process on generated files (bench/generate.py --shape, into bench/data/) and
divides by `ncpi grades` on the same file, measured in the same run: the ratio is what the
statistics cost on top of reading the file. The shapes: balanced disagreements, large equal
margins, all cases in one area, many four-grade inspections of about 400 cases, and the
benchmark's own files.
"""

from __future__ import annotations

import argparse
import os
import platform
import subprocess
import sys
import time
from pathlib import Path

from run import DATA, HERE, NCPI, PY, measure


def time_call(fn, *args, repeat: int = 3, **kwargs) -> tuple[float, object]:
    """Best of `repeat` wall times of fn(*args, **kwargs) in this process, and its result."""
    best, result = float("inf"), None
    for _ in range(repeat):
        start = time.perf_counter()
        result = fn(*args, **kwargs)
        best = min(best, time.perf_counter() - start)
    return best, result


def statistics() -> None:
    from ncpi_cli.analysis import stats as S

    four = [[0, 200_000, 0, 0], [200_001, 0, 0, 0], [0, 0, 5, 3], [0, 0, 1, 7]]
    calls = [
        ("sign test, 10,000 over / 10,000 under", S.sign_test, (10_000, 10_000)),
        ("sign test, 500,000 over / 500,000 under", S.sign_test, (500_000, 500_000)),
        ("sign test, 499,000 over / 501,000 under", S.sign_test, (499_000, 501_000)),
        ("FFH, 800/800/800 vs 800/800/800", S.fisher_freeman_halton,
         ([800] * 3, [800] * 3)),
        ("Mann-Whitney, 800/800/800 vs 800/800/800", S.mann_whitney, ([800] * 3, [800] * 3)),
        ("Mann-Whitney, 800/800/800 vs 790/800/810", S.mann_whitney,
         ([800] * 3, [790, 800, 810])),
        # the slowest found by scanning equal margins m/m/m(/m) against shifted ones:
        ("FFH, 2460/2460/2460 twice", S.fisher_freeman_halton, ([2460] * 3, [2460] * 3)),
        ("Mann-Whitney, 2000/2000/2000 vs 1996/2000/2004", S.mann_whitney,
         ([2000] * 3, [1996, 2000, 2004])),
        ("FFH, 175 x 4 vs 167/175/175/183", S.fisher_freeman_halton,
         ([175] * 4, [167, 175, 175, 183])),
        ("Mann-Whitney, 45 x 4 vs 37/45/45/53", S.mann_whitney,
         ([45] * 4, [37, 45, 45, 53])),
        ("FFH, 3 grades, 40,000 vs 60,000", S.fisher_freeman_halton,
         ([10_900, 18_100, 11_000], [16_400, 27_300, 16_300])),
        ("FFH, 2 x 2, 500,000 vs 500,000", S.fisher_freeman_halton,
         ([250_000, 250_000], [249_000, 251_000])),
        ("Bowker exact, one pair of 39,998 (19,999 outcomes)", S.bowker_exact,
         ([[0, 20_000, 0], [19_998, 0, 0], [0, 0, 1]],)),
        ("Bowker exact, 400,001 discordant (gives up)", S.bowker_exact, (four,)),
        ("Stuart-Maxwell, 400,000 cases", S.stuart_maxwell, (four,)),
        ("kappa, 400,000 cases", S.kappa, (four,)),
    ]
    print("Part 1: each statistic on its worst inputs, best of 3, in-process\n")
    for label, fn, args in calls:
        seconds, result = time_call(fn, *args)
        method = getattr(result, "method", "")
        print(f"  {label:<52} {seconds * 1000:7.1f} ms  {method}", flush=True)


def ensure(shape: str, n: int) -> Path:
    path = DATA / f"{shape}-{n}.yaml"
    if not path.exists():
        name = "cases" if shape == "benchmark" else shape
        path = DATA / f"{name}-{n}.yaml"
    if not path.exists():
        subprocess.run([PY, str(HERE / "generate.py"), str(n), str(path), "--shape", shape],
                       check=True)
    return path


COMMANDS = {
    "samples": ["compare", "--samples"],
    "samples by area": ["compare", "--samples", "--by", "area"],
    "self-vs-inspector": ["compare", "--self-vs-inspector"],
    "self-vs-inspector by area": ["compare", "--self-vs-inspector", "--by", "area"],
}
FILES = [  # (shape, cases, commands, in --quick)
    ("balanced", 20_000, ["self-vs-inspector"], True),
    ("balanced", 1_000_000, ["self-vs-inspector"], False),
    ("equal-margins", 4_800, ["samples"], True),
    ("one-area", 100_000, ["samples", "self-vs-inspector"], True),
    ("one-area", 1_000_000, ["samples", "self-vs-inspector"], False),
    ("medium-2014", 100_000, list(COMMANDS), True),
    ("benchmark", 100_000, list(COMMANDS), True),
    ("benchmark", 1_000_000, list(COMMANDS), False),
]


def commands(quick: bool, repeat: int) -> None:
    print("\nPart 2: ncpi compare / ncpi grades on the same file, in their own processes\n")
    worst = (0.0, "")
    for shape, n, names, in_quick in FILES:
        if quick and not in_quick:
            continue
        path = ensure(shape, n)
        times = repeat if n <= 100_000 else 1
        grades, mib = measure([*NCPI, "grades", "--data", str(path), "--format", "csv"], times)
        print(f"  {shape} {n:,} cases: ncpi grades {grades:.3f} s, {mib:.0f} MiB", flush=True)
        for name in names:
            seconds, mib = measure([*NCPI, *COMMANDS[name], "--data", str(path),
                                    "--format", "csv"], times)
            ratio = seconds / grades
            print(f"    compare {name:<28} {seconds:8.3f} s {mib:6.0f} MiB "
                  f"{ratio:6.2f} x grades", flush=True)
            worst = max(worst, (ratio, f"compare {name}, {shape} {n:,} cases"))
    print(f"\nworst ratio to ncpi grades on the same file: {worst[0]:.2f} ({worst[1]})")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    print(f"python {platform.python_version()} on {platform.machine()}, "
          f"{os.cpu_count()} cores\n")
    statistics()
    commands(args.quick, args.repeat)


if __name__ == "__main__":
    sys.exit(main())
