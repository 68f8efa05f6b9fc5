"""The assignment LP over a growing set of candidate pairs, kept in one HiGHS model so
each round of column generation starts from the last optimal basis (a warm start takes
a fraction of a cold solve).

    maximise   sum w_e x_e
    subject to sum of x_e over mentee i's pairs <= 1          (row i, dual u_i)
               sum of x_e over mentor j's pairs <= capacity_j (row n + j, dual v_j)
               x_e >= 0

No upper bound on x: each mentee's row already caps it at 1, and leaving it out keeps
the dual to exactly u_i + v_j >= w_ij, the certificate checked by the caller.
"""

from __future__ import annotations

import highspy
import numpy as np
import numpy.typing as npt

Floats = npt.NDArray[np.float64]
Ints = npt.NDArray[np.int64]


class LPFailed(RuntimeError):
    """HiGHS did not reach an optimum (it always should: x = 0 is feasible, w bounded)."""


class RestrictedLP:
    def __init__(self, n: int, capacity: Ints) -> None:
        self.n = n
        self.m = int(capacity.size)
        self.highs = highspy.Highs()  # type: ignore[no-untyped-call]  # highspy ships no hints
        self.highs.setOptionValue("output_flag", False)
        self.highs.setOptionValue("presolve", "off")
        limits = np.concatenate([np.ones(n), capacity.astype(np.float64)])
        self.highs.addRows(
            n + self.m,
            np.full(n + self.m, -highspy.kHighsInf),
            limits,
            0,
            np.empty(0, np.int32),
            np.empty(0, np.int32),
            np.empty(0, np.float64),
        )
        self.highs.changeObjectiveSense(highspy.ObjSense.kMaximize)
        self.columns = 0
        self._pairs: list[tuple[Ints, Ints, Floats]] = []

    def add(self, rows: Ints, cols: Ints, weights: Floats) -> None:
        count = int(weights.size)
        if count == 0:
            return
        index = np.empty(2 * count, np.int32)
        index[0::2] = rows
        index[1::2] = self.n + cols
        self.highs.addCols(
            count,
            weights.astype(np.float64),
            np.zeros(count),
            np.full(count, highspy.kHighsInf),
            2 * count,
            np.arange(0, 2 * count, 2, dtype=np.int32),
            index,
            np.ones(2 * count),
        )
        self.columns += count
        self._pairs.append((rows, cols, weights))

    def pairs(self) -> tuple[Ints, Ints, Floats]:
        """Every column's (mentee, mentor, score), in the order added."""
        if not self._pairs:
            return np.empty(0, np.int64), np.empty(0, np.int64), np.empty(0)
        rows, cols, weights = zip(*self._pairs, strict=True)
        return np.concatenate(rows), np.concatenate(cols), np.concatenate(weights)

    def solve(self) -> tuple[Floats, Floats, Floats]:
        """(x per column in the order added, mentee values u, mentor prices v)."""
        if self.columns == 0:
            return np.zeros(0), np.zeros(self.n), np.zeros(self.m)
        self.highs.run()
        status = self.highs.getModelStatus()
        if status != highspy.HighsModelStatus.kOptimal:
            raise LPFailed(f"assignment LP: {self.highs.modelStatusToString(status)}")
        solution = self.highs.getSolution()
        x = np.asarray(solution.col_value, dtype=np.float64)
        duals = np.abs(np.asarray(solution.row_dual, dtype=np.float64))
        return x, duals[: self.n], duals[self.n :]
