"""FIT trend charts: SVG drawn on the server by pygal, the same in a page and in a PDF.

The SVG carries no script, no web font and no outside address. Its one <style> element
gets the page's CSP nonce, so staff pages can inline it under style-src 'self'.
"""

import hashlib
import json
import re
import sys
from collections.abc import Sequence
from dataclasses import astuple, dataclass
from pathlib import Path

import pygal
from markupsafe import Markup
from pygal.etree import etree
from pygal.style import Style

# Importing pygal appends a legacy import hook for its map plugins, which Samstem does not
# use. On Python 3.11 every failed import after it (any `try: import x`) then warns with
# ImportWarning, which the tests turn into an error. Take the hook out again.
sys.meta_path[:] = [finder for finder in sys.meta_path if not isinstance(finder, pygal.PluginImportFixer)]

STYLESHEET = Path(__file__).with_name("chart.css")
WIDTH, HEIGHT = 640, 300
MAX_DOTS = 12
MAX_X_LABELS = 5  # of 24 monthly meetings, label about every fifth; the first and last always
LINE, CUT_OFF = "#1f4e79", "#b34700"  # dark blue; dark orange (5.5:1 on white), dashed

STYLE = Style(
    font_family="sans-serif",
    background="white",
    plot_background="white",
    foreground="#222",
    foreground_strong="#000",
    foreground_subtle="#555",
    colors=(LINE, CUT_OFF),
    opacity="1",
    opacity_hover="1",
    stroke_opacity="1",
    stroke_opacity_hover="1",
    stroke_width="2.5",
    # Solid light guides, so the only dashed line on the chart is the cut-off.
    guide_stroke_color="#ddd",
    major_guide_stroke_color="#ddd",
    guide_stroke_dasharray="none",
    major_guide_stroke_dasharray="none",
    title_font_size=15,
    legend_font_size=13,
    label_font_size=11,
    major_label_font_size=11,
    transition="0s",
)

# Only there for pygal's tooltip script, which Samstem never loads.
SCRIPT_ONLY = {"script", "desc"}
SCRIPT_ONLY_GROUP = "tooltip-overlay"
SCRIPT_ONLY_CLASSES = {"tooltip-trigger", "activate-serie"}
# pygal writes coordinates with up to 15 decimals; a tenth of a pixel is plenty.
DECIMALS = re.compile(r"-?\d+\.\d{2,}")
GEOMETRY = ("x", "y", "cx", "cy", "d", "transform")


@dataclass(frozen=True)
class TrendPoint:
    label: str  # x label, already formatted by the caller, e.g. "3. jan. 2026"
    value: float | None  # None = no answer at that meeting (a gap in the line)
    threshold: float | None = None  # the cut-off in force at that meeting; None = none


def _line_chart(title: str, direction: str, y_min: float, y_max: float, labels: list[str]) -> pygal.Line:
    """Return an empty pygal line chart in Samstem's style, with one x label per meeting."""
    return pygal.Line(
        style=STYLE,
        width=WIDTH,
        height=HEIGHT,
        title=title,
        y_title=direction,
        range=(y_min, y_max),
        # Five labels on the y axis (0, 10, 20, 30, 40): each text costs a PDF real time.
        y_labels=[y_min + (y_max - y_min) * step / 4 for step in range(5)],
        x_labels=labels,
        x_labels_major_count=min(len(labels), MAX_X_LABELS),
        show_minor_x_labels=False,
        truncate_label=-1,
        truncate_legend=-1,
        legend_at_bottom=True,
        margin_right=40,  # room for half of the last x label
        allow_interruptions=True,  # a meeting without an answer is a gap, not a straight line
        dots_size=3.5,
        # A dot per meeting reads well up to a year of monthly meetings; beyond, the line says
        # it, and 24 dots cost the PDF a tenth of a second per chart.
        show_dots=len(labels) <= MAX_DOTS,
        no_data_text="",
        js=[],
        css=[f"file://{STYLESHEET}"],
        disable_xml_declaration=True,
    )


def trend_chart(
    *,
    title: str,
    series_name: str,
    points: Sequence[TrendPoint],
    threshold_name: str,
    direction: str,
    y_min: float = 0,
    y_max: float = 40,
    description: str,
    nonce: str | None = None,
) -> Markup:
    """Draw one respondent's totals over time, with the cut-off dashed, as inline SVG.

    `direction` ("Højere er bedre") is written along the y axis; `description` is the
    chart in words, for screen readers (aria-label) and PDF readers (<title>).
    """
    chart = _line_chart(title, direction, y_min, y_max, [point.label for point in points])
    arguments = [title, series_name, [astuple(p) for p in points], threshold_name, direction, y_min, y_max]
    chart.add(series_name, [point.value for point in points])
    if any(point.threshold is not None for point in points):
        chart.add(
            threshold_name,
            [point.threshold for point in points],
            show_dots=False,
            stroke_style={"dasharray": "8,5"},
        )
    return render_svg(chart, arguments, description, nonce)


def render_svg(chart: pygal.graph.graph.Graph, arguments: list, description: str, nonce: str | None) -> Markup:
    """Render a pygal chart as inline SVG: no script, `description` as its title and label,
    the page's CSP nonce on its style. `arguments` are what the chart was drawn from: their
    hash is the chart's id (it scopes pygal's CSS), so the same chart renders to the same bytes.
    """
    chart.uuid = hashlib.sha256(json.dumps(arguments, default=str).encode()).hexdigest()[:12]
    svg = chart.render_tree()
    _strip(svg)
    svg.set("role", "img")
    svg.set("aria-label", description)
    for element in [child for child in svg if _name(child) == "title"]:
        svg.remove(element)  # pygal's repeats the visible title
    svg.insert(0, etree.Element("title"))
    svg[0].text = description
    if nonce:
        for element in svg.iter():
            if _name(element) == "style":
                element.set("nonce", nonce)
    return Markup(etree.tostring(svg, encoding="unicode"))


def _name(element) -> str:
    """The local tag name; comments and processing instructions have none."""
    return element.tag.rpartition("}")[2] if isinstance(element.tag, str) else ""


def _strip(svg) -> None:
    """Remove pygal's comments, all that only its tooltip script uses, and excess digits."""
    for parent in list(svg.iter()):
        for child in list(parent):
            if (
                not isinstance(child.tag, str)
                or _name(child) in SCRIPT_ONLY
                or SCRIPT_ONLY_GROUP in (child.get("class") or "").split()
            ):
                parent.remove(child)
    for element in svg.iter():
        if "class" in element.attrib:
            classes = [name for name in element.get("class").split() if name not in SCRIPT_ONLY_CLASSES]
            if classes:
                element.set("class", " ".join(classes))
            else:
                del element.attrib["class"]
        if (element.get("id") or "").startswith("activate-serie"):  # same ids in every chart
            del element.attrib["id"]
        for name in GEOMETRY:
            if name in element.attrib:
                element.set(name, DECIMALS.sub(_tenths, element.get(name)))


def _tenths(number: re.Match) -> str:
    return f"{float(number[0]):.1f}"
