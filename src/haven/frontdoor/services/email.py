"""Email intake: every new message in the front door's shared mailbox becomes a contact that
"needs triage", received at the moment the mail server took it, with the original message and
its attachments kept. Saved ``.eml`` and Outlook ``.msg`` files can be uploaded the same way.

Idempotent by Message-ID, and safe when stopped half way: each message is stored and its
contact made in one transaction, and only after that commits is the message flagged in the
mailbox as taken. A crash before the commit leaves nothing behind (the message is taken next
time); a crash after it leaves a message whose Message-ID is already stored, which the next
poll recognises and flags without making a second contact.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field
from datetime import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import timezone

from haven.accounts.models import User
from haven.audit.models import Event
from haven.audit.services import event_record
from haven.core.actor import Actor
from haven.frontdoor import codes, mail, permissions
from haven.frontdoor.models import Contact, EmailAttachment, InboundEmail
from haven.frontdoor.services.common import require
from haven.frontdoor.services.contacts import contact_start

logger = logging.getLogger(__name__)

# The IMAP keyword set on a message once its contact is stored.
TAKEN_FLAG = "$HavenTaken"
MAX_UPLOAD_BYTES = 60 * 1024 * 1024


@dataclass
class Taken:
    """What became of one message."""

    email: InboundEmail
    created: bool  # False: this Message-ID was already taken


def _store_attachments(email: InboundEmail, parsed: mail.ParsedEmail) -> None:
    for index, attachment in enumerate(parsed.attachments, start=1):
        check = mail.check_attachment(attachment)
        row = EmailAttachment(
            email=email,
            filename=attachment.filename[:300],
            content_type=(check.content_type or attachment.content_type)[:200],
            size=len(attachment.data),
            sha256=attachment.sha256,
            refused_reason=check.refused_reason,
        )
        if not check.refused_reason:
            row.extracted_text, row.text_note = mail.extract_text(attachment)
            safe_name = "".join(
                ch if ch.isalnum() or ch in "._-" else "_" for ch in attachment.filename
            )[-100:]
            row.file.save(
                f"{email.message_key[:16]}-{index}-{safe_name}",
                ContentFile(attachment.data),
                save=False,
            )
        row.save()


def email_take(
    *,
    actor: Actor,
    raw: bytes,
    arrived_at: datetime,
    source: str = InboundEmail.Source.MAILBOX,
    folder: str = "",
    imap_uid: int | None = None,
    uploaded_by: User | None = None,
    outlook: bool = False,
) -> Taken:
    """Store one message and make its contact (or quarantine it), in one transaction. The
    same Message-ID again returns what was stored before and makes nothing new."""
    parsed: mail.ParsedEmail | None = None
    problem = ""
    try:
        parsed = mail.parse_outlook_msg(raw) if outlook else mail.parse_rfc822(raw)
    except mail.UnreadableMessage as error:
        problem = str(error)
    key = mail.message_key(parsed.message_id if parsed else "", raw)
    existing = InboundEmail.objects.filter(message_key=key).first()
    if existing is not None:
        return Taken(existing, created=False)
    if outlook and parsed is not None and parsed.sent_at and source == InboundEmail.Source.UPLOAD:
        arrived_at = parsed.sent_at
    try:
        with transaction.atomic():
            email = InboundEmail(
                message_key=key,
                message_id=(parsed.message_id if parsed else "")[:998],
                source=source,
                folder=folder[:200],
                imap_uid=imap_uid,
                arrived_at=arrived_at,
                sent_at=parsed.sent_at if parsed else None,
                from_address=parsed.from_address if parsed else "",
                from_name=parsed.from_name if parsed else "",
                to_addresses=parsed.to_addresses if parsed else "",
                subject=parsed.subject if parsed else "",
                body_text=parsed.body_text if parsed else "",
                raw_size=len(raw),
                uploaded_by=uploaded_by,
            )
            extension = "msg" if outlook else "eml"
            email.raw.save(f"{key[:32]}.{extension}", ContentFile(raw), save=False)
            if parsed is None:
                email.quarantined_at = timezone.now()
                email.quarantine_reason = problem
                email.save()
                event_record(
                    actor=actor,
                    action=Event.Action.CREATE,
                    target=email,
                    detail={"quarantined": problem, "source": source},
                )
                return Taken(email, created=True)
            email.contact = _contact_for(actor=actor, email=email)
            email.save()
            _store_attachments(email, parsed)
            event_record(
                actor=actor,
                action=Event.Action.CREATE,
                target=email,
                detail={
                    "contact": email.contact.pk,
                    "source": source,
                    "arrived_at": arrived_at.isoformat(),
                    "attachments": len(parsed.attachments),
                },
            )
    except IntegrityError:
        # Another poll took the same message a moment ago.
        found = InboundEmail.objects.filter(message_key=key).first()
        if found is None:
            raise
        return Taken(found, created=False)
    return Taken(email, created=True)


def _contact_for(*, actor: Actor, email: InboundEmail) -> Contact:
    return contact_start(
        actor=actor,
        channel=codes.Channel.EMAIL,
        received_at=email.arrived_at,
        assign_to_recorder=False,
        referrer={"name": email.from_name, "email": _valid_email(email.from_address)},
    )


def _valid_email(address: str) -> str:
    from django.core.validators import validate_email

    try:
        validate_email(address)
    except ValidationError:
        return ""
    return address


@dataclass
class PollResult:
    seen: int = 0
    taken: int = 0
    already_taken: int = 0
    quarantined: int = 0
    errors: list[str] = field(default_factory=list)


def mailbox_settings() -> dict[str, object]:
    return {
        "host": getattr(settings, "HAVEN_FRONT_DOOR_IMAP_HOST", ""),
        "port": int(getattr(settings, "HAVEN_FRONT_DOOR_IMAP_PORT", 993)),
        "user": getattr(settings, "HAVEN_FRONT_DOOR_IMAP_USER", ""),
        "password": getattr(settings, "HAVEN_FRONT_DOOR_IMAP_PASSWORD", ""),
        "folder": getattr(settings, "HAVEN_FRONT_DOOR_IMAP_FOLDER", "INBOX"),
        "tls": bool(getattr(settings, "HAVEN_FRONT_DOOR_IMAP_TLS", True)),
    }


def _open_mailbox(config: dict[str, object]):  # type: ignore[no-untyped-def]
    from imap_tools import MailBox, MailBoxUnencrypted

    host, port = str(config["host"]), int(str(config["port"]))
    box = MailBox(host, port) if config["tls"] else MailBoxUnencrypted(host, port)
    box.login(str(config["user"]), str(config["password"]), initial_folder=str(config["folder"]))
    return box


def mailbox_poll(*, actor: Actor, limit: int = 500) -> PollResult:
    """Take every message in the front door mailbox not yet flagged as taken. Each is stored
    and committed before it is flagged, so stopping at any point loses nothing and a second
    run makes no duplicate."""
    config = mailbox_settings()
    result = PollResult()
    if not config["host"]:
        logger.info("front door mailbox not configured (HAVEN_FRONT_DOOR_IMAP_HOST)")
        return result
    folder = str(config["folder"])
    with _open_mailbox(config) as box:
        uids = box.uids(f"UNKEYWORD {TAKEN_FLAG}")[:limit]
        for uid in uids:
            result.seen += 1
            status, data = box.client.uid("FETCH", uid, "(INTERNALDATE BODY.PEEK[])")
            if status != "OK" or not data or not isinstance(data[0], tuple):
                result.errors.append(f"message {uid} could not be fetched")
                continue
            envelope, raw = data[0]
            arrived = _internal_date(envelope) or timezone.now()
            taken = email_take(
                actor=actor, raw=raw, arrived_at=arrived, folder=folder, imap_uid=int(uid)
            )
            if not taken.created:
                result.already_taken += 1
            elif taken.email.quarantined_at:
                result.quarantined += 1
            else:
                result.taken += 1
            _flag_taken(box, uid)
    if result.taken or result.quarantined:
        logger.info(
            "front door mailbox: %s taken, %s quarantined, %s already taken",
            result.taken,
            result.quarantined,
            result.already_taken,
        )
    return result


_INTERNALDATE = re.compile(rb'INTERNALDATE "([^"]+)"')


def _internal_date(envelope: bytes) -> datetime | None:
    """When the mail server received the message: its IMAP INTERNALDATE."""
    found = _INTERNALDATE.search(envelope)
    if found is None:
        return None
    try:
        return datetime.strptime(found.group(1).decode().strip(), "%d-%b-%Y %H:%M:%S %z")
    except ValueError:
        return None


def _flag_taken(box: object, uid: str) -> None:
    try:
        box.flag(uid, TAKEN_FLAG, value=True)  # type: ignore[attr-defined]
    except Exception:
        logger.warning("could not flag message %s as taken", uid, exc_info=True)


def email_upload(*, actor: Actor, filename: str, data: bytes) -> Taken:
    """A saved ``.eml`` or Outlook ``.msg`` uploaded by a member of staff: taken like a
    mailbox message. Its clock starts when it was sent (the Date it carries), or now when it
    carries none."""
    require(actor, permissions.RECORD)
    if not data:
        raise ValidationError({"file": ["The selected file is empty"]})
    if len(data) > MAX_UPLOAD_BYTES:
        raise ValidationError({"file": ["The selected file must be smaller than 60 MB"]})
    outlook = mail.is_outlook_msg(data) or filename.lower().endswith(".msg")
    arrived = timezone.now()
    if not outlook:
        try:
            sent = mail.parse_rfc822(data).sent_at
        except mail.UnreadableMessage:
            sent = None
        if sent is not None and sent <= arrived:
            arrived = sent
    return email_take(
        actor=actor,
        raw=data,
        arrived_at=arrived,
        source=InboundEmail.Source.UPLOAD,
        uploaded_by=actor.user,
        outlook=outlook,
    )


def quarantine_make_contact(*, actor: Actor, email: InboundEmail, note: str) -> Contact:
    """A person has read a quarantined message (opening the original) and found a concern in
    it: make the contact by hand, received when the message arrived."""
    require(actor, permissions.RECORD)
    if not email.is_in_quarantine:
        raise ValidationError({"note": ["This message is not in quarantine"]})
    if len(note.strip()) < 5:
        raise ValidationError({"note": ["Enter what you found in the message"]})
    with transaction.atomic():
        contact = contact_start(
            actor=actor,
            channel=codes.Channel.EMAIL,
            received_at=email.arrived_at,
            referrer={"name": email.from_name, "email": _valid_email(email.from_address)},
            concern_summary=note.strip(),
        )
        email.contact = contact
        email.resolved_at = timezone.now()
        email.resolved_by = actor.user
        email.resolution = f"Contact {contact.reference} made by hand: {note.strip()}"[:2000]
        email.save(update_fields=["contact", "resolved_at", "resolved_by", "resolution"])
        event_record(
            actor=actor,
            action=Event.Action.UPDATE,
            target=email,
            detail={"released_to_contact": contact.pk},
        )
    return contact


def quarantine_dismiss(*, actor: Actor, email: InboundEmail, reason: str) -> InboundEmail:
    """Take a message off the quarantine list without a contact (spam, nothing about a child),
    with the reason. The original is kept."""
    require(actor, permissions.RECORD)
    if not email.is_in_quarantine:
        raise ValidationError({"reason": ["This message is not in quarantine"]})
    if len(reason.strip()) < 10:
        raise ValidationError({"reason": ["Enter why, in at least 10 characters"]})
    with transaction.atomic():
        email.resolved_at = timezone.now()
        email.resolved_by = actor.user
        email.resolution = f"Dismissed: {reason.strip()}"[:2000]
        email.save(update_fields=["resolved_at", "resolved_by", "resolution"])
        event_record(
            actor=actor,
            action=Event.Action.UPDATE,
            target=email,
            reason=reason.strip(),
            detail={"dismissed": True},
        )
    return email
