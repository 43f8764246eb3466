"""The force's self-assessment against the inspectors' grading of the same cases.

From case records the pairing is known: exact agreement, over- and under-grading, and the
full force x inspector table. From published tallies only the two margins are known, so
the pairing figures are exact ranges (see `bounds`), never point estimates.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from ncpi_cli import domain
from ncpi_cli.model import Dataset, Tally
from ncpi_cli.result import Column, Kind, Layout, Reason, Result, per_grade

from . import statistics, stats
from .bounds import PairingBounds, pairing_bounds
from .common import (
    AREA,
    BASIS,
    FORCE,
    INSPECTION,
    NOTE,
    SMALL_SAMPLE,
    diff_pp,
    grade_keys,
    pct,
    stated_total_mismatch,
    wilson_cases,
    wilson_pct,
)
from .readings import READING, coefficient_readings, pairing_reading
from .select import AREA as IN_AREA
from .select import (
    COMPLETE,
    NO_FILTERS,
    SCOPE,
    Filters,
    NotSelectable,
    Selection,
    case_profiles,
    check_filters,
    select,
    unasked,
)

SELF = "self-assessed"


@dataclass
class Pairing:
    """Force and inspector grades of one group of self-assessed cases."""

    force: str
    inspection: str
    area: str
    basis: str
    scale: tuple[str, ...]
    force_counts: dict[str, int]
    inspector_counts: dict[str, int]
    #: case basis only: (force grade, inspector grade) -> cases
    table: dict[tuple[str, str], int] | None = None
    notes: list[str] = field(default_factory=list)

    @property
    def n(self) -> int | None:
        f, i = sum(self.force_counts.values()), sum(self.inspector_counts.values())
        return f if f == i else None

    def matrix(self) -> list[list[int]]:
        """The case-level table as rows (force) of columns (inspectors), best to worst."""
        return [[self.table[(f, i)] for i in self.scale] for f in self.scale]

    def bounds(self) -> PairingBounds | None:
        if self.table is not None or self.n is None:
            return None
        return pairing_bounds([self.force_counts[g] for g in self.scale],
                              [self.inspector_counts[g] for g in self.scale])


def choose(dataset: Dataset, filters: Filters, by_area: bool,
           tallies: bool = True) -> Selection:
    """The self-assessed tallies (unless `tallies` is false) and cases a comparison reads."""
    check_filters(dataset, filters)
    if filters.sample not in (None, SELF):
        raise NotSelectable("compare", ANALYSIS, PURPOSE, "sample", filters.sample, only=SELF)

    def self_assessed(record) -> Reason | None:
        if record.sample != SELF:
            return Reason(f"sample {record.sample} (the comparison uses self-assessed cases)")
        return None

    def asked(tally: Tally) -> Reason | None:
        if not filters.area and not by_area and tally.area != domain.ALL:
            return unasked("per-area tally", "by area", "rows per practice area not asked for")
        return None

    def both_graded(case) -> Reason | None:
        if case.inspector_grade is None or case.force_grade is None:
            return Reason("self-audit case without an inspector grade")
        return None

    return select(dataset, filters,
                  tallies=(SCOPE, self_assessed, IN_AREA, asked, COMPLETE) if tallies else None,
                  cases=(SCOPE, self_assessed, both_graded, IN_AREA))


ANALYSIS = "the comparison of the force's grades with the inspectors'"
PURPOSE = "compares the force's grades of its self-assessed cases with the inspectors'"


def pairings(dataset: Dataset, filters: Filters = NO_FILTERS,
             by_area: bool = False) -> list[Pairing]:
    """Every force-vs-inspector comparison the data supports, in the documented order."""
    return _pairings(choose(dataset, filters, by_area), by_area)


def _pairings(chosen: Selection, by_area: bool) -> list[Pairing]:
    out = _from_tallies(chosen)
    out.extend(_from_cases(chosen, by_area))
    out.sort(key=lambda p: (p.force, p.inspection, domain.BASES.index(p.basis),
                            domain.area_order(p.area)))
    return out


def _from_tallies(chosen: Selection) -> list[Pairing]:
    dataset = chosen.dataset
    pairs: dict[tuple[str, str], dict[str, Tally]] = {}
    for tally in chosen.tallies:
        pairs.setdefault((tally.inspection, tally.area), {})[tally.assessor] = tally
    out = []
    for (inspection_id, area), by_assessor in pairs.items():
        inspection = dataset.inspections[inspection_id]
        if len(by_assessor) < 2:
            (only,) = by_assessor.values()
            missing = "inspector" if only.assessor == "force" else "force"
            chosen.reject("tallies", f"no {missing} tally of the same cases to compare with")
            continue
        force_t, insp_t = by_assessor["force"], by_assessor["inspector"]
        pairing = Pairing(inspection.force, inspection_id, area, "published", inspection.scale,
                          dict(force_t.counts), dict(insp_t.counts))
        pairing.notes.extend(m for t in (force_t, insp_t) if (m := stated_total_mismatch(t)))
        if pairing.n is None:
            pairing.notes.append(
                f"the force's tally ({force_t.origin}) has {force_t.total} cases and the "
                f"inspectors' ({insp_t.origin}) {insp_t.total}: they cannot be the same cases, "
                "so no pairing range is given")
        out.append(pairing)
    return out


def _from_cases(chosen: Selection, by_area: bool) -> list[Pairing]:
    dataset, filters = chosen.dataset, chosen.filters
    groups: dict[tuple[str, str], Counter] = {}
    for case, n in chosen.cases.items():
        areas = [domain.ALL] if filters.area in (None, domain.ALL) else []
        if by_area or filters.area == case.area:
            areas.append(case.area)
        for area in areas:
            groups.setdefault((case.inspection, area), Counter())[
                (case.force_grade, case.inspector_grade)] += n
    out = []
    for (inspection_id, area), table in groups.items():
        inspection = dataset.inspections[inspection_id]
        scale = inspection.scale
        force_counts = {g: sum(v for (f, _), v in table.items() if f == g) for g in scale}
        insp_counts = {g: sum(v for (_, i), v in table.items() if i == g) for g in scale}
        full = {(f, i): table.get((f, i), 0) for f in scale for i in scale}
        out.append(Pairing(inspection.force, inspection_id, area, "cases", scale, force_counts,
                           insp_counts, full))
    return out


ROW_KEYS = ("force", "inspection", "area", "basis")
RANGE_KEYS = ("agree_min", "agree_max", "over_min", "over_max", "under_min", "under_max")


def _share(name: str, meaning: str) -> tuple[Column, ...]:
    """A count with its percentage of `n` and the percentage's 95% Wilson interval."""
    return (Column(name, Kind.COUNT, meaning), Column(f"{name}_pct", Kind.PCT, meaning),
            Column(f"{name}_ci_low", Kind.INTERVAL, meaning),
            Column(f"{name}_ci_high", Kind.INTERVAL, meaning))


_AGREE = ("`cases` basis: cases on which force and inspectors gave the same grade, with a 95% "
          "Wilson interval")
_OVER = ("`cases` basis: the force's grade better than the inspectors' (over-grading), or "
         "worse")
_RANGE = "`published` basis: the exact range of agree / over / under that the two totals allow"
_RANGE_PCT = "the ends of the exact ranges as a percentage of `n`"
LAYOUT = Layout("compare", (
    FORCE, INSPECTION, AREA, BASIS,
    Column("n", Kind.COUNT, "cases compared (empty if the two published totals differ)"),
    Column("small_sample", Kind.FLAG, "`true` when `n` is under 10: intervals and tests are "
           "then unreliable"),
    per_grade(*_share("force_<grade>", "the force's grades: count, % of `n`, 95% Wilson "
                                       "interval")),
    per_grade(*_share("inspector_<grade>", "the inspectors' grades of the same cases")),
    Column("<grade>_diff_pp", Kind.POINTS, "inspectors' % minus force's %, in percentage points "
           "(negative: the inspectors put fewer cases in this grade than the force did)"),
    *_share("agree", _AGREE),
    Column("over", Kind.COUNT, _OVER), Column("over_pct", Kind.PCT, _OVER),
    Column("under", Kind.COUNT, _OVER), Column("under_pct", Kind.PCT, _OVER),
    *(Column(key, Kind.COUNT, _RANGE) for key in RANGE_KEYS),
    *statistics.columns(),
    NOTE,
), json_only=(Column("table", Kind.TABLE, "`cases` basis, JSON only: the full force × "
                     "inspector table (`grades`, `counts`: rows = force, columns = inspectors, "
                     "grades best to worst)"),
              Column("weights", Kind.TABLE, "`cases` basis, JSON only: the agreement weights "
                     "the weighted coefficients used (`grades`, `linear`, `quadratic`), in the "
                     "methodology's grade order")),
   view_only=(
    *(Column(f"{key}_pct", Kind.PCT, _RANGE_PCT) for key in RANGE_KEYS),
    Column("agree_ci_low_cases", Kind.INTERVAL, "the agreement interval in cases out of `n`"),
    Column("agree_ci_high_cases", Kind.INTERVAL, "the agreement interval in cases out of `n`"),
    Column("reading", Kind.TEXT, READING),
    Column("readings", Kind.TABLE, "one sentence per agreement coefficient (terminal and "
           "report only)"),
))


def compare_columns(grades: tuple[str, ...]) -> list[str]:
    return LAYOUT.names(grades)


def self_vs_inspector(dataset: Dataset, filters: Filters = NO_FILTERS,
                      by_area: bool = False) -> Result:
    """The `compare --self-vs-inspector` rows: distributions on both bases; agreement
    statistics on the case basis; exact ranges on the published basis."""
    chosen = choose(dataset, filters, by_area)
    found = _pairings(chosen, by_area)
    keys = grade_keys([p.scale for p in found])
    rows = []
    mismatches: list[str] = []
    blank = dict.fromkeys([*LAYOUT.names(keys), *LAYOUT.view_names(keys)])
    for p in found:
        row: dict[str, object] = dict(blank)
        row.update({k: getattr(p, k) for k in ROW_KEYS})
        notes = list(p.notes)
        _distributions(row, p, keys)
        if p.table is not None:
            notes += _case_statistics(row, p)
        else:
            notes += _published_ranges(row, p)
        if p.n is not None and p.n < SMALL_SAMPLE:
            notes.append(f"small sample (n = {p.n}, under {SMALL_SAMPLE}): intervals and "
                         "tests are unreliable")
        row["small_sample"] = None if p.n is None else p.n < SMALL_SAMPLE
        row["note"] = "; ".join(notes) or None
        row["reading"] = pairing_reading(row)
        row["readings"] = coefficient_readings(row) if p.table is not None else {}
        mismatches.extend(f"{p.inspection} ({p.area}): {n}" for n in p.notes)
        rows.append(row)
    if by_area:
        rows.extend(_areas_without_pairs(dataset, filters, found, blank))
        rows.sort(key=lambda r: (r["force"], r["inspection"], domain.BASES.index(r["basis"]),
                                 domain.area_order(r["area"])))
    account = chosen.finish({p.inspection for p in found})
    empty = [] if rows else ["no self-assessed cases or tallies match these filters"]
    compared = {p.inspection for p in found}
    held = sorted({t.inspection for t in dataset.tallies
                   if t.sample == "self-assessed" and not t.resolved().complete
                   and t.inspection not in compared and not chosen.scope(t.inspection)})
    if held:
        empty = [e for e in empty if not e.startswith("no self-assessed")]
        empty.append(f"{', '.join(held)}: the self-assessed tallies are partial or disputed "
                     "(the grade distributions and the reconciliation show them), so the "
                     "force's grades are not compared with the inspectors'")
    topical = [i.id for i in dataset.inspections.values()
               if i.methodology == domain.TOPIC_METHODOLOGY and i.id not in compared
               and not chosen.scope(i.id)]
    if topical:
        empty.append(f"{', '.join(sorted(topical))}: graded under {domain.TOPIC_METHODOLOGY} "
                     "(topic judgments) with no self-assessment recorded: nothing to compare; "
                     "their grades are in the topic judgments")
    return Result(LAYOUT, keys, rows, account, empty, mismatches)


def _areas_without_pairs(dataset: Dataset, filters: Filters, found: list[Pairing],
                         blank: dict) -> list[dict]:
    """By area, an area the inspection's case records cover with no self-assessed case graded
    by both gets its row (n = 0) and a note that says why, rather than going unseen."""
    paired = {(p.inspection, p.area) for p in found if p.basis == "cases"}
    compared = {i for i, _ in paired}
    seen: dict[tuple[str, str], Counter] = {}
    for (inspection, area, sample, _, _), n in case_profiles(dataset).items():
        if inspection not in compared or (inspection, area) in paired:
            continue
        if filters.area not in (None, domain.ALL) and area != filters.area:
            continue
        seen.setdefault((inspection, area), Counter())[sample] += n
    rows = []
    for (inspection, area), samples in seen.items():
        held = ", ".join(f"{n} {sample}" for sample, n in sorted(samples.items()))
        row = dict(blank)
        row.update({"force": dataset.inspections[inspection].force, "inspection": inspection,
                    "area": area, "basis": "cases", "n": 0, "small_sample": True,
                    "note": f"no self-assessed case graded by both the force and the "
                            f"inspectors in this area (its case records: {held})"})
        rows.append(row)
    return rows


def _distributions(row: dict, p: Pairing, keys: tuple[str, ...]) -> None:
    counts = {"force": p.force_counts, "inspector": p.inspector_counts}
    totals = {who: sum(c.values()) for who, c in counts.items()}
    for who in domain.ASSESSORS:
        for g in keys:
            if g not in p.scale:
                continue
            count = counts[who][g]
            row[f"{who}_{g}"] = count
            row[f"{who}_{g}_pct"] = pct(count, totals[who])
            row[f"{who}_{g}_ci_low"], row[f"{who}_{g}_ci_high"] = wilson_pct(count, totals[who])
    for g in keys:
        if g in p.scale:
            row[f"{g}_diff_pp"] = diff_pp(p.force_counts[g], totals["force"],
                                          p.inspector_counts[g], totals["inspector"])
    row["n"] = p.n


def _published_ranges(row: dict, p: Pairing) -> list[str]:
    bounds = p.bounds()
    if bounds is None:
        return []
    row.update(zip(RANGE_KEYS, (bounds.agree.low, bounds.agree.high, bounds.over.low,
                                bounds.over.high, bounds.under.low, bounds.under.high)))
    for key in RANGE_KEYS:
        row[f"{key}_pct"] = pct(row[key], p.n)
    return ["published totals only: which force grade went with which inspector grade is not "
            "published, so agreement, over- and under-grading are exact ranges over every "
            "possible pairing, and no kappa or paired test is given"]


def _case_statistics(row: dict, p: Pairing) -> list[str]:
    table = p.matrix()
    n = p.n
    agree, over, under = stats.agreement(table)
    row.update(agree=agree, over=over, under=under, agree_pct=pct(agree, n),
               over_pct=pct(over, n), under_pct=pct(under, n))
    row["agree_ci_low"], row["agree_ci_high"] = wilson_pct(agree, n)
    row["agree_ci_low_cases"], row["agree_ci_high_cases"] = wilson_cases(agree, n)
    row["table"] = {"grades": list(p.scale), "rows": "force", "columns": "inspector",
                    "counts": table}
    row["weights"] = {"grades": list(p.scale), **{
        kind: [[round(w, 6) for w in line] for line in stats.weight_matrix(len(p.scale), kind)]
        for kind in ("linear", "quadratic")}}
    outcome = statistics.compute(statistics.Paired(p.scale, table, over, under))
    row.update(outcome.values)
    return outcome.notes


_CROSS = "the full force × inspector table of each case-level group, one row per force grade"
CROSS_LAYOUT = Layout("compare-table", (
    FORCE, INSPECTION, AREA, BASIS,
    Column("force_grade", Kind.TEXT, "the force's grade: the row of the table"),
    Column("inspector_<grade>", Kind.COUNT, "cases the force graded `force_grade` and the "
           "inspectors graded `<grade>` (zero rows and columns kept)"),
    Column("total", Kind.COUNT, "cases the force graded `force_grade`"),
))


def cross_table(dataset: Dataset, filters: Filters = NO_FILTERS, by_area: bool = False) -> Result:
    """The full force x inspector table of each case-level group, zero cells kept.

    One row per force grade; published groups have no table (their pairing is unknown)."""
    chosen = choose(dataset, filters, by_area)
    found = [p for p in _pairings(chosen, by_area) if p.table is not None]
    keys = grade_keys([p.scale for p in found])
    rows = []
    for p in found:
        for fg in p.scale:
            row: dict[str, object] = {k: getattr(p, k) for k in ROW_KEYS}
            row["force_grade"] = fg
            for ig in keys:
                row[f"inspector_{ig}"] = p.table[(fg, ig)] if ig in p.scale else None
            row["total"] = p.force_counts[fg]
            rows.append(row)
    account = chosen.finish({p.inspection for p in found})
    notes = [] if rows else ["no case-level records match: a force x inspector table needs "
                             "case records (published tallies do not give the pairing)"]
    return Result(CROSS_LAYOUT, keys, rows, account, notes)


OUTCOMES = ("agree", "over", "under")
#: what `case_list` can list: one outcome, the disagreements, or every case
LISTS = (*OUTCOMES, "disagree", "all")
_OUTCOME = ("`agree`, `over` (the force's grade better than the inspectors') or `under`")
CASES_LAYOUT = Layout("compare-cases", (
    FORCE, INSPECTION, AREA,
    Column("case", Kind.TEXT, "the case's id, as the data give it"),
    Column("force_grade", Kind.TEXT, "the force's grade"),
    Column("inspector_grade", Kind.TEXT, "the inspectors' grade"),
    Column("outcome", Kind.TEXT, _OUTCOME),
    Column("where", Kind.TEXT, "the file and line (or sheet cell) of the case record"),
))


def case_list(dataset: Dataset, filters: Filters = NO_FILTERS, which: str = "all") -> Result:
    """The self-assessed cases behind the agreement figures, one row per case: those the
    force graded more favourably (`over`), less (`under`), either (`disagree`), the same
    (`agree`) or `all`, in the order of the data, with where each record is."""
    if which not in LISTS:
        raise ValueError(f"no list {which!r} (known: {', '.join(LISTS)})")
    chosen = choose(dataset, filters, False, tallies=False)
    wanted = set(OUTCOMES) if which == "all" else (
        {"over", "under"} if which == "disagree" else {which})
    rows = []
    left_out: Counter = Counter()
    shown: set[str] = set()
    for case in dataset.cases:
        profile = (case.inspection, case.area, case.sample, case.force_grade,
                   case.inspector_grade)
        if profile not in chosen.cases:
            continue
        scale = dataset.inspections[case.inspection].scale
        gap = scale.index(case.inspector_grade) - scale.index(case.force_grade)
        outcome = "agree" if gap == 0 else ("over" if gap > 0 else "under")
        if outcome not in wanted:
            left_out[outcome] += 1
            continue
        shown.add(case.inspection)
        rows.append({"force": dataset.inspections[case.inspection].force,
                     "inspection": case.inspection, "case": case.id, "area": case.area,
                     "force_grade": case.force_grade, "inspector_grade": case.inspector_grade,
                     "outcome": outcome, "where": str(case.origin)})
    for outcome, n in sorted(left_out.items()):
        chosen.reject("cases", Reason(f"outcome {outcome} (not listed)"), n)
    account = chosen.finish(shown)
    notes = [] if rows else ["no self-assessed case records match: the list needs case "
                             "records with both grades (published tallies give no cases)"]
    return Result(CASES_LAYOUT, (), rows, account, notes)
