"""The climate-risk cells against figures worked out by hand (tests/risk_fixture.py lists the needs), and the
small-group promise attacked by a participant who narrows the filters and reads the totals."""

import pytest

from server.errors import NotPermitted, ValidationError
from server.risk.cells import Cell, NeedRow, aggregate, need_score
from server.risk.service import RiskQuery, climate_risk
from server.rounds.queries import facilitated_round_ids
from tests.factories import make_participant
from tests.risk_fixture import make_picture


def _cells(view) -> dict[tuple, Cell]:
    return {(c.area_code, c.sector, c.hazard, c.group): c for c in view.found.cells}


def _figures(cell: Cell) -> tuple:
    f = cell.figures
    return (f.needs, f.people_affected, f.people_unknown, f.severity_mean, f.severity_max, f.score,
            f.answered_share)


async def _as_facilitator(session, picture, query, **kwargs):
    facilitated = await facilitated_round_ids(session, picture.facilitator)
    return await climate_risk(session, picture.facilitator, query, facilitated=facilitated, **kwargs)


async def _as_fisher(session, picture, query, **kwargs):
    return await climate_risk(session, picture.fisher, query, facilitated=set(), **kwargs)


def test_the_score_weighs_people_by_severity_and_an_uncounted_need_as_one_person():
    assert need_score(5, 100) == 100
    assert need_score(3, None) == pytest.approx(0.6)
    assert need_score(4, 20) == pytest.approx(16)


async def test_subdistrict_cells_for_the_facilitator_are_the_hand_computed_ones(session):
    picture = await make_picture(session)
    view = await _as_facilitator(session, picture, RiskQuery(level="subdistrict"), round_id=picture.fishing.id)
    cells = _cells(view)
    # n1 (5 × 100) + n2 (3 × unknown: 1) + n3 (4 × 20), each over 5: 100 + 0.6 + 16; hidden and withdrawn left out
    assert _figures(cells[("910101", "fisheries", "storm", "fishers")]) == (3, 120, 1, 4.0, 5, 116.6, 0.0)
    # n1 faces two hazards: it counts under each
    assert _figures(cells[("910101", "fisheries", "marine", "fishers")]) == (1, 100, 0, 5.0, 5, 100.0, 0.0)
    assert _figures(cells[("910102", "fisheries", "storm", "fishers")]) == (1, 10, 0, 2.0, 2, 4.0, 0.0)
    assert _figures(cells[("910101", "fisheries", "storm", "moken")]) == (1, 30, 0, 5.0, 5, 30.0, 0.0)
    # a need with no hazard counts under "none"; a meeting's need with no head count weighs as one person
    assert _figures(cells[("910201", "water", "none", "fishers")]) == (1, 5, 0, 1.0, 1, 1.0, 0.0)
    assert _figures(cells[("910102", "fisheries", "flood", "fishers")]) == (1, 0, 1, 3.0, 3, 0.6, 0.0)
    assert len(cells) == 6 and not any(c.left_out for c in cells.values())
    assert [r.slug for r in view.unpublished] == [picture.fishing.slug] and view.full_view
    # the rankings add the cells up: a need counts once in needs and people, once per hazard in the score
    groups = {r.key: r for r in view.found.groups}
    fishers = groups["fishers"]
    assert (fishers.score, fishers.needs, fishers.people_affected, fishers.people_unknown, fishers.cells) == (
        222.2, 6, 135, 2, 5)
    assert [r.key for r in view.found.groups] == ["fishers", "moken"]
    assert [(r.key, r.score) for r in view.found.areas] == [
        ("910101", 246.6), ("910102", 4.6), ("910201", 1.0)]


async def test_levels_roll_subdistricts_up_into_districts_and_provinces(session):
    picture = await make_picture(session)
    district = _cells(await _as_facilitator(session, picture, RiskQuery(level="district"),
                                            round_id=picture.fishing.id))
    # n1 n2 n3 in 910101 and n4 in 910102: (5 + 3 + 4 + 2) / 4 = 3.5, 100 + 0.6 + 16 + 4
    assert _figures(district[("9101", "fisheries", "storm", "fishers")]) == (4, 130, 1, 3.5, 5, 120.6, 0.0)
    assert _figures(district[("9102", "water", "none", "fishers")]) == (1, 5, 0, 1.0, 1, 1.0, 0.0)
    province = _cells(await _as_facilitator(session, picture, RiskQuery(level="province"),
                                            round_id=picture.fishing.id))
    assert _figures(province[("91", "fisheries", "storm", "fishers")]) == (4, 130, 1, 3.5, 5, 120.6, 0.0)
    # 4 × 50 + 4 × 1 + 4 × 10, over 5; two of three answered by the adopted clause
    farming = _cells(await _as_facilitator(session, picture, RiskQuery(level="province"),
                                           round_id=picture.farming.id))
    assert _figures(farming[("91", "agriculture", "drought", "farmers")]) == (3, 60, 1, 4.0, 4, 48.8, 0.667)
    # across rounds (staff read every round's, other tests' committed rounds too): at least these
    across = _cells(await _as_facilitator(session, picture, RiskQuery(level="province")))
    assert across[("91", "agriculture", "drought", "farmers")].figures.needs >= 3


async def test_answered_share_counts_clauses_adopted_in_a_published_proposal_only(session):
    picture = await make_picture(session, publish=False)
    before = await _as_facilitator(session, picture, RiskQuery(level="province"), round_id=picture.farming.id)
    assert _figures(before.found.cells[0])[-1] == 0.0 and before.unpublished == [picture.farming]
    from tests.factories import publish_round

    await publish_round(session, picture.farming)
    after = await climate_risk(session, picture.farmer, RiskQuery(level="province"), facilitated=set(),
                               round_id=picture.farming.id)
    assert _figures(after.found.cells[0]) == (3, 60, 1, 4.0, 4, 48.8, 0.667) and after.unpublished == []


async def test_a_participant_cannot_narrow_the_filters_onto_a_small_part(session):
    picture = await make_picture(session)
    # the part 910102 × storm × fishers rests on D alone: at subdistrict level it reads "fewer than 3"
    narrow = await _as_fisher(session, picture, RiskQuery(level="subdistrict", area_prefix="910102",
                                                          sector="fisheries", hazard="storm"))
    [cell] = narrow.found.cells
    assert cell.small and cell.figures is None and cell.left_out == 1
    assert [(r.score, r.needs, r.left_out) for r in narrow.found.groups] == [(0.0, 0, 1)]
    assert [(r.score, r.needs) for r in narrow.found.areas] == [(0.0, 0)]
    # the district holds A B C D (4 people), but 9101's figures add up the parts shown only: without D's
    # 120.6 - 116.6 would give D's need back
    district = _cells(await _as_fisher(session, picture, RiskQuery(level="district", area_prefix="9101",
                                                                    hazard="storm")))
    storm = district[("9101", "fisheries", "storm", "fishers")]
    assert _figures(storm) == (3, 120, 1, 4.0, 5, 116.6, 0.0) and storm.left_out == 1
    # the meeting of 12 is shown on its own: a proxy need counts as its head count
    flood = _cells(await _as_fisher(session, picture, RiskQuery(level="subdistrict")))
    assert _figures(flood[("910102", "fisheries", "flood", "fishers")])[5] == 0.6


async def test_a_participant_cannot_work_a_small_part_out_of_the_totals(session):
    picture = await make_picture(session)
    everything = await _as_fisher(session, picture, RiskQuery(level="province"))
    # only the fishing round: the fisher does not read the farming round's needs
    assert [r.slug for r in everything.rounds] == [picture.fishing.slug]
    cells = _cells(everything)
    shown = [c for c in cells.values() if not c.small]
    groups = {r.key: r for r in everything.found.groups}
    # every total is the sum of the cells shown, so no total minus cells gives a hidden part
    assert groups["fishers"].score == round(sum(c.figures.score for c in shown if c.group == "fishers"), 1) == 117.2
    assert groups["fishers"].needs == 4 and groups["fishers"].left_out == 3
    assert [(r.key, r.score, r.left_out) for r in everything.found.areas] == [("91", 117.2, 4)]
    for level in ("province", "district", "subdistrict"):
        view = await _as_fisher(session, picture, RiskQuery(level=level))
        assert sum(r.score for r in view.found.areas) == pytest.approx(117.2)
        assert sum(r.score for r in view.found.groups) == pytest.approx(117.2)


async def test_a_group_of_fewer_than_three_is_named_nowhere_outside_the_facilitators(session):
    picture = await make_picture(session)
    for level in ("province", "district", "subdistrict"):
        view = await _as_fisher(session, picture, RiskQuery(level=level))
        assert "moken" not in {c.group for c in view.found.cells} | {r.key for r in view.found.groups}
        assert "moken" not in view.group_names
    # the moken need is counted with the needs of no group, and that part rests on one person
    cells = _cells(await _as_fisher(session, picture, RiskQuery(level="subdistrict")))
    assert cells[("910101", "fisheries", "storm", None)].small
    # even to its own member: a figure about one or two people is for the facilitators
    own = await climate_risk(session, picture.moken, RiskQuery(level="subdistrict"), facilitated=set())
    assert "moken" not in {c.group for c in own.found.cells}
    full = await _as_facilitator(session, picture, RiskQuery(level="subdistrict"))
    assert "moken" in {c.group for c in full.found.cells} and full.group_names["moken"]["en"] == "Moken"


async def test_only_those_who_read_a_rounds_needs_read_its_risk(session):
    picture = await make_picture(session)
    outsider = await make_participant(session)
    with pytest.raises(NotPermitted):
        await climate_risk(session, picture.fisher, RiskQuery(), round_id=picture.farming.id, facilitated=set())
    with pytest.raises(NotPermitted):
        await climate_risk(session, None, RiskQuery(), facilitated=set())
    assert (await climate_risk(session, outsider, RiskQuery(), facilitated=set())).found.cells == []


@pytest.mark.parametrize(("query", "field"), [
    (RiskQuery(level="village"), "level"), (RiskQuery(area_prefix="91x"), "areaPrefix"),
    (RiskQuery(level="province", area_prefix="9101"), "level"), (RiskQuery(sector="boats"), "sector"),
    (RiskQuery(hazard="volcano"), "hazard")])
async def test_filters_are_checked_with_a_message_for_each(session, query, field):
    picture = await make_picture(session, publish=False)
    with pytest.raises(ValidationError) as refused:
        await _as_facilitator(session, picture, query)
    assert field in refused.value.fields


def test_a_part_of_three_people_is_shown_and_one_of_two_is_not():
    import uuid

    round_id = uuid.uuid4()

    def row(person: str, stands_for: int = 1) -> NeedRow:
        return NeedRow(id=uuid.uuid4(), round_id=round_id, area_code="910101", sector="water", hazards=("flood",),
                       severity=5, people_affected=None, group="g", person=person, stands_for=stands_for,
                       adopted=False, full_view=False)

    assert aggregate([row("a"), row("b"), row("b")], "province").cells[0].small
    assert not aggregate([row("a"), row("b"), row("c")], "province").cells[0].small
    assert not aggregate([row("meeting", 3)], "province").cells[0].small
