"""Who a push may tell, and which addresses a subscription may name: written once, read by the service
and the worker alike."""

from __future__ import annotations

from urllib.parse import urlsplit

from server.rounds.access import Place

LOOPBACK = {"localhost", "127.0.0.1", "::1"}


def may_be_told(place: Place) -> bool:
    """Only a member of the round, who may read it now: not an administrator who is in every round by
    role, not someone who withdrew, not a drafter of another round."""
    return place.membership is not None and place.role is not None


def endpoint_allowed(url: str) -> bool:
    """Push services answer on https. Plain http only to this machine, where a developer runs one; the
    worker still refuses addresses inside the network unless told otherwise (workers/webhooks.py)."""
    parts = urlsplit(url)
    return parts.scheme == "https" or (parts.scheme == "http" and (parts.hostname or "") in LOOPBACK)
