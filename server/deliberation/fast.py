"""castVote's hot path: the rules of service.cast_vote, in one statement.

An integrator's voting app sends castVote far more often than anything else, so the API answers the
common case (a vote for oneself, with an API token) here, on an asyncpg connection, with one statement
(WRITE) that

1. reads everything the rules need: the caller behind the token (the token not revoked, its scopes, the
   person's role and withdrawal), the clause's round (phases, current phase), the caller's membership
   of that round, and the amendment if one is named, with a fingerprint of all of it;
2. writes the vote and its vote.cast event (an upsert in a CTE and the event inserted from its
   RETURNING row: both or neither, with or without a transaction around it, as one statement is atomic
   on its own), but only if the fingerprint is the one of the context the rules were applied to.

The rules are applied in Python, by the vote rule that service.cast_vote applies too (rules.py check_vote;
what an accepted vote writes, its row and its event, comes from vote_record.py on both paths), to the
context this token last met in the clause's round (remembered in this process), and the statement's
fingerprint check makes sure that the vote is written only if that context is still exactly what the
database holds at that moment. When it is not (the first vote of a token in a round, or something changed: a revoked token, a
withdrawal, a moved phase, a membership), nothing is written, the statement returns the context as it
is now, the rules are applied to that, and the write is sent again. So a change counts from the very
next vote, with no time-to-live, and a vote normally costs one round trip. The phase's dates are checked
against the clock on every call.

Refusals raise check_vote's domain errors, having written nothing; input through a proxy record is not
handled here (service.cast_vote does it).
"""

from __future__ import annotations

import json
import uuid
from collections import OrderedDict
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, replace
from datetime import datetime
from functools import lru_cache
from typing import Any

from server.auth.service import bearer_hash
from server.deliberation.models import VOTE_VALUES
from server.deliberation.rules import Accepted, Ballot, VoteContext, check_vote
from server.deliberation.vote_record import COLUMNS, REPLACED, TARGET, vote_cast_payload, vote_row
from server.drafts.rules import is_current
from server.errors import DomainError
from server.events.service import with_request_id
from server.ids import uuid7
from server.operations.metrics import vote_accepted
from server.rounds import phases
from server.rounds.access import Seat, current_phase

# An item of a batch: the token's hash, the vote's row as vote_record.py makes it (new_<column>), and the
# fingerprint of the context the rule accepted it in, with its event's id and payload.
_ITEM = (("token_hash", "text"), *((f"new_{c}", "smallint" if c == "value" else "uuid") for c in COLUMNS),
         ("expected", "text"), ("event_id", "uuid"), ("payload", "jsonb"))

# One statement for a batch of votes (server/deliberation/batching.py; a lone vote is a batch of one): for
# each, read what the rule needs, and write the vote and its event only if that is exactly what the rule
# was applied to (the fingerprint), the vote is the token's own and the amendment, if any, is the clause's.
# One row per vote, in the order given: the context as it is now, with the vote's id and time when it was
# written.
WRITE = f"""
WITH input AS (
    SELECT * FROM unnest({", ".join(f"${n}::{kind}[]" for n, (_, kind) in enumerate(_ITEM, 1))})
        WITH ORDINALITY AS i({", ".join(name for name, _ in _ITEM)}, n)
), context AS (
    SELECT i.*, p.id AS caller_id, p.role AS caller_role, p.withdrawn_at AS caller_withdrawn_at, t.scopes,
           c.round_id, r.phases::text AS phases, r.current_phase,
           m.participant_id IS NOT NULL AS member, m.group_id, m.facilitates, m.drafts,
           a.clause_id AS amendment_clause_id, c.status AS clause_status,
           md5(ROW(t.id, t.scopes, p.id, p.role, p.withdrawn_at, c.round_id, c.status, r.phases, r.current_phase,
                   m.participant_id, m.group_id, m.facilitates, m.drafts)::text) AS fingerprint
    FROM input i
    LEFT JOIN api_tokens t ON t.token_hash = i.token_hash AND t.revoked_at IS NULL
    LEFT JOIN participants p ON p.id = t.participant_id
    LEFT JOIN clauses c ON c.id = i.new_clause_id
    LEFT JOIN rounds r ON r.id = c.round_id
    LEFT JOIN memberships m ON m.round_id = c.round_id AND m.participant_id = p.id
    LEFT JOIN amendments a ON a.id = i.new_amendment_id
), ready AS (
    SELECT * FROM context
    WHERE fingerprint = expected AND new_participant_id = caller_id AND new_round_id = round_id
      AND (new_amendment_id IS NULL OR amendment_clause_id = new_clause_id)
), vote AS (
    INSERT INTO votes AS v ({", ".join(COLUMNS)})
    SELECT {", ".join(f"new_{c}" for c in COLUMNS)} FROM ready
    ON CONFLICT ({", ".join(TARGET)}) DO UPDATE
        SET {", ".join(f"{c} = excluded.{c}" for c in REPLACED)}, updated_at = now()
    RETURNING v.id, v.updated_at, v.participant_id, v.clause_id, v.amendment_id
), written AS (
    SELECT ready.n, ready.event_id, ready.round_id, ready.caller_id, ready.payload, vote.id, vote.updated_at
    FROM ready JOIN vote ON vote.participant_id = ready.new_participant_id AND vote.clause_id = ready.new_clause_id
                        AND vote.amendment_id IS NOT DISTINCT FROM ready.new_amendment_id
), event AS (
    INSERT INTO events (id, type, round_id, actor_id, subject_id, payload)
    SELECT event_id, 'vote.cast', round_id, caller_id, id, payload FROM written
)
SELECT context.caller_id, context.caller_role, context.caller_withdrawn_at, context.scopes, context.round_id,
       context.phases, context.current_phase, context.member, context.group_id, context.facilitates,
       context.drafts, context.amendment_clause_id, context.clause_status, context.fingerprint, written.id AS vote_id,
       written.updated_at
FROM context LEFT JOIN written ON written.n = context.n
ORDER BY context.n
"""
_NOTHING = (None,) * (len(COLUMNS) - 2 + 3)  # a read: no row, no fingerprint, no event
KNOWN = 16_384  # contexts and clause rounds remembered (LRU)
ATTEMPTS = 3  # writes tried while the context keeps changing under us, before leaving it to service.cast_vote


class Unidentified(Exception):
    """The token is unknown or revoked, or its person has withdrawn (authenticate_token's None)."""


@dataclass(frozen=True, slots=True)
class Caller:
    """The person behind the token, as the statement read them (a rounds.access.Person)."""

    id: uuid.UUID
    role: str
    withdrawn_at: datetime | None


@dataclass(frozen=True, slots=True)
class Membership:
    """The caller's membership of the clause's round, as the statement read it (a rounds.access.Member)."""

    group_id: uuid.UUID | None
    facilitates: bool
    drafts: bool


@dataclass(frozen=True, slots=True)
class CastVote:
    """The vote as stored (a re-vote keeps the first vote's id), and whose group it counts for."""

    id: uuid.UUID
    round_id: uuid.UUID
    participant_id: uuid.UUID
    clause_id: uuid.UUID
    amendment_id: uuid.UUID | None
    choice: str
    value: int
    updated_at: datetime
    group_id: uuid.UUID | None
    proxy_id: None = None


@dataclass(frozen=True, slots=True)
class Context:
    """What the rule is applied to, as one statement read it, and its fingerprint."""

    fingerprint: str
    round_id: uuid.UUID | None  # None: no such clause
    vote: VoteContext | None  # None: the token is unknown or revoked, or its person withdrew

    @classmethod
    def read(cls, row: Any) -> Context:
        if row["caller_id"] is None or row["caller_withdrawn_at"] is not None:
            return cls(row["fingerprint"], row["round_id"], None)
        caller = Caller(row["caller_id"], row["caller_role"], None)
        place = None
        if row["round_id"] is not None:
            membership = Membership(row["group_id"], row["facilitates"], row["drafts"]) if row["member"] else None
            place = Seat.of(caller, membership, _phase(row["phases"], row["current_phase"]))
        vote = VoteContext(caller, frozenset(row["scopes"] or ()), row["round_id"], place,
                           row["amendment_clause_id"], clause_current=is_current(row["clause_status"]))
        return cls(row["fingerprint"], row["round_id"], vote)

    def allow(self, ballot: Ballot, *, fresh: bool) -> Accepted:
        """check_vote on this context. A remembered one was read for another request: whether the amendment
        named is the clause's, the statement checks itself."""
        if self.vote is None:
            raise Unidentified()
        vote = self.vote
        if not fresh and ballot.amendment_id is not None:
            vote = replace(vote, amendment_clause_id=ballot.clause_id)
        return check_vote(vote, ballot)


class _Known(OrderedDict[Any, Any]):
    """A bounded LRU map."""

    def recall(self, key: Any) -> Any:
        value = self.get(key)
        if value is not None:
            self.move_to_end(key)
        return value

    def remember(self, key: Any, value: Any) -> None:
        self[key] = value
        self.move_to_end(key)
        if len(self) > KNOWN:
            self.popitem(last=False)


# A clause's round never changes; a context is only ever acted on when the statement finds it unchanged.
_clause_rounds: _Known = _Known()
_contexts: _Known = _Known()


@lru_cache(maxsize=256)
def _phase(text: str, key: str) -> phases.Phase:
    """A round's current phase, decoded once per distinct value (phases change only when a facilitator
    edits them) and shared by every context that read the same round."""
    return current_phase(json.loads(text), key)


def forget() -> None:
    """Drops every remembered context (tests; nothing depends on it for correctness)."""
    _clause_rounds.clear()
    _contexts.clear()


def batch_key(item: tuple[Any, ...]) -> tuple[Any, ...]:
    """Votes of one token on one clause or amendment never share a batch (one upsert per row and statement)."""
    return item[0], item[1], item[2]


async def write_votes(conn: Any, items: list[tuple[Any, ...]]) -> list[Any]:
    """A batch of WRITE's items on an asyncpg connection: one statement, so all or nothing."""
    return list(await conn.fetch(WRITE, *(list(column) for column in zip(*items, strict=True))))


async def cast_vote_with_token(write: Callable[[tuple[Any, ...]], Awaitable[Any]], token: str, clause_id: uuid.UUID,
                               choice: str, *, amendment_id: uuid.UUID | None = None,
                               on_behalf_of: uuid.UUID | None = None) -> CastVote:
    """Agree, disagree or pass on a clause or one of its amendments as the token's own person; a re-vote
    replaces. `write` sends one item of WRITE (through a Batcher of write_votes) and returns its row. Raises
    Unidentified, or the domain error that service.cast_vote would raise, having written nothing.

    Usually one round trip: the rule is applied to the context this token last met in the clause's round,
    and the statement writes only if the context is still exactly that. Otherwise (the first vote, or
    something changed: a phase, a membership, the token) the statement writes nothing and returns the
    context as it is, the rule is applied to that, and the write is sent again."""
    hashed = bearer_hash(token)
    if hashed is None:
        raise Unidentified()
    ballot = Ballot(clause_id, choice, amendment_id, on_behalf_of)
    round_id = _clause_rounds.recall(clause_id)
    context: Context | None = _contexts.recall((hashed, round_id)) if round_id is not None else None
    fresh = False
    for _ in range(ATTEMPTS):
        accepted = None
        if context is not None:
            try:
                accepted = context.allow(ballot, fresh=fresh)
            except (Unidentified, DomainError):
                if fresh:
                    raise
                context = None  # refused by what was remembered: ask the database again
        item: tuple[Any, ...]
        if accepted is not None and context is not None:
            payload = json.dumps(with_request_id(vote_cast_payload(ballot, accepted)), ensure_ascii=False)
            item = (hashed, *vote_row(uuid7(), ballot, accepted), context.fingerprint, uuid7(), payload)
        else:
            item = (hashed, clause_id, amendment_id, *_NOTHING)
        row = await write(item)
        if row["vote_id"] is not None and accepted is not None:
            vote_accepted("fast")  # stored: its batch, one statement, has completed
            return CastVote(row["vote_id"], accepted.round_id, row["caller_id"], clause_id, amendment_id, choice,
                            VOTE_VALUES[choice], row["updated_at"], accepted.author.group_id)
        context, fresh = Context.read(row), True
        if context.round_id is not None:
            _clause_rounds.remember(clause_id, context.round_id)
            _contexts.remember((hashed, context.round_id), context)
    raise Unidentified()  # the context changed at every attempt: service.cast_vote will sort it out
