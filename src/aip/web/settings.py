"""Server settings: where jobs live, how many run, how big a request may be, who may call.

One frozen dataclass, validated once when the server starts, so every limit is
stated in one place and a bad command line fails before a socket opens.
"""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass, field
from pathlib import Path

from aip.errors import ScenarioError

#: Largest scenario body accepted [bytes]; assumption: a scenario with every section and
#: long descriptions is < 100 kB, so 1 MB leaves room without inviting abuse.
MAX_SCENARIO_BYTES = 1_000_000
#: Largest uploaded weather file [bytes]; a full-year EPW is ~1.6 MB, a 1-minute CSV
#: can be larger, so 20 MB (assumption) covers real files.
MAX_UPLOAD_BYTES = 20_000_000


def is_loopback(host: str) -> bool:
    """Whether ``host`` only accepts connections from this machine.

    Examples
    --------
    >>> is_loopback("127.0.0.1"), is_loopback("localhost"), is_loopback("0.0.0.0")
    (True, True, False)
    """
    if host.strip().lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


@dataclass(frozen=True)
class WebSettings:
    """Settings of one ``aip serve`` process.

    Attributes
    ----------
    db : Path
        SQLite file holding jobs and their results.
    upload_dir : Path or None
        Folder for uploaded weather files; default ``<db stem>-uploads`` beside the db.
    host : str
        Interface the server listens on; a non-loopback host needs a token.
    token : str or None
        Bearer token every ``/api`` call (except health) must carry when set.
    max_workers : int
        Plans solved at the same time (one process each) [-].
    max_queue : int
        Jobs waiting beyond the running ones before new ones get HTTP 429 [-].
    max_time_limit_s : float
        Cap on a scenario's ``solver.time_limit_s`` [s].
    prepare_grace_s : float
        Wall time allowed on top of the solver limit for weather, profiles, extraction
        and figures before the job's process is killed [s]. Assumption: 120 s, ~20x the
        slowest bundled example's preparation.
    max_scenario_bytes, max_upload_bytes : int
        Body size limits [bytes].
    """

    db: Path
    upload_dir: Path | None = None
    host: str = "127.0.0.1"
    token: str | None = None
    max_workers: int = 2
    max_queue: int = 16
    max_time_limit_s: float = 300.0
    prepare_grace_s: float = 120.0
    max_scenario_bytes: int = MAX_SCENARIO_BYTES
    max_upload_bytes: int = MAX_UPLOAD_BYTES
    solver_threads: int = field(default=1)

    def __post_init__(self) -> None:
        if self.token is not None and len(self.token.strip()) < 8:
            raise ScenarioError.for_field(
                "--token", "***", "at least 8 characters", "use a long random token"
            )
        if self.token is None and not is_loopback(self.host):
            raise ScenarioError.for_field(
                "--host",
                self.host,
                "a loopback address (127.0.0.1, ::1, localhost) unless --token is given",
                "add --token (or set AIP_TOKEN) to serve on a public interface",
            )
        if not 1 <= self.max_workers <= 64:
            raise ScenarioError.for_field("max_workers", self.max_workers, "an integer in 1..64")
        if not 0 <= self.max_queue <= 10_000:
            raise ScenarioError.for_field("max_queue", self.max_queue, "an integer in 0..10000")
        if not self.max_time_limit_s > 0:
            raise ScenarioError.for_field("max_time_limit_s", self.max_time_limit_s, "> 0")

    @property
    def uploads(self) -> Path:
        """Folder of uploaded weather files (server-controlled names only)."""
        if self.upload_dir is not None:
            return self.upload_dir
        return self.db.with_name(f"{self.db.stem}-uploads")
