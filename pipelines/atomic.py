"""Atomic file writes: a reader sees the old file or the new one, never half of one, and a failed
write (a full disk included) leaves no temporary file behind."""
from __future__ import annotations

import hashlib
import os
import tempfile
from pathlib import Path


def write_atomic(path: str | Path, data: bytes) -> str:
    """Write `data` to `path` atomically; returns the sha256 of the bytes written."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except FileNotFoundError:
            pass
        raise
    return hashlib.sha256(data).hexdigest()


def write_text_atomic(path: str | Path, text: str) -> str:
    return write_atomic(path, text.encode("utf-8"))
