"""Every mistake an editor can make in the content: a clear path:line: message, exit 1, nothing published."""

from __future__ import annotations

from pathlib import Path

import pytest

from .conftest import PRIVACY_EN, SITE_YAML, SiteFactory, problems_of

COOKIES_EN = """\
---
title: Cookies Policy
effective: 2024-01-01
---
## 1. What cookies are

Small files.

## 2. Cookies we use

None that track you.
"""

BASE = {
    "content/privacy/2024-01-01/en.md": PRIVACY_EN,
    "content/cookies/2024-01-01/en.md": COOKIES_EN,
}


def doc(front: str, body: str = "## 1. Text\n\nWords.\n") -> str:
    return f"---\n{front}---\n{body}"


CASES = {
    "malformed front matter YAML": (
        {"content/privacy/2024-06-01/en.md": doc("title: [unclosed\neffective: 2024-06-01\n")},
        [
            "content/privacy/2024-06-01/en.md:3:10: error: this YAML is malformed: expected ',' or ']', but got ':'"
        ],
    ),
    "a text with front matter alone": (
        {"content/privacy/2024-06-01/en.md": doc("effective: 2024-06-01\n", "\n  \n")},
        [
            "content/privacy/2024-06-01/en.md:4: error: this file has no text after its front matter (nothing but spaces or comments): write the policy's text there"
        ],
    ),
    "a text of comments alone": (
        {
            "content/privacy/2024-06-01/en.md": doc(
                "effective: 2024-06-01\n", "<!-- to do -->\n\n<!--\nlater\n-->\n"
            )
        },
        [
            "content/privacy/2024-06-01/en.md:4: error: this file has no text after its front matter (nothing but spaces or comments): write the policy's text there"
        ],
    ),
    "a translation with front matter alone (how some sites mark a page not translated yet)": (
        {"content/privacy/2024-01-01/fr.md": doc("untranslated: []\n", "")},
        [
            "content/privacy/2024-01-01/fr.md:4: error: this translation has no text after its front matter (nothing but spaces or comments), so fr readers would get a page without the policy: write the translation there, or remove the file and they get the en text with a notice"
        ],
    ),
    "unknown key with a hint": (
        {"content/privacy/2024-06-01/en.md": doc("title: T\nefective: 2024-06-01\n")},
        [
            "content/privacy/2024-06-01/en.md:3:1: error: unknown key 'efective' in the front matter (did you mean 'effective'?)"
        ],
    ),
    "missing effective date": (
        {"content/privacy/2024-06-01/en.md": doc("title: T\n")},
        [
            "content/privacy/2024-06-01/en.md:1: error: the front matter must state 'effective: YYYY-MM-DD', the date this revision takes effect"
        ],
    ),
    "bad date": (
        {"content/privacy/2024-06-01/en.md": doc("effective: 2024-13-01\n")},
        [
            "content/privacy/2024-06-01/en.md:2:12: error: effective must be a date written YYYY-MM-DD, not '2024-13-01'"
        ],
    ),
    "date written another way": (
        {"content/privacy/2024-06-01/en.md": doc("effective: June 1, 2024\n")},
        [
            "content/privacy/2024-06-01/en.md:2:12: error: effective must be a date written YYYY-MM-DD, not 'June 1, 2024'"
        ],
    ),
    "no front matter": (
        {"content/privacy/2024-06-01/en.md": "## 1. Text\n"},
        [
            "content/privacy/2024-06-01/en.md:1: error: the file must start with front matter: a line '---', settings such as 'title:', and a closing '---'"
        ],
    ),
    "published after effective": (
        {"content/privacy/2024-06-01/en.md": doc("effective: 2024-06-01\npublished: 2024-06-02\n")},
        [
            "content/privacy/2024-06-01/en.md:3: error: published (2024-06-02) is after effective (2024-06-01): a revision is announced before, or on, the day it takes effect"
        ],
    ),
    "duplicate effective dates": (
        {"content/privacy/second/en.md": doc("effective: 2024-01-01\n")},
        [
            "content/privacy/second/en.md:2: error: revisions '2024-01-01' and 'second' both take effect on 2024-01-01: each revision needs its own effective date"
        ],
    ),
    "unknown language": (
        {"content/privacy/2024-01-01/de.md": doc("title: Datenschutz\n")},
        [
            "content/privacy/2024-01-01/de.md: error: 'de' is not one of the site's languages (en, fr): rename the file or add the language to site.yaml"
        ],
    ),
    "a second file for a language, in another case": (
        {"content/privacy/2024-01-01/EN.md": doc("title: T\n")},
        [
            "content/privacy/2024-01-01/en.md: error: EN.md and en.md are both the en text of this revision (case does not matter in language tags): keep one"
        ],
    ),
    "unknown region file": (
        {"content/privacy/2024-01-01/en.asia.md": doc("title: T\n")},
        [
            "content/privacy/2024-01-01/en.asia.md: error: 'asia' is not a region of site.yaml (global, eu): name the file <language>.md or <language>.<region>.md"
        ],
    ),
    "unknown region block": (
        {
            "content/privacy/2024-06-01/en.md": doc(
                "effective: 2024-06-01\n", "Intro.\n\n::: region asia\nText.\n:::\n"
            )
        },
        [
            "content/privacy/2024-06-01/en.md:6: error: region block names unknown region 'asia' (regions: global, eu)"
        ],
    ),
    "misspelt block": (
        {
            "content/privacy/2024-06-01/en.md": doc(
                "effective: 2024-06-01\n", "::: regoin eu\nText.\n:::\n"
            )
        },
        [
            "content/privacy/2024-06-01/en.md:4: error: unknown block '::: regoin eu': the only block policygen knows is '::: region <region>'"
        ],
    ),
    "unclosed region block": (
        {
            "content/privacy/2024-06-01/en.md": doc(
                "effective: 2024-06-01\n", "::: region eu\nText.\n"
            )
        },
        [
            "content/privacy/2024-06-01/en.md:4: error: this region block is never closed: end it with a line ':::'"
        ],
    ),
    "unclosed region block in a quote at the end of the file": (
        {
            "content/privacy/2024-06-01/en.md": doc(
                "effective: 2024-06-01\n", "Intro.\n\n>::: region eu\n>"
            )
        },
        [
            "content/privacy/2024-06-01/en.md:6: error: this region block is never closed: end it with a line ':::'"
        ],
    ),
    "translation disagrees on a revision field": (
        {
            "content/privacy/2024-01-01/fr.md": doc(
                "title: Confidentialité\neffective: 2024-02-01\n"
            )
        },
        [
            "content/privacy/2024-01-01/fr.md:3: error: 'effective: 2024-02-01' disagrees with content/privacy/2024-01-01/en.md, which states '2024-01-01': 'effective' belongs to the whole revision, so state it once in content/privacy/2024-01-01/en.md, or state the same value"
        ],
    ),
    "translation disagrees with a default": (
        {"content/privacy/2024-01-01/fr.md": doc("material: false\n")},
        [
            "content/privacy/2024-01-01/fr.md:2: error: 'material: false' disagrees with content/privacy/2024-01-01/en.md, which states 'true' (the default): 'material' belongs to the whole revision, so state it once in content/privacy/2024-01-01/en.md, or state the same value"
        ],
    ),
    "revision without source-language file": (
        {"content/privacy/2024-06-01/fr.md": doc("title: T\neffective: 2024-06-01\n")},
        [
            "content/privacy/2024-06-01: error: this revision has no text in the source language: add en.md (translations alone are not enough)"
        ],
    ),
    "broken policy link": (
        {
            "content/privacy/2024-06-01/en.md": doc(
                "effective: 2024-06-01\n", "See [terms](policy:terms).\n"
            )
        },
        [
            "content/privacy/2024-06-01/en.md:4: error: link to unknown policy 'terms' (policies: cookies, privacy)"
        ],
    ),
    "broken section anchor": (
        {
            "content/privacy/2024-06-01/en.md": doc(
                "effective: 2024-06-01\n", "Intro.\n\nSee [it](policy:cookies#section-9).\n"
            )
        },
        [
            "content/privacy/2024-06-01/en.md:6: error: policy 'cookies' has no section '#section-9' (its anchors: section-1, section-2)"
        ],
    ),
    "broken policy link in raw HTML": (
        {
            "content/privacy/2024-06-01/en.md": doc(
                "effective: 2024-06-01\n",
                'Intro.\n\n<p>See <a href="policy:terms">the terms</a>.</p>\n',
            )
        },
        [
            "content/privacy/2024-06-01/en.md:6: error: link to unknown policy 'terms' (policies: cookies, privacy)"
        ],
    ),
    "broken section anchor in raw HTML": (
        {
            "content/privacy/2024-06-01/en.md": doc(
                "effective: 2024-06-01\n",
                "<table>\n<tr><td><a href='POLICY:cookies#section-9'>it</a></td></tr>\n</table>\n",
            )
        },
        [
            "content/privacy/2024-06-01/en.md:5: error: policy 'cookies' has no section '#section-9' (its anchors: section-1, section-2)"
        ],
    ),
    "policy link written in capitals": (
        {
            "content/privacy/2024-06-01/en.md": doc(
                "effective: 2024-06-01\n", "See [it](POLICY:nope).\n"
            )
        },
        [
            "content/privacy/2024-06-01/en.md:4: error: link to unknown policy 'nope' (policies: cookies, privacy)"
        ],
    ),
    "raw HTML left open": (
        {
            "content/privacy/2024-06-01/en.md": doc(
                "effective: 2024-06-01\n",
                "## 1. Text\n\nWords.\n\n  <!-- a note\n\n## 2. More\n\nHidden.\n",
            )
        },
        [
            "content/privacy/2024-06-01/en.md:8:3: error: the comment opened with '<!--' is never closed: it would hide the rest of the text from readers, though source.md holds it; end it with '-->'"
        ],
    ),
    "file that is not UTF-8": (
        {
            "content/privacy/2024-06-01/en.md": "---\neffective: 2024-06-01\ntitle: Caf\xe9\n---\n".encode(
                "latin-1"
            )
        },
        [
            "content/privacy/2024-06-01/en.md:3: error: this file is not UTF-8 text: save it with the UTF-8 encoding"
        ],
    ),
    "revision folder with a bad name": (
        {"content/privacy/June 2024/en.md": doc("effective: 2024-06-01\n")},
        [
            "content/privacy/June 2024: error: 'June 2024' cannot name a revision: use lowercase letters, digits, '.', '_' and '-', starting with a letter or digit"
        ],
    ),
    # Names the output gives files of its own: the pages would take each other's place.
    "a revision named as the history page": (
        {"content/privacy/history/en.md": doc("effective: 2024-06-01\n")},
        [
            "content/privacy/history: error: 'history' cannot name a revision: the policy's history page is published under that name; rename the folder"
        ],
    ),
    "a revision named as a page": (
        {"content/privacy/index.html/en.md": doc("effective: 2024-06-01\n")},
        [
            "content/privacy/index.html: error: 'index.html' cannot name a revision: the policy's page is published under that name; rename the folder"
        ],
    ),
    "a policy named as a feed": (
        {"content/feed.xml/2024-01-01/en.md": doc("effective: 2024-01-01\n")},
        [
            "content/feed.xml: error: 'feed.xml' cannot name a policy: each region's feed of changes is published under that name; rename the folder"
        ],
    ),
    "a policy named as a page": (
        {"content/index.html/2024-01-01/en.md": doc("effective: 2024-01-01\n")},
        [
            "content/index.html: error: 'index.html' cannot name a policy: web servers take what has that name in a folder for the folder's page, and this one would stand in each region's folder; rename the folder"
        ],
    ),
    "a policy named as a schema": (
        {"content/reader.schema.json/2024-01-01/en.md": doc("effective: 2024-01-01\n")},
        [
            "content/reader.schema.json: error: 'reader.schema.json' cannot name a policy: the schema of the readers' answers (api/reader.schema.json) is published under that name; rename the folder"
        ],
    ),
    "a region named as a page": (
        {"site.yaml": SITE_YAML.replace("  eu:", "  index.html:")},
        [
            "site.yaml:8:3: error: region id 'index.html' cannot be used: each language's page of policies is published under that name"
        ],
    ),
    # A placeholder in angle brackets reads as a tag: the words vanish from the page.
    "a placeholder in angle brackets": (
        {
            "content/privacy/2024-06-01/en.md": doc(
                "effective: 2024-06-01\n",
                "## 1. Text\n\nWrite to <privacy team> at <Company Name>.\n",
            )
        },
        [
            "content/privacy/2024-06-01/en.md:6: error: '<Company Name>' reads as an HTML tag, though no HTML element is called 'company', and shows nothing: readers find a gap where it stands; to show it as written, put a backslash before its '<' (\\<Company Name>)",
            "content/privacy/2024-06-01/en.md:6: error: '<privacy team>' reads as an HTML tag, though no HTML element is called 'privacy', and shows nothing: readers find a gap where it stands; to show it as written, put a backslash before its '<' (\\<privacy team>)",
        ],
    ),
    "a tag of thousands of attributes": (
        {
            "content/privacy/2024-06-01/en.md": doc(
                "effective: 2024-06-01\n",
                "## 1. Text\n\n<div "
                + " ".join(f"a{i}" for i in range(1001))
                + ">\nWords.\n</div>\n",
            )
        },
        [
            "content/privacy/2024-06-01/en.md:6:1: error: the tag '<div' has 1,001 attributes, where HTML of a policy has a few: the time the sanitizer takes to read them grows with the square of their number, and the tag shows nothing; write the words it holds as text"
        ],
    ),
    "a table cell that spans a thousand columns": (
        {
            # Each row laid out 1,000 columns wide: 800 such rows took WeasyPrint 35 seconds
            # and 600 MB to make into a PDF.
            "content/privacy/2024-06-01/en.md": doc(
                "effective: 2024-06-01\n",
                '## 1. Text\n\n<table><tr><td colspan="2">a</td><td rowspan="1000">b</td></tr>'
                '<tr><td colspan="1000">c</td><td rowspan=" 65534">d</td></tr></table>\n',
            )
        },
        [
            'content/privacy/2024-06-01/en.md:6:68: error: this cell spans 1,000 columns (colspan="1000"), more than the 100 a cell of a table may span: its table is laid out that large, row by row, which can make a PDF of the page take minutes; write the number of columns it spans',
            'content/privacy/2024-06-01/en.md:6:93: error: this cell spans 65,534 rows (rowspan=" 65534"), more than the 1,000 a cell of a table may span: its table is laid out that large, row by row, which can make a PDF of the page take minutes; write the number of rows it spans',
        ],
    ),
    "a table cell that spans a number of thousands of digits": (
        {
            # Python reads no number of more than 4,300 digits: the check crashed.
            "content/privacy/2024-06-01/en.md": doc(
                "effective: 2024-06-01\n",
                '## 1. Text\n\n<table><tr><td colspan="+' + "1" * 5000 + '">a</td>'
                '<td rowspan="' + "0" * 5000 + '7">b</td></tr></table>\n',
            )
        },
        [
            'content/privacy/2024-06-01/en.md:6:12: error: this cell spans a number of 5,000 digits of columns (colspan="+111111111111111111111111111111111111111…"), more than the 100 a cell of a table may span: its table is laid out that large, row by row, which can make a PDF of the page take minutes; write the number of columns it spans',
        ],
    ),
    "a table whose rowspans lay it out a thousand columns wide": (
        {
            # Each row's cell spans every row below, so that row N is N columns wide: 1,000
            # such rows (each cell within the limits above) took WeasyPrint 20 to 40 seconds
            # to make into a PDF. The table holds Markdown, so it is read over several blocks.
            "content/privacy/2024-06-01/en.md": doc(
                "effective: 2024-06-01\n",
                "## 1. Text\n\n<table><tbody><tr><td>\n\n*Words.*\n\n</td></tr>\n"
                + "".join('<tr><td rowspan="1000">x</td></tr>\n' for _ in range(1000))
                + "</tbody></table>\n\n"
                + "".join(
                    "<table>\n"
                    + "".join('<tr><td rowspan="120">x</td></tr>\n' for _ in range(120))
                    + "</table>\n\n"
                    for _ in range(8)
                ),
            )
        },
        [
            "content/privacy/2024-06-01/en.md:6:1: error: this table is laid out at least 142 rows by 141 columns (20,022 cells, counting the rows and columns its cells span), more than the 20,000 cells a table may have: each row is laid out that wide, which can make a PDF of the page take minutes; split it into smaller tables, or check the rowspan and colspan of its cells",
            "content/privacy/2024-06-01/en.md:1628:1: error: this table is laid out at least 90 rows by 89 columns (8,010 cells, counting the rows and columns its cells span), which brings the cells of this text's tables to more than the 100,000 they may have together: each row is laid out that wide, which can make a PDF of the page take minutes; split it into smaller tables, or check the rowspan and colspan of its cells",
        ],
    ),
    "stray file in a revision": (
        {"content/privacy/2024-01-01/notes.txt": "draft"},
        [
            "content/privacy/2024-01-01/notes.txt: error: unexpected file: a revision folder holds only Markdown files named <language>.md or <language>.<region>.md"
        ],
    ),
    "duplicate explicit anchors": (
        {
            "content/privacy/2024-06-01/en.md": doc(
                "effective: 2024-06-01\n", "## A {#same}\n\n## B {#same}\n"
            )
        },
        [
            "content/privacy/2024-06-01/en.md:6: error: the id '#same' is already used on line 4: every id on a page must be unique"
        ],
    ),
    "an id written twice": (
        {
            "content/privacy/2024-06-01/en.md": doc(
                "effective: 2024-06-01\n",
                '## 1. Text\n\nWords.\n{: #words }\n\n<a id="words"></a>\n',
            )
        },
        [
            "content/privacy/2024-06-01/en.md:9: error: the id '#words' is already used on line 7: every id on a page must be unique"
        ],
    ),
    "a reserved id in an attribute list": (
        {
            "content/privacy/2024-06-01/en.md": doc(
                "effective: 2024-06-01\n", "## 1. Text\n\nWords.\n{: #pg-main }\n"
            )
        },
        [
            "content/privacy/2024-06-01/en.md:7: error: ids starting with 'pg-' are reserved for the page around the text: choose another than '#pg-main'"
        ],
    ),
    "duplicate key": (
        {"content/privacy/2024-06-01/en.md": doc("effective: 2024-06-01\ntitle: A\ntitle: B\n")},
        [
            "content/privacy/2024-06-01/en.md:4:1: error: key 'title' appears twice in the front matter"
        ],
    ),
    "a correction without a note": (
        {
            "content/privacy/2024-06-01/en.md": doc(
                "effective: 2024-06-01\ncorrections:\n  - {date: 2024-07-01}\n"
            )
        },
        [
            "content/privacy/2024-06-01/en.md:4:5: error: a correction needs 'note' (write {date: YYYY-MM-DD, note: what was corrected})"
        ],
    ),
    "unknown key in policy.yaml": (
        {"content/privacy/policy.yaml": "title: Privacy\nregion: [eu]\n"},
        [
            "content/privacy/policy.yaml:2:1: error: unknown key 'region' in policy.yaml (did you mean 'regions'?)"
        ],
    ),
    "file for a region the policy is not published in": (
        {
            "content/privacy/policy.yaml": "regions: [global]\n",
            "content/privacy/2024-01-01/en.eu.md": doc("title: T\n"),
        },
        [
            "content/privacy/2024-01-01/en.eu.md: error: this policy is not published in region 'eu' (its policy.yaml lists global)"
        ],
    ),
}


@pytest.mark.parametrize("files, expected", CASES.values(), ids=CASES.keys())
def test_reports_each_mistake_at_its_place(
    site_factory: SiteFactory, files: dict[str, str | bytes], expected: list[str]
) -> None:
    site = site_factory({**BASE, **files})
    assert problems_of(site) == expected


def test_a_long_table_of_real_policies_is_no_error(site_factory: SiteFactory) -> None:
    """A list of sub-processors: hundreds of rows, a few columns, and cells that span some."""
    row = "<tr><td>Processor</td><td>Hosting</td><td>EU</td><td>SCCs</td><td>2024</td></tr>\n"
    table = (
        '<table>\n<colgroup><col><col><col><col><col></colgroup>\n<thead><tr><th colspan="5">Sub-processors</th></tr></thead>\n'
        + '<tbody><tr><td rowspan="600">All</td><td colspan="4">Since</td></tr>\n'
        + row * 600
        + "</tbody></table>\n"
    )
    site = site_factory(
        {
            **BASE,
            "content/privacy/2024-06-01/en.md": doc(
                "effective: 2024-06-01\n", f"## 1. Text\n\n{table}\n{table}"
            ),
        }
    )
    assert [p for p in problems_of(site) if "table" in p] == []


def test_a_link_out_of_the_site_folder_is_refused(
    site_factory: SiteFactory, tmp_path: Path
) -> None:
    secret = tmp_path / "outside"
    secret.mkdir()
    (secret / "en.md").write_text("---\neffective: 2024-06-01\n---\nNot ours.\n")
    site = site_factory(BASE)
    (site / "content/privacy/2024-06-01").symlink_to(secret, target_is_directory=True)
    assert problems_of(site) == [
        "content/privacy/2024-06-01: error: this links to a place outside the site folder, which policygen never reads"
    ]
