"""Facilitator pages: rounds, invitations, phases, proxy entry, moderation, live results, proposals,
commitments."""

from __future__ import annotations

from starlette.routing import BaseRoute, Route

from web.views.facilitate import (
    cards,
    commitments,
    follow_up,
    invites,
    live,
    moderation,
    proposal,
    proxy,
    rounds,
    setup,
    signin,
)
from web.views.facilitate import channels as channel_pages
from web.views.facilitate import clause_needs as needs_pages
from web.views.facilitate import drafts as draft_pages
from web.views.facilitate import open_data as open_data_pages
from web.views.facilitate import triage as triage_pages
from web.views.facilitate.common import View, signed


def routes() -> list[BaseRoute]:
    def get(path: str, view: View) -> Route:
        return Route(path, signed(view), methods=["GET"])

    def post(path: str, view: View) -> Route:
        return Route(path, signed(view), methods=["POST"])

    return [
        Route("/facilitate/sign-in", signin.sign_in_form, methods=["GET"]),
        Route("/facilitate/sign-in", signin.sign_in_post, methods=["POST"]),
        Route("/facilitate/sign-out", signin.sign_out, methods=["POST"]),
        get("/facilitate", rounds.my_rounds),
        get("/facilitate/new", rounds.new_round_form),
        post("/facilitate/new", rounds.create_round),
        get("/facilitate/new-channel", channel_pages.new_channel_form),
        post("/facilitate/new-channel", channel_pages.create_channel),
        post("/facilitate/comments/{comment_id}/moderate", moderation.moderate),
        get("/facilitate/{slug}", rounds.overview),
        post("/facilitate/{slug}/phase", rounds.move_phase),
        post("/facilitate/{slug}/schedule", rounds.schedule_phase),
        get("/facilitate/{slug}/setup", setup.setup_page),
        post("/facilitate/{slug}/setup/phases", setup.save_phases),
        post("/facilitate/{slug}/setup/groups", setup.save_groups),
        post("/facilitate/{slug}/invites", invites.make_invites),
        get("/facilitate/{slug}/proxy", proxy.proxy_page),
        post("/facilitate/{slug}/proxy", proxy.start),
        post("/facilitate/{slug}/proxy/{proxy_id}", proxy.enter),
        post("/facilitate/{slug}/people/{participant_id}/card", cards.reissue_card),
        get("/facilitate/{slug}/drafts", draft_pages.drafts_page),
        post("/facilitate/{slug}/drafts", draft_pages.create),
        get("/facilitate/{slug}/drafts/{draft_id}", draft_pages.draft_page),
        post("/facilitate/{slug}/drafts/{draft_id}/clauses", draft_pages.add_clause),
        post("/facilitate/{slug}/drafts/{draft_id}/clauses/{clause_id}/edit", draft_pages.edit_clause),
        post("/facilitate/{slug}/drafts/{draft_id}/clauses/{clause_id}/move", draft_pages.move_clause),
        post("/facilitate/{slug}/drafts/{draft_id}/clauses/{clause_id}/withdraw", draft_pages.withdraw_clause),
        get("/facilitate/{slug}/drafts/{draft_id}/clauses/{clause_id}/needs", needs_pages.needs_page),
        post("/facilitate/{slug}/drafts/{draft_id}/clauses/{clause_id}/needs", needs_pages.link),
        post("/facilitate/{slug}/drafts/{draft_id}/clauses/{clause_id}/needs/unlink", needs_pages.unlink),
        get("/facilitate/{slug}/moderation", moderation.queue_page),
        get("/facilitate/{slug}/triage", triage_pages.triage_page),
        post("/facilitate/{slug}/triage/{need_id}/{action}", triage_pages.act),
        get("/facilitate/{slug}/live", live.live_page),
        get("/facilitate/{slug}/live/events", live.live_events),
        get("/facilitate/{slug}/proposal", proposal.proposal_page),
        post("/facilitate/{slug}/proposal/consolidate", proposal.consolidate_now),
        post("/facilitate/{slug}/proposal/publish", proposal.publish),
        get("/facilitate/{slug}/proposal/{version:int}.csv", proposal.export_csv),
        get("/facilitate/{slug}/proposal/{version:int}.pdf", proposal.export_pdf),
        post("/facilitate/{slug}/open-data-licence", open_data_pages.licence_post),
        get("/facilitate/{slug}/commitments", commitments.commitments_page),
        post("/facilitate/{slug}/commitments", commitments.record),
        post("/facilitate/{slug}/commitments/{commitment_id}", commitments.update),
        get("/facilitate/{slug}/follow-up", follow_up.follow_up_page),
        post("/facilitate/{slug}/follow-up", follow_up.save_days),
        get("/facilitate/{slug}/after-action", follow_up.after_action_page),
        get("/facilitate/{slug}/after-action.pdf", follow_up.after_action_export),
    ]
