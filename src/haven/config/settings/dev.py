"""Local development and the demo: SQLite in the data folder, console email, a generated secret."""

import secrets

from .base import *
from .base import DATA_DIR, env


def _demo_secret_key() -> str:
    """The demo's secret key, generated once and kept in the git-ignored data folder."""
    DATA_DIR.mkdir(parents=True, exist_ok=True)
    key_file = DATA_DIR / "secret_key"
    if not key_file.exists():
        key_file.write_text(secrets.token_urlsafe(50))
        key_file.chmod(0o600)
    return key_file.read_text().strip()


SECRET_KEY = env.str("SECRET_KEY", default="") or _demo_secret_key()
DEBUG = env.bool("DEBUG", default=True)
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]"])
HAVEN_DEMO_MODE = env.bool("HAVEN_DEMO_MODE", default=True)
if not env.str("EMAIL_BACKEND", default=""):
    MAILERS = {"default": {"BACKEND": "django.core.mail.backends.console.EmailBackend"}}
