"""Problems → GitHub Actions workflow commands, which GitHub shows as annotations on the lines
of the files they name, in pull requests and in a workflow run's summary (pure)."""

from __future__ import annotations

import posixpath

from .errors import Problem


def github_annotation(problem: Problem, site: str = "") -> str:
    """`::error file=…,line=…,col=…,title=…::message` for one problem.

    `site` is the site folder from the repository's root ("" for the root): GitHub places an
    annotation by its path in the repository, and a problem's path is from the site folder.
    """
    location = problem.location
    properties = [("file", posixpath.normpath(posixpath.join(site, location.path)))]
    if location.line is not None:
        properties.append(("line", str(location.line)))
        if location.column is not None:
            properties.append(("col", str(location.column)))
    properties.append(("title", f"policygen: {problem.code}"))
    listed = ",".join(f"{name}={_escape_property(value)}" for name, value in properties)
    return f"::{problem.severity} {listed}::{_escape_data(problem.message)}"


def _escape_data(text: str) -> str:
    # As GitHub's own toolkit escapes a command's message: it ends at a line break otherwise.
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")
