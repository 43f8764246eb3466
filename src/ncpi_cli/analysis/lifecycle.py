"""After the report: recommendations and their due dates, the follow-up timetable, the
post-inspection review and the PCC's statutory response.

Dates are often known only to the month ("published June 2019"). Such a date is a window
of days, never a made-up day: a due date computed from it is a window too, and a step is
called met or missed only when it is so on every day the window allows.
"""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass, replace

from ncpi_cli import domain
from ncpi_cli.model import Dataset, Inspection, PartialDate, Recommendation, settled_date
from ncpi_cli.model import cite as cited
from ncpi_cli.result import Column, Kind, Layout, Result, outside

from .common import FORCE, INSPECTION, NOTE
from .select import AREA, NO_FILTERS, SCOPE, Filters, check_filters, out_of_scope, select

#: Police Act 1996 s55 (as amended): the PCC publishes comments on an HMICFRS report within
#: 56 days of its publication. Counting the publication day as day 1, the last day is 55 days
#: after it.
STATUTORY_DAYS = 56


@dataclass(frozen=True)
class Window:
    """A day, or the range of days a date known only to the month may be."""

    earliest: dt.date
    latest: dt.date

    @classmethod
    def of(cls, date: PartialDate) -> Window:
        return cls(date.earliest(), date.latest())

    @property
    def exact(self) -> bool:
        return self.earliest == self.latest

    def __str__(self) -> str:
        if self.exact:
            return self.earliest.isoformat()
        return f"{self.earliest.isoformat()} to {self.latest.isoformat()}"


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day `months` later; the month's last day where that month is shorter."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def shift(window: Window, amount: int, unit: str) -> Window:
    if unit == "weeks":
        delta = dt.timedelta(weeks=amount)
        return Window(window.earliest + delta, window.latest + delta)
    if unit == "months":
        return Window(add_months(window.earliest, amount), add_months(window.latest, amount))
    if unit == "days":
        delta = dt.timedelta(days=amount)
        return Window(window.earliest + delta, window.latest + delta)
    raise ValueError(f"unknown unit {unit}")


def statutory_deadline(published: Window) -> Window:
    """Last day for the PCC's comments: day 56, counting the publication day as day 1."""
    return shift(published, STATUTORY_DAYS - 1, "days")


def judge(due: Window | None, done: Window | None, as_of: dt.date) -> str:
    """met / missed only when certain on every day the windows allow; pending while the
    deadline may not have passed; unknown when it has passed and the data hold no record."""
    if due is None:
        return "unknown"
    if done is not None:
        if done.latest <= due.earliest:
            return "met"
        if done.earliest > due.latest:
            return "missed"
        return "unknown"
    return "pending" if as_of <= due.latest else "unknown"


def happened(date: Window | None, as_of: dt.date) -> str:
    """An event (fieldwork, a publication, a statement) has no deadline: it is `done`, or
    `unknown` while its window spans the as-of day."""
    if date is not None and date.latest <= as_of:
        return "done"
    return "unknown"


def known_by(date: Window | None, as_of: dt.date) -> Window | None:
    """Evidence as it stood on the as-of day: a date after it was not yet known."""
    return date if date is not None and date.earliest <= as_of else None


def recommendation_due(rec: Recommendation, inspection: Inspection) -> Window | None:
    published = settled_date(inspection, "published")[0]
    if published is None or rec.months is None:
        return None
    return shift(Window.of(published), rec.months, "months")


def latest_update(rec: Recommendation, as_of: dt.date):
    known = [u for u in rec.updates if u.date.latest() <= as_of]
    return max(known, key=lambda u: (u.date.latest(), u.date.earliest()), default=None)


def latest_progress(inspection: Inspection, as_of: dt.date):
    known = [p for p in inspection.progress if p.date.latest() <= as_of]
    return max(known, key=lambda p: p.date.latest(), default=None)


def _progress_text(inspection: Inspection, as_of: dt.date) -> str | None:
    p = latest_progress(inspection, as_of)
    if p is None:
        return None
    return f"{p.completed} of {p.of} completed by {p.date}"


_DUE = ("publication date plus the timescale, as a window of days: its first and last day "
        "(\"immediately\" is the publication date)")
REC_LAYOUT = Layout("recommendations", (
    FORCE, INSPECTION,
    Column("recommendation", Kind.TEXT, "the recommendation's id"),
    Column("type", Kind.TEXT, "`recommendation`, `cause-of-concern` or "
           "`area-for-improvement`"),
    Column("under", Kind.TEXT, "the cause of concern a recommendation is made under"),
    Column("areas", Kind.TEXT, "the practice areas it concerns, space-separated"),
    Column("timescale", Kind.TEXT, "as printed"),
    Column("due", Kind.DATE, _DUE),
    Column("due_latest", Kind.DATE, _DUE),
    Column("status", Kind.TEXT, "the latest update by the as-of day, or `not recorded`"),
    Column("status_date", Kind.DATE, "the date of that update"),
    Column("assurance", Kind.TEXT, "the PCC's assurance in that update (`assured`, "
           "`partly-assured`, `not-assured`), where published"),
    Column("past_due", Kind.FLAG, "the as-of day is after the last possible due day"),
    Column("overdue", Kind.FLAG, "past due and not known to be completed; `false` while not "
           "yet due or once completed; empty when past due with no status recorded"),
    Column("progress", Kind.TEXT, "aggregate statements such as \"4 of 8 completed by "
           "2020-09-02\", recorded on the inspection and never spread over recommendations "
           "by guesswork"),
    Column("summary", Kind.TEXT, "the recommendation in brief"),
    Column("source", Kind.TEXT, "its locator in the report"),
    Column("status_source", Kind.TEXT, "where the status is published"),
    NOTE,
))
REC_COLUMNS = REC_LAYOUT.names(())


def recommendations(dataset: Dataset, filters: Filters = NO_FILTERS,
                    as_of: dt.date | None = None, *, overdue_only: bool = False,
                    due_within: int | None = None) -> Result:
    """The `recommendations` rows: each with its due date and latest known status.
    `overdue_only` keeps those overdue on the as-of day; `due_within` those not completed
    whose due window meets the next `due_within` days."""
    as_of = as_of or dt.date.today()
    chosen = select(dataset, filters, recommendations=(SCOPE, AREA))
    rows = []
    shown: set[str] = set()
    for rec in sorted(chosen.recommendations, key=_rec_order(dataset)):
        inspection = dataset.inspections[rec.inspection]
        due = recommendation_due(rec, inspection)
        update = latest_update(rec, as_of)
        past_due = None if due is None else as_of > due.latest
        completed = update is not None and update.status == "completed"
        notes = []
        if due is not None and not due.exact:
            notes.append(f"publication known only to the month ({inspection.published}): "
                         "due is a range, and past_due counts from its last day")
        if rec.months is None:
            notes.append(f"no timescale set (a {rec.type.replace('-', ' ')}): no due date")
        if update is None and inspection.progress:
            notes.append("progress is published only in aggregate (see progress): which "
                         "recommendations it covers is not")
        overdue = _overdue(due, as_of, update, completed)
        if overdue_only and overdue is not True:
            chosen.reject("recommendations", "not overdue on the as-of day")
            continue
        if due_within is not None and (completed or due is None or due.latest < as_of or
                                       due.earliest > as_of + dt.timedelta(days=due_within)):
            chosen.reject("recommendations", f"not due within {due_within} days of the as-of "
                                             "day (or completed)")
            continue
        shown.add(inspection.id)
        rows.append({
            "force": inspection.force, "inspection": inspection.id, "recommendation": rec.id,
            "type": rec.type, "under": rec.under,
            "areas": " ".join(rec.areas) or None, "timescale": rec.timescale,
            "due": None if due is None else due.earliest.isoformat(),
            "due_latest": None if due is None else due.latest.isoformat(),
            "status": (update.status or "not recorded") if update else "not recorded",
            "status_date": str(update.date) if update else None,
            "assurance": update.assurance if update else None,
            "past_due": past_due, "overdue": overdue,
            "progress": _progress_text(inspection, as_of), "summary": rec.summary,
            "source": rec.source, "status_source": update.source if update else None,
            "note": "; ".join(notes) or None})
    account = chosen.finish(shown)
    notes = [] if rows else ["no recommendations match these filters"]
    return Result(REC_LAYOUT, (), rows, account, notes)


def _overdue(due: Window | None, as_of: dt.date, update, completed: bool) -> bool | None:
    """No while the due day has not come (on every day the window allows) or once it is
    completed; yes when past due and known not completed; else not known."""
    if due is None:
        return None
    if completed or as_of <= due.earliest:
        return False
    if as_of > due.latest and update is not None:
        return True
    return None


def _rec_order(dataset: Dataset):
    def key(rec: Recommendation):
        number = "".join(ch for ch in rec.id.rsplit("-", 1)[-1] if ch.isdigit())
        return (dataset.inspections[rec.inspection].force, rec.inspection,
                int(number) if number else 0, rec.id)
    return key


_DATE = "when the step is due or happened, as a window of days: its first and last day"
TIMELINE_LAYOUT = Layout("timeline", (
    FORCE, INSPECTION,
    Column("step", Kind.TEXT, "what happens: fieldwork, publication, a follow-up, "
           "recommendations due, the PCC's comments, a review, a progress statement"),
    Column("date", Kind.DATE, _DATE),
    Column("date_latest", Kind.DATE, _DATE),
    Column("done", Kind.TEXT, "when the step was done, if the data say"),
    Column("status", Kind.TEXT, "a step with a deadline: `met`, `missed`, `pending` (the "
           "deadline may not yet have passed) or `unknown` (it has passed and the data hold no "
           "record, or the windows overlap); an event without one (fieldwork, a publication, "
           "a progress statement): `done`, or `unknown` while its dates span the as-of day"),
    Column("source", Kind.TEXT, "where the step's date is published"),
    NOTE,
))
TIMELINE_COLUMNS = TIMELINE_LAYOUT.names(())


@dataclass(frozen=True)
class Step:
    inspection: str
    step: str
    date: Window | None
    done: Window | None
    status: str
    source: str | None = None
    note: str | None = None


def _first_pcc(inspection: Inspection):
    responses = sorted((r for r in inspection.responses if r.by == "pcc"),
                       key=lambda r: r.date.earliest())
    return responses[0] if responses else None


def _steps(dataset: Dataset, inspection: Inspection, as_of: dt.date) -> list[Step]:
    settled_published, published_note = settled_date(inspection, "published")
    settled_fieldwork, fieldwork_note = settled_date(inspection, "fieldwork")
    inspection = replace(inspection, published=settled_published,
                         fieldwork=settled_fieldwork)
    published = Window.of(inspection.published) if inspection.published else None
    doc = cited(inspection.source)
    fieldwork = Window.of(inspection.fieldwork) if inspection.fieldwork else None
    steps = _events(inspection.id, [("fieldwork", fieldwork, doc),
                                    ("report published", published, doc)], as_of)
    notes = {"fieldwork": fieldwork_note, "report published": published_note}
    steps = [replace(step, note=notes[step.step]) if notes.get(step.step) else step
             for step in steps]
    if known_by(published, as_of) is None:
        return steps  # nothing after publication was known on the as-of day
    reviews = sorted((r for r in dataset.inspections.values() if r.follows == inspection.id
                      and known_by(_window(r.fieldwork or r.published), as_of)),
                     key=lambda r: r.id)
    first_review = reviews[0] if reviews else None
    for follow in inspection.follow_up:
        due = shift(published, follow.amount, follow.unit) if published else None
        done = None
        if follow.event == "revisit" and first_review and first_review.fieldwork:
            done = known_by(Window.of(first_review.fieldwork), as_of)
        label = f"{domain.FOLLOW_UP_EVENTS[follow.event]} due ({follow.amount} {follow.unit})"
        note = (f"the fieldwork of {first_review.id} stands for the revisit"
                if done is not None else None)
        steps.append(Step(inspection.id, label, due, done, judge(due, done, as_of),
                          follow.source, note))
    made = [r for r in dataset.recommendations if r.inspection == inspection.id
            and r.months is not None]
    for months in sorted({r.months for r in made}):
        group = [r for r in made if r.months == months]
        due = shift(published, months, "months") if published else None
        done_dates = [u.date for r in group for u in r.updates if u.status == "completed"
                      and u.date.latest() <= as_of]
        done = None
        if len(done_dates) == len(group) and group:
            done = Window(max(d.earliest() for d in done_dates),
                          max(d.latest() for d in done_dates))
        when = "immediately" if months == 0 else f"within {months} months"
        note = None
        if done is None and inspection.progress:
            stated = _progress_text(inspection, as_of)
            note = ("progress published only in aggregate: " + stated) if stated else None
        steps.append(Step(inspection.id, f"recommendations due {when} ({len(group)})", due,
                          done, judge(due, done, as_of), group[0].source, note))
    steps.extend(_pcc_step(inspection, published, as_of, "PCC comments on report due"))
    steps.extend(_events(inspection.id, [
        (f"progress: {p.completed} of {p.of} completed", Window.of(p.date), p.source)
        for p in inspection.progress], as_of))
    steps.extend(_events(inspection.id, [
        (f"PCC assurance: {a.level}", Window.of(a.date), a.source)
        for a in inspection.assurance], as_of))
    for review in reviews:
        review_published = _window(review.published)
        doc = cited(review.source)
        steps.extend(_events(review.id, [("review fieldwork", _window(review.fieldwork), doc),
                                         ("review published", review_published, doc)],
                             as_of))
        if known_by(review_published, as_of) is not None:
            steps.extend(_pcc_step(review, review_published, as_of,
                                   "PCC comments on review due"))
    return steps


def _window(date: PartialDate | None) -> Window | None:
    return Window.of(date) if date is not None else None


def _events(inspection: str, events: list[tuple[str, Window | None, str | None]],
            as_of: dt.date) -> list[Step]:
    """Steps without a deadline, as known on the as-of day: one dated after it is left out."""
    return [Step(inspection, name, date, None, happened(date, as_of), source)
            for name, date, source in events
            if date is None or known_by(date, as_of) is not None]


def _pcc_step(inspection: Inspection, published: Window | None, as_of: dt.date,
              label: str) -> list[Step]:
    due = statutory_deadline(published) if published else None
    response = _first_pcc(inspection)
    if response is not None and response.date.earliest() > as_of:
        response = None  # published after the as-of day: not yet known
    done = Window.of(response.date) if response else None
    note = "Police Act 1996 s55: within 56 days of publication, the publication day counted"
    return [Step(inspection.id, f"{label} (56 days)", due, done, judge(due, done, as_of),
                 response.source if response else None, note)]


def timeline(dataset: Dataset, filters: Filters = NO_FILTERS,
             as_of: dt.date | None = None) -> Result:
    """The `timeline` rows: each inspection's steps in date order, with their status."""
    check_filters(dataset, filters)
    as_of = as_of or dt.date.today()
    rows = []
    shown: set[str] = set()
    roots = [i for i in dataset.inspections.values()
             if not (i.follows and i.follows in dataset.inspections)]
    for inspection in sorted(roots, key=lambda i: (i.force, i.id)):
        if out_of_scope(dataset, filters, inspection.id):
            continue
        steps = _steps(dataset, inspection, as_of)
        shown.update(s.inspection for s in steps)
        far = dt.date.max
        steps.sort(key=lambda s: (s.date.earliest if s.date else far,
                                  s.date.latest if s.date else far))
        for s in steps:
            rows.append({
                "force": inspection.force, "inspection": s.inspection, "step": s.step,
                "date": s.date.earliest.isoformat() if s.date else None,
                "date_latest": s.date.latest.isoformat() if s.date else None,
                "done": str(s.done) if s.done else None, "status": s.status,
                "source": s.source, "note": s.note})
    chosen = select(dataset, filters, recommendations=(
        lambda r: None if r.inspection in shown else outside("force", "inspection"),))
    account = chosen.finish(shown)
    notes = [] if rows else ["no inspections match these filters"]
    return Result(TIMELINE_LAYOUT, (), rows, account, notes)
