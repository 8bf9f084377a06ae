"""Build a site, and kill this very process (SIGKILL) just before its Nth step on the folders
beside the output: what a power cut or an OOM killer would do at the worst moment.

    python tests/kill_build.py SITE OUT STEP [--without-exchange]

A step is a call that renames, exchanges or removes something: os.rename, os.replace, the
exchange system call, os.unlink and os.rmdir (one per file or folder removed). Each step is
printed (number, name, paths) before it is taken. STEP 0 never kills: the build runs to
its end and the list is every step a build takes. --without-exchange makes the build use
the two-rename fallback, as on a system or file system without the exchange call.

The production code has no hook for this: the functions are wrapped from outside.
"""

from __future__ import annotations

import datetime as dt
import functools
import os
import signal
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from policygen import replacement
from policygen.pipeline import build

NOW = dt.datetime(2026, 11, 29, 12, 0, tzinfo=dt.UTC)


def main() -> None:
    site, out, stop = Path(sys.argv[1]), Path(sys.argv[2]), int(sys.argv[3])
    taken = 0

    def step(name: str, function: Callable[..., Any]) -> Callable[..., Any]:
        @functools.wraps(function)
        def counted(*args: Any, **kwargs: Any) -> Any:
            nonlocal taken
            taken += 1
            shown = " ".join(str(arg) for arg in args)
            print(f"{taken} {name} {shown}", flush=True)
            if taken == stop:
                os.kill(os.getpid(), signal.SIGKILL)
            return function(*args, **kwargs)

        return counted

    replacement.IN_ANOTHER_PROCESS = False  # each step of the removal is followed here
    for name in ("rename", "replace", "unlink", "rmdir"):
        setattr(os, name, step(name, getattr(os, name)))
    if "--without-exchange" in sys.argv or replacement._exchange is None:
        replacement._exchange = None
    else:
        replacement._exchange = step("exchange", replacement._exchange)
    build(site, out, now=NOW, as_of=dt.date(2026, 11, 29), jobs=1)
    replacement.wait_for_deletions()


if __name__ == "__main__":
    main()
