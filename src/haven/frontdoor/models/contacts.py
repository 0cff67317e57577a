"""Contacts: a concern about one or more children reaching the front door, and what happens
to it (information gathered, the threshold decision, a manager's oversight).

Field names follow the Standard Safeguarding Dataset's ``ssd_contacts`` (``cont_contact_date``
is ``received_at``, ``cont_contact_source`` is ``source``, ``cont_contact_outcome_json`` is the
current decision's ``outcome``). A contact's status is derived from its timestamps
(``selectors.with_status``), never stored.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse

from haven.frontdoor import codes
from haven.frontdoor.models.config import ConcernCategory, LevelOfNeed

OPEN = Q(decided_at__isnull=True, withdrawn_at__isnull=True)


class Contact(models.Model):
    """A concern about children, received at ``received_at`` by ``channel``.

    ``received_at`` is when the concern arrived (the call, the email reaching the mailbox);
    ``created_at`` is when the record was made. ``due_at`` is set from the council's timescale
    when the contact opens (one working day, or at once when there is immediate risk) and is
    what every list reads. ``completed_at`` is when the question pages (or triage of an
    emailed or police contact) were finished; ``decided_at`` is the first threshold decision.
    """

    channel = models.CharField(max_length=20, choices=codes.Channel.choices)
    received_at = models.DateTimeField(help_text="When the concern arrived.")  # cont_contact_date
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    team = models.ForeignKey(
        "accounts.Team",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="contacts",
        help_text="The front door team that owns the contact.",
    )
    due_at = models.DateTimeField(help_text="When the threshold decision is due.")

    # Who is referring (cont_contact_source and the referrer's details).
    source = models.CharField(
        "referral source", max_length=3, choices=codes.ReferralSource.choices, blank=True
    )
    referrer_name = models.CharField(max_length=200, blank=True)
    referrer_role = models.CharField(max_length=200, blank=True)
    referrer_organisation = models.CharField(max_length=200, blank=True)
    referrer_phone = models.CharField(max_length=50, blank=True)
    referrer_email = models.EmailField(blank=True)
    referrer_agency = models.ForeignKey(
        "accounts.Agency",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="contacts",
        help_text="For a partner agency's referral: the agency, whose users may see its status.",
    )

    # The concerns.
    concern_categories = models.ManyToManyField(ConcernCategory, blank=True, related_name="+")
    concern_summary = models.TextField(blank=True)
    immediate_risk = models.BooleanField(
        null=True, blank=True, help_text="Immediate risk of significant harm (None: not asked yet)."
    )
    immediate_risk_detail = models.TextField(blank=True)
    is_domestic_abuse = models.BooleanField(default=False)
    urgent_notified_at = models.DateTimeField(
        null=True,
        blank=True,
        help_text="When the duty decision makers were emailed about immediate risk (once only).",
    )

    consent = models.CharField(max_length=20, choices=codes.Consent.choices, blank=True)
    consent_detail = models.TextField(
        blank=True, help_text="Why consent was not sought, or what was said when refused."
    )

    # Progress, each a timestamp: status is derived from them.
    completed_at = models.DateTimeField(null=True, blank=True)
    completed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="assigned_contacts",
    )
    assigned_at = models.DateTimeField(null=True, blank=True)
    decided_at = models.DateTimeField(
        null=True, blank=True, help_text="When the first threshold decision was made."
    )
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    withdrawn_reason = models.TextField(blank=True)

    class Meta:
        ordering = ["-received_at", "-id"]
        indexes = [
            models.Index(
                fields=["team", "due_at"], condition=OPEN, name="frontdoor_contact_open_team"
            ),
            models.Index(
                fields=["assigned_to", "due_at"], condition=OPEN, name="frontdoor_contact_open_mine"
            ),
            models.Index(fields=["received_at"], name="frontdoor_contact_received"),
            models.Index(
                fields=["referrer_agency", "-received_at"], name="frontdoor_contact_agency"
            ),
        ]
        permissions = [
            ("record_contact", "Can record contacts and gather information"),
            ("decide_contact", "Can make threshold decisions on contacts"),
            ("oversee_decision", "Can add oversight notes and countersign decisions"),
            ("assign_contact", "Can assign contacts to workers"),
            ("import_police_notifications", "Can import police notifications"),
            ("view_workflow_report", "Can read the twice-daily workflow report"),
            ("refer_child", "Can refer a child through the partner referral form"),
        ]

    def __str__(self) -> str:
        return self.reference

    def get_absolute_url(self) -> str:
        return reverse("frontdoor:contact", args=[self.pk])

    @property
    def reference(self) -> str:
        return f"C{self.pk:06d}" if self.pk else "New contact"

    @property
    def is_open(self) -> bool:
        return self.decided_at is None and self.withdrawn_at is None

    @property
    def is_urgent(self) -> bool:
        return bool(self.immediate_risk)


class ContactPerson(models.Model):
    """Someone a contact is about or mentions. ``person`` is the linked record; until someone
    links it (an emailed or police contact), the names and date of birth as given are kept."""

    contact = models.ForeignKey(Contact, on_delete=models.CASCADE, related_name="people")
    person = models.ForeignKey(
        "people.Person",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="contact_links",
    )
    role = models.CharField(max_length=10, choices=codes.PersonRole.choices)
    given_name = models.CharField(max_length=200, blank=True, help_text="As the source gave it.")
    given_date_of_birth = models.DateField(null=True, blank=True)
    given_details = models.CharField(max_length=500, blank=True)
    added_at = models.DateTimeField(auto_now_add=True)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        # Children ("child") before adults ("adult"), then in the order they were added.
        ordering = ["-role", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["contact", "person"],
                condition=Q(person__isnull=False),
                name="frontdoor_contact_person_once",
            )
        ]
        indexes = [models.Index(fields=["person", "contact"], name="frontdoor_person_contacts")]

    def __str__(self) -> str:
        return str(self.person) if self.person_id else self.given_name

    @property
    def is_linked(self) -> bool:
        return self.person_id is not None


class InformationRequest(models.Model):
    """A question put to another agency while deciding: when asked, when answered, the answer."""

    contact = models.ForeignKey(Contact, on_delete=models.CASCADE, related_name="information")
    agency_kind = models.CharField(max_length=20, choices=codes.AgencyKind.choices)
    agency_name = models.CharField(max_length=200, help_text="Which organisation or service.")
    asked_of = models.CharField(max_length=200, blank=True, help_text="The person asked.")
    question = models.TextField()
    requested_at = models.DateTimeField()
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    answered_at = models.DateTimeField(null=True, blank=True)
    response = models.TextField(blank=True)
    answer_recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["requested_at", "id"]
        indexes = [
            models.Index(
                fields=["contact"],
                condition=Q(answered_at__isnull=True),
                name="frontdoor_info_unanswered",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_agency_kind_display()}: {self.agency_name}"

    @property
    def is_answered(self) -> bool:
        return self.answered_at is not None


class ContactDecision(models.Model):
    """A threshold decision on a contact. A decision that is reviewed and changed is kept: the
    new one ``supersedes`` it and exactly one decision per contact is current.

    For a referral or strategy discussion, ``referred_children`` each get a CIN episode
    (``Episode``) with the primary need and receiving team given here."""

    contact = models.ForeignKey(Contact, on_delete=models.PROTECT, related_name="decisions")
    level_of_need = models.ForeignKey(LevelOfNeed, on_delete=models.PROTECT, related_name="+")
    outcome = models.CharField(max_length=20, choices=codes.Outcome.choices)
    rationale = models.TextField()
    primary_need = models.CharField(max_length=2, choices=codes.PrimaryNeed.choices, blank=True)
    receiving_team = models.ForeignKey(
        "accounts.Team", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    referred_children = models.ManyToManyField("people.Person", blank=True, related_name="+")
    history_weighing = models.TextField(
        blank=True, help_text="How the child's and siblings' history was weighed."
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField()
    is_current = models.BooleanField(default=True)
    supersedes = models.OneToOneField(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="superseded_by"
    )
    change_reason = models.TextField(blank=True)

    class Meta:
        ordering = ["-decided_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["contact"],
                condition=Q(is_current=True),
                name="frontdoor_one_current_decision",
            )
        ]
        indexes = [
            models.Index(fields=["outcome", "decided_at"], name="frontdoor_decision_outcome")
        ]

    def __str__(self) -> str:
        return f"{self.contact.reference}: {self.get_outcome_display()}"

    @property
    def is_referral(self) -> bool:
        return self.outcome in codes.REFERRAL_OUTCOMES


class HarmFlag(models.Model):
    """One cumulative-harm flag the decision maker saw when deciding, kept for audit and the
    scorecard: which child on the contact, whose history met which part of the pattern."""

    class Rule(models.TextChoices):
        REPEATED_CONTACTS = "repeated_contacts", "Repeated contacts"
        REPEATED_NEGLECT = "repeated_neglect", "Neglect raised repeatedly"

    decision = models.ForeignKey(ContactDecision, on_delete=models.CASCADE, related_name="flags")
    contact = models.ForeignKey(Contact, on_delete=models.CASCADE, related_name="harm_flags")
    child = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="+")
    about = models.ForeignKey(
        "people.Person",
        on_delete=models.PROTECT,
        related_name="+",
        help_text="Whose history met the pattern: the child or a brother or sister.",
    )
    rule = models.CharField(max_length=30, choices=Rule.choices)
    count = models.PositiveSmallIntegerField()
    window_months = models.PositiveSmallIntegerField()
    summary = models.CharField(max_length=300)

    class Meta:
        ordering = ["id"]
        indexes = [models.Index(fields=["child", "rule"], name="frontdoor_flag_child")]

    def __str__(self) -> str:
        return self.summary


class OversightNote(models.Model):
    """A team manager's oversight of a contact or countersignature of its decision."""

    class Kind(models.TextChoices):
        NOTE = "note", "Oversight note"
        COUNTERSIGNATURE = "countersignature", "Countersignature"

    contact = models.ForeignKey(Contact, on_delete=models.CASCADE, related_name="oversight")
    decision = models.ForeignKey(
        ContactDecision, null=True, blank=True, on_delete=models.PROTECT, related_name="oversight"
    )
    kind = models.CharField(max_length=20, choices=Kind.choices)
    text = models.TextField()
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} by {self.author}"


class ContactDraft(models.Model):
    """What a decision maker or manager has typed on a long form and not yet submitted (the
    decision, a change of decision, oversight), saved as they type so nothing is lost: one
    per person, contact and page, removed when the form is submitted."""

    class Page(models.TextChoices):
        DECISION = "decision", "Threshold decision"
        CHANGE = "change", "Change of decision"
        OVERSIGHT = "oversight", "Oversight"

    contact = models.ForeignKey(Contact, on_delete=models.CASCADE, related_name="drafts")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    page = models.CharField(max_length=20, choices=Page.choices)
    data = models.JSONField(default=dict, help_text="The form's fields as typed.")
    saved_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["contact", "author", "page"], name="frontdoor_draft_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_page_display()} draft by {self.author}"


class PartnerSubmission(models.Model):
    """A partner system's API call that made a contact, by its idempotency key: the same key
    again returns the same contact instead of making a second."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    idempotency_key = models.CharField(max_length=200)
    request_digest = models.CharField(max_length=64)
    contact = models.ForeignKey(Contact, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["user", "idempotency_key"], name="frontdoor_submission_key_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.idempotency_key} -> {self.contact_id}"
