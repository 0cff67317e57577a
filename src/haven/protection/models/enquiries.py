"""Section 47 enquiries, initial child protection conferences, child protection plans and
their review conferences: what the CIN census and Annex A need, named as in the Standard
Safeguarding Dataset.

- ``Section47Enquiry`` is ``ssd_s47_enquiry``: ``start_date`` (``s47e_s47_start_date``, the
  strategy discussion's date), ``end_date`` (``s47e_s47_end_date``), ``conference_needed`` (the
  ``CP_CONFERENCE_FLAG`` of ``s47e_s47_outcome_json``), ``completed_by_team`` and
  ``completed_by`` (``s47e_s47_completed_by_team``/``_worker``), ``episode``
  (``s47e_referral_id``).
- ``InitialConference`` is ``ssd_initial_cp_conference``: ``target_date``
  (``icpc_icpc_target_date``, 15 working days after the strategy discussion), ``held_on``
  (``icpc_icpc_date``), ``plan_needed`` (``icpc_icpc_outcome_cp_flag``), ``transfer_in``.
- ``ChildProtectionPlan`` is ``ssd_cp_plans``: ``start_date``, ``end_date``,
  ``initial_category`` and ``latest_category`` (CIN codes NEG, PHY, SAB, EMO, MUL).
- ``PlanReview`` is ``ssd_cp_reviews``: ``due_date`` (``cppr_cp_review_due``), ``held_on``
  (``cppr_cp_review_date``), ``continue_plan`` (``cppr_cp_review_outcome_continue_cp``).

Deadlines are stored when a record opens: an enquiry's ``conference_due_at`` from the rule
``initial_conference``; a plan's first review from ``first_review_conference``, each later one
from ``review_conference``.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse

from haven.protection import codes


class Section47Enquiry(models.Model):
    """A section 47 enquiry about one child, started by a strategy discussion."""

    child = models.ForeignKey(
        "people.Person", on_delete=models.PROTECT, related_name="section47_enquiries"
    )
    discussion = models.ForeignKey(
        "protection.StrategyDiscussion", on_delete=models.PROTECT, related_name="enquiries"
    )
    episode = models.ForeignKey(
        "frontdoor.Episode",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="section47_enquiries",
    )
    is_joint = models.BooleanField(default=False, help_text="Joint with the police.")
    start_date = models.DateField()  # s47e_s47_start_date
    conference_due_at = models.DateTimeField(
        help_text="15 working days from the strategy discussion (rule initial_conference)."
    )
    team = models.ForeignKey(
        "accounts.Team", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    worker = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="section47_enquiries",
        help_text="The social worker leading the enquiry.",
    )
    end_date = models.DateField(null=True, blank=True)  # s47e_s47_end_date
    concerns_substantiated = models.BooleanField(null=True, blank=True)
    conference_needed = models.BooleanField(null=True, blank=True)  # CP_CONFERENCE_FLAG
    outcome_detail = models.TextField(blank=True)
    completed_by = models.ForeignKey(  # s47e_s47_completed_by_worker
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    completed_by_team = models.ForeignKey(  # s47e_s47_completed_by_team
        "accounts.Team", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    concluded_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-start_date", "-id"]
        verbose_name = "section 47 enquiry"
        verbose_name_plural = "section 47 enquiries"
        constraints = [
            models.UniqueConstraint(
                fields=["discussion", "child"], name="protection_s47_once_per_discussion"
            ),
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=models.F("start_date")),
                name="protection_s47_ends_after_start",
            ),
        ]
        indexes = [
            models.Index(fields=["child", "-start_date"], name="protection_s47_child"),
            models.Index(
                fields=["team", "conference_due_at"],
                condition=Q(end_date__isnull=True),
                name="protection_s47_open_team",
            ),
            models.Index(fields=["start_date"], name="protection_s47_start"),
        ]
        permissions = [
            ("record_child_protection", "Can record section 47 enquiries, conferences and plans"),
        ]

    def __str__(self) -> str:
        return self.reference

    def get_absolute_url(self) -> str:
        return reverse("protection:enquiry", args=[self.pk])

    @property
    def reference(self) -> str:
        return f"S47-{self.pk:06d}" if self.pk else "New section 47 enquiry"

    @property
    def is_open(self) -> bool:
        return self.end_date is None


class InitialConference(models.Model):
    """The initial child protection conference for one child after a section 47 enquiry."""

    enquiry = models.OneToOneField(
        Section47Enquiry,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="conference",
    )
    child = models.ForeignKey(
        "people.Person", on_delete=models.PROTECT, related_name="initial_conferences"
    )
    episode = models.ForeignKey(
        "frontdoor.Episode", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    transfer_in = models.BooleanField(
        default=False, help_text="A transfer-in conference for a child moving from another area."
    )
    target_date = models.DateField()  # icpc_icpc_target_date
    due_at = models.DateTimeField(help_text="The target as a moment, for queues.")
    team = models.ForeignKey(
        "accounts.Team", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    worker = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    held_on = models.DateField(null=True, blank=True)  # icpc_icpc_date
    plan_needed = models.BooleanField(null=True, blank=True)  # icpc_icpc_outcome_cp_flag
    category = models.CharField(
        "initial category of abuse",
        max_length=3,
        choices=codes.CategoryOfAbuse.choices,
        blank=True,
    )
    chair_name = models.CharField(max_length=200, blank=True)
    outcome_detail = models.TextField(blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["target_date", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(plan_needed__isnull=True) | Q(held_on__isnull=False),
                name="protection_icpc_outcome_when_held",
            ),
            models.CheckConstraint(
                condition=~Q(plan_needed=True) | ~Q(category=""),
                name="protection_icpc_plan_has_category",
            ),
        ]
        indexes = [
            models.Index(
                fields=["team", "due_at"],
                condition=Q(held_on__isnull=True),
                name="protection_icpc_due_team",
            ),
            models.Index(fields=["held_on"], name="protection_icpc_held"),
        ]

    def __str__(self) -> str:
        return f"Initial conference for {self.child}"

    def get_absolute_url(self) -> str:
        if self.enquiry_id:
            return reverse("protection:enquiry", args=[self.enquiry_id])
        return reverse("protection:plans")

    @property
    def within_timescale(self) -> bool | None:
        """Held on or before its target date (None while not held)."""
        if self.held_on is None:
            return None
        return self.held_on <= self.target_date


class ChildProtectionPlan(models.Model):
    """A child protection plan, from the conference that started it to the one that ended it."""

    child = models.ForeignKey(
        "people.Person", on_delete=models.PROTECT, related_name="protection_plans"
    )
    conference = models.OneToOneField(  # cppl_icpc_id
        InitialConference,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="plan",
    )
    episode = models.ForeignKey(  # cppl_referral_id
        "frontdoor.Episode",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="protection_plans",
    )
    start_date = models.DateField()  # cppl_cp_plan_start_date
    end_date = models.DateField(null=True, blank=True)  # cppl_cp_plan_end_date
    end_reason = models.TextField(blank=True)
    initial_category = models.CharField(  # cppl_cp_plan_initial_category
        max_length=3, choices=codes.CategoryOfAbuse.choices
    )
    latest_category = models.CharField(  # cppl_cp_plan_latest_category
        max_length=3, choices=codes.CategoryOfAbuse.choices
    )
    team = models.ForeignKey(  # cppl_cp_plan_team
        "accounts.Team", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    worker = models.ForeignKey(  # cppl_cp_plan_worker_id
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-start_date", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["child"],
                condition=Q(end_date__isnull=True),
                name="protection_one_current_plan",
            ),
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=models.F("start_date")),
                name="protection_plan_ends_after_start",
            ),
        ]
        indexes = [
            models.Index(fields=["child", "-start_date"], name="protection_plan_child"),
            models.Index(fields=["start_date"], name="protection_plan_start"),
            models.Index(fields=["end_date"], name="protection_plan_end"),
        ]

    def __str__(self) -> str:
        return f"Child protection plan for {self.child} from {self.start_date:%d %b %Y}"

    def get_absolute_url(self) -> str:
        return reverse("protection:plan", args=[self.pk])

    @property
    def is_current(self) -> bool:
        return self.end_date is None


class PlanReview(models.Model):
    """A review child protection conference: due when the plan (or the last review) set it,
    held when it was. A plan always has one review not yet held while it is current."""

    plan = models.ForeignKey(ChildProtectionPlan, on_delete=models.CASCADE, related_name="reviews")
    child = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="+")
    is_first = models.BooleanField(default=False)
    due_date = models.DateField()  # cppr_cp_review_due
    due_at = models.DateTimeField(help_text="The due date as a moment, for queues.")
    held_on = models.DateField(null=True, blank=True)  # cppr_cp_review_date
    continue_plan = models.BooleanField(null=True, blank=True)  # ..._outcome_continue_cp
    category = models.CharField(
        "category of abuse after the review",
        max_length=3,
        choices=codes.CategoryOfAbuse.choices,
        blank=True,
    )
    quorate = models.BooleanField(null=True, blank=True)  # cppr_cp_review_quorate
    notes = models.TextField(blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["due_date", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["plan"],
                condition=Q(held_on__isnull=True),
                name="protection_one_review_due",
            ),
        ]
        indexes = [
            models.Index(
                fields=["due_at"], condition=Q(held_on__isnull=True), name="protection_review_due"
            ),
        ]

    def __str__(self) -> str:
        return f"Review due {self.due_date:%d %b %Y}"

    @property
    def within_timescale(self) -> bool | None:
        if self.held_on is None:
            return None
        return self.held_on <= self.due_date
