"""Every force at a glance: one row per inspection or follow-up visit, its published
inspectors' grades, and where its share of a chosen grade sits on a funnel plot.

A funnel plot (Spiegelhalter 2005) sets each force's share against the pooled share of
comparable inspections, inside control limits for its own number of cases: a small sample
far from the pool may be chance, a large one seldom. Comparable means the same kind of
visit (inspections apart from follow-ups, which revisit weaknesses) and the same grade
scale (the four grades of 2014-16 apart from the three of 2017 on), unless the scales are
collapsed to good / not good when asked. There is no rank column: a league table ranks
chance. Partial figures give what they state and no more; a disputed figure is shown as
disputed and used nowhere.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

from ncpi_cli import domain
from ncpi_cli.errors import SelectionError
from ncpi_cli.model import Dataset, Inspection, Tally, settled_date
from ncpi_cli.result import Column, Kind, Layout, Reason, Result, per_grade

from . import funnel
from .common import (
    FORCE,
    INSPECTION,
    NOTE,
    fixed,
    pct,
    round1,
    stated_total_mismatch,
    wilson_pct,
)
from .grades import partial_note
from .select import NO_FILTERS, Filters, case_profiles, select

#: the grades a funnel can be drawn for, and what each counts
OUTCOMES = {"inadequate": "inadequate", "good": "good",
            "not-good": "not good (every grade but good)"}
LEVELS = (0.95, 0.998)
MINIMUM_UNITS = 10
#: below this a pool is mostly the report itself: no band is drawn
MINIMUM_POOL = 3

_CI = "95% Wilson interval of that percentage"
_LIMIT = "control limit of the funnel at this n, in % (exact binomial)"
LAYOUT = Layout("national", (
    FORCE,
    Column("force_name", Kind.TEXT, "the force's name"),
    INSPECTION,
    Column("kind", Kind.TEXT, "`inspection`, `re-inspection`, `post-inspection-review`, "
           "`quarterly-update`, `assessment-of-progress` or `thematic`"),
    Column("fieldwork", Kind.DATE, "when the fieldwork was done (a month, or a window; a "
           "disputed date as the note says)"),
    Column("published", Kind.DATE, "when the report was published (likewise)"),
    Column("methodology", Kind.TEXT, "`ncpi-2014` (four grades), `ncpi-2017` (three) or "
           "`ncpi-2024` (graded topics)"),
    Column("n", Kind.COUNT, "cases the figures cover, as the source states them"),
    Column("<grade>", Kind.COUNT, "inspectors' count of each grade, as stated (empty where "
           "the source does not state it, or sources disagree)"),
    Column("<grade>_pct", Kind.PCT, "that count as a percentage of `n`; or a percentage the "
           "source states without a count"),
    per_grade(Column("<grade>_ci_low", Kind.INTERVAL, _CI),
              Column("<grade>_ci_high", Kind.INTERVAL, _CI)),
    Column("not_good", Kind.COUNT, "cases not graded good: stated, or the sum of the stated "
           "grades below good"),
    Column("not_good_pct", Kind.PCT, "that count as a percentage of `n`"),
    Column("outcome", Kind.TEXT, "the grade the funnel is drawn for: `inadequate`, `good` or "
           "`not-good`"),
    Column("outcome_pct", Kind.PCT, "this row's percentage of that grade"),
    Column("group", Kind.TEXT, "the comparable inspections pooled: kind of visit and scale"),
    Column("units", Kind.COUNT, "inspections in the group with the figure"),
    Column("pooled_pct", Kind.PCT, "the group's pooled percentage (all its cases together)"),
    *(Column(f"limit{level}_{end}", Kind.INTERVAL, _LIMIT)
      for level in ("95", "998") for end in ("low", "high")),
    Column("band", Kind.TEXT, "`within 95%`, `above 95%`, `above 99.8%`, `below 95%` or "
           "`below 99.8%`: where the row sits against the exact limits"),
    Column("phi", Kind.STATISTIC, "the group's overdispersion factor (Spiegelhalter 2005, "
           "10% winsorised; 1 = binomial)"),
    Column("phi_p", Kind.P_VALUE, "chi-square test of overdispersion, units - 1 df"),
    *(Column(f"adjusted{level}_{end}", Kind.INTERVAL, "control limit on the normal "
             "approximation, widened by phi where phi is above 1, in %")
      for level in ("95", "998") for end in ("low", "high")),
    Column("band_adjusted", Kind.TEXT, "where the row sits against the adjusted limits"),
    Column("source", Kind.TEXT, "the figures' source, as published"),
    NOTE,
))

FOLLOW_UP = "follow-up visits"
INSPECTIONS = "inspections"


@dataclass(frozen=True)
class Figures:
    """What a report states of its inspectors' grades of all its cases."""

    inspection: Inspection
    tally: Tally | None
    n: int | None
    counts: dict[str, int]
    not_good: int | None
    percent: dict[str, int]
    notes: tuple[str, ...]

    def outcome(self, name: str) -> int | None:
        if name == "not-good":
            return self.not_good
        return self.counts.get(name)


def _figures(dataset: Dataset, inspection: Inspection, tallies: dict[str, Tally],
             with_cases: set[str]) -> Figures:
    tally = tallies.get(inspection.id)
    if tally is None:
        others = [t for t in dataset.tallies if t.inspection == inspection.id]
        if inspection.id in with_cases:
            return Figures(inspection, None, None, {}, None, {}, (
                "case records, not published figures: this table compares published "
                "figures only; the grade distributions count the cases",))
        why = ("graded by topic (2024 methodology), no case figures published: its topic "
               "judgments give its grades" if inspection.methodology == domain.TOPIC_METHODOLOGY
               and not others else
               "no published case figures found" if not others else
               "figures published only for part of the cases (a sample, a practice area or "
               "the force's own grades), not for all the inspectors graded: the grade "
               "distributions show them")
        return Figures(inspection, None, None, {}, None, {}, (why,))
    disputed = tally.disputed()
    counts = {g: n for g, n in tally.counts.items() if g not in disputed}
    n = tally.usable_total
    not_good = tally.not_good if "not_good" not in disputed else None
    below = [g for g in inspection.scale if g != "good"]
    if not_good is None and all(g in counts for g in below):
        not_good = sum(counts[g] for g in below)
    notes = [note] if (note := partial_note(tally)) else []
    return Figures(inspection, tally, n, counts, not_good, dict(tally.percent), tuple(notes))


def _latest(inspections: list[Inspection]) -> list[Inspection]:
    """The latest of each kind for each force under each methodology (by publication, else
    fieldwork): figures of different methodologies are not comparable, so a 2024 inspection
    does not hide a 2017 one's figures."""
    best: dict[tuple[str, str, str], Inspection] = {}
    for insp in inspections:
        key = (insp.force, insp.kind, insp.methodology)
        if key not in best or _when(insp) > _when(best[key]):
            best[key] = insp
    return [i for i in inspections if best[(i.force, i.kind, i.methodology)] is i]


def _when(insp: Inspection) -> tuple:
    day = insp.published or insp.fieldwork
    return (day.latest(), insp.id) if day else (dt.date.min, insp.id)


def group_of(insp: Inspection, collapse: bool) -> str | None:
    """The comparable group of an inspection; None for one that is of no force."""
    if insp.kind in ("thematic", "self-audit"):
        return None
    visits = FOLLOW_UP if insp.kind in domain.FOLLOW_UP_KINDS else INSPECTIONS
    scale = "good / not good, all scales" if collapse else insp.methodology
    return f"{visits}, {scale}"


def national(dataset: Dataset, filters: Filters = NO_FILTERS, outcome: str = "inadequate",
             collapse: bool = False, every: bool = False, sort: str | None = None,
             descending: bool = False) -> Result:
    """The `national` rows: every inspection and follow-up (the latest of each kind per
    force unless `every`), with its figures and funnel band for `outcome`."""
    return funnels(dataset, filters, outcome, collapse, every, sort, descending)[0]


@dataclass(frozen=True)
class Curve:
    """A group's funnel for a chart: the pooled %, and the limits (in %) at each n."""

    group: str
    pooled: float
    limits: list[tuple[int, float, float, float, float]]
    adjusted: list[tuple[int, float, float, float, float]]


def curves(groups: dict[str, Group]) -> list[Curve]:
    """Each group's control limits from n = 5 to past its largest n."""
    out = []
    for name in sorted(groups):
        g = groups[name]
        if len(g.units) < MINIMUM_POOL:
            continue
        most = max(n for _, n in g.units)
        ns = sorted({*range(5, int(most * 1.05) + 2, max(1, most // 60)), *(n for _, n in
                                                                              g.units)})
        limits, adjusted = [], []
        for n in ns:
            low95, high95 = funnel.funnel_limits(g.p0, n, 0.95)
            low998, high998 = funnel.funnel_limits(g.p0, n, 0.998)
            limits.append((n, 100 * low95, 100 * high95, 100 * low998, 100 * high998))
            if isinstance(g.over, funnel.Overdispersion) and g.over.phi > 1:
                a95 = funnel.adjusted_limits(g.p0, n, 0.95, phi=g.over.phi)
                a998 = funnel.adjusted_limits(g.p0, n, 0.998, phi=g.over.phi)
                adjusted.append((n, 100 * a95[0], 100 * a95[1], 100 * a998[0], 100 * a998[1]))
        out.append(Curve(name, 100 * g.p0, limits, adjusted))
    return out


def funnels(dataset: Dataset, filters: Filters = NO_FILTERS, outcome: str = "inadequate",
            collapse: bool = False, every: bool = False, sort: str | None = None,
            descending: bool = False) -> tuple[Result, list[Curve]]:
    """The `national` result and the funnel of each comparable group, for a chart."""
    if outcome not in OUTCOMES:
        raise SelectionError(f"unknown grade '{outcome}' for the funnel (known: "
                             f"{', '.join(OUTCOMES)})")
    if collapse and outcome == "inadequate":
        raise SelectionError("collapsed scales compare good / not good: choose the grade "
                             "good or not-good")
    area = filters.area or domain.ALL
    chosen = select(dataset, Filters(area=filters.area), tallies=(
        lambda t: None if t.assessor == "inspector" else Reason("a force's own grades"),
        lambda t: None if t.sample == domain.ALL else Reason(
            "one sample only (the row is of all the cases)"),
        lambda t: None if t.area == area else Reason("another practice area"),
    ))
    tallies = {t.inspection: t for t in chosen.tallies}
    inspections = sorted(dataset.inspections.values(), key=lambda i: (i.force, _when(i)))
    inspections = [i for i in inspections if i.kind != "self-audit"]
    if not every:
        latest = {i.id for i in _latest(inspections)}
        named = set(filters.inspection or ())
        inspections = [i for i in inspections if i.id in latest or i.id in named]
    with_cases = {p.inspection for p in case_profiles(dataset)}
    figures = [_figures(dataset, i, tallies, with_cases) for i in inspections]
    groups = _groups(figures, outcome, collapse)
    check_scope = filters.force or filters.inspection
    rows = []
    for f in figures:
        insp = f.inspection
        if check_scope and ((filters.force and insp.force not in filters.force)
                            or (filters.inspection and insp.id not in filters.inspection)):
            continue
        rows.append(_row(dataset, f, outcome, collapse, groups))
    for t in chosen.tallies:
        if t.inspection not in {r["inspection"] for r in rows}:
            chosen.reject("tallies", Reason("not shown (an earlier report of its kind, or "
                                             "outside the selection)"))
    if sort:
        rows = _sorted(rows, sort, descending)
    account = chosen.finish({r["inspection"] for r in rows})
    keys = tuple(g for g in domain.GRADES
                 if any(g in dataset.inspections[r["inspection"]].scale for r in rows)) or (
        domain.SCALES[domain.DEFAULT_METHODOLOGY])
    rows = [{name: row[name] for name in LAYOUT.names(keys)} for row in rows]
    notes = _notes(groups, outcome)
    if not rows:
        notes = ["no inspection matches these filters"]
    mismatches = [m for f in figures if f.tally is not None
                  and f.inspection.id in {r["inspection"] for r in rows}
                  and (m := stated_total_mismatch(f.tally))]
    return Result(LAYOUT, keys, rows, account, notes, mismatches), curves(groups)


@dataclass(frozen=True)
class Group:
    units: list[tuple[int, int]]
    p0: float | None
    over: funnel.Overdispersion | str | None


def _groups(figures: list[Figures], outcome: str, collapse: bool) -> dict[str, Group]:
    """Each comparable group's pool: one report per force (its latest with the figure), so
    that no force weighs twice and the units are independent."""
    latest: dict[tuple[str, str], Figures] = {}
    for f in sorted(figures, key=lambda f: _when(f.inspection)):
        group = group_of(f.inspection, collapse)
        if group is None or f.outcome(outcome) is None or not f.n:
            continue
        latest[(group, f.inspection.force)] = f
    units: dict[str, list[tuple[int, int]]] = {}
    for (group, _), f in sorted(latest.items()):
        units.setdefault(group, []).append((f.outcome(outcome), f.n))
    out = {}
    for group, members in units.items():
        p0 = funnel.pooled_rate(members)
        over = funnel.overdispersion(members, p0, minimum=MINIMUM_UNITS)
        out[group] = Group(members, p0, over)
    return out


def _percent(value: float) -> Decimal | None:
    return fixed(100 * value, 1)


def _row(dataset: Dataset, f: Figures, outcome: str, collapse: bool,
         groups: dict[str, Group]) -> dict[str, object]:
    insp = f.inspection
    force = dataset.forces.get(insp.force)
    fieldwork, fieldwork_note = settled_date(insp, "fieldwork")
    published, published_note = settled_date(insp, "published")
    row: dict[str, object] = {
        "force": insp.force or None, "force_name": force.name if force else None,
        "inspection": insp.id, "kind": insp.kind,
        "fieldwork": str(fieldwork) if fieldwork else None,
        "published": str(published) if published else None,
        "methodology": insp.methodology, "n": f.n, "outcome": outcome,
    }
    notes = [n for n in (fieldwork_note, published_note) if n] + list(f.notes)
    for g in domain.GRADES:
        count = f.counts.get(g)
        row[g] = count
        if count is not None and f.n:
            row[f"{g}_pct"] = pct(count, f.n)
            row[f"{g}_ci_low"], row[f"{g}_ci_high"] = wilson_pct(count, f.n)
        elif g in f.percent:
            row[f"{g}_pct"] = round1(Fraction(f.percent[g]))
    row["not_good"] = f.not_good
    row["not_good_pct"] = pct(f.not_good, f.n) if f.not_good is not None and f.n else None
    y = f.outcome(outcome)
    row["outcome_pct"] = (pct(y, f.n) if y is not None and f.n else
                          row.get(f"{outcome}_pct") if outcome in domain.GRADES else None)
    group = group_of(insp, collapse)
    row["group"] = group
    g = groups.get(group) if group else None
    if group is None:
        notes.append("not a force's inspection: outside every funnel")
    if g is not None:
        row["units"] = len(g.units)
        row["pooled_pct"] = _percent(g.p0)
        if isinstance(g.over, funnel.Overdispersion):
            row["phi"] = fixed(g.over.phi, 3)
            row["phi_p"] = Decimal(format(g.over.p, ".4g"))
        elif g.over is not None and y is not None and f.n and len(g.units) >= MINIMUM_POOL:
            notes.append(f"overdispersion not estimated: {g.over}")
    if g is not None and y is not None and f.n and len(g.units) < MINIMUM_POOL:
        notes.append(f"no funnel: {len(g.units)} comparable report(s) with the figure, and "
                     f"a pool of fewer than {MINIMUM_POOL} is mostly the report itself")
    elif g is not None and y is not None and f.n:
        limits = {level: funnel.funnel_limits(g.p0, f.n, level) for level in LEVELS}
        for level, name in zip(LEVELS, ("95", "998")):
            low, high = limits[level]
            row[f"limit{name}_low"], row[f"limit{name}_high"] = _percent(low), _percent(high)
        row["band"] = funnel.band(y, f.n, g.p0, limits[0.95], limits[0.998])
        if isinstance(g.over, funnel.Overdispersion) and g.over.phi <= 1:
            notes.append(f"phi {g.over.phi:.2f} is not above 1: no overdispersion to allow "
                         "for, so no adjusted limits")
        elif isinstance(g.over, funnel.Overdispersion):
            adjusted = {level: funnel.adjusted_limits(g.p0, f.n, level, phi=g.over.phi)
                        for level in LEVELS}
            for level, name in zip(LEVELS, ("95", "998")):
                low, high = adjusted[level]
                row[f"adjusted{name}_low"] = _percent(low)
                row[f"adjusted{name}_high"] = _percent(high)
            row["band_adjusted"] = funnel.band(y, f.n, g.p0, adjusted[0.95], adjusted[0.998])
    elif f.tally is not None and y is None and group is not None:
        notes.append(f"no {outcome.replace('-', ' ')} count stated: not on the funnel")
    elif f.tally is not None and not f.n and group is not None:
        notes.append("no number of cases stated: no percentage, interval or funnel band")
    row["source"] = f.tally.source if f.tally is not None else None
    row["note"] = "; ".join(notes) or None
    return {name: row.get(name) for name in LAYOUT.names(domain.GRADES)}


def _notes(groups: dict[str, Group], outcome: str) -> list[str]:
    out = []
    for name in sorted(groups):
        g = groups[name]
        text = (f"{name}: pooled {OUTCOMES[outcome]} {_percent(g.p0)}% of "
                f"{sum(n for _, n in g.units)} cases in {len(g.units)} reports")
        if isinstance(g.over, funnel.Overdispersion):
            text += f"; overdispersion phi {g.over.phi:.2f} (p = {g.over.p:.3g})"
        else:
            text += f"; overdispersion not estimated ({g.over})"
        out.append(text)
    out.append("limits are exact binomial (Spiegelhalter 2005); adjusted limits, where phi is "
               "above 1, are normal approximations widened by phi")
    return out


def _sorted(rows: list[dict[str, object]], column: str, descending: bool) -> list[dict]:
    if column not in LAYOUT.names(domain.GRADES):
        raise SelectionError(f"unknown column '{column}' to sort on (known: "
                             f"{', '.join(LAYOUT.names(domain.GRADES))})")
    present = [r for r in rows if r.get(column) is not None]
    absent = [r for r in rows if r.get(column) is None]
    present.sort(key=lambda r: r[column], reverse=descending)
    return present + absent
