"""Consolidating a round: read its inputs, compute the proposal, store it as a new version.

Never two at once for one round (an advisory lock held for the transaction), and
idempotent: when the inputs hash matches the latest version nothing new is stored, so a job
that runs twice, or a recompute with nothing new, leaves one version.

A version is its summary (`result`, read by every page and the API) and, in the same transaction, one
row per clustered person for their opinion group (ProposalMembership), so that reading the summary costs
the same whatever the round's size.
"""

from __future__ import annotations

import asyncio
import uuid
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select, text
from sqlalchemy.ext.asyncio import AsyncSession

from server.consolidation import details, memberships
from server.consolidation.compute import ALGORITHM_VERSION, PARAMETERS, compute, participant_keys
from server.consolidation.history import KSmoother, StoredGroups
from server.consolidation.inputs import load_inputs
from server.consolidation.models import ConsolidatedProposal
from server.consolidation.vote_cache import VoteCache
from server.errors import Conflict, NotFound
from server.events.service import record
from server.i18n import N_
from server.people.models import Participant
from server.rounds import phases
from server.rounds.access import require_facilitator, standing
from server.rounds.models import Round

# Events after which a round's proposal may change, and so a recompute is due.
VOTING_STILL_OPEN = N_("Voting is still open, so this version may soon be out of date. Tick the box to publish it "
                       "anyway, or move the round on from voting first.")
INPUT_EVENTS = frozenset({
    "vote.cast", "comment.posted", "comment.moderated", "amendment.proposed", "need.submitted",
    "clause.added", "membership.set", "round.imported", "draft.created",
    "clause.edited", "clause.revised", "clause.moved", "clause.withdrawn", "clause.needs_linked",
    "clause.needs_unlinked",
    # a group's quorum or a new member changes who is heard, with no vote cast
    "round.groups_edited", "membership.joined",
})


async def latest(session: AsyncSession, round_id: uuid.UUID) -> ConsolidatedProposal | None:
    return await session.scalar(select(ConsolidatedProposal).where(ConsolidatedProposal.round_id == round_id)
                                .order_by(ConsolidatedProposal.version.desc()).limit(1))


def lock_key(round_id: uuid.UUID) -> str:
    """The advisory lock that keeps two recomputes of one round from running at once."""
    return f"consolidate:{round_id}"


async def consolidate(session: AsyncSession, round_id: uuid.UUID, *, start_from: StoredGroups | None = None,
                      cache: VoteCache | None = None) -> ConsolidatedProposal:
    """``start_from``: groups to start from when the round has no version yet (an import's replayed history).
    ``cache``: a worker's copy of the round's votes, so that only what changed since is read (vote_cache.py)."""
    if await session.get(Round, round_id) is None:
        raise NotFound("round", round_id)
    await session.execute(text("SELECT pg_advisory_xact_lock(hashtextextended(:key, 0))"),
                          {"key": lock_key(round_id)})
    inputs = await load_inputs(session, round_id, cache)
    digest = inputs.digest()
    previous = await latest(session, round_id)
    if previous is not None and previous.inputs_hash == digest and previous.algorithm_version == ALGORITHM_VERSION:
        return previous
    prior = None
    if previous is not None:  # the groups start from the previous version's (history.py)
        smoother = KSmoother.from_json(previous.result.get("k_smoother"))
        prior = await memberships.prior(session, previous, inputs.participant_ids, inputs.statement_ids, smoother)
        if prior is None:  # stored before its groups had a table of their own
            start_from = StoredGroups(await memberships.of_version(session, previous), smoother)
    if prior is None and start_from is not None:
        prior = start_from.prior(participant_keys(inputs))
    # numpy releases the GIL for most of this; a thread keeps the event loop answering meanwhile
    computed = await asyncio.to_thread(compute, inputs, prior)
    result = computed.result
    # what changed needs only the previous version's statuses and adopted texts, not its figures
    before = await details.result_of(session, previous, details.OUTLINE) if previous is not None else None
    proposal = ConsolidatedProposal(
        round_id=round_id, version=(previous.version + 1) if previous else 1,
        algorithm_version=ALGORITHM_VERSION, parameters=PARAMETERS, inputs_hash=digest,
        last_event_id=inputs.last_event_id, input_counts=inputs.counts(), result=details.summary_of(result),
        changes=differences(before, result),
    )
    session.add(proposal)
    await session.flush()
    await memberships.store(session, proposal.id, inputs.participant_ids, computed.opinion_group_of,
                            computed.base_of, inputs.statement_ids, computed.axes)
    await details.store(session, proposal.id, result)
    record(session, "proposal.consolidated", round_id=round_id, actor_id=None, subject_id=proposal.id,
           version=proposal.version, inputs_hash=digest)
    return proposal


def differences(before: dict[str, Any] | None, after: dict[str, Any]) -> dict[str, Any]:
    """What changed since the previous version, statement by statement."""
    if before is None:
        return {"first_version": True}
    old = {s["id"]: s for s in before.get("statements", [])}
    new = {s["id"]: s for s in after["statements"]}
    adopted_before = {c["clause_id"]: c["adopted"] for c in before.get("clauses", [])}
    return {
        "added": sorted(set(new) - set(old)),
        "removed": sorted(set(old) - set(new)),
        "status_changed": [{"statement": i, "from": old[i]["status"], "to": new[i]["status"]}
                           for i in sorted(set(old) & set(new)) if old[i]["status"] != new[i]["status"]],
        "adopted_changed": [c["clause_id"] for c in after["clauses"]
                            if adopted_before.get(c["clause_id"], c["adopted"]) != c["adopted"]],
        "consensus_before": before.get("consensus", []),
        "opinion_groups_before": before.get("opinion_group_count"),
    }


async def publish(session: AsyncSession, actor: Participant, round_id: uuid.UUID, version: int, *,
                  while_voting: bool = False) -> ConsolidatedProposal:
    """A facilitator makes one version the round's published proposal. While people can still vote, the
    version may soon be out of date: publishing then needs `while_voting`, a choice made knowingly."""
    mine = await standing(session, round_id, actor)
    require_facilitator(mine)
    if not while_voting and phases.votes_now(mine.phase(), datetime.now(UTC)):
        raise Conflict(VOTING_STILL_OPEN)
    proposal = await session.scalar(select(ConsolidatedProposal).where(
        ConsolidatedProposal.round_id == round_id, ConsolidatedProposal.version == version))
    if proposal is None:
        raise NotFound("proposal", f"{round_id} v{version}")
    if proposal.published_at is None:
        proposal.published_at = datetime.now(UTC)
        await session.flush()
        record(session, "proposal.published", round_id=round_id, actor_id=actor.id, subject_id=proposal.id,
               version=version)
    return proposal


async def published(session: AsyncSession, round_id: uuid.UUID) -> ConsolidatedProposal | None:
    return await session.scalar(
        select(ConsolidatedProposal)
        .where(ConsolidatedProposal.round_id == round_id, ConsolidatedProposal.published_at.is_not(None))
        .order_by(ConsolidatedProposal.version.desc()).limit(1))
