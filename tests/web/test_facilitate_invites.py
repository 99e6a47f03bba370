"""Invitation codes per group and their printable A4 sheet of QR codes."""

import re

from tests.web.conftest import csrf_of
from tests.web.facilitation import my_round, token_of
from web.views.facilitate.invites import qr_svg


async def test_a_sheet_of_codes_that_people_can_join_with(client, committed):
    round_, _ = await my_round(client, committed, title={"th": "รอบเกาะสาหร่าย", "en": "Ko Sarai round"})
    token = await token_of(client, f"/facilitate/{round_.slug}")
    sheet = await client.post(f"/facilitate/{round_.slug}/invites",
                              data={"group": "villagers", "count": "3", "max_uses": "1", "csrf_token": token})
    assert sheet.status_code == 200 and "<html" in sheet.text
    codes = re.findall(r'<p class="code">([A-Z2-9]{4}-[A-Z2-9]{4})</p>', sheet.text)
    assert len(codes) == 3 and len(set(codes)) == 3
    assert sheet.text.count('<svg viewBox=') == 3 and "<script" not in sheet.text.split("</head>")[1]
    assert sheet.text.count("รอบเกาะสาหร่าย") >= 4 and sheet.text.count("Villagers") >= 3
    plain = codes[0].replace("-", "")
    url = f"http://127.0.0.1:8000/j/{plain}"  # PUBLIC_URL defaults to HOST and PORT
    assert f'<p class="url">{url}</p>' in sheet.text and qr_svg(url) in sheet.text
    css = (await client.get("/static/ruam.css")).text
    assert "@page { size: A4" in css and "@media print" in css

    client.cookies.clear()
    form = await client.get(f"/j/{plain}")
    joined = await client.post("/join", data={"code": codes[0], "display_name": "ดารา", "locale": "th",
                                              "csrf_token": csrf_of(form)})
    assert joined.status_code == 303 and joined.headers["location"].startswith("/consent")
    form = await client.get(f"/j/{plain}")  # joining signed in anew, with a new CSRF token
    again = await client.post("/join", data={"code": plain, "csrf_token": csrf_of(form)})
    assert again.status_code == 303  # ดารา is a member already: only sent to the round, no use counted
    client.cookies.clear()
    form = await client.get(f"/j/{plain}")
    other = await client.post("/join", data={"code": plain, "display_name": "สมชาย", "csrf_token": csrf_of(form)})
    assert other.status_code == 422  # single use: nobody else joins with it


async def test_a_wrong_count_is_said_on_the_round_page(client, committed):
    round_, _ = await my_round(client, committed)
    token = await token_of(client, f"/facilitate/{round_.slug}")
    refused = await client.post(f"/facilitate/{round_.slug}/invites",
                                data={"group": "villagers", "count": "900", "csrf_token": token})
    assert refused.status_code == 422 and 'role="alert"' in refused.text and "500" in refused.text
    unknown = await client.post(f"/facilitate/{round_.slug}/invites",
                                data={"group": "nobody", "count": "2", "csrf_token": token})
    assert unknown.status_code == 422 and "nobody" in unknown.text
    no_csrf = await client.post(f"/facilitate/{round_.slug}/invites", data={"group": "villagers", "count": "2"})
    assert no_csrf.status_code == 403
