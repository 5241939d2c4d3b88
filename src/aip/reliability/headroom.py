"""Curtailment-enabled headroom, after Duke's "Rethinking Load Growth" (Norris et al. 2025).

How large a new, flat load fits under a limit if it accepts being curtailed for a
small share of its annual energy? The study asked this of US balancing authorities
(limit: the system's historical peak load) and found 76 / 98 / 126 GW at 0.25 / 0.5 /
1 % annual curtailment. The same method answers it for a campus connection: the
limit is the interconnection size and the load series the existing site load.

Method (as documented by the study): add a constant load ``L`` to the hourly load;
wherever the sum exceeds the limit, the new load is curtailed by the excess (at most
all of it); find by bisection the largest ``L`` whose curtailed energy is the target
share of its annual energy ``L x H``.

References
----------
.. [1] T. Norris, T. Profeta, D. Patino-Echeverri, A. Cowie-Haskell, "Rethinking Load
   Growth: Assessing the Potential for Integration of Large Flexible Loads in US Power
   Systems", Nicholas Institute, Duke University, Feb 2025,
   https://hdl.handle.net/10161/32077
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from aip.errors import DataError, ScenarioError
from aip.reliability.montecarlo import FloatArray

#: Annual curtailment shares the study reports (0.25, 0.5, 1 %) plus its 5 % case.
DUKE_SHARES = (0.0025, 0.005, 0.01, 0.05)


@dataclass(frozen=True)
class HeadroomRow:
    """Headroom at one curtailment share.

    Attributes
    ----------
    curtailment_share : float
        Curtailed energy / annual energy of the new load [-].
    new_load_mw : float
        Largest flat new load that fits [MW].
    curtailed_mwh : float
        Energy curtailed per year [MWh/yr].
    curtailed_hours : int
        Hours with any curtailment [h/yr].
    events : int
        Runs of consecutive curtailed hours [1/yr].
    mean_event_hours : float
        Mean length of a curtailment event [h].
    max_curtailed_mw : float
        Largest curtailment in one hour [MW].
    mean_retained_share : float
        Mean share of the new load still served during curtailed hours [-].
    """

    curtailment_share: float
    new_load_mw: float
    curtailed_mwh: float
    curtailed_hours: int
    events: int
    mean_event_hours: float
    max_curtailed_mw: float
    mean_retained_share: float

    def to_dict(self) -> dict[str, float | int]:
        """JSON-ready mapping of every field."""
        return asdict(self)


def curtailment_mw(load_mw: FloatArray, limit_mw: float, new_load_mw: float) -> FloatArray:
    """Hourly curtailment of a flat new load under a limit [MW].

    Notes
    -----
    ``c_t = min(L, max(0, load_t + L - limit))``.

    Examples
    --------
    >>> curtailment_mw(np.array([50.0, 90.0, 120.0]), 100.0, 20.0).tolist()
    [0.0, 10.0, 20.0]
    """
    return np.minimum(new_load_mw, np.maximum(0.0, load_mw + new_load_mw - limit_mw))


def curtailed_share(load_mw: FloatArray, limit_mw: float, new_load_mw: float) -> float:
    """Curtailed energy as a share of the new load's energy [-]; non-decreasing in L."""
    if new_load_mw <= 0.0:
        return float(np.any(load_mw >= limit_mw))
    return float(
        curtailment_mw(load_mw, limit_mw, new_load_mw).sum() / (new_load_mw * load_mw.size)
    )


def headroom_mw(load_mw: FloatArray, limit_mw: float, share: float, rtol: float = 1e-9) -> float:
    """Largest flat new load whose curtailment is at most ``share`` of its energy [MW].

    Examples
    --------
    A constant 50 MW under a 100 MW limit: above 50 MW every hour is curtailed by
    ``L - 50``, so the share is ``(L - 50) / L`` and 1 % gives ``L = 50 / 0.99``.

    >>> round(headroom_mw(np.full(8760, 50.0), 100.0, 0.01), 6)
    50.505051
    """
    load = _series(load_mw)
    if not 0.0 <= share < 1.0:
        raise ScenarioError.for_field("curtailment share", share, "a fraction in [0, 1)")
    if curtailed_share(load, limit_mw, max(limit_mw, 1.0) * 1e-12) > share:
        return 0.0  # the existing load alone exceeds the limit too often
    low, high = 0.0, max(limit_mw - float(load.min()), 1.0)
    while curtailed_share(load, limit_mw, high) <= share:
        low, high = high, 2.0 * high
    while high - low > rtol * max(high, 1.0):
        mid = 0.5 * (low + high)
        if curtailed_share(load, limit_mw, mid) <= share:
            low = mid
        else:
            high = mid
    return low


def headroom_table(
    load_mw: FloatArray, limit_mw: float | None = None, shares: tuple[float, ...] = DUKE_SHARES
) -> list[HeadroomRow]:
    """Headroom at each curtailment share, with curtailment statistics.

    Parameters
    ----------
    load_mw : array
        Hourly existing load [MW] (system load, or a site's load).
    limit_mw : float, optional
        Limit the total may not exceed [MW]; default the series' peak (the study's
        threshold for a balancing authority).
    shares : tuple of float
        Curtailment shares of the new load's annual energy [-].
    """
    load = _series(load_mw)
    limit = float(load.max()) if limit_mw is None else float(limit_mw)
    if not np.isfinite(limit) or limit <= 0.0:
        raise ScenarioError.for_field("limit_mw", limit_mw, "a finite number > 0 [MW]")
    scale = 8760.0 / load.size
    rows = []
    for share in shares:
        size = headroom_mw(load, limit, share)
        c = curtailment_mw(load, limit, size) if size > 0 else np.zeros_like(load)
        on = c > 1e-9 * max(size, 1.0)
        events = int(on[0]) + int(np.sum(on[1:] & ~on[:-1]))
        rows.append(
            HeadroomRow(
                curtailment_share=share,
                new_load_mw=size,
                curtailed_mwh=float(c.sum() * scale),
                curtailed_hours=round(on.sum() * scale),
                events=round(events * scale),
                mean_event_hours=float(on.sum() / events) if events else 0.0,
                max_curtailed_mw=float(c.max()),
                mean_retained_share=float(1.0 - c[on].mean() / size) if on.any() else 1.0,
            )
        )
    return rows


def read_load_csv(path: str | Path, column: str | None = None) -> FloatArray:
    """Hourly load [MW] from a CSV: ``column``, else ``load_mw``, else the only numeric column.

    Lines starting with ``#`` are comments.
    """
    p = Path(path)
    if not p.is_file():
        raise ScenarioError.for_field("LOADCSV", str(p), "an existing CSV file", "check the path")
    try:
        frame = pd.read_csv(p, comment="#")
    except (ValueError, OSError) as exc:
        raise DataError(f"{p}: cannot be read as CSV ({exc})") from exc
    numeric = [c for c in frame.columns if pd.api.types.is_numeric_dtype(frame[c])]
    if column is None:
        column = "load_mw" if "load_mw" in frame.columns else None
        column = column or (numeric[0] if len(numeric) == 1 else None)
    if column is None or column not in frame.columns:
        raise ScenarioError.for_field(
            "--column",
            column if column is not None else "(none: no load_mw column and several numeric ones)",
            f"one of {list(frame.columns)}",
            "name the load column [MW] with --column",
        )
    values = pd.to_numeric(frame[column], errors="coerce").to_numpy(dtype=float)
    return _series(values, f"{p}:{column}")


def _series(values: FloatArray, name: str = "load_mw") -> FloatArray:
    load = np.asarray(values, dtype=float)
    if load.ndim != 1 or load.size == 0 or not np.all(np.isfinite(load)):
        raise DataError(f"{name}: needs a non-empty series of finite numbers [MW]")
    return load
