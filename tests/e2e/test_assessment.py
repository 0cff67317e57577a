"""Allocation and assessment journeys in the browser: a referral from the front door allocated
from the team page, the child seen, the assessment written part by part (autosaved as the
worker types, factor 21 refused with another), returned once by the manager with a comment,
changed, resubmitted and authorised, the chronology showing every step; a reassessment beside
the previous one; a plan, a service and closure approved by the manager. Every page visited
is checked with axe."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from haven.accounts.models import Team
from haven.accounts.roles import Role
from haven.assessment import codes, services
from haven.assessment.models import Assessment, Case
from haven.frontdoor.models import Episode
from tests.assessment.conftest import refer
from tests.conftest import actor_for
from tests.e2e.conftest import axe_check
from tests.factories.accounts import TeamFactory
from tests.factories.assessment import CaseFactory
from tests.factories.people import PersonFactory

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

WRITTEN = {
    "worries": "Mum drinks most evenings and Amy gets herself to school hungry.",
    "working_well": "Gran visits every day and Amy goes to her after school.",
    "needs_to_happen": "Mum to see the alcohol service; gran to have Amy on weekdays.",
    "scale": 4,
    "scale_given_by": "Mum and gran together",
    "child_voice": '"Nan makes fish fingers. Mum sleeps a lot."',
    "analysis": "Neglect linked to mum's drinking; gran is a strong protective factor.",
    "factors": ["1B", "16A"],
    "outcome": codes.Outcome.CIN_PLAN,
}


@pytest.fixture
def staff(make_user: Any) -> dict[str, Any]:
    front_door = TeamFactory(name="Front door", kind=Team.Kind.FRONT_DOOR)
    team = TeamFactory(name="Assessment North", kind=Team.Kind.ASSESSMENT)
    manager = make_user(
        Role.TEAM_MANAGER, email="morgan.e2e@example.test", full_name="Morgan Price", team=team
    )
    team.manager = manager
    team.save()
    worker = make_user(
        Role.SOCIAL_WORKER, email="sam.e2e@example.test", full_name="Sam Okafor", team=team
    )
    other = make_user(
        Role.SOCIAL_WORKER, email="priya.e2e@example.test", full_name="Priya Shah", team=team
    )
    CaseFactory.create_batch(3, team=team, worker=other)
    rao = make_user(
        Role.REFERRAL_AND_ADVICE_OFFICER,
        email="rani.e2e@example.test",
        full_name="Rani Rao",
        team=front_door,
    )
    return {"team": team, "manager": manager, "worker": worker, "other": other, "rao": rao}


def _fill_date(scope: Any, moment: Any, *, time: bool = False) -> None:
    scope.get_by_label("Day").fill(str(moment.day))
    scope.get_by_label("Month").fill(str(moment.month))
    scope.get_by_label("Year").fill(str(moment.year))
    if time:
        scope.get_by_label("Time (24-hour)").fill(moment.strftime("%H:%M"))


def _write_part(page: Any, title: str, text: str) -> None:
    expect(page.get_by_label(title)).to_be_visible()
    axe_check(page)
    page.get_by_label(title).fill(text)
    page.get_by_role("button", name="Save and continue").click()


def test_referral_allocated_seen_assessed_returned_once_and_authorised(
    page: Any, sign_in: Any, staff: dict[str, Any]
) -> None:
    child = PersonFactory(first_name="Amy", last_name="Carter", sex="F")
    episode = refer(
        rao=staff["rao"], decider=staff["manager"], children=[child], team=staff["team"]
    )[0]

    # The manager allocates from the team page, seeing each worker's caseload.
    sign_in(staff["manager"])
    page.goto("/assessment/teams/mine/")
    expect(page.get_by_role("heading", name="Assessment North")).to_be_visible()
    axe_check(page)
    caseloads = page.locator("#caseloads")
    expect(caseloads.locator("tr", has_text="Priya Shah")).to_contain_text("3")
    page.get_by_role("link", name="Allocate Amy Carter").click()
    expect(page.get_by_role("heading", name="Allocate the referral")).to_be_visible()
    axe_check(page)
    page.get_by_role("button", name="Allocate").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text(
        "Select the social worker to allocate the case to"
    )
    axe_check(page)
    page.get_by_label(re.compile(r"^Sam Okafor")).check()
    page.get_by_role("button", name="Allocate").click()
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text(
        "allocated to Sam Okafor"
    )
    axe_check(page)
    case = Case.objects.get(episode=episode)

    # The social worker sees the child and writes the assessment.
    page.context.clear_cookies()
    sign_in(staff["worker"])
    page.goto("/assessment/")
    expect(page.get_by_role("heading", name="My cases")).to_be_visible()
    axe_check(page)
    page.get_by_role("link", name="Amy Carter").click()
    expect(page.get_by_role("heading", name="Amy Carter's case")).to_be_visible()
    expect(page.locator(".moj-identity-bar")).to_contain_text("Allocated to Sam Okafor")
    axe_check(page)
    page.get_by_role("link", name="Record a visit").click()
    axe_check(page)
    _fill_date(page, timezone.localtime() - timedelta(minutes=40), time=True)
    page.get_by_label("Home visit").check()
    page.get_by_label("Yes, seen alone").check()
    page.get_by_role("group", name="Did you see where the child sleeps? (optional)").get_by_label(
        "Yes"
    ).check()
    page.get_by_label("Who else was there? (optional)").fill("Mum and gran")
    page.get_by_role("button", name="Save the visit").click()
    expect(page.locator("#first-seen")).to_contain_text("In time")
    axe_check(page)

    page.get_by_role("link", name="Start the assessment").click()
    axe_check(page)
    page.get_by_role("button", name="Start the assessment").click()
    expect(page.get_by_role("heading", name="Write the assessment")).to_be_visible()
    axe_check(page)
    page.get_by_role("link", name="What are we worried about?").click()
    axe_check(page)
    # Typing is saved a few seconds after it stops, without pressing a button.
    page.get_by_label("What are we worried about?").fill(WRITTEN["worries"])
    expect(page.locator("#autosave-status")).to_contain_text("Draft saved at", timeout=10_000)
    assert Assessment.objects.get(case=case).worries == WRITTEN["worries"]
    page.reload()
    expect(page.get_by_label("What are we worried about?")).to_have_value(WRITTEN["worries"])
    axe_check(page)
    page.get_by_role("button", name="Save and continue").click()
    _write_part(page, "What is working well?", WRITTEN["working_well"])
    _write_part(page, "What needs to happen?", WRITTEN["needs_to_happen"])
    axe_check(page)  # the scaling page
    page.get_by_role("group", name="What is the score?").get_by_label("4", exact=True).check()
    page.get_by_label("Who gave the score?").fill(WRITTEN["scale_given_by"])
    page.get_by_role("button", name="Save and continue").click()
    _write_part(page, "The child's own words", WRITTEN["child_voice"])
    _write_part(page, "Analysis", WRITTEN["analysis"])
    # Factor 21 with another factor is refused, and what was ticked is kept to fix.
    axe_check(page)
    page.get_by_label("21 No factors identified").check()
    page.get_by_label("16A Neglect").check()
    page.get_by_role("button", name="Save and continue").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text(
        "Factor 21 (no factors identified) cannot be chosen with other factors"
    )
    expect(page).to_have_title(re.compile(r"^Error: "))
    expect(page.get_by_label("16A Neglect")).to_be_checked()
    axe_check(page)
    page.get_by_label("21 No factors identified").uncheck()
    page.get_by_label("1B Alcohol misuse: a parent or carer").check()
    page.get_by_role("button", name="Save and continue").click()
    axe_check(page)  # the outcome page
    page.get_by_label("Child in need plan").check()
    page.get_by_role("button", name="Save and continue").click()
    expect(page.get_by_role("heading", name="Check your answers")).to_be_visible()
    expect(page.locator("#answers")).to_contain_text("16A Neglect")
    axe_check(page)
    page.get_by_role("button", name="Submit for authorisation").click()
    expect(page.locator("#status")).to_have_text("Awaiting authorisation")
    axe_check(page)

    # The manager returns it once, with a comment.
    page.context.clear_cookies()
    sign_in(staff["manager"])
    page.goto("/work/")
    axe_check(page)
    page.get_by_role("link", name="Authorise or return Amy Carter").click()
    expect(page.get_by_role("heading", name="Authorise or return the assessment")).to_be_visible()
    axe_check(page)
    page.get_by_label("Returned with comments").check()
    page.get_by_role("button", name="Save the decision").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text(
        "Enter what needs to change before you return it"
    )
    axe_check(page)
    page.get_by_label("Comments for the social worker").fill(
        "Say what school sees, and weigh gran's own health."
    )
    page.get_by_role("button", name="Save the decision").click()
    expect(page.locator("#status")).to_have_text("Returned for changes")
    axe_check(page)

    # The worker reads the comment, changes the analysis and resubmits.
    page.context.clear_cookies()
    sign_in(staff["worker"])
    page.goto(Assessment.objects.get(case=case).get_absolute_url())
    expect(page.locator("#returned")).to_contain_text("weigh gran's own health")
    axe_check(page)
    page.get_by_role("link", name="Analysis").click()
    page.get_by_label("Analysis").fill(
        WRITTEN["analysis"] + " School: attendance 82%, always hungry. Gran is well."
    )
    page.get_by_role("button", name="Save and return to the task list").click()
    axe_check(page)
    page.get_by_role("button", name="Check your answers and submit").click()
    axe_check(page)
    page.get_by_role("button", name="Submit for authorisation").click()
    expect(page.locator("#status")).to_have_text("Awaiting authorisation")

    # The manager authorises it; the date is kept.
    page.context.clear_cookies()
    sign_in(staff["manager"])
    page.goto(f"/assessment/assessments/{Assessment.objects.get(case=case).pk}/review/")
    axe_check(page)
    page.get_by_label("Authorised", exact=True).check()
    page.get_by_role("button", name="Save the decision").click()
    expect(page.locator("#status")).to_have_text("Authorised")
    expect(page.locator("#authorised")).to_contain_text("Morgan Price")
    axe_check(page)

    # The child's chronology shows every step.
    page.goto(child.get_absolute_url())
    axe_check(page)
    timeline = page.locator(".moj-timeline")
    for text in [
        "Referral: children in need episode opened",
        "Allocated to a social worker",
        "Visit",
        "Assessment started",
        "Assessment submitted for authorisation",
        "Assessment returned by the manager",
        "Assessment authorised",
    ]:
        expect(timeline.get_by_role("heading", name=text, exact=True).first).to_be_visible()
    expect(page.locator("#current-case")).to_contain_text("Sam Okafor")


def test_a_reassessment_sits_beside_the_last_and_copies_its_answers(
    page: Any, sign_in: Any, staff: dict[str, Any]
) -> None:
    child = PersonFactory(first_name="Ben", last_name="Carter", sex="M")
    episode = refer(
        rao=staff["rao"], decider=staff["manager"], children=[child], team=staff["team"]
    )[0]
    manager, worker = actor_for(staff["manager"]), actor_for(staff["worker"])
    case = services.case_allocate(actor=manager, episode=episode, worker=staff["worker"])
    first = services.assessment_start(actor=worker, case=case, start_date=timezone.localdate())
    services.assessment_save(actor=worker, assessment=first, values=WRITTEN)
    services.assessment_submit(actor=worker, assessment=first)
    services.assessment_authorise(actor=manager, assessment=first)
    second = services.assessment_start(actor=worker, case=case, start_date=timezone.localdate())

    sign_in(staff["worker"])
    page.goto(f"/assessment/assessments/{second.pk}/working-well/")
    previous = page.locator("#previous-answers")
    expect(previous).to_contain_text("Gran visits every day")
    expect(page.get_by_label("What is working well?")).to_have_value("")
    axe_check(page)
    page.get_by_role("button", name="Copy previous answers").click()
    expect(page.get_by_label("What is working well?")).to_have_value(WRITTEN["working_well"])
    axe_check(page)
    page.get_by_label("What is working well?").fill(
        "Gran visits every day. Mum now goes to the alcohol group weekly."
    )
    page.get_by_role("button", name="Save and return to the task list").click()
    axe_check(page)
    page.goto(f"/assessment/assessments/{second.pk}/check/")
    axe_check(page)
    expect(page.locator(".govuk-error-summary")).to_contain_text("Say what we are worried about")
    row = page.locator("#answers .govuk-summary-list__row", has_text="What is working well?")
    row.get_by_text("What changed since the last assessment").click()
    # Word by word: "Gran visits every" and "goes to" stand; the rest is marked.
    expect(row.locator(".haven-diff ins")).to_have_text(
        ["day. Mum now", "the alcohol group weekly."]
    )
    expect(row.locator(".haven-diff del")).to_have_text(["day and Amy", "her after school."])
    axe_check(page)


def test_a_plan_a_service_and_closure_approved_by_the_manager(
    page: Any, sign_in: Any, staff: dict[str, Any]
) -> None:
    child = PersonFactory(first_name="Cara", last_name="Jones", sex="F")
    episode = refer(
        rao=staff["rao"], decider=staff["manager"], children=[child], team=staff["team"]
    )[0]
    manager, worker = actor_for(staff["manager"]), actor_for(staff["worker"])
    case = services.case_allocate(actor=manager, episode=episode, worker=staff["worker"])
    assessment = services.assessment_start(actor=worker, case=case, start_date=timezone.localdate())
    services.assessment_save(actor=worker, assessment=assessment, values=WRITTEN)
    services.assessment_submit(actor=worker, assessment=assessment)
    services.assessment_authorise(actor=manager, assessment=assessment)

    sign_in(staff["worker"])
    page.goto(case.get_absolute_url())
    axe_check(page)
    page.get_by_role("link", name="Start a child in need plan").click()
    expect(page.get_by_label("What needs to happen, and who will do it?")).to_have_value(
        WRITTEN["needs_to_happen"]
    )
    axe_check(page)
    page.get_by_role("button", name="Start the plan").click()
    expect(page.get_by_role("heading", name="Child in need plan")).to_be_visible()
    axe_check(page)
    page.get_by_role("link", name="Record a service").click()
    axe_check(page)
    page.get_by_label("What kind of service?").select_option(label="Parenting programme")
    page.get_by_label("Who provides it?").fill("Harbour Family Centre")
    page.get_by_role("button", name="Save the service").click()
    expect(page.locator("#services")).to_be_visible()
    expect(page.locator("table", has_text="Harbour Family Centre")).to_contain_text("Waiting")
    axe_check(page)
    page.get_by_role("link", name="Record the start of Parenting programme").click()
    axe_check(page)
    page.get_by_role("button", name="Save").click()
    axe_check(page)
    # Closing needs the plan ended first: the page says so.
    page.get_by_role("link", name="Propose closing the case").click()
    expect(page.locator("#blockers")).to_contain_text("End the child in need plan")
    axe_check(page)
    page.goto(case.plans.get().get_absolute_url())
    page.get_by_role("link", name="Record the review").click()
    axe_check(page)
    page.get_by_label("End the plan").check()
    page.get_by_label("What did the review find and agree?").fill(
        "Mum sober for eight weeks; gran's support in place; school reports Cara well."
    )
    page.get_by_role("button", name="Save the review").click()
    axe_check(page)
    page.goto(case.get_absolute_url())
    page.get_by_role("link", name="Propose closing the case").click()
    page.get_by_label("RC7 Services ceased for any other reason").check()
    page.get_by_label("Closing summary").fill(
        "The plan's goals are met; the school and health visitor will keep in touch."
    )
    page.get_by_role("button", name="Send to the manager").click()
    expect(page.locator("#closure-pending")).to_be_visible()
    axe_check(page)

    page.context.clear_cookies()
    sign_in(staff["manager"])
    page.goto(case.get_absolute_url())
    page.locator("#closure-pending").get_by_role("link", name="Decide").click()
    axe_check(page)
    page.get_by_label("Yes, close the case").check()
    page.get_by_role("button", name="Save the decision").click()
    expect(page.locator("#closed")).to_contain_text("RC7 Services ceased")
    axe_check(page)
    assert Episode.objects.get(pk=episode.pk).closure_reason == "RC7"


def test_leaving_with_unsaved_words_warns_and_the_team_chart_draws(
    page: Any, sign_in: Any, staff: dict[str, Any]
) -> None:
    child = PersonFactory(first_name="Dan", last_name="Price", sex="M")
    episode = refer(
        rao=staff["rao"], decider=staff["manager"], children=[child], team=staff["team"]
    )[0]
    case = services.case_allocate(
        actor=actor_for(staff["manager"]), episode=episode, worker=staff["worker"]
    )
    draft = services.assessment_start(
        actor=actor_for(staff["worker"]), case=case, start_date=timezone.localdate()
    )

    sign_in(staff["worker"])
    page.goto("/")
    expect(page.locator("#assessment-panel")).to_contain_text("1 open")
    axe_check(page)
    page.goto(f"/assessment/assessments/{draft.pk}/analysis/")
    axe_check(page)
    warned: list[str] = []

    def answer(dialog: Any) -> None:
        warned.append(dialog.type)
        dialog.dismiss()  # stay on the page

    page.on("dialog", answer)
    page.get_by_label("Analysis").fill("Typed and not yet saved")
    page.get_by_role("link", name="Back to the task list").click()
    expect(page.get_by_label("Analysis")).to_have_value("Typed and not yet saved")
    assert warned == ["beforeunload"]
    # Once saved, leaving does not ask.
    expect(page.locator("#autosave-status")).to_contain_text("Draft saved at", timeout=10_000)
    page.get_by_role("link", name="Back to the task list").click()
    expect(page.get_by_role("heading", name="Write the assessment")).to_be_visible()
    assert warned == ["beforeunload"]
    axe_check(page)

    page.context.clear_cookies()
    sign_in(staff["manager"])
    page.goto("/assessment/teams/mine/")
    axe_check(page)
    page.get_by_text("Show the caseloads as a chart").click()
    # Drawn on the server when the details open (it can take a moment on a busy machine).
    chart = page.locator("figure.haven-chart img")
    for _ in range(120):
        if chart.evaluate("img => img.complete && img.naturalWidth > 0"):
            break
        page.wait_for_timeout(500)
    expect(chart).to_be_visible()
    axe_check(page)
