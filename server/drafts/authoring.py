"""Changing a draft's clauses: their text (in place, or as a new version once people have reacted or
voting has opened: drafts/rules.py), their order, withdrawing them, and the needs each answers.

Who may do it is the round's phases' to say ("edit_draft", through proxies/service.resolve_author).
Every change of a draft's order first locks the draft's row, so two facilitators moving clauses at
once take turns instead of colliding on the positions' uniqueness at commit.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence

from sqlalchemy import delete, func, literal, select, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from server import validation
from server.deliberation.models import Comment, Vote
from server.drafts import rules
from server.drafts.models import CURRENT, Amendment, Clause, Draft, clause_needs
from server.errors import Conflict, Invalid, NotFound
from server.events.service import record
from server.i18n import N_
from server.needs.models import Need
from server.people.models import Participant
from server.proxies.service import resolve_author
from server.rounds import phases
from server.rounds.models import Round

NOT_CURRENT = N_("This clause has been changed or taken out since. Reload the draft and work on what it says now.")
SAME_ROUND = N_("A clause can only answer needs raised in the same round.")
DIRECTIONS = ("up", "down")


async def reactions(session: AsyncSession, clause_id: uuid.UUID) -> rules.Reactions:
    votes = select(func.count()).select_from(Vote).where(Vote.clause_id == clause_id).scalar_subquery()
    comments = select(func.count()).select_from(Comment).where(Comment.clause_id == clause_id).scalar_subquery()
    amendments = select(func.count()).select_from(Amendment).where(Amendment.clause_id == clause_id).scalar_subquery()
    row = (await session.execute(select(votes, comments, amendments))).one()
    return rules.Reactions(*row)


async def voting_opened(session: AsyncSession, round_id: uuid.UUID) -> bool:
    round_ = await session.get(Round, round_id)
    if round_ is None:
        raise NotFound("round", round_id)
    return rules.voting_opened(phases.load(round_.phases), round_.current_phase)


async def _clause_to_change(session: AsyncSession, actor: Participant, clause_id: uuid.UUID) -> Clause:
    """The current clause, once the actor may edit its draft now; its draft's row is locked."""
    clause = await session.get(Clause, clause_id)
    if clause is None:
        raise NotFound("clause", clause_id)
    await resolve_author(session, actor, clause.round_id, "edit_draft")
    draft = await session.scalar(select(Draft).where(Draft.id == clause.draft_id).with_for_update())
    await session.refresh(clause)  # as it is now that its draft is ours
    if draft is None or draft.status != "open" or not rules.is_current(clause.status):
        raise Conflict(NOT_CURRENT)
    return clause


async def edit_clause(
    session: AsyncSession,
    actor: Participant,
    clause_id: uuid.UUID,
    *,
    text: str,
    translations: dict[str, dict[str, str]] | None = None,
) -> Clause:
    """The clause with its new text: the same row while nobody has reacted to it and voting has not opened,
    otherwise a new version that supersedes it, linked to the same needs and starting without votes."""
    clause = await _clause_to_change(session, actor, clause_id)
    invalid = Invalid()
    new_text = validation.text(invalid, "text", text, max_length=5000)
    new_translations = clause.translations if translations is None else validation.translations(
        invalid, "translations", translations, max_length=5000, fields=("text",))
    invalid.raise_if_any()
    if new_text == clause.text and new_translations == clause.translations:
        return clause
    opened = await voting_opened(session, clause.round_id)
    if rules.editable_in_place(clause.status, await reactions(session, clause.id), opened):
        previous = clause.text
        clause.text, clause.translations = new_text, new_translations
        await session.flush()
        record(session, "clause.edited", round_id=clause.round_id, actor_id=actor.id, subject_id=clause.id,
               draft_id=clause.draft_id, position=clause.position, previous_text=previous)
        return clause
    return await _new_version(session, actor, clause, new_text, new_translations)


async def _new_version(session: AsyncSession, actor: Participant, old: Clause, text: str,
                       translations: dict[str, dict[str, str]]) -> Clause:
    external_id = old.external_id  # names the clause, not one of its texts: it moves to the newest
    old.status, old.external_id = "superseded", None
    await session.flush()
    new = Clause(draft_id=old.draft_id, round_id=old.round_id, position=old.position, text=text,
                 language=old.language, translations=translations, external_id=external_id,
                 status=CURRENT, supersedes_id=old.id)
    session.add(new)
    await session.flush()
    await session.execute(insert(clause_needs).from_select(
        ["clause_id", "need_id"],
        select(literal(new.id, clause_needs.c.clause_id.type), clause_needs.c.need_id)
        .where(clause_needs.c.clause_id == old.id)))
    record(session, "clause.revised", round_id=new.round_id, actor_id=actor.id, subject_id=new.id,
           draft_id=new.draft_id, position=new.position, previous_id=old.id)
    return new


async def move_clause(session: AsyncSession, actor: Participant, clause_id: uuid.UUID, direction: str) -> Clause:
    """One place up or down among the draft's current clauses: it swaps places with its neighbour.
    The first cannot go up nor the last down; asking leaves the draft as it is."""
    invalid = Invalid()
    validation.choice(invalid, "direction", direction, DIRECTIONS)
    invalid.raise_if_any()
    clause = await _clause_to_change(session, actor, clause_id)
    up = direction == "up"
    neighbour = await session.scalar(
        select(Clause).where(Clause.draft_id == clause.draft_id, Clause.status == CURRENT,
                             Clause.position < clause.position if up else Clause.position > clause.position)
        .order_by(Clause.position.desc() if up else Clause.position).limit(1))
    if neighbour is None:
        return clause
    previous = clause.position
    clause.position, neighbour.position = neighbour.position, clause.position
    await session.flush()
    record(session, "clause.moved", round_id=clause.round_id, actor_id=actor.id, subject_id=clause.id,
           draft_id=clause.draft_id, position=clause.position, previous_position=previous)
    return clause


async def withdraw_clause(session: AsyncSession, actor: Participant, clause_id: uuid.UUID) -> Clause:
    """Takes a clause out of its draft before voting opens; the clauses after it move up a place."""
    clause = await _clause_to_change(session, actor, clause_id)
    if not rules.may_withdraw(clause.status, await voting_opened(session, clause.round_id)):
        raise Conflict(rules.VOTING_OPENED)
    clause.status = "withdrawn"
    await session.flush()
    await session.execute(
        update(Clause).where(Clause.draft_id == clause.draft_id, Clause.status == CURRENT,
                             Clause.position > clause.position)
        .values(position=Clause.position - 1).execution_options(synchronize_session="fetch"))
    record(session, "clause.withdrawn", round_id=clause.round_id, actor_id=actor.id, subject_id=clause.id,
           draft_id=clause.draft_id, position=clause.position)
    return clause


async def _needs_of_round(session: AsyncSession, round_id: uuid.UUID, need_ids: Sequence[uuid.UUID]
                          ) -> list[uuid.UUID]:
    wanted = sorted(set(need_ids))
    found = set(await session.scalars(select(Need.id).where(Need.id.in_(wanted), Need.round_id == round_id)))
    invalid = Invalid()
    invalid.check(bool(wanted), "answers", N_("Choose at least one need."))
    invalid.check(len(found) == len(wanted), "answers", SAME_ROUND)
    invalid.raise_if_any()
    return wanted


async def link_needs(session: AsyncSession, actor: Participant, clause_id: uuid.UUID,
                     need_ids: Sequence[uuid.UUID]) -> Clause:
    """The clause answers these needs too (of its own round only); needs already linked stay as they are."""
    clause = await _clause_to_change(session, actor, clause_id)
    wanted = await _needs_of_round(session, clause.round_id, need_ids)
    added = list(await session.scalars(
        insert(clause_needs).values([{"clause_id": clause.id, "need_id": n} for n in wanted])
        .on_conflict_do_nothing().returning(clause_needs.c.need_id)))
    if added:
        record(session, "clause.needs_linked", round_id=clause.round_id, actor_id=actor.id, subject_id=clause.id,
               answers=sorted(added))
    return clause


async def unlink_needs(session: AsyncSession, actor: Participant, clause_id: uuid.UUID,
                       need_ids: Sequence[uuid.UUID]) -> Clause:
    """The clause no longer answers these needs."""
    clause = await _clause_to_change(session, actor, clause_id)
    wanted = sorted(set(need_ids))
    removed = list(await session.scalars(
        delete(clause_needs).where(clause_needs.c.clause_id == clause.id, clause_needs.c.need_id.in_(wanted))
        .returning(clause_needs.c.need_id)))
    if removed:
        record(session, "clause.needs_unlinked", round_id=clause.round_id, actor_id=actor.id,
               subject_id=clause.id, answers=sorted(removed))
    return clause
