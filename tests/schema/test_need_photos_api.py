"""A need's photo through the API: its addresses for people in its round, fetched with the same token."""

from io import BytesIO

from sqlalchemy.ext.asyncio import async_sessionmaker

from server.needs.photo_store import PostgresPhotoStore
from server.needs.photos import encode
from tests.factories import make_participant
from tests.images import phone_jpeg
from tests.schema.conftest import token_for
from tests.schema.scenario import deliberating_round

NEEDS = """query ($round: ID!) { needs(filter: {roundId: $round}, orderBy: OLDEST) {
  edges { node { title photoUrl thumbnailUrl } } } }"""


async def test_photo_addresses_for_the_round_and_the_photo_behind_them(api, session, engine):
    s = await deliberating_round(session, votes=False)
    digest = await PostgresPhotoStore(async_sessionmaker(engine)).put(encode(BytesIO(phone_jpeg())))
    s.needs[0].photo = digest
    await session.flush()

    data = await api.data(NEEDS, {"round": s.round_id}, token=s.tokens["official"])
    with_photo, without = (e["node"] for e in data["needs"]["edges"])
    assert with_photo["photoUrl"] == f"http://127.0.0.1:8000/photos/{digest}.jpg"
    assert with_photo["thumbnailUrl"] == f"http://127.0.0.1:8000/photos/{digest}.thumb.jpg"
    assert without["photoUrl"] is None and without["thumbnailUrl"] is None

    photo = await api.client.get(f"/photos/{digest}.jpg", headers={"Authorization": f"Bearer {s.tokens['official']}"})
    assert photo.status_code == 200 and photo.headers["content-type"] == "image/jpeg"

    # an integrator outside the round reads the need, not its photo; a participant of no round, not even the need
    integrator = await token_for(session, await make_participant(session, role="integrator"), "read")
    data = await api.data(NEEDS, {"round": s.round_id}, token=integrator)
    assert data["needs"]["edges"][0]["node"]["photoUrl"] is None
    data = await api.data(NEEDS, {"round": s.round_id}, token=s.tokens["stranger"])
    assert data["needs"]["edges"] == []
    refused = await api.client.get(f"/photos/{digest}.jpg", headers={"Authorization": f"Bearer {s.tokens['stranger']}"})
    assert refused.status_code == 404
