"""`ruam demo` loads five believable rounds, once, with something for aggregation to find."""

import re

from sqlalchemy import func, select, text
from sqlalchemy.ext.asyncio import async_sessionmaker

from server.commitments.models import Commitment, CommitmentCheck, CommitmentUpdate
from server.consolidation.details import result_of
from server.consolidation.models import ConsolidatedProposal
from server.demo import announcement
from server.demo.content import ROUNDS
from server.demo.loader import load_demo
from server.needs.models import Need
from server.people.models import Participant
from server.rounds.models import Round

SUPPORT = text("""
    SELECT v.clause_id, g.key, g.quorum, r.threshold,
           count(*) FILTER (WHERE v.value = 1) AS agrees, count(*) AS seen
    FROM votes v
    JOIN memberships m ON m.round_id = v.round_id AND m.participant_id = v.participant_id
    JOIN stakeholder_groups g ON g.id = m.group_id
    JOIN rounds r ON r.id = v.round_id
    WHERE v.amendment_id IS NULL AND r.external_source IS NULL AND r.slug = :slug
    GROUP BY v.clause_id, g.key, g.quorum, r.threshold
""")


async def test_demo_loads_once_with_consensus_contest_and_an_unheard_group(session, tmp_path):
    sessions = async_sessionmaker(bind=session.bind, join_transaction_mode="create_savepoint",
                                  expire_on_commit=False)
    first = await load_demo(sessions)
    assert "already loaded" not in first
    counts = await session.scalar(select(func.count()).select_from(Participant)
                                  .where(Participant.external_source == "demo"))
    again = await load_demo(sessions, secret="k" * 32, data_dir=tmp_path)
    assert again.count("already loaded") == 5
    # the ways in are kept for `ruam serve` to say once it listens, not printed above its start-up
    assert "/j/" not in again and "ruam_" not in again
    said = "\n".join(await announcement.lines(sessions, tmp_path, "http://127.0.0.1:8000"))
    # a way in for each side: a staff key and a working invitation per round, as whole links
    assert re.search(r"http://127\.0\.0\.1:8000/facilitate/sign-in\b.* ruam_\S+", said)
    links = re.findall(r"http://127\.0\.0\.1:8000/j/[A-Z2-9]{8}", said)
    assert len(links) == 5 and not re.search(r"(?<!8000)/j/", said)
    # the same links on every run, so that those printed or shared before keep working
    await load_demo(sessions, secret="k" * 32, data_dir=tmp_path)
    said_again = "\n".join(await announcement.lines(sessions, tmp_path, "http://127.0.0.1:8000"))
    assert re.findall(r"http://\S+/j/[A-Z2-9]{8}", said_again) == links
    assert await session.scalar(select(func.count()).select_from(Participant)
                                .where(Participant.external_source == "demo")) == counts
    assert 190 <= counts <= 220

    # the demo's own rounds: other tests commit rounds of their own to the same database
    slugs = (await session.scalars(select(Round.slug).where(Round.slug.in_([r.slug for r in ROUNDS])))).all()
    assert len(slugs) == 5
    statuses = set()
    for slug in slugs:
        groups = (await session.execute(text(
            "SELECT g.key, g.quorum, count(m.participant_id) FROM stakeholder_groups g "
            "JOIN rounds r ON r.id = g.round_id LEFT JOIN memberships m ON m.group_id = g.id "
            "WHERE r.slug = :slug GROUP BY g.key, g.quorum"), {"slug": slug})).all()
        per_clause: dict = {}
        for clause_id, _key, quorum, threshold, agrees, seen in (await session.execute(SUPPORT, {"slug": slug})):
            if seen < quorum:  # a voice still missing on this clause (Phang Nga's Moken, on most of them)
                statuses.add("a group under its quorum")
            ok = seen >= quorum and (agrees + 1) / (seen + 2) >= threshold
            per_clause.setdefault(clause_id, []).append(ok)
        statuses |= {"consensus" if all(oks) and len(oks) == len(groups) else "contested"
                     for oks in per_clause.values()}
        unanswered = await session.scalar(text(
            "SELECT count(*) FROM needs n JOIN rounds r ON r.id = n.round_id WHERE r.slug = :slug "
            "AND NOT EXISTS (SELECT 1 FROM clause_needs cn WHERE cn.need_id = n.id)"), {"slug": slug})
        assert unanswered >= 1, f"{slug}: every need is answered; the demo should show a gap"
    assert statuses == {"consensus", "contested", "a group under its quorum"}

    # each round arrives with a first proposal, which finds the same kinds of clause
    proposals = (await session.scalars(select(ConsolidatedProposal).join(Round).where(
        Round.slug.in_(slugs)))).all()
    assert len(proposals) == 5
    found = {c["status"] for p in proposals for c in (await result_of(session, p))["clauses"]}
    assert found == {"consensus", "contested", "under_heard"}

    # the Satun round goes on to follow-up: published, taken on by agencies, checked by its members
    satun = await session.scalar(select(Round).where(Round.slug == "satun-sea-nomads-2026"))
    commitments = (await session.scalars(select(Commitment).where(Commitment.round_id == satun.id))).all()
    assert satun.current_phase == "follow_up" and len(commitments) == 3
    assert {c.status for c in commitments} == {"pending", "accepted", "in_progress"}
    ids = [c.id for c in commitments]
    assert await session.scalar(select(func.count()).select_from(CommitmentUpdate)
                                .where(CommitmentUpdate.commitment_id.in_(ids))) == 5
    assert await session.scalar(select(func.count()).select_from(CommitmentCheck)
                                .where(CommitmentCheck.commitment_id.in_(ids))) == 3
    assert "satun-sea-nomads-2026: commitments kept as they are" in again
    assert any(p.published_at for p in proposals if p.round_id == satun.id)

    thai_with_english = await session.scalar(select(func.count()).select_from(Need).where(
        Need.translations["en"]["title"].astext.is_not(None), Need.language == "th"))
    assert thai_with_english >= 25
