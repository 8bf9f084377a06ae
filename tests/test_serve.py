"""policygen serve, started for real: pages over HTTP, rebuilds after edits, the error page, safety."""

from __future__ import annotations

import http.client
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from policygen.watch import classify_change

from .conftest import PRIVACY_EN, SiteFactory

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


@pytest.fixture
def served(site_factory: SiteFactory, tmp_path: Path) -> Iterator[tuple[Path, int]]:
    site = site_factory(
        {
            "content/privacy/2024-01-01/en.md": PRIVACY_EN,
            "content/cookies/2024-01-01/en.md": COOKIES,
        }
    )
    port = free_port()
    command = [
        sys.executable,
        "-m",
        "policygen.cli",
        "serve",
        str(site),
        "--port",
        str(port),
        "--as-of",
        "2026-01-01",
    ]
    with (
        (tmp_path / "serve.log").open("w") as log,
        subprocess.Popen(command, stderr=log, text=True) as process,
    ):
        try:
            wait_for(lambda: get(port, "/en/global/privacy/")[0] == 200)
            yield site, port
        finally:
            process.terminate()
            process.wait(timeout=10)


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
