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

from . import stats
from .common import (
    AREA,
    ASSESSOR,
    BASIS,
    FORCE,
    INSPECTION,
    NOTE,
    SAMPLE,
    diff_pp,
    fixed,
    pct,
    significant,
)
from .funnel import newcombe_difference
from .grades import Distribution, distributions, partial_note
from .lifecycle import latest_progress
from .select import NO_FILTERS, Filters, check_filters, out_of_scope, select

KEY = ("area", "sample", "assessor", "basis")


def _stage(stage: str, meaning: str) -> tuple:
    return (per_grade(Column(f"{stage}_<grade>", Kind.COUNT, meaning),
                      Column(f"{stage}_<grade>_pct", Kind.PCT, meaning)),
            Column(f"{stage}_not_good", Kind.COUNT, meaning),
            Column(f"{stage}_not_good_pct", Kind.PCT, meaning))


_N = "cases in the group, in the inspection and in its review"
_DIFF = "review % minus initial %, in percentage points"
_NEWCOMBE = ("95% interval of that change (Newcombe's hybrid score interval for independent "
             "samples: the review looks at other cases)")
LAYOUT = Layout("compare-review", (
    FORCE, INSPECTION,
    Column("review", Kind.TEXT, "the post-inspection review (whose `follows` names the "
           "inspection)"),
    AREA, SAMPLE, ASSESSOR, BASIS,
    Column("initial_n", Kind.COUNT, _N), Column("review_n", Kind.COUNT, _N),
    *_stage("initial", "the inspection's counts and % of `initial_n`; not good: every grade "
            "but good"),
    *_stage("review", "the review's counts and % of `review_n`, likewise"),
    per_grade(Column("<grade>_diff_pp", Kind.POINTS, _DIFF),
              Column("<grade>_diff_ci_low", Kind.POINTS, _NEWCOMBE),
              Column("<grade>_diff_ci_high", Kind.POINTS, _NEWCOMBE)),
    Column("not_good_diff_pp", Kind.POINTS, _DIFF),
    Column("not_good_diff_ci_low", Kind.POINTS, _NEWCOMBE),
    Column("not_good_diff_ci_high", Kind.POINTS, _NEWCOMBE),
    Column("fisher_exact_p", Kind.P_VALUE, "Fisher-Freeman-Halton exact test of the two "
           "distributions, as `compare --samples` (the review grades different cases)"),
    Column("mann_whitney_p", Kind.P_VALUE, "Mann-Whitney rank-sum test with ties, as "
           "`compare --samples`"),
    Column("progress", Kind.TEXT, "the latest progress on the inspection's recommendations "
           "by the as-of day"),
    NOTE,
))


def _not_good(dist: Distribution) -> int | None:
    """Cases not graded good: stated as such, or the sum of the stated grades below good."""
    if dist.tally is not None and dist.tally.not_good is not None:
        return None if "not_good" in dist.tally.disputed() else dist.tally.not_good
    below = [g for g in dist.scale if g != "good"]
    known = dist.known
    return sum(known[g] for g in below) if all(g in known for g in below) else None


def _partial(*dists: Distribution) -> bool:
    return any(d.tally is not None and not d.tally.complete for d in dists)


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
            if d.inspection in ids:
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
        same_scale = initial.methodology == review.methodology
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
                known, total = dist.known, dist.total
                row[f"{stage}_n"] = total
                for g in dist.scale:
                    if (same_scale or g == "good") and g in known:
                        row[f"{stage}_{g}"] = known[g]
                        row[f"{stage}_{g}_pct"] = pct(known[g], total) if total else None
                not_good = _not_good(dist)
                row[f"{stage}_not_good"] = not_good
                row[f"{stage}_not_good_pct"] = (pct(not_good, total) if total and
                                                not_good is not None else None)
                if dist.tally is not None and (note := partial_note(dist.tally)):
                    notes.append(f"{who.id}: {note}")
            if key in before and key in after:
                b, a = before[key], after[key]
                pairs_of = {g: (b.known.get(g), a.known.get(g))
                            for g in (b.scale if same_scale else ("good",))}
                pairs_of["not_good"] = (_not_good(b), _not_good(a))
                for g, (x1, x2) in pairs_of.items():
                    if x1 is None or x2 is None or not b.total or not a.total:
                        continue
                    row[f"{g}_diff_pp"] = diff_pp(x1, b.total, x2, a.total)
                    interval = newcombe_difference(x2, a.total, x1, b.total)
                    if interval is not None:
                        row[f"{g}_diff_ci_low"] = fixed(100 * interval[1], 1)
                        row[f"{g}_diff_ci_high"] = fixed(100 * interval[2], 1)
                if same_scale and all(set(d.scale) <= set(d.known) and d.total
                                      for d in (b, a)) and not _partial(b, a):
                    first = [b.known[g] for g in b.scale]
                    second = [a.known[g] for g in a.scale]
                    row["fisher_exact_p"] = significant(
                        stats.fisher_freeman_halton(first, second).p)
                    row["mann_whitney_p"] = significant(stats.mann_whitney(first, second).p)
            if not same_scale:
                notes.append(f"the two were graded under different methodologies "
                             f"({initial.methodology}, {review.methodology}): compared on good "
                             "/ not good only")
            if progress is None:
                notes.append("no progress on the recommendations is recorded")
            row["note"] = "; ".join(notes) or None
            rows.append(row)
    account = chosen.finish(ids)
    empty = [] if rows else ["no inspection with a post-inspection review matches"]
    return Result(LAYOUT, scale_keys, rows, account, empty)
