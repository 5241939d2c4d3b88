"""Nothing lost: a plan writer killed at any moment leaves only complete files.

A child process writes plans into one folder in a loop. The parent freezes it
(SIGSTOP) at seeded random moments, checks the folder, lets it go on (SIGCONT), and
ends with a real SIGKILL. A frozen process's files are exactly what a SIGKILL at that
instant would leave behind (the kernel holds the same page cache either way), so each
freeze is one kill test at the cost of a few milliseconds instead of a new process.
"""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "loudoun-grid.yaml"

CHILD = """
import sys, aip
from aip.results.export import write_plan
result = aip.plan(sys.argv[1])
write_plan(result, sys.argv[2])
print("ready", flush=True)
while True:
    write_plan(result, sys.argv[2])
"""


def _check_complete(out: Path) -> None:
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    inputs = json.loads((out / "inputs.json").read_text(encoding="utf-8"))
    assert summary and inputs["n_snapshots"] == 8760
    lines = (out / "hourly.csv").read_text(encoding="utf-8").splitlines()
    assert len(lines) == 8761  # header + one row per hour
    width = lines[0].count(",")
    assert lines[-1].count(",") == width  # the last row is whole


@pytest.mark.slow
def test_writer_killed_at_random_moments(tmp_path: Path) -> None:
    out = tmp_path / "plan"
    child = subprocess.Popen(
        [sys.executable, "-c", CHILD, str(EXAMPLE), str(out)],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert child.stdout is not None and child.stdout.readline().strip() == "ready"
        rng = random.Random(14)  # seeded: the same freeze moments on every run
        for _ in range(40):
            time.sleep(rng.uniform(0.0, 0.05))
            os.kill(child.pid, signal.SIGSTOP)
            try:
                _check_complete(out)
            finally:
                os.kill(child.pid, signal.SIGCONT)
        time.sleep(rng.uniform(0.0, 0.05))
        child.kill()  # SIGKILL mid-loop
        child.wait(timeout=30)
        _check_complete(out)
    finally:
        if child.poll() is None:
            child.kill()
            child.wait(timeout=30)
        if child.stdout is not None:
            child.stdout.close()


@pytest.mark.slow
def test_cli_plan_killed_keeps_previous_outputs(tmp_path: Path) -> None:
    """`aip plan --out DIR` killed before or while writing leaves complete files."""
    out = tmp_path / "plan"
    cmd = [sys.executable, "-m", "aip", "plan", str(EXAMPLE), "--out", str(out), "--json"]
    subprocess.run(cmd, check=True, capture_output=True, timeout=300)
    _check_complete(out)
    rng = random.Random(41)
    for _ in range(2):
        proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(rng.uniform(0.5, 3.0))
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=30)
        _check_complete(out)
