"""What two published margins allow about a pairing the report does not publish.

A report prints how the force graded its self-assessed cases and how the inspectors graded
the same cases, but not which grade went with which. Every force x inspector table with
those margins is possible, so agreement, over-grading and under-grading are known only as
ranges. Each range is exact: its ends are attained by some integer table with the margins.
The ends of different ranges need not be attained by the same table.

Derivation. Grades are indexed 1..k best to worst; r_i are the force's counts, c_j the
inspectors', n the total; F_t = r_1 + ... + r_t and I_t = c_1 + ... + c_t are the cumulative
counts in the best t grades (F_0 = I_0 = 0). A table x_ij >= 0 with these margins is a flow
of r_i cases out of force grade i into inspector grade j, taking c_j. The largest number of
cases that can sit in an allowed set of cells is a maximum flow, and by the max-flow min-cut
theorem (Gale's supply-demand theorem; integral because the margins are) it equals

    min over sets A of force grades of  sum_{i not in A} r_i + sum_{j in N(A)} c_j,

where N(A) are the inspector grades that some grade in A may pair with: every case either
leaves a grade outside A or lands in N(A), and some A is tight. Each bound is one such cut:

- agree high: cells i = j, N(A) = A, so the minimum takes min(r_i, c_i) grade by grade:
  sum_i min(r_i, c_i).
- agree low = n - (most cases off the diagonal). Off-diagonal cells: N(empty) is empty,
  N({i}) is every grade but i, and N(A) is every grade when A has two or more, so the cut is
  min(n, min_i (n - r_i + n - c_i)): agree low = max(0, max_i (r_i + c_i - n)).
- over (force better than inspectors, i < j) low = n - (most cases with i >= j). There
  N(A) = {1..max A}; for max A = t the best A is {1..t}, a cut of (n - F_t) + I_t, so
  over low = max(0, max_t (F_t - I_t)): of the F_t cases the force put in its best t grades
  at most I_t can be in the inspectors' best t, the rest are over-graded.
- over high: cells i < j, N(A) = {min A + 1..k}; for min A = s the best A is {s..k}, a cut
  of F_{s-1} + (n - I_s), so over high = min_s (F_{s-1} + n - I_s) (s = 1 gives n - c_1 <= n):
  an over-graded case has i < s or j > s for every s, so it is among the F_{s-1} cases the
  force put above s or the n - I_s the inspectors put below s.
- under is over with the two assessors swapped: under low = max(0, max_t (I_t - F_t)),
  under high = min_s (I_{s-1} + n - F_s).

Each is O(k); tests/test_bounds.py checks all six against enumeration of every table and
against a linear-programming solver.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class Range:
    low: int
    high: int


@dataclass(frozen=True)
class PairingBounds:
    n: int
    agree: Range
    over: Range
    under: Range


def pairing_bounds(force: Sequence[int], inspector: Sequence[int]) -> PairingBounds:
    """Exact ranges of agreement / over / under over all tables with these margins.

    `force` and `inspector` are counts per grade, best to worst, on the same scale, with the
    same total."""
    if len(force) != len(inspector):
        raise ValueError("the two distributions must be on the same scale")
    if sum(force) != sum(inspector):
        raise ValueError(f"the totals differ ({sum(force)} and {sum(inspector)}): no table "
                         "has these margins")
    if any(c < 0 for c in (*force, *inspector)):
        raise ValueError("counts must be non-negative")
    n = sum(force)
    agree = Range(max([0, *(r + c - n for r, c in zip(force, inspector))]),
                  sum(min(r, c) for r, c in zip(force, inspector)))
    return PairingBounds(n, agree, _misgraded(force, inspector), _misgraded(inspector, force))


def _misgraded(better: Sequence[int], worse: Sequence[int]) -> Range:
    """Range of the cases that `better` graded better than `worse` did (see the module's
    derivation): low max(0, max_t (B_t - W_t)), high min_s (B_{s-1} + n - W_s)."""
    b = [0, *itertools.accumulate(better)]
    w = [0, *itertools.accumulate(worse)]
    n = b[-1]
    low = max([0, *(bt - wt for bt, wt in zip(b, w))])
    high = min((b[s - 1] + n - w[s] for s in range(1, len(b))), default=0)
    return Range(low, high)
