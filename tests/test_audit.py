"""Every staff page that shows a case's personal data leaves one audit entry (DESIGN.md §3)."""

from sqlalchemy import func, select

from app.audit import AuditEvent
from app.extensions import db
from tests.factories import login
from tests.test_access import _staff_routes, setting  # noqa: F401  (the fixture)

# Pages about no single case: lists, forms without a case, the administrator's settings.
NOT_ABOUT_ONE_CASE = {"cases.index", "cases.new_case", "due.index", "indicators.admin_procedure"}


def _views(app, case_id: int) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(AuditEvent).where(
            AuditEvent.action == "case.view", AuditEvent.case_id == case_id))


def test_every_page_showing_a_case_is_audited_once(app, setting):
    client = app.test_client()
    login(client, "owner")
    shown = []
    for endpoint, method, url in _staff_routes(app, setting):
        if method != "GET" or endpoint in NOT_ABOUT_ONE_CASE:
            continue
        before = _views(app, setting.case)
        response = client.get(url)
        if response.status_code != 200:
            continue  # e.g. a page for another kind of round; its refusal shows nothing
        shown.append(endpoint)
        assert _views(app, setting.case) == before + 1, endpoint
    # The pages the review found unaudited are among them.
    assert {"invitations.show", "invitations.screen", "invitations.handout", "cases.edit_person"} <= set(shown)


def test_a_refused_page_and_a_redirect_leave_no_read(app, setting):
    client = app.test_client()
    login(client, "stranger")
    assert client.get(f"/cases/{setting.case}").status_code == 403
    owner = app.test_client()
    login(owner, "owner")
    assert owner.get(f"/cases/{setting.case}/goals/999999").status_code == 404
    before = _views(app, setting.case)
    assert owner.post(f"/invitations/{setting.invitations['mother']}/revoke").status_code == 302
    assert _views(app, setting.case) == before
    with app.app_context():
        actions = list(db.session.scalars(select(AuditEvent.action).where(AuditEvent.case_id == setting.case)))
    assert actions.count("case.view") == 0 and "invitation.revoke" in actions
