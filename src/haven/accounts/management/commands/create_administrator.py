"""``haven create_administrator``: the first account of a new installation."""

from __future__ import annotations

import getpass
import sys
from typing import Any

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from haven.accounts.models import User
from haven.accounts.roles import Role
from haven.accounts.services import user_create
from haven.core.actor import Actor


class Command(BaseCommand):
    help = (
        "Create an administrator: an account with the Administrator role (users, teams, "
        "agencies, configuration) and no access to children's records. Use it for the first "
        "account of a new installation; that administrator adds everyone else. Asks for a "
        "password, or with --invite emails a link to choose one."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--email", required=True, help="Their work email address.")
        parser.add_argument("--full-name", required=True, help="Their full name.")
        parser.add_argument("--job-title", default="", help="Their job title.")
        parser.add_argument(
            "--invite",
            action="store_true",
            help="Email a link to choose a password instead of asking for one here.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        email = options["email"].strip().lower()
        if User.objects.filter(email__iexact=email).exists():
            raise CommandError(f"There is already an account for {email}")
        password = None if options["invite"] else self._ask_password(email)
        try:
            user = user_create(
                actor=Actor.system("create_administrator"),
                email=email,
                full_name=options["full_name"],
                job_title=options["job_title"],
                roles=[Role.ADMINISTRATOR],
                password=password,
                send_invitation=options["invite"],
            )
        except ValidationError as error:
            raise CommandError("; ".join(error.messages)) from error
        how = "They have been emailed a link" if options["invite"] else "They can sign in now"
        self.stdout.write(
            f"Administrator {user.email} created. {how}; they set up two-factor "
            "sign-in the first time."
        )

    def _ask_password(self, email: str) -> str:
        if not sys.stdin.isatty():
            raise CommandError("No terminal to ask for a password: use --invite")
        for _ in range(3):
            password = getpass.getpass("Password (at least 12 characters): ")
            if password != getpass.getpass("The same password again: "):
                self.stderr.write("The passwords are not the same. Try again.")
                continue
            try:
                validate_password(password, User(email=email))
            except ValidationError as error:
                self.stderr.write(" ".join(error.messages))
                continue
            return password
        raise CommandError("No password chosen")
