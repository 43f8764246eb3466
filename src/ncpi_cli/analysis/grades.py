"""Grade distributions: counts and percentages per practice area, sample and assessor."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from ncpi_cli import domain
from ncpi_cli.model import Dataset, Tally

from .common import (
    NO_FILTERS,
    SMALL_SAMPLE,
    Filters,
    Profile,
    Result,
    Usage,
    case_profiles,
    check_filters,
    pct,
    scale_columns,
    scope_reason,
    stated_total_mismatch,
    wilson_pct,
)


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
    def total(self) -> int:
        return sum(self.counts.values())


def distributions(dataset: Dataset, filters: Filters = NO_FILTERS,
                  assessor: str = "inspector",
                  usage: Usage | None = None) -> list[Distribution]:
    """Every distribution the data supports for one assessor, in the documented order.

    Published tallies give one distribution each, as printed. Case records give one per
    practice area, one for all areas, and (when the cases span both samples) one for all
    areas per sample, mirroring how a report prints them."""
    check_filters(dataset, filters)
    usage = usage if usage is not None else Usage()
    out: list[Distribution] = []
    for tally in dataset.tallies:
        dist = _from_tally(dataset, tally, filters, assessor, usage)
        if dist is not None:
            out.append(dist)
    by_inspection: dict[str, Counter] = {}
    for profile, n in case_profiles(dataset).items():
        reason = _case_reason(dataset, profile, filters, assessor)
        if reason:
            usage.exclude("cases", reason, n)
        else:
            usage.use("cases", n)
            by_inspection.setdefault(profile.inspection, Counter())[profile] += n
    for inspection_id, profiles in by_inspection.items():
        out.extend(_from_cases(dataset, inspection_id, profiles, filters, assessor))
    out.sort(key=_order)
    return out


def _order(d: Distribution) -> tuple:
    return (d.force, d.inspection, domain.BASES.index(d.basis), domain.area_order(d.area),
            domain.sample_order(d.sample), domain.ASSESSORS.index(d.assessor))


def _from_tally(dataset: Dataset, tally: Tally, filters: Filters, assessor: str,
                usage: Usage) -> Distribution | None:
    reason = scope_reason(dataset, tally.inspection, filters)
    if reason is None and tally.assessor != assessor:
        reason = f"assessor {tally.assessor} (this run shows assessor {assessor})"
    if reason is None and filters.area and tally.area != filters.area:
        reason = "outside --area"
    if reason is None and filters.sample and tally.sample != filters.sample:
        reason = "outside --sample"
    if reason:
        usage.exclude("tallies", reason)
        return None
    usage.use("tallies")
    inspection = dataset.inspections[tally.inspection]
    return Distribution(inspection.force, inspection.id, tally.area, tally.sample,
                        tally.assessor, "published", inspection.scale, dict(tally.counts),
                        tally.source, tally)


def _case_reason(dataset: Dataset, case: Profile, filters: Filters,
                 assessor: str) -> str | None:
    reason = scope_reason(dataset, case.inspection, filters)
    if reason:
        return reason
    if filters.area and filters.area != domain.ALL and case.area != filters.area:
        return "outside --area"
    if filters.sample and filters.sample != domain.ALL and case.sample != filters.sample:
        return "outside --sample"
    if case.grade_by(assessor) is None:
        return f"no {assessor} grade ({case.sample} case)"
    return None


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
    usage = Usage()
    dists = distributions(dataset, filters, assessor, usage)
    grade_keys = scale_columns([d.scale for d in dists])
    columns = [*GRADE_ROW_KEYS, *grade_keys, "total", *(f"{g}_pct" for g in grade_keys)]
    columns += [f"{g}_{end}" for g in grade_keys for end in ("ci_low", "ci_high")]
    columns += ["small_sample", "source"]
    rows = []
    for d in dists:
        row: dict[str, object] = {k: getattr(d, k) for k in GRADE_ROW_KEYS}
        for g in grade_keys:
            row[g] = d.counts.get(g) if g in d.scale else None
        row["total"] = d.total
        for g in grade_keys:
            on_scale = g in d.scale
            row[f"{g}_pct"] = pct(d.counts[g], d.total) if on_scale else None
            row[f"{g}_ci_low"], row[f"{g}_ci_high"] = (
                wilson_pct(d.counts[g], d.total) if on_scale else (None, None))
        row["small_sample"] = d.total < SMALL_SAMPLE
        row["source"] = d.source
        rows.append(row)
    usage.finish(dataset, {d.inspection for d in dists})
    notes = [] if rows else ["no grades match these filters"]
    mismatches = [m for d in dists if d.tally and (m := stated_total_mismatch(d.tally))]
    return Result("grades", columns, rows, usage, notes, mismatches)
