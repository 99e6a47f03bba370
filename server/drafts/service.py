"""Drafts, their clauses and the needs each clause answers; amendments."""

from __future__ import annotations

import uuid

from sqlalchemy import func, insert, select
from sqlalchemy.ext.asyncio import AsyncSession

from server import validation
from server.drafts import rules
from server.drafts.models import CURRENT, Amendment, Clause, Draft, clause_needs
from server.errors import Conflict, Invalid, NotFound
from server.events.service import record
from server.i18n import N_
from server.needs.models import Need
from server.people.models import Organisation, Participant
from server.proxies.service import resolve_author


async def create_draft(
    session: AsyncSession,
    actor: Participant,
    round_id: uuid.UUID,
    *,
    title: str,
    summary: str = "",
    organisation_id: uuid.UUID | None = None,
    language: str = "th",
    translations: dict[str, dict[str, str]] | None = None,
) -> Draft:
    await resolve_author(session, actor, round_id, "propose_draft")
    invalid = Invalid()
    draft = Draft(
        round_id=round_id,
        organisation_id=organisation_id or actor.organisation_id,
        created_by_id=actor.id,
        title=validation.text(invalid, "title", title, max_length=200),
        summary=validation.text(invalid, "summary", summary, max_length=5000, required=False),
        language=validation.language(invalid, "language", language),
        translations=validation.translations(invalid, "translations", translations, max_length=5000,
                                             fields=("title", "summary")),
    )
    if organisation_id is not None:
        organisation = await session.get(Organisation, organisation_id)
        if organisation is None:
            invalid.add("organisation_id", validation.CHOOSE_EXISTING)
        else:
            invalid.check(rules.may_put_forward(organisation.kind), "organisation_id",
                          N_("A draft is put forward by a ministry or a civil-society organisation."))
    invalid.raise_if_any()
    session.add(draft)
    await session.flush()
    record(session, "draft.created", round_id=round_id, actor_id=actor.id, subject_id=draft.id,
           organisation_id=draft.organisation_id)
    return draft


async def add_clause(
    session: AsyncSession,
    actor: Participant,
    draft_id: uuid.UUID,
    *,
    text: str,
    answers: list[uuid.UUID] | None = None,
    language: str = "th",
    translations: dict[str, dict[str, str]] | None = None,
    external_id: str | None = None,
) -> Clause:
    """Appends a clause to the draft, linked to the needs it answers."""
    draft = await session.get(Draft, draft_id)
    if draft is None:
        raise NotFound("draft", draft_id)
    await resolve_author(session, actor, draft.round_id, "edit_draft")
    invalid = Invalid()
    clause = Clause(
        draft_id=draft_id,
        round_id=draft.round_id,
        text=validation.text(invalid, "text", text, max_length=5000),
        language=validation.language(invalid, "language", language),
        translations=validation.translations(invalid, "translations", translations, max_length=5000,
                                             fields=("text",)),
        external_id=validation.text(invalid, "external_id", external_id, max_length=200, required=False) or None,
    )
    need_ids = sorted(set(answers or []))
    if need_ids:
        found = set(await session.scalars(
            select(Need.id).where(Need.id.in_(need_ids), Need.round_id == draft.round_id)))
        invalid.check(len(found) == len(need_ids), "answers",
                      N_("A clause can only answer needs raised in the same round."))
    invalid.raise_if_any()
    await session.execute(select(Draft.id).where(Draft.id == draft_id).with_for_update())  # positions: one at a time
    clause.position = (await session.execute(
        select(func.coalesce(func.max(Clause.position), 0))
        .where(Clause.draft_id == draft_id, Clause.status == CURRENT))).scalar_one() + 1
    session.add(clause)
    await session.flush()
    if need_ids:
        await session.execute(insert(clause_needs), [{"clause_id": clause.id, "need_id": n} for n in need_ids])
    record(session, "clause.added", round_id=draft.round_id, actor_id=actor.id, subject_id=clause.id,
           draft_id=draft_id, position=clause.position, answers=need_ids)
    return clause


async def propose_amendment(
    session: AsyncSession,
    actor: Participant,
    clause_id: uuid.UUID,
    *,
    text: str,
    rationale: str = "",
    language: str = "th",
    on_behalf_of: uuid.UUID | None = None,
    proxy_id: uuid.UUID | None = None,
) -> Amendment:
    clause = await session.get(Clause, clause_id)
    if clause is None:
        raise NotFound("clause", clause_id)
    author = await resolve_author(session, actor, clause.round_id, "propose_amendment",
                                  on_behalf_of=on_behalf_of, proxy_id=proxy_id)
    if not rules.is_current(clause.status):
        raise Conflict(rules.CHANGED_SINCE)
    invalid = Invalid()
    amendment = Amendment(
        clause_id=clause_id,
        round_id=clause.round_id,
        proposed_by_id=author.participant_id,
        entered_by_id=author.entered_by_id,
        proxy_id=author.proxy_id,
        text=validation.text(invalid, "text", text, max_length=5000),
        rationale=validation.text(invalid, "rationale", rationale, max_length=5000, required=False),
        language=validation.language(invalid, "language", language),
    )
    invalid.raise_if_any()
    session.add(amendment)
    await session.flush()
    record(session, "amendment.proposed", round_id=clause.round_id, actor_id=actor.id,
           subject_id=amendment.id, clause_id=clause_id, proxy_id=author.proxy_id)
    return amendment
