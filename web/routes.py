"""The web UI's routes, a declared list."""

from __future__ import annotations

from pathlib import Path

from starlette.routing import BaseRoute, Mount, Route
from starlette.staticfiles import StaticFiles

from web.views import card, commitments, drafts, facilitate, favicon, home, join, me, needs, outcome, photos, rounds
from web.views import exclusion as exclusion_views
from web.views import open_data as open_data_views
from web.views import push as push_views
from web.views.admin import routes as admin_routes
from web.views.conversation import draft_comment, me_too, need_comment, needs_page
from web.views.risk import risk_csv_download, risk_everywhere, risk_json_download, risk_page
from web.views.staff import routes as staff_routes

STATIC = Path(__file__).parent / "static"


def routes() -> list[BaseRoute]:
    return [
        Route("/", home.home),
        Route("/favicon.ico", favicon.favicon),
        Route("/join", join.join_form, methods=["GET"]),
        Route("/join", join.join, methods=["POST"]),
        Route("/j/{code}", join.join_form),  # the short link printed under each QR code
        Route("/consent", join.consent_form, methods=["GET"]),
        Route("/consent", join.consent, methods=["POST"]),
        Route("/sign-out", join.leave, methods=["POST"]),
        Route("/card", card.enter_form, methods=["GET"]),
        Route("/card", card.enter, methods=["POST"]),
        Route("/card/{code}", card.enter_form),  # the link in a re-entry card's QR code
        Route("/me", me.my_data_page),
        Route("/me/data.json", me.download_json),
        Route("/me/data.html", me.download_page),
        Route("/me/card", card.card_page, methods=["GET"]),
        Route("/me/card", card.reissue, methods=["POST"]),
        Route("/me/card/saved", card.saved, methods=["POST"]),
        Route("/me/sensitive", me.withdraw_sensitive, methods=["POST"]),
        Route("/me/exclusion", exclusion_views.my_form, methods=["GET"]),
        Route("/me/exclusion", exclusion_views.my_save, methods=["POST"]),
        Route("/me/exclusion/delete", exclusion_views.my_delete, methods=["POST"]),
        Route("/me/push", push_views.subscribe, methods=["POST"]),
        Route("/me/push/stop", push_views.stop, methods=["POST"]),
        Route("/sw.js", push_views.service_worker),  # at the root: the service worker's scope is the whole site
        Route("/me/withdraw", me.withdraw_form, methods=["GET"]),
        Route("/me/withdraw", me.withdraw_all, methods=["POST"]),
        Route("/me/withdrawn", me.withdrawn),
        Route("/rounds/{slug}", rounds.round_home),
        Route("/rounds/{slug}/drafts", drafts.draft_list),
        Route("/rounds/{slug}/new", rounds.whats_new),
        Route("/rounds/{slug}/outcome", outcome.outcome_page),
        Route("/rounds/{slug}/exclusion", exclusion_views.round_page),
        Route("/rounds/{slug}/outcome/{version:int}.csv", outcome.outcome_csv),
        Route("/rounds/{slug}/outcome/{version:int}.json", outcome.outcome_json),
        Route("/rounds/{slug}/outcome/{version:int}.pdf", outcome.outcome_pdf),
        Route("/rounds/{slug}/open-data/{name:path}", open_data_views.open_data_download),
        Route("/rounds/{slug}/needs/new", needs.need_form),
        Route("/rounds/{slug}/needs", needs.need_submit, methods=["POST"]),
        Route("/rounds/{slug}/needs", needs_page, methods=["GET"]),
        Route("/needs/{need_id}/me-too", me_too, methods=["POST"]),
        Route("/needs/{need_id}/comments", need_comment, methods=["POST"]),
        Route("/drafts/{draft_id}/comments", draft_comment, methods=["POST"]),
        Route("/rounds/{slug}/mine", needs.mine),
        Route("/rounds/{slug}/risk", risk_page),
        Route("/rounds/{slug}/risk.csv", risk_csv_download),
        Route("/rounds/{slug}/risk.json", risk_json_download),
        Route("/risk", risk_everywhere),
        Route("/risk.csv", risk_csv_download),
        Route("/risk.json", risk_json_download),
        Route("/photos/{name}", photos.photo),
        Route("/drafts/{draft_id}", drafts.draft_page),
        Route("/clauses/{clause_id}/vote", drafts.vote, methods=["POST"]),
        Route("/clauses/{clause_id}/comments", drafts.comment, methods=["POST"]),
        Route("/clauses/{clause_id}/amendments", drafts.amend, methods=["POST"]),
        Route("/commitments/{commitment_id}/check", commitments.check, methods=["POST"]),
        *facilitate.routes(),
        *staff_routes(),
        *admin_routes(),
        Mount("/static", StaticFiles(directory=STATIC), name="static"),
    ]
