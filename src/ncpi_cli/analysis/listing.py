"""What the loaded data holds: its forces, its inspections, and the practice areas with the
spellings accepted for each, so a user can find the ids and slugs the other commands take."""

from __future__ import annotations

from ncpi_cli import domain
from ncpi_cli.model import Dataset, cite
from ncpi_cli.result import Account, Column, Kind, Layout, Result

from .common import FORCE, INSPECTION
from .select import KINDS

FORCES = Layout("list-forces", (
    FORCE,
    Column("name", Kind.TEXT, "the force's name"),
    Column("country", Kind.TEXT, "`england` or `wales`, where recorded"),
    Column("inspections", Kind.COUNT, "inspections and reviews of the force in the data"),
))
INSPECTIONS = Layout("list-inspections", (
    FORCE, INSPECTION,
    Column("kind", Kind.TEXT, "`inspection`, `post-inspection-review` or `self-audit`"),
    Column("methodology", Kind.TEXT, "the grade scale: `ncpi-2014` or `ncpi-2017`"),
    Column("fieldwork", Kind.DATE, "when the fieldwork was (a month where only that is known)"),
    Column("published", Kind.DATE, "when the report was published"),
    Column("follows", Kind.TEXT, "for a review: the inspection it follows up"),
    Column("source", Kind.TEXT, "the report as published: publisher, title, address"),
))
AREAS = Layout("list-areas", (
    Column("area", Kind.TEXT, "the practice area's slug, as the other commands take it"),
    Column("meaning", Kind.TEXT, "the practice area as reports name it"),
    Column("also_accepted", Kind.TEXT, "other spellings accepted in data files and sheets "
                                       "(case, spaces and punctuation ignored)"),
))
WHAT = ("forces", "inspections", "areas")


def listing(dataset: Dataset, what: str) -> Result:
    """The rows of `ncpi list forces|inspections|areas`."""
    account = Account()
    if what == "forces":
        counts = {f: sum(i.force == f for i in dataset.inspections.values())
                  for f in dataset.forces}
        rows = [{"force": f.id, "name": f.name, "country": f.country,
                 "inspections": counts[f.id]} for f in sorted(dataset.forces.values(),
                                                             key=lambda f: f.id)]
        layout, shown = FORCES, ("forces",)
    elif what == "inspections":
        rows = [{"force": i.force, "inspection": i.id, "kind": i.kind,
                 "methodology": i.methodology,
                 "fieldwork": str(i.fieldwork) if i.fieldwork else None,
                 "published": str(i.published) if i.published else None,
                 "follows": i.follows, "source": cite(i.source)}
                for i in sorted(dataset.inspections.values(), key=lambda i: (i.force, i.id))]
        layout, shown = INSPECTIONS, ("inspections",)
    elif what == "areas":
        aliases = domain.VOCABULARIES["area"].aliases
        rows = [{"area": slug, "meaning": meaning,
                 "also_accepted": ", ".join(aliases.get(slug, ())) or None}
                for slug, meaning in domain.AREAS.items()]
        layout, shown = AREAS, ()
    else:
        raise ValueError(f"nothing to list called {what!r} (known: {', '.join(WHAT)})")
    for kind in ("forces", "inspections", *KINDS):
        records = getattr(dataset, kind)
        if not records:
            continue
        if kind in shown:
            account.use(kind, len(records))
        else:
            account.exclude(kind, "not used by this command", len(records))
    return Result(layout, (), rows, account)
