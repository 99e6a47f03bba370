"""The votes consolidation reads: matched to members and current statements in numpy, they must be the
very matrix a plain join in SQL gives, amendments, superseded clauses and outsiders included."""

import uuid

import numpy as np
import pytest
from sqlalchemy import text

from server.consolidation import votes_index
from server.consolidation.inputs import VOTES_COPY, load_inputs
from server.consolidation.votes_index import IdIndex, VoteReader
from server.deliberation import service as deliberation
from server.drafts import authoring
from server.drafts import service as drafts
from server.ids import uuid7
from server.people import service as people
from server.people.models import Participant
from server.rounds import service as rounds
from tests.factories import make_member, make_participant, make_round

# The straightforward reading: each vote of a member in a declared group on a current statement,
# numbered as the members and statements are listed.
REFERENCE = """
    SELECT v.participant_id, COALESCE(v.amendment_id, v.clause_id) AS statement_id, v.value
    FROM votes v
    JOIN memberships m ON m.round_id = v.round_id AND m.participant_id = v.participant_id
    WHERE v.round_id = :round_id AND m.group_id IS NOT NULL
"""


async def _raw_vote(session, round_id, participant_id, clause_id, value, amendment_id=None):
    """A vote row as an import or an earlier rule may have left it, past today's checks."""
    await session.execute(text(
        "INSERT INTO votes (id, round_id, participant_id, clause_id, amendment_id, value, entered_by_id) "
        "VALUES (:id, :r, :p, :c, :a, :v, :p)"),
        {"id": uuid7(), "r": round_id, "p": participant_id, "c": clause_id, "a": amendment_id, "v": value})


async def _busy_round(session):
    """Two groups, a member with no group, a person who withdrew, an outsider's vote, an amendment, a
    clause revised after votes (its earlier text keeps them), and another round's votes beside it."""
    round_ = await make_round(session)
    facilitator = await session.get(Participant, round_.created_by_id)
    await rounds.move_phase(session, facilitator, round_.id, "drafting")
    draft = await drafts.create_draft(session, facilitator, round_.id, title="ร่าง")
    clauses = [await drafts.add_clause(session, facilitator, draft.id, text=f"ข้อ {i}") for i in range(4)]
    villagers = [await make_member(session, round_) for _ in range(5)]
    officials = [await make_member(session, round_, group_key="government") for _ in range(2)]
    ungrouped = await make_member(session, round_, group_key=None)
    outsider = await make_participant(session)
    await rounds.move_phase(session, facilitator, round_.id, "deliberation")
    amendment = await drafts.propose_amendment(session, villagers[0], clauses[0].id, text="ข้อ 0 อีกแบบ")
    choices = ("agree", "disagree", "pass")
    for i, person in enumerate(villagers + officials):
        for j, clause in enumerate(clauses):
            if (i + j) % 3:
                await deliberation.cast_vote(session, person, clause.id, choices[(i * j) % 3])
        if i % 2:
            await deliberation.cast_vote(session, person, clauses[0].id, choices[i % 3], amendment_id=amendment.id)
    await deliberation.cast_vote(session, villagers[1], clauses[1].id, "agree")  # a re-vote replaces
    revised = await authoring.edit_clause(session, facilitator, clauses[2].id, text="ข้อ 2 ฉบับใหม่")
    await deliberation.cast_vote(session, villagers[3], revised.id, "disagree")
    await people.withdraw(session, villagers[4], villagers[4].id)  # their votes stay, as counts
    await _raw_vote(session, round_.id, ungrouped.id, clauses[3].id, 1)
    await _raw_vote(session, round_.id, outsider.id, clauses[3].id, -1)

    other = await make_round(session)
    other_facilitator = await session.get(Participant, other.created_by_id)
    await rounds.move_phase(session, other_facilitator, other.id, "drafting")
    other_draft = await drafts.create_draft(session, other_facilitator, other.id, title="อื่น")
    other_clause = await drafts.add_clause(session, other_facilitator, other_draft.id, text="ข้ออื่น")
    await rounds.move_phase(session, other_facilitator, other.id, "deliberation")
    for person in [await make_member(session, other) for _ in range(3)]:
        await deliberation.cast_vote(session, person, other_clause.id, "agree")
    await _raw_vote(session, other.id, villagers[0].id, other_clause.id, -1)  # a member here, voting there
    return round_, revised, clauses[2]


async def _reference(session, inputs):
    row = {p: i for i, p in enumerate(inputs.participant_ids)}
    column = {s: i for i, s in enumerate(inputs.statement_ids)}
    triples = sorted((row[p], column[s], v) for p, s, v in
                     (await session.execute(text(REFERENCE), {"round_id": inputs.round_id})).all()
                     if s in column)
    return [np.array(c) for c in zip(*triples, strict=True)]


async def test_the_read_matrix_is_the_plain_join_cell_for_cell(session):
    round_, revised, superseded = await _busy_round(session)
    inputs = await load_inputs(session, round_.id)
    members = sorted((await session.execute(text(
        "SELECT participant_id FROM memberships WHERE round_id = :r AND group_id IS NOT NULL"),
        {"r": round_.id})).scalars())
    assert inputs.participant_ids == members  # numbered in id order, the ungrouped member left out
    assert revised.id in inputs.statement_ids and superseded.id not in inputs.statement_ids

    participant, statement, value = await _reference(session, inputs)
    votes = inputs.votes
    assert votes.participant.dtype == np.int32 and votes.statement.dtype == np.int32 and votes.value.dtype == np.int8
    assert votes.participant.tolist() == participant.tolist()
    assert votes.statement.tolist() == statement.tolist()
    assert votes.value.tolist() == value.tolist()
    in_table = await session.scalar(text("SELECT count(*) FROM votes WHERE round_id = :r"), {"r": round_.id})
    assert 0 < votes.n_votes <= in_table - 4  # an outsider, the ungrouped member, 2+ on the earlier text
    kinds = {inputs.statement_kind[s] for s in votes.statement.tolist()}
    assert kinds == {"clause", "amendment"}


async def test_a_stream_cut_anywhere_reads_the_same(session, monkeypatch):
    round_, _, _ = await _busy_round(session)
    inputs = await load_inputs(session, round_.id)
    raw = (await (await session.connection()).get_raw_connection()).driver_connection
    chunks: list[bytes] = []

    async def sink(chunk: bytes) -> None:
        chunks.append(chunk)

    await raw.copy_from_query(VOTES_COPY, round_.id, output=sink, format="binary")
    stream = b"".join(chunks)
    monkeypatch.setattr(votes_index, "BATCH", 1)  # parse after every piece, whatever its size
    for size in (1, 7, 48, 50):
        reader = VoteReader(inputs.participant_ids, inputs.statement_ids)
        for start in range(0, len(stream), size):
            await reader.feed(stream[start:start + size])
        participant, statement, value = reader.finish()
        assert participant.tolist() == inputs.votes.participant.tolist()
        assert statement.tolist() == inputs.votes.statement.tolist()
        assert value.tolist() == inputs.votes.value.tolist()

    cut = VoteReader(inputs.participant_ids, inputs.statement_ids)
    await cut.feed(stream[:-30])
    with pytest.raises(ValueError, match="ended early"):
        cut.finish()


def _halves(ids):
    both = np.array([[i.int >> 64, i.int & (2**64 - 1)] for i in ids], dtype=np.uint64)
    return both[:, 0], both[:, 1]


def test_ids_whose_halves_fold_alike_are_told_apart():
    # (1, 2) and (2, 1) fold to the same key, and so does (3, 0), which is not among them
    a, b, c = uuid.UUID(int=(1 << 64) | 2), uuid.UUID(int=(2 << 64) | 1), uuid.UUID(int=(3 << 64) | 0)
    index = IdIndex([b, a])
    assert index.exact is not None
    assert index.find(*_halves([a, b, c, a])).tolist() == [1, 0, -1, 1]


def test_an_id_folding_like_a_member_is_not_taken_for_it():
    members = [uuid7() for _ in range(1000)]
    index = IdIndex(members)
    assert index.exact is None
    twin = uuid.UUID(int=((members[5].int >> 64) ^ 1) << 64 | ((members[5].int & (2**64 - 1)) ^ 1))
    found = index.find(*_halves([members[999], twin, members[0], uuid7()]))
    assert found.tolist() == [999, -1, 0, -1]
    assert IdIndex([]).find(*_halves([members[0]])).tolist() == [-1]


@pytest.mark.parametrize(("people", "statements"), [(3, 1), (100_000, 5_000), (2**25, 3_000)],
                         ids=["tiny", "fits 32 bits", "needs 64 bits"])
def test_votes_sort_by_row_then_column_whatever_the_key_width(people, statements):
    rng = np.random.default_rng(7)
    cells = rng.choice(people * statements, size=min(5_000, people * statements), replace=False)
    participant, statement = (cells // statements).astype(np.int32), (cells % statements).astype(np.int32)
    value = rng.integers(-1, 2, len(cells)).astype(np.int8)
    row, column, sorted_value = votes_index.sort_votes(participant, statement, value, people, statements)
    order = np.lexsort((statement, participant))
    assert row.tolist() == participant[order].tolist() and column.tolist() == statement[order].tolist()
    assert sorted_value.tolist() == value[order].tolist() and sorted_value.dtype == np.int8
