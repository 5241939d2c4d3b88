"""The dashboard in headless Chromium, served by a real uvicorn on a random loopback port."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from aip.web import WebSettings, create_app

pytestmark = pytest.mark.browser


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture
def server(tmp_path: Path) -> Iterator[str]:
    import uvicorn

    port = _free_port()
    app = create_app(WebSettings(db=tmp_path / "jobs.db", max_workers=1))
    config = uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning")
    srv = uvicorn.Server(config)
    thread = threading.Thread(target=srv.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not srv.started:
        assert time.monotonic() < deadline, "uvicorn did not start"
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        srv.should_exit = True
        thread.join(20)


@pytest.mark.slow
def test_dashboard_plans_and_shows_charts(server: str, chromium_launch: dict[str, Any]) -> None:
    sync_api = pytest.importorskip("playwright.sync_api", reason="needs playwright")
    with sync_api.sync_playwright() as pw:
        browser = pw.chromium.launch(**chromium_launch)
        try:
            page = browser.new_page(viewport={"width": 1300, "height": 900})
            problems: list[str] = []
            requests: list[str] = []
            page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
            page.on("pageerror", lambda e: problems.append(str(e)))
            page.on("request", lambda r: requests.append(r.url))
            page.goto(server + "/", wait_until="load")
            page.wait_for_selector("#map circle.site[data-key=ashburn]")
            page.click("#map circle.site[data-key=ashburn]")
            assert page.input_value("#station") == "ashburn"
            page.select_option("#accelerator", "h200")
            page.fill("#count", "60000")
            page.select_option("#profile", "inference")
            page.select_option("#cooling", "evaporative")
            page.fill("#grid-mw", "150")
            page.fill("#n-minus", "0")
            page.fill("#name", "browser-loudoun")
            page.click("#run")
            page.wait_for_selector("#chart-capacity .main-svg", timeout=60_000)
            page.wait_for_selector("#numbers .number")
            status = page.text_content("#status") or ""
            numbers = page.eval_on_selector_all("#numbers .number .v", "els => els.length")
            traces = page.eval_on_selector_all(".chart .cartesianlayer .trace", "els => els.length")
            past = page.text_content("#jobs tbody") or ""
            resolution = page.text_content("#numbers") or ""
            # the same plan screened on typical days
            page.fill("#typical-days", "6")
            page.check("#check-full-year")
            page.check("#calibrate-targets")
            page.check("#technologies input[value=pv]")  # 30 % CFE needs more than the grid
            page.fill("#cfe", "0.3")
            page.fill("#name", "browser-screen")
            page.click("#run")
            page.wait_for_selector("#numbers .v:has-text('typical days')", timeout=60_000)
            screened = page.text_content("#status") or ""
            checked = page.text_content("#numbers") or ""
        finally:
            browser.close()
    assert problems == []
    assert all(u.startswith(server) for u in requests), requests
    assert "optimal" in status and numbers >= 8 and traces > 0
    assert "browser-loudoun" in past
    assert "8760 h" in resolution
    assert "browser-screen" in screened and "optimal" in screened
    assert "Screened plan over 8760 h" in checked and "Targets over 8760 h" in checked
    assert "Targets screened at (calibrated)" in checked and "min_cfe_share 0.3" in checked
