"""People: children and adults, their names, addresses, school and relationships, the search
keys that find them, and each child's chronology.

Field names and meanings follow Data to Insight's Standard Safeguarding Dataset (``ssd_person``,
``ssd_address``, ``ssd_family``); codes are the DfE CIN census codes (``people.codes``).
"""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone

from haven.core.models import TimeStampedModel
from haven.people import codes


class Ward(models.Model):
    """An electoral ward of the council's area: addresses are counted by it."""

    code = models.CharField(max_length=9, unique=True, help_text="ONS ward code, like E05011118.")
    name = models.CharField(max_length=100)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Postcode(models.Model):
    """Which ward a postcode lies in: an address's ward follows from its postcode."""

    postcode = models.CharField(max_length=8, unique=True)
    ward = models.ForeignKey(Ward, on_delete=models.CASCADE, related_name="postcodes")

    class Meta:
        ordering = ["postcode"]

    def __str__(self) -> str:
        return self.postcode


class School(models.Model):
    """A school, by its unique reference number (URN) from Get Information about Schools."""

    urn = models.CharField("URN", max_length=8, unique=True)
    name = models.CharField(max_length=200)
    phase = models.CharField(max_length=20, choices=codes.SchoolPhase.choices)
    postcode = models.CharField(max_length=8, blank=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return f"{self.name} (URN {self.urn})"


class PersonQuerySet(models.QuerySet["Person"]):
    def current(self) -> PersonQuerySet:
        """Records in use: not merged into another."""
        return self.filter(merged_into__isnull=True)


class Person(TimeStampedModel):
    """A child or an adult known to children's services (SSD ``ssd_person``).

    A child has a date of birth or, unborn, an expected one. The NHS number and UPN are
    checked when entered; the LA ID (``pers_person_id``) is generated, up to 20 letters and
    digits. A restricted record needs a reason to open. A merged record keeps its row, pointing
    at the record it was merged into, so the merge can be undone.
    """

    la_id = models.CharField("LA ID", max_length=20, unique=True)
    kind = models.CharField(
        max_length=10, choices=codes.PersonKind.choices, default=codes.PersonKind.CHILD
    )
    first_name = models.CharField(max_length=100)
    middle_names = models.CharField(max_length=200, blank=True)
    last_name = models.CharField(max_length=100)
    preferred_name = models.CharField("Known as", max_length=100, blank=True)
    date_of_birth = models.DateField(null=True, blank=True)  # pers_dob
    expected_date_of_birth = models.DateField(null=True, blank=True)  # pers_expected_dob
    date_of_death = models.DateField(null=True, blank=True)  # pers_death_date
    sex = models.CharField(max_length=1, choices=codes.Sex.choices, default=codes.Sex.UNKNOWN)
    gender = models.CharField(
        max_length=2, choices=codes.Gender.choices, default=codes.Gender.NOT_KNOWN
    )
    ethnicity = models.CharField(
        max_length=4, choices=codes.Ethnicity.choices, default=codes.Ethnicity.NOBT
    )
    disabilities = models.JSONField(
        default=list, blank=True, help_text="CIN census disability codes."
    )
    first_language = models.CharField(max_length=100, blank=True)
    nhs_number = models.CharField("NHS number", max_length=10, blank=True, db_index=True)
    upn = models.CharField("UPN", max_length=13, blank=True, db_index=True)
    school = models.ForeignKey(
        School, null=True, blank=True, on_delete=models.SET_NULL, related_name="pupils"
    )
    is_restricted = models.BooleanField(
        "Restricted",
        default=False,
        help_text="Opening the record asks for a reason, which is audited.",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    merged_into = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="merged_from"
    )

    objects = PersonQuerySet.as_manager()

    class Meta:
        ordering = ["last_name", "first_name"]
        indexes = [
            models.Index(fields=["last_name", "first_name"]),
            models.Index(fields=["date_of_birth"]),
        ]
        permissions = [("merge_persons", "Can merge duplicate person records")]

    def __str__(self) -> str:
        return self.full_name

    def get_absolute_url(self) -> str:
        return reverse("people:person", args=[self.pk])

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()

    @property
    def is_unborn(self) -> bool:
        return self.date_of_birth is None and self.expected_date_of_birth is not None

    @property
    def is_deceased(self) -> bool:
        return self.date_of_death is not None

    def age_on(self, day: date) -> int | None:
        if self.date_of_birth is None:
            return None
        born = self.date_of_birth
        return day.year - born.year - ((day.month, day.day) < (born.month, born.day))

    @property
    def age(self) -> int | None:
        end = self.date_of_death or timezone.localdate()
        return self.age_on(end)


class PersonName(models.Model):
    """A previous name or alias: searched as well as the current name."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="other_names")
    kind = models.CharField(
        max_length=10, choices=codes.NameKind.choices, default=codes.NameKind.PREVIOUS
    )
    first_name = models.CharField(max_length=100, blank=True)
    last_name = models.CharField(max_length=100)
    used_until = models.DateField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()


class Address(TimeStampedModel):
    """Where a person lived, from when to when (SSD ``ssd_address``). The current address is
    the one without an end date; the ward follows from the postcode."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="addresses")
    kind = models.CharField(
        max_length=12, choices=codes.AddressKind.choices, default=codes.AddressKind.HOME
    )
    line_1 = models.CharField("Address line 1", max_length=200)
    line_2 = models.CharField("Address line 2", max_length=200, blank=True)
    town = models.CharField("Town or city", max_length=100, blank=True)
    postcode = models.CharField(max_length=8, blank=True, db_index=True)
    ward_code = models.CharField(max_length=9, blank=True)
    ward_name = models.CharField(max_length=100, blank=True)
    moved_in = models.DateField(null=True, blank=True)  # addr_address_start_date
    moved_out = models.DateField(null=True, blank=True)  # addr_address_end_date

    class Meta:
        ordering = ["-moved_in", "-id"]
        indexes = [models.Index(fields=["person", "moved_out"])]

    def __str__(self) -> str:
        return ", ".join(
            part for part in (self.line_1, self.line_2, self.town, self.postcode) if part
        )

    @property
    def is_current(self) -> bool:
        return self.moved_out is None


class Relationship(models.Model):
    """``relative`` is ``person``'s ``kind`` ("Anna is Ben's parent"). Each relationship is
    stored both ways by ``relationship_add``, so each person's page reads its own rows."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="relationships")
    relative = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=20, choices=codes.RelationshipKind.choices)
    lives_with = models.BooleanField(default=False, help_text="They live in the same household.")
    started_on = models.DateField(null=True, blank=True)
    ended_on = models.DateField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["kind", "id"]
        indexes = [models.Index(fields=["person", "kind"])]

    def __str__(self) -> str:
        return f"{self.relative} is {self.person}'s {self.get_kind_display().lower()}"


class ChronologyEntry(models.Model):
    """One event in a child's story: what happened, when, who did it, a link to the record.

    Written by services of every module (``people.services.chronology_record``); the child's
    page reads them with one indexed query. Kinds are registered with their labels in
    ``people.chronology``.
    """

    child = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="chronology")
    occurred_at = models.DateTimeField()
    kind = models.CharField(max_length=50)
    summary = models.CharField(max_length=300)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    actor_label = models.CharField(max_length=254, blank=True)
    target_type = models.CharField(max_length=100, blank=True)
    target_id = models.CharField(max_length=64, blank=True)
    url = models.CharField(max_length=300, blank=True)
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-occurred_at", "-id"]
        verbose_name_plural = "chronology entries"
        indexes = [
            models.Index(fields=["child", "-occurred_at"]),
            models.Index(fields=["child", "kind", "-occurred_at"]),
        ]

    def __str__(self) -> str:
        return f"{self.occurred_at:%Y-%m-%d} {self.kind}: {self.summary}"


class SearchKey(models.Model):
    """A normalised key that finds a person: phonetic names, date of birth, postcode, NHS
    number. Kept in step with the person by the services (``people.matching.keys_for``);
    search looks candidates up by key on an index, then scores them."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="search_keys")
    key = models.CharField(max_length=80)

    class Meta:
        indexes = [models.Index(fields=["key", "person"], name="people_key_person")]

    def __str__(self) -> str:
        return self.key


class DuplicateCandidate(models.Model):
    """A pair of records that may be the same person, found by ``haven find_duplicates``
    (Splink), for a manager to merge or mark as different people."""

    class Status(models.TextChoices):
        OPEN = "open", "To review"
        MERGED = "merged", "Merged"
        NOT_DUPLICATE = "not_duplicate", "Not the same person"

    person_a = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    person_b = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    match_probability = models.FloatField()
    match_weight = models.FloatField(default=0)
    status = models.CharField(max_length=15, choices=Status.choices, default=Status.OPEN)
    found_at = models.DateTimeField(default=timezone.now)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-match_probability", "id"]
        constraints = [
            models.UniqueConstraint(fields=["person_a", "person_b"], name="people_dup_pair"),
        ]
        indexes = [models.Index(fields=["status", "-match_probability"])]

    def __str__(self) -> str:
        return f"{self.person_a_id} and {self.person_b_id} ({self.match_probability:.0%})"


class PersonMerge(models.Model):
    """One merge: which record was kept, which merged into it, and every link that moved (so
    ``person_merge_undo`` can move exactly those back)."""

    kept = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="merges_kept")
    merged = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="merges_merged")
    reason = models.TextField()
    moved = models.JSONField(default=list, help_text="[{model, field, ids}] of moved links.")
    merged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    merged_at = models.DateTimeField(default=timezone.now)
    undone_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    undone_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-merged_at"]

    def __str__(self) -> str:
        return f"{self.merged_id} into {self.kept_id}"

    @property
    def is_undone(self) -> bool:
        return self.undone_at is not None
