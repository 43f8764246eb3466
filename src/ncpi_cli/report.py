"""A self-contained HTML report of a force's inspections, for people who would rather look.

One file: inline CSS and SVG, no scripts, fonts, images or links to fetch, so it opens
offline and prints to A4. Every figure comes from the same results as the CLI's tables
(`analysis.overview`), and every chart has its numbers beside it in a table.
"""

from __future__ import annotations

import datetime as dt
from html import escape

from . import __version__, charts, domain
from .model import Dataset, Inspection, case_profiles, cite, settled_date
from .result import Result

#: one inspection and its results by command, as `analysis.overview.force_overview` gives
Section = tuple[Inspection, dict[str, Result]]

CSS = """
:root { color: #111; background: #fff; }
body { font-family: system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial,
       sans-serif; margin: 2rem auto; max-width: 60rem; padding: 0 1rem; line-height: 1.4; }
h1 { font-size: 1.6rem; margin-bottom: .2rem; } h2 { font-size: 1.25rem; margin-top: 2rem;
  border-bottom: 2px solid #08306b; padding-bottom: .2rem; } h3 { font-size: 1.05rem; }
.sub { color: #444; margin-top: 0; }
.glance { display: grid; grid-template-columns: repeat(auto-fit, minmax(13rem, 1fr));
  gap: .6rem; margin: 1rem 0; padding: 0; list-style: none; }
.glance li { border: 1px solid #9ecae1; border-radius: 4px; padding: .5rem .7rem; }
.glance b { display: block; font-size: 1.15rem; }
table { border-collapse: collapse; margin: .6rem 0 1rem; font-size: .9rem; }
th, td { border: 1px solid #bbb; padding: .25rem .5rem; text-align: left; vertical-align: top; }
td.n, th.n { text-align: right; font-variant-numeric: tabular-nums; }
td.n { white-space: nowrap; overflow-wrap: normal; }
td { overflow-wrap: break-word; } td.date { white-space: nowrap; overflow-wrap: normal; }
footer li, footer td { overflow-wrap: anywhere; }
figure { margin: 1rem 0; } figcaption { font-size: .9rem; color: #333; }
svg text { font-family: inherit; font-size: 12px; }
svg .label { text-anchor: end; } svg .count { text-anchor: middle; font-weight: 600; }
svg .tick { text-anchor: middle; fill: #555; font-size: 11px; }
svg .grid { stroke: #ddd; stroke-width: 1; } svg .range { stroke: #08306b; stroke-width: 3; }
svg .point { fill: #fff; stroke: #08306b; stroke-width: 3; }
.status-met { font-weight: 600; } .status-missed { font-weight: 700; text-decoration: underline; }
.note { font-size: .85rem; color: #333; }
.reading { font-weight: 600; }
footer { margin-top: 2.5rem; border-top: 1px solid #999; font-size: .8rem; color: #333; }
code { font-size: .8rem; word-break: break-all; }
@page { size: A4; margin: 15mm; }
@media print {
  body { margin: 0; max-width: none; font-size: 10pt; }
  h2, h3 { break-after: avoid; page-break-after: avoid; }
  figure, table, .glance, li { break-inside: avoid; }
  * { print-color-adjust: exact; -webkit-print-color-adjust: exact; }
}
"""

STATUS_MARK = {"met": "✓ met", "missed": "✗ missed", "pending": "… pending",
               "unknown": "? unknown", "done": "done"}


def _e(value: object) -> str:
    return "" if value is None else escape(str(value))


def _table(head: list[str], rows: list[list[object]], numeric: set[int] | None = None,
           dates: set[int] | None = None) -> str:
    """A table; `numeric` columns right-aligned, `dates` columns kept on one line."""
    numeric, dates = numeric or set(), dates or set()

    def css(i: int) -> str:
        kinds = (["n"] if i in numeric else []) + (["date"] if i in dates else [])
        return f' class="{" ".join(kinds)}"' if kinds else ""

    cells = "".join(f'<th{css(i)} scope="col">{_e(h)}</th>' for i, h in enumerate(head))
    body = "".join("<tr>" + "".join(f"<td{css(i)}>{_e(v)}</td>" for i, v in enumerate(row))
                   + "</tr>" for row in rows)
    return f"<table><thead><tr>{cells}</tr></thead><tbody>{body}</tbody></table>"


def _count(row: dict, key: str) -> str:
    value = row.get(key)
    share = row.get(f"{key}_pct")
    return "" if value is None else (f"{value} ({share}%)" if share is not None else str(value))


def build(dataset: Dataset, sections: list[Section], as_of: dt.date) -> str:
    """The report of one force's inspections as one HTML string."""
    chosen = [insp for insp, _ in sections]
    force = chosen[0].force
    name = dataset.forces[force].name
    parts = [f"<header><h1>{_e(name)}: National child protection inspection</h1>",
             f'<p class="sub">Case-audit findings, recommendations and follow-up, as of '
             f'{as_of.isoformat()}. Produced by ncpi {__version__} from the data listed at the '
             'end.</p></header>', charts.DEFS]
    for insp, results in sections:
        parts.append(_inspection(insp, results))
        parts.append(_reviews(dataset, insp, results))
    parts.append(_footer(dataset, chosen, as_of))
    return _page(f"{name}: NCPI report", parts)


def _page(title: str, parts: list[str]) -> str:
    return ("<!DOCTYPE html>\n<html lang=\"en-GB\"><head><meta charset=\"utf-8\">"
            "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
            f"<title>{_e(title)}</title><style>{CSS}</style></head><body>"
            + "".join(parts) + "</body></html>\n")


def build_national(dataset: Dataset, overview, as_of: dt.date) -> str:
    """The national report: the funnel plot of each comparable group with its table, each
    inspection against what followed it, and every report's figures."""
    result = overview.national
    outcome = overview.outcome
    word = outcome.replace("-", " ")
    parts = ['<header><h1>National child protection inspections: every force at a glance'
             '</h1>', f'<p class="sub">{len(result.rows)} reports, '
             f'{sum(1 for r in result.rows if r["n"] is not None)} of them with published case '
             f'figures, as of {as_of.isoformat()}. Produced by ncpi {__version__} from the '
             'data listed at the end. No ranks: a report is compared with the pooled share of '
             'comparable reports, inside limits for its own number of cases.</p></header>']
    for curve in overview.curves:
        rows = [r for r in result.rows if r["group"] == curve.group and r["band"]]
        points = [(f"{r['force_name'] or r['inspection']} ({r['published'] or '?'})", r["n"],
                   float(r["outcome_pct"])) for r in rows]
        description = (f"{word} as a share of cases graded, against n; pooled "
                       f"{curve.pooled:.1f}%; " + "; ".join(
                           f"{i}: {label}, {share:g}% of {n}"
                           for i, (label, n, share) in enumerate(points, 1)))
        chart = charts.funnel(f"funnel-{len(parts)}", f"{curve.group}: {word}", description,
                              points, curve.limits, curve.pooled, curve.adjusted)
        first = rows[0] if rows else {}
        over = (f"Overdispersion phi = {first.get('phi')} (p = {first.get('phi_p')}): the "
                "dashed red lines are the 95% and 99.8% limits on the normal approximation, "
                "widened by phi." if curve.adjusted else
                f"Overdispersion phi = {first.get('phi')} (p = {first.get('phi_p')}), not "
                "above 1: the reports scatter no more than chance, so no adjusted limits are "
                "drawn." if first.get("phi") is not None else
                "Overdispersion is not estimated from fewer than 10 reports: only the exact "
                "limits are drawn.")
        table = _table(["#", "force", "report", "published", "n", word, "95% interval",
                        "band", "band, adjusted"],
                       [[i, r["force_name"], r["inspection"], r["published"], r["n"],
                         f"{r[outcome] if outcome in r else r['not_good']} "
                         f"({r['outcome_pct']}%)",
                         _interval(r, outcome), r["band"], r["band_adjusted"] or ""]
                        for i, r in enumerate(rows, 1)], numeric={0, 4, 5, 6}, dates={3})
        parts.append(f"<section><h2>{_e(curve.group)}: {_e(word)}</h2><figure>{chart}"
                     f"<figcaption>Each numbered point is a report (the table gives its "
                     f"figures). The line is the pooled share, {curve.pooled:.1f}%; the solid "
                     "curves are exact binomial control limits at 95% (light) and 99.8% "
                     f"(dark) for each n (Spiegelhalter 2005). {_e(over)}</figcaption>"
                     f"</figure>{table}</section>")
    whole = [r for r in overview.reviews.rows if (r["area"], r["sample"], r["assessor"]) == (
        domain.ALL, domain.ALL, "inspector")]
    dumbbells = [r for r in whole
                 if r.get(f"initial_{outcome}_pct") is not None
                 and r.get(f"review_{outcome}_pct") is not None] if outcome in domain.GRADES \
        else [r for r in whole if r.get("initial_not_good_pct") is not None
              and r.get("review_not_good_pct") is not None]
    key = outcome if outcome in domain.GRADES else "not_good"
    if dumbbells:
        names = {f: x.name for f, x in dataset.forces.items()}
        pairs = [(f"{names.get(r['force'], r['force'])} "
                  f"({(dataset.inspections[r['review']].published or '?')})",
                  float(r[f"initial_{key}_pct"]),
                  float(r[f"review_{key}_pct"])) for r in dumbbells]
        description = "; ".join(f"{label}: {a:g}% then {b:g}%" for label, a, b in pairs)
        chart = charts.dumbbell("dumbbell", f"{word}: inspection, then review", description,
                                pairs)
        table = _table(["inspection", "review", "before", "after", "change (points)",
                        "95% interval"],
                       [[r["inspection"], r["review"], _count(r, f"initial_{key}"),
                         _count(r, f"review_{key}"), r[f"{key}_diff_pp"],
                         "" if r.get(f"{key}_diff_ci_low") is None else
                         f"{r[f'{key}_diff_ci_low']} to {r[f'{key}_diff_ci_high']}"]
                        for r in dumbbells], numeric={2, 3, 4, 5})
        parts.append(f"<section><h2>Inspection to review: {_e(word)}</h2><figure>{chart}"
                     "<figcaption>Hollow dot: the inspection; filled dot: the review or "
                     "update that followed. The review grades other cases, so the interval is "
                     "Newcombe's for independent samples.</figcaption></figure>"
                     f"{table}</section>")
    parts.append(_topic_matrix(overview.judgments))
    parts.append("<section><h2>Every report</h2>" + _table(
        ["force", "report", "kind", "fieldwork", "published", "n", "what is stated"],
        [[r["force_name"] or "", r["inspection"], r["kind"], r["fieldwork"], r["published"],
          r["n"], "; ".join(x for x in (_stated(r, result), r["note"]) if x)]
         for r in result.rows],
        numeric={5}, dates={3, 4}) + "</section>")
    parts.append(_national_footer(dataset, result, as_of))
    return _page("NCPI: every force at a glance", parts)


def _topic_matrix(result: Result) -> str:
    """The 2024 methodology's topic grades, forces x topics, unnamed grades left unnamed;
    then each inspection's causes of concern."""
    if not result.rows:
        return ""
    topics = list(domain.TOPICS)
    rows = [[r["force_name"] or r["force"], r["published"] or "not known",
             *(domain.GRADE_LABELS.get(r[t.replace("-", "_")] or "", "") for t in topics),
             r["unnamed"] or ""] for r in result.rows]
    causes = "".join(f"<li><b>{_e(r['force_name'] or r['inspection'])}</b>: "
                     f"{_e(r['causes'])}</li>" for r in result.rows if r["causes"])
    return ("<section><h2>Topic judgments (2024 methodology)</h2>"
            + _table(["force", "published", *(t.replace("-", " ") for t in topics),
                      "not named: grades left over"], rows, dates={1})
            + '<p class="note">An empty topic with grades left over: the source gives only '
              "how many topics got each grade, not which.</p>"
            + (f"<h3>Causes of concern recorded</h3><ul>{causes}</ul>" if causes else "")
            + '<p class="note">An inspection with none recorded may still have some: none '
              "was found in the sources.</p></section>")


def _interval(row: dict, outcome: str) -> str:
    key = outcome if outcome in domain.GRADES else None
    if key is None or row.get(f"{key}_ci_low") is None:
        return ""
    return f"{row[f'{key}_ci_low']} to {row[f'{key}_ci_high']}"


def _stated(row: dict, result: Result) -> str:
    grades = [g for g in domain.GRADES if g in result.columns and row.get(g) is not None]
    return ", ".join(f"{row[g]} {domain.GRADE_LABELS[g]}" for g in grades)


def _national_footer(dataset: Dataset, result: Result, as_of: dt.date) -> str:
    shown = {r["inspection"] for r in result.rows}
    sources = []
    for insp in sorted((dataset.inspections[i] for i in shown), key=lambda i: i.id):
        tallies = [t for t in dataset.tallies if t.inspection == insp.id and t.source]
        cited = [cite(insp.source) or ""] + [t.source for t in tallies]
        sources.append(f"<li><b>{_e(insp.id)}</b>: "
                       + "; ".join(_e(c) for c in dict.fromkeys(cited) if c) + "</li>")
    inputs = _table(["input", "bytes", "sha256"],
                    [[f.path, f.size, f.sha256] for f in dataset.inputs], numeric={1})
    return ("<footer><h2>Sources and provenance</h2><ul>" + "".join(sources) + "</ul>"
            + inputs + f'<p class="note">ncpi {__version__}; as of {as_of.isoformat()}. '
            "Figures are as published, each with its source; a secondary source is coverage of "
            "the report, not the report. Partial figures are shown as stated; disputed ones "
            "are used nowhere (<code>ncpi reconcile</code> lists every conflict).</p></footer>")


def _reviews(dataset: Dataset, insp: Inspection, results: dict[str, Result]) -> str:
    """The post-inspection reviews of an inspection: when, what they published, and the
    statutory response to each."""
    reviews = sorted((r for r in dataset.inspections.values() if r.follows == insp.id),
                     key=lambda r: r.id)
    if not reviews:
        return ""
    steps = {(s["inspection"], s["step"]): s for s in results["timeline"].rows}
    rows = []
    for review in reviews:
        figures = sum(t.inspection == review.id for t in dataset.tallies) + sum(
            n for profile, n in case_profiles(dataset.cases).items() if profile[0] == review.id)
        response = next((s for (i, step), s in steps.items()
                         if i == review.id and step.startswith("PCC comments on review")), None)
        rows.append([review.id, str(review.fieldwork or "not recorded"),
                     str(review.published or "not recorded"),
                     f"{figures} records" if figures else "none published",
                     (f"{STATUS_MARK[response['status']]}" + (f" ({response['done']})"
                                                              if response["done"] else ""))
                     if response else "not yet due or not known",
                     cite(review.source) or ""])
    return ('<section><h2>Post-inspection review</h2>'
            + _table(["review", "fieldwork", "published", "case figures",
                      "PCC response (56 days)", "source"], rows, dates={1, 2})
            + _review_grades(results.get("compare-review"))
            + '<p class="note">The review stands for the revisit the report set. It grades '
              "other cases than the inspection did, so changes are compared as independent "
              "samples (<code>ncpi compare --initial-vs-review</code>).</p></section>")


def _review_grades(result: Result | None) -> str:
    """Each grade before and after, and the change in points with its 95% interval, for
    every review that published grades."""
    if result is None:
        return ""
    grades = [g for g in domain.GRADES if f"initial_{g}" in result.columns]
    out = []
    for row in result.rows:
        if row["initial_n"] is None and row["review_n"] is None:
            continue
        lines = []
        for key, label in [*((g, domain.GRADE_LABELS[g]) for g in grades),
                           ("not_good", "not good")]:
            before = _count(row, f"initial_{key}")
            after = _count(row, f"review_{key}")
            if not before and not after:
                continue
            low = row.get(f"{key}_diff_ci_low")
            change = row.get(f"{key}_diff_pp")
            lines.append([label, before, after, "" if change is None else f"{change:+}",
                          "" if low is None else f"{low} to {row[f'{key}_diff_ci_high']}"])
        tests = "; ".join(f"{name} p = {row[key]}" for key, name in (
            ("fisher_exact_p", "Fisher–Freeman–Halton"), ("mann_whitney_p", "Mann–Whitney"))
            if row.get(key) is not None)
        out.append(f"<h3>{_e(row['inspection'])} against {_e(row['review'])}: n = "
                   f"{_e(row['initial_n'] or 'not stated')} and "
                   f"{_e(row['review_n'] or 'not stated')}</h3>"
                   + _table(["grade", "inspection", "review", "change (points)",
                             "95% interval"], lines, numeric={1, 2, 3, 4})
                   + (f'<p class="note">{_e(tests)}</p>' if tests else "")
                   + (f'<p class="note">{_e(row["note"])}</p>' if row.get("note") else ""))
    return "".join(out)


def _inspection(insp: Inspection, results: dict[str, Result]) -> str:
    grade_rows = results["grades"].rows
    basis = "cases" if any(r["basis"] == "cases" for r in grade_rows) else "published"
    grade_rows = [r for r in grade_rows if r["basis"] == basis]
    compare_rows = results["compare"].rows
    sample_rows = results["compare-samples"].rows
    rec_rows = results["recommendations"].rows
    steps = results["timeline"].rows
    scale = list(insp.scale)
    out = [f'<section><h2 id="{_e(insp.id)}">{_e(insp.source.get("title") or insp.id)}</h2>',
           _glance(insp, grade_rows, compare_rows, rec_rows, steps, basis)]
    areas = [r for r in grade_rows if r["area"] != domain.ALL]
    whole = [r for r in grade_rows if r["area"] == domain.ALL]
    if grade_rows:
        out.append("<h3>Grades by practice area (inspectors' grading)</h3>")
        bars = [(domain.AREAS.get(r["area"], "all areas") if r["area"] != domain.ALL else
                 ("all cases" if r["sample"] == domain.ALL else f"all areas, {r['sample']}"),
                 {g: r[g] for g in scale}) for r in areas + whole
                if all(r[g] is not None for g in scale)]
        description = "; ".join(
            f"{label}: " + ", ".join(f"{c[g]} {domain.GRADE_LABELS[g]}" for g in scale)
            for label, c in bars)
        if bars:
            chart = charts.stacked_bars(f"{insp.id}-areas", "Grades by practice area",
                                        description, bars, scale, label_width=300)
            out.append(f"<figure>{chart}<figcaption>Each bar is 100% of the cases in that "
                       "group; the count of each grade is written on its segment. Basis: "
                       f"{basis}. Partial or disputed figures are in the table only."
                       "</figcaption></figure>")
        out.append(_table(["practice area", "sample", *(domain.GRADE_LABELS[g] for g in scale),
                           "total", "source", "note"],
                          [[domain.AREAS.get(r["area"], "all areas"), r["sample"],
                            *(_count(r, g) or "not stated" for g in scale), r["total"],
                            r.get("source"), r.get("note")]
                           for r in areas + whole],
                          numeric=set(range(2, 3 + len(scale)))))
    for row in compare_rows:
        out.append(_comparison(insp, row, scale))
    out.append(_comparison_by_area(results.get("compare-by-area")))
    for row in sample_rows:
        out.append(_samples(insp, row, scale))
    if rec_rows:
        out.append("<h3>Recommendations</h3>")
        out.append(_table(["", "timescale", "summary", "due", "status", "past due", "source"],
                          [[r["recommendation"].rsplit("-", 1)[-1], r["timescale"],
                            r["summary"], r["due"] if r["due"] == r["due_latest"]
                            else f"{r['due']} to {r['due_latest']}", r["status"],
                            "yes" if r["past_due"] else "no", r["source"]] for r in rec_rows],
                          dates={3}))
        progress = next((r["progress"] for r in rec_rows if r["progress"]), None)
        if progress:
            out.append(f'<p class="note">Published progress: {_e(progress)}. Which '
                       'recommendations it covers is not published, so no single '
                       'recommendation is marked completed.</p>')
    if steps:
        out.append("<h3>Timeline</h3>")
        out.append(_table(["date", "step", "done", "status"],
                          [[r["date"] if r["date"] == r["date_latest"] else
                            f"{r['date']} to {r['date_latest']}", r["step"], r["done"],
                            STATUS_MARK[r["status"]]] for r in steps], dates={0, 2}))
        out.append('<p class="note">Dates known only to the month are shown as ranges. A step '
                   'is marked met or missed only when it is so for every day the dates allow; '
                   '"unknown" means its deadline has passed and the data hold no record.</p>')
    out.append("</section>")
    return "".join(out)


def _glance(insp: Inspection, grade_rows, compare_rows, rec_rows, steps, basis) -> str:
    fieldwork, fieldwork_note = settled_date(insp, "fieldwork")
    published, published_note = settled_date(insp, "published")
    items = [("fieldwork", str(fieldwork or "not recorded") + (
                 f" ({fieldwork_note})" if fieldwork_note else "")),
             ("published", str(published or "not recorded") + (
                 f" ({published_note})" if published_note else "")),
             ("grade scale", domain.scale_text(insp.methodology))]
    whole = next((r for r in grade_rows if r["area"] == domain.ALL
                  and r["sample"] == domain.ALL), None)
    if whole:
        items.append(("cases graded by inspectors", f"{whole['total'] or 'not stated'}: "
                      + ", ".join(f"{'not stated' if whole[g] is None else whole[g]} "
                                  f"{domain.GRADE_LABELS[g]}" for g in insp.scale)))
    for row in compare_rows:
        if row["n"]:
            items.append(("graded good, self-assessed cases",
                          f"force {row['force_good']} of {row['n']} ({row['force_good_pct']}%); "
                          f"inspectors {row['inspector_good']} ({row['inspector_good_pct']}%)"))
            break
    if rec_rows:
        immediate = sum(r["timescale"] == "immediately" for r in rec_rows)
        items.append(("recommendations", f"{len(rec_rows)} ({immediate} for immediate action)"))
    for label, prefix in (("PCC response to the report", "PCC comments on report"),
                          ("PCC response to the review", "PCC comments on review")):
        step = next((s for s in steps if s["step"].startswith(prefix)), None)
        if step is not None:
            items.append((label, f"{STATUS_MARK[step['status']]}" +
                          (f" ({step['done']})" if step["done"] else "")))
    items.append(("basis", "published tallies" if basis == "published" else "case records"))
    cells = "".join(f"<li>{_e(k)}<b>{_e(v)}</b></li>" for k, v in items)
    return f'<ul class="glance">{cells}</ul>'


def _comparison(insp: Inspection, row: dict, scale: list[str]) -> str:
    n = row["n"]
    out = ["<h3>The force's self-assessment against the inspectors' grading</h3>"]
    bars = [("force (self-assessment)", {g: row[f"force_{g}"] for g in scale}),
            ("inspectors, same cases", {g: row[f"inspector_{g}"] for g in scale})]
    description = "; ".join(f"{label}: " + ", ".join(
        f"{c[g]} {domain.GRADE_LABELS[g]}" for g in scale) for label, c in bars)
    chart = charts.stacked_bars(f"{insp.id}-compare", "Force and inspectors' grades of the "
                                "same cases", description, bars, scale)
    out.append(f"<figure>{chart}"
               f"<figcaption>{n if n is not None else '?'} self-assessed cases, graded by "
               "the force and again by the inspectors.</figcaption></figure>")
    out.append(_table(["grade", "force", "inspectors", "difference (points)"],
                      [[domain.GRADE_LABELS[g], _count(row, f"force_{g}"),
                        _count(row, f"inspector_{g}"), row[f"{g}_diff_pp"]] for g in scale],
                      numeric={1, 2, 3}))
    if n and row["agree_min"] is not None:
        spans = [("agreed", row["agree_min"], row["agree_max"], None),
                 ("force graded more favourably", row["over_min"], row["over_max"], None),
                 ("force graded less favourably", row["under_min"], row["under_max"], None)]
        description = "; ".join(f"{label}: {low} to {high} of {n}" for label, low, high, _ in
                                spans)
        chart = charts.ranges(f"{insp.id}-ranges", "What the published totals allow about "
                              "the pairing", description, spans, n)
        out.append(f"<figure>{chart}"
                   "<figcaption>The report publishes only the two totals, not which force "
                   "grade went with which inspector grade. Each bar is the exact range, in "
                   f"cases out of {n}, over every pairing the totals allow.</figcaption>"
                   "</figure>")
    elif n and row["agree"] is not None:
        low, high = float(row["agree_ci_low_cases"]), float(row["agree_ci_high_cases"])
        description = (f"agreed on {row['agree']} of {n} cases; force graded more favourably "
                       f"on {row['over']}, less favourably on {row['under']}")
        chart = charts.ranges(f"{insp.id}-agree", "Agreement", description,
                              [("agreed", low, high, row["agree"])], n)
        out.append(f"<figure>{chart}"
                   f"<figcaption>Agreement on {row['agree']} of {n} cases "
                   f"({row['agree_pct']}%), with its 95% Wilson interval. Over-grading "
                   f"{row['over']}, under-grading {row['under']}; kappa "
                   f"{_e(row['kappa']) or 'not reported'}.</figcaption></figure>")
        out.append(_coefficients(row))
    if row.get("reading"):
        out.append(f'<p class="reading">{_e(row["reading"])}</p>')
    if row["note"]:
        out.append(f'<p class="note">{_e(row["note"])}</p>')
    return "".join(out)


def _comparison_by_area(result: Result | None) -> str:
    """The case-level comparison area by area, as the terminal's summary: one row per area."""
    rows = [r for r in (result.rows if result else []) if r["basis"] == "cases"]
    if len(rows) < 2:
        return ""

    def share(row: dict, key: str) -> str:
        return "" if row[key] is None else f"{row[key]} ({row[f'{key}_pct']}%)"

    table = _table(["practice area", "n", "agreed", "over-graded", "under-graded", "kappa",
                    "AC1"],
                   [[domain.AREAS.get(r["area"], "all areas"),
                     f"{r['n']}{'*' if r['small_sample'] else ''}", share(r, "agree"),
                     share(r, "over"), share(r, "under"), r["kappa"], r["ac1"]]
                    for r in rows], numeric={1, 2, 3, 4, 5, 6})
    return ("<h4>Self-assessed cases by practice area</h4>" + table +
            '<p class="note">Over-graded: the force graded the case more favourably than the '
            "inspectors. * under 10 cases: intervals and tests are unreliable. Each area's "
            "notes (why a figure is absent) are in <code>ncpi compare --self-vs-inspector --by "
            "area</code> (CSV, JSON, or <code>--detail</code> on the terminal).</p>")


def _coefficients(row: dict) -> str:
    """The agreement coefficients of a case-level comparison, each with its interval."""
    cells = []
    readings = row.get("readings") or {}
    for key, name in domain.COEFFICIENTS:
        if row.get(key) is None:
            continue
        interval = ("" if row.get(f"{key}_ci_low") is None else
                    f"{_e(row[f'{key}_ci_low'])} to {_e(row[f'{key}_ci_high'])}")
        cells.append(f"<tr><th scope=\"row\">{_e(name)}</th><td class=\"num\">{_e(row[key])}"
                     f"</td><td class=\"num\">{interval}</td>"
                     f"<td>{_e(readings.get(key))}</td></tr>")
    if not cells:
        return ""
    extra = ""
    if row.get("prevalence_index") is not None:
        extra = (f'<p class="note">On good / not good: prevalence index '
                 f'{_e(row["prevalence_index"])}, bias index {_e(row["bias_index"])} (Byrt, '
                 f'Bishop &amp; Carlin 1993). {_e(readings.get("prevalence_bias"))}</p>')
    method = (f" Krippendorff's alpha: {_e(row['alpha_interval'])}."
              if row.get("alpha_interval") else "")
    return ("<table class=\"coefficients\"><caption>Agreement beyond chance (95% intervals: "
            f"normal approximations, Gwet's variance for AC1, AC2 and Brennan-Prediger).{method}"
            "</caption><thead><tr><th scope=\"col\">coefficient</th>"
            "<th scope=\"col\">value</th><th scope=\"col\">interval</th>"
            "<th scope=\"col\">what it says</th></tr></thead><tbody>"
            + "".join(cells) + "</tbody></table>" + extra + _weights(row.get("weights")))


def _weights(weights: dict | None) -> str:
    """The weight matrices the weighted coefficients used, in the methodology's grade order."""
    if not weights:
        return ""
    labels = [domain.GRADE_LABELS[g] for g in weights["grades"]]
    head = "".join(f'<th scope="col">{_e(label)}</th>' for label in labels)
    tables = []
    for kind in ("linear", "quadratic"):
        body = "".join(
            f'<tr><th scope="row">{_e(label)}</th>'
            + "".join(f'<td class="num">{w:g}</td>' for w in line) + "</tr>"
            for label, line in zip(labels, weights[kind]))
        tables.append(f'<table class="weights"><caption>{kind} weights (force grade in rows, '
                      f'inspectors\' in columns)</caption><thead><tr><td></td>{head}</tr>'
                      f"</thead><tbody>{body}</tbody></table>")
    return "".join(tables)


def _samples(insp: Inspection, row: dict, scale: list[str]) -> str:
    bars = [(f"self-assessed ({row['self_assessed_n']})",
             {g: row[f"self_assessed_{g}"] for g in scale}),
            (f"inspector-selected ({row['inspector_selected_n']})",
             {g: row[f"inspector_selected_{g}"] for g in scale})]
    description = "; ".join(f"{label}: " + ", ".join(
        f"{c[g]} {domain.GRADE_LABELS[g]}" for g in scale) for label, c in bars)
    tests = ""
    if row["fisher_exact_p"] is not None:
        tests = (f"Fisher–Freeman–Halton p = {row['fisher_exact_p']} ({row['fisher_method']}); "
                 f"Mann–Whitney p = {row['mann_whitney_p']} ({row['mann_whitney_method']}).")
    chart = charts.stacked_bars(f"{insp.id}-samples", "Inspectors' grades by sample",
                                description, bars, scale)
    reading = (f'<p class="reading">{_e(row["reading"])}</p>' if row.get("reading") else "")
    return ("<h3>Were the self-assessed cases typical? The inspectors' grades of both samples"
            f"</h3><figure>{chart}<figcaption>{_e(tests)}</figcaption></figure>{reading}")


def _footer(dataset: Dataset, chosen: list[Inspection], as_of: dt.date) -> str:
    ids = {i.id for i in chosen}
    with_cases = {profile[0] for profile in case_profiles(dataset.cases)} & ids
    published_only = any(t.inspection in ids and t.inspection not in with_cases
                         for t in dataset.tallies)
    pairing = (" Where only published totals exist, no case-level pairing is inferred from "
               "them." if published_only else "")
    sources = []
    for insp in chosen:
        related = [insp] + [r for r in dataset.inspections.values() if r.follows == insp.id]
        for item in related:
            src = item.source
            text = cite(src) or ""
            sources.append(f"<li><b>{_e(item.id)}</b>: {_e(text) or 'no source recorded'}"
                           + (f'<br><span class="note">{_e(src["note"])}</span>'
                              if src.get("note") else "") + "</li>")
    inputs = _table(["input", "bytes", "sha256"],
                    [[f.path, f.size, f.sha256] for f in dataset.inputs], numeric={1})
    return ("<footer><h2>Sources and provenance</h2><ul>" + "".join(sources) + "</ul>"
            + inputs + f'<p class="note">ncpi {__version__}; dates judged as of '
            f"{as_of.isoformat()}. Published figures carry their page locators in the tables "
            f"above.{pairing}</p></footer>")
