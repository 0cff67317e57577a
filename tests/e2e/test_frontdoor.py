"""Front door journeys in the browser: an RAO records a phone contact about two siblings, a
social worker decides it and both chronologies show it; an RAO cannot decide; the
cumulative-harm alert refuses an unweighed decision; an uploaded email is triaged; a police
file with a bad row is imported and the row corrected; a partner refers; a manager reads the
workflow report. Every page visited is checked with axe."""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import expect

from haven.accounts.models import Agency, Team
from haven.accounts.roles import Role
from haven.core.actor import Actor
from haven.frontdoor.models import Contact, ContactDecision, Episode, WorkflowReport
from haven.frontdoor.services import workflow_report_make
from haven.people.models import ChronologyEntry
from haven.people.services import person_create, relationship_add
from tests.conftest import actor_for
from tests.e2e.conftest import axe_check
from tests.factories.accounts import AgencyFactory, TeamFactory
from tests.factories.frontdoor import ContactFactory, DecisionFactory

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)
LONDON = ZoneInfo("Europe/London")


@pytest.fixture
def staff(make_user: Any) -> dict[str, Any]:
    front_door = TeamFactory(name="Children's Advice and Support", kind=Team.Kind.FRONT_DOOR)
    TeamFactory(name="Assessment North", kind=Team.Kind.ASSESSMENT)
    return {
        "rao": make_user(
            Role.REFERRAL_AND_ADVICE_OFFICER,
            email="rani.e2e@example.test",
            full_name="Rani Rao",
            team=front_door,
        ),
        "sw": make_user(
            Role.SOCIAL_WORKER, email="sam.fd@example.test", full_name="Sam Okafor", team=front_door
        ),
        "manager": make_user(
            Role.TEAM_MANAGER,
            email="morgan.fd@example.test",
            full_name="Morgan Price",
            team=front_door,
        ),
        "team": front_door,
    }


@pytest.fixture
def carters(staff: dict[str, Any]) -> dict[str, Any]:
    actor = actor_for(staff["sw"])
    amy = person_create(
        actor=actor, first_name="Amy", last_name="Carter", date_of_birth=date(2015, 4, 3), sex="F"
    )
    ben = person_create(
        actor=actor, first_name="Ben", last_name="Carter", date_of_birth=date(2018, 9, 30), sex="M"
    )
    relationship_add(actor=actor, person=amy, relative=ben, kind="sibling", lives_with=True)
    return {"amy": amy, "ben": ben}


def fill_time(page: Any, legend: str, moment: datetime) -> None:
    group = page.get_by_role("group", name=legend)
    group.get_by_label("Day").fill(str(moment.day))
    group.get_by_label("Month").fill(str(moment.month))
    group.get_by_label("Year").fill(str(moment.year))
    group.get_by_label("Time (24-hour)").fill(moment.strftime("%H:%M"))


def test_an_rao_records_a_phone_contact_about_two_siblings_and_a_social_worker_decides(
    page: Any, sign_in: Any, staff: dict[str, Any], carters: dict[str, Any]
) -> None:
    sign_in(staff["rao"])
    page.goto("/")
    axe_check(page)
    page.get_by_role("link", name="Record a contact").first.click()
    expect(page.get_by_role("heading", name="How did the concern arrive?")).to_be_visible()
    axe_check(page)
    page.get_by_role("button", name="Continue").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Select how the concern arrived")
    axe_check(page)
    page.get_by_role("radio", name="Phone").check()
    arrived = datetime.now(tz=LONDON) - timedelta(minutes=25)
    fill_time(page, "When did it arrive?", arrived)
    page.get_by_role("button", name="Continue").click()

    expect(page.get_by_role("heading", name="Who is the contact about?")).to_be_visible()
    axe_check(page)
    page.get_by_label("Search for a child or adult").fill("amy carter 3/4/2015")
    page.get_by_role("button", name="Search").click()
    axe_check(page)
    page.locator("#search-results").get_by_role("button", name="Add child Amy Carter").click()
    expect(page.locator("#contact-people")).to_contain_text("Amy Carter")
    expect(page.locator("#offered-relatives")).to_contain_text("Brother of Amy")
    axe_check(page)
    page.locator("#offered-relatives").get_by_role("button", name="Add Ben Carter").click()
    expect(page.locator("#contact-people")).to_contain_text("Ben Carter")
    axe_check(page)
    page.get_by_role("button", name="Continue").last.click()

    expect(page.get_by_role("heading", name="Who is referring?")).to_be_visible()
    axe_check(page)
    page.get_by_label("Who is referring?").select_option("2A")
    page.get_by_label("Their name").fill("Dana Teacher")
    page.get_by_label("Organisation").fill("Harbour Primary School")
    page.get_by_role("button", name="Continue").click()

    expect(page.get_by_role("heading", name="What are the concerns?")).to_be_visible()
    axe_check(page)
    page.get_by_label("Neglect").check()
    page.get_by_label("Describe the concerns").fill("Both children arrive hungry and unwashed.")
    expect(page.locator("#autosave-status")).to_contain_text("Draft saved", timeout=10_000)
    page.get_by_role("button", name="Continue").click()

    expect(page.get_by_role("heading", name="Is a child at immediate risk?")).to_be_visible()
    axe_check(page)
    page.get_by_role("radio", name="No", exact=True).check()
    page.get_by_role("button", name="Continue").click()

    expect(page.get_by_role("heading", name="Parental consent")).to_be_visible()
    axe_check(page)
    page.get_by_role("radio", name="Not sought").check()
    page.get_by_role("button", name="Continue").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter why consent was not sought")
    axe_check(page)
    page.get_by_label("Why was consent not sought?").fill("Asking would alert the father")
    page.get_by_role("button", name="Continue").click()

    expect(page.get_by_role("heading", name="Check your answers")).to_be_visible()
    expect(page.locator("#contact-summary")).to_contain_text("Asking would alert the father")
    axe_check(page)
    # The call came in earlier than first typed: corrected before submitting.
    page.get_by_role("link", name="Change how and when the concern arrived").click()
    expect(page.get_by_role("heading", name="How did the concern arrive?")).to_be_visible()
    axe_check(page)
    arrived -= timedelta(minutes=15)
    fill_time(page, "When did it arrive?", arrived)
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("heading", name="Check your answers")).to_be_visible()
    axe_check(page)
    page.get_by_role("button", name="Submit the contact").click()
    expect(page.get_by_role("heading", name="Contact submitted")).to_be_visible()
    axe_check(page)
    contact = Contact.objects.get()
    assert contact.completed_by == staff["rao"]
    assert contact.received_at == arrived.replace(second=0, microsecond=0)

    # The RAO's contact page has no decision link.
    page.get_by_role("link", name="View the contact").click()
    expect(page.get_by_role("heading", name=contact.reference)).to_be_visible()
    axe_check(page)
    expect(page.get_by_role("link", name="Make the threshold decision")).to_have_count(0)

    page.context.clear_cookies()
    sign_in(staff["sw"])
    page.goto("/work/")
    axe_check(page)
    page.get_by_role("link", name="Team work").click()
    axe_check(page)
    page.locator('[data-section="frontdoor-decision"]').get_by_role(
        "link", name=re.compile("Decide")
    ).click()
    expect(page.get_by_role("heading", name="Threshold decision")).to_be_visible()
    expect(page.locator("#history")).to_be_visible()
    axe_check(page)
    page.get_by_label("Complex/Significant").check()
    page.get_by_label("Referral for a children's social care assessment").check()
    page.get_by_label(re.compile("^Primary need")).select_option("N1")
    page.get_by_label(re.compile("^Team the referral goes to")).select_option(
        label="Assessment North"
    )
    page.get_by_label("Reasons for the decision").fill(
        "Chronic neglect of both children reported by school: needs an assessment."
    )
    page.get_by_role("button", name="Record the decision").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("Decision recorded")
    axe_check(page)
    assert ContactDecision.objects.get().outcome == "referral"
    assert Episode.objects.count() == 2

    for child in (carters["amy"], carters["ben"]):
        page.goto(child.get_absolute_url())
        axe_check(page)
        timeline = page.locator(".moj-timeline")
        expect(timeline).to_contain_text("Contact received")
        expect(timeline).to_contain_text("Threshold decision")
        assert ChronologyEntry.objects.filter(child=child, kind="contact_decision").exists()


def test_an_rao_cannot_decide_by_the_address_either(
    page: Any, sign_in: Any, staff: dict[str, Any], carters: dict[str, Any]
) -> None:
    contact = ContactFactory(children=[carters["amy"]], team=staff["team"])
    sign_in(staff["rao"])
    response = page.goto(f"/front-door/contacts/{contact.pk}/decide/")
    axe_check(page)
    assert response.status == 403
    expect(page.get_by_role("heading", name="You cannot see this page")).to_be_visible()
    assert not ContactDecision.objects.exists()


def test_the_harm_alert_refuses_an_unweighed_decision(
    page: Any, sign_in: Any, staff: dict[str, Any], carters: dict[str, Any]
) -> None:
    amy = carters["amy"]
    now = datetime.now(tz=LONDON)
    for days in (250, 90):
        DecisionFactory(
            contact=ContactFactory(
                children=[amy], categories=["neglect"], received_at=now - timedelta(days=days)
            ),
            outcome="advice",
        )
    contact = ContactFactory(children=[amy], categories=["neglect"], team=staff["team"])
    sign_in(staff["sw"])
    page.goto(f"/front-door/contacts/{contact.pk}/decide/")
    expect(page.locator("#harm-alert")).to_contain_text("3 contacts in 12 months about this child")
    expect(page.locator("#harm-alert")).to_contain_text("Neglect raised in 3 contacts")
    axe_check(page)
    page.get_by_label("Universal Plus").check()
    page.get_by_role("radio", name="Information and advice").check()
    page.get_by_label("Reasons for the decision").fill("Advice to school about local support.")
    # What is typed is kept as a draft while the worker thinks (nothing typed is lost).
    expect(page.locator("#autosave-status")).to_contain_text("Draft saved", timeout=10_000)
    page.reload()
    expect(page.get_by_label("Reasons for the decision")).to_have_value(
        "Advice to school about local support."
    )
    axe_check(page)
    page.get_by_role("button", name="Record the decision").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("say how you weighed it")
    axe_check(page)
    assert not ContactDecision.objects.filter(contact=contact).exists()
    page.get_by_label("How did you weigh the children's history?").fill(
        "Third neglect contact: discussed with my manager; stepping up to early help with a "
        "named lead and a review in four weeks."
    )
    page.get_by_role("radio", name="Early help").check()
    page.get_by_role("button", name="Record the decision").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("Early help")
    axe_check(page)
    assert ContactDecision.objects.get(contact=contact).flags.count() == 2


def test_an_uploaded_email_is_triaged(
    page: Any, sign_in: Any, staff: dict[str, Any], carters: dict[str, Any], tmp_path: Any
) -> None:
    from tests.frontdoor.samples import pdf_with_text, referral_email

    path = tmp_path / "referral.eml"
    path.write_bytes(
        referral_email(
            date=datetime.now(tz=LONDON) - timedelta(hours=2),
            attachments=[("form.pdf", "application/pdf", pdf_with_text("Bruises seen on arm"))],
        )
    )
    sign_in(staff["rao"])
    page.goto("/front-door/")
    axe_check(page)
    page.get_by_role("link", name="Upload a saved email").click()
    axe_check(page)
    page.get_by_label("Upload a saved email").set_input_files(str(path))
    page.get_by_role("button", name="Upload", exact=True).click()
    expect(page.get_by_role("heading", name="Who is the contact about?")).to_be_visible()
    axe_check(page)
    contact = Contact.objects.get()
    page.goto(contact.get_absolute_url())
    expect(page.locator("#email-body")).to_contain_text("came to school with bruises")
    page.get_by_text("Read the text of form.pdf").click()
    expect(page.locator("#email-attachments")).to_contain_text("Bruises seen on arm")
    axe_check(page)

    # Triage through to completion: link the child, answer each question, submit.
    page.get_by_role("link", name="Triage this contact").click()
    expect(page.locator("#triage-source")).to_contain_text("came to school with bruises")
    axe_check(page)
    page.get_by_label("Search for a child or adult").fill("amy carter 3/4/2015")
    page.get_by_role("button", name="Search").click()
    axe_check(page)
    page.locator("#search-results").get_by_role("button", name="Add child Amy Carter").click()
    expect(page.locator("#contact-people")).to_contain_text("Amy Carter")
    axe_check(page)
    page.get_by_role("button", name="Continue").last.click()
    expect(page.get_by_role("heading", name="Who is referring?")).to_be_visible()
    axe_check(page)
    page.get_by_label("Who is referring?").select_option("2A")
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("heading", name="What are the concerns?")).to_be_visible()
    expect(page.locator("#triage-source")).to_contain_text("came to school with bruises")
    axe_check(page)
    page.get_by_label("Physical abuse").check()
    page.get_by_label("Describe the concerns").fill("Bruises on her arm seen at school.")
    page.get_by_role("button", name="Continue").click()
    axe_check(page)
    page.get_by_role("radio", name="No", exact=True).check()
    page.get_by_role("button", name="Continue").click()
    axe_check(page)
    page.get_by_role("radio", name="Given").check()
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("heading", name="Check your answers")).to_be_visible()
    axe_check(page)
    page.get_by_role("button", name="Submit the contact").click()
    expect(page.get_by_role("heading", name="Contact submitted")).to_be_visible()
    axe_check(page)
    contact.refresh_from_db()
    assert contact.completed_by == staff["rao"]
    assert ChronologyEntry.objects.filter(child=carters["amy"], kind="contact_received").exists()


def test_a_police_file_with_a_bad_row_and_its_correction(
    page: Any, sign_in: Any, staff: dict[str, Any], tmp_path: Any
) -> None:
    from tests.frontdoor.test_police import GOOD_AND_BAD

    path = tmp_path / "police.csv"
    path.write_text(GOOD_AND_BAD)
    sign_in(staff["rao"])
    page.goto("/front-door/police/")
    axe_check(page)
    page.get_by_label("Upload a police notifications file").set_input_files(str(path))
    page.get_by_role("button", name="Import", exact=True).click()
    expect(page.locator("#import-summary")).to_contain_text("3 contacts made")
    expect(page.locator("#import-contacts")).to_contain_text("Needs triage")
    expect(page.locator("#import-problems")).to_contain_text("Line 4")
    expect(page.locator("#import-problems")).to_contain_text("is not like 2025-03-14 21:40")
    axe_check(page)
    page.get_by_role("link", name="Correct or dismiss line 4").click()
    axe_check(page)
    page.get_by_label("Date and time").fill("2025-03-14 20:15")
    page.get_by_role("button", name="Import this row").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("Line 4 imported")
    axe_check(page)
    page.get_by_role("link", name="Back to police notifications").click()
    page.get_by_label("Upload a police notifications file").set_input_files(str(path))
    page.get_by_role("button", name="Import", exact=True).click()
    expect(page.locator("#import-summary")).to_contain_text("0 contacts made, 4 already imported")
    axe_check(page)
    assert Contact.objects.count() == 4


def test_a_partner_refers_and_sees_the_status(page: Any, sign_in: Any, make_user: Any) -> None:
    nurse = make_user(
        Role.PARTNER,
        email="nia.e2e@health.example",
        full_name="Nia Nurse",
        agency=AgencyFactory(name="Haven Community Health", kind=Agency.Kind.HEALTH),
    )
    sign_in(nurse)
    page.goto("/")
    axe_check(page)
    page.get_by_role("link", name="Refer a child").first.click()
    expect(page.get_by_role("heading", name="Refer a child to children's services")).to_be_visible()
    axe_check(page)
    page.get_by_label("Which children is it about?").fill("Noah Price (01/02/2024)")
    page.get_by_label("What are you worried about?").fill(
        "Missed three health visits; weight loss."
    )
    page.get_by_role(
        "group", name="Is a child at immediate risk of significant harm?"
    ).get_by_label("No").check()
    page.get_by_role("radio", name="Given").check()
    page.get_by_label("Your role").fill("Health visitor")
    page.get_by_label("Phone number to reach you").fill("0100 000 0001")
    page.get_by_role("button", name="Send the referral").click()
    expect(page.get_by_role("heading", name="Referral sent")).to_be_visible()
    expect(page.locator("#referral-status")).to_contain_text("Being considered")
    axe_check(page)
    assert Contact.objects.get().referrer_agency == nurse.agency


def test_a_manager_reads_the_workflow_report(
    page: Any, sign_in: Any, staff: dict[str, Any], carters: dict[str, Any]
) -> None:
    ContactFactory(children=[carters["amy"]], team=staff["team"], is_domestic_abuse=True)
    report = workflow_report_make(actor=Actor.system("tests"), send=False)
    sign_in(staff["manager"])
    page.goto("/front-door/reports/")
    axe_check(page)
    page.get_by_role("link", name=re.compile(r"\d{4}, \d{2}:\d{2}")).first.click()
    expect(page.locator("#report-summary")).to_contain_text("1 open contact")
    expect(page.locator("#report-rows")).to_contain_text("Amy Carter")
    axe_check(page)
    assert report.rows.count() == 1
    page.goto("/front-door/reports/")
    axe_check(page)
    page.get_by_role("button", name="Make a report now").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("Workflow report made")
    expect(page.locator("#report-rows")).to_contain_text("Amy Carter")
    axe_check(page)
    assert WorkflowReport.objects.count() == 2


def test_information_is_asked_and_answered_late_then_the_decision_is_changed_and_countersigned(
    page: Any, sign_in: Any, staff: dict[str, Any], carters: dict[str, Any]
) -> None:
    contact = ContactFactory(children=[carters["amy"]], team=staff["team"])
    sign_in(staff["rao"])
    page.goto(contact.get_absolute_url())
    axe_check(page)
    page.get_by_role("link", name="Record a request for information").click()
    expect(page.get_by_role("heading", name="Record a request for information")).to_be_visible()
    axe_check(page)
    page.get_by_role("radio", name="Police").check()
    page.get_by_label("Organisation or service").fill("Haven Police safeguarding unit")
    page.get_by_label("What was asked?").fill("Any call-outs to the address this year?")
    fill_time(page, "When was it asked?", datetime.now(tz=LONDON) - timedelta(minutes=30))
    page.get_by_role("button", name="Save").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("Request to Haven Police")
    expect(page.get_by_text("Waiting", exact=True)).to_be_visible()
    axe_check(page)

    # The decision is made before the police answer; the answer still goes on the record.
    DecisionFactory(contact=contact, decided_by=staff["sw"], outcome="advice")
    page.reload()
    axe_check(page)
    page.get_by_role("link", name="Record the answer from Haven Police safeguarding unit").click()
    expect(page.get_by_role("heading", name=re.compile("Record the answer"))).to_be_visible()
    axe_check(page)
    page.get_by_label("What came back?").fill("Two call-outs for shouting in March.")
    fill_time(page, "When did it come back?", datetime.now(tz=LONDON) - timedelta(minutes=1))
    page.get_by_role("button", name="Save").click()
    expect(page.locator("#information-requests")).to_contain_text("Two call-outs for shouting")
    axe_check(page)

    page.context.clear_cookies()
    sign_in(staff["sw"])
    page.goto(contact.get_absolute_url())
    axe_check(page)
    page.get_by_role("link", name="Review and change the decision").click()
    axe_check(page)
    page.get_by_role("radio", name="Early help").check()
    page.get_by_label("Why is the decision changing?").fill(
        "The police answer shows repeated incidents: early help is needed."
    )
    page.get_by_role("button", name=re.compile("decision")).last.click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("has been changed")
    axe_check(page)
    current = ContactDecision.objects.get(contact=contact, is_current=True)
    assert current.outcome == "early_help"

    page.context.clear_cookies()
    sign_in(staff["manager"])
    page.goto(contact.get_absolute_url())
    axe_check(page)
    page.get_by_role("link", name="Add oversight or countersign").click()
    expect(page.get_by_role("heading", name="Manager's oversight")).to_be_visible()
    axe_check(page)
    page.get_by_role("button", name="Save").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Select a note")
    axe_check(page)
    page.get_by_role("radio", name="Countersignature").check()
    page.get_by_label("Your oversight").fill("Agree: early help with a review in four weeks.")
    page.get_by_role("button", name="Save").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("Countersignature")
    axe_check(page)
    assert current.oversight.get().author == staff["manager"]


def test_quarantined_emails_are_made_into_a_contact_or_dismissed_and_a_contact_closed(
    page: Any, sign_in: Any, staff: dict[str, Any]
) -> None:
    from haven.frontdoor.services import email_upload

    actor = actor_for(staff["rao"])
    for n in (1, 2):
        email_upload(
            actor=actor, filename=f"broken{n}.msg", data=b"\xd0\xcf\x11\xe0 damaged %d" % n
        )
    sign_in(staff["rao"])
    page.goto("/front-door/")
    axe_check(page)
    page.get_by_role("link", name="Emails that could not be read").click()
    expect(page.locator("#quarantine")).to_contain_text("could not be opened")
    axe_check(page)
    page.locator("#quarantine").get_by_role("link").first.click()
    axe_check(page)
    page.get_by_label("What is the concern in the message?").fill(
        "A school worried about a child's bruises, from the attachment."
    )
    page.get_by_role("button", name="Make a contact").click()
    expect(page.get_by_role("heading", name="Who is the contact about?")).to_be_visible()
    axe_check(page)
    made = Contact.objects.get()

    page.goto("/front-door/email/quarantine/")
    axe_check(page)
    page.locator("#quarantine").get_by_role("link").first.click()
    axe_check(page)
    page.get_by_label("Why is this message not a contact?").fill("An advert sent to the mailbox.")
    page.get_by_role("button", name="Not a contact").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("taken off the quarantine")
    axe_check(page)

    # The contact made by hand turns out to be a duplicate: closed without a decision.
    page.goto(made.get_absolute_url())
    axe_check(page)
    page.get_by_role("link", name="Close without a decision").click()
    axe_check(page)
    page.get_by_label("Why is this contact being closed without a decision?").fill(
        "A duplicate of the phone call from the same school."
    )
    page.get_by_role("button", name="Close the contact").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("closed without a decision")
    axe_check(page)
    made.refresh_from_db()
    assert made.withdrawn_at is not None


def test_a_manager_directs_the_work_before_the_decision(
    page: Any, sign_in: Any, staff: dict[str, Any], carters: dict[str, Any]
) -> None:
    contact = ContactFactory(children=[carters["amy"]], team=staff["team"])
    sign_in(staff["manager"])
    page.goto(contact.get_absolute_url())
    axe_check(page)
    page.get_by_role("link", name="Add management oversight").click()
    expect(page.get_by_role("heading", name="Manager's oversight")).to_be_visible()
    axe_check(page)
    page.get_by_label("Your oversight").fill("Ask the health visitor about weight before deciding.")
    page.get_by_role("button", name="Save").click()
    expect(page.locator("#management-direction")).to_contain_text("Ask the health visitor")
    axe_check(page)

    page.context.clear_cookies()
    sign_in(staff["sw"])
    page.goto(f"/front-door/contacts/{contact.pk}/decide/")
    expect(page.locator("#management-direction")).to_contain_text("Ask the health visitor")
    axe_check(page)
