"""Loading the council's reference data: schools, wards and the postcodes in each ward.
Idempotent: loading the same file twice changes nothing the second time."""

from __future__ import annotations

from django.db import transaction

from haven.audit.models import Event
from haven.audit.services import event_record
from haven.core.actor import Actor
from haven.people.imports import PostcodeRow, SchoolRow
from haven.people.models import Postcode, School, Ward


def schools_import(*, actor: Actor, rows: list[SchoolRow]) -> dict[str, int]:
    """Add new schools and bring known ones (by URN) up to date. Audited with the counts."""
    with transaction.atomic():
        known = {school.urn: school for school in School.objects.all()}
        new, changed = [], []
        for row in {row.urn: row for row in rows}.values():  # the last row for a URN wins
            school = known.get(row.urn)
            if school is None:
                new.append(
                    School(urn=row.urn, name=row.name, phase=row.phase, postcode=row.postcode)
                )
            elif (school.name, school.phase, school.postcode) != (
                row.name,
                row.phase,
                row.postcode,
            ):
                school.name, school.phase, school.postcode = row.name, row.phase, row.postcode
                changed.append(school)
        School.objects.bulk_create(new, batch_size=2000)
        School.objects.bulk_update(changed, ["name", "phase", "postcode"], batch_size=2000)
        counts = {"added": len(new), "updated": len(changed), "read": len(rows)}
        event_record(
            actor=actor, action=Event.Action.CREATE, object_type="people.school", detail=counts
        )
    return counts


def postcodes_import(*, actor: Actor, rows: list[PostcodeRow]) -> dict[str, int]:
    """Add wards and postcodes, and move a postcode whose ward has changed (boundary reviews).
    Addresses already recorded keep the ward they were given. Audited with the counts."""
    with transaction.atomic():
        wards = {ward.code: ward for ward in Ward.objects.all()}
        new_wards, renamed = [], []
        for code, name in {row.ward_code: row.ward_name for row in rows}.items():
            ward = wards.get(code)
            if ward is None:
                new_wards.append(Ward(code=code, name=name))
            elif ward.name != name:
                ward.name = name
                renamed.append(ward)
        Ward.objects.bulk_create(new_wards, batch_size=2000)
        Ward.objects.bulk_update(renamed, ["name"], batch_size=2000)
        ward_ids = dict(Ward.objects.values_list("code", "pk"))
        known = {p.postcode: p for p in Postcode.objects.all()}
        new, moved = [], []
        for row in {row.postcode: row for row in rows}.values():
            postcode = known.get(row.postcode)
            if postcode is None:
                new.append(Postcode(postcode=row.postcode, ward_id=ward_ids[row.ward_code]))
            elif postcode.ward_id != ward_ids[row.ward_code]:
                postcode.ward_id = ward_ids[row.ward_code]
                moved.append(postcode)
        Postcode.objects.bulk_create(new, batch_size=5000)
        Postcode.objects.bulk_update(moved, ["ward"], batch_size=5000)
        counts = {
            "wards_added": len(new_wards),
            "wards_renamed": len(renamed),
            "postcodes_added": len(new),
            "postcodes_moved": len(moved),
            "read": len(rows),
        }
        event_record(
            actor=actor, action=Event.Action.CREATE, object_type="people.postcode", detail=counts
        )
    return counts
