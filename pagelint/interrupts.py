"""Ctrl-C in a run of several processes."""

from __future__ import annotations

import signal


def ignore_interrupts() -> None:
    """In a worker process: Ctrl-C reaches the whole process group, and the parent alone
    answers it (one line, exit 2); a worker that took it would print a traceback of its own."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
