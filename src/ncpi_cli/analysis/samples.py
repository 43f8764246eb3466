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
from ncpi_cli.model import Dataset, Tally
from ncpi_cli.result import Column, Kind, Layout, Reason, Result, per_grade

from . import stats
from .common import (
    AREA,
    BASIS,
    FORCE,
    INSPECTION,
    NOTE,
    SMALL_SAMPLE,
    diff_pp,
    fixed,
    grade_keys,
    pct,
    significant,
    stated_total_mismatch,
    wilson_pct,
)
from .readings import READING, samples_reading
from .select import AREA as IN_AREA
from .select import (
    COMPLETE,
    NO_FILTERS,
    SCOPE,
    Filters,
    NotSelectable,
    Selection,
    check_filters,
    select,
    unasked,
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


def choose(dataset: Dataset, filters: Filters, by_area: bool) -> Selection:
    """The inspectors' tallies of one sample, and the inspector-graded cases."""
    check_filters(dataset, filters)
    if filters.sample is not None:
        raise NotSelectable("compare-samples", "the sample comparison",
                            "compares the two samples", "sample", filters.sample)

    def one_sample(tally: Tally) -> Reason | None:
        if tally.assessor != "inspector" or tally.sample == domain.ALL:
            return Reason("not an inspectors' tally of one sample")
        return None

    def asked(tally: Tally) -> Reason | None:
        if not filters.area and not by_area and tally.area != domain.ALL:
            return unasked("per-area tally", "by area", "rows per practice area not asked for")
        return None

    def graded(case) -> Reason | None:
        if case.inspector_grade is None:
            return Reason("no inspector grade (self-audit case)")
        return None

    return select(dataset, filters, tallies=(SCOPE, one_sample, IN_AREA, asked, COMPLETE),
                  cases=(SCOPE, graded, IN_AREA))


def sample_comparisons(dataset: Dataset, filters: Filters = NO_FILTERS,
                       by_area: bool = False) -> list[SampleComparison]:
    return _comparisons(choose(dataset, filters, by_area), by_area)


def _comparisons(chosen: Selection, by_area: bool) -> list[SampleComparison]:
    dataset, filters = chosen.dataset, chosen.filters
    out: list[SampleComparison] = []
    published: dict[tuple[str, str], dict] = {}
    for tally in chosen.tallies:
        published.setdefault((tally.inspection, tally.area), {})[tally.sample] = tally
    for (inspection_id, area), by_sample in published.items():
        if len(by_sample) < 2:
            chosen.reject("tallies", "no tally of the other sample to compare with")
            continue
        inspection = dataset.inspections[inspection_id]
        comparison = SampleComparison(inspection.force, inspection_id, area, "published",
                                      inspection.scale,
                                      {s: dict(t.counts) for s, t in by_sample.items()})
        comparison.notes.extend(m for t in by_sample.values()
                                if (m := stated_total_mismatch(t)))
        out.append(comparison)

    groups: dict[tuple[str, str], dict[str, Counter]] = {}
    for case, n in chosen.cases.items():
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


def _sample(prefix: str, meaning: str) -> tuple[Column, ...]:
    return (Column(f"{prefix}_<grade>", Kind.COUNT, meaning),
            Column(f"{prefix}_<grade>_pct", Kind.PCT, meaning),
            Column(f"{prefix}_<grade>_ci_low", Kind.INTERVAL, meaning),
            Column(f"{prefix}_<grade>_ci_high", Kind.INTERVAL, meaning))


_SIZES = "sample sizes; `true` if either is under 10"
_FISHER = ("Fisher–Freeman–Halton test of independence: `exact` (the tables with the same "
           "margins summed, in log space past 1,000 cases; the tables left out hold under "
           "1e-13 of p), or past 100,000 tables `monte-carlo (seed S, N draws)`")
_RANK = ("Mann–Whitney / Wilcoxon rank-sum test with ties (midranks), two-sided; U counts "
         "the self-assessed cases graded better; `exact` (permutation distribution over "
         "the same tables) or, past 100,000 tables, the normal approximation with tie and "
         "continuity corrections")
LAYOUT = Layout("compare-samples", (
    FORCE, INSPECTION, AREA, BASIS,
    Column("self_assessed_n", Kind.COUNT, _SIZES),
    Column("inspector_selected_n", Kind.COUNT, _SIZES),
    Column("small_sample", Kind.FLAG, _SIZES),
    per_grade(*_sample("self_assessed", "inspectors' grades of the self-assessed sample: "
                                        "count, % of the sample, 95% Wilson interval")),
    per_grade(*_sample("inspector_selected", "inspectors' grades of the cases they selected")),
    Column("<grade>_diff_pp", Kind.POINTS,
           "inspector-selected % minus self-assessed %, in percentage points"),
    Column("fisher_exact_p", Kind.P_VALUE, _FISHER),
    Column("fisher_method", Kind.TEXT, _FISHER),
    Column("mann_whitney_u", Kind.STATISTIC, _RANK),
    Column("mann_whitney_p", Kind.P_VALUE, _RANK),
    Column("mann_whitney_method", Kind.TEXT, _RANK),
    NOTE,
), view_only=(Column("reading", Kind.TEXT, READING),))


def sample_columns(grades: tuple[str, ...]) -> list[str]:
    return LAYOUT.names(grades)


def samples(dataset: Dataset, filters: Filters = NO_FILTERS, by_area: bool = False) -> Result:
    """The `compare --samples` rows."""
    chosen = choose(dataset, filters, by_area)
    found = _comparisons(chosen, by_area)
    keys = grade_keys([c.scale for c in found])
    columns = LAYOUT.names(keys)
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
        row["reading"] = samples_reading(row)
        mismatches.extend(f"{c.inspection} ({c.area}): {n}" for n in c.notes)
        rows.append(row)
    account = chosen.finish({c.inspection for c in found})
    empty = [] if rows else ["no inspector grades of both samples match these filters"]
    return Result(LAYOUT, keys, rows, account, empty, mismatches)
