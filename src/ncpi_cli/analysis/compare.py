"""The force's self-assessment against the inspectors' grading of the same cases.

From case records the pairing is known: exact agreement, over- and under-grading, and the
full force x inspector table. From published tallies only the two margins are known, so
the pairing figures are exact ranges (see `bounds`), never point estimates.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from ncpi_cli import domain
from ncpi_cli.errors import SelectionError
from ncpi_cli.model import Dataset, Tally

from . import stats
from .bounds import PairingBounds, pairing_bounds
from .common import (
    NO_FILTERS,
    SMALL_SAMPLE,
    Filters,
    Profile,
    Result,
    Usage,
    case_profiles,
    check_filters,
    diff_pp,
    fixed,
    pct,
    scale_columns,
    scope_reason,
    significant,
    stated_total_mismatch,
    wilson_pct,
)

SELF = "self-assessed"


@dataclass
class Pairing:
    """Force and inspector grades of one group of self-assessed cases."""

    force: str
    inspection: str
    area: str
    basis: str
    scale: tuple[str, ...]
    force_counts: dict[str, int]
    inspector_counts: dict[str, int]
    #: case basis only: (force grade, inspector grade) -> cases
    table: dict[tuple[str, str], int] | None = None
    notes: list[str] = field(default_factory=list)

    @property
    def n(self) -> int | None:
        f, i = sum(self.force_counts.values()), sum(self.inspector_counts.values())
        return f if f == i else None

    def matrix(self) -> list[list[int]]:
        """The case-level table as rows (force) of columns (inspectors), best to worst."""
        return [[self.table[(f, i)] for i in self.scale] for f in self.scale]

    def bounds(self) -> PairingBounds | None:
        if self.table is not None or self.n is None:
            return None
        return pairing_bounds([self.force_counts[g] for g in self.scale],
                              [self.inspector_counts[g] for g in self.scale])


def pairings(dataset: Dataset, filters: Filters = NO_FILTERS, by_area: bool = False,
             usage: Usage | None = None) -> list[Pairing]:
    """Every force-vs-inspector comparison the data supports, in the documented order."""
    check_filters(dataset, filters)
    if filters.sample not in (None, SELF):
        raise SelectionError(f"compare --self-vs-inspector uses the self-assessed sample only, "
                         f"not '{filters.sample}'")
    usage = usage if usage is not None else Usage()
    out = _from_tallies(dataset, filters, by_area, usage)
    out.extend(_from_cases(dataset, filters, by_area, usage))
    out.sort(key=lambda p: (p.force, p.inspection, domain.BASES.index(p.basis),
                            domain.area_order(p.area)))
    return out


def _wanted_area(area: str, filters: Filters, by_area: bool) -> bool:
    if filters.area:
        return area == filters.area
    return by_area or area == domain.ALL


def _from_tallies(dataset: Dataset, filters: Filters, by_area: bool,
                  usage: Usage) -> list[Pairing]:
    pairs: dict[tuple[str, str], dict[str, Tally]] = {}
    for tally in dataset.tallies:
        reason = scope_reason(dataset, tally.inspection, filters)
        if reason is None and tally.sample != SELF:
            reason = f"sample {tally.sample} (the comparison uses self-assessed cases)"
        if reason is None and not _wanted_area(tally.area, filters, by_area):
            reason = "outside --area" if filters.area else "per-area tally (use --by area)"
        if reason:
            usage.exclude("tallies", reason)
            continue
        pairs.setdefault((tally.inspection, tally.area), {})[tally.assessor] = tally
    out = []
    for (inspection_id, area), by_assessor in pairs.items():
        inspection = dataset.inspections[inspection_id]
        if len(by_assessor) < 2:
            (only,) = by_assessor.values()
            missing = "inspector" if only.assessor == "force" else "force"
            usage.exclude("tallies", f"no {missing} tally of the same cases to compare with")
            continue
        usage.use("tallies", 2)
        force_t, insp_t = by_assessor["force"], by_assessor["inspector"]
        pairing = Pairing(inspection.force, inspection_id, area, "published", inspection.scale,
                          dict(force_t.counts), dict(insp_t.counts))
        pairing.notes.extend(m for t in (force_t, insp_t) if (m := stated_total_mismatch(t)))
        if pairing.n is None:
            pairing.notes.append(
                f"the force's tally ({force_t.origin}) has {force_t.total} cases and the "
                f"inspectors' ({insp_t.origin}) {insp_t.total}: they cannot be the same cases, "
                "so no pairing range is given")
        out.append(pairing)
    return out


def _from_cases(dataset: Dataset, filters: Filters, by_area: bool,
                usage: Usage) -> list[Pairing]:
    groups: dict[tuple[str, str], Counter] = {}
    for case, n in case_profiles(dataset).items():
        reason = _case_reason(dataset, case, filters)
        if reason:
            usage.exclude("cases", reason, n)
            continue
        usage.use("cases", n)
        areas = [domain.ALL] if filters.area in (None, domain.ALL) else []
        if by_area or filters.area == case.area:
            areas.append(case.area)
        for area in areas:
            groups.setdefault((case.inspection, area), Counter())[
                (case.force_grade, case.inspector_grade)] += n
    out = []
    for (inspection_id, area), table in groups.items():
        inspection = dataset.inspections[inspection_id]
        scale = inspection.scale
        force_counts = {g: sum(v for (f, _), v in table.items() if f == g) for g in scale}
        insp_counts = {g: sum(v for (_, i), v in table.items() if i == g) for g in scale}
        full = {(f, i): table.get((f, i), 0) for f in scale for i in scale}
        out.append(Pairing(inspection.force, inspection_id, area, "cases", scale, force_counts,
                           insp_counts, full))
    return out


def _case_reason(dataset: Dataset, case: Profile, filters: Filters) -> str | None:
    reason = scope_reason(dataset, case.inspection, filters)
    if reason:
        return reason
    if case.sample != SELF:
        return f"sample {case.sample} (the comparison uses self-assessed cases)"
    if case.inspector_grade is None or case.force_grade is None:
        return "self-audit case without an inspector grade"
    if filters.area not in (None, domain.ALL) and case.area != filters.area:
        return "outside --area"
    return None


ROW_KEYS = ("force", "inspection", "area", "basis")
RANGE_KEYS = ("agree_min", "agree_max", "over_min", "over_max", "under_min", "under_max")
STAT_KEYS = ("mean_gap", "sign_test_p", "kappa", "kappa_se", "kappa_ci_low", "kappa_ci_high",
             "kappa_max", "kappa_linear", "kappa_linear_se", "kappa_linear_ci_low",
             "kappa_linear_ci_high", "bowker", "bowker_df", "bowker_p", "bowker_exact_p",
             "stuart_maxwell", "stuart_maxwell_df", "stuart_maxwell_p")


def compare_columns(grade_keys: list[str]) -> list[str]:
    columns = [*ROW_KEYS, "n", "small_sample"]
    for who in domain.ASSESSORS:
        for g in grade_keys:
            columns += [f"{who}_{g}", f"{who}_{g}_pct", f"{who}_{g}_ci_low",
                        f"{who}_{g}_ci_high"]
    columns += [f"{g}_diff_pp" for g in grade_keys]
    columns += ["agree", "agree_pct", "agree_ci_low", "agree_ci_high", "over", "over_pct",
                "under", "under_pct", *RANGE_KEYS, *STAT_KEYS, "note"]
    return columns


def self_vs_inspector(dataset: Dataset, filters: Filters = NO_FILTERS,
                      by_area: bool = False) -> Result:
    """The `compare --self-vs-inspector` rows: distributions on both bases; agreement
    statistics on the case basis; exact ranges on the published basis."""
    usage = Usage()
    found = pairings(dataset, filters, by_area, usage)
    grade_keys = scale_columns([p.scale for p in found])
    rows = []
    mismatches: list[str] = []
    for p in found:
        row: dict[str, object] = dict.fromkeys(compare_columns(grade_keys))
        row.update({k: getattr(p, k) for k in ROW_KEYS})
        notes = list(p.notes)
        _distributions(row, p, grade_keys)
        if p.table is not None:
            notes += _case_statistics(row, p)
        else:
            notes += _published_ranges(row, p)
        if p.n is not None and p.n < SMALL_SAMPLE:
            notes.append(f"small sample (n = {p.n}, under {SMALL_SAMPLE}): intervals and "
                         "tests are unreliable")
        row["small_sample"] = None if p.n is None else p.n < SMALL_SAMPLE
        row["note"] = "; ".join(notes) or None
        mismatches.extend(f"{p.inspection} ({p.area}): {n}" for n in p.notes)
        rows.append(row)
    usage.finish(dataset, {p.inspection for p in found})
    empty = [] if rows else ["no self-assessed cases or tallies match these filters"]
    result = Result("compare", compare_columns(grade_keys), rows, usage, empty, mismatches)
    result.json_extras = ["table"]
    return result


def _distributions(row: dict, p: Pairing, grade_keys: list[str]) -> None:
    counts = {"force": p.force_counts, "inspector": p.inspector_counts}
    totals = {who: sum(c.values()) for who, c in counts.items()}
    for who in domain.ASSESSORS:
        for g in grade_keys:
            if g not in p.scale:
                continue
            count = counts[who][g]
            row[f"{who}_{g}"] = count
            row[f"{who}_{g}_pct"] = pct(count, totals[who])
            row[f"{who}_{g}_ci_low"], row[f"{who}_{g}_ci_high"] = wilson_pct(count, totals[who])
    for g in grade_keys:
        if g in p.scale:
            row[f"{g}_diff_pp"] = diff_pp(p.force_counts[g], totals["force"],
                                          p.inspector_counts[g], totals["inspector"])
    row["n"] = p.n


def _published_ranges(row: dict, p: Pairing) -> list[str]:
    bounds = p.bounds()
    if bounds is None:
        return []
    row.update(zip(RANGE_KEYS, (bounds.agree.low, bounds.agree.high, bounds.over.low,
                                bounds.over.high, bounds.under.low, bounds.under.high)))
    return ["published totals only: which force grade went with which inspector grade is not "
            "published, so agreement, over- and under-grading are exact ranges over every "
            "possible pairing, and no kappa or paired test is given"]


def _case_statistics(row: dict, p: Pairing) -> list[str]:
    table = p.matrix()
    n = p.n
    notes: list[str] = []
    agree, over, under = stats.agreement(table)
    row.update(agree=agree, over=over, under=under, agree_pct=pct(agree, n),
               over_pct=pct(over, n), under_pct=pct(under, n))
    row["agree_ci_low"], row["agree_ci_high"] = wilson_pct(agree, n)
    row["table"] = {"grades": list(p.scale), "rows": "force", "columns": "inspector",
                    "counts": table}
    row["mean_gap"] = fixed(stats.mean_gap(table), 3)
    row["sign_test_p"] = significant(stats.sign_test(over, under))
    for prefix, weights in (("kappa", "none"), ("kappa_linear", "linear")):
        k = stats.kappa(table, weights)
        if k.status == "ok":
            row[prefix] = fixed(k.kappa, 3)
            row[f"{prefix}_se"] = fixed(k.se, 3)
            row[f"{prefix}_ci_low"] = fixed(k.low, 3)
            row[f"{prefix}_ci_high"] = fixed(k.high, 3)
            if k.clipped:
                notes.append(f"{prefix} interval (asymptotic, approximate) runs past the "
                             "range of kappa and is clipped to [-1, 1]")
    status = stats.kappa(table).status
    if status == "undefined":
        notes.append(_kappa_undefined(p, table))
    elif status == "degenerate":
        notes.append(_kappa_degenerate(p, table))
    else:
        row["kappa_max"] = fixed(stats.kappa_max(table), 3)
    if over + under == 0:
        notes.append("no disagreements: the sign test, Bowker's and the Stuart-Maxwell tests "
                     "are not computable")
        return notes
    sym = stats.bowker(table)
    row.update(bowker=fixed(sym.statistic, 3), bowker_df=sym.df, bowker_p=significant(sym.p))
    row["bowker_exact_p"] = significant(stats.bowker_exact(table))
    if row["bowker_exact_p"] is None:
        notes.append("exact Bowker p not computed (too many outcomes to enumerate): use the "
                     "asymptotic p")
    hom = stats.stuart_maxwell(table)
    row.update(stuart_maxwell=fixed(hom.statistic, 3), stuart_maxwell_df=hom.df,
               stuart_maxwell_p=significant(hom.p))
    idle = [domain.GRADE_LABELS[g] for i, g in enumerate(p.scale)
            if not any(table[i][j] + table[j][i] for j in range(len(p.scale)) if j != i)]
    if idle:
        notes.append(f"Stuart-Maxwell: grades without disagreements dropped "
                     f"({', '.join(idle)}), df {hom.df}")
    return notes


def _single(counts: list[int], scale: tuple[str, ...]) -> str | None:
    used = [g for g, c in zip(scale, counts) if c]
    return domain.GRADE_LABELS[used[0]] if len(used) == 1 else None


def _kappa_undefined(p: Pairing, table: list[list[int]]) -> str:
    grade = _single([sum(r) for r in table], p.scale)
    return (f"kappa undefined: force and inspectors graded every case '{grade}', so chance "
            "agreement is total")


def _kappa_degenerate(p: Pairing, table: list[list[int]]) -> str:
    force_grade = _single([sum(r) for r in table], p.scale)
    who, grade = (("force", force_grade) if force_grade else
                  ("inspectors", _single([sum(c) for c in zip(*table)], p.scale)))
    return (f"kappa not reported: the {who} used one grade only ('{grade}'), so kappa is 0 "
            "whatever the agreement")


def cross_table(dataset: Dataset, filters: Filters = NO_FILTERS, by_area: bool = False) -> Result:
    """The full force x inspector table of each case-level group, zero cells kept.

    One row per force grade; published groups have no table (their pairing is unknown)."""
    usage = Usage()
    found = [p for p in pairings(dataset, filters, by_area, usage) if p.table is not None]
    grade_keys = scale_columns([p.scale for p in found])
    columns = [*ROW_KEYS, "force_grade", *(f"inspector_{g}" for g in grade_keys), "total"]
    rows = []
    for p in found:
        for fg in p.scale:
            row: dict[str, object] = {k: getattr(p, k) for k in ROW_KEYS}
            row["force_grade"] = fg
            for ig in grade_keys:
                row[f"inspector_{ig}"] = p.table[(fg, ig)] if ig in p.scale else None
            row["total"] = p.force_counts[fg]
            rows.append(row)
    usage.finish(dataset, {p.inspection for p in found})
    notes = [] if rows else ["no case-level records match: a force x inspector table needs "
                             "case records (published tallies do not give the pairing)"]
    return Result("compare-table", columns, rows, usage, notes)
