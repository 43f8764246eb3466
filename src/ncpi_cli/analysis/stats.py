"""Agreement and comparison statistics as short closed forms (standard library only).

Importing scipy or statsmodels would cost about a second on every run; for tables of three
or four grades every statistic here has a closed form or a small exact enumeration. The
test suite checks each function against statsmodels, scipy and scikit-learn and against
printed textbook values (see tests/test_stats.py).

Tables are lists of rows of counts: rows are the force's grades, columns the inspectors',
both ordered best to worst, so cells above the diagonal are over-grading (the force's
grade better than the inspectors').
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction
from statistics import NormalDist

Table = Sequence[Sequence[int]]

Z95 = NormalDist().inv_cdf(0.975)
#: Largest number of outcomes an exact enumeration may visit before a method falls back.
EXACT_LIMIT = 2_000_000


def wilson(count: int, n: int, z: float = Z95) -> tuple[float, float] | None:
    """Wilson score interval for a proportion (as fractions of 1); None when n is 0."""
    if n == 0:
        return None
    p = count / n
    denominator = 1 + z * z / n
    centre = (p + z * z / (2 * n)) / denominator
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / denominator
    return max(0.0, centre - half), min(1.0, centre + half)


def chi2_sf(x: float, df: int) -> float:
    """Upper tail of the chi-square distribution, for whole df (closed forms)."""
    if df < 1:
        raise ValueError("df must be a positive whole number")
    if x <= 0:
        return 1.0
    half = x / 2
    if df % 2 == 0:
        term, total = 1.0, 1.0
        for i in range(1, df // 2):
            term *= half / i
            total += term
        return math.exp(-half) * total
    total = math.erfc(math.sqrt(half))
    term = math.sqrt(x) * math.sqrt(2 / math.pi) * math.exp(-half)
    for i in range(1, (df + 1) // 2):
        total += term
        term *= x / (2 * i + 1)
    return min(1.0, total)


def sign_test(over: int, under: int) -> float | None:
    """Exact two-sided sign test of over- vs under-grading (ties excluded); None if no
    disagreements."""
    m = over + under
    if m == 0:
        return None
    tail = sum(math.comb(m, i) for i in range(min(over, under) + 1))
    return float(min(Fraction(1), Fraction(2 * tail, 2**m)))


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


def _weights(k: int, kind: str) -> list[list[float]]:
    if kind == "linear":
        return [[1 - abs(i - j) / (k - 1) for j in range(k)] for i in range(k)]
    return [[1.0 if i == j else 0.0 for j in range(k)] for i in range(k)]


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
    w = _weights(k, weights)
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
        for a in range(s + 1):
            key = (2 * a - s) ** 2 * (scale // s)
            step[key] = step.get(key, 0.0) + math.comb(s, a) / 2**s
        merged: dict[int, float] = {}
        for x, px in dist.items():
            for y, py in step.items():
                merged[x + y] = merged.get(x + y, 0.0) + px * py
        dist = merged
    return min(1.0, sum(prob for value, prob in dist.items() if value >= observed))


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
    ways = [1] + [0] * first_total
    for c in col_totals:
        new = [0] * (first_total + 1)
        for total, count in enumerate(ways):
            if count:
                for a in range(min(c, first_total - total) + 1):
                    new[total + a] += count
        ways = new
    return ways[first_total]


def fisher_freeman_halton(a: Sequence[int], b: Sequence[int], *, seed: int = 20261122,
                          draws: int = 100_000, limit: int = EXACT_LIMIT) -> TwoSampleTest:
    """Fisher-Freeman-Halton test of independence for two independent samples graded on
    one scale: exact by enumerating every table with the same margins, or (past `limit`
    tables) by a seeded Monte Carlo whose seed and number of draws the method names."""
    cols = [x + y for x, y in zip(a, b)]
    n1, n = sum(a), sum(cols)
    used = [j for j, c in enumerate(cols) if c]
    cols = [cols[j] for j in used]
    a = [a[j] for j in used]

    def weight(row: Sequence[int]) -> int:
        return math.prod(math.comb(c, x) for c, x in zip(cols, row))

    if _count_first_rows(n1, cols) <= limit:
        observed = weight(a)
        extreme = sum(w for row in _first_rows(n1, cols) if (w := weight(row)) <= observed)
        return TwoSampleTest(float(Fraction(extreme, math.comb(n, n1))), "exact")
    import numpy as np  # only for very large samples

    def log_weight(rows: np.ndarray) -> np.ndarray:
        from math import lgamma

        lg = np.vectorize(lgamma)
        return sum(lg(c + 1) - lg(rows[:, j] + 1) - lg(c - rows[:, j] + 1)
                   for j, c in enumerate(cols))

    rng = np.random.Generator(np.random.PCG64(seed))
    sims = rng.multivariate_hypergeometric(np.array(cols), n1, size=draws)
    observed = log_weight(np.array([a]))[0]
    hits = int(np.sum(log_weight(sims) <= observed + 1e-7 * abs(observed)))
    return TwoSampleTest((hits + 1) / (draws + 1),
                         f"monte-carlo (seed {seed}, {draws} draws)")


def mann_whitney(a: Sequence[int], b: Sequence[int], *,
                 limit: int = EXACT_LIMIT) -> TwoSampleTest | None:
    """Two-sided Mann-Whitney / Wilcoxon rank-sum test of two samples' grades, with ties
    (midranks). Exact: the permutation distribution of U over every table with the same
    margins. Past `limit` tables: the normal approximation with tie correction and
    continuity correction (as scipy's default). `statistic` is U of the first sample,
    counting a case better graded than another as a win. None if a sample is empty."""
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
    if _count_first_rows(n1, cols) <= limit:
        total = math.comb(n, n1)
        extreme = 0
        distance = abs(observed - centre)
        for row in _first_rows(n1, cols):
            if abs(u2(row) - centre) >= distance:
                extreme += math.prod(math.comb(c, x) for c, x in zip(cols, row))
        return TwoSampleTest(float(Fraction(extreme, total)), "exact", observed / 2)
    ties = sum(c**3 - c for c in cols)
    variance = n1 * n2 / 12 * ((n + 1) - ties / (n * (n - 1)))
    if variance <= 0:
        return TwoSampleTest(1.0, "normal approximation (tie and continuity corrected)",
                             observed / 2)
    z = max(abs(observed / 2 - centre / 2) - 0.5, 0) / math.sqrt(variance)
    return TwoSampleTest(min(1.0, 2 * NormalDist().cdf(-z)),
                         "normal approximation (tie and continuity corrected)",
                         observed / 2)
