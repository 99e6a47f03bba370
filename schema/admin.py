"""What staff and administrators do about people: participants, organisations, communities, API tokens,
and a participant's own sensitive data (Thai PDPA: only with its separate consent)."""

from __future__ import annotations

import uuid
from datetime import datetime
from enum import Enum
from typing import Annotated

import strawberry
from sqlalchemy.ext.asyncio import AsyncSession
from strawberry import relay

from schema import ids
from schema.common import language, row_field
from schema.context import Info
from schema.errors import ExpectedError, perform
from schema.people import ParticipantNode, own_or_staff
from schema.permissions import ADMIN, FACILITATE
from server.auth import service as auth
from server.auth.models import ApiToken
from server.errors import Invalid
from server.i18n import N_
from server.people import service
from server.people.models import Community, Organisation


@strawberry.enum
class Scope(Enum):
    READ = "read"
    PARTICIPATE = "participate"
    FACILITATE = "facilitate"
    ADMIN = "admin"


@strawberry.enum
class Role(Enum):
    PARTICIPANT = "participant"
    FACILITATOR = "facilitator"
    ADMIN = "admin"
    INTEGRATOR = "integrator"


@strawberry.enum
class OrganisationKind(Enum):
    GOVERNMENT = "government"
    CSO = "cso"
    COMMUNITY = "community"
    ACADEMIC = "academic"


@strawberry.type(name="ApiToken", description="An API token. Its secret is shown once, when it is made.")
class ApiTokenNode(relay.Node):
    row: strawberry.Private[ApiToken]

    @classmethod
    def resolve_id(cls, root: ApiTokenNode, *, info: Info) -> str:
        return str(root.row.id)

    name: str = row_field("name")

    @strawberry.field
    def scopes(self) -> list[Scope]:
        return [Scope(s) for s in self.row.scopes]

    @strawberry.field
    def participant_id(self) -> relay.GlobalID:
        return ids.global_id("Participant", self.row.participant_id)

    created_at: datetime = row_field("created_at")

    revoked_at: datetime | None = row_field("revoked_at")


@strawberry.type
class TokenPayload:
    token: ApiTokenNode
    secret: str = strawberry.field(description="Send it as `Authorization: Bearer <secret>`. Shown only now.")


@strawberry.type(name="Organisation")
class OrganisationNode(relay.Node):
    row: strawberry.Private[Organisation]

    @classmethod
    def resolve_id(cls, root: OrganisationNode, *, info: Info) -> str:
        return str(root.row.id)

    name_th: str = row_field("name_th")

    name_en: str = row_field("name_en")

    @strawberry.field
    def kind(self) -> OrganisationKind:
        return OrganisationKind(self.row.kind)


@strawberry.type(name="Community")
class CommunityNode(relay.Node):
    row: strawberry.Private[Community]

    @classmethod
    def resolve_id(cls, root: CommunityNode, *, info: Info) -> str:
        return str(root.row.id)

    name_th: str = row_field("name_th")

    name_en: str = row_field("name_en")

    area_code: str | None = row_field("area_code")

    @strawberry.field
    def languages(self) -> list[str]:
        return list(self.row.languages)


@strawberry.input
class CreateParticipantInput:
    display_name: str
    role: Role = Role.PARTICIPANT
    locale: str = "th"
    languages: list[str] | None = None
    contact: str | None = None
    community_id: strawberry.ID | None = None
    organisation_id: strawberry.ID | None = None


@strawberry.type(description="Which sensitive fields are now stored; their values are never sent back.")
class SensitiveDataPayload:
    participant: ParticipantNode
    stored: list[str]


CreateTokenResult = Annotated[TokenPayload | ExpectedError, strawberry.union("CreateTokenResult")]
RevokeTokenResult = Annotated[ApiTokenNode | ExpectedError, strawberry.union("RevokeTokenResult")]
CreateParticipantResult = Annotated[ParticipantNode | ExpectedError, strawberry.union("CreateParticipantResult")]
CreateOrganisationResult = Annotated[OrganisationNode | ExpectedError, strawberry.union("CreateOrganisationResult")]
CreateCommunityResult = Annotated[CommunityNode | ExpectedError, strawberry.union("CreateCommunityResult")]
SetSensitiveDataResult = Annotated[SensitiveDataPayload | ExpectedError, strawberry.union("SetSensitiveDataResult")]


async def _existing(session: AsyncSession, model: type[Community | Organisation], value: strawberry.ID | None,
                    field: str) -> uuid.UUID | None:
    """The id of an existing organisation or community, or a field error saying to pick one."""
    found: Community | Organisation | None = None
    if value is not None:
        parsed = ids.split(value)
        found = await session.get(model, parsed[1]) if parsed and parsed[0] == model.__name__ else None
        if found is None:
            invalid = Invalid()
            invalid.add(field, N_("Choose one that exists."))
            invalid.raise_if_any()
    return found.id if found else None


@strawberry.type
class AdminMutations:
    @strawberry.mutation(description="A new API token for a participant (administrators).")
    async def create_token(self, info: Info, participant_id: strawberry.ID, name: str,
                           scopes: list[Scope]) -> CreateTokenResult:
        async def act(session, actor):
            return await auth.create_token(session, actor, ids.decode(participant_id, "Participant"), name=name,
                                           scopes=[s.value for s in scopes])

        return await perform(info, ADMIN, act, lambda done: TokenPayload(token=ApiTokenNode(row=done[0]),
                                                                         secret=done[1]))

    @strawberry.mutation(description="Revoke an API token at once (administrators).")
    async def revoke_token(self, info: Info, token_id: strawberry.ID) -> RevokeTokenResult:
        async def act(session, actor):
            return await auth.revoke_token(session, actor, ids.decode(token_id, "ApiToken"))

        return await perform(info, ADMIN, act, lambda token: ApiTokenNode(row=token))

    @strawberry.mutation(description="Register a person (staff); only administrators register staff.")
    async def create_participant(self, info: Info, input: CreateParticipantInput) -> CreateParticipantResult:
        async def act(session, actor):
            return await service.create_participant(
                session, actor, display_name=input.display_name, role=input.role.value, locale=input.locale,
                languages=[language(x, "languages") for x in input.languages or []], contact=input.contact,
                community_id=await _existing(session, Community, input.community_id, "communityId"),
                organisation_id=await _existing(session, Organisation, input.organisation_id, "organisationId"))

        scope = FACILITATE if input.role is Role.PARTICIPANT else ADMIN
        return await perform(info, scope, act, lambda p: ParticipantNode(row=p))

    @strawberry.mutation(description="Register an organisation (administrators).")
    async def create_organisation(self, info: Info, name_th: str, name_en: str,
                                  kind: OrganisationKind) -> CreateOrganisationResult:
        async def act(session, actor):
            return await service.create_organisation(session, actor, name_th=name_th, name_en=name_en,
                                                     kind=kind.value)

        return await perform(info, ADMIN, act, lambda o: OrganisationNode(row=o))

    @strawberry.mutation(description="Register a community (staff).")
    async def create_community(self, info: Info, name_th: str, name_en: str, area_code: str | None = None,
                               languages: list[str] | None = None) -> CreateCommunityResult:
        async def act(session, actor):
            return await service.create_community(session, actor, name_th=name_th, name_en=name_en,
                                                  area_code=area_code,
                                                  languages=[language(x, "languages") for x in languages or []])

        return await perform(info, FACILITATE, act, lambda c: CommunityNode(row=c))

    @strawberry.mutation(description="Store ethnicity, disability or health (only after the separate consent); "
                                     "empty values remove them.")
    async def set_sensitive_data(self, info: Info, ethnicity: str | None = None, disability: str | None = None,
                                 health: str | None = None,
                                 participant_id: strawberry.ID | None = None) -> SetSensitiveDataResult:
        async def act(session, actor):
            from server.people.models import Participant

            whom = ids.decode_optional(participant_id, "Participant") or actor.id
            data = await service.set_sensitive_data(session, actor, whom, ethnicity=ethnicity,
                                                    disability=disability, health=health)
            stored = [name for name in ("ethnicity", "disability", "health") if getattr(data, name)]
            return await session.get(Participant, whom), stored

        return await perform(info, own_or_staff(info, participant_id), act,
                             lambda done: SensitiveDataPayload(participant=ParticipantNode(row=done[0]),
                                                               stored=done[1]))
