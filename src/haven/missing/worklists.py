"""This app's sections of "My work" and "Team work": return home interviews due (with the hours
left until 72 hours after the child's return, overdue first), reports to place on the
child's file, and, for the team, police notifications whose child is not linked yet. Each
runs a fixed number of queries whatever the number of rows."""

from __future__ import annotations

from typing import Any

from django import forms
from django.urls import reverse
from django.utils import timezone

from haven.core import worklists
from haven.core.forms import choice_field
from haven.core.worklists import Action, Link, Rows, Section, Tag, WorkRequest, WorkRow
from haven.missing import permissions, selectors
from haven.missing.models import ReturnInterview

GROUP = "missing"
GROUP_TITLE = "Missing children"


class QueueFilterForm(forms.Form):
    overdue = forms.BooleanField(label="Only overdue interviews", required=False)
    worker = forms.ChoiceField(label="Worker", required=False, choices=[("", "Anyone")])

    def __init__(self, *args: Any, user: Any, scope: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if scope == worklists.TEAM:
            choice_field(self, "worker").choices = [
                ("", "Anyone"),
                ("unassigned", "Unassigned"),
                *[(str(w.pk), w.full_name) for w in selectors.team_recorders(user)],
            ]
        else:
            del self.fields["worker"]


def _child_link(interview: ReturnInterview) -> Link:
    child = interview.episode.child
    return Link(child.full_name, child.get_absolute_url()) if child else Link("Not linked", "")


def _returned(interview: ReturnInterview) -> str:
    returned = interview.episode.returned_at
    return f"Came back {timezone.localtime(returned):%-d %b %Y %H:%M}" if returned else ""


def owed_rows(work: WorkRequest) -> list[WorkRow]:
    filters = selectors.QueueFilters(
        worker=work.filters.get("worker") or "",
        overdue_only=bool(work.filters.get("overdue")),
    )
    interviews = selectors.interviews_owed(user=work.user, scope=work.scope, filters=filters)
    can_record = work.user.has_perm(permissions.RECORD)
    loaded, total = worklists.most_urgent(interviews)
    rows = []
    for interview in loaded:
        episode = interview.episode
        status = interview.status
        actions: tuple[Action, ...] = ()
        if can_record and interview.worker_id is None:
            actions = (
                Action(
                    "Assign to me",
                    reverse("missing:interview-take", args=[episode.pk]),
                    episode.name,
                ),
            )
        rows.append(
            WorkRow(
                item=Link(
                    f"Return home interview: {episode.reference}", interview.get_absolute_url()
                ),
                children=(_child_link(interview),),
                status=Tag(status.label, interview.status_colour),
                owner=interview.worker.full_name if interview.worker else "Unassigned",
                due_at=interview.due_at,
                started_at=episode.returned_at,
                detail=_returned(interview),
                actions=actions,
            )
        )
    return Rows(rows, total=total)


def to_file_rows(work: WorkRequest) -> list[WorkRow]:
    loaded, total = worklists.most_urgent(
        selectors.interviews_to_file(user=work.user, scope=work.scope)
    )
    rows = []
    for interview in loaded:
        episode = interview.episode
        tags = (
            (Tag("Done within 72 hours", "green"),)
            if interview.done_in_time
            else (Tag("Done late", "orange"),)
        )
        rows.append(
            WorkRow(
                item=Link(f"Place on file: {episode.reference}", interview.get_absolute_url()),
                children=(_child_link(interview),),
                status=Tag("Done, not on file", "yellow"),
                owner=interview.done_by_label or "Not recorded",
                due_at=None,
                tags=tags,
                detail=f"Interview {timezone.localtime(interview.done_at):%-d %b %Y %H:%M}"
                if interview.done_at
                else "",
            )
        )
    return Rows(rows, total=total)


def to_link_rows(work: WorkRequest) -> list[WorkRow]:
    loaded, total = worklists.most_urgent(selectors.awaiting_child(user=work.user))
    rows = []
    for episode in loaded:
        born = (
            f", born {episode.given_date_of_birth:%-d %b %Y}" if episode.given_date_of_birth else ""
        )
        rows.append(
            WorkRow(
                item=Link(
                    f"Link {episode.given_name}{born}",
                    reverse("missing:link-child", args=[episode.pk]),
                ),
                children=(Link(f"{episode.given_name} (not linked)", ""),),
                status=Tag("Child not linked", "orange"),
                owner="Missing children team",
                due_at=episode.interview.due_at,
                started_at=episode.returned_at,
                detail=f"Police reference {episode.police_reference}"
                if episode.police_reference
                else "",
            )
        )
    return Rows(rows, total=total)


def register() -> None:
    worklists.register(
        Section(
            key="missing-interviews",
            title="Return home interviews due",
            permission=permissions.VIEW,
            rows=owed_rows,
            group=GROUP,
            group_title=GROUP_TITLE,
            filter_form=QueueFilterForm,
            order=50,
            description="Interviews are due 72 hours after the child comes back. Yours (My "
            "work), or your teams' and, for the missing children team, the unassigned ones "
            "(Team work).",
            empty_text="No return home interviews due.",
        )
    )
    worklists.register(
        Section(
            key="missing-to-file",
            title="Interview reports to place on file",
            permission=permissions.RECORD,
            rows=to_file_rows,
            group=GROUP,
            group_title=GROUP_TITLE,
            order=51,
            description="Interviews done whose report is not yet on the child's file, where "
            "the child's social worker plans with it.",
            empty_text="No interview reports waiting to go on file.",
        )
    )
    worklists.register(
        Section(
            key="missing-to-link",
            title="Missing children to link to their record",
            permission=permissions.RECORD,
            rows=to_link_rows,
            group=GROUP,
            group_title=GROUP_TITLE,
            order=52,
            description="Children named on police notifications whose record is not linked "
            "yet: their return home interview cannot be arranged until it is.",
            empty_text="Every missing child is linked to their record.",
            scopes=(worklists.TEAM,),
        )
    )
