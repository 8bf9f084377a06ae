"""manifest.json and api/<policy>/<region>/<lang>.json: contents, schemas and semantics."""

from __future__ import annotations

import copy
import datetime as dt
import hashlib
import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from policygen import manifest as shapes
from policygen.consent import ConsentEntry
from policygen.incremental.cache import BuildCache
from policygen.incremental.layer import Incremental
from policygen.manifest import build_manifest, manifest_json, to_json

from .conftest import EXAMPLE_AS_OF, ROOT, SiteFactory, build_site, copy_example

SCHEMAS = ROOT / "src/policygen/schemas"


def validator(name: str) -> jsonschema.Draft202012Validator:
    schema = json.loads((SCHEMAS / name).read_text())
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(
        schema, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER
    )


def load(out: Path, path: str) -> Any:
    return json.loads((out / path).read_text(encoding="utf-8"))


def test_example_manifest_validates_against_its_schema(example: Path) -> None:
    manifest = load(example, "manifest.json")
    validator("manifest.schema.json").validate(manifest)
    assert load(example, "manifest.schema.json") == json.loads(
        (SCHEMAS / "manifest.schema.json").read_text()
    )
    assert manifest["$schema"] == "https://www.example.org/policies/manifest.schema.json"


def test_every_reader_answer_validates_against_its_schema(example: Path) -> None:
    check = validator("reader.schema.json")
    answers = sorted((example / "api").rglob("*.json"))
    assert len(answers) == 2 * 2 * 2 + 1  # policies x regions x languages, and the schema
    for path in answers:
        if path.name != "reader.schema.json":
            check.validate(json.loads(path.read_text()))


@pytest.mark.parametrize(
    ("shape", "schema", "where"),
    [
        (shapes.Manifest, "manifest.schema.json", ()),
        (shapes.ManifestRegion, "manifest.schema.json", ("$defs", "region")),
        (shapes.ManifestPolicy, "manifest.schema.json", ("$defs", "policy")),
        (ConsentEntry, "manifest.schema.json", ("$defs", "consent")),
        (shapes.ManifestRevision, "manifest.schema.json", ("$defs", "revision")),
        (shapes.ManifestDocument, "manifest.schema.json", ("$defs", "document")),
        (shapes.ManifestCorrection, "manifest.schema.json", ("$defs", "correction")),
        (shapes.ReaderAnswer, "reader.schema.json", ()),
        (ConsentEntry, "reader.schema.json", ("$defs", "consent")),
        (shapes.ReaderRevision, "reader.schema.json", ("$defs", "current")),
        (shapes.ReaderRevision, "reader.schema.json", ("$defs", "upcoming")),
    ],
)
def test_the_shapes_the_manifest_is_made_in_are_its_schemas(
    shape: type, schema: str, where: tuple[str, ...]
) -> None:
    described = json.loads((SCHEMAS / schema).read_text())
    for key in where:
        described = described[key]
    assert set(shape.__annotations__) == set(described["properties"])
    # policygen writes every field (the schemas let "$schema" be left out).
    assert shape.__required_keys__ == set(shape.__annotations__)
    assert set(described["required"]) <= set(shape.__annotations__)


def _break(manifest: dict[str, Any], how: str) -> dict[str, Any]:
    broken = copy.deepcopy(manifest)
    revision = broken["policies"]["privacy"]["revisions"][0]
    document = revision["documents"]["en"]["global"]
    if how == "missing field":
        del document["sha256"]
    elif how == "stray field":
        document["shaa256"] = document["sha256"]
    elif how == "bad sha256":
        document["sha256"] = "abc"
    elif how == "bad date":
        revision["effective"] = "2021-4-1"
    elif how == "bad instant":
        revision["effective_at"] = "2021-04-01 00:00"
    elif how == "bad status":
        revision["status"] = "active"
    elif how == "bad id":
        broken["policies"]["Privacy Policy"] = broken["policies"].pop("privacy")
    elif how == "consent not a number":
        broken["policies"]["privacy"]["consent"]["global"]["revision"] = "2"
    elif how == "relative url":
        document["url"] = "/en/global/privacy/"
    return broken


@pytest.mark.parametrize(
    "how",
    [
        "missing field",
        "stray field",
        "bad sha256",
        "bad date",
        "bad instant",
        "bad status",
        "bad id",
        "consent not a number",
        "relative url",
    ],
)
def test_schema_rejects_broken_manifests(example: Path, how: str) -> None:
    with pytest.raises(jsonschema.ValidationError):
        validator("manifest.schema.json").validate(_break(load(example, "manifest.json"), how))


def test_sha256_is_the_hash_of_the_served_source_md(example: Path) -> None:
    manifest = load(example, "manifest.json")
    base = manifest["base_url"]
    checked = 0
    for policy in manifest["policies"].values():
        for revision in policy["revisions"]:
            for regions in revision["documents"].values():
                for document in regions.values():
                    source = example / document["source_url"].removeprefix(base)
                    assert hashlib.sha256(source.read_bytes()).hexdigest() == document["sha256"]
                    assert (example / document["url"].removeprefix(base) / "index.html").exists()
                    checked += 1
    assert checked == (3 + 2) * 2 * 2


def test_example_manifest_states_what_is_in_force(example: Path) -> None:
    privacy = load(example, "manifest.json")["policies"]["privacy"]
    assert (privacy["current"], privacy["upcoming"]) == ("2022-07-07", ["2027-01-01"])
    assert [(r["id"], r["version"], r["status"]) for r in privacy["revisions"]] == [
        ("2021-04-01", 1, "superseded"),
        ("2022-07-07", 2, "current"),
        ("2027-01-01", 3, "upcoming"),
    ]
    upcoming = privacy["revisions"][2]
    assert upcoming["effective_at"] == "2026-12-31T15:00:00Z"  # midnight in Tokyo
    ja = upcoming["documents"]["ja"]["global"]
    assert (ja["fallback"], ja["language"]) == (True, "en")
    assert privacy["revisions"][0]["documents"]["en"]["global"]["diff_url"] is None


def test_reader_answer_announces_the_next_revision(example: Path) -> None:
    answer = load(example, "api/privacy/europe/ja.json")
    assert answer["current"]["id"] == "2022-07-07"
    assert (
        answer["current"]["url"] == "https://www.example.org/policies/ja/europe/privacy/2022-07-07/"
    )
    assert answer["consent"] == {"revision": 2, "since": "2022-07-07"}
    assert answer["upcoming"]["id"] == "2027-01-01"
    assert answer["upcoming"]["effective_at"] == "2026-12-31T15:00:00Z"
    assert answer["upcoming"]["fallback"] is True
    assert load(example, "api/cookies/global/en.json")["upcoming"] is None


SITE = """\
base_url: https://terms.example.com/
languages: [en, fr]
default_language: en
timezone: Europe/Paris
regions:
  global: {default: true}
  eu: {countries: [FR, DE]}
"""


def revision(
    effective: str, text: str, material: bool = True, eu_text: str | None = None
) -> dict[str, str]:
    folder = f"content/terms/{effective}"
    front = f"---\neffective: {effective}\npublished: 2020-01-01\nmaterial: {str(material).lower()}\n---\n"
    files = {f"{folder}/en.md": front + text}
    if eu_text is not None:
        files[f"{folder}/en.eu.md"] = "---\n---\n" + eu_text
    return files


def manifest_of(
    site_factory: SiteFactory, tmp_path: Path, files: dict[str, str], as_of: dt.date
) -> dict[str, Any]:
    site = site_factory({"site.yaml": SITE, **files}, with_defaults=False)
    build_site(site, tmp_path / "out", as_of=as_of)
    manifest = load(tmp_path / "out", "manifest.json")
    validator("manifest.schema.json").validate(manifest)
    return manifest


def consent(manifest: dict[str, Any]) -> dict[str, Any]:
    return manifest["policies"]["terms"]["consent"]


def test_consent_grows_only_with_material_changes(
    site_factory: SiteFactory, tmp_path: Path
) -> None:
    files = {
        **revision("2024-01-01", "One.\n"),
        **revision("2024-03-01", "One, reworded.\n", material=False),
        **revision("2024-06-01", "Two.\n"),
        **revision("2024-09-01", "Two.\n"),  # material, but the text did not change
        **revision("2030-01-01", "Three.\n"),  # not in effect yet
    }
    manifest = manifest_of(site_factory, tmp_path, files, dt.date(2026, 1, 1))
    assert consent(manifest) == {
        "global": {"revision": 2, "since": "2024-06-01"},
        "eu": {"revision": 2, "since": "2024-06-01"},
    }


def test_a_change_to_one_region_asks_only_that_region_again(
    site_factory: SiteFactory, tmp_path: Path
) -> None:
    files = {
        **revision("2024-01-01", "Intro.\n\n::: region eu\nEU rights.\n:::\n"),
        **revision("2024-06-01", "Intro.\n\n::: region eu\nEU rights, extended.\n:::\n"),
    }
    manifest = manifest_of(site_factory, tmp_path, files, dt.date(2026, 1, 1))
    assert consent(manifest) == {
        "global": {"revision": 1, "since": "2024-01-01"},
        "eu": {"revision": 2, "since": "2024-06-01"},
    }


def test_a_translation_never_moves_consent(site_factory: SiteFactory, tmp_path: Path) -> None:
    files = {
        **revision("2024-01-01", "Text.\n"),
        "content/terms/2024-01-01/fr.md": "---\n---\nTexte.\n",
        **revision("2024-06-01", "Text.\n"),
        "content/terms/2024-06-01/fr.md": "---\n---\nTexte corrigé.\n",
    }
    manifest = manifest_of(site_factory, tmp_path, files, dt.date(2026, 1, 1))
    assert consent(manifest)["global"] == {"revision": 1, "since": "2024-01-01"}


def test_effective_at_follows_daylight_saving_time(
    site_factory: SiteFactory, tmp_path: Path
) -> None:
    files = {**revision("2024-01-01", "Winter.\n"), **revision("2024-07-01", "Summer.\n")}
    manifest = manifest_of(site_factory, tmp_path, files, dt.date(2026, 1, 1))
    instants = [r["effective_at"] for r in manifest["policies"]["terms"]["revisions"]]
    assert instants == ["2023-12-31T23:00:00Z", "2024-06-30T22:00:00Z"]


def test_status_follows_as_of(site_factory: SiteFactory, tmp_path: Path) -> None:
    files = {**revision("2024-01-01", "A.\n"), **revision("2024-07-01", "B.\n")}
    manifest = manifest_of(site_factory, tmp_path, files, dt.date(2024, 6, 30))
    terms = manifest["policies"]["terms"]
    assert [r["status"] for r in terms["revisions"]] == ["current", "upcoming"]
    assert (terms["current"], terms["upcoming"], manifest["as_of"]) == (
        "2024-01-01",
        ["2024-07-01"],
        "2024-06-30",
    )


def test_before_the_first_revision_nothing_is_in_force(
    site_factory: SiteFactory, tmp_path: Path
) -> None:
    manifest = manifest_of(
        site_factory, tmp_path, revision("2030-01-01", "Later.\n"), dt.date(2026, 1, 1)
    )
    terms = manifest["policies"]["terms"]
    assert (terms["current"], terms["upcoming"]) == (None, ["2030-01-01"])
    assert consent(manifest)["global"] == {"revision": 0, "since": None}
    answer = load(tmp_path / "out", "api/terms/global/fr.json")
    validator("reader.schema.json").validate(answer)
    assert answer["current"] is None
    assert answer["upcoming"]["effective_at"] == "2029-12-31T23:00:00Z"


def test_regions_and_countries(site_factory: SiteFactory, tmp_path: Path) -> None:
    manifest = manifest_of(
        site_factory, tmp_path, revision("2024-01-01", "A.\n"), dt.date(2026, 1, 1)
    )
    assert manifest["regions"]["eu"]["countries"] == ["DE", "FR"]
    assert manifest["regions"]["global"]["default"] is True


def test_manifest_is_byte_identical_across_builds(
    site_factory: SiteFactory, tmp_path: Path
) -> None:
    site = site_factory({"site.yaml": SITE, **revision("2024-01-01", "A.\n")}, with_defaults=False)
    build_site(site, tmp_path / "a", as_of=dt.date(2026, 1, 1))
    build_site(site, tmp_path / "b", as_of=dt.date(2026, 1, 1))
    assert (tmp_path / "a/manifest.json").read_bytes() == (
        tmp_path / "b/manifest.json"
    ).read_bytes()


def test_the_manifest_is_encoded_a_policy_at_a_time_as_a_whole(tmp_path: Path) -> None:
    site = build_site(copy_example(tmp_path / "site"), None, as_of=EXAMPLE_AS_OF).site
    cache = BuildCache()
    entry = Incremental(cache, is_kept=True).manifest_entry(site)
    manifest = build_manifest(site, entry)
    assert manifest == build_manifest(site)
    consent = {policy_id: value["consent"] for policy_id, value in manifest["policies"].items()}
    assert manifest_json(site, entry) == (to_json(manifest), consent)
    assert manifest_json(site, entry) == (to_json(manifest), consent)  # from the memo
    assert manifest_json(site) == (to_json(manifest), consent)
    assert len(cache.manifest) == len(manifest["policies"]) == 2
