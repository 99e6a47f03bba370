"""The sweep asks again for deliveries whose job was lost, and for nothing else."""

from sqlalchemy import select, text

from server.database import unit_of_work
from server.webhooks import service as webhooks
from server.webhooks.models import WebhookDelivery
from tests.schema.test_webhooks import _deliberating_round as webhook_round
from tests.workers.test_consolidation_loop import _vote
from workers import sweep as sweeping
from workers.relay import relay_once
from workers.webhooks import job_id as delivery_job


async def _sweep(runtime, queue):
    return await sweeping.sweep({"runtime": runtime, "redis": queue})


async def test_a_lost_delivery_job_is_enqueued_again_once_overdue(committed, runtime, queue):
    round_, clause, member, facilitator = await webhook_round(committed)
    async with unit_of_work(committed) as session:
        hook, _ = await webhooks.register_webhook(session, facilitator, round_.id, url="https://hooks.example.org/in",
                                                  event_types=["vote.cast"])
    await _vote(committed, [member], clause)
    await relay_once(runtime, queue)
    async with unit_of_work(committed) as session:
        delivery = await session.scalar(select(WebhookDelivery).where(WebhookDelivery.webhook_id == hook.id))
    assert await queue.exists(f"arq:job:{delivery_job(delivery.id)}")

    await queue.flushdb()  # Redis loses its jobs
    await _sweep(runtime, queue)
    assert not await queue.exists(f"arq:job:{delivery_job(delivery.id)}"), "not overdue yet: its job may be starting"

    async with unit_of_work(committed) as session:
        await session.execute(text("UPDATE webhook_deliveries SET created_at = now() - interval '10 minutes' "
                                   "WHERE id = :id"), {"id": delivery.id})
    await _sweep(runtime, queue)
    assert await queue.exists(f"arq:job:{delivery_job(delivery.id)}")
    queued = await queue.zcard("arq:queue")
    await _sweep(runtime, queue)
    assert await queue.zcard("arq:queue") == queued, "a job still waiting is not enqueued twice"

    async with unit_of_work(committed) as session:  # settled deliveries are left alone
        await session.execute(text("UPDATE webhook_deliveries SET status = 'delivered' WHERE id = :id"),
                              {"id": delivery.id})
    await queue.flushdb()
    await _sweep(runtime, queue)
    assert not await queue.exists(f"arq:job:{delivery_job(delivery.id)}")


async def test_photos_no_need_holds_are_deleted_a_day_later(committed, runtime, queue):
    import io

    from server.needs.photo_store import PostgresPhotoStore
    from server.needs.photos import encode
    from tests.factories import make_member, make_need, make_participant, make_round
    from tests.images import phone_jpeg

    store = PostgresPhotoStore(committed)
    held, orphan, fresh = [await store.put(encode(io.BytesIO(phone_jpeg(colour=c))))
                           for c in ((10, 200, 10), (10, 10, 200), (200, 200, 10))]
    async with unit_of_work(committed) as session:
        facilitator = await make_participant(session, role="facilitator")
        round_ = await make_round(session, facilitator, phase="needs")
        need = await make_need(session, round_, await make_member(session, round_))
        await session.execute(text("UPDATE needs SET photo = :p WHERE id = :id"), {"p": held, "id": need.id})
        await session.execute(text("UPDATE need_photos SET created_at = now() - make_interval(secs => :s) "
                                   "WHERE sha256 IN (:a, :b)"),
                              {"s": sweeping.PHOTOS_KEPT + 60, "a": held, "b": orphan})

    assert (await _sweep(runtime, queue))["photos"] == 1
    assert await store.holds(held) and await store.holds(fresh), "held by a need, or too recent to be an orphan"
    assert not await store.holds(orphan)
    assert (await _sweep(runtime, queue))["photos"] == 0  # not again within the hour
