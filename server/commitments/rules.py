"""How a commitment may move between statuses, the words for each status and answer, and when one is
flagged for follow-through (overdue or stale).

Data, like phases: the service asks the table instead of comparing statuses in many places.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone
from typing import Protocol

from server.i18n import N_

# from -> what it may become. "done" may reopen when delivery proves incomplete; an agency may
# reconsider a rejection. Staying in the same status with a note or evidence is always allowed.
TRANSITIONS: dict[str, frozenset[str]] = {
    "pending": frozenset({"accepted", "in_progress", "done", "rejected"}),
    "accepted": frozenset({"in_progress", "done", "rejected"}),
    "in_progress": frozenset({"done", "rejected"}),
    "done": frozenset({"in_progress"}),
    "rejected": frozenset({"pending", "accepted"}),
}

STATUS_NAMES = {
    "pending": N_("Waiting for the agency"),
    "accepted": N_("Accepted"),
    "in_progress": N_("In progress"),
    "done": N_("Done"),
    "rejected": N_("Rejected"),
}

ANSWER_NAMES = {
    "delivered": N_("Delivered"),
    "partly": N_("Partly delivered"),
    "not_delivered": N_("Not delivered"),
}


def may_move(current: str, wanted: str) -> bool:
    return wanted == current or wanted in TRANSITIONS.get(current, frozenset())


# Follow-through: a commitment still open is "overdue" once its due date has passed (in Thailand's
# day, where the agencies and members are), and "stale" when nothing was posted on it for the round's
# number of days. A settled one (done or rejected) is never flagged: there is nothing left to chase.
SETTLED = frozenset({"done", "rejected"})
OVERDUE, STALE = "overdue", "stale"
FLAGS = (OVERDUE, STALE)
STALE_AFTER_DAYS = 60  # a round's facilitators may choose another number (CommitmentSettings)
THAILAND = timezone(timedelta(hours=7))  # no daylight saving: a fixed offset is exact

FLAG_NAMES = {
    OVERDUE: N_("Late: the due date has passed"),
    STALE: N_("No news for a long time"),
}


class Followed(Protocol):
    """What the follow-through rule reads of a commitment."""

    @property
    def status(self) -> str: ...

    @property
    def due_date(self) -> date | None: ...

    @property
    def updated_at(self) -> datetime: ...


def local_day(now: datetime) -> date:
    return now.astimezone(THAILAND).date()


def is_open(commitment: Followed) -> bool:
    return commitment.status not in SETTLED


def is_overdue(commitment: Followed, now: datetime) -> bool:
    """Open, with a due date before today (a commitment due today is not late yet)."""
    return is_open(commitment) and commitment.due_date is not None and commitment.due_date < local_day(now)


def is_stale(commitment: Followed, now: datetime, stale_after_days: int = STALE_AFTER_DAYS) -> bool:
    """Open, and no update posted for `stale_after_days` days or more."""
    return is_open(commitment) and now - commitment.updated_at >= timedelta(days=stale_after_days)


def flags_of(commitment: Followed, now: datetime, stale_after_days: int = STALE_AFTER_DAYS) -> tuple[str, ...]:
    """The flags a commitment carries now, in FLAGS order; empty when it needs no chasing."""
    return tuple(flag for flag, raised in ((OVERDUE, is_overdue(commitment, now)),
                                           (STALE, is_stale(commitment, now, stale_after_days))) if raised)
