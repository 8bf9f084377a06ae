"""A policygen build's output → the same corpus as a Hugo site, to time Hugo on the same texts.

Hugo gets the texts policygen's revision pages show: the `source.md` policygen publishes
beside each revision page (`<lang>/<region>/<policy>/<revision>/source.md`: the Markdown of
that page, region blocks applied, a missing translation replaced by the source language's
text). They go into Hugo's multilingual layout, one content folder per language, where files
at the same path in two languages are translations of each other:

    hugo.toml                                     the site's languages, future dates built
    content/<lang>/_index.md                      the home page of a language
    content/<lang>/<region>/_index.md             a region: lists its policies
    content/<lang>/<region>/<policy>/_index.md    a policy: lists its revisions (history)
    content/<lang>/<region>/<policy>/<rev>.md     a revision page
    layouts/_default/{baseof,single,list}.html    the theme

The theme is a rough equivalent of policygen's document page, without JavaScript: title,
alternate links and a language switcher (the page's translations), a region switcher (the
same revision in each region, looked up by path), dates formatted for the language, a table
of contents, the text, links to the history and the previous revision. List pages list
their pages by date. Hugo makes no redlines, no manifest, no feeds, no sitemap: it makes
about half of policygen's pages.
"""

from __future__ import annotations

import json
from pathlib import Path

from corpus import LANGUAGES, POLICIES, REGIONS, CorpusSize

CONFIG = """\
baseURL = "https://www.example.org/policies/"
title = "JASSO Study in Japan Virtual Fair"
defaultContentLanguage = "en"
defaultContentLanguageInSubdir = true
# The upcoming revisions take effect after today: build them, as policygen does.
buildFuture = true
disableKinds = ["taxonomy", "term", "RSS", "sitemap", "robotsTXT", "404"]

[markup.tableOfContents]
startLevel = 2
endLevel = 2
"""
BASEOF = """\
<!DOCTYPE html>
<html lang="{{ .Site.Language.Lang }}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{ .Title }} · {{ .Site.Title }}</title>
<link rel="canonical" href="{{ .Permalink }}">
{{ range .AllTranslations }}<link rel="alternate" hreflang="{{ .Language.Lang }}" href="{{ .Permalink }}">
{{ end }}</head>
<body>
<header>
<a href="{{ .Site.Home.RelPermalink }}">{{ .Site.Title }}</a>
<nav aria-label="Languages"><ul>
{{ range .AllTranslations }}<li><a href="{{ .RelPermalink }}" hreflang="{{ .Language.Lang }}">{{ .Language.LanguageName }}</a></li>
{{ end }}</ul></nav>
{{ if .Params.policy }}<nav aria-label="Regions"><ul>
{{ range .Site.Sections }}{{ $region := . }}{{ with $.Site.GetPage (printf "/%s/%s/%s" .Section $.Params.policy $.Params.revision) }}<li><a href="{{ .RelPermalink }}">{{ $region.Title }}</a></li>
{{ end }}{{ end }}</ul></nav>{{ end }}
</header>
<main>
{{ block "main" . }}{{ end }}
</main>
</body>
</html>
"""
SINGLE = """\
{{ define "main" }}
<article class="policy">
<header>
<p class="policy__kicker">{{ .Parent.Parent.Title }}</p>
<h1>{{ .Title }}</h1>
<dl>
<div><dt>Effective</dt><dd><time datetime="{{ .Date.Format "2006-01-02" }}">{{ .Date | time.Format ":date_long" }}</time></dd></div>
<div><dt>Version</dt><dd>{{ .Params.revision }}</dd></div>
</dl>
</header>
<nav class="toc"><h2>Contents</h2>
{{ .TableOfContents }}
</nav>
<div class="policy__body">
{{ .Content }}
</div>
<nav class="policy__links"><ul>
<li><a href="{{ .Parent.RelPermalink }}">All versions</a></li>
{{ with .PrevInSection }}<li><a href="{{ .RelPermalink }}">Previous version</a></li>{{ end }}
</ul></nav>
</article>
{{ end }}
"""
LIST = """\
{{ define "main" }}
<h1>{{ .Title }}</h1>
<ul>
{{ range .Pages.ByDate.Reverse }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a>{{ if .Params.revision }} <time datetime="{{ .Date.Format "2006-01-02" }}">{{ .Date | time.Format ":date_long" }}</time>{{ end }}</li>
{{ end }}</ul>
{{ end }}
"""


def write_hugo_site(output: Path, folder: Path, size: CorpusSize) -> int:
    """Write into `folder` the Hugo site of the revision texts in policygen's `output`; returns their number."""
    languages = {language.casefold(): language for language in LANGUAGES[: size.languages]}
    regions = {region[0]: region[1:3] for region in REGIONS[: size.regions]}
    policies = {policy[0]: policy[1:3] for policy in POLICIES[: size.policies]}
    files = {"hugo.toml": _config(list(languages.values()))}
    files |= {
        "layouts/_default/baseof.html": BASEOF,
        "layouts/_default/single.html": SINGLE,
        "layouts/_default/list.html": LIST,
    }
    texts = 0
    for source in sorted(output.rglob("source.md")):
        parts = source.parent.relative_to(output).parts
        if len(parts) != 4 or parts[0].casefold() not in languages:
            raise ValueError(
                f"{source}: expected <lang>/<region>/<policy>/<revision>/source.md in {output}"
            )
        language, region, policy, revision = languages[parts[0].casefold()], *parts[1:]
        # Names in English, or Japanese: the corpus's other languages are English-like.
        japanese = language == "ja"
        region_name = regions.get(region, (region, region))[japanese]
        policy_name = policies.get(policy, (policy, policy))[japanese]
        base = f"content/{language}"
        files[f"{base}/_index.md"] = _front({"title": "Policies"})
        files[f"{base}/{region}/_index.md"] = _front({"title": region_name})
        files[f"{base}/{region}/{policy}/_index.md"] = _front({"title": policy_name})
        files[f"{base}/{region}/{policy}/{revision}.md"] = _front(
            {"title": policy_name, "date": revision, "policy": policy, "revision": revision}
        ) + source.read_text("utf-8")
        texts += 1
    for path, text in files.items():
        target = folder / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
    return texts


def _config(languages: list[str]) -> str:
    lines = [CONFIG]
    for weight, language in enumerate(languages, start=1):
        lines += [
            f'[languages."{language}"]',
            f'contentDir = "content/{language}"',
            f'languageName = "{language}"',
            f"weight = {weight}",
            "",
        ]
    return "\n".join(lines)


def _front(fields: dict[str, str]) -> str:
    # JSON strings are YAML double-quoted strings; a bare date stays a YAML date for Hugo.
    lines = [
        f"{name}: {value if name == 'date' else json.dumps(value, ensure_ascii=False)}"
        for name, value in fields.items()
    ]
    return "---\n" + "\n".join(lines) + "\n---\n"
