"""A force's inspections, each with the results the HTML report shows."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from ncpi_cli import domain
from ncpi_cli.errors import SelectionError
from ncpi_cli.model import Dataset, Inspection
from ncpi_cli.result import Result

from .compare import self_vs_inspector
from .grades import grades
from .judgments import judgments
from .lifecycle import recommendations, timeline
from .national import Curve, funnels
from .review import initial_vs_review
from .samples import samples
from .select import Filters


def force_overview(dataset: Dataset, force: str, inspection: str | None = None,
                   as_of: dt.date | None = None) -> list[tuple[Inspection, dict[str, Result]]]:
    """Each inspection of the force (reviews go with the inspection they follow; one whose
    inspection is not in the data stands on its own), with its
    results by command: grades, compare, compare-samples, recommendations, timeline, and
    `compare-by-area` (the comparison with a row per practice area)."""
    if force not in dataset.forces:
        known = ", ".join(sorted(dataset.forces))
        raise SelectionError(f"unknown force '{force}' (known: {known})")
    as_of = as_of or dt.date.today()
    chosen = [i for i in sorted(dataset.inspections.values(), key=lambda i: i.id)
              if i.force == force and (i.kind not in domain.FOLLOW_UP_KINDS
                                      or i.follows not in dataset.inspections)
              and inspection in (None, i.id)]
    if not chosen:
        raise SelectionError(f"no inspection of {force} matches" +
                             (f" '{inspection}'" if inspection else ""))
    out = []
    for insp in chosen:
        only = Filters(inspection=insp.id)
        results = (grades(dataset, only), self_vs_inspector(dataset, only),
                   samples(dataset, only), recommendations(dataset, only, as_of),
                   timeline(dataset, only, as_of))
        by_area = self_vs_inspector(dataset, only, by_area=True)
        out.append((insp, {**{r.command: r for r in results}, "compare-by-area": by_area,
                           "compare-review": initial_vs_review(dataset, only, as_of)}))
    return out


@dataclass(frozen=True)
class NationalOverview:
    """What the national report shows: the `national` rows, each comparable group's funnel,
    and every inspection against what followed it."""

    national: Result
    curves: list[Curve]
    reviews: Result
    outcome: str
    judgments: Result


def national_overview(dataset: Dataset, outcome: str = "inadequate", collapse: bool = False,
                      as_of: dt.date | None = None) -> NationalOverview:
    result, found = funnels(dataset, outcome=outcome, collapse=collapse)
    return NationalOverview(result, found, initial_vs_review(dataset, as_of=as_of), outcome,
                            judgments(dataset))
