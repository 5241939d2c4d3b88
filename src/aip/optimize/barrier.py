"""Solve a :class:`LinearProblem` with Clarabel's interior-point method.

Why a second solver next to HiGHS: a full-year campus LP couples all 8760 hours
through a handful of capacity columns (each appears in every hour's availability
row). HiGHS's dual simplex needs tens of thousands of pivots on these problems
(40 s on the benchmark's hard case) and its interior point (IPX) forms normal
equations in which those dense columns make every iteration cost about a second.
Clarabel factorises the quasi-definite KKT system directly (sparse LDL with an
AMD ordering, where a dense column costs one dense row of the factor) and solves
the same LP in about 3 s. Measured: docs/benchmarks.md.

Clarabel's form is ``min q x`` s.t. ``A x + s = b``, ``s`` in a product of
cones; the LP's equality rows go to the zero cone, and every finite one-sided
bound (row or column) becomes one row of the non-negative cone. Duals come back
mapped to HiGHS's sign convention (``c - A^T y`` = reduced costs; ``y <= 0`` on a
binding upper bound of a minimisation), so the rest of aip reads them alike.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

import clarabel
import numpy as np
import scipy.sparse as sp
from numpy.typing import NDArray

from aip.optimize.outcome import SolveOutcome, TerminationStatus
from aip.optimize.problem import LinearProblem

_STATUS = {
    "Solved": TerminationStatus.OPTIMAL,
    "PrimalInfeasible": TerminationStatus.INFEASIBLE,
    "AlmostPrimalInfeasible": TerminationStatus.INFEASIBLE,
    "DualInfeasible": TerminationStatus.UNBOUNDED,
    "AlmostDualInfeasible": TerminationStatus.UNBOUNDED,
    "MaxTime": TerminationStatus.TIME_LIMIT,
    "MaxIterations": TerminationStatus.ITERATION_LIMIT,
}


#: Clarabel's gap and feasibility tolerances (relative).
TOLERANCE = 1e-10
#: Clarabel's tolerances for declaring infeasibility (its default 1e-8 misfires).
INFEASIBILITY_TOLERANCE = 1e-12


@dataclass(frozen=True)
class ConicForm:
    """``lp`` as Clarabel's ``A x + s = b``: the equality rows first, then the inequalities.

    ``blocks`` says where each group of cone rows sits and how its duals map back:
    (kind, indices, sign) with kind ``"row"`` or ``"col"``; the HiGHS-convention dual of
    row/column ``indices`` gains ``sign * z`` over that block's slice of ``z``.
    """

    a: sp.csc_matrix
    b: NDArray[np.float64]
    n_zero: int
    blocks: tuple[tuple[str, NDArray[np.int64], float], ...]


def to_conic(lp: LinearProblem) -> ConicForm:
    """Rewrite ``lp``'s rows and bounds as Clarabel's cone constraints.

    Examples
    --------
    >>> from aip.optimize.build import build_model
    >>> from aip.optimize.examples import two_hour_example
    >>> lp, _ = build_model(two_hour_example())
    >>> form = to_conic(lp)
    >>> form.n_zero == int((lp.row_lower == lp.row_upper).sum())
    True
    """
    a = lp.matrix("csr")
    rl, ru, lo, up = lp.row_lower, lp.row_upper, lp.lower, lp.upper
    eq = rl == ru
    upper_rows = np.flatnonzero(~eq & np.isfinite(ru))
    lower_rows = np.flatnonzero(~eq & np.isfinite(rl))
    upper_cols = np.flatnonzero(np.isfinite(up))
    lower_cols = np.flatnonzero(np.isfinite(lo))
    eye = sp.identity(lp.n_cols, format="csr")
    eq_rows = np.flatnonzero(eq)
    parts = [
        (a[eq_rows], ru[eq_rows]),
        (a[upper_rows], ru[upper_rows]),
        (-a[lower_rows], -rl[lower_rows]),
        (eye[upper_cols], up[upper_cols]),
        (-eye[lower_cols], -lo[lower_cols]),
    ]
    stacked = sp.vstack([m for m, _ in parts], format="csc")
    b = np.concatenate([v for _, v in parts])
    blocks = (
        ("row", eq_rows, -1.0),
        ("row", upper_rows, -1.0),
        ("row", lower_rows, 1.0),
        ("col", upper_cols, -1.0),
        ("col", lower_cols, 1.0),
    )
    return ConicForm(a=stacked, b=b, n_zero=eq_rows.size, blocks=blocks)


def solve_barrier(lp: LinearProblem, time_limit_s: float = 600.0) -> SolveOutcome:
    """Solve ``lp`` with Clarabel and return the interior-point optimum.

    The primal values are clipped to the column bounds (the interior point may sit a
    few 1e-10 outside); ``row_dual`` follows HiGHS's convention.

    Examples
    --------
    >>> from aip.optimize.build import build_model
    >>> from aip.optimize.examples import two_hour_example
    >>> lp, _ = build_model(two_hour_example())
    >>> outcome = solve_barrier(lp)
    >>> outcome.status.value, round(outcome.objective)
    ('optimal', 106000)
    """
    start = time.perf_counter()
    form = to_conic(lp)
    settings = clarabel.DefaultSettings()
    settings.verbose = False
    settings.time_limit = float(time_limit_s)
    # 100x tighter than Clarabel's defaults: one more iteration on the benchmark LPs, and
    # the capacities the vertex step fixes then sit within ~1e-9 of the optimum
    settings.tol_gap_abs = settings.tol_gap_rel = settings.tol_feas = TOLERANCE
    # Clarabel's default infeasibility test (1e-8) stopped a feasible campus LP at its
    # second iteration (a PPA capacity with no cost, docs/benchmarks.md "Infeasibility
    # test"); HiGHS then took 60 s where Clarabel needs 3. A truly infeasible LP still
    # ends infeasible, a few iterations later, and HiGHS confirms it.
    settings.tol_infeas_abs = settings.tol_infeas_rel = INFEASIBILITY_TOLERANCE
    cones = [
        clarabel.ZeroConeT(form.n_zero),
        clarabel.NonnegativeConeT(form.b.size - form.n_zero),
    ]
    quadratic = sp.csc_matrix((lp.n_cols, lp.n_cols))
    solver = clarabel.DefaultSolver(quadratic, lp.cost, form.a, form.b, cones, settings)
    solution = solver.solve()
    seconds = time.perf_counter() - start
    status = _STATUS.get(str(solution.status), TerminationStatus.ERROR)
    if status != TerminationStatus.OPTIMAL:
        return SolveOutcome(
            status=status,
            x=np.zeros(0),
            row_dual=np.zeros(0),
            objective=float("nan"),
            seconds=seconds,
            simplex_iterations=0,
            ipm_iterations=int(solution.iterations),
            solver="clarabel",
        )
    x = np.clip(np.asarray(solution.x, float), lp.lower, lp.upper)
    return SolveOutcome(
        status=status,
        x=x,
        row_dual=_row_duals(form, np.asarray(solution.z, float), lp.n_rows),
        objective=float(lp.cost @ x) + lp.constant,
        seconds=seconds,
        simplex_iterations=0,
        ipm_iterations=int(solution.iterations),
        solver="clarabel",
    )


def _row_duals(form: ConicForm, z: NDArray[np.float64], n_rows: int) -> NDArray[np.float64]:
    y = np.zeros(n_rows)
    offset = 0
    for kind, idx, sign in form.blocks:
        part = z[offset : offset + idx.size]
        offset += idx.size
        if kind == "row":
            np.add.at(y, idx, sign * part)
    return y
