"""The results store: one DuckDB file, one row per case, written only by the parent.

Table ``cases``: ``case_id`` (primary key), ``sweep``, ``case_index``, ``status``
(``ok``/``failed``), ``error``, ``seconds``, one typed column per varied input
(named by its dotted path), ``params_json`` and ``scenario_json`` (the case's set
fields, enough to re-run it), and the summary outputs (``objective_usd_per_year``,
``p_nom_mw.<tech>``, ...; columns are added as new names appear). Table
``runs`` logs each invocation.

Rows are written in transactions of whole batches, so a killed sweep leaves
the file at its last commit: finished cases are kept, in-flight ones are lost,
and nothing is half-written. Hourly dispatch goes to one Parquet file per case
beside the database, written (atomically, by rename) before its row commits.
"""

from __future__ import annotations

import json
import os
import time
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd

from aip.errors import DataError
from aip.sweep.cases import Case
from aip.sweep.worker import CaseOutcome

_FIXED = {
    "case_id": "VARCHAR PRIMARY KEY",
    "sweep": "VARCHAR",
    "case_index": "BIGINT",
    "status": "VARCHAR",
    "error": "VARCHAR",
    "seconds": "DOUBLE",
    "hourly_file": "VARCHAR",
    "params_json": "VARCHAR",
    "scenario_json": "VARCHAR",
}
_TEXT_OUTPUTS = {"warm_start", "worker"}
_INT_OUTPUTS = {"simplex_iterations", "snapshots"}


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def hourly_folder(db: Path) -> Path:
    """Where a store keeps its per-case hourly Parquet files."""
    return db.with_name(db.stem + "_hourly")


class ResultStore:
    """An open results database (the parent process's single writer)."""

    def __init__(self, db: str | Path, input_types: dict[str, str]) -> None:
        self.path = Path(db)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        try:
            self.con = duckdb.connect(str(self.path))
        except duckdb.Error as exc:
            raise DataError(
                f"results store {str(self.path)!r} cannot be opened for writing "
                f"({_one_line(exc)}); fix: wait for the sweep using it, or choose another --db"
            ) from None
        columns = {**_FIXED, **input_types}
        body = ", ".join(f"{_quote(k)} {v}" for k, v in _FIXED.items())
        self.con.execute(f"CREATE TABLE IF NOT EXISTS cases ({body})")
        self.con.execute(
            "CREATE TABLE IF NOT EXISTS runs (sweep VARCHAR, started DOUBLE, engine VARCHAR, "
            "workers BIGINT, cases BIGINT, skipped BIGINT)"
        )
        self._columns = set(self._existing_columns())
        self._add_columns({k: v for k, v in columns.items() if k not in _FIXED})

    def _existing_columns(self) -> list[str]:
        rows = self.con.execute(
            "SELECT column_name FROM information_schema.columns WHERE table_name = 'cases'"
        ).fetchall()
        return [r[0] for r in rows]

    def _add_columns(self, types: dict[str, str]) -> None:
        for name, kind in types.items():
            if name not in self._columns:
                self.con.execute(
                    f"ALTER TABLE cases ADD COLUMN IF NOT EXISTS {_quote(name)} {kind}"
                )
                self._columns.add(name)

    def finished(self, include_failed: bool = True) -> set[str]:
        """Ids of cases already recorded (``ok``, and ``failed`` unless excluded)."""
        where = "" if include_failed else " WHERE status = 'ok'"
        return {r[0] for r in self.con.execute(f"SELECT case_id FROM cases{where}").fetchall()}

    def log_run(self, sweep: str, engine: str, workers: int, cases: int, skipped: int) -> None:
        self.con.execute(
            "INSERT INTO runs VALUES (?, ?, ?, ?, ?, ?)",
            [sweep, time.time(), engine, workers, cases, skipped],
        )

    def write(self, sweep: str, batch: list[tuple[Case, CaseOutcome]]) -> None:
        """Record a batch of outcomes in one transaction (replacing rows with the same id)."""
        if not batch:
            return
        rows = [self._row(sweep, case, outcome) for case, outcome in batch]
        new = {}
        for row in rows:
            for key, value in row.items():
                if key not in self._columns and key not in new:
                    new[key] = _sql_type(key, value)
        frame = pd.DataFrame(rows)
        self.con.execute("BEGIN TRANSACTION")
        try:
            self._add_columns(new)
            self.con.register("aip_batch", frame)
            self.con.execute("INSERT OR REPLACE INTO cases BY NAME SELECT * FROM aip_batch")
            self.con.unregister("aip_batch")
            self.con.execute("COMMIT")
        except BaseException:  # Ctrl-C too: an open transaction would refuse the next write
            self.con.execute("ROLLBACK")
            self._columns = set(self._existing_columns())
            raise

    def _row(self, sweep: str, case: Case, outcome: CaseOutcome) -> dict[str, Any]:
        row: dict[str, Any] = {
            "case_id": case.case_id,
            "sweep": sweep,
            "case_index": case.index,
            "status": outcome.status,
            "error": outcome.error,
            "seconds": outcome.seconds,
            "hourly_file": None,
            "params_json": json.dumps(case.params, sort_keys=True),
            "scenario_json": json.dumps(case.scenario, sort_keys=True, default=str),
            **{k: _cell(v) for k, v in case.params.items()},
            **outcome.outputs,
        }
        if outcome.hourly is not None:
            row["hourly_file"] = str(self._write_hourly(case.case_id, outcome.hourly))
        return row

    def _write_hourly(self, case_id: str, frame: pd.DataFrame) -> Path:
        folder = hourly_folder(self.path)
        folder.mkdir(parents=True, exist_ok=True)
        target = folder / f"{case_id}.parquet"
        partial = folder / f".{case_id}.{os.getpid()}.tmp"
        self.con.register("aip_hourly", frame)
        try:
            where = str(partial).replace("'", "''")
            self.con.execute(f"COPY aip_hourly TO '{where}' (FORMAT parquet)")
        finally:
            self.con.unregister("aip_hourly")
        os.replace(partial, target)
        return target

    def close(self) -> None:
        self.con.close()


def _cell(value: Any) -> Any:
    """Store mapping and list inputs as JSON text."""
    return json.dumps(value, sort_keys=True) if isinstance(value, dict | list) else value


def _sql_type(name: str, value: Any) -> str:
    if name in _TEXT_OUTPUTS or isinstance(value, str):
        return "VARCHAR"
    if name in _INT_OUTPUTS:
        return "BIGINT"
    return "DOUBLE"


def _one_line(exc: BaseException) -> str:
    return " ".join(str(exc).split())


def read_results(db: str | Path, sql: str | None = None) -> pd.DataFrame:
    """Query a sweep's results store.

    Parameters
    ----------
    db : str or Path
        The DuckDB file written by :func:`aip.sweep.run_sweep`.
    sql : str, optional
        Any DuckDB query over the tables ``cases`` and ``runs``; dotted column
        names need double quotes (``"p_nom_mw.pv"``). Default: every case in order.

    Returns
    -------
    DataFrame

    Raises
    ------
    DataError
        Missing file, a store in use by a running sweep, or an invalid query.

    Examples
    --------
    >>> read_results("missing.duckdb")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    aip.errors.DataError: results store 'missing.duckdb' not found; ...
    """
    path = Path(db)
    if not path.is_file():
        raise DataError(
            f"results store {str(path)!r} not found; fix: give the --db file of a sweep"
        )
    try:
        con = duckdb.connect(str(path), read_only=True)
    except duckdb.Error as exc:
        raise DataError(
            f"results store {str(path)!r} cannot be opened ({_one_line(exc)}); fix: wait for "
            "the sweep writing it to finish, or query a copy of the file"
        ) from None
    try:
        return con.execute(sql or "SELECT * FROM cases ORDER BY sweep, case_index").df()
    except duckdb.Error as exc:
        raise DataError(f"query failed: {_one_line(exc)}; fix: correct the SQL") from None
    finally:
        con.close()
