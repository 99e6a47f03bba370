"""DataLoaders, made per request: every list of things asks the database once, not once per thing.

Each loader batches the keys asked for in one tick of the event loop and calls one query
function from server/<domain>/queries.py, so `round → drafts → clauses → support` runs the
same few statements for 3 clauses or 300 (tests/schema/test_query_counts.py pins it).
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Awaitable, Callable, Hashable, Sequence
from functools import cached_property
from typing import TYPE_CHECKING, Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from strawberry.dataloader import DataLoader

from server.commitments import follow_up
from server.commitments import queries as commitments
from server.consolidation import details as proposal_details
from server.consolidation import queries as proposals
from server.deliberation import queries as deliberation
from server.drafts import queries as drafts
from server.drafts.models import Amendment, Clause, Draft
from server.events.models import Event
from server.needs import queries as needs
from server.needs.me_too import me_too_counts
from server.people.models import Participant
from server.reference.models import AdminArea
from server.rounds import queries as rounds
from server.webhooks import queries as webhooks
from server.webhooks.models import Webhook

if TYPE_CHECKING:
    from schema.context import Context

Fetch = Callable[[AsyncSession, Sequence[Any]], Awaitable[dict[Any, Any]]]


async def _rows(session: AsyncSession, model: type[Any], ids: Sequence[Any], key: str = "id") -> dict[Any, Any]:
    column = getattr(model, key)
    return {getattr(r, key): r for r in await session.scalars(select(model).where(column.in_(list(ids))))}


class Loaders:
    """Made lazily: a request (or a mutation, which starts afresh) builds only the loaders it uses."""

    def __init__(self, ctx: Context):
        self.ctx = ctx

    @cached_property
    def round(self) -> DataLoader[Any, Any]:
        return self._loader(rounds.rounds_by_id)

    @cached_property
    def groups_of_round(self) -> DataLoader[Any, Any]:
        return self._loader(rounds.groups_of_rounds, default=list)

    @cached_property
    def group(self) -> DataLoader[Any, Any]:
        return self._loader(rounds.groups_by_id)

    @cached_property
    def group_size(self) -> DataLoader[Any, Any]:
        return self._loader(rounds.group_sizes, default=int)

    @cached_property
    def draft(self) -> DataLoader[Any, Any]:
        return self._loader(lambda s, ids: _rows(s, Draft, ids))

    @cached_property
    def drafts_of_round(self) -> DataLoader[Any, Any]:
        return self._loader(drafts.drafts_of_rounds, default=list)

    @cached_property
    def clause(self) -> DataLoader[Any, Any]:
        return self._loader(lambda s, ids: _rows(s, Clause, ids))

    @cached_property
    def clauses_of_draft(self) -> DataLoader[Any, Any]:
        return self._loader(drafts.clauses_of_drafts, default=list)

    @cached_property
    def amendment(self) -> DataLoader[Any, Any]:
        return self._loader(lambda s, ids: _rows(s, Amendment, ids))

    @cached_property
    def amendments_of_clause(self) -> DataLoader[Any, Any]:
        return self._loader(drafts.amendments_of_clauses, default=list)

    @cached_property
    def needs_answered_by(self) -> DataLoader[Any, Any]:
        return self._loader(drafts.needs_answered_by, default=list)

    @cached_property
    def need(self) -> DataLoader[Any, Any]:
        return self._loader(needs.needs_by_id)

    @cached_property
    def endorsements(self) -> DataLoader[Any, Any]:
        return self._loader(me_too_counts, default=int)

    @cached_property
    def tally(self) -> DataLoader[Any, Any]:
        return self._loader(deliberation.tallies, default=dict)

    @cached_property
    def comment(self) -> DataLoader[Any, Any]:
        return self._loader(deliberation.comments_by_id)

    @cached_property
    def latest_proposal(self) -> DataLoader[Any, Any]:
        return self._loader(proposals.latest_of_rounds)

    @cached_property
    def published_proposal(self) -> DataLoader[Any, Any]:
        return self._loader(proposals.published_of_rounds)

    @cached_property
    def proposal_version(self) -> DataLoader[Any, Any]:
        return self._loader(proposals.versions_of)

    @cached_property
    def proposal(self) -> DataLoader[Any, Any]:
        return self._loader(proposals.proposals_by_id)

    @cached_property
    def area(self) -> DataLoader[Any, Any]:
        return self._loader(lambda s, codes: _rows(s, AdminArea, codes, "code"))

    @cached_property
    def participant(self) -> DataLoader[Any, Any]:
        return self._loader(lambda s, ids: _rows(s, Participant, ids))

    @cached_property
    def event(self) -> DataLoader[Any, Any]:
        return self._loader(lambda s, ids: _rows(s, Event, ids))

    @cached_property
    def webhook(self) -> DataLoader[Any, Any]:
        return self._loader(lambda s, ids: _rows(s, Webhook, ids))

    # id -> (delivery, its event's type, its webhook's round)
    @cached_property
    def delivery(self) -> DataLoader[Any, Any]:
        return self._loader(webhooks.deliveries_by_id)

    @cached_property
    def commitment(self) -> DataLoader[Any, Any]:
        return self._loader(commitments.commitments_by_id)

    @cached_property
    def commitments_of_round(self) -> DataLoader[Any, Any]:
        return self._loader(commitments.commitments_of_rounds, default=list)

    @cached_property
    def commitment_updates(self) -> DataLoader[Any, Any]:
        return self._loader(commitments.updates_of, default=list)

    @cached_property
    def commitment_checks(self) -> DataLoader[Any, Any]:
        return self._loader(commitments.check_counts)

    @cached_property
    def stale_after_days(self) -> DataLoader[Any, Any]:
        return self._loader(follow_up.stale_after)

    # (stored version, audience) -> the version as that audience may read it: one statement for the state
    # now of every comment and need the versions asked for refer to. Its summary only (statements and
    # clauses empty), which is all most fields need; shown_proposal_details reads every clause too
    @cached_property
    def shown_proposal(self) -> DataLoader[Any, Any]:
        return DataLoader(self._shown_proposals(proposal_details.SUMMARY))

    @cached_property
    def shown_proposal_details(self) -> DataLoader[Any, Any]:
        return DataLoader(self._shown_proposals(proposal_details.ALL))

    # stored version -> its statements' ids, kinds and statuses and its clauses' adopted texts (details.OUTLINE)
    @cached_property
    def proposal_outline(self) -> DataLoader[Any, Any]:
        async def load(rows: list[Any]) -> list[Any]:
            return await self.ctx.run(lambda session: proposal_details.results_of(
                session, rows, proposal_details.OUTLINE))

        return DataLoader(load)

    # (parent id, include hidden) -> replies
    @cached_property
    def replies(self) -> DataLoader[Any, Any]:
        return DataLoader(self._replies)

    # (target kind, target id, include hidden, page size) -> first page of top-level comments
    @cached_property
    def first_comments(self) -> DataLoader[Any, Any]:
        return DataLoader(self._first_comments)

    # (target kind, target id, include hidden) -> how many top-level comments
    @cached_property
    def comment_count(self) -> DataLoader[Any, Any]:
        return DataLoader(self._comment_counts)

    # what the viewer did: their membership per round, endorsements and votes
    @cached_property
    def membership(self) -> DataLoader[Any, Any]:
        viewer = self._viewer_id()
        return self._loader(lambda s, ids: rounds.memberships_of(s, viewer, ids))

    @cached_property
    def endorsed(self) -> DataLoader[Any, Any]:
        viewer = self._viewer_id()
        return self._loader(lambda s, ids: _endorsed(s, viewer, ids), default=bool)

    @cached_property
    def own_vote(self) -> DataLoader[Any, Any]:
        viewer = self._viewer_id()
        return self._loader(lambda s, targets: deliberation.votes_of(s, viewer, targets))

    @cached_property
    def own_check(self) -> DataLoader[Any, Any]:
        viewer = self._viewer_id()
        return self._loader(lambda s, ids: commitments.checks_by(s, viewer, ids))

    def _viewer_id(self) -> uuid.UUID:
        """The viewer's own loaders exist only when someone is signed in."""
        if self.ctx.viewer is None:
            raise AttributeError("no viewer")
        return self.ctx.viewer.id

    def _loader(self, fetch: Fetch, default: Callable[[], Any] | None = None) -> DataLoader[Any, Any]:
        async def load(keys: list[Hashable]) -> list[Any]:
            found = await self.ctx.run(lambda session: fetch(session, keys))
            return [found[k] if k in found else (default() if default else None) for k in keys]

        return DataLoader(load)

    def _shown_proposals(self, part: proposal_details.Part) -> Callable[[list[Any]], Awaitable[list[Any]]]:
        async def load(keys: list[tuple[Any, Any]]) -> list[Any]:
            return await self.ctx.run(lambda session: proposals.shown_versions(session, keys, part))

        return load

    async def _replies(self, keys: list[tuple[uuid.UUID, bool]]) -> list[list[Any]]:
        found: dict[tuple[uuid.UUID, bool], list[Any]] = {}

        async def fetch(session: AsyncSession) -> None:
            for include_hidden in {h for _, h in keys}:
                parents = [p for p, h in keys if h == include_hidden]
                replies = await deliberation.replies_of(session, parents, include_hidden=include_hidden)
                found.update({(p, include_hidden): replies.get(p, []) for p in parents})

        await self.ctx.run(fetch)
        return [found[k] for k in keys]

    async def _first_comments(self, keys: list[tuple[str, uuid.UUID, bool, int]]) -> list[Any]:
        batches: dict[tuple[str, bool, int], list[uuid.UUID]] = defaultdict(list)
        for target, target_id, include_hidden, limit in keys:
            batches[(target, include_hidden, limit)].append(target_id)
        found: dict[tuple[str, uuid.UUID, bool, int], Any] = {}

        async def fetch(session: AsyncSession) -> None:
            for (target, include_hidden, limit), ids in batches.items():
                pages = await deliberation.first_comment_pages(session, target=target, target_ids=ids,
                                                               include_hidden=include_hidden, limit=limit)
                found.update({(target, i, include_hidden, limit): pages[i] for i in ids})

        await self.ctx.run(fetch)
        return [found[k] for k in keys]

    async def _comment_counts(self, keys: list[tuple[str, uuid.UUID, bool]]) -> list[int]:
        batches: dict[tuple[str, bool], list[uuid.UUID]] = defaultdict(list)
        for target, target_id, include_hidden in keys:
            batches[(target, include_hidden)].append(target_id)
        found: dict[tuple[str, uuid.UUID, bool], int] = {}

        async def fetch(session: AsyncSession) -> None:
            for (target, include_hidden), ids in batches.items():
                counts = await deliberation.comment_counts(session, target=target, target_ids=ids,
                                                           include_hidden=include_hidden)
                found.update({(target, i, include_hidden): counts.get(i, 0) for i in ids})

        await self.ctx.run(fetch)
        return [found[k] for k in keys]


async def _endorsed(session: AsyncSession, participant_id: uuid.UUID, need_ids: Sequence[uuid.UUID]
                    ) -> dict[uuid.UUID, bool]:
    return dict.fromkeys(await needs.endorsed_by(session, participant_id, need_ids), True)
