"""The force's self-assessment against the inspectors' grading of the same cases.

From case records the pairing is known: exact agreement, over- and under-grading, and the
full force x inspector table. From published tallies only the two margins are known, so
the pairing figures are exact ranges (see `bounds`), never point estimates.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from ncpi_cli import domain
from ncpi_cli.errors import UsageError
from ncpi_cli.model import Case, Dataset, Tally

from .bounds import PairingBounds, pairing_bounds
from .common import (
    NO_FILTERS,
    Filters,
    Result,
    Usage,
    check_filters,
    diff_pp,
    pct,
    scale_columns,
    scope_reason,
    stated_total_mismatch,
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

    def exact(self) -> tuple[int, int, int] | None:
        """Agree, over, under from the case-level table."""
        if self.table is None:
            return None
        rank = {g: k for k, g in enumerate(self.scale)}
        agree = over = under = 0
        for (fg, ig), count in self.table.items():
            if rank[fg] == rank[ig]:
                agree += count
            elif rank[fg] < rank[ig]:
                over += count
            else:
                under += count
        return agree, over, under

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
        raise UsageError(f"compare --self-vs-inspector uses the self-assessed sample only, "
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
    for case in dataset.cases:
        reason = _case_reason(dataset, case, filters)
        if reason:
            usage.exclude("cases", reason)
            continue
        usage.use("cases")
        areas = [domain.ALL] if filters.area in (None, domain.ALL) else []
        if by_area or filters.area == case.area:
            areas.append(case.area)
        for area in areas:
            groups.setdefault((case.inspection, area), Counter())[
                (case.force_grade, case.inspector_grade)] += 1
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


def _case_reason(dataset: Dataset, case: Case, filters: Filters) -> str | None:
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
PAIRING_KEYS = ("agree", "over", "under")
RANGE_KEYS = ("agree_min", "agree_max", "over_min", "over_max", "under_min", "under_max")


def self_vs_inspector(dataset: Dataset, filters: Filters = NO_FILTERS,
                      by_area: bool = False) -> Result:
    """The `compare --self-vs-inspector` rows."""
    usage = Usage()
    found = pairings(dataset, filters, by_area, usage)
    grade_keys = scale_columns([p.scale for p in found])
    columns = [*ROW_KEYS, "n"]
    for who in domain.ASSESSORS:
        for g in grade_keys:
            columns += [f"{who}_{g}", f"{who}_{g}_pct"]
    columns += [f"{g}_diff_pp" for g in grade_keys]
    columns += [*PAIRING_KEYS, *RANGE_KEYS, "note"]
    rows = []
    notes: list[str] = []
    mismatches: list[str] = []
    for p in found:
        row: dict[str, object] = {k: getattr(p, k) for k in ROW_KEYS}
        row["n"] = p.n
        totals = {"force": sum(p.force_counts.values()),
                  "inspector": sum(p.inspector_counts.values())}
        counts = {"force": p.force_counts, "inspector": p.inspector_counts}
        for who in domain.ASSESSORS:
            for g in grade_keys:
                on_scale = g in p.scale
                row[f"{who}_{g}"] = counts[who][g] if on_scale else None
                row[f"{who}_{g}_pct"] = pct(counts[who][g], totals[who]) if on_scale else None
        for g in grade_keys:
            row[f"{g}_diff_pp"] = (diff_pp(p.force_counts[g], totals["force"],
                                           p.inspector_counts[g], totals["inspector"])
                                   if g in p.scale else None)
        exact = p.exact()
        bounds = p.bounds()
        for key, value in zip(PAIRING_KEYS, exact or (None,) * 3, strict=False):
            row[key] = value
        ranges = ((bounds.agree.low, bounds.agree.high, bounds.over.low, bounds.over.high,
                   bounds.under.low, bounds.under.high) if bounds else (None,) * 6)
        row.update(zip(RANGE_KEYS, ranges, strict=False))
        note = list(p.notes)
        if p.basis == "published" and bounds:
            note.append("published totals only: which force grade went with which inspector "
                        "grade is not published, so agreement, over- and under-grading are "
                        "exact ranges over every possible pairing")
        row["note"] = "; ".join(note) or None
        if p.notes:
            mismatches.extend(f"{p.inspection} ({p.area}): {n}" for n in p.notes)
        rows.append(row)
    usage.finish(dataset, {p.inspection for p in found})
    if not rows:
        notes.append("no self-assessed cases or tallies match these filters")
    return Result("compare", columns, rows, usage, notes, mismatches)


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
