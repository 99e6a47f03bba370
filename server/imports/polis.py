"""Importing a Pol.is export folder as a round: statements become clauses, votes come in.

Moderated-out statements are left out; participants and statements keep their Pol.is ids
as external ids. The rows go in with COPY and one event records the import, because an
event per historical vote would say nothing the votes themselves do not.

When the export has votes.csv, its timestamped votes are replayed through Pol.is's own update
step at Pol.is's cadence (consolidation/replay.py) and the round's first version starts from
where that history ended, so the imported groups are those the conversation's history led to,
close to Pol.is's own, rather than a cold start's. The replay costs about a second for a
conversation of a few thousand votes, about 6 s for 50,000 (benchmarks/README.md).
"""

from __future__ import annotations

import asyncio
import csv
import re
from pathlib import Path

from sqlalchemy import insert, select
from sqlalchemy.ext.asyncio import AsyncSession

from server import validation
from server.consolidation.history import StoredGroups
from server.consolidation.polis_export import PolisExport, read_polis_export
from server.consolidation.replay import read_vote_log, replay, update_points
from server.consolidation.service import consolidate
from server.database import driver_connection
from server.drafts.models import Clause, Draft
from server.errors import Conflict, Invalid
from server.events.service import record
from server.i18n import N_
from server.ids import uuid7
from server.people.models import Participant
from server.rounds.models import Membership, Round
from server.rounds.service import GroupSpec, create_round, groups_of

SOURCE = "polis"


def _summary(folder: Path) -> dict[str, str]:
    path = folder / "summary.csv"
    if not path.exists():
        return {}
    with path.open(newline="", encoding="utf-8") as handle:
        return {row[0]: row[1] for row in csv.reader(handle) if len(row) >= 2}


def _bodies(folder: Path) -> dict[int, str]:
    with (folder / "comments.csv").open(newline="", encoding="utf-8") as handle:
        return {int(row["comment-id"]): row["comment-body"] for row in csv.DictReader(handle)}


async def import_polis(session: AsyncSession, actor: Participant, folder: str | Path) -> Round:
    folder = Path(folder)
    invalid = Invalid()
    for name in ("comments.csv", "participants-votes.csv"):
        invalid.check((folder / name).is_file(), "folder", N_("{name} is missing from {folder}."),
                      name=name, folder=str(folder))
    invalid.raise_if_any()
    export = read_polis_export(folder)
    summary = _summary(folder)
    # the statements go in by COPY, past the services: each is checked here as add_clause would
    bodies = {sid: validation.text(invalid, f"comments.csv {sid}", body, max_length=5000, required=False)
              for sid, body in _bodies(folder).items()}
    invalid.raise_if_any()
    key = folder.resolve().name
    existing = await session.scalar(select(Round.id).where(Round.external_source == SOURCE, Round.external_id == key))
    if existing is not None:
        raise Conflict(N_("This conversation was imported already, as round {ident}."), ident=existing)

    topic = summary.get("topic") or key
    round_ = await create_round(
        session, actor, slug=f"polis-{re.sub(r'[^a-z0-9]+', '-', key.lower()).strip('-')}"[:80],
        title={"en": topic}, description={"en": summary.get("conversation-description", "")},
        groups=[GroupSpec("participants", {"en": "Participants", "th": "ผู้เข้าร่วม"}, quorum=3)],
        external_source=SOURCE, external_id=key,
    )
    round_.current_phase = "deliberation"
    group = (await groups_of(session, round_.id))[0]
    draft = Draft(round_id=round_.id, created_by_id=actor.id, title=topic, language="und")
    session.add(draft)
    await session.flush()

    clause_ids = [uuid7() for _ in export.statement_ids]
    await session.execute(insert(Clause), [
        {"id": cid, "draft_id": draft.id, "round_id": round_.id, "position": i + 1,
         "text": bodies.get(int(sid), ""), "language": "und", "translations": {}, "external_id": str(sid)}
        for i, (cid, sid) in enumerate(zip(clause_ids, export.statement_ids, strict=True))
    ])
    participant_ids = [uuid7() for _ in export.participant_ids]
    await session.execute(insert(Participant), [
        {"id": pid, "display_name": f"Pol.is {xid}", "role": "participant", "locale": "en", "languages": [],
         "external_source": f"{SOURCE}:{key}", "external_id": str(xid)}
        for pid, xid in zip(participant_ids, export.participant_ids, strict=True)
    ])
    await session.execute(insert(Membership), [
        {"round_id": round_.id, "participant_id": pid, "group_id": group.id} for pid in participant_ids
    ])
    votes = export.votes
    records = [
        (uuid7(), round_.id, participant_ids[p], clause_ids[s], int(v), participant_ids[p])
        for p, s, v in zip(votes.participant.tolist(), votes.statement.tolist(), votes.value.tolist(), strict=True)
    ]
    await (await driver_connection(session)).copy_records_to_table(
        "votes", records=records,
        columns=["id", "round_id", "participant_id", "clause_id", "value", "entered_by_id"],
    )
    record(session, "round.imported", round_id=round_.id, actor_id=actor.id, subject_id=round_.id,
           source=SOURCE, conversation=key, statements=len(clause_ids), participants=len(participant_ids),
           votes=len(records))
    if (folder / "votes.csv").is_file():
        await consolidate(session, round_.id, start_from=await asyncio.to_thread(replayed_groups, folder, export))
    return round_


def replayed_groups(folder: Path, export: PolisExport) -> StoredGroups:
    """Where the conversation's history led its opinion groups, keyed by Pol.is participant id."""
    log = read_vote_log(folder, export)
    final = replay(log, update_points(log.time_ms))
    members = {str(pid): group for pid, group in zip(export.participant_ids.tolist(), final.groups.group_of.tolist(),
                                                      strict=True) if group >= 0}
    return StoredGroups(members, final.smoother)

