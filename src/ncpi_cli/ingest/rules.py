"""The rule set of each record kind, declared once: the YAML reader and the fast path for
case sections both apply these (through `fields.RecordReader`), so a field's rule and its
message exist in one place. Keys are listed in the order messages name them."""

from __future__ import annotations

import re
from typing import Any

import yaml

from ncpi_cli import domain
from ncpi_cli.model import (
    Case,
    FollowUp,
    Force,
    Inspection,
    Progress,
    Recommendation,
    Response,
    Tally,
    Update,
)

from .fields import Field, RecordReader, Rule
from .nodes import line_of

NUMBER_WORDS = {w: i for i, w in enumerate((
    "zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
    "eleven", "twelve"))}

WITHIN = re.compile(r"within ([0-9]+|[a-z]+) months?")
#: Longest period a report sets (a typing error beyond, and due dates would overflow).
MAX_MONTHS = 120
MAX_WEEKS = 520
SECTIONS = ("forces", "inspections", "tallies", "cases", "recommendations")


def parse_period(text: str) -> tuple[int, str] | None:
    """'6 weeks', 'six months', 'within 6 weeks' -> (6, 'weeks')."""
    words = " ".join(text.lower().split()).removeprefix("within ").split(" ")
    if len(words) != 2 or words[1].rstrip("s") not in ("week", "month"):
        return None
    amount = _number(words[0])
    return (amount, words[1].rstrip("s") + "s") if amount else None


def _number(word: str) -> int | None:
    """A small whole number in ASCII digits or in words ('6', 'six')."""
    if re.fullmatch(r"[0-9]+", word):
        return int(word) if len(word) <= 6 else 10**6  # large enough to be refused
    return NUMBER_WORDS.get(word)


def parse_timescale(text: str) -> int | None:
    """Months allowed: 0 for 'immediately', N for 'within N months' (digits or words)."""
    text = " ".join(text.lower().split())
    if text == "immediately":
        return 0
    match = WITHIN.fullmatch(text)
    if not match:
        return None
    return _number(match[1])


def _period_problem(text: str) -> str | None:
    period = parse_period(text)
    if period is None:
        return f"'within: {text}' is not a period such as '6 weeks' or 'six months'"
    limit = MAX_WEEKS if period[1] == "weeks" else MAX_MONTHS
    if period[0] > limit:
        return f"'within: {text}' is implausibly long (more than {limit} {period[1]})"
    return None


def _timescale_problem(text: str) -> str | None:
    months = parse_timescale(text)
    if months is None:
        return f"timescale '{text}' is not 'immediately' or 'within N months'"
    if months > MAX_MONTHS:
        return f"timescale '{text}' is implausibly long (more than {MAX_MONTHS} months)"
    return None


def _reserved(methodology: str) -> str | None:
    if methodology in domain.RESERVED_METHODOLOGIES:
        return (f"methodology {methodology} is reserved for a later version of the format "
                f"({domain.RESERVED_METHODOLOGIES[methodology]})")
    return None


def _nested(kind: str, fields: tuple[Field, ...], build) -> Rule:
    return Rule(kind, fields, build=lambda r, v: (build(v), ()))


PROGRESS = _nested("progress", (
    Field("date", "date", required=True, meaning="when the progress was stated"),
    Field("completed", "count", meaning="recommendations completed"),
    Field("of", "count", meaning="recommendations made"),
    Field("source", "text", required=False, meaning="the statement's source"),
), lambda v: Progress(v["date"], v["completed"], v["of"], v["source"]))

FOLLOW_UP = _nested("follow-up", (
    Field("event", "choice", choices=tuple(domain.FOLLOW_UP_EVENTS), what="follow-up event",
          meaning="`update` (on immediate recommendations), `action-plan` or `revisit`"),
    Field("within", "text", check=lambda text: _period_problem(text),
          meaning="a period after publication: `6 weeks`, `six months`"),
    Field("source", "text", required=False, meaning="where the report sets it"),
), lambda v: FollowUp(v["event"], *parse_period(v["within"]), v["source"]))

RESPONSE = _nested("response", (
    Field("by", "choice", choices=domain.RESPONDENTS, what="respondent",
          meaning="`pcc` (the statutory comments, Police Act 1996 s55) or `force`"),
    Field("date", "date", required=True, meaning="when it was published"),
    Field("source", "text", required=False, meaning="the response as published"),
), lambda v: Response(v["by"], v["date"], v["source"]))

UPDATE = _nested("update", (
    Field("date", "date", required=True, meaning="when the status was known"),
    Field("status", "choice", choices=domain.UPDATE_STATUSES, what="status",
          meaning="`not-started`, `in-progress` or `completed`"),
    Field("source", "text", required=False, meaning="where the status is stated"),
), lambda v: Update(v["date"], v["status"], v["source"]))


FORCE = Rule("force", (
    Field("id", "slug", meaning="slug `[a-z0-9-]+`, e.g. `gwent`, `south-wales`"),
    Field("name", "text", meaning="e.g. `Gwent Police`"),
    Field("country", "choice", required=False, choices=domain.COUNTRIES, what="country",
          vocabulary="country", meaning="`england` or `wales`"),
), build=lambda r, v: (Force(v["id"], v["name"], v["country"], r.origin), ()))


def _inspection(r: RecordReader, v: dict[str, Any]) -> tuple[Inspection, tuple]:
    return Inspection(v["id"], v["force"], v["kind"], r.origin, v["fieldwork"], v["published"],
                      v["follows"], v["methodology"], v["source"], v["progress"],
                      v["follow_up"], v["responses"]), ()


INSPECTION = Rule("inspection", (
    Field("id", "slug", meaning="slug, e.g. `gwent-2019`"),
    Field("force", "slug", meaning="a force id"),
    Field("kind", "choice", choices=domain.INSPECTION_KINDS, what="inspection kind",
          meaning="`inspection`, `post-inspection-review`, or `self-audit` (a force's own "
                  "dip-sample audit)"),
    Field("fieldwork", "date", required=False, meaning="`YYYY-MM` or `YYYY-MM-DD`"),
    Field("published", "date", required=False,
          meaning="`YYYY-MM-DD` (or `YYYY-MM`): drives due dates"),
    Field("follows", "slug", required=False,
          meaning="for a review: the id of the inspection it follows up"),
    Field("methodology", "choice", required=False, what="methodology",
          choices=(*domain.SCALES, *domain.RESERVED_METHODOLOGIES),
          default=domain.DEFAULT_METHODOLOGY, check=_reserved,
          meaning="`ncpi-2014` or `ncpi-2017` (default): fixes the grade scale; `ncpi-2024` "
                  "is reserved"),
    Field("source", "source", required=False, default={},
          meaning="mapping: `title`, `publisher`, `url`, `document`, `note`"),
    Field("progress", "records", required=False, item=PROGRESS,
          meaning="aggregate progress: list of `{date, completed, of, source}`"),
    Field("follow_up", "records", required=False, item=FOLLOW_UP,
          meaning="what the report's next steps require: list of `{event, within, source}`"),
    Field("responses", "records", required=False, item=RESPONSE,
          meaning="published responses: list of `{by, date, source}`"),
), build=_inspection)


def _tally_check(r: RecordReader, v: dict[str, Any]) -> None:
    if v["assessor"] == "force" and v["sample"] == "inspector-selected":
        r.problem(r.fields["sample"], "the force does not grade inspector-selected cases: "
                                      "a force tally's sample is self-assessed or all")
    if isinstance(r.node, yaml.MappingNode) and not any(g in r.fields for g in domain.GRADES):
        r.problem(None, "a tally needs at least one grade count (" +
                  ", ".join(domain.GRADES) + ")")


def _tally(r: RecordReader, v: dict[str, Any]) -> tuple[Tally, list]:
    grades = [(g, v[g], line_of(r.fields[g])) for g in domain.GRADES if g in r.fields]
    return Tally(v["inspection"], v["assessor"], v["sample"], v["area"], {}, r.origin,
                 r.label, v["stated_total"], v["source"]), grades


TALLY = Rule("tally", (
    Field("inspection", "slug", meaning="an inspection id"),
    Field("assessor", "choice", choices=domain.ASSESSORS, what="assessor",
          vocabulary="assessor",
          meaning="`force` (the force's self-assessment) or `inspector`"),
    Field("sample", "choice", required=False, choices=(domain.ALL, *domain.SAMPLES),
          what="sample", default=domain.ALL, vocabulary="sample",
          meaning="`self-assessed`, `inspector-selected` or `all` (default)"),
    Field("area", "choice", required=False, choices=(*domain.AREAS, domain.ALL),
          what="practice area", default=domain.ALL, vocabulary="area",
          meaning="a practice area or `all` (default)"),
    *(Field(g, "count", required=False, meaning="cases graded so (those of the "
                                                "inspection's scale; an omitted one is 0)")
      for g in domain.GRADES),
    Field("stated_total", "count", required=False,
          meaning="the total the source prints beside the counts, if it prints one"),
    Field("source", "text", required=False,
          meaning="locator in the inspection's source, e.g. `p.15, Case file analysis`"),
), label_key="inspection", by_position=True, check=_tally_check, build=_tally)

GRADE_KEYS = ("force_grade", "inspector_grade")


def _case(r: RecordReader, v: dict[str, Any]) -> tuple[Case, list | tuple]:
    line = r.origin.line
    grades = [(key, 0, n) for key in GRADE_KEYS
              if key in r.fields and (n := line_of(r.fields[key])) != line] or ()
    return Case(v["id"], v["inspection"], v["area"], v["sample"], r.origin, v["force_grade"],
                v["inspector_grade"], v["themes"]), grades


CASE = Rule("case", (
    Field("id", "id", meaning="opaque, unique across all loaded files"),
    Field("inspection", "slug", meaning="an inspection id"),
    Field("area", "choice", choices=tuple(domain.AREAS), what="practice area",
          vocabulary="area", meaning="a practice area"),
    Field("sample", "choice", choices=domain.SAMPLES, what="sample", vocabulary="sample",
          meaning="`self-assessed` or `inspector-selected`"),
    Field("force_grade", "grade", required=False,
          meaning="the force's grade: required of a self-assessed case (and in a "
                  "self-audit), absent otherwise"),
    Field("inspector_grade", "grade", required=False,
          meaning="the inspectors' grade: required, except in a self-audit"),
    Field("themes", "slugs", required=False, what="theme",
          meaning="list of short tags, e.g. `[child-not-spoken-to]`"),
), build=_case)


def _recommendation(r: RecordReader, v: dict[str, Any]) -> tuple[Recommendation, tuple]:
    return Recommendation(v["id"], v["inspection"], v["timescale"],
                          parse_timescale(v["timescale"]), v["summary"], r.origin, v["areas"],
                          v["source"], v["updates"]), ()


RECOMMENDATION = Rule("recommendation", (
    Field("id", "slug", meaning="e.g. `gwent-2019-r8`"),
    Field("inspection", "slug", meaning="the inspection that made it"),
    Field("areas", "slugs", required=False, choices=tuple(domain.AREAS), what="practice area",
          meaning="list of practice areas it concerns"),
    Field("timescale", "text", check=lambda text: _timescale_problem(text),
          meaning="`immediately` or `within N months`"),
    Field("summary", "text", meaning="one line, in your own words"),
    Field("source", "text", required=False, meaning="locator"),
    Field("updates", "records", required=False, item=UPDATE,
          meaning="list of `{date, status, source}`"),
), build=_recommendation)

#: The rule of each section's records.
RULES: dict[str, Rule] = {
    "forces": FORCE,
    "inspections": INSPECTION,
    "tallies": TALLY,
    "cases": CASE,
    "recommendations": RECOMMENDATION,
}
