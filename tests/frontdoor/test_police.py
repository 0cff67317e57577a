"""Police notifications: a CSV with a bad row imports the rest and names the bad row and why;
importing it again adds nothing; a corrected row imports from the browser."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse

from haven.core.actor import Actor
from haven.frontdoor import codes, services
from haven.frontdoor.models import Contact, PoliceImportProblem, PoliceNotification
from haven.frontdoor.selectors import status_of

pytestmark = pytest.mark.django_db
SYSTEM = Actor.system("tests")

GOOD_AND_BAD = """police_reference,occurred_at,notification_type,children,adults,address,narrative,officer,risk_level
HP/2025/00123,2025-03-14 21:40,Domestic abuse,Amy Carter (03/04/2015); Ben Carter (30/09/2018),Lee Carter (12/01/1988),"4 Quay Street, Haven HV1 2AB","Verbal argument between parents; children upstairs, not hurt.",PC 4411 Shah,Standard
HP/2025/00124,14/03/2025 23:05,missing,Jo Price (01/02/2010),,"9 Mill Lane, Haven","Jo missing from home since 19:00, found at 22:30 at a friend's.",PC 2040 Evans,Medium
HP/2025/00125,2025-13-40 25:00,domestic abuse,Kai Moss (2016-05-05),,,"Neighbours heard shouting.",PC 1 Test,
HP/2025/00126,2025-03-15 01:10,Child concern,"Mia Lowe (11/11/2012)",,,"Mia found drunk in the park at 01:00.",PC 3033 Khan,
"""


def test_the_bad_row_is_named_and_kept_while_the_rest_import(social_worker):
    from tests.conftest import actor_for

    record = services.police_import(
        actor=actor_for(social_worker), filename="police-2025-03-15.csv", data=GOOD_AND_BAD.encode()
    )
    assert (record.rows_total, record.rows_created, record.rows_bad) == (4, 3, 1)
    problem = PoliceImportProblem.objects.get()
    assert problem.line_number == 4
    assert problem.reasons == [
        "The date and time '2025-13-40 25:00' is not like 2025-03-14 21:40 or 14/03/2025 21:40"
    ]
    assert problem.raw["police_reference"] == "HP/2025/00125"
    assert "HP/2025/00125" in problem.raw_line

    da = PoliceNotification.objects.get(police_reference="HP/2025/00123")
    contact = da.contact
    assert contact.channel == codes.Channel.POLICE
    assert contact.source == codes.ReferralSource.POLICE
    assert contact.is_domestic_abuse
    assert status_of(contact) == codes.Status.NEEDS_TRIAGE
    assert [(p.given_name, p.role) for p in contact.people.all()] == [
        ("Amy Carter", "child"),
        ("Ben Carter", "child"),
        ("Lee Carter", "adult"),
    ]
    # Held to the same one-working-day decision as every other contact.
    from haven.frontdoor.services.contacts import contact_due_at

    assert contact.due_at == contact_due_at(received_at=contact.received_at, urgent=False)
    assert not PoliceNotification.objects.get(
        police_reference="HP/2025/00124"
    ).contact.is_domestic_abuse


def test_importing_the_same_file_again_adds_nothing(social_worker):
    from tests.conftest import actor_for

    services.police_import(
        actor=actor_for(social_worker), filename="a.csv", data=GOOD_AND_BAD.encode()
    )
    again = services.police_import(
        actor=actor_for(social_worker), filename="a.csv", data=GOOD_AND_BAD.encode()
    )
    assert (again.rows_created, again.rows_already_imported, again.rows_bad) == (0, 3, 1)
    assert Contact.objects.count() == 3


def test_the_command_imports_and_names_the_bad_rows(tmp_path):
    path = tmp_path / "police.csv"
    path.write_text(GOOD_AND_BAD)
    out = StringIO()
    call_command("import_police_notifications", str(path), stdout=out)
    text = out.getvalue()
    assert "4 rows, 3 contacts made, 0 already imported, 1 not imported" in text
    assert "line 4: The date and time '2025-13-40 25:00'" in text
    out = StringIO()
    call_command("import_police_notifications", str(path), stdout=out)
    assert "0 contacts made, 3 already imported" in out.getvalue()


@pytest.mark.parametrize(
    ("row", "reason"),
    [
        (
            ",2025-03-14 21:40,missing,Amy Carter (03/04/2015),,,Narrative,,",
            "The police reference is missing",
        ),
        (
            "R1,2025-03-14 21:40,burglary,Amy Carter (03/04/2015),,,Narrative,,",
            "The type 'burglary' is not one of",
        ),
        ("R2,2025-03-14 21:40,missing,,,,Narrative,,", "No children are named"),
        (
            "R3,2025-03-14 21:40,missing,Amy Carter (31/02/2015),,,Narrative,,",
            "Children: the date of birth of Amy Carter ('31/02/2015') is not a date",
        ),
        ("R4,2025-03-14 21:40,missing,Amy Carter (03/04/2015),,,,,", "The narrative is missing"),
        ("R5,2099-03-14 21:40,missing,Amy Carter (03/04/2015),,,Narrative,,", "is in the future"),
        (
            "R6,2025-03-14 21:40,missing,Amy Carter (03/04/2015),,,Narrative,,,,extra,values",
            "The row has 12 values",
        ),
    ],
)
def test_each_bad_row_says_what_is_wrong(row, reason):
    header = GOOD_AND_BAD.splitlines()[0]
    record = services.police_import(
        actor=SYSTEM, filename="x.csv", data=f"{header}\n{row}\n".encode()
    )
    problem = record.problems.get()
    assert any(reason in r for r in problem.reasons), problem.reasons
    assert problem.line_number == 2


def test_a_file_without_the_columns_is_refused_whole():
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as error:
        services.police_import(actor=SYSTEM, filename="x.csv", data=b"name,age\nAmy,9\n")
    assert "does not have the columns police_reference, occurred_at" in error.value.messages[0]


def test_correcting_a_bad_row_in_the_browser(client, rao):
    services.police_import(actor=SYSTEM, filename="a.csv", data=GOOD_AND_BAD.encode())
    problem = PoliceImportProblem.objects.get()
    client.force_login(rao)
    page = client.get(reverse("frontdoor:police"))
    assert "Line 4" in page.content.decode()
    url = reverse("frontdoor:police-problem", args=[problem.pk])
    values = dict(problem.raw)
    still_bad = client.post(url, {"action": "import", **values})
    assert "is not like 2025-03-14 21:40" in still_bad.content.decode()
    values["occurred_at"] = "2025-03-14 20:00"
    response = client.post(url, {"action": "import", **values})
    assert response.status_code == 302
    problem.refresh_from_db()
    assert not problem.is_open
    assert PoliceNotification.objects.filter(police_reference="HP/2025/00125").exists()
    assert Contact.objects.count() == 4


def test_uploading_in_the_browser(client, rao):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(rao)
    response = client.post(
        reverse("frontdoor:police"),
        {"file": SimpleUploadedFile("police.csv", GOOD_AND_BAD.encode(), "text/csv")},
    )
    assert response.status_code == 302
    page = client.get(response.url).content.decode()
    assert "3 contacts made" in page
    assert "Line 4" in page
    refused = client.post(
        reverse("frontdoor:police"), {"file": SimpleUploadedFile("police.txt", b"x", "text/plain")}
    )
    assert "must be a CSV file" in refused.content.decode()


MISSING_ROWS = """police_reference,occurred_at,notification_type,children,narrative,reported_at,returned_at,where_found,looked_after
HP/M/1,2025-03-14 19:00,missing,Jo Price (01/02/2010),Jo did not come home.,2025-03-14 21:00,,,no
"""
MISSING_RETURNED = """police_reference,occurred_at,notification_type,children,narrative,reported_at,returned_at,where_found,looked_after
HP/M/1,2025-03-14 19:00,missing,Jo Price (01/02/2010),Jo did not come home.,2025-03-14 21:00,2025-03-15 02:10,A friend's flat,no
"""


def test_other_apps_hear_of_each_notification_of_their_type_and_of_it_again():
    from haven.frontdoor import police

    heard = []

    def handler(event):
        heard.append((event.notification.police_reference, event.created, event.row.returned_at))

    police.register_notification_handler("missing", handler)
    try:
        services.police_import(actor=SYSTEM, filename="a.csv", data=MISSING_ROWS.encode())
        again = services.police_import(
            actor=SYSTEM, filename="b.csv", data=MISSING_RETURNED.encode()
        )
    finally:
        police.unregister_notification_handler("missing", handler)
    assert again.rows_already_imported == 1
    assert Contact.objects.count() == 1
    assert heard[0][:2] == ("HP/M/1", True)
    assert heard[0][2] is None
    assert heard[1][:2] == ("HP/M/1", False)
    assert heard[1][2].hour == 2


def test_a_handler_that_refuses_a_row_makes_it_a_bad_row():
    from django.core.exceptions import ValidationError

    from haven.frontdoor import police

    def refuse(event):
        raise ValidationError("The child's record is being merged: try again later")

    police.register_notification_handler("missing", refuse)
    try:
        record = services.police_import(actor=SYSTEM, filename="a.csv", data=MISSING_ROWS.encode())
    finally:
        police.unregister_notification_handler("missing", refuse)
    assert record.rows_bad == 1
    assert record.problems.get().reasons == ["The child's record is being merged: try again later"]
    assert not Contact.objects.exists()
    assert not PoliceNotification.objects.exists()


def test_the_missing_columns_are_checked():
    bad = MISSING_RETURNED.replace("2025-03-15 02:10", "2025-03-13 02:10").replace(
        ",no\n", ",maybe\n"
    )
    record = services.police_import(actor=SYSTEM, filename="a.csv", data=bad.encode())
    reasons = record.problems.get().reasons
    assert (
        "The time returned '2025-03-13 02:10' is before the date and time of the notification"
        in reasons
    )
    assert "Looked after 'maybe' is not yes or no" in reasons


def test_the_contacts_made_show_their_status_and_time_left(client, rao):
    record = services.police_import(actor=SYSTEM, filename="a.csv", data=GOOD_AND_BAD.encode())
    client.force_login(rao)
    page = client.get(reverse("frontdoor:police-import", args=[record.pk])).content.decode()
    made = page.split('id="import-contacts"')[1]
    assert made.count("Needs triage") == record.rows_created
    assert made.count('data-rag="') == record.rows_created


def test_triage_pages_show_the_police_narrative(client, rao):
    services.police_import(actor=SYSTEM, filename="a.csv", data=GOOD_AND_BAD.encode())
    contact = PoliceNotification.objects.order_by("line_number").first().contact
    narrative = contact.police_notification.narrative
    client.force_login(rao)
    for step in ("people", "referrer", "concerns", "risk", "consent"):
        page = client.get(reverse(f"frontdoor:{step}", args=[contact.pk])).content.decode()
        assert narrative.split()[0] in page.split('id="triage-source"')[1], step
