"""Merging two records of the same person, undoing a merge, and working the duplicates list.

A merge moves every link to the duplicate onto the kept record. The links are found through
Django's model relations, not a list, so the contacts, plans and visits that later apps add
move too. What moved is written down (model, field, row ids) so the undo moves exactly those
rows back.
"""

from __future__ import annotations

from typing import Any

from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction
from django.utils import timezone

from haven.audit.models import Event
from haven.audit.services import event_record
from haven.core.actor import Actor
from haven.people.models import DuplicateCandidate, Person, PersonMerge, SearchKey
from haven.people.services.persons import chronology_record, search_keys_rebuild

# Links that describe identity itself, handled by the merge rather than moved.
_NOT_MOVED = {
    ("people.person", "merged_into"),
    ("people.searchkey", "person"),
    ("people.duplicatecandidate", "person_a"),
    ("people.duplicatecandidate", "person_b"),
    ("people.personmerge", "kept"),
    ("people.personmerge", "merged"),
}

# Details the kept record takes from the duplicate when it has none of its own.
_FILLABLE = [
    "middle_names",
    "date_of_birth",
    "expected_date_of_birth",
    "nhs_number",
    "upn",
    "first_language",
    "school_id",
    "date_of_death",
]


def person_links() -> list[tuple[type[models.Model], str]]:
    """Every (model, field name) whose foreign key points at a person, in any installed app,
    including the hidden tables behind many-to-many fields."""
    found = []
    for model in apps.get_models(include_auto_created=True):
        for field in model._meta.concrete_fields:
            if not ((field.is_relation and field.many_to_one) or field.one_to_one):
                continue
            if field.related_model is not Person:
                continue
            if (model._meta.label_lower, field.name) in _NOT_MOVED:
                continue
            found.append((model, field.name))
    return found


def _move(
    model: type[models.Model], field: str, source: Person, target: Person
) -> tuple[list[Any], list[Any]]:
    """Point ``field`` of ``model``'s rows from source to target; returns (moved, left) ids.
    A row that would break a unique rule on the target stays where it is."""
    ids = list(model._default_manager.filter(**{field: source}).values_list("pk", flat=True))
    if not ids:
        return [], []
    try:
        with transaction.atomic():
            model._default_manager.filter(pk__in=ids).update(**{field: target})
        return ids, []
    except IntegrityError:
        moved, left = [], []
        for pk in ids:
            try:
                with transaction.atomic():
                    model._default_manager.filter(pk=pk).update(**{field: target})
                moved.append(pk)
            except IntegrityError:
                left.append(pk)
        return moved, left


def person_merge(
    *,
    actor: Actor,
    kept: Person,
    duplicate: Person,
    reason: str,
    candidate: DuplicateCandidate | None = None,
) -> PersonMerge:
    """Merge ``duplicate`` into ``kept``: every link moves, the kept record takes any details
    it lacks, the duplicate is hidden (kept, pointing at ``kept``) so the merge can be undone.
    Audited on both records and written to the kept child's chronology."""
    if kept.pk == duplicate.pk:
        raise ValidationError("Choose two different records to merge")
    if kept.merged_into_id or duplicate.merged_into_id:
        raise ValidationError("One of these records has already been merged")
    if len(reason.strip()) < 10:
        raise ValidationError(
            {"reason": ["Enter why these are the same person, in at least 10 characters"]}
        )
    with transaction.atomic():
        kept = Person.objects.select_for_update().get(pk=kept.pk)
        duplicate = Person.objects.select_for_update().get(pk=duplicate.pk)
        moved: list[dict[str, Any]] = []
        for model, field in person_links():
            ids, left = _move(model, field, duplicate, kept)
            if ids or left:
                moved.append(
                    {
                        "model": model._meta.label_lower,
                        "field": field,
                        "ids": [str(pk) for pk in ids],
                        "left": [str(pk) for pk in left],
                    }
                )
        filled = {}
        for name in _FILLABLE:
            if not getattr(kept, name) and getattr(duplicate, name):
                filled[name] = getattr(duplicate, name)
                setattr(kept, name, getattr(duplicate, name))
        if duplicate.is_restricted and not kept.is_restricted:
            filled["is_restricted"] = True
            kept.is_restricted = True
        kept.save()
        duplicate.merged_into = kept
        duplicate.save(update_fields=["merged_into", "updated_at"])
        SearchKey.objects.filter(person=duplicate).delete()
        search_keys_rebuild(person=kept)
        merge = PersonMerge.objects.create(
            kept=kept,
            merged=duplicate,
            reason=reason.strip(),
            merged_by=actor.user,
            moved=[*moved, {"filled": {k: _json(v) for k, v in filled.items()}}],
        )
        pair = candidate or _candidate_for(kept, duplicate)
        if pair is not None:
            pair.status = DuplicateCandidate.Status.MERGED
            pair.decided_by = actor.user
            pair.decided_at = timezone.now()
            pair.save(update_fields=["status", "decided_by", "decided_at"])
        counts = {entry["model"]: len(entry["ids"]) for entry in moved}
        for person, role in ((kept, "kept"), (duplicate, "merged")):
            event_record(
                actor=actor,
                action=Event.Action.UPDATE,
                target=person,
                child_id=person.pk,
                reason=reason.strip(),
                detail={
                    "merge": merge.pk,
                    "role": role,
                    "kept": kept.pk,
                    "merged": duplicate.pk,
                    "moved": counts,
                    "filled": sorted(filled),
                },
            )
        chronology_record(
            actor=actor,
            child=kept,
            occurred_at=merge.merged_at,
            kind="records_merged",
            summary=f"Duplicate record {duplicate.la_id} ({duplicate.full_name}) "
            "merged into this one",
            target=merge,
            url=kept.get_absolute_url(),
        )
    return merge


def _json(value: Any) -> Any:
    return value.isoformat() if hasattr(value, "isoformat") else value


def _candidate_for(first: Person, second: Person) -> DuplicateCandidate | None:
    low, high = sorted([first.pk, second.pk])
    return DuplicateCandidate.objects.filter(person_a_id=low, person_b_id=high).first()


def person_merge_undo(*, actor: Actor, merge: PersonMerge, reason: str) -> PersonMerge:
    """Move back exactly the links the merge moved, clear what the kept record took, and bring
    the duplicate back into use. Audited and written to both chronologies."""
    if merge.is_undone:
        raise ValidationError("This merge has already been undone")
    if len(reason.strip()) < 10:
        raise ValidationError(
            {"reason": ["Enter why the merge is being undone, in at least 10 characters"]}
        )
    with transaction.atomic():
        kept = Person.objects.select_for_update().get(pk=merge.kept_id)
        duplicate = Person.objects.select_for_update().get(pk=merge.merged_id)
        for entry in merge.moved:
            if "filled" in entry:
                for name in entry["filled"]:
                    if name == "is_restricted":
                        kept.is_restricted = False
                    else:
                        field = Person._meta.get_field(name.removesuffix("_id"))
                        blank = None if field.null else ""
                        setattr(kept, name, blank)
                continue
            model = apps.get_model(entry["model"])
            model._default_manager.filter(pk__in=entry["ids"], **{entry["field"]: kept}).update(
                **{entry["field"]: duplicate}
            )
        kept.save()
        duplicate.merged_into = None
        duplicate.save(update_fields=["merged_into", "updated_at"])
        search_keys_rebuild(person=kept)
        search_keys_rebuild(person=duplicate)
        merge.undone_at = timezone.now()
        merge.undone_by = actor.user
        merge.save(update_fields=["undone_at", "undone_by"])
        pair = _candidate_for(kept, duplicate)
        if pair is not None:
            pair.status = DuplicateCandidate.Status.OPEN
            pair.decided_by = None
            pair.decided_at = None
            pair.save(update_fields=["status", "decided_by", "decided_at"])
        for person in (kept, duplicate):
            event_record(
                actor=actor,
                action=Event.Action.UPDATE,
                target=person,
                child_id=person.pk,
                reason=reason.strip(),
                detail={"merge_undone": merge.pk, "kept": kept.pk, "merged": duplicate.pk},
            )
            other = duplicate if person == kept else kept
            chronology_record(
                actor=actor,
                child=person,
                occurred_at=merge.undone_at,
                kind="merge_undone",
                summary=f"Merge with {other.la_id} ({other.full_name}) undone",
                target=merge,
                url=other.get_absolute_url(),
            )
    return merge


def duplicate_mark_not_duplicate(
    *, actor: Actor, candidate: DuplicateCandidate
) -> DuplicateCandidate:
    """A manager has checked: these are different people. The pair leaves the list and is not
    suggested again by later runs."""
    with transaction.atomic():
        candidate.status = DuplicateCandidate.Status.NOT_DUPLICATE
        candidate.decided_by = actor.user
        candidate.decided_at = timezone.now()
        candidate.save(update_fields=["status", "decided_by", "decided_at"])
        event_record(
            actor=actor,
            action=Event.Action.UPDATE,
            target=candidate,
            child_id=candidate.person_a_id,
            detail={
                "status": candidate.status,
                "person_a": candidate.person_a_id,
                "person_b": candidate.person_b_id,
            },
        )
    return candidate


def duplicates_refresh(*, actor: Actor, pairs: list[Any]) -> dict[str, int]:
    """Replace the open review list with a new run's pairs (``duplicates.FoundPair``). Pairs
    a manager has already decided stay decided and are not suggested again."""
    with transaction.atomic():
        decided = set(
            DuplicateCandidate.objects.exclude(status=DuplicateCandidate.Status.OPEN).values_list(
                "person_a_id", "person_b_id"
            )
        )
        removed, _ = DuplicateCandidate.objects.filter(
            status=DuplicateCandidate.Status.OPEN
        ).delete()
        now = timezone.now()
        fresh = [
            DuplicateCandidate(
                person_a_id=pair.person_a,
                person_b_id=pair.person_b,
                match_probability=pair.match_probability,
                match_weight=pair.match_weight,
                found_at=now,
            )
            for pair in pairs
            if (pair.person_a, pair.person_b) not in decided
        ]
        DuplicateCandidate.objects.bulk_create(fresh, batch_size=2000)
        counts = {
            "found": len(pairs),
            "listed": len(fresh),
            "already_decided": len(pairs) - len(fresh),
            "replaced": removed,
        }
        event_record(
            actor=actor,
            action=Event.Action.CREATE,
            object_type="people.duplicatecandidate",
            detail=counts,
        )
    return counts
