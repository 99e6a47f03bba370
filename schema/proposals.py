"""Consolidated proposals: any version of a round's output, what changed between versions, and a
mutation that consolidates a round now (the workers also do it as votes arrive).

Every field reads the version as the caller may see it (server/consolidation/rules.py): published
versions only, small groups' figures and everything derived from them left out, and comments and needs
hidden since it was computed taken out, for everyone but the round's facilitators."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated, Any

import strawberry
from strawberry import relay
from strawberry.scalars import JSON

from schema import ids
from schema.common import row_field
from schema.context import Info
from schema.errors import ExpectedError, perform
from schema.pagination import connection, page
from schema.permissions import FACILITATE, audience, reader
from schema.rounds import RoundNode
from server.consolidation import queries, rules
from server.consolidation.bridging import FLOOR as BRIDGING_FLOOR
from server.consolidation.models import ConsolidatedProposal
from server.consolidation.service import differences
from server.disclosure import SMALL_GROUP, Audience
from server.rounds.access import require_facilitator, standing

KINDS = {"clause": "Clause", "amendment": "Amendment"}


@strawberry.type(description="Support for a statement within one declared group, as consolidated.")
class StatementGroupSupport:
    group_key: str
    agree: int | None
    disagree: int | None
    seen: int | None
    support: float | None = strawberry.field(description="p = (agree + 1) / (seen + 2)")
    low: float | None = strawberry.field(description="Lower end of the 95% interval for the agree rate.")
    high: float | None
    fewer_than_three: bool


@strawberry.type(description=(
    "How well a text is agreed across groups (bridging): the geometric mean over the groups of each group's "
    "(agree + 1) / (seen + 2), from 0 to 1. High only when every group agrees, whatever its size; beside "
    "groupInformedConsensus, which multiplies the same figures over the opinion groups."))
class BridgingScore:
    score: float | None = strawberry.field(description=(
        f"Null while some group has fewer than {BRIDGING_FLOOR} votes on it (named in groupsLackingVotes), with fewer than two "
        "groups, or, across declared groups and outside the round's facilitators, while a group's figures on "
        "it read null."))
    groups_lacking_votes: list[str] = strawberry.field(description=(
        "Groups with too few votes for a score: declared group keys (outside the round's facilitators, only "
        "groups whose figures are shown), or opinion group numbers (from 0, as in representative)."))


def bridging_fields(stored: dict[str, Any] | None) -> dict[str, BridgingScore]:
    """The bridging fields of a statement or clause, from its bridging as shown (rules.py)."""
    shown = stored or {}
    declared, opinion = shown.get("declared") or {}, shown.get("opinion") or {}
    return {"bridging": BridgingScore(score=declared.get("score"),
                                      groups_lacking_votes=list(declared.get("lacking", []))),
            "bridging_opinion_groups": BridgingScore(score=opinion.get("score"),
                                                     groups_lacking_votes=[str(g) for g in opinion.get("lacking", [])])}


@strawberry.type(description="A clause or amendment as consolidation saw it.")
class ProposalStatement:
    id: relay.GlobalID
    kind: str
    clause_id: relay.GlobalID
    status: str = strawberry.field(description=(
        "consensus, contested or under_heard. Outside the round's facilitators, under_heard while a group's "
        "figures read null: a group counts as heard once its voice can be shown."))
    group_informed_consensus: float
    bridging: BridgingScore = strawberry.field(description="Agreed across the declared groups.")
    bridging_opinion_groups: BridgingScore = strawberry.field(description="Agreed across the opinion groups.")
    groups: list[StatementGroupSupport]
    groups_lacking_quorum: list[str] = strawberry.field(description=(
        "Outside the round's facilitators, only groups whose figures are shown."))
    groups_below_threshold: list[str] = strawberry.field(description=(
        "Outside the round's facilitators, only groups whose figures are shown."))


@strawberry.type(description="A clause of the proposal, with the text that stands for it.")
class ProposalClause:
    clause_id: relay.GlobalID
    adopted_id: relay.GlobalID = strawberry.field(description="The clause itself or the amendment replacing it.")
    amended: bool
    text: str
    status: str
    bridging: BridgingScore = strawberry.field(description="Its adopted text agreed across the declared groups.")
    bridging_opinion_groups: BridgingScore = strawberry.field(description=(
        "Its adopted text agreed across the opinion groups."))
    groups_to_ask: list[str] = strawberry.field(description=(
        "Groups that must still be heard. Outside the round's facilitators, a group whose figures read null "
        "(fewerThanThree) is not named here."))
    answers: list[relay.GlobalID] = strawberry.field(description="The needs it answers (open ones, outside the round's "
                                                                 "facilitators).")
    voices: JSON = strawberry.field(description="Representative comments for and against, similar ones grouped; a "
                                                "comment hidden since is left out.")


@strawberry.type
class ProposalGroup:
    key: str
    quorum: int
    participants: int | None
    fewer_than_three: bool


@strawberry.type
class StatusChange:
    statement: relay.GlobalID
    before: str
    after: str


@strawberry.type(description=(
    "Two numbers of opinion groups fit the votes almost equally well (silhouettes within the tie gap): the "
    "groups shown and the runner-up, so that the number of groups reads as the close call it is."))
class KTie:
    k: int = strawberry.field(description="Opinion groups in this version.")
    sizes: list[int] = strawberry.field(description="People in each of them.")
    silhouette: float
    runner_up_k: int = strawberry.field(description="The number of groups that came second.")
    runner_up_sizes: list[int] = strawberry.field(description="People in each of the runner-up's groups.")
    runner_up_silhouette: float
    gap: float = strawberry.field(description="Silhouette of the groups shown minus the runner-up's.")


@strawberry.type(description="What changed from one version to another.")
class ProposalChanges:
    first_version: bool
    added: list[relay.GlobalID]
    removed: list[relay.GlobalID]
    status_changed: list[StatusChange]
    adopted_changed: list[relay.GlobalID] = strawberry.field(description="Clauses whose adopted text changed.")


@strawberry.type
class UnansweredNeeds:
    group_key: str
    needs: list[relay.GlobalID]


def _statement_id(kinds: dict[str, str], ident: str) -> relay.GlobalID:
    return ids.global_id(KINDS.get(kinds.get(ident, "clause"), "Clause"), uuid.UUID(ident))


async def _kinds(info: Info, *rows: ConsolidatedProposal | None) -> dict[str, str]:
    """Whether each statement of these versions is a clause or an amendment (their outlines: no figures)."""
    outlines = await info.context.loaders.proposal_outline.load_many([r for r in rows if r is not None])
    return {s["id"]: s["kind"] for outline in outlines for s in outline.get("statements", [])}


def changes_of(data: dict[str, Any], kinds: dict[str, str]) -> ProposalChanges:
    if data.get("first_version"):
        return ProposalChanges(first_version=True, added=[], removed=[], status_changed=[], adopted_changed=[])
    return ProposalChanges(
        first_version=False,
        added=[_statement_id(kinds, i) for i in data.get("added", [])],
        removed=[_statement_id(kinds, i) for i in data.get("removed", [])],
        status_changed=[StatusChange(statement=_statement_id(kinds, c["statement"]), before=c["from"], after=c["to"])
                        for c in data.get("status_changed", [])],
        adopted_changed=[ids.global_id("Clause", uuid.UUID(i)) for i in data.get("adopted_changed", [])])


@strawberry.type(name="ConsolidatedProposal", description="One version of a round's consolidated proposal.")
class ConsolidatedProposalNode(relay.Node):
    row: strawberry.Private[ConsolidatedProposal]

    @classmethod
    def resolve_id(cls, root: ConsolidatedProposalNode, *, info: Info) -> str:
        return str(root.row.id)

    @strawberry.field
    async def round(self, info: Info) -> RoundNode:
        return RoundNode(row=await info.context.loaders.round.load(self.row.round_id))

    version: int = row_field("version")

    algorithm_version: str = row_field("algorithm_version")

    parameters: JSON = row_field("parameters")

    inputs_hash: str = row_field("inputs_hash", description="sha256 of the inputs: the same inputs always give the same proposal.")

    @strawberry.field(description=(
        "Counts of votes, comments, needs... it was computed from. Outside the round's facilitators, participants "
        "and votes are null unless every group's figures are shown: subtracting the groups shown would give the "
        "others."))
    async def input_counts(self, info: Info) -> JSON:
        return JSON((await self._shown(info)).input_counts)

    @strawberry.field(description="The last event it includes.")
    def last_event_id(self) -> relay.GlobalID | None:
        return ids.global_id("Event", self.row.last_event_id) if self.row.last_event_id else None

    created_at: datetime = row_field("created_at")

    published_at: datetime | None = row_field("published_at")

    @strawberry.field
    def threshold(self) -> float:
        return self.row.result.get("threshold", 0.0)

    @strawberry.field
    async def groups(self, info: Info) -> list[ProposalGroup]:
        return [ProposalGroup(key=g["key"], quorum=g["quorum"], participants=g["participants"],
                              fewer_than_three=g["small"]) for g in (await self._result(info)).get("groups", [])]

    @strawberry.field
    def opinion_group_count(self) -> int:
        return self.row.result.get("opinion_group_count", 0)

    @strawberry.field(description="When another number of opinion groups scored within the tie gap: both "
                                  "groupings. Null when the number of groups is a clear choice.")
    def k_tie(self) -> KTie | None:
        tie = self.row.result.get("k_tie")
        return KTie(**tie) if tie else None

    @strawberry.field(description="Statements representative of each opinion group (as in Pol.is).")
    def representative(self) -> JSON:
        return self.row.result.get("representative", [])

    @strawberry.field(description="References of statements every opinion group agrees with.")
    def consensus(self) -> list[str]:
        return list(self.row.result.get("consensus", []))

    @strawberry.field(description="Groups lacking quorum on some statement (outside the round's facilitators, as far "
                                  "as the figures shown say).")
    async def under_heard_groups(self, info: Info) -> list[str]:
        return list((await self._result(info)).get("under_heard_groups", []))

    @strawberry.field
    async def clauses(self, info: Info) -> list[ProposalClause]:
        return [ProposalClause(
            clause_id=ids.global_id("Clause", uuid.UUID(c["clause_id"])),
            adopted_id=ids.global_id("Amendment" if c["amended"] else "Clause", uuid.UUID(c["adopted"])),
            amended=c["amended"], text=c["text"], status=c["status"], groups_to_ask=c["groups_to_ask"],
            answers=[ids.global_id("Need", uuid.UUID(n)) for n in c["answers"]], voices=c["voices"],
            **bridging_fields(c.get("bridging")),
        ) for c in (await self._result(info, with_details=True)).get("clauses", [])]

    @strawberry.field
    async def statements(self, info: Info) -> list[ProposalStatement]:
        def support(key: str, g: dict[str, Any]) -> StatementGroupSupport:
            return StatementGroupSupport(group_key=key, fewer_than_three=g["small"], agree=g["agree"],
                                         disagree=g["disagree"], seen=g["seen"], support=g["p"], low=g["low"],
                                         high=g["high"])

        return [ProposalStatement(
            id=ids.global_id(KINDS[s["kind"]], uuid.UUID(s["id"])), kind=s["kind"],
            clause_id=ids.global_id("Clause", uuid.UUID(s["clause_id"])), status=s["status"],
            group_informed_consensus=s["gic"], groups=[support(k, g) for k, g in s["groups"].items()],
            groups_lacking_quorum=s["groups_lacking_quorum"], groups_below_threshold=s["groups_below_threshold"],
            **bridging_fields(s.get("bridging")),
        ) for s in (await self._result(info, with_details=True)).get("statements", [])]

    @strawberry.field(description=(
        "Needs no clause answers yet, per group. Outside the round's facilitators, open needs only, and those "
        f"from a group of fewer than {SMALL_GROUP} people under groupKey \"\" with the needs that have no group."))
    async def unanswered_needs(self, info: Info) -> list[UnansweredNeeds]:
        unanswered = (await self._result(info)).get("needs", {}).get("unanswered_by_group", {})
        return [UnansweredNeeds(group_key=k, needs=[ids.global_id("Need", uuid.UUID(n["need_id"])) for n in v])
                for k, v in unanswered.items()]

    @strawberry.field(description=(
        "What changed since the previous version; outside the round's facilitators, since the previous published "
        "version (firstVersion when there is none)."))
    async def changes(self, info: Info) -> ProposalChanges:
        seen_by = await audience(info, self.row.round_id)
        loaders = info.context.loaders
        if rules.sees_working_copies(seen_by):
            previous = None
            if self.row.version > 1:
                previous = await loaders.proposal_version.load((self.row.round_id, self.row.version - 1))
            return changes_of(self.row.changes, await _kinds(info, self.row, previous))
        before = await info.context.run(lambda session: queries.published_before(
            session, self.row.round_id, self.row.version))
        return await self._changes_from(info, before, seen_by)

    @strawberry.field(description="What changed since the given version of the same round (null if it does not exist "
                                  "or you may not read it).")
    async def changes_since(self, info: Info, version: int) -> ProposalChanges | None:
        seen_by = await audience(info, self.row.round_id)
        older = await info.context.loaders.proposal_version.load((self.row.round_id, version))
        if older is None or not rules.visible(older, seen_by):
            return None
        return await self._changes_from(info, older, seen_by)

    async def _changes_from(self, info: Info, older: ConsolidatedProposal | None, seen_by: Audience) -> ProposalChanges:
        # statuses as this audience may read them, so every statement's figures are needed
        newer = await self._result(info, with_details=True)
        shown = info.context.loaders.shown_proposal_details
        before = (await shown.load((older, seen_by))).result if older else None
        return changes_of(differences(before, newer), await _kinds(info, self.row, older))

    async def _shown(self, info: Info, *, with_details: bool = False) -> rules.Shown:
        """The version as the caller may read it: its summary, or with every statement and clause when the
        fields asked for need them (read apart: server/consolidation/details.py)."""
        loaders = info.context.loaders
        loader = loaders.shown_proposal_details if with_details else loaders.shown_proposal
        return await loader.load((self.row, await audience(info, self.row.round_id)))

    async def _result(self, info: Info, *, with_details: bool = False) -> dict[str, Any]:
        return (await self._shown(info, with_details=with_details)).result


@strawberry.type(name="ConsolidatedProposalConnection")
class ProposalConnection(relay.Connection[ConsolidatedProposalNode]):
    pass


async def proposal_versions(info: Info, round_id: uuid.UUID, first: int | None, after: str | None,
                            last: int | None = None, before: str | None = None) -> ProposalConnection:
    reader(info)
    asked = page("versions", first, after, last, before)
    published_only = not rules.sees_working_copies(await audience(info, round_id))
    rows, more = await info.context.run(lambda session: queries.versions_page(
        session, round_id, asked.window, published_only=published_only))
    return connection(ProposalConnection, rows, more, page=asked, order=queries.VERSION_ORDER,
                      node=lambda p: ConsolidatedProposalNode(row=p))


ConsolidateRoundResult = Annotated[ConsolidatedProposalNode | ExpectedError, strawberry.union("ConsolidateRoundResult")]
PublishProposalResult = Annotated[ConsolidatedProposalNode | ExpectedError, strawberry.union("PublishProposalResult")]


@strawberry.type
class ProposalMutations:
    @strawberry.mutation(description="Consolidate the round now (its facilitators). The same inputs give the same "
                                     "version back; new inputs give a new version.")
    async def consolidate_round(self, info: Info, round_id: strawberry.ID) -> ConsolidateRoundResult:
        from server.consolidation.service import consolidate

        async def act(session, actor):
            round_uuid = ids.decode(round_id, "Round")
            require_facilitator(await standing(session, round_uuid, actor))
            return await consolidate(session, round_uuid)

        return await perform(info, FACILITATE, act, lambda p: ConsolidatedProposalNode(row=p))

    @strawberry.mutation(description="Publish one version as the round's proposal (its facilitators); publishing "
                                     "it again changes nothing. Unlike the web page, which asks first, it publishes "
                                     "even while voting is open.")
    async def publish_proposal(self, info: Info, round_id: strawberry.ID, version: int) -> PublishProposalResult:
        from server.consolidation.service import publish

        async def act(session, actor):
            return await publish(session, actor, ids.decode(round_id, "Round"), version, while_voting=True)

        return await perform(info, FACILITATE, act, lambda p: ConsolidatedProposalNode(row=p))
