"""The case: the social work with one child in one children in need episode, from allocation
to closure, with its allocation history, visits and closure.

- ``Case`` belongs to one ``frontdoor.Episode`` (the referral). It is made when the team
  manager first allocates the referral; until then the episode waits in the receiving team's
  queue. It holds the clocks that start at the referral (``referral_at``): the first visit is
  due at ``first_visit_due_at`` (rule ``first_visit``, or ``first_visit_urgent`` when the
  episode is urgent), stored when the case opens. ``allocated_at`` and ``first_seen_at`` give
  the time from referral to allocation and to the child being seen. Whether a case is open
  follows from its episode (closed or withdrawn there), never stored twice.
- ``Allocation`` is the Standard Safeguarding Dataset's ``ssd_involvements``: ``worker``
  (``invo_professional_id``), ``team`` (``invo_professional_team``), ``started_at`` and
  ``ended_at`` (``invo_involvement_start_date``/``_end_date``), ``change_reason``
  (``invo_worker_change_reason``). One current allocation per case.
- ``Visit`` is ``ssd_cin_visits``: ``visited_at`` (``cinv_cin_visit_date``), ``child_seen``
  (``cinv_cin_visit_seen``), ``seen_alone`` (``cinv_cin_visit_seen_alone``), ``bedroom_seen``
  (``cinv_cin_visit_bedroom``).
- ``Closure`` is a social worker's proposal to close the episode (date and CIN reason RC1 to
  RC9) and the manager's approval, which closes the episode through
  ``frontdoor.services.episode_close``.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse

from haven.assessment import codes


class CaseQuerySet(models.QuerySet["Case"]):
    def open(self) -> CaseQuerySet:
        """Cases whose episode is neither closed nor withdrawn."""
        return self.filter(episode__closed_on__isnull=True, episode__withdrawn_at__isnull=True)


class Case(models.Model):
    """One child's children in need episode as social work: who holds it and its clocks."""

    episode = models.OneToOneField(
        "frontdoor.Episode", on_delete=models.PROTECT, related_name="case"
    )
    child = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="cases")
    team = models.ForeignKey(
        "accounts.Team", null=True, blank=True, on_delete=models.PROTECT, related_name="cases"
    )
    worker = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="cases",
        help_text="The allocated social worker now (the current allocation's worker).",
    )
    referral_at = models.DateTimeField(help_text="When the referral arrived: the clocks start.")
    allocated_at = models.DateTimeField(
        null=True, blank=True, help_text="When the referral was first allocated to a worker."
    )
    first_visit_due_at = models.DateTimeField()
    first_seen_at = models.DateTimeField(
        null=True, blank=True, help_text="When the child was first seen on a visit."
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = CaseQuerySet.as_manager()

    class Meta:
        ordering = ["-referral_at", "-id"]
        indexes = [
            models.Index(fields=["worker", "-referral_at"], name="assessment_case_worker"),
            models.Index(fields=["team", "-referral_at"], name="assessment_case_team"),
            models.Index(
                fields=["first_visit_due_at"],
                condition=Q(first_seen_at__isnull=True),
                name="assessment_case_unseen",
            ),
        ]
        permissions = [
            ("allocate_case", "Can allocate referrals and cases to social workers"),
            ("work_on_case", "Can record visits, assessments, plans and services on cases"),
            ("propose_closure", "Can propose closing a case"),
            ("approve_closure", "Can approve closing a case"),
        ]

    def __str__(self) -> str:
        return self.reference

    def get_absolute_url(self) -> str:
        return reverse("assessment:case", args=[self.pk])

    @property
    def reference(self) -> str:
        return f"CIN-{self.episode_id:06d}"


class Allocation(models.Model):
    """One worker's time holding a case (SSD ``ssd_involvements``)."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="allocations")
    worker = models.ForeignKey(  # invo_professional_id
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="allocations"
    )
    team = models.ForeignKey(  # invo_professional_team
        "accounts.Team", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    started_at = models.DateTimeField()  # invo_involvement_start_date
    ended_at = models.DateTimeField(null=True, blank=True)  # invo_involvement_end_date
    change_reason = models.CharField(  # invo_worker_change_reason
        max_length=300, blank=True, help_text="Why the case moved to this worker."
    )
    allocated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-started_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["case"],
                condition=Q(ended_at__isnull=True),
                name="assessment_one_current_allocation",
            ),
        ]
        indexes = [
            models.Index(
                fields=["worker"], condition=Q(ended_at__isnull=True), name="assessment_alloc_now"
            )
        ]

    def __str__(self) -> str:
        return f"{self.worker} from {self.started_at:%d %b %Y}"


class Visit(models.Model):
    """A visit to the child (SSD ``ssd_cin_visits``): when, where, whether the child was seen
    (and seen alone, and their bedroom), who was there."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="visits")
    child = models.ForeignKey(  # cinv_person_id
        "people.Person", on_delete=models.PROTECT, related_name="visits"
    )
    visited_at = models.DateTimeField()  # cinv_cin_visit_date
    kind = models.CharField(max_length=10, choices=codes.VisitKind.choices)
    location = models.CharField(max_length=300, blank=True, help_text="Where, in words.")
    child_seen = models.BooleanField()  # cinv_cin_visit_seen
    seen_alone = models.BooleanField(null=True, blank=True)  # cinv_cin_visit_seen_alone
    bedroom_seen = models.BooleanField(null=True, blank=True)  # cinv_cin_visit_bedroom
    not_seen_reason = models.TextField(blank=True)
    present = models.TextField(blank=True, help_text="Who else was there.")
    notes = models.TextField(blank=True)
    worker = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField()

    class Meta:
        ordering = ["-visited_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(child_seen=True)
                | (Q(seen_alone__isnull=True) & ~Q(not_seen_reason="")),
                name="assessment_visit_unseen_has_reason",
            ),
        ]
        indexes = [
            models.Index(fields=["case", "-visited_at"], name="assessment_visit_case"),
            models.Index(fields=["child", "-visited_at"], name="assessment_visit_child"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} on {self.visited_at:%d %b %Y}"

    @property
    def is_home_visit(self) -> bool:
        return self.kind == codes.VisitKind.HOME


class Closure(models.Model):
    """A proposal to close the case's episode, and the manager's decision on it."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="closures")
    closed_on = models.DateField(help_text="The closure date proposed (cine_close_date).")
    reason = models.CharField(max_length=3, choices=codes.ClosureReason.choices)
    summary = models.TextField(help_text="Why the case can close, and what happens next.")
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    proposed_at = models.DateTimeField()
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    approved = models.BooleanField(null=True, blank=True)
    manager_comment = models.TextField(blank=True)

    class Meta:
        ordering = ["-proposed_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["case"],
                condition=Q(decided_at__isnull=True),
                name="assessment_one_pending_closure",
            ),
            models.CheckConstraint(
                condition=Q(decided_at__isnull=True) | Q(approved__isnull=False),
                name="assessment_closure_decided_has_answer",
            ),
        ]
        indexes = [
            models.Index(
                fields=["proposed_at"],
                condition=Q(decided_at__isnull=True),
                name="assessment_closure_pending",
            )
        ]

    def __str__(self) -> str:
        return f"Closure of {self.case} on {self.closed_on:%d %b %Y}"

    @property
    def is_pending(self) -> bool:
        return self.decided_at is None
