"""The kinds of chronology entry, registered by the apps that write them.

An app calls ``register_kind("contact_received", "Contact received")`` from its
``AppConfig.ready()``; the child's page offers the registered kinds as filters and shows their
labels. An entry of an unregistered kind still shows, labelled by its key.
"""

from __future__ import annotations

_kinds: dict[str, str] = {}


def register_kind(kind: str, label: str) -> None:
    if len(kind) > 50:
        raise ValueError(f"chronology kind {kind!r} is longer than 50 characters")
    _kinds[kind] = label


def kind_label(kind: str) -> str:
    return _kinds.get(kind, kind.replace("_", " ").capitalize())


def kinds() -> list[tuple[str, str]]:
    """Every registered kind and its label, by label."""
    return sorted(_kinds.items(), key=lambda item: item[1])


def is_registered(kind: str) -> bool:
    return kind in _kinds
