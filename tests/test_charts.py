"""FIT trend charts: self-contained SVG, readable by screen readers and PDF readers, under the CSP."""

import io
import re
import xml.etree.ElementTree as ET
from collections.abc import Iterator

import pypdfium2
import pytest
from flask import Flask, render_template_string
from flask.testing import FlaskClient
from markupsafe import Markup
from weasyprint import HTML

from app import create_app
from app.extensions import limiter
from app.reports.charts import TrendPoint, trend_chart
from app.security import CONTENT_SECURITY_POLICY, csp_nonce
from tests.conftest import _config

SVG = "{http://www.w3.org/2000/svg}"
MONTHS = ["jan.", "feb.", "mar.", "apr.", "maj", "jun.", "jul.", "aug.", "sep.", "okt.", "nov.", "dec."]
TITLE = "Sådan går det – Emma"
DIRECTION = "Højere er bedre"
DESCRIPTION = "Emma: 20,0 den 3. jan. 2025 → 31,5 den 3. dec. 2026; klinisk grænse 32. Højere er bedre."
NONCE_IN_POLICY = re.compile(r"style-src 'self' 'nonce-([A-Za-z0-9_-]+)';")


def monthly(count: int = 24, threshold: float | None = 32) -> list[TrendPoint]:
    """Two years of monthly meetings; every seventh has no answer."""
    return [
        TrendPoint(f"3. {MONTHS[i % 12]} {2025 + i // 12}", None if i % 7 == 3 else 20 + i / 2, threshold)
        for i in range(count)
    ]


def chart(points=None, **overrides) -> str:
    arguments = {
        "title": TITLE,
        "series_name": "Emma",
        "points": monthly() if points is None else points,
        "threshold_name": "Klinisk grænse 32",
        "direction": DIRECTION,
        "description": DESCRIPTION,
    }
    return str(trend_chart(**arguments | overrides))


def texts(root: ET.Element) -> list[str]:
    return [element.text for element in root.iter(f"{SVG}text")]


def test_the_chart_is_svg_that_says_what_it_shows():
    svg = chart()
    root = ET.fromstring(svg)
    assert root.tag == f"{SVG}svg"
    assert root.get("role") == "img" and root.get("aria-label") == DESCRIPTION
    assert root[0].tag == f"{SVG}title" and root[0].text == DESCRIPTION
    assert TITLE in texts(root) and DIRECTION in texts(root)
    assert {"3. jan. 2025", "3. dec. 2026"} <= set(texts(root))  # the first and last meetings are labelled
    assert svg.startswith("<svg ") and svg.endswith("</svg>")


def test_the_chart_loads_and_runs_nothing():
    svg = chart()
    assert "<script" not in svg and "<!--" not in svg and "<?xml" not in svg
    assert "pygal.org" not in svg and "Generated with" not in svg
    assert re.findall(r"https?://[^\s\"']*", svg) == ["http://www.w3.org/2000/svg"]
    assert " style=" not in svg  # a style attribute would need 'unsafe-inline'
    assert "@import" not in svg and "@font-face" not in svg


def test_the_chart_is_the_same_every_time_and_small():
    svg = chart()
    assert svg == chart()
    assert len(svg.encode()) < 12_000


def test_the_threshold_is_a_dashed_line_without_dots():
    root = ET.fromstring(chart())
    style = root.find(f".//{SVG}style").text
    chart_id = root.get("id")
    assert re.search(rf"#{chart_id} \.series\.serie-1\s*\{{\s*stroke-dasharray:\s*[\d.]+,", style)
    threshold = root.findall(f".//{SVG}g[@class='series serie-1 color-1']")
    assert threshold[0].find(f"{SVG}path") is not None  # the line is drawn
    assert not any(group.findall(f".//{SVG}circle") for group in threshold)
    assert "Klinisk grænse 32" in texts(root)


def test_without_thresholds_there_is_no_threshold_line_or_legend():
    svg = chart(monthly(threshold=None))
    root = ET.fromstring(svg)
    assert "serie-1" not in svg and "stroke-dasharray:8" not in svg
    assert "Klinisk grænse 32" not in texts(root)
    assert "Emma" in texts(root)


def test_a_missing_answer_breaks_the_line():
    root = ET.fromstring(chart(monthly(count=8)))
    plot = root.find(f".//{SVG}g[@class='series serie-0 color-0']")
    assert len(plot.findall(f"{SVG}path")) == 2  # 20, 20.5, 21 | no answer | 22, 22.5, 23, 23.5
    assert len(root.findall(f".//{SVG}circle")) == 7


@pytest.mark.parametrize(
    "points",
    [
        [],
        [TrendPoint("3. jan. 2026", 24.0, 32)],
        [TrendPoint("3. jan. 2026", None)],
        [TrendPoint("3. jan. 2026", None, 32), TrendPoint("3. feb. 2026", None, 32)],
    ],
    ids=["no points", "one point", "no answer", "no answers"],
)
def test_a_chart_with_too_little_to_show_still_renders(points):
    root = ET.fromstring(chart(points))
    assert root.get("aria-label") == DESCRIPTION and TITLE in texts(root)


def test_names_and_labels_are_escaped():
    svg = chart([TrendPoint("<i>jan</i>", 3.0)], series_name='Emma <b>"&"</b>', description='"><script>')
    root = ET.fromstring(svg)
    assert "<b>" not in svg and "<i>" not in svg and "<script" not in svg
    assert 'Emma <b>"&"</b>' in texts(root) and root.get("aria-label") == '"><script>'


def test_the_nonce_lands_on_every_style_element_when_given():
    with_nonce = ET.fromstring(chart(nonce="abc123_-"))
    styles = list(with_nonce.iter(f"{SVG}style"))
    assert styles and all(style.get("nonce") == "abc123_-" for style in styles)
    assert "nonce" not in chart()


def test_weasyprint_draws_the_chart_into_the_pdf_without_fetching_anything():
    fetched = []

    def refuse_fetch(url: str, *args, **kwargs):
        fetched.append(url)
        raise ValueError(f"the chart may not load {url!r}")

    html = f'<!doctype html><html lang="da"><body><h1>Rapport</h1>{chart(nonce="n")}</body></html>'
    pdf = HTML(string=html, url_fetcher=refuse_fetch).write_pdf()
    assert fetched == []
    document = pypdfium2.PdfDocument(io.BytesIO(pdf))
    try:
        text_page = document[0].get_textpage()
        text = " ".join(text_page.get_text_bounded().split())
        text_page.close()
    finally:
        document.close()
    for words in [TITLE, DIRECTION, "Klinisk grænse 32", "3. jan. 2025"]:
        assert words in text


# -- The CSP nonce ---------------------------------------------------------------------

PAGE = """<!doctype html><html lang="da"><head><title>Graf</title></head>
<body><main>{{ chart }}<p id="nonce">{{ csp_nonce() }}</p></main></body></html>"""


def app_with_chart_pages() -> Flask:
    """The real app, with no database (these pages need none), and two test pages.

    /test/chart inlines a chart with the request's nonce, as staff pages will;
    /test/chart-without-nonce has a nonce in its policy, but the chart does not carry it.
    """
    app = create_app(_config("sqlite://"))

    def page(with_nonce: bool) -> str:
        nonce = csp_nonce()  # asked for either way: the same policy on both pages
        return render_template_string(PAGE, chart=Markup(chart(nonce=nonce if with_nonce else None)))

    app.add_url_rule("/test/chart", "test_chart", lambda: page(True))
    app.add_url_rule("/test/chart-without-nonce", "test_chart_without_nonce", lambda: page(False))
    return app


@pytest.fixture
def chart_client() -> Iterator[FlaskClient]:
    yield app_with_chart_pages().test_client()
    limiter.reset()


def test_a_page_that_asks_for_a_nonce_gets_it_in_style_src(chart_client):
    response = chart_client.get("/test/chart")
    policy = response.headers["Content-Security-Policy"]
    nonce = NONCE_IN_POLICY.search(policy)[1]
    page = response.text
    assert f'<p id="nonce">{nonce}</p>' in page and f'<style type="text/css" nonce="{nonce}">' in page
    assert len(nonce) >= 20
    assert policy.replace(f" 'nonce-{nonce}'", "") == CONTENT_SECURITY_POLICY  # nothing else changes
    assert "unsafe-inline" not in policy


def test_every_request_gets_a_new_nonce(chart_client):
    policies = [chart_client.get("/test/chart").headers["Content-Security-Policy"] for _ in range(2)]
    first, second = (NONCE_IN_POLICY.search(policy)[1] for policy in policies)
    assert first != second


def test_a_page_without_a_chart_keeps_the_strict_policy(chart_client):
    chart_client.get("/test/chart")
    response = chart_client.get("/login")
    assert response.status_code == 200
    assert response.headers["Content-Security-Policy"] == CONTENT_SECURITY_POLICY


def test_pygal_leaves_no_import_hook_behind():
    # pygal's hook turned every failed import into an ImportWarning (an error in these tests).
    with pytest.raises(ModuleNotFoundError):
        __import__("samstem_has_no_such_module")
