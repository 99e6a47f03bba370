"""A round's open data in the API: its licence and where to download each file (server/opendata/), and the
mutation with which its facilitators choose the licence."""

from __future__ import annotations

from typing import Annotated

import strawberry

from schema import ids
from schema.context import Info
from schema.errors import ExpectedError, perform
from schema.permissions import FACILITATE
from schema.rounds import RoundNode
from server.opendata import service
from server.rounds.models import Round


@strawberry.type(description="A licence open data may carry.")
class OpenDataLicence:
    id: str = strawberry.field(description="Its SPDX identifier, e.g. CC-BY-4.0.")
    title: str
    url: str = strawberry.field(description="Where its full text is read.")


@strawberry.type(description="One file of a round's open data.")
class OpenDataFile:
    name: str = strawberry.field(description="Its path under the round's open data, e.g. needs.csv or polis/votes.csv.")
    url: str
    media_type: str


@strawberry.type(description="A round's open data: tables without names (figures about fewer than 3 people left "
                             "empty), their data dictionary (datapackage.json) and a Pol.is export. The files "
                             "answer only once a proposal is published.")
class OpenData:
    licence: OpenDataLicence
    available: bool = strawberry.field(description="Whether a proposal is published, so the files can be "
                                                   "downloaded now.")
    data_package_url: str = strawberry.field(description="datapackage.json: every file, column, type and meaning.")
    files: list[OpenDataFile]


def licence_out(round_: Round) -> OpenDataLicence:
    chosen = service.licence_of(round_)
    return OpenDataLicence(id=chosen.id, title=chosen.title, url=chosen.path)


async def open_data_of(info: Info, round_: Round) -> OpenData:
    base = info.context.runtime.settings.public_url
    published = await info.context.loaders.published_proposal.load(round_.id)
    return OpenData(
        licence=licence_out(round_), available=published is not None,
        data_package_url=service.file_url(base, round_.slug, service.DATAPACKAGE),
        files=[OpenDataFile(name=name, url=service.file_url(base, round_.slug, name),
                            media_type=service.media_type(name)) for name in service.FILES])


SetOpenDataLicenceResult = Annotated[RoundNode | ExpectedError, strawberry.union("SetOpenDataLicenceResult")]


@strawberry.type
class OpenDataMutations:
    @strawberry.mutation(description="Choose the licence of the round's open data (its facilitators): one of "
                                     "CC-BY-4.0 (the default), CC-BY-SA-4.0, CC0-1.0, ODC-By-1.0.")
    async def set_open_data_licence(self, info: Info, round_id: strawberry.ID, licence: str
                                    ) -> SetOpenDataLicenceResult:
        async def act(session, actor):
            return await service.set_licence(session, actor, ids.decode(round_id, "Round"), licence)

        return await perform(info, FACILITATE, act, lambda r: RoundNode(row=r))
