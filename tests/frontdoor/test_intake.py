"""Uploading saved emails (.eml and Outlook .msg), the quarantine list, partner referrals by
the GOV.UK form, and the partner's view of their referrals' status."""

from __future__ import annotations

from datetime import UTC, datetime
from types import SimpleNamespace

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from haven.accounts.models import Agency
from haven.accounts.roles import Role
from haven.audit.models import Event
from haven.core.actor import Actor
from haven.frontdoor import codes, mail, services
from haven.frontdoor.models import Contact, InboundEmail
from tests.factories.accounts import AgencyFactory
from tests.factories.frontdoor import DecisionFactory
from tests.frontdoor.samples import pdf_with_text, referral_email

pytestmark = pytest.mark.django_db


def upload(client, name: str, data: bytes):
    return client.post(reverse("frontdoor:email-upload"), {"file": SimpleUploadedFile(name, data)})


def test_uploading_a_saved_email_makes_a_contact_from_when_it_was_sent(client, rao):
    sent = datetime(2025, 3, 13, 16, 45, tzinfo=UTC)
    raw = referral_email(
        date=sent,
        attachments=[("form.pdf", "application/pdf", pdf_with_text("School referral form"))],
    )
    client.force_login(rao)
    response = upload(client, "referral.eml", raw)
    contact = Contact.objects.get()
    assert response.url == reverse("frontdoor:people", args=[contact.pk])
    assert contact.received_at == sent
    page = client.get(contact.get_absolute_url()).content.decode()
    assert "came to school with bruises" in page
    assert "School referral form" in page  # text from the PDF shown on the page
    again = upload(client, "referral-copy.eml", raw)
    assert again.url == contact.get_absolute_url()
    assert Contact.objects.count() == 1


def test_an_outlook_msg_is_read_too(client, rao, monkeypatch):
    fake = SimpleNamespace(
        sender="Health Visitor <hv@health.example>",
        body="Baby Noah missed three appointments.",
        htmlBody=None,
        date=datetime(2025, 3, 12, 11, 0, tzinfo=UTC),
        messageId="<msg-1@health.example>",
        subject="Missed appointments",
        to="frontdoor@example.test",
        attachments=[
            SimpleNamespace(
                data=b"%PDF-1.4 nothing",
                longFilename="letter.pdf",
                shortFilename="",
                mimetype="application/pdf",
            )
        ],
        close=lambda: None,
    )
    import extract_msg

    monkeypatch.setattr(extract_msg, "openMsg", lambda data: fake)
    client.force_login(rao)
    upload(client, "missed.msg", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100)
    email = InboundEmail.objects.get()
    assert email.subject == "Missed appointments"
    assert email.from_address == "hv@health.example"
    assert email.contact.received_at == datetime(2025, 3, 12, 11, 0, tzinfo=UTC)
    assert email.attachments.get().filename == "letter.pdf"
    assert email.raw.name.endswith(".msg")


def test_a_damaged_msg_goes_to_quarantine_and_someone_makes_the_contact_by_hand(client, rao):
    client.force_login(rao)
    response = upload(client, "broken.msg", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1 not really ole")
    email = InboundEmail.objects.get()
    assert response.url == reverse("frontdoor:email", args=[email.pk])
    assert email.quarantine_reason.startswith("The Outlook message could not be opened")
    listing = client.get(reverse("frontdoor:quarantine")).content.decode()
    assert "could not be opened" in listing
    page = reverse("frontdoor:email", args=[email.pk])
    refused = client.post(page, {"action": "dismiss", "dismiss-reason": "spam"})
    assert "at least 10 characters" in refused.content.decode()
    made = client.post(
        page, {"action": "contact", "contact-reason": "Nursery worried about Noah's weight"}
    )
    contact = Contact.objects.get()
    assert made.url == reverse("frontdoor:people", args=[contact.pk])
    assert contact.received_at == email.arrived_at
    email.refresh_from_db()
    assert not email.is_in_quarantine
    assert email.contact == contact
    downloaded = client.get(reverse("frontdoor:email-original", args=[email.pk]))
    assert downloaded.status_code == 200
    assert downloaded["Content-Disposition"].startswith("attachment")
    assert Event.objects.filter(action="export", object_type="frontdoor.inboundemail").exists()


def test_only_eml_and_msg_files_are_taken(client, rao):
    client.force_login(rao)
    refused = upload(client, "notes.txt", b"hello")
    assert "must be an .eml or .msg file" in refused.content.decode()


def test_html_only_messages_are_read_as_text():
    raw = (
        b"From: a@school.example\r\nSubject: x\r\nMessage-ID: <h@x>\r\nContent-Type: text/html\r\n\r\n"
        b"<html><head><style>p{}</style></head><body><p>Amy&nbsp;is hungry</p><p>Please call</p></body></html>"
    )
    parsed = mail.parse_rfc822(raw)
    assert parsed.body_text == "Amy is hungry\n\nPlease call"


@pytest.fixture
def nurse(make_user):
    agency = AgencyFactory(name="Haven Community Health", kind=Agency.Kind.HEALTH)
    return make_user(
        Role.PARTNER, email="nurse@health.example", agency=agency, full_name="Nia Nurse"
    )


def test_a_partner_refers_through_the_form_and_sees_only_the_status(
    client, nurse, make_user, social_worker
):
    client.force_login(nurse)
    form = reverse("frontdoor:refer")
    refused = client.post(
        form, {"children": "Noah Price", "immediate_risk": "no", "consent": "given"}
    )
    text = refused.content.decode()
    assert "Give each child" in text
    assert "Enter what you are worried about" in text
    response = client.post(
        form,
        {
            "children": "Noah Price (01/02/2024)",
            "concern_summary": "Noah has missed three health visits and lost weight.",
            "immediate_risk": "no",
            "consent": "given",
            "referrer_name": "Nia Nurse",
            "referrer_role": "Health visitor",
            "referrer_phone": "0100 000 0001",
        },
    )
    contact = Contact.objects.get()
    assert response.url == reverse("frontdoor:referral", args=[contact.pk])
    assert contact.channel == codes.Channel.PARTNER_FORM
    assert contact.source == codes.ReferralSource.HEALTH_OTHER
    status = client.get(response.url).content.decode()
    assert "Being considered" in status
    assert "lost weight" not in status
    DecisionFactory(contact=contact, outcome=codes.Outcome.EARLY_HELP)
    assert (
        "Decision made: early help" in client.get(reverse("frontdoor:referrals")).content.decode()
    )
    # Another agency's partner sees nothing of it, and partners cannot open the contact itself.
    other = make_user(
        Role.PARTNER, email="pc@police.example", agency=AgencyFactory(name="Haven Police")
    )
    client.force_login(other)
    assert client.get(reverse("frontdoor:referral", args=[contact.pk])).status_code == 404
    assert client.get(contact.get_absolute_url()).status_code == 403


def test_an_urgent_partner_referral_tells_the_duty_decision_makers(
    nurse, social_worker, front_door, django_capture_on_commit_callbacks
):
    from django.core import mail as outbox

    from tests.conftest import actor_for

    with django_capture_on_commit_callbacks(execute=True):
        contact = services.partner_referral_submit(
            actor=actor_for(nurse),
            referral=services.PartnerReferral(
                children="Noah Price (01/02/2024)",
                concern_summary="Mother says she will hurt Noah tonight.",
                immediate_risk=True,
                consent=codes.Consent.NOT_SOUGHT,
                consent_detail="Would put Noah at greater risk",
                referrer_name="Nia Nurse",
                referrer_role="Health visitor",
                referrer_phone="0100",
            ),
        )
    assert contact.due_at == contact.received_at
    assert outbox.outbox[0].to == [social_worker.email]


def test_the_system_actor_may_import_without_a_user():
    record = services.police_import(
        actor=Actor.system("tests"),
        filename="x.csv",
        data=b"police_reference,occurred_at,notification_type,children,narrative\nR9,2025-01-01 10:00,missing,Jo Bloggs (01/01/2012),Found\n",
    )
    assert record.rows_created == 1


def test_triage_pages_show_the_email(client, rao):
    client.force_login(rao)
    upload(client, "referral.eml", referral_email())
    contact = Contact.objects.get()
    body = InboundEmail.objects.get().body_text
    for step in ("people", "concerns"):
        page = client.get(reverse(f"frontdoor:{step}", args=[contact.pk])).content.decode()
        source = page.split('id="triage-source"')[1]
        assert "The email as it arrived" in page
        assert body.split()[0] in source, step


def test_the_page_says_why_an_older_word_file_has_no_text(client, rao):
    client.force_login(rao)
    old_word = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 200
    upload(
        client,
        "referral.eml",
        referral_email(attachments=[("notes.doc", "application/msword", old_word)]),
    )
    contact = Contact.objects.get()
    attachment = InboundEmail.objects.get().attachments.get()
    assert attachment.is_kept
    assert attachment.extracted_text == ""
    page = client.get(contact.get_absolute_url()).content.decode()
    assert "older Word file (.doc): its text is not shown here" in page
    assert "only PDF, Word .docx and plain text are" in page
