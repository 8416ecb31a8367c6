"""FIT totals over time, per respondent and form, as charts with the threshold line."""

from __future__ import annotations

import base64
from collections.abc import Sequence
from dataclasses import dataclass

from flask_babel import format_date
from flask_babel import gettext as _
from markupsafe import Markup

from app.i18n import current_language, decimal1
from app.instruments import cutoff_for
from app.invitations.overview import RoundOverview, Voice
from app.reports.charts import TrendPoint, trend_chart

# "23/9-26": short, because a PDF draws chart text letter by letter.
SHORT_DATE = "d/M-yy"


@dataclass(frozen=True)
class Trend:
    """What the page shows of one respondent's totals: a chart, or a sentence saying why not."""

    text: str
    svg: Markup | None = None

    @property
    def data_uri(self) -> str | None:
        """The chart as a data: URL, for the PDF: WeasyPrint draws an SVG image faster than
        the same SVG inline, which it first styles as part of the HTML."""
        if self.svg is None:
            return None
        return "data:image/svg+xml;base64," + base64.b64encode(str(self.svg).encode()).decode()


def _threshold_name(signals: str | None) -> str:
    """Name the dashed line by what falling below it means."""
    if signals == "outcome":
        return _("Klinisk grænse")
    if signals == "session":
        return _("Grænse: tal om samarbejdet")
    return _("Grænse")


def trend(voice: Voice, instrument, nonce: str | None = None) -> Trend | None:
    """Chart the voice's totals on the form across meetings; one score is no trend yet."""
    if not instrument.is_fit or instrument.scoring is None or instrument.scoring.method != "sum":
        return None
    series = voice.series
    if not series:
        return None
    if len(series) == 1:
        return Trend(_("Ingen udvikling endnu: der er kun én måling."))
    lang = current_language()
    person = voice.invitation.person
    title = f"{person.first_name} · {instrument.title(lang)}"
    points = [
        TrendPoint(format_date(e.held_on, SHORT_DATE), e.total, cutoff_for(instrument, e.child_age))
        for e in series
    ]
    first, latest = series[0], series[-1]
    threshold = cutoff_for(instrument, latest.child_age)
    direction = _("Højere er bedre") if instrument.scoring.higher_is_better else _("Lavere er bedre")
    text = _(
        "%(name)s: %(count)s målinger, fra %(first)s den %(first_on)s til %(latest)s den %(latest_on)s.",
        name=person.first_name,
        count=len(series),
        first=decimal1(first.total),
        first_on=format_date(first.held_on, "d. MMM yyyy"),
        latest=decimal1(latest.total),
        latest_on=format_date(latest.held_on, "d. MMM yyyy"),
    )
    if threshold is not None:
        text += f" {_threshold_name(instrument.scoring.signals)}: {decimal1(threshold)}."
    text += " " + direction + "."
    svg = trend_chart(
        title=title,
        series_name=person.first_name,
        points=points,
        threshold_name=_threshold_name(instrument.scoring.signals),
        direction=direction,
        description=text,
        nonce=nonce,
    )
    return Trend(text, svg)


def trend_charts(overviews: Sequence[RoundOverview], nonce: str | None = None) -> dict[tuple[int, str], Trend]:
    """Return the trend of every voice in the overviews, keyed by (invitation id, instrument id)."""
    charts: dict[tuple[int, str], Trend] = {}
    for overview in overviews:
        for table in overview.tables:
            for voice in table.voices:
                found = trend(voice, table.instrument, nonce)
                if found is not None:
                    charts[(voice.invitation.id, table.instrument.id)] = found
    return charts
