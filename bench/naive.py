"""The straightforward script a user would write: PyYAML safe_load, then pandas crosstabs.

It does no validation at all (no line numbers, no duplicate keys, YAML 1.1 coercions kept),
so it is a lower bound on the work, not an equal: ncpi must still be faster.

    python bench/naive.py FILE grades|compare
"""

from __future__ import annotations

import sys

import pandas as pd
import yaml


def main() -> None:
    path, what = sys.argv[1], sys.argv[2]
    with open(path, encoding="utf-8") as handle:
        data = yaml.safe_load(handle)
    cases = pd.DataFrame(data["cases"])
    if what == "grades":
        table = pd.crosstab([cases["inspection"], cases["area"]], cases["inspector_grade"])
    else:
        paired = cases[cases["sample"] == "self-assessed"]
        table = pd.crosstab([paired["inspection"], paired["force_grade"]],
                            paired["inspector_grade"])
    table.to_csv(sys.stdout)


if __name__ == "__main__":
    main()
