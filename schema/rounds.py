"""Rounds: their phases, stakeholder groups and rules, and what hangs off a round."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import TYPE_CHECKING, Annotated

import strawberry
from strawberry import relay

from schema import ids
from schema.common import LocalizedText, localized, row_field, texts_out
from schema.context import Info
from schema.pagination import connection, page
from schema.permissions import audience, facilitates, reader, role
from server.consolidation import rules as proposal_rules
from server.disclosure import SMALL_GROUP
from server.rounds import phases as phase_rules
from server.rounds import queries
from server.rounds.models import Round, StakeholderGroup

if TYPE_CHECKING:
    from schema.commitments import CommitmentNode
    from schema.drafts import DraftNode
    from schema.events import EventConnection
    from schema.integrations import WebhookNode
    from schema.needs import NeedConnection, NeedFilterInput, NeedOrder
    from schema.open_data import OpenData
    from schema.people import ParticipantNode
    from schema.proposals import ConsolidatedProposalNode, ProposalConnection

LazyDraftNode = Annotated["DraftNode", strawberry.lazy("schema.drafts")]
LazyCommitmentNode = Annotated["CommitmentNode", strawberry.lazy("schema.commitments")]
LazyNeedConnection = Annotated["NeedConnection", strawberry.lazy("schema.needs")]
LazyNeedFilterInput = Annotated["NeedFilterInput", strawberry.lazy("schema.needs")]
LazyNeedOrder = Annotated["NeedOrder", strawberry.lazy("schema.needs")]
LazyProposalNode = Annotated["ConsolidatedProposalNode", strawberry.lazy("schema.proposals")]
LazyProposalConnection = Annotated["ProposalConnection", strawberry.lazy("schema.proposals")]
LazyEventConnection = Annotated["EventConnection", strawberry.lazy("schema.events")]
LazyParticipantNode = Annotated["ParticipantNode", strawberry.lazy("schema.people")]
LazyWebhookNode = Annotated["WebhookNode", strawberry.lazy("schema.integrations")]
LazyOpenData = Annotated["OpenData", strawberry.lazy("schema.open_data")]


@strawberry.type(description="An action a phase opens, and to which roles.")
class PhaseOpening:
    action: str
    name: str = strawberry.field(description="What the action is called, in the caller's language.")
    roles: list[str]


@strawberry.type(description="One phase of a round: what it opens to whom, and (if scheduled) when.")
class Phase:
    key: str
    name: str = strawberry.field(description="The phase's name in the caller's language.")
    names: list[LocalizedText] = strawberry.field(description="Names the facilitators gave it, per language.")
    opens: list[PhaseOpening]
    starts_at: datetime | None
    ends_at: datetime | None
    is_current: bool


def phase_of(data: phase_rules.Phase, current: str, locale: str) -> Phase:
    from server.i18n import translate

    return Phase(
        key=data.key, name=data.title(locale), names=texts_out(dict(data.names)),
        opens=[PhaseOpening(action=a, name=translate(phase_rules.ACTIONS.get(a, a), locale), roles=sorted(r))
               for a, r in sorted(data.opens.items())],
        starts_at=data.starts_at, ends_at=data.ends_at, is_current=data.key == current)


@strawberry.type(name="StakeholderGroup", description="A declared group of a round (a community, government, CSOs...).")
class StakeholderGroupNode(relay.Node):
    row: strawberry.Private[StakeholderGroup]

    @classmethod
    def resolve_id(cls, root: StakeholderGroupNode, *, info: Info) -> str:
        return str(root.row.id)

    key: str = row_field("key")

    @strawberry.field(description="The group's name in the caller's language.")
    def name(self, info: Info) -> str:
        return localized(self.row.name, info.context.locale)

    @strawberry.field
    def names(self) -> list[LocalizedText]:
        return texts_out(self.row.name)

    quorum: int = row_field("quorum", description="How many of its members must have voted on a clause before it counts as heard.")


@strawberry.type(description="How the round decides: the support each group must give, and each group's quorum.")
class RoundRules:
    threshold: float = strawberry.field(description="Support (p = (agree + 1) / (seen + 2)) every group must reach.")
    fewer_than: int = strawberry.field(description="Per-group figures resting on fewer people read as null to "
                                                   "everyone but the round's facilitators.")
    groups: list[StakeholderGroupNode]


@strawberry.type(description="A member of a round, as its facilitators see them.")
class RoundMember:
    participant: LazyParticipantNode
    group: StakeholderGroupNode | None
    facilitates: bool


@strawberry.type(name="RoundMemberConnection")
# strawberry bounds a connection's type parameter to Node, but pages any type: a member has no id of its own
class RoundMemberConnection(relay.Connection[RoundMember]):  # type: ignore[type-var]
    pass


@strawberry.type(name="Round", description="A round of co-design: needs, drafts, deliberation, consolidation.")
class RoundNode(relay.Node):
    row: strawberry.Private[Round]

    @classmethod
    def resolve_id(cls, root: RoundNode, *, info: Info) -> str:
        return str(root.row.id)

    slug: str = row_field("slug")

    @strawberry.field(description="The title in the caller's language (Thai, English, or what there is).")
    def title(self, info: Info) -> str:
        return localized(self.row.title, info.context.locale)

    @strawberry.field
    def titles(self) -> list[LocalizedText]:
        return texts_out(self.row.title)

    @strawberry.field
    def description(self, info: Info) -> str:
        return localized(self.row.description or {}, info.context.locale)

    @strawberry.field
    def area_codes(self) -> list[str]:
        return list(self.row.area_codes)

    created_at: datetime = row_field("created_at")

    @strawberry.field
    def current_phase(self, info: Info) -> Phase:
        return next(p for p in self._phases(info) if p.is_current)

    @strawberry.field
    def phases(self, info: Info) -> list[Phase]:
        return self._phases(info)

    @strawberry.field
    async def groups(self, info: Info) -> list[StakeholderGroupNode]:
        return await self._groups(info)

    @strawberry.field
    async def rules(self, info: Info) -> RoundRules:
        return RoundRules(threshold=self.row.threshold, fewer_than=SMALL_GROUP, groups=await self._groups(info))

    # shared by several fields: a method under @strawberry.field is typed as the field, not as callable
    def _phases(self, info: Info) -> list[Phase]:
        return [phase_of(p, self.row.current_phase, info.context.locale) for p in phase_rules.load(self.row.phases)]

    async def _groups(self, info: Info) -> list[StakeholderGroupNode]:
        return [StakeholderGroupNode(row=g) for g in await info.context.loaders.groups_of_round.load(self.row.id)]

    @strawberry.field(description="Your role in this round: admin, facilitator, participant, or null.")
    async def viewer_role(self, info: Info) -> str | None:
        return await role(info, self.row.id)

    @strawberry.field
    async def drafts(self, info: Info) -> list[LazyDraftNode]:
        from schema.drafts import DraftNode as Draft

        return [Draft(row=d) for d in await info.context.loaders.drafts_of_round.load(self.row.id)]

    @strawberry.field(description="The round's needs; `filter.roundId` is ignored here.")
    async def needs(self, info: Info, filter: LazyNeedFilterInput | None = None, order_by: LazyNeedOrder | None = None,
                    first: int | None = None, after: str | None = None, last: int | None = None,
                    before: str | None = None) -> LazyNeedConnection:
        from schema.needs import find_needs

        return await find_needs(info, filter, order_by, first, after, last, before, round_id=self.row.id)

    @strawberry.field(description="Members and their groups: for the round's facilitators only (null otherwise).")
    async def members(self, info: Info, first: int | None = None, after: str | None = None,
                      last: int | None = None, before: str | None = None) -> RoundMemberConnection | None:
        if not await facilitates(info, self.row.id):
            return None
        from schema.people import ParticipantNode as Participant

        asked = page("members", first, after, last, before)
        rows, more = await info.context.run(lambda session: queries.members_page(session, self.row.id, asked.window))
        groups = {g.id: g for g in await info.context.loaders.groups_of_round.load(self.row.id)}
        return connection(RoundMemberConnection, rows, more, page=asked, order=queries.MEMBER_ORDER,
                          key_of=lambda row: row[0],
                          node=lambda row: RoundMember(
                              participant=Participant(row=row[1]), facilitates=row[0].facilitates,
                              group=StakeholderGroupNode(row=groups[row[0].group_id]) if row[0].group_id else None))

    @strawberry.field(description="The newest consolidated proposal you may read: for the round's facilitators the "
                                  "newest version, for everyone else the newest published one.")
    async def latest_proposal(self, info: Info) -> LazyProposalNode | None:
        from schema.proposals import ConsolidatedProposalNode as Proposal

        loaders = info.context.loaders
        newest = loaders.latest_proposal if proposal_rules.sees_working_copies(await audience(info, self.row.id)) \
            else loaders.published_proposal
        found = await newest.load(self.row.id)
        return Proposal(row=found) if found else None

    @strawberry.field(description="The version its facilitators published, if any.")
    async def published_proposal(self, info: Info) -> LazyProposalNode | None:
        from schema.proposals import ConsolidatedProposalNode as Proposal

        found = await info.context.loaders.published_proposal.load(self.row.id)
        return Proposal(row=found) if found else None

    @strawberry.field(description="One version, if you may read it (published ones, except for the round's "
                                  "facilitators).")
    async def proposal(self, info: Info, version: int) -> LazyProposalNode | None:
        from schema.proposals import ConsolidatedProposalNode as Proposal

        found = await info.context.loaders.proposal_version.load((self.row.id, version))
        return Proposal(row=found) if found and proposal_rules.visible(found, await audience(info, self.row.id)) else None

    @strawberry.field(description="Every version you may read, newest first (published ones, except for the round's "
                                  "facilitators).")
    async def proposals(self, info: Info, first: int | None = None, after: str | None = None,
                        last: int | None = None, before: str | None = None) -> LazyProposalConnection:
        from schema.proposals import proposal_versions

        return await proposal_versions(info, self.row.id, first, after, last, before)

    @strawberry.field(description="What agencies took on for the published proposal's clauses, oldest first. "
                                  "`flagged: true` keeps only those that need chasing now (see Commitment.flags), "
                                  "`false` only the others.")
    async def commitments(self, info: Info, flagged: bool | None = None) -> list[LazyCommitmentNode]:
        from schema.commitments import CommitmentNode as Commitment
        from schema.commitments import flags_now

        found = await info.context.loaders.commitments_of_round.load(self.row.id)
        if flagged is not None:
            found = [c for c in found if bool(await flags_now(info, c)) == flagged]
        return [Commitment(row=c) for c in found]

    @strawberry.field(description="Its open data: the licence, and where to download each file (once a proposal is "
                                  "published).")
    async def open_data(self, info: Info) -> LazyOpenData:
        from schema.open_data import open_data_of

        return await open_data_of(info, self.row)

    @strawberry.field(description="Where the round's events are posted: for its facilitators only (null otherwise).")
    async def webhooks(self, info: Info) -> list[LazyWebhookNode] | None:
        from schema.integrations import webhooks_of

        return await webhooks_of(info, self.row.id)

    @strawberry.field(description="The round's event log, oldest first: page with `after` to replay it, or with "
                                  "`last` and `before` back from the newest.")
    async def events(self, info: Info, types: list[str] | None = None, first: int | None = None,
                     after: str | None = None, last: int | None = None,
                     before: str | None = None) -> LazyEventConnection:
        from schema.events import event_log

        return await event_log(info, self.row.id, types, first, after, last, before)


@strawberry.type(name="RoundConnection")
class RoundConnection(relay.Connection[RoundNode]):
    pass


@strawberry.type
class RoundQueries:
    @strawberry.field(description="A round by its id or its slug.")
    async def round(self, info: Info, id: strawberry.ID | None = None, slug: str | None = None) -> RoundNode | None:
        reader(info)
        if id is not None:
            parsed = ids.split(id)  # like node(id): no such round, no round
            found = await info.context.loaders.round.load(parsed[1]) if parsed and parsed[0] == "Round" else None
        elif slug is not None:
            found = await info.context.run(lambda session: queries.round_by_slug(session, slug))
        else:
            return None
        return RoundNode(row=found) if found else None

    @strawberry.field(description="Every round, oldest first.")
    async def rounds(self, info: Info, first: int | None = None, after: str | None = None,
                     last: int | None = None, before: str | None = None) -> RoundConnection:
        reader(info)
        asked = page("rounds", first, after, last, before)
        rows, more = await info.context.run(lambda session: queries.rounds_page(session, asked.window))
        return connection(RoundConnection, rows, more, page=asked, order=queries.ROUND_ORDER,
                          node=lambda r: RoundNode(row=r))


def round_id_of(value: str) -> uuid.UUID:
    return ids.decode(value, "Round")
