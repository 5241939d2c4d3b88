"""Seeded random samples of scenario fields (Monte Carlo, Latin hypercube).

Each parameter draws from its own random stream, seeded by the sweep seed and
the parameter's name, so adding a parameter to a sweep does not change the
samples of the others.
"""

from __future__ import annotations

import zlib

import numpy as np
from numpy.typing import NDArray
from scipy import stats
from scipy.stats import qmc

from aip.schema.sweep import Distribution, Samples, Scalar


def uniforms(n: int, seed: int, name: str, method: str = "random") -> NDArray[np.float64]:
    """``n`` numbers in (0, 1) for parameter ``name``: independent draws or LHS strata.

    Examples
    --------
    >>> u = uniforms(4, seed=1, name="x", method="lhs")
    >>> sorted((u * 4).astype(int).tolist())   # one draw in each quarter
    [0, 1, 2, 3]
    """
    rng = np.random.default_rng([seed, zlib.crc32(name.encode())])
    if method == "lhs":
        return np.asarray(qmc.LatinHypercube(d=1, rng=rng).random(n)[:, 0], float)
    return rng.random(n)


def quantiles(dist: Distribution, u: NDArray[np.float64]) -> list[Scalar]:
    """Map uniforms ``u`` through the inverse CDF of ``dist``.

    Notes
    -----
    Inverse-transform sampling, ``x = F^{-1}(u)``; lognormal is parameterised by
    its median ``m`` and the standard deviation ``sigma`` of ``ln x``, so
    ``x = m exp(sigma Phi^{-1}(u))``.

    Examples
    --------
    >>> d = Distribution(distribution="uniform", low=2.0, high=4.0)
    >>> quantiles(d, np.array([0.0, 0.5]))
    [2.0, 3.0]
    """
    kind = dist.distribution
    if kind == "choice":
        assert dist.values is not None
        weights = np.asarray(dist.weights or [1.0] * len(dist.values), float)
        edges = np.cumsum(weights) / weights.sum()
        picks = np.minimum(np.searchsorted(edges, u, side="right"), len(dist.values) - 1)
        return [dist.values[int(i)] for i in picks]
    if kind == "uniform":
        assert dist.low is not None and dist.high is not None
        x = stats.uniform(loc=dist.low, scale=dist.high - dist.low).ppf(u)
    elif kind == "normal":
        x = stats.norm(loc=dist.mean, scale=dist.std).ppf(u)
    elif kind == "lognormal":
        x = stats.lognorm(s=dist.sigma, scale=dist.median).ppf(u)
    else:  # triangular
        assert dist.low is not None and dist.high is not None and dist.mode is not None
        width = dist.high - dist.low
        x = stats.triang(c=(dist.mode - dist.low) / width, loc=dist.low, scale=width).ppf(u)
    values = np.asarray(x, float)
    if dist.integer:
        return [round(float(v)) for v in values]
    return [float(v) for v in values]


def draw_samples(samples: Samples) -> list[dict[str, Scalar]]:
    """The ``samples.n`` parameter sets of a sweep, in order.

    Examples
    --------
    >>> s = Samples(n=2, seed=7, parameters={"compute.count": {
    ...     "distribution": "choice", "values": [1000, 2000]}})
    >>> [set(d) for d in draw_samples(s)]
    [{'compute.count'}, {'compute.count'}]
    """
    columns = {
        name: quantiles(dist, uniforms(samples.n, samples.seed, name, samples.method))
        for name, dist in samples.parameters.items()
    }
    return [{name: values[i] for name, values in columns.items()} for i in range(samples.n)]
