"""Whether what a page offers can be done now, asked before a form is filled in: the reason a service
would refuse it (server/rounds/access.py refusal, the check the services make), in the reader's words."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy.ext.asyncio import AsyncSession

from server.i18n import N_, translate
from server.people.models import Participant
from server.rounds.access import refusal, standing
from server.rounds.models import Round
from web.templating import locale

JOIN_FIRST = N_("Join this round with an invitation code to take part.")


async def closed_now(session: AsyncSession, round_: Round, me: Participant | None,
                     actions: Iterable[str]) -> dict[str, str]:
    """Each of `actions` the reader may not do now, with why; those they may do are left out."""
    if me is None:
        return dict.fromkeys(actions, translate(JOIN_FIRST, locale.get()))
    place = await standing(session, round_.id, me)
    reasons = {action: refusal(place, action) for action in actions}
    return {action: refused.message(locale.get()) for action, refused in reasons.items() if refused is not None}
