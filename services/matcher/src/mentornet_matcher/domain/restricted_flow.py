"""The assignment over a growing set of candidate pairs, solved as a min-cost flow,
with the LP duals recovered from the optimal flow.

    source -> mentee i (capacity 1) -> mentor j (capacity 1, cost -score_ij)
           -> sink (capacity_j);  mentee i -> sink (capacity 1, cost 0: unmatched)

OR-Tools' min-cost flow (compiled, exact on integer costs) solves it in a fraction of
the time a general LP solver takes. Scores are scaled to integers (SCALE); the pair
values the caller reports are the float scores of the pairs chosen.

The duals are node potentials: shortest distances in the residual network of the
optimal flow, where mentee-mentor and mentee-sink arcs count as uncapacitated (their
capacities are implied by the mentee's single unit, so the optimum is the same). Then
u_i = d(i) - d(sink) and v_j = d(sink) - d(j) satisfy u_i + v_j >= score for every
candidate pair, with equality on the pairs chosen: the LP certificate the caller checks.
Distances come from Bellman-Ford, vectorised, on integer costs (no rounding, and the
optimal flow leaves no negative cycle).
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt
from ortools.graph.python import min_cost_flow

Floats = npt.NDArray[np.float64]
Ints = npt.NDArray[np.int64]

SCALE = 1_000_000_000


class FlowFailed(RuntimeError):
    """The solver did not reach an optimum (it always should: leaving everyone
    unmatched is feasible)."""


class RestrictedAssignment:
    def __init__(self, n: int, capacity: Ints) -> None:
        self.n = n
        self.capacity = capacity.astype(np.int64)
        self.m = int(capacity.size)
        self._pairs: list[tuple[Ints, Ints, Floats]] = []

    def add(self, rows: Ints, cols: Ints, weights: Floats) -> None:
        if weights.size:
            self._pairs.append((rows.astype(np.int64), cols.astype(np.int64), weights))

    def pairs(self) -> tuple[Ints, Ints, Floats]:
        """Every pair's (mentee, mentor, score), in the order added."""
        if not self._pairs:
            return np.empty(0, np.int64), np.empty(0, np.int64), np.empty(0)
        rows, cols, weights = zip(*self._pairs, strict=True)
        return np.concatenate(rows), np.concatenate(cols), np.concatenate(weights)

    def solve(self) -> tuple[Floats, Floats, Floats]:
        """(x per pair in the order added, mentee values u, mentor prices v)."""
        rows, cols, weights = self.pairs()
        costs = -np.rint(weights * SCALE).astype(np.int64)
        chosen = self._flow(rows, cols, costs)
        u, v = self._duals(rows, cols, costs, chosen)
        return chosen.astype(np.float64), u, v

    def _flow(self, rows: Ints, cols: Ints, costs: Ints) -> npt.NDArray[np.bool_]:
        n, m = self.n, self.m
        source, sink = n + m, n + m + 1
        mentees, mentors = np.arange(n), n + np.arange(m)
        tails = np.concatenate([np.full(n, source), rows, mentees, mentors])
        heads = np.concatenate([mentees, n + cols, np.full(n, sink), np.full(m, sink)])
        capacities = np.concatenate(
            [np.ones(n), np.ones(rows.size), np.ones(n), self.capacity]
        ).astype(np.int64)
        unit_costs = np.concatenate([np.zeros(n), costs, np.zeros(n + m)]).astype(np.int64)
        flow = min_cost_flow.SimpleMinCostFlow()
        flow.add_arcs_with_capacity_and_unit_cost(
            tails.astype(np.int32), heads.astype(np.int32), capacities, unit_costs
        )
        supplies = np.zeros(n + m + 2, np.int64)
        supplies[source], supplies[sink] = n, -n
        flow.set_nodes_supplies(np.arange(n + m + 2, dtype=np.int32), supplies)
        status = flow.solve()
        if status != flow.OPTIMAL:
            raise FlowFailed(f"assignment flow: {status}")
        pair_arcs = np.arange(n, n + rows.size, dtype=np.int32)
        return np.asarray(flow.flows(pair_arcs)) > 0

    def _duals(
        self, rows: Ints, cols: Ints, costs: Ints, chosen: npt.NDArray[np.bool_]
    ) -> tuple[Floats, Floats]:
        n, m = self.n, self.m
        sink, root = n + m, n + m + 1
        matched = np.zeros(n, np.bool_)
        matched[rows[chosen]] = True
        used = np.bincount(cols[chosen], minlength=m)
        unmatched = np.flatnonzero(~matched)
        room, busy = np.flatnonzero(used < self.capacity), np.flatnonzero(used > 0)
        tails = [rows, n + cols[chosen], np.arange(n), np.full(unmatched.size, sink)]
        heads = [n + cols, rows[chosen], np.full(n, sink), unmatched]
        arc_costs = [costs, -costs[chosen], np.zeros(n, np.int64), np.zeros(unmatched.size)]
        tails += [n + room, np.full(busy.size, sink), np.full(n + m + 1, root)]
        heads += [np.full(room.size, sink), n + busy, np.arange(n + m + 1)]
        arc_costs += [np.zeros(room.size), np.zeros(busy.size), np.zeros(n + m + 1)]
        distance = shortest_distances(
            np.concatenate(tails),
            np.concatenate(heads),
            np.concatenate(arc_costs).astype(np.int64),
            n + m + 2,
            root,
        )
        u = np.maximum(distance[:n] - distance[sink], 0) / SCALE
        v = np.maximum(distance[sink] - distance[n : n + m], 0) / SCALE
        return u.astype(np.float64), v.astype(np.float64)


def shortest_distances(tails: Ints, heads: Ints, costs: Ints, nodes: int, root: int) -> Ints:
    """Bellman-Ford from `root`, every arc relaxed at once per pass (numpy), until
    nothing improves; costs may be negative, cycles may not."""
    order = np.argsort(heads, kind="stable")
    tails, heads, costs = tails[order], heads[order], costs[order]
    starts = np.flatnonzero(np.r_[True, heads[1:] != heads[:-1]])
    targets = heads[starts]
    big = np.iinfo(np.int64).max // 4
    distance = np.full(nodes, big, np.int64)
    distance[root] = 0
    for _ in range(nodes):
        best = np.minimum.reduceat(distance[tails] + costs, starts)
        better = best < distance[targets]
        if not better.any():
            return distance
        distance[targets[better]] = best[better]
    raise FlowFailed("negative cycle in the residual network: the flow was not optimal")
