"""action.yml, the GitHub Action: its steps' commands, run as GitHub runs them, on a site."""

from __future__ import annotations

import calendar
import os
import re
import subprocess
import sys
import sysconfig
from pathlib import Path

import pytest
import yaml

from .conftest import EXAMPLE_AS_OF, ROOT, copy_example

ACTION = yaml.safe_load((ROOT / "action.yml").read_text(encoding="utf-8"))
EXPRESSION = re.compile(r"\$\{\{\s*([^}]*?)\s*\}\}")
# GitHub runs `shell: bash` steps as `bash --noprofile --norc -eo pipefail {0}`.
BASH = ["bash", "--noprofile", "--norc", "-eo", "pipefail"]


def substitute(value: str, inputs: dict[str, str]) -> str:
    """`value` with its `${{ }}` expressions evaluated; only the ones the action may use."""

    def evaluate(expression: re.Match[str]) -> str:
        name = expression[1]
        if name == "github.action_path":
            return str(ROOT)
        assert name.startswith("inputs."), f"an expression the test cannot evaluate: {name}"
        return inputs[name.removeprefix("inputs.")]

    return EXPRESSION.sub(evaluate, value)


def inputs_with(**given: str) -> dict[str, str]:
    declared = {name: str(spec.get("default", "")) for name, spec in ACTION["inputs"].items()}
    unknown = set(given) - set(declared)
    assert not unknown, f"not inputs of the action: {unknown}"
    return {**declared, **given}


def test_the_action_is_a_composite_whose_steps_use_only_declared_inputs() -> None:
    assert ACTION["runs"]["using"] == "composite"
    steps = ACTION["runs"]["steps"]
    used = {
        name.removeprefix("inputs.")
        for name in EXPRESSION.findall((ROOT / "action.yml").read_text(encoding="utf-8"))
        if name.startswith("inputs.")
    }
    assert used <= set(ACTION["inputs"]) and "upload-pages-artifact" in ACTION["inputs"]
    for step in steps:
        if "run" in step:
            assert step["shell"] == "bash"
            # Inputs reach commands as environment variables, never pasted into the script.
            assert "${{" not in step["run"], step["name"]
    assert steps[0]["uses"].startswith("actions/setup-python@")
    assert steps[0]["with"]["python-version"] == "${{ inputs.python-version }}"
    upload = steps[-1]
    assert upload["uses"].startswith("actions/upload-pages-artifact@")
    assert upload["with"]["path"] == "${{ inputs.output }}"
    assert upload["if"] == "inputs.upload-pages-artifact == 'true'"


INSTALL = "Install policygen"


@pytest.fixture(scope="module")
def runner(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """A runner after the action's first steps: a Python of its own first on PATH (as
    actions/setup-python leaves it), into which the install step has installed policygen.

    That Python sees this one's libraries, so that pip finds policygen's dependencies
    installed; it fetches only what builds policygen (setuptools) from the package index.
    """
    home = tmp_path_factory.mktemp("runner")
    python = home / "python/bin/python"
    subprocess.run([sys.executable, "-m", "venv", str(home / "python")], check=True)
    purelib = subprocess.run(
        [str(python), "-c", "import sysconfig; print(sysconfig.get_path('purelib'))"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()
    Path(purelib, "libraries-of-the-runner.pth").write_text(
        sysconfig.get_path("purelib") + "\n", encoding="utf-8"
    )
    environment = {
        **os.environ,
        "PATH": f"{python.parent}:{os.environ['PATH']}",
        "SOURCE_DATE_EPOCH": str(calendar.timegm(EXAMPLE_AS_OF.timetuple())),
    }
    [install] = run_steps(home, inputs_with(), environment, only=INSTALL)
    assert install.returncode == 0, install.stdout + install.stderr
    installed = subprocess.run(
        ["python", "-c", "import policygen; print(policygen.__file__)"],
        env=environment,
        capture_output=True,
        text=True,
        check=True,
    )
    assert installed.stdout.startswith(purelib), "policygen was installed, not borrowed"
    return environment


def run_steps(
    workspace: Path, inputs: dict[str, str], runner: dict[str, str], only: str | None = None
) -> list[subprocess.CompletedProcess[str]]:
    """Each `run` step after the install (or only the one named `only`), with its expressions
    evaluated, in order, until one fails."""
    done = []
    for step in ACTION["runs"]["steps"]:
        if "run" not in step or (step["name"] == INSTALL) != (only == INSTALL):
            continue
        env = {name: substitute(str(value), inputs) for name, value in step.get("env", {}).items()}
        result = subprocess.run(
            [*BASH, "-c", substitute(step["run"], inputs)],
            cwd=workspace,
            env={**runner, **env},
            capture_output=True,
            text=True,
        )
        done.append(result)
        if result.returncode != 0:
            break
    return done


def test_the_action_checks_and_builds_the_example_site(
    runner: dict[str, str], tmp_path: Path
) -> None:
    workspace = tmp_path / "workspace"
    copy_example(workspace / "policies")
    inputs = inputs_with(site="policies", output="out", **{"base-url": "https://example.org/p/"})
    check, build = run_steps(workspace, inputs, runner)
    assert check.returncode == 0, check.stdout + check.stderr
    assert check.stdout == "" and check.stderr == "policygen: no problems\n"
    assert build.returncode == 0, build.stderr
    site = workspace / "out"
    assert (site / "_headers").is_file() and (site / "en/global/privacy/index.html").is_file()
    assert '"base_url": "https://example.org/p/"' in (site / "manifest.json").read_text("utf-8")


def test_the_action_annotates_problems_and_stops_before_building(
    runner: dict[str, str], tmp_path: Path
) -> None:
    workspace = tmp_path / "workspace"
    site = copy_example(workspace / "policies")
    broken = site / "content/privacy/2022-07-07/ja.md"
    broken.write_text(
        broken.read_text(encoding="utf-8").replace("title:", "titel:", 1), encoding="utf-8"
    )
    results = run_steps(workspace, inputs_with(site="policies"), runner)
    assert [r.returncode for r in results] == [1], "no build after a failed check"
    annotations = results[0].stdout.splitlines()
    assert annotations and all(a.startswith("::") for a in annotations)
    assert any(
        a.startswith("::error file=policies/content/privacy/2022-07-07/ja.md,line=")
        for a in annotations
    ), annotations
    assert not (workspace / "public").exists()


def test_a_warning_fails_the_check_only_when_strict(runner: dict[str, str], tmp_path: Path) -> None:
    workspace = tmp_path / "workspace"
    site = copy_example(workspace / "policies")
    (site / "policies.lock").unlink()  # revisions in effect not locked: warnings
    strict = run_steps(workspace, inputs_with(site="policies"), runner)
    assert [r.returncode for r in strict] == [1]
    assert strict[0].stdout.startswith("::warning file=policies/")
    lenient = run_steps(workspace, inputs_with(site="policies", strict="false"), runner)
    assert [r.returncode for r in lenient] == [0, 0]


def test_the_readme_publishes_with_the_action_and_only_its_inputs() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    [workflow] = [
        yaml.safe_load(block)
        for block in re.findall(r"```yaml\n(.*?)```", readme, re.DOTALL)
        if "runs-on" in block
    ]
    steps = [step for job in workflow["jobs"].values() for step in job["steps"]]
    ours = [step for step in steps if step.get("uses", "").startswith("OWNER/policygen@")]
    assert len(ours) == 2, "the pull-request check and the publishing build use the action"
    for step in ours:
        assert set(step.get("with", {})) <= set(ACTION["inputs"])
    assert any(step.get("uses", "").startswith("actions/deploy-pages@") for step in steps)


@pytest.mark.parametrize("strict", ["yes", "True", ""])
def test_a_strict_input_that_is_neither_true_nor_false_stops_the_action(
    runner: dict[str, str], tmp_path: Path, strict: str
) -> None:
    # Before, any value but "true" checked leniently: `strict: yes` let warnings through.
    workspace = tmp_path / "workspace"
    copy_example(workspace / "policies")
    results = run_steps(workspace, inputs_with(site="policies", strict=strict), runner)
    assert [r.returncode for r in results] == [2]
    assert results[0].stdout == '::error::policygen: the input strict is "true" or "false"\n'
    assert not (workspace / "public").exists()


def test_a_site_and_output_whose_names_start_with_a_dash_are_folders(
    runner: dict[str, str], tmp_path: Path
) -> None:
    # Before, `policygen check "$SITE"` read "-site" as an option (a usage error), and
    # `-o "$OUTPUT"` took "-out" for a missing value.
    workspace = tmp_path / "workspace"
    copy_example(workspace / "-site")
    check, build = run_steps(workspace, inputs_with(site="-site", output="-out"), runner)
    assert (check.returncode, build.returncode) == (0, 0), check.stderr + build.stderr
    assert (workspace / "-out/_headers").is_file()
