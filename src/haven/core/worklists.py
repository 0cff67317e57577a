"""Work queues: "My work" and "Team work", pages every worker has, built from sections that
each app registers.

An app calls ``register(Section(...))`` from ``AppConfig.ready()``. A section has a title, the
permission that shows it, and a function that returns its rows for a user: their own work
(``scope="mine"``) or their teams' (``scope="team"``). Each row says what the item is, which
child, its status, who owns it, when it is due and its red/amber/green, so every queue is the
same plain table (UX.md 3), overdue first.

Sections of one app form a ``group`` that shares a filter form (``filter_form``, a Django form
taking ``user`` and ``scope`` keyword arguments, whose fields become URL parameters prefixed by
the group key, so filters are kept in the URL). Rows functions must run a fixed number of
queries whatever the number of rows; sections of a group can share one load through
``WorkRequest.cache``.

A queue shows its ``SHOWN_ROWS`` most urgent rows, with the total and a link that shows the
whole section (``?show=<section key>``). A rows function that loads only the most urgent rows
of a long queue returns them as ``Rows(rows, total=...)`` so the page can say how many there
are in all.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils import timezone

from haven.core import timescales
from haven.core.http import AuthenticatedRequest

SHOWN_ROWS = 25
# What a rows function loads at most: the most urgent, which the page shows SHOWN_ROWS of (or
# all of, on request). Loading a queue of thousands to show 25 is most of a page's time.
LOADED_ROWS = 100
SHOW_PARAMETER = "show"
MINE = "mine"
TEAM = "team"
SCOPES = (MINE, TEAM)


@dataclass(frozen=True)
class Link:
    text: str
    url: str
    hidden_label: str = ""  # for screen readers: which row the link is about


@dataclass(frozen=True)
class Action:
    """A button on a row: a POST to ``url`` (with the CSRF token), e.g. "Assign to me"."""

    label: str
    url: str
    hidden_label: str = ""  # for screen readers: which row the button acts on


@dataclass(frozen=True)
class Tag:
    label: str
    colour: str = ""


@dataclass
class WorkRow:
    """One item in a queue."""

    item: Link
    children: tuple[Link, ...]
    status: Tag
    owner: str
    due_at: datetime | None
    started_at: datetime | None = None
    tags: tuple[Tag, ...] = ()
    detail: str = ""
    actions: tuple[Action, ...] = ()
    links: tuple[Link, ...] = ()

    def rag(self, now: datetime) -> timescales.Rag | None:
        return timescales.rag(self.due_at, now=now, start=self.started_at)


@dataclass
class WorkRequest:
    """What a rows function is asked for: whose work, which scope, the group's filters."""

    request: AuthenticatedRequest
    scope: str
    filters: dict[str, Any]
    cache: dict[str, Any] = field(default_factory=dict)

    @property
    def user(self) -> Any:
        return self.request.user


class Rows(list[WorkRow]):
    """The rows a rows function loaded, and how many the whole queue holds."""

    def __init__(self, rows: list[WorkRow], *, total: int) -> None:
        super().__init__(rows)
        self.total = max(total, len(rows))


def most_urgent[T](items: Iterable[T], limit: int = LOADED_ROWS) -> tuple[list[T], int]:
    """The first ``limit`` of a queue in urgency order (a queryset ordered by due date), and
    how many the queue holds: counted by the database only when the limit cut it short."""
    loaded = list(items[:limit])  # type: ignore[index]
    if len(loaded) < limit:
        return loaded, len(loaded)
    count = items.count() if isinstance(items, QuerySet) else len(items)  # type: ignore[arg-type]
    return loaded, count


@dataclass(frozen=True)
class Section:
    key: str
    title: str
    permission: str
    rows: Callable[[WorkRequest], list[WorkRow]]
    group: str = ""
    group_title: str = ""
    filter_form: Callable[..., forms.Form] | None = None
    order: int = 100
    description: str = ""
    empty_text: str = "Nothing here."
    scopes: tuple[str, ...] = SCOPES


_sections: dict[str, Section] = {}


def register(section: Section) -> None:
    _sections[section.key] = section


def unregister(key: str) -> None:
    """For tests: forget a section."""
    _sections.pop(key, None)


def sections_for(user: Any, scope: str) -> list[Section]:
    """The sections this user sees in this scope, in order."""
    return [
        section
        for section in sorted(_sections.values(), key=lambda s: (s.order, s.key))
        if scope in section.scopes and user.has_perm(section.permission)
    ]


@dataclass
class ShownRow:
    row: WorkRow
    rag: str
    rag_label: str
    time_left: str


@dataclass
class ShownSection:
    section: Section
    rows: list[ShownRow]  # the rows on the page
    overdue: int  # among the rows loaded
    total: int  # in the whole queue
    loaded: int  # the rows the section loaded (the most urgent, when fewer than the total)
    show_all_url: str = ""  # shows every loaded row, when the page shows fewer

    @property
    def overdue_at_least(self) -> bool:
        """Every loaded row is overdue and there are more: the count is a lower bound."""
        return self.loaded < self.total and self.overdue == self.loaded


@dataclass
class ShownGroup:
    key: str
    title: str
    form: forms.Form | None
    sections: list[ShownSection]
    filtered: bool
    filters: dict[str, Any] = field(default_factory=dict)
    # Other groups' filters, carried as hidden fields so one form does not clear another.
    keep: list[tuple[str, str]] = field(default_factory=list)


RAG_LABELS = {
    timescales.Rag.RED: "Overdue",
    timescales.Rag.AMBER: "Due soon",
    timescales.Rag.GREEN: "In time",
}
_RAG_ORDER = {"red": 0, "amber": 1, "green": 2, "": 3}


def _show(rows: list[WorkRow], now: datetime) -> list[ShownRow]:
    shown = []
    for row in rows:
        rag = row.rag(now)
        shown.append(
            ShownRow(
                row=row,
                rag=rag.value if rag else "",
                rag_label=RAG_LABELS[rag] if rag else "",
                time_left=timescales.time_left(row.due_at, now=now) if row.due_at else "",
            )
        )
    # Overdue first, then due soon; within each, as the section ordered them.
    shown.sort(key=lambda r: _RAG_ORDER[r.rag])
    return shown


def build(request: AuthenticatedRequest, scope: str) -> list[ShownGroup]:
    """Every section the user sees in ``scope``, grouped, filtered from the URL."""
    now = timezone.now()
    groups: dict[str, ShownGroup] = {}
    caches: dict[str, dict[str, Any]] = {}
    for section in sections_for(request.user, scope):
        key = section.group or section.key
        group = groups.get(key)
        if group is None:
            form = None
            filters: dict[str, Any] = {}
            if section.filter_form is not None:
                form = section.filter_form(
                    request.GET or None, prefix=key, user=request.user, scope=scope
                )
                if form.is_bound and form.is_valid():
                    filters = form.cleaned_data
            group = ShownGroup(
                key=key,
                title=section.group_title or section.title,
                form=form,
                sections=[],
                filtered=bool(form is not None and form.is_bound and any(filters.values())),
                filters=filters,
                keep=[
                    (name, value)
                    for name, values in request.GET.lists()
                    if not name.startswith(f"{key}-")
                    for value in values
                ],
            )
            groups[key] = group
            caches[key] = {}
        work = WorkRequest(
            request=request,
            scope=scope,
            filters=group.filters,
            cache=caches[key],
        )
        loaded = section.rows(work)
        rows = _show(loaded, now)
        expanded = request.GET.get(SHOW_PARAMETER) == section.key
        group.sections.append(
            ShownSection(
                section=section,
                rows=rows if expanded else rows[:SHOWN_ROWS],
                overdue=sum(1 for r in rows if r.rag == "red"),
                total=getattr(loaded, "total", len(rows)),
                loaded=len(rows),
                show_all_url=""
                if expanded or len(rows) <= SHOWN_ROWS
                else _show_url(request, section.key),
            )
        )
    return list(groups.values())


def _show_url(request: AuthenticatedRequest, key: str) -> str:
    """This page with its filters, showing every loaded row of one section."""
    query = request.GET.copy()
    query[SHOW_PARAMETER] = key
    return f"?{query.urlencode()}#section-{key}"
