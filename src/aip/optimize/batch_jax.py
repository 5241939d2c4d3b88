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

#: Rows longer than this quantile of row lengths count as long (dense block).
LONG_ROW_QUANTILE = 99.9
#: Most entries the dense block of long rows may have (about 400 MB in float64).
MAX_DENSE_ENTRIES = 50_000_000


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
    """``a`` as :class:`EllHybrid` on JAX's default device, or ``None`` where the long
    rows would not fit a dense block of :data:`MAX_DENSE_ENTRIES` (use BCSR then).

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
    width = int(np.ceil(np.percentile(lengths, LONG_ROW_QUANTILE))) if m else 0
    long_rows = np.flatnonzero(lengths > width)
    if long_rows.size * n > MAX_DENSE_ENTRIES:
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
