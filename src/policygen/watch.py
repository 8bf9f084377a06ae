"""Changes in a site folder → debounced rebuilds (watchdog); classify_change() says which matter."""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path, PurePosixPath
from typing import Literal

from watchdog.events import FileSystemEvent, FileSystemEventHandler
from watchdog.observers import Observer

Change = Literal["rebuild", "ignore"]
WATCHED_FOLDERS = ("content", "templates", "locales")
WATCHED_FILES = ("site.yaml", "policies.lock")
DEBOUNCE_SECONDS = 0.15
"""Editors save several files at once (and some save a file in several steps)."""


def classify_change(path: str) -> Change:
    """Whether a change to `path` (relative to the site folder) needs a rebuild."""
    parts = PurePosixPath(path).parts
    if not parts:
        return "ignore"
    name = parts[-1]
    if (
        any(part.startswith(".") for part in parts)
        or name.endswith(("~", ".swp", ".swx", ".tmp"))
        or name == "4913"
    ):
        return "ignore"  # hidden files and editors' temporary files (4913 is vim's probe)
    if len(parts) == 1:
        return "rebuild" if name in WATCHED_FILES else "ignore"
    return "rebuild" if parts[0] in WATCHED_FOLDERS else "ignore"


class _Handler(FileSystemEventHandler):
    def __init__(self, root: Path, on_change: Callable[[], None]) -> None:
        self.root = root
        self.on_change = on_change
        self.timer: threading.Timer | None = None
        self.lock = threading.Lock()

    def on_any_event(self, event: FileSystemEvent) -> None:
        if event.event_type in ("opened", "closed_no_write"):
            return
        paths = [event.src_path, getattr(event, "dest_path", "")]
        if not any(self._matters(str(p)) for p in paths if p):
            return
        with self.lock:
            if self.timer is not None:
                self.timer.cancel()
            self.timer = threading.Timer(DEBOUNCE_SECONDS, self.on_change)
            self.timer.daemon = True
            self.timer.start()

    def _matters(self, path: str) -> bool:
        # Named as watchdog names it, under the folder it watches (resolved already): a path
        # resolved follows the links the site holds, and a link to itself, made while the
        # site was watched, raised and ended the watch (serve never rebuilt again).
        try:
            relative = Path(path).relative_to(self.root)
        except ValueError:
            return False
        return classify_change(relative.as_posix()) == "rebuild"


def watch_site(root: Path, on_change: Callable[[], None]) -> Callable[[], None]:
    """Call `on_change` (debounced) after each change that matters; returns a function that stops watching."""
    root = root.resolve()
    observer = Observer()
    observer.schedule(_Handler(root, on_change), str(root), recursive=True)
    observer.daemon = True
    observer.start()

    def stop() -> None:
        observer.stop()
        observer.join(timeout=5)

    return stop
