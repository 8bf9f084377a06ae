"""A built site served over HTTP on 127.0.0.1 the way a static host serves it."""

from __future__ import annotations

import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from ..headers_file import Dialect, headers_for, parse_headers_file


class StaticHost:
    """Serves `folder` under the URL path `prefix` ("/policies/") until `stop()`.

    Like GitHub Pages or S3, a missing address gets the site's 404.html with status 404,
    and every response is whole and says `Cache-Control: no-cache`, so that a rebuilt file is
    seen at once. With `headers`, the folder's `_headers` is applied as that host applies it
    (read again for every request, as a rebuild rewrites it), to paths from `prefix`: as when
    a site's own host serves it and a proxy publishes it under the sub-path.
    """

    def __init__(self, folder: Path, prefix: str = "/", headers: Dialect | None = None) -> None:
        self.folder = folder
        self.prefix = prefix if prefix.endswith("/") else prefix + "/"
        self.headers = headers
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), _handler_for(self))
        self._server.daemon_threads = True
        self.origin = f"http://127.0.0.1:{self._server.server_address[1]}"
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()

    @property
    def url(self) -> str:
        """The URL of the site's root, ending in a slash."""
        return self.origin + self.prefix

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join()


def _handler_for(host: StaticHost) -> type[SimpleHTTPRequestHandler]:
    class Handler(SimpleHTTPRequestHandler):
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, directory=str(host.folder), **kwargs)

        def translate_path(self, path: str) -> str:
            location = unquote(urlsplit(path).path)
            if not location.startswith(host.prefix):
                return str(host.folder / "404.html" / "outside the site")  # never a file
            return super().translate_path("/" + location[len(host.prefix) :])

        def send_response(self, code: int, message: str | None = None) -> None:
            super().send_response(code, message)
            self._added = self._headers_file()

        def _headers_file(self) -> dict[str, str]:
            location = unquote(urlsplit(self.path).path)
            if host.headers is None or not location.startswith(host.prefix):
                return {}
            rules = parse_headers_file((host.folder / "_headers").read_text(encoding="utf-8"))
            return headers_for(rules, "/" + location[len(host.prefix) :], host.headers)

        def send_header(self, keyword: str, value: str) -> None:
            # A header the rules give replaces the server's own (Content-Type).
            added = getattr(self, "_added", {})
            super().send_header(keyword, added.pop(keyword.lower(), value))

        def send_head(self) -> Any:
            # Last-Modified has one-second steps: a file rebuilt within the second of the
            # last request would get "304 Not Modified". Always send the file.
            del self.headers["If-Modified-Since"]
            return super().send_head()

        def send_error(
            self, code: int, message: str | None = None, explain: str | None = None
        ) -> None:
            not_found = host.folder / "404.html"
            if code != 404 or not not_found.is_file():
                super().send_error(code, message, explain)
                return
            body = not_found.read_bytes()
            self.send_response(404)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(body)

        def end_headers(self) -> None:
            added = getattr(self, "_added", {})
            if host.headers is None:
                self.send_header("Cache-Control", "no-cache")
            for name, value in list(added.items()):
                self.send_header(name, value)
            self._added = {}
            super().end_headers()

        def log_message(self, format: str, *args: Any) -> None:
            """Quiet: pytest shows failures, not every request."""

    return Handler
