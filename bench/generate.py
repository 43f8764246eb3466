"""Write SYNTHETIC case-level records for benchmarks: realistic in shape, not in content.

43 fictional forces (synthetic-01 ... synthetic-43), a few inspections each on the ncpi-2017
scale, cases spread over the eight practice areas, a third self-assessed with a force grade
that tends to be kinder than the inspectors'. Seeded: the same arguments write the same bytes.

    python bench/generate.py 100000 bench/data/cases-100k.yaml [--seed 1] [--style flow|block]
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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("n", type=int)
    parser.add_argument("out", type=Path)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--style", choices=["flow", "block"], default="flow")
    args = parser.parse_args()
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(generate(args.n, args.seed, args.style), encoding="utf-8")


if __name__ == "__main__":
    main()
