"""Run the web app with uvicorn (``aip serve``)."""

from __future__ import annotations

import logging
from pathlib import Path

from aip.errors import AipError
from aip.web.settings import WebSettings

#: Default jobs database, relative to the working folder (visible, easy to delete).
DEFAULT_DB = Path("aip-web") / "jobs.db"


def serve(
    host: str = "127.0.0.1",
    port: int = 8000,
    token: str | None = None,
    db: str | Path | None = None,
    workers: int = 2,
    max_queue: int = 16,
    max_time_limit_s: float = 300.0,
) -> None:
    """Serve the API and dashboard until interrupted.

    Parameters
    ----------
    host : str
        Interface to listen on; anything but loopback needs ``token``.
    port : int
        TCP port.
    token : str, optional
        Bearer token required on every ``/api`` call except health.
    db : str or Path, optional
        SQLite jobs database; default ``aip-web/jobs.db`` in the working folder.
    workers, max_queue : int
        Plans solved at once, and jobs allowed to wait [-].
    max_time_limit_s : float
        Cap on each scenario's solver time limit [s].

    Raises
    ------
    ScenarioError
        A non-loopback host without a token, or an invalid limit.
    """
    try:
        import uvicorn

        from aip.web.app import create_app
    except ImportError as exc:
        raise AipError(
            f"aip serve needs the web extra ({exc.name} is missing); "
            "install it with: pip install 'aip[web]'"
        ) from None

    settings = WebSettings(
        db=Path(db) if db is not None else DEFAULT_DB,
        host=host,
        token=token,
        max_workers=workers,
        max_queue=max_queue,
        max_time_limit_s=max_time_limit_s,
    )
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")
    app = create_app(settings)
    uvicorn.run(app, host=host, port=port, log_level="info", server_header=False)
