"""What a report needs to know about a scenario beyond the plan's numbers.

:func:`scenario_info` is attached to every plan as the ``scenario_info`` section
(by :func:`aip.api.plan`), so ``summary.json`` carries the description, the site
and the data it was planned with, and a report can name its sources.
"""

from __future__ import annotations

from typing import Any

from aip.schema import Scenario
from aip.site import SiteData

SECTION = "scenario_info"


def scenario_info(scenario: Scenario, site: SiteData) -> dict[str, Any]:
    """The scenario's description, site and data choices as a JSON-ready mapping.

    Returns
    -------
    dict
        ``description``; ``site`` (``name``, ``station``, ``latitude`` [deg],
        ``longitude`` [deg], ``us_state``, ``avert_region``, ``weather_source``);
        ``catalog``; ``accelerator``; ``grid_price_kind``.
    """
    return {
        "description": scenario.description,
        "site": {
            "name": site.name,
            "station": scenario.site.station,
            "latitude": site.latitude,
            "longitude": site.longitude,
            "us_state": site.us_state,
            "avert_region": site.avert_region,
            "weather_source": site.weather_source,
        },
        "catalog": scenario.catalog,
        "accelerator": scenario.compute.accelerator,
        "grid_price_kind": scenario.grid.price.kind,
    }
