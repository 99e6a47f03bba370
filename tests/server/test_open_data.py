"""A published round as open data: every file there, columns as the data dictionary says, small groups'
figures left out, nobody's name or id anywhere, the Pol.is export read back identically by import-polis,
voter pseudonyms that differ between rounds, and nothing at all for a round with nothing published."""

import asyncio
import csv
import io
import json
import os
import sys
from collections import Counter

import pytest
from sqlalchemy import select

from server.consolidation.inputs import load_inputs
from server.consolidation.polis_export import read_polis_export
from server.database import make_sessionmaker, unit_of_work
from server.deliberation.service import cast_vote
from server.drafts.service import propose_amendment
from server.errors import NotPermitted, NotPublished, ValidationError
from server.imports.polis import import_polis
from server.opendata import dictionary
from server.opendata.service import FILES, export, open_data_file, set_licence
from server.people.models import Participant
from server.people.service import system_actor, withdraw
from server.rounds.models import Membership
from server.rounds.service import move_phase
from tests.factories import make_clause, make_commitment, make_member, make_need, make_round, publish_round

SECRET = "open-data-test-secret-" + "x" * 20
BASE = "https://ruam.test"
VILLAGERS = ("มาลี ทะเลงาม", "บุญมี หาดทราย", "ประเสริฐ คลื่นลม", "สมใจ เกาะลันตา")
OFFICIAL = "ปลัดสมศักดิ์ ราชการดี"
CLAUSES = ("รัฐจะออกโฉนดชุมชนภายในหนึ่งปี", "รัฐจะจัดหาน้ำประปาให้ทุกหมู่บ้าน")
AMENDMENT = "รัฐจะออกโฉนดชุมชนภายในหกเดือน"
# clause 1: agree, agree, disagree, pass; clause 2: agree, disagree, agree, (none); the amendment: 3 agree
VOTES = {0: ("agree", "agree", "disagree", "pass"), 1: ("agree", "disagree", "agree", None)}


async def _published_round(session):
    """Four villagers (the last of whom leaves Ruam after voting) and one official (a group of one) vote on two
    clauses and an amendment; a need from each group, one hidden; a commitment with an update; published."""
    round_ = await make_round(session)
    villagers = [await make_member(session, round_, display_name=n) for n in VILLAGERS]
    official = await make_member(session, round_, group_key="government", display_name=OFFICIAL)
    open_need = await make_need(session, round_, villagers[0], title="น้ำกัดเซาะชายฝั่ง")
    await make_need(session, round_, official, title="ถนนเข้าหมู่บ้านขาด")
    hidden = await make_need(session, round_, villagers[1], title="ความลับของหมู่บ้าน")
    hidden.status = "hidden"
    clauses = [await make_clause(session, round_, text=CLAUSES[0], answers=[open_need.id, hidden.id]),
               await make_clause(session, round_, text=CLAUSES[1])]
    facilitator = await session.get(Participant, round_.created_by_id)
    await move_phase(session, facilitator, round_.id, "deliberation")
    amendment = await propose_amendment(session, villagers[0], clauses[0].id, text=AMENDMENT)
    for c, choices in VOTES.items():
        for person, choice in zip(villagers, choices, strict=True):
            if choice:
                await cast_vote(session, person, clauses[c].id, choice)
        await cast_vote(session, official, clauses[c].id, "agree")
    for person in villagers[:3]:
        await cast_vote(session, person, clauses[0].id, "agree", amendment_id=amendment.id)
    await withdraw(session, villagers[3], villagers[3].id)
    await publish_round(session, round_)
    commitment = await make_commitment(session, clauses[1], agency="กรมทรัพยากรน้ำ")
    from server.commitments.service import update_commitment

    await update_commitment(session, facilitator, commitment.id, status="accepted", note="เริ่มสำรวจแล้ว")
    return round_, villagers, official, clauses, amendment


def _csv(data: bytes) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(data.decode())))


async def _people_of(session, round_) -> list[Participant]:
    ids = (await session.scalars(select(Membership.participant_id).where(Membership.round_id == round_.id))).all()
    return [await session.get(Participant, i) for i in [*ids, round_.created_by_id]]


async def test_every_file_is_written_with_its_dictionary_columns_and_no_person_in_it(session, tmp_path):
    round_, *_ = await _published_round(session)
    people = await _people_of(session, round_)
    written = await export(session, round_, tmp_path, secret=SECRET, base_url=BASE)
    assert sorted(p.relative_to(tmp_path).as_posix() for p in written) == sorted(FILES)

    package = json.loads((tmp_path / "datapackage.json").read_text())
    assert package["licenses"][0]["name"] == "CC-BY-4.0" and package["ruam"]["proposal_version"] == 1
    resources = {r["path"]: r for r in package["resources"]}
    for table in dictionary.TABLES:
        rows = list(csv.reader(io.StringIO((tmp_path / f"{table.name}.csv").read_text())))
        declared = [f["name"] for f in resources[f"{table.name}.csv"]["schema"]["fields"]]
        assert rows[0] == declared == list(table.columns)
        assert all(len(r) == len(declared) for r in rows)
        for item in json.loads((tmp_path / f"{table.name}.json").read_text()):
            assert list(item) == declared
    assert all((tmp_path / r["path"]).is_file() for r in package["resources"])

    names = [p.display_name for p in people] + list(VILLAGERS) + [OFFICIAL]  # the one who left included
    for path in written:
        data = path.read_bytes()
        for person in people:
            assert str(person.id).encode() not in data, (path, person.display_name)
            assert person.id.hex.encode() not in data
        for name in names:
            assert name.encode() not in data, (path, name)


async def test_needs_are_public_ones_and_a_small_groups_need_has_no_group(session):
    round_, *_ = await _published_round(session)
    needs = _csv((await open_data_file(session, round_, "needs.csv", secret=SECRET, base_url=BASE)).content)
    by_title = {n["title"]: n for n in needs}
    assert set(by_title) == {"น้ำกัดเซาะชายฝั่ง", "ถนนเข้าหมู่บ้านขาด"}  # the hidden need is not there
    assert by_title["น้ำกัดเซาะชายฝั่ง"]["group"] == "villagers"
    assert by_title["ถนนเข้าหมู่บ้านขาด"]["group"] == ""  # the government group has one member
    assert by_title["น้ำกัดเซาะชายฝั่ง"]["hazards"] == "coastal"
    clauses = _csv((await open_data_file(session, round_, "clauses.csv", secret=SECRET, base_url=BASE)).content)
    open_need = by_title["น้ำกัดเซาะชายฝั่ง"]["need_id"]
    assert [c["text"] for c in clauses] == list(CLAUSES)
    assert clauses[0]["needs_answered"] == open_need  # the hidden need it answers is not named


async def test_vote_figures_leave_out_a_group_of_fewer_than_three(session):
    round_, _v, _o, clauses, amendment = await _published_round(session)
    votes = _csv((await open_data_file(session, round_, "votes.csv", secret=SECRET, base_url=BASE)).content)
    cells = {(v["statement_id"], v["group"]): v for v in votes}
    first = cells[(str(clauses[0].id), "villagers")]
    # the villager who left is still counted: "your votes stay only as anonymous counts"
    assert (first["agree"], first["disagree"], first["pass"], first["seen"], first["shown"]) == \
        ("2", "1", "1", "4", "true")
    for statement in (clauses[0].id, clauses[1].id, amendment.id):
        government = cells[(str(statement), "government")]
        assert government["shown"] == "false"
        assert government["agree"] == government["seen"] == government["disagree"] == government["pass"] == ""
        assert government["status"] == "under_heard"
    assert cells[(str(amendment.id), "villagers")]["statement_text"] == AMENDMENT
    data = json.loads((await open_data_file(session, round_, "votes.json", secret=SECRET,
                                            base_url=BASE)).content)
    hidden = [v for v in data if v["group"] == "government"]
    assert hidden and all(v["agree"] is None and v["seen"] is None and v["shown"] is False for v in hidden)
    groups = {g["group"]: g for g in _csv((await open_data_file(session, round_, "groups.csv", secret=SECRET,
                                                                base_url=BASE)).content)}
    assert groups["villagers"]["participants"] == "4" and groups["government"]["participants"] == ""


async def test_commitments_and_their_history_without_who_recorded_them(session):
    round_, *_ = await _published_round(session)
    facilitator_id = str(round_.created_by_id)
    commitments = _csv((await open_data_file(session, round_, "commitments.csv", secret=SECRET,
                                             base_url=BASE)).content)
    updates = _csv((await open_data_file(session, round_, "commitment_updates.csv", secret=SECRET,
                                         base_url=BASE)).content)
    assert [(c["agency"], c["status"]) for c in commitments] == [("กรมทรัพยากรน้ำ", "accepted")]
    assert [(u["previous_status"], u["status"]) for u in updates] == [("", "pending"), ("pending", "accepted")]
    assert updates[1]["note"] == "เริ่มสำรวจแล้ว"
    assert facilitator_id not in json.dumps([commitments, updates])


async def test_the_polis_export_reads_back_identically_through_import_polis(session, tmp_path):
    round_, *_ = await _published_round(session)
    await export(session, round_, tmp_path, secret=SECRET, base_url=BASE)
    folder = tmp_path / "polis"
    exported = read_polis_export(folder)
    comments = list(csv.DictReader((folder / "comments.csv").open(encoding="utf-8")))
    assert [c["comment-body"] for c in comments] == [*CLAUSES, AMENDMENT]

    # what the public may have: the three villagers still in Ruam; not the official (a group of one on every
    # statement), nor the villager who left
    expected = Counter()
    for person in range(3):
        vector = [VOTES[0][person], VOTES[1][person], "agree"]
        expected[tuple({"agree": 1, "disagree": -1, "pass": 0}[v] for v in vector)] += 1

    def vectors(matrix, n_statements):
        rows: dict[int, list[int | None]] = {}
        for p, s, v in zip(matrix.participant, matrix.statement, matrix.value, strict=True):
            rows.setdefault(int(p), [None] * n_statements)[int(s)] = int(v)
        return Counter(tuple(r) for r in rows.values())

    assert vectors(exported.votes, 3) == expected and exported.votes.n_participants == 3

    imported = await import_polis(session, await system_actor(session), folder)
    back = await load_inputs(session, imported.id)
    assert back.statement_text == [*CLAUSES, AMENDMENT]
    assert len(back.participant_ids) == 3
    assert vectors(back.votes, 3) == expected
    assert sorted(int(x) for x in back.participant_external) == sorted(int(x) for x in exported.participant_ids)

    votes = list(csv.DictReader((folder / "votes.csv").open(encoding="utf-8")))
    assert len(votes) == exported.votes.n_votes == 9
    assert all(int(v["timestamp"]) % 86_400_000 == 0 for v in votes)  # cut to the day


async def test_voter_pseudonyms_are_stable_in_a_round_and_differ_between_rounds(session, tmp_path):
    round_, villagers, *_ = await _published_round(session)
    other = await make_round(session)
    facilitator = await session.get(Participant, other.created_by_id)
    from server.rounds.service import add_member

    for person in villagers[:3]:
        await add_member(session, facilitator, other.id, person.id, group_key="villagers")
    clause = await make_clause(session, other, text=CLAUSES[0])
    await move_phase(session, facilitator, other.id, "deliberation")
    for person in villagers[:3]:
        await cast_vote(session, person, clause.id, "agree")
    await publish_round(session, other)

    async def voters(r, secret=SECRET):
        data = (await open_data_file(session, r, "polis/votes.csv", secret=secret, base_url=BASE)).content
        return {int(v["voter-id"]) for v in _csv(data)}

    here, there = await voters(round_), await voters(other)
    assert len(here) == len(there) == 3 and not here & there
    assert await voters(round_) == here  # the same on every export
    assert not await voters(round_, secret="another-installation-" + "y" * 20) & here
    assert not {int(p.id) % (1 << 52) for p in villagers} & here


async def test_a_round_with_nothing_published_has_no_open_data(session, tmp_path):
    round_ = await make_round(session)
    await make_clause(session, round_)
    with pytest.raises(NotPublished) as refused:
        await export(session, round_, tmp_path, secret=SECRET, base_url=BASE)
    assert round_.slug in refused.value.message("en") and "no published proposal" in refused.value.message("en")
    assert not list(tmp_path.iterdir())


async def test_the_licence_is_chosen_by_the_rounds_facilitators_from_the_list(session):
    round_, villagers, *_ = await _published_round(session)
    facilitator = await session.get(Participant, round_.created_by_id)
    with pytest.raises(NotPermitted):
        await set_licence(session, villagers[0], round_.id, "CC0-1.0")
    with pytest.raises(ValidationError) as wrong:
        await set_licence(session, facilitator, round_.id, "MIT")
    assert "CC-BY-4.0" in str(wrong.value)
    await set_licence(session, facilitator, round_.id, "CC-BY-SA-4.0")
    package = json.loads((await open_data_file(session, round_, "datapackage.json", secret=SECRET,
                                               base_url=BASE)).content)
    assert package["licenses"][0]["name"] == "CC-BY-SA-4.0"
    assert "creativecommons.org/licenses/by-sa/4.0" in package["licenses"][0]["path"]
    text = (await open_data_file(session, round_, "LICENCE.txt", secret=SECRET, base_url=BASE)).content.decode()
    assert "CC-BY-SA-4.0" in text


async def _ruam(services, tmp_path, *args):
    env = {**os.environ, "DATABASE_URL": services.database_url, "REDIS_URL": services.redis_url,
           "DATA_DIR": str(tmp_path / "data"), "SECRET_KEY": SECRET, "DEFAULT_LOCALE": "en"}
    command = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "server.cli", *args, env=env, stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE)
    out, err = await asyncio.wait_for(command.communicate(), timeout=120)
    return command.returncode, out.decode(), err.decode()


async def test_ruam_export_writes_a_published_round_and_refuses_an_unpublished_one(services, engine, tmp_path):
    async with unit_of_work(make_sessionmaker(engine)) as session:
        round_, *_ = await _published_round(session)
        unpublished = await make_round(session)
    code, out, err = await _ruam(services, tmp_path, "export", round_.slug, str(tmp_path / "out"))
    assert code == 0, err
    assert sorted(p.relative_to(tmp_path / "out").as_posix() for p in (tmp_path / "out").rglob("*")
                  if p.is_file()) == sorted(FILES)
    assert "wrote" in out and round_.slug in out

    code, out, err = await _ruam(services, tmp_path, "export", unpublished.slug, str(tmp_path / "nothing"))
    assert code == 1 and not (tmp_path / "nothing").exists()
    assert f"error: Round {unpublished.slug} has no published proposal yet" in err


def test_the_dictionary_describes_every_column():
    for table in (*dictionary.TABLES, dictionary.POLIS_COMMENTS, dictionary.POLIS_VOTES):
        assert len(set(table.columns)) == len(table.columns)
        assert all(f.description and f.type in {"string", "integer", "boolean", "date", "datetime", "number"}
                   for f in table.fields)
