"""A photo with a need, from a phone: sent with the form (htmx or not), kept when the form comes back,
shown on "My input", served only inside its round."""

import re

from sqlalchemy import select

from server.database import unit_of_work
from server.needs.models import Need
from server.needs.photos import MAX_BYTES
from tests.images import has_metadata, phone_jpeg
from tests.web.conftest import csrf_of, join_round
from tests.web.facilitation import htmx, my_round, token_of
from web.photos import FORM_LIMIT


def _need(form_page, **overrides) -> dict[str, str]:
    return {"csrf_token": csrf_of(form_page), "sector": "land_housing", "title": "บ้านถูกคลื่นกัดเซาะ",
            "area_code": "910106", "hazards": ["coastal"], "severity": "4", "people_affected": "48", **overrides}


def _photo(data: bytes, name: str = "IMG_2041.jpg"):
    # a browser sends both fields, the one left empty with no name and no bytes
    return [("photo", ("", b"", "application/octet-stream")), ("photo", (name, data, "image/jpeg"))]


async def _needs_of(committed, round_) -> list[Need]:
    async with unit_of_work(committed) as session:
        return list(await session.scalars(select(Need).where(Need.round_id == round_.id).order_by(Need.id)))


async def test_a_need_with_a_photo_without_javascript(client, committed):
    round_, _, _ = await join_round(client, committed, phase="needs")
    form = await client.get(f"/rounds/{round_.slug}/needs/new")
    assert 'enctype="multipart/form-data"' in form.text
    assert 'type="file" accept="image/*" capture="environment"' in form.text

    sent = await client.post(f"/rounds/{round_.slug}/needs", data=_need(form), files=_photo(phone_jpeg(3000, 2000)))
    assert sent.status_code == 303 and sent.headers["location"].endswith("/mine?sent=need")
    [need] = await _needs_of(committed, round_)
    assert need.photo and need.title == "บ้านถูกคลื่นกัดเซาะ"

    mine = await client.get(sent.headers["location"])
    img = re.search(r'<img src="/photos/([0-9a-f]{64})\.thumb\.jpg"[^>]*>', mine.text)
    assert img and img.group(1) == need.photo
    assert 'width="96" height="96" loading="lazy" alt="รูปถ่าย: บ้านถูกคลื่นกัดเซาะ"' in img.group(0)
    photo = await client.get(f"/photos/{need.photo}.jpg")
    assert photo.status_code == 200 and photo.headers["content-type"] == "image/jpeg"
    assert photo.headers["cache-control"] == "private, max-age=31536000, immutable"
    assert has_metadata(photo.content) == [] and "content-encoding" not in photo.headers
    assert (await client.get(f"/photos/{need.photo}.thumb.jpg")).status_code == 200


async def test_a_need_with_a_photo_through_htmx(client, committed):
    round_, _, _ = await join_round(client, committed, phase="needs")
    form = await client.get(f"/rounds/{round_.slug}/needs/new")
    token = csrf_of(form)
    sent = await client.post(f"/rounds/{round_.slug}/needs", data=_need(form), files=_photo(phone_jpeg()),
                             headers=htmx(token))
    assert sent.status_code == 204 and sent.headers["hx-redirect"].endswith("/mine?sent=need")
    boosted = await client.post(f"/rounds/{round_.slug}/needs", data=_need(form, title="น้ำท่วมซ้ำ"),
                                files=_photo(phone_jpeg(colour=(0, 90, 0))),
                                headers={**htmx(token), "HX-Boosted": "true"})
    assert boosted.status_code == 303
    first, second = await _needs_of(committed, round_)
    assert first.photo and second.photo and first.photo != second.photo


async def test_a_bad_photo_sends_the_form_back_with_everything_else_kept(client, committed):
    round_, _, _ = await join_round(client, committed, phase="needs")
    form = await client.get(f"/rounds/{round_.slug}/needs/new")
    for headers in ({}, htmx(csrf_of(form))):
        sent = await client.post(f"/rounds/{round_.slug}/needs", data=_need(form, body="สิบหลังคาเรือน"),
                                 files=_photo(b"not a photo at all", "notes.txt"), headers=headers)
        assert sent.status_code == 422  # shown by htmx too (base.html's responseHandling)
        assert 'id="photo-error"' in sent.text and "ไฟล์นี้ไม่ใช่รูปถ่าย" in sent.text
        assert 'value="บ้านถูกคลื่นกัดเซาะ"' in sent.text and "สิบหลังคาเรือน" in sent.text
        assert 'value="910106" selected' in sent.text and 'value="coastal" checked' in sent.text
        assert 'value="48"' in sent.text and 'aria-invalid="true"' in sent.text
    assert await _needs_of(committed, round_) == []


async def test_a_photo_over_the_limit_is_explained_on_the_form(client, committed):
    round_, _, _ = await join_round(client, committed, phase="needs")
    form = await client.get(f"/rounds/{round_.slug}/needs/new")
    sent = await client.post(f"/rounds/{round_.slug}/needs", data=_need(form),
                             files=_photo(phone_jpeg()[:-2] + bytes(MAX_BYTES)))
    assert sent.status_code == 422 and "ส่งได้ไม่เกิน 10 MB" in sent.text
    assert 'value="บ้านถูกคลื่นกัดเซาะ"' in sent.text


async def test_a_photo_past_the_form_limit_brings_back_the_form_with_everything_typed(client, committed, tmp_path):
    round_, _, _ = await join_round(client, committed, phase="needs")
    form = await client.get(f"/rounds/{round_.slug}/needs/new")
    # the photo fields come last in the form, so a browser sends everything typed before the photo
    assert form.text.index('name="people_affected"') < form.text.index('name="photo"')
    huge = _photo(bytes(FORM_LIMIT + 1))
    for headers in ({}, htmx(csrf_of(form))):  # JavaScript off, and htmx (which swaps a 4xx answer in)
        sent = await client.post(f"/rounds/{round_.slug}/needs", data=_need(form, body="น้ำทะเลขึ้นถึงใต้ถุนบ้าน"),
                                 files=huge, headers=headers)
        assert sent.status_code == 422, sent.text
        assert 'value="บ้านถูกคลื่นกัดเซาะ"' in sent.text and "น้ำทะเลขึ้นถึงใต้ถุนบ้าน</textarea>" in sent.text
        assert 'value="910106" selected' in sent.text and 'value="coastal" checked' in sent.text
        assert 'value="48"' in sent.text
        # the reason, beside the photo fields, with the photo's size
        error = re.search(r'<p id="photo-error" class="error">([^<]*)</p>', sent.text)
        assert error and "21.0 MB" in error.group(1) and "10 MB" in error.group(1), sent.text
        assert 'aria-describedby="photo-hint photo-error"' in sent.text
        assert sent.headers.get("hx-push-url") == "false"
    assert await _needs_of(committed, round_) == []
    assert not list((tmp_path / "uploads").rglob("*.jpg"))  # nothing of it kept
    # the form's token is still checked
    forged = await client.post(f"/rounds/{round_.slug}/needs", data=_need(form, csrf_token="forged"), files=huge)
    assert forged.status_code == 403


async def test_a_body_past_the_form_limit_without_a_form_gets_a_page_that_says_why(client, committed):
    round_, _, _ = await join_round(client, committed, phase="needs")
    form = await client.get(f"/rounds/{round_.slug}/needs/new")
    sent = await client.post(f"/rounds/{round_.slug}/needs", content=bytes(FORM_LIMIT + 1),
                             headers={"Content-Type": "application/octet-stream", "X-CSRF-Token": csrf_of(form)})
    assert sent.status_code == 413 and "ใหญ่เกินกว่าจะรับได้" in sent.text

    async def chunks():  # no Content-Length: counted as it arrives
        yield b"csrf_token=" + csrf_of(form).encode() + b"&title="
        for _ in range(3):
            yield b"a" * (512 * 1024)

    chunked = await client.post(f"/clauses/{'0' * 8}-0000-0000-0000-{'0' * 12}/comments", content=chunks(),
                                headers={"Content-Type": "application/x-www-form-urlencoded"})
    assert chunked.status_code == 413  # an ordinary form takes at most 1 MB
    assert await _needs_of(committed, round_) == []


async def test_a_good_photo_is_kept_when_the_form_comes_back(client, committed):
    round_, _, _ = await join_round(client, committed, phase="needs")
    form = await client.get(f"/rounds/{round_.slug}/needs/new")
    sent = await client.post(f"/rounds/{round_.slug}/needs", data=_need(form, title="   "),
                             files=_photo(phone_jpeg(), "IMG_0007.jpg"))
    assert sent.status_code == 422 and "IMG_0007.jpg" in sent.text
    kept = re.search(r'name="photo_kept" value="([^"]+)"', sent.text).group(1)
    again = await client.post(f"/rounds/{round_.slug}/needs", data=_need(form, photo_kept=kept),
                              files=_photo(b"", ""))
    assert again.status_code == 303
    [need] = await _needs_of(committed, round_)
    assert need.photo

    # the kept token is this person's only: someone else sending it gets no photo
    client.cookies.clear()
    other_round, _, _ = await join_round(client, committed, phase="needs")
    other_form = await client.get(f"/rounds/{other_round.slug}/needs/new")
    theirs = await client.post(f"/rounds/{other_round.slug}/needs", data=_need(other_form, photo_kept=kept))
    assert theirs.status_code == 303
    [their_need] = await _needs_of(committed, other_round)
    assert their_need.photo is None


async def test_a_photo_is_served_inside_its_round_only(client, committed):
    round_, _, _ = await join_round(client, committed, phase="needs")
    form = await client.get(f"/rounds/{round_.slug}/needs/new")
    await client.post(f"/rounds/{round_.slug}/needs", data=_need(form), files=_photo(phone_jpeg()))
    [need] = await _needs_of(committed, round_)
    assert (await client.get(f"/photos/{need.photo}.jpg")).status_code == 200
    assert (await client.get(f"/photos/{'a' * 64}.jpg")).status_code == 404  # nobody's
    assert (await client.get("/photos/../../secret_key")).status_code == 404
    assert (await client.get(f"/photos/{need.photo}.png")).status_code == 404

    client.cookies.clear()  # signed out
    signed_out = await client.get(f"/photos/{need.photo}.jpg")
    assert signed_out.status_code == 404 and "ไม่มีสิทธิ์ดูรูปนี้" in signed_out.text
    await join_round(client, committed, phase="needs")  # a member of another round
    assert (await client.get(f"/photos/{need.photo}.thumb.jpg")).status_code == 404
    assert (await client.get(f"/photos/{need.photo}.jpg", headers={"Authorization": "Bearer nonsense"})
            ).status_code == 404


async def test_a_facilitator_enters_a_need_with_a_photo_from_a_meeting(client, committed):
    round_, _ = await my_round(client, committed, phase="needs")
    token = await token_of(client, f"/facilitate/{round_.slug}/proxy")
    started = await client.post(f"/facilitate/{round_.slug}/proxy", data={
        "who": "meeting", "people_count": "12", "meeting": "ประชุมหมู่บ้าน", "method": "meeting",
        "consent": "verbal", "csrf_token": token})
    entry = await client.get(started.headers["location"])
    assert 'enctype="multipart/form-data"' in entry.text and 'name="photo"' in entry.text
    action = re.search(r'action="(/facilitate/[^"]+/proxy/[^"]+)"', entry.text).group(1)
    fields = {"kind": "need", "title": "ไม่มีน้ำจืดหน้าแล้ง", "sector": "water", "area_code": "910106",
              "severity": "4", "people_affected": "300"}

    wrong = await client.post(action, data=fields, files=_photo(b"GIF89a", "x.gif"), headers=htmx(token))
    assert wrong.status_code == 200 and 'id="photo-error"' in wrong.text and "ไม่มีน้ำจืดหน้าแล้ง" in wrong.text
    saved = await client.post(action, data=fields, files=_photo(phone_jpeg()), headers=htmx(token))
    assert saved.status_code == 200 and 'role="status"' in saved.text
    [need] = await _needs_of(committed, round_)
    assert need.photo and need.author_id is None
    assert f'src="/photos/{need.photo}.thumb.jpg" width="64" height="64"' in saved.text  # in the list below
    assert (await client.get(f"/photos/{need.photo}.jpg")).status_code == 200  # whoever entered it sees it
