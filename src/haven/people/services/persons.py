"""Writing people: create and change a person, their names, addresses and relationships.

Each service is one transaction that writes its audit event and, for the person's story, a
chronology entry, and keeps the person's search keys in step.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, time
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from haven.audit.models import Event
from haven.audit.services import event_record
from haven.core.actor import Actor
from haven.core.calendar import local_tz
from haven.people import codes, identifiers
from haven.people.matching import NameRecord, keys_for
from haven.people.models import (
    Address,
    ChronologyEntry,
    Person,
    PersonName,
    Postcode,
    Relationship,
    School,
    SearchKey,
)

# The fields person_update may change, with how each is checked.
PERSON_FIELDS = [
    "first_name",
    "middle_names",
    "last_name",
    "preferred_name",
    "kind",
    "date_of_birth",
    "expected_date_of_birth",
    "date_of_death",
    "sex",
    "gender",
    "ethnicity",
    "disabilities",
    "first_language",
    "nhs_number",
    "upn",
    "school",
    "is_restricted",
]


def chronology_record(
    *,
    actor: Actor,
    child: Person,
    occurred_at: datetime | date,
    kind: str,
    summary: str,
    target: Any = None,
    url: str = "",
) -> ChronologyEntry:
    """Add one entry to a child's chronology. The caller's own service writes the audit event;
    this only records the event in the child's story. ``kind`` should be registered with
    ``people.chronology.register_kind``; ``target`` is the record the entry is about."""
    if isinstance(occurred_at, date) and not isinstance(occurred_at, datetime):
        occurred_at = datetime.combine(occurred_at, time(12, 0), tzinfo=local_tz())
    target_type = target._meta.label_lower if target is not None else ""
    target_id = str(target.pk) if target is not None else ""
    user = actor.user
    return ChronologyEntry.objects.create(
        child=child,
        occurred_at=occurred_at,
        kind=kind[:50],
        summary=summary[:300],
        actor=user,
        actor_label=(user.full_name if user is not None else actor.label)[:254],
        target_type=target_type,
        target_id=target_id[:64],
        url=url[:300],
    )


def search_keys_rebuild(*, person: Person) -> None:
    """Make the person's stored search keys match their names, dates, postcodes and numbers."""
    wanted = keys_for(
        names=[NameRecord(person.first_name, person.last_name)]
        + [
            NameRecord(n.first_name or person.first_name, n.last_name)
            for n in person.other_names.all()
        ],
        date_of_birth=person.date_of_birth,
        expected_date_of_birth=person.expected_date_of_birth,
        postcodes=person.addresses.exclude(postcode="").values_list("postcode", flat=True),
        nhs_number=person.nhs_number,
        upn=person.upn,
    )
    have = set(person.search_keys.values_list("key", flat=True))
    if have - wanted:
        person.search_keys.filter(key__in=have - wanted).delete()
    SearchKey.objects.bulk_create(
        [SearchKey(person=person, key=key) for key in sorted(wanted - have)]
    )


def _clean_identifiers(values: dict[str, Any]) -> None:
    """Check NHS number and UPN; errors name the field so forms can show them beside it."""
    errors: dict[str, list[ValidationError]] = {}
    for name, cleaner in (
        ("nhs_number", identifiers.clean_nhs_number),
        ("upn", identifiers.clean_upn),
    ):
        if name in values:
            try:
                values[name] = cleaner(values[name] or "")
            except ValidationError as error:
                errors[name] = [error]
    dob = values.get("date_of_birth")
    today = timezone.localdate()
    if dob is not None and dob > today:
        errors.setdefault("date_of_birth", []).append(
            ValidationError(
                "Date of birth must be today or in the past. For an unborn child, give the "
                "expected date of birth instead"
            )
        )
    death = values.get("date_of_death")
    if death is not None and dob is not None and death < dob:
        errors.setdefault("date_of_death", []).append(
            ValidationError("Date of death must be the same as or after the date of birth")
        )
    if death is not None and death > today:
        errors.setdefault("date_of_death", []).append(
            ValidationError("Date of death must be today or in the past")
        )
    disabilities = values.get("disabilities")
    if disabilities:
        unknown = [c for c in disabilities if c not in codes.Disability.values]
        if unknown:
            errors["disabilities"] = [ValidationError("Select disabilities from the list")]
        elif codes.Disability.NONE in disabilities and len(disabilities) > 1:
            errors["disabilities"] = [
                ValidationError(
                    "Select 'No disability' on its own, or the disabilities the person has"
                )
            ]
    if errors:
        raise ValidationError(errors)


def _unique_la_id() -> str:
    for _ in range(20):
        candidate = identifiers.make_la_id()
        if not Person.objects.filter(la_id=candidate).exists():
            return candidate
    raise RuntimeError("could not find a free LA ID")  # pragma: no cover - 1 in 10^8 odds


def person_create(
    *,
    actor: Actor,
    first_name: str,
    last_name: str,
    kind: str = codes.PersonKind.CHILD,
    date_of_birth: date | None = None,
    expected_date_of_birth: date | None = None,
    sex: str = codes.Sex.UNKNOWN,
    gender: str = codes.Gender.NOT_KNOWN,
    ethnicity: str = codes.Ethnicity.NOBT,
    disabilities: Sequence[str] = (),
    first_language: str = "",
    nhs_number: str = "",
    upn: str = "",
    middle_names: str = "",
    preferred_name: str = "",
    school: School | None = None,
    date_of_death: date | None = None,
    is_restricted: bool = False,
    occurred_at: datetime | None = None,
) -> Person:
    """A new person, with a generated LA ID. Identifiers are checked (an invalid NHS number or
    UPN raises ``ValidationError`` naming the field). Audited; the chronology says who
    created the record."""
    values: dict[str, Any] = {
        "first_name": first_name.strip(),
        "last_name": last_name.strip(),
        "kind": kind,
        "date_of_birth": date_of_birth,
        "expected_date_of_birth": expected_date_of_birth,
        "sex": sex,
        "gender": gender,
        "ethnicity": ethnicity,
        "disabilities": list(disabilities),
        "first_language": first_language.strip(),
        "nhs_number": nhs_number,
        "upn": upn,
        "middle_names": middle_names.strip(),
        "preferred_name": preferred_name.strip(),
        "school": school,
        "date_of_death": date_of_death,
        "is_restricted": is_restricted,
    }
    _clean_identifiers(values)
    with transaction.atomic():
        person = Person(la_id=_unique_la_id(), created_by=actor.user, **values)
        person.full_clean()
        person.save()
        search_keys_rebuild(person=person)
        event_record(
            actor=actor,
            action=Event.Action.CREATE,
            target=person,
            child_id=person.pk,
            detail={"la_id": person.la_id, "name": person.full_name, "kind": person.kind},
        )
        chronology_record(
            actor=actor,
            child=person,
            occurred_at=occurred_at or timezone.now(),
            kind="person_created",
            summary=f"Record created for {person.full_name}",
            target=person,
            url="",  # the entry is about this record itself
        )
    return person


def _plain(value: Any) -> Any:
    if isinstance(value, School):
        return str(value)
    if isinstance(value, date):
        return value.isoformat()
    return value


def _label(name: str) -> str:
    field = Person._meta.get_field(name)
    return str(getattr(field, "verbose_name", name))


def person_update(*, actor: Actor, person: Person, data: dict[str, Any]) -> Person:
    """Change a person's details. A changed name is kept as a previous name, so searches by
    the old name still find them. Old and new values are audited."""
    unknown = set(data) - set(PERSON_FIELDS)
    if unknown:
        raise ValueError(f"person_update cannot change {sorted(unknown)}")
    values = dict(data)
    for name in ("first_name", "last_name", "middle_names", "preferred_name", "first_language"):
        if name in values:
            values[name] = (values[name] or "").strip()
    _clean_identifiers(values)
    with transaction.atomic():
        before = {name: getattr(person, name) for name in values}
        old_first, old_last = person.first_name, person.last_name
        for name, value in values.items():
            setattr(person, name, value)
        person.full_clean()
        changes = {
            name: {"old": _plain(before[name]), "new": _plain(getattr(person, name))}
            for name in values
            if before[name] != getattr(person, name)
        }
        if not changes:
            return person
        person.save()
        if (old_first, old_last) != (person.first_name, person.last_name):
            PersonName.objects.create(
                person=person,
                kind=codes.NameKind.PREVIOUS,
                first_name=old_first,
                last_name=old_last,
                used_until=timezone.localdate(),
            )
        search_keys_rebuild(person=person)
        event_record(
            actor=actor,
            action=Event.Action.UPDATE,
            target=person,
            child_id=person.pk,
            detail={"changes": changes},
        )
        labels = ", ".join(_label(name) for name in changes)
        chronology_record(
            actor=actor,
            child=person,
            occurred_at=timezone.now(),
            kind="person_updated",
            summary=f"Details changed: {labels}"[:300],
            target=person,
            url="",  # the entry is about this record itself
        )
    return person


def person_name_add(
    *,
    actor: Actor,
    person: Person,
    last_name: str,
    first_name: str = "",
    kind: str = codes.NameKind.ALIAS,
    used_until: date | None = None,
) -> PersonName:
    """Record another name the person is or was known by (a previous name, an alias, their
    name at birth); searches find them by it. Audited and written to the chronology."""
    if not last_name.strip():
        raise ValidationError({"last_name": ["Enter the last name"]})
    if kind not in codes.NameKind.values:
        raise ValidationError({"kind": ["Select what kind of name this is"]})
    with transaction.atomic():
        name = PersonName(
            person=person,
            kind=kind,
            first_name=first_name.strip(),
            last_name=last_name.strip(),
            used_until=used_until,
        )
        name.full_clean()
        name.save()
        search_keys_rebuild(person=person)
        event_record(
            actor=actor,
            action=Event.Action.CREATE,
            target=name,
            child_id=person.pk,
            detail={"name": str(name), "kind": kind},
        )
        chronology_record(
            actor=actor,
            child=person,
            occurred_at=timezone.now(),
            kind="person_updated",
            summary=f"Other name recorded: {name} ({name.get_kind_display().lower()})"[:300],
            target=person,
            url="",
        )
    return name


def ward_for_postcode(postcode: str) -> tuple[str, str]:
    """The ward (code, name) a postcode is in, from the council's postcode table."""
    found = (
        Postcode.objects.select_related("ward").filter(postcode=postcode).first()
        if postcode
        else None
    )
    if found is None:
        return "", ""
    return found.ward.code, found.ward.name


def address_add(
    *,
    actor: Actor,
    person: Person,
    line_1: str,
    postcode: str,
    line_2: str = "",
    town: str = "",
    moved_in: date | None = None,
    kind: str = codes.AddressKind.HOME,
) -> Address:
    """A new current address. The previous current address ends the day the person moved in;
    the ward comes from the postcode. Audited and added to the chronology."""
    errors: dict[str, list[str]] = {}
    if not line_1.strip():
        errors["line_1"] = ["Enter the first line of the address"]
    try:
        clean_postcode = identifiers.clean_postcode(postcode)
    except ValidationError as error:
        errors["postcode"] = list(error.messages)
        clean_postcode = ""
    if moved_in is not None and moved_in > timezone.localdate():
        errors["moved_in"] = ["Date they moved in must be today or in the past"]
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        current = list(person.addresses.filter(moved_out__isnull=True))
        moved_in = moved_in or timezone.localdate()
        for old in current:
            old.moved_out = max(moved_in, old.moved_in or moved_in)
            old.save(update_fields=["moved_out", "updated_at"])
        ward_code, ward_name = ward_for_postcode(clean_postcode)
        address = Address.objects.create(
            person=person,
            kind=kind,
            line_1=line_1.strip(),
            line_2=line_2.strip(),
            town=town.strip(),
            postcode=clean_postcode,
            ward_code=ward_code,
            ward_name=ward_name,
            moved_in=moved_in,
        )
        search_keys_rebuild(person=person)
        event_record(
            actor=actor,
            action=Event.Action.CREATE,
            target=address,
            child_id=person.pk,
            detail={"address": str(address), "ended": [a.pk for a in current]},
        )
        verb = "Moved to" if current else "Address recorded:"
        chronology_record(
            actor=actor,
            child=person,
            occurred_at=moved_in,
            kind="address_changed",
            summary=f"{verb} {address}",
            target=address,
            url="",  # the entry is about this record itself
        )
    return address


def _other_way(relationship: Relationship) -> Relationship | None:
    return (
        Relationship.objects.filter(
            person=relationship.relative,
            relative=relationship.person,
            kind=codes.INVERSE[relationship.kind],
            ended_on=relationship.ended_on,
        )
        .exclude(pk=relationship.pk)
        .first()
    )


def relationship_add(
    *,
    actor: Actor,
    person: Person,
    relative: Person,
    kind: str,
    lives_with: bool = False,
    started_on: date | None = None,
) -> Relationship:
    """``relative`` is ``person``'s ``kind`` (a parent, sibling...). Written both ways, audited,
    and added to both people's chronologies."""
    if person.pk == relative.pk:
        raise ValidationError({"relative": ["A person cannot be related to themselves"]})
    if kind not in codes.INVERSE:
        raise ValidationError({"kind": ["Select how they are related"]})
    if Relationship.objects.filter(
        person=person, relative=relative, kind=kind, ended_on__isnull=True
    ).exists():
        raise ValidationError(
            {
                "relative": [
                    f"{relative.full_name} is already recorded as "
                    f"{person.full_name}'s {codes.RelationshipKind(kind).label.lower()}"
                ]
            }
        )
    with transaction.atomic():
        ours = Relationship.objects.create(
            person=person,
            relative=relative,
            kind=kind,
            lives_with=lives_with,
            started_on=started_on,
        )
        Relationship.objects.create(
            person=relative,
            relative=person,
            kind=codes.INVERSE[kind],
            lives_with=lives_with,
            started_on=started_on,
        )
        label = codes.RelationshipKind(kind).label.lower()
        event_record(
            actor=actor,
            action=Event.Action.CREATE,
            target=ours,
            child_id=person.pk,
            detail={"relative": relative.pk, "kind": kind, "lives_with": lives_with},
        )
        now = timezone.now()
        chronology_record(
            actor=actor,
            child=person,
            occurred_at=now,
            kind="relationship_changed",
            summary=f"{relative.full_name} recorded as {label}",
            target=ours,
            url=relative.get_absolute_url(),
        )
        inverse_label = codes.RelationshipKind(codes.INVERSE[kind]).label.lower()
        chronology_record(
            actor=actor,
            child=relative,
            occurred_at=now,
            kind="relationship_changed",
            summary=f"{person.full_name} recorded as {inverse_label}",
            target=ours,
            url=person.get_absolute_url(),
        )
    return ours


def relationship_end(
    *, actor: Actor, relationship: Relationship, ended_on: date | None = None
) -> Relationship:
    """End a relationship (both ways): kept in the history, no longer shown as current."""
    ended_on = ended_on or timezone.localdate()
    with transaction.atomic():
        other = _other_way(relationship)
        for row in filter(None, (relationship, other)):
            row.ended_on = ended_on
            row.save(update_fields=["ended_on"])
        person, relative = relationship.person, relationship.relative
        label = relationship.get_kind_display().lower()
        event_record(
            actor=actor,
            action=Event.Action.UPDATE,
            target=relationship,
            child_id=person.pk,
            detail={"ended_on": ended_on.isoformat()},
        )
        for child, about in ((person, relative), (relative, person)):
            chronology_record(
                actor=actor,
                child=child,
                occurred_at=timezone.now(),
                kind="relationship_changed",
                summary=f"{about.full_name} no longer recorded as "
                f"{label if child == person else 'related'}",
                target=relationship,
                url=about.get_absolute_url(),
            )
    return relationship


def restricted_access_record(*, actor: Actor, person: Person, reason: str) -> None:
    """Someone gave a reason to open a restricted record: the reason is audited."""
    reason = reason.strip()
    if len(reason) < 10:
        raise ValidationError(
            {"reason": ["Enter why you need to open this record, in at least 10 characters"]}
        )
    event_record(
        actor=actor,
        action=Event.Action.VIEW,
        target=person,
        child_id=person.pk,
        reason=reason[:2000],
        detail={"restricted": True, "access": "granted"},
    )
