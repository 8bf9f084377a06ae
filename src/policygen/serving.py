"""`policygen serve`: build, serve the output on this computer, rebuild on change, reload open pages.

The reload script and the error page exist only here: they are added to responses as they are
served, never written into the output, so a published build contains none of them.
"""

from __future__ import annotations

import datetime as dt
import html
import os
import sys
import threading
import time
import traceback
from functools import partial
from http import HTTPStatus
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from .errors import BUG, BuildFailed, Problem, describe_os_error
from .output import OutputError
from .pipeline import BuildCache, build
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
        self.cache = cache if cache is not None else BuildCache()
        self.rendered = 0
        """HTML pages the last build rendered."""
        self.generation = 0
        self.problems: list[Problem] = []
        self.failed = False
        self.changed = threading.Condition()
        self.building = threading.Lock()

    def rebuild(self) -> None:
        """Build again; on failure keep the last good output and show the problems."""
        with self.building:
            started = time.perf_counter()
            try:
                result = build(
                    self.site,
                    self.out,
                    now=dt.datetime.now(dt.UTC),
                    as_of=self.as_of,
                    cache=self.cache,
                    in_place=True,
                    # The first build, before the server and the watcher start their threads,
                    # may fork workers; rebuilds are small and update the output in place.
                    jobs=(os.cpu_count() or 1) if self.generation == 0 else 1,
                )
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


class _Handler(SimpleHTTPRequestHandler):
    preview: Preview

    def do_GET(self) -> None:
        if self.path == EVENTS:
            self._events()
            return
        is_page = self.path.split("?")[0].endswith(("/", ".html"))
        if self.preview.failed and is_page:
            self._send(HTTPStatus.INTERNAL_SERVER_ERROR, self.preview.error_page())
            return
        path = Path(self.translate_path(self.path))
        if path.is_dir():
            path = path / "index.html"
        if (
            is_page
            and path.is_file()
            and path.resolve().is_relative_to(Path(self.directory).resolve())
        ):
            page = path.read_bytes().replace(b"</body>", RELOAD_SCRIPT.encode() + b"</body>", 1)
            self._send(HTTPStatus.OK, page)
            return
        super().do_GET()

    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        not_found = Path(str(self.directory)) / "404.html"
        if code == HTTPStatus.NOT_FOUND and not_found.is_file():
            self._send(
                HTTPStatus.NOT_FOUND,
                not_found.read_bytes().replace(b"</body>", RELOAD_SCRIPT.encode() + b"</body>", 1),
            )
            return
        super().send_error(code, message, explain)

    def _send(self, status: HTTPStatus, body: bytes) -> None:
        self.send_response(status)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
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


def make_server(preview: Preview, host: str, port: int) -> ThreadingHTTPServer:
    """An HTTP server of the preview's output folder (and nothing outside it)."""
    handler = type("Handler", (_Handler,), {"preview": preview})
    server = ThreadingHTTPServer((host, port), partial(handler, directory=str(preview.out)))
    server.daemon_threads = True
    return server


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
        print(
            f"policygen serve: cannot listen on {host}:{port} ({exc.strerror}): is another preview running? Try --port {port + 1}",
            file=sys.stderr,
        )
        return 1
    out.mkdir(parents=True, exist_ok=True)
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
