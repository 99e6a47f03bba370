"""The vote rule: may this person cast this vote now, and whose vote is it. Pure and typed.

Two loaders read the facts into a VoteContext: service.cast_vote through the ORM, and castVote's fast
lane (fast.py) from the row of its one statement. Both then call check_vote, so they refuse the same
votes with the same errors in the same order, and write what vote_record.py makes of the answer.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import NamedTuple

from server import validation
from server.auth.identity import require_scope
from server.deliberation.models import VOTE_VALUES
from server.drafts.rules import CHANGED_SINCE
from server.errors import Conflict, Invalid, NotFound
from server.i18n import N_
from server.proxies.rules import Author, ProxyFacts, author, scope_for
from server.rounds.access import Member, Person, Place

CHOICES = tuple(VOTE_VALUES)


class Ballot(NamedTuple):
    """What is asked: a choice on a clause or one of its amendments, maybe for someone else. (Named tuples
    here: made for every vote of the fast lane, where a frozen dataclass costs twice as much.)"""

    clause_id: uuid.UUID
    choice: str
    amendment_id: uuid.UUID | None = None
    on_behalf_of: uuid.UUID | None = None
    proxy_id: uuid.UUID | None = None


@dataclass(frozen=True, slots=True)
class VoteContext:
    """What the rule reads, as a loader found it for one ballot."""

    voter: Person
    scopes: frozenset[str] | None  # a token's scopes; None when nothing narrows them (pages, proxy entry)
    round_id: uuid.UUID | None  # the clause's round; None: there is no such clause
    place: Place | None  # the voter's standing in that round
    amendment_clause_id: uuid.UUID | None  # the clause of the amendment named; None when none was found
    proxy: ProxyFacts | None = None  # the proxy record named, when one was found
    represented: Member | None = None  # the membership of the person that record names
    clause_current: bool = True  # False: an earlier text of the clause, or one taken out (drafts/rules.py)


class Accepted(NamedTuple):
    """A ballot the rule let through: in which round, and whose vote it is."""

    round_id: uuid.UUID
    author: Author


def check_vote(context: VoteContext, ballot: Ballot, now: datetime | None = None) -> Accepted:
    """Raises what refuses the ballot (NotPermitted for the token's scope, ValidationError for the choice,
    NotFound for the clause or the amendment, then the proxy rule: ProxyRequired, NotPermitted, PhaseClosed,
    Conflict for a clause no longer current, and a vote for nobody in particular); otherwise where and whose
    vote it is."""
    if context.scopes is not None:
        require_scope(context.scopes, scope_for(ballot.proxy_id))
    if ballot.choice not in VOTE_VALUES:
        invalid = Invalid()
        validation.choice(invalid, "choice", ballot.choice, CHOICES)
        invalid.raise_if_any()
    if context.round_id is None or context.place is None:
        raise NotFound("clause", ballot.clause_id)
    if ballot.amendment_id is not None and context.amendment_clause_id != ballot.clause_id:
        raise NotFound("amendment", ballot.amendment_id)
    found = author(context.place, context.voter.id, context.round_id, "vote", on_behalf_of=ballot.on_behalf_of,
                   proxy_id=ballot.proxy_id, proxy=context.proxy, represented=context.represented, now=now)
    if not context.clause_current:  # its votes stay with the text they were given on
        raise Conflict(CHANGED_SINCE)
    if found.participant_id is None:
        invalid = Invalid()
        invalid.add("on_behalf_of", N_("A vote needs a named person; record a proxy for each of them."))
        invalid.raise_if_any()
    return Accepted(context.round_id, found)
