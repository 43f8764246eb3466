"""What every analysis shares: percentages, filters, and the account of records used."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction
from typing import NamedTuple

from ncpi_cli import domain
from ncpi_cli.errors import SelectionError
from ncpi_cli.model import Dataset, Tally

Number = int | Decimal | None


def round1(value: Fraction) -> Decimal:
    """One decimal, half away from zero, computed exactly (no binary float on the way)."""
    tenths = abs(value) * 10
    whole = int(tenths + Fraction(1, 2))
    result = Decimal(whole).scaleb(-1)
    return -result if value < 0 and whole else result


def pct(count: int, total: int) -> Decimal | None:
    """Percentage 0-100 with one decimal; None where the total is zero."""
    return round1(Fraction(100 * count, total)) if total else None


def diff_pp(count_a: int, total_a: int, count_b: int, total_b: int) -> Decimal | None:
    """Percentage points b - a, from the exact shares (not from the rounded percentages)."""
    if not total_a or not total_b:
        return None
    return round1(Fraction(100 * count_b, total_b) - Fraction(100 * count_a, total_a))


@dataclass(frozen=True)
class Filters:
    force: str | None = None
    inspection: str | None = None
    area: str | None = None
    sample: str | None = None

    def as_dict(self) -> dict[str, str | None]:
        return {"force": self.force, "inspection": self.inspection, "area": self.area,
                "sample": self.sample}


NO_FILTERS = Filters()


def check_filters(dataset: Dataset, filters: Filters) -> None:
    """Refuse a filter value the data cannot have, listing the values it can."""
    known = {
        "force": sorted(dataset.forces),
        "inspection": sorted(dataset.inspections),
        "area": [*domain.AREAS, domain.ALL],
        "sample": [domain.ALL, *domain.SAMPLES],
    }
    for name, value in filters.as_dict().items():
        if value is not None and value not in known[name]:
            listed = ", ".join(known[name]) or "none in the loaded data"
            raise SelectionError(f"unknown {name} '{value}' (known: {listed})")
    if filters.force and filters.inspection:
        owner = dataset.inspections[filters.inspection].force
        if owner != filters.force:
            raise SelectionError(f"inspection '{filters.inspection}' is of force '{owner}', not "
                             f"'{filters.force}'")


class Profile(NamedTuple):
    """What the analyses group and filter cases on. A national file has a million cases
    but only thousands of distinct profiles, so analyses count profiles, not cases."""

    inspection: str
    area: str
    sample: str
    force_grade: str | None
    inspector_grade: str | None

    def grade_by(self, assessor: str) -> str | None:
        return self.force_grade if assessor == "force" else self.inspector_grade


def case_profiles(dataset: Dataset) -> Counter:
    """Cases counted by profile, in first-seen order."""
    return Counter(Profile(c.inspection, c.area, c.sample, c.force_grade, c.inspector_grade)
                   for c in dataset.cases)


def stated_total_mismatch(tally: Tally) -> str | None:
    """A tally whose counts do not add up to the total its source prints beside them."""
    if tally.stated_total is None or tally.stated_total == tally.total:
        return None
    return (f"{tally.origin}: {tally.label}: the counts add up to {tally.total} but the source "
            f"states {tally.stated_total}")


def scope_reason(dataset: Dataset, inspection_id: str, filters: Filters) -> str | None:
    """Why an inspection's records are outside --force/--inspection, or None."""
    if filters.force and dataset.force_of(inspection_id) != filters.force:
        return "outside --force"
    if filters.inspection and inspection_id != filters.inspection:
        return "outside --inspection"
    return None


@dataclass
class Usage:
    """Records used, and each record not used with its reason: read = used + not used."""

    used: Counter = field(default_factory=Counter)
    excluded: Counter = field(default_factory=Counter)

    def use(self, kind: str, n: int = 1) -> None:
        self.used[kind] += n

    def exclude(self, kind: str, reason: str, n: int = 1) -> None:
        self.excluded[(kind, reason)] += n

    def finish(self, dataset: Dataset, inspections_in_output: set[str],
               accounted: tuple[str, ...] = ("tallies", "cases")) -> None:
        """Account for the reference records (used when an output row names them) and for
        the kinds of record the command does not read (`accounted` lists those it does)."""
        forces = {dataset.force_of(i) for i in inspections_in_output}
        for force in dataset.forces:
            if force in forces:
                self.use("forces")
            else:
                self.exclude("forces", "no output row for this force")
        for inspection in dataset.inspections:
            if inspection in inspections_in_output:
                self.use("inspections")
            else:
                self.exclude("inspections", "no output row for this inspection")
        for kind in ("tallies", "cases", "recommendations"):
            records = getattr(dataset, kind)
            if kind not in accounted and records:
                self.exclude(kind, "not used by this command", len(records))


@dataclass
class Result:
    """An analysis's output: ordered columns, rows of plain values, and its account."""

    command: str
    columns: list[str]
    rows: list[dict[str, object]]
    usage: Usage
    #: for the reader (stderr on a terminal, the JSON manifest)
    notes: list[str] = field(default_factory=list)
    #: mismatches that make the run exit 4 once the output is written
    mismatches: list[str] = field(default_factory=list)
    #: keys of a row that only JSON carries (nested values, e.g. a full table)
    json_extras: list[str] = field(default_factory=list)


def scale_columns(scales: list[tuple[str, ...]]) -> list[str]:
    """Grade keys used by any of these scales, best to worst."""
    used = {g for scale in scales for g in scale}
    return [g for g in domain.GRADES if g in used] or list(domain.SCALES[
        domain.DEFAULT_METHODOLOGY])


def fixed(value: float | None, places: int) -> Decimal | None:
    """A statistic rounded to `places` decimals, as a Decimal (never '-0.0')."""
    if value is None:
        return None
    result = Decimal(format(value, f".{places}f"))
    return result if result else abs(result)


def significant(value: float | None, digits: int = 4) -> Decimal | None:
    """A p-value to `digits` significant figures."""
    if value is None:
        return None
    return Decimal(format(value, f".{digits}g"))


def wilson_pct(count: int, total: int) -> tuple[Decimal | None, Decimal | None]:
    """95% Wilson interval of count / total, in percent with one decimal."""
    from .stats import wilson

    interval = wilson(count, total)
    if interval is None:
        return None, None
    return fixed(100 * interval[0], 1), fixed(100 * interval[1], 1)


SMALL_SAMPLE = 10
