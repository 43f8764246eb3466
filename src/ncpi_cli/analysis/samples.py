"""Were the cases the force chose representative? The inspectors' grades of the
self-assessed sample against their grades of the cases they selected themselves.

The two samples are different cases, so independent-sample tests are valid here (unlike
force vs inspector grades of the same cases): Fisher-Freeman-Halton for any difference in
distribution, and Mann-Whitney (rank-sum, with ties) for an ordinal shift.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from ncpi_cli import domain
from ncpi_cli.errors import SelectionError
from ncpi_cli.model import Dataset

from . import stats
from .common import (
    NO_FILTERS,
    SMALL_SAMPLE,
    Filters,
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

SELF, SELECTED = domain.SAMPLES
PREFIX = {SELF: "self_assessed", SELECTED: "inspector_selected"}


@dataclass
class SampleComparison:
    force: str
    inspection: str
    area: str
    basis: str
    scale: tuple[str, ...]
    counts: dict[str, dict[str, int]]
    notes: list[str] = field(default_factory=list)


def sample_comparisons(dataset: Dataset, filters: Filters = NO_FILTERS, by_area: bool = False,
                       usage: Usage | None = None) -> list[SampleComparison]:
    check_filters(dataset, filters)
    if filters.sample is not None:
        raise SelectionError("compare --samples compares the two samples: --sample does not apply")
    usage = usage if usage is not None else Usage()

    def wanted(area: str) -> bool:
        return area == filters.area if filters.area else (by_area or area == domain.ALL)

    out: list[SampleComparison] = []
    published: dict[tuple[str, str], dict] = {}
    for tally in dataset.tallies:
        reason = scope_reason(dataset, tally.inspection, filters)
        if reason is None and (tally.assessor != "inspector" or tally.sample == domain.ALL):
            reason = "not an inspectors' tally of one sample"
        if reason is None and not wanted(tally.area):
            reason = "outside --area" if filters.area else "per-area tally (use --by area)"
        if reason:
            usage.exclude("tallies", reason)
            continue
        published.setdefault((tally.inspection, tally.area), {})[tally.sample] = tally
    for (inspection_id, area), by_sample in published.items():
        if len(by_sample) < 2:
            usage.exclude("tallies", "no tally of the other sample to compare with")
            continue
        usage.use("tallies", 2)
        inspection = dataset.inspections[inspection_id]
        comparison = SampleComparison(inspection.force, inspection_id, area, "published",
                                      inspection.scale,
                                      {s: dict(t.counts) for s, t in by_sample.items()})
        comparison.notes.extend(m for t in by_sample.values()
                                if (m := stated_total_mismatch(t)))
        out.append(comparison)

    groups: dict[tuple[str, str], dict[str, Counter]] = {}
    for case, n in case_profiles(dataset).items():
        reason = scope_reason(dataset, case.inspection, filters)
        if reason is None and case.inspector_grade is None:
            reason = "no inspector grade (self-audit case)"
        if reason is None and filters.area not in (None, domain.ALL) and \
                case.area != filters.area:
            reason = "outside --area"
        if reason:
            usage.exclude("cases", reason, n)
            continue
        usage.use("cases", n)
        areas = [domain.ALL] if filters.area in (None, domain.ALL) else []
        if by_area or filters.area == case.area:
            areas.append(case.area)
        for area in areas:
            group = groups.setdefault((case.inspection, area),
                                      {SELF: Counter(), SELECTED: Counter()})
            group[case.sample][case.inspector_grade] += n
    for (inspection_id, area), by_sample in groups.items():
        inspection = dataset.inspections[inspection_id]
        out.append(SampleComparison(
            inspection.force, inspection_id, area, "cases", inspection.scale,
            {s: {g: c.get(g, 0) for g in inspection.scale} for s, c in by_sample.items()}))
    out.sort(key=lambda c: (c.force, c.inspection, domain.BASES.index(c.basis),
                            domain.area_order(c.area)))
    return out


def sample_columns(grade_keys: list[str]) -> list[str]:
    columns = ["force", "inspection", "area", "basis", "self_assessed_n",
               "inspector_selected_n", "small_sample"]
    for sample in domain.SAMPLES:
        for g in grade_keys:
            columns += [f"{PREFIX[sample]}_{g}{end}" for end in ("", "_pct", "_ci_low",
                                                                 "_ci_high")]
    columns += [f"{g}_diff_pp" for g in grade_keys]
    columns += ["fisher_exact_p", "fisher_method", "mann_whitney_u", "mann_whitney_p",
                "mann_whitney_method", "note"]
    return columns


def samples(dataset: Dataset, filters: Filters = NO_FILTERS, by_area: bool = False) -> Result:
    """The `compare --samples` rows."""
    usage = Usage()
    found = sample_comparisons(dataset, filters, by_area, usage)
    grade_keys = scale_columns([c.scale for c in found])
    columns = sample_columns(grade_keys)
    rows = []
    mismatches = []
    for c in found:
        row: dict[str, object] = dict.fromkeys(columns)
        row.update(force=c.force, inspection=c.inspection, area=c.area, basis=c.basis)
        totals = {s: sum(c.counts[s].values()) for s in domain.SAMPLES}
        for sample in domain.SAMPLES:
            row[f"{PREFIX[sample]}_n"] = totals[sample]
            for g in c.scale:
                count = c.counts[sample][g]
                key = f"{PREFIX[sample]}_{g}"
                row[key] = count
                row[f"{key}_pct"] = pct(count, totals[sample])
                row[f"{key}_ci_low"], row[f"{key}_ci_high"] = wilson_pct(count, totals[sample])
        for g in c.scale:
            row[f"{g}_diff_pp"] = diff_pp(c.counts[SELF][g], totals[SELF],
                                          c.counts[SELECTED][g], totals[SELECTED])
        notes = list(c.notes)
        smallest = min(totals.values())
        row["small_sample"] = smallest < SMALL_SAMPLE
        if smallest < SMALL_SAMPLE:
            notes.append(f"small sample (a sample has {smallest} cases, under {SMALL_SAMPLE}): "
                         "tests are unreliable")
        a = [c.counts[SELF][g] for g in c.scale]
        b = [c.counts[SELECTED][g] for g in c.scale]
        if smallest == 0:
            notes.append("a sample has no cases: no test is computable")
        else:
            fisher = stats.fisher_freeman_halton(a, b)
            row["fisher_exact_p"] = significant(fisher.p)
            row["fisher_method"] = fisher.method
            rank = stats.mann_whitney(a, b)
            row["mann_whitney_u"] = fixed(rank.statistic, 1)
            row["mann_whitney_p"] = significant(rank.p)
            row["mann_whitney_method"] = rank.method
        row["note"] = "; ".join(notes) or None
        mismatches.extend(f"{c.inspection} ({c.area}): {n}" for n in c.notes)
        rows.append(row)
    usage.finish(dataset, {c.inspection for c in found})
    empty = [] if rows else ["no inspector grades of both samples match these filters"]
    return Result("compare-samples", columns, rows, usage, empty, mismatches)
