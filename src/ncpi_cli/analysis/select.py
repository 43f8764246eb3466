"""Selection and the record account, as one step every analysis takes.

`select` checks the selection against the data, applies an analysis's rules to each kind
of record it reads (first failing rule gives the reason), and keeps the account: every
record read is used or not used with a reason, in domain words (`Reason`).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import NamedTuple

from ncpi_cli import domain, model
from ncpi_cli.errors import SelectionError
from ncpi_cli.model import Dataset, Recommendation, Tally
from ncpi_cli.result import SELECTION_WORDS, Account, Reason, outside


@dataclass(frozen=True)
class Filters:
    """The selection a caller asks for; None selects everything. A force or an inspection
    may be one id or several (any of them)."""

    force: str | tuple[str, ...] | None = None
    inspection: str | tuple[str, ...] | None = None
    area: str | None = None
    sample: str | None = None

    def __post_init__(self) -> None:
        for name in ("force", "inspection"):
            value = getattr(self, name)
            if isinstance(value, str):
                value = (value,)
            object.__setattr__(self, name, tuple(dict.fromkeys(value)) if value else None)

    def as_dict(self) -> dict[str, str | list[str] | None]:
        """The selection as given: one id as text, several as a list."""

        def shown(ids: tuple[str, ...] | None) -> str | list[str] | None:
            return ids if ids is None else ids[0] if len(ids) == 1 else list(ids)

        return {"force": shown(self.force), "inspection": shown(self.inspection),
                "area": self.area, "sample": self.sample}


NO_FILTERS = Filters()


class NotSelectable(SelectionError):
    """A selection an analysis does not take: `field` set to `value`, where the analysis
    takes no value (`only` None) or `only` that one. `command` (the result's) identifies
    the analysis, `purpose` says what it does: a caller may phrase the message in its own
    words."""

    def __init__(self, command: str, analysis: str, purpose: str, field: str, value: str,
                 only: str | None = None):
        self.command, self.analysis, self.purpose, self.field, self.value, self.only = (
            command, analysis, purpose, field, value, only)
        word = SELECTION_WORDS[field]
        if only is not None:
            message = f"{analysis} uses the {only} {word} only, not '{value}'"
        else:
            message = f"{analysis} {purpose}: a {word} selection does not apply"
        super().__init__(message)


def check_filters(dataset: Dataset, filters: Filters) -> None:
    """Refuse a selection the data cannot have, listing the values it can."""
    known = {
        "force": sorted(dataset.forces),
        "inspection": sorted(dataset.inspections),
        "area": [*domain.AREAS, domain.ALL],
        "sample": [domain.ALL, *domain.SAMPLES],
    }
    given = {"force": filters.force or (), "inspection": filters.inspection or (),
             "area": (filters.area,) if filters.area else (),
             "sample": (filters.sample,) if filters.sample else ()}
    for name, values in given.items():
        for value in values:
            if value not in known[name]:
                listed = ", ".join(known[name]) or "none in the loaded data"
                hint = domain.did_you_mean(value, known[name])
                raise SelectionError(f"unknown {name} '{value}' ({hint}known: {listed})")
    if filters.force and filters.inspection:
        for inspection in filters.inspection:
            owner = dataset.inspections[inspection].force
            if owner not in filters.force:
                forces = "' or '".join(filters.force)
                raise SelectionError(f"inspection '{inspection}' is of force '{owner}', not "
                                     f"'{forces}'")


class Profile(NamedTuple):
    """What the analyses group and select cases on. A national file has a million cases
    but only thousands of distinct profiles, so analyses count profiles, not cases."""

    inspection: str
    area: str
    sample: str
    force_grade: str | None
    inspector_grade: str | None

    def grade_by(self, assessor: str) -> str | None:
        return self.force_grade if assessor == "force" else self.inspector_grade


def case_profiles(dataset: Dataset) -> Counter:
    """Cases counted by profile, in first-seen order (counted as plain tuples; a Profile
    is made once per distinct profile)."""
    return Counter({Profile._make(key): n for key, n in model.case_profiles(dataset.cases).items()})


def out_of_scope(dataset: Dataset, filters: Filters, inspection_id: str) -> Reason | None:
    """Why an inspection's records are outside the selected force or inspection, or None."""
    if filters.force and dataset.force_of(inspection_id) not in filters.force:
        return outside("force")
    if filters.inspection and inspection_id not in filters.inspection:
        return outside("inspection")
    return None


def unasked(subject: str, option: str, words: str) -> Reason:
    """Records an analysis option would have used, had it been asked for."""
    return Reason(f"{subject} ({words})", option=option, subject=subject)


#: Rules naming the selection: resolved for each kind of record (a tally is of one
#: practice area or of all; a case of one; a recommendation of several). SCOPE gives the
#: field a record falls outside (force, else inspection); IN_SCOPE one reason for both.
SCOPE, IN_SCOPE, AREA, SAMPLE = "scope", "in scope", "area", "sample"
#: a tally's full distribution: every grade stated, no figure in dispute
COMPLETE = "complete"
PARTIAL = Reason("partial tally: its source does not state every grade")
DISPUTED = Reason("disputed figure: sources of the same standing disagree")
Rule = str | Callable[[object], Reason | None]
KINDS = ("tallies", "cases", "recommendations", "judgments", "judgment_tallies")


@dataclass
class Selection:
    """The records an analysis reads, and the account kept while it uses them."""

    dataset: Dataset
    filters: Filters
    tallies: list[Tally] = field(default_factory=list)
    #: selected case profiles and how many cases each stands for
    cases: Counter = field(default_factory=Counter)
    recommendations: list[Recommendation] = field(default_factory=list)
    judgments: list = field(default_factory=list)
    judgment_tallies: list = field(default_factory=list)
    account: Account = field(default_factory=Account)
    read: tuple[str, ...] = ()
    _selected: Counter = field(default_factory=Counter)

    def reject(self, kind: str, reason: Reason | str, n: int = 1) -> None:
        """A selected record the analysis found no use for after all."""
        self.account.exclude(kind, reason, n)
        self._selected[kind] -= n

    def finish(self, inspections_in_output: Iterable[str]) -> Account:
        """Close the account: selected records not rejected are used; a force or an
        inspection is used when an output row names it; a kind the analysis does not read
        is not used."""
        for kind, n in self._selected.items():
            if n:
                self.account.use(kind, n)
        self._selected.clear()
        shown = set(inspections_in_output)
        forces = {self.dataset.force_of(i) for i in shown}
        for force in self.dataset.forces:
            if force in forces:
                self.account.use("forces")
            else:
                self.account.exclude("forces", "no output row for this force")
        for inspection in self.dataset.inspections:
            if inspection in shown:
                self.account.use("inspections")
            else:
                self.account.exclude("inspections", "no output row for this inspection")
        for kind in KINDS:
            records = getattr(self.dataset, kind)
            if kind not in self.read and records:
                self.account.exclude(kind, "not used by this command", len(records))
        return self.account

    def scope(self, inspection_id: str) -> Reason | None:
        return out_of_scope(self.dataset, self.filters, inspection_id)

    def _named(self, rule: str, kind: str) -> Callable[[object], Reason | None]:
        area, sample = self.filters.area, self.filters.sample
        if rule == SCOPE:
            return lambda r: self.scope(r.inspection)
        if rule == IN_SCOPE:
            return lambda r: outside("force", "inspection") if self.scope(r.inspection) else None
        if rule == COMPLETE and kind == "tallies":
            return lambda t: PARTIAL if t.unstated else DISPUTED if t.disputes else None
        if rule == AREA and kind == "tallies":
            return lambda t: outside("area") if area and t.area != area else None
        if rule == AREA and kind == "cases":
            return lambda c: (outside("area") if area not in (None, domain.ALL)
                              and c.area != area else None)
        if rule == AREA and kind == "recommendations":
            return lambda r: (outside("area") if area not in (None, domain.ALL)
                              and area not in r.areas else None)
        if rule == SAMPLE and kind == "tallies":
            return lambda t: outside("sample") if sample and t.sample != sample else None
        if rule == SAMPLE and kind == "cases":
            return lambda c: (outside("sample") if sample not in (None, domain.ALL)
                              and c.sample != sample else None)
        raise ValueError(f"no rule {rule!r} for {kind}")

    def _take(self, kind: str, records: Iterable, rules: Sequence[Rule],
              weight: Callable[[object], int]) -> list:
        checks = [self._named(r, kind) if isinstance(r, str) else r for r in rules]
        kept = []
        for record in records:
            n = weight(record)
            reason = next((why for check in checks if (why := check(record))), None)
            if reason is None:
                kept.append(record)
                self._selected[kind] += n
            else:
                self.account.exclude(kind, reason, n)
        return kept


def select(dataset: Dataset, filters: Filters = NO_FILTERS, *,
           tallies: Sequence[Rule] | None = None, cases: Sequence[Rule] | None = None,
           recommendations: Sequence[Rule] | None = None,
           judgments: Sequence[Rule] | None = None,
           judgment_tallies: Sequence[Rule] | None = None) -> Selection:
    """The records of each kind the analysis reads that pass its rules, in order; a kind
    given no rules is not read (and is accounted as not used by the command)."""
    check_filters(dataset, filters)
    chosen = Selection(dataset, filters, read=tuple(
        k for k, rules in zip(KINDS, (tallies, cases, recommendations, judgments,
                                      judgment_tallies)) if rules is not None))
    for kind, rules in (("judgments", judgments), ("judgment_tallies", judgment_tallies)):
        if rules is not None:
            setattr(chosen, kind, chosen._take(kind, getattr(dataset, kind), rules,
                                               lambda _: 1))
    if tallies is not None:
        chosen.tallies = chosen._take("tallies", [t.resolved() for t in dataset.tallies],
                                      tallies, lambda _: 1)
    if cases is not None:
        profiles = case_profiles(dataset)
        kept = chosen._take("cases", profiles, cases, profiles.__getitem__)
        chosen.cases = Counter({p: profiles[p] for p in kept})
    if recommendations is not None:
        chosen.recommendations = chosen._take("recommendations", dataset.recommendations,
                                              recommendations, lambda _: 1)
    return chosen
