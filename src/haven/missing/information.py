"""Management information about children who go missing, for a chosen period: the return home
interview shares, episodes by ward and by school attended, the CSE risk level of the children
who went missing, and repeat-missing children. Every number is a set of children, so each one
opens the list of the children behind it (``children_for``), worked out by the same code as
the number itself: a count and its list cannot disagree.

One load per period (``load``): the episodes that started in the period, scoped to the user,
with their interviews, the children's addresses (for the ward they lived in when they went
missing) and schools, and their CSE risk levels from the exploitation app. The definitions
are in the user guide (docs/user-guide/missing-children.md).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import TYPE_CHECKING, Any

from django.utils import timezone

from haven.core.calendar import local_tz
from haven.missing import selectors
from haven.people.models import Address, Person

if TYPE_CHECKING:
    from haven.accounts.models import User

# A child who went missing this many times in the period is "repeat missing" unless the page
# is asked for another number.
REPEAT_THRESHOLD = 3
MOST_EPISODES_SHOWN = 5  # the episodes-per-child table's last row is "5 or more"
NOT_KNOWN = "none"


@dataclass(frozen=True)
class Period:
    """From ``date_from`` to ``date_to``, both days included, in the council's time zone."""

    date_from: date
    date_to: date

    @property
    def start(self) -> datetime:
        return datetime.combine(self.date_from, time.min, tzinfo=local_tz())

    @property
    def end(self) -> datetime:
        return datetime.combine(self.date_to + timedelta(days=1), time.min, tzinfo=local_tz())

    @property
    def label(self) -> str:
        return f"{self.date_from:%-d %B %Y} to {self.date_to:%-d %B %Y}"

    @classmethod
    def quarter_of(cls, day: date) -> Period:
        first_month = 3 * ((day.month - 1) // 3) + 1
        start = date(day.year, first_month, 1)
        if first_month == 10:
            next_start = date(day.year + 1, 1, 1)
        else:
            next_start = date(day.year, first_month + 3, 1)
        return cls(start, next_start - timedelta(days=1))

    @classmethod
    def last_complete_quarter(cls, today: date | None = None) -> Period:
        today = today or timezone.localdate()
        current = cls.quarter_of(today)
        return cls.quarter_of(current.date_from - timedelta(days=1))

    def previous_quarters(self, count: int) -> list[Period]:
        """This quarter and the ``count - 1`` before it, newest first."""
        found = [Period.quarter_of(self.date_from)]
        while len(found) < count:
            found.append(Period.quarter_of(found[-1].date_from - timedelta(days=1)))
        return found


@dataclass
class EpisodeFacts:
    """One episode that started in the period, as the figures need it."""

    id: int
    child_id: int
    went_missing_at: datetime
    returned_at: datetime | None
    due_at: datetime | None
    offered_at: datetime | None
    not_offered_at: datetime | None
    accepted: bool | None
    done_at: datetime | None
    on_file_at: datetime | None
    ward_code: str = NOT_KNOWN
    ward_name: str = "Not known"

    @property
    def returned(self) -> bool:
        return self.returned_at is not None

    @property
    def offered(self) -> bool:
        return self.offered_at is not None

    @property
    def accepted_(self) -> bool:
        return self.accepted is True

    @property
    def declined(self) -> bool:
        return self.accepted is False and self.done_at is None

    @property
    def decided_not(self) -> bool:
        return self.not_offered_at is not None

    @property
    def done(self) -> bool:
        return self.done_at is not None

    @property
    def in_time(self) -> bool:
        return self.done_at is not None and self.due_at is not None and self.done_at <= self.due_at

    @property
    def late(self) -> bool:
        return self.done and not self.in_time

    @property
    def on_file(self) -> bool:
        return self.on_file_at is not None

    @property
    def owed_overdue(self) -> bool:
        return (
            self.due_at is not None
            and self.done_at is None
            and self.not_offered_at is None
            and self.accepted is not False
            and self.due_at < timezone.now()
        )


@dataclass
class ChildFacts:
    child_id: int
    episodes: list[EpisodeFacts] = field(default_factory=list)
    school_id: int | None = None
    school_name: str = ""
    risk_level_id: int | None = None
    risk_level_name: str = ""

    def any(self, test: Callable[[EpisodeFacts], bool]) -> bool:
        return any(test(episode) for episode in self.episodes)


# --- Measures: each is a test of one child's facts ---------------------------------------


@dataclass(frozen=True)
class Measure:
    """A test of one child's facts: is this child counted?"""

    key: str
    label: str
    test: Callable[[ChildFacts], bool]


@dataclass(frozen=True)
class EpisodeMeasure:
    """A test of one returned episode; its children are those with such an episode."""

    key: str
    label: str
    episode_test: Callable[[EpisodeFacts], bool]

    def counts(self, episode: EpisodeFacts) -> bool:
        return episode.returned and self.episode_test(episode)

    def test(self, child: ChildFacts) -> bool:
        return child.any(self.counts)


def _returned(child: ChildFacts) -> bool:
    return child.any(lambda e: e.returned)


def _returned_and(test: Callable[[EpisodeFacts], bool]) -> Callable[[ChildFacts], bool]:
    return lambda child: child.any(lambda e: e.returned and test(e))


CHILD_MEASURES: dict[str, Measure] = {
    m.key: m
    for m in [
        Measure("went_missing", "Children who went missing", lambda c: bool(c.episodes)),
        Measure("returned", "Children who went missing and came back", _returned),
        Measure("still_missing", "Children still missing", lambda c: not _returned(c)),
        Measure("offered", "Offered an interview", _returned_and(lambda e: e.offered)),
        Measure(
            "not_offered",
            "Not offered an interview",
            lambda c: _returned(c) and not c.any(lambda e: e.offered),
        ),
        Measure(
            "within_72_hours",
            "Interview done within 72 hours of return",
            _returned_and(lambda e: e.in_time),
        ),
        Measure(
            "on_file",
            "Interview placed on the child's file",
            _returned_and(lambda e: e.on_file),
        ),
    ]
}

EPISODE_MEASURES: dict[str, EpisodeMeasure] = {
    m.key: m
    for m in [
        EpisodeMeasure("episodes_returned", "Episodes ended by a return", lambda e: e.returned),
        EpisodeMeasure("episodes_offered", "Interview offered", lambda e: e.offered),
        EpisodeMeasure("episodes_accepted", "Interview accepted", lambda e: e.accepted_),
        EpisodeMeasure("episodes_declined", "Interview declined", lambda e: e.declined),
        EpisodeMeasure(
            "episodes_decided_not", "Decided not to offer (with a reason)", lambda e: e.decided_not
        ),
        EpisodeMeasure("episodes_done", "Interview done", lambda e: e.done),
        EpisodeMeasure("episodes_in_time", "Done within 72 hours", lambda e: e.in_time),
        EpisodeMeasure("episodes_late", "Done after 72 hours", lambda e: e.late),
        EpisodeMeasure("episodes_on_file", "Placed on the child's file", lambda e: e.on_file),
        EpisodeMeasure("episodes_overdue", "Still owed and overdue", lambda e: e.owed_overdue),
    ]
}


# --- The load ----------------------------------------------------------------------------


@dataclass
class PeriodData:
    period: Period
    children: dict[int, ChildFacts]
    unlinked_episodes: int
    risk_levels: list[Any]  # exploitation RiskLevel, lowest first
    risk_as_of: date

    def episodes(self) -> Iterable[EpisodeFacts]:
        for child in self.children.values():
            yield from child.episodes


def _ward_on(addresses: list[tuple[Any, ...]], day: date) -> tuple[str, str]:
    """The ward of the address the child lived at on ``day``: the latest one moved into by
    then and not left; else the current address; else not known."""
    best = None
    for _, code, name, moved_in, moved_out in addresses:
        lived_there = (moved_in is None or moved_in <= day) and (
            moved_out is None or moved_out > day
        )
        if lived_there and (best is None or (moved_in or date.min) > (best[3] or date.min)):
            best = (None, code, name, moved_in, moved_out)
    if best is None:
        best = next((a for a in addresses if a[4] is None), None)
    if best is None or not best[1]:
        return NOT_KNOWN, "Not known or outside the area"
    return best[1], best[2] or best[1]


def load(*, user: User, period: Period) -> PeriodData:
    """Everything the figures for ``period`` need, scoped to ``user``: five queries (six with
    risk levels) whatever the number of episodes."""
    from haven.exploitation.selectors import risk_levels, risk_levels_as_of

    episodes = selectors.episodes_visible(user).filter(
        went_missing_at__gte=period.start, went_missing_at__lt=period.end
    )
    rows = list(
        episodes.filter(child__isnull=False).values_list(
            "id",
            "child_id",
            "went_missing_at",
            "returned_at",
            "interview__due_at",
            "interview__offered_at",
            "interview__not_offered_at",
            "interview__accepted",
            "interview__done_at",
            "interview__placed_on_file_at",
        )
    )
    unlinked = episodes.filter(child__isnull=True).count()
    children: dict[int, ChildFacts] = {}
    for row in rows:
        facts = EpisodeFacts(*row)
        children.setdefault(facts.child_id, ChildFacts(facts.child_id)).episodes.append(facts)
    ids = sorted(children)
    addresses: dict[int, list[tuple[Any, ...]]] = defaultdict(list)
    schools: dict[int, tuple[int | None, str]] = {}
    for start in range(0, len(ids), 900):
        chunk = ids[start : start + 900]
        for address in Address.objects.filter(person_id__in=chunk).values_list(
            "person_id", "ward_code", "ward_name", "moved_in", "moved_out"
        ):
            addresses[address[0]].append(address)
        for pk, school_id, school_name in Person.objects.filter(pk__in=chunk).values_list(
            "pk", "school_id", "school__name"
        ):
            schools[pk] = (school_id, school_name or "")
    today = timezone.localdate()
    risk_as_of = min(period.date_to, today)
    levels = risk_levels(include_inactive=True)
    risk = risk_levels_as_of(child_ids=ids, on=risk_as_of)
    for child_id, child in children.items():
        child.school_id, child.school_name = schools.get(child_id, (None, ""))
        level = risk.get(child_id)
        if level is not None:
            child.risk_level_id, child.risk_level_name = level.pk, level.name
        for episode in child.episodes:
            day = timezone.localtime(episode.went_missing_at, local_tz()).date()
            episode.ward_code, episode.ward_name = _ward_on(addresses.get(child_id, []), day)
        child.episodes.sort(key=lambda e: e.went_missing_at)
    return PeriodData(
        period=period,
        children=children,
        unlinked_episodes=unlinked,
        risk_levels=levels,
        risk_as_of=risk_as_of,
    )


# --- The figures -------------------------------------------------------------------------


def share(numerator: int, denominator: int) -> float | None:
    return numerator / denominator if denominator else None


@dataclass
class ShareRow:
    measure: Measure
    children: int
    of_returned: float | None
    of_offered: float | None = None


@dataclass
class EpisodeRow:
    measure: EpisodeMeasure
    episodes: int
    children: int


@dataclass
class GroupRow:
    """One ward, school, risk level or number of episodes, with its drill-down key."""

    key: str
    label: str
    episodes: int
    children: int
    share: float | None = None


@dataclass
class Figures:
    data: PeriodData
    repeat_threshold: int
    counts: dict[str, int]
    shares: list[ShareRow]
    episode_rows: list[EpisodeRow]
    wards: list[GroupRow]
    schools: list[GroupRow]
    risk: list[GroupRow]
    repeat: list[GroupRow]
    repeat_children: int


def _count(data: PeriodData, test: Callable[[ChildFacts], bool]) -> int:
    return sum(1 for child in data.children.values() if test(child))


def _groups(
    data: PeriodData, key_of: Callable[[ChildFacts, EpisodeFacts], tuple[str, str]]
) -> list[GroupRow]:
    episodes: Counter[str] = Counter()
    children: dict[str, set[int]] = defaultdict(set)
    labels: dict[str, str] = {}
    for child in data.children.values():
        for episode in child.episodes:
            key, label = key_of(child, episode)
            episodes[key] += 1
            children[key].add(child.child_id)
            labels[key] = label
    total = len(data.children)
    rows = [
        GroupRow(
            key, labels[key], episodes[key], len(children[key]), share(len(children[key]), total)
        )
        for key in episodes
    ]
    rows.sort(key=lambda r: (r.key == NOT_KNOWN, -r.episodes, -r.children, r.label))
    return rows


def _ward_key(child: ChildFacts, episode: EpisodeFacts) -> tuple[str, str]:
    return episode.ward_code, episode.ward_name


def _school_key(child: ChildFacts, episode: EpisodeFacts) -> tuple[str, str]:
    if child.school_id is None:
        return NOT_KNOWN, "No school recorded"
    return str(child.school_id), child.school_name


def _risk_rows(data: PeriodData) -> list[GroupRow]:
    total = len(data.children)
    by_level: dict[str, list[ChildFacts]] = defaultdict(list)
    for child in data.children.values():
        by_level[str(child.risk_level_id) if child.risk_level_id else NOT_KNOWN].append(child)
    rows = []
    for level in data.risk_levels:
        found = by_level.get(str(level.pk), [])
        if found or level.is_active:
            rows.append(
                GroupRow(
                    str(level.pk),
                    level.name,
                    sum(len(c.episodes) for c in found),
                    len(found),
                    share(len(found), total),
                )
            )
    rows.reverse()  # highest risk first
    none = by_level.get(NOT_KNOWN, [])
    rows.append(
        GroupRow(
            NOT_KNOWN,
            "Not screened",
            sum(len(c.episodes) for c in none),
            len(none),
            share(len(none), total),
        )
    )
    return rows


def _episode_count_key(count: int) -> str:
    return str(min(count, MOST_EPISODES_SHOWN))


def _repeat_rows(data: PeriodData) -> list[GroupRow]:
    total = len(data.children)
    by_count: dict[str, list[ChildFacts]] = defaultdict(list)
    for child in data.children.values():
        by_count[_episode_count_key(len(child.episodes))].append(child)
    rows = []
    for count in range(1, MOST_EPISODES_SHOWN + 1):
        found = by_count.get(str(count), [])
        label = f"{count} or more" if count == MOST_EPISODES_SHOWN else str(count)
        rows.append(
            GroupRow(
                str(count),
                label,
                sum(len(c.episodes) for c in found),
                len(found),
                share(len(found), total),
            )
        )
    return rows


def figures(*, data: PeriodData, repeat_threshold: int = REPEAT_THRESHOLD) -> Figures:
    """Every number on the management information page for one period's data."""
    counts = {key: _count(data, measure.test) for key, measure in CHILD_MEASURES.items()}
    returned, offered = counts["returned"], counts["offered"]
    shares = [
        ShareRow(
            CHILD_MEASURES[key],
            counts[key],
            share(counts[key], returned),
            share(counts[key], offered) if key != "offered" else None,
        )
        for key in ("offered", "within_72_hours", "on_file")
    ]
    episode_rows = []
    for measure in EPISODE_MEASURES.values():
        matching = [e for e in data.episodes() if measure.counts(e)]
        episode_rows.append(EpisodeRow(measure, len(matching), len({e.child_id for e in matching})))
    return Figures(
        data=data,
        repeat_threshold=repeat_threshold,
        counts=counts,
        shares=shares,
        episode_rows=episode_rows,
        wards=_groups(data, _ward_key),
        schools=_groups(data, _school_key),
        risk=_risk_rows(data),
        repeat=_repeat_rows(data),
        repeat_children=sum(
            1 for c in data.children.values() if len(c.episodes) >= repeat_threshold
        ),
    )


# --- Drilling down -------------------------------------------------------------------------

GROUP_MEASURES = {
    "ward": "Children who went missing from {label}",
    "school": "Children who went missing, attending {label}",
    "risk": "Children who went missing, CSE risk {label}",
    "episodes": "Children who went missing {label} time(s)",
    "repeat": "Children who went missing {label} or more times",
}


class UnknownMeasureError(LookupError):
    """The drill-down was asked for a figure that is not one."""


# The interview figures are shares of the children who came back; the rest, of all who went.
SHARES_OF_RETURNED = {"offered", "within_72_hours", "on_file", "not_offered", *EPISODE_MEASURES}


def _group_test(  # noqa: PLR0911 - one answer per kind of group
    data: PeriodData, measure: str, key: str, repeat_threshold: int
) -> tuple[Callable[[ChildFacts], bool], Callable[[EpisodeFacts], bool] | None, str]:
    """The test for one group's children, the episodes that put them there, and the label."""
    if measure == "ward":
        label = next(
            (e.ward_name for e in data.episodes() if e.ward_code == key),
            "Not known or outside the area",
        )
        return (
            (lambda c: c.any(lambda e: e.ward_code == key)),
            (lambda e: e.ward_code == key),
            label,
        )
    if measure == "school":
        if key == NOT_KNOWN:
            return (lambda c: c.school_id is None), None, "no school recorded"
        label = next(
            (c.school_name for c in data.children.values() if str(c.school_id) == key), "a school"
        )
        return (lambda c: str(c.school_id) == key), None, label
    if measure == "risk":
        if key == NOT_KNOWN:
            return (lambda c: c.risk_level_id is None), None, "not screened"
        label = next((lvl.name for lvl in data.risk_levels if str(lvl.pk) == key), "")
        if not label:
            raise UnknownMeasureError(key)
        return (lambda c: str(c.risk_level_id) == key), None, label.lower()
    if measure == "episodes":
        if not key.isdigit() or not 1 <= int(key) <= MOST_EPISODES_SHOWN:
            raise UnknownMeasureError(key)
        label = f"{key} or more" if int(key) == MOST_EPISODES_SHOWN else key
        return (lambda c: _episode_count_key(len(c.episodes)) == key), None, label
    if measure == "repeat":
        return (lambda c: len(c.episodes) >= repeat_threshold), None, str(repeat_threshold)
    raise UnknownMeasureError(measure)


@dataclass
class DrillDown:
    title: str
    child_ids: list[int]
    # The episodes that put each child in the list (all their period's episodes when the
    # measure is about the child, not one episode).
    episodes: dict[int, list[EpisodeFacts]]
    denominator_key: str
    denominator_label: str
    denominator: int


def children_for(
    *, data: PeriodData, measure: str, key: str = "", repeat_threshold: int = REPEAT_THRESHOLD
) -> DrillDown:
    """The children behind one number, with the episodes that count them; and the
    denominator the number is a share of. ``UnknownMeasureError`` for a measure that is not one."""
    episode_test: Callable[[EpisodeFacts], bool] | None
    test: Callable[[ChildFacts], bool]
    if measure in CHILD_MEASURES:
        child_measure = CHILD_MEASURES[measure]
        test, episode_test, title = child_measure.test, None, child_measure.label
    elif measure in EPISODE_MEASURES:
        episode_measure = EPISODE_MEASURES[measure]
        test, episode_test = episode_measure.test, episode_measure.counts
        title = f"Episodes: {episode_measure.label.lower()}"
    elif measure in GROUP_MEASURES:
        test, episode_test, label = _group_test(data, measure, key, repeat_threshold)
        title = GROUP_MEASURES[measure].format(label=label)
    else:
        raise UnknownMeasureError(measure)
    ids = sorted(c.child_id for c in data.children.values() if test(c))
    episodes = {
        child_id: [
            e for e in data.children[child_id].episodes if episode_test is None or episode_test(e)
        ]
        for child_id in ids
    }
    denominator_key = "returned" if measure in SHARES_OF_RETURNED else "went_missing"
    denominator = CHILD_MEASURES[denominator_key]
    return DrillDown(
        title=title,
        child_ids=ids,
        episodes=episodes,
        denominator_key=denominator_key,
        denominator_label=denominator.label,
        denominator=_count(data, denominator.test),
    )
