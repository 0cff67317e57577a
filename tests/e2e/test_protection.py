"""Child protection journeys in the browser: a strategy discussion recorded and shared, a
police partner marking their action done, the out-of-hours formal question, an overdue
conference on the team queue, and the multi-agency meeting waiting list. Every page visited
is checked with axe."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from haven.accounts.models import Agency, Team
from haven.accounts.roles import Role
from haven.audit.models import Event
from haven.people.services import person_create
from haven.protection.models import DiscussionAction, StrategyDiscussion
from tests.conftest import actor_for
from tests.e2e.conftest import axe_check
from tests.factories.accounts import AgencyFactory, TeamFactory
from tests.factories.frontdoor import EpisodeFactory
from tests.factories.people import PersonFactory
from tests.factories.protection import MeetingReferralFactory, recorded_discussion

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.fixture
def people(make_user: Any) -> dict[str, Any]:
    team = TeamFactory(name="Assessment North", kind=Team.Kind.ASSESSMENT)
    chair = make_user(
        Role.TEAM_MANAGER, email="morgan.e2e@example.test", full_name="Morgan Price", team=team
    )
    team.manager = chair
    team.save()
    worker = make_user(
        Role.SOCIAL_WORKER, email="sam.e2e@example.test", full_name="Sam Okafor", team=team
    )
    police = AgencyFactory(name="Haven Police", kind=Agency.Kind.POLICE)
    AgencyFactory(name="Haven Community Health Trust", kind=Agency.Kind.HEALTH)
    AgencyFactory(name="Haven Schools Safeguarding", kind=Agency.Kind.EDUCATION)
    officer = make_user(
        Role.PARTNER, email="pat.reid@police.example.test", full_name="Pat Reid", agency=police
    )
    child = person_create(
        actor=actor_for(worker),
        first_name="Ruby",
        last_name="Hale",
        date_of_birth=timezone.localdate().replace(year=2016),
        sex="F",
    )
    EpisodeFactory(child=child, receiving_team=team)
    return {"team": team, "chair": chair, "worker": worker, "officer": officer, "child": child}


def _fill_date(page: Any, scope: Any, moment: Any, *, time: bool = False) -> None:
    scope.get_by_label("Day").fill(str(moment.day))
    scope.get_by_label("Month").fill(str(moment.month))
    scope.get_by_label("Year").fill(str(moment.year))
    if time:
        scope.get_by_label("Time (24-hour)").fill(moment.strftime("%H:%M"))


def test_a_strategy_discussion_is_recorded_shared_and_its_action_done_by_the_police(
    page: Any, sign_in: Any, people: dict[str, Any]
) -> None:
    worker, child, officer, chair = (
        people["worker"],
        people["child"],
        people["officer"],
        people["chair"],
    )
    sign_in(worker)
    page.goto(f"/people/{child.pk}/")
    axe_check(page)
    page.get_by_role("link", name="Record a strategy discussion about Ruby").click()
    expect(page.get_by_role("heading", name="Record a strategy discussion")).to_be_visible()
    axe_check(page)
    held = timezone.localtime() - timedelta(hours=2)
    _fill_date(page, page.locator("#id_held_at"), held, time=True)
    page.get_by_label("Video call").check()
    page.get_by_label("Yes", exact=True).check()
    expect(page.get_by_label("Who chaired it?")).to_have_value(str(chair.pk))
    page.get_by_role("button", name="Save and continue").click()
    expect(page.locator("#task-list")).to_be_visible()
    axe_check(page)

    page.get_by_role("link", name="Agencies invited and attendance").click()
    axe_check(page)
    page.locator("#agency-police").get_by_label("Attended", exact=True).check()
    page.get_by_label("Police: organisation").select_option(label="Haven Police")
    page.get_by_label("Police: who took part").fill("DC Pat Reid")
    page.locator("#agency-health").get_by_label("Attended", exact=True).check()
    page.get_by_label("Health: organisation").select_option(label="Haven Community Health Trust")
    page.locator("#agency-education").get_by_label("Invited, sent apologies").check()
    page.get_by_label("Education: organisation").select_option(label="Haven Schools Safeguarding")
    page.locator("#agency-social_care").get_by_label("Attended", exact=True).check()
    page.get_by_role("button", name="Save and continue").click()
    axe_check(page)

    page.get_by_role("link", name="What each agency shared").click()
    axe_check(page)
    page.get_by_label("What did Haven Police share?").fill("Two call-outs to the address in May.")
    page.get_by_label("What did Haven Community Health Trust share?").fill("Missed health visits.")
    page.get_by_role("button", name="Save and continue").click()
    axe_check(page)

    page.get_by_role("link", name="Decision and reasons").click()
    axe_check(page)
    page.get_by_label("Joint section 47 enquiry with the police").check()
    page.get_by_label("Why? The reasons for the decision").fill(
        "Bruising to Ruby's arm with no account given, and police call-outs to the home."
    )
    page.get_by_role("button", name="Save and continue").click()
    axe_check(page)

    page.get_by_role("link", name="Actions agreed").click()
    axe_check(page)
    due = timezone.localdate() + timedelta(days=2)
    page.get_by_label("What is to be done?").fill(
        "Police to check records and join the home visit."
    )
    page.get_by_label("Police", exact=True).check()
    page.get_by_label("Organisation (for a partner agency)").select_option(label="Haven Police")
    page.get_by_label("Who will do it?").fill("DC Pat Reid")
    _fill_date(page, page.locator("#id_due_on"), due)
    page.get_by_role("button", name="Save and add another").click()
    axe_check(page)
    page.get_by_label("What is to be done?").fill("Health to arrange a child protection medical.")
    page.get_by_label("Health", exact=True).check()
    page.get_by_label("Organisation (for a partner agency)").select_option(
        label="Haven Community Health Trust"
    )
    _fill_date(page, page.locator("#id_due_on"), due)
    page.get_by_role("button", name="Save and return to the record").click()
    axe_check(page)

    page.get_by_role("button", name="Check and finish the record").click()
    expect(
        page.get_by_role("heading", name="Check the record before you finish it")
    ).to_be_visible()
    axe_check(page)
    page.get_by_role("button", name="Finish and share the record").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text(
        "shared with Haven Police, Haven Community Health Trust, Haven Schools Safeguarding"
    )
    axe_check(page)
    expect(page.locator("#agency-table")).to_contain_text("Sent apologies")
    with page.expect_download() as download:
        page.get_by_role("link", name=re.compile("Download the record")).click()
    path = download.value.path()
    with open(path, "rb") as handle:
        assert handle.read(4) == b"%PDF"
    discussion = StrategyDiscussion.objects.get()
    assert Event.objects.filter(action=Event.Action.PRINT, actor=worker, child_id=child.pk).exists()

    # The police officer sees only that record.
    page.context.clear_cookies()
    sign_in(officer)
    page.goto("/")
    axe_check(page)
    page.get_by_role("link", name=re.compile("strategy discussion record")).click()
    axe_check(page)
    page.get_by_role("link", name=discussion.reference).click()
    axe_check(page)
    expect(page.locator("main")).to_contain_text("Ruby Hale")
    expect(page.locator("main a[href^='/people/']")).to_have_count(0)
    expect(page.locator("#actions-table")).to_contain_text("Health to arrange")
    expect(
        page.locator("#actions-table").get_by_role("link", name=re.compile("Mark done"))
    ).to_have_count(1)
    page.locator("#actions-table").get_by_role("link", name=re.compile("Mark done")).click()
    axe_check(page)
    _fill_date(page, page.locator("#id_done_on"), timezone.localdate())
    page.get_by_label("What was done?").fill("Records checked; joint visit done with Sam.")
    page.get_by_role("button", name="Mark done").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("Action marked done")
    axe_check(page)
    page.goto(f"/people/{child.pk}/")
    expect(page.get_by_role("heading", name="Page not found")).to_be_visible()
    axe_check(page)
    assert Event.objects.filter(actor=officer, action=Event.Action.VIEW, child_id=child.pk).exists()

    # The chair sees it done.
    page.context.clear_cookies()
    sign_in(chair)
    page.goto(f"/protection/strategy-discussions/{discussion.pk}/")
    axe_check(page)
    police_action = DiscussionAction.objects.get(owner_role="police")
    row = page.locator(f"#action-{police_action.pk}")
    expect(row).to_contain_text("Done")
    expect(row).to_contain_text("Records checked; joint visit done with Sam.")
    expect(row).to_contain_text("Pat Reid")


def test_an_out_of_hours_worker_must_say_whether_it_was_formal(
    page: Any, sign_in: Any, make_user: Any
) -> None:
    edt = make_user(
        Role.OUT_OF_HOURS_WORKER,
        email="erin.e2e@example.test",
        team=TeamFactory(name="Emergency Duty Team", kind=Team.Kind.OUT_OF_HOURS),
    )
    child = PersonFactory(first_name="Leo", last_name="Marsh")
    sign_in(edt)
    page.goto(f"/protection/strategy-discussions/new/?child={child.pk}")
    axe_check(page)
    expect(page.locator(".govuk-warning-text")).to_contain_text("formal strategy discussion")
    held = timezone.localtime() - timedelta(hours=1)
    _fill_date(page, page.locator("#id_held_at"), held, time=True)
    page.get_by_label("Phone").check()
    page.get_by_role("button", name="Save and continue").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text(
        "Select whether this out-of-hours discussion was a formal strategy discussion"
    )
    assert page.title().startswith("Error: ")
    axe_check(page)
    assert not StrategyDiscussion.objects.exists()
    page.get_by_label("No", exact=True).check()
    page.get_by_role("button", name="Save and continue").click()
    expect(page.locator("#is-formal")).to_contain_text("not a formal strategy discussion")
    expect(page.locator("#is-formal")).to_contain_text("Out of hours")
    axe_check(page)


def test_an_overdue_conference_is_red_on_the_team_queue(
    page: Any, sign_in: Any, people: dict[str, Any]
) -> None:
    recorded_discussion(
        recorder=people["worker"],
        children=[people["child"]],
        held_at=timezone.now() - timedelta(days=40),
        team=people["team"],
    )
    sign_in(people["chair"])
    page.goto("/work/team/")
    axe_check(page)
    row = page.locator("table[data-section='protection-conferences'] tbody tr").first
    expect(row).to_have_attribute("data-rag", "red")
    expect(row).to_contain_text("Ruby Hale")
    expect(row).to_contain_text("Overdue")
    row.get_by_role("link", name=re.compile("Section 47 enquiry")).click()
    expect(page.locator("#conference-target")).to_contain_text("Overdue")
    axe_check(page)


def test_the_waiting_list_shows_each_child_and_days_waiting(
    page: Any, sign_in: Any, make_user: Any
) -> None:
    manager = make_user(Role.TEAM_MANAGER, email="mrm.e2e@example.test")
    now = timezone.now()
    MeetingReferralFactory(
        child=PersonFactory(first_name="Ada", last_name="Stone"),
        referred_at=now - timedelta(days=6),
    )
    MeetingReferralFactory(
        child=PersonFactory(first_name="Ben", last_name="Stone"),
        referred_at=now - timedelta(days=1),
    )
    sign_in(manager)
    page.goto("/protection/meetings/medium-risk/")
    expect(page.get_by_role("heading", name="Medium-risk multi-agency meeting")).to_be_visible()
    axe_check(page)
    table = page.locator("#waiting-table")
    expect(table.locator("tbody tr")).to_have_count(2)
    expect(table.locator("tbody tr").first).to_contain_text("Ada Stone")
    expect(table.locator("tbody tr").first.locator("[data-days]")).to_have_text("6")
    expect(table.locator("tbody tr").nth(1).locator("[data-days]")).to_have_text("1")
    expect(page.locator("#longest-wait")).to_contain_text("6 days")
    expect(page.locator("#median-wait")).to_contain_text("3.5 days")


def test_refer_a_child_plan_a_meeting_and_record_the_outcome(
    page: Any, sign_in: Any, make_user: Any
) -> None:
    manager = make_user(Role.TEAM_MANAGER, email="chair.mrm.e2e@example.test", full_name="Kim Lowe")
    child = PersonFactory(
        first_name="Nia", last_name="Brook", date_of_birth=timezone.localdate().replace(year=2011)
    )
    MeetingReferralFactory(child=PersonFactory(first_name="Owen", last_name="Hart"))
    sign_in(manager)
    page.goto(f"/protection/meetings/medium-risk/refer/?child={child.pk}")
    expect(page.get_by_role("heading", name="Refer Nia Brook")).to_be_visible()
    axe_check(page)
    page.get_by_role("button", name="Add to the waiting list").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter why the child is referred")
    axe_check(page)
    page.get_by_label("Why is the child referred?").fill("Missing twice this month; older friends.")
    page.get_by_role("button", name="Add to the waiting list").click()
    expect(page.locator("#waiting-table")).to_contain_text("Nia Brook")
    axe_check(page)

    page.get_by_role("button", name="Plan a meeting").click()
    axe_check(page)
    held = timezone.localtime() - timedelta(hours=2)
    _fill_date(page, page.locator("#id_scheduled_for"), held, time=True)
    page.get_by_label("Video call").check()
    page.get_by_role("button", name="Plan the meeting").click()
    expect(page.get_by_role("heading", name="Children for the meeting")).to_be_visible()
    axe_check(page)
    page.get_by_label(re.compile("Nia Brook")).check()
    page.get_by_label(re.compile("Owen Hart")).check()
    page.get_by_role("button", name="Schedule these children").click()
    axe_check(page)
    page.get_by_label("Name").fill("DS Kay")
    page.get_by_label("Agency").select_option(label="Police")
    page.get_by_role("button", name="Add the attendee").click()
    expect(page.locator("#attendees-table")).to_contain_text("DS Kay")
    axe_check(page)
    page.get_by_role("link", name="Record the outcome for Nia Brook").click()
    axe_check(page)
    page.get_by_label("Multi-agency plan agreed, risk stays at this level").check()
    page.get_by_label("Summary of the discussion").fill("School and police agree a safety plan.")
    page.get_by_label("Action 1: what is to be done").fill("School to check attendance daily.")
    page.get_by_label("Action 1: agency").select_option(label="Education")
    due = timezone.localdate() + timedelta(days=7)
    _fill_date(page, page.locator("#id_action_1_due"), due)
    page.get_by_role("button", name="Save the outcome").click()
    expect(page.locator("main")).to_contain_text("School to check attendance daily.")
    axe_check(page)
    page.get_by_role("button", name="Finish the meeting record").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("Meeting record finished")
    axe_check(page)
    page.goto("/protection/meetings/medium-risk/")
    axe_check(page)
    table = page.locator("#waiting-table")
    expect(table).not_to_contain_text("Nia Brook")
    expect(table).to_contain_text("Owen Hart")  # not reached: waits on


def test_an_enquiry_concluded_a_conference_held_and_a_plan_reviewed(
    page: Any, sign_in: Any, people: dict[str, Any]
) -> None:
    from haven.protection.models import Section47Enquiry

    worker, child = people["worker"], people["child"]
    recorded_discussion(
        recorder=worker, children=[child], held_at=timezone.now() - timedelta(days=3)
    )
    enquiry = Section47Enquiry.objects.get(child=child)
    today = timezone.localdate()
    sign_in(worker)
    page.goto(f"/protection/enquiries/{enquiry.pk}/")
    axe_check(page)
    page.get_by_role("button", name="Conclude the enquiry").click()
    axe_check(page)
    _fill_date(page, page.locator("#id_end_date"), today)
    page.locator("#id_concerns_substantiated_0").check()
    page.locator("#id_conference_needed_0").check()
    page.get_by_label("What did the enquiry find?").fill("Non-accidental injury confirmed.")
    page.get_by_role("button", name="Save the outcome").click()
    expect(page.get_by_role("heading", name="Initial child protection conference")).to_be_visible()
    axe_check(page)
    page.get_by_role("button", name="Record the conference").click()
    axe_check(page)
    _fill_date(page, page.locator("#id_held_on"), today)
    page.locator("#id_plan_needed_0").check()
    page.get_by_label("Physical abuse").check()
    page.get_by_role("button", name="Save the conference").click()
    expect(page.locator("main")).to_contain_text("Within 15 working days")
    axe_check(page)
    page.get_by_role("link", name="The child protection plan").click()
    axe_check(page)
    expect(page.locator(".moj-identity-bar")).to_contain_text("Child protection plan")
    expect(page.locator("#reviews-table")).to_contain_text("(first)")
    page.get_by_role("link", name=re.compile("Record the review")).click()
    axe_check(page)
    _fill_date(page, page.locator("#id_held_on"), today)
    page.locator("#id_continue_plan_0").check()
    page.get_by_label("Latest category of abuse").select_option(label="Multiple")
    page.get_by_role("button", name="Save the review").click()
    axe_check(page)
    expect(page.locator("#plan-summary")).to_contain_text("Multiple (MUL)")
    expect(page.locator("#reviews-table tbody tr")).to_have_count(2)


def test_a_manager_assigns_the_social_worker_and_the_enquiry_reaches_their_work(
    page: Any, sign_in: Any, people: dict[str, Any], make_user: Any
) -> None:
    from haven.protection.models import Section47Enquiry

    recorder = make_user(Role.SOCIAL_WORKER, email="duty.e2e@example.test", full_name="Ali Duty")
    record = recorded_discussion(
        recorder=recorder,
        chair=people["chair"],
        children=[PersonFactory(first_name="Zoe", last_name="Hart")],
        team=people["team"],
    )
    enquiry = Section47Enquiry.objects.get(discussion=record)
    sign_in(people["chair"])
    page.goto(enquiry.get_absolute_url())
    expect(page.locator("#enquiry-worker")).to_have_text("Not allocated")
    axe_check(page)
    page.get_by_role("link", name="Assign a social worker").click()
    expect(page.get_by_role("heading", name="Assign the social worker")).to_be_visible()
    axe_check(page)
    page.get_by_role("button", name="Assign").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Select a social worker")
    axe_check(page)
    page.get_by_label("Who is the social worker?").select_option(str(people["worker"].pk))
    page.get_by_role("button", name="Assign").click()
    expect(page.locator("#enquiry-worker")).to_have_text("Sam Okafor")
    axe_check(page)

    sign_in(people["worker"])
    page.goto("/work/")
    axe_check(page)
    row = page.locator("table[data-section='protection-conferences'] tbody tr").first
    expect(row).to_contain_text("Zoe Hart")
    expect(row).to_contain_text("Sam Okafor")
