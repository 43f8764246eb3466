"""Topic judgments of the 2024 methodology: each inspection's five graded topics, and how
often each topic got each grade across forces.

A report may publish only counts ("adequate in one topic, requires improvement in two,
inadequate in two") and name some topics: the named ones are judgments, the others stay
unnamed, shown as the grades left over, never assigned to a topic by guesswork.
"""

from __future__ import annotations

from collections import Counter

from ncpi_cli import domain
from ncpi_cli.model import Dataset, settled_date
from ncpi_cli.result import Column, Kind, Layout, Reason, Result

from .common import FORCE, INSPECTION, NOTE
from .select import NO_FILTERS, SCOPE, Filters, select

_GRADE = ("its grade (`good`, `adequate`, `requires_improvement`, `inadequate`); empty where "
          "not published or not named")
LAYOUT = Layout("judgments", (
    FORCE,
    Column("force_name", Kind.TEXT, "the force's name"),
    INSPECTION,
    Column("published", Kind.DATE, "when the report was published (a month, or a window)"),
    *(Column(topic.replace("-", "_"), Kind.TEXT, f"{label}: {_GRADE}")
      for topic, label in domain.TOPICS.items()),
    Column("unnamed", Kind.TEXT, "grades published only as counts, for the topics not named "
           "(`1 adequate, 2 requires improvement` over the empty topics)"),
    Column("causes_of_concern", Kind.COUNT, "causes of concern recorded for the inspection "
           "(0: none recorded, which is not the same as none made)"),
    Column("causes", Kind.TEXT, "their summaries, `;`-separated"),
    Column("source", Kind.TEXT, "where the judgments are published"),
    NOTE,
))
TOPIC_LAYOUT = Layout("judgments-topics", (
    Column("topic", Kind.TEXT, "the topic's slug"),
    Column("label", Kind.TEXT, "the topic in words"),
    Column("<grade>", Kind.COUNT, "inspections that graded the topic so"),
    Column("not_named", Kind.COUNT, "inspections whose grade for the topic is published "
           "only within a count (not named)"),
    Column("inspections", Kind.COUNT, "2024-methodology inspections in the selection"),
))
SCALE = domain.SCALES[domain.TOPIC_METHODOLOGY]


def _columns(topic: str) -> str:
    return topic.replace("-", "_")


def _choose(dataset: Dataset, filters: Filters):
    def topic_method(record) -> Reason | None:
        insp = dataset.inspections[record.inspection]
        return None if insp.methodology == domain.TOPIC_METHODOLOGY else Reason(
            "not a 2024-methodology inspection")

    return select(dataset, filters, judgments=(SCOPE, topic_method),
                  judgment_tallies=(SCOPE, topic_method),
                  recommendations=(SCOPE, lambda r: None if r.type == "cause-of-concern"
                                   else Reason("not a cause of concern")))


def judgments(dataset: Dataset, filters: Filters = NO_FILTERS) -> Result:
    """The `judgments` rows: one per 2024-methodology inspection in the selection."""
    chosen = _choose(dataset, filters)
    inspections = [i for i in sorted(dataset.inspections.values(),
                                     key=lambda i: (i.force, i.id))
                   if i.methodology == domain.TOPIC_METHODOLOGY and i.kind != "thematic"
                   and not chosen.scope(i.id)]
    rows = []
    for insp in inspections:
        named = {j.topic: j for j in chosen.judgments if j.inspection == insp.id}
        tally = next((t for t in chosen.judgment_tallies if t.inspection == insp.id), None)
        causes = [r for r in chosen.recommendations if r.inspection == insp.id]
        force = dataset.forces.get(insp.force)
        published, published_note = settled_date(insp, "published")
        row: dict[str, object] = {
            "force": insp.force, "force_name": force.name if force else None,
            "inspection": insp.id, "published": str(published) if published else None}
        for topic in domain.TOPICS:
            row[_columns(topic)] = named[topic].grade if topic in named else None
        notes = [published_note] if published_note else []
        row["unnamed"] = None
        missing = [t for t in domain.TOPICS if t not in named]
        if tally is not None:
            left = Counter(tally.counts)
            left.subtract(Counter(j.grade for j in named.values()))
            parts = [f"{left[g]} {domain.GRADE_LABELS[g]}" for g in SCALE if left[g] > 0]
            row["unnamed"] = ", ".join(parts) or None
            counted = sum(n for n in left.values() if n > 0)
            if missing and parts:
                notes.append(f"published only as counts for {', '.join(missing)}: which of "
                             "them got which grade is not published")
            if counted < len(missing):
                notes.append(f"{len(missing) - counted} of the {len(missing)} topics not "
                             "named have no grade published at all")
        elif missing and named:
            notes.append(f"no judgment recorded for {', '.join(missing)}")
        elif not named:
            notes.append("no topic judgments recorded")
        row["causes_of_concern"] = len(causes)
        row["causes"] = "; ".join(c.summary.rstrip(".") for c in causes) or None
        sources = [j.source for j in named.values() if j.source]
        if tally is not None and tally.source:
            sources.append(tally.source)
        row["source"] = "; ".join(dict.fromkeys(sources)) or None
        row["note"] = "; ".join(notes) or None
        rows.append(row)
    account = chosen.finish({r["inspection"] for r in rows})
    empty = [] if rows else ["no 2024-methodology inspection matches these filters"]
    return Result(LAYOUT, (), rows, account, empty)


def by_topic(dataset: Dataset, filters: Filters = NO_FILTERS) -> Result:
    """How many inspections graded each topic so, and how many published it unnamed."""
    result = judgments(dataset, filters)
    rows = []
    for topic, label in domain.TOPICS.items():
        grades = Counter(r[_columns(topic)] for r in result.rows)
        row: dict[str, object] = {"topic": topic, "label": label}
        for g in SCALE:
            row[g] = grades.get(g, 0)
        row["not_named"] = sum(1 for r in result.rows
                               if r[_columns(topic)] is None and r["unnamed"])
        row["inspections"] = len(result.rows)
        rows.append(row)
    return Result(TOPIC_LAYOUT, SCALE, rows, result.account, list(result.notes))
