"""How a commitment may move between statuses, and the words for each status and answer.

Data, like phases: the service asks the table instead of comparing statuses in many places.
"""

from __future__ import annotations

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
