"""The CLI's environment: a warehouse path checked before any work, a busy warehouse waited for,
and every environment error (permissions, a full disk, a read-only folder, a file where a folder
should be) turned into one line that names the path and the remedy.

No Dagster import: these run before the slow imports, so a bad path fails in a fraction of a second.
"""
from __future__ import annotations

import errno
import os
import re
import shlex
import sys
import time
from contextlib import contextmanager
from pathlib import Path
from typing import Callable


class EnvironmentProblem(Exception):
    """Something about the machine, not the reports, stops the command: its text is the one line
    the user reads (exit code 2)."""


_BY_ERRNO = {
    errno.ENOSPC: "the disk is full (no space left on device); free some space, or give --warehouse "
                  "a path on another disk, then run again",
    errno.EDQUOT: "the disk quota is used up; free some space, or give --warehouse a path on another disk",
    errno.EROFS: "the file system is read-only; give --warehouse a path on a writable disk",
    errno.EACCES: "permission denied; make it (and its folder) writable for this user, or give --warehouse "
                  "another path",
    errno.EPERM: "operation not permitted; make it (and its folder) writable for this user, or give "
                 "--warehouse another path",
    errno.ENOTDIR: "a part of this path is a file, not a folder; give --warehouse another path",
    errno.EISDIR: "this is a folder, not a file; give --warehouse a file path such as <folder>/report.duckdb",
    errno.ENOENT: "no such file or folder",
}
# DuckDB reports OS errors as text only ("IO Error: Could not write file ...: No space left on device").
_BY_TEXT = {"no space left": errno.ENOSPC, "disk quota": errno.EDQUOT, "read-only file system": errno.EROFS,
            "permission denied": errno.EACCES, "operation not permitted": errno.EPERM,
            "not a directory": errno.ENOTDIR, "is a directory": errno.EISDIR,
            "no such file": errno.ENOENT}


def errno_in_text(text: str) -> int | None:
    text = text.lower()
    return next((code for words, code in _BY_TEXT.items() if words in text), None)


def errno_of(exc: BaseException) -> int | None:
    """The OS error behind `exc` (an OSError, or DuckDB's or Dagster's text of one)."""
    for _ in range(10):
        if exc is None:
            return None
        if isinstance(exc, OSError) and exc.errno in _BY_ERRNO:
            return exc.errno
        code = errno_in_text(str(exc))
        if code is not None:
            return code
        exc = exc.__cause__ or exc.__context__
    return None


def disk_problem(text: str, default_path: str | Path) -> str | None:
    """`path: remedy` when an error's text is a full or read-only disk (the errors a step can hit
    on a path that passed the checks before the run), naming the file it quotes, else default_path."""
    code = errno_in_text(text)
    if code not in (errno.ENOSPC, errno.EDQUOT, errno.EROFS):
        return None
    quoted = re.search(r"""["']((?:/|[A-Za-z]:\\)[^"']+)["']""", text)
    return f"{quoted.group(1) if quoted else default_path}: {_BY_ERRNO[code]}"


def one_line(exc: BaseException, path: str | Path) -> str | None:
    """`path: what is wrong; the remedy` for an environment error, else None. The path is the
    file the OS named, else `path`."""
    code = errno_of(exc)
    if code is None:
        return None
    named = getattr(exc, "filename", None) if isinstance(exc, OSError) else None
    return f"{named or path}: {_BY_ERRNO[code]}"


def _first_existing(path: Path) -> Path:
    while not os.path.lexists(path) and path != path.parent:
        path = path.parent
    return path


def check_warehouse_path(path: Path, command: str, must_exist: bool = False) -> None:
    """Raise EnvironmentProblem when `path` cannot be the warehouse file: a folder, under a file,
    unwritable, or (must_exist: `drop` and `query`, which never create one) missing."""
    if path.is_dir():
        raise EnvironmentProblem(f"{path} is a folder; --warehouse takes the database file, "
                                 f"such as {path / 'report.duckdb'}")
    if must_exist and not path.exists():
        raise EnvironmentProblem(f"no warehouse at {path} (nothing to {command}); build it with "
                                 f"`python -m pipelines run --warehouse {shlex.quote(str(path))}`, "
                                 "or give --warehouse the right file")
    if os.path.lexists(path) and not path.is_file():
        raise EnvironmentProblem(f"{path} is not a regular file; give --warehouse the database file")
    ancestor = _first_existing(path.parent)
    if not ancestor.is_dir():
        raise EnvironmentProblem(f"{path}: {ancestor} is a file, not a folder; remove it or give --warehouse "
                                 "another path")
    if command == "read":
        return
    if not os.access(ancestor, os.W_OK | os.X_OK):
        raise EnvironmentProblem(f"{path}: the folder {ancestor} is not writable (DuckDB writes its journal "
                                 "beside the file); make it writable, or give --warehouse another path")
    if path.exists() and not os.access(path, os.R_OK | os.W_OK):
        raise EnvironmentProblem(f"{path} is not writable for this user; make it writable (chmod u+rw), "
                                 "or give --warehouse another path")


def _say(text: str) -> None:
    print(text, file=sys.stderr, flush=True)


@contextmanager
def connect_waiting(path: Path, wait_seconds: float, read_only: bool = False,
                    say: Callable[[str], None] = _say):
    """`warehouse.connect`, waiting up to `wait_seconds` while another process writes the file
    (said once); then WarehouseLockedError, its message naming how long it waited."""
    from . import warehouse as wh

    deadline = time.monotonic() + max(0.0, wait_seconds)
    said = False
    while True:
        cm = wh.connect(path, read_only=read_only)
        try:
            con = cm.__enter__()
            break
        except wh.WarehouseLockedError as exc:
            if time.monotonic() >= deadline:
                if said:
                    raise wh.WarehouseLockedError(f"{exc}; waited {wait_seconds:g} s (--wait SECONDS "
                                                  "waits longer)") from exc
                raise
            if not said:
                say(f"waiting for {path}: another process is writing to it (up to {wait_seconds:g} s; "
                    "--wait SECONDS changes that)")
                said = True
            time.sleep(min(0.5, max(0.05, deadline - time.monotonic())))
    try:
        yield con
    finally:
        cm.__exit__(None, None, None)
