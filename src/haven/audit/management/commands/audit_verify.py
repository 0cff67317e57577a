from typing import Any

from django.core.management.base import BaseCommand, CommandError

from haven.audit import chain
from haven.audit.models import Event


class Command(BaseCommand):
    help = (
        "Check that the audit trail is whole: every event links to the one before it and still "
        "matches its hash. Prints 'intact', or names the first broken event and exits 1."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        rows = (
            Event.objects.order_by("id")
            .only(
                "id",
                "occurred_at",
                "actor_id",
                "actor_label",
                "action",
                "object_type",
                "object_id",
                "child_id",
                "ip_address",
                "user_agent",
                "reason",
                "detail",
                "prev_hash",
                "hash",
            )
            .iterator(chunk_size=5000)
        )
        broken = chain.verify(rows)
        if broken is None:
            self.stdout.write("intact")
            return
        raise CommandError(f"broken at event {broken.event_id}: {broken.problem}")
