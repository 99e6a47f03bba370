"""`ruam demo` gives every pilot province a climate-risk picture that reads in public: several hazards, sectors
and groups, and needs answered by clauses adopted in published proposals."""

from collections import defaultdict

from sqlalchemy import select
from sqlalchemy.ext.asyncio import async_sessionmaker

from server.demo.content import ROUNDS
from server.demo.loader import load_demo
from server.people.models import Participant
from server.risk.service import RiskQuery, climate_risk
from server.rounds.models import Round

PILOT_PROVINCES = {"91": "Satun", "85": "Ranong", "82": "Phang Nga", "58": "Mae Hong Son", "10": "Bangkok"}


async def test_every_pilot_province_shows_a_risk_picture_in_public(session):
    sessions = async_sessionmaker(bind=session.bind, join_transaction_mode="create_savepoint",
                                  expire_on_commit=False)
    said = await load_demo(sessions)
    admin = await session.scalar(select(Participant).where(Participant.external_source == "demo",
                                                           Participant.external_id == "admin"))
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
    assert answered >= {"91", "85", "58", "10"}, answered
    groups = [g for g in view.found.groups if g.cells]
    assert len(groups) >= 6 and groups == sorted(groups, key=lambda g: -g.score)
