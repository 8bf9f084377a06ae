"""policygen import of a file a stranger hands in: a Word file or a web page made to run
code, read files, exhaust memory or time, or crash the importer. Each is refused with one
line, or imported as text, in a time in proportion to the file."""

from __future__ import annotations

import io
import time
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest
from bs4.element import PageElement, Tag

from policygen.importing.files import NotImportable, convert_file

from .conftest import Run, SiteFactory
from .fixtures.word import make_policy_docx
from .timing import assert_in_proportion

CLI = Callable[..., Run]
PLAIN = make_policy_docx(tracked=False, image=False)
"""A Word file with a comment and a footnote: document, comments, footnotes, styles and
numbering parts, all of which mammoth reads."""
LAUGHS = (
    '<!DOCTYPE d [<!ENTITY a "aaaaaaaaaa">'
    + "".join(f'<!ENTITY {chr(98 + i)} "{f"&{chr(97 + i)};" * 10}">' for i in range(9))
    + "]>"
)
"""A billion laughs: &j; stands for 10⁹ a's."""
EXTERNAL = '<!DOCTYPE d [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def _repacked(
    replace: dict[str, bytes | str] | None = None,
    add: dict[str, bytes | str] | None = None,
    level: int = 6,
) -> bytes:
    replace = replace or {}
    original = zipfile.ZipFile(io.BytesIO(PLAIN))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=level) as archive:
        for name in original.namelist():
            archive.writestr(name, replace.get(name, original.read(name)))
        for name, content in (add or {}).items():
            archive.writestr(name, content)
    return out.getvalue()


def _part(name: str) -> str:
    return zipfile.ZipFile(io.BytesIO(PLAIN)).read(name).decode("utf-8")


def _with_prolog(name: str, prolog: str, reference: str) -> bytes:
    """The part with a DTD before its root and an entity reference as its first text."""
    text = _part(name)
    if text.startswith("<?xml"):
        text = text.split("?>", 1)[1].lstrip()
    root_end = text.index(">") + 1
    return _repacked({name: prolog + text[:root_end] + reference + text[root_end:]})


def _body(content: str) -> bytes:
    document = _part("word/document.xml")
    start = document.index("<w:body>") + len("<w:body>")
    return _repacked({"word/document.xml": document[:start] + content + document[start:]})


def _refusal(data: bytes) -> str:
    started = time.perf_counter()
    with pytest.raises(NotImportable) as refused:
        convert_file("docx", data)
    assert time.perf_counter() - started < 5
    return str(refused.value)


PARTS = (
    "word/document.xml",
    "word/comments.xml",
    "word/footnotes.xml",
    "word/styles.xml",
    "word/numbering.xml",
)


@pytest.mark.parametrize("name", PARTS)
@pytest.mark.parametrize(("prolog", "reference"), [(LAUGHS, "&j;"), (EXTERNAL, "&x;")])
def test_a_word_part_with_a_dtd_is_refused(name: str, prolog: str, reference: str) -> None:
    # Before, a billion laughs in styles, numbering or footnotes ended in a traceback, and an
    # external entity there was read past without a word.
    assert _refusal(_with_prolog(name, prolog, reference)) == (
        f"its {name} declares a document type (DTD), which Word documents never do"
    )


def test_a_zip_bomb_is_refused_before_it_is_unpacked() -> None:
    spaces = b" " * (55 * 2**20)
    data = _repacked(add={f"word/bomb{i}.xml": spaces for i in range(5)}, level=1)
    assert len(data) < 2 * 2**20
    assert _refusal(data) == "its parts unpack to more than 256 MB"


def test_a_part_of_mammoth_larger_than_a_policy_is_refused() -> None:
    data = _repacked({"word/styles.xml": b" " * (65 * 2**20)}, level=1)
    assert _refusal(data) == "its word/styles.xml is larger than 64 MB"


def _with_entry_bytes(name: bytes, change: Callable[[bytearray, int], None]) -> bytes:
    """PLAIN with `change` made to the local and central headers of one entry, each given
    where its header starts and where its name starts."""
    data = bytearray(PLAIN)
    for signature, name_at in ((b"PK\x03\x04", 30), (b"PK\x01\x02", 46)):
        entry = data.find(signature)
        while entry >= 0:
            if data[entry + name_at : entry + name_at + len(name)] == name:
                change(data, entry)
            entry = data.find(signature, entry + 1)
    return bytes(data)


def test_a_corrupt_part_is_refused_not_a_traceback() -> None:
    # Before, deflated data that does not inflate escaped as zlib.error.
    def corrupt(data: bytearray, entry: int) -> None:
        if data[entry : entry + 4] == b"PK\x03\x04":
            start = entry + 30 + int.from_bytes(data[entry + 26 : entry + 28], "little")
            data[start : start + 16] = bytes(b ^ 0xFF for b in data[start : start + 16])

    assert _refusal(_with_entry_bytes(b"word/document.xml", corrupt)).startswith(
        "its word/document.xml cannot be unpacked (Error -3 while decompressing data"
    )


@pytest.mark.parametrize(
    ("offsets", "value", "refusal"),
    [
        ((6, 8), 1, "its word/document.xml is encrypted: save it without a password"),
        ((8, 10), 99, "its word/document.xml is packed in a way Word never packs a part"),
    ],
)
def test_an_encrypted_or_strangely_packed_part_is_refused(
    offsets: tuple[int, int], value: int, refusal: str
) -> None:
    # The flags and the method are 2 bytes each, 2 bytes further in the central header.
    def change(data: bytearray, entry: int) -> None:
        shift = 2 if data[entry : entry + 4] == b"PK\x01\x02" else 0
        start = entry + offsets[0] + shift
        data[start : start + 2] = value.to_bytes(2, "little")

    assert _refusal(_with_entry_bytes(b"word/document.xml", change)) == refusal


def test_a_part_whose_size_the_archive_understates_is_refused() -> None:
    data = bytearray(PLAIN)
    entry = data.find(b"PK\x01\x02")
    while entry >= 0:
        length = int.from_bytes(data[entry + 28 : entry + 30], "little")
        if data[entry + 46 : entry + 46 + length] == b"word/document.xml":
            data[entry + 24 : entry + 28] = (100).to_bytes(4, "little")
        entry = data.find(b"PK\x01\x02", entry + 1)
    assert _refusal(bytes(data)) == (
        "its word/document.xml cannot be unpacked (Bad CRC-32 for file 'word/document.xml')"
    )


def test_a_long_token_is_refused_before_mammoth_reads_it_a_chunk_at_a_time() -> None:
    # Before, a 50 MB comment in styles.xml (87 KB zipped) held the import for more than a
    # minute: mammoth's reader read it again from its start with each 16 KB.
    styles = _part("word/styles.xml")
    end = styles.rindex("</")
    data = _repacked(
        {"word/styles.xml": styles[:end] + "<!--" + "a" * 2**21 + "-->" + styles[end:]}
    )
    assert _refusal(data) == (
        "its word/styles.xml holds a tag, comment or text longer than 1 MB, which Word documents never do"
    )


@pytest.mark.parametrize("tag", ["w:sdt", "w:ins", "w:smartTag", "x"])
def test_elements_nested_without_end_are_refused(tag: str) -> None:
    # Before, 100,000 nested elements ended in a traceback (RecursionError).
    nested = f"<{tag}>" * 101 + "<w:p/>" + f"</{tag}>" * 101
    assert _refusal(_body(nested)) == (
        "its word/document.xml nests its elements more than 100 levels deep, which Word documents never do"
    )


def test_elements_nested_as_deep_as_allowed_are_read() -> None:
    paragraph = f'<w:p xmlns:w="{W}"><w:r><w:t>Deep inside.</w:t></w:r></w:p>'
    # document, body, 94 × sdt content, p, r, t: 100 levels.
    nested = "<w:sdt><w:sdtContent>" * 47 + paragraph + "</w:sdtContent></w:sdt>" * 47
    assert "Deep inside." in convert_file("docx", _body(nested)).body


def test_more_paragraphs_than_a_policy_has_are_refused_at_once() -> None:
    # Before, a million empty paragraphs (134 KB zipped) held the import for minutes.
    data = _body("<w:p/>" * 100_001)
    assert len(data) < 200_000
    assert _refusal(data) == (
        "its word/document.xml brings the document's XML elements to more than 100,000, which Word documents never do"
    )


def test_a_name_outside_the_package_and_a_relationship_out_of_it_are_never_followed(
    tmp_path: Path,
) -> None:
    secret = tmp_path / "secret.xml"
    secret.write_text(f'<w:styles xmlns:w="{W}"><w:style w:styleId="Secret"/></w:styles>')
    relationships = _part("word/_rels/document.xml.rels").replace(
        'Target="styles.xml"', f'Target="{"../" * 20}{secret}"'
    )
    data = _repacked(
        {"word/_rels/document.xml.rels": relationships},
        {"../../outside.xml": "<x/>", "/etc/evil.xml": "<x/>"},
    )
    converted = convert_file("docx", data)
    assert "Example Ltd" in converted.body
    assert not (tmp_path.parent.parent / "outside.xml").exists()


def test_the_command_says_why_a_hostile_word_file_is_refused(
    cli: CLI, site_factory: SiteFactory, tmp_path: Path
) -> None:
    site = site_factory({})
    file = tmp_path / "laughs.docx"
    file.write_bytes(_with_prolog("word/styles.xml", LAUGHS, "&j;"))
    run = cli("import", str(file), "--policy", "privacy", "--effective", "2025-01-01", str(site))
    assert (run.code, run.err) == (
        1,
        f"policygen: {file}: its word/styles.xml declares a document type (DTD), which Word documents never do; nothing was imported\n",
    )
    assert not (site / "content").exists()


def _page(body: str) -> bytes:
    return f"<html><body><main><h1>Privacy</h1><p>We care.</p>{body}</main></body></html>".encode()


@pytest.mark.parametrize(
    ("opening", "closing"),
    [
        ("<div>", "</div>"),
        ("<table><tr><td>", "</td></tr></table>"),
        ("<b>", "</b>"),
        ("<ul><li>", ""),
    ],
)
def test_a_page_nested_without_end_is_refused(opening: str, closing: str) -> None:
    # Before, 100,000 nested <div> (1 MB) ended in a traceback after 27 s (RecursionError),
    # and so did 3,000 nested tables, 20,000 nested lists (closed or not) or bold words.
    started = time.perf_counter()
    with pytest.raises(NotImportable) as refused:
        convert_file("html", _page(opening * 20_000 + "Deep." + closing * 20_000))
    assert time.perf_counter() - started < 5
    assert str(refused.value) == (
        "its elements nest more than 200 levels deep (line 1), which no page of text does"
    )


@pytest.mark.parametrize(
    ("opening", "closing", "levels"),
    [
        ("<div>", "</div>", 195),
        ("<table><tr><td colspan=2>", "</td></tr></table>", 65),
        ("<ol type=a><li>", "</li></ol>", 97),
        ("<dl><dd>", "</dd></dl>", 97),
    ],
)
def test_a_page_nested_as_deep_as_allowed_is_read(opening: str, closing: str, levels: int) -> None:
    body = convert_file("html", _page(opening * levels + "Deep." + closing * levels)).body
    assert "Deep." in body


def test_the_search_for_the_main_text_takes_a_time_in_proportion_to_the_page() -> None:
    """Not a speed check: the text of each element on the way down to the main text was
    counted again at each level, a time growing with the page's size times its depth."""
    paragraphs = "<p>A paragraph.</p>" * 10_000

    def convert(depth: int) -> None:
        page = (
            f"<html><body>{'<div>' * depth}<h1>T</h1>{paragraphs}{'</div>' * depth}</body></html>"
        )
        convert_file("html", page.encode())

    assert_in_proportion(convert, 1, 190, factor=3, slack=1)


def test_links_to_places_that_are_not_headings_are_resolved_in_one_pass() -> None:
    # Before, each link looked back through the page for the heading before its target:
    # 8,000 links (200 KB) took 204 s, 2,000 took 11 s; now 8,000 take 0.8 s.
    links = '<p><a href="#t">see</a></p>' * 2000
    started = time.perf_counter()
    converted = convert_file("html", _page(f'<h2>Rights</h2>{links}<p><span id="t">x</span></p>'))
    assert time.perf_counter() - started < 3
    assert converted.body.count("[see](#t)") == 2000
    assert "## Rights {#t}\n" in converted.body


def test_a_meta_naming_utf_16_is_a_lie_browsers_see_through() -> None:
    # Before, a page of an even number of bytes became CJK characters, read two at a time.
    for word in ("Café", "Cafés"):
        page = f'<meta charset="utf-16"><main><h1>T</h1><p>{word}</p></main>'
        assert convert_file("html", page.encode("cp1252")).body == f"{word}\n"
        assert convert_file("html", page.encode("utf-8")).body == f"{word}\n"
        assert convert_file("html", page.encode("utf-16")).body == f"{word}\n"  # its BOM says so


def test_links_a_page_cannot_mean_are_removed_and_its_base_is_only_a_web_address() -> None:
    converted = convert_file(
        "html",
        b'<head><base href="javascript:alert(1)//"></head><main><h1>T</h1><p>'
        b'<a href="javascript:alert(1)">a</a> <a href="java&#x09;script:alert(1)">b</a> '
        b'<a href=" JaVaScRiPt:x">c</a> <a href="data:text/html,x">d</a> '
        b'<a href="file:///etc/passwd">e</a> <a href="rel">f</a></p>'
        b'<table><tr><td colspan="2"><a href="vbscript:x">g</a></td></tr><tr><td>1</td><td>2</td></tr></table>'
        b"<p>&lt;script&gt;alert(1)&lt;/script&gt; <![CDATA[<style>]]></p></main>",
    )
    assert converted.body == (
        "a b c d e [f](rel)\n\n"
        '<table><tr><td colspan="2">g</td></tr>\n<tr><td>1</td><td>2</td></tr>\n</table>\n\n'
        "\\<script>alert(1)\\</script> \\<style>\n"
    )


@pytest.mark.parametrize("kind", ["<ol>", '<ol type="a">'])
def test_a_long_numbered_list_takes_a_time_in_proportion_to_it(kind: str) -> None:
    """Not a speed check: markdownify numbered each item by counting the items before it
    (8,000 items: 5 s; 32,000: minutes)."""

    def convert(items: int) -> None:
        convert_file("html", _page(kind + "<li>An item.</li>" * items + "</ol>"))

    assert_in_proportion(convert, 1_000, 10_000, factor=25, slack=1)


def test_line_breaks_are_taken_out_of_many_bold_words_without_a_search_for_each(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Each <br> moved out of a bold word looked for the word's place among all the words of
    its paragraph, a time growing with their square (16,000 bold words: 8 s)."""
    searches = 0
    index = Tag.index

    def counted(self: Tag, element: PageElement) -> int:
        nonlocal searches
        searches += 1
        return index(self, element)

    monkeypatch.setattr(Tag, "index", counted)
    body = convert_file("html", _page("<p>" + "<b>x<br></b>" * 2000 + "</p>")).body
    assert body.count("**x**\\\n") == 2000
    assert searches < 100
