"""Loading schools (DfE GIAS) and postcodes with wards (ONS) from their CSV files."""

from __future__ import annotations

import csv
import io
from datetime import date

import pytest
from django.core.management import CommandError, call_command

from haven.audit.models import Event
from haven.people.models import Postcode, School, Ward
from haven.people.services import address_add, person_create
from tests.conftest import actor_for

pytestmark = pytest.mark.django_db

# A few synthetic rows with GIAS's own column names (the real file has about 130 columns).
GIAS = """URN,LA (code),LA (name),EstablishmentName,TypeOfEstablishment (name),EstablishmentStatus (name),PhaseOfEducation (name),Postcode
190001,999,Haven,Canal Side Primary School,Community school,Open,Primary,B12 9QA
190002,999,Haven,Northfield Academy,Academy converter,Open,Secondary,b129qb
190003,999,Haven,Brookside School,Community special school,Open,Not applicable,B12 9QD
190004,999,Haven,Old Mill Infants,Community school,"Closed",Primary,B12 9QE
190005,888,Elsewhere,Faraway High School,Academy converter,Open,Secondary,B13 1AA
ABC,999,Haven,No Number School,Community school,Open,Primary,B12 9QA
190006,999,Haven,Mystery School,Other independent school,Open,Not applicable,B12 9QF
190007,999,Haven,Bad Postcode School,Community school,Open,Primary,NOT A CODE
"""

ONS = """PCDS,WD24CD,WD24NM,LAD24CD
B12 9QA,E05099901,Canal Side,E08999999
b129qb,E05099901,Canal Side,E08999999
B12 9QD,E05099902,Northfield,E08999999
B13 1AA,E05088801,Faraway,E08888888
B12 9ZZ,X123,Broken Ward,E08999999
"""


def _write(tmp_path, name: str, text: str, encoding: str = "utf-8"):
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


def _run(*args: str) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command(*args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_import_schools_reads_the_gias_columns(tmp_path) -> None:
    path = _write(tmp_path, "edubasealldata.csv", GIAS, encoding="cp1252")
    out, err = _run("import_schools", str(path), "--la", "999", "--open-only")
    schools = {s.urn: s for s in School.objects.all()}
    assert set(schools) == {"190001", "190002", "190003"}
    assert schools["190001"].phase == "primary"
    assert schools["190002"].phase == "secondary"
    assert schools["190002"].postcode == "B12 9QB"
    assert schools["190003"].phase == "special"
    assert "3 added" in out
    assert "2 outside the filter" in out  # the closed school and the other council's
    # Bad rows are kept, with their reasons, for someone to fix.
    assert "3 rows could not be loaded" in err
    rejected = list(csv.DictReader((tmp_path / "edubasealldata.rejected.csv").open()))
    reasons = {row["URN"]: row["reason"] for row in rejected}
    assert "not a 6 to 8 digit number" in reasons["ABC"]
    assert "PhaseOfEducation" in reasons["190006"]
    assert "not a UK postcode" in reasons["190007"]
    assert Event.objects.filter(object_type="people.school", detail__added=3).exists()


def test_import_schools_again_changes_nothing_and_updates_renamed_schools(tmp_path) -> None:
    path = _write(tmp_path, "gias.csv", GIAS)
    _run("import_schools", str(path), "--la", "999")
    before = School.objects.count()
    out, _ = _run("import_schools", str(path), "--la", "999")
    assert School.objects.count() == before
    assert "0 added, 0 updated" in out
    renamed = GIAS.replace("Canal Side Primary School", "Canal Side Academy")
    _run("import_schools", str(_write(tmp_path, "gias2.csv", renamed)), "--la", "999")
    assert School.objects.get(urn="190001").name == "Canal Side Academy"


def test_a_file_without_the_gias_columns_is_refused(tmp_path) -> None:
    path = _write(tmp_path, "wrong.csv", "school,phase\nA,Primary\n")
    with pytest.raises(CommandError, match="URN, EstablishmentName"):
        _run("import_schools", str(path))


def test_import_postcodes_makes_wards_and_postcodes(tmp_path) -> None:
    path = _write(tmp_path, "pcd_ward.csv", ONS)
    out, err = _run("import_postcodes", str(path), "--district", "E08999999")
    assert dict(Ward.objects.values_list("code", "name")) == {
        "E05099901": "Canal Side",
        "E05099902": "Northfield",
    }
    assert dict(Postcode.objects.values_list("postcode", "ward__code")) == {
        "B12 9QA": "E05099901",
        "B12 9QB": "E05099901",
        "B12 9QD": "E05099902",
    }
    assert "1 outside the filter" in out
    assert "1 rows could not be loaded" in err
    assert (tmp_path / "pcd_ward.rejected.csv").exists()
    # Again: nothing changes. A boundary review moves a postcode.
    out, _ = _run("import_postcodes", str(path), "--district", "E08999999")
    assert "0 wards added" in out
    assert "0 postcodes added" in out
    moved = ONS.replace("B12 9QD,E05099902", "B12 9QD,E05099901")
    _run("import_postcodes", str(_write(tmp_path, "moved.csv", moved)))
    assert Postcode.objects.get(postcode="B12 9QD").ward.code == "E05099901"


def test_postcode_columns_are_found_in_any_case_and_year(tmp_path) -> None:
    text = "pcd,wd23cd,wd23nm\nB12 9QA,E05099901,Canal Side\n"
    _run("import_postcodes", str(_write(tmp_path, "older.csv", text)))
    assert Postcode.objects.get().ward.name == "Canal Side"
    with pytest.raises(CommandError, match="ward name"):
        _run(
            "import_postcodes", str(_write(tmp_path, "bad.csv", "pcds,wd24cd\nB1 1AA,E05000001\n"))
        )


def test_an_address_takes_its_ward_from_the_imported_postcodes_and_the_page_shows_the_code(
    tmp_path, social_worker, client
) -> None:
    _run("import_postcodes", str(_write(tmp_path, "pcd_ward.csv", ONS)))
    child = person_create(actor=actor_for(social_worker), first_name="Ola", last_name="Adeyemi")
    address = address_add(
        actor=actor_for(social_worker),
        person=child,
        line_1="4 Canal Street",
        postcode="B12 9QA",
        moved_in=date(2022, 1, 1),
    )
    assert (address.ward_code, address.ward_name) == ("E05099901", "Canal Side")
    client.force_login(social_worker)
    from django.test import override_settings

    with override_settings(HAVEN_DEMO_MODE=True):
        body = client.get(child.get_absolute_url()).content.decode()
    assert "Canal Side" in body
    assert "(E05099901)" in body
