"""Hand-over mode (issue 18 item 2): the case worker's tablet as one participant's form at a time,
locked on the server between them, and paper answers typed in afterwards."""

import time

import pytest
from sqlalchemy import select

from app.auth import sessions
from app.extensions import db
from app.invitations.models import Response
from tests.factories import PASSWORD
from tests.test_respond import CHILD_FORM

MOTHER_FORM = {
    **{f"fit-outcome-child.{k}": v for k, v in [("me", "3"), ("family", "4"), ("school", "2,5"), ("everything", "3")]},
    **{f"fit-session.{k}": "8" for k in ("listened", "mattered", "liked", "overall")},
}


@pytest.fixture
def emma(make, caseworker):
    return make.emma(caseworker)


@pytest.fixture
def clock(monkeypatch):
    """The sessions' clock, moved forward by hand."""

    class Clock:
        now = time.time()

        def forward(self, seconds: float) -> None:
            self.now += seconds

    moved = Clock()
    monkeypatch.setattr(sessions.time, "time", lambda: moved.now)
    return moved


def start(client, round_id: int, mode: str = "help"):
    response = client.post(f"/rounds/{round_id}/handover", data={"mode": mode})
    assert response.status_code == 302 and response.headers["Location"].endswith("/handover"), response.text
    return response


def hand_to(client, invitation_id: int):
    response = client.post(f"/handover/{invitation_id}")
    assert response.headers["Location"].endswith("/handover/form")
    return client.get("/handover/form")


def current(app, invitation_id: int) -> list[Response]:
    with app.app_context():
        return db.session.scalars(select(Response).where(Response.invitation_id == invitation_id,
                                                         Response.superseded_at.is_(None))).all()


def test_smoke(app, staff, emma):
    start(staff, emma.round)
    pick = staff.get("/handover")
    assert "Emma" in pick.text, pick.text
    form = hand_to(staff, emma.invitations["child"])
    assert form.status_code == 200, form.text
    sent = staff.post("/handover/form", data=CHILD_FORM)
    assert sent.headers["Location"].endswith("/handover/tak"), sent.text
    thanks = staff.get("/handover/tak")
    assert "Tak — giv enheden tilbage" in thanks.text
    assert staff.get("/cases").headers["Location"].endswith("/handover/tak")
    wrong = staff.post("/handover/unlock", data={"password": "nope"})
    assert "Adgangskoden passer ikke" in wrong.text
    right = staff.post("/handover/unlock", data={"password": PASSWORD})
    assert right.headers["Location"].endswith("/handover")
    assert [r.answered_with for r in current(app, emma.invitations["child"])] == ["help", "help"]
