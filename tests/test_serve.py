"""policygen serve, started for real: pages over HTTP, rebuilds after edits, the error page, safety."""

from __future__ import annotations

import contextlib
import datetime as dt
import http.client
import os
import shutil
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from policygen import serving
from policygen.serving import RELOAD_SCRIPT, Preview, make_server
from policygen.watch import classify_change, watch_site

from .conftest import PRIVACY_EN, Run, SiteFactory

COOKIES = "---\ntitle: Cookies\neffective: 2024-01-01\n---\n## 1. Cookies\n\nFew.\n"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def get(port: int, path: str) -> tuple[int, str]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
    connection.request("GET", path)
    response = connection.getresponse()
    return response.status, response.read().decode("utf-8", "replace")


def wait_for(condition: Callable[[], bool], seconds: float = 10) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            if condition():
                return
        except OSError:
            pass
        time.sleep(0.05)
    raise AssertionError("timed out")


SERVED = {
    "content/privacy/2024-01-01/en.md": PRIVACY_EN,
    "content/cookies/2024-01-01/en.md": COOKIES,
}


@contextlib.contextmanager
def serve_process(site: Path, log: Path) -> Iterator[int]:
    """`policygen serve` of `site` in a process of its own, its errors in `log`: its port,
    once it serves the privacy policy; stopped on leaving."""
    port = free_port()
    command = [sys.executable, "-m", "policygen.cli", "serve", str(site)]
    command += ["--port", str(port), "--as-of", "2026-01-01"]
    with log.open("w") as errors, subprocess.Popen(command, stderr=errors, text=True) as process:
        try:
            wait_for(lambda: get(port, "/en/global/privacy/")[0] == 200)
            yield port
        finally:
            process.terminate()
            process.wait(timeout=10)


@pytest.fixture
def served(site_factory: SiteFactory, tmp_path: Path) -> Iterator[tuple[Path, int]]:
    site = site_factory(SERVED)
    with serve_process(site, tmp_path / "serve.log") as port:
        yield site, port


def test_serves_pages_with_the_reload_script(
    served: tuple[Path, int],
) -> None:
    site, port = served
    status, page = get(port, "/en/global/privacy/")
    assert status == 200 and "We are Example." in page
    assert 'new EventSource("/__policygen__/events")' in page
    assert "EventSource" not in (site / "public/en/global/privacy/index.html").read_text(), (
        "the published file has no script"
    )
    assert get(port, "/manifest.json")[0] == 200


def test_rebuilds_after_an_edit_and_recovers_from_a_broken_one(
    served: tuple[Path, int],
) -> None:
    site, port = served
    source = site / "content/privacy/2024-01-01/en.md"
    source.write_text(PRIVACY_EN.replace("We are Example.", "We are Example, edited."))
    wait_for(lambda: "We are Example, edited." in get(port, "/en/global/privacy/")[1])

    source.write_text(PRIVACY_EN.replace("effective:", "efective:"))
    wait_for(lambda: get(port, "/en/global/privacy/")[0] == 500)
    status, page = get(port, "/en/global/privacy/")
    assert (
        "unknown key &#x27;efective&#x27; in the front matter (did you mean &#x27;effective&#x27;?)"
        in page
    )
    assert "EventSource" in page
    assert (
        "We are Example, edited." in (site / "public/en/global/privacy/index.html").read_text()
    ), "the last good output stays"

    source.write_text(PRIVACY_EN)
    wait_for(
        lambda: (
            get(port, "/en/global/privacy/") == (200, get(port, "/en/global/privacy/")[1])
            and "We are Example." in get(port, "/en/global/privacy/")[1]
        )
    )


def test_announces_each_rebuild_to_open_pages(
    served: tuple[Path, int],
) -> None:
    site, port = served
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    connection.request("GET", "/__policygen__/events")
    response = connection.getresponse()
    assert response.getheader("Content-Type") == "text/event-stream"
    first = response.fp.readline().decode()
    assert first.startswith("data: ")
    response.fp.readline()
    (site / "content/cookies/2024-01-01/en.md").write_text(COOKIES.replace("Few.", "Fewer."))
    second = response.fp.readline().decode()
    assert second.startswith("data: ") and second != first
    connection.close()


@pytest.mark.parametrize(
    "path",
    [
        "/../site.yaml",
        "/%2e%2e/site.yaml",
        "/..%2fsite.yaml",
        "/../content/privacy/2024-01-01/en.md",
    ],
)
def test_never_serves_a_file_outside_the_output(served: tuple[Path, int], path: str) -> None:
    _, port = served
    status, body = get(port, path)
    assert status == 404
    assert "base_url" not in body and "effective" not in body


def test_a_build_after_serve_uses_the_cache_folder_serve_used(
    site_factory: SiteFactory, cli: Callable[..., Run], tmp_path: Path
) -> None:
    # Serve keeps its texts and a spare output in the cache folder, and saves no cache file:
    # the folder was untagged, and every later build and serve refused it as not a cache's.
    site = site_factory(SERVED)
    with serve_process(site, tmp_path / "serve.log"):
        pass
    run = cli("build", str(site), "-o", str(tmp_path / "out"))
    assert run.code == 0, run.err
    assert "cache" not in run.err


def test_a_rebuild_never_writes_or_removes_through_a_link_in_the_output(
    site_factory: SiteFactory, tmp_path: Path
) -> None:
    # Serve's output is the site's `public/` folder, updated in place: a branch checked out
    # while it runs may put links there (git replaces ignored files), and a rebuild wrote
    # each changed page through them, and removed each page gone, wherever they led.
    terms = COOKIES.replace("Cookies", "Terms")
    site = site_factory(
        {
            "content/privacy/2024-01-01/en.md": PRIVACY_EN,
            "content/cookies/2024-01-01/en.md": COOKIES,
            "content/terms/2024-01-01/en.md": terms,
        }
    )
    out = site / "public"
    preview = Preview(site, out, dt.date(2026, 1, 1))
    preview.rebuild()
    assert not preview.failed
    victim = tmp_path / "victim.txt"
    victim.write_text("precious")
    elsewhere = tmp_path / "elsewhere"
    for folder in ("cookies", "terms"):
        (elsewhere / folder).mkdir(parents=True)
        (elsewhere / folder / "index.html").write_text("precious")
        shutil.rmtree(out / "en/global" / folder)
        (out / "en/global" / folder).symlink_to(elsewhere / folder)
    page = out / "en/global/privacy/index.html"
    page.unlink()
    page.symlink_to(victim)
    (site / "content/privacy/2024-01-01/en.md").write_text(PRIVACY_EN.replace("Example", "Acme"))
    (site / "content/cookies/2024-01-01/en.md").write_text(COOKIES.replace("Few", "Many"))
    shutil.rmtree(site / "content/terms")
    preview.rebuild()
    assert not preview.failed
    assert victim.read_text() == "precious"
    assert sorted(p.relative_to(elsewhere).as_posix() for p in elsewhere.rglob("*.*")) == [
        "cookies/index.html",
        "terms/index.html",
    ]
    assert all(p.read_text() == "precious" for p in elsewhere.rglob("*.html"))
    assert not page.is_symlink() and "Acme" in page.read_text()
    cookies = out / "en/global/cookies"
    assert not cookies.is_symlink() and "Many" in (cookies / "index.html").read_text()


def test_a_link_to_itself_made_while_watching_is_a_change_and_the_watch_goes_on(
    site_factory: SiteFactory,
) -> None:
    # Its path was resolved, which raised in the watch's thread and ended it: serve never
    # rebuilt again, and printed a traceback.
    site = site_factory({"content/privacy/2024-01-01/en.md": PRIVACY_EN})
    changes = threading.Semaphore(0)
    stop = watch_site(site, changes.release)
    try:
        (site / "content/loop").symlink_to("loop")
        assert changes.acquire(timeout=10)
        (site / "content/privacy/2024-01-01/en.md").write_text(PRIVACY_EN + "\nMore.\n")
        assert changes.acquire(timeout=10)
    finally:
        stop()


def test_unknown_pages_get_the_404_page(served: tuple[Path, int]) -> None:
    _, port = served
    status, body = get(port, "/en/global/nothing/")
    assert status == 404 and "Page not found" in body


def test_listens_on_this_computer_only_by_default(served: tuple[Path, int], tmp_path: Path) -> None:
    _, port = served
    assert (
        f"policygen serve: http://127.0.0.1:{port}/ (Ctrl+C to stop)"
        in (tmp_path / "serve.log").read_text()
    )


@pytest.mark.parametrize(
    "path, change",
    [
        ("content/privacy/2024-01-01/en.md", "rebuild"),
        ("content/privacy/policy.yaml", "rebuild"),
        ("templates/document.html", "rebuild"),
        ("locales/ja/LC_MESSAGES/messages.po", "rebuild"),
        ("site.yaml", "rebuild"),
        ("policies.lock", "rebuild"),
        ("public/en/index.html", "ignore"),
        ("content/privacy/2024-01-01/.en.md.swp", "ignore"),
        ("content/privacy/2024-01-01/en.md~", "ignore"),
        ("content/privacy/2024-01-01/4913", "ignore"),
        (".git/index", "ignore"),
        ("README.md", "ignore"),
        ("", "ignore"),
    ],
)
def test_classifies_changes(path: str, change: str) -> None:
    assert classify_change(path) == change


def request(
    port: int, path: str, host: str | None, method: str = "GET"
) -> tuple[int, dict[str, str], bytes]:
    """A request with the Host header given (None: none at all)."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
    connection.putrequest(method, path, skip_host=True)
    if host is not None:
        connection.putheader("Host", host)
    connection.endheaders()
    response = connection.getresponse()
    body = response.read()
    connection.close()
    return response.status, dict(response.getheaders()), body


@pytest.fixture
def preview_server(
    site_factory: SiteFactory, tmp_path: Path, request: pytest.FixtureRequest
) -> Iterator[tuple[Path, int]]:
    """A preview server started in this process (on the address the test asks for, by
    default 127.0.0.1): its output folder and its port."""
    site = site_factory(
        {
            "content/privacy/2024-01-01/en.md": PRIVACY_EN,
            "content/cookies/2024-01-01/en.md": COOKIES,
        }
    )
    preview = Preview(site, site / "public", dt.date(2026, 1, 1))
    preview.rebuild()
    server = make_server(preview, getattr(request, "param", "127.0.0.1"), 0)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield site / "public", int(server.server_address[1])
    finally:
        server.shutdown()
        server.server_close()


def test_serves_only_requests_that_name_this_server(preview_server: tuple[Path, int]) -> None:
    _, port = preview_server
    for host in (f"localhost:{port}", f"127.0.0.1:{port}", f"[::1]:{port}", f"LOCALHOST:{port}"):
        assert request(port, "/en/global/privacy/", host)[0] == 200, host
    for host in (
        f"attacker.example:{port}",
        f"127.0.0.1.nip.io:{port}",
        f"localhost.attacker.example:{port}",
        "localhost",
        f"localhost:{port + 1}",
        f"192.168.1.20:{port}",
        f"localhost:{port}@attacker.example",
        "",
        None,
    ):
        status, _, body = request(port, "/en/global/privacy/", host)
        assert status == 403, host
        assert body == (
            b"policygen serve answers only requests for localhost or the address it listens on\n"
        )
    assert request(port, "/__policygen__/events", f"attacker.example:{port}")[0] == 403
    assert request(port, "/manifest.json", f"attacker.example:{port}", "HEAD")[0] == 403


@pytest.mark.parametrize("preview_server", ["0.0.0.0"], indirect=True)
def test_listening_on_every_address_answers_to_any_address_but_to_no_other_name(
    preview_server: tuple[Path, int],
) -> None:
    _, port = preview_server
    assert request(port, "/", f"192.168.1.20:{port}")[0] == 200
    assert request(port, "/", f"[fe80::1]:{port}")[0] == 200
    assert request(port, "/", f"localhost:{port}")[0] == 200
    assert request(port, "/", f"rebound.attacker.example:{port}")[0] == 403


def test_serves_regular_files_inside_the_output_only(
    preview_server: tuple[Path, int], tmp_path: Path
) -> None:
    out, port = preview_server
    host = f"127.0.0.1:{port}"
    secret = tmp_path / "secret"
    secret.mkdir()
    (secret / "key.txt").write_text("the build machine's secret")
    (secret / "index.html").write_text("<p>the build machine's secret</p>")
    (out / "leak.txt").symlink_to(secret / "key.txt")
    (out / "leak").symlink_to(secret, target_is_directory=True)
    (out / "inside.json").symlink_to(out / "manifest.json")
    os.mkfifo(out / "pipe.txt")
    for path in ("/leak.txt", "/leak/", "/leak/key.txt", "/leak/index.html", "/pipe.txt"):
        status, _, body = request(port, path, host)
        assert status == 404, path
        assert b"secret" not in body
    # A link that stays inside the output folder is followed.
    status, headers, body = request(port, "/inside.json", host)
    assert status == 200 and body == (out / "manifest.json").read_bytes()


@pytest.mark.parametrize("swapped", ["link", "pipe"])
def test_a_file_swapped_for_a_link_or_a_pipe_while_it_is_found_is_not_served(
    preview_server: tuple[Path, int],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    swapped: str,
) -> None:
    # The output folder changes while it is served: a link put in place of a file after its
    # path was resolved was followed out of the folder, and a pipe held the request forever.
    out, port = preview_server
    secret = tmp_path / "secret.txt"
    secret.write_text("the build machine's secret")
    find = serving._Handler._find

    def find_then_swap(handler: serving._Handler, path: str) -> Path | str | None:
        found = find(handler, path)
        if isinstance(found, Path):
            found.unlink()
            if swapped == "link":
                found.symlink_to(secret)
            else:
                os.mkfifo(found)
        return found

    monkeypatch.setattr(serving._Handler, "_find", find_then_swap)
    status, _, body = request(port, "/manifest.json", f"127.0.0.1:{port}")
    assert status == 404
    assert b"secret" not in body


def test_never_lists_a_folder(preview_server: tuple[Path, int]) -> None:
    out, port = preview_server
    host = f"127.0.0.1:{port}"
    assert (out / "static").is_dir() and not (out / "static/index.html").exists()
    for path in ("/static/", "/api/", "/api/privacy/global/"):
        status, _, body = request(port, path, host)
        assert status == 404, path
        # The site's 404 page, not a listing of the folder's files.
        page = (out / "404.html").read_bytes()
        assert body == page.replace(b"</body>", RELOAD_SCRIPT.encode() + b"</body>", 1)
    status, headers, _ = request(port, "/en/global/privacy", host)
    assert status == 301 and headers["Location"] == "/en/global/privacy/"


def test_answers_head_requests_without_a_body(preview_server: tuple[Path, int]) -> None:
    _, port = preview_server
    status, headers, body = request(port, "/manifest.json", f"localhost:{port}", "HEAD")
    assert (status, body) == (200, b"")
    assert headers["Content-Type"] == "application/json"
    assert int(headers["Content-Length"]) > 100
    assert request(port, "/static/", f"localhost:{port}", "HEAD")[:1] == (404,)


def test_serve_will_not_make_its_output_folder_through_a_link_out_of_the_site(
    site_factory: SiteFactory, tmp_path: Path
) -> None:
    site = site_factory({"content/privacy/2024-01-01/en.md": PRIVACY_EN})
    elsewhere = tmp_path / "elsewhere"
    (site / "public").symlink_to(elsewhere, target_is_directory=True)
    run = subprocess.run(
        [sys.executable, "-m", "policygen.cli", "serve", str(site), "--port", str(free_port())],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert run.returncode == 1
    assert run.stderr == (
        f"policygen serve: {site / 'public'} is a link to a place outside the site folder: "
        "policygen does not write through it (name the folder itself with -o)\n"
    )
    assert not elsewhere.exists()


def raw_request(port: int, data: bytes, seconds: float = 5) -> bytes:
    """What the server answers to these bytes, until it closes the connection."""
    with socket.create_connection(("127.0.0.1", port), timeout=seconds) as connection:
        connection.sendall(data)
        answer = b""
        while chunk := connection.recv(65536):
            answer += chunk
    return answer


def test_a_request_with_two_hosts_is_refused(preview_server: tuple[Path, int]) -> None:
    # Before, the first Host was checked and the second ignored: a request that named this
    # server and another one was answered.
    _, port = preview_server
    for hosts in (
        (f"127.0.0.1:{port}", "attacker.example"),
        ("attacker.example", f"127.0.0.1:{port}"),
    ):
        lines = "".join(f"Host: {host}\r\n" for host in hosts)
        answer = raw_request(port, f"GET / HTTP/1.1\r\n{lines}Connection: close\r\n\r\n".encode())
        assert answer.startswith(b"HTTP/1.0 403 Forbidden\r\n"), hosts


@pytest.mark.parametrize(
    ("line", "status"),
    [
        (b"GET /%c0%ae%c0%ae/site.yaml HTTP/1.1", b"404"),
        (b"GET /..%5c..%5csite.yaml HTTP/1.1", b"404"),
        (b"GET /manifest.json%00.html HTTP/1.1", b"404"),
        (b"GET http://attacker.example/../site.yaml HTTP/1.1", b"404"),
        (b"GET /\xff\xfe HTTP/1.1", b"404"),
        (b"GET /" + b"a" * 2**20 + b" HTTP/1.1", b"414"),
        (b"POST / HTTP/1.1", b"501"),
        (b"OPTIONS / HTTP/1.1", b"501"),
        (b"GET / HTTP/1.1\r\nX: " + b"a" * 2**20, b"431"),
        (b"GET / HTTP/1.1" + b"".join(b"\r\nX-%d: a" % i for i in range(200)), b"431"),
    ],
)
def test_a_hostile_request_gets_an_error_and_the_server_goes_on(
    preview_server: tuple[Path, int], capsys: pytest.CaptureFixture[str], line: bytes, status: bytes
) -> None:
    _, port = preview_server
    host = f"Host: 127.0.0.1:{port}\r\n".encode()
    answer = raw_request(port, line + b"\r\n" + host + b"Connection: close\r\n\r\n")
    assert answer.split(b" ", 2)[1] == status
    assert b"base_url" not in answer
    assert request(port, "/manifest.json", f"127.0.0.1:{port}")[0] == 200
    assert capsys.readouterr().err == ""


def test_a_connection_that_sends_nothing_is_closed(
    preview_server: tuple[Path, int], monkeypatch: pytest.MonkeyPatch
) -> None:
    # Before, a connection that sent half a request line held its thread for ever: 300 of
    # them held 300 threads. Now it is closed within half a minute (here, sooner).
    assert serving._Handler.timeout is not None and 0 < serving._Handler.timeout <= 30
    monkeypatch.setattr(serving._Handler, "timeout", 0.3)
    _, port = preview_server
    started = time.perf_counter()
    assert raw_request(port, b"GET / HTT") == b""
    assert time.perf_counter() - started < 3
