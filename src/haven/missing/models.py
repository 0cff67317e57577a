"""Missing episodes and return home interviews.

A *missing episode* is one child going missing and coming back: from a police notification
(the front door's import, type missing) or recorded directly. Each episode has one *return
home interview* record, made with it, whose ``due_at`` is set from the council's timescale
``return_home_interview`` (72 hours) as soon as the return is known. Whether the interview was
done within 72 hours, and its status, follow from its timestamps (UX.md 4): nothing that can
be worked out is stored twice.

Field names follow Data to Insight's Standard Safeguarding Dataset (``ssd_missing``):
``went_missing_at`` is ``miss_missing_episode_start_date``, ``returned_at`` is
``miss_missing_episode_end_date``; the interview's ``offered_at`` and ``not_offered_at`` give
``miss_missing_rhi_offered`` (Y, N) and ``accepted`` gives ``miss_missing_rhi_accepted``.
"""

from __future__ import annotations

from datetime import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse


class PoliceRisk(models.TextChoices):
    """The police risk grading of a missing child (College of Policing)."""

    HIGH = "high", "High"
    MEDIUM = "medium", "Medium"
    LOW = "low", "Low"
    NO_APPARENT_RISK = "no_apparent_risk", "No apparent risk"


class MissingEpisode(models.Model):
    """One child missing, from when they went missing to their return.

    An episode from a police notification keeps the name and date of birth the police gave
    (``given_name``, ``given_date_of_birth``) until it is linked to the child's record; one
    recorded in Haven starts from the child's record. The episode is *open* (the child is
    missing now) until ``returned_at`` is recorded.
    """

    class Source(models.TextChoices):
        POLICE = "police", "Police notification"
        RECORDED = "recorded", "Recorded in Haven"

    child = models.ForeignKey(
        "people.Person",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="missing_episodes",
        help_text="Empty until the child named by the police is linked to their record.",
    )
    given_name = models.CharField(max_length=200, blank=True, help_text="As the police gave it.")
    given_date_of_birth = models.DateField(null=True, blank=True)
    went_missing_at = models.DateTimeField()  # miss_missing_episode_start_date
    reported_at = models.DateTimeField(
        null=True, blank=True, help_text="When the child was reported missing to the police."
    )
    returned_at = models.DateTimeField(null=True, blank=True)  # miss_missing_episode_end_date
    where_found = models.CharField(max_length=500, blank=True)
    circumstances = models.TextField(
        blank=True, help_text="What is known: where from, with whom, the police narrative."
    )
    police_reference = models.CharField(max_length=100, blank=True, db_index=True)
    police_risk = models.CharField(max_length=20, choices=PoliceRisk.choices, blank=True)
    looked_after = models.BooleanField(
        null=True, blank=True, help_text="Looked after when they went missing (None: not known)."
    )
    source = models.CharField(max_length=10, choices=Source.choices)
    notification = models.ForeignKey(
        "frontdoor.PoliceNotification",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="missing_episodes",
    )
    mention = models.ForeignKey(
        "frontdoor.ContactPerson",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="The child as named on the notification's contact.",
    )
    recorded_at = models.DateTimeField()
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-went_missing_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(returned_at__isnull=True)
                | Q(returned_at__gte=models.F("went_missing_at")),
                name="missing_return_after_start",
            ),
            models.CheckConstraint(
                condition=Q(child__isnull=False) | ~Q(given_name=""),
                name="missing_child_or_given_name",
            ),
            models.UniqueConstraint(
                fields=["notification", "given_name"],
                condition=Q(notification__isnull=False),
                name="missing_once_per_named_child",
            ),
        ]
        indexes = [
            models.Index(fields=["child", "-went_missing_at"], name="missing_ep_child"),
            models.Index(fields=["went_missing_at"], name="missing_ep_started"),
            models.Index(
                fields=["went_missing_at"],
                condition=Q(returned_at__isnull=True),
                name="missing_ep_open",
            ),
            models.Index(
                fields=["recorded_at"], condition=Q(child__isnull=True), name="missing_ep_unlinked"
            ),
        ]
        permissions = [
            ("record_missing", "Can record missing episodes and return home interviews"),
            ("view_missing_information", "Can read missing children management information"),
        ]

    def __str__(self) -> str:
        who = self.child.full_name if self.child_id and self.child else self.given_name
        return f"{who} missing {self.went_missing_at:%d %b %Y}"

    def get_absolute_url(self) -> str:
        return reverse("missing:episode", args=[self.pk])

    @property
    def reference(self) -> str:
        return f"M{self.pk:06d}" if self.pk else "New missing episode"

    @property
    def is_open(self) -> bool:
        """The child is missing now: no return recorded."""
        return self.returned_at is None

    @property
    def is_linked(self) -> bool:
        return self.child_id is not None

    @property
    def name(self) -> str:
        if self.child_id is not None and self.child is not None:
            return self.child.full_name
        return self.given_name

    @property
    def hours_missing(self) -> float | None:
        if self.returned_at is None:
            return None
        return (self.returned_at - self.went_missing_at).total_seconds() / 3600


class InterviewStatus(models.TextChoices):
    """Where a return home interview is: derived from its timestamps, never stored."""

    CHILD_MISSING = "child_missing", "Child still missing"
    NOT_OFFERED = "not_offered", "Not offered"
    TO_OFFER = "to_offer", "To offer"
    AWAITING_ANSWER = "awaiting_answer", "Offered, waiting for an answer"
    DECLINED = "declined", "Declined"
    TO_HOLD = "to_hold", "Accepted, to hold"
    DONE = "done", "Done, not on file"
    ON_FILE = "on_file", "On the child's file"


STATUS_COLOURS = {
    InterviewStatus.CHILD_MISSING: "red",
    InterviewStatus.NOT_OFFERED: "grey",
    InterviewStatus.TO_OFFER: "blue",
    InterviewStatus.AWAITING_ANSWER: "light-blue",
    InterviewStatus.DECLINED: "grey",
    InterviewStatus.TO_HOLD: "turquoise",
    InterviewStatus.DONE: "yellow",
    InterviewStatus.ON_FILE: "green",
}

# Interviews still owed to the child: returned, and not done, declined or decided against.
OWED = Q(
    due_at__isnull=False,
    done_at__isnull=True,
    not_offered_at__isnull=True,
) & ~Q(accepted=False)


class ReturnInterview(models.Model):
    """The return home interview for one episode: offered (when, by whom), accepted or
    declined, done (when, by whom), its findings, and when it was placed on the child's file.

    ``due_at`` is the return plus the council's ``return_home_interview`` timescale. The
    interview was done *within 72 hours* when ``done_at <= due_at``. A decision not to offer
    one (the child lives in another council's area, which arranges it) is recorded with its
    reason. Findings that raise exploitation concerns ask for a CSE screening
    (``cse_screening_request_id``).
    """

    episode = models.OneToOneField(
        MissingEpisode, on_delete=models.CASCADE, related_name="interview"
    )
    due_at = models.DateTimeField(null=True, blank=True)
    worker = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="return_interviews",
        help_text="Who is arranging the interview.",
    )
    assigned_at = models.DateTimeField(null=True, blank=True)

    offered_at = models.DateTimeField(null=True, blank=True)
    offered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    offered_by_name = models.CharField(max_length=200, blank=True)
    accepted = models.BooleanField(null=True, blank=True)
    declined_reason = models.TextField(blank=True)
    not_offered_at = models.DateTimeField(null=True, blank=True)
    not_offered_reason = models.TextField(blank=True)

    done_at = models.DateTimeField(null=True, blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    done_by_name = models.CharField(max_length=200, blank=True)
    push_factors = models.TextField(blank=True, help_text="What made the child leave.")
    pull_factors = models.TextField(blank=True, help_text="What drew the child away.")
    where_and_with_whom = models.TextField(blank=True)
    exploitation_concerns = models.BooleanField(null=True, blank=True)
    exploitation_detail = models.TextField(blank=True)
    next_steps = models.TextField(blank=True, help_text="What happens next, and who does it.")
    cse_screening_request_id = models.PositiveIntegerField(null=True, blank=True)

    placed_on_file_at = models.DateTimeField(null=True, blank=True)
    placed_on_file_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["due_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(done_at__isnull=True) | Q(offered_at__isnull=False, accepted=True),
                name="missing_done_was_offered_and_accepted",
            ),
            models.CheckConstraint(
                condition=Q(placed_on_file_at__isnull=True) | Q(done_at__isnull=False),
                name="missing_on_file_was_done",
            ),
            models.CheckConstraint(
                condition=Q(not_offered_at__isnull=True) | Q(offered_at__isnull=True),
                name="missing_offered_or_not",
            ),
        ]
        indexes = [
            models.Index(fields=["due_at"], condition=OWED, name="missing_rhi_owed"),
            models.Index(
                fields=["worker", "due_at"], condition=OWED, name="missing_rhi_owed_worker"
            ),
            models.Index(
                fields=["done_at"],
                condition=Q(done_at__isnull=False, placed_on_file_at__isnull=True),
                name="missing_rhi_to_file",
            ),
        ]

    def __str__(self) -> str:
        return f"Return home interview for {self.episode}"

    def get_absolute_url(self) -> str:
        return f"{reverse('missing:episode', args=[self.episode_id])}#interview"

    @property
    def status(self) -> InterviewStatus:  # noqa: PLR0911 - one answer per state
        if self.placed_on_file_at is not None:
            return InterviewStatus.ON_FILE
        if self.done_at is not None:
            return InterviewStatus.DONE
        if self.not_offered_at is not None:
            return InterviewStatus.NOT_OFFERED
        if self.due_at is None:
            return InterviewStatus.CHILD_MISSING
        if self.offered_at is None:
            return InterviewStatus.TO_OFFER
        if self.accepted is None:
            return InterviewStatus.AWAITING_ANSWER
        if self.accepted is False:
            return InterviewStatus.DECLINED
        return InterviewStatus.TO_HOLD

    @property
    def status_colour(self) -> str:
        return STATUS_COLOURS[self.status]

    @property
    def is_owed(self) -> bool:
        """Still owed to the child: on the queue of interviews due."""
        return self.status in (
            InterviewStatus.TO_OFFER,
            InterviewStatus.AWAITING_ANSWER,
            InterviewStatus.TO_HOLD,
        )

    @property
    def done_in_time(self) -> bool | None:
        """Done within 72 hours of the return (the council's timescale); None if not done."""
        if self.done_at is None or self.due_at is None:
            return None
        return self.done_at <= self.due_at

    @property
    def is_late(self) -> bool:
        return self.done_in_time is False

    def hours_after_return(self, returned_at: datetime | None) -> float | None:
        if self.done_at is None or returned_at is None:
            return None
        return (self.done_at - returned_at).total_seconds() / 3600

    @property
    def offered_by_label(self) -> str:
        return self.offered_by_name or (self.offered_by.full_name if self.offered_by else "")

    @property
    def done_by_label(self) -> str:
        return self.done_by_name or (self.done_by.full_name if self.done_by else "")
