"""A child's children-in-need episode, from referral to closure.

Opened by a threshold decision that refers the child (``services.episode_open``), closed by
the assessment and planning work that follows (``services.episode_close``). Later apps
(strategy discussions, assessments, plans) link their records to it. Field names follow the
Standard Safeguarding Dataset's ``ssd_cin_episodes``: ``referral_date`` is
``cine_referral_date``, ``referral_source`` is ``cine_referral_source``, ``primary_need`` is
``cine_cin_primary_need``, ``receiving_team`` is ``cine_referral_team``, ``closed_on`` and
``closure_reason`` are ``cine_close_date`` and ``cine_close_reason``.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from haven.frontdoor import codes


class EpisodeQuerySet(models.QuerySet["Episode"]):
    def current(self) -> EpisodeQuerySet:
        """Episodes that stand: not withdrawn because the decision that opened them changed."""
        return self.filter(withdrawn_at__isnull=True)

    def open(self) -> EpisodeQuerySet:
        return self.current().filter(closed_on__isnull=True)


class Episode(models.Model):
    """One CIN episode for one child. ``is_rereferral`` follows the DfE's children in need
    definition (ADR 0201): the referral came within 12 months of the child's previous
    referral, counted from that referral's date, not from its episode's closure; worked out
    when it opens.

    At most one open episode per child (a database constraint)."""

    child = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="episodes")
    contact = models.ForeignKey(
        "frontdoor.Contact",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="episodes",
    )
    decision = models.ForeignKey(
        "frontdoor.ContactDecision",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="episodes",
    )
    referral_date = models.DateField()  # cine_referral_date
    referral_source = models.CharField(  # cine_referral_source
        max_length=3, choices=codes.ReferralSource.choices
    )
    primary_need = models.CharField(  # cine_cin_primary_need
        max_length=2, choices=codes.PrimaryNeed.choices
    )
    receiving_team = models.ForeignKey(  # cine_referral_team
        "accounts.Team", null=True, blank=True, on_delete=models.PROTECT, related_name="episodes"
    )
    is_urgent = models.BooleanField(
        default=False, help_text="Opened for a strategy discussion about immediate risk."
    )
    is_rereferral = models.BooleanField(default=False)
    previous_episode = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    opened_at = models.DateTimeField()
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    closed_on = models.DateField(null=True, blank=True)  # cine_close_date
    closure_reason = models.CharField(  # cine_close_reason
        max_length=3, choices=codes.ClosureReason.choices, blank=True
    )
    closed_at = models.DateTimeField(null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    withdrawn_at = models.DateTimeField(
        null=True,
        blank=True,
        help_text="The decision that opened it was changed: kept for audit, not returned.",
    )
    withdrawn_reason = models.TextField(blank=True)

    objects = EpisodeQuerySet.as_manager()

    class Meta:
        ordering = ["-referral_date", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["child"],
                condition=Q(closed_on__isnull=True, withdrawn_at__isnull=True),
                name="frontdoor_one_open_episode",
            ),
            models.CheckConstraint(
                condition=Q(closed_on__isnull=True) | ~Q(closure_reason=""),
                name="frontdoor_episode_closed_with_reason",
            ),
        ]
        indexes = [
            models.Index(fields=["child", "-referral_date"], name="frontdoor_episode_child"),
            models.Index(fields=["receiving_team", "closed_on"], name="frontdoor_episode_team"),
        ]

    def __str__(self) -> str:
        return f"Episode from {self.referral_date:%d %b %Y} for {self.child}"

    @property
    def is_open(self) -> bool:
        return self.closed_on is None and self.withdrawn_at is None
