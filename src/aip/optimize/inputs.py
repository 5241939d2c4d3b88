"""Resolved numeric inputs of the campus model.

Everything the LP needs, and nothing it does not: hourly series as numpy arrays and
per-technology parameters already annualised and converted to base units. These
objects are what ``inputs.json`` and ``hourly.csv`` serialise, so another tool
(PyPSA in our tests) can rebuild the identical problem from them.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
from numpy.typing import NDArray

POLLUTANTS = ("co2", "nox", "so2", "pm25")

FloatArray = NDArray[np.float64]


def capital_recovery_factor(wacc: float, lifetime_years: float) -> float:
    """Annuity factor that spreads an overnight cost over a life [1/yr].

    Notes
    -----
    ``CRF = r / (1 - (1 + r)^-n)``, and ``1 / n`` when ``r = 0``.

    Examples
    --------
    >>> round(capital_recovery_factor(0.08, 20), 6)
    0.101852
    >>> capital_recovery_factor(0.0, 25)
    0.04
    """
    if lifetime_years <= 0:
        raise ValueError("lifetime_years must be > 0")
    if wacc == 0:
        return 1.0 / lifetime_years
    return wacc / (1.0 - (1.0 + wacc) ** (-lifetime_years))


@dataclass(frozen=True)
class GeneratorInputs:
    """One generating technology, resolved.

    Costs are per MW of capacity per year, or per MWh of output. ``cf`` is the
    hourly availability [pu] (``None`` means always available).
    """

    key: str
    label: str
    carrier: str
    p_nom_existing: float
    p_nom_min: float
    p_nom_max: float
    capital_cost_usd_per_mw_year: float
    fixed_om_usd_per_mw_year: float
    fuel_cost_usd_per_mwh: float
    variable_om_usd_per_mwh: float
    ppa_usd_per_mwh: float
    carbon_cost_usd_per_mwh: float
    min_stable_pu: float
    capacity_credit: float
    unit_size_mw: float
    clean: bool
    emissions_t_per_mwh: dict[str, float]
    cf: FloatArray | None = None
    heat_rate_mmbtu_per_mwh: float = 0.0
    group: str = ""
    """Technology whose capacity limits this generator shares (NOx-control variants)."""

    @property
    def group_key(self) -> str:
        """The capacity-limit group: ``group`` or the generator's own key."""
        return self.group or self.key

    @property
    def marginal_cost_usd_per_mwh(self) -> float:
        """Fuel + variable O&M + PPA energy price + carbon cost [USD/MWh]."""
        return (
            self.fuel_cost_usd_per_mwh
            + self.variable_om_usd_per_mwh
            + self.ppa_usd_per_mwh
            + self.carbon_cost_usd_per_mwh
        )


@dataclass(frozen=True)
class StorageInputs:
    """One storage technology with power and energy sized separately."""

    key: str
    label: str
    p_nom_existing: float
    e_nom_existing: float
    p_nom_min: float
    p_nom_max: float
    e_nom_max: float
    capital_cost_usd_per_mw_year: float
    capital_cost_usd_per_mwh_year: float
    fixed_om_usd_per_mw_year: float
    variable_om_usd_per_mwh: float
    efficiency_charge: float
    efficiency_discharge: float
    duration_min_h: float
    duration_max_h: float
    capacity_credit: float = 0.0


@dataclass(frozen=True)
class GridInputs:
    """The utility connection; ``price`` and emission rates are hourly."""

    enabled: bool
    import_limit_mw: float
    price_usd_per_mwh: FloatArray
    demand_charge_usd_per_kw_month: float
    emissions_t_per_mwh: dict[str, FloatArray]
    carbon_price_usd_per_t: float
    clean_fraction: float
    firm_fraction: float
    clean_fraction_hourly: FloatArray | None = None

    @property
    def cfe_fraction(self) -> FloatArray:
        """Hourly carbon-free share of imports for 24/7 matching [-]."""
        if self.clean_fraction_hourly is not None:
            return self.clean_fraction_hourly
        return np.full(len(self.price_usd_per_mwh), self.clean_fraction)


@dataclass(frozen=True)
class ModelInputs:
    """The whole campus problem in numbers.

    ``weights`` are the hours each snapshot stands for (1 for hourly data;
    they sum to 8760 for a full year).
    """

    name: str
    timestamps: list[str]
    weights: FloatArray
    load_mw: FloatArray
    generators: list[GeneratorInputs]
    storage: list[StorageInputs]
    grid: GridInputs
    unserved_cost_usd_per_mwh: float
    firm_capacity: bool = True
    reserve_margin: float = 0.0
    n_minus: int = 0
    contingency_level: tuple[float, float] | None = None
    """Bounds ``(lo, hi)`` [MW of firm capacity] on the largest loss one unit failure may
    cause; set with :func:`aip.optimize.contingency.at_level`, which also caps the
    technologies whose units lose more than ``lo``. None: the largest allowed unit counts,
    nothing capped."""
    co2_cap_t_per_year: float | None = None
    nox_cap_t_per_year: float | None = None
    min_clean_share: float | None = None
    min_cfe_share: float | None = None
    max_unserved_fraction: float = 1.0
    curtailable_fraction: float = 0.0
    max_curtailed_energy_fraction: float = 0.0
    curtailment_cost_usd_per_mwh: float = 0.0
    period_hours: int | None = None
    """Snapshots per independent period (typical days); None: one cyclic year."""
    snapshot_hours: FloatArray | None = None
    """Length of each snapshot [h] for storage dynamics; None: the weights. They differ
    with typical days, where a snapshot lasts one hour but stands for many days."""
    time_limit_s: float = 600.0
    threads: int = 1
    method: str = "auto"
    extra: dict[str, float] = field(default_factory=dict)

    @property
    def durations(self) -> FloatArray:
        """Hours each snapshot lasts (storage state-of-charge steps) [h]."""
        return self.snapshot_hours if self.snapshot_hours is not None else self.weights

    @property
    def n_snapshots(self) -> int:
        return len(self.load_mw)

    @property
    def peak_load_mw(self) -> float:
        return float(self.load_mw.max()) if self.load_mw.size else 0.0

    @property
    def contingency_mw(self) -> float:
        """The least firm capacity the loss of ``n_minus`` units takes [MW]; 0 without the
        firm-capacity rule.

        ``n_minus`` times the largest unit loss of an allowed firm technology (the same
        technology may lose several units; see :func:`firm_unit_groups`) or, with
        :attr:`contingency_level`, times its lower bound: the model adds the loss above it
        as a variable.
        """
        if self.n_minus == 0 or not self.firm_capacity:
            return 0.0
        if self.contingency_level is not None:
            return float(self.n_minus * self.contingency_level[0])
        return float(self.n_minus * max(firm_unit_groups(self).values(), default=0.0))

    @property
    def firm_requirement_mw(self) -> float:
        """Firm capacity the plan must hold [MW]; 0 without the firm-capacity rule.

        ``peak (1 - curtailable) (1 + margin) + contingency``: paused compute does not need
        firm supply.
        """
        if not self.firm_capacity:
            return 0.0
        firm_peak = self.peak_load_mw * (1.0 - self.curtailable_fraction)
        return firm_peak * (1.0 + self.reserve_margin) + self.contingency_mw


def firm_unit_groups(inputs: ModelInputs) -> dict[str, float]:
    """The most firm capacity one unit failure of each allowed firm technology can take
    [MW], by capacity group: its capacity credit times its unit size, or times its
    ``p_nom_max`` where that is smaller.

    Variants of one technology (its NOx controls) are one group: the same machines.
    """
    units: dict[str, float] = {}
    for g in inputs.generators:
        if g.capacity_credit > 0 and g.p_nom_max > 0:
            loss = g.capacity_credit * min(g.unit_size_mw, g.p_nom_max)
            units[g.group_key] = max(units.get(g.group_key, 0.0), loss)
    return units
