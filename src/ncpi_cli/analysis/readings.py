"""One plain sentence for each statistic a board paper shows: what the figure means for
this force, with the figure itself. No labels such as "moderate agreement" presented as
facts; a p-value is read as how often chance alone would give so large a difference."""

from __future__ import annotations

from decimal import Decimal

READING = "one sentence on what the figures mean (terminal and report only)"


def _chance(p: Decimal) -> str:
    """A p-value as a frequency: 'about 3 in 1,000 samples'."""
    value = float(p)
    if value >= 0.995:
        return "nearly every sample"
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


def _reached(value: Decimal) -> str:
    if value < 0:
        return "less agreement than chance alone would give"
    return f"{float(value):.0%} of the agreement possible beyond chance"


def coefficient_readings(row: dict) -> dict[str, str]:
    """One sentence for each agreement coefficient in the row: what its number says about
    these two sets of grades (what chance is taken to be differs between them)."""
    k = sum(1 for key in row if key.startswith("force_") and key.endswith("_pct")
            and row[key] is not None)
    words: dict[str, str] = {}
    value = row.get("kappa")
    if value is not None:
        most = row.get("kappa_max")
        words["kappa"] = ("Against the agreement the two sets of grade totals would give by "
                          f"chance, the force and the inspectors reached {_reached(value)}"
                          + (f"; these totals allow at most {most}." if most is not None
                             else "."))
    if row.get("kappa_linear") is not None:
        words["kappa_linear"] = ("The same, with grades one step apart counted as partial "
                                 f"agreement: {_reached(row['kappa_linear'])}.")
    if row.get("ac1") is not None:
        words["ac1"] = ("Against chance agreement that does not swell when most cases share one "
                        f"grade, they reached {_reached(row['ac1'])}.")
    for key, weights in (("ac2_linear", "linear"), ("ac2_quadratic", "quadratic")):
        if row.get(key) is not None:
            words[key] = (f"As AC1, with near misses counted in part ({weights} weights): "
                          f"{_reached(row[key])}.")
    if row.get("bp") is not None and k:
        words["bp"] = (f"Against chance agreement of 1 in {k} (every grade equally likely), "
                       f"they reached {_reached(row['bp'])}.")
    for key, how in (("alpha_ordinal", "weighed by how far apart the grades were"),
                     ("alpha_nominal", "counting every mismatch alike")):
        value = row.get(key)
        if value is not None:
            words[key] = (f"Their disagreement, {how}, is {1 - float(value):.0%} of what "
                          "pairing the same grades at random would give.")
    prevalence, bias = row.get("prevalence_index"), row.get("bias_index")
    if prevalence is not None and bias is not None:
        lean = "good" if prevalence >= 0 else "not good"
        points = abs(float(bias)) * 100
        where = "the same as" if round(points) == 0 else (
            f"{points:.0f} points {'above' if bias > 0 else 'below'}")
        other = "not good" if lean == "good" else "good"
        words["prevalence_bias"] = (
            f"Cases both graded {lean} outnumber cases both graded {other} by "
            f"{abs(float(prevalence)) * 100:.0f} in every 100 (the skew that lowers kappa); the "
            f"share of cases the force graded good is {where} the inspectors' share.")
    return words
