from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from haven.accounts.models import User
from haven.api.models import ApiToken, token_digest
from haven.audit.models import Event
from haven.audit.services import event_record
from haven.core.actor import Actor


class Command(BaseCommand):
    help = (
        "Make an API token for a partner system. The token acts as the given user (usually a "
        "partner agency account) and only within the scopes given, e.g. "
        "--scope contacts:write --scope contacts:read. The token is printed once; only its "
        "hash is kept."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--user", required=True, help="Email address of the user it acts as.")
        parser.add_argument("--name", required=True, help="Which system will use it.")
        parser.add_argument(
            "--scope",
            action="append",
            default=[],
            dest="scopes",
            help="A scope to grant (repeat for several).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        user = User.objects.filter(email=options["user"].lower()).first()
        if user is None:
            raise CommandError(f"No user with the email address {options['user']}.")
        if not options["scopes"]:
            raise CommandError("Give at least one --scope.")
        raw = ApiToken.generate()
        token = ApiToken.objects.create(
            name=options["name"],
            user=user,
            digest=token_digest(raw),
            prefix=raw[:8],
            scopes=sorted(set(options["scopes"])),
        )
        event_record(
            actor=Actor.system("create_api_token"),
            action=Event.Action.CREATE,
            target=token,
            detail={"user": user.email, "scopes": token.scopes},
        )
        self.stdout.write(raw)
