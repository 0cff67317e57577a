"""Cumulative harm: a child's and their brothers' and sisters' history, put in front of the
person deciding, and the council's pattern that says when that history must be weighed.

``assess(contact)`` reads the history of every child on the contact and their current
siblings in a fixed number of queries, and returns what the decision page shows and the flags
the decision service stores. The pattern is the council's (``CumulativeHarmPattern``); the
default is three or more contacts in twelve months for the child or a sibling, or neglect
raised in two or more contacts.
"""

from __future__ import annotations

import calendar
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime

from haven.frontdoor import codes
from haven.frontdoor.models import (
    Contact,
    ContactDecision,
    ContactPerson,
    CumulativeHarmPattern,
    Episode,
    HarmFlag,
)
from haven.people.models import Person
from haven.people.selectors import siblings_of


@dataclass
class PastContact:
    contact_id: int
    reference: str
    received_at: datetime
    channel: str
    source: str
    categories: list[str]
    raises_neglect: bool
    outcome: str  # the current decision's outcome label, or the contact's status
    outcome_code: str
    is_this_contact: bool
    url: str


@dataclass
class PastEpisode:
    referral_date: date
    primary_need: str
    team: str
    closed_on: date | None
    closure_reason: str
    is_open: bool


@dataclass
class PersonHistory:
    """One person's history: the child on the contact, or a brother or sister of theirs."""

    person: Person
    relation: str  # "This child" or "Sister of Amy"
    contacts: list[PastContact] = field(default_factory=list)
    episodes: list[PastEpisode] = field(default_factory=list)
    contacts_in_window: int = 0
    neglect_contacts: int = 0
    low_outcomes: int = 0

    @property
    def repeated_categories(self) -> list[tuple[str, int]]:
        counts = Counter(name for c in self.contacts for name in c.categories)
        return sorted(((n, k) for n, k in counts.items() if k > 1), key=lambda x: (-x[1], x[0]))


@dataclass(frozen=True)
class Flag:
    child: Person
    about: Person
    rule: str
    count: int
    window_months: int
    summary: str


@dataclass
class Assessment:
    pattern: CumulativeHarmPattern
    histories: dict[int, list[PersonHistory]]  # child id -> the child's, then siblings'
    flags: list[Flag]

    @property
    def is_met(self) -> bool:
        return bool(self.flags)

    def people_shown(self) -> list[Person]:
        """Everyone whose history this assessment reads (the children and their brothers and
        sisters), once each: a restricted one among them needs a reason first."""
        found: dict[int, Person] = {}
        for histories in self.histories.values():
            for history in histories:
                found.setdefault(history.person.pk, history.person)
        return list(found.values())


def months_before(moment: datetime, months: int) -> datetime:
    """The same moment ``months`` calendar months earlier (the 31st becomes the month's last
    day when the earlier month is shorter)."""
    index = moment.year * 12 + moment.month - 1 - months
    year, month = divmod(index, 12)
    day = min(moment.day, calendar.monthrange(year, month + 1)[1])
    return moment.replace(year=year, month=month + 1, day=day)


def assess(  # noqa: PLR0912 - reads as the pattern does, rule by rule
    contact: Contact, *, pattern: CumulativeHarmPattern | None = None
) -> Assessment:
    """The history behind a contact and whether it meets the council's pattern.

    Counts run back from when this contact arrived and include it; withdrawn contacts are not
    counted. Queries: the pattern, the children, one per child for siblings, then one each
    for contacts, their categories, their decisions and episodes."""
    pattern = pattern or CumulativeHarmPattern.current()
    links = list(
        contact.people.select_related("person").filter(
            role=codes.PersonRole.CHILD, person__isnull=False
        )
    )
    children = [link.person for link in links if link.person is not None]
    family: dict[int, list[tuple[Person, str]]] = {}
    everyone: dict[int, Person] = {}
    for child in children:
        rows: list[tuple[Person, str]] = [(child, "This child")]
        if pattern.include_siblings:
            for sibling in siblings_of(child):
                word = {"M": "Brother", "F": "Sister"}.get(sibling.sex, "Brother or sister")
                rows.append((sibling, f"{word} of {child.first_name}"))
        family[child.pk] = rows
        for person, _ in rows:
            everyone[person.pk] = person

    since = months_before(contact.received_at, pattern.history_months)
    contact_window = months_before(contact.received_at, pattern.contact_window_months)
    neglect_window = months_before(contact.received_at, pattern.neglect_window_months)

    appearances = list(
        ContactPerson.objects.filter(
            person_id__in=list(everyone),
            contact__received_at__gte=since,
            contact__withdrawn_at__isnull=True,
        )
        .select_related("contact")
        .prefetch_related("contact__concern_categories")
        .order_by("-contact__received_at")
    )
    contact_ids = {a.contact_id for a in appearances}
    decisions = {
        d.contact_id: d
        for d in ContactDecision.objects.filter(contact_id__in=contact_ids, is_current=True)
    }
    episodes: dict[int, list[Episode]] = defaultdict(list)
    for episode in (
        Episode.objects.current()
        .filter(child_id__in=list(everyone))
        .select_related("receiving_team")
        .order_by("-referral_date")
    ):
        episodes[episode.child_id].append(episode)

    past: dict[int, list[PastContact]] = defaultdict(list)
    for appearance in appearances:
        if appearance.person_id is None:
            continue
        item = appearance.contact
        categories = list(item.concern_categories.all())
        decision = decisions.get(item.pk)
        if decision is not None:
            outcome, outcome_code = decision.get_outcome_display(), decision.outcome
        elif item.pk == contact.pk:
            outcome, outcome_code = "This contact: no decision yet", ""
        else:
            outcome, outcome_code = "No decision yet", ""
        past[appearance.person_id].append(
            PastContact(
                contact_id=item.pk,
                reference=item.reference,
                received_at=item.received_at,
                channel=item.get_channel_display(),
                source=item.get_source_display() if item.source else "Not recorded",
                categories=[c.name for c in categories],
                raises_neglect=any(c.is_neglect for c in categories),
                outcome=outcome,
                outcome_code=outcome_code,
                is_this_contact=item.pk == contact.pk,
                url=item.get_absolute_url(),
            )
        )

    histories: dict[int, list[PersonHistory]] = {}
    flags: list[Flag] = []
    for child in children:
        histories[child.pk] = []
        for person, relation in family[child.pk]:
            history = PersonHistory(person=person, relation=relation)
            history.contacts = sorted(
                past.get(person.pk, []), key=lambda c: c.received_at, reverse=True
            )
            counted = [c for c in history.contacts if c.received_at <= contact.received_at]
            history.contacts_in_window = sum(1 for c in counted if c.received_at >= contact_window)
            history.neglect_contacts = sum(
                1 for c in counted if c.raises_neglect and c.received_at >= neglect_window
            )
            history.low_outcomes = sum(1 for c in counted if c.outcome_code in codes.LOW_OUTCOMES)
            history.episodes = [
                PastEpisode(
                    referral_date=e.referral_date,
                    primary_need=e.get_primary_need_display(),
                    team=str(e.receiving_team or ""),
                    closed_on=e.closed_on,
                    closure_reason=e.get_closure_reason_display() if e.closure_reason else "",
                    is_open=e.is_open,
                )
                for e in episodes.get(person.pk, [])
            ]
            histories[child.pk].append(history)
            who = (
                "this child"
                if person.pk == child.pk
                else f"{person.full_name} ({relation.lower()})"
            )
            if history.contacts_in_window >= pattern.contact_threshold:
                flags.append(
                    Flag(
                        child=child,
                        about=person,
                        rule=HarmFlag.Rule.REPEATED_CONTACTS,
                        count=history.contacts_in_window,
                        window_months=pattern.contact_window_months,
                        summary=(
                            f"{history.contacts_in_window} contacts in "
                            f"{pattern.contact_window_months} months about {who}"
                        ),
                    )
                )
            if history.neglect_contacts >= pattern.neglect_threshold:
                flags.append(
                    Flag(
                        child=child,
                        about=person,
                        rule=HarmFlag.Rule.REPEATED_NEGLECT,
                        count=history.neglect_contacts,
                        window_months=pattern.neglect_window_months,
                        summary=(
                            f"Neglect raised in {history.neglect_contacts} contacts in "
                            f"{pattern.neglect_window_months} months about {who}"
                        ),
                    )
                )
    return Assessment(pattern=pattern, histories=histories, flags=flags)
