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

The rules are applied in Python, with the predicates every service uses (server/auth/identity.py
Identity.require, server/rounds/access.py require_member and require_open), to the context this token
last met in the clause's round (remembered in this process), and the statement's fingerprint check makes
sure that the vote is written only if that context is still exactly what the database holds at that
moment. When it is not (the first vote of a token in a round, or something changed: a revoked token, a
withdrawal, a moved phase, a membership), nothing is written, the statement returns the context as it
is now, the rules are applied to that, and the write is sent again. So a change counts from the very
next vote, with no time-to-live, and a vote normally costs one round trip. The phase's dates are checked
against the clock on every call.

Refusals raise the domain errors of service.cast_vote and proxies.resolve_author, having written
nothing; input through a proxy record is not handled here (service.cast_vote does it).
"""

from __future__ import annotations

import hashlib
import json
import uuid
from collections import OrderedDict
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache
from typing import Any

from server import validation
from server.auth.identity import Identity
from server.auth.service import TOKEN_PREFIX
from server.deliberation.models import VOTE_VALUES
from server.errors import DomainError, Invalid, NotFound, ProxyRequired
from server.i18n import N_
from server.ids import uuid7
from server.operations.metrics import vote_accepted
from server.rounds import phases
from server.rounds.access import Standing, require_member, require_open

# One statement for a batch of votes (server/deliberation/batching.py; a lone vote is a batch of one): for
# each, read what the rules need, and write the vote and its event only if that is exactly what the rules
# were applied to (the fingerprint) and the amendment, if any, is the clause's. One row per vote, in the
# order given: the context as it is now, with the vote's id and time when it was written.
WRITE = """
WITH input AS (
    SELECT * FROM unnest($1::text[], $2::uuid[], $3::uuid[], $4::uuid[], $5::smallint[], $6::text[], $7::uuid[],
                         $8::jsonb[])
        WITH ORDINALITY AS i(token_hash, clause_id, amendment_id, vote_id, value, expected, event_id, payload, n)
), context AS (
    SELECT i.n, i.clause_id, i.amendment_id, i.vote_id, i.value, i.expected, i.event_id, i.payload,
           p.id AS caller_id, p.role AS caller_role, p.withdrawn_at AS caller_withdrawn_at, t.scopes,
           c.round_id, r.phases::text AS phases, r.current_phase,
           m.participant_id IS NOT NULL AS member, m.group_id, m.facilitates,
           a.clause_id AS amendment_clause_id,
           md5(ROW(t.id, t.scopes, p.id, p.role, p.withdrawn_at, c.round_id, r.phases, r.current_phase,
                   m.participant_id, m.group_id, m.facilitates)::text) AS fingerprint
    FROM input i
    LEFT JOIN api_tokens t ON t.token_hash = i.token_hash AND t.revoked_at IS NULL
    LEFT JOIN participants p ON p.id = t.participant_id
    LEFT JOIN clauses c ON c.id = i.clause_id
    LEFT JOIN rounds r ON r.id = c.round_id
    LEFT JOIN memberships m ON m.round_id = c.round_id AND m.participant_id = p.id
    LEFT JOIN amendments a ON a.id = i.amendment_id
), ready AS (
    SELECT * FROM context
    WHERE fingerprint = expected AND (amendment_id IS NULL OR amendment_clause_id = clause_id)
), vote AS (
    INSERT INTO votes AS v (id, round_id, participant_id, clause_id, amendment_id, value, entered_by_id, proxy_id)
    SELECT vote_id, round_id, caller_id, clause_id, amendment_id, value, caller_id, NULL FROM ready
    ON CONFLICT (participant_id, clause_id, amendment_id) DO UPDATE
        SET value = excluded.value, entered_by_id = excluded.entered_by_id, proxy_id = excluded.proxy_id,
            updated_at = now()
    RETURNING v.id, v.updated_at, v.participant_id, v.clause_id, v.amendment_id
), written AS (
    SELECT ready.n, ready.event_id, ready.round_id, ready.caller_id, ready.payload, vote.id, vote.updated_at
    FROM ready JOIN vote ON vote.participant_id = ready.caller_id AND vote.clause_id = ready.clause_id
                        AND vote.amendment_id IS NOT DISTINCT FROM ready.amendment_id
), event AS (
    INSERT INTO events (id, type, round_id, actor_id, subject_id, payload)
    SELECT event_id, 'vote.cast', round_id, caller_id, id, payload FROM written
)
SELECT context.*, written.id AS vote_id, written.updated_at
FROM context LEFT JOIN written ON written.n = context.n
ORDER BY context.n
"""
KNOWN = 16_384  # contexts and clause rounds remembered (LRU)
ATTEMPTS = 3  # writes tried while the context keeps changing under us, before leaving it to service.cast_vote


class Unidentified(Exception):
    """The token is unknown or revoked, or its person has withdrawn (authenticate_token's None)."""


@dataclass(frozen=True, slots=True)
class Caller:
    """The person behind the token, as Standing and Identity read a Participant."""

    id: uuid.UUID
    role: str
    withdrawn_at: datetime | None


@dataclass(frozen=True, slots=True)
class _Round:
    phases: list[dict[str, Any]]
    current_phase: str


@dataclass(frozen=True, slots=True)
class _Membership:
    group_id: uuid.UUID | None
    facilitates: bool


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


def token_hash(plain: str) -> str | None:
    """The stored hash of a bearer token (server/auth/service.py), or None when it cannot be one of ours."""
    return hashlib.sha256(plain.encode()).hexdigest() if plain.startswith(TOKEN_PREFIX) else None


@dataclass(frozen=True)
class _Standing(Standing):
    """A Standing whose current phase is decoded once, when the context is read, not on every vote."""

    current: phases.Phase | None = None

    def phase(self) -> phases.Phase:
        return self.current if self.current is not None else Standing.phase(self)


@dataclass(frozen=True, slots=True)
class Context:
    """What the rules are applied to, as one statement read it, and its fingerprint."""

    fingerprint: str
    caller: Caller | None  # None: the token is unknown or revoked, or its person withdrew
    scopes: frozenset[str]
    round_id: uuid.UUID | None  # None: no such clause
    standing: Standing | None
    amendment_clause_id: uuid.UUID | None  # of the amendment named in the request that read it

    @classmethod
    def read(cls, row: Any) -> Context:
        caller = None
        if row["caller_id"] is not None and row["caller_withdrawn_at"] is None:
            caller = Caller(row["caller_id"], row["caller_role"], None)
        standing = None
        if caller is not None and row["round_id"] is not None:
            membership = _Membership(row["group_id"], row["facilitates"]) if row["member"] else None
            round_ = _Round(_phases(row["phases"]), row["current_phase"])
            current = _phase(row["phases"], row["current_phase"])
            standing = _Standing(round_, caller, membership, current)  # type: ignore[arg-type]
        return cls(row["fingerprint"], caller, frozenset(row["scopes"] or ()), row["round_id"], standing,
                   row["amendment_clause_id"])

    @property
    def group_id(self) -> uuid.UUID | None:
        membership = self.standing.membership if self.standing else None
        return membership.group_id if membership else None

    def allow(self, scope: str, clause_id: uuid.UUID, amendment_id: uuid.UUID | None,
              on_behalf_of: uuid.UUID | None, *, fresh: bool) -> None:
        """service.cast_vote's rules, in its order; raises what it would raise. A remembered context is not
        asked about the amendment (it was read for another request): the statement checks that itself."""
        if self.caller is None:
            raise Unidentified()
        Identity(self.caller, self.scopes, "token").require(scope)  # type: ignore[arg-type]
        if self.round_id is None or self.standing is None:
            raise NotFound("clause", clause_id)
        if fresh and amendment_id is not None and self.amendment_clause_id != clause_id:
            raise NotFound("amendment", amendment_id)
        # proxies.resolve_author, for input without a proxy record
        if on_behalf_of is not None and on_behalf_of != self.caller.id:
            raise ProxyRequired(N_("Input on someone else's behalf needs a proxy record: "
                                   "who they are, how it was gathered and what consent they gave."))
        require_open(self.standing, "vote", require_member(self.standing))


class _Known(OrderedDict):
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
def _phases(text: str) -> list[dict[str, Any]]:
    """A round's phases, decoded once per distinct value (they change only when a facilitator edits them)."""
    return json.loads(text)


@lru_cache(maxsize=256)
def _phase(text: str, key: str) -> phases.Phase:
    """The current phase, as Standing.phase finds it, shared by every context that read the same round."""
    return Standing(_Round(_phases(text), key), None, None).phase()  # type: ignore[arg-type]


def forget() -> None:
    """Drops every remembered context (tests; nothing depends on it for correctness)."""
    _clause_rounds.clear()
    _contexts.clear()


def batch_key(item: tuple) -> tuple:
    """Votes of one token on one clause or amendment never share a batch (one upsert per row and statement)."""
    return item[0], item[1], item[2]


async def write_votes(conn: Any, items: list[tuple]) -> list[Any]:
    """A batch of WRITE's items on an asyncpg connection: one statement, so all or nothing."""
    return await conn.fetch(WRITE, *(list(column) for column in zip(*items, strict=True)))


async def cast_vote_with_token(write: Callable[[tuple], Awaitable[Any]], token: str, clause_id: uuid.UUID, choice: str, *, scope: str,
                               amendment_id: uuid.UUID | None = None,
                               on_behalf_of: uuid.UUID | None = None) -> CastVote:
    """Agree, disagree or pass on a clause or one of its amendments as the token's own person; a re-vote
    replaces. `write` sends one item of WRITE (through a Batcher of write_votes) and returns its row; `scope` is the token scope the action needs. Raises
    Unidentified, or the domain error that service.cast_vote would raise, having written nothing.

    Usually one round trip: the rules are applied to the context this token last met in the clause's
    round, and the statement writes only if the context is still exactly that. Otherwise (the first vote,
    or something changed: a phase, a membership, the token) the statement writes nothing and returns the
    context as it is, the rules are applied to that, and the write is sent again."""
    hashed = token_hash(token)
    if hashed is None:
        raise Unidentified()
    invalid = Invalid()
    validation.choice(invalid, "choice", choice, tuple(VOTE_VALUES))
    invalid.raise_if_any()
    value = VOTE_VALUES[choice]
    round_id = _clause_rounds.recall(clause_id)
    context: Context | None = _contexts.recall((hashed, round_id)) if round_id is not None else None
    fresh = False
    for _ in range(ATTEMPTS):
        payload = None
        if context is not None:
            try:
                context.allow(scope, clause_id, amendment_id, on_behalf_of, fresh=fresh)
            except (Unidentified, DomainError):
                if fresh:
                    raise
                context = None  # refused by what was remembered: ask the database again
            else:
                group_id = context.group_id
                payload = json.dumps({"clause_id": str(clause_id),
                                      "amendment_id": str(amendment_id) if amendment_id else None,
                                      "choice": choice, "group_id": str(group_id) if group_id else None,
                                      "proxy_id": None}, ensure_ascii=False)
        row = await write((hashed, clause_id, amendment_id, uuid7(), value,
                           context.fingerprint if payload is not None else None, uuid7(), payload))
        if row["vote_id"] is not None:
            vote_accepted("fast")  # stored: its batch, one statement, has completed
            return CastVote(row["vote_id"], row["round_id"], row["caller_id"], clause_id, amendment_id, choice,
                            value, row["updated_at"], context.group_id)
        context, fresh = Context.read(row), True
        if context.round_id is not None:
            _clause_rounds.remember(clause_id, context.round_id)
            _contexts.remember((hashed, context.round_id), context)
    raise Unidentified()  # the context changed at every attempt: service.cast_vote will sort it out
