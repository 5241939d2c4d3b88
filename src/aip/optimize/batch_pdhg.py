"""Restarted primal-dual hybrid gradient (PDLP) for a batch of LPs that share ``A``.

Every problem ``b`` of the batch is::

    min c_b'x   s.t.   rl_b <= A x <= ru_b,   l_b <= x <= u_b

with one constraint matrix ``A`` and its own costs and bounds. Iterates are
``(n, B)`` and ``(m, B)`` blocks, so each step is two sparse-times-dense products
(``A @ X`` and ``A' @ Y``) for the whole batch; per-problem scalars (step size,
primal weight, restart state) are ``(B,)`` arrays and every decision is taken with
``where`` on the device, so a GPU never waits for the host inside the loop. The
host looks only every ``check_every`` iterations (termination, compaction).

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
One PDHG step with step ``eta`` and primal weight ``w`` (``tau = eta / w``,
``sigma = eta w``)::

    x' = clip(x - tau (c - A'y), l, u)
    t  = y - sigma A (2x' - x)
    y' = t + sigma clip(-t / sigma, rl, ru)       (Moreau: prox of the row-bound term)

Enhancements of Applegate et al. (2021) as in cuPDLP (Lu & Yang 2023):

- Ruiz (10 passes, infinity norm) then Pock-Chambolle (alpha = 1) diagonal scaling
  of ``A``, shared by the batch because ``A`` is;
- adaptive step: accept when ``eta <= |dz|_w^2 / (2 |dx'A'dy|)``, then
  ``eta <- min((1 - (k+1)^-0.3) eta_max, (1 + (k+1)^-0.6) eta)``;
- restarts to the step-weighted average or the current iterate, whichever has
  the smaller KKT error, when that error fell below 0.2 of the last restart's,
  or below 0.8 and stopped falling, or after 0.36 of all iterations;
- primal weight ``w <- exp(0.5 log(|dy| / |dx|) + 0.5 log w)`` at each restart.

References
----------
.. [1] Applegate, D. et al. (2021). Practical large-scale linear programming using
   primal-dual hybrid gradient. NeurIPS 34. arXiv:2106.04756.
.. [2] Lu, H. & Yang, J. (2023). cuPDLP.jl: a GPU implementation of restarted
   primal-dual hybrid gradient for linear programming in Julia. arXiv:2311.12180.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any, NamedTuple

import numpy as np
import scipy.sparse as sp
from numpy.typing import NDArray

FloatArray = NDArray[np.float64]

#: Restart thresholds and primal-weight smoothing of cuPDLP.jl's defaults [2].
SUFFICIENT, NECESSARY, ARTIFICIAL, SMOOTHING = 0.2, 0.8, 0.36, 0.5


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
    """Iterates, their products with ``A``, running averages and per-problem scalars
    (a NamedTuple, so a JAX pytree)."""

    x: Any
    y: Any
    ax: Any
    aty: Any
    sx: Any  # step-weighted sums since the last restart (x, y, Ax, A'y, weights)
    sy: Any
    sax: Any
    saty: Any
    sw: Any
    eta: Any
    omega: Any
    x0: Any  # iterate at the last restart
    y0: Any
    kkt_restart: Any
    kkt_previous: Any
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
    timed_out: bool


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
    check_every: int = 64,
    time_limit_s: float | None = None,
    block: int | None = None,
) -> RawResult:
    """Solve the batch (vectors given as ``(B, n)`` / ``(B, m)`` host arrays).

    At most ``block`` problems (default: all) are on the device at once; a column whose
    problem finished takes the next one waiting, so the block stays full until the
    queue is empty. Then finished problems are dropped (on JAX, only down to the next
    power of two, so a few block widths are compiled and reused).
    """
    xp = backend.xp
    start = time.perf_counter()
    n_b, n = c.shape
    m = a.shape[0]
    width = n_b if block is None else max(1, min(block, n_b))
    d_r, d_c = ruiz_pock_chambolle(a)
    a_hat = sp.csr_matrix(sp.diags(d_r) @ a @ sp.diags(d_c))
    a_dev, at_dev = backend.sparse(a_hat), backend.sparse(sp.csr_matrix(a_hat.T))
    dev = backend.to_device
    dr, dc = dev(d_r[:, None]), dev(d_c[:, None])
    host = [_shared(v) for v in (c, lo, up, rl, ru)]
    eta0 = 1.0 / (float(abs(a_hat).max()) if a_hat.nnz else 1.0)

    def load(problems: NDArray[np.int64]) -> tuple[Data, Data, State]:
        """Data (original and scaled) and the starting state of a block of problems."""
        orig = Data(
            *(dev(np.ascontiguousarray((v if len(v) == 1 else v[problems]).T)) for v in host)
        )
        # scaled problem: x = dc x^, y = dr y^
        scaled = Data(orig.c * dc, orig.lo / dc, orig.up / dc, orig.rl * dr, orig.ru * dr)
        return orig, scaled, _initial_state(xp, a_dev, scaled, eta0, n, m, len(problems))

    steps = backend.jit(_steps, ("xp", "loop", "count"))
    check = backend.jit(_check, ("xp",))
    restart = backend.jit(_restart, ("xp",))
    out_x, out_y = np.zeros((n_b, n)), np.zeros((n_b, m))
    out_obj, out_kkt = np.full(n_b, np.nan), np.full(n_b, np.inf)
    out_conv, out_it = np.zeros(n_b, bool), np.zeros(n_b, np.int64)
    cols = np.arange(width)  # problem of each column of the device block
    waiting = n_b - width  # problems cols.max() + 1 .. n_b - 1 have not started
    orig, scaled, s = load(cols)
    finished = np.zeros(width, bool)  # per column: result taken (it may iterate on)
    iterations = np.zeros(width)
    timed_out = False
    while True:
        count = int(min(check_every, max_iter - iterations[~finished].max()))
        s = steps(xp=xp, loop=backend.fori_loop, a=a_dev, at=at_dev, d=scaled, s=s, count=count)
        cand, conv, kkt, obj = check(xp=xp, scaled=scaled, orig=orig, dr=dr, dc=dc, s=s, tol=tol)
        s = restart(xp=xp, s=s, cand=cand)
        timed_out = time_limit_s is not None and time.perf_counter() - start > time_limit_s
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
    return RawResult(out_x, out_y, out_obj, out_conv, out_it, out_kkt, timed_out)


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


def _initial_state(xp: Any, a: Any, d: Data, eta0: float, n: int, m: int, width: int) -> State:
    """The all-zero start (projected on the bounds) for a block of ``width`` problems."""
    ones = xp.ones(width)
    c_norm = _norm(xp, d.c)
    b_norm = _norm(xp, xp.maximum(abs(_finite0(xp, d.rl)), abs(_finite0(xp, d.ru))))
    omega0 = ones * xp.where(
        (c_norm > 1e-10) & (b_norm > 1e-10), c_norm / xp.maximum(b_norm, 1e-10), 1.0
    )
    x = xp.clip(xp.zeros((n, width)), d.lo, d.up)
    zeros_n, zeros_m = xp.zeros((n, width)), xp.zeros((m, width))
    return State(
        x=x, y=zeros_m, ax=a @ x, aty=zeros_n, sx=zeros_n, sy=zeros_m, sax=zeros_m,
        saty=zeros_n, sw=xp.zeros(width), eta=ones * eta0, omega=omega0, x0=x, y0=zeros_m,
        kkt_restart=ones * xp.inf, kkt_previous=ones * xp.inf,
        since_restart=xp.zeros(width), iterations=xp.zeros(width),
    )  # fmt: skip


def _steps(xp: Any, loop: Any, a: Any, at: Any, d: Data, s: State, count: int) -> State:
    """``count`` PDHG steps."""
    return loop(0, count, lambda i, st: _step(xp, a, at, d, st), s)


def _step(xp: Any, a: Any, at: Any, d: Data, s: State) -> State:
    """One adaptive PDHG step for every problem; rejected steps keep the old iterate."""
    tau, sigma = s.eta / s.omega, s.eta * s.omega
    x = xp.clip(s.x - tau * (d.c - s.aty), d.lo, d.up)
    ax = a @ x
    t = s.y - sigma * (2.0 * ax - s.ax)
    y = t + sigma * xp.clip(-t / sigma, d.rl, d.ru)
    aty = at @ y
    dx, dy = x - s.x, y - s.y
    interaction = xp.abs(xp.sum((ax - s.ax) * dy, axis=0))
    movement = s.omega * xp.sum(dx * dx, axis=0) + xp.sum(dy * dy, axis=0) / s.omega
    # a step size above 1e30 means "no limit"; the guard also keeps the division finite
    bounded = interaction * 1e30 > movement
    eta_max = xp.where(bounded, movement / (2.0 * xp.where(bounded, interaction, 1.0)), xp.inf)
    ok = s.eta <= eta_max
    # k, this problem's step number, counts from 1 so the first factor is positive
    k = s.iterations + 1.0
    shrink = xp.where(xp.isfinite(eta_max), (1.0 - (k + 1.0) ** -0.3) * eta_max, xp.inf)
    eta_next = xp.minimum(shrink, (1.0 + (k + 1.0) ** -0.6) * s.eta)
    w = xp.where(ok, s.eta, 0.0)
    return State(
        x=xp.where(ok, x, s.x), y=xp.where(ok, y, s.y),
        ax=xp.where(ok, ax, s.ax), aty=xp.where(ok, aty, s.aty),
        sx=s.sx + w * x, sy=s.sy + w * y, sax=s.sax + w * ax, saty=s.saty + w * aty,
        sw=s.sw + w, eta=eta_next, omega=s.omega, x0=s.x0, y0=s.y0,
        kkt_restart=s.kkt_restart, kkt_previous=s.kkt_previous,
        since_restart=s.since_restart + 1, iterations=s.iterations + 1,
    )  # fmt: skip


def _relative_errors(xp: Any, d: Data, x: Any, y: Any, ax: Any, aty: Any) -> tuple[Any, Any]:
    """Relative KKT error ``max(primal, dual, gap)`` (PDLP's relative criteria) and objective."""
    rp, rd, pobj, dobj = kkt_parts(xp, d, x, y, ax, aty)
    b_norm = _norm(xp, xp.maximum(abs(_finite0(xp, d.rl)), abs(_finite0(xp, d.ru))))
    err = xp.maximum(
        xp.maximum(rp / (1.0 + b_norm), rd / (1.0 + _norm(xp, d.c))),
        xp.abs(pobj - dobj) / (1.0 + xp.abs(pobj) + xp.abs(dobj)),
    )
    return err, pobj


def _check(
    xp: Any, scaled: Data, orig: Data, dr: Any, dc: Any, s: State, tol: float
) -> tuple[tuple[Any, ...], Any, Any, Any]:
    """Pick current or average per problem; its KKT error (scaled, for restarts) and its
    relative KKT error in the original units (for termination)."""
    sw = xp.maximum(s.sw, 1e-300)
    avg = (s.sx / sw, s.sy / sw, s.sax / sw, s.saty / sw)
    cur = (s.x, s.y, s.ax, s.aty)
    w = s.omega

    def weighted(z: tuple[Any, Any, Any, Any]) -> Any:
        rp, rd, pobj, dobj = kkt_parts(xp, scaled, *z)
        return xp.sqrt(w * rp**2 + rd**2 / w + (pobj - dobj) ** 2)

    use_avg = (weighted(avg) < weighted(cur)) & (s.sw > 0)
    cand = tuple(xp.where(use_avg, av, cu) for av, cu in zip(avg, cur, strict=True))
    kkt_scaled = weighted(cand)
    err, pobj = _relative_errors(xp, orig, cand[0] * dc, cand[1] * dr, cand[2] / dr, cand[3] / dc)
    return (*cand, kkt_scaled), err <= tol, err, pobj


def _restart(xp: Any, s: State, cand: Any) -> State:
    """Restart the problems whose candidate's KKT error fell enough; update primal weight."""
    x, y, ax, aty, kkt = cand
    go = (
        (kkt <= SUFFICIENT * s.kkt_restart)
        | ((kkt <= NECESSARY * s.kkt_restart) & (kkt > s.kkt_previous))
        | (s.since_restart >= ARTIFICIAL * s.iterations)
    )
    dx, dy = _norm(xp, x - s.x0), _norm(xp, y - s.y0)
    moved = (dx > 1e-10) & (dy > 1e-10)
    log_w = SMOOTHING * xp.log(xp.maximum(dy, 1e-300) / xp.maximum(dx, 1e-300)) + (
        1.0 - SMOOTHING
    ) * xp.log(s.omega)
    omega = xp.where(go & moved, xp.exp(log_w), s.omega)
    keep = ~go
    zero_n, zero_m = xp.zeros_like(s.sx), xp.zeros_like(s.sy)
    return State(
        x=xp.where(go, x, s.x), y=xp.where(go, y, s.y),
        ax=xp.where(go, ax, s.ax), aty=xp.where(go, aty, s.aty),
        sx=xp.where(keep, s.sx, zero_n), sy=xp.where(keep, s.sy, zero_m),
        sax=xp.where(keep, s.sax, zero_m), saty=xp.where(keep, s.saty, zero_n),
        sw=xp.where(keep, s.sw, 0.0), eta=s.eta, omega=omega,
        x0=xp.where(go, x, s.x0), y0=xp.where(go, y, s.y0),
        kkt_restart=xp.where(go, kkt, s.kkt_restart),
        kkt_previous=xp.where(go, xp.inf, kkt),
        since_restart=xp.where(go, 0.0, s.since_restart), iterations=s.iterations,
    )  # fmt: skip


__all__ = ["RawResult", "kkt_parts", "pdhg", "python_fori_loop", "ruiz_pock_chambolle"]
