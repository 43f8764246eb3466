"""Control totals: does the data agree with itself? Every check is reported, pass or fail.

Real reports do not always add up, and data typed in from them can slip. Each check
compares an expected figure with the one found and names the records involved, so a
reviewer can see where a published total and its parts part company.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from ncpi_cli import domain
from ncpi_cli.model import Dataset, Tally, cite
from ncpi_cli.result import Column, Kind, Layout, Result

from .common import INSPECTION
from .select import IN_SCOPE, NO_FILTERS, SCOPE, Filters, Selection, select

LAYOUT = Layout("reconcile", (
    Column("check", Kind.TEXT, "which check (listed below)"),
    INSPECTION,
    Column("subject", Kind.TEXT, "what was checked: assessor, sample and area, or the date of "
           "a progress statement"),
    Column("expected", Kind.TEXT, "the figure the data state"),
    Column("found", Kind.TEXT, "the figure the data add up to"),
    Column("status", Kind.TEXT, "`pass` or `fail` (a `sources agree` check fails for every "
           "figure or date sources give differently)"),
    Column("where", Kind.TEXT, "the records involved, as file:line"),
))
COLUMNS = LAYOUT.names(())


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


def choose(dataset: Dataset, filters: Filters) -> Selection:
    """Every record of the selected forces and inspections."""
    return select(dataset, filters, tallies=(SCOPE,), cases=(SCOPE,),
                  recommendations=(IN_SCOPE,))


def checks(dataset: Dataset, filters: Filters = NO_FILTERS) -> list[Check]:
    """Every consistency check the data allows, in a stable order."""
    return _checks(choose(dataset, filters))


def _checks(chosen: Selection) -> list[Check]:
    dataset = chosen.dataset
    out: list[Check] = []
    profiles: dict[str, Counter] = {}
    for profile, n in chosen.cases.items():
        profiles.setdefault(profile.inspection, Counter())[profile] = n
    for inspection_id in sorted(dataset.inspections):
        inspection = dataset.inspections[inspection_id]
        if chosen.scope(inspection_id):
            continue
        scale = inspection.scale
        tallies = sorted((t for t in chosen.tallies if t.inspection == inspection_id),
                         key=_tally_order)
        out.extend(_conflicts(dataset, inspection))
        tallies = [t for t in tallies if t.complete]
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
    return out


def _conflicts(dataset: Dataset, inspection) -> list[Check]:
    """Every figure or date sources disagree on: a failed check each, settled or not (the
    analyses use a primary source's value over a secondary one and say so)."""
    out = []
    own = cite(inspection.source) or "this record's source"
    for d in inspection.disputes:
        mine = getattr(inspection, d.key)
        out.append(Check("sources agree", inspection.id, d.key, f"{mine} ({own})",
                         f"{d.value} ({d.source})", False, str(inspection.origin)))
    for tally in sorted((t for t in dataset.tallies if t.inspection == inspection.id),
                        key=_tally_order):
        for d in tally.disputes:
            mine = (tally.counts.get(d.key) if d.key in tally.counts else
                    getattr(tally, d.key))
            settled = (" (the primary source's value is used)"
                       if (tally.primary is True) != d.primary else "")
            out.append(Check("sources agree", inspection.id,
                             f"{_subject(tally)}: {d.key}{settled}",
                             f"{mine} ({tally.source or own})", f"{d.value} ({d.source})",
                             False, str(tally.origin)))
    return out


def _where_records(origins) -> str:
    shown = [str(o) for o in origins]
    return "; ".join(shown[:5]) + (f"; and {len(shown) - 5} more" if len(shown) > 5 else "")


def _tally_order(tally: Tally) -> tuple:
    """The format's order (assessor, sample, practice area), not the order files were named
    in: the same data gives the same rows whatever the order of the inputs."""
    return (domain.ASSESSORS.index(tally.assessor), domain.sample_order(tally.sample),
            domain.area_order(tally.area))


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
    chosen = choose(dataset, filters)
    found = _checks(chosen)
    account = chosen.finish({c.inspection for c in found})
    rows = [c.row() for c in found]
    failed = [c for c in found if not c.ok]
    mismatches = [f"{c.check}: {c.inspection}, {c.subject}: expected {c.expected}, found "
                  f"{c.found} ({c.where})" for c in failed]
    notes = [f"{len(found)} checks, {len(found) - len(failed)} passed, {len(failed)} failed"]
    if not found:
        notes = ["nothing to check: no tallies, case records or progress statements match"]
    return Result(LAYOUT, (), rows, account, notes, mismatches)
