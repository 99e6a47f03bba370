"""The GraphQL schema: queries, mutations and subscriptions over the same services as the web UI.

Served at /graphql by schema/http.py; its SDL is committed at schema/schema.graphql
(`ruam schema` rewrites it, and tests/schema/test_sdl.py fails when it drifts).
"""

from __future__ import annotations

from pathlib import Path

import strawberry
from graphql import GraphQLError
from strawberry.extensions import (
    AddValidationRules,
    MaxAliasesLimiter,
    MaxTokensLimiter,
    ParserCache,
    QueryDepthLimiter,
    ValidationCache,
)
from strawberry.tools import merge_types
from strawberry.types import ExecutionContext

from schema.admin import AdminMutations, ApiTokenNode, CommunityNode, OrganisationNode
from schema.channels import ChannelMutations, ChannelQueries
from schema.commitments import CommitmentMutations
from schema.deliberation import DeliberationMutations
from schema.drafts import DraftMutations
from schema.errors import MaskUnexpectedErrors
from schema.events import EventQueries
from schema.exclusion import ExclusionMutations, ExclusionQueries
from schema.facilitation import FacilitationMutations
from schema.integrations import IntegrationMutations
from schema.needs import NeedMutations, NeedQueries
from schema.nodes import NodeQueries
from schema.open_data import OpenDataMutations
from schema.people import PeopleMutations, PeopleQueries, ProxyRecordNode
from schema.proposals import ProposalMutations
from schema.risk import RiskQueries
from schema.rounds import RoundQueries
from schema.subscriptions import Subscription

SDL_PATH = Path(__file__).parent / "schema.graphql"
MAX_DEPTH = 10  # round → drafts → clauses → support → group → name is 6
MAX_TOKENS = 3000
MAX_ALIASES = 30
CACHED_DOCUMENTS = 1024

# The limiters are validation rules, and ValidationCache keys its cache on the rule classes:
# made once here and reused by every request, so that a repeated document is validated once
# (the limiter extensions themselves would build new rule classes for each request).
LIMIT_RULES = [*QueryDepthLimiter(max_depth=MAX_DEPTH).validation_rules,
               *MaxAliasesLimiter(max_alias_count=MAX_ALIASES).validation_rules]

Query = merge_types("Query", (NodeQueries, PeopleQueries, RoundQueries, NeedQueries, EventQueries, ChannelQueries,
                               RiskQueries, ExclusionQueries))
Mutation = merge_types("Mutation", (NeedMutations, DraftMutations, DeliberationMutations, FacilitationMutations,
                                    PeopleMutations, AdminMutations, ProposalMutations, IntegrationMutations,
                                    CommitmentMutations, ChannelMutations, OpenDataMutations, ExclusionMutations))



class RuamSchema(strawberry.Schema):
    def process_errors(self, errors: list[GraphQLError], execution_context: ExecutionContext | None = None) -> None:
        """Strawberry logs every error at ERROR level, the caller's typos and refusals included; here only
        bugs are logged, once, with the reference the caller sees (errors.MaskUnexpectedErrors)."""


schema = RuamSchema(
    query=Query,
    mutation=Mutation,
    subscription=Subscription,
    # reachable only through node(id) or as mutation payloads: named so the SDL shows them
    types=[ProxyRecordNode, ApiTokenNode, OrganisationNode, CommunityNode],
    extensions=[
        lambda: MaxTokensLimiter(max_token_count=MAX_TOKENS),
        lambda: AddValidationRules(LIMIT_RULES),
        lambda: ParserCache(maxsize=CACHED_DOCUMENTS),
        lambda: ValidationCache(maxsize=CACHED_DOCUMENTS),
        MaskUnexpectedErrors,
    ],
)


def sdl() -> str:
    """The schema as integrators read it, as committed at schema/schema.graphql."""
    return schema.as_str() + "\n"
