"""Never a traceback: input problems are path:line: message, problems of the machine one line
naming the path, policygen's own bugs one line pointing to --debug (exit 3)."""

from __future__ import annotations

import datetime as dt
import errno
import os
import re
import resource
import signal
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from policygen.errors import BuildFailed
from policygen.serving import Preview

from .conftest import SITE_YAML, Run, SiteFactory

CLI = Callable[..., Run]
TEXT = "content/privacy/2024-01-01/en.md"
BASE = {TEXT: "---\neffective: 2024-01-01\n---\nText.\n"}


def doc(front: str) -> str:
    return f"---\n{front}---\nText.\n"


def checked(cli: CLI, site: Path, *args: str) -> tuple[int, list[str]]:
    """The exit status of a check of the site, and the error lines it printed."""
    run = cli("check", str(site), *args)
    assert "Traceback" not in run.err
    return run.code, [line for line in run.err.splitlines() if ": error: " in line]


TAG = "YAML tags such as '{}' are not allowed: write the value alone"
INPUT_PROBLEMS = {
    "a tag that runs code in unsafe loaders": (
        {TEXT: doc("effective: 2024-01-01\nextra: {run: !!python/object/apply:os.system [ls]}\n")},
        [f"{TEXT}:3:14: error: " + TAG.format("!!python/object/apply:os.system")],
    ),
    "a local tag": (
        {TEXT: doc("effective: 2024-01-01\nextra:\n  a: !foo bar\n")},
        [f"{TEXT}:4:6: error: " + TAG.format("!foo")],
    ),
    "a binary value": (
        {TEXT: doc("effective: 2024-01-01\nextra: {a: !!binary '%%%'}\n")},
        [f"{TEXT}:3:12: error: " + TAG.format("!!binary")],
    ),
    "a timestamp tag": (
        {TEXT: doc("effective: 2024-01-01\nextra: {a: !!timestamp nonsense}\n")},
        [f"{TEXT}:3:12: error: " + TAG.format("!!timestamp")],
    ),
    "a tag on the title": (
        {TEXT: doc("effective: 2024-01-01\ntitle: !!python/name:os.system\n")},
        [f"{TEXT}:3:8: error: " + TAG.format("!!python/name:os.system")],
    ),
    "a tag in site.yaml": (
        {"site.yaml": SITE_YAML + "notice_days: !!int 3\n"},
        ["site.yaml:9:14: error: " + TAG.format("!!int")],
    ),
    "a tag in policy.yaml": (
        {"content/privacy/policy.yaml": "title: !!str Privacy\n"},
        ["content/privacy/policy.yaml:1:8: error: " + TAG.format("!!str")],
    ),
    "a date in extra that does not exist": (
        {TEXT: doc("effective: 2024-01-01\nextra: {review: 2024-13-45}\n")},
        [
            f"{TEXT}:3:17: error: '2024-13-45' in extra looks like a date but is not one (month must be in 1..12): put it in quotes to keep it as text"
        ],
    ),
    "year 0 in extra": (
        {TEXT: doc("effective: 2024-01-01\nextra: {review: 0000-01-01}\n")},
        [
            f"{TEXT}:3:17: error: '0000-01-01' in extra looks like a date but is not one (year 0 is out of range): put it in quotes to keep it as text"
        ],
    ),
    "a time zone offset of four days in extra": (
        {TEXT: doc("effective: 2024-01-01\nextra:\n  at: [2024-01-01T00:00:00+99:00]\n")},
        [
            f"{TEXT}:4:8: error: '2024-01-01T00:00:00+99:00' in extra looks like a date but is not one "
            "(offset must be a timedelta strictly between -timedelta(hours=24) and timedelta(hours=24), "
            "not datetime.timedelta(days=4, seconds=10800).): put it in quotes to keep it as text"
        ],
    ),
    "a number in extra of no digits": (
        {TEXT: doc("effective: 2024-01-01\nextra: {code: 0x_}\n")},
        [
            f"{TEXT}:3:15: error: '0x_' in extra looks like a number but is not one (invalid literal for int() with base 16: ''): put it in quotes to keep it as text"
        ],
    ),
    "extra nested without end": (
        {TEXT: doc("effective: 2024-01-01\nextra: {a: " + "[" * 3000 + "]" * 3000 + "}\n")},
        [f"{TEXT}:2: error: this YAML nests lists or mappings more than 100 levels deep"],
    ),
    "extra nested deeply without brackets": (
        {
            TEXT: doc(
                "effective: 2024-01-01\nextra:\n  a:\n"
                + "".join(" " * (i + 3) + "-\n" for i in range(150))
            )
        },
        [f"{TEXT}:105:104: error: this YAML nests lists or mappings more than 100 levels deep"],
    ),
    "extra that contains itself through an alias": (
        {TEXT: doc("effective: 2024-01-01\nextra:\n  a: &x [1, *x]\n")},
        [
            f"{TEXT}:4:6: error: this value of extra contains itself through an alias: write the value out instead"
        ],
    ),
    "extra of aliases of aliases (a billion laughs)": (
        {
            TEXT: doc(
                "effective: 2024-01-01\nextra:\n  a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n"
                + "".join(
                    f"  a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 9)}]\n" for i in range(1, 10)
                )
            )
        },
        [
            f"{TEXT}:4:3: error: extra holds more than 100,000 values once its aliases are written out: write the values out, or fewer of them"
        ],
    ),
    "effective in year 1": (
        {TEXT: doc("effective: 0001-01-01\n")},
        [f"{TEXT}:2:12: error: effective must be a date from 0001-01-02 to 9999-12-30"],
    ),
    "effective in year 9999": (
        {TEXT: doc("effective: 9999-12-31\n")},
        [f"{TEXT}:2:12: error: effective must be a date from 0001-01-02 to 9999-12-30"],
    ),
    "published in year 1": (
        {TEXT: doc("effective: 2024-01-01\npublished: 0001-01-01\n")},
        [f"{TEXT}:3:12: error: published must be a date from 0001-01-02 to 9999-12-30"],
    ),
    "a correction in year 9999": (
        {TEXT: doc("effective: 2024-01-01\ncorrections: [{date: 9999-12-31, note: x}]\n")},
        [
            f"{TEXT}:3:22: error: the date of a correction must be a date from 0001-01-02 to 9999-12-30"
        ],
    ),
    "a number of days with a thousand digits": (
        {"site.yaml": SITE_YAML + "notice_days: " + "9" * 1000 + "\n"},
        ["site.yaml:9:14: error: notice_days must be a whole number from 0 to 999999999"],
    ),
    "a number written in superscript digits": (
        {"site.yaml": SITE_YAML + "notice_days: ²\n"},
        ["site.yaml:9:14: error: notice_days must be a whole number from 0 to 999999999"],
    ),
    "a catalog that is not UTF-8": (
        {
            "locales/fr/LC_MESSAGES/messages.po": 'msgid ""\nmsgstr ""\n\nmsgid "Version"\nmsgstr "V\xe9rsion"\n'.encode(
                "latin-1"
            )
        },
        [
            "locales/fr/LC_MESSAGES/messages.po:5: error: this file is not UTF-8 text: save it with the UTF-8 encoding"
        ],
    ),
    "a catalog whose plural rule cannot be read": (
        {
            "locales/fr/LC_MESSAGES/messages.po": 'msgid ""\nmsgstr ""\n"Plural-Forms: nplurals=x; plural=(n>1);\\n"\n'
        },
        [
            "locales/fr/LC_MESSAGES/messages.po:1: error: the header of this translation catalog cannot be used: invalid literal for int() with base 10: 'x'"
        ],
    ),
    "a catalog that asks for a million plural forms": (
        # Babel makes room for nplurals translations of each message with plural forms:
        # nplurals=300000000 filled the memory of the machine.
        {
            "locales/fr/LC_MESSAGES/messages.po": 'msgid ""\nmsgstr ""\n"Plural-Forms: nplurals=1000000; plural=n;\\n"\n\n'
            'msgid "one"\nmsgid_plural "many"\nmsgstr[0] "un"\n'
        },
        [
            "locales/fr/LC_MESSAGES/messages.po:1: error: the header of this translation catalog cannot be used: nplurals=1000000 in Plural-Forms: a language has from 1 to 6 plural forms"
        ],
    ),
    "a catalog whose plural rule tries to run code": (
        {
            "locales/fr/LC_MESSAGES/messages.po": 'msgid ""\nmsgstr ""\n"Plural-Forms: nplurals=2; plural=__import__(\'os\');\\n"\n'
        },
        [
            "locales/fr/LC_MESSAGES/messages.po:1: error: the header of this translation catalog cannot be used: invalid token in plural form: __import__"
        ],
    ),
    "a catalog whose plural rule divides by zero": (
        # gettext works the rule out for each message the catalog lacks: every template
        # failed, the catalog unnamed.
        {
            "locales/fr/LC_MESSAGES/messages.po": 'msgid ""\nmsgstr ""\n"Plural-Forms: nplurals=2; plural=(n>1)+1/(n-1);\\n"\n'
        },
        [
            "locales/fr/LC_MESSAGES/messages.po:1: error: the header of this translation catalog cannot be used: its plural rule divides by zero when n is 1"
        ],
    ),
    "a translation that names a value the original does not have": (
        {
            "locales/fr/LC_MESSAGES/messages.po": 'msgid ""\nmsgstr ""\n\nmsgid "Version effective %(date)s"\nmsgstr "Version du %(jour)s"\n'
        },
        [
            "locales/fr/LC_MESSAGES/messages.po:4: error: the translation of 'Version effective %(date)s' cannot be used: it names %(jour)s, which the original does not have"
        ],
    ),
    "a translation that leaves out a value": (
        {
            "locales/fr/LC_MESSAGES/messages.po": 'msgid ""\nmsgstr ""\n\nmsgid "This version takes effect on %(date)s."\nmsgstr "Cette version entrera en vigueur."\n'
        },
        [
            "locales/fr/LC_MESSAGES/messages.po:4: error: the translation of 'This version takes effect on %(date)s.' cannot be used: it leaves out %(date)s, which pages fill in with what the words are about (a date, a title): write it where the language puts it"
        ],
    ),
    "a translation that pads a value to a gigabyte": (
        {
            "locales/fr/LC_MESSAGES/messages.po": 'msgid ""\nmsgstr ""\n\nmsgid "Version effective %(date)s"\nmsgstr "Version du %(date)1500000000s"\n'
        },
        [
            "locales/fr/LC_MESSAGES/messages.po:4: error: the translation of 'Version effective %(date)s' cannot be used: it gives a value a width or precision (%(date)1500000000), which makes it take as much room as it says: write %(name)s alone"
        ],
    ),
    "a translation with a lone percent sign": (
        {
            "locales/fr/LC_MESSAGES/messages.po": 'msgid ""\nmsgstr ""\n\nmsgid "Version"\nmsgstr "Version à 100 %"\n'
        },
        [
            "locales/fr/LC_MESSAGES/messages.po:4: error: the translation of 'Version' cannot be used: it has a '%' that is not followed by (name)s: write '%%' for a percent sign"
        ],
    ),
    "site.yaml that is a list": (
        {"site.yaml": "- en\n- fr\n"},
        ["site.yaml:1:1: error: site.yaml must be a mapping of keys to values"],
    ),
    "an empty text": (
        {TEXT: ""},
        [
            f"{TEXT}:1: error: the file must start with front matter: a line '---', settings such as 'title:', and a closing '---'"
        ],
    ),
    "site.yaml that is a folder": (
        {"site.yaml": None, "site.yaml/settings.yaml": "title: x\n"},
        ["site.yaml: error: site.yaml must be a file"],
    ),
    "policies.lock that is a folder": (
        {"policies.lock/x": "x"},
        ["policies.lock: error: policies.lock must be a file"],
    ),
    "a catalog that is a folder": (
        {"locales/fr/LC_MESSAGES/messages.po/x": "x"},
        ["locales/fr/LC_MESSAGES/messages.po: error: messages.po must be a file"],
    ),
    "content that is a file": (
        {"content": "x", TEXT: None},
        ["content: error: content must be a folder"],
    ),
    "templates that is a file": (
        {"templates": "x"},
        ["templates: error: templates must be a folder"],
    ),
    "a language of locales that is a file": (
        {"locales/fr": 'msgid ""\nmsgstr ""\n'},
        [
            "locales/fr: error: unexpected file: locales/ holds a folder for each language, with its catalog in LC_MESSAGES/messages.po"
        ],
    ),
    "a catalog in the wrong place": (
        {"locales/fr/messages.po": 'msgid ""\nmsgstr ""\n'},
        [
            "locales/fr: error: unexpected file: locales/ holds a folder for each language, with its catalog in LC_MESSAGES/messages.po"
        ],
    ),
}


@pytest.mark.parametrize("files, expected", INPUT_PROBLEMS.values(), ids=INPUT_PROBLEMS.keys())
def test_input_problems_are_reported_at_their_place(
    site_factory: SiteFactory, cli: CLI, files: dict[str, str | bytes | None], expected: list[str]
) -> None:
    written = {path: text for path, text in {**BASE, **files}.items() if text is not None}
    site = site_factory(written, with_defaults="site.yaml" not in files)
    assert checked(cli, site) == (1, expected)


@pytest.mark.parametrize("zone", ["Pacific/Kiritimati", "Asia/Tokyo", "Pacific/Pago_Pago"])
@pytest.mark.parametrize("as_of", ["0001-01-02", "9999-12-30"])
def test_the_first_and_last_days_policygen_works_with_build_in_any_time_zone(
    site_factory: SiteFactory, cli: CLI, tmp_path: Path, zone: str, as_of: str
) -> None:
    site = site_factory(
        {
            "site.yaml": SITE_YAML.replace("Europe/Paris", zone) + "notice_days: 30\n",
            "content/privacy/0001-01-02/en.md": doc(
                "effective: 0001-01-02\ncorrections: [{date: 0001-01-02, note: Typo.}]\n"
            ),
            "content/privacy/2024-01-01/en.md": doc(
                "effective: 2024-01-01\npublished: 0001-01-02\n"
            ),
            "content/privacy/9999-12-30/en.md": doc(
                "effective: 9999-12-30\npublished: 0001-01-02\n"
            ),
        }
    )
    run = cli("build", str(site), "-o", str(tmp_path / "out"), "--as-of", as_of)
    assert run.code == 0, run.err
    # Instants are RFC 3339 (a year of four digits) however close to the calendar's ends.
    manifest = (tmp_path / "out/manifest.json").read_text()
    instants = re.findall(r'"effective_at": "([^"]*)"', manifest)
    feed = (tmp_path / "out/en/global/feed.xml").read_text()
    instants += re.findall(r"<(?:updated|published)>([^<]*)<", feed)
    assert len(instants) > 3
    assert all(re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", instant) for instant in instants)
    assert any(instant.startswith("0001-01-0") for instant in instants)
    assert any(instant.startswith("9999-12-") for instant in instants)


@pytest.mark.parametrize("value", ["-5", "abc", " 12", "²", "9" * 30, "253402214400", "1.5"])
def test_a_source_date_epoch_that_gives_no_date_is_a_usage_error(
    site_factory: SiteFactory, cli: CLI, monkeypatch: pytest.MonkeyPatch, value: str
) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", value)
    run = cli("check", str(site_factory(BASE)))
    assert run.code == 2
    assert run.err == (
        "policygen: SOURCE_DATE_EPOCH must be a whole number of seconds since 1970-01-01 that "
        f"gives a date from 1970-01-01 to 9999-12-30, not '{value}'\n"
    )


@pytest.mark.parametrize("value", ["abc", "-5", "1.5", "²", "9" * 30])
def test_a_page_limit_that_is_no_number_is_a_usage_error(
    site_factory: SiteFactory, cli: CLI, monkeypatch: pytest.MonkeyPatch, value: str
) -> None:
    # It was passed over in silence: the default limit applied, whatever the job had meant.
    monkeypatch.setenv("POLICYGEN_MAX_PAGES", value)
    run = cli("check", str(site_factory(BASE)))
    assert (run.code, run.err) == (
        2,
        f"policygen: POLICYGEN_MAX_PAGES must be a whole number of pages, not '{value}'\n",
    )
    monkeypatch.setenv("POLICYGEN_MAX_PAGES", "1_000")
    assert cli("check", str(site_factory(BASE))).code == 0


def test_the_last_second_of_source_date_epoch_builds(
    site_factory: SiteFactory, cli: CLI, monkeypatch: pytest.MonkeyPatch
) -> None:
    last = (dt.date(9999, 12, 30) - dt.date(1970, 1, 1)).days * 86400 + 86399
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(last))
    site = site_factory(
        {**BASE, "site.yaml": SITE_YAML.replace("Europe/Paris", "Pacific/Kiritimati")}
    )
    assert checked(cli, site) == (0, [])


@pytest.mark.parametrize("date", ["0001-01-01", "9999-12-31"])
def test_an_as_of_date_policygen_cannot_work_with_is_a_usage_error(
    site_factory: SiteFactory, cli: CLI, date: str
) -> None:
    run = cli("check", str(site_factory(BASE)), "--as-of", date)
    assert run.code == 2
    assert run.err.splitlines()[-1] == (
        f"policygen check: error: argument --as-of: '{date}' is not a date from 0001-01-02 to 9999-12-30"
    )


def test_a_file_that_cannot_be_read_is_reported(
    site_factory: SiteFactory, cli: CLI, monkeypatch: pytest.MonkeyPatch
) -> None:
    site = site_factory(BASE)
    read_bytes = Path.read_bytes

    def refusing(path: Path) -> bytes:
        if path.name == "en.md":
            raise PermissionError(errno.EACCES, os.strerror(errno.EACCES), str(path))
        return read_bytes(path)

    monkeypatch.setattr(Path, "read_bytes", refusing)
    assert checked(cli, site) == (
        1,
        [f"{TEXT}: error: this file cannot be read: Permission denied"],
    )


MACHINE_PROBLEMS = {
    "a name too long": (
        lambda tmp: tmp / ("x" * 300),
        "policygen: cannot write the output folder {out}: File name too long",
    ),
    "a folder inside a file": (
        lambda tmp: tmp / "site/site.yaml/public",
        "policygen: cannot make the output folder {out}: {tmp}/site/site.yaml is a file",
    ),
    "a file instead of a folder": (
        lambda tmp: tmp / "site/site.yaml",
        "policygen: the output {out} is a file, not a folder",
    ),
    "a folder that cannot be written": (
        lambda tmp: Path("/proc/policygen-test-output"),
        "policygen: cannot write the output folder {out}: /proc/.{name}.policygen-new-{pid}: No such file or directory",
    ),
}


@pytest.mark.parametrize(
    "make_out, expected", MACHINE_PROBLEMS.values(), ids=MACHINE_PROBLEMS.keys()
)
def test_a_problem_of_the_machine_is_one_line_naming_the_path(
    site_factory: SiteFactory,
    cli: CLI,
    tmp_path: Path,
    make_out: Callable[[Path], Path],
    expected: str,
) -> None:
    site = site_factory(BASE)
    out = make_out(tmp_path)
    run = cli("build", str(site), "-o", str(out))
    assert run.code == 1
    assert run.err.splitlines() == [
        expected.format(out=out, tmp=tmp_path, name=out.name, pid=os.getpid())
    ]


def test_a_full_disk_is_one_line_naming_the_output_folder(
    site_factory: SiteFactory, cli: CLI, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    site = site_factory(BASE)
    out = tmp_path / "out"
    staged: set[int] = set()
    real_open, real_write = os.open, os.write

    def opening(path: str, *args: int, **kwargs: int) -> int:
        descriptor = real_open(path, *args, **kwargs)
        if ".out.policygen-new-" in str(path):
            staged.add(descriptor)
        return descriptor

    def writing(descriptor: int, data: bytes) -> int:
        if descriptor in staged:
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        return real_write(descriptor, data)

    monkeypatch.setattr(os, "open", opening)
    monkeypatch.setattr(os, "write", writing)
    run = cli("build", str(site), "-o", str(out), "-j", "1")
    assert run.code == 1
    assert run.err.splitlines() == [
        f"policygen: cannot write the output folder {out}: No space left on device"
    ]
    assert sorted(path.name for path in tmp_path.iterdir()) == ["site"]


def failing(*args: object, **kwargs: object) -> None:
    raise RuntimeError("something policygen did not foresee")


@pytest.mark.parametrize(
    "words",
    [["check", "{site}"], ["--debug", "check", "{site}"], ["check", "--debug", "{site}"]],
)
def test_a_bug_of_policygen_is_one_line_and_exit_3_and_debug_shows_its_traceback(
    site_factory: SiteFactory, cli: CLI, monkeypatch: pytest.MonkeyPatch, words: list[str]
) -> None:
    monkeypatch.setattr("policygen.pipeline.validate_site", failing)
    site = site_factory(BASE)
    run = cli(*(word.format(site=site) for word in words))
    assert run.code == 3
    bug = (
        "policygen: this is a bug in policygen, not a mistake in the site; please report it. "
        "Run the same command again with --debug to see the details (a Python traceback)."
    )
    if "--debug" in words:
        assert "Traceback (most recent call last)" in run.err
        assert "RuntimeError: something policygen did not foresee" in run.err
        assert run.err.splitlines()[-1] == bug
    else:
        assert run.err.splitlines() == [bug]


def test_an_interrupted_command_says_so_without_a_traceback(
    site_factory: SiteFactory, cli: CLI, monkeypatch: pytest.MonkeyPatch
) -> None:
    def interrupted(*args: object, **kwargs: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr("policygen.pipeline.validate_site", interrupted)
    run = cli("check", str(site_factory(BASE)))
    assert (run.code, run.err) == (130, "policygen: interrupted\n")


def test_a_bug_in_a_rebuild_of_serve_leaves_it_serving(
    site_factory: SiteFactory,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    preview = Preview(site_factory(BASE), tmp_path / "out", dt.date(2026, 1, 1))
    monkeypatch.setattr("policygen.serving.build", failing)
    preview.rebuild()
    assert preview.failed and preview.generation == 1
    assert capsys.readouterr().err.splitlines() == [
        "policygen serve: this is a bug in policygen, not a mistake in the site; please report it. "
        "Run the same command again with --debug to see the details (a Python traceback)."
    ]


def test_check_of_a_site_with_an_unused_name_is_not_a_build_failed_without_problems(
    site_factory: SiteFactory,
) -> None:
    # A site.yaml that cannot be read as settings still names its problem.
    site = site_factory({**BASE, "site.yaml": ""})
    with pytest.raises(BuildFailed) as failed:
        from .conftest import build_site

        build_site(site)
    assert [str(p) for p in failed.value.problems] == [
        "site.yaml:1: error: site.yaml is empty: it needs at least 'languages' and 'regions'"
    ]


@pytest.mark.parametrize(
    "args, expected",
    [
        (["serve", "--port", "99999"], "argument --port: '99999' is not a port (0 to 65535)"),
        (["serve", "--port", "-1"], "argument --port: '-1' is not a port (0 to 65535)"),
        (["build", "-j", "0"], "argument -j/--jobs: '0' is not a number of processes (1 to 1024)"),
        (
            ["build", "-j", "9" * 30],
            f"argument -j/--jobs: '{'9' * 30}' is not a number of processes (1 to 1024)",
        ),
    ],
)
def test_numbers_out_of_range_on_the_command_line_are_usage_errors(
    site_factory: SiteFactory, cli: CLI, args: list[str], expected: str
) -> None:
    run = cli(*args, str(site_factory(BASE)))
    assert run.code == 2
    assert run.err.splitlines()[-1].endswith(f"error: {expected}")


def test_a_translation_with_plural_forms_is_named_by_its_singular(
    site_factory: SiteFactory, cli: CLI
) -> None:
    catalog = (
        'msgid ""\nmsgstr ""\n"Plural-Forms: nplurals=2; plural=(n > 1);\\n"\n\n'
        'msgid "one page"\nmsgid_plural "%(n)s pages"\nmsgstr[0] "une page"\nmsgstr[1] "%(m)s pages"\n'
    )
    site = site_factory({**BASE, "locales/fr/LC_MESSAGES/messages.po": catalog})
    assert checked(cli, site) == (
        1,
        [
            "locales/fr/LC_MESSAGES/messages.po:5: error: the translation of 'one page' cannot be used: it names %(m)s, which the original does not have"
        ],
    )


LIMITS_LIFTED = (
    "import sys; from policygen import sandbox; from policygen.cli import main; "
    "sandbox.MAX_CHARACTERS = 10**12; sys.exit(main())"
)
"""policygen's command line without the bound on what a template makes, which would refuse
a text of 100 GB before anything runs out of memory."""


def test_a_template_that_makes_a_text_too_large_for_memory_is_an_error_at_its_line(
    site_factory: SiteFactory,
) -> None:
    """Whatever the bounds on templates miss and runs out of memory is still told at its line."""
    site = site_factory(
        {
            **BASE,
            "templates/history.html": '{% extends "theme/history.html" %}\n'
            '{% block main %}{{ "x"|center(10 ** 11) }}{% endblock %}\n',
        }
    )

    def limit_memory() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (2 * 1024**3, 2 * 1024**3))

    run = subprocess.run(
        [sys.executable, "-c", LIMITS_LIFTED, "check", str(site)],
        capture_output=True,
        text=True,
        timeout=120,
        preexec_fn=limit_memory,
        check=False,
    )
    assert run.returncode == 1
    assert [line for line in run.stderr.splitlines() if ": error: " in line] == [
        "templates/history.html:2: error: template error: the template makes a text too large to hold in memory"
    ]


def test_output_read_by_a_program_that_stops_reading_ends_quietly(
    site_factory: SiteFactory,
) -> None:
    site = site_factory(BASE)
    with subprocess.Popen(
        [sys.executable, "-m", "policygen.cli", "status", str(site), "--format", "json"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    ) as process:
        assert process.stdout is not None and process.stderr is not None
        process.stdout.close()  # before policygen writes anything: as `| head -c 0` would
        errors = process.stderr.read()
        assert process.wait(timeout=60) == 1
    assert errors == ""


def test_running_out_of_memory_is_the_machine_s_problem_not_a_bug(
    site_factory: SiteFactory, cli: CLI, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    def exhausted(*args: object, **kwargs: object) -> None:
        raise MemoryError

    monkeypatch.setattr("policygen.cli.build.build", exhausted)
    run = cli("build", str(site_factory(BASE)), "-o", str(tmp_path / "out"))
    assert (run.code, run.err) == (
        1,
        "policygen: the machine ran out of memory; nothing was published. Give the command more memory, or look for a text or template that makes a page enormous\n",
    )


def test_a_worker_killed_by_the_machine_is_not_a_bug(
    site_factory: SiteFactory, cli: CLI, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    import policygen.forking
    import policygen.making

    real = policygen.making._make_unit

    def killed(work: object, unit: object) -> object:
        if os.getpid() != work.process:  # type: ignore[attr-defined]
            os.kill(os.getpid(), signal.SIGKILL)  # as the kernel does to a process out of memory
        return real(work, unit)  # type: ignore[arg-type]

    monkeypatch.setattr(policygen.forking, "PARALLEL_FROM", 2)  # so that the small site forks
    monkeypatch.setattr(policygen.making, "_make_unit", killed)
    out = tmp_path / "out"
    run = cli("build", str(site_factory(BASE)), "-o", str(out), "--jobs", "2")
    assert (run.code, run.err) == (
        1,
        "policygen: a worker process of the build ended before it sent its results back (was it killed, or out of memory?); nothing was published\n",
    )
    assert not out.exists()
