"""One plain sentence for each statistic a board paper shows: what the figure means for
this force, with the figure itself. No labels such as "moderate agreement" presented as
facts; a p-value is read as how often chance alone would give so large a difference."""

from __future__ import annotations

from decimal import Decimal

READING = "one sentence on what the figures mean (terminal and report only)"


def _chance(p: Decimal) -> str:
    """A p-value as a frequency: 'about 3 in 1,000 samples'."""
    value = float(p)
    for per in (100, 1_000, 10_000, 100_000):
        count = round(value * per)
        if count >= 1:
            return f"about {count:,} in {per:,} samples"
    return "fewer than 1 in 100,000 samples"


def samples_reading(row: dict) -> str | None:
    """The two samples' grades: do the cases the force chose look like the others?"""
    p = row.get("fisher_exact_p")
    if p is None:
        return None
    if p >= Decimal("0.05"):
        return ("No clear evidence that the inspectors graded the cases the force chose "
                "differently from those they chose themselves: a difference at least this large "
                f"would arise by chance in {_chance(p)} (Fisher–Freeman–Halton p = {p}).")
    return ("The inspectors graded the cases the force chose differently from those they chose "
            f"themselves: a difference this large would arise by chance in only {_chance(p)} "
            f"(Fisher–Freeman–Halton p = {p}).")


def pairing_reading(row: dict) -> str | None:
    """The force's grades against the inspectors' of the same cases."""
    n = row.get("n")
    if not n:
        return None
    if row.get("agree_min") is not None:
        return (f"The report gives only the two totals: the force and the inspectors agreed on "
                f"between {row['agree_min']} and {row['agree_max']} of {n} cases, and the force "
                f"graded more favourably than the inspectors on at least {row['over_min']}.")
    if row.get("agree") is None:
        return None
    text = (f"The force graded more favourably than the inspectors on {row['over']} of {n} "
            f"cases and less favourably on {row['under']}")
    p = row.get("sign_test_p")
    if p is None:
        return text + "."
    return (text + f"; a split at least this one-sided would arise by chance in {_chance(p)} "
                   f"(sign test p = {p}).")
