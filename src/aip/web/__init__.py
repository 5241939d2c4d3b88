"""Web app and HTTP API: plan campuses in the browser or from other tools.

``aip serve`` runs :func:`create_app` under uvicorn; see docs/web.md for the API,
the job lifecycle, limits and security.
"""

from aip.web.app import create_app
from aip.web.serve import serve
from aip.web.settings import WebSettings

__all__ = ["WebSettings", "create_app", "serve"]
