"""Importing police notifications: each good row becomes one contact from source 6 (police),
idempotent by police reference; bad rows are kept, with their line and reasons, for a person
to correct and import in the browser. Domestic abuse notifications are marked and held to the
same one-working-day decision as every other contact."""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import timezone

from haven.audit.models import Event
from haven.audit.services import event_record
from haven.core.actor import Actor
from haven.frontdoor import codes, permissions, police
from haven.frontdoor.models import (
    ConcernCategory,
    PoliceImport,
    PoliceImportProblem,
    PoliceNotification,
)
from haven.frontdoor.services.common import require
from haven.frontdoor.services.contacts import contact_mention_add, contact_start

MAX_FILE_BYTES = 20 * 1024 * 1024
CATEGORY_FOR_TYPE: dict[str, str] = {
    codes.PoliceNotificationType.DOMESTIC_ABUSE: "domestic-abuse",
    codes.PoliceNotificationType.MISSING: "missing",
}


@dataclass
class RowOutcome:
    created: PoliceNotification | None = None
    already: bool = False
    problem: PoliceImportProblem | None = None


def _create_notification(
    *, actor: Actor, clean: police.CleanRow, police_import: PoliceImport, line_number: int
) -> PoliceNotification:
    received = clean.shared_at or timezone.now()
    is_da = clean.notification_type == codes.PoliceNotificationType.DOMESTIC_ABUSE
    contact = contact_start(
        actor=actor,
        channel=codes.Channel.POLICE,
        received_at=received,
        assign_to_recorder=False,
        source=codes.ReferralSource.POLICE,
        referrer={"name": clean.officer, "organisation": "Police"},
        is_domestic_abuse=is_da,
        concern_summary=clean.narrative,
    )
    category_key = CATEGORY_FOR_TYPE.get(clean.notification_type)
    if category_key:
        category = ConcernCategory.objects.filter(key=category_key, is_active=True).first()
        if category is not None:
            contact.concern_categories.add(category)
    for role, people in (
        (codes.PersonRole.CHILD, clean.children),
        (codes.PersonRole.ADULT, clean.adults),
    ):
        for named in people:
            contact_mention_add(
                actor=actor,
                contact=contact,
                role=role,
                given_name=named.name,
                given_date_of_birth=named.date_of_birth,
                given_details=clean.address,
            )
    notification = PoliceNotification.objects.create(
        police_reference=clean.police_reference,
        notification_type=clean.notification_type,
        occurred_at=clean.occurred_at,
        children="; ".join(p.name for p in clean.children),
        adults="; ".join(p.name for p in clean.adults),
        address=clean.address,
        narrative=clean.narrative,
        officer=clean.officer,
        risk_level=clean.risk_level,
        police_import=police_import,
        line_number=line_number,
        contact=contact,
    )
    event_record(
        actor=actor,
        action=Event.Action.CREATE,
        target=notification,
        detail={
            "police_reference": clean.police_reference,
            "type": clean.notification_type,
            "contact": contact.pk,
        },
    )
    _tell_handlers(actor=actor, notification=notification, clean=clean, created=True)
    return notification


def _tell_handlers(
    *, actor: Actor, notification: PoliceNotification, clean: police.CleanRow, created: bool
) -> None:
    """Other apps' handlers for this type of notification (missing episodes, say)."""
    for handler in police.notification_handlers(clean.notification_type):
        handler(
            police.NotificationImported(
                actor=actor, notification=notification, row=clean, created=created
            )
        )


def _bad_row(*, checked: police.Checked, police_import: PoliceImport) -> RowOutcome:
    """A row that cannot be imported: kept for correction (once), unless its police reference
    was corrected and imported since."""
    reference = checked.row.values.get("police_reference", "").strip()
    if reference and PoliceNotification.objects.filter(police_reference=reference).exists():
        return RowOutcome(already=True)
    raw = {k: v for k, v in checked.row.values.items() if not k.startswith("_")}
    listed = PoliceImportProblem.objects.filter(resolved_at__isnull=True, raw=raw).first()
    if listed is not None and raw:
        return RowOutcome(problem=listed)  # the same bad row, already on the list
    problem = PoliceImportProblem.objects.create(
        police_import=police_import,
        line_number=checked.row.line_number,
        reasons=checked.reasons,
        raw=raw,
        raw_line=checked.row.raw_line,
    )
    return RowOutcome(problem=problem)


def _import_row(
    *, actor: Actor, checked: police.Checked, police_import: PoliceImport, seen: set[str]
) -> RowOutcome:
    line = checked.row.line_number
    if checked.clean is None:
        return _bad_row(checked=checked, police_import=police_import)
    reference = checked.clean.police_reference
    if reference in seen:
        return RowOutcome(already=True)
    seen.add(reference)
    try:
        with transaction.atomic():
            existing = PoliceNotification.objects.filter(police_reference=reference).first()
            if existing is not None:
                # Sent again: nothing new at the front door, but other apps may learn more
                # (a missing child's return).
                _tell_handlers(
                    actor=actor, notification=existing, clean=checked.clean, created=False
                )
                return RowOutcome(already=True)
            notification = _create_notification(
                actor=actor, clean=checked.clean, police_import=police_import, line_number=line
            )
    except IntegrityError:
        return RowOutcome(already=True)  # imported by someone else a moment ago
    except ValidationError as error:
        problem = PoliceImportProblem.objects.create(
            police_import=police_import,
            line_number=line,
            reasons=error.messages,
            raw={k: v for k, v in checked.row.values.items() if not k.startswith("_")},
            raw_line=checked.row.raw_line,
        )
        return RowOutcome(problem=problem)
    return RowOutcome(created=notification)


def police_import(
    *, actor: Actor, filename: str, data: bytes, via: str = PoliceImport.Via.BROWSER
) -> PoliceImport:
    """Import a police notifications CSV. Good rows become contacts, rows already imported
    (by police reference) are counted and left alone, bad rows are kept with their reasons.
    A file that cannot be read at all raises ``ValidationError`` and imports nothing."""
    require(actor, permissions.IMPORT_POLICE)
    if not data:
        raise ValidationError({"file": ["The selected file is empty"]})
    if len(data) > MAX_FILE_BYTES:
        raise ValidationError({"file": ["The selected file must be smaller than 20 MB"]})
    try:
        rows = police.read_rows(data)
    except police.UnreadableFile as error:
        raise ValidationError({"file": [str(error)]}) from error
    record = PoliceImport(filename=filename[:300], via=via, imported_by=actor.user)
    record.file.save(filename[-100:] or "police.csv", ContentFile(data), save=False)
    record.save()
    seen: set[str] = set()
    for row in rows:
        outcome = _import_row(
            actor=actor, checked=police.check_row(row), police_import=record, seen=seen
        )
        record.rows_total += 1
        if outcome.created:
            record.rows_created += 1
        elif outcome.already:
            record.rows_already_imported += 1
        else:
            record.rows_bad += 1
    record.save(update_fields=["rows_total", "rows_created", "rows_already_imported", "rows_bad"])
    event_record(
        actor=actor,
        action=Event.Action.CREATE,
        target=record,
        detail={
            "filename": filename,
            "rows": record.rows_total,
            "created": record.rows_created,
            "already_imported": record.rows_already_imported,
            "bad": record.rows_bad,
        },
    )
    return record


def problem_correct(
    *, actor: Actor, problem: PoliceImportProblem, values: dict[str, str]
) -> PoliceNotification:
    """Import a corrected bad row. Still wrong: ``ValidationError`` with every reason (the row
    stays on the list). A police reference already imported is refused as a duplicate."""
    require(actor, permissions.IMPORT_POLICE)
    if not problem.is_open:
        raise ValidationError({"__all__": ["This row has already been dealt with"]})
    cleaned_values = {name: (values.get(name) or "").strip() for name in police.COLUMNS}
    checked = police.check_row(police.RawRow(problem.line_number, cleaned_values))
    if checked.clean is None:
        raise ValidationError({"__all__": checked.reasons})
    if PoliceNotification.objects.filter(police_reference=checked.clean.police_reference).exists():
        raise ValidationError(
            {"police_reference": ["A notification with this police reference is already imported"]}
        )
    with transaction.atomic():
        notification = _create_notification(
            actor=actor,
            clean=checked.clean,
            police_import=problem.police_import,
            line_number=problem.line_number,
        )
        problem.raw = cleaned_values
        problem.resolved_at = timezone.now()
        problem.resolved_by = actor.user
        problem.resolution = f"Corrected and imported as contact {notification.contact.reference}"
        problem.notification = notification
        problem.save(
            update_fields=["raw", "resolved_at", "resolved_by", "resolution", "notification"]
        )
        event_record(
            actor=actor,
            action=Event.Action.UPDATE,
            target=problem,
            detail={"corrected": True, "notification": notification.pk},
        )
    return notification


def problem_dismiss(*, actor: Actor, problem: PoliceImportProblem, reason: str) -> None:
    """Take a bad row off the list without importing it (a test row, a duplicate sent twice)."""
    require(actor, permissions.IMPORT_POLICE)
    if len(reason.strip()) < 10:
        raise ValidationError({"reason": ["Enter why, in at least 10 characters"]})
    with transaction.atomic():
        problem.resolved_at = timezone.now()
        problem.resolved_by = actor.user
        problem.resolution = f"Dismissed: {reason.strip()}"[:300]
        problem.save(update_fields=["resolved_at", "resolved_by", "resolution"])
        event_record(
            actor=actor,
            action=Event.Action.UPDATE,
            target=problem,
            reason=reason.strip(),
            detail={"dismissed": True},
        )
