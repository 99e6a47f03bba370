"""When a clause may still be changed where it stands, and when a change must be a new version.

Once people may have voted, commented or proposed a wording on a text, changing that text under
them would make their input say something they never said. So a clause is edited in place only
while nobody has reacted to it and voting has not opened; after that, a change is a new version
(a new clause superseding the old one, which keeps what was given on it) and voters are asked again.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from server.drafts.models import CURRENT
from server.i18n import N_
from server.rounds.phases import Phase

# who puts a draft forward: a ministry or a civil-society organisation (people/models.ORGANISATION_KINDS)
AUTHOR_KINDS = ("government", "cso")
CHANGED_SINCE = N_("This clause has changed since. Read its new text and vote again.")
VOTING_OPENED = N_("Voting has opened on this draft: a clause can no longer be taken out. Change its text "
                   "instead, so the votes stay with the text people read.")


@dataclass(frozen=True)
class Reactions:
    """What people have given on one clause's text."""

    votes: int = 0
    comments: int = 0
    amendments: int = 0

    @property
    def any(self) -> bool:
        return bool(self.votes or self.comments or self.amendments)


def may_put_forward(organisation_kind: str) -> bool:
    return organisation_kind in AUTHOR_KINDS


def voting_opened(phases: Sequence[Phase], current: str) -> bool:
    """Whether the round has reached a phase that opens voting (that phase or a later one): its texts have
    been before voters."""
    for phase in phases:
        if phase.opens.get("vote"):
            return True
        if phase.key == current:
            return False
    return False


def is_current(status: str) -> bool:
    """Part of its draft as it stands: not an earlier version, not withdrawn."""
    return status == CURRENT


def editable_in_place(status: str, reactions: Reactions, opened: bool) -> bool:
    """A current clause nobody has voted on, commented on or proposed a wording for, before voting opens."""
    return is_current(status) and not reactions.any and not opened


def may_withdraw(status: str, opened: bool) -> bool:
    """A current clause, before voting opens: afterwards it has been put to voters."""
    return is_current(status) and not opened


def may_draft(phases: Sequence[Phase], role: str | None) -> bool:
    """Whether any phase of the round lets this role propose or edit drafts: who may open a round's draft
    pages (each change is still checked against the current phase)."""
    return role is not None and any(p.allows(action, role) for p in phases for action in ("propose_draft",
                                                                                           "edit_draft"))
