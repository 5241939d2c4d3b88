"""Typed plan results, cost and emission accounting, file export."""

from aip.results.plan import LoadSummary, PlanResult, SolveStats

__all__ = ["LoadSummary", "PlanResult", "SolveStats"]
