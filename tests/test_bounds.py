"""Exact pairing ranges from two margins (closed forms), checked against brute-force
enumeration of every table and, for margins too large to enumerate, against a linear
program solved by scipy (the transport polytope has integral vertices, so the LP optimum is
the integer one)."""

from __future__ import annotations

import itertools
import random

import numpy as np
import pytest
from scipy.optimize import linprog

from ncpi_cli.analysis.bounds import Range, pairing_bounds

CELLS = {"agree": lambda i, j: i == j, "over": lambda i, j: i < j, "under": lambda i, j: i > j}


def tables(rows: list[int], cols: list[int]):
    """Every non-negative integer k x k table with these margins (brute force)."""
    k = len(rows)

    def fill(i: int, left: list[int]):
        if i == k:
            if not any(left):
                yield []
            return
        for row in itertools.product(*(range(min(rows[i], c) + 1) for c in left)):
            if sum(row) == rows[i]:
                rest = [c - v for c, v in zip(left, row)]
                for tail in fill(i + 1, rest):
                    yield [list(row), *tail]

    yield from fill(0, list(cols))


def brute(rows, cols) -> dict[str, Range]:
    k = len(rows)
    seen = {"agree": [], "over": [], "under": []}
    for t in tables(rows, cols):
        seen["agree"].append(sum(t[i][i] for i in range(k)))
        seen["over"].append(sum(t[i][j] for i in range(k) for j in range(k) if i < j))
        seen["under"].append(sum(t[i][j] for i in range(k) for j in range(k) if i > j))
    return {key: Range(min(v), max(v)) for key, v in seen.items()}


def test_gwent_2019_self_assessed():
    """Worked by hand from p.15: force 27/6/0, inspectors 10/17/6 of the same 33 cases.

    Rows force, columns inspector (good, RI, inadequate). The force's row for inadequate is
    empty, so the inspector's good column (10) is filled only from force good/RI.
    agree = n_GG + n_RR: n_GG >= 27 + 10 - 33 = 4 (min 4, with n_RR = 0), and
    n_GG + n_RR <= min(27,10) + min(6,17) = 16.
    under = n_RG <= min(6, 10) = 6, and can be 0. over = 33 - agree - under, with
    agree + under = 10 + n_RR ranging over 10..16, so over is 17..23."""
    b = pairing_bounds([27, 6, 0], [10, 17, 6])
    assert b.n == 33
    assert (b.agree, b.over, b.under) == (Range(4, 16), Range(17, 23), Range(0, 6))


@pytest.mark.parametrize(("rows", "cols"), [
    ([27, 6, 0], [10, 17, 6]),
    ([5, 5, 5], [5, 5, 5]),
    ([10, 0, 0], [0, 0, 10]),
    ([0, 0, 7], [7, 0, 0]),
    ([3, 4, 2, 1], [1, 2, 3, 4]),
    ([0, 0, 0], [0, 0, 0]),
    ([1, 0, 0, 0], [0, 0, 0, 1]),
    ([4, 4, 0, 4], [2, 6, 2, 2]),
])
def test_matches_enumeration(rows, cols):
    b = pairing_bounds(rows, cols)
    assert {"agree": b.agree, "over": b.over, "under": b.under} == brute(rows, cols)


def _margin(rnd: random.Random, k: int, n: int) -> list[int]:
    """A random split of n cases over k grades."""
    cuts = sorted(rnd.randint(0, n) for _ in range(k - 1))
    return [b - a for a, b in zip([0, *cuts], [*cuts, n])]


def test_matches_enumeration_on_random_margins():
    rnd = random.Random(20261122)
    for _ in range(150):
        k = rnd.choice([3, 4])
        n = rnd.randint(0, 11)

        rows, cols = _margin(rnd, k, n), _margin(rnd, k, n)
        b = pairing_bounds(rows, cols)
        assert {"agree": b.agree, "over": b.over, "under": b.under} == brute(rows, cols), \
            (rows, cols)


def compositions(n: int, k: int):
    """Every split of n cases over k grades."""
    for cuts in itertools.combinations(range(n + k - 1), k - 1):
        edges = [-1, *cuts, n + k - 1]
        yield [b - a - 1 for a, b in itertools.pairwise(edges)]


@pytest.mark.parametrize(("k", "n_max"), [(2, 12), (3, 5), (4, 3), (5, 3)])
def test_matches_enumeration_on_every_small_margin(k, n_max):
    """All pairs of margins up to n_max cases: the closed forms' corner cases (empty grades,
    all cases in one grade, margins in opposite order) are all in here."""
    checked = 0
    for n in range(n_max + 1):
        for rows in compositions(n, k):
            for cols in compositions(n, k):
                b = pairing_bounds(rows, cols)
                assert {"agree": b.agree, "over": b.over, "under": b.under} == \
                    brute(rows, cols), (rows, cols)
                checked += 1
    assert checked > 400


def _linear_program(rows: list[int], cols: list[int], cell, maximise: bool) -> int:
    k = len(rows)
    cost = [(-1.0 if maximise else 1.0) * cell(i, j) for i in range(k) for j in range(k)]
    margins = [[float(i == r) for i in range(k) for _ in range(k)] for r in range(k)]
    margins += [[float(j == c) for _ in range(k) for j in range(k)] for c in range(k)]
    result = linprog(np.array(cost), A_eq=np.array(margins), b_eq=np.array(rows + cols),
                     bounds=(0, None), method="highs")
    assert result.status == 0
    value = -result.fun if maximise else result.fun
    assert value == pytest.approx(round(value), abs=1e-6)
    return round(value)


def test_matches_linear_programming_at_scale():
    """A second method for margins far too large to enumerate, on 3 to 6 grades."""
    rnd = random.Random(7)
    for _ in range(60):
        k = rnd.choice([3, 4, 5, 6])
        n = rnd.randint(0, 1_000_000)
        rows, cols = _margin(rnd, k, n), _margin(rnd, k, n)
        b = pairing_bounds(rows, cols)
        for name, got in (("agree", b.agree), ("over", b.over), ("under", b.under)):
            cell = CELLS[name]
            assert got == Range(_linear_program(rows, cols, cell, False),
                                _linear_program(rows, cols, cell, True)), (name, rows, cols)


def test_margins_must_agree():
    with pytest.raises(ValueError, match="totals differ"):
        pairing_bounds([1, 2, 3], [1, 2, 4])
    with pytest.raises(ValueError, match="same scale"):
        pairing_bounds([1, 2, 3], [1, 2, 2, 1])
