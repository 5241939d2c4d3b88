"""Assemble the campus LP from its constraint families (build -> solve -> extract)."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from aip.optimize import constraints as c
from aip.optimize.inputs import ModelInputs
from aip.optimize.problem import LinearProblem
from aip.optimize.variables import Variables, add_variables

ConstraintFamily = Callable[[LinearProblem, ModelInputs, Variables], None]

#: Every constraint family in the order rows are added. Optional families add
#: nothing when their target is unset.
FAMILIES: tuple[ConstraintFamily, ...] = (
    c.add_energy_balance,
    c.add_availability,
    c.add_must_run,
    c.add_storage_dynamics,
    c.add_grid_peak,
    c.add_firm_capacity,
    c.add_capacity_groups,
    c.add_co2_cap,
    c.add_nox_cap,
    c.add_clean_share,
    c.add_cfe_share,
    c.add_curtailment_limit,
    c.add_unserved_limit,
)


def build_model(inputs: ModelInputs) -> tuple[LinearProblem, Variables]:
    """Create variables and all constraint families for ``inputs``.

    Examples
    --------
    >>> from aip.optimize.examples import two_hour_example
    >>> lp, v = build_model(two_hour_example())
    >>> sorted(lp.rows)[:2]
    ['availability[gas_aero]', 'availability[pv]']
    """
    lp = LinearProblem()
    variables = add_variables(lp, inputs)
    for family in FAMILIES:
        family(lp, inputs, variables)
    v = variables
    lp.linking = np.concatenate(
        [v.p_nom, v.storage_p_nom, v.storage_e_nom, v.grid_peak, v.unit_loss]
    )
    return lp, variables
