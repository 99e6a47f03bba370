"""A round as a Pol.is export folder (comments.csv, votes.csv, participants-votes.csv, summary.csv), in the
formats tests/data/polis/README.md describes, so that Pol.is tools, and `ruam import-polis`, read it.

Statements are what consolidation reads (consolidation/inputs.STATEMENTS: the current clauses of open
drafts, then their amendments), numbered from 0 in that order. Voters are the round's members in a declared
group, as consolidation counts them, each under a pseudonym (pseudonyms.py). Only what the public may read:

- people who left Ruam are promised that their votes stay only as anonymous counts (people/service.withdraw):
  a row of votes under a pseudonym is more than a count, so theirs are left out;
- a group's votes on a statement are left out where fewer than 3 of the group voted on it (the figure the
  public proposal hides, disclosure.discloses): the statement's total here minus the per-group figures
  shown elsewhere would otherwise give that small group's votes.
Vote times are cut to the day: the minute a vote was cast could match it to a person seen at a meeting.
"""

from __future__ import annotations

import csv
import io
import uuid
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime

from sqlalchemy import select, text
from sqlalchemy.ext.asyncio import AsyncSession

from server.consolidation.inputs import STATEMENTS
from server.disclosure import PUBLIC, discloses
from server.drafts.models import Amendment, Clause
from server.opendata.pseudonyms import pseudonym, pseudonym_key
from server.rounds.models import Round

# every final vote of the round's members in a declared group, as consolidation reads them (inputs.VOTES_COPY)
_VOTES = """
    SELECT v.participant_id, COALESCE(v.amendment_id, v.clause_id) AS statement_id, v.value,
           (v.updated_at AT TIME ZONE 'UTC')::date AS day, m.group_id, p.withdrawn_at IS NOT NULL AS withdrawn
    FROM votes v
    JOIN memberships m ON m.round_id = v.round_id AND m.participant_id = v.participant_id AND m.group_id IS NOT NULL
    JOIN participants p ON p.id = v.participant_id
    WHERE v.round_id = :round_id
"""
FILES = ("comments.csv", "votes.csv", "participants-votes.csv", "summary.csv")


@dataclass(frozen=True)
class Statement:
    comment_id: int
    id: uuid.UUID
    text: str
    created_at: datetime


@dataclass(frozen=True)
class PolisVote:
    comment_id: int
    voter: int
    value: int
    day: date


async def statements_of(session: AsyncSession, round_id: uuid.UUID) -> list[Statement]:
    rows = (await session.execute(text(STATEMENTS), {"round_id": round_id})).all()
    ids = [row.id for row in rows]
    created = dict((await session.execute(select(Clause.id, Clause.created_at).where(Clause.id.in_(ids)))).all())
    created.update((await session.execute(select(Amendment.id, Amendment.created_at)
                                          .where(Amendment.id.in_(ids)))).all())
    return [Statement(i, row.id, row.text, created[row.id]) for i, row in enumerate(rows)]


async def public_votes(session: AsyncSession, round_: Round, statements: Sequence[Statement], secret: str
                       ) -> list[PolisVote]:
    """The votes the export holds, each under its voter's pseudonym (see the module's docstring)."""
    numbers = {s.id: s.comment_id for s in statements}
    rows = [row for row in (await session.execute(text(_VOTES), {"round_id": round_.id})).all()
            if row.statement_id in numbers]
    seen = Counter((row.statement_id, row.group_id) for row in rows)
    names = _pseudonyms(pseudonym_key(secret), round_.id, sorted({row.participant_id for row in rows}))
    kept = [PolisVote(numbers[row.statement_id], names[row.participant_id], int(row.value), row.day)
            for row in rows
            if not row.withdrawn and discloses(PUBLIC, seen[(row.statement_id, row.group_id)])]
    return sorted(kept, key=lambda v: (v.day, v.comment_id, v.voter))


def _pseudonyms(key: bytes, round_id: uuid.UUID, people: Iterable[uuid.UUID]) -> dict[uuid.UUID, int]:
    names: dict[uuid.UUID, int] = {}
    taken: set[int] = set()
    for person in people:  # in id order, so that the rare step past a collision is the same every time
        name = pseudonym(key, round_id, person)
        while name in taken:
            name += 1
        taken.add(name)
        names[person] = name
    return names


def _millis(moment: datetime) -> int:
    return int(moment.timestamp() * 1000)


def _when(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%a %b %d %H:%M:%S UTC %Y")


def _csv(rows: Iterable[Sequence[object]]) -> str:
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    return out.getvalue()


def polis_files(round_: Round, statements: Sequence[Statement], votes: Sequence[PolisVote], *,
                url: str, opinion_groups: int | None) -> dict[str, str]:
    """The four files' texts, by name."""
    tally: dict[int, Counter[int]] = {s.comment_id: Counter() for s in statements}
    by_voter: dict[int, dict[int, int]] = {}
    for v in votes:
        tally[v.comment_id][v.value] += 1
        by_voter.setdefault(v.voter, {})[v.comment_id] = v.value
    comments: list[Sequence[object]] = [("timestamp", "datetime", "comment-id", "author-id", "agrees", "disagrees", "moderated",
                 "comment-body")]
    comments += [(_millis(s.created_at), _when(s.created_at), s.comment_id, "", tally[s.comment_id][1],
                  tally[s.comment_id][-1], 1, s.text) for s in statements]
    vote_rows: list[Sequence[object]] = [("timestamp", "datetime", "comment-id", "voter-id", "vote")]
    for v in votes:
        midnight = datetime(v.day.year, v.day.month, v.day.day, tzinfo=UTC)
        vote_rows.append((_millis(midnight), _when(midnight), v.comment_id, v.voter, v.value))
    ids = [s.comment_id for s in statements]
    matrix: list[Sequence[object]] = [("participant", "group-id", "n-comments", "n-votes", "n-agree", "n-disagree",
                                       *ids)]
    for voter in sorted(by_voter):
        cast = by_voter[voter]
        values = list(cast.values())
        matrix.append((voter, "", 0, len(values), values.count(1), values.count(-1),
                       *(cast.get(i, "") for i in ids)))
    title = round_.title.get("en") or round_.title.get("th") or next(iter(round_.title.values()), round_.slug)
    description = (round_.description or {}).get("en") or (round_.description or {}).get("th") or ""
    summary = [("topic", title), ("url", url), ("views", ""), ("voters", len(by_voter)),
               ("voters-in-conv", len(by_voter)), ("commenters", 0), ("comments", len(statements)),
               ("groups", opinion_groups if opinion_groups is not None else ""),
               ("conversation-description", description)]
    return {"comments.csv": _csv(comments), "votes.csv": _csv(vote_rows),
            "participants-votes.csv": _csv(matrix), "summary.csv": _csv(summary)}
