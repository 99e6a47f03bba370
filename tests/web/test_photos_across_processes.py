"""A photo sent to one web process is served by another with a DATA_DIR of its own: replicas share
nothing but PostgreSQL and Redis (server/needs/photo_store.py)."""

import dataclasses

import httpx

from server.app import create_app
from server.config import Settings
from tests.images import phone_jpeg
from tests.web.conftest import join_round
from tests.web.test_need_photos import _need, _needs_of, _photo

SECRET = "a secret both replicas are given, at least 32 characters"


def _app(services, data_dir):
    data_dir.mkdir()
    settings = dataclasses.replace(Settings.from_env({"DATA_DIR": str(data_dir), "SECRET_KEY": SECRET}),
                                   database_url=services.database_url, redis_url=services.redis_url)
    return create_app(settings)


async def test_a_photo_sent_to_one_replica_is_served_by_another(services, engine, redis, committed, tmp_path):
    first, second = _app(services, tmp_path / "first"), _app(services, tmp_path / "second")
    async with first.router.lifespan_context(first), second.router.lifespan_context(second):
        one = httpx.AsyncClient(transport=httpx.ASGITransport(app=first, client=("10.1.2.3", 5000)),
                                base_url="http://ruam.test")
        other = httpx.AsyncClient(transport=httpx.ASGITransport(app=second, client=("10.1.2.3", 5000)),
                                  base_url="http://ruam.test")
        async with one, other:
            round_, _, _ = await join_round(one, committed, phase="needs")
            form = await one.get(f"/rounds/{round_.slug}/needs/new")
            sent = await one.post(f"/rounds/{round_.slug}/needs", data=_need(form), files=_photo(phone_jpeg()))
            assert sent.status_code == 303
            [need] = await _needs_of(committed, round_)

            other.cookies = one.cookies  # the same person, whose next request a load balancer sent elsewhere
            photo = await other.get(f"/photos/{need.photo}.jpg")
            assert photo.status_code == 200 and photo.headers["etag"] == f'"{need.photo}"'
            assert photo.headers["cache-control"] == "private, max-age=31536000, immutable"
            thumbnail = await other.get(f"/photos/{need.photo}.thumb.jpg")
            assert thumbnail.status_code == 200 and len(thumbnail.content) < len(photo.content)
            again = await other.get(f"/photos/{need.photo}.jpg", headers={"If-None-Match": f'"{need.photo}"'})
            assert again.status_code == 304 and not again.content

            async with httpx.AsyncClient(transport=httpx.ASGITransport(app=second),
                                         base_url="http://ruam.test") as stranger:
                refused = await stranger.get(f"/photos/{need.photo}.jpg")
            assert refused.status_code == 404  # served only to those who may see the need
    assert not any(p.suffix == ".jpg" for d in ("first", "second") for p in (tmp_path / d).rglob("*"))
