"""One HTTP GET for the online weather loaders, with failures as one-line OnlineDataError.

``requests`` does the work; this wrapper only words failures the aip way (what was asked,
what went wrong, how to fix it) and keeps secrets such as API keys out of messages.
"""

from __future__ import annotations

from collections.abc import Mapping

import requests

from aip.errors import OnlineDataError

#: The fix every online failure can fall back on.
OFFLINE_FIX = "check the network connection, or use a local EPW file with site.weather_file"


def scrub(text: str, secrets: tuple[str, ...]) -> str:
    """``text`` with every non-empty secret replaced by ``***``."""
    for secret in secrets:
        if secret:
            text = text.replace(secret, "***")
    return text


def fetch_text(
    url: str,
    params: Mapping[str, str | float | int],
    *,
    what: str,
    timeout: float,
    detail_key: str,
    fix: str,
    secrets: tuple[str, ...] = (),
) -> str:
    """GET ``url`` and return the body; raise :class:`OnlineDataError` on any failure.

    Parameters
    ----------
    what : str
        The request in words, for messages (``"PVGIS TMY request for (35.0, -90.0)"``).
    detail_key : str
        JSON key of the service's error text in a failed answer.
    fix : str
        How to fix an HTTP error the service reported (bad key, coordinates...).
    secrets : tuple of str
        Values never to show in a message.
    """
    try:
        response = requests.get(url, params=dict(params), timeout=timeout)
    except requests.RequestException as exc:
        raise OnlineDataError(
            f"{what} failed: {type(exc).__name__}: {scrub(str(exc), secrets)[:160]}; "
            f"fix: {OFFLINE_FIX}"
        ) from None
    if not response.ok:
        try:
            detail = str(response.json().get(detail_key, ""))
        except ValueError:
            detail = response.text[:160]
        raise OnlineDataError(
            f"{what} answered HTTP {response.status_code}: {scrub(detail, secrets)}; fix: {fix}"
        )
    return response.text
