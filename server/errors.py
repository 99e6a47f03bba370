"""Typed domain errors. Each carries a message a person can act on, translated on demand.

Adapters turn them into form errors, GraphQL union results or CLI messages; anything
that is not a DomainError is a bug, logged and masked.
"""

from __future__ import annotations

from server.i18n import N_, translate


class DomainError(Exception):
    code = "error"

    def __init__(self, message: str, **params: object):
        self.template = message
        self.params = params
        super().__init__(translate(message, "en", **params))

    def message(self, locale: str) -> str:
        return translate(self.template, locale, **self.params)


# the things a NotFound can name, so that their names are translated too
THINGS = {
    "round": N_("round"), "participant": N_("participant"), "need": N_("need"), "draft": N_("draft"),
    "clause": N_("clause"), "amendment": N_("amendment"), "comment": N_("comment"),
    "proxy record": N_("proxy record"), "token": N_("token"), "proposal": N_("proposal"), "group": N_("group"),
    "commitment": N_("commitment"),
}


class NotFound(DomainError):
    code = "not_found"

    def __init__(self, what: str, ident: object):
        super().__init__(N_("No {what} with id {ident} exists."), what=THINGS.get(what, what), ident=ident)


class NotPermitted(DomainError):
    code = "not_permitted"


class PhaseClosed(DomainError):
    code = "phase_closed"


class NotPublished(DomainError):
    """Follow-up (commitments) starts only once a round's proposal is published."""

    code = "not_published"


class ProxyRequired(DomainError):
    code = "proxy_required"


class Conflict(DomainError):
    code = "conflict"


class ValidationError(DomainError):
    """Bad input; `fields` maps each offending field to its own message."""

    code = "validation"

    def __init__(self, fields: dict[str, tuple[str, dict[str, object]]]):
        self.fields = fields
        super().__init__(N_("Please correct the highlighted fields."))

    def field_messages(self, locale: str) -> dict[str, str]:
        return {name: translate(msg, locale, **params) for name, (msg, params) in self.fields.items()}

    def __str__(self) -> str:
        return "; ".join(f"{k}: {v}" for k, v in self.field_messages("en").items())


class Invalid:
    """Collects field problems and raises them together, so a form shows every one at once."""

    def __init__(self) -> None:
        self.fields: dict[str, tuple[str, dict[str, object]]] = {}

    def add(self, field: str, message: str, **params: object) -> None:
        self.fields.setdefault(field, (message, params))

    def check(self, ok: bool, field: str, message: str, **params: object) -> None:
        if not ok:
            self.add(field, message, **params)

    def raise_if_any(self) -> None:
        if self.fields:
            raise ValidationError(self.fields)


# PostgreSQL away (server/database.py unavailable): not the caller's fault and not a bug; the adapters
# answer 503 with this and Retry-After. Each request is one transaction, so nothing of it was kept.
UNAVAILABLE = N_("Ruam cannot reach its database just now, so nothing was saved. Please try again in a few "
                 "seconds.")
RETRY_AFTER_SECONDS = 5
