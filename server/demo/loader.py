"""`ruam demo`: the five pilot rounds, loaded through the same services people use.

Idempotent: a round whose slug exists is left as it is. Votes are drawn from each clause's
intended support with a generator seeded by the round, so every load gives the same data.
"""

from __future__ import annotations

import hashlib
import hmac
import random
import uuid
from collections import defaultdict
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from server.auth.models import SCOPES, InviteCode
from server.auth.service import CODE_ALPHABET, CODE_LENGTH, create_invites, create_token, hash_secret
from server.consolidation.service import consolidate
from server.database import unit_of_work
from server.deliberation import service as deliberation
from server.demo import announcement, risk
from server.demo.content import ORGANISATIONS, ROUNDS, DemoRound
from server.demo.exclusion import load_exclusion
from server.demo.follow_up import load_follow_up
from server.drafts import service as drafts
from server.needs import service as needs
from server.people import service as people
from server.people.models import Organisation, Participant
from server.rounds import service as rounds
from server.rounds.models import Round

SOURCE = "demo"
FIRST_NAMES = ("สมชาย", "มาลี", "ประยูร", "บุญมี", "สุดา", "อารีย์", "ดาวเรือง", "จันทร์เพ็ญ", "สมศักดิ์",
               "วันเพ็ญ", "ทองดี", "นิภา", "สายใจ", "ประเสริฐ", "คำแก้ว", "หมี่", "หน่อแฮ", "จะนุ", "ละเอียด",
               "อุดม")
VOTE_PROBABILITY = 0.85  # not everyone votes on everything
DEMO_USES = 100


async def _find_or_create_person(session: AsyncSession, actor: Participant | None, key: str, *, display_name: str,
                                 role: str = "participant", organisation_id: uuid.UUID | None = None) -> Participant:
    found = await session.scalar(select(Participant).where(
        Participant.external_source == SOURCE, Participant.external_id == key))
    if found is not None:
        return found
    return await people.create_participant(session, actor, external_source=SOURCE, external_id=key,
                                           display_name=display_name, role=role, organisation_id=organisation_id)


async def _organisations(session: AsyncSession, admin: Participant) -> dict[str, Organisation]:
    result = {}
    for org in ORGANISATIONS:
        found = await session.scalar(select(Organisation).where(Organisation.name_en == org.name_en))
        result[org.key] = found or await people.create_organisation(
            session, admin, name_th=org.name_th, name_en=org.name_en, kind=org.kind)
    return result


async def _load_round(session: AsyncSession, admin: Participant, orgs: dict[str, Organisation],
                      spec: DemoRound) -> dict[str, int]:
    rng = random.Random(spec.slug)  # noqa: S311 -- demo data, seeded so that every load is the same: nothing secret
    facilitator = await _find_or_create_person(
        session, admin, f"{spec.slug}:facilitator", display_name=f"ผู้ประสานงาน {spec.title_en.split(':')[0]}",
        role="facilitator", organisation_id=orgs["codi"].id)
    round_ = await rounds.create_round(
        session, facilitator, slug=spec.slug, title={"th": spec.title_th, "en": spec.title_en},
        description={"th": spec.description_th, "en": spec.description_en}, area_codes=[spec.province_code],
        threshold=spec.threshold,
        groups=[rounds.GroupSpec(g.key, {"th": g.name_th, "en": g.name_en}, quorum=g.quorum) for g in spec.groups],
    )
    members: dict[str, list[Participant]] = defaultdict(list)
    for group in spec.groups:
        for i in range(group.size):
            person = await _find_or_create_person(
                session, facilitator, f"{spec.slug}:{group.key}:{i}",
                display_name=f"{rng.choice(FIRST_NAMES)} ({group.name_th} {i + 1})")
            await rounds.add_member(session, facilitator, round_.id, person.id, group_key=group.key)
            members[group.key].append(person)

    need_ids = {}
    for n, need in enumerate(spec.needs):
        raisers = members[need.group]
        made = await needs.submit_need(
            session, raisers[n % len(raisers)], round_.id, title=need.title_th, body=need.body_th,
            area_code=need.area_code, sector=need.sector, hazards=list(need.hazards), severity=need.severity,
            people_affected=need.people_affected,
            translations={"en": {"title": need.title_en, "body": need.body_en}})
        need_ids[need.key] = made.id
        for neighbour in raisers[1: 1 + rng.randint(0, len(raisers) - 1)]:
            if neighbour.id != made.author_id:  # "me too" is for someone else's need
                await needs.endorse_need(session, neighbour, made.id)

    told = await risk.tell(session, spec.slug, round_.id, members)  # after the needs above: no draw is moved

    await rounds.move_phase(session, facilitator, round_.id, "drafting")
    clause_ids = {}
    for draft_spec in spec.drafts:
        draft = await drafts.create_draft(
            session, facilitator, round_.id, title=draft_spec.title_th,
            organisation_id=orgs[draft_spec.organisation].id, translations={"en": {"title": draft_spec.title_en}})
        for clause_spec in draft_spec.clauses:
            clause = await drafts.add_clause(
                session, facilitator, draft.id, text=clause_spec.text_th,
                answers=[need_ids[k] for k in clause_spec.answers]
                + risk.answers(spec.slug, f"{draft_spec.key}/{clause_spec.key}", told),
                translations={"en": {"text": clause_spec.text_en}})
            clause_ids[f"{draft_spec.key}/{clause_spec.key}"] = (clause.id, clause_spec.support, clause_spec.voters)

    await rounds.move_phase(session, facilitator, round_.id, "deliberation")
    votes = 0
    for group_key, people_in_group in members.items():
        for i, person in enumerate(people_in_group):
            for clause_id, support, voters in clause_ids.values():
                # before any draw: a clause without a cap draws exactly as before, so other rounds stay the same
                if i >= voters.get(group_key, len(people_in_group)) or rng.random() > VOTE_PROBABILITY:
                    continue
                agree = support.get(group_key, 0.5)
                roll = rng.random()
                choice = "agree" if roll < agree else ("pass" if roll < agree + (1 - agree) * 0.2 else "disagree")
                await deliberation.cast_vote(session, person, clause_id, choice)
                votes += 1
    for c, comment in enumerate(spec.comments):
        author = members[comment.group][c % len(members[comment.group])]
        await deliberation.post_comment(session, author, clause_id=clause_ids[comment.clause][0],
                                        stance=comment.stance, body=comment.body_th)
    return {"participants": sum(len(m) for m in members.values()), "needs": len(need_ids) + 3 * len(told),
            "clauses": len(clause_ids), "votes": votes, "comments": len(spec.comments)}


async def load_demo(sessions: async_sessionmaker[AsyncSession], *, secret: str = "",
                    data_dir: Path | None = None) -> str:
    """Loads what is missing and returns what to print. The ways in (an invitation link per round and a staff
    key) are kept under `data_dir` for `ruam serve` to print once it listens (announcement.py): printed here
    they would scroll away above the server's start-up, on an address the server may not have. With `secret`
    (the installation's key) each round's invitation code is the same on every run."""
    lines = []
    async with unit_of_work(sessions) as session:
        admin = await _find_or_create_person(session, None, "admin", display_name="ผู้ดูแลระบบ Ruam",
                                             role="admin")
        orgs = await _organisations(session, admin)
    for spec in ROUNDS:
        async with unit_of_work(sessions) as session:
            if await session.scalar(select(Round.id).where(Round.slug == spec.slug)):
                lines.append(f"{spec.slug}: already loaded")
                continue
            admin = await session.merge(admin)
            counts = await _load_round(session, admin, orgs, spec)
            lines.append(f"{spec.slug}: " + ", ".join(f"{v} {k}" for k, v in counts.items()))
        async with unit_of_work(sessions) as session:
            # so that the first visit finds a proposal; the worker keeps it current afterwards
            round_id = await session.scalar(select(Round.id).where(Round.slug == spec.slug))
            assert round_id is not None, "loaded just above"
            await consolidate(session, round_id)
    lines.extend(await load_follow_up(sessions))
    lines.extend(await risk.publish_rounds(sessions, [spec.slug for spec in ROUNDS]))
    lines.extend(await load_exclusion(sessions))
    ways_in = await _ways_in(sessions, admin, secret)
    if data_dir is not None:
        announcement.save(data_dir, ways_in)
        lines.append("The links to try it, and a staff sign-in key, are printed when `ruam serve` has started.")
    return "\n".join(lines)


def demo_code(secret: str, slug: str) -> str:
    """A demo round's invitation code, the same on every run of one installation (made from its secret key,
    so not guessable from this source), so that links printed or shared earlier keep working."""
    digest = hmac.new(secret.encode(), f"demo-invite:{slug}".encode(), hashlib.sha256).digest()
    return "".join(CODE_ALPHABET[byte % len(CODE_ALPHABET)] for byte in digest[:CODE_LENGTH])


async def _ways_in(sessions: async_sessionmaker[AsyncSession], admin: Participant,
                   secret: str) -> announcement.Announcement:
    """A staff key and an invitation link per round, so a visitor can try both sides. The key is stored only
    as a hash, so each run makes a new one; the codes stay the same."""
    async with unit_of_work(sessions) as session:
        admin = await session.merge(admin)
        _, token = await create_token(session, None, admin.id, name="demo", scopes=list(SCOPES))
        joins = []
        for spec in ROUNDS:
            round_ = await session.scalar(select(Round).where(Round.slug == spec.slug))
            assert round_ is not None, "every demo round is loaded by now"
            code = await _invite(session, admin, round_, spec, secret)
            joins.append(announcement.Join(spec.slug, spec.groups[0].name_en, code))
    return announcement.Announcement(token, tuple(joins))


async def _invite(session: AsyncSession, admin: Participant, round_: Round, spec: DemoRound, secret: str) -> str:
    """The round's demo code: made on the first run, found again on the next ones."""
    group_key = spec.groups[0].key
    if not secret:
        [(_, plain)] = await create_invites(session, admin, round_.id, group_key=group_key, max_uses=DEMO_USES)
        return plain
    plain = demo_code(secret, spec.slug)
    if await session.scalar(select(InviteCode.id).where(InviteCode.code_hash == hash_secret(plain))) is None:
        [(invite, _)] = await create_invites(session, admin, round_.id, group_key=group_key, max_uses=DEMO_USES)
        invite.code_hash = hash_secret(plain)
        await session.flush()
    return plain
