"""What the case page's "Resultatdokumentation" section shows: the form, the next
measurement, each round's final scores and classification, and the charts."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from flask_babel import format_date
from flask_babel import gettext as _
from markupsafe import Markup

from app.cases.models import Case
from app.i18n import current_language
from app.indicators import services
from app.indicators.catalogue import Factor, IndicatorForm, current_forms
from app.indicators.charts import StatusPoint, level_chart, status_chart
from app.indicators.classification import function_level_figure
from app.indicators.models import CaseIndicators, FinalScore
from app.indicators.scoring import LEVEL_FIELD
from app.invitations.models import Round
from app.labels import ICF_DEVELOPMENT_LABELS, INDICATOR_CATEGORY_LABELS
from app.security import csp_nonce

SHORT_DATE = "d/M-yy"


@dataclass(frozen=True)
class Chart:
    svg: Markup
    text: str  # the chart in words, shown as its caption


@dataclass
class RoundSummary:
    round: Round
    finals: dict[str, FinalScore]
    categories: dict[str, str]


@dataclass
class Section:
    settings: CaseIndicators | None
    form: IndicatorForm | None
    next_due: date | None
    overdue: bool
    factors: list[Factor] = field(default_factory=list)
    rounds: list[RoundSummary] = field(default_factory=list)
    charts: list[Chart] = field(default_factory=list)


def category_label(code: str | None) -> str:
    if code is None:
        return ""
    return str(INDICATOR_CATEGORY_LABELS.get(code) or ICF_DEVELOPMENT_LABELS.get(code) or code)


def _value(row: FinalScore | None) -> float | None:
    return row.status if row is not None and row.has_status and row.status is not None else None


def factor_charts(form: IndicatorForm, factors: list[Factor], rounds: list[RoundSummary],
                  nonce: str | None) -> list[Chart]:
    lang = current_language()
    labels = [format_date(r.round.meeting.held_on, SHORT_DATE) for r in rounds]
    better = _("Lavere er bedre")
    charts = []
    for factor in factors:
        points = [StatusPoint(label, _value(r.finals.get(factor.key)),
                              (r.finals[factor.key].goal if factor.key in r.finals else None))
                  for label, r in zip(labels, rounds, strict=True)]
        if not any(p.status is not None for p in points):
            continue
        said = "; ".join(
            f"{p.label}: " + (_("status %(status)s", status=p.status) if p.status is not None else _("ingen status"))
            + (", " + _("mål %(goal)s", goal=p.goal) if p.goal is not None else "")
            for p in points
        )
        scale = form.scale
        description = _("%(factor)s: endelig status og mål ved hver måling (%(low)s er bedst). %(points)s.",
                        factor=factor.title(lang), low=min(scale), points=said)
        charts.append(Chart(status_chart(title=factor.title(lang), points=points, status_name=_("Endelig status"),
                                         goal_name=_("Mål"), direction=better, description=description, scale=scale,
                                         nonce=nonce), description))
    if form.is_icf:
        levels = [r.finals.get(LEVEL_FIELD) for r in rounds]
        letters = [row.level if row is not None and row.level else None for row in levels]
        if any(letters):
            said = "; ".join(f"{label}: {letter or _('ingen vurdering')}" for label, letter in zip(labels, letters, strict=True))
            description = _("Samlet funktionsniveau ved hver måling (A er bedst). %(points)s.", points=said)
            charts.append(Chart(level_chart(
                title=_("Samlet funktionsniveau"), labels=labels,
                figures=[function_level_figure(x) if x else None for x in letters],
                series_name=_("Funktionsniveau"), direction=_("A er bedst"), description=description,
                nonce=nonce), description))
    return charts


def case_section(case: Case, today: date | None = None, with_charts: bool = True) -> Section:
    today = today or date.today()
    settings = services.case_settings(case)
    forms = current_forms()
    form = forms.get(settings.form_id) if settings and settings.form_id in forms else None
    due = services.measurement_due(case, today)
    section = Section(settings, form, services.next_measurement(case, today), due is not None and due < today)
    pairs = services.indicator_rounds(case)
    for round_, info in pairs:
        section.rounds.append(RoundSummary(round_, services.final_scores(round_.id), services.classification(round_)))
    if pairs:
        last_info = pairs[-1][1]
        shown_form = services.form_of(last_info)
        if shown_form is not None:
            section.form = section.form or shown_form
            section.factors = shown_form.factors(last_info.family_split)
            if with_charts:
                section.charts = factor_charts(shown_form, section.factors, section.rounds, csp_nonce())
    return section
