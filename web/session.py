"""Who is signed in on the web: a participant id in the signed session cookie."""

from __future__ import annotations

import uuid

from sqlalchemy.ext.asyncio import AsyncSession
from starlette.requests import Request

from server.people.models import Participant

KEY = "participant_id"


async def signed_in(request: Request, session: AsyncSession) -> Participant | None:
    ident = request.session.get(KEY)
    if not ident:
        return None
    participant = await session.get(Participant, uuid.UUID(ident))
    if participant is None or participant.withdrawn_at is not None:
        request.session.pop(KEY, None)
        return None
    request.state.me = participant
    return participant


def sign_in(request: Request, participant: Participant) -> None:
    request.session.clear()  # a new identity gets a new CSRF token too
    request.session[KEY] = str(participant.id)
