"""People: who is asking (the viewer), participants as staff see them, consent, withdrawal, proxies."""

from __future__ import annotations

from datetime import datetime
from enum import Enum
from typing import TYPE_CHECKING, Annotated

import strawberry
from strawberry import relay

from schema import ids
from schema.common import row_field
from schema.context import Info
from schema.errors import ExpectedError, perform
from schema.pagination import connection, page
from schema.permissions import FACILITATE, PARTICIPATE
from schema.rounds import RoundNode, StakeholderGroupNode
from server.auth import cards
from server.deliberation import queries as deliberation
from server.people import service
from server.people.models import Participant
from server.people.queries import latest_consents
from server.proxies.models import ProxyRecord
from server.proxies.service import record_proxy
from server.rounds import queries
from server.rounds.queries import role_in

if TYPE_CHECKING:
    from schema.deliberation import VoteConnection

LazyVoteConnection = Annotated["VoteConnection", strawberry.lazy("schema.deliberation")]


@strawberry.type(name="Participant", description="A person taking part. Visible to themself and to staff.")
class ParticipantNode(relay.Node):
    row: strawberry.Private[Participant]

    @classmethod
    def resolve_id(cls, root: ParticipantNode, *, info: Info) -> str:
        return str(root.row.id)

    display_name: str = row_field("display_name")

    role: str = row_field("role", description="participant, facilitator, admin or integrator")

    locale: str = row_field("locale")

    @strawberry.field(description="Withdrawn people's personal data is gone; their votes stay as anonymous counts.")
    def withdrawn(self) -> bool:
        return self.row.withdrawn_at is not None

    created_at: datetime = row_field("created_at")


@strawberry.type
class ViewerMembership:
    round: RoundNode
    group: StakeholderGroupNode | None
    role: str | None


@strawberry.type
class ConsentStatus:
    purpose: str
    granted: bool
    recorded_at: datetime


@strawberry.type(description="You: the person behind the token or web session.")
class Viewer:
    participant: ParticipantNode
    scopes: list[str]
    via: str = strawberry.field(description="token or session")

    @strawberry.field
    async def memberships(self, info: Info) -> list[ViewerMembership]:
        me = self.participant.row
        rows = await info.context.run(lambda session: queries.memberships_with_rounds(session, me.id))
        groups = await info.context.loaders.group.load_many([m.group_id for m, _ in rows if m.group_id])
        by_id = {g.id: g for g in groups if g is not None}
        return [ViewerMembership(round=RoundNode(row=round_), role=role_in(round_, me, membership),
                                 group=StakeholderGroupNode(row=by_id[membership.group_id])
                                 if membership.group_id in by_id else None)
                for membership, round_ in rows]

    @strawberry.field(description="Your own votes, oldest first (in one round, or all).")
    async def votes(self, info: Info, round_id: strawberry.ID | None = None, first: int | None = None,
                    after: str | None = None, last: int | None = None,
                    before: str | None = None) -> LazyVoteConnection:
        from schema.deliberation import Vote as VoteType
        from schema.deliberation import VoteConnection

        round_uuid, asked = ids.decode_optional(round_id, "Round"), page("votes", first, after, last, before)
        rows, more = await info.context.run(lambda session: deliberation.own_votes_page(
            session, self.participant.row.id, round_uuid, asked.window))
        return connection(VoteConnection, rows, more, page=asked, order=deliberation.VOTE_ORDER,
                          node=lambda v: VoteType(row=v))

    @strawberry.field(description="Your latest answer for each consent purpose.")
    async def consents(self, info: Info) -> list[ConsentStatus]:
        rows = await info.context.run(lambda session: latest_consents(session, self.participant.row.id))
        return [ConsentStatus(purpose=c.purpose, granted=c.granted, recorded_at=c.created_at) for c in rows]


@strawberry.type
class PeopleQueries:
    @strawberry.field(description="Who you are signed in as (null when anonymous).")
    def viewer(self, info: Info) -> Viewer | None:
        identity = info.context.identity
        if identity.participant is None:
            return None
        return Viewer(participant=ParticipantNode(row=identity.participant), scopes=sorted(identity.scopes),
                      via=identity.via)


@strawberry.enum
class ProxyMethod(Enum):
    MEETING = "meeting"
    PHONE = "phone"
    PAPER = "paper"


@strawberry.enum
class ProxyConsent(Enum):
    VERBAL = "verbal"
    WRITTEN = "written"
    THUMBPRINT = "thumbprint"


@strawberry.type(name="ProxyRecord", description="Input entered on someone's behalf: for whom, how, with what consent.")
class ProxyRecordNode(relay.Node):
    row: strawberry.Private[ProxyRecord]

    @classmethod
    def resolve_id(cls, root: ProxyRecordNode, *, info: Info) -> str:
        return str(root.row.id)

    @strawberry.field
    def participant_id(self) -> relay.GlobalID | None:
        return ids.global_id("Participant", self.row.participant_id) if self.row.participant_id else None

    people_count: int | None = row_field("people_count")

    meeting: str | None = row_field("meeting")

    @strawberry.field
    def method(self) -> ProxyMethod:
        return ProxyMethod(self.row.method)

    @strawberry.field
    def consent(self) -> ProxyConsent:
        return ProxyConsent(self.row.consent)

    created_at: datetime = row_field("created_at")


@strawberry.input(description="For a named participant, or for \"peopleCount people at meeting\".")
class RecordProxyInput:
    round_id: strawberry.ID
    method: ProxyMethod
    consent: ProxyConsent
    participant_id: strawberry.ID | None = None
    people_count: int | None = None
    meeting: str | None = None
    consent_note: str = ""


@strawberry.enum
class ConsentPurpose(Enum):
    DATA_PROCESSING = "data_processing"
    SENSITIVE_DATA = "sensitive_data"
    EXCLUSION_DATA = "exclusion_data"


@strawberry.enum
class ConsentMethod(Enum):
    ONLINE = "online"
    VERBAL = "verbal"
    WRITTEN = "written"
    THUMBPRINT = "thumbprint"


@strawberry.type
class ConsentPayload:
    participant: ParticipantNode
    purpose: ConsentPurpose
    granted: bool


@strawberry.type(description="A new re-entry card: its code is shown only in this answer, never again.")
class ReEntryCardPayload:
    participant: ParticipantNode
    code: str = strawberry.field(description="As printed on the card (ABCDE-FGHJK); the dash is optional when typed.")
    url: str = strawberry.field(description="What the card's QR code opens: PUBLIC_URL/card/CODE.")


RecordProxyResult = Annotated[ProxyRecordNode | ExpectedError, strawberry.union("RecordProxyResult")]
ReissueCardResult = Annotated[ReEntryCardPayload | ExpectedError, strawberry.union("ReissueCardResult")]
RecordConsentResult = Annotated[ConsentPayload | ExpectedError, strawberry.union("RecordConsentResult")]
WithdrawResult = Annotated[ParticipantNode | ExpectedError, strawberry.union("WithdrawResult")]


def own_or_staff(info: Info, participant_id: strawberry.ID | None) -> str:
    """Acting on your own record is a participant's action; on someone else's, a facilitator's."""
    viewer = info.context.viewer
    mine = participant_id is None or (viewer is not None and ids.split(participant_id) == ("Participant", viewer.id))
    return PARTICIPATE if mine else FACILITATE


@strawberry.type
class PeopleMutations:
    @strawberry.mutation(description="Record that you enter input for someone (facilitators); use its id as proxyId.")
    async def record_proxy(self, info: Info, input: RecordProxyInput) -> RecordProxyResult:
        async def act(session, actor):
            return await record_proxy(
                session, actor, ids.decode(input.round_id, "Round"), method=input.method.value,
                consent=input.consent.value, participant_id=ids.decode_optional(input.participant_id, "Participant"),
                people_count=input.people_count, meeting=input.meeting, consent_note=input.consent_note)

        return await perform(info, FACILITATE, act, lambda p: ProxyRecordNode(row=p))

    @strawberry.mutation(description="Give or withdraw consent (Thai PDPA); for yourself, or as staff for someone.")
    async def record_consent(self, info: Info, purpose: ConsentPurpose, granted: bool,
                             method: ConsentMethod = ConsentMethod.ONLINE,
                             participant_id: strawberry.ID | None = None) -> RecordConsentResult:
        async def act(session, actor):
            whom = ids.decode_optional(participant_id, "Participant") or actor.id
            await service.record_consent(session, actor, whom, purpose=purpose.value, granted=granted,
                                         method=method.value)
            return await session.get(Participant, whom)

        return await perform(info, own_or_staff(info, participant_id), act,
                             lambda p: ConsentPayload(participant=ParticipantNode(row=p), purpose=purpose,
                                                      granted=granted))

    @strawberry.mutation(description="Remove your personal data (or, as staff, someone's); votes stay as anonymous "
                                     "counts.")
    async def withdraw(self, info: Info, participant_id: strawberry.ID | None = None) -> WithdrawResult:
        async def act(session, actor):
            whom = ids.decode_optional(participant_id, "Participant") or actor.id
            return await service.withdraw(session, actor, whom)

        return await perform(info, own_or_staff(info, participant_id), act, lambda p: ParticipantNode(row=p))

    @strawberry.mutation(description="A new re-entry card for yourself, or (facilitators) for a member of a round you "
                                     "facilitate, e.g. after a lost phone: the old card stops working and every web "
                                     "session of the person ends.")
    async def reissue_card(self, info: Info, participant_id: strawberry.ID | None = None) -> ReissueCardResult:
        async def act(session, actor):
            whom = ids.decode_optional(participant_id, "Participant") or actor.id
            return await cards.reissue(session, actor, whom)

        public_url = info.context.runtime.settings.public_url
        return await perform(info, own_or_staff(info, participant_id), act, lambda made: ReEntryCardPayload(
            participant=ParticipantNode(row=made[0]), code=cards.grouped(made[1]), url=f"{public_url}/card/{made[1]}"))
