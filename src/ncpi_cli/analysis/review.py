"""An inspection against its post-inspection review: grades side by side where both
published them, and what became of the recommendations.

Reviews often publish no case figures (Gwent 2020 and South Wales 2016 did not); the rows
then show the initial figures alone and say what is missing, rather than nothing.
"""

from __future__ import annotations

import datetime as dt

from ncpi_cli import domain
from ncpi_cli.model import Dataset

from .common import NO_FILTERS, Filters, Result, Usage, check_filters, diff_pp, pct, scope_reason
from .grades import Distribution, distributions
from .lifecycle import latest_progress

KEY = ("area", "sample", "assessor", "basis")


def _columns(grade_keys: list[str]) -> list[str]:
    columns = ["force", "inspection", "review", *KEY, "initial_n", "review_n"]
    for stage in ("initial", "review"):
        for g in grade_keys:
            columns += [f"{stage}_{g}", f"{stage}_{g}_pct"]
        columns += [f"{stage}_not_good", f"{stage}_not_good_pct"]
    columns += [f"{g}_diff_pp" for g in grade_keys]
    columns += ["not_good_diff_pp", "progress", "note"]
    return columns


def initial_vs_review(dataset: Dataset, filters: Filters = NO_FILTERS,
                      as_of: dt.date | None = None) -> Result:
    """The `compare --initial-vs-review` rows."""
    check_filters(dataset, filters)
    as_of = as_of or dt.date.today()
    usage = Usage()
    pairs = sorted(((dataset.inspections[r.follows], r) for r in dataset.inspections.values()
                    if r.follows and r.follows in dataset.inspections),
                   key=lambda p: (p[0].force, p[0].id, p[1].id))
    pairs = [p for p in pairs if not scope_reason(dataset, p[0].id, filters)]
    ids = {i.id for pair in pairs for i in pair}
    found: dict[str, list[Distribution]] = {i: [] for i in ids}
    for assessor in domain.ASSESSORS:
        scoped = Usage()
        for d in distributions(dataset, Filters(area=filters.area, sample=filters.sample),
                               assessor, scoped):
            if d.inspection in ids:
                found[d.inspection].append(d)
    shown_tallies = {id(d.tally) for ds in found.values() for d in ds if d.tally}
    for tally in dataset.tallies:
        if id(tally) in shown_tallies:
            usage.use("tallies")
        else:
            usage.exclude("tallies", "not of an inspection with a review, or outside the "
                                     "filters")
    for case in dataset.cases:
        if case.inspection in ids and filters.area in (None, domain.ALL, case.area) and \
                filters.sample in (None, domain.ALL, case.sample):
            usage.use("cases")
        else:
            usage.exclude("cases", "not of an inspection with a review, or outside the "
                                   "filters")
    grade_keys = [g for g in domain.GRADES
                  if any(g in i.scale for pair in pairs for i in pair)] or ["good"]
    columns = _columns(grade_keys)
    rows = []
    for initial, review in pairs:
        same_scale = initial.scale == review.scale
        before = {tuple(getattr(d, k) for k in KEY): d for d in found[initial.id]}
        after = {tuple(getattr(d, k) for k in KEY): d for d in found[review.id]}
        progress = latest_progress(initial, as_of)
        progress_text = (f"{progress.completed} of {progress.of} recommendations completed by "
                         f"{progress.date}" if progress else None)
        keys = sorted(set(before) | set(after), key=lambda k: (
            domain.BASES.index(k[3]), domain.area_order(k[0]), domain.sample_order(k[1]),
            domain.ASSESSORS.index(k[2])))
        if not keys:
            keys = [(domain.ALL, domain.ALL, "inspector", "published")]
        for key in keys:
            row: dict[str, object] = dict.fromkeys(columns)
            row.update(force=initial.force, inspection=initial.id, review=review.id,
                       progress=progress_text, **dict(zip(KEY, key)))
            notes = []
            for stage, dist, who in (("initial", before.get(key), initial),
                                     ("review", after.get(key), review)):
                if dist is None:
                    notes.append(f"{who.id} published no grade figures for this group")
                    continue
                row[f"{stage}_n"] = dist.total
                for g in dist.scale:
                    if same_scale or g == "good":
                        row[f"{stage}_{g}"] = dist.counts[g]
                        row[f"{stage}_{g}_pct"] = pct(dist.counts[g], dist.total)
                not_good = dist.total - dist.counts["good"]
                row[f"{stage}_not_good"] = not_good
                row[f"{stage}_not_good_pct"] = pct(not_good, dist.total)
            if key in before and key in after:
                b, a = before[key], after[key]
                for g in (b.scale if same_scale else ("good",)):
                    row[f"{g}_diff_pp"] = diff_pp(b.counts[g], b.total, a.counts[g], a.total)
                row["not_good_diff_pp"] = diff_pp(b.total - b.counts["good"], b.total,
                                                  a.total - a.counts["good"], a.total)
            if not same_scale:
                notes.append(f"the two were graded on different scales ({initial.methodology}, "
                             f"{review.methodology}): compared on good / not good only")
            if progress is None:
                notes.append("no progress on the recommendations is recorded")
            row["note"] = "; ".join(notes) or None
            rows.append(row)
    usage.finish(dataset, ids)
    empty = [] if rows else ["no inspection with a post-inspection review matches"]
    return Result("compare-review", columns, rows, usage, empty)
