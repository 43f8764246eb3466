"""An inspection against its post-inspection review: grades side by side where both
published them, and what became of the recommendations.

Reviews often publish no case figures (Gwent 2020 and South Wales 2016 did not); the rows
then show the initial figures alone and say what is missing, rather than nothing.
"""

from __future__ import annotations

import datetime as dt

from ncpi_cli import domain
from ncpi_cli.model import Dataset
from ncpi_cli.result import Column, Kind, Layout, Reason, Result, per_grade

from .common import AREA, ASSESSOR, BASIS, FORCE, INSPECTION, NOTE, SAMPLE, diff_pp, pct
from .grades import Distribution, distributions
from .lifecycle import latest_progress
from .select import NO_FILTERS, Filters, check_filters, out_of_scope, select

KEY = ("area", "sample", "assessor", "basis")


def _stage(stage: str, meaning: str) -> tuple:
    return (per_grade(Column(f"{stage}_<grade>", Kind.COUNT, meaning),
                      Column(f"{stage}_<grade>_pct", Kind.PCT, meaning)),
            Column(f"{stage}_not_good", Kind.COUNT, meaning),
            Column(f"{stage}_not_good_pct", Kind.PCT, meaning))


_N = "cases in the group, in the inspection and in its review"
LAYOUT = Layout("compare-review", (
    FORCE, INSPECTION,
    Column("review", Kind.TEXT, "the post-inspection review (whose `follows` names the "
           "inspection)"),
    AREA, SAMPLE, ASSESSOR, BASIS,
    Column("initial_n", Kind.COUNT, _N), Column("review_n", Kind.COUNT, _N),
    *_stage("initial", "the inspection's counts and % of `initial_n`; not good: every grade "
            "but good"),
    *_stage("review", "the review's counts and % of `review_n`, likewise"),
    Column("<grade>_diff_pp", Kind.POINTS, "review % minus initial %, in percentage points"),
    Column("not_good_diff_pp", Kind.POINTS, "review % minus initial %, in percentage points"),
    Column("progress", Kind.TEXT, "the latest progress on the inspection's recommendations "
           "by the as-of day"),
    NOTE,
))


def initial_vs_review(dataset: Dataset, filters: Filters = NO_FILTERS,
                      as_of: dt.date | None = None) -> Result:
    """The `compare --initial-vs-review` rows."""
    check_filters(dataset, filters)
    as_of = as_of or dt.date.today()
    pairs = sorted(((dataset.inspections[r.follows], r) for r in dataset.inspections.values()
                    if r.follows and r.follows in dataset.inspections),
                   key=lambda p: (p[0].force, p[0].id, p[1].id))
    pairs = [p for p in pairs if not out_of_scope(dataset, filters, p[0].id)]
    ids = {i.id for pair in pairs for i in pair}
    found: dict[str, list[Distribution]] = {i: [] for i in ids}
    for assessor in domain.ASSESSORS:
        for d in distributions(dataset, Filters(area=filters.area, sample=filters.sample),
                               assessor):
            if d.inspection in ids and (d.tally is None or d.tally.complete):
                found[d.inspection].append(d)
    shown_tallies = {d.tally.origin for ds in found.values() for d in ds if d.tally}
    unshown = Reason("not of an inspection with a review, or outside the filters")
    chosen = select(dataset, filters, tallies=(
        lambda t: None if t.origin in shown_tallies else unshown,), cases=(
        lambda c: None if c.inspection in ids and filters.area in (None, domain.ALL, c.area)
        and filters.sample in (None, domain.ALL, c.sample) else unshown,))
    scale_keys = tuple(g for g in domain.GRADES
                       if any(g in i.scale for pair in pairs for i in pair)) or ("good",)
    columns = LAYOUT.names(scale_keys)
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
    account = chosen.finish(ids)
    empty = [] if rows else ["no inspection with a post-inspection review matches"]
    return Result(LAYOUT, scale_keys, rows, account, empty)
