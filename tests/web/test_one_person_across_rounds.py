"""A participant signed in who joins a second round stays one person: the first round's input stays theirs
(My input, voting there) and the second round's is added to it."""

from sqlalchemy import func, select

from server.auth.models import InviteCode
from server.database import unit_of_work
from server.deliberation.models import Vote
from server.people.models import Participant
from server.rounds.models import Membership
from tests.web.conftest import csrf_of, join_round
from tests.web.people import another_round, vote


async def test_joining_a_second_round_keeps_one_person_and_both_rounds_votes_show(client, committed):
    satun, satun_clause, _ = await join_round(client, committed)
    await vote(client, satun_clause)
    ranong, ranong_clause, code = await another_round(committed)

    form = await client.get(f"/j/{code}")
    assert 'name="display_name"' not in form.text and "มาลี" in form.text  # no new name: they join as themself
    joined = await client.post("/join", data={"code": code, "locale": "th", "csrf_token": csrf_of(form)})
    assert joined.status_code == 303 and joined.headers["location"] == f"/consent?next=/rounds/{ranong.slug}"
    consent = await client.get(joined.headers["location"])
    given = await client.post("/consent", data={"next": f"/rounds/{ranong.slug}", "data_processing": "yes",
                                                "csrf_token": csrf_of(consent)})
    # they have a card from the first round: no second one to keep, straight to the round
    assert given.headers["location"] == f"/rounds/{ranong.slug}"
    await vote(client, ranong_clause, "disagree")
    await vote(client, satun_clause, "disagree")  # the first round still takes their votes

    async with unit_of_work(committed) as session:
        voters = set(await session.scalars(select(Vote.participant_id).where(
            Vote.clause_id.in_([satun_clause.id, ranong_clause.id]))))
        assert len(voters) == 1
        [person] = voters
        rounds = set(await session.scalars(select(Membership.round_id).where(Membership.participant_id == person)))
        assert rounds == {satun.id, ranong.id}
        assert await session.scalar(select(func.count()).select_from(Participant)
                                    .where(Participant.display_name == "มาลี", Participant.id == person)) == 1

    satun_mine = (await client.get(f"/rounds/{satun.slug}/mine")).text
    ranong_mine = (await client.get(f"/rounds/{ranong.slug}/mine")).text
    assert satun_clause.text in satun_mine and ranong_clause.text in ranong_mine
    for page in (satun_mine, ranong_mine, (await client.get("/")).text):  # the small list of their rounds
        assert f'href="/rounds/{satun.slug}/mine"' in page and f'href="/rounds/{ranong.slug}/mine"' in page


async def test_joining_a_round_again_counts_no_use_of_the_code(client, committed):
    await join_round(client, committed)
    ranong, _, code = await another_round(committed)
    for _ in range(2):
        form = await client.get(f"/j/{code}")
        joined = await client.post("/join", data={"code": code, "locale": "th", "csrf_token": csrf_of(form)})
        assert joined.headers["location"] == f"/consent?next=/rounds/{ranong.slug}"
    async with unit_of_work(committed) as session:
        invite = await session.scalar(select(InviteCode).where(InviteCode.round_id == ranong.id))
        members = await session.scalar(select(func.count()).select_from(Membership)
                                       .where(Membership.round_id == ranong.id, Membership.facilitates.is_(False)))
    assert (invite.uses, members) == (1, 1)
