"""Exclusion data: a round's summary by group and area, and giving one's own answers (or, as a facilitator,
someone's through a proxy record). Thin over server/exclusion/."""

from __future__ import annotations

from enum import Enum
from typing import Annotated

import strawberry

from schema import ids
from schema.common import localized
from schema.context import Info
from schema.errors import ExpectedError, perform
from schema.people import own_or_staff
from schema.permissions import FACILITATE, audience, reader
from schema.risk import AreaLevel
from server.disclosure import SMALL_GROUP
from server.errors import NotFound
from server.exclusion import service
from server.exclusion.service import Answers
from server.exclusion.summary import Level, Row, Summary, summary
from server.people.models import ExclusionRecord
from server.rounds.models import Round


@strawberry.enum(description="Which identity document a person holds.")
class IdDocument(Enum):
    THAI_ID = "thai_id"
    PINK_CARD = "pink_card"
    NONE = "none"
    PREFER_NOT = "prefer_not"


@strawberry.enum(description="Whether a person holds a state welfare card.")
class WelfareCard(Enum):
    HAS = "has"
    NOT = "not"
    DONT_KNOW = "dont_know"


@strawberry.enum(description="Whether a person holds a disability card; ELIGIBLE_NOT_HELD: disabled, never registered.")
class DisabilityCard(Enum):
    HAS = "has"
    ELIGIBLE_NOT_HELD = "eligible_not_held"
    NO = "no"


@strawberry.enum(description="A public service a person could not reach.")
class PublicService(Enum):
    HEALTH = "health"
    SCHOOL = "school"
    WELFARE = "welfare"
    WATER = "water"
    ELECTRICITY = "electricity"
    LEGAL = "legal"


@strawberry.enum(description="Why a person could not reach a service.")
class ExclusionReason(Enum):
    LANGUAGE = "language"
    DISTANCE = "distance"
    DOCUMENTS = "documents"
    COST = "cost"
    OTHER = "other"


@strawberry.type
class ExclusionCount:
    code: str
    people: int | None = strawberry.field(description=f"null: fewer than {SMALL_GROUP} (outside the facilitators).")


@strawberry.type(description=(
    f"One declared group in one area, or a total. A figure reads null where it rests on fewer than {SMALL_GROUP} "
    "people, or adds up a group and district that does, for callers outside the round's facilitators."))
class ExclusionRow:
    group: str | None = strawberry.field(description="The declared group's key; null: all groups.")
    group_name: str | None
    area_code: str | None = strawberry.field(description="A province or district code; \"\": no district of the "
                                                         "round's areas given; null: all areas.")
    area_name: str | None
    answered: int | None
    no_id_card: int | None = strawberry.field(description="Hold a pink card or no card.")
    welfare_card: int | None
    disability_card_not_held: int | None = strawberry.field(description="Disabled, but no disability card.")
    services_not_reached: list[ExclusionCount]
    reasons: list[ExclusionCount]


@strawberry.type(description="Who is left out of public services in a round, as the caller may read it.")
class ExclusionSummary:
    level: AreaLevel
    rows: list[ExclusionRow]
    fewer_than: int


def _row(found: Summary, row: Row, locale: str) -> ExclusionRow:
    area = found.areas.get(row.area) if row.area else None
    return ExclusionRow(
        group=row.group.key if row.group else None, group_name=localized(row.group.name, locale) if row.group else None,
        area_code=row.area, area_name=(area.name_th if locale == "th" else area.name_en) if area else None,
        answered=row["answered"], no_id_card=row["no_id"], welfare_card=row["welfare_card"],
        disability_card_not_held=row["disability_unregistered"],
        services_not_reached=[ExclusionCount(code=c, people=n) for c, n in row.services],
        reasons=[ExclusionCount(code=c, people=n) for c, n in row.reasons])


@strawberry.input
class ExclusionAnswersInput:
    id_document: IdDocument | None = None
    welfare_card: WelfareCard | None = None
    disability_card: DisabilityCard | None = None
    services_not_reached: list[PublicService] = strawberry.field(default_factory=list)
    reasons: list[ExclusionReason] = strawberry.field(default_factory=list)
    area_code: str | None = strawberry.field(default=None, description="Where the person lives: a district code.")


@strawberry.type
class ExclusionAnswers:
    id_document: IdDocument | None
    welfare_card: WelfareCard | None
    disability_card: DisabilityCard | None
    services_not_reached: list[PublicService]
    reasons: list[ExclusionReason]
    area_code: str | None
    entered_through_proxy: bool


def _answers(row: ExclusionRecord) -> ExclusionAnswers:
    return ExclusionAnswers(
        id_document=IdDocument(row.id_document) if row.id_document else None,
        welfare_card=WelfareCard(row.welfare_card) if row.welfare_card else None,
        disability_card=DisabilityCard(row.disability_card) if row.disability_card else None,
        services_not_reached=[PublicService(s) for s in row.services_missed],
        reasons=[ExclusionReason(r) for r in row.reasons], area_code=row.area_code,
        entered_through_proxy=row.proxy_id is not None)


SetExclusionDataResult = Annotated[ExclusionAnswers | ExpectedError, strawberry.union("SetExclusionDataResult")]


@strawberry.type
class ExclusionQueries:
    @strawberry.field(description=(
        "Who is left out of public services in a round: counts per declared group and province or district "
        "(SUBDISTRICT reads as DISTRICT: answers name districts), from the people who gave them with their own "
        "consent."))
    async def exclusion(self, info: Info, round_id: strawberry.ID,
                        level: AreaLevel = AreaLevel.DISTRICT) -> ExclusionSummary:
        reader(info)
        round_id_ = ids.decode(round_id, "Round")
        seen_as = await audience(info, round_id_)
        shown_level: Level = "province" if level == AreaLevel.PROVINCE else "district"

        async def read(session):
            round_ = await session.get(Round, round_id_)
            if round_ is None:
                raise NotFound("round", round_id_)
            return await summary(session, round_, seen_as, shown_level)

        found = await info.context.run(read)
        locale = info.context.locale
        return ExclusionSummary(level=AreaLevel(found.level), rows=[_row(found, r, locale) for r in found.rows],
                                fewer_than=SMALL_GROUP)

    @strawberry.field(description="Your own answers about public services, or null.")
    async def my_exclusion_data(self, info: Info) -> ExclusionAnswers | None:
        me = reader(info)
        row = await info.context.run(lambda session: service.mine(session, me, me.id))
        return _answers(row) if row else None


@strawberry.type
class ExclusionMutations:
    @strawberry.mutation(description=(
        "Give your answers about public services, replacing earlier ones (`agree`: you consent now to Ruam keeping "
        "them; without that consent nothing is stored). A facilitator gives someone's through `proxyId`, a proxy "
        "record they made for that person, whose consent method is recorded."))
    async def set_exclusion_data(self, info: Info, answers: ExclusionAnswersInput, agree: bool = False,
                                 participant_id: strawberry.ID | None = None,
                                 proxy_id: strawberry.ID | None = None) -> SetExclusionDataResult:
        given = Answers(
            id_document=answers.id_document.value if answers.id_document else None,
            welfare_card=answers.welfare_card.value if answers.welfare_card else None,
            disability_card=answers.disability_card.value if answers.disability_card else None,
            services_missed=[s.value for s in answers.services_not_reached],
            reasons=[r.value for r in answers.reasons], area_code=answers.area_code)

        async def act(session, actor):
            whom = ids.decode_optional(participant_id, "Participant") or actor.id
            return await service.save(session, actor, whom, given, agree=agree,
                                      proxy_id=ids.decode_optional(proxy_id, "ProxyRecord"))

        scope = own_or_staff(info, participant_id) if proxy_id is None else FACILITATE
        return await perform(info, scope, act, _answers)

