"""Email intake against a real IMAP server (dovecot): every new message becomes exactly one
contact, at the moment it arrived, with its attachments, even when polled twice or stopped
half way; what cannot be read is quarantined with the reason."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from imap_tools import MailBoxUnencrypted

from haven.core.actor import Actor
from haven.frontdoor import codes, services
from haven.frontdoor.models import Contact, EmailAttachment, InboundEmail
from haven.frontdoor.services import email as email_service
from haven.frontdoor.tasks import poll_mailbox
from tests.frontdoor.imap_server import ImapServer, imap_server  # noqa: F401 - the fixture
from tests.frontdoor.samples import docx_with_text, pdf_with_text, referral_email

pytestmark = [pytest.mark.django_db, pytest.mark.imap]
LONDON = ZoneInfo("Europe/London")
ARRIVED = datetime(2025, 3, 14, 9, 12, 30, tzinfo=LONDON)
SYSTEM = Actor.system("tests")


@pytest.fixture
def mailbox(imap_server: ImapServer, settings):  # noqa: F811 - pytest fixture argument
    settings.HAVEN_FRONT_DOOR_IMAP_HOST = imap_server.host
    settings.HAVEN_FRONT_DOOR_IMAP_PORT = imap_server.port
    settings.HAVEN_FRONT_DOOR_IMAP_USER = imap_server.user
    settings.HAVEN_FRONT_DOOR_IMAP_PASSWORD = imap_server.password
    settings.HAVEN_FRONT_DOOR_IMAP_FOLDER = "INBOX"
    settings.HAVEN_FRONT_DOOR_IMAP_TLS = False
    with MailBoxUnencrypted(imap_server.host, imap_server.port).login(
        imap_server.user, imap_server.password
    ) as box:
        uids = box.uids("ALL")
        if uids:
            box.delete(uids)
        yield box


def send(box, raw: bytes, when: datetime = ARRIVED) -> None:
    """Deliver a message to the mailbox as a sending school's server would."""
    box.append(raw, "INBOX", dt=when, flag_set=[])


def test_an_email_becomes_one_contact_at_its_arrival_time_with_its_attachment(mailbox):
    send(
        mailbox,
        referral_email(
            attachments=[
                ("referral-form.pdf", "application/pdf", pdf_with_text("Bruising seen on arm")),
                (
                    "notes.docx",
                    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
                    docx_with_text("Mum said Amy fell off her bike"),
                ),
            ]
        ),
    )
    result = services.mailbox_poll(actor=SYSTEM)
    assert (result.taken, result.already_taken, result.quarantined) == (1, 0, 0)
    contact = Contact.objects.get()
    assert contact.channel == codes.Channel.EMAIL
    assert contact.received_at == ARRIVED
    assert contact.completed_at is None  # needs triage
    assert contact.referrer_email == "dana.teacher@harbour-primary.example"
    email = InboundEmail.objects.get()
    assert email.contact == contact
    assert "bruises" in email.body_text
    assert email.raw.read().startswith(b"From:") or b"Message-ID" in email.raw.read()
    pdf, word = EmailAttachment.objects.order_by("id")
    assert pdf.is_kept
    assert "Bruising seen on arm" in pdf.extracted_text
    assert word.is_kept
    assert "fell off her bike" in word.extracted_text
    assert pdf.file.read().startswith(b"%PDF")
    # Flagged as taken in the mailbox, and not marked as read for the people who use it.
    flags = next(iter(mailbox.fetch(mark_seen=False))).flags
    assert "$HavenTaken" in flags
    assert "\\Seen" not in flags


def test_polling_twice_makes_no_duplicate(mailbox):
    send(mailbox, referral_email())
    poll_mailbox.enqueue()
    poll_mailbox.enqueue()
    assert Contact.objects.count() == 1
    # Even if the flag is lost (someone clears it in their mail client), the Message-ID holds.
    mailbox.flag(mailbox.uids("ALL"), "$HavenTaken", value=False)
    result = services.mailbox_poll(actor=SYSTEM)
    assert (result.taken, result.already_taken) == (0, 1)
    assert Contact.objects.count() == 1


def test_stopped_after_storing_but_before_flagging_loses_nothing_and_duplicates_nothing(
    mailbox, monkeypatch
):
    for number in range(3):
        send(mailbox, referral_email(subject=f"Referral {number}"))
    real_flag = email_service._flag_taken
    calls = {"n": 0}

    def killed_on_the_second(box, uid):
        calls["n"] += 1
        if calls["n"] == 2:
            raise KeyboardInterrupt  # the worker is killed between commit and flag
        real_flag(box, uid)

    monkeypatch.setattr(email_service, "_flag_taken", killed_on_the_second)
    with pytest.raises(KeyboardInterrupt):
        services.mailbox_poll(actor=SYSTEM)
    assert Contact.objects.count() == 2  # the second was committed, the third never started
    monkeypatch.setattr(email_service, "_flag_taken", real_flag)
    result = services.mailbox_poll(actor=SYSTEM)
    assert (result.taken, result.already_taken) == (1, 1)
    assert sorted(InboundEmail.objects.values_list("subject", flat=True)) == [
        "Referral 0",
        "Referral 1",
        "Referral 2",
    ]
    assert Contact.objects.count() == 3


def test_stopped_before_the_commit_takes_the_message_next_time(mailbox, monkeypatch):
    send(mailbox, referral_email(subject="Arrives during a crash"))
    real = email_service._contact_for

    def crash(**kwargs):
        raise SystemExit("killed")

    monkeypatch.setattr(email_service, "_contact_for", crash)
    with pytest.raises(SystemExit):
        services.mailbox_poll(actor=SYSTEM)
    assert not InboundEmail.objects.exists()
    assert not Contact.objects.exists()
    monkeypatch.setattr(email_service, "_contact_for", real)
    assert services.mailbox_poll(actor=SYSTEM).taken == 1
    assert Contact.objects.count() == 1


def test_an_unreadable_message_is_quarantined_with_the_reason(mailbox):
    send(mailbox, b"\x00\x01 this is not an email at all\r\n")
    bad_charset = (
        b"From: someone@example.test\r\nSubject: Referral\r\nMessage-ID: <odd@example.test>\r\n"
        b'Content-Type: text/plain; charset="x-no-such-charset"\r\n\r\nCaf\xe9 concerns\r\n'
    )
    send(mailbox, bad_charset)
    result = services.mailbox_poll(actor=SYSTEM)
    assert result.quarantined == 2
    assert not Contact.objects.exists()
    reasons = sorted(InboundEmail.objects.values_list("quarantine_reason", flat=True))
    assert reasons[0].startswith("The message text is in a character set that cannot be read")
    assert reasons[1].startswith("This is not an email message")
    assert services.mailbox_poll(actor=SYSTEM).seen == 0  # flagged: not read again


def test_attachments_outside_the_limits_are_refused_with_the_reason(mailbox, settings):
    settings.HAVEN_FRONT_DOOR_ATTACHMENT_MAX_MB = 1
    send(
        mailbox,
        referral_email(
            attachments=[
                ("tool.exe", "application/octet-stream", b"MZ\x90\x00" * 10),
                ("fake.pdf", "application/pdf", b"MZ not a pdf"),
                ("scan.png", "image/png", b"\x89PNG" + b"0" * (2 * 1024 * 1024)),
                ("photo.jpg", "image/jpeg", b"\xff\xd8\xff\xe0" + b"1" * 100),
            ]
        ),
    )
    services.mailbox_poll(actor=SYSTEM)
    found = {a.filename: a for a in EmailAttachment.objects.all()}
    assert found["tool.exe"].refused_reason.startswith("Not kept: only PDF, Word")
    assert found["fake.pdf"].refused_reason == "Not kept: the file is not what its name says it is"
    assert found["scan.png"].refused_reason == "Not kept: larger than the 1 MB limit"
    assert found["photo.jpg"].is_kept
    assert not found["tool.exe"].file
    assert Contact.objects.count() == 1  # the message itself is still a contact
