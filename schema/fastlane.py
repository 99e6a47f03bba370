"""castVote without the general GraphQL machinery, for the documents it can answer exactly.

Integrators send the same castVote document again and again with new variables. The first time a
document's text is seen it is parsed and validated against the schema (with the same limits as every
request) and, if it is a single castVote mutation whose answer needs only the Vote's own scalars,
compiled into a Plan: which variables or literals feed which arguments, and which keys the answer has,
in the order graphql-core would give them. Plans are kept per document text (PLANS, an LRU), so a
repeated document is neither parsed nor validated again.

A request that a plan covers, with variables it can coerce, is answered by schema/http.py through
server/deliberation/fast.py (one read, one write); everything else — another document, an unusual
variable, a proxy vote, and any refusal (PhaseClosed, NotPermitted, NotFound, ...) — goes down the
general path, which answers it exactly as before, typed errors and all (tests/schema/test_fast_lane.py
compares the two answers).
"""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass
from typing import Any

import orjson
from graphql import (
    EnumValueNode,
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLSchema,
    InlineFragmentNode,
    IntValueNode,
    NamedTypeNode,
    NonNullTypeNode,
    NullValueNode,
    OperationDefinitionNode,
    OperationType,
    SelectionSetNode,
    StringValueNode,
    VariableNode,
    is_abstract_type,
    parse,
    specified_rules,
    validate,
)

from schema import LIMIT_RULES, MAX_TOKENS
from schema import schema as strawberry_schema
from server.deliberation.fast import CastVote

CACHED_PLANS = 1024
ARGUMENTS = {"clauseId": "ID", "choice": "VoteChoice", "amendmentId": "ID", "onBehalfOf": "ID", "proxyId": "ID"}
CHOICE_NAMES = {"agree": "AGREE", "disagree": "DISAGREE", "pass": "PASS"}
NAMES = frozenset(CHOICE_NAMES.values())
# the Vote fields answered from the write's result, as schema/deliberation.py Vote resolves them
SCALARS = {
    "__typename": lambda vote: "Vote",
    "choice": lambda vote: CHOICE_NAMES[vote.choice],
    "enteredByProxy": lambda vote: vote.proxy_id is not None,
    "updatedAt": lambda vote: vote.updated_at.isoformat(),  # strawberry's DateTime
}


class NotCovered(Exception):
    """This document or request is for the general path."""


@dataclass(frozen=True)
class Arguments:
    clause_id: str
    choice: str  # agree, disagree or pass
    amendment_id: str | None
    on_behalf_of: str | None
    proxy_id: str | None


@dataclass(frozen=True)
class Plan:
    operation_name: str | None
    response_key: str
    arguments: tuple[tuple[str, bool, Any], ...]  # (argument, from a variable?, the variable's name or the value)
    required: frozenset[str]  # variables declared non-null
    keys: tuple[tuple[str, str], ...]  # (response key, Vote field), in answer order

    def arguments_from(self, variables: dict[str, Any]) -> Arguments:
        """The arguments as graphql-core would coerce them; NotCovered where it would refuse or differ."""
        values: dict[str, Any] = {}
        for name in self.required:
            if variables.get(name) is None:
                raise NotCovered()
        for argument, from_variable, source in self.arguments:
            if not from_variable:
                values[argument] = source
                continue
            if source not in variables:
                continue  # an absent nullable variable leaves the argument out: its default, None
            value = variables[source]
            if value is None:
                values[argument] = None
            elif ARGUMENTS[argument] == "ID":
                if isinstance(value, bool) or not isinstance(value, (str, int)):
                    raise NotCovered()
                values[argument] = str(value)
            else:
                if value not in NAMES:
                    raise NotCovered()
                values[argument] = value.lower()
        if values.get("clauseId") is None or values.get("choice") is None:
            raise NotCovered()
        return Arguments(values["clauseId"], values["choice"], values.get("amendmentId"), values.get("onBehalfOf"),
                         values.get("proxyId"))

    def answer(self, vote: CastVote) -> bytes:
        """The response body, as strawberry would encode it (compact UTF-8 JSON)."""
        data = {self.response_key: {key: SCALARS[field](vote) for key, field in self.keys}}
        return orjson.dumps({"data": data})


def graphql_schema() -> GraphQLSchema:
    return strawberry_schema._schema


_plans: OrderedDict[str, Plan | None] = OrderedDict()


def plan_for(query: str) -> Plan | None:
    """The plan for this document text, or None when the general path must answer it."""
    try:
        plan = _plans[query]
    except KeyError:
        pass
    else:
        _plans.move_to_end(query)
        return plan
    try:
        plan = compile_plan(query)
    except Exception:  # NotCovered, or a shape this module does not know: the general path is right
        plan = None
    _plans[query] = plan
    if len(_plans) > CACHED_PLANS:
        _plans.popitem(last=False)
    return plan


def compile_plan(query: str) -> Plan:
    try:
        document = parse(query, max_tokens=MAX_TOKENS)
    except Exception:  # a syntax error or too many tokens: the general path explains it
        raise NotCovered() from None
    gschema = graphql_schema()
    if validate(gschema, document, [*specified_rules, *LIMIT_RULES]):
        raise NotCovered()
    operations = [d for d in document.definitions if isinstance(d, OperationDefinitionNode)]
    if len(operations) != 1:
        raise NotCovered()
    operation = operations[0]
    if operation.operation != OperationType.MUTATION or operation.directives:
        raise NotCovered()
    required = set()
    for definition in operation.variable_definitions or ():
        if definition.default_value is not None or definition.directives:
            raise NotCovered()
        kind = definition.type
        if isinstance(kind, NonNullTypeNode):
            required.add(definition.variable.name.value)
            kind = kind.type
        if not isinstance(kind, NamedTypeNode) or kind.name.value not in {"ID", "VoteChoice"}:
            raise NotCovered()
    (field,) = _only(operation.selection_set)
    if field.name.value != "castVote" or field.directives:
        raise NotCovered()
    arguments: list[tuple[str, bool, str | None]] = []
    for argument in field.arguments or ():
        name, node = argument.name.value, argument.value
        if name not in ARGUMENTS:
            raise NotCovered()
        if isinstance(node, VariableNode):
            arguments.append((name, True, node.name.value))
        elif isinstance(node, NullValueNode):
            arguments.append((name, False, None))
        elif isinstance(node, (StringValueNode, IntValueNode)) and ARGUMENTS[name] == "ID":
            arguments.append((name, False, str(node.value)))
        elif isinstance(node, EnumValueNode) and name == "choice":
            arguments.append((name, False, node.value.lower()))
        else:
            raise NotCovered()
    fragments = {d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)}
    keys: OrderedDict[str, str] = OrderedDict()
    _collect(field.selection_set, fragments, gschema, keys, set())
    return Plan(operation.name.value if operation.name else None, field.alias.value if field.alias else "castVote",
                tuple(arguments), frozenset(required), tuple(keys.items()))


def _only(selection_set: SelectionSetNode) -> list[FieldNode]:
    if any(not isinstance(s, FieldNode) for s in selection_set.selections) or len(selection_set.selections) != 1:
        raise NotCovered()
    return list(selection_set.selections)  # type: ignore[arg-type]


def _applies(type_name: str | None, gschema: GraphQLSchema) -> bool:
    """Whether a fragment with this type condition applies to a Vote (graphql-core's does_fragment_condition_match)."""
    if type_name is None or type_name == "Vote":
        return True
    condition, vote = gschema.get_type(type_name), gschema.get_type("Vote")
    return is_abstract_type(condition) and vote is not None and gschema.is_sub_type(condition, vote)


def _collect(selection_set: SelectionSetNode | None, fragments: dict[str, FragmentDefinitionNode],
             gschema: GraphQLSchema, keys: OrderedDict[str, str], visited: set[str]) -> None:
    """The answer's keys for a Vote, in graphql-core's collect_fields order; NotCovered for fields that need
    more than the write's result (clause, amendment) and for directives."""
    if selection_set is None:
        raise NotCovered()
    for selection in selection_set.selections:
        if selection.directives:
            raise NotCovered()
        if isinstance(selection, FieldNode):
            name = selection.name.value
            if name not in SCALARS or selection.arguments or selection.selection_set is not None:
                raise NotCovered()
            keys.setdefault(selection.alias.value if selection.alias else name, name)
        elif isinstance(selection, InlineFragmentNode):
            condition = selection.type_condition.name.value if selection.type_condition else None
            if _applies(condition, gschema):
                _collect(selection.selection_set, fragments, gschema, keys, visited)
        elif isinstance(selection, FragmentSpreadNode):
            name = selection.name.value
            if name in visited:
                continue
            visited.add(name)
            fragment = fragments[name]
            if _applies(fragment.type_condition.name.value, gschema):
                _collect(fragment.selection_set, fragments, gschema, keys, visited)
        else:
            raise NotCovered()


def covered(body: bytes) -> tuple[Plan, Arguments] | None:
    """The plan and arguments for a POSTed JSON body, or None for the general path."""
    try:
        data = orjson.loads(body)
    except orjson.JSONDecodeError:
        return None
    if not isinstance(data, dict):
        return None
    query, variables = data.get("query"), data.get("variables")
    if not isinstance(query, str) or not isinstance(variables, (dict, type(None))):
        return None
    if not isinstance(data.get("extensions"), (dict, type(None))):
        return None
    plan = plan_for(query)
    if plan is None:
        return None
    name = data.get("operationName")
    if name is not None and name != plan.operation_name:
        return None
    try:
        return plan, plan.arguments_from(variables or {})
    except NotCovered:
        return None
