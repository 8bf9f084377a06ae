"""Warnings worth reading (SPEC §6): each category is raised where something deserves a look,
and a correct site, near misses included, raises none, so that `check --strict` stays usable."""

from __future__ import annotations

import ast
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from .conftest import SITE_YAML, Run, SiteFactory, problems_of

AS_OF = "2026-11-29"
"""The date `problems_of` checks as of."""
SOURCE = Path(__file__).parent.parent / "src" / "policygen"
EN = "---\ntitle: Terms\neffective: 2024-01-01\nsummary: First.\n---\n## 1. Terms\n\nBe nice.\n"
FR = "---\ntitle: Conditions\n---\n## 1. Conditions\n\nSoyez gentils.\n"
BASE = {
    "site.yaml": SITE_YAML + "notice_days: 30\n",
    "content/terms/2024-01-01/en.md": EN,
    "content/terms/2024-01-01/fr.md": FR,
}


def revision(effective: str, body: str, *, published: str | None = None, more: str = "") -> str:
    """A source-language file of a later revision."""
    dates = f"effective: {effective}\n" + (f"published: {published}\n" if published else "")
    return f"---\ntitle: Terms\n{dates}{more}---\n{body}"


ANNOUNCED = revision(
    "2027-01-01", "## 1. Terms\n\nBe kind.\n", published="2026-11-01", more="summary: Kind.\n"
)
"""A revision announced before `AS_OF`, which takes effect after it."""
ANNOUNCED_LOCK = (
    f"terms 2027-01-01 en global effective=2027-01-01 sha256={'0' * 64}"
    " settings=0000000000000000 corrections=0 state=announced\n"
)
"""policies.lock holding that revision's text as another text, locked once announced."""


@dataclass(frozen=True)
class Case:
    """A warning category: a site that deserves it and the same site made right."""

    code: str
    wrong: dict[str, str]
    """Files over BASE that deserve the warning."""
    message: str
    """The warning, as printed."""
    right: dict[str, str]
    """Files over BASE that are correct, with the near misses a careless rule would flag."""
    after_lock: dict[str, str] = field(default_factory=dict)
    """Files of the correct site written after `policygen lock`."""

    def __str__(self) -> str:
        return self.code


CASES = [
    Case(
        "image",
        {"content/terms/2024-01-01/en.md": EN + "\n![Our logo](https://cdn.example/logo.png)\n"},
        "content/terms/2024-01-01/en.md:10: warning: images are not published ('https://cdn.example/logo.png'): policy pages load nothing from elsewhere; its description, 'Our logo', is shown in its place: check that it says what the image shows",
        {"content/terms/2024-01-01/en.md": EN + "\nOur logo is a green leaf.\n"},
    ),
    Case(
        "no-summary",
        {
            "content/terms/2025-01-01/en.md": revision(
                "2025-01-01", "## 1. Terms\n\nBe kind.\n", published="2024-11-01"
            )
        },
        "content/terms/2025-01-01/en.md:1: warning: this revision has no summary: say in a sentence what changed (summary: …); pages, the history and the feed show it",
        {
            # The first revision needs none; a region's file and a translation take the
            # source text's summary.
            "content/terms/2024-01-01/en.md": EN.replace("summary: First.\n", ""),
            "content/terms/2025-01-01/en.md": revision(
                "2025-01-01",
                "## 1. Terms\n\nBe kind.\n",
                published="2024-11-01",
                more="summary: Kind.\n",
            ),
            "content/terms/2025-01-01/en.eu.md": "---\n---\n## 1. Terms\n\nBe kind, in Europe.\n",
            "content/terms/2025-01-01/fr.md": "---\n---\n## 1. Conditions\n\nSoyez aimables.\n",
        },
    ),
    Case(
        "no-catalog",
        {"site.yaml": BASE["site.yaml"].replace("languages: [en, fr]", "languages: [en, fr, sw]")},
        "site.yaml:4:21: warning: policygen ships no translation of the page's own words (labels such as 'Effective', notices, links) into Kiswahili ('sw'), and the site has none: "
        "readers of the sw pages will see them in English. "
        "Add locales/sw/LC_MESSAGES/messages.po, translating the theme's strings (listed in policygen/themes/default/locales/messages.pot, in the policygen package)",
        {
            # English needs none; a language with a country gets its language's catalog,
            # zh-TW the Traditional Chinese one; the site may translate a language itself.
            "site.yaml": BASE["site.yaml"].replace(
                "languages: [en, fr]", "languages: [en, fr, en-GB, de-AT, zh-TW, sw]"
            ),
            "locales/sw/LC_MESSAGES/messages.po": 'msgid "Effective"\nmsgstr "Inaanza kutumika"\n',
        },
    ),
    Case(
        "not-locked",
        {},
        "content/terms/2024-01-01/en.md:1: warning: revision '2024-01-01' of policy 'terms' is in effect, but its text (en/eu, en/global, fr/eu, fr/global) is not locked: run `policygen lock` and commit policies.lock",
        {},
        # An upcoming revision may be locked on any day before it takes effect.
        after_lock={
            "content/terms/2027-01-01/en.md": revision(
                "2027-01-01",
                "## 1. Terms\n\nBe kind.\n",
                published="2026-11-01",
                more="summary: Kind.\n",
            )
        },
    ),
    Case(
        "announced-text-changed",
        {
            "content/terms/2027-01-01/en.md": ANNOUNCED,
            "policies.lock": ANNOUNCED_LOCK,
        },
        "content/terms/2027-01-01/en.md:1: warning: this text was announced on 2026-11-01 and locked (policies.lock line 1), and its text changed since: readers and the services that fetch the manifest were told of the text as locked. Run `policygen lock` to record the change; if readers must hear of it before 2027-01-01, announce the revision again (published: 2026-11-29)",
        # A text locked before it was announced may change until it is.
        {
            "content/terms/2027-02-01/en.md": revision(
                "2027-02-01",
                "## 1. Terms\n\nBe kind.\n",
                published="2026-12-15",
                more="summary: Kind.\n",
            )
        },
        after_lock={
            "content/terms/2027-02-01/en.md": revision(
                "2027-02-01",
                "## 1. Terms\n\nBe kinder.\n",
                published="2026-12-15",
                more="summary: Kind.\n",
            )
        },
    ),
    Case(
        "announced-text-gone",
        {"policies.lock": ANNOUNCED_LOCK},
        "policies.lock:1: warning: the en text of revision '2027-01-01' of policy 'terms' for region 'global' was announced and locked, but its source is gone: readers and the services that fetch the manifest were told it takes effect on 2027-01-01. If the revision is withdrawn, run `policygen lock` to record it, and tell them",
        # `policygen lock` records the revision withdrawn.
        {"policies.lock": ANNOUNCED_LOCK},
    ),
    Case(
        "short-notice",
        {
            "content/terms/2025-01-01/en.md": revision(
                "2025-01-01",
                "## 1. Terms\n\nBe kind.\n",
                published="2024-12-25",
                more="summary: Kind.\n",
            )
        },
        "content/terms/2025-01-01/en.md:4: warning: this material revision is published 7 days before it takes effect; notice_days in site.yaml asks for at least 30",
        {
            # The first revision announces nothing; a change that is not material needs no
            # notice; a material one published exactly 30 days ahead has enough.
            "content/terms/2025-01-01/en.md": revision(
                "2025-01-01",
                "## 1. Terms\n\nBe kind.\n",
                published="2024-12-02",
                more="summary: Kind.\n",
            ),
            "content/terms/2025-02-01/en.md": revision(
                "2025-02-01",
                "## 1. Terms\n\nBe kind!\n",
                more="summary: A typo.\nmaterial: false\n",
            ),
        },
    ),
    Case(
        "stale-translation",
        {
            "content/terms/2025-01-01/en.md": revision(
                "2025-01-01",
                "## 1. Terms\n\nBe kind.\n",
                published="2024-11-01",
                more="summary: Kind.\n",
            ),
            "content/terms/2025-01-01/fr.md": FR,
        },
        "content/terms/2025-01-01/fr.md:1: warning: this translation is the same as in revision '2024-01-01', but the en text changed: was it updated?",
        {
            # A translation updated with its source; one left as it was where the source
            # did not change either (only its settings did).
            "content/terms/2025-01-01/en.md": revision(
                "2025-01-01",
                "## 1. Terms\n\nBe kind.\n",
                published="2024-11-01",
                more="summary: Kind.\n",
            ),
            "content/terms/2025-01-01/fr.md": "---\n---\n## 1. Conditions\n\nSoyez aimables.\n",
            "content/terms/2025-06-01/en.md": revision(
                "2025-06-01",
                "## 1. Terms\n\nBe kind.\n",
                more="summary: Same words.\nmaterial: false\n",
            ),
            "content/terms/2025-06-01/fr.md": "---\n---\n## 1. Conditions\n\nSoyez aimables.\n",
        },
    ),
    Case(
        "unknown-anchor",
        {"content/terms/2024-01-01/en.md": EN + "\nSee [section 2](#section-2).\n"},
        "content/terms/2024-01-01/en.md:10: warning: link to '#section-2', but nothing on this page has that id (anchors: section-1)",
        {
            # Every id on the page is a target: headings, attribute lists, raw HTML.
            "content/terms/2024-01-01/en.md": EN
            + '\n## 2. More {#more}\n\nA paragraph.\n{: #para }\n\n<a id="raw"></a>Raw.\n\n'
            + "See [section 1](#section-1), [more](#more), [this](#para) and [that](#raw).\n"
        },
    ),
    Case(
        "dead-link",
        {"content/terms/2024-01-01/en.md": EN + "\nSee [the terms](../terms/index.md).\n"},
        "content/terms/2024-01-01/en.md:10: warning: link to '../terms/index.md', which leads to no page of this site: write the full address (https://…), or policy:ID to link to another policy (here: policy:terms)",
        {
            # Full addresses, mail and phone links, in-page and policy: links lead somewhere.
            "content/terms/2024-01-01/en.md": EN
            + "\nSee [us](https://example.org/about?x=1), [mail](mailto:legal@example.org),"
            + " [call](tel:+331234), [this](#section-1) and [the terms](policy:terms).\n"
        },
    ),
    Case(
        "template-placeholder",
        {
            "content/terms/2024-01-01/en.md": EN
            + "\nWrite to [support]({{ site.email_support }}).\n"
        },
        "content/terms/2024-01-01/en.md:10:20: warning: '{{ site.email_support }}' is a placeholder of another site generator's templates: policygen does not fill it in, so readers would see it as written; write what it stands for",
        {
            # Braces in words and attribute lists are not placeholders.
            "content/terms/2024-01-01/en.md": EN + "\nThe set {a, b} and {{a}, {b}}.\n{: #sets }\n"
        },
    ),
    Case(
        "template-placeholder",
        {
            # Privacy Guides' privacy policy, March 2023: MkDocs put its abbreviations in.
            "content/terms/2024-01-01/en.md": EN + '\n--8<-- "includes/abbreviations.en.txt"\n'
        },
        "content/terms/2024-01-01/en.md:10:1: warning: '--8<-- \"includes/abbreviations.en.txt\"' puts another file in, in MkDocs: policygen does not, so readers would see this line as written; write the text it stands for, or remove the line",
        {
            # Scissors within words are words.
            "content/terms/2024-01-01/en.md": EN + "\nCut here --8<-- and keep the slip.\n"
        },
    ),
    Case(
        "untranslated",
        {
            "content/terms/2024-01-01/fr.md": FR.replace(
                "---\n## 1.", "untranslated: ['#section-1 1']\n---\n## 1."
            ).replace("Soyez gentils.", "Be nice.")
        },
        "content/terms/2024-01-01/fr.md:3: warning: this translation is partial: 1 segment is still in en (see `policygen status`); translate it and import the file again",
        # A translation imported whole lists nothing, or an empty list.
        {
            "content/terms/2024-01-01/fr.md": FR.replace(
                "---\n## 1.", "untranslated: []\n---\n## 1."
            )
        },
    ),
    Case(
        "stray-attributes",
        {"content/terms/2024-01-01/en.md": EN + "\n- one\n\n  {: #stray }\n\nNext.\n"},
        "content/terms/2024-01-01/en.md:12: warning: the attribute list '{: #stray }' belongs to no block, so nothing gets the id '#stray': write it on the line right after the block (or right before it)",
        {
            # As Python-Markdown and kramdown write them, after a paragraph and a list item,
            # and as markdown-it-attrs does, before a block.
            "content/terms/2024-01-01/en.md": EN
            + "\nA paragraph.\n{: #para }\n\n- one\n  {: #one }\n- two\n\n{#quote}\n> Quoted.\n"
        },
    ),
    Case(
        "literal-marker",
        {"content/terms/2024-01-01/en.md": EN + "\nYour rights:\n1.To know\n2.To ask\n"},
        "content/terms/2024-01-01/en.md:11: warning: '1.' has no space after it, so this line starts no list item: readers see '1.To know' as written, in the paragraph around it; put a space after 1.",
        {"content/terms/2024-01-01/en.md": EN + "\nYour rights:\n\n1. To know\n2. To ask\n"},
    ),
    Case(
        "list-as-code",
        {"content/terms/2024-01-01/en.md": EN + "\n1. **Be kind.** Not:\n\n       * threats\n"},
        "content/terms/2024-01-01/en.md:12: warning: this list is indented 4 spaces or more past the text before it, so readers see it as code, its lines as written ('* threats'): indent it less, as far as the text of the item it belongs to, or not at all",
        {
            # A list indented as far as its item's text, and code that is no list.
            "content/terms/2024-01-01/en.md": EN
            + "\n1. **Be kind.** Not:\n\n   * threats\n\nQuoted:\n\n    We said so.\n    - Legal\n"
        },
    ),
    Case(
        "table-not-read",
        {
            # Buffer's Terms of Service, converted from its web page: a caption after the
            # dashes of an empty row.
            "content/terms/2024-01-01/en.md": EN
            + "\n|     |     |\n| --- | --- |2023 Terms of Use\n| Legal language | Summary |\n"
        },
        "content/terms/2024-01-01/en.md:11: warning: words follow the last '|' of this line of dashes, so it makes no table: readers see it and the row above it as written, '|' and '---' and all; remove it and the row of empty cells above it, and keep '2023 Terms of Use' as a paragraph of its own",
        {
            # The caption on a line of its own, before its table.
            "content/terms/2024-01-01/en.md": EN
            + "\n2023 Terms of Use\n\n| Legal language | Summary |\n| --- | --- |\n| a | b |\n"
        },
    ),
    Case(
        "unshown-attributes",
        {
            "content/terms/2024-01-01/en.md": EN
            + "\nWe keep your name.\n{: We sell it to anyone }\n"
        },
        "content/terms/2024-01-01/en.md:11: warning: the attribute list '{: We sell it to anyone }' shows nothing on the page: readers never see 'We sell it to anyone', though source.md holds it (policygen keeps only an attribute list's #id); write the words in the text, or remove them",
        {
            # An id, classes, kramdown's table of contents, a date, a style and a link's
            # target: none of them words a reader misses.
            "content/terms/2024-01-01/en.md": EN
            + "\nWe keep your name.\n{: #name .lead }\n\n- item\n{:toc}\n\n"
            'Effective October 31, 2025 {: datetime="2025-10-31" }\n\n'
            'A [link](https://example.org/){: target="_blank" style="color: red; margin: 0" }.\n'
        },
    ),
    Case(
        "catalog-numbers",
        {
            # A label made a date on every French page: "En vigueur : 1er janvier 2019".
            "locales/fr/LC_MESSAGES/messages.po": 'msgid ""\nmsgstr ""\n'
            '"Content-Type: text/plain; charset=UTF-8\\n"\n\n'
            'msgid "Effective"\nmsgstr "En vigueur depuis le 1er janvier 2019"\n'
        },
        "locales/fr/LC_MESSAGES/messages.po:5: warning: the translation of 'Effective' writes numbers its original does not ('En vigueur depuis le 1er janvier 2019'): every page of its language shows them as policygen's own words, which no text holds (a date where a label was); write what the original says, its values as %(name)s",
        {
            # The date a page fills in, and the numbers the original holds.
            "locales/fr/LC_MESSAGES/messages.po": 'msgid ""\nmsgstr ""\n'
            '"Content-Type: text/plain; charset=UTF-8\\n"\n\n'
            'msgid "Effective"\nmsgstr "En vigueur"\n\n'
            '#, python-format\nmsgid "Version effective %(date)s"\n'
            'msgstr "Version en vigueur à compter du %(date)s"\n'
        },
    ),
    Case(
        "section-anchor-taken",
        {
            "content/terms/2024-01-01/en.md": EN.replace("## 1. Terms", "## 1. Terms {#section-2}")
            + "\n## 2. Sharing\n\nWe never share.\n"
        },
        "content/terms/2024-01-01/en.md:6: warning: the id '#section-2' is the anchor of the heading '2. Sharing' (line 10): links to that section lead here instead; choose another id, or write it on that heading",
        {
            "content/terms/2024-01-01/en.md": EN.replace("## 1. Terms", "## 1. Terms {#section-1}")
            + '\n<a id="section-2"></a>\n## 2. Sharing\n\nWe never share.\n'
        },
    ),
    Case(
        "dropped-cells",
        {
            # Cells past the header's number are not shown: source.md (and its SHA-256)
            # holds words the page does not.
            "content/terms/2024-01-01/en.md": EN
            + "\n| Data | Kept |\n| --- | --- |\n| Logs | 1 year | We sell them to anyone |\n"
        },
        "content/terms/2024-01-01/en.md:12: warning: this row has more cells than its table's header: readers see nothing of 'We sell them to anyone', though source.md holds it; give the table a column for it, or write \\| for a '|' that is text",
        {
            # An empty cell past the header's, a '|' escaped, in code too, and a row of fewer cells.
            "content/terms/2024-01-01/en.md": EN
            + "\n> | Data | Kept |\n> | --- | --- |\n> | Logs | 1 year | |\n"
            + "> | Names \\| emails | `a \\| b` |\n> | Cookies |\n"
        },
    ),
    Case(
        "footnote",
        {"content/terms/2024-01-01/en.md": EN + "\nWe keep it.[^1]\n\n[^2]: For a month.\n"},
        "content/terms/2024-01-01/en.md:10: warning: '[^1]' shows as written: the text has no note '[^1]: …' for it; write the note (on a line of its own, after an empty line), or remove the mark",
        {
            # A mark with its note; escaped, in code, or a link's text: no footnote.
            "content/terms/2024-01-01/en.md": EN
            + "\nWe keep it.[^1] \\[^2] and `[^3]` and [^4](https://example.org/).\n\n[^1]: For a month.\n"
        },
    ),
    Case(
        "footnote-in-link",
        {
            "content/terms/2024-01-01/en.md": EN
            + "\nSee [our rules[^1]](https://example.org/rules).\n\n[^1]: Of 2024.\n"
        },
        "content/terms/2024-01-01/en.md:10: warning: a footnote's mark in a link's words ('[…[^1]](…)') makes no link: readers see its brackets and its address as written; put the mark after the link: [words](address)[^1]",
        {
            # The mark after the link, or after a reference link; a link in a note.
            "content/terms/2024-01-01/en.md": EN
            + "\nSee [our rules](https://example.org/rules)[^1] and [theirs][t][^2].\n\n"
            + "[t]: https://example.org/theirs\n[^1]: Of 2024.\n[^2]: See [ours](https://example.org/rules).\n"
        },
    ),
    Case(
        "unreferenced-footnote",
        {
            "content/terms/2024-01-01/en.md": EN
            + "\nWe keep it.[^1]\n\n[^1]: For a month.\n[^2]: Or two.\n"
        },
        "content/terms/2024-01-01/en.md:13: warning: the note '[^2]' has no mark in the text: it is shown at the end, with no mark that leads to it; write '[^2]' where it belongs, or remove the note",
        {
            "content/terms/2024-01-01/en.md": EN
            + "\nWe keep it.[^1] Or two.[^2]\n\n[^1]: For a month.\n[^2]: Or two.\n"
        },
    ),
    Case(
        "bidi-override",
        {"content/terms/2024-01-01/en.md": EN + "\nWe will \u202eton\u202c sell your data.\n"},
        "content/terms/2024-01-01/en.md:10: warning: this text holds a right-to-left override (U+202E), which shows the characters after it in another order than they are written: readers see 'not' where the text holds 'ton'; delete it (the page gives each language its direction)",
        {
            # Marks and isolates place a run of words, and reverse nothing.
            "content/terms/2024-01-01/en.md": EN
            + "\nWrite to \u2067\u05e9\u05dc\u05d5\u05dd\u2069 or \u200fus\u200e.\n"
        },
    ),
    Case(
        "invisible-character",
        {"content/terms/2024-01-01/en.md": EN + "\nWe never sel\u200bl your data.\n"},
        "content/terms/2024-01-01/en.md:10:13: warning: this text holds an invisible zero width space (U+200B) inside the word 'sell', which readers see whole while a search for it finds nothing: delete it",
        {
            # What these characters are for: a soft hyphen in a German word, a non-joiner in
            # Persian, a joiner in Hindi and in an emoji, a zero width space between Thai
            # words and after a slash, variation selectors on an emoji, a keycap and an
            # ideograph, a Mongolian vowel separator, a word joiner after a dash.
            "content/terms/2024-01-01/en.md": EN
            + "\nHaft\u00adpflicht, \u0645\u06cc\u200c\u062e\u0648\u0627\u0647\u0645,"
            " \u0915\u094d\u200d\u0937, \U0001f469\u200d\U0001f4bb,"
            " \u0e20\u0e32\u0e29\u0e32\u200b\u0e44\u0e17\u0e22, example.org/\u200bterms,"
            " \u2764\ufe0f 1\ufe0f\u20e3 \u845b\U000e0100 \u182a\u180e\u1820 \u2014\u2060a."
            " Haft&shy;pflicht, AT&amp;T.\n"
        },
    ),
    Case(
        "mixed-scripts",
        {"content/terms/2024-01-01/en.md": EN + "\nWe never s\u0435ll your data.\n"},
        "content/terms/2024-01-01/en.md:10:10: warning: this text holds the word 's\u0435ll', which mixes Cyrillic and Latin letters, many of which look alike: its '\u0435' is the cyrillic small letter ie (U+0435), so that readers see a word a search for it does not find; write it in one script",
        {
            # Words of one script each, side by side or joined by a hyphen; Greek letters
            # in units.
            "content/terms/2024-01-01/en.md": EN
            + "\n\u041f\u0440\u0438\u0432\u0435\u0442 world, Windows-\u043f\u0440\u0438\u043b\u043e\u0436\u0435\u043d\u0438\u0435,"
            " 5 \u03bcg, 3 k\u03a9, \u0395\u03bb\u03bb\u03b7\u03bd\u03b9\u03ba\u03ac and English.\n"
        },
    ),
    Case(
        "change-mark",
        {"content/terms/2024-01-01/en.md": EN + "\nWe ~~never~~ sell your data.\n"},
        "content/terms/2024-01-01/en.md:10: warning: '~~' shows 'never' struck through, as a redline shows deleted words, though they are part of the text in force: readers may take them as removed; write the text as it stands (the redline shows what changed)",
        {
            # Escaped tildes, tags that only start alike, and marks in code are no marks.
            "content/terms/2024-01-01/en.md": EN
            + "\nAbout \\~~ 5 <small>days</small>, <span>or</span> <sup>1</sup> and `<del>`.\n"
        },
    ),
    Case(
        "hidden-address",
        {
            "content/terms/2024-01-01/en.md": EN
            + "\nWrite to [\\[email protected\\]](https://example.org/cdn-cgi/l/email-protection).\n"
        },
        "content/terms/2024-01-01/en.md:10: warning: '[email protected]', or a link to /cdn-cgi/l/email-protection, stands where the web page this text was copied from showed an email address, which Cloudflare hides until a script of the page writes it in: readers get no address to write to; write the address, linked as mailto:…",
        {
            "content/terms/2024-01-01/en.md": EN
            + "\nWrite to [privacy@example.org](mailto:privacy@example.org): your email, protected.\n"
        },
    ),
    Case(
        "script-link",
        {
            # Vertbaudet's privacy policy, copied from its web page: the link opened the
            # page's cookie banner, and showed as written, brackets and all.
            "content/terms/2024-01-01/fr.md": FR
            + "\nPour modifier votre consentement, [cliquez-ici](javascript:openAxeptioCookies())\n"
        },
        "content/terms/2024-01-01/fr.md:8: warning: the link of 'cliquez-ici' leads to 'javascript:openAxeptioCookies()', which a policy page cannot lead to (pages run no script and open no file): its words show without a link; link to a page (https://…), or write what the link did in words",
        {
            "content/terms/2024-01-01/fr.md": FR
            + "\n[Paramètres](https://example.org/cookies#javascript:x), [courriel](mailto:dpo@example.org) ou `[code](javascript:x)`.\n"
        },
    ),
    Case(
        "empty-link",
        {
            # A web page's link of a heading to itself, copied with the heading.
            "content/terms/2024-01-01/en.md": EN
            + "\nSee [](#1-scope) the scope and [](https://example.org/terms).\n"
        },
        "content/terms/2024-01-01/en.md:10: warning: a link with no words, to '#1-scope': readers see nothing of it, and screen readers read out its address; write its words between the brackets, or remove it",
        {
            "content/terms/2024-01-01/en.md": EN
            + "\nSee [the scope](https://example.org/terms#scope), [¶](https://example.org/terms), [**terms**](https://example.org/terms) and `[](#x)`.\n"
        },
    ),
    Case(
        "empty-heading",
        {
            # DecisionRules' Terms and Conditions (GitBook) ended with '##' alone until 2025:
            # the page's contents listed an entry with no words.
            "content/terms/2024-01-01/en.md": EN
            + "\n## Contact Us\n\nBy email: sales@example.org\n\n##\n"
        },
        "content/terms/2024-01-01/en.md:14: warning: '##' is a heading with no words: readers see an empty line, and the page's contents an entry with nothing to read; write its words after '##', or remove the line",
        {
            "content/terms/2024-01-01/en.md": EN
            + "\n## \\#\n\n## `##`\n\n## 2. {#fees}\n\nContact\n---\n\n`##`\n"
        },
    ),
    Case(
        "unused-definition",
        {
            # A sentence as the label of a link definition no link uses: the page shows
            # nothing of it, though source.md (and its SHA-256) holds it.
            "content/terms/2024-01-01/en.md": EN
            + "\nWe keep your data.\n\n[We may also sell your data to anyone]: <>\n"
        },
        "content/terms/2024-01-01/en.md:12: warning: a link definition no link uses ('[We may also sell your data to anyone]:…'): readers see nothing of it, though source.md holds it; use it in a link, or remove it",
        {
            "content/terms/2024-01-01/en.md": EN
            + "\nSee [our partners][partners], [the list] and ![a map][map].\n\n"
            '[partners]: https://example.org/partners "Partners"\n'
            "[The  List]: https://example.org/list\n"
            "[map]: https://example.org/map\n"
        },
    ),
    Case(
        "language-alias",
        {"site.yaml": BASE["site.yaml"].replace("[en, fr]", "[en, fr, iw]")},
        "site.yaml:4:21: warning: 'iw' is another code for עברית: browsers, screen readers and search engines know it as 'he'; write 'he' (the pages' addresses change with it)",
        {"site.yaml": BASE["site.yaml"].replace("[en, fr]", "[en, fr, he, pt-BR, zh-Hant]")},
    ),
    Case(
        "literal-asterisks",
        {"content/terms/2024-01-01/en.md": EN + "\n- **Account: **we keep your name.\n"},
        "content/terms/2024-01-01/en.md:10: warning: '**' shows as written in '**Account: **we', and makes nothing bold: ** goes right against the words it makes bold, **like this** (or write \\*\\* for the asterisks themselves)",
        {
            "content/terms/2024-01-01/en.md": EN
            + "\n- **Account:** we keep your name.\n- A \\*\\* stays, as does `**`.\n"
        },
    ),
]


def _warning_codes() -> set[str]:
    """The code of every warning policygen can raise: the string given to `warning(…)`."""
    codes = set()
    for module in SOURCE.glob("*.py"):
        for node in ast.walk(ast.parse(module.read_text(encoding="utf-8"))):
            # warning(where, code, message), or markdown's _warn_at(env, token, code, message),
            # _warn_at_line(env, index, code, message) and _report_found(state, found, code, …)
            position = {"warning": 1, "_warn_at": 2, "_warn_at_line": 2, "_report_found": 2}.get(
                node.func.id
                if isinstance(node, ast.Call) and isinstance(node.func, ast.Name)
                else ""
            )
            if position is not None and isinstance(node, ast.Call) and len(node.args) > position:
                code = node.args[position]
                if isinstance(code, ast.Constant):
                    codes.add(str(code.value))
    return codes


def test_every_warning_category_has_its_cases() -> None:
    assert _warning_codes() == {case.code for case in CASES}


@pytest.mark.parametrize("case", CASES, ids=str)
def test_the_warning_is_raised_where_it_is_deserved(site_factory: SiteFactory, case: Case) -> None:
    site = site_factory({**BASE, **case.wrong})
    assert problems_of(site, severity="error") == []
    assert problems_of(site, severity="warning", code=case.code) == [case.message]


@pytest.mark.parametrize("case", CASES, ids=str)
def test_a_correct_site_raises_no_warning(
    site_factory: SiteFactory, cli: Callable[..., Run], case: Case
) -> None:
    site = site_factory({**BASE, **case.right})
    assert cli("lock", str(site), "--as-of", AS_OF).code == 0
    for path, content in case.after_lock.items():
        (site / path).parent.mkdir(parents=True, exist_ok=True)
        (site / path).write_text(content, encoding="utf-8")
    assert problems_of(site, severity="error") == []
    assert problems_of(site, severity="warning") == []
    assert cli("check", "--strict", str(site), "--as-of", AS_OF).code == 0


def test_a_revision_not_locked_is_one_warning_at_its_source_language_file(
    site_factory: SiteFactory, cli: Callable[..., Run]
) -> None:
    eu = "---\ntitle: Terms for the EU\n---\n## 1. Terms\n\nBe nice, in Europe.\n"
    site = site_factory({**BASE, "content/terms/2024-01-01/en.eu.md": eu})
    site.joinpath("content/terms/2024-01-01/fr.md").unlink()
    assert problems_of(site, severity="warning") == [
        "content/terms/2024-01-01/en.md:1: warning: revision '2024-01-01' of policy 'terms' is in effect, but its text (en/eu, en/global) is not locked: run `policygen lock` and commit policies.lock"
    ]
    assert cli("lock", str(site), "--as-of", AS_OF).code == 0
    # Translations added later: still one warning, at the file that states the revision's dates.
    site.joinpath("content/terms/2024-01-01/fr.md").write_text(FR, encoding="utf-8")
    site.joinpath("content/terms/2024-01-01/fr.eu.md").write_text(
        "---\n---\n## 1. Conditions\n\nSoyez gentils, en Europe.\n", encoding="utf-8"
    )
    assert problems_of(site, severity="warning") == [
        "content/terms/2024-01-01/en.md:1: warning: revision '2024-01-01' of policy 'terms' is in effect, but its text (fr/eu, fr/global) is not locked: run `policygen lock` and commit policies.lock"
    ]


@pytest.mark.parametrize(
    ("published", "days"),
    [("2024-12-31", "1 day"), ("2025-01-01", "0 days"), ("2024-12-30", "2 days")],
)
def test_a_short_notice_counts_its_days_in_words(
    site_factory: SiteFactory, published: str, days: str
) -> None:
    text = revision("2025-01-01", "## 1. Terms\n\nBe kind.\n", published=published)
    site = site_factory({**BASE, "content/terms/2025-01-01/en.md": text})
    assert problems_of(site, severity="warning", code="short-notice") == [
        f"content/terms/2025-01-01/en.md:4: warning: this material revision is published {days} before it takes effect; notice_days in site.yaml asks for at least 30"
    ]


def test_a_right_to_left_isolate_around_words_written_left_to_right_is_a_warning(
    site_factory: SiteFactory,
) -> None:
    """Around Hebrew words an isolate places them; around a number and English words it can
    show them in reverse order ('30 or 60' shows as 'or 60 30'), while the text and its
    SHA-256 say otherwise."""
    site = site_factory(
        {
            **BASE,
            "content/terms/2024-01-01/en.md": EN
            + "\nWe keep it \u206730 or 60\u2069 days, and \u202b14 30\u202c more.\n",
        }
    )
    assert problems_of(site, severity="warning", code="bidi-override") == [
        "content/terms/2024-01-01/en.md:10: warning: this text holds a right-to-left isolate (U+2067) around words written left to right, which shows them in another order than they are written: readers see 'or 60 30' where the text holds '30 or 60'; delete it (the page gives each language its direction)"
    ]


@pytest.mark.parametrize(
    ("text", "seen"),
    [
        ("We keep it \u202b14 30\u202c days.", "readers see '30 14' where the text holds '14 30'"),
        (
            "Open \u206710:00 - 18:00\u2069.",
            "readers see '18:00 - 10:00' where the text holds '10:00 - 18:00'",
        ),
        ("For \u20675\ndays\u2069.", "readers see 'days 5' where the text holds '5 days'"),
        # A right-to-left mark is no right-to-left word: the run is still laid out backwards.
        (
            "We keep it \u206714 30\u200f\u2069 days.",
            "readers see '30 14' where the text holds '14 30'",
        ),
        # Unclosed, the isolate lasts to the end of the paragraph.
        (
            "We keep it \u206714 30 days.",
            "readers see '.days 30 14' where the text holds '14 30 days.'",
        ),
        # An element set right to left is an isolate, in raw HTML as in blocks it is left
        # open around (which the sanitizer keeps: `dir` is allowed everywhere).
        (
            'We keep it <span dir="rtl">14 30</span> days.',
            "readers see '30 14' where the text holds '14 30'",
        ),
        (
            "<SPAN DIR=RTL>5 <b>days</b></SPAN>",
            "readers see 'days 5' where the text holds '5 days'",
        ),
        (
            '<div dir="rtl">\n\nWe keep it for\n\n14 30\n\n</div>',
            "readers see '30 14' where the text holds '14 30'",
        ),
        # A character reference writes the character, in Markdown as in HTML.
        ("We will &#x202E;ton&#x202C; sell.", "readers see 'not' where the text holds 'ton'"),
        (
            "<p>We keep it &#8295;14 30&#8297; days.</p>",
            "readers see '30 14' where the text holds '14 30'",
        ),
        # Code shows its characters as written, in the order the controls give them.
        ("```\nWe will \u202eton\u202c sell.\n```", "readers see 'not' where the text holds 'ton'"),
        (
            "    We keep it \u206714 30\u2069 days.",
            "readers see '30 14' where the text holds '14 30'",
        ),
        # A closing character of the wrong kind closes nothing: the isolate goes on.
        (
            "We keep it \u206714\u202c 30\u2069 days.",
            "with other direction controls in it (U+202C)",
        ),
    ],
)
def test_a_right_to_left_run_that_reorders_words_is_a_warning(
    site_factory: SiteFactory, text: str, seen: str
) -> None:
    site = site_factory({**BASE, "content/terms/2024-01-01/en.md": EN + "\n" + text + "\n"})
    [found] = problems_of(site, severity="warning", code="bidi-override")
    assert seen in found


def test_a_right_to_left_isolate_that_keeps_words_in_order_is_no_warning(
    site_factory: SiteFactory,
) -> None:
    """An Arabic or Hebrew text sets an English name, a date or a version apart in a
    right-to-left isolate or embedding: its words show in the order they are written."""
    site = site_factory(
        {
            **BASE,
            "content/terms/2024-01-01/en.md": EN
            + "\nWe use \u2067Google Analytics\u2069, \u202bExample Inc.\u202c, \u2067version 14 30\u2069,"
            " \u20672024/05/14\u2069, \u2067(see above)\u2069 and \u2067$5\u2069 \u2067-5\u2069."
            ' <span dir="rtl">Google Analytics</span> <span dir="rtl">\u05e9\u05dc\u05d5\u05dd 14 30</span>\n'
            '\n<p dir="rtl">We keep it 14 30 days.</p>\n'
            '\n```\n<span dir="rtl">14 30</span>\n```\n',
        }
    )
    assert problems_of(site, severity="warning", code="bidi-override") == []


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("a\u2060b", "an invisible word joiner (U+2060) inside the word 'ab'"),
        ("d\u200cata", "an invisible zero width non-joiner (U+200C) inside the word 'data'"),
        ("d\u200data", "an invisible zero width joiner (U+200D) inside the word 'data'"),
        ("da\u034fta", "an invisible combining grapheme joiner (U+034F) inside the word 'data'"),
        ("data\ufeff", "an invisible zero width no-break space (U+FEFF)"),
        ("Haft\u00ad\u00adpflicht", "2 soft hyphens (U+00AD) in a row in 'Haftpflicht'"),
        ("sell\u00ad data", "a soft hyphen (U+00AD) that is not between two letters, in 'sell'"),
        (
            "MVS\u180ehere",
            "an invisible mongolian vowel separator (U+180E) outside a Mongolian word",
        ),
        ("a\u3164b", "an invisible hangul filler (U+3164)"),
        ("a\uffa0b", "an invisible halfwidth hangul filler (U+FFA0)"),
        ("a \u115f b", "a blank hangul choseong filler (U+115F) outside a Hangul syllable"),
        ("a\u2062b", "an invisible invisible times (U+2062)"),
        ("a \u2800 b", "a braille pattern blank (U+2800) outside braille"),
        ("sa\ufe0fle", "a variation selector-16 (U+FE0F) after 'a'"),
        (
            "\U0001f600\U000e0101\U000e0102",
            "2 variation selectors in a row (variation selector-18 (U+E0101) and others)",
        ),
        ("a \ufe0e b", "a variation selector-15 (U+FE0E) after no character"),
        # Written as character references, they show no more than as characters.
        (
            "sel&#8203;l",
            "'&#8203;', which writes an invisible zero width space (U+200B) inside the word 'sell'",
        ),
        (
            "d&zwnj;ata",
            "'&zwnj;', which writes an invisible zero width non-joiner (U+200C) inside the word 'data'",
        ),
        ("Haft&shy;&shy;pflicht", "'&shy;', which writes 2 soft hyphens (U+00AD) in a row"),
    ],
)
def test_an_invisible_character_with_no_use_where_it_stands_is_a_warning_naming_it(
    site_factory: SiteFactory, text: str, message: str
) -> None:
    """A contributor can split a word so that a search or a reviewer misses it ('sel\u200bl'),
    or write a blank letter or a run of variation selectors that carries hidden text."""
    site = site_factory({**BASE, "content/terms/2024-01-01/en.md": EN + "\nWe " + text + ".\n"})
    [found] = problems_of(site, severity="warning", code="invisible-character")
    where, said = found.split(": warning: ")
    assert where.startswith("content/terms/2024-01-01/en.md:10:")
    assert said.startswith(f"this text holds {message}")


@pytest.mark.parametrize(
    ("title", "code", "message"),
    [
        (
            "Te\u200brms",
            "invisible-character",
            "an invisible zero width space (U+200B) inside the word 'Terms', which readers see whole while a search for it finds nothing: delete it",
        ),
        # 'Тerms' with a Cyrillic Т reads 'Terms' and is found by no search for it.
        (
            "\u0422erms",
            "mixed-scripts",
            "the word '\u0422erms', which mixes Cyrillic and Latin letters, many of which look alike: its '\u0422' is the cyrillic capital letter te (U+0422), so that readers see a word a search for it does not find; write it in one script",
        ),
    ],
)
def test_a_title_that_shows_otherwise_than_written_is_a_warning(
    site_factory: SiteFactory, title: str, code: str, message: str
) -> None:
    site = site_factory(
        {**BASE, "content/terms/2024-01-01/en.md": EN.replace("title: Terms", f"title: {title}")}
    )
    assert problems_of(site, severity="warning", code=code) == [
        f"content/terms/2024-01-01/en.md:2: warning: its title holds {message}"
    ]


def test_a_word_that_mixes_scripts_through_character_references_is_a_warning(
    site_factory: SiteFactory,
) -> None:
    """'s&#x435;ll' shows 'sеll', with a Cyrillic е, as the character itself would; in code
    it shows as written, and a word all of one script is no warning."""
    text = "\nWe never s&#x435;ll your data, nor s&iecy;ll it, nor `s&#x435;ll` it; caf&eacute;.\n"
    site = site_factory({**BASE, "content/terms/2024-01-01/en.md": EN + text})
    assert problems_of(site, severity="warning", code="mixed-scripts") == [
        "content/terms/2024-01-01/en.md:10:10: warning: this text holds the word 's\u0435ll' (written 's&#x435;ll'), which mixes Cyrillic and Latin letters, many of which look alike: its '\u0435' is the cyrillic small letter ie (U+0435), so that readers see a word a search for it does not find; write it in one script",
        "content/terms/2024-01-01/en.md:10:36: warning: this text holds the word 's\u0435ll' (written 's&iecy;ll'), which mixes Cyrillic and Latin letters, many of which look alike: its '\u0435' is the cyrillic small letter ie (U+0435), so that readers see a word a search for it does not find; write it in one script",
    ]


@pytest.mark.parametrize(
    "word, odd, names",
    [
        ("s\u0585ld", "\u0585 is the armenian small letter oh (U+0585)", "Armenian and Latin"),
        ("\u13aaLL", "\u13aa is the cherokee letter go (U+13AA)", "Cherokee and Latin"),
        (
            "s\U0001d41ell",
            "\U0001d41e is the mathematical bold small e (U+1D41E)",
            "Latin and mathematical",
        ),
    ],
)
def test_a_word_with_armenian_cherokee_or_mathematical_look_alikes_is_a_warning(
    site_factory: SiteFactory, word: str, odd: str, names: str
) -> None:
    """Armenian օ reads o, Cherokee Ꭺ reads A, a bold 𝐞 reads e: as Cyrillic е does."""
    site = site_factory({**BASE, "content/terms/2024-01-01/en.md": EN + f"\nWe {word} it.\n"})
    odd_letter, what = odd.split(" is ", 1)
    assert problems_of(site, severity="warning", code="mixed-scripts") == [
        f"content/terms/2024-01-01/en.md:10:4: warning: this text holds the word '{word}', which mixes {names} letters, many of which look alike: its '{odd_letter}' is {what}, so that readers see a word a search for it does not find; write it in one script"
    ]


def test_a_reference_in_code_shows_as_written_and_is_no_warning(
    site_factory: SiteFactory,
) -> None:
    """A text that explains character references writes them in code, where readers see
    '&#8203;' as written: no invisible character. Backticks inside raw HTML make no code."""
    text = (
        "\nWrite `&#8203;` or ``a&#8203;b`` to allow a break.\n\n```\nd&#8203;ata\n```\n\n"
        '    s&#x435;ll\n\nA <span title="`">d&#8203;ata</span> `x`.\n'
    )
    site = site_factory({**BASE, "content/terms/2024-01-01/en.md": EN + text})
    assert problems_of(site, severity="warning", code="invisible-character") == [
        "content/terms/2024-01-01/en.md:18:20: warning: this text holds '&#8203;', which writes an invisible zero width space (U+200B) inside the word 'data', which readers see whole while a search for it finds nothing: delete it"
    ]
    assert problems_of(site, severity="warning", code="mixed-scripts") == []


def test_a_site_or_policy_title_that_shows_otherwise_than_written_is_a_warning(
    site_factory: SiteFactory,
) -> None:
    """Every page shows the site's title, and a policy's pages its title from policy.yaml
    where a text has none: they are warned of as a text's title is."""
    site = site_factory(
        {
            **BASE,
            "site.yaml": BASE["site.yaml"].replace("Example Policies", "Example Pol\u200bicies"),
            "content/terms/policy.yaml": 'title: {en: "We \u202eton\u202c s\u0435ll", fr: Conditions}\n',
        }
    )
    assert [
        p
        for p in problems_of(site, severity="warning")
        if p.split(": warning: ")[1].split(" holds ")[0] in ("title in 'en'", "title")
    ] == [
        "content/terms/policy.yaml:1: warning: title in 'en' holds a right-to-left override (U+202E), which shows the characters after it in another order than they are written: readers see 'not' where the text holds 'ton'; delete it (the page gives each language its direction)",
        "content/terms/policy.yaml:1: warning: title in 'en' holds the word 's\u0435ll', which mixes Cyrillic and Latin letters, many of which look alike: its '\u0435' is the cyrillic small letter ie (U+0435), so that readers see a word a search for it does not find; write it in one script",
        "site.yaml:1: warning: title in 'en' holds an invisible zero width space (U+200B) inside the word 'Policies', which readers see whole while a search for it finds nothing: delete it",
    ]


def test_an_invisible_character_in_the_note_of_a_correction_is_a_warning(
    site_factory: SiteFactory,
) -> None:
    """The page shows the note ("Corrected on …: …") as it shows the text's title."""
    corrected = EN.replace(
        "summary: First.\n",
        'summary: First.\ncorrections:\n  - {date: 2024-02-01, note: "Fixed sel\\u200bl."}\n',
    )
    site = site_factory({**BASE, "content/terms/2024-01-01/en.md": corrected})
    assert problems_of(site, severity="warning", code="invisible-character") == [
        "content/terms/2024-01-01/en.md:6: warning: the note of a correction holds an invisible zero width space (U+200B) inside the word 'sell', which readers see whole while a search for it finds nothing: delete it"
    ]


def test_a_link_from_the_site_root_leads_nowhere(site_factory: SiteFactory) -> None:
    site = site_factory(
        {**BASE, "content/terms/2024-01-01/en.md": EN + "\n[Here](/site-policy/github-terms).\n"}
    )
    assert problems_of(site, severity="warning", code="dead-link") == [
        "content/terms/2024-01-01/en.md:10: warning: link to '/site-policy/github-terms', which leads to no page of this site: write the full address (https://…), or policy:ID to link to another policy"
    ]


def test_an_email_address_linked_without_mailto_is_told_how_to_link_it(
    site_factory: SiteFactory,
) -> None:
    # Mozilla's websites privacy notice, 2023: "[compliance@mozilla.com](compliance@mozilla.com)".
    link = "\nWrite to [legal@example.org](legal@example.org) or [us](mailto:legal@example.org).\n"
    # The CNCF's code of conduct in Bulgarian, 2023: "mailto" translated, without its spaces.
    link += "\n[conduct@cncf.io](Адреснаелектроннапоща:conduct@cncf.io)\n"
    site = site_factory({**BASE, "content/terms/2024-01-01/en.md": EN + link})
    assert problems_of(site, severity="warning", code="dead-link") == [
        "content/terms/2024-01-01/en.md:10: warning: link to 'legal@example.org', which leads to no page of this site: an email address is linked as mailto:legal@example.org",
        "content/terms/2024-01-01/en.md:12: warning: link to 'Адреснаелектроннапоща:conduct@cncf.io', which leads to no page of this site: an email address is linked as mailto:conduct@cncf.io",
    ]


def test_a_locked_text_in_effect_is_not_warned_about_again(
    site_factory: SiteFactory, cli: Callable[..., Run]
) -> None:
    """A text in effect and locked can change only as a recorded correction: what it is warned
    about is history, reported until it is locked and not on every build after."""
    dead = "\n[Here](/site-policy/github-terms).\n\n![Our logo](https://cdn.example/logo.png)\n"
    site = site_factory({**BASE, "content/terms/2024-01-01/en.md": EN + dead})
    warned = problems_of(site, severity="warning")
    assert [w.split(": warning: ")[1][:20] for w in warned] == [
        "revision '2024-01-01",
        "link to '/site-polic",
        "images are not publi",
    ]
    assert cli("lock", str(site), "--as-of", AS_OF).code == 0
    assert problems_of(site, severity="warning") == []
    # The same words in the next revision, not in effect yet, are still worth a look.
    site.joinpath("content/terms/2030-01-01").mkdir()
    site.joinpath("content/terms/2030-01-01/en.md").write_text(
        revision(
            "2030-01-01",
            "## 1. Terms\n\nBe nicer.\n" + dead,
            published="2026-11-01",
            more="summary: Nicer.\n",
        ),
        encoding="utf-8",
    )
    assert [w.split(": warning: ")[1][:20] for w in problems_of(site, severity="warning")] == [
        "link to '/site-polic",
        "images are not publi",
    ]


def test_a_warning_repeated_in_revisions_is_said_once_at_the_latest(
    site_factory: SiteFactory,
) -> None:
    dead = "\n[Here](/site-policy/github-terms).\n"
    later = revision(
        "2030-01-01",
        "## 1. Terms\n\nBe nicer.\n" + dead,
        published="2026-11-01",
        more="summary: Nicer.\n",
    )
    site = site_factory(
        {
            **BASE,
            "content/terms/2024-01-01/en.md": EN + dead,
            "content/terms/2024-01-01/fr.md": FR + dead,
            "content/terms/2030-01-01/en.md": later,
        }
    )
    assert problems_of(site, severity="warning", code="dead-link") == [
        "content/terms/2024-01-01/fr.md:8: warning: link to '/site-policy/github-terms', which leads to no page of this site: write the full address (https://…), or policy:ID to link to another policy",
        "content/terms/2030-01-01/en.md:11: warning: link to '/site-policy/github-terms', which leads to no page of this site: write the full address (https://…), or policy:ID to link to another policy (also in 1 earlier revision)",
    ]


def test_a_link_to_no_anchor_in_revisions_with_other_headings_is_said_once(
    site_factory: SiteFactory,
) -> None:
    """The warning names the anchors of its page, which a revision that added a section
    changes: Buffer's Privacy Policy linked its contents to ids its page did not have, in
    seven revisions with other sections each, and each link was told once per revision."""
    contents = (
        "\n- [1\\. Personal Information We May Collect](#personal-information-we-may-collect)\n"
    )
    later = revision(
        "2030-01-01",
        "## 1. Terms\n\nBe nicer.\n\n## 2. Data transfers\n\nNone.\n" + contents,
        published="2026-11-01",
        more="summary: Nicer.\n",
    )
    site = site_factory(
        {
            **BASE,
            "content/terms/2024-01-01/en.md": EN + contents,
            "content/terms/2030-01-01/en.md": later,
        }
    )
    assert problems_of(site, severity="warning", code="unknown-anchor") == [
        "content/terms/2030-01-01/en.md:15: warning: link to '#personal-information-we-may-collect', but nothing on this page has that id (anchors: section-1, section-2) (also in 1 earlier revision)",
    ]


def test_a_warning_in_two_files_of_the_latest_revision_is_given_at_both(
    site_factory: SiteFactory,
) -> None:
    """A region's own file is another text of the same revision, not an earlier revision."""
    dead = "\n[Here](/site-policy/github-terms).\n"
    eu = "---\ntitle: Terms for the EU\n---\n## 1. Terms\n\nBe nice, in Europe.\n" + dead
    site = site_factory(
        {
            **BASE,
            "content/terms/2024-01-01/en.md": EN + dead,
            "content/terms/2024-01-01/en.eu.md": eu,
        }
    )
    assert [
        w.split(": warning: ")[0] for w in problems_of(site, severity="warning", code="dead-link")
    ] == [
        "content/terms/2024-01-01/en.eu.md:8",
        "content/terms/2024-01-01/en.md:10",
    ]
    assert not any("also in" in w for w in problems_of(site, severity="warning", code="dead-link"))


def test_links_that_lead_nowhere_are_told_in_a_time_in_proportion_to_them(
    site_factory: SiteFactory,
) -> None:
    """Not a speed check: each such link read every anchor of its page, and was compared with
    every heading alike to guess the one it meant (10,000 links to a page of 10,000 headings:
    115 s). Past a bound, a link's warning lists the page's anchors instead of guessing."""

    def name(i: int) -> str:
        return "".join("abcdefghij"[int(digit)] for digit in str(i))

    def check(links: int) -> tuple[float, list[str]]:
        headings = "".join(f"## Section {name(i)}\n\nText.\n\n" for i in range(links))
        wrong = "".join(f"[x](#sectoin-{name(i)}) " for i in range(links))
        site = site_factory(
            {**BASE, "content/terms/2024-01-01/en.md": EN + "\n" + wrong + "\n\n" + headings}
        )
        started = time.perf_counter()
        warnings = problems_of(site, severity="warning", code="unknown-anchor")
        return time.perf_counter() - started, warnings

    few, _ = check(500)
    many, warnings = check(2_000)
    assert many < 8 * few + 1
    assert len(warnings) == 2_000
    guessed = [w for w in warnings if "(did you mean '#section-" in w]
    assert 0 < len(guessed) < 2_000
    meant = (
        "link to '#sectoin-a', but nothing on this page has that id (did you mean '#section-a'?)"
    )
    assert any(w.endswith(meant) for w in guessed)
    listed = [w for w in warnings if "(anchors: section-1, section-a, section-b, " in w]
    assert len(guessed) + len(listed) == 2_000


HOSTILE_CATALOG = Path(__file__).parent / "fixtures" / "hostile-catalogs" / "messages.po"
"""A French catalog of the theme's words with hidden characters (see its README)."""


def test_a_catalog_translation_that_shows_otherwise_than_it_reads_is_warned_of(
    site_factory: SiteFactory,
) -> None:
    catalog = "locales/fr/LC_MESSAGES/messages.po"
    site = site_factory({**BASE, catalog: HOSTILE_CATALOG.read_text(encoding="utf-8")})
    warnings = [w for w in problems_of(site, severity="warning") if w.startswith(catalog)]
    assert warnings == [
        f"{catalog}:7: warning: the translation of 'Effective' holds a right-to-left override (U+202E), which shows the characters after it in another order than they are written: readers see 'ed sa' where the text holds 'as de'; delete it (the page gives each language its direction)",
        f"{catalog}:10: warning: the translation of 'Published' holds an invisible zero width space (U+200B) inside the word 'Publié', which readers see whole while a search for it finds nothing: delete it",
        f"{catalog}:13: warning: the translation of 'Version' holds the word 'Vеrsion', which mixes Cyrillic and Latin letters, many of which look alike: its 'е' is the cyrillic small letter ie (U+0435), so that readers see a word a search for it does not find; write it in one script",
    ]
