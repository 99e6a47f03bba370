"""When a one-time staff link still opens, and what a person is told when it does not. Pure."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Protocol

from server.i18n import N_

LINK_LIFE = timedelta(days=7)
INVITABLE = ("facilitator", "drafter")  # by an administrator in the browser; a first admin by `ruam admin invite`
STAFF_ORGANISATION_KINDS = ("government", "cso")

UNKNOWN = N_("This link is not one we know. Check that you opened all of it, or ask your administrator for a "
             "new one.")
USED = N_("This link has been used already: each link works only once. Ask your administrator for a new one.")
EXPIRED = N_("This link is too old: it worked for 7 days only. Ask your administrator for a new one.")
REVOKED = N_("This link was cancelled by an administrator. Ask your administrator for a new one.")


class Link(Protocol):
    @property
    def expires_at(self) -> datetime: ...
    @property
    def used_at(self) -> datetime | None: ...
    @property
    def revoked_at(self) -> datetime | None: ...


def refusal(link: Link | None, now: datetime) -> str | None:
    """Why `link` cannot be used now (a message to show), or None when it can."""
    if link is None:
        return UNKNOWN
    if link.used_at is not None:
        return USED
    if link.revoked_at is not None:
        return REVOKED
    if link.expires_at <= now:
        return EXPIRED
    return None
