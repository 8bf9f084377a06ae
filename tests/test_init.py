"""policygen init, and new on a policy that does not exist yet: a site that builds at once."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

import pytest
import yaml

from policygen.scaffold import daily_build_cron, machine_timezone

from .conftest import ROOT, Run, problems_of

CLI = Callable[..., Run]


def test_init_creates_a_site_that_passes_a_strict_check_and_builds(
    cli: CLI, tmp_path: Path
) -> None:
    site = tmp_path / "policies"
    run = cli("init", str(site), "--timezone", "Europe/Dublin")
    assert run.code == 0, run.err
    assert sorted(p.relative_to(site).as_posix() for p in site.rglob("*") if p.is_file()) == [
        ".github/workflows/policies.yml",
        ".gitignore",
        "README.md",
        "site.yaml",
    ]
    assert run.err.splitlines()[:5] == [
        f"policygen: created a policy site in {site}:",
        "  site.yaml",
        "  README.md",
        "  .gitignore",
        "  .github/workflows/policies.yml",
    ]
    assert "Next:" in run.err and f"  cd {site}" in run.err
    settings = (site / "site.yaml").read_text()
    assert "default_language: en\nlanguages: [en]\n" in settings
    assert "timezone: Europe/Dublin\n" in settings
    assert "regions:\n  global: {default: true}\n" in settings
    assert cli("check", str(site), "--strict").code == 0
    assert cli("build", str(site)).code == 0
    assert (site / "public/index.html").is_file()
    assert [line for line in (site / ".gitignore").read_text().splitlines() if line[0] != "#"] == [
        "/public/",
        "/.public.policygen-*/",
    ]


def test_init_writes_what_it_is_given(cli: CLI, tmp_path: Path) -> None:
    site = tmp_path / "s"
    run = cli(
        "init",
        str(site),
        "--language",
        "ja",
        "--language",
        "en",
        "--region",
        "global",
        "--region",
        "europe",
        "--timezone",
        "Asia/Tokyo",
        "--title",
        "JASSO: policies",
        "--base-url",
        "https://www.example.org/policies/",
    )
    assert run.code == 0, run.err
    settings = (site / "site.yaml").read_text()
    assert "title: 'JASSO: policies'\n" in settings
    assert "base_url: https://www.example.org/policies/\n" in settings
    assert "default_language: ja\nlanguages: [ja, en]\n" in settings
    assert "  global: {default: true}\n  europe: {}\n" in settings
    assert "base_url in site.yaml" not in run.err
    workflow = (site / ".github/workflows/policies.yml").read_text()
    assert 'schedule: [{cron: "5 15 * * *"}]   # 00:05 in Asia/Tokyo' in workflow
    assert (
        "uses: OWNER/policygen@v1   # OWNER/policygen: where policygen's repository is" in workflow
    )
    readme = (site / "README.md").read_text()
    assert readme.startswith("# JASSO: policies\n")
    assert "`content/<policy>/<revision>/ja.md`" in readme
    assert cli("check", str(site), "--strict").code == 0


def test_init_asks_on_a_terminal_for_what_it_was_not_given(
    cli: CLI, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    answers = iter(["Acme policies", "", "en, de", "Europe/Berlin"])
    questions: list[str] = []

    def answer(question: str) -> str:
        questions.append(question)
        return next(answers)

    monkeypatch.setattr("sys.stdin.isatty", lambda: True)
    monkeypatch.setattr("builtins.input", answer)
    run = cli("init", str(tmp_path / "s"), "--region", "global")
    assert run.code == 0, run.err
    assert questions[:3] == [
        "Title of the site [Policies]: ",
        "Address it will be published at [http://127.0.0.1:8000/]: ",
        "Languages, the source language first [en]: ",
    ]
    assert len(questions) == 4, "regions were given, so they are not asked"
    assert questions[3].startswith("Time zone effective dates start in [")
    settings = (tmp_path / "s/site.yaml").read_text()
    assert "title: Acme policies\n" in settings
    assert "languages: [en, de]\n" in settings
    assert "timezone: Europe/Berlin\n" in settings


def test_init_refuses_a_folder_that_is_not_empty(cli: CLI, tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("mine")
    run = cli("init", str(tmp_path))
    assert run.code == 1
    assert run.err == (
        f"policygen: {tmp_path} is not empty (notes.txt): policygen init makes a new site in an empty folder; "
        "--force adds the files that are missing, and never overwrites one\n"
    )
    assert sorted(p.name for p in tmp_path.iterdir()) == ["notes.txt"]


def test_init_takes_a_folder_with_only_a_git_repository(cli: CLI, tmp_path: Path) -> None:
    (tmp_path / ".git").mkdir()
    assert cli("init", str(tmp_path)).code == 0
    assert (tmp_path / "site.yaml").is_file()


def test_init_with_force_never_overwrites_a_file(cli: CLI, tmp_path: Path) -> None:
    (tmp_path / "README.md").write_text("our own readme\n")
    run = cli("init", str(tmp_path), "--force")
    assert run.code == 0, run.err
    assert (tmp_path / "README.md").read_text() == "our own readme\n"
    assert "  README.md: exists already, left as it was\n" in run.err
    assert "  site.yaml\n" in run.err
    assert (tmp_path / "site.yaml").is_file()


def test_init_refuses_a_file_as_its_folder(cli: CLI, tmp_path: Path) -> None:
    (tmp_path / "f").write_text("")
    run = cli("init", str(tmp_path / "f"))
    assert (run.code, run.err) == (1, f"policygen: {tmp_path / 'f'} is a file, not a folder\n")


@pytest.mark.parametrize(
    ("options", "message"),
    [
        (
            ["--language", "xx-nope"],
            "policygen init: --language: 'xx-nope' is not a language tag policygen knows (write BCP 47 tags such as en, ja, pt-BR, zh-Hant)",
        ),
        (
            ["--language", "en", "--language", "EN"],
            "policygen init: --language: 'EN' is given twice",
        ),
        (
            ["--region", "Europe"],
            "policygen init: --region: 'Europe' is not a region id: use lowercase letters, digits, '.', '_' or '-' (such as global, europe)",
        ),
        (
            ["--timezone", "Mars/Olympus"],
            "policygen init: --timezone: 'Mars/Olympus' is not a time zone name such as Europe/Paris or Asia/Tokyo",
        ),
        (
            ["--base-url", "ftp://example.org/"],
            "policygen init: --base-url: 'ftp://example.org/' is not an absolute http(s) URL such as https://example.org/policies/",
        ),
        (["--title", " "], "policygen init: --title must not be empty"),
    ],
)
def test_init_refuses_bad_settings(
    cli: CLI, tmp_path: Path, options: list[str], message: str
) -> None:
    run = cli("init", str(tmp_path / "s"), *options)
    assert (run.code, run.err) == (2, message + "\n")
    assert not (tmp_path / "s").exists()


@pytest.mark.parametrize(
    ("timezone", "cron"),
    [
        ("UTC", "5 0 * * *"),
        ("Asia/Tokyo", "5 15 * * *"),
        ("Europe/Paris", "5 23 * * *"),  # 00:05 in winter; 01:05 in summer
        ("America/New_York", "5 5 * * *"),
        ("Asia/Kolkata", "35 18 * * *"),
    ],
)
def test_the_daily_build_runs_after_midnight_in_the_site_time_zone(
    timezone: str, cron: str
) -> None:
    assert daily_build_cron(timezone, 2026) == cron


@pytest.mark.parametrize(
    ("link", "variable", "zone"),
    [
        ("/usr/share/zoneinfo/Europe/Paris", None, "Europe/Paris"),
        ("/usr/share/zoneinfo/Etc/UTC", None, "UTC"),
        ("/usr/share/zoneinfo/Europe/Paris", ":Asia/Tokyo", "Asia/Tokyo"),
        (None, "not a zone", "UTC"),
        (None, None, "UTC"),
    ],
)
def test_the_machine_time_zone(link: str | None, variable: str | None, zone: str) -> None:
    assert machine_timezone(link, variable) == zone


def test_new_creates_a_policy_that_does_not_exist_yet(cli: CLI, tmp_path: Path) -> None:
    site = tmp_path / "s"
    cli("init", str(site))
    run = cli("new", "privacy", "--effective", "2026-01-01", str(site))
    assert run.code == 0, run.err
    assert run.err.splitlines()[:3] == [
        "policygen: created policy 'privacy':",
        "  content/privacy/policy.yaml",
        "  content/privacy/2026-01-01/en.md",
    ]
    assert (site / "content/privacy/policy.yaml").read_text() == "title: Privacy Policy\n"
    assert (site / "content/privacy/2026-01-01/en.md").read_text() == (
        "---\ntitle: Privacy Policy\neffective: 2026-01-01\npublished: 2026-01-01\n"
        "summary:   # optional for a first revision: what this text is, in a sentence\n"
        "---\nReplace this line with the text of the policy.\n"
    )
    assert problems_of(site) == []
    assert [p.split(": warning: ")[1][:40] for p in problems_of(site, severity="warning")] == [
        "revision '2026-01-01' of policy 'privacy"
    ]
    assert cli("lock", str(site)).code == 0
    assert cli("check", "--strict", str(site)).code == 0


def test_new_policy_takes_a_title_and_a_later_date(cli: CLI, tmp_path: Path) -> None:
    site = tmp_path / "s"
    cli("init", str(site))
    today = dt.datetime.now(dt.UTC).date()
    effective = today + dt.timedelta(days=60)
    run = cli(
        "new", "data-retention", "--effective", str(effective), "--title", "Retention", str(site)
    )
    assert run.code == 0, run.err
    text = (site / f"content/data-retention/{effective}/en.md").read_text()
    assert text.startswith(f"---\ntitle: Retention\neffective: {effective}\npublished: ")
    assert cli("check", str(site)).code == 0


@pytest.mark.parametrize(
    "policy_id, why",
    [
        ("Privacy Policy", "use lowercase letters, digits, '.', '_' or '-' (such as privacy, cookies, terms)"),
        ("index.html", "web servers take what has that name in a folder for the folder's page, and this one would stand in each region's folder"),
    ],
)  # fmt: skip
def test_new_refuses_a_policy_id_that_cannot_name_a_policy(
    cli: CLI, tmp_path: Path, policy_id: str, why: str
) -> None:
    site = tmp_path / "s"
    cli("init", str(site))
    run = cli("new", policy_id, "--effective", "2026-01-01", str(site))
    assert run.code == 1
    assert run.err == f"content/{policy_id}: error: '{policy_id}' cannot be a policy id: {why}\n"
    assert not (site / "content" / policy_id).exists()


def test_the_workflow_uses_the_action_with_inputs_it_has(cli: CLI, tmp_path: Path) -> None:
    site = tmp_path / "policies"
    action = "example-org/policygen@v1.2"
    assert cli("init", str(site), "--timezone", "UTC", "--action", action).code == 0
    workflow = yaml.safe_load((site / ".github/workflows/policies.yml").read_text())
    inputs = yaml.safe_load((ROOT / "action.yml").read_text())["inputs"]
    steps = {name: job["steps"] for name, job in workflow["jobs"].items()}
    ours = [step for job in steps.values() for step in job if step.get("uses") == action]
    assert len(ours) == 2, "pull requests are checked, main is published, both by the action"
    assert all(set(step.get("with", {})) <= set(inputs) for step in ours)
    assert steps["check"][1]["with"] == {"upload-pages-artifact": "false"}
    assert steps["publish"][-1]["uses"].startswith("actions/deploy-pages@")
    assert workflow[True]["schedule"] == [{"cron": "5 0 * * *"}]  # YAML 1.1 reads `on` as true


def test_an_action_that_is_not_owner_repository_at_ref_is_refused(cli: CLI, tmp_path: Path) -> None:
    run = cli("init", str(tmp_path / "site"), "--action", "policygen@v1\n  run: curl evil")
    assert run.code == 2
    assert run.err.startswith(
        "policygen init: --action: 'policygen@v1\n  run: curl evil' does not name a GitHub Action"
    )
    assert not (tmp_path / "site").exists()
