"""Grade distributions: counts and percentages per practice area, sample and assessor."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from ncpi_cli import domain
from ncpi_cli.model import Dataset, Tally
from ncpi_cli.result import Column, Kind, Layout, Reason, Result, per_grade

from .common import (
    AREA,
    ASSESSOR,
    BASIS,
    FORCE,
    INSPECTION,
    NOTE,
    SAMPLE,
    SMALL_SAMPLE,
    grade_keys,
    pct,
    stated_total_mismatch,
    wilson_pct,
)
from .select import AREA as IN_AREA
from .select import NO_FILTERS, SCOPE, Filters, Selection, select
from .select import SAMPLE as IN_SAMPLE

_CI = "95% Wilson interval of that percentage"
LAYOUT = Layout("grades", (
    FORCE, INSPECTION, AREA, SAMPLE, ASSESSOR, BASIS,
    Column("<grade>", Kind.COUNT, "the count of each grade, best to worst (`adequate` only "
           "when an output row is on the `ncpi-2014` scale; empty on rows whose scale lacks "
           "the grade)"),
    Column("total", Kind.COUNT, "sum of the counts; of a partial tally, the total its "
           "source states (empty if none)"),
    Column("<grade>_pct", Kind.PCT, "each count as a percentage of `total`"),
    per_grade(Column("<grade>_ci_low", Kind.INTERVAL, _CI),
              Column("<grade>_ci_high", Kind.INTERVAL, _CI)),
    Column("small_sample", Kind.FLAG, "`true` when `total` is under 10"),
    Column("source", Kind.TEXT, "the tally's locator in its report (published rows)"),
    NOTE,
))


@dataclass(frozen=True)
class Distribution:
    """Counts per grade on one inspection's scale."""

    force: str
    inspection: str
    area: str
    sample: str
    assessor: str
    basis: str
    scale: tuple[str, ...]
    counts: dict[str, int]
    source: str | None = None
    tally: Tally | None = None

    @property
    def total(self) -> int | None:
        """The cases counted: for a partial tally, the total its source states (if any)."""
        if self.tally is not None:
            return self.tally.usable_total
        return sum(self.counts.values())

    @property
    def known(self) -> dict[str, int]:
        """The counts an analysis may use: stated and not in dispute."""
        disputed = self.tally.disputed() if self.tally is not None else {}
        return {g: n for g, n in self.counts.items() if g not in disputed}


def partial_note(tally: Tally) -> str | None:
    """What a partial or disputed tally does and does not state, in words."""
    parts = []
    if tally.unstated:
        parts.append("partial: the source does not state " +
                     ", ".join(domain.GRADE_LABELS[g] for g in tally.unstated))
    if tally.not_good is not None and "not_good" not in tally.disputed():
        share = (f" ({pct(tally.not_good, tally.usable_total)}%)" if tally.usable_total
                 else "")
        parts.append(f"not good: {tally.not_good}{share}, only as a combined count")
    for g, value in tally.percent.items():
        parts.append(f"{domain.GRADE_LABELS[g]}: {value}% stated, with no count")
    for key, values in tally.disputed().items():
        parts.append(f"{key.replace('_', ' ')} disputed: " +
                     " or ".join(str(v) for v in values) + " (sources disagree)")
    parts.extend(tally.settled)
    return "; ".join(parts) or None


def choose(dataset: Dataset, filters: Filters, assessor: str) -> Selection:
    """The tallies and cases a distribution of one assessor's grades reads."""

    def by_assessor(tally: Tally) -> Reason | None:
        if tally.assessor != assessor:
            return Reason(f"assessor {tally.assessor} (this run shows assessor {assessor})")
        return None

    def graded(case) -> Reason | None:
        if case.grade_by(assessor) is None:
            return Reason(f"no {assessor} grade ({case.sample} case)")
        return None

    return select(dataset, filters, tallies=(SCOPE, by_assessor, IN_AREA, IN_SAMPLE),
                  cases=(SCOPE, IN_AREA, IN_SAMPLE, graded))


def distributions(dataset: Dataset, filters: Filters = NO_FILTERS,
                  assessor: str = "inspector") -> list[Distribution]:
    """Every distribution the data supports for one assessor, in the documented order."""
    return _distributions(choose(dataset, filters, assessor), assessor)


def _distributions(chosen: Selection, assessor: str) -> list[Distribution]:
    """Published tallies give one distribution each, as printed. Case records give one per
    practice area, one for all areas, and (when the cases span both samples) one for all
    areas per sample, mirroring how a report prints them."""
    dataset, filters = chosen.dataset, chosen.filters
    out: list[Distribution] = []
    for tally in chosen.tallies:
        inspection = dataset.inspections[tally.inspection]
        out.append(Distribution(inspection.force, inspection.id, tally.area, tally.sample,
                                tally.assessor, "published", inspection.scale,
                                dict(tally.counts), tally.source, tally))
    by_inspection: dict[str, Counter] = {}
    for profile, n in chosen.cases.items():
        by_inspection.setdefault(profile.inspection, Counter())[profile] = n
    for inspection_id, profiles in by_inspection.items():
        out.extend(_from_cases(dataset, inspection_id, profiles, filters, assessor))
    out.sort(key=_order)
    return out


def _order(d: Distribution) -> tuple:
    return (d.force, d.inspection, domain.BASES.index(d.basis), domain.area_order(d.area),
            domain.sample_order(d.sample), domain.ASSESSORS.index(d.assessor))


def _from_cases(dataset: Dataset, inspection_id: str, cases: Counter, filters: Filters,
                assessor: str) -> list[Distribution]:
    inspection = dataset.inspections[inspection_id]
    sample = filters.sample or domain.ALL
    groups: dict[tuple[str, str], Counter] = {}
    widest = filters.area or domain.ALL
    for case, n in cases.items():
        grade = case.grade_by(assessor)
        areas = [case.area] if filters.area in (None, case.area) else []
        if filters.area in (None, domain.ALL):
            areas.append(domain.ALL)
        keys = [(area, sample) for area in areas]
        if sample == domain.ALL:
            keys.append((widest, case.sample))
        for key in keys:
            groups.setdefault(key, Counter())[grade] += n
    samples_seen = {c.sample for c in cases}
    out = []
    for (area, group_sample), counter in groups.items():
        if group_sample != sample and len(samples_seen) < 2:
            continue
        counts = {g: counter.get(g, 0) for g in inspection.scale}
        out.append(Distribution(inspection.force, inspection_id, area, group_sample, assessor,
                                "cases", inspection.scale, counts))
    return out


GRADE_ROW_KEYS = ("force", "inspection", "area", "sample", "assessor", "basis")


def grades(dataset: Dataset, filters: Filters = NO_FILTERS,
           assessor: str = "inspector") -> Result:
    """The `grades` command's rows: counts, total and percentages per distribution."""
    chosen = choose(dataset, filters, assessor)
    dists = _distributions(chosen, assessor)
    keys = grade_keys([d.scale for d in dists])
    rows = []
    for d in dists:
        row: dict[str, object] = {k: getattr(d, k) for k in GRADE_ROW_KEYS}
        known, total = d.known, d.total
        for g in keys:
            row[g] = known.get(g)
        row["total"] = total
        for g in keys:
            usable = g in known and total
            row[f"{g}_pct"] = pct(known[g], total) if usable else None
            row[f"{g}_ci_low"], row[f"{g}_ci_high"] = (
                wilson_pct(known[g], total) if usable else (None, None))
        row["small_sample"] = None if total is None else total < SMALL_SAMPLE
        row["source"] = d.source
        row["note"] = partial_note(d.tally) if d.tally is not None else None
        rows.append(row)
    account = chosen.finish({d.inspection for d in dists})
    notes = [] if rows else ["no grades match these filters"]
    mismatches = [m for d in dists if d.tally and (m := stated_total_mismatch(d.tally))]
    return Result(LAYOUT, keys, rows, account, notes, mismatches)
