"""A round's after-action figures as a printable PDF (A4), for the partners' monitoring and lessons-learned
reports: the proposal PDF's machinery (consolidation/pdf.py: Thai shaped by HarfBuzz, lines broken between
words, the font embedded), and the figures as the audience they were made for may read them."""

from __future__ import annotations

from datetime import UTC, datetime

from server.commitments.after_action import COLUMNS, AfterAction
from server.commitments.rules import FLAG_NAMES
from server.consolidation.pdf import FAMILY, Document, _date, _name
from server.disclosure import SMALL_GROUP, fewer_than
from server.i18n import N_, translate

TEXT = {
    "title": N_("After-action report"),
    "made": N_("Made {date}"),
    "participation": N_("Who took part, per group"),
    "group": N_("Group"),
    "invites_made": N_("Places invited"),
    "invites_used": N_("Invitations used"),
    "members": N_("Members"),
    "voted": N_("Voted"),
    "commented": N_("Commented"),
    "raised_needs": N_("Raised needs"),
    "total": N_("All groups"),
    "hidden": N_("Figures about fewer than {n} people read \"{fewer}\"; a total is left out when one of its "
                 "parts is."),
    "needs": N_("Needs answered"),
    "answered": N_("{answered} of {needs} needs are answered by an adopted clause ({share}%)."),
    "adopted": N_("Adopted clauses (consensus in the published proposal): {n}"),
    "no_needs": N_("No needs were raised."),
    "commitments": N_("Commitments"),
    "recorded": N_("Recorded: {n}"),
    "delivered": N_("Marked done by the agency: {n}"),
    "checked": N_("Checked by members: {n}"),
    "confirmed": N_("Done, and more members said delivered than not: {n}"),
    "answers": N_("Members' answers: delivered {delivered} · partly {partly} · not delivered {not_delivered}"),
    "flagged": N_("{name}: {n}"),
    "first": N_("Days from publication to the first commitment: {n}"),
    "no_first": N_("No commitment recorded yet."),
    "not_published": N_("The proposal is not published yet."),
}
LABEL_WIDTH = 54


def after_action_pdf(figures: AfterAction, *, locale: str = "th", now: datetime | None = None) -> bytes:
    def t(key: str, **params: object) -> str:
        return translate(TEXT[key], locale, **params)

    def shown(value: int | None) -> str:
        return fewer_than(locale) if value is None else str(value)

    title = _name(figures.round.title, locale)
    doc = Document(locale, f"Ruam · {figures.round.slug} · {t('title')}")
    doc.set_title(title)
    doc.set_creator("Ruam")
    doc.add_page()
    doc.para(title, 16, "B", 8)
    doc.para(t("title"), 12, "B", 6.5)
    doc.para(t("made", date=_date(now or datetime.now(UTC), locale)), 10)

    doc.ln(3)
    doc.para(t("participation"), 12, "B", 6.5)
    width = (doc.epw - LABEL_WIDTH) / len(COLUMNS)
    doc.set_font(FAMILY, "B", 8.5)
    heads = [doc.lines(t(c), width - 1) for c in COLUMNS]
    height = 4.5 * max(len(h) for h in heads)
    top = doc.get_y()
    doc.multi_cell(LABEL_WIDTH, height, doc.clean(t("group")), new_x="RIGHT", new_y="TOP")
    for head in heads:
        doc.multi_cell(width, height / len(head), "\n".join(head), align="R", new_x="RIGHT", new_y="TOP")
    doc.set_xy(doc.l_margin, top + height)
    rows = [(_name(g.name, locale), g.figures) for g in figures.groups] + [(t("total"), figures.totals)]
    for number, (name, values) in enumerate(rows):
        if doc.get_y() + 7 > doc.page_break_trigger:
            doc.add_page()
        doc.set_font(FAMILY, "B" if number == len(rows) - 1 else "", 9.5)
        doc.cell(LABEL_WIDTH, 6, doc.clean(name))
        for c in COLUMNS:
            doc.cell(width, 6, shown(values[c]), align="R")
        doc.ln(6)
    if figures.audience.public:
        doc.para(t("hidden", n=SMALL_GROUP, fewer=fewer_than(locale)), 9, color=(85, 85, 85))

    doc.ln(3)
    doc.para(t("needs"), 12, "B", 6.5)
    if figures.first_published_at is None:
        doc.para(t("not_published"), 10)
    doc.para(t("answered", answered=figures.needs_answered, needs=figures.needs, share=figures.answered_share)
             if figures.needs else t("no_needs"), 10)
    doc.para(t("adopted", n=figures.adopted), 10)

    doc.ln(3)
    doc.para(t("commitments"), 12, "B", 6.5)
    for key, n in (("recorded", figures.commitments), ("delivered", figures.delivered),
                   ("checked", figures.checked), ("confirmed", figures.confirmed)):
        doc.para(t(key, n=n), 10)
    doc.para(t("answers", **figures.checks), 10)
    for flag, n in figures.flagged.items():
        doc.para(t("flagged", name=translate(FLAG_NAMES[flag], locale), n=n), 10)
    days = figures.days_to_first_commitment
    doc.para(t("no_first") if days is None else t("first", n=days), 10)
    return doc.finish()
