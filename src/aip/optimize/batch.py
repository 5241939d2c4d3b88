"""Solve a batch of same-structure LPs at once with a first-order method (PDLP).

Sweeps produce many campus LPs that differ only in numbers (fuel price, capex,
limits): the constraint matrix ``A`` is the same and only costs and bounds change.
:func:`solve_batch` stacks them into ``(B, n)`` blocks and runs the restarted PDHG
of :mod:`aip.optimize.batch_pdhg` on all of them together, so every iteration is a
sparse matrix times a dense block. That shape suits a GPU; on a CPU it is slower
than HiGHS one by one (see docs/benchmarks.md, "Batch first-order backend").

Array backends, chosen at run time:

- ``"numpy"``: numpy + scipy.sparse, always available;
- ``"jax"``: jax.numpy, the step loop compiled (``jax.jit`` + ``lax.fori_loop``), the
  matrix as ELL rows (:mod:`aip.optimize.batch_jax`) or ``jax.experimental.sparse``
  BCSR (``pip install 'aip[gpu-jax]'``);
- ``"cupy"``: cupy + cupyx.scipy.sparse, eager (``pip install 'aip[gpu]'``);
- ``"auto"``: JAX if its default device is a GPU, else cupy if it sees one, else numpy.

GPU modules are imported only when asked for. CI tests numpy and JAX (on JAX's CPU
device) against HiGHS, cupy through a numpy stand-in. Measured on an H200 with the
previous, adaptive PDHG (docs/benchmarks.md): JAX with ELL ran a 64-wide full-year
iteration in 0.59 ms, cupy in 8.6 ms; 64 full-year campus LPs solved 3.0x faster than
HiGHS on the machine's 16 CPU cores, while short LPs (a week or less) are faster with
HiGHS. The Halpern iteration now used is 2.1x faster on the CPU, unmeasured on a GPU.

First-order solutions are accurate to ``tol`` in relative KKT error, not to a
vertex: objectives match HiGHS to about ``tol`` relative, individual variables may
differ where the optimum is not unique.
"""

from __future__ import annotations

import dataclasses
import functools
import importlib
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import scipy.sparse as sp
from numpy.typing import NDArray

from aip.errors import ScenarioError
from aip.io.cache import resolve_cache_dir
from aip.optimize import batch_pdhg
from aip.optimize.build import build_model
from aip.optimize.inputs import ModelInputs
from aip.optimize.problem import LinearProblem
from aip.optimize.solve import TerminationStatus

FloatArray = NDArray[np.float64]
BACKENDS = ("auto", "numpy", "cupy", "jax")
#: Rows from which JAX on a GPU uses the ELL format (between the two sizes measured).
ELL_MIN_ROWS = 10_000


@dataclass(frozen=True)
class ArrayBackend:
    """The few operations the solver needs from an array library.

    ``xp`` is a numpy-compatible namespace (elementwise ops, ``where``, ``clip``,
    ``sum``); ``sparse`` moves a scipy CSR matrix to the device as an object that
    supports ``A @ X`` with a dense ``(n, B)`` block. ``jit(fn, static_argnames)``
    compiles a function (JAX) or returns it as is; ``fori_loop(lower, upper, body,
    init)`` has ``jax.lax.fori_loop``'s meaning. ``fixed_shapes``: compiled code is
    specialised to array shapes (JAX), so the device block keeps few distinct widths.
    """

    name: str
    xp: Any
    to_device: Callable[[Any], Any]
    to_host: Callable[[Any], FloatArray]
    sparse: Callable[[sp.csr_matrix], Any]
    jit: Callable[[Callable[..., Any], tuple[str, ...]], Callable[..., Any]] = lambda fn, static: fn
    fori_loop: Callable[..., Any] = batch_pdhg.python_fori_loop
    fixed_shapes: bool = False


def _numpy_backend() -> ArrayBackend:
    return ArrayBackend("numpy", np, np.asarray, np.asarray, sp.csr_matrix)


def _cupy_backend() -> ArrayBackend:
    cp = importlib.import_module("cupy")
    cpsparse = importlib.import_module("cupyx.scipy.sparse")
    return ArrayBackend(
        "cupy",
        cp,
        cp.asarray,
        lambda v: np.asarray(cp.asnumpy(v)),
        lambda a: cpsparse.csr_matrix(a),
    )


@functools.cache
def _jax_jit(fn: Callable[..., Any], static: tuple[str, ...]) -> Callable[..., Any]:
    """One compiled function per solver function, so later batches of the same shapes
    reuse its compilations."""
    jax = importlib.import_module("jax")
    return jax.jit(fn, static_argnames=static)


def _jax_backend(sparse_format: str = "auto") -> ArrayBackend:
    jax = importlib.import_module("jax")
    jnp = importlib.import_module("jax.numpy")
    jsparse = importlib.import_module("jax.experimental.sparse")
    lax = importlib.import_module("jax.lax")
    # LP accuracy needs float64; JAX defaults to float32
    jax.config.update("jax_enable_x64", True)
    # Compiling a full-year block took ~17 s on an H200 (docs/benchmarks.md); JAX's
    # persistent cache keeps compilations over 1 s for the next process, in the aip cache
    # folder unless the user chose one.
    if jax.config.jax_compilation_cache_dir is None:
        jax.config.update("jax_compilation_cache_dir", str(resolve_cache_dir() / "jax"))
    ell_hybrid = importlib.import_module("aip.optimize.batch_jax").ell_hybrid

    # Measured (docs/benchmarks.md): on an H200 ELL steps a full-year LP (96k rows) 2.3x
    # faster than BCSR, a week-long one (1.9k rows) 1.9x slower; on a CPU XLA's gather
    # makes ELL 10-20x slower.
    on_gpu = _has_gpu("jax")

    def sparse(a: sp.csr_matrix) -> Any:
        use_ell = sparse_format == "ell" or (
            sparse_format == "auto" and on_gpu and a.shape[0] >= ELL_MIN_ROWS
        )
        ell = ell_hybrid(a) if use_ell else None
        return jsparse.BCSR.from_scipy_sparse(a) if ell is None else ell

    return ArrayBackend(
        "jax",
        jnp,
        jnp.asarray,
        lambda v: np.asarray(v),
        sparse,
        jit=_jax_jit,
        fori_loop=lax.fori_loop,
        fixed_shapes=True,
    )


def _has_gpu(name: str) -> bool:
    try:
        if name == "cupy":
            return int(importlib.import_module("cupy").cuda.runtime.getDeviceCount()) > 0
        jax = importlib.import_module("jax")
        return bool(jax.default_backend() == "gpu")
    except Exception:  # any import or driver failure means "no GPU here"
        return False


def get_backend(name: str = "auto", jax_sparse: str = "auto") -> ArrayBackend:
    """The array backend called ``name`` (see the module docstring).

    ``jax_sparse`` picks the JAX backend's matrix format: ``"ell"``
    (:mod:`aip.optimize.batch_jax`), ``"bcsr"`` (``jax.experimental.sparse``) or
    ``"auto"`` (ELL on a GPU for matrices of :data:`ELL_MIN_ROWS` rows or more, else
    BCSR).

    Examples
    --------
    >>> get_backend("numpy").name
    'numpy'
    """
    if name not in BACKENDS:
        raise ScenarioError.for_field("backend", name, ", ".join(BACKENDS))
    if jax_sparse not in ("auto", "ell", "bcsr"):
        raise ScenarioError.for_field("jax_sparse", jax_sparse, "auto, ell or bcsr")
    if name == "auto":
        for gpu in ("jax", "cupy"):  # JAX first: 5x cupy's steps per second on an H200
            if _has_gpu(gpu):
                return get_backend(gpu, jax_sparse)
        return _numpy_backend()
    if name == "numpy":
        return _numpy_backend()
    try:
        return _cupy_backend() if name == "cupy" else _jax_backend(jax_sparse)
    except ImportError as exc:
        extra = "cupy-cuda12x" if name == "cupy" else "jax[cuda12]"
        raise ScenarioError.for_field(
            "backend", name, "an installed array library", f"pip install {extra}, or use numpy"
        ) from exc


@dataclass(frozen=True)
class BatchProblem:
    """``B`` LPs sharing ``a`` (m x n): ``min c_b x + constant_b``, ``rl_b <= A x <= ru_b``,
    ``lower_b <= x <= upper_b``. Vectors are ``(B, n)`` or ``(B, m)``."""

    a: sp.csr_matrix
    cost: FloatArray
    lower: FloatArray
    upper: FloatArray
    row_lower: FloatArray
    row_upper: FloatArray
    constant: FloatArray

    @property
    def size(self) -> int:
        return int(self.cost.shape[0])


@dataclass(frozen=True)
class BatchResult:
    """Outcome of :func:`solve_batch`, one entry per problem.

    ``status`` is ``"optimal"`` when the relative KKT error (the largest of primal
    residual / (1 + |b|), dual residual / (1 + |c|) and duality gap / (1 + |p| + |d|))
    reached ``tol``; otherwise ``"iteration_limit"`` or ``"time_limit"``: not
    converged, which is also what infeasible and unbounded problems end as.
    """

    x: FloatArray  # (B, n)
    row_dual: FloatArray  # (B, m)
    objective: FloatArray  # [objective units], with each problem's constant
    status: list[TerminationStatus]
    iterations: NDArray[np.int64]
    kkt_error: FloatArray
    seconds: float
    backend: str


def same_matrix(a: sp.csr_matrix, b: sp.csr_matrix) -> bool:
    """Whether two CSR matrices with sorted indices are equal, pattern and coefficients.

    Examples
    --------
    >>> a = sp.csr_matrix([[1.0, 0.0], [0.0, 2.0]])
    >>> same_matrix(a, a.copy()), same_matrix(a, 2 * a)
    (True, False)
    """
    return (
        a.shape == b.shape
        and a.nnz == b.nnz
        and np.array_equal(a.indptr, b.indptr)
        and np.array_equal(a.indices, b.indices)
        and np.array_equal(a.data, b.data)
    )


def stack_problems(
    lps: Sequence[LinearProblem], matrix: sp.csr_matrix | None = None
) -> BatchProblem:
    """Stack LPs with an identical constraint matrix (pattern and coefficients).

    Each LP's matrix is built and compared with the first; a caller that has already
    compared them (a batch sweep groups its cases by matrix) passes the shared one as
    ``matrix`` (sorted CSR, :meth:`LinearProblem.matrix`), and the LPs' own are neither
    built nor compared.

    Raises
    ------
    ScenarioError
        Empty list, or a matrix that differs from the first one.
    """
    if not lps:
        raise ScenarioError.for_field("lps", "[]", "at least one LinearProblem")
    if matrix is not None:
        if matrix.shape != (lps[0].n_rows, lps[0].n_cols):
            raise ScenarioError.for_field(
                "matrix",
                f"{matrix.shape[0]}x{matrix.shape[1]}",
                f"the shape of lps[0] ({lps[0].n_rows}x{lps[0].n_cols})",
                "pass the matrix these LPs share, or leave matrix out",
            )
        a = matrix.tocsr()  # itself where it is CSR already
        a.sort_indices()
    else:
        a = lps[0].matrix("csr")
        for i, lp in enumerate(lps[1:], start=1):
            other = lp.matrix("csr")
            if not same_matrix(a, other):
                raise ScenarioError.for_field(
                    f"lps[{i}]",
                    f"matrix {other.shape[0]}x{other.shape[1]}, {other.nnz} nonzeros",
                    f"the constraint matrix of lps[0] ({a.shape[0]}x{a.shape[1]}, "
                    f"{a.nnz} nonzeros)",
                    "batch only cases that differ in costs or bounds; solve the others separately",
                )
    return BatchProblem(
        a=a,
        cost=np.stack([lp.cost for lp in lps]),
        lower=np.stack([lp.lower for lp in lps]),
        upper=np.stack([lp.upper for lp in lps]),
        row_lower=np.stack([lp.row_lower for lp in lps]),
        row_upper=np.stack([lp.row_upper for lp in lps]),
        constant=np.array([lp.constant for lp in lps]),
    )


def batch_from_inputs(inputs: Sequence[ModelInputs]) -> BatchProblem:
    """Build each campus model with :func:`aip.optimize.build_model` and stack them.

    Examples
    --------
    >>> import dataclasses
    >>> from aip.optimize.examples import two_hour_example
    >>> base = two_hour_example()
    >>> cheap = dataclasses.replace(base, unserved_cost_usd_per_mwh=5_000.0)
    >>> batch_from_inputs([base, cheap]).size
    2
    """
    return stack_problems([build_model(i)[0] for i in inputs])


def window_inputs(inputs: ModelInputs, start: int, hours: int) -> ModelInputs:
    """A ``hours``-long window of ``inputs`` from snapshot ``start``, for small test and
    benchmark batches.

    Each snapshot then stands for ``8760 / hours`` hours (so annual costs and caps keep
    their meaning) and lasts 1 h for storage; storage is cyclic over the window.
    """
    if not 0 <= start < start + hours <= inputs.n_snapshots:
        raise ScenarioError.for_field(
            "hours", hours, f"a window inside 0..{inputs.n_snapshots} starting at {start}"
        )
    s = slice(start, start + hours)
    g = inputs.grid
    hourly_clean = g.clean_fraction_hourly
    grid = dataclasses.replace(
        g,
        price_usd_per_mwh=g.price_usd_per_mwh[s],
        emissions_t_per_mwh={k: v[s] for k, v in g.emissions_t_per_mwh.items()},
        clean_fraction_hourly=None if hourly_clean is None else hourly_clean[s],
    )
    gens = [dataclasses.replace(x, cf=None if x.cf is None else x.cf[s]) for x in inputs.generators]
    return dataclasses.replace(
        inputs,
        timestamps=inputs.timestamps[s],
        weights=np.full(hours, 8760.0 / hours),
        load_mw=inputs.load_mw[s],
        generators=gens,
        grid=grid,
        snapshot_hours=np.ones(hours),
        period_hours=None,
    )


def _as_batch(problems: Sequence[LinearProblem] | BatchProblem | tuple[Any, ...]) -> BatchProblem:
    if isinstance(problems, BatchProblem):
        return problems
    if isinstance(problems, tuple) and problems and not isinstance(problems[0], LinearProblem):
        if len(problems) not in (6, 7):
            raise ScenarioError.for_field(
                "problems", f"tuple of {len(problems)}", "(A, C, L, U, RL, RU[, constant])"
            )
        a = sp.csr_matrix(problems[0], dtype=float)
        c, lo, up, rl, ru = (np.atleast_2d(np.asarray(v, float)) for v in problems[1:6])
        const = np.asarray(problems[6], float) if len(problems) == 7 else np.zeros(len(c))
        m, n = a.shape
        for name, v, width in (
            ("C", c, n),
            ("L", lo, n),
            ("U", up, n),
            ("RL", rl, m),
            ("RU", ru, m),
        ):
            if v.shape != (len(c), width):
                raise ScenarioError.for_field(
                    name, f"shape {v.shape}", f"shape ({len(c)}, {width})"
                )
        return BatchProblem(a, c, lo, up, rl, ru, np.broadcast_to(const, (len(c),)).copy())
    return stack_problems(list(problems))


def _as_start(
    start: tuple[Any, Any], index: Any, batch: BatchProblem
) -> tuple[FloatArray, FloatArray, NDArray[np.int64] | None]:
    """``start`` as finite ``(1 or B, n)`` and ``(1 or B, m)`` arrays (``(k, .)`` with an
    ``index`` of B rows in ``[0, k)``), and the index, or a clear error."""
    n_b, n = batch.cost.shape
    m = batch.row_lower.shape[1]
    out = []
    rows = np.atleast_2d(np.asarray(start[0], dtype=float)).shape[0]
    for name, value, k in (("start[0] (x)", start[0], n), ("start[1] (y)", start[1], m)):
        v = np.atleast_2d(np.asarray(value, dtype=float))
        allowed = ((rows, k),) if index is not None else ((1, k), (n_b, k))
        if v.shape not in allowed:
            wanted = f"({rows}, {k})" if index is not None else f"({k},) or ({n_b}, {k})"
            raise ScenarioError.for_field(name, f"shape {np.shape(value)}", wanted)
        if not np.isfinite(v).all():
            raise ScenarioError.for_field(name, "non-finite values", "finite numbers")
        out.append(v)
    picks = None
    if index is not None:
        picks = np.asarray(index)
        if (
            picks.shape != (n_b,)
            or not np.issubdtype(picks.dtype, np.integer)
            or (picks.size and (picks.min() < 0 or picks.max() >= rows))
        ):
            raise ScenarioError.for_field(
                "start_index", f"shape {picks.shape}", f"{n_b} integers in [0, {rows})"
            )
        picks = picks.astype(np.int64)
    return out[0], out[1], picks


def solve_batch(
    problems: Sequence[LinearProblem] | BatchProblem | tuple[Any, ...],
    tol: float = 1e-6,
    max_iter: int = 200_000,
    backend: str | ArrayBackend = "auto",
    time_limit_s: float | None = None,
    check_every: int = 32,
    block: int | None = None,
    start: tuple[Any, Any] | None = None,
    warm_refill: bool = False,
    start_index: Sequence[int] | NDArray[np.int64] | None = None,
) -> BatchResult:
    """Solve ``B`` LPs that share one constraint matrix with restarted PDHG.

    Parameters
    ----------
    problems : list of LinearProblem, BatchProblem, or tuple (A, C, L, U, RL, RU[, const])
        The batch; the tuple holds ``A`` (m x n, any scipy sparse or dense) and
        ``(B, n)`` / ``(B, m)`` arrays (``inf`` for absent bounds).
    tol : float
        Relative KKT error at which a problem counts as solved [-].
    max_iter : int
        PDHG iterations per problem (each one product with ``A`` and one with ``A'``).
    backend : {"auto", "numpy", "cupy", "jax"} or ArrayBackend
        A name for :func:`get_backend`, or a backend it returned.
    time_limit_s : float, optional
        Wall-clock limit [s] for the whole batch.
    check_every : int
        Iterations between termination and restart checks (each costs about two
        iterations; 32 gave fewer iterations than 16, 64 or 128 on the campus LPs,
        docs/benchmarks.md).
    block : int, optional
        Most problems on the device at once (default: all). A finished problem's
        column takes the next waiting problem, so the block stays full: for batches
        larger than the device's memory or a GPU's sweet spot (64 full-year campus LPs
        on an H200, docs/benchmarks.md).
    start : (x, y), optional
        Where to start instead of zero: primal values ``(B, n)`` and row duals
        ``(B, m)`` (as ``BatchResult.x`` and ``row_dual`` give them), or ``(n,)`` and
        ``(m,)`` for every problem; e.g. the solution of a neighbouring problem.
    start_index : sequence of int, optional
        With ``start`` of ``k`` rows: each problem's row (``B`` integers in ``[0, k)``),
        so that problems sharing a start do not copy it.
    warm_refill : bool
        With ``block``: a waiting problem that takes a finished problem's column starts
        from that problem's last iterate (and primal weight) instead of the start, on the
        device, at no cost. Sweeps order their cases so that neighbours differ in one
        parameter; on the campus LPs this took fewer iterations (docs/benchmarks.md).

    Returns
    -------
    BatchResult

    Examples
    --------
    min x + y s.t. x + y >= 1, x <= 0.7, y <= 0.7, and a second problem with costs 2, 1:

    >>> import numpy as np
    >>> a = np.array([[1.0, 1.0]])
    >>> r = solve_batch((a, [[1.0, 1.0], [2.0, 1.0]], np.zeros((2, 2)), np.full((2, 2), 0.7),
    ...                  [[1.0], [1.0]], [[np.inf], [np.inf]]), backend="numpy")
    >>> [s.value for s in r.status], np.round(r.objective, 4).tolist()
    (['optimal', 'optimal'], [1.0, 1.3])
    """
    if not tol > 0:
        raise ScenarioError.for_field("tol", tol, "a number > 0")
    if max_iter < 1:
        raise ScenarioError.for_field("max_iter", max_iter, "an integer >= 1")
    if block is not None and block < 1:
        raise ScenarioError.for_field("block", block, "an integer >= 1, or None for all")
    if check_every < 1:
        raise ScenarioError.for_field("check_every", check_every, "an integer >= 1")
    batch = _as_batch(problems)
    if batch.size == 0:
        raise ScenarioError.for_field("problems", "0 problems", "at least one problem")
    bk = backend if isinstance(backend, ArrayBackend) else get_backend(backend)
    if start is None and start_index is not None:
        raise ScenarioError.for_field("start_index", "given", "only with start", "pass start too")
    starts = None if start is None else _as_start(start, start_index, batch)
    began = time.perf_counter()
    raw = batch_pdhg.pdhg(
        bk,
        batch.a,
        batch.cost,
        batch.lower,
        batch.upper,
        batch.row_lower,
        batch.row_upper,
        tol=tol,
        max_iter=max_iter,
        check_every=check_every,
        time_limit_s=time_limit_s,
        block=block,
        start=starts[:2] if starts is not None else None,
        warm_refill=warm_refill,
        start_index=starts[2] if starts is not None else None,
    )
    status = [
        TerminationStatus.OPTIMAL
        if ok
        else TerminationStatus.TIME_LIMIT
        if timed
        else TerminationStatus.ITERATION_LIMIT
        for ok, timed in zip(raw.converged, raw.timed_out, strict=True)
    ]
    return BatchResult(
        x=raw.x,
        row_dual=raw.y,
        objective=raw.objective + batch.constant,
        status=status,
        iterations=raw.iterations,
        kkt_error=raw.kkt_error,
        seconds=time.perf_counter() - began,
        backend=bk.name,
    )
