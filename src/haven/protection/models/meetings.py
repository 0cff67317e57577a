"""Multi-agency meetings: one general type for every meeting that considers children referred
to it at a risk level, from a waiting list, within a timescale set by that risk level.

- ``MeetingKind`` is configuration (seeded, edited by administrators): the medium-risk
  multi-agency meeting now; the exploitation app adds MASE by a data migration of its own. Its
  ``timescales`` say which ``core.timescales`` rule sets the target date at each risk level.
- ``MeetingReferral`` is a child on the waiting list: risk level, date referred, target date
  (stored when referred), the meeting they are scheduled for, when they were considered.
  Days waiting follow from the dates.
- ``Meeting`` is the meeting record: when, who chaired, who attended; each child considered is
  a ``MeetingConsideration`` with its outcome and ``MeetingAction`` rows.

Other apps attach their own sections to a consideration (MASE's victim, offender, locations
and trends) with a one-to-one model of their own and ``protection.meetings.register_section``;
see docs/adr/0301-multi-agency-meetings.md.
"""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from haven.protection import codes
from haven.protection.models.actions import TrackedAction


class MeetingKind(models.Model):
    """A kind of multi-agency meeting, as the council runs it."""

    key = models.SlugField(max_length=40, unique=True, help_text="What the code asks for.")
    name = models.CharField(max_length=200)
    short_name = models.CharField(max_length=40, help_text="Used in lists, like 'MRM'.")
    description = models.TextField(blank=True)
    team = models.ForeignKey(
        "accounts.Team",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="meeting_kinds",
        help_text="The team that runs these meetings: its Team work shows the waiting list.",
    )
    is_active = models.BooleanField(default=True)
    order = models.PositiveSmallIntegerField(default=100)

    class Meta:
        ordering = ["order", "name"]
        permissions = [
            ("refer_to_meeting", "Can refer children to multi-agency meetings"),
            ("manage_meeting", "Can schedule and record multi-agency meetings"),
        ]

    def __str__(self) -> str:
        return self.name

    def timescale_key_for(self, risk_level: str) -> str | None:
        """The timescale rule for a risk level (None: this kind does not take that level)."""
        for rule in self.timescales.all():
            if rule.risk_level == risk_level:
                return rule.timescale_key
        return None

    @property
    def risk_levels(self) -> list[str]:
        return [rule.risk_level for rule in self.timescales.all()]


class MeetingKindTimescale(models.Model):
    """At this risk level, a child referred to this kind of meeting is due to be considered
    within the ``core.Timescale`` rule named by ``timescale_key``."""

    kind = models.ForeignKey(MeetingKind, on_delete=models.CASCADE, related_name="timescales")
    risk_level = models.CharField(max_length=10, choices=codes.RiskLevel.choices)
    timescale_key = models.SlugField(max_length=60)

    class Meta:
        ordering = ["kind", "risk_level"]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "risk_level"], name="protection_kind_level_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.kind.short_name} {self.get_risk_level_display()}: {self.timescale_key}"

    def clean(self) -> None:
        from django.core.exceptions import ValidationError

        from haven.core.models import Timescale
        from haven.core.timescales import DEFAULTS

        known = {rule.key for rule in DEFAULTS} | set(
            Timescale.objects.values_list("key", flat=True)
        )
        if self.timescale_key not in known:
            raise ValidationError(
                {"timescale_key": "Enter the key of a timescale, like medium_risk_meeting"}
            )


class Meeting(models.Model):
    """One multi-agency meeting: planned for a moment, recorded when it has been held."""

    kind = models.ForeignKey(MeetingKind, on_delete=models.PROTECT, related_name="meetings")
    scheduled_for = models.DateTimeField()
    method = models.CharField(max_length=10, choices=codes.Method.choices)
    location = models.CharField(max_length=200, blank=True)
    chair = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    notes = models.TextField(blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    recorded_at = models.DateTimeField(
        null=True, blank=True, help_text="When the record of the held meeting was finished."
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    cancelled_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-scheduled_for", "-id"]
        indexes = [models.Index(fields=["kind", "-scheduled_for"], name="protection_meeting_kind")]

    def __str__(self) -> str:
        local = timezone.localtime(self.scheduled_for)
        return f"{self.kind.short_name} {local:%d %b %Y %H:%M}"

    def get_absolute_url(self) -> str:
        return reverse("protection:meeting", args=[self.pk])

    @property
    def is_recorded(self) -> bool:
        return self.recorded_at is not None


class MeetingReferral(models.Model):
    """A child on a meeting's waiting list."""

    kind = models.ForeignKey(MeetingKind, on_delete=models.PROTECT, related_name="referrals")
    child = models.ForeignKey(
        "people.Person", on_delete=models.PROTECT, related_name="meeting_referrals"
    )
    episode = models.ForeignKey(
        "frontdoor.Episode", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    discussion = models.ForeignKey(
        "protection.StrategyDiscussion",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="meeting_referrals",
        help_text="The strategy discussion that referred the child, if one did.",
    )
    risk_level = models.CharField(max_length=10, choices=codes.RiskLevel.choices)
    reason = models.TextField()
    referred_at = models.DateTimeField()
    referred_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    due_at = models.DateTimeField(help_text="The target: from the kind's rule for the risk level.")
    meeting = models.ForeignKey(
        Meeting, null=True, blank=True, on_delete=models.PROTECT, related_name="referrals"
    )
    scheduled_at = models.DateTimeField(null=True, blank=True)
    considered_at = models.DateTimeField(null=True, blank=True)
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    withdrawn_reason = models.TextField(blank=True)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["referred_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "child"],
                condition=Q(considered_at__isnull=True, withdrawn_at__isnull=True),
                name="protection_one_waiting_referral",
            )
        ]
        indexes = [
            models.Index(
                fields=["kind", "due_at"],
                condition=Q(considered_at__isnull=True, withdrawn_at__isnull=True),
                name="protection_referral_waiting",
            ),
            models.Index(fields=["kind", "referred_at"], name="protection_referral_referred"),
            models.Index(fields=["child", "-referred_at"], name="protection_referral_child"),
        ]

    def __str__(self) -> str:
        return f"{self.child} referred to {self.kind.short_name}"

    @property
    def is_waiting(self) -> bool:
        return self.considered_at is None and self.withdrawn_at is None

    @property
    def referred_on(self) -> date:
        return timezone.localtime(self.referred_at).date()

    @property
    def target_date(self) -> date:
        return timezone.localtime(self.due_at).date()

    @property
    def scheduled_on(self) -> date | None:
        if self.meeting_id is None or self.meeting is None:
            return None
        return timezone.localtime(self.meeting.scheduled_for).date()

    def days_waiting(self, today: date | None = None) -> int:
        """Calendar days from referral to consideration (or to today, still waiting)."""
        if self.considered_at is not None:
            end = timezone.localtime(self.considered_at).date()
        elif self.withdrawn_at is not None:
            end = timezone.localtime(self.withdrawn_at).date()
        else:
            end = today or timezone.localdate()
        return max(0, (end - self.referred_on).days)


class MeetingAttendee(models.Model):
    """Someone at (or invited to) a meeting."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="attendees")
    name = models.CharField(max_length=200)
    role = models.CharField(max_length=20, choices=codes.AgencyRole.choices)
    organisation = models.CharField(max_length=200, blank=True)
    agency = models.ForeignKey(
        "accounts.Agency", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    attendance = models.CharField(
        max_length=20,
        choices=[(a.value, a.label) for a in codes.INVITED],
        default=codes.Attendance.ATTENDED,
    )

    class Meta:
        ordering = ["role", "name", "id"]

    def __str__(self) -> str:
        return f"{self.name} ({self.get_role_display()})"


class MeetingConsideration(models.Model):
    """One child considered at a meeting: the risk as the meeting saw it, the outcome, the
    actions. Another app's sections for the child (MASE's VOLT) hang off this by one-to-one."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="considerations")
    referral = models.OneToOneField(
        MeetingReferral, on_delete=models.PROTECT, related_name="consideration"
    )
    child = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="+")
    risk_level = models.CharField(max_length=10, choices=codes.RiskLevel.choices)
    outcome = models.CharField(max_length=20, choices=codes.MeetingOutcome.choices)
    discussion_summary = models.TextField()
    recorded_at = models.DateTimeField(default=timezone.now)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["id"]
        indexes = [models.Index(fields=["child", "meeting"], name="protection_consideration")]

    def __str__(self) -> str:
        return f"{self.child} at {self.meeting}"


class MeetingAction(TrackedAction):
    """An action agreed for one child at a meeting."""

    consideration = models.ForeignKey(
        MeetingConsideration, on_delete=models.CASCADE, related_name="actions"
    )

    class Meta:
        ordering = ["due_on", "id"]
        indexes = [
            models.Index(
                fields=["owner_user", "due_on"],
                condition=Q(done_on__isnull=True),
                name="protection_mtg_action_mine",
            ),
        ]
