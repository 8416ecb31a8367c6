"""Two-factor password login (issue 13, "Login through the municipality's identity provider":
"two-factor login (TOTP) that an organisation can require")."""

import re
import time

import pyotp
import pytest
from sqlalchemy import select

from app import sealing
from app.audit import AuditEvent
from app.auth.models import User
from app.extensions import db
from tests.factories import login


@pytest.fixture
def require_totp(app):
    app.config["REQUIRE_TOTP"] = True


def _secret_on_page(text: str) -> str:
    return re.search(r"<code>([A-Z2-7]+)</code>", text).group(1)


def _logged_in(client) -> bool:
    return "Log ud" in client.get("/", follow_redirects=True).text


def test_when_required_a_user_sets_up_their_app_and_then_logs_in_with_a_code(app, client, caseworker, require_totp):
    to_code = login(client)
    assert to_code.status_code == 302 and to_code.location.endswith("/login/code")
    page = client.get("/login/code").text
    assert "<svg" in page and "scan QR-koden" in page and "Log ud" not in page  # the password alone is not enough
    secret = _secret_on_page(page)
    set_up_at = time.time()
    assert client.post("/login/code", data={"code": pyotp.TOTP(secret).at(set_up_at)}).status_code == 302
    assert _logged_in(client)
    with app.app_context():
        user = db.session.get(User, caseworker)
        assert secret not in user.totp_secret and sealing.unseal(user.totp_secret) == secret  # kept sealed
        actions = db.session.scalars(select(AuditEvent.action).order_by(AuditEvent.id)).all()
        assert actions[-2:] == ["login", "totp.setup"]
    client.post("/logout")
    login(client)
    page = client.get("/login/code").text
    assert "<svg" not in page  # set up once
    # The code that set it up is used: the next login takes the next one (half a minute on, within the window).
    assert client.post("/login/code", data={"code": pyotp.TOTP(secret).at(set_up_at)}).status_code == 200
    assert client.post("/login/code", data={"code": pyotp.TOTP(secret).at(set_up_at + 30)}).status_code == 302
    assert _logged_in(client)


@pytest.mark.parametrize("code", ["000000", "12345", "abcdef", ""])
def test_a_wrong_code_is_a_clear_message_and_no_login(app, client, caseworker, code):
    with app.app_context():
        user = db.session.get(User, caseworker)
        secret = pyotp.random_base32()
        user.totp_secret = sealing.seal(secret)
        db.session.commit()
    login(client)  # set up, so asked for even when not required
    if code == "000000" and pyotp.TOTP(secret).verify(code, valid_window=1):
        pytest.skip("the random secret's code happens to be 000000")
    page = client.post("/login/code", data={"code": code})
    assert page.status_code == 200
    assert ("Koden passer ikke" in page.text) or ("Skriv den 6-cifrede kode" in page.text)
    assert not _logged_in(client)
    if code:
        with app.app_context():
            failed = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "login.failed"))
            assert failed.user_id is None and failed.detail == {"user": caseworker, "method": "totp"}


def test_without_a_right_password_there_is_no_code_page(client, caseworker, require_totp):
    response = client.get("/login/code", follow_redirects=True)
    assert "Log ind igen" in response.text and not _logged_in(client)


def test_without_the_requirement_and_without_set_up_the_password_logs_in(client, caseworker):
    assert login(client).location.endswith("/")
