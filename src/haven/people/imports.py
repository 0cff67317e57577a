"""Reading the reference files a council downloads: schools from the DfE's Get Information
about Schools (GIAS) and postcodes with their wards from the ONS.

Each reader checks every row and returns the good ones and the rejected ones with the reason,
so the import commands can load the first and keep the second for a person to fix; nothing is
dropped silently. ``haven.people.services.places`` writes what they read.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from haven.people import codes, identifiers

# GIAS "PhaseOfEducation (name)" to Haven's phases. "Not applicable" is decided by the type of
# establishment (special schools, pupil referral units and alternative provision have no phase).
GIAS_PHASES = {
    "nursery": codes.SchoolPhase.NURSERY,
    "primary": codes.SchoolPhase.PRIMARY,
    "middle deemed primary": codes.SchoolPhase.PRIMARY,
    "secondary": codes.SchoolPhase.SECONDARY,
    "middle deemed secondary": codes.SchoolPhase.SECONDARY,
    "all-through": codes.SchoolPhase.ALL_THROUGH,
    "16 plus": codes.SchoolPhase.POST_16,
}
GIAS_REQUIRED = ("URN", "EstablishmentName", "PhaseOfEducation (name)", "Postcode")

POSTCODE_COLUMNS = ("pcds", "pcd", "pcd2", "pcd7", "pcd8", "postcode")
WARD_CODE = re.compile(r"^(wd\d{2}cd|osward|ward_code)$")
WARD_NAME = re.compile(r"^(wd\d{2}nm|ward_name)$")
DISTRICT_CODE = re.compile(r"^(lad\d{2}cd|oslaua)$")
ONS_WARD_CODE = re.compile(r"^[EWSN]\d{8}$")


class ImportFileError(ValueError):
    """The file as a whole cannot be read (missing columns, not a CSV)."""


@dataclass(frozen=True)
class SchoolRow:
    urn: str
    name: str
    phase: str
    postcode: str


@dataclass(frozen=True)
class PostcodeRow:
    postcode: str
    ward_code: str
    ward_name: str


@dataclass
class Rejected:
    line: int
    reason: str
    row: dict[str, str]


@dataclass
class ReadResult[T]:
    rows: list[T] = field(default_factory=list)
    rejected: list[Rejected] = field(default_factory=list)
    skipped: int = 0  # rows outside the filter asked for (another council's area, closed)


def open_csv(path: Path) -> csv.DictReader[str]:
    """A CSV file, in UTF-8 or (as GIAS downloads are) Windows-1252."""
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = raw.decode("cp1252", errors="replace")
    reader = csv.DictReader(io.StringIO(text, newline=""))
    if not reader.fieldnames:
        raise ImportFileError(f"{path} is empty or not a CSV file")
    return reader


def _phase(row: dict[str, str]) -> str:
    phase = (row.get("PhaseOfEducation (name)") or "").strip().lower()
    if phase in GIAS_PHASES:
        return GIAS_PHASES[phase]
    kind = (row.get("TypeOfEstablishment (name)") or "").lower()
    if "special" in kind:
        return codes.SchoolPhase.SPECIAL
    if "pupil referral" in kind or "alternative provision" in kind:
        return codes.SchoolPhase.ALTERNATIVE
    if "16" in kind or "sixth form" in kind or "further education" in kind:
        return codes.SchoolPhase.POST_16
    return ""


def read_schools(
    reader: csv.DictReader[str], *, la_code: str = "", open_only: bool = False
) -> ReadResult[SchoolRow]:
    """Schools from a GIAS establishment CSV (``edubasealldata*.csv`` or an extract with at
    least the columns in ``GIAS_REQUIRED``). ``la_code`` keeps one local authority's schools
    ("LA (code)", like 330); ``open_only`` skips closed ones ("EstablishmentStatus (name)")."""
    missing = [name for name in GIAS_REQUIRED if name not in (reader.fieldnames or [])]
    if missing:
        raise ImportFileError(f"The file has no {', '.join(missing)} column: is it from GIAS?")
    result: ReadResult[SchoolRow] = ReadResult()
    for row in reader:
        line = reader.line_num
        if la_code and (row.get("LA (code)") or "").strip() != la_code:
            result.skipped += 1
            continue
        if open_only and (row.get("EstablishmentStatus (name)") or "").strip().startswith("Closed"):
            result.skipped += 1
            continue
        urn = (row.get("URN") or "").strip()
        name = (row.get("EstablishmentName") or "").strip()
        phase = _phase(row)
        postcode = identifiers.normalise_postcode(row.get("Postcode") or "")
        problem = ""
        if not re.fullmatch(r"\d{6,8}", urn):
            problem = f"URN {urn!r} is not a 6 to 8 digit number"
        elif not name:
            problem = "EstablishmentName is empty"
        elif len(name) > 200:
            problem = "EstablishmentName is longer than 200 characters"
        elif not phase:
            problem = (
                f"PhaseOfEducation (name) {row.get('PhaseOfEducation (name)')!r} is not one Haven "
                "knows, and the type of establishment does not say"
            )
        elif (row.get("Postcode") or "").strip() and not postcode:
            problem = f"Postcode {row.get('Postcode')!r} is not a UK postcode"
        if problem:
            result.rejected.append(Rejected(line, problem, dict(row)))
            continue
        result.rows.append(SchoolRow(urn=urn, name=name, phase=phase, postcode=postcode))
    return result


def _column(fieldnames: Iterable[str], pattern: re.Pattern[str] | tuple[str, ...]) -> str:
    for name in fieldnames:
        key = name.strip().lower()
        if (isinstance(pattern, tuple) and key in pattern) or (
            isinstance(pattern, re.Pattern) and pattern.match(key)
        ):
            return name
    return ""


def read_postcodes(reader: csv.DictReader[str], *, district: str = "") -> ReadResult[PostcodeRow]:
    """Postcodes and their wards from an ONS lookup: a postcode column (``pcds``, or ``pcd``,
    ``pcd2``, ``pcd7``, ``pcd8``, ``postcode``), a ward code (``wdNNcd`` such as ``wd24cd``,
    ``osward`` or ``ward_code``) and a ward name (``wdNNnm`` or ``ward_name``); column names in
    any case. ``district`` keeps one council's postcodes (``ladNNcd`` or ``oslaua``)."""
    names = reader.fieldnames or []
    postcode_col = _column(names, POSTCODE_COLUMNS)
    code_col = _column(names, WARD_CODE)
    name_col = _column(names, WARD_NAME)
    district_col = _column(names, DISTRICT_CODE)
    missing = [
        label
        for label, found in (
            ("postcode (pcds)", postcode_col),
            ("ward code (wd24cd)", code_col),
            ("ward name (wd24nm)", name_col),
        )
        if not found
    ]
    if missing:
        raise ImportFileError(f"The file has no {', '.join(missing)} column")
    if district and not district_col:
        raise ImportFileError("--district needs a local authority column (lad24cd or oslaua)")
    result: ReadResult[PostcodeRow] = ReadResult()
    for row in reader:
        line = reader.line_num
        if district and (row.get(district_col) or "").strip().upper() != district.upper():
            result.skipped += 1
            continue
        postcode = identifiers.normalise_postcode(row.get(postcode_col) or "")
        code = (row.get(code_col) or "").strip().upper()
        name = (row.get(name_col) or "").strip()
        problem = ""
        if not postcode:
            problem = f"{row.get(postcode_col)!r} is not a UK postcode"
        elif not ONS_WARD_CODE.match(code):
            problem = f"ward code {code!r} is not an ONS code like E05011118"
        elif not name or len(name) > 100:
            problem = "the ward name is empty or longer than 100 characters"
        if problem:
            result.rejected.append(Rejected(line, problem, dict(row)))
            continue
        result.rows.append(PostcodeRow(postcode=postcode, ward_code=code, ward_name=name))
    return result


def write_rejected(path: Path, rejected: list[Rejected]) -> None:
    """The rows that could not be loaded, each with its line and reason, to fix and load again."""
    columns: list[str] = ["line", "reason"]
    for item in rejected:
        columns += [name for name in item.row if name not in columns]
    with path.open("w", newline="", encoding="utf-8") as out:
        writer = csv.DictWriter(out, fieldnames=columns)
        writer.writeheader()
        for item in rejected:
            writer.writerow({**item.row, "line": item.line, "reason": item.reason})
