"""After a run: did PostgreSQL keep what the members were told it kept?

- every acknowledged vote is in `votes` with the member's last acknowledged choice for that clause, unless
  a later request of theirs that got no clear answer (a timeout, an error) explains another value (an
  earlier one explaining it is counted apart, as `reordered`: written after a later request was
  acknowledged, which the member would see as their newer choice undone);
- one row per member and clause;
- one vote.cast event per acknowledged castVote: each member's acknowledged choices on a clause appear,
  in order, among that clause's vote.cast events of theirs, and any event beyond them belongs to a request
  that got no clear answer;
- every event published by the relay;
- every acknowledged comment and need stored;
- the newest proposal counts every vote: its input_counts['votes'] is the number of vote rows, and no
  vote.cast event is newer than the last event it read.
"""

from __future__ import annotations

import json
import uuid
from collections import defaultdict
from dataclasses import asdict, dataclass, field

import asyncpg

from schema import ids
from tests.faults.seed import SeededRound
from tests.faults.traffic import Attempt

STORED = {"AGREE": 1, "DISAGREE": -1, "PASS": 0}


@dataclass
class Ledger:
    acknowledged_votes: int = 0  # castVote requests answered with a Vote
    voted_pairs: int = 0  # (member, clause) with an acknowledged vote
    vote_rows: int = 0
    lost: int = 0  # acknowledged, and the row holds something no request of theirs explains
    overwritten_by_unanswered: int = 0  # holds the value of a later request that got no clear answer
    reordered: int = 0  # holds the value of an earlier request that got no clear answer: written after the ack
    unexplained_rows: int = 0  # a row no request explains
    duplicate_rows: int = 0
    vote_events: int = 0
    acknowledged_without_event: int = 0
    events_beyond_requests: int = 0  # vote.cast events no request explains
    events_of_unanswered: int = 0  # events of requests that got no clear answer (written, not acknowledged)
    unpublished_events: int = 0
    acknowledged_comments: int = 0
    missing_comments: int = 0
    acknowledged_needs: int = 0
    missing_needs: int = 0
    proposal_version: int | None = None
    proposal_counts_votes: int | None = None
    votes_after_proposal: int = 0
    examples: list[str] = field(default_factory=list)

    @property
    def failures(self) -> list[str]:
        checks = {
            "acknowledged votes lost": self.lost,
            "vote rows no request explains": self.unexplained_rows,
            "duplicate vote rows": self.duplicate_rows,
            "acknowledged castVotes without their vote.cast event": self.acknowledged_without_event,
            "vote.cast events no request explains": self.events_beyond_requests,
            "events never published": self.unpublished_events,
            "acknowledged comments missing": self.missing_comments,
            "acknowledged needs missing": self.missing_needs,
            "votes the newest proposal does not count": self.votes_after_proposal,
        }
        problems = [f"{name}: {n}" for name, n in checks.items() if n]
        if self.proposal_version is None:
            problems.append("no proposal at all")
        elif self.proposal_counts_votes != self.vote_rows:
            problems.append(f"the newest proposal (v{self.proposal_version}) counts {self.proposal_counts_votes} "
                            f"votes, the table holds {self.vote_rows}")
        return problems

    @property
    def ok(self) -> bool:
        return not self.failures

    def to_json(self) -> dict:
        return {**asdict(self), "ok": self.ok, "failures": self.failures}


async def check_ledger(database_url: str, round_: SeededRound, attempts: list[Attempt]) -> Ledger:
    conn = await asyncpg.connect(database_url, timeout=10, command_timeout=60)
    try:
        votes = await conn.fetch("SELECT participant_id, clause_id, value FROM votes "
                                 "WHERE round_id = $1 AND amendment_id IS NULL", round_.id)
        duplicates = await conn.fetchval(
            "SELECT count(*) FROM (SELECT 1 FROM votes WHERE round_id = $1 "
            "GROUP BY participant_id, clause_id, amendment_id HAVING count(*) > 1) AS d", round_.id)
        events = await conn.fetch("SELECT actor_id, payload->>'clause_id' AS clause_id, payload->>'choice' AS choice "
                                  "FROM events WHERE round_id = $1 AND type = 'vote.cast' ORDER BY id", round_.id)
        unpublished = await conn.fetchval("SELECT count(*) FROM events WHERE published_at IS NULL")
        comments = {r["id"] for r in await conn.fetch("SELECT id FROM comments WHERE round_id = $1", round_.id)}
        needs = {r["id"] for r in await conn.fetch("SELECT id FROM needs WHERE round_id = $1", round_.id)}
        proposal = await conn.fetchrow(
            "SELECT version, input_counts, last_event_id FROM consolidated_proposals WHERE round_id = $1 "
            "ORDER BY version DESC LIMIT 1", round_.id)
        after = await conn.fetchval(
            "SELECT count(*) FROM events WHERE round_id = $1 AND type = 'vote.cast' AND id > $2",
            round_.id, proposal["last_event_id"] if proposal and proposal["last_event_id"] else uuid.UUID(int=0))
    finally:
        await conn.close()

    ledger = Ledger(vote_rows=len(votes), duplicate_rows=duplicates, vote_events=len(events),
                    unpublished_events=unpublished, votes_after_proposal=after)
    if proposal is not None:
        ledger.proposal_version = proposal["version"]
        counts = proposal["input_counts"]
        ledger.proposal_counts_votes = (counts if isinstance(counts, dict) else json.loads(counts)).get("votes")
    _check_votes(ledger, round_, attempts, votes, events)
    _check_made(ledger, attempts, "comment", "Comment", comments)
    _check_made(ledger, attempts, "need", "Need", needs)
    return ledger


def _check_votes(ledger: Ledger, round_: SeededRound, attempts: list[Attempt], votes, events) -> None:
    member_of = {pid: i for i, pid in enumerate(round_.participants)}
    clause_of = {cid: i for i, cid in enumerate(round_.clauses)}
    # per (member, clause), in the order each member sent them (one at a time)
    sent: dict[tuple[int, int], list[Attempt]] = defaultdict(list)
    for attempt in sorted((a for a in attempts if a.kind == "vote"), key=lambda a: a.sent):
        sent[(attempt.member, attempt.clause)].append(attempt)
    stored = {(member_of[r["participant_id"]], clause_of[r["clause_id"]]): r["value"] for r in votes}
    written: dict[tuple[int, int], list[str]] = defaultdict(list)
    for e in events:
        written[(member_of[e["actor_id"]], clause_of[uuid.UUID(e["clause_id"])])].append(e["choice"].upper())

    for pair in set(sent) | set(stored):
        tries = sent.get(pair, [])
        acked = [a for a in tries if a.outcome == "ack"]
        unanswered = [a for a in tries if a.outcome in ("error", "unknown")]
        ledger.acknowledged_votes += len(acked)
        ledger.voted_pairs += bool(acked)
        value = stored.get(pair)
        later = [a for a in unanswered if not acked or a.sent > acked[-1].sent]
        if acked and value == STORED[acked[-1].choice]:
            pass
        elif value is not None and any(value == STORED[a.choice] for a in later):
            ledger.overwritten_by_unanswered += 1
        elif value is not None and any(value == STORED[a.choice] for a in unanswered):
            ledger.reordered += 1
            _example(ledger, f"member {pair[0]} clause {pair[1]}: acknowledged {acked[-1].choice}, stored {value} "
                             "from an earlier request that timed out or failed")
        elif acked:
            ledger.lost += 1
            _example(ledger, f"member {pair[0]} clause {pair[1]}: acknowledged {acked[-1].choice}, stored {value}")
        elif value is not None:
            ledger.unexplained_rows += 1
            _example(ledger, f"member {pair[0]} clause {pair[1]}: stored {value}, nothing acknowledged")
        # the acknowledged choices, in order, among the events; the others are the unanswered requests'
        choices, matched = written.get(pair, []), 0
        for choice in choices:
            if matched < len(acked) and choice == acked[matched].choice:
                matched += 1
        ledger.acknowledged_without_event += len(acked) - matched
        extra = len(choices) - matched
        ledger.events_of_unanswered += min(extra, len(unanswered))
        ledger.events_beyond_requests += max(0, extra - len(unanswered))
        if len(acked) > matched:
            _example(ledger, f"member {pair[0]} clause {pair[1]}: acknowledged "
                             f"{[a.choice for a in acked]}, events {choices}")


def _check_made(ledger: Ledger, attempts: list[Attempt], kind: str, type_name: str, stored: set) -> None:
    made = [a.made_id for a in attempts if a.kind == kind and a.outcome == "ack"]
    missing = [m for m in made if ids.decode(m, type_name) not in stored]
    setattr(ledger, f"acknowledged_{kind}s", len(made))
    setattr(ledger, f"missing_{kind}s", len(missing))
    for m in missing[:3]:
        _example(ledger, f"{kind} {m} acknowledged, not stored")


def _example(ledger: Ledger, text: str) -> None:
    if len(ledger.examples) < 10:
        ledger.examples.append(text)

