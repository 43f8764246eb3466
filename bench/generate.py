"""Write SYNTHETIC case-level records for benchmarks: realistic in shape, not in content.

43 fictional forces (synthetic-01 ... synthetic-43), a few inspections each on the ncpi-2017
scale, cases spread over the eight practice areas, a third self-assessed with a force grade
that tends to be kinder than the inspectors'. Seeded: the same arguments write the same bytes.

    python bench/generate.py 100000 bench/data/cases-100k.yaml [--seed 1] [--style flow|block]
        [--shape benchmark|balanced|equal-margins|one-area|medium-2014]

Shapes other than the benchmark are adversarial for the statistics (bench/adversarial.py):
- balanced: n self-assessed cases of one inspection, half over- and half under-graded by
  the force (the exact sign test over n disagreements);
- equal-margins: one inspection, n / 2 cases in each sample, the inspectors' grades spread
  equally over the three grades in both (the largest exact two-sample enumeration);
- one-area: the benchmark's grades, all in one inspection and one practice area;
- medium-2014: inspections of about 400 cases on the four-grade ncpi-2014 scale, where an
  exact two-sample test costs the most per case.
"""

from __future__ import annotations

import argparse
import random
from pathlib import Path

AREAS = ["s46", "s47", "domestic-abuse", "other-referrals", "cse", "missing", "rso", "custody"]
GRADES = ["good", "requires improvement", "inadequate"]
FORCES = 43


def generate(n: int, seed: int = 1, style: str = "flow") -> str:
    rnd = random.Random(seed)
    out = [f"# SYNTHETIC benchmark data: bench/generate.py {n} (seed {seed}, {style}). "
           "No real force, case or person.", "ncpi: 1", "forces:"]
    for f in range(1, FORCES + 1):
        out.append(f"  - {{id: synthetic-{f:02d}, name: Synthetic Force {f:02d}}}")
    out.append("inspections:")
    inspections = []
    for f in range(1, FORCES + 1):
        for year in (2017, 2019, 2021):
            iid = f"synthetic-{f:02d}-{year}"
            inspections.append(iid)
            out.append(f"  - {{id: {iid}, force: synthetic-{f:02d}, kind: inspection, "
                       f"methodology: ncpi-2017, published: {year}-06}}")
    out.append("cases:")
    for i in range(n):
        inspection = inspections[i * len(inspections) // n]
        inspector = rnd.choices(range(3), [3, 5, 3])[0]
        sample = "self-assessed" if rnd.random() < 0.4 else "inspector-selected"
        fields = [("id", f"SX-{i:07d}"), ("inspection", inspection),
                  ("area", rnd.choice(AREAS)), ("sample", sample)]
        if sample == "self-assessed":
            force = max(0, inspector - rnd.choices([0, 1], [5, 4])[0])
            fields.append(("force_grade", GRADES[force]))
        fields.append(("inspector_grade", GRADES[inspector]))
        if style == "flow":
            out.append("  - {" + ", ".join(f"{k}: {v}" for k, v in fields) + "}")
        else:
            out.append(f"  - {fields[0][0]}: {fields[0][1]}")
            out.extend(f"    {k}: {v}" for k, v in fields[1:])
    return "\n".join(out) + "\n"


GRADES_2014 = ["good", "adequate", "requires improvement", "inadequate"]


def adversarial(shape: str, n: int, seed: int = 1) -> str:
    """A file of one of the adversarial shapes (see the module docstring), in flow style."""
    rnd = random.Random(seed)
    methodology = "ncpi-2014" if shape == "medium-2014" else "ncpi-2017"
    inspections = max(1, round(n / 400)) if shape == "medium-2014" else 1
    out = [f"# SYNTHETIC adversarial data: bench/generate.py {n} --shape {shape} (seed {seed})."
           " No real force, case or person.", "ncpi: 1", "forces:",
           "  - {id: synthetic-01, name: Synthetic Force 01}", "inspections:"]
    for i in range(inspections):
        out.append(f"  - {{id: synthetic-01-i{i:04d}, force: synthetic-01, kind: inspection, "
                   f"methodology: {methodology}, published: {2014 + i % 10}-06}}")
    out.append("cases:")
    over = [(0, 1), (1, 2)]    # (force, inspector): the force's grade better
    under = [(1, 0), (2, 1)]
    for i in range(n):
        inspection = f"synthetic-01-i{i * inspections // n:04d}"
        area = "s47"
        if shape == "balanced":
            sample = "self-assessed"
            force, inspector = (over if i % 2 == 0 else under)[i // 2 % 2]
        elif shape == "equal-margins":
            sample = "self-assessed" if i % 2 == 0 else "inspector-selected"
            inspector = force = i // 2 % 3
        elif shape == "one-area":
            inspector = rnd.choices(range(3), [3, 5, 3])[0]
            sample = "self-assessed" if rnd.random() < 0.4 else "inspector-selected"
            force = max(0, inspector - rnd.choices([0, 1], [5, 4])[0])
        else:  # medium-2014
            area = rnd.choice(AREAS)
            inspector = rnd.choices(range(4), [2, 3, 3, 2])[0]
            sample = "self-assessed" if rnd.random() < 0.5 else "inspector-selected"
            force = max(0, inspector - rnd.choices([0, 1], [5, 4])[0])
        grades = GRADES_2014 if shape == "medium-2014" else GRADES
        fields = [("id", f"SX-{i:07d}"), ("inspection", inspection), ("area", area),
                  ("sample", sample)]
        if sample == "self-assessed":
            fields.append(("force_grade", grades[force]))
        fields.append(("inspector_grade", grades[inspector]))
        out.append("  - {" + ", ".join(f"{k}: {v}" for k, v in fields) + "}")
    return "\n".join(out) + "\n"


SHAPES = ["benchmark", "balanced", "equal-margins", "one-area", "medium-2014"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("n", type=int)
    parser.add_argument("out", type=Path)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--style", choices=["flow", "block"], default="flow")
    parser.add_argument("--shape", choices=SHAPES, default="benchmark")
    args = parser.parse_args()
    args.out.parent.mkdir(parents=True, exist_ok=True)
    text = (generate(args.n, args.seed, args.style) if args.shape == "benchmark"
            else adversarial(args.shape, args.n, args.seed))
    args.out.write_text(text, encoding="utf-8")


if __name__ == "__main__":
    main()
