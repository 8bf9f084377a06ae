"""`policygen serve`: build, serve the output on this computer, rebuild on change, reload open pages.

The reload script and the error page exist only here: they are added to responses as they are
served, never written into the output, so a published build contains none of them.
"""

from __future__ import annotations

import datetime as dt
import errno
import html
import ipaddress
import os
import re
import stat
import sys
import threading
import time
import traceback
import urllib.parse
from functools import partial
from http import HTTPStatus
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from .errors import BUG, BuildFailed, Problem, describe_os_error
from .incremental.cache import BuildCache
from .incremental.store import CacheDamaged
from .output import OutputError, prepare_output_folder
from .pipeline import BuildResult, build
from .spool import keep_in_memory
from .urls import PAGE_FILE
from .watch import watch_site

EVENTS = "/__policygen__/events"
RELOAD_SCRIPT = f"""<script>
// policygen serve: reload when the site is rebuilt (added by the preview server only).
(function () {{
  var build = null;
  var source = new EventSource("{EVENTS}");
  source.onmessage = function (event) {{
    if (build !== null && event.data !== build) {{ location.reload(); }}
    build = event.data;
  }};
}})();
</script>
"""


class Preview:
    """The state of a preview: the last build's outcome, and a counter that moves on each rebuild."""

    def __init__(
        self,
        site: Path,
        out: Path,
        as_of: dt.date | None,
        cache: BuildCache | None = None,
        *,
        debug: bool = False,
    ) -> None:
        self.site, self.out, self.as_of, self.debug = site, out, as_of, debug
        # A preview reads every file again on each rebuild: its texts stay in memory.
        keep_in_memory()
        self.cache = cache if cache is not None else BuildCache()
        self.rendered = 0
        """HTML pages the last build rendered."""
        self.generation = 0
        self.problems: list[Problem] = []
        self.failed = False
        self.changed = threading.Condition()
        self.building = threading.Lock()

    def _build(self) -> BuildResult:
        return build(
            self.site,
            self.out,
            now=dt.datetime.now(dt.UTC),
            as_of=self.as_of,
            cache=self.cache,
            in_place=True,
            # The first build, before the server and the watcher start their threads, may
            # fork workers; rebuilds are small and update the output in place.
            jobs=(os.cpu_count() or 1) if self.generation == 0 else 1,
        )

    def rebuild(self) -> None:
        """Build again; on failure keep the last good output and show the problems."""
        with self.building:
            started = time.perf_counter()
            try:
                try:
                    result = self._build()
                except CacheDamaged as damaged:
                    # Found as the build read a text the cache file held: built again without.
                    print(
                        f"policygen serve: the build cache {damaged} and is ignored; this build makes every page",
                        file=sys.stderr,
                    )
                    self.cache = BuildCache(self.cache.key, folder=self.cache.folder)
                    result = self._build()
            except BuildFailed as failed:
                self.problems, self.failed = failed.problems, True
                for problem in failed.problems:
                    print(problem, file=sys.stderr)
                print(
                    "policygen serve: the build failed; the browser shows the problems until they are fixed",
                    file=sys.stderr,
                )
            except OutputError as exc:
                self.problems, self.failed = [], True
                print(f"policygen serve: {exc}", file=sys.stderr)
            except OSError as exc:
                self.problems, self.failed = [], True
                print(f"policygen serve: {describe_os_error(exc)}", file=sys.stderr)
            except Exception:
                # A rebuild runs in the watcher's thread: what it raises must not end it.
                self.problems, self.failed = [], True
                if self.debug:
                    traceback.print_exc()
                print(f"policygen serve: {BUG}", file=sys.stderr)
            else:
                self.problems, self.failed = list(result.warnings), False
                for problem in result.warnings:
                    print(problem, file=sys.stderr)
                self.rendered = result.rendered
                seconds = time.perf_counter() - started
                verb = "rebuilt" if self.generation else "built"
                print(
                    f"policygen serve: {verb} in {seconds:.2f} s ({result.rendered} of {result.pages} pages rendered)",
                    file=sys.stderr,
                )
            with self.changed:
                self.generation += 1
                self.changed.notify_all()

    def error_page(self) -> bytes:
        items = "".join(f"<li><code>{html.escape(str(p))}</code></li>" for p in self.problems)
        return (
            "<!DOCTYPE html><html lang=en><head><meta charset=utf-8><title>Build failed · policygen</title>"
            "<style>body{font:16px/1.5 system-ui,sans-serif;margin:2rem;max-width:60rem}"
            "code{white-space:pre-wrap}li{margin:.5rem 0}</style></head><body>"
            f"<h1>The site has {len(self.problems)} problem(s)</h1>"
            "<p>Fix them in your editor: this page reloads by itself when the site builds again.</p>"
            f"<ol>{items}</ol>{RELOAD_SCRIPT}</body></html>"
        ).encode()


HOST = re.compile(r"(?P<name>\[[0-9a-f:.]+\]|[^:\[\]]+)(?::(?P<port>[0-9]{1,5}))?")
"""A Host header: a name or an address (IPv6 in brackets), and a port."""


class _Server(ThreadingHTTPServer):
    """The preview's HTTP server: it knows which Host names it answers to."""

    daemon_threads = True
    names: frozenset[str]
    """Host names requests may use (lowercase, IPv6 addresses without brackets)."""
    is_wildcard: bool
    """Listening on every address (0.0.0.0 or ::): any IP address names this server."""

    def handle_error(self, request: object, client_address: object) -> None:
        """Say nothing of a browser that went away; one line for anything else."""
        error = sys.exc_info()[1]
        if not isinstance(error, ConnectionError):
            print(f"policygen serve: {BUG}", file=sys.stderr)


class _Handler(SimpleHTTPRequestHandler):
    preview: Preview
    server: _Server
    timeout = 30
    """Seconds a connection may send nothing before it is closed: each open connection holds
    a thread, and a page reading the preview sends its requests at once."""

    def do_GET(self) -> None:
        self._answer(with_body=True)

    def do_HEAD(self) -> None:
        self._answer(with_body=False)

    def _answer(self, *, with_body: bool) -> None:
        if not self._is_for_this_server():
            # A page of another site whose name now points at this computer (DNS
            # rebinding) must not read the preview.
            self._send(
                HTTPStatus.FORBIDDEN,
                b"policygen serve answers only requests for localhost or the address it listens on\n",
                "text/plain; charset=utf-8",
                with_body=with_body,
            )
            return
        path = urllib.parse.urlsplit(self.path).path
        if path == EVENTS and with_body:
            self._events()
            return
        is_page = path.endswith(("/", ".html"))
        if self.preview.failed and is_page:
            self._send(
                HTTPStatus.INTERNAL_SERVER_ERROR, self.preview.error_page(), with_body=with_body
            )
            return
        found = self._find(path)
        if isinstance(found, str):
            self.send_response(HTTPStatus.MOVED_PERMANENTLY)
            self.send_header("Location", found)
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        body = _read_file(found) if found is not None else None
        if found is None or body is None:
            self.send_error(HTTPStatus.NOT_FOUND, with_body=with_body)
            return
        if found.suffix == ".html":
            body = body.replace(b"</body>", RELOAD_SCRIPT.encode() + b"</body>", 1)
        self._send(HTTPStatus.OK, body, self.guess_type(str(found)), with_body=with_body)

    def _find(self, path: str) -> Path | str | None:
        """The regular file inside the output folder that `path` names; a URL to redirect to
        (a folder asked for without its final "/"); or None (nothing to serve)."""
        root = Path(str(self.directory)).resolve()
        parts = [part for part in urllib.parse.unquote(path).split("/") if part not in ("", ".")]
        if any(part == ".." or "\\" in part or "\0" in part for part in parts):
            return None
        try:
            target = root.joinpath(*parts).resolve()
            if not target.is_relative_to(root):
                return None  # a link out of the output folder
            if target.is_dir():
                if not path.endswith("/"):
                    return path + "/"
                target = (target / PAGE_FILE).resolve()
                # A folder without index.html is not listed.
                if not target.is_relative_to(root):
                    return None
            mode = target.stat().st_mode
        except (OSError, RuntimeError, ValueError):  # no such file, a loop of links, a NUL
            return None
        return target if stat.S_ISREG(mode) else None

    def _is_for_this_server(self) -> bool:
        """Whether the request's Host names this server: localhost, or the address it
        listens on, with its port."""
        hosts = self.headers.get_all("Host") or []
        if len(hosts) != 1:
            return False  # two names for one request (RFC 9112 answers 400): neither is trusted
        found = HOST.fullmatch(hosts[0].strip().lower())
        if found is None:
            return False
        name, port = found.group("name").strip("[]"), int(found.group("port") or 80)
        if port != self.server.server_address[1]:
            return False
        return name in self.server.names or (self.server.is_wildcard and _is_address(name))

    def list_directory(self, path: str | os.PathLike[str]) -> None:
        """Never a listing of a folder."""
        self.send_error(HTTPStatus.NOT_FOUND)
        return None

    def send_error(
        self,
        code: int,
        message: str | None = None,
        explain: str | None = None,
        *,
        with_body: bool = True,
    ) -> None:
        not_found = Path(str(self.directory)) / "404.html"
        if code == HTTPStatus.NOT_FOUND and not_found.is_file() and not not_found.is_symlink():
            page = not_found.read_bytes().replace(
                b"</body>", RELOAD_SCRIPT.encode() + b"</body>", 1
            )
            self._send(HTTPStatus.NOT_FOUND, page, with_body=with_body)
            return
        super().send_error(code, message, explain)

    def _send(
        self,
        status: HTTPStatus,
        body: bytes,
        content_type: str = "text/html; charset=utf-8",
        *,
        with_body: bool = True,
    ) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        if with_body:
            self.wfile.write(body)

    def _events(self) -> None:
        self.send_response(HTTPStatus.OK)
        self.send_header("Content-Type", "text/event-stream")
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        preview = self.preview
        seen = -1
        try:
            while True:
                with preview.changed:
                    if preview.generation == seen:
                        preview.changed.wait(timeout=15)
                    generation = preview.generation
                # A comment line every 15 s keeps proxies from closing the stream.
                message = f"data: {generation}\n\n" if generation != seen else ": keep-alive\n\n"
                self.wfile.write(message.encode())
                self.wfile.flush()
                seen = generation
        except (BrokenPipeError, ConnectionResetError):
            return

    def log_message(self, format: str, *args: object) -> None:
        """Say nothing of each request: the terminal is for problems."""


def _read_file(path: Path) -> bytes | None:
    """The bytes of the regular file at `path`, found by `_find`; None if it has become a
    link or anything but a regular file since (the output folder changes while it is
    served): a link put there after `_find` resolved the path was followed, and a pipe
    never ended the request."""
    try:
        descriptor = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK)
    except OSError:
        return None
    with os.fdopen(descriptor, "rb") as file:
        if not stat.S_ISREG(os.fstat(file.fileno()).st_mode):
            return None
        return file.read()


def make_server(preview: Preview, host: str, port: int) -> ThreadingHTTPServer:
    """An HTTP server of the preview's output folder (and nothing outside it), for requests
    that name it (localhost, or the address it listens on)."""
    handler = type("Handler", (_Handler,), {"preview": preview})
    server = _Server((host, port), partial(handler, directory=str(preview.out)))
    listened = host.strip("[]").lower()
    server.names = frozenset({"localhost", "127.0.0.1", "::1", listened})
    server.is_wildcard = listened in ("", "0.0.0.0", "::")
    return server


def _is_address(name: str) -> bool:
    """Whether a Host name is an IP address (which no DNS answer can rebind)."""
    try:
        ipaddress.ip_address(name)
    except ValueError:
        return False
    return True


def serve(
    site: Path,
    out: Path,
    *,
    host: str,
    port: int,
    as_of: dt.date | None,
    cache: BuildCache | None = None,
    debug: bool = False,
) -> int:
    """Serve until interrupted; returns the exit status."""
    preview = Preview(site, out, as_of, cache, debug=debug)
    try:
        server = make_server(preview, host, port)
    except OSError as exc:
        hint = (
            f": is another preview running? Try --port {port + 1}"
            if exc.errno == errno.EADDRINUSE
            else ""
        )
        print(
            f"policygen serve: cannot listen on {host}:{port} ({exc.strerror or exc}){hint}",
            file=sys.stderr,
        )
        return 1
    try:
        # Before the folder is made: a link in the site folder must not lead it elsewhere.
        prepare_output_folder(out, site)
        out.mkdir(parents=True, exist_ok=True)
    except (OutputError, OSError) as exc:
        server.server_close()
        shown_error = exc if isinstance(exc, OutputError) else describe_os_error(exc)
        print(f"policygen serve: {shown_error}", file=sys.stderr)
        return 1
    preview.rebuild()
    stop_watching = watch_site(site, preview.rebuild)
    shown = host if ":" not in host else f"[{host}]"
    print(
        f"policygen serve: http://{shown}:{server.server_address[1]}/ (Ctrl+C to stop)",
        file=sys.stderr,
    )
    if host not in ("127.0.0.1", "localhost", "::1"):
        print(
            f"policygen serve: listening on {host}: other computers can see this preview",
            file=sys.stderr,
        )
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        stop_watching()
        server.server_close()
    return 0
