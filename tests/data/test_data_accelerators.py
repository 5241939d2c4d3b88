"""Accelerator catalogue: per-GPU values derived from the system rows."""

from __future__ import annotations

import pytest

from aip.data import accelerators_frame, get_accelerator, load_accelerators
from aip.errors import UnknownNameError

KEYS = {"h100", "h200", "b200", "gb200", "mi300x", "dgx-h100", "dgx-h200", "dgx-b200",
        "gb200-nvl72"}  # fmt: skip


def test_keys() -> None:
    assert set(load_accelerators()) == KEYS
    assert set(accelerators_frame().index) == KEYS


@pytest.mark.parametrize(
    ("key", "watts"),
    [
        ("h100", 10_200 / 8),  # DGX H100 max input power / 8 GPUs
        ("h200", 10_200 / 8),
        ("b200", 14_300 / 8),  # DGX B200
        ("gb200", 120_000 / 72),  # NVL72 rack
        ("mi300x", 750 * 10_200 / (8 * 700)),  # assumption: DGX H100 all-in/board ratio
    ],
)
def test_all_in_power(key: str, watts: float) -> None:
    assert get_accelerator(key).it_power_w_per_gpu == pytest.approx(watts, rel=1e-12)


def test_systems_multiply_to_unit_power() -> None:
    assert get_accelerator("dgx-h100").gpus_per_unit == 8
    nvl = get_accelerator("gb200-nvl72")
    assert nvl.gpus_per_unit * nvl.it_power_w_per_gpu == pytest.approx(120_000.0)
    dgx = get_accelerator("DGX-B200")
    assert dgx.gpus_per_unit * dgx.bf16_dense_tflops == pytest.approx(18_000.0)  # CSV row


def test_chip_figures() -> None:
    h100 = get_accelerator("h100")
    assert (h100.chip_tdp_w, h100.bf16_dense_tflops, h100.fp8_dense_tflops) == (
        700.0, 989.0, 1979.0,
    )  # fmt: skip
    assert get_accelerator("dgx-h200").memory_gb == 141.0
    assert get_accelerator("mi300x").confidence == "low"


def test_unknown_accelerator() -> None:
    with pytest.raises(UnknownNameError, match="known: b200, dgx-b200"):
        get_accelerator("tpu-v5")
