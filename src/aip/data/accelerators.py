"""Catalogue of AI accelerators and systems: power and peak throughput.

Values come from ``hardware/accelerators.csv`` (vendor datasheet figures, cross-checked
against secondary pages; see ``SOURCES.md``). All throughput, memory and power fields are
**per GPU**, for GPU and system keys alike; multiply by ``gpus_per_unit`` for a unit.

Examples
--------
>>> from aip.data.accelerators import get_accelerator
>>> get_accelerator("h100").it_power_w_per_gpu
1275.0
"""

from __future__ import annotations

import functools
from dataclasses import asdict, dataclass

import pandas as pd

from aip.data.bundle import read_bundled_csv
from aip.errors import DataError, UnknownNameError


@dataclass(frozen=True)
class Accelerator:
    """One accelerator type or system, with per-GPU power and throughput.

    Attributes
    ----------
    key : str
        Catalogue id, e.g. ``"h100"`` or ``"dgx-h100"``.
    label : str
        Human-readable name.
    gpus_per_unit : int
        GPUs in one unit (1 for a GPU key, 8 for a DGX, 72 for an NVL72 rack).
    it_power_w_per_gpu : float
        All-in IT power per GPU at full load, including host CPUs, NICs, fans and
        power-supply losses, derived from the vendor's maximum system power [W].
    chip_tdp_w : float
        Accelerator thermal design (board) power [W].
    bf16_dense_tflops, fp8_dense_tflops : float
        Peak dense tensor throughput per GPU [TFLOP/s] (no structured sparsity).
    memory_gb : float
        Accelerator memory per GPU [GB].
    source : str
        Where each value comes from and how it was derived.
    confidence : str
        ``"high"``, ``"medium"`` or ``"low"`` (from the CSV; the lowest of the inputs).
    """

    key: str
    label: str
    gpus_per_unit: int
    it_power_w_per_gpu: float
    chip_tdp_w: float
    bf16_dense_tflops: float
    fp8_dense_tflops: float
    memory_gb: float
    source: str
    confidence: str


# key -> (label, CSV row giving the per-GPU chip figures, CSV row giving the system power
#         or None, GPUs per unit). All-in power per GPU = max system input power / GPUs.
_DGX_HOPPER = "NVIDIA DGX H100 / DGX H200"
_H100 = "NVIDIA H100 SXM5 80GB"
_H200 = "NVIDIA H200 SXM 141GB"
_B200 = "NVIDIA B200 (HGX B200)"
_GB200 = "NVIDIA GB200 NVL72 (per GPU)"
_NVL72 = "NVIDIA GB200 NVL72"
_ROWS: dict[str, tuple[str, str, str | None, int]] = {
    "h100": ("NVIDIA H100 SXM5 80GB", _H100, _DGX_HOPPER, 1),
    "h200": ("NVIDIA H200 SXM 141GB", _H200, _DGX_HOPPER, 1),
    "b200": ("NVIDIA B200 (HGX B200)", _B200, "NVIDIA DGX B200", 1),
    "gb200": ("NVIDIA GB200 (in NVL72)", _GB200, _NVL72, 1),
    "mi300x": ("AMD Instinct MI300X", "AMD Instinct MI300X", None, 1),
    "dgx-h100": ("NVIDIA DGX H100 (8x H100)", _H100, _DGX_HOPPER, 8),
    "dgx-h200": ("NVIDIA DGX H200 (8x H200)", _H200, _DGX_HOPPER, 8),
    "dgx-b200": ("NVIDIA DGX B200 (8x B200)", _B200, "NVIDIA DGX B200", 8),
    "gb200-nvl72": ("NVIDIA GB200 NVL72 rack (72x GB200)", _GB200, _NVL72, 72),
}

_CONFIDENCE_ORDER = {"low": 0, "medium": 1, "high": 2}
_Record = dict[str, str]


def _lowest(*levels: str) -> str:
    return min(levels, key=lambda level: _CONFIDENCE_ORDER.get(level, 0))


def _num(rec: _Record, column: str) -> float:
    return float(rec[column])


def _all_in_power(
    rows: dict[str, _Record], chip: _Record, system_item: str | None
) -> tuple[float, str, str]:
    """All-in IT power per GPU [W], how it was derived, and its confidence."""
    if system_item is not None:
        system = rows[system_item]
        power = _num(system, "tdp_or_max_power_w") / _num(system, "gpus")
        how = (
            f"all-in power = {system_item} max input {system['tdp_or_max_power_w']} W "
            f"/ {system['gpus']} GPUs"
        )
        return power, how, _lowest(chip["confidence"], system["confidence"])
    # MI300X: the CSV gives only the board power (750 W); it says a full 8-GPU server is
    # vendor-dependent and unsourced. Assumption: the DGX H100 all-in/board ratio
    # (10,200 W / (8 x 700 W) = 1.821), both being 8-GPU OAM/SXM servers with two host
    # CPUs and similar networking. See SOURCES.md.
    dgx, h100 = rows[_DGX_HOPPER], rows[_H100]
    ratio = _num(dgx, "tdp_or_max_power_w") / (_num(dgx, "gpus") * _num(h100, "tdp_or_max_power_w"))
    how = (
        f"all-in power = assumption: board power x {ratio:.4f} (DGX H100 all-in/board "
        "ratio; no sourced MI300X server power)"
    )
    return _num(chip, "tdp_or_max_power_w") * ratio, how, "low"


@functools.lru_cache(maxsize=1)
def _catalogue() -> dict[str, Accelerator]:
    table = read_bundled_csv("hardware/accelerators.csv").astype(str).set_index("item")
    rows: dict[str, _Record] = {
        str(item): {str(k): str(v) for k, v in rec.items()}
        for item, rec in table.to_dict(orient="index").items()
    }
    out: dict[str, Accelerator] = {}
    try:
        for key, (label, chip_item, system_item, per_unit) in _ROWS.items():
            chip = rows[chip_item]
            power, how, confidence = _all_in_power(rows, chip, system_item)
            out[key] = Accelerator(
                key=key,
                label=label,
                gpus_per_unit=per_unit,
                it_power_w_per_gpu=power,
                chip_tdp_w=_num(chip, "tdp_or_max_power_w"),
                bf16_dense_tflops=_num(chip, "bf16_dense_tflops"),
                fp8_dense_tflops=_num(chip, "fp8_dense_tflops"),
                memory_gb=_num(chip, "memory_gb"),
                source=f"hardware/accelerators.csv row {chip_item!r} "
                f"({chip['primary_source']}); {how}",
                confidence=confidence,
            )
    except (KeyError, ValueError) as exc:
        raise DataError(f"hardware/accelerators.csv lacks an expected row or value: {exc}") from exc
    return out


def load_accelerators() -> dict[str, Accelerator]:
    """All catalogued accelerators and systems, keyed by id.

    Examples
    --------
    >>> sorted(load_accelerators())[:3]
    ['b200', 'dgx-b200', 'dgx-h100']
    """
    return dict(_catalogue())


def get_accelerator(key: str) -> Accelerator:
    """Look up an accelerator or system by id (case-insensitive).

    Raises
    ------
    aip.errors.UnknownNameError
        If the id is unknown; the message lists the known ids.

    Examples
    --------
    >>> acc = get_accelerator("GB200-NVL72")
    >>> acc.gpus_per_unit * acc.it_power_w_per_gpu  # one rack [W]
    120000.0
    """
    catalogue = _catalogue()
    norm = str(key).strip().lower().replace("_", "-")
    if norm not in catalogue:
        raise UnknownNameError(
            "accelerator", str(key), list(catalogue), field="compute.accelerator"
        )
    return catalogue[norm]


def accelerators_frame() -> pd.DataFrame:
    """The accelerator catalogue as a table, one row per id, indexed by ``key``."""
    return pd.DataFrame([asdict(a) for a in _catalogue().values()]).set_index("key")
