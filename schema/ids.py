"""Global ids: every object's id is base64 of "Type:uuid", so one id names one thing across the API."""

from __future__ import annotations

import base64
import binascii
import uuid

from strawberry.relay import GlobalID
from strawberry.relay.utils import to_base64

from server.errors import NotFound
from server.i18n import N_
from server.validation import shown

# what each GraphQL type is called in a NotFound message (server/errors.py THINGS)
THING = {"Round": "round", "StakeholderGroup": "group", "Need": "need", "Draft": "draft", "Clause": "clause",
         "Amendment": "amendment", "Comment": "comment", "Participant": "participant",
         "ProxyRecord": "proxy record", "ApiToken": "token", "Webhook": N_("webhook"), "Commitment": "commitment",
         "WebhookDelivery": N_("webhook delivery")}


def global_id(type_name: str, ident: uuid.UUID) -> GlobalID:
    return GlobalID(type_name=type_name, node_id=str(ident))


def encode(type_name: str, ident: uuid.UUID) -> str:
    return to_base64(type_name, str(ident))


def parse(value: str) -> tuple[str, uuid.UUID]:
    """The type name and uuid of a global id exactly as encode() writes it; ValueError for anything else.
    Strict: lenient base64 skips characters outside its alphabet, so an id with junk appended (or a
    uuid spelt another way inside) would name the same thing as the real one."""
    try:
        raw = base64.b64decode(value, validate=True).decode()
    except (binascii.Error, UnicodeDecodeError):
        raise ValueError(value) from None
    type_name, _, node_id = raw.partition(":")
    ident = uuid.UUID(node_id)
    if encode(type_name, ident) != value:
        raise ValueError(value)
    return type_name, ident


def decode(value: str | GlobalID, *type_names: str) -> uuid.UUID:
    """The uuid inside a global id of one of `type_names`; NotFound for anything else."""
    what = THING.get(type_names[0], "round")
    try:
        type_name, ident = parse(str(value) if isinstance(value, GlobalID) else value)
        if type_name not in type_names:
            raise ValueError(type_name)
        return ident
    except (ValueError, TypeError, AttributeError):
        raise NotFound(what, shown(str(value), 100)) from None


def decode_optional(value: str | None, *type_names: str) -> uuid.UUID | None:
    return None if value is None else decode(value, *type_names)


def split(value: str) -> tuple[str, uuid.UUID] | None:
    """The type name and uuid of any well-formed global id, or None."""
    try:
        return parse(value)
    except (ValueError, TypeError):
        return None
