"""ncpi as a library, for notebooks and scripts: everything the command line does.

    from ncpi_cli import api
    data = api.load(["audit.xlsx", "inspections.yaml"]).dataset
    result = api.self_vs_inspector(data, api.Filters(force="gwent"), by_area=True)
    result.rows           # list of dicts, the CLI's CSV/JSON columns
    result.to_pandas()    # the same as a DataFrame
    data.cases_frame()    # the case records as a DataFrame

Every command's analysis is here under the command's name (`national`, `judgments`,
`judgments_by_topic`, `case_list` for `compare --list-cases`, `listing` for `list`); the HTML
report is `ncpi_cli.report.build(data, api.force_overview(data, "gwent"), day)` (or
`build_national` with `national_overview`), as `ncpi report` writes it.

Errors are `errors.NcpiError` subclasses in domain words (`SelectionError`, `InputError`,
`DataError`…); a load with problems returns them in `LoadResult.problems` instead.
"""

from __future__ import annotations

from .analysis.compare import case_list, cross_table, self_vs_inspector
from .analysis.grades import grades
from .analysis.judgments import by_topic as judgments_by_topic
from .analysis.judgments import judgments
from .analysis.lifecycle import recommendations, timeline
from .analysis.listing import listing
from .analysis.national import national
from .analysis.overview import force_overview, national_overview
from .analysis.reconcile import reconcile
from .analysis.review import initial_vs_review
from .analysis.samples import samples
from .analysis.select import Filters
from .ingest import LoadResult, TableOptions, load

__all__ = ["Filters", "LoadResult", "TableOptions", "case_list", "cross_table",
           "force_overview", "grades", "initial_vs_review", "judgments", "judgments_by_topic",
           "listing", "load", "national", "national_overview", "recommendations",
           "reconcile", "samples", "self_vs_inspector", "timeline"]
