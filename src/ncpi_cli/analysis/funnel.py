"""Funnel-plot limits, overdispersion and differences of proportions (standard library only).

Forces are compared with a target proportion p0 the way Spiegelhalter (2005) compares
institutions ("Funnel plots for comparing institutional performance", Statistics in
Medicine 24:1185-1202): each force's proportion is plotted against its number of cases n,
inside control limits that narrow as n grows.

- The unadjusted limits are exact: interpolated binomial quantiles of Bin(n, p0)
  (`binomial_limit`, `funnel_limits`). For a probability P, r_P is the smallest r with
  F(r) >= P (F the Bin(n, p0) distribution function), alpha = (F(r_P) - P) /
  (F(r_P) - F(r_P - 1)) and the limit is (r_P - alpha) / n. The interpolation spreads the
  probability of each count over the unit below it, so the limit moves smoothly with n
  and P instead of jumping from one count to the next.
- Overdispersion (forces differ by more than binomial chance) is estimated as in
  Spiegelhalter's section 3, multiplicatively (phi) and additively (tau^2); the limits
  adjusted for it are a normal approximation (`adjusted_limits`).
- Two forces, or two periods, are compared by Newcombe's (1998) hybrid score interval for
  the difference of their proportions (`newcombe_difference`).

Only the standard library is used, as in `stats`, so start-up stays light; the tests check
every number against scipy and against published or hand-worked values
(tests/test_funnel.py).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from statistics import NormalDist

from .stats import Z95, chi2_sf, wilson

Unit = tuple[int, int]
"""A force's (count, cases): y of n cases had the outcome."""

#: Terms of a binomial distribution smaller than this share of it are left out: they cannot
#: move a limit by a representable amount.
_NEGLIGIBLE = 1e-17
_BANDS = ("within 95%", "above 95%", "above 99.8%", "below 95%", "below 99.8%")


def _check_target(p0: float) -> None:
    if not 0 <= p0 <= 1:
        raise ValueError(f"the target proportion must be between 0 and 1, not {p0}")


def _check_limit(p0: float, n: int) -> None:
    _check_target(p0)
    if n < 1:
        raise ValueError("a limit needs at least one case")


def _tail(level: float) -> float:
    """The probability outside a two-sided `level` in each tail (0.025 for 0.95), rounded so
    that 0.998 gives 0.001 rather than 0.0010000000000000009."""
    if not 0 < level < 1:
        raise ValueError(f"the level must be between 0 and 1, not {level}")
    return round((1 - level) / 2, 12)


def _clip(x: float) -> float:
    return min(1.0, max(0.0, x))


def _binomial_pmf(n: int, p: float) -> tuple[int, list[float]]:
    """The Bin(n, p) probabilities, from the count returned on, for 0 < p < 1.

    Built by the ratio of consecutive terms outward from the mode, so there are no
    factorials to overflow and no large logarithms to cancel, then divided by their sum.
    Each side stops once the terms left (at most the last term times r / (1 - r) for the
    ratio r, which only shrinks away from the mode) are below _NEGLIGIBLE of the sum: about
    sqrt(n) terms rather than n + 1."""
    q = 1 - p
    mode = min(n, int((n + 1) * p))
    total = 1.0
    up, term = [1.0], 1.0
    for k in range(mode, n):
        ratio = (n - k) / (k + 1) * p / q
        term *= ratio
        up.append(term)
        total += term
        if ratio < 1 and term * ratio < _NEGLIGIBLE * total * (1 - ratio):
            break
    down, term = [], 1.0
    for k in range(mode, 0, -1):
        ratio = k / (n - k + 1) * q / p
        term *= ratio
        down.append(term)
        total += term
        if ratio < 1 and term * ratio < _NEGLIGIBLE * total * (1 - ratio):
            break
    down.reverse()
    return mode - len(down), [w / total for w in down + up]


def binomial_limit(p0: float, n: int, prob: float) -> float:
    """Spiegelhalter's interpolated exact binomial control limit, as a proportion, below
    which a force of n cases at target p0 falls with probability `prob`.

    The lower tail is summed from the left and the upper from the right, so both keep their
    digits at 0.001 and 0.999. The interpolation reaches below 0 when F(0) >= prob; the
    limit is then 0 (a proportion can be no lower). p0 = 0 or 1 has no spread: every
    limit is p0."""
    _check_limit(p0, n)
    if not 0 < prob < 1:
        raise ValueError(f"the probability must be between 0 and 1, not {prob}")
    if p0 in (0, 1):
        return float(p0)
    return _limit(*_binomial_pmf(n, p0), n, prob)


def _limit(first: int, pmf: Sequence[float], n: int, prob: float) -> float:
    if prob <= 0.5:
        below = 0.0
        for i, w in enumerate(pmf):
            if below + w >= prob:
                return _clip((first + i - (below + w - prob) / w) / n)
            below += w
    else:
        above, tail = 0.0, 1 - prob
        for i in range(len(pmf) - 1, -1, -1):
            w = pmf[i]
            if above + w > tail:
                return _clip((first + i - (tail - above) / w) / n)
            above += w
    raise AssertionError("unreachable: the probabilities sum to 1")


def funnel_limits(p0: float, n: int, level: float) -> tuple[float, float]:
    """The exact two-sided control limits (low, high) at `level`: 0.95 (probabilities
    0.025 and 0.975) or 0.998 (0.001 and 0.999), Spiegelhalter's usual pair."""
    tail = _tail(level)
    _check_limit(p0, n)
    if p0 in (0, 1):
        return float(p0), float(p0)
    first, pmf = _binomial_pmf(n, p0)
    return _limit(first, pmf, n, tail), _limit(first, pmf, n, 1 - tail)


def pooled_rate(units: Sequence[Unit]) -> float:
    """The target p0 as all forces together: total count over total cases (each case
    weighs the same, so large forces weigh more than small ones)."""
    cases = sum(n for _, n in units)
    if cases == 0:
        raise ValueError("no cases to pool")
    return sum(y for y, _ in units) / cases


def _percentile(ordered: Sequence[float], q: float) -> float:
    """The q-quantile of sorted values by linear interpolation between order statistics at
    (len - 1) q (Hyndman and Fan's type 7: R's and numpy's default)."""
    h = (len(ordered) - 1) * q
    i = math.floor(h)
    if i + 1 >= len(ordered):
        return ordered[-1]
    return ordered[i] + (h - i) * (ordered[i + 1] - ordered[i])


@dataclass(frozen=True)
class Overdispersion:
    """Spiegelhalter's (2005, section 3) overdispersion of `units` forces around p0.

    `phi` is the mean squared winsorised z-score (1 under pure binomial variation);
    `chi2` = units x phi is compared with chi-square on `df` = units - 1 degrees of freedom
    for the p-value `p`; `tau2` is the additive between-force variance (DerSimonian-Laird
    moment estimate from the same winsorised z-scores), floored at 0."""

    units: int
    phi: float
    chi2: float
    df: int
    p: float
    tau2: float


def overdispersion(units: Sequence[Unit], p0: float, winsor: float = 0.1,
                   minimum: int = 10) -> Overdispersion | str:
    """Overdispersion of forces' (count, cases) around target p0, or the reason it is not
    estimated (the caller shows "not estimated: <reason>").

    Forces with no cases carry no information and are left out before counting. With fewer
    than `minimum` forces the percentiles and the chi-square test mean little, so nothing
    is estimated. Winsorising (Spiegelhalter's 10%): z-scores below the `winsor` quantile
    are set to it and those above the 1 - `winsor` quantile to that, both quantiles by
    linear interpolation (type 7, see `_percentile`); with 10 forces that moves the lowest
    and the highest z, with 12 the two lowest and two highest."""
    _check_target(p0)
    if not 0 <= winsor < 0.5:
        raise ValueError(f"winsorising must take under half of each tail, not {winsor}")
    if minimum < 2:
        raise ValueError("the chi-square test needs at least two forces")
    for y, n in units:
        if n < 0 or not 0 <= y <= n:
            raise ValueError(f"a count must be between 0 and the cases, not {y} of {n}")
    used = [(y, n) for y, n in units if n > 0]
    if len(used) < minimum:
        return f"fewer than {minimum} reports"
    if p0 in (0, 1):
        return "the target proportion is 0 or 1, so there is no binomial variation"
    variance = p0 * (1 - p0)
    z = [(y / n - p0) / math.sqrt(variance / n) for y, n in used]
    ordered = sorted(z)
    low, high = _percentile(ordered, winsor), _percentile(ordered, 1 - winsor)
    count = len(used)
    phi = sum(min(max(v, low), high) ** 2 for v in z) / count
    weights = [n / variance for _, n in used]
    spread = sum(weights) - sum(w * w for w in weights) / sum(weights)
    excess = count * phi - (count - 1)
    tau2 = max(0.0, excess / spread) if spread > 0 else 0.0
    return Overdispersion(count, phi, count * phi, count - 1,
                          chi2_sf(count * phi, count - 1), tau2)


def adjusted_limits(p0: float, n: int, level: float, phi: float | None = None,
                    tau2: float | None = None) -> tuple[float, float]:
    """Control limits (low, high) widened for overdispersion, clipped to [0, 1].

    Multiplicative (`phi`): p0 +- z sqrt(phi p0 (1 - p0) / n), only when phi > 1 (with
    phi <= 1 there is no overdispersion to allow for). Additive (`tau2`): p0 +- z sqrt(p0
    (1 - p0) / n + tau2). With neither: the unadjusted normal limits. These are normal
    approximations: the overdispersed distribution has no exact binomial form, unlike the
    unadjusted limits of `funnel_limits`."""
    _check_limit(p0, n)
    if phi is not None and tau2 is not None:
        raise ValueError("give phi (multiplicative) or tau2 (additive), not both")
    if tau2 is not None and tau2 < 0:
        raise ValueError(f"tau2 is a variance and cannot be negative, not {tau2}")
    z = NormalDist().inv_cdf(1 - _tail(level))
    variance = p0 * (1 - p0) / n
    if tau2 is not None:
        variance += tau2
    elif phi is not None and phi > 1:
        variance *= phi
    half = z * math.sqrt(variance)
    return _clip(p0 - half), _clip(p0 + half)


def band(y: int, n: int, p0: float, limits95: tuple[float, float],
         limits998: tuple[float, float]) -> str:
    """Where a force of y in n falls: 'within 95%', 'above 95%', 'above 99.8%',
    'below 95%' or 'below 99.8%'.

    A proportion exactly on a limit counts as inside it, so a force is only flagged when it
    is strictly beyond (a force with no cases at a lower limit of 0 is within). `p0` is not
    needed once the limits are known; it is taken so that every call names its target."""
    _check_target(p0)
    if n < 1:
        raise ValueError("a force with no cases has no proportion to place")
    rate = y / n
    if rate > limits998[1]:
        return _BANDS[2]
    if rate > limits95[1]:
        return _BANDS[1]
    if rate < limits998[0]:
        return _BANDS[4]
    if rate < limits95[0]:
        return _BANDS[3]
    return _BANDS[0]


def newcombe_difference(x1: int, n1: int, x2: int, n2: int,
                        z: float = Z95) -> tuple[float, float, float] | None:
    """p1 - p2 of two independent proportions with Newcombe's (1998) hybrid score interval
    (his method 10): (difference, low, high); None when either sample is empty.

    Each limit combines the two Wilson intervals' distances on the sides that move the
    difference that way, so it stays within [-1, 1], is not symmetric about the difference
    near 0 or 1, and needs no iteration."""
    first, second = wilson(x1, n1, z), wilson(x2, n2, z)
    if first is None or second is None:
        return None
    (l1, u1), (l2, u2) = first, second
    p1, p2 = x1 / n1, x2 / n2
    d = p1 - p2
    return d, d - math.hypot(p1 - l1, u2 - p2), d + math.hypot(u1 - p1, p2 - l2)
