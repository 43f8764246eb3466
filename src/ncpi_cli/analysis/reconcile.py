"""Control totals: does the data agree with itself? Every check is reported, pass or fail.

Real reports do not always add up, and data typed in from them can slip. Each check
compares an expected figure with the one found and names the records involved, so a
reviewer can see where a published total and its parts part company.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from ncpi_cli import domain
from ncpi_cli.model import Dataset, Tally

from .common import (
    NO_FILTERS,
    Filters,
    Result,
    Usage,
    case_profiles,
    check_filters,
    scope_reason,
)

COLUMNS = ["check", "inspection", "subject", "expected", "found", "status", "where"]


@dataclass(frozen=True)
class Check:
    check: str
    inspection: str
    subject: str
    expected: str
    found: str
    ok: bool
    where: str

    def row(self) -> dict[str, object]:
        return {"check": self.check, "inspection": self.inspection, "subject": self.subject,
                "expected": self.expected, "found": self.found,
                "status": "pass" if self.ok else "fail", "where": self.where}


def _show(counts: dict[str, int], scale: tuple[str, ...]) -> str:
    parts = ", ".join(f"{g} {counts.get(g, 0)}" for g in scale)
    return f"{parts} (total {sum(counts.get(g, 0) for g in scale)})"


def _sum(tallies: list[Tally], scale: tuple[str, ...]) -> dict[str, int]:
    return {g: sum(t.counts[g] for t in tallies) for g in scale}


def _where(tallies: list[Tally]) -> str:
    return "; ".join(str(t.origin) for t in tallies)


def checks(dataset: Dataset, filters: Filters = NO_FILTERS,
           usage: Usage | None = None) -> list[Check]:
    """Every consistency check the data allows, in a stable order."""
    check_filters(dataset, filters)
    usage = usage if usage is not None else Usage()
    out: list[Check] = []
    profiles: dict[str, Counter] = {}
    for profile, n in case_profiles(dataset).items():
        profiles.setdefault(profile.inspection, Counter())[profile] = n
    for inspection_id in sorted(dataset.inspections):
        inspection = dataset.inspections[inspection_id]
        if scope_reason(dataset, inspection_id, filters):
            continue
        scale = inspection.scale
        tallies = [t for t in dataset.tallies if t.inspection == inspection_id]
        index = {(t.assessor, t.sample, t.area): t for t in tallies}
        for tally in tallies:
            if tally.stated_total is not None:
                out.append(Check("stated total", inspection_id, _subject(tally),
                                 str(tally.stated_total), str(tally.total),
                                 tally.stated_total == tally.total, str(tally.origin)))
        for assessor in domain.ASSESSORS:
            for sample in (domain.ALL, *domain.SAMPLES):
                whole = index.get((assessor, sample, domain.ALL))
                parts = [index[(assessor, sample, a)] for a in domain.AREAS
                         if (assessor, sample, a) in index]
                if whole and parts:
                    found = _sum(parts, scale)
                    out.append(Check(
                        "areas add up to all areas", inspection_id,
                        f"{assessor}, sample {sample}", _show(whole.counts, scale),
                        _show(found, scale), found == whole.counts,
                        _where([whole, *parts])))
            for area in (domain.ALL, *domain.AREAS):
                whole = index.get((assessor, domain.ALL, area))
                parts = [index[(assessor, s, area)] for s in domain.SAMPLES
                         if (assessor, s, area) in index]
                if whole and len(parts) == 2:
                    found = _sum(parts, scale)
                    out.append(Check(
                        "samples add up to all cases", inspection_id,
                        f"{assessor}, area {area}", _show(whole.counts, scale),
                        _show(found, scale), found == whole.counts, _where([whole, *parts])))
        for area in (domain.ALL, *domain.AREAS):
            force = index.get(("force", "self-assessed", area))
            insp = index.get(("inspector", "self-assessed", area))
            if force and insp:
                out.append(Check("force and inspectors graded the same cases", inspection_id,
                                 f"self-assessed, area {area}", str(force.total),
                                 str(insp.total), force.total == insp.total,
                                 _where([force, insp])))
        cases = profiles.get(inspection_id)
        if cases and tallies:
            out.extend(_cases_against_tallies(inspection_id, scale, cases, tallies))
        made = [r for r in dataset.recommendations if r.inspection == inspection_id]
        for progress in inspection.progress:
            out.append(Check("progress within recommendations made", inspection_id,
                             f"progress of {progress.date}",
                             f"at most {progress.of} completed", str(progress.completed),
                             progress.completed <= progress.of, str(inspection.origin)))
            if made:
                out.append(Check("recommendations recorded within those made", inspection_id,
                                 f"progress of {progress.date}",
                                 f"at most {progress.of}", str(len(made)),
                                 len(made) <= progress.of,
                                 _where_records([inspection.origin, *(r.origin for r in made)])))
    for tally in dataset.tallies:
        reason = scope_reason(dataset, tally.inspection, filters)
        if reason:
            usage.exclude("tallies", reason)
        else:
            usage.use("tallies")
    for inspection_id, cases in profiles.items():
        reason = scope_reason(dataset, inspection_id, filters)
        if reason:
            usage.exclude("cases", reason, sum(cases.values()))
        else:
            usage.use("cases", sum(cases.values()))
    return out


def _where_records(origins) -> str:
    shown = [str(o) for o in origins]
    return "; ".join(shown[:5]) + (f"; and {len(shown) - 5} more" if len(shown) > 5 else "")


def _subject(tally: Tally) -> str:
    return f"{tally.assessor}, sample {tally.sample}, area {tally.area}"


def _cases_against_tallies(inspection_id: str, scale: tuple[str, ...], cases: Counter,
                           tallies: list[Tally]) -> list[Check]:
    """Each published tally against the case records counted the way it counts."""
    out = []
    for tally in tallies:
        counted: Counter = Counter()
        for case, n in cases.items():
            if tally.sample not in (domain.ALL, case.sample):
                continue
            if tally.area not in (domain.ALL, case.area):
                continue
            grade = case.grade_by(tally.assessor)
            if grade is not None:
                counted[grade] += n
        found = {g: counted.get(g, 0) for g in scale}
        out.append(Check("case records match the published tally", inspection_id,
                         _subject(tally), _show(tally.counts, scale), _show(found, scale),
                         found == tally.counts, str(tally.origin)))
    return out


def reconcile(dataset: Dataset, filters: Filters = NO_FILTERS) -> Result:
    """The `reconcile` rows; a failed check makes the command exit 4."""
    usage = Usage()
    found = checks(dataset, filters, usage)
    usage.finish(dataset, {c.inspection for c in found},
                 accounted=("tallies", "cases", "recommendations"))
    for rec in dataset.recommendations:
        if scope_reason(dataset, rec.inspection, filters):
            usage.exclude("recommendations", "outside --force/--inspection")
        else:
            usage.use("recommendations")
    rows = [c.row() for c in found]
    failed = [c for c in found if not c.ok]
    mismatches = [f"{c.check}: {c.inspection}, {c.subject}: expected {c.expected}, found "
                  f"{c.found} ({c.where})" for c in failed]
    notes = [f"{len(found)} checks, {len(found) - len(failed)} passed, {len(failed)} failed"]
    if not found:
        notes = ["nothing to check: no tallies, case records or progress statements match"]
    return Result("reconcile", COLUMNS, rows, usage, notes, mismatches)
