"""Who may see a figure, a flag or a person: the one rule for small groups, used by every reader.

Ruam promises people in small groups (a handful of Moken families, three stateless Thais) that nobody
outside their round's facilitators can work out how they voted: a per-group figure, or anything derived
from it (a flag such as "below threshold" or "lacks quorum", a total that lets one subtract the others),
that rests on fewer than SMALL_GROUP people reads "fewer than 3" instead. The number lives here only;
the words shown to people are made from it (`fewer_than`).

What "derived from" means, for every reader outside the facilitators (pages, API, CSV, PDF, webhooks):

- A figure about a group (how many voted, agreed, took part; support and its interval) rests on the
  people it counts. `discloses` decides it.
- A flag about a group (below the threshold, lacking quorum, still to ask, under-heard, quorum reached)
  is a figure in one bit: shown only where the figure it comes from is.
- A total is a figure about each of its parts: `discloses_total` shows it only when every part is
  shown, since the total minus the parts shown is the parts hidden. Whether it is shown depends only on
  which parts read "fewer than 3", which every reader sees anyway, never on the hidden numbers (showing
  a total only when the hidden parts happen to be 0 would tell that they are).
- Anything decided by a hidden figure (a clause's status, where a small group's few votes alone could
  tip it) is shown as if that group were not yet heard: server/consolidation/rules.py.
That a figure reads "fewer than 3" is itself public: it says less than the figure and is what the
promise allows.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
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


def small(people: int) -> bool:
    """Whether a figure about `people` people reads "fewer than 3" outside the facilitators (the API's
    fewerThanThree): a fact every reader may know."""
    return people < SMALL_GROUP


def discloses(audience: Audience, people: int) -> bool:
    """May `audience` see a figure (or a flag, or anything else derived from it) about `people` people?"""
    return audience.facilitator or not small(people)


def discloses_total(audience: Audience, parts: Iterable[int]) -> bool:
    """May `audience` see a total of these parts (each a figure about that many people)? Only if it may
    see every part: otherwise the total minus the parts shown gives the parts hidden."""
    return audience.facilitator or not any(small(people) for people in parts)


def fewer_than(locale: str) -> str:
    """The words shown in place of a figure not disclosed: "fewer than 3", in the reader's language."""
    return translate(FEWER_THAN, locale, n=SMALL_GROUP)
