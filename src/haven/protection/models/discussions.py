"""Strategy discussions: one shared record of who took part, what each agency shared, what was
decided and why, and the actions agreed, with their owners and due and done dates.

A discussion starts as a draft (saved step by step, so nothing typed is lost) and is
*recorded* when its recorder finishes it (``completed_at``). Only a recorded discussion is
shared with the partner agencies invited to it. ``version`` goes up with every change, and is
printed on the PDF with the moment of that version.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse

from haven.protection import codes
from haven.protection.models.actions import TrackedAction


class StrategyDiscussion(models.Model):
    """A strategy discussion about one or more children (brothers and sisters together)."""

    origin = models.CharField(max_length=20, choices=codes.Origin.choices)
    contact = models.ForeignKey(
        "frontdoor.Contact",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="strategy_discussions",
    )
    decision_at_front_door = models.ForeignKey(
        "frontdoor.ContactDecision",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="strategy_discussions",
        help_text="The threshold decision that asked for this discussion.",
    )
    held_at = models.DateTimeField(help_text="When the discussion took place.")
    method = models.CharField(max_length=10, choices=codes.Method.choices)
    is_formal = models.BooleanField(
        help_text="Whether this was a formal strategy discussion: always asked, and never "
        "left unanswered (the letter found out-of-hours records that did not say)."
    )
    is_out_of_hours = models.BooleanField(default=False)
    chair = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="chaired_discussions",
    )
    team = models.ForeignKey(
        "accounts.Team",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="strategy_discussions",
        help_text="The team whose queue shows it: the team that will receive the child.",
    )
    decision = models.CharField(max_length=20, choices=codes.Decision.choices, blank=True)
    rationale = models.TextField(blank=True)
    next_step = models.CharField(max_length=25, choices=codes.NextStep.choices, blank=True)
    next_step_detail = models.TextField(blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    completed_at = models.DateTimeField(
        null=True, blank=True, help_text="When the record was finished and shared."
    )
    version = models.PositiveIntegerField(default=1)
    version_at = models.DateTimeField(help_text="When the current version was made.")

    class Meta:
        ordering = ["-held_at", "-id"]
        indexes = [
            models.Index(fields=["team", "-held_at"], name="protection_sd_team"),
            models.Index(fields=["chair", "-held_at"], name="protection_sd_chair"),
            models.Index(fields=["-held_at"], name="protection_sd_held"),
        ]
        permissions = [
            ("record_strategy_discussion", "Can record strategy discussions"),
            ("chair_strategy_discussion", "Can chair strategy discussions"),
            ("view_shared_discussion", "Can see strategy discussions shared with their agency"),
            ("complete_partner_action", "Can mark their own agency's actions done"),
        ]

    def __str__(self) -> str:
        return self.reference

    def get_absolute_url(self) -> str:
        return reverse("protection:discussion", args=[self.pk])

    @property
    def reference(self) -> str:
        return f"SD{self.pk:06d}" if self.pk else "New strategy discussion"

    @property
    def is_recorded(self) -> bool:
        return self.completed_at is not None

    @property
    def is_section47(self) -> bool:
        return self.decision in codes.S47_DECISIONS


class DiscussionChild(models.Model):
    """A child the discussion is about. The name and date of birth are kept as they were on the
    record when the child was added: that is what a partner sees, and what the PDF prints."""

    discussion = models.ForeignKey(
        StrategyDiscussion, on_delete=models.CASCADE, related_name="subjects"
    )
    child = models.ForeignKey(
        "people.Person", on_delete=models.PROTECT, related_name="strategy_discussion_links"
    )
    episode = models.ForeignKey(
        "frontdoor.Episode",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="strategy_discussion_links",
    )
    name = models.CharField(max_length=200)
    date_of_birth = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["date_of_birth", "id"]
        constraints = [
            models.UniqueConstraint(fields=["discussion", "child"], name="protection_sd_child_once")
        ]
        indexes = [models.Index(fields=["child", "discussion"], name="protection_sd_child")]

    def __str__(self) -> str:
        return self.name


class DiscussionAgency(models.Model):
    """One agency's line on the record: invited or not (and why not), who came, what they
    shared. ``agency`` names the partner organisation, whose users then see the record."""

    discussion = models.ForeignKey(
        StrategyDiscussion, on_delete=models.CASCADE, related_name="agencies"
    )
    role = models.CharField(max_length=20, choices=codes.AgencyRole.choices)
    agency = models.ForeignKey(
        "accounts.Agency",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="strategy_discussion_lines",
    )
    name = models.CharField(
        max_length=200, blank=True, help_text="The organisation, when not a partner in Haven."
    )
    attendance = models.CharField(max_length=20, choices=codes.Attendance.choices)
    attendees = models.CharField(max_length=500, blank=True, help_text="Who took part.")
    not_invited_reason = models.TextField(blank=True)
    information_shared = models.TextField(blank=True)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(
                fields=["discussion", "role"],
                condition=~Q(role="other"),
                name="protection_sd_agency_role_once",
            ),
            models.CheckConstraint(
                condition=~Q(attendance="not_invited") | ~Q(not_invited_reason=""),
                name="protection_sd_not_invited_has_reason",
            ),
        ]
        indexes = [models.Index(fields=["agency", "discussion"], name="protection_sd_agency")]

    def __str__(self) -> str:
        return f"{self.label}: {self.get_attendance_display()}"

    @property
    def label(self) -> str:
        if self.agency_id:
            return str(self.agency)
        return self.name or self.get_role_display()

    @property
    def is_invited(self) -> bool:
        return self.attendance in codes.INVITED


class DiscussionAction(TrackedAction):
    """An action agreed at a strategy discussion."""

    discussion = models.ForeignKey(
        StrategyDiscussion, on_delete=models.CASCADE, related_name="actions"
    )

    class Meta:
        ordering = ["due_on", "id"]
        indexes = [
            models.Index(
                fields=["discussion", "due_on"],
                condition=Q(done_on__isnull=True),
                name="protection_sd_action_open",
            ),
            models.Index(
                fields=["owner_user", "due_on"],
                condition=Q(done_on__isnull=True),
                name="protection_sd_action_mine",
            ),
        ]
