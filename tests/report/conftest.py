"""Plan output folders for report tests: a small hand-built plan and a real example."""

from __future__ import annotations

import contextlib
import io
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from aip.cli import main
from aip.optimize.run import optimize
from aip.results.export import write_plan
from aip.results.plan import PlanResult

ROOT = Path(__file__).parents[2]
sys.path.insert(0, str(ROOT / "tests" / "plot"))
from small_plan import small_inputs  # noqa: E402  (one definition, in tests/plot)


@pytest.fixture(scope="session")
def small_plan() -> PlanResult:
    return optimize(small_inputs(), gpus=1000)


@pytest.fixture(scope="session")
def small_dir(small_plan: PlanResult, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("small-plan")
    write_plan(small_plan, out)
    return out


def run_cli(*args: str) -> tuple[int, str, str]:
    """Run ``aip ARGS`` in this process through the console entry point.

    Returns the exit code, stdout and stderr. In-process to keep the tests fast
    (a subprocess pays about 2 s of imports per call); tests/cli covers the
    installed command.
    """
    out, err = io.StringIO(), io.StringIO()
    argv = sys.argv
    sys.argv = ["aip", *args]
    code = 0
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            main()
    except SystemExit as exc:
        code = int(exc.code or 0)
    finally:
        sys.argv = argv
    return code, out.getvalue(), err.getvalue()


@pytest.fixture(scope="session")
def aip_cli() -> Callable[..., tuple[int, str, str]]:
    """:func:`run_cli` for tests."""
    return run_cli


@pytest.fixture(scope="session")
def example_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """``aip plan examples/loudoun-grid.yaml --out DIR --report``."""
    out = tmp_path_factory.mktemp("loudoun")
    code, stdout, stderr = run_cli(
        "plan", str(ROOT / "examples" / "loudoun-grid.yaml"), "--out", str(out), "--report"
    )
    assert code == 0, stderr
    assert "wrote report:" in stdout and (out / "report.html").is_file()
    return out
