"""Accelerators to IT load to facility load."""

from aip.demand.load import facility_load_mw, inference_shape, it_load_mw

__all__ = ["facility_load_mw", "inference_shape", "it_load_mw"]
