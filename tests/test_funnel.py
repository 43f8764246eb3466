"""Funnel limits, overdispersion and Newcombe's interval against independent computations:
scipy's binomial, chi-square and normal distributions, Newcombe's (1998) published table,
a binomial limit worked by hand, and numpy code written from Spiegelhalter's (2005)
formulas without the module's helpers."""

from __future__ import annotations

import math

import numpy as np
import pytest
import scipy.stats as ss

from ncpi_cli.analysis import funnel as F
from ncpi_cli.analysis import stats as S

TARGETS = (0.05, 0.2, 0.38, 0.5, 0.9)
SIZES = (1, 5, 20, 33, 80, 130, 1000)
PROBABILITIES = {0.95: (0.025, 0.975), 0.998: (0.001, 0.999)}


def scipy_limit(p0: float, n: int, prob: float) -> float:
    """Spiegelhalter (2005), appendix: r_P = smallest r with F(r) >= P (scipy's ppf is
    defined so), alpha = (F(r_P) - P) / (F(r_P) - F(r_P - 1)), limit (r_P - alpha) / n,
    clipped to [0, 1] as the module documents (it only bites when r_P = 0)."""
    r = ss.binom.ppf(prob, n, p0)
    at, below = ss.binom.cdf(r, n, p0), ss.binom.cdf(r - 1, n, p0)
    alpha = (at - prob) / (at - below)
    return min(1.0, max(0.0, (r - alpha) / n))


@pytest.mark.parametrize("level", sorted(PROBABILITIES))
@pytest.mark.parametrize("n", SIZES)
@pytest.mark.parametrize("p0", TARGETS)
def test_funnel_limits_against_scipy(p0, n, level):
    low_p, high_p = PROBABILITIES[level]
    low, high = F.funnel_limits(p0, n, level)
    assert low == pytest.approx(scipy_limit(p0, n, low_p), abs=1e-12)
    assert high == pytest.approx(scipy_limit(p0, n, high_p), abs=1e-12)
    assert F.binomial_limit(p0, n, low_p) == low
    assert F.binomial_limit(p0, n, high_p) == high
    assert 0 <= low <= p0 <= high <= 1


@pytest.mark.parametrize(("p0", "n"), [(0.001, 5000), (0.01, 3000), (0.3, 20000),
                                       (0.99, 2500), (0.5, 4001)])
def test_large_samples_and_extreme_targets_against_scipy(p0, n):
    # the distribution is cut where its terms fall below 1e-17 of it: no limit may move
    for prob in (0.001, 0.025, 0.975, 0.999):
        assert F.binomial_limit(p0, n, prob) == pytest.approx(scipy_limit(p0, n, prob),
                                                              abs=1e-12)


def test_limit_worked_by_hand():
    # Bin(20, 0.3), P = 0.975. F(r) = sum_{k<=r} C(20, k) 0.3^k 0.7^(20-k):
    #   F(9)  = 0.952038 < 0.975 <= F(10) = 0.982855, so r_P = 10;
    #   P(X = 10) = 184756 * 0.3^10 * 0.7^10 = 0.0308171;
    #   alpha = (0.982855 - 0.975) / 0.0308171 = 0.254897;
    #   limit = (10 - 0.254897) / 20 = 0.487255.
    assert F.binomial_limit(0.3, 20, 0.975) == pytest.approx(0.487255, abs=1e-6)
    # Lower tail, P = 0.025: F(1) = 0.0076373 < 0.025 <= F(2) = 0.0354831, r_P = 2,
    # alpha = (0.0354831 - 0.025) / 0.0278459 = 0.376470, limit (2 - 0.376470) / 20.
    assert F.binomial_limit(0.3, 20, 0.025) == pytest.approx(0.0811765, abs=1e-6)


def test_limit_clipped_at_zero_when_no_count_is_below_the_tail():
    # Bin(1, 0.01): F(0) = 0.99 >= 0.975, so r_P = 0 and (0 - alpha) / 1 < 0: clipped to 0
    assert F.binomial_limit(0.01, 1, 0.975) == 0.0
    assert F.funnel_limits(0.05, 1, 0.95)[0] == 0.0


def test_limits_at_targets_zero_and_one():
    for level in PROBABILITIES:
        assert F.funnel_limits(0.0, 25, level) == (0.0, 0.0)
        assert F.funnel_limits(1.0, 25, level) == (1.0, 1.0)
    assert F.binomial_limit(0.0, 1, 0.999) == 0.0
    assert F.binomial_limit(1.0, 1, 0.001) == 1.0


def test_wider_level_gives_wider_limits():
    for p0 in TARGETS:
        for n in (*SIZES, 7, 250):
            low95, high95 = F.funnel_limits(p0, n, 0.95)
            low998, high998 = F.funnel_limits(p0, n, 0.998)
            assert low998 <= low95 and high95 <= high998


def test_limits_refuse_bad_arguments():
    with pytest.raises(ValueError):
        F.funnel_limits(0.3, 0, 0.95)
    with pytest.raises(ValueError):
        F.funnel_limits(1.2, 10, 0.95)
    with pytest.raises(ValueError):
        F.funnel_limits(0.3, 10, 1.0)
    with pytest.raises(ValueError):
        F.binomial_limit(0.3, 10, 0.0)


def test_pooled_rate():
    assert F.pooled_rate([(3, 10), (7, 30), (0, 0)]) == 10 / 40
    with pytest.raises(ValueError):
        F.pooled_rate([(0, 0)])


# Newcombe (1998), Statistics in Medicine 17:873-890, Table II, method 10 (score, no
# continuity correction), examples (a)-(h). The paper itself was not reachable here: these
# are the table's values as quoted, identically, by several independent public test suites
# (e.g. R package propint's "results reported in Newcombe1998" for (a) and (b)); each
# also follows by hand from the Wilson limits, e.g. (e): Wilson 0/10 = (0, 0.2775) and 0/20
# = (0, 0.1611), so low = 0 - sqrt(0 + 0.1611^2), high = 0 + sqrt(0.2775^2 + 0).
NEWCOMBE_TABLE_II = [
    ((56, 70, 48, 80), (0.0524, 0.3339)),
    ((9, 10, 3, 10), (0.1705, 0.8090)),
    ((6, 7, 2, 7), (0.0582, 0.8062)),
    ((5, 56, 0, 29), (-0.0381, 0.1926)),
    ((0, 10, 0, 20), (-0.1611, 0.2775)),
    ((0, 10, 0, 10), (-0.2775, 0.2775)),
    ((10, 10, 0, 20), (0.6791, 1.0000)),
    ((10, 10, 0, 10), (0.6075, 1.0000)),
]


@pytest.mark.parametrize(("counts", "expected"), NEWCOMBE_TABLE_II)
def test_newcombe_published_table(counts, expected):
    x1, n1, x2, n2 = counts
    d, low, high = F.newcombe_difference(*counts)
    assert d == x1 / n1 - x2 / n2
    assert (round(low, 4), round(high, 4)) == expected
    assert low <= d <= high


def test_newcombe_from_wilson_limits():
    # the definition, with Wilson limits written out here from scipy's normal quantile
    z = ss.norm.ppf(0.975)

    def wilson(x, n):
        p, centre = x / n, (x + z * z / 2) / (n + z * z)
        half = z * math.sqrt(n * p * (1 - p) + z * z / 4) / (n + z * z)
        return max(0.0, centre - half), min(1.0, centre + half)

    for x1, n1, x2, n2 in [(17, 25, 8, 20), (1, 3, 2, 9), (40, 41, 3, 77), (0, 1, 1, 1)]:
        (l1, u1), (l2, u2) = wilson(x1, n1), wilson(x2, n2)
        p1, p2 = x1 / n1, x2 / n2
        d, low, high = F.newcombe_difference(x1, n1, x2, n2)
        assert low == pytest.approx(d - math.sqrt((p1 - l1) ** 2 + (u2 - p2) ** 2), abs=1e-12)
        assert high == pytest.approx(d + math.sqrt((u1 - p1) ** 2 + (p2 - l2) ** 2), abs=1e-12)


def test_newcombe_degenerate_and_symmetric():
    assert F.newcombe_difference(0, 0, 3, 10) is None
    assert F.newcombe_difference(3, 10, 0, 0) is None
    d, low, high = F.newcombe_difference(0, 10, 0, 20)
    assert d == 0 and (round(low, 4), round(high, 4)) == (-0.1611, 0.2775)
    d, low, high = F.newcombe_difference(10, 10, 0, 20)
    assert d == 1 and round(low, 4) == 0.6791 and high == 1.0
    # swapping the samples negates the difference and swaps the limits
    d, low, high = F.newcombe_difference(6, 7, 2, 7)
    d2, low2, high2 = F.newcombe_difference(2, 7, 6, 7)
    assert (d2, low2, high2) == pytest.approx((-d, -high, -low), abs=1e-15)
    # a wider z gives a wider interval (99.8%: z = 3.0902)
    _, wide_low, wide_high = F.newcombe_difference(6, 7, 2, 7, ss.norm.ppf(0.999))
    assert wide_low < low and wide_high > high


# Twelve forces around a fixed target of 0.3, spread more than binomial chance allows.
OVERDISPERSED = [(12, 40), (20, 50), (9, 30), (30, 80), (5, 25), (18, 45),
                 (40, 100), (8, 20), (25, 60), (3, 35), (33, 70), (15, 55)]


def numpy_overdispersion(units, p0, winsor=0.1):
    """Spiegelhalter (2005), section 3, written out in numpy: z-scores, winsorised at
    numpy's default (linear) percentiles, phi = mean of z^2, tau^2 by his moment formula."""
    y = np.array([u[0] for u in units], dtype=float)
    n = np.array([u[1] for u in units], dtype=float)
    z = (y / n - p0) / np.sqrt(p0 * (1 - p0) / n)
    low, high = np.percentile(z, [100 * winsor, 100 * (1 - winsor)])
    zw = np.clip(z, low, high)
    count = len(z)
    phi = float(np.mean(zw**2))
    w = n / (p0 * (1 - p0))
    tau2 = max(0.0, (count * phi - (count - 1)) / (w.sum() - (w**2).sum() / w.sum()))
    return z, zw, phi, tau2


def test_overdispersion_against_numpy_and_scipy():
    z, zw, phi, tau2 = numpy_overdispersion(OVERDISPERSED, 0.3)
    # with 12 forces the 10th percentile sits at order statistic 1.1 (0-based): the two
    # lowest z are raised to it, and the two highest lowered to the one at 9.9
    order = np.argsort(z)
    moved = set(np.flatnonzero(z != zw))
    assert moved == {*order[:2], *order[-2:]}
    assert zw[order[0]] == zw[order[1]] > z[order[1]]
    assert zw[order[-1]] == zw[order[-2]] < z[order[-2]]
    result = F.overdispersion(OVERDISPERSED, 0.3)
    assert isinstance(result, F.Overdispersion)
    assert (result.units, result.df) == (12, 11)
    assert result.phi == pytest.approx(phi, rel=1e-12)
    assert result.chi2 == pytest.approx(12 * phi, rel=1e-12)
    assert result.tau2 == pytest.approx(tau2, rel=1e-12)
    assert result.phi > 1 and result.tau2 > 0
    assert result.p == pytest.approx(ss.chi2.sf(12 * phi, 11), rel=1e-12)
    # without winsorising phi is the plain mean of z^2
    plain = F.overdispersion(OVERDISPERSED, 0.3, winsor=0.0)
    assert plain.phi == pytest.approx(float(np.mean(z**2)), rel=1e-12)
    assert plain.phi > result.phi


def test_overdispersion_ten_forces_moves_only_the_extremes():
    # with 10 forces the 10th percentile is at order statistic 0.9: only the lowest z moves
    units = [(10, 50), (14, 50), (15, 50), (16, 50), (30, 100),
             (31, 100), (29, 100), (17, 50), (19, 50), (45, 100)]
    z, zw, phi, tau2 = numpy_overdispersion(units, 0.3)
    assert set(np.flatnonzero(z != zw)) == {int(np.argmin(z)), int(np.argmax(z))}
    result = F.overdispersion(units, 0.3)
    assert result.phi == pytest.approx(phi, rel=1e-12)
    assert result.tau2 == pytest.approx(tau2, abs=1e-15)
    assert result.p == pytest.approx(ss.chi2.sf(10 * phi, 9), rel=1e-12)


def test_underdispersion_floors_tau2():
    # every force exactly on target: z = 0, phi = 0, and tau^2 = (0 - 9) / ... floored at 0
    units = [(3, 10)] * 5 + [(6, 20)] * 5
    result = F.overdispersion(units, 0.3)
    assert (result.phi, result.tau2, result.p) == (0.0, 0.0, 1.0)


def test_overdispersion_refuses_too_few_forces():
    assert F.overdispersion(OVERDISPERSED[:9], 0.3) == "fewer than 10 reports"
    # forces with no cases are left out before counting
    assert F.overdispersion([*OVERDISPERSED[:9], (0, 0)], 0.3) == "fewer than 10 reports"
    assert isinstance(F.overdispersion(OVERDISPERSED[:10], 0.3), F.Overdispersion)
    assert F.overdispersion(OVERDISPERSED[:5], 0.3, minimum=5).units == 5
    assert isinstance(F.overdispersion(OVERDISPERSED, 0.0), str)
    with pytest.raises(ValueError):
        F.overdispersion([(5, 3)] * 10, 0.3)
    with pytest.raises(ValueError):
        F.overdispersion(OVERDISPERSED, 0.3, winsor=0.5)


@pytest.mark.parametrize("df", [1, 2, 3, 9, 10, 11, 42, 199, 1000, 1999, 3000, 5001])
def test_chi2_sf_against_scipy_at_every_df_the_funnel_meets(df):
    # the overdispersion test runs at units - 1 df: thousands, where closed forms overflow
    for x in (1e-8, 0.3 * df, df - 1, df, df + 2, 1.5 * df + 10, 3 * df + 50):
        expected = ss.chi2.sf(x, df)
        assert S.chi2_sf(x, df) == pytest.approx(expected, rel=1e-9, abs=1e-300)
    assert S.chi2_sf(0.0, df) == 1.0


def test_adjusted_limits_against_normal_formulas():
    p0, n = 0.3, 120  # every band below stays inside [0, 1]
    se = math.sqrt(p0 * (1 - p0) / n)
    for level, z in ((0.95, ss.norm.ppf(0.975)), (0.998, ss.norm.ppf(0.999))):
        assert F.adjusted_limits(p0, n, level) == pytest.approx(
            (p0 - z * se, p0 + z * se), abs=1e-12)
        assert F.adjusted_limits(p0, n, level, phi=2.5) == pytest.approx(
            (p0 - z * math.sqrt(2.5) * se, p0 + z * math.sqrt(2.5) * se), abs=1e-12)
        wide = math.sqrt(se * se + 0.004)
        assert F.adjusted_limits(p0, n, level, tau2=0.004) == pytest.approx(
            (p0 - z * wide, p0 + z * wide), abs=1e-12)
    # phi <= 1 leaves the limits as they are (no overdispersion to allow for)
    assert F.adjusted_limits(p0, n, 0.95, phi=0.7) == F.adjusted_limits(p0, n, 0.95)
    assert F.adjusted_limits(p0, n, 0.95, tau2=0.0) == F.adjusted_limits(p0, n, 0.95)
    # clipped to [0, 1]: 0.05 - 3.09 sqrt(0.0475 / 4) < 0
    assert F.adjusted_limits(0.05, 4, 0.998)[0] == 0.0
    assert F.adjusted_limits(0.95, 4, 0.998)[1] == 1.0
    with pytest.raises(ValueError):
        F.adjusted_limits(p0, n, 0.95, phi=2.0, tau2=0.01)
    with pytest.raises(ValueError):
        F.adjusted_limits(p0, n, 0.95, tau2=-0.1)


LIMITS95, LIMITS998 = (0.25, 0.45), (0.1, 0.6)


@pytest.mark.parametrize(("y", "expected"), [
    (5, "within 95%"),   # 0.25: on the lower 95% limit, so within
    (9, "within 95%"),   # 0.45: on the upper 95% limit
    (7, "within 95%"),
    (10, "above 95%"),   # 0.50
    (12, "above 95%"),   # 0.60: on the upper 99.8% limit, so not beyond it
    (13, "above 99.8%"),  # 0.65
    (20, "above 99.8%"),
    (4, "below 95%"),    # 0.20
    (2, "below 95%"),    # 0.10: on the lower 99.8% limit
    (1, "below 99.8%"),  # 0.05
    (0, "below 99.8%"),
])
def test_band_edges(y, expected):
    assert F.band(y, 20, 0.3, LIMITS95, LIMITS998) == expected


def test_band_with_exact_limits():
    p0, n = 0.05, 20
    limits95, limits998 = F.funnel_limits(p0, n, 0.95), F.funnel_limits(p0, n, 0.998)
    # F(0) = 0.95^20 = 0.358 >= 0.025: the lower limits are 0, so no cases is within
    assert limits95[0] == limits998[0] == 0.0
    assert F.band(0, n, p0, limits95, limits998) == "within 95%"
    assert F.band(n, n, p0, limits95, limits998) == "above 99.8%"
    with pytest.raises(ValueError):
        F.band(0, 0, p0, limits95, limits998)
