"""Indicator charts: a factor's final status at each round against its goal, and the ICF
function level; SVG drawn on the server by pygal, like app/reports/charts.py (no script, the
style carries the page's CSP nonce, role=img with the chart in words).

DESIGN.md "Charts and PDFs": "indicator charts say plainly which direction is better (on
the 1–5 indicator scale lower is better)": the y axis runs with 1 at the top and is titled
"Lavere er bedre".
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import astuple, dataclass

import pygal
from markupsafe import Markup

from app.reports.charts import HEIGHT, STYLE, STYLESHEET, WIDTH, render_svg


@dataclass(frozen=True)
class StatusPoint:
    label: str  # the round's date, formatted by the caller
    status: float | None  # None = no final status at that round (a gap)
    goal: float | None = None


def _chart(title: str, direction: str, labels: Sequence[str], y_labels: list, y_range: tuple[int, int]):
    return pygal.Line(
        style=STYLE, width=WIDTH, height=HEIGHT, title=title, y_title=direction, range=y_range,
        inverse_y_axis=True,  # the best value at the top
        y_labels=y_labels, x_labels=list(labels), truncate_label=-1, truncate_legend=-1,
        legend_at_bottom=True, margin_right=40, allow_interruptions=True, dots_size=3.5,
        no_data_text="", js=[], css=[f"file://{STYLESHEET}"], disable_xml_declaration=True,
    )


def status_chart(*, title: str, points: Sequence[StatusPoint], status_name: str, goal_name: str,
                 direction: str, description: str, scale: Sequence[int] = (1, 2, 3, 4, 5),
                 nonce: str | None = None) -> Markup:
    """One factor's final status per round (solid) and the goal set at each round (dashed)."""
    chart = _chart(title, direction, [p.label for p in points], list(scale), (min(scale), max(scale)))
    chart.add(status_name, [p.status for p in points])
    if any(p.goal is not None for p in points):
        chart.add(goal_name, [p.goal for p in points], stroke_style={"dasharray": "8,5"})
    arguments = [title, [astuple(p) for p in points], status_name, goal_name, direction, list(scale)]
    return render_svg(chart, arguments, description, nonce)


def level_chart(*, title: str, labels: Sequence[str], figures: Sequence[int | None], series_name: str,
                direction: str, description: str, nonce: str | None = None) -> Markup:
    """The ICF function level per round: A–E drawn as 0–4 (function_level_figure), labelled A–E."""
    y_labels = [{"label": letter, "value": n} for n, letter in enumerate("ABCDE")]
    chart = _chart(title, direction, labels, y_labels, (0, 4))
    chart.add(series_name, list(figures))
    return render_svg(chart, [title, list(labels), list(figures), series_name, direction], description, nonce)
