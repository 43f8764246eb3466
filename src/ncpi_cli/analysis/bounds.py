"""What two published margins allow about a pairing the report does not publish.

A report prints how the force graded its self-assessed cases and how the inspectors graded
the same cases, but not which grade went with which. Every force x inspector table with
those margins is possible, so agreement, over-grading and under-grading are known only as
ranges. Each range is exact: its ends are attained by some integer table with the margins
(found as a small transport problem, solved by min-cost flow). The ends of different ranges
need not be attained by the same table.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Sequence
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


def agree_cell(i: int, j: int) -> bool:
    return i == j


def over_cell(i: int, j: int) -> bool:
    """Force grade i better than inspector grade j (grades indexed best to worst)."""
    return i < j


def under_cell(i: int, j: int) -> bool:
    return i > j


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

    def span(cell: Callable[[int, int], bool]) -> Range:
        low = transport_optimum(force, inspector, cell, maximise=False)
        high = transport_optimum(force, inspector, cell, maximise=True)
        return Range(low, high)

    return PairingBounds(sum(force), span(agree_cell), span(over_cell), span(under_cell))


def transport_optimum(rows: Sequence[int], cols: Sequence[int],
                      counted: Callable[[int, int], bool], *, maximise: bool) -> int:
    """Min (or max) of the number of cases in `counted` cells over integer tables with
    these margins.

    Successive shortest paths on the bipartite flow network rows -> columns. Cell costs
    are 0/1, so the optimum is integral and exact; the number of augmentations depends on
    the number of grades, not on the counts, so a million cases costs no more than ten."""
    k = len(rows)
    sign = -1 if maximise else 1
    cost = [[sign * int(counted(i, j)) for j in range(k)] for i in range(k)]
    flow = [[0] * k for _ in range(k)]
    supply = list(rows)
    demand = list(cols)
    total = 0
    while any(supply):
        # Bellman-Ford over nodes: rows 0..k-1, columns k..2k-1. Edges: row->col always
        # (cost c), col->row where flow > 0 (cost -c). Sources are rows with supply left.
        inf = float("inf")
        dist = [inf] * (2 * k)
        prev: list[int | None] = [None] * (2 * k)
        for i in range(k):
            if supply[i] > 0:
                dist[i] = 0
        for _ in range(2 * k):
            changed = False
            for i in range(k):
                if dist[i] < inf:
                    for j in range(k):
                        if dist[i] + cost[i][j] < dist[k + j]:
                            dist[k + j] = dist[i] + cost[i][j]
                            prev[k + j] = i
                            changed = True
            for j in range(k):
                if dist[k + j] < inf:
                    for i in range(k):
                        if flow[i][j] > 0 and dist[k + j] - cost[i][j] < dist[i]:
                            dist[i] = dist[k + j] - cost[i][j]
                            prev[i] = k + j
                            changed = True
            if not changed:
                break
        end = min((j for j in range(k) if demand[j] > 0 and dist[k + j] < inf),
                  key=lambda j: (dist[k + j], j))
        path = []
        node = k + end
        while True:
            path.append(node)
            before = prev[node]
            if before is None:
                break
            node = before
        path.reverse()
        start = path[0]
        amount = min(supply[start], demand[end])
        for a, b in itertools.pairwise(path):
            if b < k:  # column a -> row b: undo flow on cell (b, a-k)
                amount = min(amount, flow[b][a - k])
        for a, b in itertools.pairwise(path):
            if a < k:
                flow[a][b - k] += amount
            else:
                flow[b][a - k] -= amount
        supply[start] -= amount
        demand[end] -= amount
        total = sum(flow[i][j] * cost[i][j] for i in range(k) for j in range(k))
    return sign * total
