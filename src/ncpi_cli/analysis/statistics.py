"""The statistics of `compare --self-vs-inspector` on the case basis, as a registry.

Like csvkit's csvstat list of operations: each entry is a name, a function of the force x
inspector table, the columns it fills (declared once, here) and a note on the method.
Adding a statistic is its function plus one entry; the columns, CSV, JSON, the terminal
and the README check follow from the entry. Entries run in order, and their notes go to
the row's `note` in that order.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from ncpi_cli import domain
from ncpi_cli.result import Column, Kind

from . import stats
from .common import fixed, significant


@dataclass(frozen=True)
class Paired:
    """One case-level group: the table (rows force, columns inspectors, best to worst)."""

    scale: tuple[str, ...]
    table: list[list[int]]
    over: int
    under: int


@dataclass
class Outcome:
    values: dict[str, object] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Statistic:
    name: str
    function: Callable[[Paired], Outcome]
    columns: tuple[Column, ...]
    note: str


def _mean_gap(p: Paired) -> Outcome:
    return Outcome({"mean_gap": fixed(stats.mean_gap(p.table), 3)})


def _sign_test(p: Paired) -> Outcome:
    return Outcome({"sign_test_p": significant(stats.sign_test(p.over, p.under))})


def _kappa(prefix: str, weights: str) -> Callable[[Paired], Outcome]:
    def run(p: Paired) -> Outcome:
        k = stats.kappa(p.table, weights)
        out = Outcome()
        if k.status == "ok":
            out.values = {prefix: fixed(k.kappa, 3), f"{prefix}_se": fixed(k.se, 3),
                          f"{prefix}_ci_low": fixed(k.low, 3),
                          f"{prefix}_ci_high": fixed(k.high, 3)}
            if k.clipped:
                out.notes.append(f"{prefix} interval (asymptotic, approximate) runs past the "
                                 "range of kappa and is clipped to [-1, 1]")
        elif prefix == "kappa":
            out.notes.append(_kappa_absent(k.status, p))
        return out

    return run


def _chance_corrected(prefix: str, function: Callable, weights: str,
                      label: str) -> Callable[[Paired], Outcome]:
    def run(p: Paired) -> Outcome:
        c = function(p.table, weights)
        if c is None:
            return Outcome()
        out = Outcome({prefix: fixed(c.value, 3), f"{prefix}_se": fixed(c.se, 3),
                       f"{prefix}_ci_low": fixed(c.low, 3),
                       f"{prefix}_ci_high": fixed(c.high, 3)})
        if c.se is None:
            out.notes.append(f"{label}: no standard error from a single case")
        elif c.clipped:
            out.notes.append(f"{label} interval runs past [-1, 1] and is clipped")
        return out

    return run


def _alpha(p: Paired) -> Outcome:
    values: dict[str, object] = {}
    for level in ("ordinal", "nominal"):
        values[f"alpha_{level}"] = fixed(stats.krippendorff_alpha(p.table, level), 3)
        boot = stats.alpha_bootstrap(p.table, level)
        if boot is not None:
            values[f"alpha_{level}_ci_low"] = fixed(boot.low, 3)
            values[f"alpha_{level}_ci_high"] = fixed(boot.high, 3)
            values["alpha_interval"] = (f"percentile bootstrap of the cases, {boot.draws:,} "
                                        f"draws, seed {boot.seed}")
            if boot.undefined:
                values["alpha_interval"] += (f"; {boot.undefined} draws with one grade only "
                                             "left out")
    if values["alpha_ordinal"] is None:
        return Outcome(values, ["Krippendorff's alpha undefined: every grade given was the "
                                "same"])
    return Outcome(values)


def _prevalence_bias(p: Paired) -> Outcome:
    """Byrt, Bishop and Carlin (1993), on the two-by-two table good / not good: how far the
    grading leans to one grade (prevalence) and how far the two assessors' shares of good
    differ (bias). Both push kappa away from PABAK."""
    n = sum(map(sum, p.table))
    if n == 0 or p.scale[0] != "good":
        return Outcome()
    a = p.table[0][0]
    b = sum(p.table[0][1:])
    c = sum(row[0] for row in p.table[1:])
    d = n - a - b - c
    return Outcome({"prevalence_index": fixed((a - d) / n, 3),
                    "bias_index": fixed((b - c) / n, 3)})


_ALPHA = "Krippendorff's alpha (two assessors)"
_ALPHA_CI = ("95% percentile bootstrap interval of that alpha (cases resampled; draws and "
             "seed in `alpha_interval`)")
#: kappa this far below AC1, on agreement at least this high, is the kappa paradox
PARADOX_GAP, PARADOX_AGREEMENT = 0.3, 0.7


def _paradox(p: Paired) -> Outcome:
    """Feinstein and Cicchetti (1990): on skewed margins kappa can be low while agreement is
    high; AC1 does not fall with the skew, so a wide gap between them flags it."""
    k, ac1 = stats.kappa(p.table), stats.gwet_ac(p.table)
    n = sum(map(sum, p.table))
    agreed = sum(p.table[i][i] for i in range(len(p.table)))
    if k.status != "ok" or ac1 is None or n == 0:
        return Outcome()
    if agreed / n >= PARADOX_AGREEMENT and ac1.value - k.kappa >= PARADOX_GAP:
        return Outcome(notes=[
            f"kappa paradox: the assessors agreed on {agreed} of {n} cases, yet kappa is "
            f"{k.kappa:.3f} against AC1 {ac1.value:.3f}, because most cases sit in one grade; "
            "read kappa beside AC1 and kappa_max"])
    return Outcome()


def _kappa_max(p: Paired) -> Outcome:
    if stats.kappa(p.table).status != "ok":
        return Outcome()
    return Outcome({"kappa_max": fixed(stats.kappa_max(p.table), 3)})


def _bowker(p: Paired) -> Outcome:
    if p.over + p.under == 0:
        return Outcome(notes=["no disagreements: the sign test, Bowker's and the "
                              "Stuart-Maxwell tests are not computable"])
    sym = stats.bowker(p.table)
    out = Outcome({"bowker": fixed(sym.statistic, 3), "bowker_df": sym.df,
                   "bowker_p": significant(sym.p),
                   "bowker_exact_p": significant(stats.bowker_exact(p.table))})
    if out.values["bowker_exact_p"] is None:
        out.notes.append("exact Bowker p not computed (too many outcomes to enumerate): use "
                         "the asymptotic p")
    return out


def _stuart_maxwell(p: Paired) -> Outcome:
    if p.over + p.under == 0:
        return Outcome()
    hom = stats.stuart_maxwell(p.table)
    out = Outcome({"stuart_maxwell": fixed(hom.statistic, 3), "stuart_maxwell_df": hom.df,
                   "stuart_maxwell_p": significant(hom.p)})
    k = len(p.scale)
    idle = [domain.GRADE_LABELS[g] for i, g in enumerate(p.scale)
            if not any(p.table[i][j] + p.table[j][i] for j in range(k) if j != i)]
    if idle:
        out.notes.append(f"Stuart-Maxwell: grades without disagreements dropped "
                         f"({', '.join(idle)}), df {hom.df}")
    return out


def _single(counts: list[int], scale: tuple[str, ...]) -> str | None:
    used = [g for g, c in zip(scale, counts) if c]
    return domain.GRADE_LABELS[used[0]] if len(used) == 1 else None


def _kappa_absent(status: str, p: Paired) -> str:
    force_grade = _single([sum(r) for r in p.table], p.scale)
    if status == "undefined":
        return (f"kappa undefined: force and inspectors graded every case '{force_grade}', so "
                "chance agreement is total")
    who, grade = (("force", force_grade) if force_grade else
                  ("inspectors", _single([sum(c) for c in zip(*p.table)], p.scale)))
    return (f"kappa not reported: the {who} used one grade only ('{grade}'), so kappa is 0 "
            "whatever the agreement")


def _kappa_columns(prefix: str, meaning: str) -> tuple[Column, ...]:
    return (Column(prefix, Kind.STATISTIC, meaning),
            Column(f"{prefix}_se", Kind.STATISTIC, meaning),
            Column(f"{prefix}_ci_low", Kind.INTERVAL, meaning),
            Column(f"{prefix}_ci_high", Kind.INTERVAL, meaning))


_BOWKER = "Bowker's test of symmetry (chi-square)"
_STUART = "Stuart–Maxwell test of marginal homogeneity"
REGISTRY: tuple[Statistic, ...] = (
    Statistic("mean gap", _mean_gap, (Column(
        "mean_gap", Kind.STATISTIC, "mean of (inspectors' grade − force's grade) in scale "
        "steps; positive when the force graded more favourably"),),
        "three decimals"),
    Statistic("sign test", _sign_test, (Column(
        "sign_test_p", Kind.P_VALUE, "exact two-sided sign test of over- against "
        "under-grading (agreements excluded)"),),
        "exact binomial, four significant figures"),
    Statistic("kappa", _kappa("kappa", "none"), _kappa_columns(
        "kappa", "Cohen's kappa, its asymptotic standard error (Fleiss, Cohen & Everitt "
        "1969: SAS's ASE) and a 95% Wald interval (approximate)"),
        "undefined or degenerate on one-grade margins: the note says why"),
    Statistic("largest kappa", _kappa_max, (Column(
        "kappa_max", Kind.STATISTIC, "the largest kappa the two assessors' margins allow "
        "(Cohen 1960)"),), "only where kappa is reported"),
    Statistic("linear-weighted kappa", _kappa("kappa_linear", "linear"), _kappa_columns(
        "kappa_linear", "linear-weighted kappa, its standard error and 95% Wald interval, "
        "as for `kappa`"), "weights 1 - |i - j| / (k - 1)"),
    Statistic("Gwet's AC1", _chance_corrected("ac1", stats.gwet_ac, "none", "AC1"),
              _kappa_columns("ac1", "Gwet's AC1 (chance agreement from the mean grade shares: "
                             "robust to skewed grading), Gwet's standard error and a 95% "
                             "normal interval, clipped to [-1, 1]"),
              "Gwet 2008; variance as irrCAC, interval normal rather than t"),
    Statistic("Gwet's AC2, linear", _chance_corrected("ac2_linear", stats.gwet_ac, "linear",
                                                      "AC2 (linear)"),
              _kappa_columns("ac2_linear", "Gwet's AC2 with linear weights (1 minus the grades' "
                             "distance over k - 1), standard error and interval as for `ac1`"),
              "ordinal: near misses count in part"),
    Statistic("Gwet's AC2, quadratic", _chance_corrected(
        "ac2_quadratic", stats.gwet_ac, "quadratic", "AC2 (quadratic)"),
              _kappa_columns("ac2_quadratic", "Gwet's AC2 with quadratic weights (1 minus the "
                             "squared distance over (k - 1)²), standard error and interval as "
                             "for `ac1`"),
              "ordinal"),
    Statistic("Brennan-Prediger", _chance_corrected("bp", stats.brennan_prediger, "none",
                                                    "Brennan-Prediger"),
              _kappa_columns("bp", "Brennan–Prediger coefficient (chance agreement 1/k; PABAK "
                             "on two grades), Gwet's standard error, interval as for `ac1`"),
              "uniform chance agreement"),
    Statistic("prevalence and bias", _prevalence_bias, (
        Column("prevalence_index", Kind.STATISTIC, "Byrt, Bishop & Carlin's prevalence index "
               "on good / not good: (both good − both not good) / n"),
        Column("bias_index", Kind.STATISTIC, "their bias index on good / not good: (force "
               "good and inspectors not − the reverse) / n; positive when the force gave "
               "good more often")),
        "defined on two grades: the scale collapsed to good / not good"),
    Statistic("Krippendorff's alpha", _alpha, (
        Column("alpha_ordinal", Kind.STATISTIC, _ALPHA + ", ordinal distance (grades in the "
               "methodology's order)"),
        Column("alpha_ordinal_ci_low", Kind.INTERVAL, _ALPHA_CI),
        Column("alpha_ordinal_ci_high", Kind.INTERVAL, _ALPHA_CI),
        Column("alpha_nominal", Kind.STATISTIC, _ALPHA + ", nominal distance"),
        Column("alpha_nominal_ci_low", Kind.INTERVAL, _ALPHA_CI),
        Column("alpha_nominal_ci_high", Kind.INTERVAL, _ALPHA_CI),
        Column("alpha_interval", Kind.TEXT, "how the alpha intervals were drawn")),
        "percentile bootstrap, seeded"),
    Statistic("kappa paradox", _paradox, (), "a note only"),
    Statistic("Bowker", _bowker, (
        Column("bowker", Kind.STATISTIC, _BOWKER), Column("bowker_df", Kind.STATISTIC, _BOWKER),
        Column("bowker_p", Kind.P_VALUE, _BOWKER),
        Column("bowker_exact_p", Kind.P_VALUE, "its exact conditional p: given each pair of "
               "grades' number of disagreements s, the split is Binomial(s, ½)")),
        "pairs of grades without disagreements are left out of the statistic and of df"),
    Statistic("Stuart-Maxwell", _stuart_maxwell, (
        Column("stuart_maxwell", Kind.STATISTIC, _STUART),
        Column("stuart_maxwell_df", Kind.STATISTIC, _STUART),
        Column("stuart_maxwell_p", Kind.P_VALUE, _STUART)),
        "grades without disagreements are dropped (a generalized inverse); df as used"),
)


def compute(p: Paired) -> Outcome:
    """Every registered statistic of one table, with their notes in registry order."""
    out = Outcome()
    for statistic in REGISTRY:
        result = statistic.function(p)
        out.values.update(result.values)
        out.notes.extend(result.notes)
    return out


def columns() -> tuple[Column, ...]:
    return tuple(c for s in REGISTRY for c in s.columns)
