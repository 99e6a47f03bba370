"""What an accepted vote writes, said once for service.cast_vote and the castVote fast lane: its row (one
per person and target; a re-vote replaces it) and the payload of its vote.cast event."""

from __future__ import annotations

import uuid

from server.deliberation.models import VOTE_VALUES
from server.deliberation.rules import Accepted, Ballot

# the target first: the fast lane's batches read a vote's clause and amendment at fixed places
COLUMNS = ("clause_id", "amendment_id", "id", "round_id", "participant_id", "value", "entered_by_id", "proxy_id")
TARGET = ("participant_id", "clause_id", "amendment_id")  # one vote each (a unique index, NULLS NOT DISTINCT)
REPLACED = ("value", "entered_by_id", "proxy_id")  # by a re-vote, with updated_at; the first vote's id stays

Row = tuple[uuid.UUID, uuid.UUID | None, uuid.UUID, uuid.UUID, uuid.UUID | None, int, uuid.UUID, uuid.UUID | None]


def vote_row(vote_id: uuid.UUID, ballot: Ballot, accepted: Accepted) -> Row:
    """The vote's values, in the order of COLUMNS."""
    author = accepted.author
    return (ballot.clause_id, ballot.amendment_id, vote_id, accepted.round_id, author.participant_id,
            VOTE_VALUES[ballot.choice], author.entered_by_id, author.proxy_id)


def vote_cast_payload(ballot: Ballot, accepted: Accepted) -> dict[str, str | None]:
    """The vote.cast event as recorded (what each reader sees of it is decided when it is read)."""
    author, amendment_id = accepted.author, ballot.amendment_id
    return {"clause_id": str(ballot.clause_id), "amendment_id": str(amendment_id) if amendment_id else None,
            "choice": ballot.choice, "group_id": str(author.group_id) if author.group_id else None,
            "proxy_id": str(author.proxy_id) if author.proxy_id else None}
