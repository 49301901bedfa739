"""Wall time and peak memory of one pagelint process (its worker processes included)."""

from __future__ import annotations

import os
import subprocess
import sys
import time


def run_pagelint(args: list[str], pin_to_one_core: bool = False) -> tuple[float, float]:
    """Seconds and peak resident MiB of `pagelint ARGS`, its output discarded.

    The peak comes from wait4 on this one process: the largest of it and of the workers it
    waited for, not the high-water mark of every process run before it."""
    command = [sys.executable, "-m", "pagelint", *args]
    if pin_to_one_core:
        command = ["taskset", "-c", "0", *command]
    # Bytecode caching on, as on a user's machine (this sandbox sets PYTHONDONTWRITEBYTECODE).
    env = {key: value for key, value in os.environ.items() if key != "PYTHONDONTWRITEBYTECODE"}
    start = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, env=env)
    _, status, usage = os.wait4(process.pid, 0)
    elapsed = time.perf_counter() - start
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode not in (0, 1):
        raise SystemExit(f"pagelint {' '.join(args)} exited {process.returncode}")
    return elapsed, usage.ru_maxrss / 1024
