"""An agreed action with an owner, a due date and a done date: the shape shared by strategy
discussion actions and multi-agency meeting actions (and any later meeting type's)."""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.db import models
from django.utils import timezone

from haven.protection import codes


class TrackedAction(models.Model):
    """What is to be done, by which agency and person, by when; done when, with a note.

    ``owner_agency`` is the partner organisation (whose users may mark it done when the record
    is shared with them); ``owner_user`` a member of staff, whose "My work" shows it. Status
    follows from the dates: done, overdue (due before today and not done), or open.
    """

    description = models.TextField()
    owner_role = models.CharField(max_length=20, choices=codes.AgencyRole.choices)
    owner_agency = models.ForeignKey(
        "accounts.Agency", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    owner_name = models.CharField(
        max_length=200, blank=True, help_text="The person who will do it."
    )
    owner_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="For a member of staff: shown in their My work.",
    )
    due_on = models.DateField()
    done_on = models.DateField(null=True, blank=True)
    done_note = models.TextField(blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    done_recorded_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.description[:80]

    @property
    def is_done(self) -> bool:
        return self.done_on is not None

    def is_overdue(self, today: date | None = None) -> bool:
        return not self.is_done and self.due_on < (today or timezone.localdate())

    @property
    def owner_label(self) -> str:
        who = self.owner_name or (self.owner_user.full_name if self.owner_user is not None else "")
        agency = str(self.owner_agency) if self.owner_agency_id else self.get_owner_role_display()
        return f"{who} ({agency})" if who else agency
