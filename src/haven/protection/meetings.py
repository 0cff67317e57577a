"""The extension point for other apps' meeting kinds.

A meeting kind is configuration (``models.MeetingKind``, added by a data migration in the app
that needs it, with its timescale rule for each risk level). Its referrals, meetings, attendees,
outcomes and actions are this app's, served by this app's services, selectors and pages.

What a kind needs beyond that (MASE's victim, offender, locations and trends) lives in the
other app, as a model with a one-to-one link to ``MeetingConsideration``, shown on the meeting
page through a section registered here from that app's ``AppConfig.ready()``::

    from haven.protection.meetings import MeetingSection, register_section

    register_section(MeetingSection(
        kind_key="mase",
        key="volt",
        title="Victim, offender, locations and trends",
        template="exploitation/_volt_summary.html",   # gets ``consideration`` and ``data``
        load=lambda considerations: {v.consideration_id: v for v in Volt.objects.filter(
            consideration__in=considerations)},        # one query for the whole meeting
        edit_url=lambda consideration: reverse("exploitation:volt", args=[consideration.pk]),
        edit_permission="exploitation.record_mase",
    ))

See docs/adr/0301-multi-agency-meetings.md.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from haven.protection.models import MeetingConsideration

Loader = Callable[[Sequence[MeetingConsideration]], dict[int, Any]]


@dataclass(frozen=True)
class MeetingSection:
    """A block another app adds to each child considered at meetings of one kind."""

    kind_key: str
    key: str
    title: str
    template: str
    load: Loader
    edit_url: Callable[[MeetingConsideration], str] | None = None
    edit_permission: str = ""
    order: int = 100


_sections: dict[tuple[str, str], MeetingSection] = {}


def register_section(section: MeetingSection) -> None:
    _sections[(section.kind_key, section.key)] = section


def unregister_section(kind_key: str, key: str) -> None:
    """For tests: forget a section."""
    _sections.pop((kind_key, key), None)


def sections_for(kind_key: str) -> list[MeetingSection]:
    return sorted(
        (s for s in _sections.values() if s.kind_key == kind_key), key=lambda s: (s.order, s.key)
    )


@dataclass(frozen=True)
class ShownSection:
    section: MeetingSection
    data: Any
    edit_url: str


def attach_sections(
    kind_key: str, considerations: Sequence[MeetingConsideration], user: Any
) -> dict[int, list[ShownSection]]:
    """Each consideration's registered sections with their data (one load per section)."""
    shown: dict[int, list[ShownSection]] = {c.pk: [] for c in considerations}
    for section in sections_for(kind_key):
        loaded = section.load(considerations)
        may_edit = not section.edit_permission or user.has_perm(section.edit_permission)
        for consideration in considerations:
            url = section.edit_url(consideration) if section.edit_url and may_edit else ""
            shown[consideration.pk].append(ShownSection(section, loaded.get(consideration.pk), url))
    return shown


# A kind whose referrals ask more than this app's form does (MASE: the strategy discussion
# that decided it) names its own referral page for a chosen child; this app's referral page
# sends the user there once the child is found.
_referral_pages: dict[str, Callable[[int], str]] = {}


def register_referral_page(kind_key: str, url_for_child: Callable[[int], str]) -> None:
    _referral_pages[kind_key] = url_for_child


def referral_page(kind_key: str, child_id: int) -> str | None:
    """Another app's referral page for this kind and child, or None for this app's own."""
    url_for_child = _referral_pages.get(kind_key)
    return url_for_child(child_id) if url_for_child is not None else None
