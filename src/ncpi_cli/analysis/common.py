"""Figures every analysis computes the same way: percentages, intervals, rounding, scales."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

from ncpi_cli import domain
from ncpi_cli.model import Tally
from ncpi_cli.result import Column, Kind

SMALL_SAMPLE = 10


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


def wilson_cases(count: int, total: int) -> tuple[Decimal | None, Decimal | None]:
    """The same interval in cases out of `total`, one decimal (for a chart on a case axis)."""
    from .stats import wilson

    interval = wilson(count, total)
    if interval is None:
        return None, None
    return fixed(total * interval[0], 1), fixed(total * interval[1], 1)


def grade_keys(scales: list[tuple[str, ...]]) -> tuple[str, ...]:
    """Grade keys used by any of these scales, best to worst: what `<grade>` columns
    expand to."""
    used = {g for scale in scales for g in scale}
    return tuple(g for g in domain.GRADES if g in used) or domain.SCALES[
        domain.DEFAULT_METHODOLOGY]


def stated_total_mismatch(tally: Tally) -> str | None:
    """A tally whose counts do not add up to the total its source prints beside them."""
    if (tally.stated_total is None or tally.unstated or tally.stated_total == tally.total
            or "stated_total" in tally.disputed()):
        return None
    return (f"{tally.origin}: {tally.label}: the counts add up to {tally.total} but the source "
            f"states {tally.stated_total}")


#: Columns several analyses share, declared once.
FORCE = Column("force", Kind.TEXT, "ids")
INSPECTION = Column("inspection", Kind.TEXT, "ids")
AREA = Column("area", Kind.TEXT, "practice-area slug, `all` for the all-areas row")
SAMPLE = Column("sample", Kind.TEXT,
                "`self-assessed`, `inspector-selected`, or `all` where not split")
ASSESSOR = Column("assessor", Kind.TEXT, "`inspector` or `force`")
BASIS = Column("basis", Kind.TEXT, "`published` or `cases`")
NOTE = Column("note", Kind.TEXT, "why a figure is absent, or how to read it")
