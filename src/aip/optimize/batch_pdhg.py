"""Restarted reflected Halpern PDHG (r2HPDHG) for a batch of LPs that share ``A``.

Every problem ``b`` of the batch is::

    min c_b'x   s.t.   rl_b <= A x <= ru_b,   l_b <= x <= u_b

with one constraint matrix ``A`` and its own costs and bounds. Iterates are
``(n, B)`` and ``(m, B)`` blocks, so each step is two sparse-times-dense products
(``A @ X`` and ``A' @ Y``) for the whole batch; per-problem scalars (primal weight,
restart state) are ``(B,)`` arrays and every decision is taken with ``where`` on the
device, so a GPU never waits for the host inside the loop. The host looks only every
``check_every`` iterations (termination, restarts, compaction, refills).

The code is written once against an array namespace ``xp`` (numpy, cupy or
jax.numpy) and a sparse matrix that supports ``@``; it never writes in place, so
immutable JAX arrays work too. The backend's ``jit`` compiles the step loop, the
check and the restart (JAX fuses each into a few kernels; numpy and cupy run them
as written), and its ``fori_loop`` runs ``check_every`` steps (``jax.lax.fori_loop``
keeps the whole loop on the device). Costs and bounds that are the same for every
problem of the batch are kept once, as ``(n, 1)`` columns that broadcast, which
saves memory traffic in sweeps that vary only a price.

Notes
-----
Saddle point: ``min_x max_y c'x - y'Ax + rl'y+ - ru'y-`` over the box of ``x``.
The PDHG operator ``T`` with step ``eta`` and primal weight ``w`` (``tau = eta / w``,
``sigma = eta w``)::

    x^ = clip(x - tau (c - A'y), l, u)
    t  = y - sigma A (2x^ - x)
    y^ = t + sigma clip(-t / sigma, rl, ru)       (Moreau: prox of the row-bound term)

The iteration is the reflected Halpern one of cuPDLPx [3]_, anchored at the epoch's
first point ``z0``: ``z <- (k+1)/(k+2) (2 T(z) - z) + 1/(k+2) z0``, with

- Ruiz (10 passes, infinity norm) then Pock-Chambolle (alpha = 1) diagonal scaling
  of ``A``, shared by the batch because ``A`` is;
- a constant step ``eta = 0.998 / ||A||_2`` (ARPACK's largest singular value);
- restarts (anchor and iterate set to ``T(z)``, ``k`` to 0) when the fixed-point
  error ``||z - T(z)||_P`` fell to 0.2 of its value at the last restart, or to 0.5 and
  rose since the
  last check, or after 0.36 of all iterations;
- the primal weight set at each restart by cuPDLPx's PI controller on
  ``log(w |dx| / |dy|)`` (gains 0.99 and 0.01, integral discount 0.3).

On the campus LPs this replaced cuPDLP's adaptive-step PDHG with restarts to the
average [1]_, [2]_: 1.3-3x fewer iterations (slowest of a batch up to 3x fewer), each
about 1.9x cheaper (fewer block arrays; docs/benchmarks.md).

References
----------
.. [1] Applegate, D. et al. (2021). Practical large-scale linear programming using
   primal-dual hybrid gradient. NeurIPS 34. arXiv:2106.04756.
.. [2] Lu, H. & Yang, J. (2024). Restarted Halpern PDHG for linear programming.
   arXiv:2407.16144.
.. [3] Lu, H., Peng, Z. & Yang, J. (2025). cuPDLPx: a further enhanced GPU-based
   first-order solver for linear programming. arXiv:2507.14051.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any, NamedTuple

import numpy as np
import scipy.sparse as sp
from numpy.typing import NDArray
from scipy.sparse.linalg import svds

FloatArray = NDArray[np.float64]

#: Restart thresholds and primal-weight controller of cuPDLPx's defaults [3].
SUFFICIENT, NECESSARY, ARTIFICIAL = 0.2, 0.5, 0.36
K_P, K_I, DISCOUNT = 0.99, 0.01, 0.3


def ruiz_pock_chambolle(a: sp.csr_matrix, passes: int = 10) -> tuple[FloatArray, FloatArray]:
    """Row and column factors ``d_r``, ``d_c`` so that ``diag(d_r) A diag(d_c)`` is balanced."""
    d_r = np.ones(a.shape[0])
    d_c = np.ones(a.shape[1])
    work = abs(sp.csr_matrix(a, dtype=float))

    def rescale(r: FloatArray, c: FloatArray) -> None:
        nonlocal work, d_r, d_c
        # empty rows or columns keep their factor 1
        r = np.where(r > 0, r, 1.0)
        c = np.where(c > 0, c, 1.0)
        d_r, d_c = d_r / r, d_c / c
        work = sp.csr_matrix(sp.diags(1.0 / r) @ work @ sp.diags(1.0 / c))

    for _ in range(passes):
        rmax = work.max(axis=1).toarray().ravel() if work.nnz else np.zeros(a.shape[0])
        cmax = work.max(axis=0).toarray().ravel() if work.nnz else np.zeros(a.shape[1])
        rescale(np.sqrt(rmax), np.sqrt(cmax))
    rescale(
        np.sqrt(np.asarray(work.sum(axis=1)).ravel()), np.sqrt(np.asarray(work.sum(axis=0)).ravel())
    )
    return d_r, d_c


class Data(NamedTuple):
    """One (scaled or original) batch on the device: vectors are ``(n, B)`` / ``(m, B)``,
    or ``(n, 1)`` / ``(m, 1)`` where every problem has the same values.

    A NamedTuple, so JAX treats it as a pytree (an argument of compiled functions).
    """

    c: Any
    lo: Any
    up: Any
    rl: Any
    ru: Any

    def take(self, keep: Any) -> Data:
        return Data(*(v if v.shape[1] == 1 else v[:, keep] for v in self))


def _norm(xp: Any, v: Any) -> Any:
    return xp.sqrt(xp.sum(v * v, axis=0))


def _finite0(xp: Any, v: Any) -> Any:
    return xp.where(xp.isfinite(v), v, 0.0)


def _bound_norm(xp: Any, d: Data) -> Any:
    """Norm of the finite row bounds, per problem (PDLP's ``|b|``)."""
    return _norm(xp, xp.maximum(abs(_finite0(xp, d.rl)), abs(_finite0(xp, d.ru))))


def kkt_parts(xp: Any, d: Data, x: Any, y: Any, ax: Any, aty: Any) -> tuple[Any, ...]:
    """Primal residual norm, dual residual norm, primal and dual objectives, each ``(B,)``.

    ``ax = A x`` and ``aty = A'y`` are passed in because the solver keeps them.
    Dual objective: ``rl'y+ - ru'y- + l'lam+ - u'lam-`` with ``lam = c - A'y``;
    the part of ``lam`` no finite bound absorbs is the dual residual.
    """
    rp = ax - xp.clip(ax, d.rl, d.ru)
    lam = d.c - aty
    lam_pos = xp.where(xp.isfinite(d.lo), xp.maximum(lam, 0.0), 0.0)
    lam_neg = xp.where(xp.isfinite(d.up), xp.minimum(lam, 0.0), 0.0)
    rd = lam - lam_pos - lam_neg
    pobj = xp.sum(d.c * x, axis=0)
    dobj = (
        xp.sum(_finite0(xp, d.rl) * xp.maximum(y, 0.0), axis=0)
        + xp.sum(_finite0(xp, d.ru) * xp.minimum(y, 0.0), axis=0)
        + xp.sum(_finite0(xp, d.lo) * lam_pos, axis=0)
        + xp.sum(_finite0(xp, d.up) * lam_neg, axis=0)
    )
    return _norm(xp, rp), _norm(xp, rd), pobj, dobj


class State(NamedTuple):
    """Iterate ``z`` with ``A'y``, the epoch's anchor ``z0`` and per-problem scalars (a
    NamedTuple, so a JAX pytree)."""

    x: Any
    y: Any
    aty: Any
    x0: Any
    y0: Any
    eta: Any
    omega: Any
    integral: Any  # the primal-weight controller's discounted sum of errors
    r_anchor: Any  # fixed-point error at the last restart (inf before the first check)
    r_previous: Any  # at the previous check of this epoch
    since_restart: Any
    iterations: Any

    def take(self, keep: Any) -> State:
        return State(*(v[:, keep] if v.ndim == 2 else v[keep] for v in self))


@dataclass(frozen=True)
class RawResult:
    """Per-problem outcome in the original (unscaled) space."""

    x: FloatArray  # (B, n)
    y: FloatArray  # (B, m)
    objective: FloatArray
    converged: NDArray[np.bool_]
    iterations: NDArray[np.int64]
    kkt_error: FloatArray
    timed_out: NDArray[np.bool_]  # not converged because the time limit came first


def python_fori_loop(lower: int, upper: int, body: Any, init: Any) -> Any:
    """``jax.lax.fori_loop``'s meaning, as a plain loop (numpy and cupy)."""
    for i in range(lower, upper):
        init = body(i, init)
    return init


def _shared(v: FloatArray) -> FloatArray:
    """``(B, k)`` host array, or its first row ``(1, k)`` if all rows agree."""
    if v.shape[0] > 1 and bool((v == v[:1]).all()):
        return v[:1]
    return v


def pdhg(
    backend: Any,
    a: sp.csr_matrix,
    c: FloatArray,
    lo: FloatArray,
    up: FloatArray,
    rl: FloatArray,
    ru: FloatArray,
    tol: float,
    max_iter: int,
    check_every: int = 32,
    time_limit_s: float | None = None,
    block: int | None = None,
    start: tuple[FloatArray, FloatArray] | None = None,
    warm_refill: bool = False,
    start_index: NDArray[np.int64] | None = None,
) -> RawResult:
    """Solve the batch (vectors given as ``(B, n)`` / ``(B, m)`` host arrays), from zero
    or from ``start`` = (primal ``(B, n)``, row duals ``(B, m)``; one row each for all;
    or ``(k, n)``, ``(k, m)`` with ``start_index`` giving each problem's row).
    With ``warm_refill`` and no ``start``, a problem taking the column of a problem that
    converged starts from that problem's last iterate and primal weight instead (not
    from one that ran out of iterations: an infeasible problem's duals grow without
    bound).

    At most ``block`` problems (default: all) are on the device at once; a column whose
    problem finished takes the next one waiting, so the block stays full until the
    queue is empty. Then finished problems are dropped (on JAX, only down to the next
    power of two, so a few block widths are compiled and reused).
    """
    xp = backend.xp
    began = time.perf_counter()
    n_b, n = c.shape
    m = a.shape[0]
    width = n_b if block is None else max(1, min(block, n_b))
    d_r, d_c = ruiz_pock_chambolle(a)
    a_hat = sp.csr_matrix(sp.diags(d_r) @ a @ sp.diags(d_c))
    a_dev, at_dev = backend.sparse(a_hat), backend.sparse(sp.csr_matrix(a_hat.T))
    dev = backend.to_device
    dr, dc = dev(d_r[:, None]), dev(d_c[:, None])
    host = [_shared(v) for v in (c, lo, up, rl, ru)]
    # the start in the scaled space (x = dc x^, y = dr y^)
    warm = None if start is None else (start[0] / d_c, start[1] / d_r)
    eta0 = step_size(a_hat)

    def load(problems: NDArray[np.int64]) -> tuple[Data, Data, State]:
        """Data (original and scaled) and the starting state of a block of problems."""
        orig = Data(
            *(dev(np.ascontiguousarray((v if len(v) == 1 else v[problems]).T)) for v in host)
        )
        # scaled problem: x = dc x^, y = dr y^
        scaled = Data(orig.c * dc, orig.lo / dc, orig.up / dc, orig.rl * dr, orig.ru * dr)
        z = None
        if warm is not None:
            rows = problems if start_index is None else start_index[problems]
            x, y = (dev(np.ascontiguousarray((v if len(v) == 1 else v[rows]).T)) for v in warm)
            z = (x, y, at_dev @ y)
        return orig, scaled, _initial_state(xp, scaled, eta0, n, m, len(problems), z)

    steps = backend.jit(_steps, ("xp", "loop", "count"))
    check = backend.jit(_check, ("xp",))
    restart = backend.jit(_restart, ("xp",))
    out_x, out_y = np.zeros((n_b, n)), np.zeros((n_b, m))
    out_obj, out_kkt = np.full(n_b, np.nan), np.full(n_b, np.inf)
    out_conv, out_it = np.zeros(n_b, bool), np.zeros(n_b, np.int64)
    out_timed = np.zeros(n_b, bool)
    cols = np.arange(width)  # problem of each column of the device block
    waiting = n_b - width  # problems cols.max() + 1 .. n_b - 1 have not started
    orig, scaled, s = load(cols)
    finished = np.zeros(width, bool)  # per column: result taken (it may iterate on)
    donor = np.zeros(width, bool)  # per column: its finished problem converged
    iterations = np.zeros(width)
    timed_out = False
    while True:
        count = int(min(check_every, max_iter - iterations[~finished].max()))
        s = steps(xp=xp, loop=backend.fori_loop, a=a_dev, at=at_dev, d=scaled, s=s, count=count)
        cand, conv, kkt, obj = check(
            xp=xp, a=a_dev, at=at_dev, scaled=scaled, orig=orig, dr=dr, dc=dc, s=s, tol=tol
        )
        s = restart(xp=xp, s=s, cand=cand)
        timed_out = time_limit_s is not None and time.perf_counter() - began > time_limit_s
        conv_h = backend.to_host(conv).astype(bool)
        iterations = np.array(backend.to_host(s.iterations))  # writable (JAX's are not)
        new = ~finished & (conv_h | (iterations >= max_iter) | timed_out)
        if new.any():
            done = np.flatnonzero(new)
            idx, done_dev = cols[done], dev(done)
            out_x[idx] = backend.to_host((cand[0] * dc)[:, done_dev]).T
            out_y[idx] = backend.to_host((cand[1] * dr)[:, done_dev]).T
            out_obj[idx] = backend.to_host(obj)[done]
            out_kkt[idx] = backend.to_host(kkt)[done]
            out_conv[idx] = conv_h[done]
            donor[done] = conv_h[done]
            out_timed[idx] = timed_out & ~conv_h[done] & (iterations[done] < max_iter)
            out_it[idx] = iterations[done].astype(np.int64)
            finished |= new
        if timed_out or (finished.all() and not waiting):
            break
        if waiting and finished.any():
            # refill finished columns with waiting problems; the block keeps its shape
            free = np.flatnonzero(finished)[:waiting]
            cols = cols.copy()
            cols[free] = np.arange(n_b - waiting, n_b - waiting + free.size)
            waiting -= free.size
            fresh = np.zeros(width, bool)
            fresh[free] = True
            orig, scaled, start_state = load(cols)
            if warm_refill and warm is None and donor[free].any():
                # the converged neighbour's point, inside the new bounds
                x = xp.clip(s.x, scaled.lo, scaled.up)
                take = dev(donor)
                start_state = start_state._replace(
                    **{
                        name: xp.where(take, value, getattr(start_state, name))
                        for name, value in (
                            ("x", x), ("y", s.y), ("aty", s.aty), ("x0", x), ("y0", s.y),
                            ("omega", s.omega),
                        )
                    }
                )  # fmt: skip
            mask = dev(fresh)
            s = State(
                *(xp.where(mask, new_v, old_v) for new_v, old_v in zip(start_state, s, strict=True))
            )
            finished[free] = False
            iterations[free] = 0.0
        elif not waiting:
            keep = _compacted(finished, backend.fixed_shapes)
            if keep is not None:
                keep_dev = dev(keep)
                s, scaled, orig = s.take(keep_dev), scaled.take(keep_dev), orig.take(keep_dev)
                cols, finished, iterations = cols[keep], finished[keep], iterations[keep]
    # problems still waiting when time ran out never started
    out_timed[~out_conv & (out_it == 0)] = timed_out
    return RawResult(out_x, out_y, out_obj, out_conv, out_it, out_kkt, out_timed)


def _compacted(finished: NDArray[np.bool_], fixed_shapes: bool) -> NDArray[np.int64] | None:
    """Columns to keep once problems finished and none wait, or ``None`` to keep all.

    With ``fixed_shapes`` (JAX compiles once per shape) the block shrinks only when at
    most half of it is left, and to a power of two, padded with finished columns.
    """
    left = np.flatnonzero(~finished)
    if not finished.any():
        return None
    if not fixed_shapes:
        return left
    if 2 * left.size > finished.size:
        return None
    size = 1 << int(np.ceil(np.log2(max(left.size, 1))))
    return np.concatenate([left, np.flatnonzero(finished)[: size - left.size]])


def step_size(a_hat: sp.csr_matrix) -> float:
    """``0.998 / ||A||_2``: the largest constant step for which PDHG's operator is firmly
    nonexpansive (the 0.998 is cuPDLPx's margin for the estimate)."""
    if not a_hat.nnz:
        return 1.0
    if min(a_hat.shape) < 50:  # ARPACK needs k < min(shape); small matrices go dense
        sigma = float(np.linalg.norm(a_hat.toarray(), 2))
    else:
        # a fixed start vector: the same matrix always gets the same step
        start = np.ones(min(a_hat.shape))
        sigma = float(svds(a_hat, k=1, return_singular_vectors=False, tol=1e-6, v0=start)[0])
    return 0.998 / sigma


def _initial_state(
    xp: Any, d: Data, eta: float, n: int, m: int, width: int, z: tuple[Any, ...] | None = None
) -> State:
    """The start for a block of ``width`` problems: ``z`` = (x, y, A'y) in the scaled
    space, broadcast to the block, or zero; ``x`` projected on the bounds. Primal weight
    ``(1 + |c|) / (1 + |b|)`` as in cuPDLPx without bound scaling."""
    ones = xp.ones(width)
    c_norm = _norm(xp, d.c)
    b_norm = _bound_norm(xp, d)
    if z is None:
        z = (xp.zeros((n, 1)), xp.zeros((m, 1)), xp.zeros((n, 1)))
    x = xp.clip(z[0] * xp.ones((1, width)), d.lo, d.up)
    y, aty = (v * xp.ones((1, width)) for v in z[1:])
    return State(
        x=x, y=y, aty=aty, x0=x, y0=y,
        eta=ones * eta, omega=ones * (1.0 + c_norm) / (1.0 + b_norm),
        integral=xp.zeros(width), r_anchor=ones * xp.inf, r_previous=ones * xp.inf,
        since_restart=xp.zeros(width), iterations=xp.zeros(width),
    )  # fmt: skip


def _primal_update(xp: Any, d: Data, s: State) -> Any:
    """``x^ = clip(x - tau (c - A'y), l, u)``."""
    return xp.clip(s.x - s.eta / s.omega * (d.c - s.aty), d.lo, d.up)


def _dual_update(xp: Any, d: Data, s: State, a_xbar: Any) -> Any:
    """``y^`` from ``A (2x^ - x)``: the prox of the row bounds, by Moreau."""
    sigma = s.eta * s.omega
    t = s.y - sigma * a_xbar
    return t + sigma * xp.clip(-t / sigma, d.rl, d.ru)


def _steps(xp: Any, loop: Any, a: Any, at: Any, d: Data, s: State, count: int) -> State:
    """``count`` reflected Halpern steps for every problem."""
    return loop(0, count, lambda i, st: _step(xp, a, at, d, st), s)


def _step(xp: Any, a: Any, at: Any, d: Data, s: State) -> State:
    """``z <- (k+1)/(k+2) (2 T(z) - z) + 1/(k+2) z0``. The reflected primal point
    ``2x^ - x`` is also the one PDHG's dual update needs, so one product with ``A``."""
    x_bar = 2.0 * _primal_update(xp, d, s) - s.x
    yh = _dual_update(xp, d, s, a @ x_bar)
    k = s.since_restart
    w = (k + 1.0) / (k + 2.0)
    y = w * (2.0 * yh - s.y) + (1.0 - w) * s.y0
    return s._replace(
        x=w * x_bar + (1.0 - w) * s.x0,
        y=y,
        aty=at @ y,
        since_restart=k + 1.0,
        iterations=s.iterations + 1.0,
    )


def _relative_errors(xp: Any, d: Data, x: Any, y: Any, ax: Any, aty: Any) -> tuple[Any, Any]:
    """Relative KKT error ``max(primal, dual, gap)`` (PDLP's relative criteria) and objective."""
    rp, rd, pobj, dobj = kkt_parts(xp, d, x, y, ax, aty)
    b_norm = _bound_norm(xp, d)
    err = xp.maximum(
        xp.maximum(rp / (1.0 + b_norm), rd / (1.0 + _norm(xp, d.c))),
        xp.abs(pobj - dobj) / (1.0 + xp.abs(pobj) + xp.abs(dobj)),
    )
    return err, pobj


def _check(
    xp: Any, a: Any, at: Any, scaled: Data, orig: Data, dr: Any, dc: Any, s: State, tol: float
) -> tuple[tuple[Any, ...], Any, Any, Any]:
    """The candidate ``T(z)`` (with ``A x^``, ``A'y^`` and the fixed-point error of ``z``
    in PDHG's metric), whether its relative KKT error in the original units is within
    ``tol``, that error, and its objective."""
    xh = _primal_update(xp, scaled, s)
    ax, axh = a @ s.x, a @ xh
    yh = _dual_update(xp, scaled, s, 2.0 * axh - ax)
    atyh = at @ yh
    dx, dy = s.x - xh, s.y - yh
    r2 = (
        s.omega / s.eta * xp.sum(dx * dx, axis=0)
        + xp.sum(dy * dy, axis=0) / (s.eta * s.omega)
        + 2.0 * xp.sum(dy * (ax - axh), axis=0)
    )
    r = xp.sqrt(xp.maximum(r2, 0.0))
    err, pobj = _relative_errors(xp, orig, xh * dc, yh * dr, axh / dr, atyh / dc)
    return (xh, yh, atyh, r), err <= tol, err, pobj


def _restart(xp: Any, s: State, cand: Any) -> State:
    """Restart the problems whose fixed-point error fell enough (anchor and iterate to
    ``T(z)``) and update their primal weight; the others note the error."""
    xh, yh, atyh, r = cand
    known = xp.isfinite(s.r_anchor)
    go = known & (
        (r <= SUFFICIENT * s.r_anchor)
        | ((r <= NECESSARY * s.r_anchor) & (r > s.r_previous))
        | (s.since_restart >= ARTIFICIAL * s.iterations)
    )
    dx, dy = _norm(xp, xh - s.x0), _norm(xp, yh - s.y0)
    moved = (dx > 1e-16) & (dy > 1e-16) & (dx < 1e12) & (dy < 1e12)
    # columns that did not move get error 0, so exp() below never overflows on them
    error = xp.where(moved, xp.log(xp.maximum(s.omega * dx, 1e-300) / xp.maximum(dy, 1e-300)), 0.0)
    integral = DISCOUNT * s.integral + error
    weighted = xp.exp(xp.clip(xp.log(s.omega) - (K_P * error + K_I * integral), -200.0, 200.0))
    update = go & moved
    return State(
        x=xp.where(go, xh, s.x), y=xp.where(go, yh, s.y), aty=xp.where(go, atyh, s.aty),
        x0=xp.where(go, xh, s.x0), y0=xp.where(go, yh, s.y0),
        eta=s.eta, omega=xp.where(update, weighted, s.omega),
        integral=xp.where(update, integral, s.integral),
        # a problem's first check sets the reference error its restarts are judged by
        r_anchor=xp.where(go | ~known, r, s.r_anchor), r_previous=xp.where(go, xp.inf, r),
        since_restart=xp.where(go, 0.0, s.since_restart), iterations=s.iterations,
    )  # fmt: skip


__all__ = ["RawResult", "kkt_parts", "pdhg", "python_fori_loop", "ruiz_pock_chambolle", "step_size"]
