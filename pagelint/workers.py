"""What every worker process of a run does (the pool that checks files, the lanes that request
links): leave Ctrl-C to the parent, and end when the parent dies."""

from __future__ import annotations

import ctypes
import os
import signal
import sys
import threading
import time

_PR_SET_PDEATHSIG = 1  # <sys/prctl.h>
_PARENT_POLL_SECONDS = 0.5


def become_worker() -> None:
    """In a process just started by the run's main process."""
    ignore_interrupts()
    end_with_parent()


def ignore_interrupts() -> None:
    """Ctrl-C reaches the whole process group, and the parent alone answers it (one line,
    exit 2); a worker that took it would print a traceback of its own."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def end_with_parent() -> None:
    """A worker whose main process is killed (kill -9: nothing there runs to stop it) ends
    too, instead of working for no one. On Linux the kernel kills it when its parent dies
    (strictly, the parent's thread that started it: the pool starts its workers from the
    thread that submits the first chunk, the main one); elsewhere, or where that cannot be
    asked, a thread notices that the worker was handed to another parent. A worker killed
    while writing a fix leaves at most a temporary file, which a later run removes."""
    parent = os.getppid()
    if _kernel_ends_worker_with_parent():
        if os.getppid() != parent:  # the parent died before the kernel was asked
            os._exit(1)
        return
    threading.Thread(target=_exit_when_orphaned, args=(parent,), name="pagelint-parent-watch", daemon=True).start()


def _kernel_ends_worker_with_parent() -> bool:
    if not sys.platform.startswith("linux"):
        return False
    try:
        return ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0) == 0
    except (OSError, AttributeError):  # no C library to be found, or no prctl in it
        return False


def _exit_when_orphaned(parent: int) -> None:
    while os.getppid() == parent:
        time.sleep(_PARENT_POLL_SECONDS)
    os._exit(1)
