"""A standing channel: an organisation hears problems and suggestions between rounds, and triages them.

Why a channel is a round. A channel is stored as a round of kind "channel" (rounds.kind), for one
organisation (a ministry department or a CSO, rounds.organisation_id) and its areas, with one phase,
"standing", that opens submit_need, endorse_need and comment to its members and never ends, never moves on
and is never consolidated (the outbox relay asks no recompute for a channel: consolidation/marks.py). The
other way, a need with no round (needs.round_id nullable, a channel_id beside it), would have broken every
rule that reads a need's round: who reads which needs (needs/rules.py and the SQL filters in
needs/queries.py), moderation, proxies, invitations and cards, search, photos, "me too", My data, the
event log and its audiences. As a round, a channel keeps all of them true unchanged: invite codes and QR
sheets join people to it (one person in many rounds and channels), facilitators enter needs for others
through proxy entry, members see its open needs and say "me too", and its facilitators moderate it.

What is new is triage, here: merging a duplicate into the need it repeats (status "merged", hidden from
everyone but the facilitators by the same rule as a hidden need; its "me too"s and its author are counted
with the kept need, needs/me_too.py), free tags, bringing a need into a round (a copy raised there, linked
to its origin, for clauses to answer), and an answer from the organisation. Each is recorded as an event
in the channel, declared in server/events/audiences.py. What became of a need is channels/outcome.py.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from server import validation
from server.channels import rules
from server.channels.models import NeedAnswer
from server.errors import Conflict, Invalid, NotFound, NotPermitted
from server.events.service import record
from server.i18n import N_
from server.needs.models import Need
from server.people.models import Organisation, Participant
from server.reference.service import check_area
from server.rounds import phases
from server.rounds.access import require_facilitator, standing
from server.rounds.models import Membership, Round, StakeholderGroup
from server.rounds.service import SLUG

STANDING = phases.Phase(
    "standing",
    {action: frozenset({"participant", "facilitator", "admin"})
     for action in ("submit_need", "endorse_need", "comment")},
    names={"th": "เปิดรับเรื่องตลอด", "en": "Always open"},
)
# everyone who joins a channel joins as one of the people it hears; invite codes are made for this group
HEARD = ("people", {"th": "คนที่บอกเรื่อง", "en": "People raising needs"})

NOT_A_CHANNEL = N_("This need was not raised in a channel.")
NOT_OPEN = N_("Only a need that is open can be changed this way.")
CHOOSE_ROUND = N_("Choose a round you facilitate.")


async def create_channel(session: AsyncSession, actor: Participant, *, organisation_id: uuid.UUID, slug: str,
                         title: dict[str, str], description: dict[str, str] | None = None,
                         area_codes: list[str] | None = None) -> Round:
    invalid = Invalid()
    if await session.get(Organisation, organisation_id) is None:
        invalid.add("organisation", validation.CHOOSE_EXISTING)
        invalid.raise_if_any()
    if not rules.may_open_channel(actor, organisation_id):
        raise NotPermitted(N_("Only the organisation's own facilitators, or an administrator, can open its channel."))
    invalid.check(bool(SLUG.fullmatch(slug or "")), "slug",
                  N_("Use 3 to 80 lower-case letters, digits and dashes, e.g. satun-2026."))
    title = validation.texts(invalid, "title", title, max_length=200)
    invalid.check(any(title.values()), "title", N_("Give the channel a title."))
    description = validation.texts(invalid, "description", description, max_length=5000)
    for code in area_codes or []:
        await check_area(session, invalid, "area_codes", code)
    invalid.raise_if_any()
    if await session.scalar(select(Round.id).where(Round.slug == slug)):
        raise Conflict(N_("A round with the address {slug} exists already."), slug=slug)
    channel = Round(slug=slug, title=title, description=description, area_codes=list(area_codes or []),
                    phases=[STANDING.to_data()], current_phase=STANDING.key, threshold=0.6,
                    created_by_id=actor.id, kind=rules.CHANNEL, organisation_id=organisation_id)
    session.add(channel)
    await session.flush()
    session.add(StakeholderGroup(round_id=channel.id, key=HEARD[0], name=dict(HEARD[1]), quorum=3))
    session.add(Membership(round_id=channel.id, participant_id=actor.id, facilitates=True))
    await session.flush()
    record(session, "channel.created", round_id=channel.id, actor_id=actor.id, subject_id=channel.id,
           slug=slug, organisation_id=organisation_id, area_codes=channel.area_codes)
    return channel


async def channels_of(session: AsyncSession, organisation_id: uuid.UUID | None = None) -> list[Round]:
    statement = select(Round).where(Round.kind == rules.CHANNEL).order_by(Round.id)
    if organisation_id is not None:
        statement = statement.where(Round.organisation_id == organisation_id)
    return list(await session.scalars(statement))


async def _triaged(session: AsyncSession, actor: Participant, need_id: uuid.UUID) -> tuple[Need, Round]:
    """The need, locked while it changes, if `actor` facilitates the channel it was raised in."""
    need = await session.scalar(select(Need).where(Need.id == need_id).with_for_update())
    if need is None:
        raise NotFound("need", need_id)
    place = await standing(session, need.round_id, actor)
    require_facilitator(place)
    if not rules.is_channel(place.round):
        raise NotPermitted(NOT_A_CHANNEL)
    return need, place.round


async def merge_need(session: AsyncSession, actor: Participant, need_id: uuid.UUID, into_id: uuid.UUID) -> Need:
    """Marks `need_id` a duplicate of `into_id`, in the same channel: hidden from lists, its "me too"s and its
    author counted with the kept need, and its author told on their page."""
    need, channel = await _triaged(session, actor, need_id)
    kept = await session.get(Need, into_id)
    invalid = Invalid()
    if kept is None or kept.round_id != channel.id or kept.id == need.id:
        invalid.add("into", N_("Choose another need of this channel."))
    elif kept.status != "open":
        invalid.add("into", N_("Choose a need that is open: this one is not."))
    invalid.check(need.status == "open", "need", NOT_OPEN)
    invalid.raise_if_any()
    assert kept is not None  # raise_if_any raised for a missing one
    need.status, need.duplicate_of_id = "merged", kept.id
    # needs merged into this one earlier follow it to the need kept now: every family keeps one kept need
    for earlier in await session.scalars(select(Need).where(Need.duplicate_of_id == need.id)):
        earlier.duplicate_of_id = kept.id
    await session.flush()
    record(session, "need.merged", round_id=channel.id, actor_id=actor.id, subject_id=need.id, kept_id=kept.id,
           author_id=need.author_id)
    return need


async def tag_need(session: AsyncSession, actor: Participant, need_id: uuid.UUID, tags: list[str]) -> Need:
    """Sets the need's tags (a few free words for the facilitators' own sorting); [] takes them all off."""
    need, channel = await _triaged(session, actor, need_id)
    invalid = Invalid()
    cleaned: list[str] = []
    for tag in tags:
        word = validation.text(invalid, "tags", tag, max_length=rules.TAG_LENGTH, required=False)
        if word and word not in cleaned:
            cleaned.append(word)
    invalid.check(len(cleaned) <= rules.MAX_TAGS, "tags", N_("Give at most {limit} tags."), limit=rules.MAX_TAGS)
    invalid.raise_if_any()
    before = list(need.tags)
    need.tags = cleaned
    await session.flush()
    record(session, "need.tagged", round_id=channel.id, actor_id=actor.id, subject_id=need.id, tags=cleaned,
           added=[t for t in cleaned if t not in before], removed=[t for t in before if t not in cleaned])
    return need


async def bring_into_round(session: AsyncSession, actor: Participant, need_id: uuid.UUID,
                           round_id: uuid.UUID) -> Need:
    """Raises a copy of the need in a round the actor facilitates, linked to its origin, so that clauses there
    can answer it. The copy names no author and carries no photo: who raised it, and their pictures, stay in
    the channel; its words and place go where they will be answered."""
    need, channel = await _triaged(session, actor, need_id)
    target = await session.get(Round, round_id)
    if target is None:
        raise NotFound("round", round_id)
    require_facilitator(await standing(session, round_id, actor))
    invalid = Invalid()
    invalid.check(not rules.is_channel(target), "round", N_("Choose a round, not a channel."))
    invalid.check(need.status == "open", "need", NOT_OPEN)
    invalid.raise_if_any()
    if await session.scalar(select(Need.id).where(Need.origin_id == need.id, Need.round_id == round_id)):
        raise Conflict(N_("This need is in that round already."))
    copy = Need(round_id=round_id, author_id=None, entered_by_id=actor.id, origin_id=need.id,
                area_code=need.area_code, sector_code=need.sector_code, hazards=list(need.hazards),
                severity=need.severity, people_affected=need.people_affected, title=need.title, body=need.body,
                language=need.language, translations=dict(need.translations), search_text=need.search_text)
    session.add(copy)
    await session.flush()
    # in the round, as any need raised there: its proposal and its news count it
    record(session, "need.submitted", round_id=round_id, actor_id=actor.id, subject_id=copy.id, author_id=None,
           proxy_id=None, area_code=copy.area_code, sector=copy.sector_code, hazards=copy.hazards,
           severity=copy.severity, people_affected=copy.people_affected, photo=False)
    record(session, "need.taken_into_round", round_id=channel.id, actor_id=actor.id, subject_id=need.id,
           copy_id=copy.id, target_round_id=round_id)
    return copy


async def answer_need(session: AsyncSession, actor: Participant, need_id: uuid.UUID, body: str, *,
                      public: bool = False) -> NeedAnswer:
    """The organisation's short reply, shown to the person who raised the need (and, if public, to everyone who
    reads it). Answering again replaces the answer."""
    need, channel = await _triaged(session, actor, need_id)
    invalid = Invalid()
    body = validation.text(invalid, "answer", body, max_length=rules.ANSWER_LENGTH)
    invalid.raise_if_any()
    answer = await session.get(NeedAnswer, need.id)
    if answer is None:
        answer = NeedAnswer(need_id=need.id, body=body, public=public, answered_by_id=actor.id)
        session.add(answer)
    answer.body, answer.public, answer.answered_by_id = body, public, actor.id
    answer.answered_at = datetime.now(UTC)
    await session.flush()
    record(session, "need.answered", round_id=channel.id, actor_id=actor.id, subject_id=need.id, public=public)
    return answer


async def organisations_for(session: AsyncSession, actor: Participant) -> list[Organisation]:
    """The organisations `actor` may open a channel for (channels/rules.py `may_open_channel`)."""
    found = await session.scalars(select(Organisation).order_by(Organisation.name_th))
    return [o for o in found if rules.may_open_channel(actor, o.id)]
