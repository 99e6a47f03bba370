"""Thai PDPA: sensitive data only with its own consent, and gone when consent is withdrawn."""

import pytest

from server.errors import NotPermitted
from server.people import service as people
from server.people.models import SensitiveData
from tests.factories import make_participant


async def test_sensitive_data_needs_separate_consent(session):
    person = await make_participant(session)
    await people.record_consent(session, person, person.id, purpose="data_processing", granted=True)
    with pytest.raises(NotPermitted) as caught:
        await people.set_sensitive_data(session, person, person.id, ethnicity="Urak Lawoi")
    assert "ความยินยอม" in caught.value.message("th")

    await people.record_consent(session, person, person.id, purpose="sensitive_data", granted=True)
    await people.set_sensitive_data(session, person, person.id, ethnicity="Urak Lawoi", disability="visual")
    assert (await session.get(SensitiveData, person.id)).ethnicity == "Urak Lawoi"

    await people.record_consent(session, person, person.id, purpose="sensitive_data", granted=False)
    assert await session.get(SensitiveData, person.id) is None
    assert not await people.has_consent(session, person.id, "sensitive_data")


async def test_only_the_person_or_staff_may_change_their_data(session):
    person = await make_participant(session)
    stranger = await make_participant(session)
    with pytest.raises(NotPermitted):
        await people.record_consent(session, stranger, person.id, purpose="data_processing", granted=True)
    with pytest.raises(NotPermitted):
        await people.withdraw(session, stranger, person.id)


async def test_only_admins_create_staff(session):
    facilitator = await make_participant(session, role="facilitator")
    admin = await make_participant(session, role="admin")
    with pytest.raises(NotPermitted):
        await people.create_participant(session, facilitator, display_name="Boss", role="admin")
    made = await people.create_participant(session, admin, display_name="Staff", role="facilitator")
    assert made.role == "facilitator"
