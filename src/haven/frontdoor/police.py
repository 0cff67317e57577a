"""Reading the police notifications CSV (the columns are in docs/police-notifications-csv.md).

``read_rows`` turns a file into rows with their line numbers; ``check_row`` turns one row
into a clean notification or the reasons it is not one, in words a person can fix.
Nothing here writes: ``services.police`` stores what this finds.

Other apps act on notifications of a type (the missing-children app makes missing episodes
from "missing" ones) by ``register_notification_handler(type, handler)``: the import calls
``handler(NotificationImported(...))`` inside the row's transaction when the notification is
first imported (``created=True``), and again when a later file sends the same police reference
(``created=False``: the child's return, say). A handler that raises ``ValidationError`` makes
the row a bad row, kept with that reason, and nothing of it is imported.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import TYPE_CHECKING

from django.utils import timezone

from haven.core.calendar import local_tz
from haven.frontdoor import codes

if TYPE_CHECKING:
    from haven.core.actor import Actor
    from haven.frontdoor.models import PoliceNotification

COLUMNS = [
    "police_reference",
    "occurred_at",
    "notification_type",
    "children",
    "adults",
    "address",
    "narrative",
    "officer",
    "risk_level",
    "shared_at",
    "reported_at",
    "returned_at",
    "where_found",
    "looked_after",
]
REQUIRED = ["police_reference", "occurred_at", "notification_type", "children", "narrative"]
# Other names police systems give the same columns.
ALIASES = {
    "reference": "police_reference",
    "police_ref": "police_reference",
    "crime_reference": "police_reference",
    "incident_reference": "police_reference",
    "date_time": "occurred_at",
    "datetime": "occurred_at",
    "date_and_time": "occurred_at",
    "incident_date": "occurred_at",
    "type": "notification_type",
    "notification": "notification_type",
    "child": "children",
    "adult": "adults",
    "narrative_text": "narrative",
    "summary": "narrative",
    "details": "narrative",
    "sent_at": "shared_at",
    "shared": "shared_at",
    "reported": "reported_at",
    "reported_missing_at": "reported_at",
    "returned": "returned_at",
    "found_at": "returned_at",
    "date_returned": "returned_at",
    "found": "where_found",
    "location_found": "where_found",
    "lac": "looked_after",
    "cla": "looked_after",
    "looked_after_child": "looked_after",
}
YES = {"yes", "y", "true", "1"}
NO = {"no", "n", "false", "0"}
TYPES = {
    "domestic_abuse": codes.PoliceNotificationType.DOMESTIC_ABUSE,
    "domestic abuse": codes.PoliceNotificationType.DOMESTIC_ABUSE,
    "domestic": codes.PoliceNotificationType.DOMESTIC_ABUSE,
    "da": codes.PoliceNotificationType.DOMESTIC_ABUSE,
    "dva": codes.PoliceNotificationType.DOMESTIC_ABUSE,
    "missing": codes.PoliceNotificationType.MISSING,
    "missing child": codes.PoliceNotificationType.MISSING,
    "missing person": codes.PoliceNotificationType.MISSING,
    "child_concern": codes.PoliceNotificationType.CHILD_CONCERN,
    "child concern": codes.PoliceNotificationType.CHILD_CONCERN,
    "other": codes.PoliceNotificationType.OTHER,
}
DATETIME_FORMATS = [
    "%Y-%m-%d %H:%M",
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%dT%H:%M",
    "%Y-%m-%dT%H:%M:%S",
    "%d/%m/%Y %H:%M",
    "%d/%m/%Y %H:%M:%S",
]
_PERSON = re.compile(r"^(?P<name>[^()]+?)\s*(?:\((?P<dob>[^)]*)\))?$")
MAX_ROWS = 20_000


class UnreadableFile(Exception):  # noqa: N818 - a reason, in words
    """The whole file cannot be read (not a CSV, wrong columns)."""


@dataclass
class NamedPerson:
    name: str
    date_of_birth: date | None


@dataclass
class CleanRow:
    police_reference: str
    occurred_at: datetime
    notification_type: str
    children: list[NamedPerson]
    adults: list[NamedPerson]
    address: str
    narrative: str
    officer: str
    risk_level: str
    shared_at: datetime | None
    # For missing-child notifications (blank for the others).
    reported_at: datetime | None = None
    returned_at: datetime | None = None
    where_found: str = ""
    looked_after: bool | None = None


@dataclass
class RawRow:
    line_number: int
    values: dict[str, str]
    raw_line: str = ""


@dataclass
class Checked:
    row: RawRow
    clean: CleanRow | None
    reasons: list[str] = field(default_factory=list)


def _column(name: str) -> str:
    key = re.sub(r"[^a-z0-9]+", "_", name.strip().lower()).strip("_")
    return ALIASES.get(key, key)


def _decode(data: bytes) -> str:
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise UnreadableFile("The file is not text: save it as a CSV file (UTF-8)")


def read_rows(data: bytes) -> list[RawRow]:
    """The rows of a police CSV with their line numbers in the file (the header is line 1)."""
    text = _decode(data)
    if not text.strip():
        raise UnreadableFile("The file is empty")
    lines = text.splitlines(keepends=True)
    reader = csv.reader(io.StringIO(text))
    try:
        header = next(reader)
    except (StopIteration, csv.Error) as error:
        raise UnreadableFile(f"The file is not a CSV file: {error}") from error
    columns = [_column(name) for name in header]
    missing = [name for name in REQUIRED if name not in columns]
    if missing:
        raise UnreadableFile(
            "The file does not have the columns "
            + ", ".join(missing)
            + ": see the police notifications CSV guide for the columns"
        )
    rows: list[RawRow] = []
    while True:
        start_line = reader.line_num + 1
        try:
            cells = next(reader)
        except StopIteration:
            break
        except csv.Error as error:
            rows.append(
                RawRow(start_line, {"_error": f"The row could not be read as CSV: {error}"})
            )
            continue
        if not any(cell.strip() for cell in cells):
            continue
        values = {}
        for index, name in enumerate(columns):
            values[name] = cells[index].strip() if index < len(cells) else ""
        if len(cells) > len(columns) and any(c.strip() for c in cells[len(columns) :]):
            values["_error"] = (
                f"The row has {len(cells)} values but the header has {len(columns)} columns"
            )
        raw_line = "".join(lines[start_line - 1 : reader.line_num])[:4000]
        rows.append(RawRow(start_line, values, raw_line.rstrip("\r\n")))
        if len(rows) > MAX_ROWS:
            raise UnreadableFile(f"The file has more than {MAX_ROWS} rows: split it")
    return rows


def parse_when(text: str) -> datetime | None:
    text = text.strip()
    for fmt in DATETIME_FORMATS:
        try:
            return datetime.strptime(text, fmt).replace(tzinfo=local_tz())
        except ValueError:
            continue
    try:
        found = datetime.fromisoformat(text)
    except ValueError:
        return None
    return found if found.tzinfo else found.replace(tzinfo=local_tz())


def _parse_date(text: str) -> date | None:
    text = text.strip()
    for fmt in ("%d/%m/%Y", "%Y-%m-%d", "%d-%m-%Y"):
        try:
            return datetime.strptime(text, fmt).replace(tzinfo=local_tz()).date()
        except ValueError:
            continue
    return None


def parse_people(text: str, *, what: str) -> tuple[list[NamedPerson], list[str]]:
    """``Amy Smith (03/04/2015); Ben Smith (2017-09-30)``: names, each with a date of birth in
    brackets when known, separated by semicolons."""
    people: list[NamedPerson] = []
    problems: list[str] = []
    for part in [p.strip() for p in text.split(";") if p.strip()]:
        match = _PERSON.match(part)
        if match is None or not match.group("name").strip():
            problems.append(f"{what}: '{part}' is not a name with a date of birth in brackets")
            continue
        born = None
        if match.group("dob") is not None and match.group("dob").strip():
            born = _parse_date(match.group("dob"))
            if born is None:
                problems.append(
                    f"{what}: the date of birth of {match.group('name').strip()} "
                    f"('{match.group('dob')}') is not a date like 03/04/2015"
                )
                continue
            if born > timezone.localdate():
                problems.append(
                    f"{what}: the date of birth of {match.group('name').strip()} is in the future"
                )
                continue
        people.append(NamedPerson(" ".join(match.group("name").split()), born))
    return people, problems


def check_row(row: RawRow) -> Checked:  # noqa: PLR0912 - one branch per reason given
    """A row as a clean notification, or every reason it is not one."""
    values = row.values
    reasons: list[str] = []
    if values.get("_error"):
        return Checked(row, None, [values["_error"]])
    reference = values.get("police_reference", "").strip()
    if not reference:
        reasons.append("The police reference is missing")
    elif len(reference) > 100:
        reasons.append("The police reference is longer than 100 characters")
    occurred = None
    occurred_text = values.get("occurred_at", "")
    if not occurred_text:
        reasons.append("The date and time is missing")
    else:
        occurred = parse_when(occurred_text)
        if occurred is None:
            reasons.append(
                f"The date and time '{occurred_text}' is not like 2025-03-14 21:40 or "
                "14/03/2025 21:40"
            )
        elif occurred > timezone.now():
            reasons.append(f"The date and time '{occurred_text}' is in the future")
    kind_text = values.get("notification_type", "")
    kind = TYPES.get(kind_text.strip().lower())
    if kind is None:
        reasons.append(
            f"The type '{kind_text}' is not one of: domestic abuse, missing, child concern, other"
            if kind_text
            else "The type is missing"
        )
    children, problems = parse_people(values.get("children", ""), what="Children")
    reasons += problems
    if not children and not problems:
        reasons.append("No children are named")
    adults, problems = parse_people(values.get("adults", ""), what="Adults")
    reasons += problems
    narrative = values.get("narrative", "").strip()
    if not narrative:
        reasons.append("The narrative is missing")
    shared = None
    if values.get("shared_at"):
        shared = parse_when(values["shared_at"])
        if shared is None:
            reasons.append(f"The time shared '{values['shared_at']}' is not a date and time")
        elif shared > timezone.now():
            reasons.append("The time shared is in the future")
    reported, returned, looked_after = _check_missing(values, occurred, reasons)
    if reasons or occurred is None or kind is None:
        return Checked(row, None, reasons)
    return Checked(
        row,
        CleanRow(
            police_reference=reference,
            occurred_at=occurred,
            notification_type=kind,
            children=children,
            adults=adults,
            address=values.get("address", "")[:500],
            narrative=narrative,
            officer=values.get("officer", "")[:200],
            risk_level=values.get("risk_level", "")[:50],
            shared_at=shared,
            reported_at=reported,
            returned_at=returned,
            where_found=values.get("where_found", "")[:500],
            looked_after=looked_after,
        ),
    )


def _check_missing(
    values: dict[str, str], occurred: datetime | None, reasons: list[str]
) -> tuple[datetime | None, datetime | None, bool | None]:
    """The optional missing-child columns: when reported and when returned, looked after."""
    moments: list[datetime | None] = []
    for name, label in (("reported_at", "time reported"), ("returned_at", "time returned")):
        text = values.get(name, "")
        moment = parse_when(text) if text else None
        if text and moment is None:
            reasons.append(f"The {label} '{text}' is not a date and time")
        elif moment is not None and moment > timezone.now():
            reasons.append(f"The {label} '{text}' is in the future")
        elif moment is not None and occurred is not None and moment < occurred:
            reasons.append(f"The {label} '{text}' is before the date and time of the notification")
        moments.append(moment)
    answer = values.get("looked_after", "").strip().lower()
    looked_after = True if answer in YES else False if answer in NO else None
    if answer and looked_after is None:
        reasons.append(f"Looked after '{values['looked_after']}' is not yes or no")
    return moments[0], moments[1], looked_after


@dataclass(frozen=True)
class NotificationImported:
    """What a notification handler is told: who imported it, the stored notification, the row
    as read from the file, and whether this import made it (``False``: sent again)."""

    actor: Actor
    notification: PoliceNotification
    row: CleanRow
    created: bool


NotificationHandler = Callable[[NotificationImported], None]
_handlers: dict[str, list[NotificationHandler]] = {}


def register_notification_handler(notification_type: str, handler: NotificationHandler) -> None:
    """Call ``handler`` for each imported notification of ``notification_type``."""
    found = _handlers.setdefault(str(notification_type), [])
    if handler not in found:
        found.append(handler)


def unregister_notification_handler(notification_type: str, handler: NotificationHandler) -> None:
    """For tests: forget a handler."""
    found = _handlers.get(str(notification_type), [])
    if handler in found:
        found.remove(handler)


def notification_handlers(notification_type: str) -> list[NotificationHandler]:
    return list(_handlers.get(str(notification_type), []))
