"""The hash chain over audit events: how a row's hash is made, and how the chain is checked."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

GENESIS = "0" * 64


def event_hash(
    *,
    prev_hash: str,
    occurred_at: datetime,
    actor_id: int | None,
    actor_label: str,
    action: str,
    object_type: str,
    object_id: str,
    child_id: int | None,
    ip_address: str | None,
    user_agent: str,
    reason: str,
    detail: dict[str, Any],
) -> str:
    """SHA-256 over the previous hash and a canonical JSON of the row's content."""
    content = json.dumps(
        [
            prev_hash,
            occurred_at.isoformat(timespec="microseconds"),
            actor_id,
            actor_label,
            action,
            object_type,
            object_id,
            child_id,
            ip_address,
            user_agent,
            reason,
            detail,
        ],
        sort_keys=True,
        separators=(",", ":"),
        ensure_ascii=True,
        default=str,
    )
    return hashlib.sha256(content.encode()).hexdigest()


@dataclass(frozen=True)
class Break:
    event_id: int
    problem: str


def verify(rows: Iterable[Any]) -> Break | None:
    """Walk the events in id order; the first row whose link or content does not add up."""
    expected_prev = GENESIS
    for row in rows:
        if row.prev_hash != expected_prev:
            return Break(
                row.id,
                "its link to the event before it is broken (an event was removed or reordered)",
            )
        recomputed = event_hash(
            prev_hash=row.prev_hash,
            occurred_at=row.occurred_at,
            actor_id=row.actor_id,
            actor_label=row.actor_label,
            action=row.action,
            object_type=row.object_type,
            object_id=row.object_id,
            child_id=row.child_id,
            ip_address=row.ip_address,
            user_agent=row.user_agent,
            reason=row.reason,
            detail=row.detail,
        )
        if recomputed != row.hash:
            return Break(row.id, "its content no longer matches its hash (it was changed)")
        expected_prev = row.hash
    return None
