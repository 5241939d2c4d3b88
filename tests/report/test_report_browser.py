"""The report in a real browser: headless Debian Chromium driven by Playwright."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

pytestmark = pytest.mark.browser


@pytest.mark.slow
def test_report_renders_offline_without_errors(
    example_dir: Path, chromium_launch: dict[str, Any]
) -> None:
    sync_api = pytest.importorskip("playwright.sync_api", reason="needs the playwright package")
    report = example_dir / "report.html"
    with sync_api.sync_playwright() as pw:
        browser = pw.chromium.launch(**chromium_launch)
        try:
            page = browser.new_page(viewport={"width": 1200, "height": 900})
            problems: list[str] = []
            requests: list[str] = []
            page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
            page.on("pageerror", lambda e: problems.append(str(e)))
            page.on("request", lambda r: requests.append(r.url))
            page.goto(report.as_uri(), wait_until="load")
            page.wait_for_function(
                "document.querySelectorAll('.js-plotly-plot .main-svg').length > 0"
            )
            charts = page.eval_on_selector_all(
                ".js-plotly-plot",
                """els => els.map(e => ({
                    id: e.id,
                    svg: e.querySelectorAll('.main-svg').length,
                    traces: e.querySelectorAll('.cartesianlayer .trace').length,
                    marks: e.querySelectorAll('.cartesianlayer .trace path').length,
                    width: e.getBoundingClientRect().width,
                    height: e.getBoundingClientRect().height}))""",
            )
        finally:
            browser.close()
    assert problems == []
    assert [u for u in requests if u != report.as_uri()] == []
    ids = {c["id"] for c in charts}
    assert {"fig-capacity", "fig-dispatch", "fig-duration", "fig-costs", "fig-emissions"} <= ids
    for chart in charts:
        assert chart["svg"] > 0 and chart["traces"] > 0 and chart["marks"] > 0, chart
        assert chart["width"] > 300 and chart["height"] > 200, chart
