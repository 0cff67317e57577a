"""People services: every write audited, chronology written, search keys kept in step; merge
moves every link and the undo moves exactly those back."""

from __future__ import annotations

import random
from datetime import date

import pytest
from django.core.exceptions import ValidationError

from haven.audit.models import Event
from haven.people import chronology, codes, identifiers
from haven.people.models import (
    Address,
    ChronologyEntry,
    DuplicateCandidate,
    Person,
    PersonMerge,
    Relationship,
    SearchKey,
)
from haven.people.selectors import person_search, siblings_of
from haven.people.services import (
    address_add,
    chronology_record,
    duplicate_mark_not_duplicate,
    duplicates_refresh,
    person_create,
    person_links,
    person_merge,
    person_merge_undo,
    person_update,
    relationship_add,
    relationship_end,
)
from tests.conftest import actor_for
from tests.factories.people import PersonFactory, PostcodeFactory, WardFactory, valid_nhs_number

pytestmark = pytest.mark.django_db


@pytest.fixture
def actor(social_worker):
    return actor_for(social_worker)


def test_person_create_generates_an_la_id_audits_and_starts_the_chronology(actor):
    child = person_create(
        actor=actor,
        first_name=" Amara ",
        last_name="Okoye",
        date_of_birth=date(2016, 3, 9),
        sex="F",
        disabilities=["AUT"],
    )
    assert child.first_name == "Amara"
    assert identifiers.LA_ID_PATTERN.match(child.la_id)
    event = Event.objects.get(action=Event.Action.CREATE, object_type="people.person")
    assert event.child_id == child.pk
    entry = ChronologyEntry.objects.get(child=child)
    assert entry.kind == "person_created"
    assert entry.actor == actor.user
    assert SearchKey.objects.filter(person=child, key="d:2016-03-09").exists()


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("nhs_number", "9434765918", "NHS number is not valid"),
        ("nhs_number", "12345", "NHS number must be 10 digits"),
        ("upn", "A12345678901", "UPN must be a letter"),
        ("upn", "B330123456789", "UPN is not valid"),
        ("date_of_birth", date(2099, 1, 1), "Date of birth must be today or in the past"),
        ("disabilities", ["NONE", "AUT"], "No disability"),
    ],
)
def test_bad_identifiers_and_dates_are_refused(actor, field, value, message):
    with pytest.raises(ValidationError) as raised:
        person_create(actor=actor, first_name="A", last_name="B", **{field: value})
    assert message in str(raised.value.message_dict[field])
    assert not Person.objects.exists()


def test_a_valid_nhs_number_and_upn_are_kept_in_their_normal_form(actor):
    nhs = valid_nhs_number()
    upn = identifiers.make_upn(random.Random(3))
    child = person_create(
        actor=actor,
        first_name="A",
        last_name="B",
        nhs_number=f"{nhs[:3]} {nhs[3:6]} {nhs[6:]}",
        upn=upn.lower(),
    )
    assert child.nhs_number == nhs
    assert child.upn == upn


def test_changing_a_name_keeps_the_old_one_searchable_and_audits_old_and_new(actor, social_worker):
    child = person_create(
        actor=actor, first_name="Lena", last_name="Novak", date_of_birth=date(2013, 1, 20)
    )
    person_update(actor=actor, person=child, data={"last_name": "Kowalski"})
    event = Event.objects.filter(action=Event.Action.UPDATE).get()
    assert event.detail["changes"]["last_name"] == {"old": "Novak", "new": "Kowalski"}
    assert child.other_names.get().last_name == "Novak"
    assert person_search(user=social_worker, query="lena novak 20/1/2013")[0].person == child
    assert ChronologyEntry.objects.filter(child=child, kind="person_updated").exists()


def test_an_update_that_changes_nothing_writes_nothing(actor):
    child = person_create(actor=actor, first_name="A", last_name="B")
    person_update(actor=actor, person=child, data={"first_name": "A"})
    assert not Event.objects.filter(action=Event.Action.UPDATE).exists()


def test_address_add_ends_the_current_address_and_finds_the_ward(actor):
    ward = WardFactory(code="E05999001", name="Harbourside")
    PostcodeFactory(postcode="HV1 2AB", ward=ward)
    child = person_create(actor=actor, first_name="A", last_name="B")
    first = address_add(
        actor=actor, person=child, line_1="1 Quay", postcode="HV9 9ZZ", moved_in=date(2020, 1, 1)
    )
    second = address_add(
        actor=actor,
        person=child,
        line_1="2 Mill Lane",
        postcode="hv12ab",
        moved_in=date(2024, 6, 1),
    )
    first.refresh_from_db()
    assert first.moved_out == date(2024, 6, 1)
    assert second.postcode == "HV1 2AB"
    assert (second.ward_code, second.ward_name) == ("E05999001", "Harbourside")
    assert first.ward_name == ""
    assert SearchKey.objects.filter(person=child, key="p:HV12AB").exists()
    assert ChronologyEntry.objects.filter(child=child, kind="address_changed").count() == 2


def test_relationships_are_kept_both_ways_and_siblings_are_found(actor):
    child = person_create(
        actor=actor, first_name="Ava", last_name="Reid", date_of_birth=date(2015, 1, 1)
    )
    brother = person_create(
        actor=actor, first_name="Noah", last_name="Reid", date_of_birth=date(2012, 1, 1)
    )
    mother = person_create(actor=actor, first_name="Jo", last_name="Reid", kind="adult")
    relationship_add(actor=actor, person=child, relative=brother, kind="sibling")
    mum = relationship_add(
        actor=actor, person=child, relative=mother, kind="parent", lives_with=True
    )
    assert Relationship.objects.get(person=mother, relative=child).kind == "child"
    assert siblings_of(child) == [brother]
    assert siblings_of(brother) == [child]
    with pytest.raises(ValidationError):
        relationship_add(actor=actor, person=child, relative=mother, kind="parent")
    with pytest.raises(ValidationError):
        relationship_add(actor=actor, person=child, relative=child, kind="sibling")
    relationship_end(actor=actor, relationship=mum, ended_on=date(2025, 1, 1))
    assert not Relationship.objects.filter(
        person__in=[child, mother], ended_on__isnull=True, kind__in=["parent", "child"]
    ).exists()
    assert ChronologyEntry.objects.filter(child=mother, kind="relationship_changed").count() == 2


def test_chronology_record_accepts_a_date_and_registered_kinds_have_labels(actor):
    chronology.register_kind("test_kind", "Something tested")
    child = PersonFactory()
    entry = chronology_record(
        actor=actor,
        child=child,
        occurred_at=date(2024, 2, 29),
        kind="test_kind",
        summary="x" * 400,
        target=child,
        url="/people/1/",
    )
    assert entry.occurred_at.date() == date(2024, 2, 29)
    assert len(entry.summary) == 300
    assert entry.target_type == "people.person"
    assert chronology.kind_label("test_kind") == "Something tested"
    assert chronology.kind_label("not_registered") == "Not registered"


def test_merge_moves_every_link_and_undo_moves_them_back(actor, team_manager):
    manager = actor_for(team_manager)
    kept = person_create(
        actor=actor, first_name="Mia", last_name="Lund", date_of_birth=date(2014, 2, 2)
    )
    copy = person_create(
        actor=actor,
        first_name="Mya",
        last_name="Lund",
        date_of_birth=date(2014, 2, 2),
        nhs_number=valid_nhs_number(),
    )
    sister = PersonFactory(first_name="Ella", last_name="Lund")
    relationship_add(actor=actor, person=copy, relative=sister, kind="sibling")
    address_add(
        actor=actor, person=copy, line_1="3 Elm Road", postcode="HV2 3CD", moved_in=date(2021, 1, 1)
    )
    pair = DuplicateCandidate.objects.create(person_a=kept, person_b=copy, match_probability=0.97)
    merge = person_merge(
        actor=manager, kept=kept, duplicate=copy, reason="Same child: typo at contact"
    )
    copy.refresh_from_db()
    kept.refresh_from_db()
    assert copy.merged_into == kept
    assert kept.nhs_number == copy.nhs_number  # the kept record took what it lacked
    assert Address.objects.get(line_1="3 Elm Road").person == kept
    assert Relationship.objects.filter(person=kept, relative=sister).exists()
    assert Relationship.objects.filter(person=sister, relative=kept).exists()
    assert ChronologyEntry.objects.filter(child=kept, kind="records_merged").exists()
    assert not ChronologyEntry.objects.filter(child=copy).exists()
    assert not SearchKey.objects.filter(person=copy).exists()
    pair.refresh_from_db()
    assert pair.status == DuplicateCandidate.Status.MERGED
    assert Event.objects.filter(
        action=Event.Action.UPDATE, child_id=copy.pk, reason="Same child: typo at contact"
    ).exists()

    person_merge_undo(actor=manager, merge=merge, reason="Twins after all")
    copy.refresh_from_db()
    kept.refresh_from_db()
    assert copy.merged_into is None
    assert kept.nhs_number == ""
    assert Address.objects.get(line_1="3 Elm Road").person == copy
    assert Relationship.objects.filter(person=copy, relative=sister).exists()
    assert not Relationship.objects.filter(person=kept, relative=sister).exists()
    assert ChronologyEntry.objects.filter(child=copy, kind="person_created").exists()
    assert SearchKey.objects.filter(person=copy).exists()
    assert PersonMerge.objects.get().undone_by == team_manager
    pair.refresh_from_db()
    assert pair.status == DuplicateCandidate.Status.OPEN
    with pytest.raises(ValidationError):
        person_merge_undo(actor=manager, merge=merge, reason="Twice is too many")


def test_merge_discovers_links_from_every_app():
    links = {(model._meta.label_lower, field) for model, field in person_links()}
    assert ("people.address", "person") in links
    assert ("people.relationship", "relative") in links
    assert ("people.chronologyentry", "child") in links
    assert ("people.searchkey", "person") not in links
    assert ("people.person", "merged_into") not in links


def test_merge_refuses_bad_requests(actor):
    a, b = PersonFactory(), PersonFactory()
    with pytest.raises(ValidationError):
        person_merge(actor=actor, kept=a, duplicate=a, reason="same record twice")
    with pytest.raises(ValidationError):
        person_merge(actor=actor, kept=a, duplicate=b, reason="short")


def test_the_duplicates_list_is_refreshed_but_decisions_stand(actor):
    from haven.people.duplicates import FoundPair

    a, b, c = PersonFactory(), PersonFactory(), PersonFactory()
    decided = DuplicateCandidate.objects.create(person_a=a, person_b=b, match_probability=0.9)
    duplicate_mark_not_duplicate(actor=actor, candidate=decided)
    DuplicateCandidate.objects.create(person_a=a, person_b=c, match_probability=0.85)
    counts = duplicates_refresh(
        actor=actor, pairs=[FoundPair(a.pk, b.pk, 0.99, 9.0), FoundPair(b.pk, c.pk, 0.95, 7.0)]
    )
    assert counts == {"found": 2, "listed": 1, "already_decided": 1, "replaced": 1}
    assert list(
        DuplicateCandidate.objects.filter(status="open").values_list("person_a", "person_b")
    ) == [(b.pk, c.pk)]


@pytest.mark.parametrize(
    ("value", "valid"),
    [
        ("9434765919", True),
        ("943 476 5919", True),
        ("9434765918", False),
        ("123", False),
    ],
)
def test_nhs_number_check(value, valid):
    assert identifiers.is_valid_nhs_number(value) is valid


def test_upn_check_letter_and_postcodes():
    rng = random.Random(1)
    for _ in range(50):
        upn = identifiers.make_upn(rng)
        assert identifiers.clean_upn(upn) == upn
    assert identifiers.normalise_postcode(" b129qa ") == "B12 9QA"
    assert identifiers.normalise_postcode("SW1A1AA") == "SW1A 1AA"
    assert identifiers.normalise_postcode("12345") == ""
    with pytest.raises(ValidationError):
        identifiers.clean_postcode("BT")
    assert codes.INVERSE[codes.RelationshipKind.STEP_PARENT] == codes.RelationshipKind.STEP_CHILD
