"""Writing files so that a crash never leaves a half-written one behind.

One way to write for the whole package: text goes to a temporary file in the target's
folder and is renamed over the target (:func:`os.replace` is atomic on POSIX and
Windows). A set of files that belong together (a plan's ``summary.json``,
``hourly.csv`` and ``inputs.json``) is written into a staging folder and swapped in
with two renames; :func:`recover_directory` repairs the one window where a kill can
leave the folder renamed away.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Mapping
from pathlib import Path

from aip.errors import ScenarioError


def check_output_file(path: Path, field: str = "output file") -> None:
    """Raise :class:`ScenarioError` if ``path`` cannot be an output file (it is a folder,
    or a folder on its way is a file); commands check before they compute.

    Examples
    --------
    >>> check_output_file(Path("."), "--out")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    aip.errors.ScenarioError: --out = '.': must be a file path, not a folder; fix: ...
    """
    if path.is_dir():
        raise ScenarioError.for_field(
            field,
            str(path),
            "a file path, not a folder",
            f"name a file in it, e.g. {path / ('out.html' if 'html' in field else 'out.csv')}",
        )
    for parent in path.parents:
        if parent.exists() and not parent.is_dir():
            raise ScenarioError.for_field(
                field, str(path), "a path inside folders", f"{parent} is a file; pick another path"
            )


def _unwritable(path: Path, exc: OSError) -> ScenarioError:
    return ScenarioError(
        f"cannot write {str(path)!r}: {exc.strerror or exc}; fix: choose a folder you may "
        "write to, on a disk with room"
    )


def write_atomic(path: Path, text: str, mode: int = 0o644) -> Path:
    """Write ``text`` to ``path`` atomically; create the folder when needed.

    ``mode`` sets the file's permissions (``mkstemp`` creates 0600 files; outputs are
    meant to be shared). Returns ``path``.

    Raises
    ------
    ScenarioError
        ``path`` is a folder, or it cannot be written (permissions, a full disk).
    """
    check_output_file(path)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    except OSError as exc:
        raise _unwritable(path, exc) from exc
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, mode)
        os.replace(tmp, path)
    except OSError as exc:
        Path(tmp).unlink(missing_ok=True)
        raise _unwritable(path, exc) from exc
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path


def _siblings(target: Path, kind: str) -> list[Path]:
    return sorted(target.parent.glob(f".{target.name}.{kind}-*"))


def recover_directory(target: Path) -> None:
    """Undo an interrupted :func:`replace_directory` and drop stale staging folders.

    If ``target`` is missing but a renamed-away copy exists, the copy comes back: the
    previous complete output wins over a new one that was never swapped in.
    """
    old = _siblings(target, "old")
    if not target.exists() and old:
        os.replace(old[-1], target)
        old = old[:-1]
    for stale in [*old, *_siblings(target, "staging")]:
        shutil.rmtree(stale, ignore_errors=True)


def staging_directory(target: Path) -> Path:
    """A fresh, empty folder beside ``target`` to write a new output set into."""
    target.parent.mkdir(parents=True, exist_ok=True)
    recover_directory(target)
    return Path(tempfile.mkdtemp(dir=target.parent, prefix=f".{target.name}.staging-"))


def replace_directory(staging: Path, target: Path, keep: set[str] | None = None) -> None:
    """Swap a completely written ``staging`` folder in as ``target``.

    Files of the old ``target`` whose names are not in the new set and are listed in
    ``keep`` (None: all) are carried over, so a user's other files survive.
    """
    if target.exists():
        for item in target.iterdir():
            carry = keep is None or item.name in keep
            if carry and not (staging / item.name).exists():
                if item.is_dir():
                    shutil.copytree(item, staging / item.name)
                else:
                    shutil.copy2(item, staging / item.name)
        old = Path(tempfile.mkdtemp(dir=target.parent, prefix=f".{target.name}.old-"))
        os.rmdir(old)
        os.replace(target, old)
        os.replace(staging, target)
        shutil.rmtree(old, ignore_errors=True)
    else:
        os.replace(staging, target)


def write_file_set(target: Path, files: Mapping[str, str], may_share: set[str]) -> dict[str, Path]:
    """Write a set of text files into ``target`` together: all new or all previous.

    The files go into a staging folder that is swapped in for ``target``. Files already
    in ``target`` whose names are in ``may_share`` (reports beside a plan) are carried
    over; a folder holding anything else is refused, because swapping it would move a
    user's files.

    Raises
    ------
    ScenarioError
        ``target`` is a file, or a folder with other files in it.
    """
    if target.exists() and not target.is_dir():
        raise ScenarioError.for_field(
            "--out", str(target), "a folder (it is an existing file)", "choose a folder name"
        )
    allowed = set(files) | may_share
    if target.is_dir():
        foreign = sorted(
            p.name for p in target.iterdir() if p.name not in allowed and not p.name.startswith(".")
        )
        if foreign:
            raise ScenarioError.for_field(
                "--out",
                str(target),
                f"a new folder or an aip output folder (it holds {', '.join(foreign[:3])})",
                "choose a new folder name",
            )
    staging = staging_directory(target)
    try:
        for name, text in files.items():
            write_atomic(staging / name, text)
        replace_directory(staging, target)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return {name: target / name for name in files}
