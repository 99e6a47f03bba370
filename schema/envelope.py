"""What a request to /graphql must be before GraphQL reads it: one JSON object with a "query".

Strawberry refuses some malformed requests in English plain text, and fails on others (a JSON body
that is a string or a number, bytes that are not UTF-8). Checked here first, before a session is
opened, each is refused with a 400 that says, in the caller's language, what to send instead.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from cross_web import HTTPException
from strawberry.exceptions import MissingQueryError
from strawberry.http.parse_content_type import parse_content_type
from strawberry.schema.exceptions import CannotGetOperationTypeError, InvalidOperationTypeError

from server.i18n import N_
from server.validation import shown

Refusal = tuple[str, dict[str, Any]]  # a message and its parameters

NOT_JSON = N_("The request's body is not JSON in UTF-8. Send a JSON object such as "
              "{\"query\": \"...\", \"variables\": {...}}.")
NOT_ONE_OBJECT = N_("Send one JSON object such as {\"query\": \"...\"}: not a list, a string or a number.")
NO_QUERY = N_("Put the GraphQL document to run in \"query\", as a string.")
NOT_AN_OBJECT = N_("\"{name}\" must be a JSON object, or be left out.")
NOT_A_STRING = N_("\"{name}\" must be a string, or be left out.")
NOT_JSON_TYPE = N_("Send the request as JSON, with the header Content-Type: application/json (or a query with "
                   "GET and ?query=).")
UNKNOWN_OPERATION = N_("The document has no operation named {name}.")
NO_OPERATION = N_("The document has no query or mutation to run.")
QUERIES_ONLY = N_("GET runs queries only: send mutations with POST.")
NOT_GRAPHQL = N_("This is not a GraphQL request: send a JSON object with \"query\" by POST, or ?query= by GET.")


def refusal(method: str, content_type: str, body: bytes, params: Mapping[str, str]) -> Refusal | None:
    """Why this request cannot be run, or None when it is well formed (GraphQL then checks the document)."""
    if method == "GET":
        for name in ("variables", "extensions"):
            if params.get(name) and not isinstance(_json(params[name]), (dict, type(None))):
                return NOT_AN_OBJECT, {"name": name}
        return None
    if method != "POST":
        return None  # strawberry's 405, explained()
    if "application/json" not in parse_content_type(content_type)[0]:
        return NOT_JSON_TYPE, {}
    data = _json(body)
    if data is _INVALID:
        return NOT_JSON, {}
    if not isinstance(data, dict):
        return NOT_ONE_OBJECT, {}
    if not isinstance(data.get("query"), str) or not data["query"].strip():
        return NO_QUERY, {}
    for name in ("variables", "extensions"):
        if not isinstance(data.get(name), (dict, type(None))):
            return NOT_AN_OBJECT, {"name": name}
    if not isinstance(data.get("operationName"), (str, type(None))):
        return NOT_A_STRING, {"name": "operationName"}
    return None


def explained(refused: HTTPException) -> Refusal:
    """What strawberry refused once the request was read (the operation to run), said as a person can act on it."""
    cause = refused.__cause__
    if isinstance(cause, CannotGetOperationTypeError):
        if cause.operation_name is not None:
            return UNKNOWN_OPERATION, {"name": shown(str(cause.operation_name), 100)}
        return NO_OPERATION, {}
    if isinstance(cause, InvalidOperationTypeError):
        return QUERIES_ONLY, {}
    if isinstance(cause, MissingQueryError):
        return NO_QUERY, {}
    return NOT_GRAPHQL, {}


_INVALID = object()


def _json(raw: str | bytes) -> Any:
    """As strawberry decodes it (json.loads); _INVALID for what is not JSON, or not text."""
    try:
        return json.loads(raw)
    except (ValueError, RecursionError):  # JSONDecodeError, UnicodeDecodeError, nesting too deep to read
        return _INVALID
