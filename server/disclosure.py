"""Who may see a figure, a flag or a person: the one rule for small groups, used by every reader.

Ruam promises people in small groups (a handful of Moken families, three stateless Thais) that nobody
outside their round's facilitators can work out how they voted: a per-group figure, or anything derived
from it (a flag such as "below threshold" or "lacks quorum", a total that lets one subtract the others),
that rests on fewer than SMALL_GROUP people reads "fewer than 3" instead. The number lives here only;
the words shown to people are made from it (`fewer_than`).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from server.i18n import N_, translate

SMALL_GROUP = 3  # a figure about fewer people than this is not shown outside the round's facilitators
FEWER_THAN = N_("fewer than {n}")


@dataclass(frozen=True)
class Audience:
    """Who reads, relative to one round: all a disclosure rule needs to know."""

    facilitator: bool = False  # facilitates this round (or an admin acting as one)
    member: bool = False  # takes part in this round
    person_id: uuid.UUID | None = None  # whose own input is theirs to see in full
    webhook: bool = False  # a machine outside Ruam, told what the public may know

    @property
    def public(self) -> bool:
        return not self.facilitator


PUBLIC = Audience()
WEBHOOK = Audience(webhook=True)
FACILITATOR = Audience(facilitator=True, member=True)


def discloses(audience: Audience, people: int) -> bool:
    """May `audience` see a figure (or a flag, or anything else derived from it) about `people` people?"""
    return audience.facilitator or people >= SMALL_GROUP


def fewer_than(locale: str) -> str:
    """The words shown in place of a figure not disclosed: "fewer than 3", in the reader's language."""
    return translate(FEWER_THAN, locale, n=SMALL_GROUP)
