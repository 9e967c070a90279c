"""Page workers die with the process that started them.

A run killed with SIGKILL while its pages are parsed cannot shut its worker pool down; forked
workers would live on (parent PID 1, ~125 MB each) and hold the caller's stdout open, which
hangs wrappers and CI. So each worker, as it starts, asks the kernel to kill it when its parent
dies (Linux prctl PR_SET_PDEATHSIG); where that is not available, a daemon thread watches the
parent and exits the worker when it is gone.
"""
from __future__ import annotations

import ctypes
import ctypes.util
import os
import signal
import sys
import threading
import time

PR_SET_PDEATHSIG = 1  # linux/prctl.h
WATCH_SECONDS = 0.2  # how often the fallback watcher looks at its parent


def _prctl_death_signal() -> bool:
    """Ask Linux to SIGKILL this process when its parent dies; False where prctl is unavailable."""
    if not sys.platform.startswith("linux"):
        return False
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
        return libc.prctl(PR_SET_PDEATHSIG, int(signal.SIGKILL), 0, 0, 0) == 0
    except (OSError, AttributeError):
        return False


def _watch(parent: int) -> None:
    while os.getppid() == parent:
        time.sleep(WATCH_SECONDS)
    os._exit(1)


def die_with_parent(parent: int | None = None) -> None:
    """Call first thing in a worker. `parent`: the pid that forked it (default: the current one)."""
    parent = os.getppid() if parent is None else parent
    if not _prctl_death_signal():
        threading.Thread(target=_watch, args=(parent,), name="parent-watch", daemon=True).start()
    if os.getppid() != parent:  # the parent died before the signal was armed
        os._exit(1)
