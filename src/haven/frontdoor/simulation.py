"""The front door generator: a year of contacts, their threshold decisions and the referrals
(CIN episodes) they open, for the children the people generator says came to notice.

Rates (assumptions named here, national figures from the DfE's children in need statistics):
about 1.5 contacts per child noticed (a large city's 52,000 contacts for 35,000 children); the
DfE's source-of-referral mix (police about 29%, schools 20%, health 14%...); about a third of
contacts referred to children's social care (some for a strategy discussion), with no further
action, advice and early help sharing the rest; decisions mostly within one working day with a
tail; brothers and sisters often on one contact; repeat contacts; and about 3% of families
chronically neglected, whose repeated contacts are answered with advice or early help, so the
cumulative-harm flags and what the decision maker wrote about them are in the data. The flags
follow the council's configured ``CumulativeHarmPattern`` (its windows, thresholds and whether
brothers and sisters count), as ``harm.assess`` does on the decision page.

Rows are written in bulk (one audit event per run, from the framework). Contacts still open
"now" form the front door's live backlog, with emails and police notifications behind them, and
the last fortnight's twice-daily workflow reports are made from the data.
"""

from __future__ import annotations

import random
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime, time, timedelta
from typing import Any

from django.core.files.base import ContentFile
from django.utils import timezone

from haven.accounts.models import Team, User
from haven.core import calendar, timescales
from haven.demo.simulation import Generator, SimulationContext, register
from haven.frontdoor import codes
from haven.frontdoor.harm import months_before
from haven.frontdoor.models import (
    ConcernCategory,
    Contact,
    ContactDecision,
    ContactPerson,
    CumulativeHarmPattern,
    Episode,
    HarmFlag,
    InboundEmail,
    InformationRequest,
    LevelOfNeed,
    PoliceImport,
    PoliceNotification,
)
from haven.people import codes as people_codes
from haven.people.models import ChronologyEntry, Person, Relationship

CONTACTS_PER_CHILD = 52_000 / 35_000
CHILDREN_PER_CONTACT = 1.35
CHRONIC_NEGLECT_SHARE = 0.03
# Shares of referrals by source, England (DfE children in need, source of referral, rounded).
SOURCES = (
    ("6", 29.0), ("2A", 20.0), ("2B", 1.5), ("3A", 2.0), ("3B", 2.0), ("3C", 0.5), ("3D", 3.0),
    ("3E", 2.0), ("3F", 4.5), ("5A", 6.0), ("5B", 4.0), ("5C", 2.0), ("5D", 2.0), ("1A", 5.0),
    ("1B", 1.5), ("1C", 0.5), ("1D", 1.0), ("4", 1.5), ("7", 4.0), ("8", 5.0), ("9", 2.0),
    ("10", 2.0),
)  # fmt: skip
CHANNELS_BY_SOURCE = {
    "6": (("police", 0.8), ("phone", 0.15), ("email", 0.05)),
    "2A": (("email", 0.45), ("phone", 0.35), ("partner_form", 0.17), ("api", 0.03)),
    "3": (("email", 0.4), ("phone", 0.35), ("partner_form", 0.15), ("api", 0.1)),
    "1": (("phone", 0.85), ("in_person", 0.1), ("letter", 0.05)),
    "other": (("phone", 0.5), ("email", 0.45), ("letter", 0.05)),
}
OUTCOMES = (
    ("nfa", 0.2),
    ("advice", 0.27),
    ("early_help", 0.2),
    ("referral", 0.27),
    ("strategy", 0.06),
)
LEVEL_FOR = {
    "nfa": (("universal", 0.7), ("universal-plus", 0.3)),
    "advice": (("universal", 0.3), ("universal-plus", 0.6), ("additional-needs", 0.1)),
    "early_help": (("universal-plus", 0.2), ("additional-needs", 0.8)),
    "referral": (("additional-needs", 0.15), ("complex-significant", 0.85)),
    "strategy": (("complex-significant", 1.0),),
}
PRIMARY_NEEDS = (
    ("N1", 0.57), ("N2", 0.09), ("N3", 0.04), ("N4", 0.06), ("N5", 0.15), ("N6", 0.02),
    ("N7", 0.005), ("N8", 0.05), ("N9", 0.015),
)  # fmt: skip
CATEGORIES = (
    ("neglect", 0.22), ("domestic-abuse", 0.2), ("emotional-abuse", 0.09),
    ("physical-abuse", 0.09), ("parental-mental-health", 0.08),
    ("parental-substance-misuse", 0.07), ("behaviour", 0.05), ("child-mental-health", 0.05),
    ("sexual-abuse", 0.03), ("child-sexual-exploitation", 0.02),
    ("child-criminal-exploitation", 0.02), ("missing", 0.03), ("disability-health", 0.02),
    ("housing-finance", 0.02), ("other", 0.01),
)  # fmt: skip
CONSENT = (("given", 0.55), ("not_sought", 0.3), ("refused", 0.15))
NOT_SOUGHT = (
    "Seeking consent could put the child at greater risk.",
    "Police notification: consent is not sought for these.",
    "Anonymous referrer: parents not contacted.",
    "Referrer feared for their own safety if the family were told.",
)
RATIONALES = {
    "nfa": "No role for children's services: the school is meeting the child's needs.",
    "advice": "Advice given to the referrer about support in the community and how to refer again.",
    "early_help": "Needs that call for coordinated early help; family consented; lead professional named.",
    "referral": "Concerns meet the threshold for a child and family assessment.",
    "strategy": "Reasonable cause to suspect significant harm: strategy discussion with police today.",
}
WEIGHING = (
    "Repeated concerns noted. Early help with a named lead worker, to be stepped up if there "
    "is no change within six weeks."
)


def pick(rng: random.Random, weighted: Any) -> Any:
    values, weights = zip(*weighted, strict=True)
    return rng.choices(values, weights=weights)[0]


@dataclass
class Staff:
    team: Team
    recorders: list[User]
    deciders: list[User]
    receiving: list[Team]


def _staff(ctx: SimulationContext) -> Staff | None:
    """The front door team and the staff who record and decide (the demo's organisation, or
    a council's); None when there is nobody to decide, and then nothing is made."""
    from haven.accounts.services import team_save

    def holders(codename: str) -> list[User]:
        return list(
            User.objects.filter(
                is_active=True,
                agency__isnull=True,
                groups__permissions__codename=codename,
                groups__permissions__content_type__app_label="frontdoor",
            )
            .distinct()
            .order_by("pk")
        )

    deciders = holders("decide_contact")
    if not deciders:
        return None
    team = Team.objects.filter(kind=Team.Kind.FRONT_DOOR, is_active=True).order_by("pk").first()
    if team is None:
        team = team_save(actor=ctx.actor, data={"name": "Front Door", "kind": Team.Kind.FRONT_DOOR})
    receiving = list(Team.objects.filter(kind=Team.Kind.ASSESSMENT, is_active=True).order_by("pk"))
    return Staff(team, holders("record_contact"), deciders, receiving or [team])


@dataclass
class Event:
    """One contact about some of a family's children."""

    children: list[int]
    received_at: datetime
    chronic: bool = False


@dataclass
class History:
    """What is known of each child's contacts and episodes, for flags and re-referrals."""

    contacts: dict[int, list[tuple[datetime, bool]]] = field(
        default_factory=lambda: defaultdict(list)
    )
    open_episode: set[int] = field(default_factory=set)
    last_referral: dict[int, Any] = field(default_factory=dict)


def _families(
    children: list[int],
) -> tuple[list[list[int]], dict[int, list[int]], dict[int, set[int]]]:
    """The noticed children grouped by brothers and sisters, each child's parents, and each
    child's brothers and sisters (among the noticed children: the others have no contacts)."""
    noticed = set(children)
    siblings: dict[int, set[int]] = defaultdict(set)
    parents: dict[int, list[int]] = defaultdict(list)
    for person_id, relative_id, kind in Relationship.objects.filter(
        person_id__in=children, ended_on__isnull=True
    ).values_list("person_id", "relative_id", "kind"):
        if kind in people_codes.SIBLING_KINDS and relative_id in noticed:
            siblings[person_id].add(relative_id)
        elif kind in people_codes.PARENT_KINDS:
            parents[person_id].append(relative_id)
    seen: set[int] = set()
    families = []
    for child in children:
        if child in seen:
            continue
        group, todo = [], [child]
        while todo:
            current = todo.pop()
            if current in seen:
                continue
            seen.add(current)
            group.append(current)
            todo.extend(siblings[current] - seen)
        families.append(sorted(group))
    return families, parents, siblings


def _harm_flags(
    history: History,
    children: list[int],
    siblings: dict[int, set[int]],
    received_at: datetime,
    pattern: CumulativeHarmPattern,
) -> list[tuple[int, int, str, int, int, str]]:
    """The flags the decision page would show for a contact (``harm.assess``'s rules, on the
    simulator's in-memory history): for each child, and each brother or sister when the
    council's pattern counts them, the contacts up to this one within the pattern's windows.
    Each is (child, about, rule, count, window in months, summary)."""
    contact_from = months_before(received_at, pattern.contact_window_months)
    neglect_from = months_before(received_at, pattern.neglect_window_months)
    flags = []
    for child in children:
        about = [child]
        if pattern.include_siblings:
            about += sorted(siblings.get(child, set()) - {child})
        for person in about:
            past = [(r, n) for r, n in history.contacts[person] if r <= received_at]
            in_window = sum(1 for r, _ in past if r >= contact_from)
            neglects = sum(1 for r, n in past if n and r >= neglect_from)
            who = "this child" if person == child else "a brother or sister"
            if in_window >= pattern.contact_threshold:
                months = pattern.contact_window_months
                flags.append(
                    (child, person, HarmFlag.Rule.REPEATED_CONTACTS.value, in_window, months,
                     f"{in_window} contacts in {months} months about {who}")
                )  # fmt: skip
            if neglects >= pattern.neglect_threshold:
                months = pattern.neglect_window_months
                flags.append(
                    (child, person, HarmFlag.Rule.REPEATED_NEGLECT.value, neglects, months,
                     f"Neglect raised in {neglects} contacts in {months} months about {who}")
                )  # fmt: skip
    return flags


def _events(
    ctx: SimulationContext, families: list[list[int]], first_seen: dict[int, datetime]
) -> list[Event]:
    rng = ctx.rng
    # 52,000 contacts a year counts each child on a contact (as councils report them); with
    # brothers and sisters often on one contact, that is about 1.35 children a record.
    target = round(sum(len(f) for f in families) * CONTACTS_PER_CHILD / CHILDREN_PER_CONTACT)
    per_family = [1] * len(families)
    chronic = {i for i in range(len(families)) if rng.random() < CHRONIC_NEGLECT_SHARE}
    for i in chronic:
        per_family[i] = rng.choice((3, 4, 4, 5))
    extra = max(0, target - sum(per_family))
    others = [i for i in range(len(families)) if i not in chronic]
    for _ in range(extra):
        if not others:
            break
        per_family[rng.choice(others)] += 1
    year_start = datetime.combine(ctx.year.start, time(0), tzinfo=calendar.local_tz())
    year_end = min(
        datetime.combine(ctx.year.end, time(23, 59), tzinfo=calendar.local_tz()),
        simulated_now(ctx) - timedelta(minutes=5),
    )
    events = []
    for index, family in enumerate(families):
        earliest = max(
            [year_start]
            + [first_seen[c] - timedelta(minutes=30) for c in family if c in first_seen]
        )
        span = max(60.0, (year_end - earliest).total_seconds())
        moments = sorted(
            earliest + timedelta(seconds=rng.random() * span) for _ in range(per_family[index])
        )
        for drawn in moments:
            moment = _office_like(rng, drawn)
            if moment > year_end:
                moment = year_end - timedelta(minutes=rng.randrange(5, 600))
            together = len(family) == 1 or rng.random() < 0.6
            children = family if together else [rng.choice(family)]
            events.append(Event(children, moment, chronic=index in chronic))
    events.sort(key=lambda e: e.received_at)
    return events


def simulated_now(ctx: SimulationContext) -> datetime:
    """Now, or the end of the simulated "today" when the simulator runs as of an earlier day."""
    now = timezone.now()
    if ctx.today < timezone.localdate():
        return datetime.combine(ctx.today, time(18, 0), tzinfo=calendar.local_tz())
    return now


def _office_like(rng: random.Random, moment: datetime) -> datetime:
    """Most contacts arrive in office hours on working days; police ones at any hour."""
    local = timezone.localtime(moment, calendar.local_tz())
    if rng.random() < 0.8:
        day = local.date()
        while not calendar.is_working_day(day):
            day += timedelta(days=1)
        local = datetime.combine(
            day, time(rng.randrange(8, 18), rng.randrange(60)), tzinfo=calendar.local_tz()
        )
    return local


def _decision_delay(rng: random.Random, urgent: bool) -> float:
    """Working hours from the contact arriving to its decision: mostly within the day allowed."""
    if urgent:
        return rng.uniform(0.2, 3.0)
    roll = rng.random()
    if roll < 0.85:
        return rng.uniform(0.5, 8.0)
    if roll < 0.95:
        return rng.uniform(8.0, 16.0)
    return rng.uniform(16.0, 60.0)


def _after_working_hours(moment: datetime, hours: float) -> datetime:
    """``hours`` of office time after ``moment`` (the inverse of working_hours_between)."""
    opens, closes = calendar.office_hours()
    local = timezone.localtime(moment, calendar.local_tz())
    remaining = hours
    day = local.date()
    cursor = local
    while True:
        if calendar.is_working_day(day):
            start = max(cursor, datetime.combine(day, opens, tzinfo=local.tzinfo))
            end = datetime.combine(day, closes, tzinfo=local.tzinfo)
            if end > start:
                available = (end - start).total_seconds() / 3600
                if available >= remaining:
                    return start + timedelta(hours=remaining)
                remaining -= available
        day += timedelta(days=1)
        cursor = datetime.combine(day, time(0), tzinfo=local.tzinfo)


def run(ctx: SimulationContext) -> dict[str, int]:  # noqa: PLR0912, PLR0915 - a year, start to finish
    from haven.people.simulation import children_noticed_in

    rng = ctx.rng
    children = children_noticed_in(ctx)
    if not children:
        return {}
    staff = _staff(ctx)
    if staff is None:
        return {}
    levels = {level.key: level for level in LevelOfNeed.objects.filter(is_active=True)}
    categories = {c.key: c for c in ConcernCategory.objects.filter(is_active=True)}
    neglect_ids = {c.pk for c in categories.values() if c.is_neglect}
    da_ids = {c.pk for c in categories.values() if c.marks_domestic_abuse}
    rule = timescales.rule_get("contact_decision")
    urgent_rule = timescales.rule_get("urgent_contact_decision")
    now = simulated_now(ctx)

    families, parents, siblings = _families(children)
    pattern = CumulativeHarmPattern.current()
    first_seen = dict(
        ChronologyEntry.objects.filter(child_id__in=children, kind="person_created").values_list(
            "child_id", "occurred_at"
        )
    )
    history = History()
    since = months_before(
        datetime.combine(ctx.year.start, time(0), tzinfo=calendar.local_tz()),
        max(pattern.contact_window_months, pattern.neglect_window_months),
    ) - timedelta(days=1)
    for person_id, received, neglect in _prior(children, since, neglect_ids):
        history.contacts[person_id].append((received, neglect))
    for child_id, referral_date, closed, taken_back in Episode.objects.filter(
        child_id__in=children
    ).values_list("child_id", "referral_date", "closed_on", "withdrawn_at"):
        if taken_back is not None:
            continue
        if closed is None:
            history.open_episode.add(child_id)
        if child_id not in history.last_referral or referral_date > history.last_referral[child_id]:
            history.last_referral[child_id] = referral_date

    events = _events(ctx, families, first_seen)
    contacts: list[Contact] = []
    plans: list[dict[str, Any]] = []
    for event in events:
        source = pick(rng, SOURCES)
        key = (
            source if source in CHANNELS_BY_SOURCE else source[0] if source[0] in "13" else "other"
        )
        channel = pick(rng, CHANNELS_BY_SOURCE.get(key, CHANNELS_BY_SOURCE["other"]))
        if event.chronic:
            chosen = ["neglect"] + ([pick(rng, CATEGORIES)] if rng.random() < 0.4 else [])
        elif source == "6" and rng.random() < 0.6:
            chosen = ["domestic-abuse"]
        else:
            chosen = [pick(rng, CATEGORIES) for _ in range(rng.choice((1, 1, 2)))]
        category_ids = sorted({categories[k].pk for k in chosen if k in categories})
        urgent = not event.chronic and rng.random() < 0.04
        received = event.received_at
        due = timescales.apply_rule(urgent_rule if urgent else rule, received)
        triage_minutes = (
            rng.uniform(8, 45) if channel in ("phone", "in_person") else rng.uniform(20, 360)
        )
        finished = received + timedelta(minutes=triage_minutes)
        completed: datetime | None = finished
        decided: datetime | None = max(
            _after_working_hours(received, _decision_delay(rng, urgent)),
            finished + timedelta(minutes=rng.uniform(5, 60)),
        )
        withdrawn: datetime | None = None
        if rng.random() < 0.01:
            withdrawn, decided = finished + timedelta(minutes=30), None
        if finished > now:
            completed, decided = None, None
        elif decided is not None and decided > now:
            decided = None
        if withdrawn is not None and withdrawn > now:
            withdrawn = None
        consent = pick(rng, CONSENT)
        contact = Contact(
            channel=channel,
            received_at=received,
            due_at=due,
            team=staff.team,
            source=source,
            referrer_name="" if source == "9" else f"Referrer {rng.randrange(1000, 9999)}",
            referrer_organisation={"6": "Police", "2A": "A local school"}.get(source, ""),
            concern_summary="Synthetic concerns for the demo: "
            + ", ".join(chosen).replace("-", " ")
            + ".",
            immediate_risk=urgent,
            immediate_risk_detail="Synthetic: child said to be at risk tonight." if urgent else "",
            is_domestic_abuse=bool(set(category_ids) & da_ids),
            consent=consent,
            consent_detail=rng.choice(NOT_SOUGHT) if consent == "not_sought" else "",
            completed_at=completed,
            assigned_to=rng.choice(staff.recorders)
            if completed is None or rng.random() < 0.9
            else None,
            decided_at=decided,
            withdrawn_at=withdrawn,
            withdrawn_reason="Duplicate of another contact about the same incident."
            if withdrawn
            else "",
        )
        contact.assigned_at = contact.received_at if contact.assigned_to else None
        contacts.append(contact)
        plans.append(
            {"event": event, "categories": category_ids, "urgent": urgent, "chosen": chosen}
        )

    stamp = timezone.now()
    for contact in contacts:
        contact.created_at, contact.updated_at = contact.received_at, stamp
    _insert(ctx, Contact, contacts)

    person_rows: list[tuple[Any, ...]] = []
    category_rows: list[tuple[int, int]] = []
    chronology_rows: list[tuple[Any, ...]] = []
    info_rows: list[tuple[Any, ...]] = []
    decisions: list[ContactDecision] = []
    decision_plans: list[dict[str, Any]] = []
    for contact, plan in zip(contacts, plans, strict=True):
        event = plan["event"]
        neglect = bool(set(plan["categories"]) & neglect_ids)
        for child in event.children:
            person_rows.append((contact.pk, child, "child", "", None, "", contact.created_at, None))
        for adult in sorted({p for c in event.children for p in parents.get(c, [])})[:2]:
            if rng.random() < 0.6:
                person_rows.append(
                    (contact.pk, adult, "adult", "", None, "", contact.created_at, None)
                )
        category_rows.extend((contact.pk, cid) for cid in plan["categories"])
        url = f"/front-door/contacts/{contact.pk}/"
        if contact.completed_at is not None:
            summary = f"Contact by {contact.get_channel_display().lower()} from {contact.get_source_display()}"
            if plan["chosen"]:
                summary += ": " + ", ".join(k.replace("-", " ") for k in plan["chosen"])
            for child in event.children:
                chronology_rows.append(
                    (child, contact.received_at, "contact_received", summary[:300], None,
                     "Front door", "frontdoor.contact", str(contact.pk), url, contact.completed_at)
                )  # fmt: skip
        if rng.random() < 0.15 and contact.completed_at is not None:
            asked = contact.completed_at + timedelta(minutes=rng.uniform(5, 90))
            answered = asked + timedelta(hours=rng.uniform(0.5, 20))
            if contact.decided_at is not None:
                answered = min(answered, contact.decided_at - timedelta(minutes=5))
            info_rows.append(
                (contact.pk, pick(rng, (("police", 0.4), ("health", 0.3), ("school", 0.3))),
                 "Synthetic agency", "", "Any information held about the family?", asked, None,
                 answered if answered <= now and answered > asked else None,
                 "Known to the service; no current concerns." if answered <= now else "", None, asked)
            )  # fmt: skip
        # Flags from the children's and their brothers' and sisters' history, as the decision
        # page would show them (this contact counts, as it does there).
        if contact.withdrawn_at is None:  # withdrawn contacts are not counted, as there
            for child in event.children:
                history.contacts[child].append((contact.received_at, neglect))
        flags = _harm_flags(history, event.children, siblings, contact.received_at, pattern)
        if contact.decided_at is None:
            continue
        if event.chronic:
            outcome = pick(rng, (("advice", 0.45), ("early_help", 0.45), ("referral", 0.1)))
        else:
            outcome = pick(rng, OUTCOMES)
        if plan["urgent"]:
            outcome = "strategy"
        decision = ContactDecision(
            contact=contact,
            level_of_need=levels[pick(rng, LEVEL_FOR[outcome])],
            outcome=outcome,
            rationale=RATIONALES[outcome],
            primary_need=pick(rng, PRIMARY_NEEDS) if outcome in codes.REFERRAL_OUTCOMES else "",
            receiving_team=rng.choice(staff.receiving)
            if outcome in codes.REFERRAL_OUTCOMES
            else None,
            history_weighing=WEIGHING if flags and outcome in codes.LOW_OUTCOMES else "",
            decided_by=rng.choice(staff.deciders),
            decided_at=contact.decided_at,
        )
        decisions.append(decision)
        decision_plans.append({"contact": contact, "children": event.children, "flags": flags})

    person_rows = [tuple(_at(v) for v in row) for row in person_rows]
    info_rows = [tuple(_at(v) for v in row) for row in info_rows]
    ctx.insert_rows(
        ContactPerson,
        [
            "contact",
            "person",
            "role",
            "given_name",
            "given_date_of_birth",
            "given_details",
            "added_at",
            "added_by",
        ],
        person_rows,
    )
    ctx.insert_rows(
        Contact.concern_categories.through, ["contact", "concerncategory"], category_rows
    )
    ctx.insert_rows(
        InformationRequest,
        ["contact", "agency_kind", "agency_name", "asked_of", "question", "requested_at",
         "requested_by", "answered_at", "response", "answer_recorded_by", "created_at"],
        info_rows,
    )  # fmt: skip
    _insert(ctx, ContactDecision, decisions)

    referred_rows, flag_rows, episodes = [], [], []
    for decision, plan in zip(decisions, decision_plans, strict=True):
        contact = plan["contact"]
        url = f"/front-door/contacts/{contact.pk}/"
        summary = f"Threshold decision: {decision.get_outcome_display()} ({decision.level_of_need})"
        for child in plan["children"]:
            chronology_rows.append(
                (child, decision.decided_at, "contact_decision", summary[:300], decision.decided_by_id,
                 decision.decided_by.full_name, "frontdoor.contactdecision", str(decision.pk), url,
                 decision.decided_at)
            )  # fmt: skip
        for child, about, rule_name, count, months, flag_summary in plan["flags"]:
            flag_rows.append(
                (decision.pk, contact.pk, child, about, rule_name, count, months, flag_summary)
            )
        if decision.outcome not in codes.REFERRAL_OUTCOMES:
            continue
        referral_date = timezone.localtime(contact.received_at, calendar.local_tz()).date()
        for child in plan["children"]:
            referred_rows.append((decision.pk, child))
            if child in history.open_episode:
                continue
            last = history.last_referral.get(child)
            episodes.append(
                Episode(
                    child_id=child,
                    contact=contact,
                    decision=decision,
                    referral_date=referral_date,
                    referral_source=contact.source,
                    primary_need=decision.primary_need,
                    receiving_team=decision.receiving_team,
                    is_urgent=decision.outcome == "strategy",
                    is_rereferral=last is not None and (referral_date - last).days < 365,
                    opened_at=decision.decided_at,
                    opened_by=decision.decided_by,
                )
            )
            history.open_episode.add(child)
            history.last_referral[child] = referral_date
    ctx.insert_rows(
        ContactDecision.referred_children.through, ["contactdecision", "person"], referred_rows
    )
    ctx.insert_rows(
        HarmFlag,
        ["decision", "contact", "child", "about", "rule", "count", "window_months", "summary"],
        flag_rows,
    )
    _insert(ctx, Episode, episodes)
    for episode in episodes:
        chronology_rows.append(
            (episode.child_id, episode.opened_at, "episode_opened",
             f"Referred to {episode.receiving_team}: {episode.get_primary_need_display()}"[:300],
             episode.opened_by_id, "Front door", "frontdoor.episode", str(episode.pk),
             f"/front-door/contacts/{episode.contact_id}/", episode.opened_at)
        )  # fmt: skip
    chronology_rows = [tuple(_at(v) for v in row) for row in chronology_rows]
    ctx.insert_chronology(chronology_rows)
    backlog = _backlog_sources(
        ctx, [c for c in contacts if c.decided_at is None and c.withdrawn_at is None]
    )
    reports = _recent_reports(ctx) if ctx.year == ctx.years[-1] else 0
    return {
        "contacts": len(contacts),
        "decisions": len(decisions),
        "referrals": sum(1 for d in decisions if d.outcome in codes.REFERRAL_OUTCOMES),
        "episodes": len(episodes),
        "harm flags": len(flag_rows),
        "open contacts": sum(
            1 for c in contacts if c.decided_at is None and c.withdrawn_at is None
        ),
        "emails and police notifications": backlog,
        "workflow reports": reports,
    }


def _insert(ctx: SimulationContext, model: Any, objects: list[Any]) -> None:
    """Insert unsaved model objects in bulk (COPY on PostgreSQL) and give them their primary
    keys: read back in insertion order, which the simulator's single transaction keeps."""
    if not objects:
        return
    from django.db import connection
    from django.db.models import Max

    fields = [f for f in model._meta.concrete_fields if not f.primary_key]
    rows = [
        tuple(f.get_db_prep_save(getattr(obj, f.attname), connection) for f in fields)
        for obj in objects
    ]
    before = model.objects.aggregate(last=Max("pk"))["last"] or 0
    ctx.insert_rows(model, [f.name for f in fields], rows)
    ids = list(model.objects.filter(pk__gt=before).order_by("pk").values_list("pk", flat=True))
    if len(ids) != len(objects):
        raise RuntimeError(f"expected {len(objects)} new {model.__name__} rows, found {len(ids)}")
    for obj, pk in zip(objects, ids, strict=True):
        obj.pk = pk
        obj._state.adding = False


def _at(value: Any) -> Any:
    """A datetime as the database stores it (naive UTC text on SQLite), for raw inserts."""
    from django.db import connection

    if isinstance(value, datetime):
        return connection.ops.adapt_datetimefield_value(value)
    return value


def _prior(
    children: list[int], since: datetime, neglect_ids: set[int]
) -> list[tuple[int, datetime, bool]]:
    """Earlier contacts about these children (from earlier simulated years), with whether each
    raised neglect. Two queries."""
    rows = list(
        ContactPerson.objects.filter(
            person_id__in=children,
            contact__received_at__gte=since,
            contact__withdrawn_at__isnull=True,
        ).values_list("person_id", "contact_id", "contact__received_at")
    )
    neglected = set(
        Contact.concern_categories.through.objects.filter(
            contact_id__in={r[1] for r in rows}, concerncategory_id__in=neglect_ids
        ).values_list("contact_id", flat=True)
    )
    return [(person, received, contact in neglected) for person, contact, received in rows]


def _backlog_sources(ctx: SimulationContext, open_contacts: list[Contact]) -> int:
    """The emails and police notifications behind contacts still open, so triage has them."""
    rng = random.Random(f"{ctx.seed}:frontdoor-backlog:{ctx.year.label}")  # noqa: S311
    made = 0
    police_import = None
    for contact in open_contacts:
        if contact.channel == codes.Channel.EMAIL:
            raw = (
                f"From: Referrer <referrer{contact.pk}@school.example>\r\nTo: frontdoor@haven.test\r\n"
                f"Subject: Referral {contact.reference}\r\nMessage-ID: <sim-{ctx.seed}-{contact.pk}@school.example>\r\n"
                f"\r\nSynthetic referral email for the demo. No real person.\r\n"
            ).encode()
            email = InboundEmail(
                message_key=f"sim-{ctx.seed}-{contact.pk}".ljust(64, "0")[:64],
                message_id=f"<sim-{ctx.seed}-{contact.pk}@school.example>",
                source=InboundEmail.Source.MAILBOX,
                folder="INBOX",
                arrived_at=contact.received_at,
                from_address=f"referrer{contact.pk}@school.example",
                from_name="Referrer",
                subject=f"Referral {contact.reference}",
                body_text="Synthetic referral email for the demo. No real person.",
                raw_size=len(raw),
                contact=contact,
            )
            email.raw.save(f"sim-{contact.pk}.eml", ContentFile(raw), save=False)
            email.save()
            taken = contact.received_at + timedelta(minutes=rng.uniform(0.5, 3))
            InboundEmail.objects.filter(pk=email.pk).update(taken_at=taken)
            Contact.objects.filter(pk=contact.pk).update(created_at=taken)
            made += 1
        elif contact.channel == codes.Channel.POLICE:
            if police_import is None:
                police_import = PoliceImport.objects.create(
                    filename=f"simulated-police-{ctx.year.label}.csv", via=PoliceImport.Via.COMMAND
                )
            names = list(
                Person.objects.filter(contact_links__contact=contact).values_list(
                    "first_name", "last_name"
                )
            )
            PoliceNotification.objects.create(
                police_reference=f"SIM/{ctx.seed}/{contact.pk}",
                notification_type="domestic_abuse"
                if contact.is_domestic_abuse
                else "child_concern",
                occurred_at=contact.received_at - timedelta(hours=rng.uniform(1, 12)),
                children="; ".join(f"{first} {last}" for first, last in names) or "Not given",
                narrative=contact.concern_summary,
                police_import=police_import,
                line_number=made + 2,
                contact=contact,
            )
            made += 1
    return made


def _recent_reports(ctx: SimulationContext) -> int:
    """The last ten working days' workflow reports, as the scheduler would have made them."""
    from haven.core.actor import Actor
    from haven.frontdoor.apps import report_times
    from haven.frontdoor.services.reports import workflow_report_make

    made, day = 0, ctx.today
    moments: list[datetime] = []
    while len(moments) < 20 and day >= ctx.year.start:
        if calendar.is_working_day(day):
            for at in reversed(report_times()):
                moment = datetime.combine(day, at, tzinfo=calendar.local_tz())
                if moment <= simulated_now(ctx):
                    moments.append(moment)
        day -= timedelta(days=1)
    for moment in sorted(moments):
        workflow_report_make(actor=Actor.system("simulator"), as_of=moment, send=False)
        made += 1
    return made


register(
    Generator(
        name="contacts",
        order=20,
        run=run,
        description="Contacts by every channel, threshold decisions, referrals (CIN episodes), "
        "cumulative-harm flags, the open backlog and recent workflow reports.",
    )
)
