"""A process and its descendants → the highest total of their memory while they run, sampled.

What is summed is each process's Pss (proportional set size, from /proc/PID/smaps_rollup):
its private pages in full, plus each page it shares divided by the number of processes
sharing it. Summed over a build process and its workers, every page they use is counted
exactly once, however many of them map it. The private pages alone (Private_Clean +
Private_Dirty, "USS") would count shared pages zero times instead of once: the workers are
forked, so the model the build process loaded before forking is shared, copy on write, by
all three processes, and counted by none of them. A build that loaded a large model and
forked would look small. Pss is the honest sum; the sum of private pages is kept beside it
(taken at the same sample) to show how much is shared. SwapPss is added to Pss, so that
pages swapped out still count (it is 0 on a machine that does not swap).

Reading smaps_rollup walks the page tables of the process read: about 25 µs of CPU per MB
mapped, so a sample of three processes of 300 MB costs several milliseconds. The sampler
waits 20 ms between samples, or nine times what the last sample cost if that is longer,
so that it never takes more than about a tenth of one core from the build it measures; it
reports its own CPU time, for the caller to subtract.

Linux only: elsewhere (no /proc) the sampler reports nothing.
"""

from __future__ import annotations

import os
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType

INTERVAL = 0.02
"""Seconds between samples, when a sample costs less than a ninth of that."""
MAX_SHARE = 0.1
"""The largest share of one core the sampler takes: it waits (1 / MAX_SHARE - 1) × its cost."""
PROC = Path("/proc")


@dataclass(frozen=True, slots=True)
class Usage:
    """One process's memory at one moment, in kB as /proc gives it."""

    pss_kb: int
    """Pss + SwapPss: private pages, plus shared pages divided among the processes sharing them."""
    private_kb: int
    """Private_Clean + Private_Dirty: pages no other process maps."""


@dataclass(frozen=True, slots=True)
class Peak:
    """The highest total seen, and what it cost to watch."""

    pss_mb: float
    """The highest sum of Pss over the watched processes, in MB (2**20 bytes)."""
    private_mb: float
    """The sum of their private pages at that same sample, in MB."""
    processes: int
    """How many processes that sample summed."""
    samples: int
    """How many samples were taken."""
    interval_ms: float
    """The mean time between samples."""
    cpu: float
    """CPU seconds the sampler thread took."""


def read_usage(pid: int) -> Usage | None:
    """The memory of process `pid`, or None when it has ended (or is a zombie)."""
    try:
        text = _read(PROC / str(pid) / "smaps_rollup")
    except OSError:
        return None
    fields: dict[str, int] = {}
    for line in text.splitlines()[1:]:
        name, _, value = line.partition(":")
        number = value.split()
        if number:
            fields[name] = int(number[0])
    if "Pss" not in fields:
        return None  # a zombie's smaps_rollup is empty
    return Usage(
        pss_kb=fields["Pss"] + fields.get("SwapPss", 0),
        private_kb=fields.get("Private_Clean", 0) + fields.get("Private_Dirty", 0),
    )


def _read(path: Path) -> str:
    # os.read rather than open(): no buffered file object, so no lock of one that a fork of
    # the build process could copy while held.
    fd = os.open(path, os.O_RDONLY)
    try:
        chunks = []
        while chunk := os.read(fd, 65536):
            chunks.append(chunk)
    finally:
        os.close(fd)
    return b"".join(chunks).decode("ascii", "replace")


class ProcessTree:
    """The descendants of one process, found by reading each new process's parent once."""

    def __init__(self, root: int) -> None:
        self.root = root
        self._parents: dict[int, int] = {}

    def descendants(self) -> list[int]:
        """The processes below the root now, children before grandchildren."""
        try:
            pids = [int(name) for name in os.listdir(PROC) if name.isdigit()]
        except OSError:
            return []
        alive = set(pids)
        for pid in pids:
            if pid not in self._parents:
                parent = _parent(pid)
                if parent is not None:
                    self._parents[pid] = parent
        # A process seen once keeps its parent: new processes get new ids (ids are reused
        # only after the kernel has handed out all the others).
        for gone in self._parents.keys() - alive:
            del self._parents[gone]
        children: dict[int, list[int]] = {}
        for pid, parent in self._parents.items():
            children.setdefault(parent, []).append(pid)
        found, queue = [], [self.root]
        while queue:
            below = sorted(children.get(queue.pop(0), ()))
            found += below
            queue += below
        return found


def _parent(pid: int) -> int | None:
    try:
        stat = _read(PROC / str(pid) / "stat")
    except OSError:
        return None
    # The command name, in parentheses, may hold spaces and parentheses: split after the last.
    fields = stat[stat.rfind(")") + 2 :].split()
    return int(fields[1]) if len(fields) > 1 else None


class PeakMemory:
    """Samples the memory of a process and its descendants in a thread, keeping the highest sum.

    with PeakMemory(os.getpid()) as watch:
        build(...)
    watch.peak  # a Peak, or None where /proc cannot be read

    sample() takes one more sample at once, with or without the thread.
    """

    def __init__(self, root: int, *, include_root: bool = True) -> None:
        self.tree = ProcessTree(root)
        self.include_root = include_root
        self._best: tuple[int, int, int] = (0, 0, 0)
        self._samples = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="bench-memory", daemon=True)
        self._sampling = 0.0
        """Seconds the thread ran."""
        self._thread_samples = 0
        self._cpu = 0.0

    def __enter__(self) -> PeakMemory:
        self._thread.start()
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        self._stop.set()
        self._thread.join()

    @property
    def peak(self) -> Peak | None:
        """The highest sum so far; None when nothing could be read (no /proc)."""
        pss, private, processes = self._best
        if not pss:
            return None
        return Peak(
            pss_mb=pss / 1024,
            private_mb=private / 1024,
            processes=processes,
            samples=self._samples,
            interval_ms=self._sampling / max(self._thread_samples, 1) * 1000,
            cpu=self._cpu,
        )

    def sample(self) -> None:
        """Add up the memory of the watched processes now, and keep the sum if it is the highest."""
        pids = [self.tree.root] if self.include_root else []
        usages = [u for pid in pids + self.tree.descendants() if (u := read_usage(pid))]
        self._samples += 1
        pss = sum(u.pss_kb for u in usages)
        if pss > self._best[0]:
            self._best = (pss, sum(u.private_kb for u in usages), len(usages))

    def _run(self) -> None:
        started, cpu = time.perf_counter(), time.thread_time()
        while True:
            cost = time.thread_time()
            self.sample()
            self._thread_samples += 1
            cost = time.thread_time() - cost
            if self._stop.wait(max(INTERVAL, cost * (1 / MAX_SHARE - 1))):
                break
        # The last state, after the work: what the process keeps counts too.
        self.sample()
        self._sampling = time.perf_counter() - started
        self._cpu = time.thread_time() - cpu
