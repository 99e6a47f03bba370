"""`node(id)`: any object by its global id, if the caller may see it (null otherwise)."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Awaitable, Callable
from typing import Annotated, Any

import strawberry
from strawberry import relay

from schema import ids
from schema.context import Info
from schema.permissions import FACILITATE, audience, facilitates, is_admin, may, reader
from server.consolidation import rules as proposal_rules
from server.deliberation import comment_rules
from server.errors import Invalid
from server.i18n import N_
from server.needs import rules as need_rules
from server.pagination import MAX_PAGE
from server.people import queries as people

Resolver = Callable[[Info, uuid.UUID], Awaitable[Any]]


async def _loaded(info: Info, loader: str, ident: uuid.UUID) -> Any:
    return await getattr(info.context.loaders, loader).load(ident)


async def _round(info: Info, ident: uuid.UUID) -> Any:
    from schema.rounds import RoundNode

    row = await _loaded(info, "round", ident)
    return row and RoundNode(row=row)


async def _group(info: Info, ident: uuid.UUID) -> Any:
    from schema.rounds import StakeholderGroupNode

    row = await _loaded(info, "group", ident)
    return row and StakeholderGroupNode(row=row)


async def _need(info: Info, ident: uuid.UUID) -> Any:
    from schema.needs import NeedNode, reads_needs_of

    row = await _loaded(info, "need", ident)
    if row is None or not need_rules.visible(row, await audience(info, row.round_id)):
        return None
    return NeedNode(row=row) if await reads_needs_of(info, row.round_id) else None


async def _draft_part(info: Info, ident: uuid.UUID, loader: str, type_name: str) -> Any:
    from schema import drafts

    row = await _loaded(info, loader, ident)
    return row and getattr(drafts, type_name)(row=row)


async def _comment(info: Info, ident: uuid.UUID) -> Any:
    from schema.deliberation import CommentNode
    from schema.needs import reads_needs_of

    row = await _loaded(info, "comment", ident)
    parent = await _loaded(info, "comment", row.parent_id) if row is not None and row.parent_id else None
    if row is None or not comment_rules.reply_visible(row, parent, await audience(info, row.round_id)):
        return None
    if row.need_id is not None and not await reads_needs_of(info, row.round_id):
        return None  # the talk on a need stays with those who may read the round's needs
    return CommentNode(row=row)


async def _proposal(info: Info, ident: uuid.UUID) -> Any:
    from schema.proposals import ConsolidatedProposalNode

    row = await _loaded(info, "proposal", ident)
    if row is None or not proposal_rules.visible(row, await audience(info, row.round_id)):
        return None
    return ConsolidatedProposalNode(row=row)


async def _event(info: Info, ident: uuid.UUID) -> Any:
    from schema.events import EventNode

    row = await _loaded(info, "event", ident)
    if row is None or (row.round_id is None and not is_admin(info)):
        return None
    return EventNode(row=row)


async def _commitment(info: Info, ident: uuid.UUID) -> Any:
    from schema.commitments import CommitmentNode

    row = await _loaded(info, "commitment", ident)
    return row and CommitmentNode(row=row)


async def _webhook(info: Info, ident: uuid.UUID) -> Any:
    """For the round's facilitators only, like `round { webhooks }`."""
    from schema.integrations import WebhookNode

    row = await _loaded(info, "webhook", ident)
    if row is None or not await facilitates(info, row.round_id):
        return None
    return WebhookNode(row=row)


async def _delivery(info: Info, ident: uuid.UUID) -> Any:
    from schema.integrations import WebhookDeliveryNode

    found = await _loaded(info, "delivery", ident)
    if found is None or not await facilitates(info, found[2]):
        return None
    return WebhookDeliveryNode(row=found[0], kind=found[1])


async def _participant(info: Info, ident: uuid.UUID) -> Any:
    """Yourself; with a token that may facilitate, the people you may see (server/people/rules.py may_see)."""
    from schema.people import ParticipantNode

    viewer = info.context.viewer
    if viewer is None or (ident != viewer.id and not may(info, FACILITATE)):
        return None
    row = await _loaded(info, "participant", ident)
    if row is None:
        return None
    seen = await info.context.run(lambda session: people.may_see(session, viewer, row))
    return ParticipantNode(row=row) if seen else None


RESOLVERS: dict[str, Resolver] = {
    "Round": _round,
    "StakeholderGroup": _group,
    "Need": _need,
    "Draft": lambda info, i: _draft_part(info, i, "draft", "DraftNode"),
    "Clause": lambda info, i: _draft_part(info, i, "clause", "ClauseNode"),
    "Amendment": lambda info, i: _draft_part(info, i, "amendment", "AmendmentNode"),
    "Comment": _comment,
    "ConsolidatedProposal": _proposal,
    "Event": _event,
    "Participant": _participant,
    "Commitment": _commitment,
    "Webhook": _webhook,
    "WebhookDelivery": _delivery,
}


async def resolve_node(info: Info, value: str) -> Any:
    parsed = ids.split(value)
    if parsed is None or parsed[0] not in RESOLVERS:
        return None
    return await RESOLVERS[parsed[0]](info, parsed[1])


@strawberry.type
class NodeQueries:
    @strawberry.field(description="Any object by its global id; null if there is none or you may not see it.")
    async def node(self, info: Info, id: strawberry.ID) -> relay.Node | None:
        reader(info)
        return await resolve_node(info, id)

    @strawberry.field(description="Many objects by their global ids, in the same order (null where none).")
    async def nodes(self, info: Info, ids_: Annotated[list[strawberry.ID], strawberry.argument(name="ids")]
                    ) -> list[relay.Node | None]:
        if len(ids_) > MAX_PAGE:
            invalid = Invalid()
            invalid.add("ids", N_("Ask for at most {limit} at once."), limit=MAX_PAGE)
            invalid.raise_if_any()
        reader(info)
        # concurrently, so that the loaders batch them: one statement per type, not one per id
        return list(await asyncio.gather(*(resolve_node(info, i) for i in ids_)))
