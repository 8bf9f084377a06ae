"""Size parameters → a policy site folder to benchmark policygen on, the same bytes every time.

The texts are made from the example site's privacy policy (content/privacy/2022-07-07: en.md
and ja.md, block by block parallel, plus a few sections and paragraphs of its European
variant, en.europe.md and ja.europe.md): each policy reorders and renames that text, adds a
table and `::: region` blocks, and each revision makes the edits of a real revision to the
one before (a word changed here and there, an added paragraph, now and then a new section
that renumbers the ones after it). English and Japanese are real text; the other languages
are the English text with a few words translated and a language marker, which is enough
for a benchmark. The first policy has `<lang>.europe.md` files; the latest revisions lack
some translations, so that their pages fall back to the English text. Every revision but the
last is in effect on AS_OF and recorded in policies.lock; the last is upcoming.

Randomness comes from random.Random seeded with a string, so the same parameters give the
same files on every machine and Python version.

Run: .venv/bin/python bench/corpus.py --size small OUT
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
import functools
import json
import random
import re
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "content" / "privacy" / "2022-07-07"
AS_OF = dt.date(2026, 11, 29)
"""The date the corpus is built as of: every revision but the last of each policy is in effect."""


@dataclass(frozen=True, slots=True)
class CorpusSize:
    """How many of each thing the corpus has."""

    policies: int
    languages: int
    """Site languages, English (the source language) and Japanese first."""
    regions: int
    """Site regions, the default region ("global") first."""
    revisions: int
    """Revisions of each policy."""

    @property
    def revision_pages(self) -> int:
        """Pages that show one revision's text in one language for one region."""
        return self.policies * self.languages * self.regions * self.revisions


SIZES = {
    "tiny": CorpusSize(policies=1, languages=2, regions=2, revisions=2),
    "small": CorpusSize(policies=2, languages=2, regions=2, revisions=3),
    "medium": CorpusSize(policies=3, languages=4, regions=3, revisions=8),
    "large": CorpusSize(policies=5, languages=8, regions=4, revisions=20),
    "xl": CorpusSize(policies=10, languages=12, regions=4, revisions=20),
    "xxl": CorpusSize(policies=20, languages=12, regions=4, revisions=20),
}

POLICIES = (
    # id, English name, Japanese name
    ("privacy", "Privacy Policy", "プライバシーポリシー"),
    ("cookies", "Cookies Policy", "クッキーポリシー"),
    ("terms", "Terms of Use", "利用規約"),
    ("newsletter", "Newsletter Privacy Notice", "メールマガジンに関するプライバシー通知"),
    ("events", "Event Participation Policy", "イベント参加に関するポリシー"),
    ("accessibility", "Accessibility Statement", "アクセシビリティ方針"),
    ("security", "Security Policy", "セキュリティポリシー"),
    ("retention", "Data Retention Policy", "データ保存方針"),
    ("children", "Children's Privacy Notice", "児童のプライバシーに関する通知"),
    ("recruitment", "Recruitment Privacy Notice", "採用に関するプライバシー通知"),
    ("social", "Social Media Policy", "ソーシャルメディアポリシー"),
    ("copyright", "Copyright Policy", "著作権ポリシー"),
    ("linking", "Linking Policy", "リンクポリシー"),
    ("scholarships", "Scholarship Applicant Privacy Notice", "奨学金申請者のプライバシー通知"),
    ("alumni", "Alumni Network Terms", "同窓生ネットワーク利用規約"),
    ("surveys", "Survey Participation Policy", "アンケート参加に関するポリシー"),
    ("partners", "Partner Institution Terms", "提携機関利用規約"),
    ("video", "Online Video Terms", "オンライン動画利用規約"),
    ("mobile", "Mobile App Privacy Notice", "モバイルアプリのプライバシー通知"),
    ("complaints", "Complaints Procedure", "苦情処理手続"),
)
"""The first `policies` of these are used: the larger sizes add to the end, the smaller stay the same."""
LANGUAGES = ("en", "ja", "fr", "de", "es", "it", "pt-BR", "ko", "nl", "pl", "sv", "zh-Hans")
REGIONS = (
    # id, English name, Japanese name, countries
    ("global", "All other regions", "その他の地域", ()),
    ("europe", "Europe and the U.K.", "欧州・英国",
     ("AT", "BE", "BG", "HR", "CY", "CZ", "DK", "EE", "FI", "FR", "DE", "GR", "HU", "IE", "IT",
      "LV", "LT", "LU", "MT", "NL", "PL", "PT", "RO", "SK", "SI", "ES", "SE", "IS", "LI", "NO",
      "GB")),
    ("americas", "The Americas", "南北アメリカ",
     ("AR", "BR", "CA", "CL", "CO", "MX", "PE", "US")),
    ("asia", "Asia and the Pacific", "アジア太平洋",
     ("AU", "ID", "IN", "KR", "MY", "NZ", "PH", "SG", "TH", "VN")),
)  # fmt: skip
OVERRIDE_REGION = "europe"
"""The region the first policy has its own files for (en.europe.md…)."""

PSEUDO_TRANSLATIONS = {
    "fr": {"the": "le", "and": "et", "of": "de", "to": "à", "for": "pour", "with": "avec",
           "is": "est", "information": "informations", "website": "site web"},
    "de": {"the": "die", "and": "und", "of": "von", "to": "zu", "for": "für", "with": "mit",
           "is": "ist", "information": "Informationen", "website": "Webseite"},
    "es": {"the": "el", "and": "y", "of": "de", "to": "a", "for": "para", "with": "con",
           "is": "es", "information": "información", "website": "sitio web"},
    "it": {"the": "il", "and": "e", "of": "di", "to": "a", "for": "per", "with": "con",
           "is": "è", "information": "informazioni", "website": "sito web"},
    "pt-BR": {"the": "o", "and": "e", "of": "de", "to": "para", "for": "por", "with": "com",
              "is": "é", "information": "informações", "website": "site"},
    "ko": {"personal information": "개인정보", "information": "정보", "website": "웹사이트",
           "and": "및", "users": "이용자", "user": "이용자", "cookies": "쿠키",
           "services": "서비스"},
    "nl": {"the": "de", "and": "en", "of": "van", "to": "naar", "for": "voor", "with": "met",
           "is": "is", "information": "informatie", "website": "website"},
    "pl": {"the": "ten", "and": "i", "of": "z", "to": "do", "for": "dla", "with": "z",
           "is": "jest", "information": "informacje", "website": "strona"},
    "sv": {"the": "den", "and": "och", "of": "av", "to": "till", "for": "för", "with": "med",
           "is": "är", "information": "information", "website": "webbplats"},
    "zh-Hans": {"personal information": "个人信息", "information": "信息", "website": "网站",
                "and": "和", "users": "用户", "user": "用户", "cookies": "Cookie",
                "services": "服务"},
}  # fmt: skip
"""A few words of each language other than English and Japanese: the text stays English-like."""

WORD_EDITS = {
    "en": (("necessary", "required"), ("appropriate", "suitable"), ("personal information",
           "personal data"), ("collect", "gather"), ("provide", "supply"), ("use", "process"),
           ("may", "might"), ("such", "these"), ("users", "visitors"), ("contact", "reach")),
    "ja": (("個人情報", "個人データ"), ("利用者", "ユーザー"), ("必要な", "所要の"),
           ("適切な", "適正な"), ("適切に", "適正に"), ("ウェブサイト", "サイト"),
           ("お問い合わせ", "ご照会"), ("場合", "とき"), ("提供", "供与")),
}  # fmt: skip
"""Pairs of words a revision swaps (either way round): the edits of a wording revision."""
ADDED_SENTENCE = {
    "en": "The details are set out in JASSO's internal rules.",
    "ja": "詳細は、JASSOの内部規程において定めます。",
}
"""Added to a block that has none of the words of WORD_EDITS."""

TABLE = {
    "en": """\
| Cookie | Set by | Purpose | Retention |
|---|---|---|---|
| `_ga` | Google Analytics | Distinguishes users for statistics | 2 years |
| `_gid` | Google Analytics | Distinguishes users for statistics | 24 hours |
| `session` | JASSO Website | Keeps you logged in | Until you close the browser |
| `consent` | JASSO Website | Remembers your cookie choices | 1 year |
| `_fbp` | Facebook | Measures the effect of advertisements | 3 months |""",
    "ja": """\
| クッキー | 設定者 | 目的 | 保存期間 |
|---|---|---|---|
| `_ga` | Googleアナリティクス | 統計のための利用者の識別 | 2年 |
| `_gid` | Googleアナリティクス | 統計のための利用者の識別 | 24時間 |
| `session` | JASSOウェブサイト | ログイン状態の維持 | ブラウザを閉じるまで |
| `consent` | JASSOウェブサイト | クッキーに関する選択の記録 | 1年 |
| `_fbp` | Facebook | 広告の効果測定 | 3か月 |""",
}
OTHER_REGIONS_NOTE = {
    "en": "Users in these regions may also contact our regional office by e-mail at <regions@jasso.go.jp>.",
    "ja": "これらの地域の利用者は、地域事務所（<regions@jasso.go.jp>）に電子メールでお問い合わせいただくこともできます。",
}
ADDED_SECTIONS = (7, 9, 12)
"""Sections of the European variant that revisions add (international transfers, retention, complaints)."""
OVERRIDE_SECTION = 11
"""The section of the European variant only its own files have (the rights of the GDPR)."""
MAX_SECTIONS = 14
"""Sections a revision may grow to; the European files have one more."""


@dataclass(frozen=True, slots=True)
class Block:
    """A block of Markdown (paragraph, list, table, subheading) in English and Japanese."""

    en: str
    ja: str
    regions: str = ""
    """The words after `::: region` when the block is for some regions only."""

    @property
    def is_prose(self) -> bool:
        """Paragraphs and lists, where a revision changes words."""
        return not self.en.startswith(("#", "|"))

    def applies_to(self, region: str) -> bool:
        """Whether readers in `region` see this block."""
        names = self.regions.split()
        return not names or (names[0] == "not") != (region in names)


@dataclass(frozen=True, slots=True)
class Section:
    """A numbered section: the number comes from its place in the document."""

    title_en: str
    title_ja: str
    blocks: tuple[Block, ...]


@dataclass(frozen=True, slots=True)
class Revision:
    """One revision of one policy: its dates and its text in English and Japanese."""

    id: str
    effective: dt.date
    published: dt.date
    material: bool
    summary_en: str
    summary_ja: str
    sections: tuple[Section, ...]
    missing: frozenset[str]
    """Languages that have no translation of this revision yet."""


@dataclass(frozen=True, slots=True)
class Material:
    """The text the corpus is made of, read from the example site."""

    sections: tuple[Section, ...]
    """The twelve sections of the privacy policy."""
    europe_sections: tuple[Section, ...]
    """The fifteen sections of its European variant."""
    paragraphs: tuple[Block, ...]
    """Short paragraphs of the European variant, which revisions add."""


def read_material(folder: Path = EXAMPLE) -> Material:
    """The sections and paragraphs of the example privacy policy, English and Japanese side by side."""
    sections = _parallel_sections(folder, "")
    europe = _parallel_sections(folder, ".europe")
    paragraphs = tuple(
        block
        for section in europe
        for block in section.blocks
        if block.is_prose and block.en[0].isalpha() and len(block.en) < 300
    )
    return Material(sections, europe, paragraphs)


def _parallel_sections(folder: Path, suffix: str) -> tuple[Section, ...]:
    english = _body_blocks((folder / f"en{suffix}.md").read_text(encoding="utf-8"))
    japanese = _body_blocks((folder / f"ja{suffix}.md").read_text(encoding="utf-8"))
    if len(english) != len(japanese):
        raise ValueError(
            f"en{suffix}.md and ja{suffix}.md in {folder} are not block by block parallel"
        )
    sections: list[Section] = []
    for en, ja in zip(english, japanese, strict=True):
        if en.startswith("## "):
            sections.append(Section(_heading_title(en), _heading_title(ja), ()))
        elif sections:
            last = sections[-1]
            sections[-1] = dataclasses.replace(last, blocks=(*last.blocks, Block(en, ja)))
    return tuple(sections)


def _body_blocks(text: str) -> list[str]:
    body = text.split("\n---\n", 1)[1]
    return [block.strip("\n") for block in body.strip().split("\n\n")]


def _heading_title(heading: str) -> str:
    return re.sub(r"## \d+\.\s*", "", heading)


def plan_policy(material: Material, index: int, size: CorpusSize, seed: int) -> list[Revision]:
    """The revisions of the policy POLICIES[index], oldest first."""
    policy_id = POLICIES[index][0]
    regions = [region[0] for region in REGIONS[: size.regions]]
    sections = _first_text(material, index, size.policies, regions)
    added_sections = [material.europe_sections[n - 1] for n in ADDED_SECTIONS]
    added_sections = added_sections[index % 3 :] + added_sections[: index % 3]
    paragraphs = list(material.paragraphs[index:] + material.paragraphs[:index])
    revisions = []
    for number, day in enumerate(_effective_dates(policy_id, size.revisions, seed)):
        rng = random.Random(f"{seed}/{policy_id}/{number}")
        if number == 0:
            summary_en, summary_ja = "First published version.", "初版です。"
            material_change = True
        else:
            sections, summary_en, summary_ja = _revise(sections, paragraphs, added_sections, rng)
            material_change = rng.random() >= 0.2
        published = day - dt.timedelta(days=rng.randint(30, 60))
        if number == size.revisions - 1:
            published = AS_OF - dt.timedelta(days=index)
        revisions.append(
            Revision(
                id=day.isoformat(),
                effective=day,
                published=published,
                material=material_change,
                summary_en=summary_en,
                summary_ja=summary_ja,
                sections=sections,
                missing=_missing_languages(index, number, size),
            )
        )
    return revisions


def _first_text(
    material: Material, index: int, policies: int, regions: list[str]
) -> tuple[Section, ...]:
    """The first revision's text: the privacy policy with its middle sections rotated and renamed."""
    _, name_en, name_ja = POLICIES[index]
    target_id, target_en, target_ja = POLICIES[(index + 1) % policies]
    base = material.sections
    middle = base[1:10][index % 9 :] + base[1:10][: index % 9]
    europe_intro = material.europe_sections[0].blocks[1]

    def renamed(text: str, name: str) -> str:
        return text.replace("Privacy Policy", name).replace("プライバシーポリシー", name)

    def adapted(block: Block) -> Block:
        return dataclasses.replace(
            block,
            en=renamed(block.en, name_en).replace(
                "[Cookies Policy](policy:cookies)", f"[{target_en}](policy:{target_id})"
            ),
            ja=renamed(block.ja, name_ja).replace(
                "[クッキーポリシー](policy:cookies)", f"[{target_ja}](policy:{target_id})"
            ),
        )

    sections = []
    for section in (base[0], *middle, *base[10:]):
        blocks = list(section.blocks)
        if section is base[0] and "europe" in regions:
            blocks[2:3] = [
                dataclasses.replace(europe_intro, regions="europe"),
                dataclasses.replace(blocks[2], regions="not europe"),
            ]
        if section is base[3]:
            blocks.insert(1, Block(TABLE["en"], TABLE["ja"]))
        if section is base[-1] and len(regions) > 2:
            blocks.append(Block(**OTHER_REGIONS_NOTE, regions=" ".join(regions[2:])))
        sections.append(
            Section(
                renamed(section.title_en, name_en),
                renamed(section.title_ja, name_ja),
                tuple(adapted(block) for block in blocks),
            )
        )
    return tuple(sections)


def _effective_dates(policy_id: str, revisions: int, seed: int) -> list[dt.date]:
    """Effective dates two to five months apart, the last one upcoming on AS_OF."""
    rng = random.Random(f"{seed}/{policy_id}/dates")
    day = AS_OF + dt.timedelta(days=rng.randint(40, 90))
    days = [day]
    for _ in range(revisions - 1):
        day -= dt.timedelta(days=rng.randint(60, 150))
        days.append(day)
    return days[::-1]


def _revise(
    sections: tuple[Section, ...],
    paragraphs: list[Block],
    added_sections: list[Section],
    rng: random.Random,
) -> tuple[tuple[Section, ...], str, str]:
    """The next revision's text and its summary in English and Japanese; takes what it adds from the lists."""
    edited = list(sections)
    prose = [
        (s, b)
        for s, section in enumerate(edited)
        for b, block in enumerate(section.blocks)
        if block.is_prose
    ]
    reworded = sorted(rng.sample(prose, rng.randint(1, 3)))
    for s, b in reworded:
        block = edited[s].blocks[b]
        changed = dataclasses.replace(
            block, en=_edit_words(block.en, "en", rng), ja=_edit_words(block.ja, "ja", rng)
        )
        edited[s] = _with_block(edited[s], b, changed, replace=True)
    touched = [edited[s] for s in dict.fromkeys(s for s, _ in reworded)]
    summary_en = [f"Revises the wording of {_section_list(touched, edited, 'en')}."]
    summary_ja = [f"{_section_list(touched, edited, 'ja')}の文言を修正しました。"]
    if paragraphs and rng.random() < 0.3:
        s = rng.randrange(len(edited))
        place = rng.randint(0, len(edited[s].blocks))
        edited[s] = _with_block(edited[s], place, paragraphs.pop(0), replace=False)
        summary_en.append(f"Adds a paragraph to {_section_list([edited[s]], edited, 'en')}.")
        summary_ja.append(f"{_section_list([edited[s]], edited, 'ja')}に段落を追加しました。")
    if added_sections and len(edited) < MAX_SECTIONS and rng.random() < 0.2:
        new = added_sections.pop(0)
        edited.insert(rng.randint(1, len(edited) - 2), new)
        where_en, where_ja = _section_list([new], edited, "en"), _section_list([new], edited, "ja")
        summary_en.append(
            f"Adds {where_en} ({new.title_en}); the sections after it are renumbered."
        )
        summary_ja.append(f"{where_ja}（{new.title_ja}）を新設し、以降の番号を繰り下げました。")
    return tuple(edited), " ".join(summary_en), "".join(summary_ja)


def _with_block(section: Section, index: int, block: Block, *, replace: bool) -> Section:
    blocks = list(section.blocks)
    blocks[index : index + replace] = [block]
    return dataclasses.replace(section, blocks=tuple(blocks))


def _edit_words(text: str, language: str, rng: random.Random) -> str:
    """`text` with one word swapped for another, or with a sentence added when no word fits."""
    boundary = r"\b" if language == "en" else ""
    candidates = [
        (match, new)
        for old, other in WORD_EDITS[language]
        for word, new in ((old, other), (other, old))
        for match in re.finditer(f"{boundary}{re.escape(word)}{boundary}", text)
    ]
    if not candidates:
        return f"{text} {ADDED_SENTENCE[language]}".replace("。 ", "。")
    match, new = rng.choice(candidates)
    return text[: match.start()] + new + text[match.end() :]


def _section_list(touched: list[Section], sections: list[Section], language: str) -> str:
    numbers = [sections.index(section) + 1 for section in touched]
    if language == "ja":
        words = [f"第{n}項" for n in numbers]
        return words[0] if len(words) == 1 else "、".join(words[:-1]) + "及び" + words[-1]
    words = [str(n) for n in numbers]
    listed = words[0] if len(words) == 1 else ", ".join(words[:-1]) + " and " + words[-1]
    return f"section{'s' if len(words) > 1 else ''} {listed}"


def _missing_languages(index: int, number: int, size: CorpusSize) -> frozenset[str]:
    """Translations not written yet: about half in the last revision, a quarter in the one before."""
    missing = set()
    for position, language in enumerate(LANGUAGES[1 : size.languages], start=1):
        if number == size.revisions - 1 and (position + index) % 2 == 1:
            missing.add(language)
        if number == size.revisions - 2 and (position + index) % 4 == 1:
            missing.add(language)
    return frozenset(missing)


def render_document(revision: Revision, policy_index: int, language: str, region: str) -> str:
    """The file `<language>.md` (region "") or `<language>.<region>.md` of a revision."""
    _, name_en, name_ja = POLICIES[policy_index]

    def text(en: str, ja: str) -> str:
        return ja if language == "ja" else _pseudo(en, language)

    parts = []
    for number, section in enumerate(revision.sections, start=1):
        parts.append(f"## {number}. {text(section.title_en, section.title_ja)}")
        for block in section.blocks:
            if not block.regions or (region and block.applies_to(region)):
                parts.append(text(block.en, block.ja))
            elif not region:
                parts.append(f"::: region {block.regions}\n{text(block.en, block.ja)}\n:::")
    title = text(f"{name_en} of JASSO Website", f"JASSOウェブサイトにおける{name_ja}")
    if region:
        title += text(" (Europe and the U.K.)", "（欧州・英国）")
    if language not in ("en", "ja"):
        title += f" [{language}]"
    # JSON strings are YAML double-quoted strings: titles and summaries may hold ": ".
    front = [f"title: {json.dumps(title, ensure_ascii=False)}"]
    if language == "en":
        front += [f"effective: {revision.effective}", f"published: {revision.published}"]
    summary = text(revision.summary_en, revision.summary_ja)
    front.append(f"summary: {json.dumps(summary, ensure_ascii=False)}")
    if language == "en":
        front.append(f"material: {'true' if revision.material else 'false'}")
    return "---\n" + "\n".join(front) + "\n---\n\n" + "\n\n".join(parts) + "\n"


def _pseudo(text: str, language: str) -> str:
    """English text with the words of PSEUDO_TRANSLATIONS translated, links and code left alone."""
    if language == "en":
        return text
    words = PSEUDO_TRANSLATIONS[language]
    return _pseudo_pattern(language).sub(lambda m: words.get(m[0], m[0]), text)


@functools.cache
def _pseudo_pattern(language: str) -> re.Pattern[str]:
    words = sorted(PSEUDO_TRANSLATIONS[language], key=len, reverse=True)
    alternatives = "|".join(re.escape(word) for word in words)
    return re.compile(rf"\]\([^)]*\)|<[^>]*>|`[^`]*`|\b(?:{alternatives})\b")


def plan_files(size: CorpusSize, seed: int = 0) -> dict[str, str]:
    """Every file of the corpus but policies.lock, by path relative to the site folder."""
    material = read_material()
    languages = LANGUAGES[: size.languages]
    regions = REGIONS[: size.regions]
    files = {"site.yaml": _site_yaml(size, languages, regions)}
    rights = material.europe_sections[OVERRIDE_SECTION - 1]
    for index in range(size.policies):
        policy_id, name_en, name_ja = POLICIES[index]
        names = json.dumps({"en": name_en, "ja": name_ja}, ensure_ascii=False)
        files[f"content/{policy_id}/policy.yaml"] = f"title: {names}\n"
        for revision in plan_policy(material, index, size, seed):
            folder = f"content/{policy_id}/{revision.id}"
            # The first policy has its own files for one region, with one more section.
            regional = (
                dataclasses.replace(
                    revision, sections=(*revision.sections[:-2], rights, *revision.sections[-2:])
                )
                if index == 0 and size.regions > 1
                else None
            )
            for language in languages:
                if language in revision.missing:
                    continue
                files[f"{folder}/{language}.md"] = render_document(revision, index, language, "")
                if regional is not None:
                    files[f"{folder}/{language}.{OVERRIDE_REGION}.md"] = render_document(
                        regional, index, language, OVERRIDE_REGION
                    )
    return files


def _site_yaml(
    size: CorpusSize,
    languages: tuple[str, ...],
    regions: tuple[tuple[str, str, str, tuple[str, ...]], ...],
) -> str:
    def names(en: str, ja: str) -> str:
        return json.dumps({"en": en, "ja": ja}, ensure_ascii=False)

    lines = [
        f"# A benchmark corpus written by bench/corpus.py: {size.policies} policies, {size.languages}"
        f" languages, {size.regions} regions, {size.revisions} revisions.",
        f"title: {names('JASSO Study in Japan Virtual Fair', 'JASSO 日本留学オンラインフェア')}",
        "base_url: https://www.example.org/policies/",
        "default_language: en",
        f"languages: [{', '.join(languages)}]",
        "timezone: Asia/Tokyo",
        "notice_days: 30",
        "regions:",
    ]
    for position, (region, name_en, name_ja, countries) in enumerate(regions):
        lines += [f"  {region}:", f"    name: {names(name_en, name_ja)}"]
        if position == 0:
            lines.append("    default: true")
        if countries:
            lines.append(f"    countries: {json.dumps(list(countries))}")
    return "\n".join(lines) + "\n"


def write_corpus(folder: Path, size: CorpusSize, seed: int = 0) -> int:
    """Write the corpus into `folder` (absent or empty), policies.lock included; returns how many .md files."""
    if folder.exists() and any(folder.iterdir()):
        raise FileExistsError(f"{folder} is not empty: the corpus is written into a new folder")
    files = plan_files(size, seed)
    for path, text in sorted(files.items()):
        target = folder / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(text.encode("utf-8"))
    (folder / "policies.lock").write_bytes(render_lock_text(folder).encode("utf-8"))
    return sum(path.endswith(".md") for path in files)


def render_lock_text(folder: Path) -> str:
    """policies.lock for the site in `folder` as of AS_OF, written by policygen's own lock logic."""
    # Imported here: bench/run.py reads SIZES without loading policygen, because the peak
    # RSS a child process reports starts from its parent's.
    from policygen.assembly import assemble_site
    from policygen.locking import render_lock
    from policygen.sources import read_site

    sources, problems = read_site(folder)
    site, site_problems = assemble_site(sources, AS_OF, dt.datetime.now(dt.UTC))
    errors = [str(p) for p in (*problems, *site_problems) if p.is_error]
    if site is None or errors:
        raise ValueError("the corpus has errors:\n" + "\n".join(errors))
    return render_lock(site)


def main() -> None:
    parser = argparse.ArgumentParser(description="Write a policygen benchmark corpus.")
    parser.add_argument("--size", choices=SIZES, default="small")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("folder", type=Path, help="where to write the site (absent or empty)")
    args = parser.parse_args()
    documents = write_corpus(args.folder, SIZES[args.size], args.seed)
    print(f"wrote {documents} documents into {args.folder}")


if __name__ == "__main__":
    main()
