"""The rule set of each record kind, declared once: the YAML reader and the fast path for
case sections both apply these (through `fields.RecordReader`), so a field's rule and its
message exist in one place. Keys are listed in the order messages name them."""

from __future__ import annotations

import re
from typing import Any

import yaml

from ncpi_cli import domain
from ncpi_cli.model import (
    Assurance,
    Case,
    Dispute,
    FollowUp,
    Force,
    Inspection,
    Judgment,
    JudgmentTally,
    Progress,
    Recommendation,
    Response,
    Tally,
    Update,
    cite,
)

from .fields import Field, RecordReader, Rule
from .nodes import line_of, place_of

NUMBER_WORDS = {w: i for i, w in enumerate((
    "zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
    "eleven", "twelve"))}

WITHIN = re.compile(r"within ([0-9]+|[a-z]+) months?")
#: Longest period a report sets (a typing error beyond, and due dates would overflow).
MAX_MONTHS = 120
MAX_WEEKS = 520
SECTIONS = ("forces", "inspections", "tallies", "cases", "recommendations", "judgments",
            "judgment_tallies")


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

def _update_check(r: RecordReader, v: dict[str, Any]) -> None:
    if isinstance(r.node, yaml.MappingNode) and "status" not in r.fields \
            and "assurance" not in r.fields:
        r.problem(None, "an update needs a 'status' (not-started, in-progress, completed) or "
                        "an 'assurance' (assured, partly-assured, not-assured)")


UPDATE = Rule("update", (
    Field("date", "date", required=True, meaning="when the status was known"),
    Field("status", "choice", required=False, choices=domain.UPDATE_STATUSES, what="status",
          meaning="`not-started`, `in-progress` or `completed`"),
    Field("assurance", "choice", required=False, choices=domain.ASSURANCE_LEVELS,
          what="assurance level", vocabulary="assurance",
          meaning="the PCC's assurance: `assured`, `partly-assured` or `not-assured`"),
    Field("source", "text", required=False, meaning="where the status is stated"),
), check=_update_check, build=lambda r, v: (Update(v["date"], v["status"], v["source"],
                                                     v["assurance"]), ()))

ASSURANCE = _nested("assurance", (
    Field("date", "date", required=True, meaning="when the PCC published it"),
    Field("level", "choice", choices=domain.ASSURANCE_LEVELS, what="assurance level",
          vocabulary="assurance",
          meaning="`assured`, `partly-assured` or `not-assured`"),
    Field("source", "text", required=False, meaning="the PCC's publication"),
), lambda v: Assurance(v["date"], v["level"], v["source"]))


def _dispute_rule(keys: tuple[str, ...], dates: tuple[str, ...]) -> Rule:
    """Another value a source gives for one of `keys`: a count, or for `dates` a date."""

    def value(r: RecordReader, v: dict[str, Any]) -> None:
        if v["key"] is not None and "value" in r.fields:
            v["value"] = (r.date if v["key"] in dates else r.count)("value", True)
        if v["key"] is not None and v["value"] is None:
            r.ok = False
        if isinstance(r.node, yaml.MappingNode) and not isinstance(v["source"], dict):
            r.problem(r.fields.get("source"), "a dispute's 'source' is a mapping (title, "
                                              "publisher, url, date, primary): the source of "
                                              "the other value")

    return Rule("dispute", (
        Field("key", "choice", choices=keys, what="disputed key",
              meaning="the key whose value the source disputes: " +
                      ", ".join(f"`{k}`" for k in keys)),
        Field("value", "scalar", meaning="the other value (a count, or a date)"),
        Field("source", "citation",
              meaning="mapping: the other value's source (`primary: true` when it is the "
                      "report or its publisher)"),
    ), check=value, build=lambda r, v: (Dispute(v["key"], v["value"], cite(v["source"]) or "",
                                                v["source"].get("primary") is True), ()))


INSPECTION_DISPUTE = _dispute_rule(("fieldwork", "published"), ("fieldwork", "published"))
TALLY_DISPUTE = _dispute_rule((*domain.GRADES, domain.NOT_GOOD, "stated_total"), ())


FORCE = Rule("force", (
    Field("id", "slug", meaning="slug `[a-z0-9-]+`, e.g. `gwent`, `south-wales`"),
    Field("name", "text", meaning="e.g. `Gwent Police`"),
    Field("country", "choice", required=False, choices=domain.COUNTRIES, what="country",
          vocabulary="country", meaning="`england` or `wales`"),
), build=lambda r, v: (Force(v["id"], v["name"], v["country"], r.origin), ()))


def _inspection(r: RecordReader, v: dict[str, Any]) -> tuple[Inspection, tuple]:
    return Inspection(v["id"], v["force"] or "", v["kind"], r.origin, v["fieldwork"],
                      v["published"], v["follows"], v["methodology"], v["source"],
                      v["progress"], v["follow_up"], v["responses"],
                      v["recommendations_made"], v["disputes"], v["covers"],
                      v["assurance"]), ()


def _inspection_check(r: RecordReader, v: dict[str, Any]) -> None:
    if not isinstance(r.node, yaml.MappingNode):
        return
    thematic = v["kind"] == "thematic"
    if thematic and "force" in r.fields:
        r.problem(r.fields["force"], "a thematic report is of no one force: name the forces "
                                     "it draws on in 'covers'")
    elif not thematic and "force" not in r.fields and v["kind"] is not None:
        r.problem(None, "missing required key 'force'")
    if "covers" in r.fields and not thematic:
        r.problem(r.fields["covers"], "'covers' is for a thematic report: an inspection is "
                                      "of its 'force'")


INSPECTION = Rule("inspection", (
    Field("id", "slug", meaning="slug, e.g. `gwent-2019`"),
    Field("force", "slug", required=False,
          meaning="a force id: required, except of a `thematic` report"),
    Field("kind", "choice", choices=domain.INSPECTION_KINDS, what="inspection kind",
          meaning="`inspection`, `re-inspection`, `post-inspection-review`, "
                  "`quarterly-update` (the Metropolitan Police's 2017 updates), "
                  "`assessment-of-progress`, `thematic` (a report across forces), or "
                  "`self-audit` (a force's own dip-sample audit)"),
    Field("fieldwork", "date", required=False,
          meaning="`YYYY-MM` or `YYYY-MM-DD`, or a window `YYYY-MM/YYYY-MM`"),
    Field("published", "date", required=False,
          meaning="`YYYY-MM-DD` (or `YYYY-MM`, or a window): drives due dates"),
    Field("follows", "slug", required=False,
          meaning="for a review: the id of the inspection it follows up"),
    Field("methodology", "choice", required=False, what="methodology",
          choices=tuple(domain.SCALES), default=domain.DEFAULT_METHODOLOGY,
          meaning="`ncpi-2014`, `ncpi-2017` (default) or `ncpi-2024` (graded topics: "
                  "`judgments`): fixes the grade scale"),
    Field("source", "source", required=False, default={},
          meaning="mapping: `title`, `publisher`, `url`, `document`, `date`, `primary`, "
                  "`note`"),
    Field("progress", "records", required=False, item=PROGRESS,
          meaning="aggregate progress: list of `{date, completed, of, source}`"),
    Field("follow_up", "records", required=False, item=FOLLOW_UP,
          meaning="what the report's next steps require: list of `{event, within, source}`"),
    Field("responses", "records", required=False, item=RESPONSE,
          meaning="published responses: list of `{by, date, source}`"),
    Field("recommendations_made", "count", required=False,
          meaning="how many recommendations the report made, where a source says"),
    Field("covers", "slugs", required=False, what="force",
          meaning="for a thematic report: the ids of the forces it draws on"),
    Field("disputes", "records", required=False, item=INSPECTION_DISPUTE,
          meaning="other values sources give: list of `{key, value, source}`"),
    Field("assurance", "records", required=False, item=ASSURANCE,
          meaning="a PCC's published assurance on the force's response as a whole: list of "
                  "`{date, level, source}`"),
), check=_inspection_check, build=_inspection)


def _tally_check(r: RecordReader, v: dict[str, Any]) -> None:
    if v["assessor"] == "force" and v["sample"] == "inspector-selected":
        r.problem(r.fields["sample"], "the force does not grade inspector-selected cases: "
                                      "a force tally's sample is self-assessed or all")
    v["percent"] = {g: v[f"{g}_percent"] for g in domain.GRADES
                    if v[f"{g}_percent"] is not None and v[f"{g}_percent"] <= 100}
    if not isinstance(r.node, yaml.MappingNode):
        return
    unstated = v["unstated"]
    if not unstated and not any(g in r.fields for g in domain.GRADES):
        r.problem(None, "a tally needs at least one grade count (" +
                  ", ".join(domain.GRADES) + "), or 'unstated' for the grades its source "
                  "does not state")
    for grade in unstated:
        if grade in r.fields:
            r.problem(r.fields[grade], f"'{grade}' is both given and listed in 'unstated'")
    if unstated and not (v["stated_total"] is not None or v[domain.NOT_GOOD] is not None
                         or any(g in r.fields or f"{g}_percent" in r.fields
                                for g in domain.GRADES)):
        r.problem(None, "a partial tally needs at least one figure: a grade count, "
                        "'not_good', a percentage or 'stated_total'")
    if v[domain.NOT_GOOD] is not None and not unstated:
        r.problem(r.fields[domain.NOT_GOOD], "'not_good' needs 'unstated': the grades it "
                                             "combines are the ones the source does not give")
    for key, node in r.fields.items():
        if key.endswith("_percent") and v[key] is not None and v[key] > 100:
            r.problem(node, f"'{key}: {v[key]}' is not a percentage (0 to 100)")


def _tally(r: RecordReader, v: dict[str, Any]) -> tuple[Tally, list]:
    grades = [(g, v[g], line_of(r.fields[g])) for g in domain.GRADES if g in r.fields]
    source = v["source"]
    text = (source if not isinstance(source, dict) else
            ", ".join(p for p in (cite(source), source.get("note")) if p))
    primary = source.get("primary") if isinstance(source, dict) else None
    return Tally(v["inspection"], v["assessor"], v["sample"], v["area"], {}, r.origin,
                 r.label, v["stated_total"], text, v["unstated"], v[domain.NOT_GOOD],
                 v["percent"], primary, v["disputes"]), grades


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
    Field("unstated", "slugs", required=False, choices=domain.GRADES, what="grade",
          meaning="grades whose counts the source does not state: unknown, not 0 (a "
                  "partial tally)"),
    Field(domain.NOT_GOOD, "count", required=False,
          meaning="cases not graded good, where the source gives only this combined count "
                  "(the grades it combines are `unstated`)"),
    *(Field(f"{g}_percent", "count", required=False,
            meaning="a percentage the source states for the grade without a count")
      for g in domain.GRADES),
    Field("stated_total", "count", required=False,
          meaning="the total the source prints beside the counts, if it prints one"),
    Field("source", "citation", required=False,
          meaning="locator in the inspection's source, e.g. `p.15, Case file analysis`, or "
                  "a source of its own: a mapping as the inspection's `source`"),
    Field("disputes", "records", required=False, item=TALLY_DISPUTE,
          meaning="other values sources give: list of `{key, value, source}`"),
), label_key="inspection", by_position=True, check=_tally_check, build=_tally)

GRADE_KEYS = ("force_grade", "inspector_grade")


def _case(r: RecordReader, v: dict[str, Any]) -> tuple[Case, list | tuple]:
    """The case, and where its grades are where that is not the record's own line (in a
    sheet: always, with the grade's cell, for a problem the cross-file checks find)."""
    line = r.origin.line
    if r.origin.place:
        grades = tuple((key, 0, line_of(r.fields[key]), place_of(r.fields[key]))
                       for key in GRADE_KEYS if key in r.fields)
    else:
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
    months = parse_timescale(v["timescale"]) if v["timescale"] else None
    return Recommendation(v["id"], v["inspection"], v["timescale"], months, v["summary"],
                          r.origin, v["areas"], v["source"], v["updates"], v["type"],
                          v["under"]), ()


def _recommendation_check(r: RecordReader, v: dict[str, Any]) -> None:
    if not isinstance(r.node, yaml.MappingNode):
        return
    if v["type"] == "recommendation" and "timescale" not in r.fields:
        r.problem(None, "missing required key 'timescale' (a cause of concern or an area for "
                        "improvement may have none; a recommendation has one)")
    if v["under"] is not None and v["type"] != "recommendation":
        r.problem(r.fields["under"], "'under' names the cause of concern a recommendation "
                                     "is made under: only a recommendation has it")


RECOMMENDATION = Rule("recommendation", (
    Field("id", "slug", meaning="e.g. `gwent-2019-r8`"),
    Field("inspection", "slug", meaning="the inspection that made it"),
    Field("areas", "slugs", required=False, choices=tuple(domain.AREAS), what="practice area",
          meaning="list of practice areas it concerns"),
    Field("type", "choice", required=False, choices=domain.RECOMMENDATION_TYPES,
          what="recommendation type", default="recommendation",
          meaning="`recommendation` (default), `cause-of-concern` or `area-for-improvement`"),
    Field("under", "slug", required=False,
          meaning="for a recommendation made under a cause of concern: that cause's id"),
    Field("timescale", "text", required=False, check=lambda text: _timescale_problem(text),
          meaning="`immediately` or `within N months`: required of a recommendation"),
    Field("summary", "text", meaning="one line, in your own words"),
    Field("source", "text", required=False, meaning="locator"),
    Field("updates", "records", required=False, item=UPDATE,
          meaning="list of `{date, status, assurance, source}`"),
), check=_recommendation_check, build=_recommendation)


def _judgment(r: RecordReader, v: dict[str, Any]) -> tuple[Judgment, list]:
    return Judgment(v["inspection"], v["topic"], v["grade"], r.origin, r.label,
                    v["source"]), [(v["grade"], 0, line_of(r.fields["grade"]))]


JUDGMENT = Rule("judgment", (
    Field("inspection", "slug", meaning="an inspection id (methodology `ncpi-2024`)"),
    Field("topic", "choice", choices=tuple(domain.TOPICS), what="topic", vocabulary="topic",
          meaning="one of the five graded topics, by slug or by a label reports use"),
    Field("grade", "grade", meaning="the topic's grade, on the inspection's scale"),
    Field("source", "text", required=False, meaning="where the judgment is published"),
), label_key="inspection", by_position=True, build=_judgment)


def _judgment_tally_check(r: RecordReader, v: dict[str, Any]) -> None:
    if isinstance(r.node, yaml.MappingNode) and not any(g in r.fields for g in domain.GRADES):
        r.problem(None, "a judgment tally needs at least one grade count (" +
                  ", ".join(domain.GRADES) + ")")


def _judgment_tally(r: RecordReader, v: dict[str, Any]) -> tuple[JudgmentTally, list]:
    grades = [(g, v[g], line_of(r.fields[g])) for g in domain.GRADES if g in r.fields]
    return JudgmentTally(v["inspection"], {g: n for g, n, _ in grades}, r.origin, r.label,
                         v["source"]), grades


JUDGMENT_TALLY = Rule("judgment tally", (
    Field("inspection", "slug", meaning="an inspection id (methodology `ncpi-2024`)"),
    *(Field(g, "count", required=False, meaning="topics graded so (an omitted grade is 0)")
      for g in domain.GRADES),
    Field("source", "text", required=False, meaning="where the counts are published"),
), label_key="inspection", by_position=True, check=_judgment_tally_check,
    build=_judgment_tally)

#: The rule of each section's records.
RULES: dict[str, Rule] = {
    "forces": FORCE,
    "inspections": INSPECTION,
    "tallies": TALLY,
    "cases": CASE,
    "recommendations": RECOMMENDATION,
    "judgments": JUDGMENT,
    "judgment_tallies": JUDGMENT_TALLY,
}
