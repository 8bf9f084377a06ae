"""The Site model + the lock → the translation matrix of every policy, for `policygen status` (pure)."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any, Literal

from .locking import LockEntry, unlocked_documents
from .model import Site
from .translation.exchange import Progress

Cell = Literal["translated", "region", "missing"]


@dataclass(frozen=True, slots=True)
class RevisionRow:
    """One revision of a policy in the matrix."""

    id: str
    effective: str
    published: str
    status: str
    """superseded, current, upcoming, or scheduled (published after the site's date: not on the site yet)."""
    languages: dict[str, Cell]
    """Per language: "translated" (its own text for every region), "region" (own text with at
    least one region's own file), or "missing" (readers get the source text: fallback)."""
    missing_regions: dict[str, list[str]]
    """Per language, the regions whose readers get the source-language text."""
    is_locked: bool | None
    """Whether every text of a revision in effect is locked; None for upcoming revisions."""
    segments: dict[str, Progress] = field(default_factory=dict)
    """Per language but the source language: its segments translated, carried over from
    translation memory, fuzzy, or to do (see `policygen translate`)."""


@dataclass(frozen=True, slots=True)
class PolicyStatus:
    id: str
    regions: list[str]
    """The regions it is published in."""
    is_regional: bool
    """Published in some of the site's regions only (policy.yaml `regions:`)."""
    revisions: list[RevisionRow]


def build_status(
    site: Site,
    lock: dict[tuple[str, str, str, str], LockEntry],
    progress: dict[tuple[str, str, str], Progress] | None = None,
) -> list[PolicyStatus]:
    """The matrix of revisions × languages for every policy, with the translation progress
    of each revision in each language when `progress` is given."""
    progress = progress or {}
    unlocked = unlocked_documents(site, lock)
    report = []
    for policy in site.policies:
        rows = []
        for revision in policy.all_revisions:
            cells: dict[str, Cell] = {}
            missing: dict[str, list[str]] = {}
            for language in site.config.languages:
                documents = [revision.document(language, region) for region in policy.regions]
                gaps = [d.region for d in documents if d.is_fallback]
                has_region_file = any(s.language == language and s.region for s in revision.sources)
                cells[language] = (
                    "missing" if gaps else ("region" if has_region_file else "translated")
                )
                if gaps:
                    missing[language] = gaps
            rows.append(
                RevisionRow(
                    id=revision.id,
                    effective=revision.effective.isoformat(),
                    published=revision.published.isoformat(),
                    status="scheduled" if revision in policy.scheduled else revision.status,
                    languages=cells,
                    missing_regions=missing,
                    is_locked=None
                    if revision.effective > site.as_of
                    else (policy.id, revision.id) not in unlocked,
                    segments={
                        language: progress[(policy.id, revision.id, language)]
                        for language in site.config.languages
                        if (policy.id, revision.id, language) in progress
                    },
                )
            )
        report.append(PolicyStatus(policy.id, list(policy.regions), site.is_regional(policy), rows))
    return report


def status_as_json(report: list[PolicyStatus]) -> list[dict[str, Any]]:
    return [asdict(policy) for policy in report]


SYMBOLS: dict[Cell, str] = {"translated": "done", "region": "done+region", "missing": "MISSING"}


def render_status(report: list[PolicyStatus], languages: tuple[str, ...], width: int = 100) -> str:
    """An aligned table per policy, for a terminal `width` characters wide: a site with more
    languages than fit has its language columns in several tables, one under the other."""
    lines: list[str] = []
    for policy in report:
        header = ["revision", "effective", "status", *languages, "locked"]
        rows = [header]
        for row in policy.revisions:
            locked = "-" if row.is_locked is None else ("yes" if row.is_locked else "NO")
            rows.append(
                [
                    row.id,
                    row.effective,
                    row.status,
                    *(SYMBOLS[row.languages[lang]] for lang in languages),
                    locked,
                ]
            )
        widths = [max(len(r[i]) for r in rows) for i in range(len(header))]
        only = f" (published in {', '.join(policy.regions)} only)" if policy.is_regional else ""
        lines.append(f"{policy.id}{only}")
        for number, columns in enumerate(_column_groups(widths, 3, width)):
            lines += [""] if number else []
            lines += [
                "  " + "  ".join(r[i].ljust(widths[i]) for i in columns).rstrip() for r in rows
            ]
        for row in policy.revisions:
            # A superseded revision's missing texts are history: its row shows them.
            is_history = row.status == "superseded"
            missing: dict[tuple[str, ...], list[str]] = {}
            for language, regions in () if is_history else row.missing_regions.items():
                missing.setdefault(tuple(regions), []).append(language)
            for where, languages_missing in missing.items():
                texts = ", ".join(languages_missing) + (
                    " texts" if len(languages_missing) > 1 else " text"
                )
                lines.append(
                    f"  {row.id}: no {texts} for {', '.join(where)}: readers there get the source text with a notice"
                )
            if row.status == "scheduled":
                lines.append(
                    f"  {row.id}: published on {row.published}: not on the site before then; takes effect on {row.effective}"
                )
            elif row.status == "upcoming":
                lines.append(
                    f"  {row.id}: takes effect on {row.effective} (published {row.published})"
                )
        lines += _render_progress(policy)
        lines.append("")
    return "\n".join(lines)


def _column_groups(widths: list[int], kept: int, width: int) -> list[list[int]]:
    """The columns of each table: the first `kept` in all, the others as many as fit in
    `width` (at least one each)."""
    groups: list[list[int]] = []
    used = width
    for column in range(kept, len(widths)):
        if used + 2 + widths[column] > width and (not groups or len(groups[-1]) > kept):
            groups.append(list(range(kept)))
            used = sum(widths[:kept]) + 2 * kept  # the indent, the columns, their gaps
        groups[-1].append(column)
        used += 2 + widths[column]
    return groups


def _render_progress(policy: PolicyStatus) -> list[str]:
    """Segments per revision and language: translated, carried over from translation memory
    (an export fills them ready), fuzzy (filled, to check), to do. Superseded revisions are
    history, left to `--format json`: translators work on the current and the coming ones."""
    header = ["segments", "language", "total", "translated", "carried over", "fuzzy", "to do"]
    rows = [
        [
            row.id,
            language,
            *(str(n) for n in (p.segments, p.translated, p.carried_over, p.fuzzy, p.to_do)),
        ]
        for row in policy.revisions
        if row.status != "superseded"
        for language, p in row.segments.items()
    ]
    if not rows:
        return []
    widths = [max(len(r[i]) for r in [header, *rows]) for i in range(len(header))]
    return [""] + [
        "  " + "  ".join(cell.ljust(width) for cell, width in zip(r, widths, strict=True)).rstrip()
        for r in [header, *rows]
    ]
