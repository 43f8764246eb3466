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
