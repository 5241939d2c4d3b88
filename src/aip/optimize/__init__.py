"""The campus model: one function per constraint family, build -> solve -> extract."""

from aip.optimize.build import FAMILIES, build_model
from aip.optimize.inputs import (
    GeneratorInputs,
    GridInputs,
    ModelInputs,
    StorageInputs,
    capital_recovery_factor,
)
from aip.optimize.run import optimize
from aip.optimize.solve import SolveOutcome, TerminationStatus

__all__ = [
    "FAMILIES",
    "GeneratorInputs",
    "GridInputs",
    "ModelInputs",
    "SolveOutcome",
    "StorageInputs",
    "TerminationStatus",
    "build_model",
    "capital_recovery_factor",
    "optimize",
]
