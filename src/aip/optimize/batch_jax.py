"""The batch PDHG's sparse matrix on JAX: ELL rows plus a dense block for long rows.

Imported only by the JAX backend of :mod:`aip.optimize.batch` (JAX is an optional
extra). ``jax.experimental.sparse.BCSR`` would do ``A @ X``, but its product is a
separate library call that XLA cannot fuse with the elementwise work around it; on an
H200 the whole PDHG step then took about 0.4 ms even for a 250-row LP (launch-bound,
docs/benchmarks.md). Campus LPs suit ELL: every row but a handful (annual CO2, CFE and
energy rows over all hours; capacity columns in ``A'``) has at most 8 entries. So rows
are padded to ``width`` entries (gather, multiply, sum: one fusible loop) and the few
longer rows are kept as a small dense matrix.
"""

from __future__ import annotations

from typing import Any

import jax
import jax.numpy as jnp
import numpy as np
import scipy.sparse as sp

#: Share of the rows that may be long (kept dense) [-]; at least one row may be.
LONG_ROW_SHARE = 0.001
#: Most entries the dense block of long rows may have (about 400 MB in float64).
MAX_DENSE_ENTRIES = 50_000_000
#: Most padded ELL slots per stored entry before BCSR is the better format [-].
MAX_PADDING = 4.0


@jax.tree_util.register_pytree_node_class
class EllHybrid:
    """``A`` as ``(m, width)`` column indices and values, plus ``long_dense`` for the
    rows ``long_rows`` (their ELL slots are empty). Supports ``A @ X`` for a dense
    ``(n, B)`` or ``(n,)`` ``X`` and is a JAX pytree (an argument of compiled code)."""

    def __init__(self, idx: Any, val: Any, long_rows: Any, long_dense: Any, shape: tuple[int, int]):
        self.idx, self.val, self.long_rows, self.long_dense = idx, val, long_rows, long_dense
        self.shape = shape

    def tree_flatten(self) -> tuple[tuple[Any, ...], tuple[int, int]]:
        return (self.idx, self.val, self.long_rows, self.long_dense), self.shape

    @classmethod
    def tree_unflatten(cls, shape: tuple[int, int], children: tuple[Any, ...]) -> EllHybrid:
        idx, val, long_rows, long_dense = children
        return cls(idx, val, long_rows, long_dense, shape)

    def __matmul__(self, x: Any) -> Any:
        gathered = x[self.idx]  # (m, width, B)
        val = self.val if x.ndim == 1 else self.val[..., None]
        out = jnp.sum(val * gathered, axis=1)
        if self.long_rows.shape[0]:
            out = out.at[self.long_rows].add(self.long_dense @ x)
        return out


def ell_hybrid(a: sp.csr_matrix) -> EllHybrid | None:
    """``a`` as :class:`EllHybrid` on JAX's default device, or ``None`` where ELL does
    not suit it (long rows beyond a dense block of :data:`MAX_DENSE_ENTRIES`, or more
    than :data:`MAX_PADDING` slots per entry): use BCSR then.

    Examples
    --------
    >>> import numpy as np, scipy.sparse as sp
    >>> a = sp.csr_matrix(np.array([[1.0, 0, 2], [0, 3, 0]]))
    >>> np.asarray(ell_hybrid(a) @ jnp.ones(3)).tolist()
    [3.0, 3.0]
    """
    a = sp.csr_matrix(a, dtype=float)
    a.sort_indices()
    m, n = a.shape
    lengths = np.diff(a.indptr)
    # the width covers every row but the longest LONG_ROW_SHARE of them
    n_long = max(1, int(LONG_ROW_SHARE * m))
    width = int(np.sort(lengths)[m - 1 - n_long]) if m > n_long else 0
    long_rows = np.flatnonzero(lengths > width)
    too_dense = long_rows.size * n > MAX_DENSE_ENTRIES
    if too_dense or m * width > MAX_PADDING * a.nnz + m:
        return None
    short = a.copy()
    short.data[np.repeat(lengths > width, lengths)] = 0.0
    short.eliminate_zeros()
    # slot of each entry within its row; empty slots point at column 0 with value 0
    rows = np.repeat(np.arange(m), np.diff(short.indptr))
    slots = np.arange(short.nnz) - short.indptr[rows]
    idx = np.zeros((m, max(width, 1)), np.int32)
    val = np.zeros((m, max(width, 1)))
    idx[rows, slots] = short.indices
    val[rows, slots] = short.data
    dense = a[long_rows].toarray()
    return EllHybrid(
        jnp.asarray(idx), jnp.asarray(val), jnp.asarray(long_rows), jnp.asarray(dense), (m, n)
    )


__all__ = ["EllHybrid", "ell_hybrid"]
