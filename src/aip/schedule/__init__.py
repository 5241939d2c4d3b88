"""Time to power: staged build over periods with lead times, grid steps and compute tranches.

See docs/time-to-power.md. :func:`plan_schedule` is what :func:`aip.plan` calls for
a scenario with a ``timeline`` section.
"""

from aip.schedule.result import ScheduleResult
from aip.schedule.run import plan_schedule, reduction_check

__all__ = ["ScheduleResult", "plan_schedule", "reduction_check"]
