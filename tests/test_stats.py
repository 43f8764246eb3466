"""Every statistic against an independent computation: a printed textbook value where one
exists, else statsmodels / scipy / scikit-learn (with the settings that avoid their known
pitfalls on small ordinal tables, said where used), else direct enumeration."""

from __future__ import annotations

import itertools
import math
import random

import numpy as np
import pytest
import scipy.stats as ss
from sklearn.metrics import cohen_kappa_score
from statsmodels.stats.contingency_tables import SquareTable
from statsmodels.stats.inter_rater import cohens_kappa
from statsmodels.stats.proportion import proportion_confint

from ncpi_cli.analysis import stats as S

# SAS PROC FREQ agreement example, as printed in statsmodels' own tests
# (statsmodels/stats/tests/test_inter_rater.py, table10).
SAS_TABLE = [[0, 4, 1], [0, 8, 0], [0, 1, 5]]
# Fleiss, Levin & Paik (2003), Table 13.6, p.382: Stuart-Maxwell 14.000, p 0.000912.
FLP_13_6 = [[35, 5, 0], [15, 20, 5], [10, 5, 5]]
# R coin, mh_test documentation example (drug vs placebo ratings): chi-squared = 12.1387.
COIN_MH = [[14, 7, 9], [5, 26, 19], [1, 7, 12]]


def random_tables(seed: int, count: int, k: int, n_max: int = 40):
    rnd = random.Random(seed)
    for _ in range(count):
        yield [[rnd.choice([0, 0, 1, 2, 3, 5, 8]) for _ in range(k)] for _ in range(k)]


def test_kappa_sas_printed_values():
    k = S.kappa(SAS_TABLE)
    assert (round(k.kappa, 4), round(k.se, 4), round(k.low, 4), round(k.high, 4)) == \
        (0.4842, 0.1380, 0.2137, 0.7547)
    w = S.kappa(SAS_TABLE, "linear")
    assert (round(w.kappa, 4), round(w.se, 4), round(w.low, 4), round(w.high, 4)) == \
        (0.4701, 0.1457, 0.1845, 0.7558)


@pytest.mark.parametrize("k", [3, 4])
def test_kappa_against_statsmodels_and_sklearn(k):
    checked = 0
    for table in random_tables(k, 60, k):
        mine, linear = S.kappa(table), S.kappa(table, "linear")
        if mine.status != "ok":
            continue
        ref = cohens_kappa(np.array(table))
        ref_w = cohens_kappa(np.array(table), wt="linear")
        assert mine.kappa == pytest.approx(ref.kappa, abs=1e-12)
        assert mine.se == pytest.approx(ref.std_kappa, abs=1e-12)
        assert linear.kappa == pytest.approx(ref_w.kappa, abs=1e-12)
        assert linear.se == pytest.approx(ref_w.std_kappa, abs=1e-12)
        assert S.kappa_max(table) == pytest.approx(ref.kappa_max, abs=1e-12)
        # scikit-learn from the case list, with labels in grade order (not alphabetical)
        force = [i for i in range(k) for j in range(k) for _ in range(table[i][j])]
        insp = [j for i in range(k) for j in range(k) for _ in range(table[i][j])]
        labels = list(range(k))
        assert mine.kappa == pytest.approx(cohen_kappa_score(force, insp, labels=labels))
        assert linear.kappa == pytest.approx(
            cohen_kappa_score(force, insp, labels=labels, weights="linear"))
        checked += 1
    assert checked > 40


@pytest.mark.filterwarnings("ignore::RuntimeWarning")
def test_kappa_edge_cases():
    assert S.kappa([[5, 0, 0], [0, 0, 0], [0, 0, 0]]).status == "undefined"
    assert S.kappa([[0, 0, 0], [0, 0, 0], [0, 0, 0]]).status == "undefined"
    assert S.kappa([[1, 0, 0], [0, 0, 0], [0, 0, 0]]).status == "undefined"  # n = 1
    # one assessor used one grade: every kappa is 0 with SE 0, so it is flagged instead
    assert S.kappa([[3, 2, 1], [0, 0, 0], [0, 0, 0]]).status == "degenerate"
    assert S.kappa([[3, 0, 0], [2, 0, 0], [1, 0, 0]]).status == "degenerate"
    assert cohens_kappa(np.array([[3, 2, 1], [0, 0, 0], [0, 0, 0]])).kappa == 0
    perfect = S.kappa([[4, 0, 0], [0, 3, 0], [0, 0, 2]])
    assert (perfect.status, perfect.kappa, perfect.se) == ("ok", 1.0, 0.0)
    # an empty middle row and column are kept and do not disturb the result
    gap = S.kappa([[4, 0, 1], [0, 0, 0], [1, 0, 3]])
    assert gap.kappa == pytest.approx(cohens_kappa(np.array([[4, 1], [1, 3]])).kappa)


def test_kappa_interval_is_clipped_and_says_so():
    k = S.kappa([[2, 1, 0], [0, 1, 0], [0, 0, 1]])
    assert k.status == "ok" and k.clipped and k.high == 1.0


def test_wilson_against_statsmodels():
    for n in (1, 6, 10, 33, 47, 80):
        for x in range(n + 1):
            low, high = S.wilson(x, n)
            ref_low, ref_high = proportion_confint(x, n, method="wilson")
            assert low == pytest.approx(ref_low, abs=1e-12)
            assert high == pytest.approx(ref_high, abs=1e-12)
    assert S.wilson(0, 0) is None


@pytest.mark.parametrize("df", range(1, 8))
def test_chi2_survival_against_scipy(df):
    for x in (0.01, 0.5, 1, 2.7, 6, 14, 30, 80):
        assert S.chi2_sf(x, df) == pytest.approx(ss.chi2.sf(x, df), rel=1e-10, abs=1e-300)


def test_sign_test_against_scipy():
    for over in range(12):
        for under in range(12):
            if over + under:
                assert S.sign_test(over, under) == pytest.approx(
                    ss.binomtest(over, over + under).pvalue, rel=1e-12)
    assert S.sign_test(0, 0) is None


def test_stuart_maxwell_textbook_values():
    flp = S.stuart_maxwell(FLP_13_6)
    assert (round(flp.statistic, 3), flp.df, round(flp.p, 6)) == (14.0, 2, 0.000912)
    assert round(S.stuart_maxwell(COIN_MH).statistic, 4) == 12.1387


def test_stuart_maxwell_against_statsmodels_where_it_is_right():
    """statsmodels is right when the covariance is non-singular (every grade has a
    disagreement and the disagreements connect all grades: then df = k - 1)."""
    checked = 0
    for table in _chain(random_tables(11, 80, 3), random_tables(12, 80, 4)):
        mine = S.stuart_maxwell(table)
        if mine is None or mine.df != len(table) - 1:
            continue
        ref = SquareTable(np.array(table), shift_zeros=False).homogeneity()
        assert mine.statistic == pytest.approx(ref.statistic, rel=1e-9)
        assert (mine.df, mine.p) == (ref.df, pytest.approx(ref.pvalue, rel=1e-9))
        checked += 1
    assert checked > 50


def _chain(*iterables):
    return list(itertools.chain(*iterables))


def test_stuart_maxwell_drops_grades_without_disagreements():
    """A force that never graded anything inadequate and inspectors who agree there: the
    inadequate grade is dropped and df falls to 1 (coin / DescTools); statsmodels on the
    full table gives NaN or a wrong df. The reduced 2 x 2 is McNemar's test."""
    table = [[10, 6, 0], [1, 5, 0], [0, 0, 3]]
    mine = S.stuart_maxwell(table)
    mcnemar = (6 - 1) ** 2 / (6 + 1)
    assert (mine.statistic, mine.df) == (pytest.approx(mcnemar), 1)
    assert mine.p == pytest.approx(ss.chi2.sf(mcnemar, 1))
    assert S.stuart_maxwell([[3, 0, 0], [0, 2, 0], [0, 0, 1]]) is None


def test_stuart_maxwell_on_disconnected_disagreements():
    """Four grades with disagreements only good<->adequate and RI<->inadequate: the
    covariance splits into two blocks, each a McNemar test; df 2."""
    table = [[5, 4, 0, 0], [1, 5, 0, 0], [0, 0, 5, 3], [0, 0, 0, 5]]
    mine = S.stuart_maxwell(table)
    assert mine.df == 2
    assert mine.statistic == pytest.approx((4 - 1) ** 2 / 5 + (3 - 0) ** 2 / 3)


def test_bowker_against_statsmodels():
    checked = 0
    for table in _chain(random_tables(21, 80, 3), random_tables(22, 80, 4)):
        k = len(table)
        mine = S.bowker(table)
        if mine is None:
            continue
        ref = SquareTable(np.array(table), shift_zeros=False).symmetry()
        assert mine.statistic == pytest.approx(ref.statistic, rel=1e-12)
        pairs = k * (k - 1) // 2
        if mine.df == pairs:
            assert mine.p == pytest.approx(ref.pvalue, rel=1e-9)
            checked += 1
        else:  # statsmodels keeps empty pairs in df; ncpi counts only informative pairs
            assert ref.df == pairs
    assert checked > 30
    assert S.bowker([[3, 0, 0], [0, 2, 0], [0, 0, 1]]) is None


def _bowker_exact_brute(table):
    k = len(table)
    pairs = [(table[i][j], table[i][j] + table[j][i]) for i in range(k)
             for j in range(i + 1, k) if table[i][j] + table[j][i]]

    def stat(values):
        return sum((2 * a - s) ** 2 / s for a, (_, s) in zip(values, pairs))

    observed = stat([a for a, _ in pairs])
    total = 0.0
    for values in itertools.product(*(range(s + 1) for _, s in pairs)):
        if stat(values) >= observed - 1e-9:
            total += math.prod(math.comb(s, a) / 2**s for a, (_, s) in zip(values, pairs))
    return total


def test_bowker_exact_against_brute_force():
    for table in [FLP_13_6, SAS_TABLE, [[1, 0, 0], [3, 1, 0], [0, 2, 1]],
                  [[0, 5, 1, 0], [0, 0, 2, 1], [1, 0, 0, 3], [0, 0, 0, 0]]]:
        assert S.bowker_exact(table) == pytest.approx(_bowker_exact_brute(table), rel=1e-9)


def test_bowker_exact_with_one_pair_is_the_binomial_test():
    for a, b in [(6, 1), (4, 4), (9, 0), (3, 5)]:
        assert S.bowker_exact([[0, a, 0], [b, 0, 0], [0, 0, 2]]) == pytest.approx(
            ss.binomtest(a, a + b).pvalue, rel=1e-9)


def test_bowker_exact_gives_up_past_the_limit():
    assert S.bowker_exact(FLP_13_6, limit=10) is None


def test_agreement_and_mean_gap():
    assert S.agreement(SAS_TABLE) == (13, 5, 1)
    # gaps: +1 x4, +2 x1, -1 x1 (rows force, columns inspectors)
    assert S.mean_gap(SAS_TABLE) == pytest.approx((4 + 2 - 1) / 19)


def _ffh_by_enumeration(a, b):
    """Direct definition with scipy's multivariate hypergeometric pmf."""
    cols = [x + y for x, y in zip(a, b)]
    n1 = sum(a)
    pmf = ss.multivariate_hypergeom(m=cols, n=n1).pmf
    observed = pmf(a)
    total = 0.0
    for row in itertools.product(*(range(c + 1) for c in cols)):
        if sum(row) == n1:
            p = pmf(list(row))
            if p <= observed * (1 + 1e-9):
                total += p
    return total


@pytest.mark.parametrize(("a", "b"), [
    ([10, 17, 6], [10, 20, 17]),   # Gwent 2019, p.15
    ([3, 0, 2], [1, 4, 0]),
    ([2, 2, 2, 2], [0, 1, 3, 4]),
    ([5, 0, 0], [0, 0, 5]),
])
def test_fisher_freeman_halton_against_enumeration(a, b):
    mine = S.fisher_freeman_halton(a, b)
    assert mine.method == "exact"
    assert mine.p == pytest.approx(_ffh_by_enumeration(a, b), rel=1e-8)


def test_fisher_2x2_against_scipy():
    for a, b in [([3, 1], [1, 3]), ([8, 2], [1, 5]), ([0, 5], [5, 0])]:
        assert S.fisher_freeman_halton(a, b).p == pytest.approx(
            ss.fisher_exact([a, b]).pvalue, rel=1e-9)


def test_fisher_monte_carlo_is_seeded_and_close():
    a, b = [10, 17, 6], [10, 20, 17]
    first = S.fisher_freeman_halton(a, b, limit=0, draws=20_000)
    again = S.fisher_freeman_halton(a, b, limit=0, draws=20_000)
    assert first == again
    assert first.method == "monte-carlo (seed 20261122, 20000 draws)"
    assert first.p == pytest.approx(S.fisher_freeman_halton(a, b).p, abs=0.015)


def _scores(counts):
    k = len(counts)
    return [k - 1 - j for j, c in enumerate(counts) for _ in range(c)]  # best = highest


def test_mann_whitney_exact_against_a_permutation_test():
    a, b = [2, 1, 1], [0, 2, 2]
    mine = S.mann_whitney(a, b)
    x, y = _scores(a), _scores(b)
    ref = ss.permutation_test(
        (x, y), lambda u, v: ss.mannwhitneyu(u, v).statistic, permutation_type="independent",
        alternative="two-sided", n_resamples=np.inf)
    assert mine.method == "exact"
    assert mine.statistic == ss.mannwhitneyu(x, y).statistic
    assert mine.p == pytest.approx(ref.pvalue, rel=1e-9)


def test_mann_whitney_normal_approximation_against_scipy():
    for a, b in [([10, 17, 6], [10, 20, 17]), ([1, 2, 3, 4], [4, 3, 2, 1])]:
        mine = S.mann_whitney(a, b, limit=0)
        ref = ss.mannwhitneyu(_scores(a), _scores(b), method="asymptotic")
        assert mine.statistic == ref.statistic
        assert mine.p == pytest.approx(ref.pvalue, rel=1e-9)
    assert S.mann_whitney([0, 0, 0], [1, 2, 3]) is None


def test_mann_whitney_exact_for_gwent_by_enumeration():
    """Second method for the Gwent 2019 sample comparison (p.15: 10/17/6 of 33 against
    10/20/17 of 47): every table with those margins, weighted by scipy's multivariate
    hypergeometric pmf, U from scipy's mannwhitneyu; two-sided by distance from n1*n2/2."""
    a, b = [10, 17, 6], [10, 20, 17]
    cols = [x + y for x, y in zip(a, b)]
    n1, n2 = sum(a), sum(b)
    pmf = ss.multivariate_hypergeom(m=cols, n=n1).pmf
    observed = abs(ss.mannwhitneyu(_scores(a), _scores(b)).statistic - n1 * n2 / 2)
    total = 0.0
    for g in range(cols[0] + 1):
        for r in range(cols[1] + 1):
            i = n1 - g - r
            if 0 <= i <= cols[2]:
                row = [g, r, i]
                other = [c - x for c, x in zip(cols, row)]
                u = ss.mannwhitneyu(_scores(row), _scores(other)).statistic
                if abs(u - n1 * n2 / 2) >= observed - 1e-9:
                    total += pmf(row)
    mine = S.mann_whitney(a, b)
    assert mine.method == "exact" and mine.statistic == 930.0
    assert mine.p == pytest.approx(total, rel=1e-8)


# Large and adversarial inputs: every statistic's cost is bounded (see bench/ for timings);
# these check the results, computed past the whole-number limits, against scipy.

@pytest.mark.parametrize(("over", "under"), [
    (10_000, 10_000),   # balanced: 20,000 disagreements, p = 1
    (9_800, 10_200), (9_700, 10_300), (5_000, 6_000),
    (501, 500), (480, 530),   # just past WHOLE_NUMBER_LIMIT
    (400_000, 401_000), (3, 1_200), (0, 5_000),
])
def test_sign_test_at_scale_against_scipy(over, under):
    m = over + under
    assert m > S.WHOLE_NUMBER_LIMIT
    assert S.sign_test(over, under) == pytest.approx(ss.binomtest(over, m).pvalue, rel=1e-11,
                                                     abs=1e-300)


def test_sign_test_float_tail_equals_whole_numbers_below_the_limit():
    """The two ways of summing agree where both apply (whole numbers are exact)."""
    for m in (1, 2, 7, 40, 333, 999, 1000):
        for low in {0, 1, m // 3, m // 2}:
            exact = S.sign_test(low, m - low)
            assert min(1.0, 2 * S._binomial_half_tail(low, m)) == pytest.approx(exact,
                                                                                  rel=1e-12)


def test_bowker_exact_with_one_large_pair_is_the_binomial_test():
    """39,900 discordant cases in one pair (19,951 outcomes, under the limit): whole-number
    binomial coefficients of 12,000 digits made this take minutes in 0.1.0."""
    a, b = 20_250, 19_650
    assert S.bowker_exact([[0, a, 0], [b, 0, 0], [0, 0, 2]]) == pytest.approx(
        ss.binomtest(a, a + b).pvalue, rel=1e-9)


@pytest.mark.parametrize(("a", "b"), [
    ([5_000, 4_800], [4_900, 5_100]),
    ([30_000, 12], [29_000, 40]),
    ([1, 20_000], [0, 15_000]),
    ([2_000, 2_000], [2_000, 2_000]),   # equal margins: p = 1
])
def test_fisher_2x2_at_scale_against_scipy(a, b):
    mine = S.fisher_freeman_halton(a, b)
    assert mine.method == "exact"
    assert mine.p == pytest.approx(ss.fisher_exact([a, b]).pvalue, rel=1e-9, abs=1e-300)


def _grid_3(a, b):
    """Second method for 2 x 3 tables too large for the library's whole-number path: every
    table at once on a numpy grid, log weights from scipy's gammaln, no pruning. Returns
    the exact FFH and Mann-Whitney p-values."""
    from scipy.special import gammaln

    cols = [x + y for x, y in zip(a, b)]
    n1, n = sum(a), sum(cols)
    x1, x2 = np.meshgrid(np.arange(cols[0] + 1), np.arange(cols[1] + 1), indexing="ij")
    x3 = n1 - x1 - x2
    ok = (x3 >= 0) & (x3 <= cols[2])
    x1, x2, x3 = x1[ok], x2[ok], x3[ok]

    def log_choose(c, x):
        return gammaln(c + 1) - gammaln(x + 1) - gammaln(c - x + 1)

    log_p = sum(log_choose(c, x) for c, x in zip(cols, (x1, x2, x3))) - log_choose(n, n1)
    log_obs = sum(log_choose(c, x) for c, x in zip(cols, a)) - log_choose(n, n1)
    ffh = np.exp(log_p[log_p <= log_obs + 1e-7]).sum()
    # U of the first sample (best grade first): wins over the second sample's cases graded
    # worse, half for those graded alike
    wins = (x1 * (cols[1] - x2 + cols[2] - x3) + x2 * (cols[2] - x3)
            + 0.5 * (x1 * (cols[0] - x1) + x2 * (cols[1] - x2) + x3 * (cols[2] - x3)))
    obs = ss.mannwhitneyu(_scores(a), _scores(b)).statistic
    centre = n1 * (n - n1) / 2
    mw = np.exp(log_p[np.abs(wins - centre) >= abs(obs - centre) - 1e-9]).sum()
    return ffh, mw, obs


@pytest.mark.parametrize(("a", "b"), [
    ([800, 800, 800], [800, 800, 800]),   # large equal margins: ~1.9 million tables
    ([800, 800, 800], [700, 850, 850]),
    ([310, 100, 0], [0, 200, 265]),       # far from independence: p ~ 1e-180
    ([40, 300, 2], [10, 280, 30]),
])
def test_two_sample_tests_at_scale_against_full_enumeration(a, b):
    """Past the whole-number path the library skips tables too improbable to matter; the
    second method visits every table."""
    ffh, mw, u = _grid_3(a, b)
    fisher, rank = S.fisher_freeman_halton(a, b), S.mann_whitney(a, b)
    assert (fisher.method, rank.method) == ("exact", "exact")
    assert fisher.p == pytest.approx(ffh, rel=1e-9, abs=1e-300)
    assert rank.p == pytest.approx(mw, rel=1e-9, abs=1e-300)
    assert rank.statistic == u


def test_float_path_equals_whole_numbers_on_small_tables(monkeypatch):
    """With the whole-number path switched off, the log-space enumeration gives the same
    p-values on small tables (the whole-number path is checked against scipy above)."""
    whole = [(a, b, S.fisher_freeman_halton(a, b), S.mann_whitney(a, b))
             for a, b in _small_pairs(31, 150)]
    monkeypatch.setattr(S, "WHOLE_NUMBER_TABLES", -1)
    for a, b, fisher, rank in whole:
        again, rank_again = S.fisher_freeman_halton(a, b), S.mann_whitney(a, b)
        assert again.method == rank_again.method == "exact"
        assert again.p == pytest.approx(fisher.p, rel=1e-12)
        assert (rank_again.p, rank_again.statistic) == (pytest.approx(rank.p, rel=1e-12),
                                                        rank.statistic)


def _small_pairs(seed, count):
    rnd = random.Random(seed)
    for _ in range(count):
        k = rnd.choice([2, 3, 4])
        a = [rnd.randint(0, 12) for _ in range(k)]
        b = [rnd.randint(0, 12) for _ in range(k)]
        if sum(a) and sum(b):
            yield a, b


def test_past_the_limit_monte_carlo_and_normal_approximation():
    """Four grades of 400 cases each: more tables than EXACT_LIMIT to visit, so the seeded
    Monte Carlo (FFH) and the normal approximation (Mann-Whitney, against scipy)."""
    a, b = [400, 420, 380, 400], [410, 400, 400, 390]
    fisher = S.fisher_freeman_halton(a, b)
    assert fisher.method == "monte-carlo (seed 20261122, 100000 draws)"
    rank = S.mann_whitney(a, b)
    ref = ss.mannwhitneyu(_scores(a), _scores(b), method="asymptotic")
    assert rank.method == "normal approximation (tie and continuity corrected)"
    assert (rank.statistic, rank.p) == (ref.statistic, pytest.approx(ref.pvalue, rel=1e-9))


def test_monte_carlo_past_a_small_limit_is_close_to_the_exact_p():
    a, b = [800, 800, 800], [700, 850, 850]
    ffh, _, _ = _grid_3(a, b)
    mc = S.fisher_freeman_halton(a, b, limit=1_000)
    assert mc.method.startswith("monte-carlo")
    assert mc.p == pytest.approx(ffh, abs=0.002)  # 100,000 draws: se about 0.0003


def test_statistics_on_huge_counts():
    """Counts of 10^5 times a textbook table: kappa is unchanged and its SE shrinks by
    sqrt(10^5); Bowker's and the Stuart-Maxwell statistic grow 10^5-fold (both are
    homogeneous of degree 1 in the counts)."""
    t = 10**5
    big = [[x * t for x in row] for row in FLP_13_6]
    assert S.stuart_maxwell(big).statistic == pytest.approx(14.0 * t, rel=1e-9)
    assert S.bowker(big).statistic == pytest.approx(S.bowker(FLP_13_6).statistic * t)
    small, large = S.kappa(FLP_13_6), S.kappa(big)
    assert large.kappa == pytest.approx(small.kappa, rel=1e-12)
    assert large.se == pytest.approx(small.se / math.sqrt(t), rel=1e-6)
    assert S.bowker_exact(big) is None  # too many outcomes: the caller says so


#: Gwet's handbook table of two abstractors (irrCAC's `cont3x3abstractors`); the values its
#: documentation prints for the table: AC1 0.84933 (se 0.04322), AC2 quadratic 0.94024 (se
#: 0.01792)
ABSTRACTORS = [[13, 0, 0], [0, 20, 7], [0, 4, 56]]


def test_gwet_ac_against_the_handbook_example():
    ac1 = S.gwet_ac(ABSTRACTORS)
    assert (round(ac1.value, 5), round(ac1.se, 5)) == (0.84933, 0.04322)
    ac2 = S.gwet_ac(ABSTRACTORS, "quadratic")
    assert (round(ac2.value, 5), round(ac2.se, 5)) == (0.94024, 0.01792)
    # normal interval: value -/+ 1.96 se (irrCAC prints t with 99 df: 0.76358 to 0.93508)
    assert ac1.low == pytest.approx(ac1.value - S.Z95 * ac1.se)
    assert ac1.high == pytest.approx(ac1.value + S.Z95 * ac1.se)


def test_brennan_prediger_by_hand():
    """Chance agreement 1/k: (89/100 - 1/3) / (2/3) = 0.835; its variance by Gwet's formula
    with identity weights is p_o (1 - p_o) / (n (1 - 1/3)^2): sqrt(0.89 * 0.11 / 100) / (2/3)."""
    bp = S.brennan_prediger(ABSTRACTORS)
    assert bp.value == pytest.approx(0.835)
    assert bp.se == pytest.approx(math.sqrt(0.89 * 0.11 / 100) / (2 / 3))


@pytest.mark.parametrize(("table", "kappa", "ac1", "pabak"), [
    ([[40, 9], [6, 45]], 0.70, 0.70, 0.70),
    ([[80, 10], [5, 5]], 0.32, 0.81, 0.70),
])
def test_feinstein_cicchetti_tables(table, kappa, ac1, pabak):
    """Feinstein & Cicchetti (1990): both tables agree on 85 of 100; kappa 0.70 and 0.32.
    AC1 0.81 and PABAK 0.70 on the skewed one are the values the literature quotes for it."""
    assert round(S.kappa(table).kappa, 2) == kappa
    assert round(S.gwet_ac(table).value, 2) == ac1
    assert round(S.brennan_prediger(table).value, 2) == pabak


def test_gwet_and_bp_on_degenerate_tables():
    one = [[1, 0, 0], [0, 0, 0], [0, 0, 0]]
    assert S.gwet_ac(one).value == 1.0 and S.gwet_ac(one).se is None
    assert S.brennan_prediger(one).se is None
    assert S.gwet_ac([[0, 0], [0, 0]]) is None and S.brennan_prediger([[0, 0], [0, 0]]) is None
    same = [[5, 0, 0], [0, 0, 0], [0, 0, 0]]
    # every case good by both: AC1 is 1 with standard error 0 (kappa is undefined here)
    assert (S.gwet_ac(same).value, S.gwet_ac(same).se) == (1.0, 0.0)
    assert S.kappa(same).status == "undefined"


def test_weights_follow_the_scale_order():
    assert S.weight_matrix(3, "linear") == [[1, 0.5, 0], [0.5, 1, 0.5], [0, 0.5, 1]]
    assert S.weight_matrix(3, "quadratic") == [[1, 0.75, 0], [0.75, 1, 0.75], [0, 0.75, 1]]


def test_krippendorff_alpha_against_the_krippendorff_package():
    """Second method: the `krippendorff` package on the same pairs as reliability data, the
    grades passed as codes 0..k-1 in scale order (`value_domain`), so its ordinal distance
    follows the methodology's order rather than a sort of the labels."""
    import krippendorff

    rnd = random.Random(20261124)
    checked = 0
    for _ in range(150):
        k, n = rnd.choice([3, 4]), rnd.randint(2, 40)
        pairs = [(rnd.randrange(k), rnd.randrange(k)) for _ in range(n)]
        table = [[0] * k for _ in range(k)]
        for a, b in pairs:
            table[a][b] += 1
        for level in ("ordinal", "nominal"):
            mine = S.krippendorff_alpha(table, level)
            if mine is None:
                assert len({g for pair in pairs for g in pair}) == 1
                continue
            theirs = krippendorff.alpha(reliability_data=np.array(pairs, dtype=float).T,
                                        level_of_measurement=level,
                                        value_domain=list(range(k)))
            assert mine == pytest.approx(theirs, abs=1e-12)
            checked += 1
    assert checked > 250


def test_krippendorff_alpha_nominal_by_hand():
    """Two assessors, 4 cases: good/good, good/RI, RI/RI, inadequate/inadequate. Coincidences:
    good 3, RI 3, inadequate 2 values (8 in all); observed disagreement pairs 2 (good-RI both
    ways); expected sum over c != d of n_c n_d = 64 - (9 + 9 + 4) = 42;
    alpha = 1 - 7 * 2 / 42 = 2/3."""
    assert S.krippendorff_alpha([[1, 1, 0], [0, 1, 0], [0, 0, 1]], "nominal") == \
        pytest.approx(2 / 3)
    assert S.krippendorff_alpha([[3, 0, 0], [0, 0, 0], [0, 0, 0]]) is None


def test_alpha_bootstrap_is_the_percentiles_of_alpha_on_each_draw():
    """Second method: the same seeded multinomial draws (numpy's generator, seed and draws
    as the module's), alpha of each computed by the plain function, then numpy's percentiles.
    The module computes all draws at once; the two must agree."""
    table = [[18, 0, 0], [7, 10, 0], [0, 0, 1]]
    for level in ("ordinal", "nominal"):
        got = S.alpha_bootstrap(table, level, draws=400, seed=7)
        rng = np.random.default_rng(7)
        draws = rng.multinomial(36, np.array(table, float).reshape(-1) / 36, size=400)
        alphas = [S.krippendorff_alpha(d.reshape(3, 3).tolist(), level) for d in draws]
        kept = [a for a in alphas if a is not None]
        low, high = np.percentile(kept, [2.5, 97.5])
        assert (got.low, got.high) == (pytest.approx(low, abs=1e-12),
                                       pytest.approx(high, abs=1e-12))
        assert got.undefined == len(alphas) - len(kept)
        assert got.low < S.krippendorff_alpha(table, level) < got.high


def test_alpha_bootstrap_is_reproducible_and_absent_where_alpha_is():
    table = [[5, 2, 0], [1, 6, 1], [0, 2, 4]]
    assert S.alpha_bootstrap(table) == S.alpha_bootstrap(table)
    assert S.alpha_bootstrap([[4, 0], [0, 0]]) is None  # one grade only: alpha undefined
    assert S.alpha_bootstrap([[1, 0], [0, 0]]) is None  # n = 1
