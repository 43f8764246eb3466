"""One test per validation rule, each with its exact message and line.

Each case is a small document; the expected problem is written out in full as the user sees
it (`file:line: record: message`), so a change of wording is a visible change of contract.
"""

from __future__ import annotations

import pytest

from conftest import PREAMBLE
from ncpi_cli.ingest import load

T = PREAMBLE  # 6 lines: records below start on line 7


def _msgs(result) -> list[str]:
    return [f"{p.line}: {p.record}: {p.message}" if p.record else f"{p.line}: {p.message}"
            for p in result.problems]


RULES = [
    # (rule, document, expected problems as "line: record: message")
    ("missing version",
     "forces: []\n",
     ["1: missing 'ncpi: 1' (the format version) at the top of the file"]),
    ("unsupported version",
     "ncpi: 2\n",
     ["1: unsupported format version 2: this ncpi reads version 1"]),
    ("version as text",
     'ncpi: "1"\n',
     ["1: 'ncpi' must be a whole number, not text ('1')"]),
    ("top level not a mapping",
     "- ncpi: 1\n",
     ["1: the file must hold a mapping with 'ncpi: 1' and lists of records, not a list"]),
    ("unknown top-level key",
     "ncpi: 1\nforce: []\n",
     ["2: unknown key 'force' (known: ncpi, forces, inspections, tallies, cases, "
      "recommendations, judgments, judgment_tallies)"]),
    ("section not a list",
     "ncpi: 1\nforces: {id: gwent}\n",
     ["2: 'forces' must be a list, not a mapping"]),
    ("section empty",
     "ncpi: 1\ncases:\n",
     ["2: 'cases' must be a list, not empty"]),
    ("record not a mapping",
     "ncpi: 1\nforces:\n  - gwent\n",
     ["3: force #1: expected a mapping of keys to values, found text"]),
    ("missing required key",
     "ncpi: 1\nforces:\n  - {id: gwent}\n",
     ["3: force gwent: missing required key 'name'"]),
    ("unknown record key",
     "ncpi: 1\nforces:\n  - {id: gwent, name: Gwent Police, region: wales}\n",
     ["3: force gwent: unknown key 'region' (known: id, name, country)"]),
    ("duplicate key",
     "ncpi: 1\nforces:\n  - id: gwent\n    name: A\n    name: B\n",
     ["5: force gwent: duplicate key 'name' (first at line 4): YAML would silently keep only "
      "the last"]),
    ("key that is not text",
     "ncpi: 1\nforces:\n  - {id: gwent, name: G, yes: 1}\n",
     ["3: force gwent: key 'yes' is read by YAML as a boolean, not text"]),
    ("yaml 1.1 boolean where text expected",
     "ncpi: 1\nforces:\n  - {id: gwent, name: G, country: no}\n",
     ["3: force gwent: 'country: no' is read by YAML 1.1 as a boolean (false), not text: "
      "quote it (\"no\") if text is meant"]),
    ("octal-looking number where text expected",
     T + "cases:\n  - {id: 010, inspection: t-2019, area: s47, sample: inspector-selected,"
         " inspector_grade: good}\n",
     ["8: case 010: 'id: 010' is read by YAML 1.1 as the octal number 8, not text: quote it "
      "(\"010\") if text is meant"]),
    ("bare date where text expected",
     "ncpi: 1\nforces:\n  - {id: gwent, name: 2019-02-04}\n",
     ["3: force gwent: 'name: 2019-02-04' is read by YAML 1.1 as a date, not text: quote it "
      "(\"2019-02-04\") if text is meant"]),
    ("empty value",
     "ncpi: 1\nforces:\n  - {id: gwent, name: }\n",
     ["3: force gwent: 'name' has no value: give one, or leave the key out"]),
    ("list where a value is expected",
     "ncpi: 1\nforces:\n  - {id: gwent, name: [a, b]}\n",
     ["3: force gwent: 'name' must be a single value, not a list"]),
    ("blank text",
     "ncpi: 1\nforces:\n  - {id: gwent, name: '  '}\n",
     ["3: force gwent: 'name' is blank"]),
    ("id not a slug",
     "ncpi: 1\nforces:\n  - {id: Gwent Police, name: G}\n",
     ["3: force Gwent Police: 'id' must be a slug of lower-case letters, digits and hyphens, "
      "not 'Gwent Police'"]),
    ("unknown country",
     "ncpi: 1\nforces:\n  - {id: gwent, name: G, country: scotland}\n",
     ["3: force gwent: unknown country 'scotland' (known: england, wales)"]),
    ("unknown inspection kind",
     "ncpi: 1\nforces: [{id: f, name: F}]\ninspections:\n  - {id: i, force: f, kind: audit}\n",
     ["4: inspection i: unknown inspection kind 'audit' (known: inspection, re-inspection, "
      "post-inspection-review, quarterly-update, assessment-of-progress, thematic, "
      "self-audit)"]),
    ("unknown methodology",
     "ncpi: 1\nforces: [{id: f, name: F}]\ninspections:\n"
     "  - {id: i, force: f, kind: inspection, methodology: ncpi-2010}\n",
     ["4: inspection i: unknown methodology 'ncpi-2010' (known: ncpi-2014, ncpi-2017, "
      "ncpi-2024)"]),
    ("malformed date",
     "ncpi: 1\nforces: [{id: f, name: F}]\ninspections:\n"
     "  - {id: i, force: f, kind: inspection, fieldwork: 2019/02}\n",
     ["4: inspection i: 'fieldwork' must be a date as YYYY-MM-DD or YYYY-MM, or a window of "
      "two (YYYY-MM/YYYY-MM), not '2019/02'"]),
    ("impossible date",
     "ncpi: 1\nforces: [{id: f, name: F}]\ninspections:\n"
     "  - {id: i, force: f, kind: inspection, published: 2019-02-30}\n",
     ["4: inspection i: 'published: 2019-02-30' is not a real date"]),
    ("undefined force",
     "ncpi: 1\nforces: [{id: f, name: F}]\ninspections:\n"
     "  - {id: i, force: g, kind: inspection}\n",
     ["4: inspection i: force 'g' is not defined in the loaded data (define it under "
      "'forces:' in a YAML file read with this one, as docs/data-format.md shows; known: f)"]),
    ("follows an undefined inspection",
     "ncpi: 1\nforces: [{id: f, name: F}]\ninspections:\n"
     "  - {id: r, force: f, kind: post-inspection-review, follows: i}\n",
     ["4: inspection r: follows 'i', which is not an inspection in the loaded data "
      "(known: r)"]),
    ("follows another force's inspection",
     "ncpi: 1\nforces: [{id: f, name: F}, {id: g, name: G}]\ninspections:\n"
     "  - {id: i, force: g, kind: inspection}\n"
     "  - {id: r, force: f, kind: post-inspection-review, follows: i}\n",
     ["5: inspection r: follows 'i', an inspection of another force (g)"]),
    ("follows itself",
     "ncpi: 1\nforces: [{id: f, name: F}]\ninspections:\n"
     "  - {id: r, force: f, kind: post-inspection-review, follows: r}\n",
     ["4: inspection r: an inspection cannot follow itself"]),
    ("duplicate id",
     "ncpi: 1\nforces:\n  - {id: f, name: F}\n  - {id: f, name: G}\n",
     ["4: force f: duplicate force id 'f' (first at data.yaml:3)"]),
    ("undefined inspection",
     T + "tallies:\n  - {inspection: t-2020, assessor: inspector, good: 1}\n",
     ["8: tally #1 (t-2020): inspection 't-2020' is not defined in the loaded data "
      "(define it under 'inspections:' in a YAML file read with this one, as "
      "docs/data-format.md shows; known: t-2015, t-2019)"]),
    ("unknown assessor",
     T + "tallies:\n  - {inspection: t-2019, assessor: police, good: 1}\n",
     ["8: tally #1 (t-2019): unknown assessor 'police' (known: force, inspector)"]),
    ("unknown sample",
     T + "tallies:\n  - {inspection: t-2019, assessor: inspector, sample: random, good: 1}\n",
     ["8: tally #1 (t-2019): unknown sample 'random' (known: all, self-assessed, "
      "inspector-selected)"]),
    ("unknown practice area",
     T + "tallies:\n  - {inspection: t-2019, assessor: inspector, area: burglary, good: 1}\n",
     ["8: tally #1 (t-2019): unknown practice area 'burglary' (known: s46, s47, "
      "domestic-abuse, other-referrals, cse, missing, rso, custody, online-abuse, "
      "unexpected-death, all)"]),
    ("force tally of inspector-selected cases",
     T + "tallies:\n  - {inspection: t-2019, assessor: force, sample: inspector-selected,"
         " good: 1}\n",
     ["8: tally #1 (t-2019): the force does not grade inspector-selected cases: a force "
      "tally's sample is self-assessed or all"]),
    ("tally without counts",
     T + "tallies:\n  - {inspection: t-2019, assessor: inspector}\n",
     ["8: tally #1 (t-2019): a tally needs at least one grade count (good, adequate, "
      "requires_improvement, inadequate), or 'unstated' for the grades its source does not "
      "state"]),
    ("partial tally without a figure",
     T + "tallies:\n  - {inspection: t-2019, assessor: inspector, unstated: [good]}\n",
     ["8: tally #1 (t-2019): a partial tally needs at least one figure: a grade count, "
      "'not_good', a percentage or 'stated_total'"]),
    ("grade both given and unstated",
     T + "tallies:\n  - {inspection: t-2019, assessor: inspector, good: 3, unstated: [good]}\n",
     ["8: tally #1 (t-2019): 'good' is both given and listed in 'unstated'"]),
    ("unstated grade misspelt",
     T + "tallies:\n  - {inspection: t-2019, assessor: inspector, good: 3, unstated: [bad]}\n",
     ["8: tally #1 (t-2019): unknown grade 'bad' in 'unstated' (known: good, adequate, "
      "requires_improvement, inadequate)"]),
    ("unstated grade off the scale",
     T + "tallies:\n  - {inspection: t-2019, assessor: inspector, good: 3, "
         "unstated: [adequate]}\n",
     ["8: tally #1 (t-2019): 'adequate' in 'unstated' is not a grade of the ncpi-2017 scale "
      "used by inspection t-2019 (good, requires improvement, inadequate)"]),
    ("not good without unstated grades",
     T + "tallies:\n  - {inspection: t-2019, assessor: inspector, good: 3, not_good: 5}\n",
     ["8: tally #1 (t-2019): 'not_good' needs 'unstated': the grades it combines are the "
      "ones the source does not give"]),
    ("percentage over 100",
     T + "tallies:\n  - {inspection: t-2019, assessor: inspector, good_percent: 260, "
         "unstated: [good, requires_improvement, inadequate]}\n",
     ["8: tally #1 (t-2019): 'good_percent: 260' is not a percentage (0 to 100)"]),
    ("dispute of an unknown key",
     T + "tallies:\n  - {inspection: t-2019, assessor: inspector, good: 3, disputes: "
         "[{key: total, value: 4, source: {url: x}}]}\n",
     ["8: tally #1 (t-2019): unknown disputed key 'total' (known: good, adequate, "
      "requires_improvement, inadequate, not_good, stated_total)"]),
    ("disputed count as text",
     T + "tallies:\n  - {inspection: t-2019, assessor: inspector, good: 3, disputes: "
         "[{key: good, value: four, source: {url: x}}]}\n",
     ["8: tally #1 (t-2019): 'value' must be a whole number, not text ('four')"]),
    ("dispute without its source",
     T + "tallies:\n  - {inspection: t-2019, assessor: inspector, good: 3, disputes: "
         "[{key: good, value: 4, source: a newspaper}]}\n",
     ["8: tally #1 (t-2019): a dispute's 'source' is a mapping (title, publisher, url, date, "
      "primary): the source of the other value"]),
    ("primary that is not a flag",
     T + "tallies:\n  - {inspection: t-2019, assessor: inspector, good: 3, "
         "source: {url: x, primary: yes}}\n",
     ["8: tally #1 (t-2019): 'primary' must be true or false, not 'yes'"]),
    ("dispute of a figure the tally does not state",
     T + "tallies:\n  - {inspection: t-2019, assessor: inspector, good: 20, not_good: 59, "
         "stated_total: 79, unstated: [requires_improvement, inadequate], disputes: "
         "[{key: inadequate, value: 30, source: {url: x, primary: true}}]}\n",
     ["8: tally #1 (t-2019): a dispute of 'inadequate', which the tally does not state: give "
      "the figure the tally's source states, and the other value under 'disputes'"]),
    ("partial counts beyond the stated total",
     T + "tallies:\n  - {inspection: t-2019, assessor: inspector, inadequate: 50, "
         "stated_total: 10, unstated: [good, requires_improvement]}\n",
     ["8: tally #1 (t-2019): the stated counts add up to 50, more than the 10 cases stated"]),
    ("good and not good beyond the stated total",
     T + "tallies:\n  - {inspection: t-2019, assessor: inspector, good: 20, not_good: 70, "
         "stated_total: 80, unstated: [requires_improvement, inadequate]}\n",
     ["8: tally #1 (t-2019): good 20 and not good 70 add up to more than the 80 cases "
      "stated"]),
    ("not good below the grades under good",
     T + "tallies:\n  - {inspection: t-2019, assessor: inspector, inadequate: 30, "
         "not_good: 20, unstated: [good, requires_improvement]}\n",
     ["8: tally #1 (t-2019): not good is 20, fewer than the 30 cases stated below good"]),
    ("disputed date that is not one",
     "ncpi: 1\nforces: [{id: f, name: F}]\ninspections:\n"
     "  - {id: i, force: f, kind: inspection, published: 2022-12-22, disputes: "
     "[{key: published, value: 23 December, source: {url: x}}]}\n",
     ["4: inspection i: 'value' must be a date as YYYY-MM-DD or YYYY-MM, or a window of two "
      "(YYYY-MM/YYYY-MM), not '23 December'"]),
    ("date window backwards",
     "ncpi: 1\nforces: [{id: f, name: F}]\ninspections:\n"
     "  - {id: i, force: f, kind: inspection, fieldwork: 2016-05/2016-02}\n",
     ["4: inspection i: 'fieldwork: 2016-05/2016-02' is not a window: its end must come "
      "after its start"]),
    ("inspection without a force",
     "ncpi: 1\ninspections:\n  - {id: i, kind: inspection}\n",
     ["3: inspection i: missing required key 'force'"]),
    ("thematic report of one force",
     "ncpi: 1\nforces: [{id: f, name: F}]\ninspections:\n"
     "  - {id: i, force: f, kind: thematic}\n",
     ["4: inspection i: a thematic report is of no one force: name the forces it draws on "
      "in 'covers'"]),
    ("covers on an inspection",
     "ncpi: 1\nforces: [{id: f, name: F}]\ninspections:\n"
     "  - {id: i, force: f, kind: inspection, covers: [f]}\n",
     ["4: inspection i: 'covers' is for a thematic report: an inspection is of its 'force'"]),
    ("negative count",
     T + "tallies:\n  - {inspection: t-2019, assessor: inspector, good: -3}\n",
     ["8: tally #1 (t-2019): 'good' must not be negative, got -3"]),
    ("absurd count",
     T + "tallies:\n  - {inspection: t-2019, assessor: inspector, good: 10000000000}\n",
     ["8: tally #1 (t-2019): 'good: 10000000000' is implausibly large (more than "
      "1,000,000)"]),
    ("count with a leading zero",
     T + "tallies:\n  - {inspection: t-2019, assessor: inspector, good: 010}\n",
     ["8: tally #1 (t-2019): 'good: 010' is read by YAML 1.1 as the octal number 8: write a "
      "plain whole number without leading zeros, signs or separators"]),
    ("count as text",
     T + "tallies:\n  - {inspection: t-2019, assessor: inspector, good: \"3\"}\n",
     ["8: tally #1 (t-2019): 'good' must be a whole number, not text ('3')"]),
    ("count as a fraction",
     T + "tallies:\n  - {inspection: t-2019, assessor: inspector, good: 2.5}\n",
     ["8: tally #1 (t-2019): 'good' must be a whole number, not 2.5 (read by YAML 1.1 as a "
      "number)"]),
    ("count as a boolean",
     T + "tallies:\n  - {inspection: t-2019, assessor: inspector, good: yes}\n",
     ["8: tally #1 (t-2019): 'good' must be a whole number, not yes (read by YAML 1.1 as a "
      "boolean (true))"]),
    ("tally grade outside the scale",
     T + "tallies:\n  - {inspection: t-2019, assessor: inspector, good: 1, adequate: 2}\n",
     ["8: tally #1 (t-2019): 'adequate' is not a grade of the ncpi-2017 scale used by "
      "inspection t-2019 (good, requires improvement, inadequate)"]),
    ("duplicate tally",
     T + "tallies:\n  - {inspection: t-2019, assessor: inspector, good: 1}\n"
         "  - {inspection: t-2019, assessor: inspector, sample: all, good: 2}\n",
     ["9: tally #2 (t-2019): duplicate tally: t-2019, assessor inspector, sample all, area "
      "all is already given at data.yaml:8"]),
    ("unknown grade spelling",
     T + "cases:\n  - {id: C1, inspection: t-2019, area: s47, sample: inspector-selected,"
         " inspector_grade: outstanding}\n",
     ["8: case C1: unknown grade 'outstanding' (accepted: good, adequate, requires "
      "improvement (also requires-improvement, requires_improvement, requiring improvement, "
      "RI), inadequate)"]),
    ("case grade outside the scale",
     T + "cases:\n  - {id: C1, inspection: t-2019, area: s47, sample: inspector-selected,"
         " inspector_grade: adequate}\n",
     ["8: case C1: inspector grade 'adequate' is not on the ncpi-2017 scale used by "
      "inspection t-2019 (good, requires improvement, inadequate)"]),
    ("case sample 'all'",
     T + "cases:\n  - {id: C1, inspection: t-2019, area: s47, sample: all,"
         " inspector_grade: good}\n",
     ["8: case C1: unknown sample 'all' (known: self-assessed, inspector-selected)"]),
    ("case area 'all'",
     T + "cases:\n  - {id: C1, inspection: t-2019, area: all, sample: inspector-selected,"
         " inspector_grade: good}\n",
     ["8: case C1: unknown practice area 'all' (known: s46, s47, domestic-abuse, "
      "other-referrals, cse, missing, rso, custody, online-abuse, unexpected-death)"]),
    ("self-assessed case without a force grade",
     T + "cases:\n  - {id: C1, inspection: t-2019, area: s47, sample: self-assessed,"
         " inspector_grade: good}\n",
     ["8: case C1: missing 'force_grade': a self-assessed case carries the force's grade"]),
    ("inspector-selected case with a force grade",
     T + "cases:\n  - {id: C1, inspection: t-2019, area: s47, sample: inspector-selected,"
         " force_grade: good, inspector_grade: good}\n",
     ["8: case C1: an inspector-selected case must not have a force grade (the force grades "
      "only its self-assessed cases): remove 'force_grade' or "
      "make the case self-assessed"]),
    ("case without an inspector grade",
     T + "cases:\n  - {id: C1, inspection: t-2019, area: s47, sample: self-assessed,"
         " force_grade: good}\n",
     ["8: case C1: missing 'inspector_grade': every case of an inspection or review carries "
      "the inspectors' grade"]),
    ("theme not a slug",
     T + "cases:\n  - {id: C1, inspection: t-2019, area: s47, sample: inspector-selected,"
         " inspector_grade: good, themes: [Child Not Seen]}\n",
     ["8: case C1: 'themes' entries must be slugs of lower-case letters, digits and hyphens, "
      "not 'Child Not Seen'"]),
    ("unknown timescale",
     T + "recommendations:\n  - {id: r1, inspection: t-2019, timescale: soon, summary: S}\n",
     ["8: recommendation r1: timescale 'soon' is not 'immediately' or 'within N months'"]),
    ("unknown update status",
     T + "recommendations:\n  - {id: r1, inspection: t-2019, timescale: immediately,"
         " summary: S, updates: [{date: 2019-09, status: done}]}\n",
     ["8: recommendation r1: unknown status 'done' (known: not-started, in-progress, "
      "completed)"]),
    ("progress entry missing a key",
     "ncpi: 1\nforces: [{id: f, name: F}]\ninspections:\n"
     "  - {id: i, force: f, kind: inspection, progress: [{date: 2020-09-02, completed: 4}]}\n",
     ["4: inspection i: missing required key 'of'"]),
    ("unknown practice area in a list",
     T + "recommendations:\n  - {id: r1, inspection: t-2019, timescale: immediately,"
         " summary: S, areas: [custody, traffic]}\n",
     ["8: recommendation r1: unknown practice area 'traffic' in 'areas' (known: s46, s47, "
      "domestic-abuse, other-referrals, cse, missing, rso, custody, online-abuse, "
      "unexpected-death)"]),
    ("list entry that is not text",
     T + "cases:\n  - {id: C1, inspection: t-2019, area: s47, sample: inspector-selected,"
         " inspector_grade: good, themes: [{a: 1}]}\n",
     ["8: case C1: each entry of 'themes' must be text, not a mapping"]),
    ("unknown follow-up event",
     "ncpi: 1\nforces: [{id: f, name: F}]\ninspections:\n"
     "  - {id: i, force: f, kind: inspection, follow_up: [{event: inspection, within: 6 weeks}]}\n",
     ["4: inspection i: unknown follow-up event 'inspection' (known: update, action-plan, "
      "revisit)"]),
    ("follow-up period that is not one",
     "ncpi: 1\nforces: [{id: f, name: F}]\ninspections:\n"
     "  - {id: i, force: f, kind: inspection, follow_up: [{event: revisit, within: soon}]}\n",
     ["4: inspection i: 'within: soon' is not a period such as '6 weeks' or 'six months'"]),
    ("unknown respondent",
     "ncpi: 1\nforces: [{id: f, name: F}]\ninspections:\n"
     "  - {id: i, force: f, kind: inspection, responses: [{by: mayor, date: 2020-09-02}]}\n",
     ["4: inspection i: unknown respondent 'mayor' (known: pcc, force)"]),
    ("unknown source key",
     "ncpi: 1\nforces: [{id: f, name: F}]\ninspections:\n"
     "  - {id: i, force: f, kind: inspection, source: {page: 3}}\n",
     ["4: inspection i: unknown key 'page' (known: title, publisher, url, document, date, "
      "primary, note)"]),
    ("unknown topic",
     "ncpi: 1\nforces: [{id: f, name: F}]\ninspections:\n"
     "  - {id: i, force: f, kind: inspection, methodology: ncpi-2024}\n"
     "  - {id: o, force: f, kind: inspection}\n"
     "judgments: [{inspection: i, topic: leadershp, grade: good}]\n",
     ["6: judgment #1 (i): unknown topic 'leadershp' (did you mean 'leadership'? known: "
      "leadership, partnership-working, initial-response, risk-assessment-and-referral, "
      "investigation)"]),
    ("judgment of a 2017 inspection",
     "ncpi: 1\nforces: [{id: f, name: F}]\ninspections:\n"
     "  - {id: i, force: f, kind: inspection, methodology: ncpi-2024}\n"
     "  - {id: o, force: f, kind: inspection}\n"
     "judgments: [{inspection: o, topic: leadership, grade: good}]\n",
     ["6: judgment #1 (o): inspection o is ncpi-2017: topics are graded under ncpi-2024 "
      "only"]),
    ("topic judged twice",
     "ncpi: 1\nforces: [{id: f, name: F}]\ninspections:\n"
     "  - {id: i, force: f, kind: inspection, methodology: ncpi-2024}\n"
     "  - {id: o, force: f, kind: inspection}\n"
     "judgments:\n  - {inspection: i, topic: leadership, grade: good}\n"
     "  - {inspection: i, topic: Leadership, grade: adequate}\n",
     ["8: judgment #2 (i): topic leadership of i is already given at data.yaml:7"]),
    ("judgment tally past five topics",
     "ncpi: 1\nforces: [{id: f, name: F}]\ninspections:\n"
     "  - {id: i, force: f, kind: inspection, methodology: ncpi-2024}\n"
     "  - {id: o, force: f, kind: inspection}\n"
     "judgment_tallies: [{inspection: i, good: 4, adequate: 2}]\n",
     ["6: judgment tally #1 (i): the counts add up to 6 topics; there are 5"]),
    ("named judgments beyond the tally",
     "ncpi: 1\nforces: [{id: f, name: F}]\ninspections:\n"
     "  - {id: i, force: f, kind: inspection, methodology: ncpi-2024}\n"
     "  - {id: o, force: f, kind: inspection}\n"
     "judgments:\n  - {inspection: i, topic: leadership, grade: good}\n"
     "  - {inspection: i, topic: investigation, grade: good}\n"
     "judgment_tallies: [{inspection: i, good: 1, adequate: 4}]\n",
     ["9: judgment tally #1 (i): 2 topic(s) are judged good but the tally counts 1"]),
    ("recommendation without a timescale",
     "ncpi: 1\nforces: [{id: f, name: F}]\ninspections:\n"
     "  - {id: i, force: f, kind: inspection, methodology: ncpi-2024}\n"
     "  - {id: o, force: f, kind: inspection}\n"
     "recommendations: [{id: r1, inspection: i, summary: Do it.}]\n",
     ["6: recommendation r1: missing required key 'timescale' (a cause of concern or an area "
      "for improvement may have none; a recommendation has one)"]),
    ("under a cause of concern that is not one",
     "ncpi: 1\nforces: [{id: f, name: F}]\ninspections:\n"
     "  - {id: i, force: f, kind: inspection, methodology: ncpi-2024}\n"
     "  - {id: o, force: f, kind: inspection}\n"
     "recommendations:\n  - {id: c1, inspection: i, type: area-for-improvement, summary: A.}\n"
     "  - {id: r1, inspection: i, under: c1, timescale: within 3 months, summary: B.}\n",
     ["8: recommendation r1: 'under: c1' is not a cause of concern of inspection i (known: "
      "none)"]),
    ("update with neither status nor assurance",
     "ncpi: 1\nforces: [{id: f, name: F}]\ninspections:\n"
     "  - {id: i, force: f, kind: inspection, methodology: ncpi-2024}\n"
     "  - {id: o, force: f, kind: inspection}\n"
     "recommendations:\n  - {id: c1, inspection: i, type: cause-of-concern, summary: A., "
     "updates: [{date: 2025-04-01}]}\n",
     ["7: recommendation c1: an update needs a 'status' (not-started, in-progress, completed) "
      "or an 'assurance' (assured, partly-assured, not-assured)"]),
    ("unknown assurance level",
     "ncpi: 1\nforces: [{id: f, name: F}]\ninspections:\n"
     "  - {id: i, force: f, kind: inspection, methodology: ncpi-2024, "
     "assurance: [{date: 2025-04-01, level: half-assured}]}\n",
     ["4: inspection i: unknown assurance level 'half-assured' (known: assured, "
      "partly-assured, not-assured)"]),
]


@pytest.mark.parametrize(("rule", "document", "expected"), RULES, ids=[r[0] for r in RULES])
def test_rule(check, rule, document, expected):
    result = check(document)
    assert _msgs(result) == expected


def test_every_problem_in_a_file_is_reported_in_one_run(check):
    result = check("ncpi: 1\nforces:\n  - {id: A, name: x}\n  - {id: b, name: y, country: no}\n"
                   "  - {id: c}\n")
    assert [p.line for p in result.problems] == [3, 4, 5]


def test_problem_names_file_line_and_record(check):
    result = check("ncpi: 1\nforces:\n  - {id: gwent, name: G, country: no}\n", "f.yaml")
    (problem,) = result.problems
    assert str(problem).startswith("f.yaml:3: force gwent: 'country: no'")


def test_omitted_grade_key_counts_zero(check):
    result = check(T + "tallies:\n  - {inspection: t-2019, assessor: inspector, good: 4}\n")
    assert result.ok
    assert result.dataset.tallies[0].counts == {"good": 4, "requires_improvement": 0,
                                                "inadequate": 0}


def test_a_partial_tally_keeps_unknown_grades_unknown(check):
    # Gloucestershire 2017 as published: 14 good of 89, the other 75 only combined.
    result = check(T + "tallies:\n  - {inspection: t-2019, assessor: inspector, good: 14, "
                       "not_good: 75, stated_total: 89, unstated: [requires_improvement, "
                       "inadequate], source: {publisher: P, url: u, primary: false}}\n")
    assert result.ok, result.problems
    (tally,) = result.dataset.tallies
    assert tally.counts == {"good": 14}
    assert (tally.total, tally.not_good, tally.complete, tally.primary) == (89, 75, False,
                                                                             False)
    assert tally.source == "P, u, secondary source"


def test_a_dispute_keeps_both_values_with_their_sources(check):
    result = check("ncpi: 1\nforces: [{id: f, name: F}]\ninspections:\n"
                   "  - {id: i, force: f, kind: inspection, published: 2022-12-22, "
                   "fieldwork: 2016-02/2016-05, disputes: [{key: published, "
                   "value: 2022-12-23, source: {publisher: News, primary: false}}]}\n")
    assert result.ok, result.problems
    insp = result.dataset.inspections["i"]
    (dispute,) = insp.disputes
    assert (dispute.key, str(dispute.value), dispute.source, dispute.primary) == (
        "published", "2022-12-23", "News, secondary source", False)
    assert str(insp.fieldwork) == "2016-02/2016-05"
    assert (insp.fieldwork.earliest().isoformat(), insp.fieldwork.latest().isoformat()) == (
        "2016-02-01", "2016-05-31")


def test_grade_spellings_are_accepted(check):
    spellings = ["RI", "Requires Improvement", "requiring improvement", "requires-improvement",
                 "requires_improvement"]
    cases = "".join(f"  - {{id: C{i}, inspection: t-2019, area: s47, sample: "
                    f"inspector-selected, inspector_grade: {s}}}\n"
                    for i, s in enumerate(spellings))
    result = check(T + "cases:\n" + cases)
    assert result.ok, result.problems
    assert {c.inspector_grade for c in result.dataset.cases} == {"requires_improvement"}


def test_quoted_values_are_text(check):
    result = check(T + "cases:\n  - {id: \"010\", inspection: t-2019, area: s47, "
                       "sample: inspector-selected, inspector_grade: good}\n")
    assert result.ok
    assert result.dataset.cases[0].id == "010"


def test_ids_and_references_cross_files(write):
    a = write("ncpi: 1\nforces: [{id: f, name: F}]\n"
              "inspections: [{id: i, force: f, kind: inspection}]\n", "a.yaml")
    b = write("ncpi: 1\ntallies: [{inspection: i, assessor: inspector, good: 2}]\n"
              "forces: [{id: f, name: again}]\n", "b.yaml")
    result = load([a, b])
    assert [str(p) for p in result.problems] == [
        f"{b}:3: force f: duplicate force id 'f' (first at {a}:2)"]
    assert result.dataset.tallies[0].inspection == "i"


def test_directory_loads_yaml_files_and_reports_the_rest(write, tmp_path):
    write(PREAMBLE, "a.yaml")
    write("ncpi: 1\ntallies: [{inspection: t-2019, assessor: inspector, good: 2}]\n", "b.yml")
    write("not yaml", "notes.txt")
    result = load([tmp_path])
    assert result.ok
    assert len(result.dataset.tallies) == 1
    assert result.ignored == [str(tmp_path / "notes.txt")]


def test_self_audit_needs_force_grade_only(check):
    doc = ("ncpi: 1\nforces: [{id: f, name: F}]\ninspections:\n"
           "  - {id: a, force: f, kind: self-audit}\n"
           "cases:\n  - {id: C1, inspection: a, area: s47, sample: self-assessed, "
           "force_grade: good}\n")
    result = check(doc)
    assert result.ok, result.problems


def test_timescales():
    from ncpi_cli.ingest.rules import parse_period, parse_timescale

    assert parse_period("6 weeks") == (6, "weeks")
    assert parse_period("six months") == (6, "months")
    assert parse_period("within 1 month") == (1, "months")
    assert parse_period("0 weeks") is None

    assert parse_timescale("immediately") == 0
    assert parse_timescale("within three months") == 3
    assert parse_timescale("Within 6 months") == 6
    assert parse_timescale("within 1 month") == 1
    assert parse_timescale("soon") is None


def test_labels_as_people_write_them(check):
    """Practice areas, samples, assessors, countries and grades match ignoring case, spaces
    and punctuation, and by the aliases in `domain.VOCABULARIES` (spellings from an audit
    team's sheet)."""
    result = check("""\
        ncpi: 1
        forces:
          - {id: testshire, name: Testshire Police, country: England}
        inspections:
          - {id: t-2019, force: testshire, kind: inspection}
        tallies:
          - {inspection: t-2019, assessor: Inspectors, sample: Self-assessed, area: S47,
             good: 1}
        cases:
          - {id: C1, inspection: t-2019, area: Custody, sample: Self-assessed,
             force_grade: Good, inspector_grade: Requires Improvement}
          - {id: C2, inspection: t-2019, area: Sex offender management,
             sample: inspector selected, inspector_grade: RI}
          - {id: C3, inspection: t-2019, area: Section 47, sample: INSPECTOR-SELECTED,
             inspector_grade: inadequate}
        """)
    assert result.ok, result.problems
    assert result.dataset.forces["testshire"].country == "england"
    (tally,) = result.dataset.tallies
    assert (tally.assessor, tally.sample, tally.area) == ("inspector", "self-assessed", "s47")
    assert [(c.area, c.sample, c.force_grade, c.inspector_grade)
            for c in result.dataset.cases] == [
        ("custody", "self-assessed", "good", "requires_improvement"),
        ("rso", "inspector-selected", None, "requires_improvement"),
        ("s47", "inspector-selected", None, "inadequate")]


def test_a_label_no_alias_matches_is_still_refused(check):
    """Refused, never guessed; a typing slip is pointed at what it is close to, a different
    word (half-assured is no partly-assured) is not."""
    result = check(PREAMBLE + "cases:\n  - {id: C1, inspection: t-2019, area: Custdy, "
                              "sample: inspector-selected, inspector_grade: good}\n")
    assert [p.message for p in result.problems] == [
        "unknown practice area 'Custdy' (did you mean 'custody'? known: s46, s47, "
        "domestic-abuse, other-referrals, cse, missing, rso, custody, online-abuse, "
        "unexpected-death)"]
