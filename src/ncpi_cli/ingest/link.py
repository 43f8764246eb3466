"""Checks across files, and the Dataset they give: unique ids, references between records,
grades against the scale of the inspection a record belongs to. A record with any problem
is rejected, never repaired."""

from __future__ import annotations

import functools
from collections.abc import Iterator
from dataclasses import replace

from ncpi_cli import domain
from ncpi_cli.model import Case, CaseBlock, Dataset, Inspection, Problem

from .fields import FileRecords, Pending

#: record kinds without an id of their own
UNNAMED = ("tally", "judgment", "judgment tally")
#: a `CaseBlock`: the cases of a case table read in bulk, checked as one where they can be
BLOCK = "case block"
#: known ids listed in a message, at most; past it, counted
KNOWN_LISTED = 12


def link(parsed: list[FileRecords], dataset: Dataset) -> dict[str, list[Problem]]:
    """Fill the dataset with the records that pass; the problems found, by file."""
    problems: dict[str, list[Problem]] = {}

    def reject(item: Pending, message: str, line: int | None = None,
               place: str | None = None) -> None:
        if place is None:
            place = "" if line else item.origin.place
        problems.setdefault(item.origin.file, []).append(
            Problem(item.origin.file, line or item.origin.line, item.label, message, place))

    first: dict[str, dict[str, Pending]] = {"case": {}}
    blocks: list[CaseBlock] = []
    unique: list[Pending] = []
    for records in parsed:
        for each in records.pending:
            if each.kind == BLOCK:
                block = each.value
                if first["case"].keys().isdisjoint(block.ids.keys()) and all(
                        b.ids.keys().isdisjoint(block.ids.keys()) for b in blocks):
                    blocks.append(block)
                    unique.append(each)
                    continue
                expanded = one_by_one(block)
            else:
                expanded = (each,)
            for item in expanded:
                if item.kind not in UNNAMED:
                    ids = first.setdefault(item.kind, {})
                    earlier = ids.get(item.value.id)
                    at = earlier.origin if earlier is not None else next(
                        (b.origin_of(item.value.id) for b in blocks
                         if item.kind == "case" and item.value.id in b.ids), None) \
                        if blocks else None
                    if at is not None:
                        reject(item, f"duplicate {item.kind} id '{item.value.id}' (first at "
                                     f"{at})")
                        continue
                    ids[item.value.id] = item
                unique.append(item)

    forces = {p.value.id: p.value for p in unique if p.kind == "force"}
    inspections = {p.value.id: p.value for p in unique if p.kind == "inspection"}
    rejected: dict[tuple[str, str], object] = {}
    for records in parsed:
        for key, origin in records.rejected.items():
            rejected.setdefault(key, origin)

    @functools.cache
    def undefined(kind: str, value: str, ids_of: str) -> str:
        """The message for a reference to an id that is not loaded (once per id: a table
        of thousands of rows may name the same missing inspection)."""
        ids = forces if ids_of == "forces" else inspections
        origin = rejected.get((kind, value))
        if origin is not None:
            return f"{kind} '{value}' was rejected (see the problems at {origin})"
        hint = near(value, ids) if len(ids) > KNOWN_LISTED else ""
        return (f"{kind} '{value}' is not defined in the loaded data ({hint}define it under "
                f"'{kind}s:' in a YAML file read with this one, as docs/data-format.md shows; "
                f"known: {known(ids, kind)})")

    for item in unique:
        if item.kind == "force":
            dataset.forces[item.value.id] = item.value
        elif item.kind == "inspection":
            insp = item.value
            ok = True
            if insp.kind != "thematic" and insp.force not in forces:
                reject(item, undefined("force", insp.force, "forces"))
                ok = False
            for covered in insp.covers:
                if covered not in forces:
                    reject(item, f"covers {undefined('force', covered, 'forces')}")
                    ok = False
            if insp.follows is not None:
                followed = inspections.get(insp.follows)
                if followed is None:
                    reject(item, f"follows '{insp.follows}', which is not an inspection in "
                                 f"the loaded data (known: {known(inspections)})")
                    ok = False
                elif insp.follows == insp.id:
                    reject(item, "an inspection cannot follow itself")
                    ok = False
                elif followed.force != insp.force:
                    reject(item, f"follows '{insp.follows}', an inspection of another force "
                                 f"({followed.force})")
                    ok = False
                elif (cycle := _cycle(insp.id, inspections)) is not None:
                    reject(item, f"follows '{insp.follows}', which leads back to it: "
                                 f"{' -> '.join(cycle)}")
                    ok = False
            if ok:
                dataset.inspections[insp.id] = insp

    seen_tallies: dict[tuple, Pending] = {}
    seen_judgments: dict[tuple, Pending] = {}
    recommendations: list[Pending] = []
    passed_cases: set[tuple] = set()

    def admit(item: Pending) -> None:
        record = item.value
        insp = dataset.inspections.get(record.inspection)
        if insp is None:
            failed = inspections.get(record.inspection)
            reject(item, undefined("inspection", record.inspection, "inspections")
                   if failed is None else f"inspection '{failed.id}' was rejected (see the "
                                          f"problems at {failed.origin})")
            return
        if item.kind == "recommendation":
            recommendations.append(item)
        elif item.kind in ("judgment", "judgment tally"):
            if _check_judgment(item, insp, reject, seen_judgments):
                (dataset.judgments if item.kind == "judgment" else
                 dataset.judgment_tallies).append(record)
        elif item.kind == "tally":
            if _check_tally(item, insp, reject, seen_tallies):
                given = {k: v for k, v, _ in item.grades}
                dataset.tallies.append(replace(record, counts={
                    g: given.get(g, 0) for g in insp.scale if g not in record.unstated}))
        elif item.kind == "case":
            # the case checks read the inspection, sample and grades only: a combination
            # that passed once passes again
            key = (insp.id, record.sample, record.force_grade, record.inspector_grade)
            if key not in passed_cases:
                if not _check_case(item, insp, reject):
                    return
                passed_cases.add(key)
            run.append(record)

    #: the cases kept since the last block, added to the dataset a run at a time
    run: list[Case] = []
    for item in unique:
        kind = item.kind
        if kind == "case":
            admit(item)
        elif kind == BLOCK:
            dataset.cases.extend(run)
            run = []
            if _block_passes(item.value, dataset, passed_cases):
                dataset.cases.add_block(item.value)
            else:
                for one in one_by_one(item.value):
                    admit(one)
        elif kind not in ("force", "inspection"):
            admit(item)
    dataset.cases.extend(run)
    causes = {r.value.id: r.value for r in recommendations if r.value.type == "cause-of-concern"}
    for item in recommendations:
        under = item.value.under
        if under is not None and (under not in causes or
                                  causes[under].inspection != item.value.inspection):
            reject(item, f"'under: {under}' is not a cause of concern of inspection "
                         f"{item.value.inspection} (known: "
                         f"{', '.join(sorted(c.id for c in causes.values() if c.inspection == item.value.inspection)) or 'none'})")  # noqa: E501
            continue
        dataset.recommendations.append(item.value)
    _check_judgment_counts(dataset, seen_judgments, reject)
    return problems


def known(ids, kind: str = "") -> str:
    """The ids to choose from; past KNOWN_LISTED, how many (the bundled data alone has
    about 90 inspections: a list that long buries the message)."""
    if kind and len(ids) > KNOWN_LISTED:
        return f"{len(ids)} {kind}s"
    return ", ".join(sorted(ids)) or "none"


def near(value: str, ids) -> str:
    """`did you mean '...'? ` for an id one slip away from a known one."""
    return domain.did_you_mean(value, sorted(ids), cutoff=0.8)


def one_by_one(block: CaseBlock) -> Iterator[Pending]:
    """Each case of a block that cannot pass as one: its problems are then found and
    reported row by row, as the precise path reports them."""
    for case in block:
        yield Pending("case", f"case {case.id}", case.origin, case)


def _block_passes(block: CaseBlock, dataset: Dataset, passed: set[tuple]) -> bool:
    """Whether every case of a block passes the cross-file checks: checked once per
    distinct (inspection, sample, grades). (Where one fails, the block's cases are checked
    one by one, and each problem is reported at its row.)"""
    for inspection, area, sample, force_grade, inspector_grade, themes in block.values:
        insp = dataset.inspections.get(inspection)
        if insp is None:
            return False
        key = (insp.id, sample, force_grade, inspector_grade)
        if key in passed:
            continue
        case = Case("", inspection, area, sample, block.origin(0), force_grade,
                    inspector_grade, themes)
        if not _check_case(Pending("case", "", case.origin, case), insp,
                           lambda *_args, **_kw: None):
            return False
        passed.add(key)
    return True


def _check_judgment(item: Pending, insp: Inspection, reject, seen: dict) -> bool:
    """A judgment (or a judgment tally) is of a 2024-methodology inspection, on its scale,
    and there is one per topic (one tally per inspection)."""
    if insp.methodology != domain.TOPIC_METHODOLOGY:
        reject(item, f"inspection {insp.id} is {insp.methodology}: topics are graded under "
                     f"{domain.TOPIC_METHODOLOGY} only")
        return False
    ok = _on_scale(item, insp, reject)
    record = item.value
    if item.kind == "judgment tally" and sum(record.counts.values()) > len(domain.TOPICS):
        reject(item, f"the counts add up to {sum(record.counts.values())} topics; there are "
                     f"{len(domain.TOPICS)}")
        ok = False
    key = (record.inspection, getattr(record, "topic", None))
    if key in seen:
        what = f"topic {key[1]}" if key[1] else "a judgment tally"
        reject(item, f"{what} of {record.inspection} is already given at {seen[key].origin}")
        return False
    seen[key] = item
    return ok


def _check_judgment_counts(dataset: Dataset, seen: dict, reject) -> None:
    """Named judgments within a judgment tally of the same inspection: no more topics of a
    grade named than the tally counts."""
    for tally in list(dataset.judgment_tallies):
        named = [j for j in dataset.judgments if j.inspection == tally.inspection]
        for grade in domain.GRADES:
            given = sum(j.grade == grade for j in named)
            if given > tally.counts.get(grade, 0):
                reject(seen[(tally.inspection, None)],
                       f"{given} topic(s) are judged {domain.GRADE_LABELS[grade]} but the "
                       f"tally counts {tally.counts.get(grade, 0)}")
                dataset.judgment_tallies.remove(tally)
                break


def _cycle(start: str, inspections: dict[str, Inspection]) -> list[str] | None:
    """The chain of `follows` from an inspection back to itself, if there is one."""
    chain = [start]
    current = inspections[start].follows
    while current is not None and current in inspections and current not in chain:
        chain.append(current)
        current = inspections[current].follows
    return [*chain, start] if current == start else None


def _on_scale(item: Pending, insp: Inspection, reject) -> bool:
    """Every grade key of a record (with its line) on its inspection's scale."""
    ok = True
    for grade, _, line in item.grades:
        if grade not in insp.scale:
            reject(item, f"'{grade}' is not a grade of the {insp.methodology} scale used by "
                         f"inspection {insp.id} ({domain.scale_text(insp.methodology)})", line)
            ok = False
    return ok


def _check_tally(item: Pending, insp: Inspection, reject, seen: dict) -> bool:
    ok = _on_scale(item, insp, reject)
    t = item.value
    named = [(g, "unstated") for g in t.unstated] + [(g, "percent") for g in t.percent] + [
        (d.key, "disputes") for d in t.disputes if d.key in domain.GRADES]
    for grade, where in named:
        if grade not in insp.scale:
            reject(item, f"'{grade}' in '{where}' is not a grade of the {insp.methodology} "
                         f"scale used by inspection {insp.id} "
                         f"({domain.scale_text(insp.methodology)})")
            ok = False
    for d in t.disputes:
        if d.key in t.unstated or (d.key == domain.NOT_GOOD and t.not_good is None) or (
                d.key == "stated_total" and t.stated_total is None):
            reject(item, f"a dispute of '{d.key}', which the tally does not state: give the "
                         "figure the tally's source states, and the other value under "
                         "'disputes'")
            ok = False
    given = {k: v for k, v, _ in item.grades}
    if t.unstated and t.stated_total is not None:
        stated = sum(given.values())
        if stated > t.stated_total:
            reject(item, f"the stated counts add up to {stated}, more than the "
                         f"{t.stated_total} cases stated")
            ok = False
        if t.not_good is not None and given.get("good", 0) + t.not_good > t.stated_total:
            reject(item, f"good {given.get('good', 0)} and not good {t.not_good} add up to "
                         f"more than the {t.stated_total} cases stated")
            ok = False
    below = sum(v for k, v in given.items() if k != "good")
    if t.not_good is not None and t.not_good < below:
        reject(item, f"not good is {t.not_good}, fewer than the {below} cases stated below "
                     "good")
        ok = False
    key = (t.inspection, t.assessor, t.sample, t.area)
    if key in seen:
        reject(item, f"duplicate tally: {t.inspection}, assessor {t.assessor}, sample "
                     f"{t.sample}, area {t.area} is already given at {seen[key].origin}")
        return False
    seen[key] = item
    return ok


def _check_case(item: Pending, insp: Inspection, reject) -> bool:
    case: Case = item.value
    ok = True

    def at(key: str) -> tuple[int, str | None]:
        """A grade's line, and its cell in a sheet."""
        entry = next((e for e in item.grades if e[0] == key), None)
        if entry is None:
            return item.origin.line, None
        return entry[2], entry[3] if len(entry) > 3 else None

    scale = insp.scale
    if (case.force_grade is not None and case.force_grade not in scale) or \
            (case.inspector_grade is not None and case.inspector_grade not in scale):
        for key in ("force_grade", "inspector_grade"):
            grade = getattr(case, key)
            if grade is not None and grade not in scale:
                reject(item, f"{key.replace('_', ' ')} '{domain.GRADE_LABELS[grade]}' is not on "
                             f"the {insp.methodology} scale used by inspection {insp.id} "
                             f"({domain.scale_text(insp.methodology)})", *at(key))
                ok = False
    self_audit = insp.kind == "self-audit"
    if case.sample == "self-assessed" or self_audit:
        if case.force_grade is None:
            why = "a self-audit" if self_audit else "a self-assessed case"
            reject(item, f"missing 'force_grade': {why} carries the force's grade")
            ok = False
    elif case.force_grade is not None:
        reject(item, "an inspector-selected case must not have a force grade (the force "
                     "grades only its self-assessed cases): remove 'force_grade' or make the "
                     "case self-assessed", *at("force_grade"))
        ok = False
    if case.inspector_grade is None and not self_audit:
        reject(item, "missing 'inspector_grade': every case of an inspection or review "
                     "carries the inspectors' grade")
        ok = False
    return ok
