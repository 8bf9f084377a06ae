"""The Site model and its rendered texts → problems that span documents (pure)."""

from __future__ import annotations

import dataclasses
import difflib
import re
from collections.abc import Iterator, Mapping
from urllib.parse import unquote, urlsplit

from .errors import Problem, SourceLocation, error, warning
from .markdown import RenderedText
from .model import Document, Policy, Revision, Site, Timelines

"""`{{ site.email }}`, `{% include x %}`: what Liquid, Jinja and Hugo templates fill in."""


def validate_site(
    site: Site,
    rendered: Mapping[str, RenderedText],
    settled: frozenset[tuple[str, str]] = frozenset(),
) -> list[Problem]:
    """Cross-document rules: links and anchors, notice periods, translations left behind.

    `settled` revisions (in effect and locked) are history: a notice period they did not
    keep can no longer be kept, and their texts can change only as recorded corrections, so
    what their texts are warned about (a link that leads nowhere, an image) is not reported
    again on every build. Their errors still are.
    """
    problems: set[Problem] = set()
    timelines = Timelines(site)
    for policy in site.policies:
        problems.update(p for p in _check_notice(site, policy, settled))
        problems.update(_check_stale_translations(site, policy))
        problems.update(_check_summaries(site, policy))
        warned: list[tuple[int, str, Problem]] = []
        order = {revision.id: index for index, revision in enumerate(policy.all_revisions)}
        for revision, document in _written_documents(policy):
            found = [
                *rendered[document.sha256].problems,
                *_check_links(site, timelines, (policy, revision), document, rendered),
            ]
            is_history = (policy.id, revision.id) in settled
            problems.update(p for p in found if p.is_error or p.code == BREAKS_AHEAD)
            if not is_history:
                index = order[revision.id]
                warned += [
                    (index, document.language, p)
                    for p in found
                    if not p.is_error and p.code != BREAKS_AHEAD
                ]
        problems.update(_latest_of_each(warned))
    return sorted(problems, key=Problem.sort_key)


_ANCHORS_HINT = re.compile(r" \((?:did you mean '[^']*'\?|anchors: [^()]*)\)\Z")
"""The end of a link's warning that names the anchors of its page (see `_Hints`):
they differ from revision to revision, the link that leads nowhere does not."""


def _latest_of_each(warned: list[tuple[int, str, Problem]]) -> Iterator[Problem]:
    """A policy's warnings about its texts, each said once, where it was last written: the
    same link that leads nowhere in twenty revisions is one warning, at the latest text, that
    counts the earlier ones (which only a correction could change)."""
    alike: dict[tuple[str, str, str], list[tuple[int, Problem]]] = {}
    for revision, language, problem in warned:
        key = (language, problem.code, _ANCHORS_HINT.sub("", problem.message))
        alike.setdefault(key, []).append((revision, problem))
    for found in alike.values():
        latest = max(revision for revision, _ in found)
        kept = {problem for revision, problem in found if revision == latest}
        # A text shared by revisions reports its problems at the file it was first read from.
        paths = {problem.location.path for problem in kept}
        earlier = len({revision for revision, p in found if p.location.path not in paths})
        for problem in kept:
            if earlier:
                also = f"{earlier} earlier revision{'s' if earlier > 1 else ''}"
                problem = dataclasses.replace(
                    problem, message=f"{problem.message} (also in {also})"
                )
            yield problem


def _written_documents(policy: Policy) -> Iterator[tuple[Revision, Document]]:
    """Each document in the language it is written in (a fallback repeats a text, not a file)."""
    for revision in policy.all_revisions:
        for document in revision.documents.values():
            if not document.is_fallback:
                yield revision, document


def _check_links(
    site: Site,
    timelines: Timelines,
    written: tuple[Policy, Revision],
    document: Document,
    rendered: Mapping[str, RenderedText],
) -> Iterator[Problem]:
    policy, revision = written
    where = document.source.location
    text = rendered[document.sha256]
    hints = _Hints()
    for link in text.links:
        if link.href.startswith(WEB_SCHEMES):
            continue
        at = where.at(link.line)
        if link.href[:7].lower() == "policy:":
            target_id, _, anchor = link.href[7:].partition("#")
            target = site.policy(target_id)
            # A policy whose revisions are all scheduled is known: its page exists from its
            # published date, and until then the link shows as plain text.
            shown = target.shown if target is not None else None
            if target is None or shown is None:
                yield error(at, "unknown-policy", _unknown_policy(site, target_id))
            elif anchor:
                # The link leads where the planner sends it: the revision the text refers to,
                # in the same region, else the first region the target is published in.
                then = timelines.referenced(target, policy, revision)
                region = target.region_for(document.region)
                other = rendered[(then or shown).document(document.language, region).sha256]
                if unquote(anchor) in other.ids:
                    ahead = _first_without(
                        timelines, written, target, region, document, anchor, rendered
                    )
                    if ahead is not None:
                        later = rendered[ahead.document(document.language, region).sha256]
                        day = ahead.effective.isoformat()
                        yield warning(
                            at,
                            BREAKS_AHEAD,
                            f"on {day}, when revision '{ahead.id}' of policy '{target_id}' takes effect, this link will lead nowhere: it has no section '#{anchor}' ({hints.hint(unquote(anchor), later, 'its anchors then')}), and the build will fail from that day. Start a revision of this policy that takes effect that day with the link changed (policygen new {policy.id} --effective {day})",
                        )
                    continue
                found = hints.hint(
                    unquote(anchor), other, "its anchors" if then is None else "its anchors then"
                )
                yield error(
                    at,
                    "unknown-anchor",
                    f"policy '{target_id}' has no section '#{anchor}' ({found})"
                    if then is None
                    else f"policy '{target_id}' has no section '#{anchor}' in its revision '{then.id}', the one in force on {revision.effective.isoformat()}, the effective date of this text ({found})",
                )
        elif not link.href.startswith("#"):
            problem = _check_address(site, link.href, at)
            if problem is not None:
                yield problem
        elif unquote(link.href[1:]) not in text.ids:
            fragment = unquote(link.href[1:])
            yield warning(
                at,
                "unknown-anchor",
                f"link to '#{fragment}', which is an address inside a web application's page (after '#/'), not a place on this page: write the application's full address (https://…/#{fragment})"
                if fragment.startswith("/")
                else f"link to '#{fragment}', but nothing on this page has that id ({hints.hint(fragment, text, 'anchors')})",
            )


BREAKS_AHEAD = "link-breaks-ahead"
"""The code of the warning that a link of a text in force will lead nowhere once a revision of
the policy it links to takes effect: reported for texts already locked too, as it is mended by
a new revision, not by changing the locked text."""


def _first_without(
    timelines: Timelines,
    written: tuple[Policy, Revision],
    target: Policy,
    region: str,
    document: Document,
    anchor: str,
    rendered: Mapping[str, RenderedText],
) -> Revision | None:
    """The first revision of `target` still to take effect whose page the link of `written`
    (a policy and its revision) will lead to while that revision is in force, and that has no
    `anchor`: in force then, the text links to the target's own page, which shows that
    revision from its effective date."""
    policy, revision = written
    for later in timelines.after(target, max(timelines.as_of, revision.effective)):
        if timelines.in_force_on(policy, later.effective, scheduled=True) is not revision:
            break  # another revision of the linking policy is in force from then on
        if unquote(anchor) not in rendered[later.document(document.language, region).sha256].ids:
            return later
    return None


WEB_SCHEMES = ("https://", "http://", "mailto:")
"""How most links begin: a link that begins so leads to another site, and is not checked."""
EMAIL_ADDRESS = re.compile(r"[^@\s/]+@[^@\s/]+\.[^@\s/]+")
"""A link's target that is an email address written without mailto: (`[us](legal@example.org)`)."""


def _check_address(site: Site, href: str, at: SourceLocation) -> Problem | None:
    """A link that leads nowhere wherever the site is published: one read from the page's own
    address (`../privacy/index.md`, `/terms`), where policygen publishes nothing by that name."""
    address = unquote(href)
    parts = urlsplit(address)
    if parts.scheme or parts.netloc or not parts.path:
        return None
    if EMAIL_ADDRESS.fullmatch(parts.path):
        # A translated "mailto" is not a scheme: "Адрес на електронна поща:conduct@cncf.io".
        email = parts.path.rpartition(":")[2]
        return warning(
            at,
            "dead-link",
            f"link to '{address}', which leads to no page of this site: an email address is linked as mailto:{email}",
        )
    names = [_page_name(segment) for segment in parts.path.split("/")]
    known = {policy.id for policy in site.policies}
    guess = next((name for name in reversed(names) if name in known), None)
    hint = f" (here: policy:{guess})" if guess else ""
    return warning(
        at,
        "dead-link",
        f"link to '{address}', which leads to no page of this site: write the full address (https://…), or policy:ID to link to another policy{hint}",
    )


def _page_name(segment: str) -> str:
    """The policy a path segment may name: `privacy.md` and `privacy.html` name `privacy`."""
    for suffix in (".md", ".html", ".htm"):
        segment = segment.removesuffix(suffix)
    return segment


def _unknown_policy(site: Site, policy_id: str) -> str:
    known = [policy.id for policy in site.policies if policy.shown is not None]
    close = difflib.get_close_matches(policy_id, known, n=1)
    hint = f"did you mean '{close[0]}'? " if close else ""
    return f"link to unknown policy '{policy_id}' ({hint}policies: {', '.join(known) or 'none'})"


_NUMBERS = re.compile(r"\d+")


GUESSES = 20_000
"""How many anchors the links of one text that lead nowhere are compared with, at most, to
guess which one each meant: 10,000 such links to a page of 10,000 alike headings took
minutes. Past it, a link's warning lists the anchors instead of guessing."""


class _Hints:
    """The hints of the warnings about one text's links: the anchors of each page they lead
    to read once (10,000 links that lead nowhere read 10,000 headings each, for minutes), and
    guesses made within `GUESSES`."""

    def __init__(self) -> None:
        self.pages: dict[int, tuple[tuple[str, ...], dict[tuple[str, ...], list[str]]]] = {}
        self.guesses = GUESSES

    def hint(self, wanted: str, page: RenderedText, label: str) -> str:
        """The anchor a link most likely meant (a heading reworded a little since), or the
        first anchors in order. Never another number: '#section-9' is not '#section-2'
        misspelled."""
        if id(page) not in self.pages:
            by_numbers: dict[tuple[str, ...], list[str]] = {}
            shown = tuple(sorted(page.anchors))
            for anchor in shown:
                by_numbers.setdefault(tuple(_NUMBERS.findall(anchor)), []).append(anchor)
            self.pages[id(page)] = (shown, by_numbers)
        shown, by_numbers = self.pages[id(page)]
        alike = by_numbers.get(tuple(_NUMBERS.findall(wanted)), [])
        if len(alike) <= self.guesses:
            self.guesses -= len(alike)
            close = difflib.get_close_matches(wanted, alike, n=1, cutoff=0.8)
            if close:
                return f"did you mean '#{close[0]}'?"
        if not shown:
            return f"{label}: none"
        return f"{label}: " + ", ".join(shown[:12]) + (", …" if len(shown) > 12 else "")


def _check_notice(
    site: Site, policy: Policy, settled: frozenset[tuple[str, str]]
) -> Iterator[Problem]:
    days = site.config.notice_days
    if days is None:
        return
    for revision in policy.all_revisions[1:]:
        if (policy.id, revision.id) in settled:
            continue
        notice = (revision.effective - revision.published).days
        if revision.material and notice < days:
            yield warning(
                revision.published_location,
                "short-notice",
                f"this material revision is published {notice} day{'' if notice == 1 else 's'} before it takes effect; notice_days in site.yaml asks for at least {days}",
            )


def _check_summaries(site: Site, policy: Policy) -> Iterator[Problem]:
    for revision in policy.all_revisions[1:]:
        for source in revision.sources:
            if (
                source.language == site.config.default_language
                and source.region is None
                and not source.summary
            ):
                yield warning(
                    source.location.at(1),
                    "no-summary",
                    "this revision has no summary: say in a sentence what changed (summary: …); pages, the history and the feed show it",
                )


def _check_stale_translations(site: Site, policy: Policy) -> Iterator[Problem]:
    default = site.config.default_language
    for previous, revision in zip(policy.all_revisions, policy.all_revisions[1:], strict=False):
        before = {(s.language, s.region): s for s in previous.sources}
        now = {(s.language, s.region): s for s in revision.sources}
        for (language, region), source in now.items():
            if language == default or (language, region) not in before:
                continue
            original_now = now.get((default, region)) or now.get((default, None))
            original_before = before.get((default, region)) or before.get((default, None))
            if original_now is None or original_before is None:
                continue
            if (
                source.body == before[(language, region)].body
                and original_now.body != original_before.body
            ):
                yield warning(
                    source.location.at(1),
                    "stale-translation",
                    f"this translation is the same as in revision '{previous.id}', but the {default} text changed: was it updated?",
                )
