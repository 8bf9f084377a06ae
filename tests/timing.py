"""How a time grows with the size of what is read: for the tests that a hostile text's
reading time stays in proportion to its size.

They compare two sizes measured in the same process, not a time against a number. Each is
the CPU time of this process (a machine shared with other jobs slows the wall clock, not
this), from caches emptied first (a redline keeps what it read for the next), and the
fastest of a few tries: a single run can still be slowed by another job's use of the
processor's caches.
"""

from __future__ import annotations

import gc
import sys
import time
from collections.abc import Callable


def cpu_seconds(action: Callable[[], object]) -> float:
    """The CPU time of `action()` in this process, with policygen's memos emptied first."""
    _clear_memos()
    started = time.process_time()
    action()
    return time.process_time() - started


def assert_in_proportion(
    run: Callable[[int], object], small: int, large: int, *, factor: float, slack: float
) -> None:
    """`run(large)` takes at most `factor` times what `run(small)` takes, plus `slack`
    seconds: the fastest of three runs of the small size, and of up to three of the large
    one (the first under the bound ends it)."""
    base = min(cpu_seconds(lambda: run(small)) for _ in range(3))
    bound = factor * base + slack
    tries = []
    for _ in range(3):
        tries.append(cpu_seconds(lambda: run(large)))
        if tries[-1] < bound:
            return
    raise AssertionError(
        f"{large:,} took {min(tries):.2f} s of CPU, {small:,} took {base:.2f} s: "
        f"more than {factor:g} × that + {slack:g} s"
    )


def _clear_memos() -> None:
    from policygen import markdown

    for name, module in list(sys.modules.items()):
        if name.startswith("policygen"):
            for value in list(vars(module).values()):
                if callable(getattr(value, "cache_clear", None)):
                    value.cache_clear()
    markdown._RECENT_SECTIONS.htmls.clear()
    gc.collect()
