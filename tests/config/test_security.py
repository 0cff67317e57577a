"""Security headers everywhere, and production settings that refuse to run unsafely."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db

PRODUCTION_ENV = {
    "DJANGO_SETTINGS_MODULE": "haven.config.settings.production",
    "SECRET_KEY": "x" * 20 + "-not-a-real-secret-just-long-enough-for-the-check-" + "y" * 20,
    "ALLOWED_HOSTS": "haven.example.test,testserver",
    "DATABASE_URL": "sqlite://:memory:",
    "HAVEN_BASE_URL": "https://haven.example.test",
}
# The test settings allow sync database calls from async contexts for Playwright; a real
# deployment never has that, nor the test database.
UNSET_FOR_PRODUCTION = {
    "DATABASE_URL",
    "SECRET_KEY",
    "ALLOWED_HOSTS",
    "DJANGO_ALLOW_ASYNC_UNSAFE",
    "DJANGO_SETTINGS_MODULE",
    "HAVEN_BASE_URL",
}


def run_haven(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if k not in UNSET_FOR_PRODUCTION}
    return subprocess.run(
        [sys.executable, "-m", "haven.manage", *args],
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_pages_carry_a_strict_csp_with_a_nonce_and_no_framing(client) -> None:
    response = client.get(reverse("accounts:sign-in"))
    csp = response["Content-Security-Policy"]
    assert "default-src 'self'" in csp
    assert "script-src 'self' 'nonce-" in csp
    assert "object-src 'none'" in csp
    assert "frame-ancestors 'none'" in csp
    assert "unsafe-inline" not in csp
    nonce = csp.split("'nonce-")[1].split("'")[0]
    assert f'nonce="{nonce}"' in response.content.decode()
    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Content-Type-Options"] == "nosniff"


def test_no_inline_script_or_style_without_a_nonce(client) -> None:
    page = client.get(reverse("accounts:sign-in")).content.decode()
    assert "style=" not in page
    assert " onclick=" not in page
    for chunk in page.split("<script")[1:]:
        assert "nonce=" in chunk.split(">")[0]


PROBE = """
import json, django
django.setup()
from django.test import Client
response = Client().get("/account/sign-in/", secure=True)
print(json.dumps({"status": response.status_code,
                  "hsts": response.get("Strict-Transport-Security", ""),
                  "csp": response.get("Content-Security-Policy", ""),
                  "xfo": response.get("X-Frame-Options", ""),
                  "cookies": {k: {"secure": bool(m["secure"]), "httponly": bool(m["httponly"])}
                              for k, m in response.cookies.items()}}))
"""


@pytest.fixture(scope="module")
def collected_static(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """Production serves hashed static files, so collect them as a deployment would."""
    env = {**PRODUCTION_ENV, "HAVEN_STATIC_ROOT": str(tmp_path_factory.mktemp("static"))}
    result = run_haven("collectstatic", "--noinput", "-v", "0", env=env)
    assert result.returncode == 0, result.stderr
    return env


def test_production_sends_hsts_and_secure_cookies(collected_static: dict[str, str]) -> None:
    clean = {k: v for k, v in os.environ.items() if k not in UNSET_FOR_PRODUCTION}
    result = subprocess.run(
        [sys.executable, "-c", PROBE],
        env={**clean, **collected_static},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    probe = json.loads(result.stdout.strip().splitlines()[-1])
    assert probe["status"] == 200
    assert "max-age=63072000" in probe["hsts"]
    assert "includeSubDomains" in probe["hsts"]
    assert probe["xfo"] == "DENY"
    assert "nonce-" in probe["csp"]
    assert probe["cookies"]["__Secure-csrftoken"] == {"secure": True, "httponly": True}


def test_production_check_deploy_has_no_warnings() -> None:
    result = run_haven("check", "--deploy", "--fail-level", "WARNING", env=PRODUCTION_ENV)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


@pytest.mark.parametrize(
    "missing", ["SECRET_KEY", "ALLOWED_HOSTS", "DATABASE_URL", "HAVEN_BASE_URL"]
)
def test_production_refuses_to_start_without_its_secrets(missing: str) -> None:
    env = {k: v for k, v in PRODUCTION_ENV.items() if k != missing}
    result = run_haven("check", env=env)
    assert result.returncode != 0
    assert missing in result.stderr


def test_a_wrong_trusted_proxy_stops_haven_starting() -> None:
    result = run_haven(
        "check", env={**PRODUCTION_ENV, "HAVEN_TRUSTED_PROXIES": "10.0.0.5,the-proxy"}
    )
    assert result.returncode != 0
    assert "the-proxy" in result.stderr
