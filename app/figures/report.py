"""The half-year report (issue 16 item 4): a release's figures as a PDF for the leader group.

Built from the figure page (app/figures/page.py build), so it shows exactly what the page shows
to the same reader: each figure's chart (inline SVG), table, caveat, the children it rests on and
the organisation's comment, under a title page with the organisation's name and the period.
"""

from __future__ import annotations

from flask import render_template
from flask_babel import gettext as _
from werkzeug.datastructures import MultiDict

from app.figures import page as pages
from app.figures import releases
from app.figures.periods import NotAPeriod, parse
from app.figures.sheets import children_note
from app.pdf import render_pdf
from app.settings import services as settings
from app.timestamps import utcnow


def may_read(user) -> bool:
    """A leader reads the organisation's report, a team leader the team's."""
    audience = pages.audience(user, bool(settings.get("pilot_mode")))
    return (audience == pages.ORGANISATION) or (audience == pages.TEAM and user.has_role("team_leader"))


def page_for(user, args) -> pages.Page:
    """The page the report prints: a released half-year (the newest when none is asked)."""
    if not may_read(user):
        raise pages.Refusal(_("Halvårsrapporten er for ledere og teamledere."), 403)
    args = MultiDict(args)
    period_text = args.get("period", "").strip()
    if period_text:
        try:
            period = parse(period_text)
        except NotAPeriod:
            raise pages.Refusal(_("Perioden skal skrives som 2026-Q3, 2026-H2 eller 2026-10.")) from None
        if period.kind != "half":
            raise pages.Refusal(_("Halvårsrapporten dækker et halvår: skriv perioden som 2026-H1 eller 2026-H2."))
    else:
        halves = [p for p in releases.released_periods() if "-H" in p]
        if not halves:
            raise pages.Refusal(_("Der er ingen tal for et halvår endnu: tal udgives, når halvåret er slut."), 404)
        args["period"] = halves[0]
    return pages.build(user, args, None)


def report_pdf(page: pages.Page) -> bytes:
    """Render the report: a title page, then one figure a section."""
    html = render_template("figures/report.html", page=page, organisation=settings.get("organisation_name"),
                           team=pages.team_names().get(page.filters.get("team", "")), now=utcnow(),
                           children=[children_note(view, page.k_count) for view in page.figures])
    return render_pdf(html)
