"""Who may see and change people's records.

Staff who work with children may see every person (a restricted record asks for a reason
first); those who record contacts and cases may add and change people; only team managers
merge duplicates. Partner agency users see only the children in records shared with their
agency (``people.sharing``); the administrator sees no one.
"""

from __future__ import annotations

import rules

from haven.accounts.roles import Role

VIEW = "people.view_person"
ADD = "people.add_person"
CHANGE = "people.change_person"
MERGE = "people.merge_persons"

_RECORDERS = {VIEW, ADD, CHANGE}
_READERS = {VIEW}

ROLE_PERMISSIONS: dict[Role, set[str]] = {
    Role.REFERRAL_AND_ADVICE_OFFICER: _RECORDERS,
    Role.SOCIAL_WORKER: _RECORDERS,
    Role.TEAM_MANAGER: _RECORDERS | {MERGE},
    Role.CSE_COORDINATOR: _RECORDERS,
    Role.MISSING_CHILDREN_WORKER: _RECORDERS,
    Role.OUT_OF_HOURS_WORKER: _RECORDERS,
    Role.QUALITY_AUDITOR: _READERS,
    Role.PERFORMANCE_ANALYST: _READERS,
    Role.SENIOR_LEADER: _READERS,
    # Partners hold the permission, but persons_visible limits them to shared records.
    Role.PARTNER: _READERS,
}


@rules.predicate
def can_see_person(user: object, person: object) -> bool:
    """The person is among those the user may see (the same rule as every list)."""
    from haven.people.models import Person
    from haven.people.selectors import persons_visible

    if not isinstance(person, Person):
        return False
    return persons_visible(user).filter(pk=person.pk).exists()  # type: ignore[arg-type]


rules.add_perm("people.view_person_record", can_see_person)
