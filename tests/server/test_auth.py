"""API tokens (hashed at rest, scoped, revocable) and invite codes (counted, expiring)."""

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from server.auth import service as auth
from server.auth.models import ApiToken
from server.errors import NotPermitted, ValidationError
from server.people.models import Participant
from server.rounds.models import Membership
from tests.factories import make_participant, make_round


async def test_a_token_works_until_revoked_and_only_its_hash_is_kept(session):
    integrator = await make_participant(session, role="integrator")
    token, plain = await auth.create_token(session, None, integrator.id, name="Ministry data team",
                                           scopes=["read", "read"])
    assert plain.startswith("ruam_") and plain not in (token.token_hash, token.name)
    stored = await session.scalar(select(ApiToken.token_hash).where(ApiToken.id == token.id))
    assert stored != plain and len(stored) == 64

    participant, scopes = await auth.authenticate_token(session, plain)
    assert participant.id == integrator.id and scopes == {"read"}
    assert await auth.authenticate_token(session, plain + "x") is None
    assert await auth.authenticate_token(session, "not-a-token") is None

    await auth.revoke_token(session, None, token.id)
    assert await auth.authenticate_token(session, plain) is None


async def test_only_admins_issue_tokens_with_known_scopes(session):
    facilitator = await make_participant(session, role="facilitator")
    admin = await make_participant(session, role="admin")
    with pytest.raises(NotPermitted):
        await auth.create_token(session, facilitator, facilitator.id, name="mine", scopes=["admin"])
    with pytest.raises(ValidationError) as caught:
        await auth.create_token(session, admin, facilitator.id, name="", scopes=["everything"])
    assert set(caught.value.fields) == {"name", "scopes"}


async def test_an_invite_admits_as_many_people_as_it_allows(session):
    round_ = await make_round(session)
    facilitator = await session.get(Participant, round_.created_by_id)
    [(invite, code)] = await auth.create_invites(session, facilitator, round_.id, group_key="villagers",
                                                 max_uses=2)
    assert len(code) == 8 and not set(code) & set("01OIL")
    first = await auth.join_with_invite(session, code.lower()[:4] + "-" + code.lower()[4:], display_name="มาลี")
    second = await auth.join_with_invite(session, code, display_name="สมชาย", locale="en")
    membership = await session.get(Membership, (round_.id, first.id))
    assert membership.group_id == invite.group_id and second.locale == "en"
    with pytest.raises(ValidationError) as caught:
        await auth.join_with_invite(session, code, display_name="คนที่สาม")
    assert "ขอรหัสใหม่" in caught.value.field_messages("th")["code"]


async def test_expired_invites_and_strangers_are_refused(session):
    round_ = await make_round(session)
    facilitator = await session.get(Participant, round_.created_by_id)
    [(_, code)] = await auth.create_invites(session, facilitator, round_.id, group_key="villagers",
                                            expires_at=datetime.now(UTC) - timedelta(minutes=1))
    with pytest.raises(ValidationError):
        await auth.join_with_invite(session, code, display_name="มาลี")
    stranger = await make_participant(session, role="facilitator")
    with pytest.raises(NotPermitted):
        await auth.create_invites(session, stranger, round_.id, group_key="villagers")
