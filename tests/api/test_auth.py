import pytest
from django.core.management import call_command

from haven.accounts.roles import Role
from haven.api.models import ApiToken
from haven.audit.models import Event

pytestmark = pytest.mark.django_db


def test_the_schema_is_published(client) -> None:
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    schema = response.json()
    assert schema["info"]["title"] == "Haven API"
    assert "audited" in schema["info"]["description"]


def test_a_token_is_shown_once_and_only_its_hash_is_kept(make_user, capsys) -> None:
    user = make_user(Role.PARTNER, email="system@police.example.test")
    call_command(
        "create_api_token", user=user.email, name="Police case system", scopes=["contacts:write"]
    )
    raw = capsys.readouterr().out.strip()
    token = ApiToken.objects.get()
    assert raw.startswith("hvn_")
    assert raw not in (token.digest, token.prefix)
    assert token.scopes == ["contacts:write"]
    assert Event.objects.filter(action=Event.Action.CREATE, object_type="api.apitoken").exists()


def test_a_revoked_or_unknown_token_is_refused(client, make_user, capsys) -> None:
    from django.utils import timezone

    user = make_user(Role.PARTNER, email="system2@police.example.test")
    call_command("create_api_token", user=user.email, name="x", scopes=["contacts:write"])
    raw = capsys.readouterr().out.strip()
    token = ApiToken.objects.get()
    from haven.api.auth import TokenAuth

    request = type("R", (), {"headers": {}})()
    assert TokenAuth().authenticate(request, raw) == user
    assert TokenAuth().authenticate(request, raw + "x") is None
    ApiToken.objects.update(revoked_at=timezone.now())
    assert TokenAuth().authenticate(request, raw) is None
    assert token.has_scope("contacts:write")
    assert not token.has_scope("people:read")


def test_an_administrator_revokes_a_token_in_the_configuration_screens(
    client, administrator, make_user, capsys
) -> None:
    user = make_user(Role.PARTNER, email="system3@police.example.test")
    call_command("create_api_token", user=user.email, name="Police system", scopes=["x:y"])
    capsys.readouterr()
    token = ApiToken.objects.get()
    client.force_login(administrator)
    listing = client.get("/configuration/api/apitoken/")
    assert "Police system" in listing.content.decode()
    client.post(
        "/configuration/api/apitoken/", {"action": "revoke", "_selected_action": [token.pk]}
    )
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert Event.objects.filter(
        action=Event.Action.UPDATE, object_type="api.apitoken", actor=administrator
    ).exists()
