"""aip: the AI Infrastructure Planner, from GPUs to gigawatts to dollars.

Examples
--------
>>> import aip
>>> result = aip.plan("examples/colossus-memphis.yaml")  # doctest: +SKIP
>>> result.p_nom_mw  # doctest: +SKIP
"""

from aip.api import hourly_profiles, model_inputs, plan
from aip.errors import AipError, InfeasibleError, ScenarioError
from aip.results import PlanResult
from aip.schema import Scenario, load_scenario, parse_scenario

__version__ = "0.1.0"

__all__ = [
    "AipError",
    "InfeasibleError",
    "PlanResult",
    "Scenario",
    "ScenarioError",
    "__version__",
    "hourly_profiles",
    "load_scenario",
    "model_inputs",
    "parse_scenario",
    "plan",
]
