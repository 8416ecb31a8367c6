"""Every staff page names itself in the browser's tab and history (issue 10, item 12).

Reads every staff GET page of the demo case as its case worker, with fresh links in the session so the
QR screens show (the walk tests/staff_walk.py makes once), and walks the administrator's pages.
"""

import re
from collections import defaultdict
from html import unescape

from flask import template_rendered
from sqlalchemy import select

from app.auth.models import User
from app.extensions import db
from tests.factories import Factory, demo_case, login

TITLE = re.compile(r"<title>(.*?)</title>", re.DOTALL)


def _titles(app, client, urls) -> dict[str, set[str]]:
    """Return, per template a page was drawn from, the titles of the pages it drew."""
    drawn: list[str] = []

    def record(sender, template, context, **extra):
        drawn.append(template.name)

    found = defaultdict(set)
    with template_rendered.connected_to(record, app):
        for url in urls:
            drawn.clear()
            response = client.get(url)
            if response.status_code != 200 or response.mimetype != "text/html":
                continue
            match = TITLE.search(response.text)
            found[drawn[0]].add(" ".join(unescape(match.group(1)).split()) if match else "")
    return found


def test_every_staff_page_has_a_title_of_its_own(staff_walk):
    # Every staff GET page of the demo case as its case worker, with fresh links in the session so the
    # QR screens show, the grid screen among them (tests/staff_walk.py).
    app, values = staff_walk.app, staff_walk.values
    titles = defaultdict(set)
    for page in staff_walk.pages:
        if page.html:
            match = TITLE.search(page.text)
            titles[page.drawn[0]].add(" ".join(unescape(match.group(1)).split()) if match else "")
    with app.app_context():
        admin = db.session.scalar(select(User.id).where(User.username == "admin"))
    if admin is None:  # the walk's database lives for the session
        Factory(app).user("admin", role="admin")
    administrator = app.test_client()
    login(administrator, "admin")
    admin_pages = ["/", "/admin/indicators", "/admin/users", "/admin/users/new", f"/admin/users/{values['user_id'][0]}",
                   "/admin/access", "/admin/teams/", f"/admin/teams/{values['team_id'][0]}", "/admin/settings",
                   "/admin/texts", "/admin/forms", "/admin/forms/fit-outcome-child"]
    for template, more in _titles(app, administrator, admin_pages).items():
        titles[template] |= more

    # The pages the walk must reach, among them those that said only "Samstem".
    assert {"cases/person.html", "cases/meeting.html", "cases/no_case_access.html", "invitations/propose.html",
            "invitations/round.html", "invitations/screen_one.html", "invitations/screen_grid.html",
            "invitations/screen_missing.html", "indicators/admin.html", "cases/show.html", "users/index.html",
            "users/new.html", "users/edit.html", "users/access_review.html", "teams/index.html",
            "teams/edit.html"} <= set(titles)
    untitled = {template: found for template, found in titles.items()
                if any(not title.endswith(" · Samstem") or title == "Samstem" for title in found)}
    assert untitled == {}
    # Two kinds of page never share a title: each says what it is.
    shared = {(a, b) for a in titles for b in titles if a < b and titles[a] & titles[b]}
    assert shared == set()


def test_titles_name_the_page_and_the_child_by_first_name(app):
    values = demo_case(app)
    client = app.test_client()
    login(client, "demo", "demo")
    case_id, person_id = values["case_id"][0], values["person_id"][0]
    expected = {
        f"/cases/{case_id}/meetings/new": "Registrér møde · Emma · Samstem",
        f"/cases/{case_id}/people/new": "Tilføj person · Emma · Samstem",
        f"/cases/{case_id}/people/{person_id}": "Ret person · Mette · Samstem",
        f"/meetings/{values['meeting_id'][0]}/feedback": "Indsaml feedback · Emma · Samstem",
    }
    shown = {url: TITLE.search(client.get(url).text).group(1) for url in expected}
    assert shown == expected
