"""What the command line asks of a run."""

from __future__ import annotations

import time
from dataclasses import dataclass, field

from pagelint.diagnostics import OnlineRun


@dataclass(frozen=True)
class RunOptions:
    fix: bool = False
    unsafe_fixes: bool = False
    diff: bool = False
    keep_sources: bool = False
    keep_checked: bool = False
    stdin_filename: str | None = None
    unpublished: bool = False  # also check what the site does not publish (--unpublished)
    online: OnlineRun | None = None
    started_ns: int = field(default_factory=time.time_ns)  # temporary files of pagelint's older than this are an earlier run's
