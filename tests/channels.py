"""Builders for standing channels: an organisation, its facilitator, a channel and its people."""

from __future__ import annotations

import itertools
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from server.auth.service import create_invites, join_with_invite
from server.channels import service as channels
from server.people import service as people
from server.people.models import Organisation, Participant
from server.rounds.models import Round
from tests.factories import make_participant

_counter = itertools.count(1)


async def make_organisation(session: AsyncSession, **overrides: Any) -> Organisation:
    admin = await make_participant(session, role="admin")
    values: dict[str, Any] = {"name_th": "กรมทรัพยากรทางทะเล", "name_en": f"Marine Department {next(_counter)}",
                              "kind": "government"}
    values.update(overrides)
    return await people.create_organisation(session, admin, **values)


async def make_channel(session: AsyncSession, facilitator: Participant | None = None, **overrides: Any) -> Round:
    """A channel of a new organisation (or of the facilitator's own), opened by its facilitator."""
    if facilitator is None:
        organisation = await make_organisation(session)
        facilitator = await make_participant(session, role="facilitator", organisation_id=organisation.id)
    assert facilitator.organisation_id is not None
    values: dict[str, Any] = {"slug": f"channel-{next(_counter)}", "title": {"th": "บอกเรื่องได้ตลอด",
                                                                              "en": "Tell us any time"},
                              "area_codes": ["91"]}
    values.update(overrides)
    return await channels.create_channel(session, facilitator, organisation_id=facilitator.organisation_id,
                                         **values)


async def join_channel(session: AsyncSession, channel: Round, name: str = "ลุงเอก") -> Participant:
    """A person who joins the channel with an invite code, as on the QR sheet."""
    facilitator = await session.get_one(Participant, channel.created_by_id)
    [(_, code)] = await create_invites(session, facilitator, channel.id, group_key=channels.HEARD[0])
    return await join_with_invite(session, code, display_name=name)
