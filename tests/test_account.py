"""Issue 13: a user's own account page ("Min konto"): a new password, and setting up two-factor login
with a QR code; an administrator resets a lost phone's set-up; a code is used once (replay protection)."""

import re
import threading
import time

import pyotp
import pytest
from sqlalchemy import select

from app import sealing
from app.audit import AuditEvent
from app.auth import totp
from app.auth.models import User
from app.extensions import db
from tests.factories import PASSWORD, login

NEW_PASSWORD = "en-helt-ny-kode-7"


def _client(app, username):
    client = app.test_client()
    login(client, username)
    return client


def _user(app, username) -> User:
    with app.app_context():
        user = db.session.scalar(select(User).where(User.username == username))
        db.session.expunge(user)
        return user


def _actions(app) -> list[str]:
    with app.app_context():
        return list(db.session.scalars(select(AuditEvent.action).order_by(AuditEvent.id)))


def _secret_on_page(text: str) -> str:
    return re.search(r"<code>([A-Z2-7]+)</code>", text).group(1)


@pytest.mark.parametrize("role", ["caseworker", "team_leader", "leader", "analyst", "admin"])
def test_every_role_has_an_account_page_with_a_qr_code_drawn_on_the_page(app, make, role):
    make.user("eva", role=role, team=make.team() if role in ("caseworker", "team_leader") else None, name="Eva Ek")
    client = _client(app, "eva")
    assert 'href="/account/"' in client.get("/").text
    page = client.get("/account/")
    assert page.status_code == 200 and "Min konto" in page.text and "Eva Ek" in page.text
    # The QR code is inline SVG, no outside resource: the secret never leaves Samstem.
    assert "<svg" in page.text and "<img" not in page.text and "https://" not in page.text.split("<svg")[1][:4000]
    assert len(_secret_on_page(page.text)) >= 16


def test_a_user_sets_up_two_factor_login_with_a_first_code_and_is_asked_for_it_at_the_next_login(app, make):
    make.user("anne", team=make.team())
    client = _client(app, "anne")
    secret = _secret_on_page(client.get("/account/").text)
    assert _secret_on_page(client.get("/account/").text) == secret  # the same until confirmed
    wrong = client.post("/account/totp", data={"code": "000000" if pyotp.TOTP(secret).now() != "000000" else "111111"})
    assert wrong.status_code == 400 and "Koden passer ikke" in wrong.text
    assert _secret_on_page(wrong.text) == secret  # what the app was given still holds
    assert client.post("/account/totp", data={"code": pyotp.TOTP(secret).now()}).status_code == 302
    page = client.get("/account/").text
    assert "To-trins-login er slået til." in page and "<svg" not in page
    user = _user(app, "anne")
    with app.app_context():
        assert sealing.unseal(user.totp_secret) == secret and user.totp_last_step is not None
    assert "totp.setup" in _actions(app)
    again = app.test_client()
    assert login(again, "anne").location.endswith("/login/code")


@pytest.mark.parametrize("code, message", [
    ("", "Skriv den 6-cifrede kode fra din app."),
    ("abcdef", "Koden passer ikke"),
    ("12 34", "Koden passer ikke"),
    ("٣٣٣٣٣٣", "Koden passer ikke"),  # digits, but not 0-9
    ("9" * 5000, "Højst 12 tegn."),
    ("<script>", "Koden passer ikke"),
], ids=["empty", "letters", "short", "arabic-digits", "huge", "hostile"])
def test_a_bad_first_code_is_a_clear_message_and_nothing_is_set_up(app, make, code, message):
    make.user("anne", team=make.team())
    client = _client(app, "anne")
    client.get("/account/")
    response = client.post("/account/totp", data={"code": code})
    assert response.status_code == 400 and message in response.text
    assert _user(app, "anne").totp_secret is None


def test_set_up_twice_is_refused_with_a_message(app, make):
    make.user("anne", team=make.team())
    client = _client(app, "anne")
    secret = _secret_on_page(client.get("/account/").text)
    client.post("/account/totp", data={"code": pyotp.TOTP(secret).now()})
    response = client.post("/account/totp", data={"code": "123456"})
    assert response.status_code == 400 and "To-trins-login er allerede slået til." in response.text


@pytest.mark.parametrize("data, message", [
    ({"current": "forkert-kode-1"}, "Din nuværende adgangskode er forkert."),
    ({"password": "kort", "repeat": "kort"}, "Adgangskoden skal have mellem 10 og 200 tegn."),
    ({"repeat": "noget-helt-andet"}, "De to nye adgangskoder er ikke ens."),
    ({"current": ""}, "Skriv din nuværende adgangskode."),
    ({"password": PASSWORD, "repeat": PASSWORD}, "skal være en anden end den nuværende"),
    ({"password": "x" * 5000, "repeat": "x" * 5000}, "Adgangskoden skal have mellem 10 og 200 tegn."),
], ids=["wrong-current", "short", "not-the-same", "missing", "unchanged", "huge"])
def test_a_refused_password_change_says_why_and_changes_nothing(app, make, data, message):
    make.user("anne", team=make.team())
    client = _client(app, "anne")
    response = client.post("/account/password", data={"current": PASSWORD, "password": NEW_PASSWORD,
                                                      "repeat": NEW_PASSWORD, **data})
    assert response.status_code == 400 and message in response.text
    assert login(app.test_client(), "anne", PASSWORD).status_code == 302  # the old password still works


def test_a_new_password_ends_the_other_sessions_but_not_this_one(app, make):
    make.user("anne", team=make.team())
    here, elsewhere = _client(app, "anne"), _client(app, "anne")
    response = here.post("/account/password", data={"current": PASSWORD, "password": NEW_PASSWORD,
                                                     "repeat": NEW_PASSWORD})
    assert response.status_code == 302
    assert here.get("/").status_code == 200
    assert elsewhere.get("/").status_code == 302  # logged out there
    assert login(app.test_client(), "anne", NEW_PASSWORD).status_code == 302
    assert "account.password" in _actions(app)


def test_a_user_from_the_identity_provider_changes_nothing_here(app, make):
    make.user("anne", team=make.team())
    with app.app_context():
        db.session.scalar(select(User).where(User.username == "anne")).oidc_subject = "sub-1"
        db.session.commit()
    client = _client(app, "anne")
    page = client.get("/account/").text
    assert "Du logger ind med kommunens login." in page and "<svg" not in page
    assert client.post("/account/password", data={"current": PASSWORD, "password": NEW_PASSWORD,
                                                  "repeat": NEW_PASSWORD}).status_code == 400
    assert client.post("/account/totp", data={"code": "123456"}).status_code == 400


def test_an_administrator_resets_a_lost_phones_set_up_and_it_is_audited(app, make):
    anne = make.user("anne", team=make.team())
    make.user("root", role="admin", name="Rita Root")
    with app.app_context():
        user = db.session.get(User, anne)
        user.totp_secret, user.totp_last_step = sealing.seal(pyotp.random_base32()), 5
        db.session.commit()
    admin = _client(app, "root")
    assert "Nulstil to-trins-login" in admin.get(f"/admin/users/{anne}").text
    asked = admin.post(f"/admin/users/{anne}/totp-reset")
    assert asked.status_code == 200 and "Vil du nulstille to-trins-login for Anne Rådgiver?" in asked.text
    assert _user(app, "anne").totp_secret is not None
    assert admin.post(f"/admin/users/{anne}/totp-reset", data={"confirm": "yes"}).status_code == 302
    user = _user(app, "anne")
    assert (user.totp_secret, user.totp_last_step) == (None, None)
    assert _actions(app).count("user.totp_reset") == 1
    assert admin.post(f"/admin/users/{anne}/totp-reset", data={"confirm": "yes"}).status_code == 302  # nothing left
    assert _actions(app).count("user.totp_reset") == 1
    assert "Ikke slået til." in admin.get(f"/admin/users/{anne}").text
    assert _client(app, "anne").post(f"/admin/users/{anne}/totp-reset").status_code == 403


# --- replay protection: RFC 6238 §5.2, "the verifier MUST NOT accept the second attempt of the same OTP" ---

@pytest.mark.parametrize("last, offset, accepted", [
    (None, 0, True),     # never used: now's code passes
    ("now", 0, False),   # the same time step again: refused
    ("now", -1, False),  # an earlier step's code (still within the window): refused
    ("now-1", 0, True),  # the previous step was used: now's code passes
    ("now", 1, True),    # the next step (half a minute ahead, within the window) passes
    ("now+1", 0, False),  # a later step was already used: refused
], ids=["first", "same-step", "earlier-step", "after-previous", "next-step", "after-later"])
def test_a_code_of_a_used_time_step_is_refused(app, make, last, offset, accepted):
    anne = make.user("anne", team=make.team())
    secret = pyotp.random_base32()
    code = pyotp.TOTP(secret)
    now = code.timecode(time.time())
    steps = {None: None, "now": now, "now-1": now - 1, "now+1": now + 1}
    with app.app_context():
        user = db.session.get(User, anne)
        user.totp_secret, user.totp_last_step = sealing.seal(secret), steps[last]
        db.session.commit()
    client = app.test_client()
    login(client, "anne")
    response = client.post("/login/code", data={"code": code.at(time.time() + 30 * offset)})
    assert (response.status_code == 302) is accepted
    if not accepted:
        assert "Koden passer ikke" in response.text


def test_one_code_logs_in_once_in_two_browsers(app, make):
    anne = make.user("anne", team=make.team())
    secret = pyotp.random_base32()
    with app.app_context():
        db.session.get(User, anne).totp_secret = sealing.seal(secret)
        db.session.commit()
    first, second = app.test_client(), app.test_client()
    login(first, "anne")
    login(second, "anne")
    at = time.time()
    assert first.post("/login/code", data={"code": pyotp.TOTP(secret).at(at)}).status_code == 302
    assert second.post("/login/code", data={"code": pyotp.TOTP(secret).at(at)}).status_code == 200


def test_two_concurrent_claims_of_one_step_let_only_one_pass(app, make, backend):
    """The compare-and-set UPDATE: the second request waits for the first's row lock, then finds the step
    taken. SQLite runs one writer at a time and answers a waiting second writer with "database is locked"
    rather than waiting its turn, so the race itself is shown on PostgreSQL."""
    if backend != "postgresql":
        pytest.skip("the race needs a server database: run with REQUIRE_POSTGRES=1 scripts/with-postgres.sh")
    anne = make.user("anne", team=make.team())
    claimed, results = threading.Event(), {}
    release = threading.Event()

    def first():
        with app.app_context():
            results["first"] = totp.claim(db.session.get(User, anne), 1000)
            claimed.set()
            release.wait(10)
            db.session.commit()

    def second():
        with app.app_context():
            results["second"] = totp.claim(db.session.get(User, anne), 1000)
            db.session.commit()

    one = threading.Thread(target=first)
    one.start()
    assert claimed.wait(10)
    two = threading.Thread(target=second)
    two.start()
    two.join(0.5)
    assert two.is_alive()  # waiting for the first's row lock
    release.set()
    one.join(10)
    two.join(10)
    assert results == {"first": True, "second": False}
    assert _user(app, "anne").totp_last_step == 1000
