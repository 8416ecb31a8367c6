"""A figure's chart: SVG drawn on the server by pygal from the published table, like the case
charts (app/reports/charts.py): no script, the style carries the page's CSP nonce, role=img with
the chart in words. A hidden cell is a gap in the chart, never a zero.
"""

from __future__ import annotations

from typing import Any

import pygal
from flask_babel import gettext as _
from markupsafe import Markup
from pygal.style import Style

from app.reports.charts import STYLE, STYLESHEET, render_svg

WIDTH, HEIGHT = 640, 320
# Dark, distinct colours with 4.5:1 or more on white, for up to six series.
COLOURS = ("#1f4e79", "#b34700", "#2e6b30", "#6a3d9a", "#8a1c1c", "#4d4d4d")
# "Ingen tal at vise" at pygal's default 64 px runs out of a figure's chart.
BAR_STYLE = Style(**{**vars(STYLE), "colors": COLOURS, "no_data_font_size": 20})


LEGEND_HALF = 36  # characters of a series' name that fit half the chart's width


def _number(cell: dict) -> float | None:
    if cell.get("hidden") or "count" not in cell:
        return None
    return cell["value"] if cell["value"] is not None else cell["count"]


def figure_chart(figure: Any, grid: Any, title: str, nonce: str | None) -> Markup | None:
    """Draw a figure (catalogue.Figure) from its published table (page.Grid): one bar per row, one
    series per column; None when nothing is shown."""
    if not grid.rows:
        return None
    columns = list(enumerate(grid.columns))
    if figure.id == "P1":  # the share agreeing per question and role; means and "ved ikke" are in the table
        columns = [(i, name) for i, name in columns if name.endswith(_("Enige"))]
    if figure.id == "F1M":  # the mean change per role; the share with only one score is in the table
        columns = [(i, name) for i, name in columns if name.endswith(_("Gennemsnitlig ændring"))]
    columns = [(i, name) for i, name in columns if name != _("I alt") and not name.endswith(_("I alt"))]
    rows = [(label, cells) for label, cells in grid.rows if label != _("I alt")]
    if figure.kind == "statistic":  # a count beside the means and shares (I3's rounds waiting) stays in the table
        rows = [(label, cells) for label, cells in rows if any(c.get("value") is not None for c in cells)]
    stacked = figure.chart == "stacked"
    # Long labels (a question's words) read better beside horizontal bars than crowded under them.
    sideways = any(len(label) > 20 for label, _cells in rows)
    chart_class = {(True, False): pygal.StackedBar, (False, False): pygal.Bar,
                   (True, True): pygal.HorizontalStackedBar, (False, True): pygal.HorizontalBar}[(stacked, sideways)]
    chart = chart_class(
        style=BAR_STYLE, width=WIDTH, height=max(HEIGHT, 60 + 34 * len(rows)) if sideways else HEIGHT, title=title,
        y_title=str(figure.unit), x_labels=[label for label, _cells in rows], truncate_label=34 if sideways else -1,
        truncate_legend=-1,
        # A name longer than half the chart's width (K7's "Netværket tog en rolle i stedet for en
        # indsats") ran into its neighbour's: then the names go one under the other.
        legend_at_bottom_columns=1 if any(len(str(name)) > LEGEND_HALF for _i, name in columns) else None,
        legend_at_bottom=True, margin_right=20, no_data_text=_("Ingen tal at vise"), js=[],
        css=[f"file://{STYLESHEET}"], disable_xml_declaration=True, print_values=False,
        **({"range": (0, 100), "y_labels": [0, 25, 50, 75, 100]} if figure.percent else {}),
    )
    series = []
    for index, name in columns:
        values = [_number(cells[index]) for _label, cells in rows]
        series.append((name, values))
        chart.add(name, values)
    description = _("%(title)s: søjlediagram. Tallene står i tabellen ved siden af.", title=title)
    return render_svg(chart, [figure.id, title, [label for label, _c in rows], series], description, nonce)
