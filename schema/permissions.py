"""Who may read what through the API. Writes are checked by the services themselves.

Token scopes gate the API as a whole: `read` for queries, `participate` for a participant's
actions, `facilitate` for a facilitator's, `admin` for an administrator's. Inside a round, the
same named rules as everywhere else apply (server/rounds/access.py): facilitators see hidden
comments and needs, small-group figures, and who did what; everyone else does not.
"""

from __future__ import annotations

import uuid

from schema.context import Info
from server.auth.identity import Identity

# the scopes, for resolvers to name from here
from server.auth.models import ADMIN as ADMIN
from server.auth.models import FACILITATE as FACILITATE
from server.auth.models import PARTICIPATE as PARTICIPATE
from server.auth.models import READ as READ
from server.disclosure import Audience
from server.people.models import Participant
from server.people.rules import active_admin, is_staff_role
from server.rounds import queries as rounds


def require(info: Info, scope: str) -> Participant:
    """The caller, signed in with `scope`; NotPermitted otherwise (shown as the error's message)."""
    return info.context.identity.require(scope)


def reader(info: Info) -> Participant:
    return require(info, READ)


def may(info: Info, scope: str) -> bool:
    identity = info.context.identity
    return identity.participant is not None and scope in identity.scopes


async def role(info: Info, round_id: uuid.UUID) -> str | None:
    """The caller's role in the round: admin, facilitator, participant or None."""
    viewer = info.context.viewer
    if viewer is None:
        return None
    loaders = info.context.loaders
    round_ = await loaders.round.load(round_id)
    if round_ is None:
        return None
    return rounds.role_in(round_, viewer, await loaders.membership.load(round_id))


async def facilitates(info: Info, round_id: uuid.UUID) -> bool:
    """Facilitators and administrators see what the public does not, if their token lets them facilitate."""
    if not may(info, FACILITATE):
        return False  # asked first: a participant's or a reader's question costs no membership query
    return facilitating(info.context.identity, await role(info, round_id))


def facilitating(identity: Identity, round_role: str | None) -> bool:
    """`facilitates`, for a caller whose role in the round is known (a subscription's, asked at its start)."""
    return identity.participant is not None and FACILITATE in identity.scopes and is_staff_role(round_role)


async def facilitated_rounds(info: Info) -> set[uuid.UUID] | None:
    """The rounds the caller facilitates (None: all of them), asked once per request."""
    ctx = info.context
    if ctx.facilitated is False:
        if not may(info, FACILITATE):
            ctx.facilitated = set()
        else:
            ctx.facilitated = await ctx.run(lambda session: rounds.facilitated_round_ids(session, ctx.viewer))
    return ctx.facilitated


def is_admin(info: Info) -> bool:
    viewer = info.context.viewer
    return may(info, ADMIN) and viewer is not None and active_admin(viewer)


async def audience(info: Info, round_id: uuid.UUID) -> Audience:
    """Who the caller is to this round, as the disclosure rules read it (server/disclosure.py)."""
    viewer = info.context.viewer
    return Audience(facilitator=await facilitates(info, round_id),
                    person_id=viewer.id if viewer is not None else None)
