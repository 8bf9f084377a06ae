"""A new site's settings → the files `policygen init` creates (pure: no I/O, no clock)."""

from __future__ import annotations

import datetime as dt
import re
import zoneinfo
from collections.abc import Sequence
from dataclasses import dataclass
from urllib.parse import urlsplit

import yaml

from .config import SLUG, is_known_language, parse_config, timezone_problem
from .drafting import NewFile
from .errors import SourceLocation

DEFAULT_TITLE = "Policies"
DEFAULT_LANGUAGE = "en"
DEFAULT_REGION = "global"
PREVIEW_URL = "http://127.0.0.1:8000/"
"""Where `policygen serve` shows the site: the one address a new site is known to have."""
WORKFLOW = ".github/workflows/policies.yml"
ACTION_PLACEHOLDER = "OWNER/policygen@v1"
"""What the workflow uses when `--action` does not say where policygen's action is."""
ACTION = re.compile(
    r"[A-Za-z0-9](?:[A-Za-z0-9-]*)/[A-Za-z0-9._-]+(?:/[A-Za-z0-9._/-]+)?@[A-Za-z0-9._/-]+"
)
"""`owner/repository[/path]@ref`, as a workflow's `uses:` names an action."""


@dataclass(frozen=True, slots=True)
class SiteSettings:
    """What `policygen init` asks for."""

    title: str
    base_url: str
    languages: tuple[str, ...]
    """The first is the source language."""
    regions: tuple[str, ...]
    """The first is the default region."""
    timezone: str
    action: str = ACTION_PLACEHOLDER
    """Where the workflow finds policygen's GitHub Action: `owner/repository@ref`."""


def check_language(tag: str) -> str | None:
    """Why `tag` cannot be a site language, or None."""
    if not is_known_language(tag):
        return f"'{tag}' is not a language tag policygen knows (write BCP 47 tags such as en, ja, pt-BR, zh-Hant)"
    return None


def check_region(region_id: str) -> str | None:
    """Why `region_id` cannot be a region id, or None."""
    if not SLUG.match(region_id):
        return f"'{region_id}' is not a region id: use lowercase letters, digits, '.', '_' or '-' (such as global, europe)"
    return None


def check_action(name: str) -> str | None:
    """Why `name` cannot be the workflow's `uses:` of policygen's action, or None."""
    if ACTION.fullmatch(name) is None:
        return f"'{name}' does not name a GitHub Action as a workflow uses one: write owner/repository@ref, such as example-org/policygen@v1"
    return None


def check_base_url(url: str) -> str | None:
    """Why `url` cannot be a site's base_url, or None (the rule of site.yaml)."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc or parts.query or parts.fragment:
        return f"'{url}' is not an absolute http(s) URL such as https://example.org/policies/"
    return None


def settings_problems(settings: SiteSettings) -> list[str]:
    """Every reason the settings cannot make a site, as `--option 'value' ...` sentences."""
    problems = ["--title must not be empty"] if not settings.title.strip() else []
    for option, values, check in (
        ("--language", settings.languages, check_language),
        ("--region", settings.regions, check_region),
        ("--timezone", (settings.timezone,), timezone_problem),
        ("--base-url", (settings.base_url,), check_base_url),
        ("--action", (settings.action,), check_action),
    ):
        seen: set[str] = set()
        for value in values:
            reason = check(value)
            if reason:
                problems.append(f"{option}: {reason}")
            elif value.casefold() in seen:
                problems.append(f"{option}: '{value}' is given twice")
            seen.add(value.casefold())
    return problems


UTC_NAMES = frozenset(
    {
        "Etc/UTC",
        "Etc/UCT",
        "Etc/Universal",
        "Etc/Zulu",
        "UCT",
        "Universal",
        "Zulu",
        "Etc/GMT",
        "GMT",
    }
)


def machine_timezone(localtime_target: str | None, tz_variable: str | None) -> str:
    """The IANA name of this computer's time zone, from $TZ or the /etc/localtime link; else UTC."""
    candidates = [tz_variable.removeprefix(":")] if tz_variable else []
    if localtime_target and "zoneinfo/" in localtime_target:
        candidates.append(localtime_target.split("zoneinfo/", 1)[1])
    for name in candidates:
        if timezone_problem(name) is None:
            return "UTC" if name in UTC_NAMES else name
    return "UTC"


def render_site_yaml(settings: SiteSettings) -> str:
    """site.yaml for the settings, with comments that say what each value does."""
    dump = _yaml_value
    lines = [
        "# The settings of this policy site: see docs/content-format.md in policygen.",
        f"title: {dump(settings.title)}",
        "# Where the site is published: canonical links, the sitemap and the manifest use it.",
        f"base_url: {dump(settings.base_url)}",
        "# The source language: every revision is written in it first, and its text prevails.",
        f"default_language: {dump(settings.languages[0])}",
        f"languages: [{', '.join(dump(lang) for lang in settings.languages)}]",
        "# Effective dates start at 00:00 in this time zone.",
        f"timezone: {dump(settings.timezone)}",
        "# Readers get the text of their region; the default region is everyone else's.",
        "# A region lists its countries (ISO codes) and may have a name per language:",
        "#   europe: {countries: [AT, BE, DE, FR], name: {en: Europe}}",
        "regions:",
    ]
    for index, region in enumerate(settings.regions):
        lines.append(
            f"  {dump(region)}: {{default: true}}" if index == 0 else f"  {dump(region)}: {{}}"
        )
    text = "\n".join(lines) + "\n"
    config, problems = parse_config(text, SourceLocation("site.yaml"))
    assert config is not None and not problems, problems  # settings_problems checked every value
    return text


def _yaml_value(value: str) -> str:
    """A YAML scalar that reads back as `value`, quoted only when it must be."""
    dumped = yaml.safe_dump(value, allow_unicode=True, width=1000, default_style=None)
    return dumped.removesuffix("\n...\n").removesuffix("\n")


def render_readme(settings: SiteSettings) -> str:
    """README.md for the site's editors: the few commands they need, in plain words."""
    source = settings.languages[0]
    others = [lang for lang in settings.languages if lang != source]
    example = others[0] if others else "fr"
    return f"""\
# {settings.title}

The policies published on {settings.base_url}, written in Markdown and published with
policygen. Every revision of every policy stays online, with its effective date and what
changed.

## Where things are

- `site.yaml`: the site's languages, regions and time zone.
- `content/<policy>/<revision>/{source}.md`: one revision of a policy, in {source}
  (the source language). Its translations sit beside it: `{example}.md`.
- `policies.lock`: the fingerprints of the texts in effect (see "Lock" below).

## Add a revision

    policygen new privacy --effective 2030-01-01

starts the next revision of the privacy policy from the current text (or a first revision,
for a policy that does not exist yet). Edit the new file, and write in `summary:` what
changed. A Word file or a web page can be brought in instead:

    policygen import privacy.docx --policy privacy --effective 2030-01-01

## Translate

Copy the source-language file to `<language>.md` in the same folder (for example
`{example}.md`) and translate it; keep the front matter's `title` and `summary`, and drop
the dates (a translation takes them from the source text). Until a translation exists,
readers get the source text with a notice. `policygen status` shows what is missing.

## Check and preview

    policygen check --strict
    policygen serve

`check` reports every problem with its file and line. `serve` shows the site at
{PREVIEW_URL} and updates it as you save.

## Lock

A policy in effect is a legal record: its text must not change silently. When a revision
is final, run

    policygen lock

and commit `policies.lock` with it. A later change to a locked text fails the check unless
the front matter records it under `corrections:`.

## Build

    policygen build

writes the site into `public/`, ready for any static web host.
"""


GITIGNORE = """\
# What policygen builds: made again from the sources.
/public/
# The folder a build writes before it takes the place of public/, and the old output
# while it is removed.
/.public.policygen-*/
"""


def daily_build_cron(timezone: str, year: int) -> str:
    """A cron line (UTC) for 00:05 in `timezone`: after midnight there on every day of `year`.

    A new day may bring a revision into force; with summer time, midnight falls at two
    UTC hours, and the later one is after midnight all year.
    """
    zone = zoneinfo.ZoneInfo(timezone)
    offsets = {
        dt.datetime(year, month, 1, 12, tzinfo=zone).utcoffset() or dt.timedelta()
        for month in range(1, 13)
    }
    minutes = (5 - min(offsets) // dt.timedelta(minutes=1)) % (24 * 60)
    return f"{minutes % 60} {minutes // 60} * * *"


def render_workflow(settings: SiteSettings, year: int) -> str:
    """A GitHub Actions workflow that checks every pull request with policygen's action, and
    builds and publishes the site on Pages from main and every day after midnight."""
    cron = daily_build_cron(settings.timezone, year)
    where = (
        "   # OWNER/policygen: where policygen's repository is; v1: a tag or commit of it"
        if settings.action == ACTION_PLACEHOLDER
        else ""
    )
    return f"""\
# Checks the policies on every pull request, each problem shown on its file and line, and
# publishes them with GitHub Pages from main, and every day just after midnight in
# {settings.timezone}: a new day may bring a revision into force.
name: policies
on:
  push: {{branches: [main]}}
  pull_request:
  schedule: [{{cron: "{cron}"}}]   # 00:05 in {settings.timezone}
jobs:
  check:
    if: github.event_name == 'pull_request'
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - uses: {settings.action}{where}
        with: {{upload-pages-artifact: "false"}}
  publish:
    if: github.event_name != 'pull_request'
    runs-on: ubuntu-latest
    permissions: {{contents: read, pages: write, id-token: write}}
    environment: {{name: github-pages, url: "${{{{ steps.deploy.outputs.page_url }}}}"}}
    steps:
      - uses: actions/checkout@v4
      - uses: {settings.action}
      - id: deploy
        uses: actions/deploy-pages@v4
"""


def plan_site(settings: SiteSettings, year: int) -> list[NewFile]:
    """Every file of a new site."""
    return [
        NewFile("site.yaml", render_site_yaml(settings)),
        NewFile("README.md", render_readme(settings)),
        NewFile(".gitignore", GITIGNORE),
        NewFile(WORKFLOW, render_workflow(settings, year)),
    ]


def is_empty_folder(names: Sequence[str]) -> bool:
    """Whether a folder holding `names` counts as empty: nothing, or only a git repository."""
    return all(name == ".git" for name in names)
