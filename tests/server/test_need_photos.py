"""A photo sent with a need: read by its content, turned upright, stripped of every piece of metadata,
scaled down, stored once by its hash; refused with a message a person can act on; seen only inside
its round."""

from io import BytesIO

import pytest
from PIL import Image
from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import async_sessionmaker

from server.errors import Invalid, ValidationError
from server.events.models import Event
from server.needs.models import NeedPhoto
from server.needs.photo_store import PhotoUpload, PostgresPhotoStore
from server.needs.photos import LONG_SIDE, MAX_BYTES, THUMBNAIL
from server.needs.queries import photo_visible
from server.people import service as people
from tests.factories import make_member, make_need, make_participant, make_round
from tests.images import has_metadata, phone_jpeg, transparent_png, webp


@pytest.fixture
async def store(engine):
    # photos are stored in their own committed transaction (server/needs/photo_store.py): start from none
    sessions = async_sessionmaker(engine, expire_on_commit=False)
    async with sessions() as session, session.begin():
        await session.execute(delete(NeedPhoto))
    return PostgresPhotoStore(sessions)


def upload(store, data: bytes, name: str = "IMG_2041.jpg") -> PhotoUpload:
    return PhotoUpload(store, file=BytesIO(data), name=name)


async def stored(store) -> list[str]:
    async with store.sessions() as session:
        return list(await session.scalars(select(NeedPhoto.sha256).order_by(NeedPhoto.sha256)))


async def _refusal(session, store, data: bytes) -> dict[str, str]:
    round_ = await make_round(session, phase="needs")
    author = await make_member(session, round_)
    with pytest.raises(ValidationError) as caught:
        await make_need(session, round_, author, photo=upload(store, data))
    return caught.value.field_messages("en") | {"th": caught.value.field_messages("th")["photo"]}


async def test_a_phone_photo_is_stored_small_upright_and_without_its_location(session, store):
    round_ = await make_round(session, phase="needs")
    author = await make_member(session, round_)
    original = phone_jpeg(4000, 3000, orientation=6)  # held sideways: the camera says "turn right"
    assert has_metadata(original) == ["exif", "comment", "exif tags"]

    need = await make_need(session, round_, author, photo=upload(store, original))

    assert await stored(store) == [need.photo]
    photo = await store.get(need.photo)
    assert has_metadata(photo) == []  # no GPS position, camera or comment
    with Image.open(BytesIO(photo)) as image:
        assert (image.format, image.size) == ("JPEG", (960, LONG_SIDE))  # portrait now, as it was taken
        assert image.getpixel((image.width - 5, 5))[2] > 200  # the blue corner, turned to the top right
        assert image.getpixel((5, 5))[0] > 150
    thumbnail = await store.get(need.photo, thumbnail=True)
    assert has_metadata(thumbnail) == []
    with Image.open(BytesIO(thumbnail)) as image:
        assert image.size == (THUMBNAIL, THUMBNAIL)
    event = await session.scalar(select(Event).where(Event.subject_id == need.id))
    assert event.payload["photo"] is True


@pytest.mark.parametrize("data", [transparent_png(), webp()], ids=["png", "webp"])
async def test_png_and_webp_become_jpeg(session, store, data):
    round_ = await make_round(session, phase="needs")
    need = await make_need(session, round_, await make_member(session, round_), photo=upload(store, data))
    with Image.open(BytesIO(await store.get(need.photo))) as image:
        assert image.format == "JPEG" and image.mode == "RGB"
        if image.size == (400, 300):  # the PNG: what was transparent is laid on white
            assert image.getpixel((390, 150)) == (255, 255, 255)


async def test_the_same_photo_sent_twice_is_stored_once(session, store):
    round_ = await make_round(session, phase="needs")
    author = await make_member(session, round_)
    original = phone_jpeg()
    first = await make_need(session, round_, author, photo=upload(store, original))
    second = await make_need(session, round_, author, title="อีกเรื่อง", photo=upload(store, original))
    assert first.photo == second.photo
    assert len(await stored(store)) == 1


async def test_a_file_that_is_not_a_photo_is_refused_with_what_to_send(session, store):
    refused = await _refusal(session, store, b"%PDF-1.7 not a picture at all" * 20)
    assert refused["photo"] == "This file is not a photo Ruam can read. Please send a JPEG, PNG or WebP picture."
    assert refused["th"].startswith("ไฟล์นี้ไม่ใช่รูปถ่าย")
    assert await stored(store) == []


async def test_a_gif_is_refused_although_pillow_could_read_it(session, store):
    out = BytesIO()
    Image.new("RGB", (50, 50)).save(out, "GIF")
    assert "JPEG, PNG or WebP" in (await _refusal(session, store, out.getvalue()))["photo"]


async def test_heic_gets_its_own_advice(session, store):
    heic = b"\x00\x00\x00\x18ftypheic\x00\x00\x00\x00mif1heic" + bytes(200)
    assert "HEIC" in (await _refusal(session, store, heic))["photo"]


async def test_a_photo_over_the_limit_is_refused_with_its_size_and_the_limit(session, store):
    too_large = phone_jpeg()[:-2] + bytes(MAX_BYTES)
    refused = await _refusal(session, store, too_large)
    assert refused["photo"].startswith("This photo is 10.0 MB; a photo can be at most 10 MB.")
    assert "10 MB" in refused["th"]


async def test_a_photo_cut_off_in_transit_is_refused(session, store):
    whole = phone_jpeg()
    assert "could not be read to the end" in (await _refusal(session, store, whole[: len(whole) // 2]))["photo"]


async def test_an_empty_file_is_refused(session, store):
    assert (await _refusal(session, store, b""))["photo"] == "This file is empty. Please choose the photo again."


async def test_a_good_photo_is_kept_when_another_field_is_wrong(session, store):
    round_ = await make_round(session, phase="needs")
    author = await make_member(session, round_)
    sent = upload(store, phone_jpeg())
    with pytest.raises(ValidationError) as caught:
        await make_need(session, round_, author, title=" ", photo=sent)
    assert set(caught.value.fields) == {"title"}
    assert sent.stored and await store.holds(sent.stored)
    # the form comes back; the next try names the stored photo instead of sending it again
    need = await make_need(session, round_, author, photo=PhotoUpload(store, kept=sent.stored))
    assert need.photo == sent.stored


async def test_a_kept_photo_that_has_gone_is_asked_for_again(store):
    invalid = Invalid()
    assert await PhotoUpload(store, kept="0" * 64).accept(invalid, "photo") is None
    assert invalid.fields["photo"][0].startswith("The photo you chose before is no longer here.")


async def test_a_photo_is_seen_inside_its_round_only(session, store):
    round_ = await make_round(session, phase="needs")
    author, member = await make_member(session, round_), await make_member(session, round_)
    outsider = await make_member(session, await make_round(session, phase="needs"))
    facilitator = await session.get(type(author), round_.created_by_id)
    admin = await make_participant(session, role="admin")
    need = await make_need(session, round_, author, photo=upload(store, phone_jpeg()))

    async def seen_by():
        return {name for name, person in (("author", author), ("member", member), ("outsider", outsider),
                                          ("facilitator", facilitator), ("admin", admin))
                if await photo_visible(session, person, need.photo)}

    assert await seen_by() == {"author", "member", "facilitator", "admin"}
    need.status = "hidden"
    await session.flush()
    assert await seen_by() == {"author", "facilitator", "admin"}
    assert not await photo_visible(session, member, "f" * 64)


async def test_a_person_who_withdraws_takes_their_photos_with_them(session, store):
    round_ = await make_round(session, phase="needs")
    author = await make_member(session, round_)
    need = await make_need(session, round_, author, photo=upload(store, phone_jpeg()))
    await people.withdraw(session, author, author.id)
    await session.refresh(need)
    assert need.photo is None and need.title  # the need itself stays


async def test_photos_kept_as_files_by_earlier_versions_are_imported_once(store, tmp_path):
    from server.needs.photo_import import import_files
    from server.needs.photos import encode

    encoded = encode(BytesIO(phone_jpeg()))
    folder = tmp_path / "uploads" / "photos" / encoded.digest[:2]
    folder.mkdir(parents=True)
    (folder / f"{encoded.digest}.jpg").write_bytes(encoded.photo)
    (folder / f"{encoded.digest}.thumb.jpg").write_bytes(encoded.thumbnail)
    (folder / f"{'e' * 64}.jpg").write_bytes(b"interrupted: no thumbnail, and not what its name says")

    assert await import_files(store, tmp_path) == (1, 1)
    assert await import_files(store, tmp_path) == (1, 1)  # again: nothing changes
    assert await stored(store) == [encoded.digest]
    assert await store.get(encoded.digest) == encoded.photo
    assert await store.get(encoded.digest, thumbnail=True) == encoded.thumbnail
