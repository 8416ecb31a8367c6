"""Static files named by their content (app/static_files.py): kept a year, a changed file a new address."""

import os
import re

import pytest
from flask import url_for


@pytest.fixture
def visitor(app):
    return app.test_client()


def _named(page: str, name: str) -> str:
    return re.search(rf'"(/static/{re.escape(name)}\?v=[0-9a-f]{{12}})"', page).group(1)


def test_a_page_names_its_files_by_content_and_a_phone_keeps_them(visitor):
    page = visitor.get("/code").text
    url = _named(page, "respond.css")
    with visitor.get(url) as response:
        assert response.status_code == 200
        assert response.cache_control.max_age == 365 * 24 * 3600 and response.cache_control.immutable


@pytest.mark.parametrize("query", ["", "?v=000000000000", "?v=<script>"])
def test_any_other_address_of_a_file_is_asked_about_again(visitor, query):
    # An old page naming an old version, or no version: served, but not kept.
    with visitor.get("/static/respond.css" + query) as response:
        assert response.status_code == 200 and not response.cache_control.immutable
        assert response.cache_control.max_age != 365 * 24 * 3600


def test_a_changed_file_gets_a_new_address(app, visitor, tmp_path):
    app.static_folder = str(tmp_path)
    (tmp_path / "respond.css").write_text("a{}")
    with app.test_request_context():
        first = url_for("static", filename="respond.css")
        (tmp_path / "respond.css").write_text("b{}")
        os.utime(tmp_path / "respond.css", (1, 1))
        second = url_for("static", filename="respond.css")
    assert first != second and first.startswith("/static/respond.css?v=")


def test_a_missing_file_is_named_without_a_version_and_not_found(app, visitor):
    with app.test_request_context():
        assert url_for("static", filename="none.css") == "/static/none.css"
    assert visitor.get("/static/none.css").status_code == 404
