"""`ruam demo` gives every pilot province a climate-risk picture that reads in public: several hazards, sectors
and groups, and needs answered by clauses adopted in published proposals; Phang Nga too, while its Moken are
still to be heard on most clauses. And who is left out of public services reads in public in several rounds."""

from collections import defaultdict

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import async_sessionmaker

from server.consolidation import rules as proposal_rules
from server.consolidation.details import result_of
from server.consolidation.service import published
from server.consolidation.status import CONSENSUS, UNDER_HEARD
from server.demo.content import ROUNDS
from server.demo.loader import load_demo
from server.disclosure import PUBLIC
from server.exclusion.summary import summary
from server.people.models import ConsentRecord, ExclusionRecord, Participant
from server.people.service import record_consent
from server.risk.service import RiskQuery, climate_risk
from server.rounds.models import Round
from server.rounds.queries import facilitated_round_ids

PILOT_PROVINCES = {"91": "Satun", "85": "Ranong", "82": "Phang Nga", "58": "Mae Hong Son", "10": "Bangkok"}
PHANGNGA = "phangnga-farmers-moken-2026"


def _sessions(session):
    return async_sessionmaker(bind=session.bind, join_transaction_mode="create_savepoint", expire_on_commit=False)


async def _demo_person(session, key: str) -> Participant:
    person = await session.scalar(select(Participant).where(Participant.external_source == "demo",
                                                            Participant.external_id == key))
    assert person is not None, key
    return person


async def test_every_pilot_province_shows_a_risk_picture_in_public(session):
    said = await load_demo(_sessions(session))
    admin = await _demo_person(session, "admin")
    demo = set(await session.scalars(select(Round.id).where(Round.slug.in_([r.slug for r in ROUNDS]))))
    # read as the public reads it: an administrator reads every round's needs, and with no round facilitated
    # sees only the figures everyone may
    view = await climate_risk(session, admin, RiskQuery(level="district"), facilitated=set())
    assert not [r for r in view.rounds if r.id in demo and r in view.unpublished], said
    shown = defaultdict(list)
    for cell in view.found.cells:
        if cell.figures is not None:
            shown[cell.area_code[:2]].append(cell)
    for code, name in PILOT_PROVINCES.items():
        cells = shown[code]
        assert len({c.hazard for c in cells}) >= 3, name
        assert len({c.sector for c in cells}) >= 3, name
        assert len({c.group for c in cells}) >= 2, name
    answered = {code for code, cells in shown.items() if any(c.figures.answered_share > 0 for c in cells)}
    assert answered >= set(PILOT_PROVINCES), answered
    groups = [g for g in view.found.groups if g.cells]
    assert len(groups) >= 6 and groups == sorted(groups, key=lambda g: -g.score)

    # each round's own page, as one of its members reads it (no figure resting on fewer than 3 people)
    for spec in ROUNDS:
        round_id = await session.scalar(select(Round.id).where(Round.slug == spec.slug))
        member = await _demo_person(session, f"{spec.slug}:{spec.groups[0].key}:0")
        page = await climate_risk(session, member, RiskQuery(level="district"), round_id=round_id,
                                  facilitated=await facilitated_round_ids(session, member))
        cells = [c for c in page.found.cells if c.figures is not None]
        assert not page.full_view and not page.unpublished, spec.slug
        assert len({c.hazard for c in cells}) >= 2, spec.slug
        assert len({c.sector for c in cells}) >= 2, spec.slug
        assert len({c.group for c in cells if c.group}) >= 2, spec.slug
        assert any(c.figures.answered_share > 0 for c in cells), spec.slug

    # Phang Nga: the relief clause the Moken were reached on is adopted; on others they are still to be heard,
    # and said to be so in public
    phangnga = await session.scalar(select(Round).where(Round.slug == PHANGNGA))
    proposal = await published(session, phangnga.id)
    whole = await result_of(session, proposal)
    statuses = proposal_rules.clause_statuses(whole, PUBLIC)
    assert CONSENSUS in statuses.values() and UNDER_HEARD in statuses.values()
    public = proposal_rules.shown(whole, {}, PUBLIC, proposal_rules.Current()).result
    assert any("moken" in s["groups_lacking_quorum"] for s in public["statements"])


async def test_who_is_left_out_reads_in_public_in_several_rounds_and_a_rerun_gives_no_consent_back(session):
    sessions = _sessions(session)
    await load_demo(sessions)
    shown = {}
    for spec in ROUNDS:
        round_ = await session.scalar(select(Round).where(Round.slug == spec.slug))
        found = await summary(session, round_, PUBLIC, "district")
        # a group in one district with 3 people or more who answered; every figure there 3 or more, or hidden
        shown[spec.slug] = found.listed
        for row in found.listed:
            assert all(n is None or n >= 3 for n in row.figures.values()), spec.slug
    assert len([slug for slug, rows in shown.items() if rows]) >= 2, shown
    moken = [r for r in shown[PHANGNGA] if r.group.key == "moken"]
    assert moken and moken[0]["no_id"] == 3  # typed at the island meeting through a proxy record each

    # everyone counted agreed first; one takes it back, and loading again neither adds nor gives anything back
    answered = await session.scalar(select(func.count()).select_from(ExclusionRecord))
    consents = await session.scalar(select(func.count()).select_from(ConsentRecord))
    person = await _demo_person(session, "ranong-displaced-thais-2026:displaced_thai:0")
    await record_consent(session, person, person.id, purpose="exclusion_data", granted=False)
    await load_demo(sessions)
    assert await session.get(ExclusionRecord, person.id) is None
    assert await session.scalar(select(func.count()).select_from(ExclusionRecord)) == answered - 1
    assert await session.scalar(select(func.count()).select_from(ConsentRecord)) == consents + 1
