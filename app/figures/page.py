"""The figures page, built from a stored release only (FIGURES.md rule 5): who sees which figures,
the filters a reader may choose, each figure's table, chart, caveat and comment.

Who sees what (FIGURES.md): a case worker and a team leader their own team's figures; a leader
the organisation's, by department and by team, unless pilot mode hides them; an administrator
and an analyst none.
Nothing here links to a case: no figure leads to a child.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from app import audit
from app.extensions import db
from app.figures import catalogue, charts, goals_figures, releases
from app.figures.facts import MEETING_GROUPS
from app.figures.models import COMMENT_LIMIT, FigureComment, FigureRelease
from app.figures.periods import NotAPeriod, parse
from app.settings import services as settings
from app.teams.departments import all_departments
from app.timestamps import utcnow

TEAM, ORGANISATION = "team", "organisation"
# The words for the values of each dimension and filter, as the page shows them.
LABELS: dict[str, Any] = {
    "child": _l("Barnet"), "parents": _l("Forældre"), "network": _l("Netværk"), "provider": _l("Udfører og skole"),
    "answered": _l("Svaret"), "declined": _l("Ville ikke svare"), "expired": _l("Udløbet"),
    "revoked": _l("Lukket"), "waiting": _l("Venter"),
    "0-5": _l("0–5 år"), "6-12": _l("6–12 år"), "13-17": _l("13–17 år"), "18+": _l("18 år og derover"),
    "to_answer": _l("Fra møde til svar"), "to_decision": _l("Fra første svar til beslutning"),
    "waiting_decision": _l("Runder, der venter på en beslutning"),
    "agree": _l("Enige"), "mean": _l("Gennemsnit"), "dont_know": _l("Ved ikke"),
    "recovered": _l("Kommet over grænsen"), "reliable_improvement": _l("Pålideligt bedre"),
    "no_reliable_change": _l("Ingen pålidelig ændring"), "reliable_deterioration": _l("Pålideligt dårligere"),
    "only_one": _l("Kun én scoring"), "mean_change": _l("Gennemsnitlig ændring"),
    "child_parent": _l("Barn og forælder"), "parent_parent": _l("Forælder og forælder"),
    "family_provider": _l("Familie og udfører"),
    "family_group_conference": _l("Familierådslagning"), "network_meeting": _l("Netværksmøde"),
    "other": _l("Andre møder"), "total": _l("I alt"),
    "phone_follow_up": _l("Opfølgning pr. telefon"), "provider_status": _l("Udførerens status"),
    "measurement": _l("Måling af indikatorer"),
    "on_time": _l("Til tiden"), "late": _l("For sent"), "missing": _l("Ikke gjort"),
}
HIDDEN = {
    "primary": _l("færre end %(k)s børn"),
    "complementary": _l("skjult, så et andet skjult tal ikke kan regnes ud"),
    "distribution": _l("næsten alle svarede det samme"),
    "members": _l("færre end %(m)s rådgivere eller udførere"),
    "filter": _l("gruppen er for lille"),
}
REFUSED_FILTER = {
    "small_group": _l("Kan ikke vælges: gruppen hviler på færre end %(k)s børn."),
    "small_remainder": _l("Kan ikke vælges: resten hviler på færre end %(k)s børn, så gruppen kunne regnes ud."),
    "few_caseworkers": _l("Kan ikke vælges: teamet har færre end %(m)s rådgivere, så tallene ville handle om den "
                          "enkelte."),
}


class Refusal(Exception):
    """The request cannot be shown: a clear message and a status, nothing revealed."""

    def __init__(self, message: str, status: int = 400) -> None:
        super().__init__(message)
        self.message, self.status = message, status


def audience(user, pilot_mode: bool) -> str | None:
    """Whose figures the user sees: the organisation's, their team's, or none."""
    if user.has_role("leader") and not pilot_mode:
        return ORGANISATION
    if user.works_with_cases:
        return TEAM
    return None


def pilot_hides(user) -> bool:
    """Whether pilot mode is what keeps this user from the figures (a leader without case work)."""
    return user.has_role("leader") and not user.works_with_cases and bool(settings.get("pilot_mode"))


@dataclass
class Choice:
    value: str
    label: str
    refused: str | None = None
    chosen: bool = False


@dataclass
class Grid:
    columns: list[str]
    rows: list[tuple[str, list[dict]]]


@dataclass
class FigureView:
    figure: catalogue.Figure
    grid: Grid
    chart: Any
    children: int | None
    children_hidden: str | None
    comment: FigureComment | None
    scope: str
    may_comment: bool


@dataclass
class Page:
    periods: list[str]
    period: str | None = None
    release: FigureRelease | None = None
    audience: str | None = None
    teams: list[Choice] = field(default_factory=list)
    departments: list[Choice] = field(default_factory=list)
    meetings: list[Choice] = field(default_factory=list)
    figures: list[FigureView] = field(default_factory=list)
    filters: dict[str, str] = field(default_factory=dict)
    scope: str = ORGANISATION
    k_count: int = 5


def _label(value: str) -> str:
    if value in LABELS:
        return str(LABELS[value])
    if (found := goals_figures.label(value)) is not None:
        return found
    if ":" in value:  # a form's item, "participation-adult:backs_plan"
        instrument_id, item_key = value.split(":", 1)
        instrument = catalogue.find_instrument(instrument_id)
        item = next((i for i in instrument.items if i.key == item_key), None) if instrument else None
        if item is not None:
            return item.text("da")
    return _factor_title(value) or value


def _factor_title(key: str) -> str | None:
    """An indicator factor's title (D2's rows), from the first form that has it."""
    from app.indicators.catalogue import current_forms

    for form in current_forms().all():
        for factor in form.factors(split=True):
            if factor.key == key:
                return factor.title("da")
    return None


def team_names() -> dict[str, str]:
    from app.figures.facts import teams

    return {str(team_id): name for team_id, name in teams().items()}


def read_filters(args, user, audience_: str) -> dict[str, str]:
    """The filters asked for: only the defined ones, at most two; a team reader sees their own team."""
    unknown = [name for name in args if name not in ("period", *releases.FILTERS)]
    if unknown:
        raise Refusal(_("Tallene kan kun vælges efter periode, team, afdeling og mødetype."))
    chosen = {name: args.get(name, "").strip() for name in releases.FILTERS if args.get(name, "").strip()}
    if any(len(args.getlist(name)) > 1 for name in args):
        raise Refusal(_("Vælg højst én værdi for hvert filter."))
    if "meeting" in chosen and chosen["meeting"] not in MEETING_GROUPS:
        raise Refusal(_("Den mødetype kender Samstem ikke."))
    if "department" in chosen and audience_ == TEAM:
        raise Refusal(_("Du kan kun se dit eget teams tal."), 403)
    if "department" in chosen and "team" in chosen:
        raise Refusal(_("Vælg et team eller en afdeling, ikke begge: et team hører allerede til sin afdeling."))
    if "department" in chosen and not chosen["department"].isdigit():
        raise Refusal(_("Den afdeling findes ikke."))
    if audience_ == TEAM:
        if chosen.get("team", str(user.team_id)) != str(user.team_id):
            raise Refusal(_("Du kan kun se dit eget teams tal."), 403)
        chosen["team"] = str(user.team_id)
    elif "team" in chosen and chosen["team"] not in team_names():
        raise Refusal(_("Det team findes ikke."))
    return chosen


def release_for(period_text: str | None, periods: list[str]) -> FigureRelease | None:
    """The newest version of the asked period's release (the newest period when none is asked)."""
    if not period_text:
        return releases.latest(periods[0]) if periods else None
    try:
        period = parse(period_text)
    except NotAPeriod:
        raise Refusal(_("Perioden skal skrives som 2026-Q3, 2026-H2 eller 2026-10.")) from None
    if period.code not in periods:
        raise Refusal(_("Der er ingen tal for %(period)s: tal udgives kun for afsluttede perioder.",
                        period=period.code), 404)
    return releases.latest(period.code)


def _format(figure: catalogue.Figure, cell: dict) -> str:
    if cell["hidden"]:
        return "–"
    if cell["value"] is None:
        return str(cell["count"])
    if "mean" in cell["key"] or "mean_change" in cell["key"]:
        return f"{cell['value']:.2f}".replace(".", ",")
    if figure.id == "I3":  # days; the unit names them
        return f"{cell['value']:g}".replace(".", ",")
    return f"{cell['value']:.1f} %".replace(".", ",")


def _why(cell: dict, rules: dict, kind: str) -> str | None:
    if not cell["hidden"]:
        return None
    text = HIDDEN.get(cell["hidden"], HIDDEN["primary"])
    k = rules["k_stat"] if cell["value"] is not None or kind != "count" else rules["k_count"]
    return str(text) % {"k": k, "m": rules.get("min_members", 3)}


def grid(figure: catalogue.Figure, table: dict, rules: dict) -> Grid:
    """The table as rows (the first dimension) by columns (the rest), with a total row last."""
    rows: dict[str, dict[tuple, dict]] = {}
    columns: list[tuple] = []
    for cell in table["cells"]:
        if figure.kind == "distribution" and cell["value"] is not None:
            # The engine gives a distribution's shares as fractions; the page, chart and files as percentages.
            cell = cell | {"value": round(100 * cell["value"], 1)}
        row, rest = cell["key"][0], tuple(cell["key"][1:])
        rows.setdefault(row, {})[rest] = cell | {"shown": _format(figure, cell), "why": _why(cell, rules, figure.kind)}
        if rest not in columns:
            columns.append(rest)
    dimensions = figure.dimensions
    columns.sort(key=lambda c: tuple(_place(figure, d, part) for d, part in zip(dimensions[1:], c)))
    ordered = sorted(rows, key=lambda r: _place(figure, dimensions[0], r))
    return Grid(columns=[" · ".join(_named(figure, d, p) for d, p in zip(dimensions[1:], c)) or _("Tal")
                         for c in columns],
                rows=[(_named(figure, dimensions[0], r), [rows[r].get(c, {"shown": "", "why": None}) for c in columns])
                      for r in ordered])


def _place(figure: catalogue.Figure, dimension: str, value: str) -> tuple:
    """Where a row or column goes: the total last, the rest in the figure's order, else by their codes."""
    if value == "total":
        return (True, ())
    return (False, figure.order(dimension, value) if figure.order is not None else (value,))


def _named(figure: catalogue.Figure, dimension: str, value: str) -> str:
    """A value of one of the figure's dimensions in words: the figure's own words, else the page's."""
    if value != "total" and figure.label is not None:
        found = figure.label(dimension, value)
        if found is not None:
            return str(found)
    return _label(value)


def released_departments(release: FigureRelease) -> dict[str, str]:
    """The departments the release has figures for, by id, with their names now (a release made before
    departments: none)."""
    ids = [name.split("=", 1)[1] for name in release.filters if name.startswith("department=") and "&" not in name]
    if not ids:
        return {}
    names = {str(d.id): d.name for d in all_departments()}
    return {value: names.get(value, _("Afdeling %(id)s", id=value)) for value in sorted(ids, key=int)}


def _comments(period: str, scope: str) -> dict[str, FigureComment]:
    """The comment in force (the newest) on each figure of one period and scope, in one query."""
    found: dict[str, FigureComment] = {}
    for comment in db.session.scalars(select(FigureComment).options(joinedload(FigureComment.written_by))
                                      .where(FigureComment.period == period, FigureComment.scope == scope)
                                      .order_by(FigureComment.id)):
        found[comment.figure] = comment
    return found


def may_comment(user, scope: str) -> bool:
    """A team leader comments on the team's figures, a leader on the organisation's."""
    if scope == ORGANISATION or scope.startswith("department:"):
        return user.has_role("leader")
    return user.has_role("team_leader") and scope == f"team:{user.team_id}"


def build(user, args, nonce: str | None) -> Page:
    """The page for this user and query string; Refusal for anything it cannot show."""
    audience_ = audience(user, bool(settings.get("pilot_mode")))
    periods = releases.released_periods()
    filters = read_filters(args, user, audience_)
    release = release_for(args.get("period"), periods)
    page = Page(periods=periods, audience=audience_, filters=filters)
    if release is None:
        return page
    page.period, page.release, page.k_count = release.period, release, release.rules["k_count"]
    page.scope = f"team:{filters['team']}" if "team" in filters else \
        f"department:{filters['department']}" if "department" in filters else ORGANISATION
    rules = release.rules
    verdict = release.filters.get(releases.key(tuple((n, filters[n]) for n in releases.FILTERS if n in filters)))
    names = team_names()
    released = released_departments(release)
    if "department" in filters and filters["department"] not in released:
        # A release made before departments has no department's figures; nor any release a department made since.
        raise Refusal(_("Der er ingen tal for den afdeling i %(period)s.", period=release.period), 404)
    if audience_ == ORGANISATION:
        page.teams = [_choice("team", value, name, release, filters, rules) for value, name in names.items()]
        page.departments = [_choice("department", value, name, release, filters, rules)
                            for value, name in released.items()]
    page.meetings = [_choice("meeting", value, _label(value), release, filters, rules) for value in MEETING_GROUPS]
    if filters and verdict:
        raise Refusal(str(REFUSED_FILTER.get(verdict, REFUSED_FILTER["small_group"]))
                      % {"k": rules["k_count"], "m": rules.get("min_members", 3)})
    wanted = releases.key(tuple((n, filters[n]) for n in releases.FILTERS if n in filters))
    tables = releases.tables_of(release, wanted)
    comments = _comments(release.period, page.scope)
    for figure in catalogue.ordered():
        table = tables.get(figure.id)
        if table is None:
            continue
        built = grid(figure, table, rules)
        page.figures.append(FigureView(
            figure=figure, grid=built, chart=charts.figure_chart(figure, built, str(figure.title), nonce),
            children=table["children"], children_hidden=table.get("children_hidden"), comment=comments.get(figure.id),
            scope=page.scope, may_comment=may_comment(user, page.scope)))
    return page


def _choice(name: str, value: str, label: str, release: FigureRelease, filters: dict, rules: dict) -> Choice:
    verdict = release.filters.get(f"{name}={value}")
    refused = (str(REFUSED_FILTER.get(verdict, REFUSED_FILTER["small_group"]))
               % {"k": rules["k_count"], "m": rules.get("min_members", 3)}) if verdict else None
    return Choice(value=value, label=label, refused=refused, chosen=filters.get(name) == value)


def save_comment(user, form) -> FigureComment:
    """Keep the comment a team leader or leader wrote on one figure of one released period; audited."""
    figure_id, period, scope = (form.get(n, "").strip() for n in ("figure", "period", "scope"))
    text = form.get("text", "").replace("\x00", "").strip()
    if figure_id not in catalogue.FIGURES or period not in releases.released_periods():
        raise Refusal(_("Tallet eller perioden findes ikke."))
    if not may_comment(user, scope):
        raise Refusal(_("Kun teamlederen kommenterer teamets tal, og kun en leder organisationens."), 403)
    if scope.startswith("department:") and scope.removeprefix("department:") not in \
            released_departments(releases.latest(period)):
        raise Refusal(_("Den afdeling findes ikke."))
    if not text:
        raise Refusal(_("Skriv kommentaren, før du gemmer."))
    if len(text) > COMMENT_LIMIT:
        raise Refusal(_("Kommentaren må højst være %(limit)s tegn.", limit=COMMENT_LIMIT))
    comment = FigureComment(figure=figure_id, period=period, scope=scope, text=text, written_by_id=user.id,
                            written_at=utcnow())
    db.session.add(comment)
    db.session.flush()
    audit.record("figures.comment", None, figure=figure_id, period=period, scope=scope, comment_id=comment.id)
    return comment
