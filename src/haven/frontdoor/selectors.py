"""Reading the front door: always through the user, so a list and a record cannot disagree.

``contacts_visible(user)`` is the one rule for who sees which contacts: front door staff and
the other roles that read children's records see every contact; partners see none here (their
own agency's referrals come through ``partner_referrals``, status only); the administrator
sees none. A contact's status is derived from its timestamps by ``with_status``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from django.db.models import Case, Count, Exists, OuterRef, Prefetch, Q, QuerySet, Value, When
from django.db.models.fields import CharField
from django.http import Http404

from haven.accounts.models import Team
from haven.frontdoor import codes, permissions
from haven.frontdoor.models import (
    OPEN,
    Contact,
    ContactDecision,
    ContactDraft,
    ContactPerson,
    Episode,
    InboundEmail,
    InformationRequest,
    PoliceImport,
    PoliceImportProblem,
    WorkflowReport,
)
from haven.people.models import Person

if TYPE_CHECKING:
    from haven.accounts.models import User


def _unanswered(as_of: datetime | None) -> Exists:
    asked = InformationRequest.objects.filter(contact=OuterRef("pk"))
    if as_of is None:
        return Exists(asked.filter(answered_at__isnull=True))
    return Exists(
        asked.filter(requested_at__lte=as_of).filter(
            Q(answered_at__isnull=True) | Q(answered_at__gt=as_of)
        )
    )


def with_status(contacts: QuerySet[Contact], *, as_of: datetime | None = None) -> QuerySet[Contact]:
    """Annotate ``status`` (a ``codes.Status`` value), derived from the timestamps: withdrawn,
    decided, needs triage (not complete), awaiting information (a request unanswered), or
    awaiting decision. ``as_of`` gives the status at an earlier moment (the workflow report's)."""
    if as_of is None:
        withdrawn = Q(withdrawn_at__isnull=False)
        decided = Q(decided_at__isnull=False)
        incomplete = Q(completed_at__isnull=True)
    else:
        withdrawn = Q(withdrawn_at__lte=as_of)
        decided = Q(decided_at__lte=as_of)
        incomplete = Q(completed_at__isnull=True) | Q(completed_at__gt=as_of)
    return contacts.annotate(
        status=Case(
            When(withdrawn, then=Value(codes.Status.WITHDRAWN.value)),
            When(decided, then=Value(codes.Status.DECIDED.value)),
            When(incomplete, then=Value(codes.Status.NEEDS_TRIAGE.value)),
            When(_unanswered(as_of), then=Value(codes.Status.AWAITING_INFORMATION.value)),
            default=Value(codes.Status.AWAITING_DECISION.value),
            output_field=CharField(),
        )
    )


def open_at(as_of: datetime) -> Q:
    """Contacts that had arrived and were still open at ``as_of``."""
    return (
        Q(received_at__lte=as_of)
        & (Q(decided_at__isnull=True) | Q(decided_at__gt=as_of))
        & (Q(withdrawn_at__isnull=True) | Q(withdrawn_at__gt=as_of))
    )


def status_of(contact: Contact) -> codes.Status:
    """A single contact's status (for a contact not fetched through ``with_status``)."""
    annotated = getattr(contact, "status", None)
    if annotated:
        return codes.Status(annotated)
    if contact.withdrawn_at:
        return codes.Status.WITHDRAWN
    if contact.decided_at:
        return codes.Status.DECIDED
    if contact.completed_at is None:
        return codes.Status.NEEDS_TRIAGE
    if contact.information.filter(answered_at__isnull=True).exists():
        return codes.Status.AWAITING_INFORMATION
    return codes.Status.AWAITING_DECISION


def contacts_visible(user: User) -> QuerySet[Contact]:
    """The contacts ``user`` may read: all of them for roles that hold
    ``frontdoor.view_contact``; none for anyone else."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return Contact.objects.none()
    if not user.has_perm(permissions.VIEW):
        return Contact.objects.none()
    return Contact.objects.all()


def _people_prefetch() -> Prefetch:
    return Prefetch(
        "people",
        queryset=ContactPerson.objects.select_related("person").order_by("-role", "id"),
    )


def contact_get(*, user: User, contact_id: int) -> Contact:
    """One contact the user may read, with its status and people, or 404."""
    found = (
        with_status(contacts_visible(user))
        .select_related(
            "team", "assigned_to", "created_by", "completed_by", "referrer_agency", "withdrawn_by"
        )
        .prefetch_related(_people_prefetch(), "concern_categories")
        .filter(pk=contact_id)
        .first()
    )
    if found is None:
        raise Http404("No contact with that reference")
    return found


@dataclass
class ContactRecord:
    """Everything the contact page shows beyond the contact itself."""

    information: list[InformationRequest]
    decisions: list[ContactDecision]
    email: InboundEmail | None
    police: Any
    episodes: list[Episode]
    direction: list[Any]  # managers' oversight notes made before the decision

    @property
    def current_decision(self) -> ContactDecision | None:
        return next((d for d in self.decisions if d.is_current), None)


def contact_record(contact: Contact) -> ContactRecord:
    decisions = list(
        contact.decisions.select_related("level_of_need", "receiving_team", "decided_by")
        .prefetch_related("referred_children", "flags", "oversight__author")
        .order_by("-decided_at", "-id")
    )
    email = InboundEmail.objects.filter(contact=contact).prefetch_related("attachments").first()
    police = getattr(contact, "police_notification", None)
    return ContactRecord(
        information=list(contact.information.select_related("requested_by", "answer_recorded_by")),
        decisions=decisions,
        email=email,
        police=police,
        episodes=list(
            Episode.objects.filter(contact=contact).select_related("child", "receiving_team")
        ),
        direction=list(
            contact.oversight.filter(decision__isnull=True)
            .select_related("author")
            .order_by("created_at", "id")
        ),
    )


# The kinds of team a referral may go to: those that work with children after the front
# door. Not the front door itself, nor quality or performance teams, which hold no cases.
RECEIVING_TEAM_KINDS = (
    Team.Kind.ASSESSMENT,
    Team.Kind.EXPLOITATION,
    Team.Kind.MISSING,
    Team.Kind.OUT_OF_HOURS,
)


def receiving_teams() -> QuerySet[Team]:
    """The active teams a referral can be sent to, by name (the form, the API and the
    decision service share this)."""
    return Team.objects.filter(is_active=True, kind__in=RECEIVING_TEAM_KINDS).order_by("name")


def contact_draft(*, user: User, contact: Contact, page: str) -> ContactDraft | None:
    """The user's own unsubmitted draft of a page on this contact (never anyone else's)."""
    return ContactDraft.objects.filter(contact=contact, author=user, page=page).first()


def teams_for(user: User) -> list[Team]:
    """The teams whose work a user sees as "team work": their own and those they manage."""
    teams = {team.pk: team for team in Team.objects.filter(manager=user, is_active=True)}
    if user.team_id is not None and user.team is not None:
        teams[user.team_id] = user.team
    return sorted(teams.values(), key=lambda t: t.name)


@dataclass(frozen=True)
class QueueFilters:
    channel: str = ""
    urgent_only: bool = False
    domestic_abuse_only: bool = False
    worker: str = ""  # a user id, "unassigned", or "" for everyone


def open_contacts(
    *, user: User, scope: str, filters: QueueFilters | None = None
) -> QuerySet[Contact]:
    """Open contacts (not decided, not withdrawn) for a queue, with their status, owner and
    children, urgent first then by deadline: ``scope`` "mine" (assigned to the user) or "team"
    (owned by the user's teams). Two queries however many rows."""
    filters = filters or QueueFilters()
    contacts = contacts_visible(user).filter(OPEN)
    if scope == "mine":
        contacts = contacts.filter(assigned_to=user)
    else:
        contacts = contacts.filter(team__in=[t.pk for t in teams_for(user)])
        if filters.worker == "unassigned":
            contacts = contacts.filter(assigned_to__isnull=True)
        elif filters.worker.isdigit():
            contacts = contacts.filter(assigned_to_id=int(filters.worker))
    if filters.channel in codes.Channel.values:
        contacts = contacts.filter(channel=filters.channel)
    if filters.urgent_only:
        contacts = contacts.filter(immediate_risk=True)
    if filters.domestic_abuse_only:
        contacts = contacts.filter(is_domestic_abuse=True)
    return (
        with_status(contacts)
        .select_related("assigned_to", "team")
        .prefetch_related(_people_prefetch())
        .annotate(urgent_first=Case(When(immediate_risk=True, then=Value(0)), default=Value(1)))
        .order_by("urgent_first", "due_at", "id")
    )


def queue_counts(user: User) -> dict[str, int]:
    """How much is waiting: the user's own open contacts, their teams' open contacts, those
    needing triage and the urgent ones awaiting a decision. Two queries."""
    mine = contacts_visible(user).filter(OPEN, assigned_to=user).count()
    team = (
        with_status(contacts_visible(user).filter(OPEN, team__in=[t.pk for t in teams_for(user)]))
        .values("status", "immediate_risk")  # type: ignore[misc]
        .annotate(n=Count("id"))
        .order_by()
    )
    counts = {"mine": mine, "team_total": 0, "needs_triage": 0, "urgent": 0}
    for row in team:
        counts["team_total"] += row["n"]
        if row["status"] == codes.Status.NEEDS_TRIAGE.value:
            counts["needs_triage"] += row["n"]
        elif row["immediate_risk"]:
            counts["urgent"] += row["n"]
    return counts


def open_contacts_for_report(*, as_of: datetime) -> QuerySet[Contact]:
    """Every contact open at ``as_of`` (arrived, not yet decided or withdrawn), with its status
    then, for the workflow report."""
    return (
        with_status(Contact.objects.filter(open_at(as_of)), as_of=as_of)
        .select_related("assigned_to", "team", "email")
        .prefetch_related(_people_prefetch())
        .order_by("due_at", "id")
    )


def queue_workers(user: User) -> list[Any]:
    """Who contacts in the user's teams can be assigned to (for the worker filter and the
    assign page): active members of those teams who record contacts."""
    from haven.accounts.models import User as UserModel

    teams = teams_for(user)
    return list(
        UserModel.objects.filter(team__in=teams, is_active=True)
        .filter(
            groups__permissions__codename="record_contact",
            groups__permissions__content_type__app_label="frontdoor",
        )
        .distinct()
        .order_by("full_name")
    )


def contacts_about(*, user: User, person: Person) -> QuerySet[Contact]:
    """The contacts a person appears on, newest first (for the child's page)."""
    return with_status(contacts_visible(user).filter(people__person=person).distinct()).order_by(
        "-received_at"
    )


def partner_referrals(user: User) -> QuerySet[Contact]:
    """A partner's own agency's referrals (status only is shown)."""
    if not user.has_perm(permissions.REFER) or user.agency_id is None:
        return Contact.objects.none()
    return (
        with_status(Contact.objects.filter(referrer_agency_id=user.agency_id))
        .prefetch_related(
            Prefetch(
                "decisions",
                queryset=ContactDecision.objects.filter(is_current=True),
                to_attr="current_decisions",
            )
        )
        .order_by("-received_at")
    )


def partner_referral_get(*, user: User, contact_id: int) -> Contact:
    found = partner_referrals(user).filter(pk=contact_id).first()
    if found is None:
        raise Http404("No referral with that reference")
    return found


def quarantined_emails(user: User) -> QuerySet[InboundEmail]:
    if not user.has_perm(permissions.RECORD):
        return InboundEmail.objects.none()
    return InboundEmail.objects.filter(
        quarantined_at__isnull=False, resolved_at__isnull=True
    ).order_by("-arrived_at")


def email_get(*, user: User, email_id: int) -> InboundEmail:
    if not user.has_perm(permissions.VIEW):
        raise Http404("No such email")
    found = InboundEmail.objects.prefetch_related("attachments").filter(pk=email_id).first()
    if found is None:
        raise Http404("No such email")
    return found


def police_imports(user: User) -> QuerySet[PoliceImport]:
    if not user.has_perm(permissions.IMPORT_POLICE):
        return PoliceImport.objects.none()
    return PoliceImport.objects.select_related("imported_by").order_by("-imported_at")


def police_problems(user: User, *, open_only: bool = True) -> QuerySet[PoliceImportProblem]:
    if not user.has_perm(permissions.IMPORT_POLICE):
        return PoliceImportProblem.objects.none()
    problems = PoliceImportProblem.objects.select_related("police_import")
    if open_only:
        problems = problems.filter(resolved_at__isnull=True)
    return problems.order_by("-police_import__imported_at", "line_number")


def reports_visible(user: User) -> QuerySet[WorkflowReport]:
    if not user.has_perm(permissions.VIEW_REPORT):
        return WorkflowReport.objects.none()
    return WorkflowReport.objects.order_by("-as_of", "-id")


def report_get(*, user: User, report_id: int) -> WorkflowReport:
    found = reports_visible(user).filter(pk=report_id).first()
    if found is None:
        raise Http404("No such report")
    return found


# --- Episodes, for the apps that build on them --------------------------------------------


def episodes_visible(user: User) -> QuerySet[Episode]:
    """Episodes the user may read (those who read children's records)."""
    if not user.has_perm(permissions.VIEW_EPISODE):
        return Episode.objects.none()
    return Episode.objects.current().select_related("child", "receiving_team", "contact")


def open_episode_for(child: Person) -> Episode | None:
    """The child's open CIN episode, if any."""
    return Episode.objects.open().filter(child=child).first()


def episode_get(*, user: User, episode_id: int) -> Episode:
    found = episodes_visible(user).filter(pk=episode_id).first()
    if found is None:
        raise Http404("No such episode")
    return found


def recent_contacts_for(person: Person, *, since: datetime) -> QuerySet[Contact]:
    """Contacts about a person since a moment (for other apps' summaries)."""
    return Contact.objects.filter(
        people__person=person, received_at__gte=since, withdrawn_at__isnull=True
    ).distinct()


def open_contact_filter() -> Q:
    return OPEN
