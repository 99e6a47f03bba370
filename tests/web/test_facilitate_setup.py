"""The setup page without a browser: phases and groups edited by plain forms (303), refused with what was
typed kept (422), and swapped in by htmx."""

import re

from sqlalchemy import select

from server.database import unit_of_work
from server.rounds import phases
from server.rounds.models import Round, StakeholderGroup
from tests.web.conftest import csrf_of
from tests.web.facilitation import htmx, my_round


def _form(page) -> dict[str, list[str]]:
    """What the browser would send for the phase form as it stands (every field, checked boxes only)."""
    section = page.text.split('id="phases"', 1)[1].split("</form>", 1)[0]
    data: dict[str, list[str]] = {}
    for tag in re.findall(r"<input[^>]*>", section):
        name = re.search(r'name="([^"]+)"', tag)
        if not name or ('type="checkbox"' in tag and "checked" not in tag):
            continue
        value = re.search(r'value="([^"]*)"', tag)
        data.setdefault(name.group(1), []).append(value.group(1) if value else "")
    return data


async def test_rename_move_and_open_a_phase_without_javascript(client, committed):
    round_, _ = await my_round(client, committed, phase="drafting")
    page = await client.get(f"/facilitate/{round_.slug}/setup")
    assert page.status_code == 200 and 'name="phase-2-opens"' in page.text
    data = _form(page)
    data["phase-3-th"] = ["รวมเสียงทั้งหมด"]  # consolidation, renamed in Thai
    data["phase-2-opens"] = [*data.get("phase-2-opens", []), "submit_need:participant"]
    data["move"] = ["up:4"]  # published before consolidation
    saved = await client.post(f"/facilitate/{round_.slug}/setup/phases", data=data)
    assert saved.status_code == 303, saved.text
    async with unit_of_work(committed) as session:
        stored = phases.load((await session.get(Round, round_.id)).phases)
    assert [p.key for p in stored] == ["needs", "drafting", "deliberation", "published", "consolidation",
                                       "follow_up"]
    assert stored[4].names == {"th": "รวมเสียงทั้งหมด"} and stored[2].allows("submit_need", "participant")
    assert stored[0].names == {}  # the usual names, shown in the form, are not stored as given ones

    data = _form(await client.get(f"/facilitate/{round_.slug}/setup"))
    data["phase-0-remove"] = ["1"]  # not offered on the page (it already ran); sent anyway
    data["phase-2-th"] = ["ลงมติในหมู่บ้าน"]
    refused = await client.post(f"/facilitate/{round_.slug}/setup/phases", data=data)
    assert refused.status_code == 422 and 'role="alert"' in refused.text and "ลงมติในหมู่บ้าน" in refused.text
    swapped = await client.post(f"/facilitate/{round_.slug}/setup/phases", data=_form(refused) | {"phase-0-remove": []},
                                headers=htmx())
    assert swapped.status_code == 200 and "<html" not in swapped.text and 'role="status"' in swapped.text


async def test_groups_edited_until_deliberation(client, committed):
    round_, _ = await my_round(client, committed)
    page = await client.get(f"/facilitate/{round_.slug}/setup")
    data = {"csrf_token": csrf_of(page), "count": "3",
            "group-0-key": "government", "group-0-th": "ราชการ", "group-0-quorum": "2", "group-0-remove": "1",
            "group-1-key": "villagers", "group-1-th": "ชาวบ้าน", "group-1-en": "Villagers", "group-1-quorum": "4",
            "group-2-new": "1", "group-2-key": "fishers", "group-2-th": "ชาวประมง", "group-2-quorum": "2"}
    saved = await client.post(f"/facilitate/{round_.slug}/setup/groups", data=data)
    assert saved.status_code == 303, saved.text
    async with unit_of_work(committed) as session:
        groups = (await session.scalars(select(StakeholderGroup).where(StakeholderGroup.round_id == round_.id)
                                        .order_by(StakeholderGroup.key))).all()
    assert [(g.key, g.quorum) for g in groups] == [("fishers", 2), ("villagers", 4)]
    bad = await client.post(f"/facilitate/{round_.slug}/setup/groups", data={**data, "group-1-quorum": "many"})
    assert bad.status_code == 422 and 'value="ชาวประมง"' in bad.text and 'aria-invalid="true"' in bad.text

    token = csrf_of(page)
    await client.post(f"/facilitate/{round_.slug}/phase", data={"phase": "deliberation", "csrf_token": token})
    closed = await client.get(f"/facilitate/{round_.slug}/setup")
    assert "setup/groups" not in closed.text and "ชาวประมง" in closed.text
    late = await client.post(f"/facilitate/{round_.slug}/setup/groups", data={**data, "group-0-remove": ""})
    assert late.status_code == 422 and 'role="alert"' in late.text
