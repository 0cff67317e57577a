"""Missing episodes and return home interviews through their services: deadlines, the rules,
the audit trail and the child's chronology."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from haven.audit.models import Event
from haven.core.calendar import local_tz
from haven.exploitation.models import ScreeningRequest
from haven.missing import services
from haven.missing.models import InterviewStatus, MissingEpisode
from haven.people.models import ChronologyEntry
from tests.conftest import actor_for
from tests.factories.people import PersonFactory

NOW = datetime(2026, 3, 20, 12, 0, tzinfo=local_tz())


@pytest.fixture(autouse=True)
def _frozen() -> object:
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


def details(**changes: object) -> services.EpisodeDetails:
    values: dict[str, object] = {
        "went_missing_at": NOW - timedelta(days=2),
        "returned_at": NOW - timedelta(days=1),
        "where_found": "Bus station",
        "police_risk": "medium",
        "looked_after": False,
    }
    values.update(changes)
    return services.EpisodeDetails(**values)  # type: ignore[arg-type]


def kinds(child: object) -> list[str]:
    return list(
        ChronologyEntry.objects.filter(child=child)
        .order_by("occurred_at")
        .values_list("kind", flat=True)
    )


def test_an_episode_with_a_return_puts_the_interview_due_72_hours_later(worker_actor, child):
    episode = services.episode_record(actor=worker_actor, child=child, details=details())
    interview = episode.interview
    assert interview.due_at == episode.returned_at + timedelta(hours=72)
    assert interview.status == InterviewStatus.TO_OFFER
    assert kinds(child) == ["missing_went_missing", "missing_returned"]
    event = Event.objects.filter(object_type="missing.missingepisode", action="create").get()
    assert event.child_id == child.pk


def test_a_child_still_missing_has_no_interview_due_until_they_come_back(worker_actor, child):
    episode = services.episode_record(
        actor=worker_actor, child=child, details=details(returned_at=None, where_found="")
    )
    assert episode.is_open
    assert episode.interview.due_at is None
    assert episode.interview.status == InterviewStatus.CHILD_MISSING
    back = NOW - timedelta(hours=3)
    services.episode_return(
        actor=worker_actor, episode=episode, returned_at=back, where_found="Home"
    )
    episode.refresh_from_db()
    episode.interview.refresh_from_db()
    assert episode.interview.due_at == back + timedelta(hours=72)
    assert episode.where_found == "Home"
    assert kinds(child) == ["missing_went_missing", "missing_returned"]


def test_a_child_cannot_be_missing_twice_at_once(worker_actor, child):
    services.episode_record(actor=worker_actor, child=child, details=details(returned_at=None))
    with pytest.raises(ValidationError) as raised:
        services.episode_record(
            actor=worker_actor,
            child=child,
            details=details(went_missing_at=NOW - timedelta(hours=5), returned_at=None),
        )
    assert "already recorded as missing" in raised.value.message_dict["went_missing_at"][0]


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        (
            {"went_missing_at": NOW + timedelta(days=1), "returned_at": None},
            "went_missing_at",
            "must be in the past",
        ),
        (
            {"returned_at": NOW - timedelta(days=3)},
            "returned_at",
            "must be after they went missing",
        ),
        (
            {"reported_at": NOW - timedelta(days=5)},
            "reported_at",
            "must be after they went missing",
        ),
        ({"police_risk": "severe"}, "police_risk", "Select the police risk grading"),
    ],
)
def test_bad_details_are_refused_with_a_message_by_the_field(
    worker_actor, child, changes, field, message
):
    with pytest.raises(ValidationError) as raised:
        services.episode_record(actor=worker_actor, child=child, details=details(**changes))
    assert message in " ".join(raised.value.message_dict[field])
    assert MissingEpisode.objects.count() == 0


def test_only_children_have_missing_episodes(worker_actor):
    adult = PersonFactory(kind="adult")
    with pytest.raises(ValidationError):
        services.episode_record(actor=worker_actor, child=adult, details=details())


def test_a_corrected_return_moves_the_deadline_and_the_chronology(worker_actor, child):
    episode = services.episode_record(actor=worker_actor, child=child, details=details())
    later = episode.returned_at + timedelta(hours=6)
    services.episode_update(actor=worker_actor, episode=episode, details=details(returned_at=later))
    episode.refresh_from_db()
    episode.interview.refresh_from_db()
    assert episode.interview.due_at == later + timedelta(hours=72)
    returned = ChronologyEntry.objects.get(child=child, kind="missing_returned")
    assert returned.occurred_at == later
    change = Event.objects.filter(object_type="missing.missingepisode", action="update").get()
    assert "returned_at" in change.detail["changes"]
    assert "interview_due_at" in change.detail["changes"]


def test_a_return_can_be_corrected_but_not_removed(worker_actor, child):
    episode = services.episode_record(actor=worker_actor, child=child, details=details())
    with pytest.raises(ValidationError) as raised:
        services.episode_update(
            actor=worker_actor, episode=episode, details=details(returned_at=None)
        )
    assert "returned_at" in raised.value.message_dict


def test_saving_the_same_details_changes_nothing(worker_actor, child):
    episode = services.episode_record(actor=worker_actor, child=child, details=details())
    services.episode_update(actor=worker_actor, episode=episode, details=details())
    assert not Event.objects.filter(object_type="missing.missingepisode", action="update").exists()


def test_people_without_the_permission_cannot_record(cse_coordinator, child):
    with pytest.raises(PermissionDenied):
        services.episode_record(actor=actor_for(cse_coordinator), child=child, details=details())


# --- The interview -----------------------------------------------------------------------


@pytest.fixture
def returned(worker_actor, child) -> MissingEpisode:
    """Jade went missing two days ago and came back yesterday at noon."""
    return services.episode_record(actor=worker_actor, child=child, details=details())


def offer(by, **changes) -> services.Offer:
    values = {"offered_at": NOW - timedelta(hours=20), "offered_by": by, "accepted": True}
    values.update(changes)
    return services.Offer(**values)


def findings(done_at: datetime, by, **changes) -> services.Findings:
    values = {
        "done_at": done_at,
        "done_by": by,
        "push_factors": "Rows with her stepfather",
        "pull_factors": "An older boyfriend",
        "where_and_with_whom": "A flat in Northfield with friends",
        "exploitation_concerns": False,
    }
    values.update(changes)
    return services.Findings(**values)


def test_an_interview_done_80_hours_after_the_return_is_late(
    worker_actor, missing_worker, returned
):
    done = returned.returned_at + timedelta(hours=80)
    with time_machine.travel(done + timedelta(hours=1), tick=False):
        interview = services.interview_record(
            actor=worker_actor,
            interview=returned.interview,
            findings=findings(done, missing_worker),
        )
    assert interview.done_in_time is False
    assert interview.is_late
    assert round(interview.hours_after_return(returned.returned_at)) == 80
    entry = ChronologyEntry.objects.get(child=returned.child, kind="missing_rhi_done")
    assert "80 hours after the return (late)" in entry.summary


def test_an_interview_done_within_72_hours_is_on_time_and_was_offered_then(
    worker_actor, missing_worker, returned
):
    done = returned.returned_at + timedelta(hours=20)
    interview = services.interview_record(
        actor=worker_actor, interview=returned.interview, findings=findings(done, missing_worker)
    )
    assert interview.done_in_time is True
    assert interview.offered_at == done
    assert interview.offered_by == missing_worker
    assert interview.accepted is True
    assert interview.status == InterviewStatus.DONE


def test_the_offer_and_the_childs_answer(worker_actor, missing_worker, returned):
    interview = services.interview_offer(
        actor=worker_actor,
        interview=returned.interview,
        offer=offer(missing_worker, accepted=False, declined_reason="Said she was fine"),
    )
    assert interview.status == InterviewStatus.DECLINED
    assert not interview.is_owed
    entry = ChronologyEntry.objects.get(child=returned.child, kind="missing_rhi_offered")
    assert (
        entry.summary == "Return home interview offered by Milo Grant; declined: Said she was fine"
    )
    # She changed her mind: the answer is corrected, the same entry follows.
    services.interview_offer(actor=worker_actor, interview=interview, offer=offer(missing_worker))
    entry.refresh_from_db()
    assert entry.summary.endswith("; accepted")
    assert ChronologyEntry.objects.filter(kind="missing_rhi_offered").count() == 1


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"offered_at": NOW - timedelta(days=1, hours=1)}, "offered_at"),  # before the return
        ({"offered_at": NOW + timedelta(hours=1)}, "offered_at"),
        ({"accepted": False, "declined_reason": " "}, "declined_reason"),
        ({"offered_by": None, "offered_by_name": ""}, "offered_by_name"),
    ],
)
def test_a_bad_offer_is_refused(worker_actor, missing_worker, returned, changes, field):
    with pytest.raises(ValidationError) as raised:
        services.interview_offer(
            actor=worker_actor, interview=returned.interview, offer=offer(missing_worker, **changes)
        )
    assert field in raised.value.message_dict


def test_someone_from_another_organisation_can_offer_it(worker_actor, returned):
    interview = services.interview_offer(
        actor=worker_actor,
        interview=returned.interview,
        offer=offer(None, offered_by_name="Kim Lee, Haven Runaways Service", accepted=None),
    )
    assert interview.offered_by_label == "Kim Lee, Haven Runaways Service"
    assert interview.status == InterviewStatus.AWAITING_ANSWER


def test_no_interview_offered_needs_a_reason_and_leaves_the_queue(worker_actor, returned):
    with pytest.raises(ValidationError):
        services.interview_not_offered(actor=worker_actor, interview=returned.interview, reason=" ")
    interview = services.interview_not_offered(
        actor=worker_actor,
        interview=returned.interview,
        reason="Lives in Sandwell, whose service arranges the interview",
    )
    assert interview.status == InterviewStatus.NOT_OFFERED
    assert not interview.is_owed
    assert ChronologyEntry.objects.filter(kind="missing_rhi_not_offered").count() == 1


def test_exploitation_concerns_ask_for_a_cse_screening_once(worker_actor, missing_worker, returned):
    done = returned.returned_at + timedelta(hours=10)
    concerned = findings(
        done,
        missing_worker,
        exploitation_concerns=True,
        exploitation_detail="Given a phone and gifts by older men",
    )
    interview = services.interview_record(
        actor=worker_actor, interview=returned.interview, findings=concerned
    )
    request = ScreeningRequest.objects.get(child=returned.child)
    assert interview.cse_screening_request_id == request.pk
    assert "Given a phone and gifts" in request.reason
    concerned.next_steps = "Strategy discussion to be considered"
    services.interview_record(actor=worker_actor, interview=interview, findings=concerned)
    assert ScreeningRequest.objects.filter(child=returned.child).count() == 1


def test_exploitation_concerns_need_detail(worker_actor, missing_worker, returned):
    with pytest.raises(ValidationError) as raised:
        services.interview_record(
            actor=worker_actor,
            interview=returned.interview,
            findings=findings(NOW, missing_worker, exploitation_concerns=True),
        )
    assert "exploitation_detail" in raised.value.message_dict


def test_placing_on_file_writes_the_findings_to_the_childs_story_and_locks_them(
    worker_actor, missing_worker, returned
):
    interview = services.interview_record(
        actor=worker_actor,
        interview=returned.interview,
        findings=findings(returned.returned_at + timedelta(hours=10), missing_worker),
    )
    services.interview_place_on_file(actor=worker_actor, interview=interview)
    interview.refresh_from_db()
    assert interview.status == InterviewStatus.ON_FILE
    entry = ChronologyEntry.objects.get(child=returned.child, kind="missing_rhi_on_file")
    assert "Push factors: Rows with her stepfather" in entry.summary
    with pytest.raises(PermissionDenied):
        services.interview_record(
            actor=worker_actor,
            interview=interview,
            findings=findings(returned.returned_at + timedelta(hours=11), missing_worker),
        )


def test_an_interview_not_done_cannot_go_on_file(worker_actor, returned):
    with pytest.raises(PermissionDenied):
        services.interview_place_on_file(actor=worker_actor, interview=returned.interview)


def test_assigning_only_to_people_who_record_interviews(
    worker_actor, missing_worker, cse_coordinator, returned
):
    with pytest.raises(ValidationError):
        services.interview_assign(
            actor=worker_actor, interview=returned.interview, worker=cse_coordinator
        )
    interview = services.interview_assign(
        actor=worker_actor, interview=returned.interview, worker=missing_worker
    )
    assert interview.worker == missing_worker
    assert interview.assigned_at == timezone.now()


# --- Linking the child -------------------------------------------------------------------


def test_linking_a_police_named_child_writes_their_story(worker_actor, child):
    from tests.factories.missing import MissingEpisodeFactory

    episode = MissingEpisodeFactory(
        child=None,
        given_name="Jayde Okoro",
        source=MissingEpisode.Source.POLICE,
        police_reference="WM-1",
    )
    assert kinds(child) == []
    services.episode_link_child(actor=worker_actor, episode=episode, child=child)
    assert kinds(child) == ["missing_went_missing", "missing_returned"]
    other = PersonFactory(first_name="Jade", last_name="Okoro-Smith")
    services.episode_link_child(actor=worker_actor, episode=episode, child=other)
    assert kinds(child) == []
    assert kinds(other) == ["missing_went_missing", "missing_returned"]
    events = Event.objects.filter(object_type="missing.missingepisode", action="update")
    assert {e.child_id for e in events} == {child.pk, other.pk}
