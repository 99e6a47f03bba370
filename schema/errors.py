"""Expected failures are part of the schema; unexpected ones are logged and masked.

Every mutation returns a union of its payload and the error types below, mapped from
server/errors.py, with messages in the caller's language. Anything else that goes wrong is a
bug: its details go to the log under a short reference, and the caller sees only the reference.
"""

from __future__ import annotations

import logging
import re
import secrets
from collections.abc import Awaitable, Callable, Iterator
from typing import Any, TypeAlias, TypeVar, cast

import strawberry
from graphql import GraphQLError
from sqlalchemy.exc import DBAPIError, IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession
from strawberry.extensions import SchemaExtension
from strawberry.relay.types import GlobalIDValueError

from schema.context import Info
from server import errors
from server.database import unavailable
from server.i18n import N_, translate
from server.people.models import Participant

log = logging.getLogger("schema")
T = TypeVar("T")
R = TypeVar("R")

UNEXPECTED = N_("Something went wrong on our side. If it happens again, report it with this reference: {reference}.")
RACE = N_("Someone else changed this at the same moment. Please try again.")
UNUSABLE = N_("Some of this input cannot be used (a control character, or a number out of range); please check it.")
MISSING = N_("Something this input refers to does not exist (any more): check its codes and choices, and try again.")


@strawberry.interface(description="What every expected failure carries: a message in the caller's language.")
class Error:
    message: str
    code: str


@strawberry.type(description="The round's current phase does not open this action (to you).")
class PhaseClosed(Error):
    pass


@strawberry.type(description="You may not do this: sign in, use a token with the right scope, or ask a facilitator.")
class NotPermitted(Error):
    pass


@strawberry.type(description="Nothing with this id exists (or you may not see it).")
class NotFound(Error):
    pass


@strawberry.type(description="A problem with one input field.")
class FieldError:
    field: str
    message: str


@strawberry.type(description="Some input was not acceptable; each field says what to correct.")
class ValidationError(Error):
    fields: list[FieldError]


@strawberry.type(description="Input on someone else's behalf needs a proxy record first (recordProxy).")
class ProxyRequired(Error):
    pass


@strawberry.type(description="This clashes with something that exists already.")
class Conflict(Error):
    pass


@strawberry.type(description="Follow-up starts once the round's proposal is published (publishProposal).")
class NotPublished(Error):
    pass


# What any mutation may answer instead of its payload. A mutation's result is its own named union:
# `XResult = Annotated[Payload | ExpectedError, strawberry.union("XResult")]`, with errors only some
# mutations can meet (NotPublished) added after these, so that the others' unions stay as they were.
ExpectedError: TypeAlias = PhaseClosed | NotPermitted | NotFound | ValidationError | ProxyRequired | Conflict
_BY_CODE: dict[str, type[PhaseClosed | NotPermitted | NotFound | ProxyRequired | Conflict | NotPublished]] = {
    cls.__name__: cls for cls in (PhaseClosed, NotPermitted, NotFound, ProxyRequired, Conflict, NotPublished)}


def bad_input(error: DBAPIError) -> bool:
    """PostgreSQL's class 22, data exceptions: text with a NUL character, a number beyond a column's
    range. The input's fault, not a bug (asyncpg's are not all mapped to DataError)."""
    return str(getattr(error.orig, "sqlstate", "") or "").startswith("22")


def refers_to_nothing(error: IntegrityError) -> bool:
    """A foreign key naming no row (23503): a code or id no service checked, or a row deleted meanwhile."""
    return getattr(error.orig, "sqlstate", None) == "23503"


def api_field(name: str) -> str:
    """Services name fields in snake_case (people_affected, translations.en.title); the API in camelCase."""
    return ".".join(re.sub(r"_([a-z])", lambda m: m.group(1).upper(), part) for part in name.split("."))


def as_error(error: errors.DomainError, locale: str) -> ExpectedError:
    message = error.message(locale)
    if isinstance(error, errors.ValidationError):
        fields = [FieldError(field=api_field(f), message=m) for f, m in error.field_messages(locale).items()]
        return ValidationError(message=message, code=error.code, fields=fields)
    kind = _BY_CODE.get(type(error).__name__, NotPermitted)
    # NotPublished is raised only by the commitment services, whose mutations list it in their unions
    return cast(ExpectedError, kind(message=message, code=error.code))


async def perform(info: Info, scope: str, action: Callable[[AsyncSession, Participant], Awaitable[T]],
                  shape: Callable[[T], R]) -> R | ExpectedError:
    """Runs one service call as a mutation: scope checked, in a savepoint so that a failed call leaves
    nothing behind while the request's other mutations still commit, errors returned as data."""
    ctx = info.context
    try:
        actor = ctx.identity.require(scope)

        async def in_savepoint(session: AsyncSession) -> T:
            async with session.begin_nested():
                return await action(session, actor)

        done = await ctx.run(in_savepoint)
    except errors.DomainError as error:
        return as_error(error, ctx.locale)
    except IntegrityError as error:
        if refers_to_nothing(error):
            # the caller's input, not a race; logged because the service should have named the field
            log.warning("foreign key violation in a mutation, answered as a validation error", exc_info=True)
            return as_error(errors.ValidationError({"input": (MISSING, {})}), ctx.locale)
        # two requests raced for the same row (a unique slug, a clause position): the loser tries again
        log.info("integrity error in a mutation, answered as a conflict", exc_info=True)
        return Conflict(message=translate(RACE, ctx.locale), code="conflict")
    except DBAPIError as error:
        if not bad_input(error):
            raise
        log.info("data error in a mutation, answered as a validation error", exc_info=True)
        return as_error(errors.ValidationError({"input": (UNUSABLE, {})}), ctx.locale)
    ctx.wrote = True
    ctx.reset_loaders()
    return shape(done)


class MaskUnexpectedErrors(SchemaExtension):
    """Domain errors in queries show their translated message and code; bugs show only a reference."""

    def on_operation(self) -> Iterator[None]:
        yield
        result_ = self.execution_context.result
        if result_ is None or not result_.errors:
            return
        context = self.execution_context.context
        locale = getattr(context, "locale", "th")
        result_.errors = [self._shown(error, locale) for error in result_.errors]

    def _shown(self, error: GraphQLError, locale: str) -> GraphQLError:
        original = error.original_error
        if original is None or isinstance(original, (GraphQLError, GlobalIDValueError)):
            return error  # syntax, validation and limit errors: the caller's own, shown as they are
        if unavailable(original):
            # the whole answer becomes a 503 (schema/http.py): no half answer while the database is away
            self.execution_context.context.unavailable = True
            return GraphQLError(translate(errors.UNAVAILABLE, locale), nodes=error.nodes, source=error.source,
                                positions=error.positions, path=error.path, extensions={"code": "unavailable"})
        if isinstance(original, DBAPIError) and bad_input(original):  # as in perform()
            original = errors.ValidationError({"input": (UNUSABLE, {})})
        if isinstance(original, errors.DomainError):
            extensions: dict[str, Any] = {"code": original.code}
            if isinstance(original, errors.ValidationError):
                extensions["fields"] = {api_field(f): m for f, m in original.field_messages(locale).items()}
            return GraphQLError(original.message(locale), nodes=error.nodes, source=error.source,
                                positions=error.positions, path=error.path, extensions=extensions)
        reference = secrets.token_hex(6)
        log.error("unexpected error %s at %s", reference, error.path, exc_info=original)
        return GraphQLError(translate(UNEXPECTED, locale, reference=reference), nodes=error.nodes,
                            source=error.source, positions=error.positions, path=error.path,
                            extensions={"code": "internal", "reference": reference})


def unexpected(locale: str, reference: str) -> str:
    return translate(UNEXPECTED, locale, reference=reference)
