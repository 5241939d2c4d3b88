"""What runs inside a job's own process: plan, write the files, draw the figures.

Each job runs in a separate process (see :mod:`aip.web.jobs`) so that a crash,
a memory blow-up or a solver that ignores its time limit takes down only that
job, and the server can kill it. The process talks back only through files in a
server-made folder: ``summary.json``, ``hourly.csv``, ``inputs.json`` and
``figures.json`` on success, ``error.json`` (one-line message and field) on
failure.
"""

from __future__ import annotations

import json
import logging
import traceback
from pathlib import Path
from typing import Any

from aip.api import plan
from aip.errors import AipError
from aip.results.export import to_json, write_plan
from aip.schema import Scenario

log = logging.getLogger("aip.web")

#: Files a successful job leaves behind, all stored in the jobs database.
RESULT_FILES = ("summary.json", "hourly.csv", "inputs.json", "figures.json")


def figures_document(folder: Path) -> dict[str, Any]:
    """The plan's figures as Plotly JSON, by name, in report order.

    Built from the written files (:func:`aip.report.load_plan_dir`) so the dashboard
    shows exactly what the HTML report shows. Figures are an extra: a failure here is
    recorded in the document (``error``) instead of failing the plan.
    """
    try:
        from aip.plot.figures import PLAN_FIGURES
        from aip.report import load_plan_dir

        view = load_plan_dir(folder)
        figures = []
        for name, title, function in PLAN_FIGURES:
            fig = function(view)
            if fig is not None:
                figures.append({"name": name, "title": title, "figure": json.loads(fig.to_json())})
        return {"figures": figures}
    except Exception as exc:  # figures must never cost the user the plan itself
        log.warning("figures failed: %s", exc)
        return {"figures": [], "error": f"figures could not be drawn: {type(exc).__name__}"}


def _one_line(text: str) -> str:
    return " ".join(text.split())[:2000]


def run_job(scenario: Scenario, out_dir: str) -> None:
    """Plan ``scenario`` and write its result files (or ``error.json``) into ``out_dir``.

    The entry point of a job's process; it never raises, so the parent always
    finds either the result files or an ``error.json``.
    """
    out = Path(out_dir)
    try:
        result = plan(scenario)
        write_plan(result, out)
        (out / "figures.json").write_text(json.dumps(figures_document(out)), encoding="utf-8")
    except AipError as exc:
        error = {
            "error": _one_line(str(exc)),
            "field": getattr(exc, "field", None),
            "kind": type(exc).__name__,
        }
        (out / "error.json").write_text(to_json(error), encoding="utf-8")
    except BaseException as exc:
        # Not a user error: keep the traceback in the server log, give the user one line.
        traceback.print_exc()
        error = {
            "error": f"internal error while planning ({type(exc).__name__}); see the server log",
            "field": None,
            "kind": "InternalError",
        }
        (out / "error.json").write_text(to_json(error), encoding="utf-8")
