"""A proposal as a printable PDF (A4), Thai font embedded: what a facilitator hands to a ministry.

Pure Python, offline: fpdf2 lays it out, HarfBuzz (uharfbuzz) shapes Thai so that vowels and tone
marks sit where they belong, and Noto Sans Thai (fonts/, OFL) is embedded as a subset. Two
details keep the text searchable and copyable exactly as written:

- Thai has no spaces between words, so lines are broken here, between words found by pythainlp,
  rather than by fpdf2 (which breaks only at spaces, or inside a word).
- HarfBuzz splits SARA AM into two glyphs and moves marks; the glyphs that carry no character of
  their own extract as nothing, instead of as raw glyph codes.

What it shows is what the report's audience may see (rules.py): for the public PDF, per-group figures
resting on fewer than 3 people read "fewer than 3" (the words made from the number, disclosure.py), no
group of fewer than 3 is named as still to ask or below the threshold, its unanswered needs are listed
without its name, and totals from which it could be worked out are left out.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

from fpdf import FPDF
from fpdf.fonts import TTFFont

from server.consolidation.report import ClauseReport, GroupFigure, Report
from server.disclosure import SMALL_GROUP, fewer_than
from server.i18n import N_, translate

FONT = Path(__file__).parent / "fonts" / "NotoSansThai-VF.ttf"
FAMILY = "notothai"
AGREE, DISAGREE, PASS = (11, 93, 75), (163, 32, 32), (190, 190, 190)
REGULAR: dict[str, float] = {"wght": 400, "wdth": 100}
BOLD: dict[str, float] = {"wght": 700, "wdth": 100}
STATUS = {"consensus": N_("Consensus"), "contested": N_("Contested"), "under_heard": N_("Still to be heard")}
TEXT = {
    "title": N_("Consolidated proposal, version {version}"),
    "published": N_("Published {date}"),
    "not_published": N_("Not published yet (computed {date})"),
    "how": N_("Support per group p = (agree + 1) / (seen + 2); a clause has consensus when every group "
              "has its quorum and p of at least {threshold}%. Figures resting on fewer than {n} people "
              "read \"{fewer}\"."),
    "clause": N_("Clause {n}"),
    "amended": N_("The wording adopted is an amendment that did better than the original."),
    "figures": N_("agree {agree} · disagree {disagree} · pass {passed} · support {support}%"),
    "to_ask": N_("Groups still to ask: {groups}"),
    "dissent": N_("Below the threshold: {groups}"),
    "bridging": N_("Agreed across groups: {n} out of 100 (high only when every group agrees, big or small)"),
    "for": N_("For"), "against": N_("Against"),
    "similar": N_("(and {n} similar)"),
    "needs": N_("Needs coverage"),
    "answered": N_("Needs answered by a clause: {n}"),
    "unanswered": N_("Needs no clause answers yet"),
    "no_group": N_("No group"),
    "no_group_shown": N_("No group, or a group of fewer than {n} people"),
    "provenance": N_("Where this comes from"),
    "inputs": N_("Inputs: {counts}"),
    "participants": N_("{n} participants"),
    "statements": N_("{n} clauses and amendments"),
    "votes": N_("{n} votes"),
    "comments": N_("{n} comments"),
    "needs_count": N_("{n} needs"),
    "left_out": N_("Totals from which a group of fewer than {n} people could be worked out are left out."),
    "algorithm": N_("Algorithm version {version}; inputs hash {hash}"),
    "last_event": N_("Last event included: {event} ({date})"),
    "page": N_("Page {n}"),
}


class _NoText(tuple[int, ...]):
    """Maps a glyph to no text in the PDF's ToUnicode table (fpdf2 skips empty mappings, which
    leaves raw glyph codes in extracted text)."""

    def __len__(self) -> int:
        return 1

    def __iter__(self) -> Iterator[int]:
        return iter(())


def words(text: str) -> list[str]:
    """Words and the spaces between them; Thai words found by pythainlp's dictionary."""
    if not re.search(r"[\u0e00-\u0e7f]", text):
        return [t for t in re.split(r"(\s+)", text) if t]
    from pythainlp.tokenize import word_tokenize

    return word_tokenize(text, engine="newmm", keep_whitespace=True)


def _date(value: datetime | None, locale: str) -> str:
    if value is None:
        return ""
    return f"{value.day}/{value.month}/{value.year + 543}" if locale == "th" else value.strftime("%Y-%m-%d")


class Document(FPDF):
    def __init__(self, locale: str, footer_text: str):
        super().__init__(format="A4")
        self.locale, self.footer_text = locale, footer_text
        self.add_font(FAMILY, "", str(FONT), variations=REGULAR)
        self.add_font(FAMILY, "B", str(FONT), variations=BOLD)
        self.set_text_shaping(True)
        self.set_margins(16, 16, 16)
        self.set_auto_page_break(True, margin=18)
        font = self.fonts[FAMILY]
        assert isinstance(font, TTFFont), "added from a file, so never one of the PDF core fonts"
        self.cmap = set(font.cmap)

    def t(self, key: str, **params: object) -> str:
        return translate(TEXT[key], self.locale, **params)

    def clean(self, text: str) -> str:
        """Only what the font can draw: emoji and the like are left out."""
        return "".join(ch for ch in text if ord(ch) in self.cmap or ch == "\n")

    def lines(self, text: str, width: float) -> list[str]:
        """`text` broken into lines no wider than `width`, between words."""
        found: list[str] = []
        for paragraph in self.clean(text).split("\n"):
            line = ""
            for word in words(paragraph):
                if line.strip() and self.get_string_width(line + word) > width:
                    found.append(line.rstrip())
                    line = word.lstrip()
                else:
                    line += word
                while self.get_string_width(line) > width and len(line) > 1:  # one word wider than a line
                    cut = self._fitting(line, width)
                    found.append(line[:cut])
                    line = line[cut:]
            found.append(line.rstrip())
        return found

    def _fitting(self, text: str, width: float) -> int:
        """How many characters of `text` fit in `width` (at least one), by bisection."""
        low, high = 1, len(text)
        while low < high:
            middle = (low + high + 1) // 2
            if self.get_string_width(text[:middle]) <= width:
                low = middle
            else:
                high = middle - 1
        return low

    def para(self, text: str, size: float = 10, style: str = "", height: float = 5.5,
             color: tuple[int, int, int] = (27, 27, 27)) -> None:
        self.set_font(FAMILY, style, size)
        self.set_text_color(*color)
        for line in self.lines(text, self.epw):
            self.cell(0, height, line, new_x="LMARGIN", new_y="NEXT")

    def footer(self) -> None:
        self.set_y(-12)
        self.set_font(FAMILY, "", 8)
        self.set_text_color(85, 85, 85)
        self.cell(0, 5, self.clean(f"{self.footer_text} · {self.t('page', n=self.page_no())}"), align="R")

    def finish(self) -> bytes:
        for font in self.fonts.values():
            if not isinstance(font, TTFFont):  # only embedded fonts have a ToUnicode table to fix
                continue
            for glyph, _ in list(font.subset.items()):
                if glyph is not None and isinstance(glyph.unicode, tuple) and len(glyph.unicode) == 0:
                    glyph.unicode = _NoText()
        return bytes(self.output())


def _name(texts: dict[str, str], locale: str) -> str:
    return texts.get(locale) or texts.get("th") or next(iter(texts.values()), "")


def _figure_row(doc: Document, f: GroupFigure) -> None:
    if doc.get_y() + 7 > doc.page_break_trigger:
        doc.add_page()
    doc.set_font(FAMILY, "", 9.5)
    doc.set_text_color(27, 27, 27)
    y = doc.get_y()
    doc.cell(48, 6, doc.clean(_name(f.name, doc.locale)))
    if not f.disclosed or f.p is None:
        doc.cell(0, 6, fewer_than(doc.locale), new_x="LMARGIN", new_y="NEXT")
        return
    x = doc.get_x()
    for count, colour in ((f.agree, AGREE), (f.disagree, DISAGREE), (f.passed, PASS)):
        width = 46 * f.share(count) / 100
        if width > 0:
            doc.set_fill_color(*colour)
            doc.rect(x, y + 1.5, width, 3, style="F")
            x += width
    doc.set_draw_color(120, 120, 120)
    doc.rect(doc.get_x(), y + 1.5, 46, 3)
    doc.set_x(doc.get_x() + 50)
    doc.cell(0, 6, doc.t("figures", agree=f.agree, disagree=f.disagree, passed=f.passed,
                         support=round(100 * f.p)), new_x="LMARGIN", new_y="NEXT")


def _clause(doc: Document, report: Report, clause: ClauseReport) -> None:
    def names(keys: list[str]) -> str:
        return ", ".join(_name(g.name, doc.locale) if (g := report.group(k)) else k for k in keys)

    doc.ln(3)
    heading = f"{doc.t('clause', n=clause.number)} · {clause.draft_title} · " \
              f"{translate(STATUS.get(clause.status, clause.status), doc.locale)}"
    doc.para(heading, 9.5, color=(85, 85, 85))
    doc.para(clause.text, 12, "B", 6.5)
    if clause.amended:
        doc.para(doc.t("amended"), 9, color=(85, 85, 85))
    for figure in clause.figures:
        _figure_row(doc, figure)
    if clause.groups_to_ask:
        doc.para(doc.t("to_ask", groups=names(clause.groups_to_ask)), 9.5, color=(122, 90, 0))
    dissent = [f.key for f in clause.dissenting()]
    if dissent:
        doc.para(doc.t("dissent", groups=names(dissent)), 9.5, color=DISAGREE)
    if clause.bridging is not None:  # None also where the report's audience may not read it (rules.py)
        doc.para(doc.t("bridging", n=round(100 * clause.bridging)), 9.5)
    for key, voices in (("for", clause.voices_for), ("against", clause.voices_against)):
        for voice in voices:
            similar = f" {doc.t('similar', n=voice['similar'])}" if voice.get("similar") else ""
            doc.para(f"{doc.t(key)}: “{voice['body']}”{similar}", 9.5)


def _inputs(doc: Document, counts: dict[str, int | None]) -> None:
    parts = [doc.t(key, n=counts[name]) for name, key in (
        ("participants", "participants"), ("statements", "statements"), ("votes", "votes"),
        ("comments", "comments"), ("needs", "needs_count")) if counts.get(name) is not None]
    doc.para(doc.t("inputs", counts=(" " if doc.locale == "th" else ", ").join(parts)), 9)  # Thai has no commas
    if any(counts.get(name) is None for name in ("participants", "votes")):
        doc.para(doc.t("left_out", n=SMALL_GROUP), 9, color=(85, 85, 85))


def proposal_pdf(report: Report, *, locale: str = "th") -> bytes:
    proposal = report.proposal
    title = _name(report.round.title, locale)
    doc = Document(locale, f"Ruam · {report.round.slug} · v{proposal.version}")
    doc.set_title(title)
    doc.set_creator("Ruam")
    doc.add_page()
    doc.para(title, 16, "B", 8)
    doc.para(doc.t("title", version=proposal.version), 12, "B", 6.5)
    doc.para(doc.t("published", date=_date(proposal.published_at, locale)) if proposal.published_at
             else doc.t("not_published", date=_date(proposal.created_at, locale)), 10)
    doc.para(doc.t("how", threshold=round(100 * report.threshold), n=SMALL_GROUP, fewer=fewer_than(locale)), 9,
             color=(85, 85, 85))
    for clause in report.clauses:
        _clause(doc, report, clause)

    doc.ln(4)
    doc.para(doc.t("needs"), 12, "B", 6.5)
    doc.para(doc.t("answered", n=report.answered), 10)
    if report.unanswered:
        doc.para(doc.t("unanswered"), 10, "B")
        nameless = doc.t("no_group") if report.audience.facilitator else doc.t("no_group_shown", n=SMALL_GROUP)
        for group, needs in report.unanswered:
            label = _name(group.name, locale) if group else nameless
            doc.para(f"{label}: " + "; ".join(n["title"] for n in needs), 9.5)

    doc.ln(4)
    doc.para(doc.t("provenance"), 12, "B", 6.5)
    _inputs(doc, {"participants": 0, "statements": 0, "votes": 0, "comments": 0, "needs": 0, **report.input_counts})
    doc.para(doc.t("algorithm", version=proposal.algorithm_version, hash=proposal.inputs_hash), 9)
    if proposal.last_event_id:
        doc.para(doc.t("last_event", event=proposal.last_event_id, date=_date(report.last_event_at, locale)), 9)
    return doc.finish()
