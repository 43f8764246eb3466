"""ncpi as a library, for notebooks and scripts: everything the command line does.

    from ncpi_cli import api
    data = api.load(["audit.xlsx", "inspections.yaml"]).dataset
    result = api.self_vs_inspector(data, api.Filters(force="gwent"), by_area=True)
    result.rows           # list of dicts, the CLI's CSV/JSON columns
    result.to_pandas()    # the same as a DataFrame
    data.cases_frame()    # the case records as a DataFrame

Errors are `errors.NcpiError` subclasses in domain words (`SelectionError`, `InputError`,
`DataError`…); a load with problems returns them in `LoadResult.problems` instead.
"""

from __future__ import annotations

from .analysis.compare import cross_table, self_vs_inspector
from .analysis.grades import grades
from .analysis.lifecycle import recommendations, timeline
from .analysis.reconcile import reconcile
from .analysis.review import initial_vs_review
from .analysis.samples import samples
from .analysis.select import Filters
from .ingest import LoadResult, TableOptions, load

__all__ = ["Filters", "LoadResult", "TableOptions", "cross_table", "grades",
           "initial_vs_review", "load", "recommendations", "reconcile", "samples",
           "self_vs_inspector", "timeline"]
