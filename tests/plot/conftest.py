"""A small solved plan with every kind of dispatch the figures draw."""

from __future__ import annotations

import pytest
from small_plan import small_inputs

from aip.optimize.run import optimize
from aip.plot import PlanView, from_result
from aip.results.plan import PlanResult


@pytest.fixture(scope="session")
def small_result() -> PlanResult:
    return optimize(small_inputs(), gpus=1000)


@pytest.fixture(scope="session")
def small_view(small_result: PlanResult) -> PlanView:
    return from_result(small_result)
