"""The front door's pages: who may open each, recording a contact page by page, deciding,
and the queues (with a fixed number of queries however many rows)."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from haven.accounts.roles import Role
from haven.audit.models import Event
from haven.frontdoor.models import Contact, ContactDecision, Episode
from haven.people.models import ChronologyEntry
from tests.factories.frontdoor import ContactFactory, DecisionFactory, level

pytestmark = pytest.mark.django_db
LONDON = ZoneInfo("Europe/London")


@pytest.fixture
def users(rao, social_worker, team_manager, make_user, front_door):
    return {
        "rao": rao,
        "social_worker": social_worker,
        "team_manager": team_manager,
        "out_of_hours": make_user(Role.OUT_OF_HOURS_WORKER, email="edt@example.test"),
        "partner": make_user(Role.PARTNER, email="police.user@example.test"),
        "administrator": make_user(Role.ADMINISTRATOR, email="admin@example.test"),
        "auditor": make_user(Role.QUALITY_AUDITOR, email="auditor@example.test"),
        "analyst": make_user(Role.PERFORMANCE_ANALYST, email="analyst@example.test"),
    }


@pytest.fixture
def open_contact(siblings, front_door):
    return ContactFactory(children=[siblings[0]], team=front_door)


PAGES = [
    # (url name, needs a contact, who may open it)
    (
        "frontdoor:index",
        False,
        {"rao", "social_worker", "team_manager", "out_of_hours", "auditor", "analyst"},
    ),
    ("frontdoor:start", False, {"rao", "social_worker", "team_manager", "out_of_hours"}),
    (
        "frontdoor:contact",
        True,
        {"rao", "social_worker", "team_manager", "out_of_hours", "auditor", "analyst"},
    ),
    ("frontdoor:people", True, {"rao", "social_worker", "team_manager", "out_of_hours"}),
    ("frontdoor:check", True, {"rao", "social_worker", "team_manager", "out_of_hours"}),
    ("frontdoor:decide", True, {"social_worker", "team_manager"}),
    ("frontdoor:assign", True, {"social_worker", "team_manager"}),
    ("frontdoor:information-new", True, {"rao", "social_worker", "team_manager", "out_of_hours"}),
    ("frontdoor:email-upload", False, {"rao", "social_worker", "team_manager", "out_of_hours"}),
    ("frontdoor:quarantine", False, {"rao", "social_worker", "team_manager", "out_of_hours"}),
    ("frontdoor:police", False, {"rao", "social_worker", "team_manager", "out_of_hours"}),
    ("frontdoor:reports", False, {"team_manager", "analyst"}),
    ("frontdoor:refer", False, {"partner"}),
    ("frontdoor:referrals", False, {"partner"}),
]
ROLES = [
    "rao",
    "social_worker",
    "team_manager",
    "out_of_hours",
    "partner",
    "administrator",
    "auditor",
    "analyst",
]


@pytest.mark.parametrize("page", PAGES, ids=[p[0] for p in PAGES])
def test_who_may_open_each_page(client, users, open_contact, page):
    name, with_contact, allowed = page
    url = reverse(name, args=[open_contact.pk] if with_contact else [])
    for role in ROLES:
        client.force_login(users[role])
        response = client.get(url)
        expected = 200 if role in allowed else 403
        assert response.status_code == expected, (role, name, response.status_code)


def test_an_rao_sees_no_decide_link_and_is_refused_by_url_and_post(client, users, open_contact):
    client.force_login(users["rao"])
    page = client.get(open_contact.get_absolute_url())
    assert page.status_code == 200
    assert reverse("frontdoor:decide", args=[open_contact.pk]) not in page.content.decode()
    url = reverse("frontdoor:decide", args=[open_contact.pk])
    assert client.get(url).status_code == 403
    response = client.post(
        url,
        {"level_of_need": level().pk, "outcome": "nfa", "rationale": "x" * 40},
    )
    assert response.status_code == 403
    assert not ContactDecision.objects.exists()
    assert (
        Event.objects.filter(action=Event.Action.PERMISSION_DENIED, actor=users["rao"]).count() == 2
    )
    client.force_login(users["social_worker"])
    assert url in client.get(open_contact.get_absolute_url()).content.decode()


def test_recording_a_phone_contact_page_by_page(client, rao, siblings, front_door):
    amy, ben = siblings
    client.force_login(rao)
    arrived = datetime.now(tz=LONDON) - timedelta(minutes=40)
    response = client.post(
        reverse("frontdoor:start"),
        {
            "channel": "phone",
            "received_at_day": arrived.day,
            "received_at_month": arrived.month,
            "received_at_year": arrived.year,
            "received_at_time": arrived.strftime("%H:%M"),
        },
    )
    contact = Contact.objects.get()
    assert response.url == reverse("frontdoor:people", args=[contact.pk])
    assert contact.received_at == arrived.replace(second=0, microsecond=0)

    people = reverse("frontdoor:people", args=[contact.pk])
    found = client.get(people, {"q": "amy carter 3/4/2015"})
    assert "Amy Carter" in found.content.decode()
    client.post(people, {"action": "add", "person": amy.pk, "role": "child"})
    offered = client.get(people).content.decode()
    assert "Ben Carter" in offered
    assert "Brother of Amy" in offered
    client.post(people, {"action": "add", "person": ben.pk, "role": "child"})
    assert client.post(people, {"action": "continue"}).url == reverse(
        "frontdoor:referrer", args=[contact.pk]
    )

    refused = client.post(reverse("frontdoor:referrer", args=[contact.pk]), {"source": ""})
    assert "Select the referral source" in refused.content.decode()
    client.post(
        reverse("frontdoor:referrer", args=[contact.pk]),
        {
            "source": "2A",
            "referrer_name": "Dana Teacher",
            "referrer_organisation": "Harbour Primary",
        },
    )
    client.post(
        reverse("frontdoor:concerns", args=[contact.pk]),
        {"concern_summary": "Both come to school hungry.", "concern_categories": [1]},
    )
    refused = client.post(reverse("frontdoor:risk", args=[contact.pk]), {"immediate_risk": "yes"})
    assert "Describe the immediate risk" in refused.content.decode()
    client.post(reverse("frontdoor:risk", args=[contact.pk]), {"immediate_risk": "no"})
    refused = client.post(
        reverse("frontdoor:consent", args=[contact.pk]), {"consent": "not_sought"}
    )
    assert "Enter why consent was not sought" in refused.content.decode()
    response = client.post(
        reverse("frontdoor:consent", args=[contact.pk]),
        {"consent": "not_sought", "not_sought_reason": "Asking would alert the father"},
    )
    assert response.url == reverse("frontdoor:check", args=[contact.pk])
    check = client.get(response.url).content.decode()
    assert "Asking would alert the father" in check
    assert "2A Schools" in check
    done = client.post(reverse("frontdoor:check", args=[contact.pk]))
    assert done.url == reverse("frontdoor:done", args=[contact.pk])
    contact.refresh_from_db()
    assert contact.completed_by == rao
    assert ChronologyEntry.objects.filter(kind="contact_received").count() == 2


def test_a_social_worker_decides_in_the_browser_and_the_history_is_audited(
    client, social_worker, siblings, open_contact, assessment_team
):
    client.force_login(social_worker)
    url = reverse("frontdoor:decide", args=[open_contact.pk])
    page = client.get(url)
    assert page.status_code == 200
    assert "does not meet the council" in page.content.decode()
    amy, ben = siblings
    audited = set(
        Event.objects.filter(action="view", detail__page="decision-history").values_list(
            "child_id", flat=True
        )
    )
    assert audited == {amy.pk, ben.pk}  # the brother's history was shown too
    refused = client.post(
        url,
        {
            "level_of_need": level().pk,
            "outcome": "referral",
            "rationale": "Chronic neglect over years",
        },
    )
    assert "Select the primary need" in refused.content.decode()
    response = client.post(
        url,
        {
            "level_of_need": level("complex-significant").pk,
            "outcome": "referral",
            "primary_need": "N1",
            "receiving_team": assessment_team.pk,
            "referred_children": [amy.pk],
            "rationale": "Chronic neglect reported by school; assessment needed.",
        },
    )
    assert response.status_code == 302
    assert Episode.objects.get().child == amy


def test_the_harm_alert_shows_and_an_unweighed_nfa_is_refused(client, social_worker, siblings):
    amy, _ = siblings
    for days in (300, 150):
        DecisionFactory(
            contact=ContactFactory(
                children=[amy], received_at=datetime.now(tz=LONDON) - timedelta(days=days)
            )
        )
    contact = ContactFactory(children=[amy])
    client.force_login(social_worker)
    url = reverse("frontdoor:decide", args=[contact.pk])
    page = client.get(url).content.decode()
    assert "meets the cumulative-harm pattern" in page
    assert "3 contacts in 12 months about this child" in page
    refused = client.post(
        url,
        {"level_of_need": level().pk, "outcome": "nfa", "rationale": "Nothing new in this call."},
    )
    assert "say how you weighed it" in refused.content.decode()
    assert not ContactDecision.objects.filter(contact=contact).exists()


def _queue_queries(client, user, path):
    client.force_login(user)
    client.get(path)  # warm caches (sessions, permissions)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path)
    assert response.status_code == 200
    return len(captured), response


def test_team_work_runs_a_fixed_number_of_queries(client, social_worker, front_door, siblings):
    ContactFactory.create_batch(3, team=front_door, children=[siblings[0]])
    few, _ = _queue_queries(client, social_worker, reverse("core:team-work"))
    ContactFactory.create_batch(30, team=front_door, children=[siblings[1]])
    ContactFactory.create_batch(5, team=front_door, completed_at=None, children=[siblings[0]])
    many, response = _queue_queries(client, social_worker, reverse("core:team-work"))
    assert many == few
    assert response.content.decode().count('data-section="frontdoor-') == 2


def test_a_long_queue_loads_its_most_urgent_and_counts_the_rest(
    client, social_worker, front_door, siblings, monkeypatch
):
    from haven.core import worklists

    monkeypatch.setattr(worklists, "LOADED_ROWS", 3)
    now = datetime.now(tz=LONDON)
    contacts = [
        ContactFactory(team=front_door, children=[siblings[0]], due_at=now + timedelta(hours=n + 2))
        for n in range(5)
    ]
    ContactFactory.create_batch(2, team=front_door, completed_at=None, children=[siblings[1]])
    client.force_login(social_worker)
    page = client.get(reverse("core:team-work")).content.decode()
    awaiting = page.split('id="section-frontdoor-decision"')[1].split("<h3")[0]
    assert 'inline">5<' in awaiting  # the heading's count: all five
    assert [c.reference in awaiting for c in contacts] == [True, True, True, False, False]
    assert "Showing the 3 most urgent of 5." in awaiting
    assert 'inline">2<' in page.split('id="section-frontdoor-triage"')[1].split("</h3>")[0]


def test_filters_are_kept_in_the_url(client, social_worker, front_door, siblings):
    emailed = ContactFactory(team=front_door, channel="email", children=[siblings[0]])
    police = ContactFactory(
        team=front_door, channel="phone", is_domestic_abuse=True, children=[siblings[1]]
    )
    client.force_login(social_worker)
    page = client.get(reverse("core:team-work"), {"frontdoor-channel": "email"}).content.decode()
    assert emailed.reference in page
    assert police.reference not in page
    assert "Domestic abuse</strong>" not in page
    page = client.get(
        reverse("core:team-work"), {"frontdoor-domestic_abuse": "on"}
    ).content.decode()
    assert "Domestic abuse</strong>" in page
    assert police.reference in page
    assert emailed.reference not in page


def test_assigning_from_the_queue(client, rao, social_worker, front_door, siblings):
    contact = ContactFactory(team=front_door, children=[siblings[0]])
    client.force_login(rao)
    client.post(reverse("frontdoor:take", args=[contact.pk]), {"next": reverse("core:my-work")})
    contact.refresh_from_db()
    assert contact.assigned_to == rao
    mine = client.get(reverse("core:my-work")).content.decode()
    assert contact.reference in mine
    client.force_login(social_worker)
    client.post(reverse("frontdoor:assign", args=[contact.pk]), {"assignee": str(social_worker.pk)})
    contact.refresh_from_db()
    assert contact.assigned_to == social_worker


def test_overdue_work_comes_first(client, social_worker, front_door, siblings):
    late = ContactFactory(
        team=front_door,
        children=[siblings[0]],
        received_at=datetime.now(tz=LONDON) - timedelta(days=3),
        due_at=datetime.now(tz=LONDON) - timedelta(days=2),
    )
    in_time = ContactFactory(team=front_door, children=[siblings[1]])
    client.force_login(social_worker)
    page = client.get(reverse("core:team-work")).content.decode()
    first_row = page.index('data-rag="')
    assert page[first_row : first_row + 15] == 'data-rag="red">'
    assert page.index(late.reference) < page.index(in_time.reference)


def test_an_unfinished_urgent_contact_is_in_front_of_the_duty_social_worker(
    client, rao, social_worker, front_door, siblings
):
    urgent = ContactFactory(
        team=front_door,
        completed_at=None,
        immediate_risk=True,
        immediate_risk_detail="Threatened with a knife",
        assigned_to=rao,
        children=[siblings[0]],
    )
    client.force_login(social_worker)
    page = client.get(reverse("core:my-work")).content.decode()
    section = page.split('id="section-frontdoor-urgent"')[1].split('id="section-')[0]
    assert urgent.reference in section
    assert reverse("frontdoor:people", args=[urgent.pk]) in section  # finish it, then decide


@pytest.mark.parametrize("closed_by", ["decision", "withdrawal"])
def test_a_late_answer_is_recorded_after_the_decision_or_closure(
    client, rao, siblings, front_door, closed_by
):
    from tests.factories.frontdoor import InformationRequestFactory

    contact = ContactFactory(team=front_door, children=list(siblings))
    asked = InformationRequestFactory(
        contact=contact,
        agency_name="Harbour Police",
        requested_at=datetime.now(tz=LONDON) - timedelta(hours=1),
    )
    if closed_by == "decision":
        DecisionFactory(contact=contact)
    else:
        Contact.objects.filter(pk=contact.pk).update(
            withdrawn_at=datetime.now(tz=LONDON), withdrawn_reason="Duplicate of another"
        )
    client.force_login(rao)
    answered = datetime.now(tz=LONDON) - timedelta(minutes=1)
    url = reverse("frontdoor:information-answer", args=[contact.pk, asked.pk])
    assert url in client.get(contact.get_absolute_url()).content.decode()
    assert client.get(url).status_code == 200
    response = client.post(
        url,
        {
            "response": "Known to police: two call-outs this year.",
            "answered_at_day": answered.day,
            "answered_at_month": answered.month,
            "answered_at_year": answered.year,
            "answered_at_time": answered.strftime("%H:%M"),
        },
    )
    asked.refresh_from_db()
    assert response.status_code == 302, response.content.decode().split("<main")[1][:3000]
    assert asked.response == "Known to police: two call-outs this year."
    page = client.get(contact.get_absolute_url()).content.decode()
    assert "two call-outs" in page
    audited = Event.objects.filter(
        object_type="frontdoor.informationrequest", object_id=str(asked.pk)
    )
    assert {e.child_id for e in audited} == {siblings[0].pk, siblings[1].pk}


def test_the_decision_page_asks_a_reason_for_a_restricted_brother_or_sister(
    client, social_worker, siblings, front_door
):
    amy, ben = siblings
    ben.is_restricted = True
    ben.save()
    contact = ContactFactory(children=[amy], team=front_door)
    client.force_login(social_worker)
    url = reverse("frontdoor:decide", args=[contact.pk])
    response = client.get(url)
    assert response.status_code == 302
    assert response.url.startswith(reverse("people:restricted", args=[ben.pk]))
    assert not Event.objects.filter(child_id=ben.pk, detail__page="decision-history").exists()


def test_the_arrival_can_be_corrected_before_submitting_only(client, rao, siblings, front_door):
    from haven.frontdoor.services import contact_due_at

    arrived = datetime.now(tz=LONDON) - timedelta(minutes=10)
    contact = ContactFactory(
        team=front_door, completed_at=None, received_at=arrived, children=[siblings[0]]
    )
    client.force_login(rao)
    url = reverse("frontdoor:arrival", args=[contact.pk])
    check = client.get(reverse("frontdoor:check", args=[contact.pk])).content.decode()
    assert f'href="{url}"' in check
    assert client.get(url).status_code == 200
    earlier = (arrived - timedelta(hours=2)).replace(second=0, microsecond=0)
    response = client.post(
        url,
        {
            "channel": "in_person",
            "received_at_day": earlier.day,
            "received_at_month": earlier.month,
            "received_at_year": earlier.year,
            "received_at_time": earlier.strftime("%H:%M"),
        },
    )
    assert response.status_code == 302
    contact.refresh_from_db()
    assert (contact.channel, contact.received_at) == ("in_person", earlier)
    assert contact.due_at == contact_due_at(received_at=earlier, urgent=False)
    # Once submitted, the row has no Change link and the page sends you back.
    Contact.objects.filter(pk=contact.pk).update(completed_at=datetime.now(tz=LONDON))
    check = client.get(reverse("frontdoor:check", args=[contact.pk])).content.decode()
    assert url not in check
    assert check.count("govuk-summary-list__row--no-actions") >= 1
    assert client.get(url).status_code == 302


def test_management_direction_before_the_decision_is_shown_to_the_decision_maker(
    client, team_manager, social_worker, siblings, front_door
):
    contact = ContactFactory(team=front_door, children=[siblings[0]])
    client.force_login(team_manager)
    url = reverse("frontdoor:oversight", args=[contact.pk])
    assert "Add management oversight" in client.get(contact.get_absolute_url()).content.decode()
    form = client.get(url).content.decode()
    assert "Countersignature" not in form
    response = client.post(url, {"kind": "note", "text": "Check with health before deciding."})
    assert response.status_code == 302
    client.force_login(social_worker)
    page = client.get(reverse("frontdoor:decide", args=[contact.pk])).content.decode()
    assert "Check with health before deciding." in page.split('id="management-direction"')[1]


AUTOSAVE = {"HTTP_X_HAVEN_AUTOSAVE": "1"}


def test_the_decision_reasons_are_kept_as_typed_and_cleared_when_decided(
    client, social_worker, team_manager, siblings, front_door
):
    from haven.frontdoor.models import ContactDraft

    contact = ContactFactory(team=front_door, children=[siblings[0]])
    url = reverse("frontdoor:decide", args=[contact.pk])
    client.force_login(social_worker)
    typed = "The account from school is consistent with earlier concerns; advice to school."
    saved = client.post(url, {"outcome": "advice", "rationale": typed}, **AUTOSAVE)
    assert saved.status_code == 200
    assert saved.json()["saved"] is True
    draft = ContactDraft.objects.get()
    assert (draft.author, draft.data["rationale"]) == (social_worker, typed)
    # Coming back (a new session, another day): the words are there; nobody else sees them.
    assert typed in client.get(url).content.decode()
    client.force_login(team_manager)
    assert typed not in client.get(url).content.decode()
    client.force_login(social_worker)
    client.post(
        url,
        {"level_of_need": level("universal-plus").pk, "outcome": "advice", "rationale": typed},
    )
    assert ContactDecision.objects.filter(contact=contact).exists()
    assert not ContactDraft.objects.exists()


def test_an_rao_cannot_keep_a_decision_draft(client, rao, siblings, front_door):
    from haven.frontdoor.models import ContactDraft

    contact = ContactFactory(team=front_door, children=[siblings[0]])
    client.force_login(rao)
    response = client.post(
        reverse("frontdoor:decide", args=[contact.pk]), {"rationale": "x"}, **AUTOSAVE
    )
    assert response.status_code == 403
    assert not ContactDraft.objects.exists()


def test_the_concerns_are_saved_as_they_are_typed(client, rao, siblings, front_door):
    contact = ContactFactory(
        team=front_door, completed_at=None, concern_summary="", children=[siblings[0]]
    )
    client.force_login(rao)
    url = reverse("frontdoor:concerns", args=[contact.pk])
    assert "data-autosave" in client.get(url).content.decode()
    saved = client.post(url, {"concern_summary": "Amy said she is scared of"}, **AUTOSAVE)
    assert saved.json()["saved"] is True
    contact.refresh_from_db()
    assert contact.concern_summary == "Amy said she is scared of"
    refused = client.post(url, {"concern_summary": ""}, **AUTOSAVE)
    assert refused.status_code == 422
    assert refused.json()["saved"] is False


def test_oversight_is_kept_as_typed(client, team_manager, siblings, front_door):
    from haven.frontdoor.models import ContactDraft

    contact = ContactFactory(team=front_door, children=[siblings[0]])
    client.force_login(team_manager)
    url = reverse("frontdoor:oversight", args=[contact.pk])
    client.post(url, {"kind": "note", "text": "Speak to health visitor first"}, **AUTOSAVE)
    assert ContactDraft.objects.get().data["text"] == "Speak to health visitor first"
    assert "Speak to health visitor first" in client.get(url).content.decode()
