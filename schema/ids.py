"""Global ids: every object's id is base64 of "Type:uuid", so one id names one thing across the API."""

from __future__ import annotations

import uuid

from strawberry.relay import GlobalID
from strawberry.relay.utils import from_base64, to_base64

from server.errors import NotFound
from server.i18n import N_

# what each GraphQL type is called in a NotFound message (server/errors.py THINGS)
THING = {"Round": "round", "StakeholderGroup": "group", "Need": "need", "Draft": "draft", "Clause": "clause",
         "Amendment": "amendment", "Comment": "comment", "Participant": "participant",
         "ProxyRecord": "proxy record", "ApiToken": "token", "Webhook": N_("webhook"), "Commitment": "commitment",
         "WebhookDelivery": N_("webhook delivery")}


def global_id(type_name: str, ident: uuid.UUID) -> GlobalID:
    return GlobalID(type_name=type_name, node_id=str(ident))


def encode(type_name: str, ident: uuid.UUID) -> str:
    return to_base64(type_name, str(ident))


def decode(value: str | GlobalID, *type_names: str) -> uuid.UUID:
    """The uuid inside a global id of one of `type_names`; NotFound for anything else."""
    what = THING.get(type_names[0], "round")
    try:
        type_name, node_id = (value.type_name, value.node_id) if isinstance(value, GlobalID) else from_base64(value)
        if type_name not in type_names:
            raise ValueError(type_name)
        return uuid.UUID(node_id)
    except (ValueError, TypeError, AttributeError):
        raise NotFound(what, value) from None


def decode_optional(value: str | None, *type_names: str) -> uuid.UUID | None:
    return None if value is None else decode(value, *type_names)


def split(value: str) -> tuple[str, uuid.UUID] | None:
    """The type name and uuid of any well-formed global id, or None."""
    try:
        type_name, node_id = from_base64(value)
        return type_name, uuid.UUID(node_id)
    except (ValueError, TypeError):
        return None
