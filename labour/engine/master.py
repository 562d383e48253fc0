"""Sets of household columns and the restricted master LP of column generation."""

from __future__ import annotations

from typing import TYPE_CHECKING

import highspy
import numpy as np
from scipy import sparse

from labour.engine.columns import Columns

if TYPE_CHECKING:
    from labour.engine.households import _Model as Model

SHORTFALL_PENALTY = 10.0
"""Objective lost per group member below a minimum share: far above any score, so shares
are met whenever the capacities allow it."""


def _concat_columns(parts: list[Columns]) -> Columns:
    offsets = np.cumsum([0] + [len(part) for part in parts])
    return Columns(
        n_work=int(offsets[-1]),
        household=np.concatenate([part.household for part in parts]),
        site=np.concatenate([part.site for part in parts]),
        value=np.concatenate([part.value for part in parts]),
        member_column=np.concatenate(
            [part.member_column + offset for part, offset in zip(parts, offsets, strict=False)]
        ),
        member_person=np.concatenate([part.member_person for part in parts]),
        member_job=np.concatenate([part.member_job for part in parts]),
        member_value=np.concatenate(
            [
                part.member_value
                if part.member_value is not None
                else np.zeros(len(part.member_job))
                for part in parts
            ]
        ),
    )


def _signatures(columns: Columns) -> np.ndarray:
    """A 64-bit fingerprint per column: equal columns (household, site, member jobs) agree."""
    with np.errstate(over="ignore"):
        base = columns.household.astype(np.uint64) * np.uint64(0x9E3779B97F4A7C15) + (
            columns.site.astype(np.uint64) * np.uint64(0xC2B2AE3D27D4EB4F)
        )
        member = (columns.member_person.astype(np.uint64) + np.uint64(1)) * np.uint64(
            0x165667B19E3779F9
        ) ^ (columns.member_job.astype(np.uint64) * np.uint64(0x27D4EB2F165667C5))
        member = member * np.uint64(0x94D049BB133111EB)
        summed = np.zeros(len(columns), dtype=np.uint64)
        np.add.at(summed, columns.member_column, member)
        return base + summed


class _MasterLP:
    """The restricted master LP, kept in one HiGHS object so that added columns warm-start
    the simplex from the last basis."""

    def __init__(self, model: Model) -> None:
        self.highs = highspy.Highs()
        self.highs.setOptionValue("output_flag", False)
        self.highs.setOptionValue("threads", 1)
        self.n_rows = model.matrix.shape[0]
        self.n_shares = len(model.share_names)
        lp = highspy.HighsLp()
        lp.num_col_, lp.num_row_ = self.n_shares, self.n_rows
        lp.col_cost_ = np.full(self.n_shares, SHORTFALL_PENALTY)
        lp.col_lower_ = np.zeros(self.n_shares)
        lp.col_upper_ = np.full(self.n_shares, np.inf)
        lp.row_lower_, lp.row_upper_ = model.row_lower, model.row_upper
        shortfall = model.matrix[:, model.n_placement_columns :].tocsc()
        lp.a_matrix_.format_ = highspy.MatrixFormat.kColwise
        lp.a_matrix_.start_ = shortfall.indptr
        lp.a_matrix_.index_ = shortfall.indices
        lp.a_matrix_.value_ = shortfall.data
        self.highs.passModel(lp)
        self.n_placement = 0

    def add(self, matrix: sparse.csc_matrix, value: np.ndarray) -> None:
        if matrix.shape[1] == 0:
            return
        self.highs.addCols(
            matrix.shape[1],
            -value,
            np.zeros(matrix.shape[1]),
            np.ones(matrix.shape[1]),
            matrix.nnz,
            matrix.indptr[:-1].astype(np.int32),
            matrix.indices.astype(np.int32),
            matrix.data.astype(np.float64),
        )
        self.n_placement += matrix.shape[1]

    def solve(self, time_limit_s: float) -> tuple[np.ndarray, np.ndarray, float, str]:
        """Placement column values (shortfalls last), row duals, LP value and status."""
        # HiGHS counts its run time across runs of one object: the limit is on that clock.
        spent = float(self.highs.getRunTime())
        self.highs.setOptionValue("time_limit", spent + max(1.0, float(time_limit_s)))
        self.highs.run()
        status = self.highs.modelStatusToString(self.highs.getModelStatus())
        solution = self.highs.getSolution()
        if not solution.value_valid:
            return np.zeros(0), np.zeros(self.n_rows), 0.0, status
        x = np.array(solution.col_value)
        # Columns: shortfalls first (added at construction), then placements.
        x = np.concatenate([x[self.n_shares :], x[: self.n_shares]])
        duals = np.array(solution.row_dual) if solution.dual_valid else np.zeros(self.n_rows)
        value = -float(self.highs.getInfo().objective_function_value)
        return x, duals, value, status


def _select(columns: Columns, keep: np.ndarray) -> Columns:
    new_id = np.full(len(columns), -1, dtype=np.int64)
    new_id[keep] = np.arange(len(keep))
    kept_members = new_id[columns.member_column] >= 0
    return Columns(
        n_work=len(keep),
        household=columns.household[keep],
        site=columns.site[keep],
        value=columns.value[keep],
        member_column=new_id[columns.member_column[kept_members]],
        member_person=columns.member_person[kept_members],
        member_job=columns.member_job[kept_members],
        member_value=None if columns.member_value is None else columns.member_value[kept_members],
    )
