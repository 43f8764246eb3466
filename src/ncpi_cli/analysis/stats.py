"""Agreement and comparison statistics as short closed forms (standard library only).

Importing scipy or statsmodels would cost about a second on every run; for tables of three
or four grades every statistic here has a closed form or a small exact enumeration. The
test suite checks each function against statsmodels, scipy and scikit-learn and against
printed textbook values (see tests/test_stats.py).

Tables are lists of rows of counts: rows are the force's grades, columns the inspectors',
both ordered best to worst, so cells above the diagonal are over-grading (the force's
grade better than the inspectors').

Every statistic has a bounded cost whatever the counts:
- Exact tails over at most WHOLE_NUMBER_LIMIT cases are summed in whole numbers, as in 0.1.0.
  Past that they are summed in floating point: the largest term from a log-space formula
  that keeps about 15 digits at any size (Loader's saddle-point binomial), the rest by a
  ratio recurrence, stopped once the terms left cannot change the sum (at most a few
  sqrt(m) terms for m cases).
- Exact enumerations over 2 x k tables skip tables too improbable to change the p-value and
  visit at most EXACT_LIMIT tables; past that the Fisher-Freeman-Halton test uses a seeded
  Monte Carlo and Mann-Whitney the normal approximation, and `method` says which.
- Bowker's exact test gives up past BOWKER_EXACT_LIMIT outcomes; the other statistics are
  closed forms in k x k cells.
"""

from __future__ import annotations

import functools
import itertools
import math
from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction
from statistics import NormalDist

Table = Sequence[Sequence[int]]

Z95 = NormalDist().inv_cdf(0.975)
#: Largest number of tables an exact enumeration may visit before a method falls back
#: (0.02 to 0.1 s).
EXACT_LIMIT = 100_000
#: Tests over at most this many cases sum their tails in whole numbers, as in 0.1.0 ...
WHOLE_NUMBER_LIMIT = 1_000
#: ... and two-sample tests also need at most this many tables for that.
WHOLE_NUMBER_TABLES = 1_000
#: Relative error allowed for tables an exact enumeration skips.
NEGLIGIBLE = 1e-13
#: Tables whose probabilities differ by less than this ratio (as a log) count as ties, as in
#: R's fisher.test: floating-point sums of equal probabilities need not be equal.
TIE = 1e-7
_LOG_2PI = math.log(2 * math.pi)


def wilson(count: int, n: int, z: float = Z95) -> tuple[float, float] | None:
    """Wilson score interval for a proportion (as fractions of 1); None when n is 0."""
    if n == 0:
        return None
    p = count / n
    denominator = 1 + z * z / n
    centre = (p + z * z / (2 * n)) / denominator
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / denominator
    return max(0.0, centre - half), min(1.0, centre + half)


def chi2_sf(x: float, df: float) -> float:
    """Upper tail of chi-square with df degrees of freedom (any df > 0): Q(df/2, x/2),
    the regularized upper incomplete gamma function.

    The power series gives P = 1 - Q below x/2 = df/2 + 1 and Lentz's continued fraction
    gives Q above it (Numerical Recipes' gammq), so a small upper tail keeps its relative
    digits, at 1 df (Bowker on two grades) and at thousands (overdispersion of many units).
    The prefactor comes from lgamma, good to about 1e-12 relative at a few thousand df."""
    if df <= 0:
        raise ValueError("df must be positive")
    if x <= 0:
        return 1.0
    a, half = df / 2, x / 2
    front = math.exp(a * math.log(half) - half - math.lgamma(a))
    if half < a + 1:
        term = total = 1 / a
        k = a
        while term > 1e-17 * total:
            k += 1
            term *= half / k
            total += term
        return min(1.0, max(0.0, 1 - front * total))
    tiny = 1e-300
    b = half + 1 - a
    c, d = 1 / tiny, 1 / b
    fraction = d
    for i in range(1, 100_000):
        an = -i * (i - a)
        b += 2
        d = an * d + b
        d = 1 / (d if abs(d) > tiny else tiny)
        c = b + an / c
        c = c if abs(c) > tiny else tiny
        fraction *= d * c
        if abs(d * c - 1) < 1e-16:
            break
    return min(1.0, front * fraction)


def sign_test(over: int, under: int) -> float | None:
    """Exact two-sided sign test of over- vs under-grading (ties excluded); None if no
    disagreements."""
    m = over + under
    if m == 0:
        return None
    if m <= WHOLE_NUMBER_LIMIT:
        tail = sum(math.comb(m, i) for i in range(min(over, under) + 1))
        return float(min(Fraction(1), Fraction(2 * tail, 2**m)))
    return min(1.0, 2 * _binomial_half_tail(min(over, under), m))


def _stirling_error(n: int) -> float:
    """log n! - log(sqrt(2 pi n) (n/e)^n) for n >= 1: small, so it keeps its digits where a
    difference of two large lgamma values would not (Loader 2000)."""
    if n <= 15:
        return math.lgamma(n + 1) - (n + 0.5) * math.log(n) + n - _LOG_2PI / 2
    nn = n * n
    return (1 / 12 - (1 / 360 - (1 / 1260 - (1 / 1680 - 1 / (1188 * nn)) / nn) / nn) / nn) / n


def _deviance(x: int, mean: float) -> float:
    """x log(x / mean) + mean - x for x >= 1, as a series in v = (x - mean) / (x + mean) when
    x is near the mean, where the direct form cancels."""
    if abs(x - mean) < 0.1 * (x + mean):
        v = (x - mean) / (x + mean)
        total, term, v2 = (x - mean) * v, 2 * x * v, v * v
        j = 3
        while True:
            term *= v2
            following = total + term / j
            if following == total:
                return total
            total, j = following, j + 2
    return x * math.log(x / mean) + mean - x


def _log_binomial(x: int, m: int, p: float, q: float) -> float:
    """log of the Binomial(m, p) probability of x (q = 1 - p), to about 1e-15 of its size
    whatever m (Loader's saddle-point form: Stirling errors plus deviances, no two large
    terms to cancel)."""
    if x == m:
        return m * math.log(p) if m else 0.0
    if x == 0:
        return m * math.log(q)
    return (_stirling_error(m) - _stirling_error(x) - _stirling_error(m - x)
            - _deviance(x, m * p) - _deviance(m - x, m * q)
            - (_LOG_2PI + math.log(x) + math.log(m - x) - math.log(m)) / 2)


def _log_binomial_half(x: int, m: int) -> float:
    """log(C(m, x) / 2**m)."""
    return _log_binomial(x, m, 0.5, 0.5)


def _binomial_half_tail(k: int, m: int) -> float:
    """P(X <= k) for X ~ Binomial(m, 1/2) and k <= m / 2, in floating point at any m.

    From the term at k down, each term is the last times i / (m - i + 1); that ratio shrinks
    as i falls, so once a term times ratio / (1 - ratio) is below 1e-17 of the sum, nothing
    left can change it."""
    total, term = 1.0, 1.0
    for i in range(k, 0, -1):
        ratio = i / (m - i + 1)
        term *= ratio
        total += term
        if term * ratio < 1e-17 * total * (1 - ratio):
            break
    return math.exp(_log_binomial_half(k, m)) * total


def counts_of(table: Table) -> tuple[list[int], list[int], int]:
    rows = [sum(r) for r in table]
    cols = [sum(c) for c in zip(*table)]
    return rows, cols, sum(rows)


def agreement(table: Table) -> tuple[int, int, int]:
    """Cases on the diagonal, above it (over-grading) and below it (under-grading)."""
    k = len(table)
    agree = sum(table[i][i] for i in range(k))
    over = sum(table[i][j] for i in range(k) for j in range(i + 1, k))
    under = sum(table[i][j] for i in range(k) for j in range(i))
    return agree, over, under


def mean_gap(table: Table) -> float | None:
    """Mean of (inspectors' grade - force's grade) in scale steps: positive when the force
    graded more favourably than the inspectors."""
    k = len(table)
    n = sum(map(sum, table))
    if n == 0:
        return None
    return sum(table[i][j] * (j - i) for i in range(k) for j in range(k)) / n


@dataclass(frozen=True)
class Kappa:
    """Cohen's kappa with the Fleiss-Cohen-Everitt (1969) asymptotic standard error (what
    SAS prints as ASE and statsmodels returns as std_kappa). `status` is "ok",
    "undefined" (both assessors used one and the same grade) or "degenerate" (one
    assessor used a single grade: kappa is 0 whatever the agreement)."""

    status: str
    kappa: float | None = None
    se: float | None = None
    low: float | None = None
    high: float | None = None
    clipped: bool = False


def weight_matrix(k: int, kind: str = "none") -> list[list[float]]:
    """The agreement weights on a k-grade scale, in scale order: identity (`none`),
    `linear` 1 - |i - j| / (k - 1) or `quadratic` 1 - (i - j)^2 / (k - 1)^2."""
    if kind == "linear":
        return [[1 - abs(i - j) / (k - 1) for j in range(k)] for i in range(k)]
    if kind == "quadratic":
        return [[1 - (i - j) ** 2 / (k - 1) ** 2 for j in range(k)] for i in range(k)]
    return [[1.0 if i == j else 0.0 for j in range(k)] for i in range(k)]


@dataclass(frozen=True)
class Coefficient:
    """A chance-corrected agreement coefficient with Gwet's (2008) variance (no finite
    population correction) and a normal 95% interval clipped to [-1, 1]. `se` is None
    when n < 2."""

    value: float
    se: float | None
    low: float | None
    high: float | None
    clipped: bool = False


def _coefficient(value: float, variance: float | None, z: float) -> Coefficient:
    if variance is None:
        return Coefficient(value, None, None, None)
    se = math.sqrt(max(variance, 0.0))
    low, high = value - z * se, value + z * se
    return Coefficient(value, se, max(low, -1.0), min(high, 1.0), low < -1 or high > 1)


def gwet_ac(table: Table, weights: str = "none", z: float = Z95) -> Coefficient | None:
    """Gwet's AC1 (`none`) or AC2 (`linear`, `quadratic` weights) of two assessors, with the
    variance of Gwet's Handbook (4th ed., ch. 4; irrCAC's two-rater `gwet`): chance agreement
    from the two assessors' mean grade shares, which keeps it low on skewed margins."""
    k = len(table)
    rows, cols, n = counts_of(table)
    if n == 0 or k < 2:
        return None
    w = weight_matrix(k, weights)
    total_w = sum(map(sum, w))
    p = [[table[i][j] / n for j in range(k)] for i in range(k)]
    pi = [(rows[i] + cols[i]) / (2 * n) for i in range(k)]
    p_o = sum(w[i][j] * p[i][j] for i in range(k) for j in range(k))
    p_e = total_w * sum(x * (1 - x) for x in pi) / (k * (k - 1))
    value = (p_o - p_e) / (1 - p_e)
    if n < 2:
        return _coefficient(value, None, z)
    spread = sum(p[i][j] * (w[i][j] - 2 * (1 - value) * total_w
                            * (1 - (pi[i] + pi[j]) / 2) / (k * (k - 1))) ** 2
                 for i in range(k) for j in range(k))
    variance = (spread - (p_o - 2 * (1 - value) * p_e) ** 2) / (n * (1 - p_e) ** 2)
    return _coefficient(value, variance, z)


def krippendorff_alpha(table: Table, level: str = "ordinal") -> float | None:
    """Krippendorff's alpha for two assessors and no missing grades, from the coincidence
    matrix (each case gives the pair both ways): 1 - (n - 1) D_o / D_e, with the ordinal
    distance (Krippendorff 2011: the cases between two grades, halving the ends) or the
    nominal one. None when every grade given is the same (no expected disagreement)."""
    k = len(table)
    coincidence = [[table[i][j] + table[j][i] for j in range(k)] for i in range(k)]
    used = [sum(line) for line in coincidence]
    total = sum(used)
    if level == "nominal":
        def distance(c: int, d: int) -> float:
            return 0.0 if c == d else 1.0
    else:
        def distance(c: int, d: int) -> float:
            low, high = min(c, d), max(c, d)
            return (sum(used[low:high + 1]) - (used[low] + used[high]) / 2) ** 2
    observed = sum(coincidence[c][d] * distance(c, d) for c in range(k) for d in range(k))
    expected = sum(used[c] * used[d] * distance(c, d) for c in range(k) for d in range(k))
    if total < 2 or expected == 0:
        return None
    return 1 - (total - 1) * observed / expected


def brennan_prediger(table: Table, weights: str = "none",
                     z: float = Z95) -> Coefficient | None:
    """Brennan and Prediger's coefficient (chance agreement 1/k, uniform grade use; PABAK on
    two grades), with Gwet's variance as irrCAC's two-rater `bp`."""
    k = len(table)
    n = sum(map(sum, table))
    if n == 0 or k < 2:
        return None
    w = weight_matrix(k, weights)
    p_e = sum(map(sum, w)) / k ** 2
    p_o = sum(w[i][j] * table[i][j] / n for i in range(k) for j in range(k))
    value = (p_o - p_e) / (1 - p_e)
    if n < 2:
        return _coefficient(value, None, z)
    second = sum(table[i][j] / n * w[i][j] ** 2 for i in range(k) for j in range(k))
    return _coefficient(value, (second - p_o ** 2) / (n * (1 - p_e) ** 2), z)


def kappa(table: Table, weights: str = "none", z: float = Z95) -> Kappa:
    """Unweighted (`weights="none"`) or linear-weighted Cohen's kappa, with a Wald interval
    (approximate; clipped to [-1, 1], and `clipped` says so)."""
    k = len(table)
    rows, cols, n = counts_of(table)
    if n == 0:
        return Kappa("undefined")
    used_rows = sum(1 for r in rows if r)
    used_cols = sum(1 for c in cols if c)
    if used_rows == 1 and used_cols == 1 and rows.index(max(rows)) == cols.index(max(cols)):
        return Kappa("undefined")
    if used_rows == 1 or used_cols == 1:
        return Kappa("degenerate")
    w = weight_matrix(k, weights)
    p = [[table[i][j] / n for j in range(k)] for i in range(k)]
    r = [x / n for x in rows]
    c = [x / n for x in cols]
    p_o = sum(w[i][j] * p[i][j] for i in range(k) for j in range(k))
    p_e = sum(w[i][j] * r[i] * c[j] for i in range(k) for j in range(k))
    value = (p_o - p_e) / (1 - p_e)
    w_row = [sum(c[j] * w[i][j] for j in range(k)) for i in range(k)]
    w_col = [sum(r[i] * w[i][j] for i in range(k)) for j in range(k)]
    spread = sum(p[i][j] * (w[i][j] - (w_row[i] + w_col[j]) * (1 - value)) ** 2
                 for i in range(k) for j in range(k))
    variance = (spread - (value - p_e * (1 - value)) ** 2) / (n * (1 - p_e) ** 2)
    se = math.sqrt(max(variance, 0.0))
    low, high = value - z * se, value + z * se
    clipped = low < -1 or high > 1
    return Kappa("ok", value, se, max(low, -1.0), min(high, 1.0), clipped)


def kappa_max(table: Table) -> float | None:
    """Largest unweighted kappa the two assessors' margins allow (Cohen 1960)."""
    rows, cols, n = counts_of(table)
    if n == 0:
        return None
    p_e = sum(r * c for r, c in zip(rows, cols)) / n**2
    if p_e >= 1:
        return None
    return (sum(min(r, c) for r, c in zip(rows, cols)) / n - p_e) / (1 - p_e)


@dataclass(frozen=True)
class ChiSquare:
    statistic: float
    df: int
    p: float


def bowker(table: Table) -> ChiSquare | None:
    """Bowker's test of symmetry over the pairs of grades with any disagreement; None if
    there are none. df counts those pairs (a pair with no discordant cases carries no
    information; SAS and statsmodels skip it in the sum but keep it in df)."""
    k = len(table)
    statistic, df = Fraction(0), 0
    for i in range(k):
        for j in range(i + 1, k):
            s = table[i][j] + table[j][i]
            if s:
                statistic += Fraction((table[i][j] - table[j][i]) ** 2, s)
                df += 1
    if df == 0:
        return None
    return ChiSquare(float(statistic), df, chi2_sf(float(statistic), df))


BOWKER_EXACT_LIMIT = 20_000  # inspection-scale tables need a few hundred


def bowker_exact(table: Table, limit: int = BOWKER_EXACT_LIMIT) -> float | None:
    """Exact conditional p of Bowker's statistic: given each pair's total s_ij, n_ij is
    Binomial(s_ij, 1/2) under symmetry. None if no disagreements, or if the enumeration
    would pass `limit` outcomes."""
    k = len(table)
    pairs = [(table[i][j], table[i][j] + table[j][i]) for i in range(k)
             for j in range(i + 1, k) if table[i][j] + table[j][i]]
    if not pairs:
        return None
    outcomes = 1
    for _, s in pairs:
        outcomes *= s // 2 + 1
    if outcomes > limit:
        return None
    scale = math.lcm(*(s for _, s in pairs))
    observed = sum((2 * a - s) ** 2 * (scale // s) for a, s in pairs)
    dist: dict[int, float] = {0: 1.0}
    for _, s in pairs:
        step: dict[int, float] = {}
        for a, prob in enumerate(_binomial_half_pmf(s)):
            key = (2 * a - s) ** 2 * (scale // s)
            step[key] = step.get(key, 0.0) + prob
        merged: dict[int, float] = {}
        for x, px in dist.items():
            for y, py in step.items():
                merged[x + y] = merged.get(x + y, 0.0) + px * py
        dist = merged
    return min(1.0, sum(prob for value, prob in dist.items() if value >= observed))


def _binomial_half_pmf(s: int) -> list[float]:
    """Binomial(s, 1/2) probabilities: whole numbers up to WHOLE_NUMBER_LIMIT (as in 0.1.0),
    log space past it (C(40000, a) has 12,000 digits: whole numbers took minutes there)."""
    if s <= WHOLE_NUMBER_LIMIT:
        return [math.comb(s, a) / 2**s for a in range(s + 1)]
    return [math.exp(_log_binomial_half(a, s)) for a in range(s + 1)]


def stuart_maxwell(table: Table) -> ChiSquare | None:
    """Stuart-Maxwell test of marginal homogeneity. Grades with no disagreements are
    dropped first (their row of the covariance is zero: the coin rule, a generalized
    inverse), and df is the rank used. None if no disagreements at all."""
    k = len(table)
    off = [[table[i][j] + table[j][i] if i != j else 0 for j in range(k)] for i in range(k)]
    active = [i for i in range(k) if any(off[i])]
    if not active:
        return None
    rows, cols, _ = counts_of(table)
    # The covariance is the Laplacian of the disagreement graph: solve per connected part.
    statistic, df = Fraction(0), 0
    seen: set[int] = set()
    for start in active:
        if start in seen:
            continue
        part, stack = [], [start]
        seen.add(start)
        while stack:
            i = stack.pop()
            part.append(i)
            for j in active:
                if off[i][j] and j not in seen:
                    seen.add(j)
                    stack.append(j)
        part.sort()
        keep = part[:-1]
        d = [Fraction(rows[i] - cols[i]) for i in keep]
        v = [[Fraction(sum(off[i]) if i == j else -off[i][j]) for j in keep] for i in keep]
        statistic += _quadratic_form(v, d)
        df += len(keep)
    return ChiSquare(float(statistic), df, chi2_sf(float(statistic), df))


def _quadratic_form(v: list[list[Fraction]], d: list[Fraction]) -> Fraction:
    """d' V^-1 d by exact Gaussian elimination (V symmetric positive definite)."""
    m = len(d)
    a = [[*row, d[i]] for i, row in enumerate(v)]
    for col in range(m):
        pivot = next(r for r in range(col, m) if a[r][col] != 0)
        a[col], a[pivot] = a[pivot], a[col]
        for r in range(m):
            if r != col and a[r][col] != 0:
                factor = a[r][col] / a[col][col]
                a[r] = [x - factor * y for x, y in zip(a[r], a[col])]
    solution = [a[i][m] / a[i][i] for i in range(m)]
    return sum((x * y for x, y in zip(d, solution)), Fraction(0))


@dataclass(frozen=True)
class TwoSampleTest:
    p: float
    method: str
    statistic: float | None = None


def _first_rows(first_total: int, col_totals: Sequence[int]):
    """Every first row of a 2 x k table with these column totals and first-row total."""
    k = len(col_totals)
    suffix = [sum(col_totals[j:]) for j in range(k)] + [0]

    def fill(j: int, left: int, acc: list[int]):
        if j == k - 1:
            if left <= col_totals[j]:
                yield [*acc, left]
            return
        low = max(0, left - suffix[j + 1])
        for a in range(low, min(left, col_totals[j]) + 1):
            yield from fill(j + 1, left - a, [*acc, a])

    yield from fill(0, first_total, [])


def _count_first_rows(first_total: int, col_totals: Sequence[int]) -> int:
    """How many first rows a 2 x k table with these margins can have: ways to put
    `first_total` cases in k columns holding at most c_j each, by inclusion-exclusion over
    the columns that overflow (2**k terms whatever the counts)."""
    k = len(col_totals)
    if k == 0:
        return int(first_total == 0)
    count = 0
    for overflow in itertools.product((False, True), repeat=k):
        left = first_total - sum(c + 1 for c, o in zip(col_totals, overflow) if o)
        if left >= 0:
            count += (-1) ** sum(overflow) * math.comb(left + k - 1, k - 1)
    return count


def _whole_number_tail(n1: int, cols: Sequence[int], limit: int) -> bool:
    """Whether an exact test sums whole-number weights, as in 0.1.0 (small tables only)."""
    return (sum(cols) <= WHOLE_NUMBER_LIMIT
            and _count_first_rows(n1, cols) <= min(limit, WHOLE_NUMBER_TABLES))


class _OverBudget(Exception):
    """An exact enumeration would visit more tables than it may."""


def _visits_expected(n1: int, cols: Sequence[int], floor: float) -> float:
    """Roughly how many tables `_exact_tail` would visit without its shortcuts (it visits
    0.05 to 1 times this): the volume of the ellipsoid where the normal approximation to the
    multivariate hypergeometric is above `floor`. Its covariance
    is s (D - c c'/n) with s = n1 (n - n1) / (n (n - 1)), of determinant
    s^d prod(c) / n over d = k - 1 free counts."""
    n, d = sum(cols), len(cols) - 1
    log_det = (d * math.log(n1 * (n - n1) / (n * (n - 1)))
               + sum(math.log(c) for c in cols) - math.log(n))
    radius2 = 2 * (-(d * _LOG_2PI + log_det) / 2 - floor)
    if radius2 <= 0:
        return 1.0
    log_ball = d / 2 * math.log(math.pi) - math.lgamma(d / 2 + 1)
    return math.exp(log_ball + d / 2 * math.log(radius2) + log_det / 2)


def _exact_tail(n1: int, cols: Sequence[int], observed: Sequence[int], budget: int,
                ranks: Sequence[int] | None = None, centre: int = 0,
                distance: int = 0) -> float | None:
    """Total probability of the 2 x k tables with first-row total n1 and column totals
    `cols` (no zero) that are no more probable than `observed` (ties within TIE), or, with
    `ranks` (falling from column to column), whose score sum(x_j ranks_j) is at least
    `distance` from `centre`. None if more than `budget` tables would be visited.

    Weights are log Binomial(c, n1 / n) probabilities of the counts, whose powers of n1 / n
    cancel over a table: nothing overflows, and near the mode they are small numbers that keep
    their digits. Columns are filled left to right. Given the counts so far, the next count is
    hypergeometric, so the probability of the prefix (summed over its completions) is
    unimodal in it: each count is walked outward from its mode until the prefix falls below a
    floor. Each prefix skipped is below the floor and there are fewer than k * prod(c_j + 1)
    prefixes, so a floor of NEGLIGIBLE times the observed table's probability over that number
    skips less than NEGLIGIBLE of the answer (the observed table is always counted). A prefix
    whose tables are all kept (FFH: the prefix is no more probable than the observed table;
    Mann-Whitney: no completion's score comes nearer the centre) counts at once, and one
    whose tables are all rejected is not followed.
    """
    k = len(cols)
    if k == 1:
        return 1.0
    suffix = [sum(cols[j:]) for j in range(k)] + [0]
    share, other = n1 / suffix[0], (suffix[0] - n1) / suffix[0]

    def weight(x: int, c: int) -> float:
        return _log_binomial(x, c, share, other)

    log_observed = (sum(weight(x, c) for x, c in zip(observed, cols))
                    - weight(n1, suffix[0]))
    floor = (log_observed + math.log(NEGLIGIBLE) - math.log(k)
             - sum(math.log(c + 1) for c in cols[:-1]))
    if (_count_first_rows(n1, cols) > budget
            and _visits_expected(n1, cols, floor) > 2 * budget):
        return None  # hopeless: spare the budget
    visits = 0
    shift, total = log_observed, 0.0

    def add(f: float) -> None:
        """Count a probability exp(f), summed as exp(shift) * total."""
        nonlocal shift, total
        if f > shift + 700:  # rescale before exp overflows
            total *= math.exp(shift - f)
            shift = f
        total += math.exp(f - shift)

    def decided(j: int, left: int, f: float, score: int) -> bool:
        """Whether the tables after a prefix of probability exp(f) (columns up to j filled,
        `left` cases for the others) are all kept, then counted at once, or none is."""
        if ranks is None:
            if f <= log_observed + TIE:  # no table is more probable than its prefix
                add(f)
                return True
            return False
        low = high = score
        rest = left
        for j_low in range(k - 1, j, -1):  # worst grades (lowest ranks) first
            low += min(cols[j_low], rest) * ranks[j_low]
            rest -= min(cols[j_low], rest)
        rest = left
        for j_high in range(j + 1, k):
            high += min(cols[j_high], rest) * ranks[j_high]
            rest -= min(cols[j_high], rest)
        if distance <= 0 or high <= centre - distance or low >= centre + distance:
            add(f)
            return True
        return centre - distance < low and high < centre + distance

    def last_two(left: int, acc: float, score: int) -> None:
        """The last two columns: every count x of the first is a table. Walked in linear
        scale relative to the mode (ratios of consecutive terms are exact rationals)."""
        nonlocal visits, shift, total
        c, rest = cols[k - 2], cols[k - 1]
        low, high = max(0, left - rest), min(c, left)
        mode = min(max((left + 1) * (c + 1) // (suffix[k - 2] + 2), low), high)
        at_mode = acc + weight(mode, c) + weight(left - mode, rest)
        stop = math.exp(max(floor - at_mode, -745.0))
        kept_up_to = math.exp(min(log_observed + TIE - at_mode, 700.0))
        if ranks is not None:  # kept: x <= below or x >= above (ranks fall, slope > 0)
            base, slope = score + left * ranks[k - 1] - centre, ranks[k - 2] - ranks[k - 1]
            below, above = (-distance - base) // slope, -((base - distance) // slope)
        found = 0.0
        for x, w, step, end in ((mode, 1.0, 1, high), (mode, 1.0, -1, low)):
            if step == -1:
                if mode == low:
                    break
                w = mode * (rest - left + mode) / ((c - mode + 1) * (left - mode + 1))
                x = mode - 1
            while w >= stop:
                visits += 1
                if visits > budget:
                    raise _OverBudget
                if ranks is None:
                    if w <= kept_up_to:
                        found += w
                elif abs(base + x * slope) >= distance:
                    found += w
                elif (step == 1 and above - x > 16) or (step == -1 and x - below > 16):
                    # no table until the score leaves the centre: jump there
                    x = above if step == 1 else below
                    if (x - end) * step > 0:
                        break
                    w = math.exp(acc + weight(x, c) + weight(left - x, rest) - at_mode)
                    continue
                if x == end:
                    break
                if step == 1:
                    w *= (c - x) * (left - x) / ((x + 1) * (rest - left + x + 1))
                else:
                    w *= x * (rest - left + x) / ((c - x + 1) * (left - x + 1))
                x += step
        if found:
            add(at_mode + math.log(found))

    def walk(j: int, left: int, acc: float, score: int) -> None:
        """Column j < k - 2, given `left` first-row cases for columns j.. and the log weight
        `acc` of the columns before it."""
        nonlocal visits
        c, rest = cols[j], suffix[j + 1]
        low, high = max(0, left - rest), min(c, left)
        mode = min(max((left + 1) * (c + 1) // (suffix[j] + 2), low), high)
        at_mode = acc + weight(mode, c) + weight(left - mode, rest)
        for x, f, step, end in ((mode, at_mode, 1, high), (mode, at_mode, -1, low)):
            if step == -1:
                if mode == low:
                    break
                f += math.log(mode * (rest - left + mode) / ((c - mode + 1) * (left - mode + 1)))
                x = mode - 1
            while f >= floor:
                visits += 1
                if visits > budget:
                    raise _OverBudget
                child_score = score + x * (ranks[j] if ranks else 0)
                if not decided(j, left - x, f, child_score):
                    child = acc + weight(x, c)
                    if j + 1 == k - 2:
                        last_two(left - x, child, child_score)
                    else:
                        walk(j + 1, left - x, child, child_score)
                if x == end:
                    break
                if step == 1:
                    f += math.log((c - x) * (left - x) / ((x + 1) * (rest - left + x + 1)))
                else:
                    f += math.log(x * (rest - left + x) / ((c - x + 1) * (left - x + 1)))
                x += step

    start = -weight(n1, suffix[0])
    try:
        if k == 2:
            last_two(n1, start, 0)
        else:
            walk(0, n1, start, 0)
    except _OverBudget:
        return None
    return min(1.0, math.exp(shift) * total)


def fisher_freeman_halton(a: Sequence[int], b: Sequence[int], *, seed: int = 20261122,
                          draws: int = 100_000, limit: int = EXACT_LIMIT) -> TwoSampleTest:
    """Fisher-Freeman-Halton test of independence for two independent samples graded on
    one scale: exact, summing the probabilities of the tables with the same margins no more
    probable than the observed one (ties within TIE), or, if that would visit more than
    `limit` tables, a seeded Monte Carlo whose seed and number of draws the method names."""
    cols = [x + y for x, y in zip(a, b)]
    n1, n = sum(a), sum(cols)
    used = [j for j, c in enumerate(cols) if c]
    cols = [cols[j] for j in used]
    a = [a[j] for j in used]

    if _whole_number_tail(n1, cols, limit):
        def weight(row: Sequence[int]) -> int:
            return math.prod(math.comb(c, x) for c, x in zip(cols, row))

        observed = weight(a)
        extreme = sum(w for row in _first_rows(n1, cols) if (w := weight(row)) <= observed)
        return TwoSampleTest(float(Fraction(extreme, math.comb(n, n1))), "exact")
    if limit > 0:
        p = _exact_tail(n1, cols, a, limit)
        if p is not None:
            return TwoSampleTest(p, "exact")
    return _fisher_monte_carlo(a, cols, seed, draws)


def _fisher_monte_carlo(a: Sequence[int], cols: Sequence[int], seed: int,
                        draws: int) -> TwoSampleTest:
    """Share of `draws` seeded random tables with the same margins no more probable than
    the observed one (ties within TIE), counting the observed table as a draw. numpy draws
    the tables: the standard library has no hypergeometric sampler, and drawing by shuffling
    cases would cost time in proportion to the cases."""
    import numpy as np

    if draws < 1:
        raise ValueError("a Monte Carlo test needs at least one draw")
    n1, n = sum(a), sum(cols)
    share, other = n1 / n, (n - n1) / n
    rng = np.random.Generator(np.random.PCG64(seed))
    sims = rng.multivariate_hypergeometric(np.array(cols), n1, size=draws)
    relative = np.zeros(draws)
    for j, c in enumerate(cols):
        column = sims[:, j]
        low = int(column.min())
        if int(column.max()) - low < draws:  # weights of the counts drawn, by lookup
            values, where = range(low, int(column.max()) + 1), column - low
        else:
            unique, where = np.unique(column, return_inverse=True)
            values, where = unique.tolist(), where.reshape(-1)
        weights = np.array([_log_binomial(int(x), c, share, other) for x in values])
        relative += weights[where] - _log_binomial(a[j], c, share, other)
    hits = int(np.count_nonzero(relative <= TIE))
    return TwoSampleTest((hits + 1) / (draws + 1),
                         f"monte-carlo (seed {seed}, {draws} draws)")


NORMAL_METHOD = "normal approximation (tie and continuity corrected)"


def mann_whitney(a: Sequence[int], b: Sequence[int], *,
                 limit: int = EXACT_LIMIT) -> TwoSampleTest | None:
    """Two-sided Mann-Whitney / Wilcoxon rank-sum test of two samples' grades, with ties
    (midranks). Exact: the permutation distribution of U over every table with the same
    margins. If that would visit more than `limit` tables: the normal approximation with tie
    correction and continuity correction (as scipy's default). `statistic` is U of the first
    sample, counting a case better graded than another as a win. None if a sample is empty."""
    cols = [x + y for x, y in zip(a, b)]
    n1, n2 = sum(a), sum(b)
    n = n1 + n2
    if n1 == 0 or n2 == 0:
        return None
    # midranks by grade, best grade ranked highest so U counts "better graded" wins
    ranks2: list[int] = []  # twice the midrank, to stay in integers
    below = 0
    for c in reversed(cols):
        ranks2.append(2 * below + c + 1)
        below += c
    ranks2.reverse()

    def u2(row: Sequence[int]) -> int:  # 2U
        return sum(x * r for x, r in zip(row, ranks2)) - n1 * (n1 + 1)

    observed = u2(a)
    centre = n1 * n2  # 2 * mean of U
    distance = abs(observed - centre)
    if _whole_number_tail(n1, cols, limit):
        total = math.comb(n, n1)
        extreme = 0
        for row in _first_rows(n1, cols):
            if abs(u2(row) - centre) >= distance:
                extreme += math.prod(math.comb(c, x) for c, x in zip(cols, row))
        return TwoSampleTest(float(Fraction(extreme, total)), "exact", observed / 2)
    if limit > 0:
        used = [j for j, c in enumerate(cols) if c]
        p = _exact_tail(n1, [cols[j] for j in used], [a[j] for j in used], limit,
                        [ranks2[j] for j in used], n1 * (n1 + 1) + centre, distance)
        if p is not None:
            return TwoSampleTest(p, "exact", observed / 2)
    ties = sum(c**3 - c for c in cols)
    variance = n1 * n2 / 12 * ((n + 1) - ties / (n * (n - 1)))
    if variance <= 0:
        return TwoSampleTest(1.0, NORMAL_METHOD, observed / 2)
    z = max(abs(observed / 2 - centre / 2) - 0.5, 0) / math.sqrt(variance)
    return TwoSampleTest(min(1.0, 2 * NormalDist().cdf(-z)), NORMAL_METHOD, observed / 2)


#: Draws of the alpha bootstrap, and its seed (fixed: the same data give the same interval).
ALPHA_DRAWS, ALPHA_SEED = 2000, 20261124


@dataclass(frozen=True)
class Bootstrap:
    """A percentile bootstrap interval and how it was drawn."""

    low: float
    high: float
    draws: int
    seed: int
    #: draws on which the statistic was undefined (every grade the same), left out
    undefined: int


def alpha_bootstrap(table: Table, level: str = "ordinal", draws: int = ALPHA_DRAWS,
                    seed: int = ALPHA_SEED) -> Bootstrap | None:
    """A 95% percentile bootstrap interval of Krippendorff's alpha: the cases resampled
    with replacement (a multinomial draw of the table's n over its cells), alpha of each
    draw, the 2.5th and 97.5th percentiles. Seeded, so a table's interval is computed once
    per process and reused (an analysis by area meets the same tables again)."""
    return _alpha_bootstrap(tuple(map(tuple, table)), level, draws, seed)


@functools.lru_cache(maxsize=256)
def _alpha_bootstrap(table: tuple[tuple[int, ...], ...], level: str, draws: int,
                     seed: int) -> Bootstrap | None:
    """numpy is imported here only, for the draws."""
    import numpy as np

    k = len(table)
    n = sum(map(sum, table))
    if n < 2 or krippendorff_alpha(table, level) is None:
        return None
    rng = np.random.default_rng(seed)
    cells = np.array(table, dtype=float).reshape(-1) / n
    tables = rng.multinomial(n, cells, size=draws).reshape(draws, k, k).astype(float)
    coincidence = tables + tables.transpose(0, 2, 1)
    used = coincidence.sum(axis=2)
    total = used.sum(axis=1)
    if level == "nominal":
        distance = np.broadcast_to(1.0 - np.eye(k), (draws, k, k))
    else:
        cumulative = np.cumsum(used, axis=1)
        low = np.minimum.outer(np.arange(k), np.arange(k))
        high = np.maximum.outer(np.arange(k), np.arange(k))
        between = (cumulative[:, high] - cumulative[:, low] + used[:, low])
        distance = (between - (used[:, low] + used[:, high]) / 2) ** 2
    observed = (coincidence * distance).sum(axis=(1, 2))
    expected = (used[:, :, None] * used[:, None, :] * distance).sum(axis=(1, 2))
    defined = expected > 0
    alphas = 1 - (total[defined] - 1) * observed[defined] / expected[defined]
    low_q, high_q = np.percentile(alphas, [2.5, 97.5])
    return Bootstrap(float(low_q), float(high_q), draws, seed, int(draws - defined.sum()))
