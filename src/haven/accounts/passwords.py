"""Passwords as the NCSC advises: long, not on a deny-list, never forced to expire."""

from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError

_DENY_FILE = Path(__file__).with_name("password_deny_list.txt")


class DenyListValidator:
    """Refuses passwords built from words anyone would guess for this service
    (the council, social care terms, keyboard runs), on top of Django's common-password list."""

    def __init__(self) -> None:
        self.words = {
            line.strip().lower()
            for line in _DENY_FILE.read_text().splitlines()
            if line.strip() and not line.startswith("#")
        }

    def validate(self, password: str, user: Any = None) -> None:
        simplified = "".join(ch for ch in password.lower() if ch.isalpha())
        if simplified in self.words or password.lower() in self.words:
            raise ValidationError(
                "Choose a password that is harder to guess: this one is on our list of "
                "common passwords",
                code="password_on_deny_list",
            )

    def get_help_text(self) -> str:
        return "Your password cannot be a commonly used password."
