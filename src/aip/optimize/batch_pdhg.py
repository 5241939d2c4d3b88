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
    """``(B, k)`` host array as a device-ready ``(k, B)``, or ``(k, 1)`` if all rows agree."""
    if v.shape[0] > 1 and bool((v == v[:1]).all()):
        v = v[:1]
    return np.ascontiguousarray(v.T)


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
) -> RawResult:
    """Solve the batch (vectors given as ``(B, n)`` / ``(B, m)`` host arrays)."""
    xp = backend.xp
    start = time.perf_counter()
    n_b, n = c.shape
    m = a.shape[0]
    d_r, d_c = ruiz_pock_chambolle(a)
    a_hat = sp.csr_matrix(sp.diags(d_r) @ a @ sp.diags(d_c))
    a_dev, at_dev = backend.sparse(a_hat), backend.sparse(sp.csr_matrix(a_hat.T))
    dev = backend.to_device
    dr, dc = dev(d_r[:, None]), dev(d_c[:, None])
    orig = Data(*(dev(_shared(v)) for v in (c, lo, up, rl, ru)))
    # scaled problem: x = dc x^, y = dr y^
    scaled = Data(orig.c * dc, orig.lo / dc, orig.up / dc, orig.rl * dr, orig.ru * dr)
    max_abs = float(abs(a_hat).max()) if a_hat.nnz else 1.0
    eta0 = 1.0 / max_abs
    ones_b = xp.ones(n_b)
    c_norm = _norm(xp, scaled.c)
    b_norm = _norm(xp, xp.maximum(abs(_finite0(xp, scaled.rl)), abs(_finite0(xp, scaled.ru))))
    omega0 = ones_b * xp.where(
        (c_norm > 1e-10) & (b_norm > 1e-10), c_norm / xp.maximum(b_norm, 1e-10), 1.0
    )
    x_init = xp.clip(xp.zeros((n, n_b)), scaled.lo, scaled.up)
    ax_init = a_dev @ x_init
    zeros_m = xp.zeros((m, n_b))
    s = State(
        x=x_init, y=zeros_m, ax=ax_init, aty=xp.zeros((n, n_b)),
        sx=xp.zeros((n, n_b)), sy=zeros_m, sax=xp.zeros((m, n_b)), saty=xp.zeros((n, n_b)),
        sw=xp.zeros(n_b), eta=ones_b * eta0, omega=omega0, x0=x_init, y0=zeros_m,
        kkt_restart=ones_b * xp.inf, kkt_previous=ones_b * xp.inf,
        since_restart=xp.zeros(n_b), iterations=xp.zeros(n_b),
    )  # fmt: skip
    steps = backend.jit(_steps, ("xp", "loop", "count"))
    check = backend.jit(_check, ("xp",))
    restart = backend.jit(_restart, ("xp",))
    out_x, out_y = np.zeros((n_b, n)), np.zeros((n_b, m))
    out_obj, out_kkt = np.full(n_b, np.nan), np.full(n_b, np.inf)
    out_conv, out_it = np.zeros(n_b, bool), np.zeros(n_b, np.int64)
    block = np.arange(n_b)  # problem of each column of the device block
    finished = np.zeros(n_b, bool)  # per column: result taken, still iterating until compacted
    k, timed_out = 0, False
    while k < max_iter:
        count = min(check_every, max_iter - k)
        s = steps(
            xp=xp, loop=backend.fori_loop, a=a_dev, at=at_dev, d=scaled, s=s, k0=k, count=count
        )
        k += count
        cand, conv, kkt, obj = check(xp=xp, scaled=scaled, orig=orig, dr=dr, dc=dc, s=s, tol=tol)
        s = restart(xp=xp, s=s, cand=cand)
        timed_out = time_limit_s is not None and time.perf_counter() - start > time_limit_s
        conv_h = backend.to_host(conv).astype(bool)
        stop = k >= max_iter or timed_out
        new = ~finished & (conv_h | stop)
        if new.any():
            cols = np.flatnonzero(new)
            idx, cols_dev = block[cols], dev(cols)
            out_x[idx] = backend.to_host((cand[0] * dc)[:, cols_dev]).T
            out_y[idx] = backend.to_host((cand[1] * dr)[:, cols_dev]).T
            out_obj[idx] = backend.to_host(obj)[cols]
            out_kkt[idx] = backend.to_host(kkt)[cols]
            out_conv[idx] = conv_h[cols]
            out_it[idx] = backend.to_host(s.iterations).astype(np.int64)[cols]
            finished |= new
        if stop or finished.all():
            break
        # A JAX block compiles anew for each width, so it is compacted only once at most
        # backend.compact_fraction of it is left; finished columns iterate on until then.
        if finished.any() and (~finished).sum() <= backend.compact_fraction * finished.size:
            keep = np.flatnonzero(~finished)
            keep_dev = dev(keep)
            s, scaled, orig = s.take(keep_dev), scaled.take(keep_dev), orig.take(keep_dev)
            block, finished = block[keep], finished[keep]
    return RawResult(out_x, out_y, out_obj, out_conv, out_it, out_kkt, timed_out)


def _steps(xp: Any, loop: Any, a: Any, at: Any, d: Data, s: State, k0: Any, count: int) -> State:
    """``count`` PDHG steps, the first numbered ``k0 + 1``."""
    return loop(0, count, lambda i, st: _step(xp, a, at, d, st, k0 + i + 1), s)


def _step(xp: Any, a: Any, at: Any, d: Data, s: State, k: Any) -> State:
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
    # k counts from 1 so the first factor is positive (k = 0 would zero the step)
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
