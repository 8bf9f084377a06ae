"""Blocks written the other way than their page (directions.with_directions_of_words)."""

from __future__ import annotations

import pytest

from policygen.directions import Direction, with_directions_of_words


@pytest.mark.parametrize(
    ("html", "direction", "expected"),
    [
        # Privacy Guides' privacy policy in Hebrew (privacyguides/i18n, 2024-11-04): sentences
        # its translation tool left in English, which read '.public list of team members'.
        (
            "<p>Privacy Guides is a community project. The public list of team members"
            ' <a href="https://discuss.privacyguides.net/">can be found on our forum</a>.</p>',
            "rtl",
            '<p dir="ltr">Privacy Guides is a community project. The public list of team members'
            ' <a href="https://discuss.privacyguides.net/">can be found on our forum</a>.</p>',
        ),
        (
            "<ul>\n<li>No personal information is stored</li>\n<li>אין שיתוף מידע עם חברות פרסום</li>\n</ul>",
            "rtl",
            '<ul>\n<li dir="ltr">No personal information is stored</li>\n<li>אין שיתוף מידע עם חברות פרסום</li>\n</ul>',
        ),
        # A block holding a letter of the page's direction keeps it, whatever it opens with.
        ("<p>Mozilla تحرص على خصوصيتك.</p>", "rtl", "<p>Mozilla تحرص على خصوصيتك.</p>"),
        # Code, and words set apart, are not the block's.
        ("<p>כמו <code>1125x2436</code>.</p>", "rtl", "<p>כמו <code>1125x2436</code>.</p>"),
        (
            '<p>كتابة <span dir="ltr">Firefox</span> و <bdi>Mozilla</bdi></p>',
            "rtl",
            '<p>كتابة <span dir="ltr">Firefox</span> و <bdi>Mozilla</bdi></p>',
        ),
        # No letter at all: nothing to tell.
        ("<p>&amp; 12 (2024-11-04)</p>", "rtl", "<p>&amp; 12 (2024-11-04)</p>"),
        ("<td>1.</td>", "ltr", "<td>1.</td>"),
        # An Arabic address quoted in an English text.
        (
            "<p>Write to:</p>\n<p>ص.ب. ١٢٣، دبي</p>",
            "ltr",
            '<p>Write to:</p>\n<p dir="rtl">ص.ب. ١٢٣، دبي</p>',
        ),
        # A block inside one set the other way reads from that one's direction.
        (
            "<ul><li>English item<ul><li>עברית</li><li>More English</li></ul></li></ul>",
            "rtl",
            '<ul><li dir="ltr">English item<ul><li dir="rtl">עברית</li><li>More English</li></ul></li></ul>',
        ),
        ('<p dir="rtl">English</p>', "ltr", '<p dir="rtl">English</p>'),
        # A redline's hidden labels are in the page's language, not the block's.
        (
            '<p><ins><span class="visually-hidden">נוסף: </span>Privacy Guides is a project.</ins></p>',
            "rtl",
            '<p dir="ltr"><ins><span class="visually-hidden">נוסף: </span>Privacy Guides is a project.</ins></p>',
        ),
        (
            '<h2 id="data">Data <!-- נתונים --></h2>',
            "rtl",
            '<h2 id="data" dir="ltr">Data <!-- נתונים --></h2>',
        ),
    ],
)
def test_a_block_written_the_other_way_reads_in_its_direction(
    html: str, direction: Direction, expected: str
) -> None:
    assert with_directions_of_words(html, direction) == expected
