"""A worker's incremental read of a round's votes (vote_cache.py) must give, after every kind of change, the
very inputs a full read gives: same rows, columns, values and inputs hash. Each change is committed, as votes
are in production, and the worst case is tried from outside: a vote written by a transaction that began
before the cached read and commits after it."""

import numpy as np
import pytest
from sqlalchemy import text

from server.consolidation.inputs import load_inputs
from server.consolidation.vote_cache import CachedVotes, VoteCache, catchup, merge
from server.consolidation.votes_index import IdIndex
from server.database import make_sessionmaker, unit_of_work
from server.deliberation import service as deliberation
from server.drafts import authoring
from server.drafts import service as drafts
from server.ids import uuid7
from server.people.models import Participant
from server.rounds import service as rounds
from tests.factories import make_member, make_participant, make_round


@pytest.fixture
def committed(engine):
    return make_sessionmaker(engine)


async def _both_reads(committed, round_id, cache):
    """The inputs read with the cache and without it, each in its own transaction."""
    async with unit_of_work(committed) as session:
        cached = await load_inputs(session, round_id, cache)
    async with unit_of_work(committed) as session:
        full = await load_inputs(session, round_id)
    return cached, full


def _same(cached, full):
    assert cached.participant_ids == full.participant_ids and cached.statement_ids == full.statement_ids
    assert cached.votes.participant.tolist() == full.votes.participant.tolist()
    assert cached.votes.statement.tolist() == full.votes.statement.tolist()
    assert cached.votes.value.tolist() == full.votes.value.tolist()
    assert cached.digest() == full.digest()


async def _round_with_votes(committed):
    async with unit_of_work(committed) as session:
        facilitator = await make_participant(session, role="facilitator")
        round_ = await make_round(session, facilitator)
        await rounds.move_phase(session, facilitator, round_.id, "drafting")
        draft = await drafts.create_draft(session, facilitator, round_.id, title="ร่าง")
        clauses = [await drafts.add_clause(session, facilitator, draft.id, text=f"ข้อ {i}") for i in range(4)]
        members = [await make_member(session, round_) for _ in range(6)]
        await rounds.move_phase(session, facilitator, round_.id, "deliberation")
        for i, person in enumerate(members[:4]):
            for j, clause in enumerate(clauses):
                if (i + j) % 2:
                    await deliberation.cast_vote(session, person, clause.id, ("agree", "disagree", "pass")[i % 3])
    return round_, facilitator, clauses, members


async def _vote(committed, person, clause, choice, amendment=None):
    async with unit_of_work(committed) as session:
        await deliberation.cast_vote(session, person, clause.id, choice,
                                     amendment_id=amendment.id if amendment else None)


async def test_after_every_kind_of_change_the_cached_read_is_the_full_read(committed):
    round_, facilitator, clauses, members = await _round_with_votes(committed)
    cache = VoteCache()
    _same(*await _both_reads(committed, round_.id, cache))  # the first read fills the cache
    assert cache.get(round_.id) is not None

    # new votes and a changed one
    await _vote(committed, members[4], clauses[0], "agree")
    await _vote(committed, members[0], clauses[1], "disagree")
    cached, full = await _both_reads(committed, round_.id, cache)
    _same(cached, full)
    assert full.votes.n_votes == 9

    # someone who voted without a group is then placed in one: their earlier votes count from then on
    async with unit_of_work(committed) as session:
        late = await make_member(session, round_, group_key=None)
        await deliberation.cast_vote(session, late, clauses[2].id, "agree")
    _same(*await _both_reads(committed, round_.id, cache))
    async with unit_of_work(committed) as session:
        boss = await session.get(Participant, facilitator.id)
        await rounds.add_member(session, boss, round_.id, late.id, group_key="villagers")
    cached, full = await _both_reads(committed, round_.id, cache)
    _same(cached, full)
    assert late.id in full.participant_ids and full.votes.n_votes == 10

    # a member taken out of every group; a clause moved (its column moves); a newcomer
    async with unit_of_work(committed) as session:
        boss = await session.get(Participant, facilitator.id)
        await rounds.add_member(session, boss, round_.id, members[1].id, group_key=None)
        await authoring.move_clause(session, boss, clauses[3].id, "up")
        newcomer = await make_member(session, round_)
        await deliberation.cast_vote(session, newcomer, clauses[3].id, "pass")
    _same(*await _both_reads(committed, round_.id, cache))

    # a new statement (an amendment) and votes on it
    async with unit_of_work(committed) as session:
        amendment = await drafts.propose_amendment(session, await session.get(Participant, members[2].id),
                                                   clauses[0].id, text="ข้อ 0 อีกแบบ")
    await _vote(committed, members[3], clauses[0], "agree", amendment)
    _same(*await _both_reads(committed, round_.id, cache))

    # votes deleted (their clause withdrawn by deleting it, as a cascade would)
    async with unit_of_work(committed) as session:
        await session.execute(text("DELETE FROM votes WHERE amendment_id = :a"), {"a": amendment.id})
    cached, full = await _both_reads(committed, round_.id, cache)
    _same(cached, full)
    async with unit_of_work(committed) as session:
        assert await session.scalar(text("SELECT count(*) FROM vote_deletions WHERE round_id = :r"),
                                    {"r": round_.id}) == 1
    # the first read, the new statement and the deletion read everything; the other four only what changed
    assert cache.reads == {"full": 3, "since": 4}


async def test_a_vote_committed_after_the_cached_read_by_an_earlier_transaction_is_read(committed, engine):
    """The vote's transaction starts (and gets its id) before the cached read and commits after it, while a
    later transaction's vote commits before the read: an id or a timestamp would miss the first."""
    round_, _, clauses, members = await _round_with_votes(committed)
    cache = VoteCache()
    _same(*await _both_reads(committed, round_.id, cache))

    async with engine.connect() as slow:
        await slow.begin()
        # a write: the transaction has its id from here
        await slow.execute(text(
            "INSERT INTO votes (id, round_id, participant_id, clause_id, value, entered_by_id) "
            "VALUES (:id, :r, :p, :c, -1, :p)"), {"id": uuid7(), "r": round_.id, "p": members[5].id, "c": clauses[1].id})
        await _vote(committed, members[4], clauses[1], "agree")  # begun later, committed first
        cached, full = await _both_reads(committed, round_.id, cache)
        _same(cached, full)
        assert full.participant_ids.index(members[5].id) not in full.votes.participant.tolist()
        await slow.commit()

    cached, full = await _both_reads(committed, round_.id, cache)
    _same(cached, full)
    row = full.participant_ids.index(members[5].id)
    assert row in full.votes.participant.tolist()
    assert cache.reads == {"full": 1, "since": 2}


def _votes(rng, n_p, n_s, n):
    keys = np.unique(rng.integers(0, n_p * n_s, n))
    return (keys // n_s).astype(np.int32), (keys % n_s).astype(np.int32), rng.integers(-1, 2, len(keys)).astype(np.int8)


def test_merge_writes_new_votes_over_old_ones_and_keeps_the_order():
    import uuid

    rng = np.random.default_rng(3)
    people = sorted(uuid.uuid4() for _ in range(50))
    statements = [uuid.uuid4() for _ in range(20)]
    old = _votes(rng, 50, 20, 300)
    cached = CachedVotes("1:1:", people, statements, *old, indexes=(IdIndex(people), IdIndex(statements)))
    newer = _votes(rng, 50, 20, 60)
    row, column, value = merge(catchup(cached, people, statements), people, statements, newer)
    expected = {(p, s): v for p, s, v in zip(*old, strict=True)}
    expected.update({(p, s): v for p, s, v in zip(*newer, strict=True)})
    assert list(zip(row.tolist(), column.tolist(), strict=True)) == sorted(expected)
    assert value.tolist() == [expected[k] for k in sorted(expected)]

    # a person gone and the statements in another order: rows and columns follow, order restored
    fewer, shuffled = people[:10] + people[11:], statements[::-1]
    row, column, value = merge(catchup(cached, fewer, shuffled), fewer, shuffled,
                               (np.zeros(0, np.int32),) * 2 + (np.zeros(0, np.int8),))
    moved = sorted((fewer.index(people[p]), shuffled.index(statements[s]), v)
                   for p, s, v in zip(*old, strict=True) if p != 10)
    assert list(zip(row.tolist(), column.tolist(), value.tolist(), strict=True)) == moved


def test_the_cache_keeps_the_rounds_read_last_within_its_bound():
    import uuid

    def votes(n):
        return CachedVotes("1:1:", [], [], np.zeros(n, np.int32), np.zeros(n, np.int32), np.zeros(n, np.int8),
                           indexes=(IdIndex([]), IdIndex([])))

    a, b, c, big = (uuid.uuid4() for _ in range(4))
    cache = VoteCache(max_votes=100)
    cache.keep(a, votes(40))
    cache.keep(b, votes(40))
    assert cache.get(a) is not None  # read again: now the most recent
    cache.keep(c, votes(40))  # 120 > 100: the least recently read goes
    assert cache.get(b) is None and cache.get(a) is not None and cache.get(c) is not None
    cache.keep(big, votes(101))  # larger than the bound alone: not kept, nothing else lost
    assert cache.get(big) is None and cache.get(a) is not None
    assert VoteCache(max_votes=0).get(a) is None
