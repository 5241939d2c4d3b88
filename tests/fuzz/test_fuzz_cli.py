"""The CLI on hostile input (subprocess): one line on stderr, exit status 2, no traceback."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from conftest import count

AIP = [sys.executable, "-m", "aip"]

CASES: dict[str, bytes | None] = {
    "missing": None,  # no file at all
    "empty.yaml": b"",
    "binary.yaml": bytes(range(256)) * 4,
    "syntax.yaml": b"name: [unclosed\nsite: {",
    "list.yaml": b"- 1\n- 2\n",
    "typo.yaml": b"name: x\nsite: {station: memphis}\ncompute: {accelerator: h100, count: 10,"
    b" utilisation: 0.5}\n",
    "nan.yaml": b"name: x\nsite: {station: memphis}\ncompute: {accelerator: h100, count: .nan}\n",
    "huge.json": b'{"name": "x", "site": {"station": "memphis"}, "compute": {"accelerator": '
    b'"h100", "count": 1e400}}',
    "station.yaml": "name: x\nsite: {station: mémphis}\ncompute: {accelerator: h100, count: 1}\n"
    "".encode(),
    "weather.yaml": b"name: x\nsite: {weather_file: junk.epw}\ncompute: {accelerator: h100,"
    b" count: 1}\n",
}


def test_cli_errors_are_one_line(tmp_path: Path) -> None:
    (tmp_path / "junk.epw").write_bytes(b"\x00\x01 not an epw")
    procs = {}
    for name, content in CASES.items():
        path = tmp_path / name
        if content is not None:
            path.write_bytes(content)
        # all at once: each run pays the interpreter start-up, not the others' as well
        procs[name] = subprocess.Popen(
            [*AIP, "plan", str(path), "--json"],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            cwd=tmp_path,
        )
    for name, proc in procs.items():
        stdout, stderr = proc.communicate(timeout=120)
        count("cli")
        text = stderr.decode("utf-8", "replace").strip()
        assert proc.returncode == 2, (name, proc.returncode, text)
        assert "Traceback" not in text, (name, text)
        assert len(text.splitlines()) == 1, (name, text)
        assert stdout == b"", name  # --json: nothing but JSON on stdout, and no JSON on error
