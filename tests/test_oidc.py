"""Login through the municipality's identity provider (issue 13, "Login through the municipality's
identity provider"): against a real OpenID Connect server (oidc-provider-mock, in a thread), and
the ID token's checks with tokens signed here."""

import json
import threading
import time
from contextlib import contextmanager
from urllib.parse import parse_qs, quote, urlsplit

import httpx
import oidc_provider_mock
import pytest
from joserfc import jwt
from joserfc.jwk import RSAKey
from sqlalchemy import select
from werkzeug.serving import make_server
from werkzeug.wrappers import Request, Response

from app import create_app
from app.audit import AuditEvent
from app.auth import oidc
from app.auth.models import User
from app.extensions import db
from tests.conftest import _config
from tests.test_sessions import MINUTE, clock  # noqa: F401  (a fixture)

# The provider (a test server, not our code) calls an Authlib hook the newest Authlib deprecates.
pytestmark = pytest.mark.filterwarnings(r"ignore:get_jwt_config\(self, grant\) is deprecated:DeprecationWarning")

GROUP_MAP = {"samstem-nord": {"role": "caseworker", "team": "Team Nord"}}


@pytest.fixture(scope="module")
def provider():
    with oidc_provider_mock.run_server_in_thread() as server:
        yield f"http://localhost:{server.server_port}"


def _app(database_url, issuer, **settings):
    config = _config(database_url) | {"OIDC_ISSUER": issuer, "OIDC_CLIENT_ID": "samstem",
                                      "OIDC_CLIENT_SECRET": "secret", "OIDC_GROUP_MAP": json.dumps(GROUP_MAP)}
    return create_app(config | settings)


@pytest.fixture
def make_app(app, database_url):
    """Apps configured for an identity provider, on the app fixture's database (emptied after the
    test by the app fixture); their connections closed after the test."""
    made = []

    def make_app(issuer, **settings):
        made.append(_app(database_url, issuer, **settings))
        return made[-1]

    yield make_app
    for other in made:
        with other.app_context():
            db.engine.dispose()


@pytest.fixture
def idp_app(make_app, provider):
    return make_app(provider)


def _provider_user(provider, sub, **claims):
    assert httpx.put(f"{provider}/users/{quote(sub)}", json=claims).status_code == 204


def _log_in(client, provider, sub):
    """Log in through the identity provider as sub; return the page Samstem ends on."""
    to_provider = client.get("/login/oidc")
    assert to_provider.status_code == 302 and to_provider.location.startswith(provider)
    back = httpx.post(to_provider.location, data={"sub": sub})
    assert back.has_redirect_location
    callback = urlsplit(back.headers["location"])
    return client.get(f"{callback.path}?{callback.query}", follow_redirects=True)


def test_the_login_page_offers_the_identity_provider_only_when_configured(client, idp_app):
    assert "Log ind med kommunens login" not in client.get("/login").text
    assert client.get("/login/oidc").status_code == 404 and client.get("/login/oidc/callback").status_code == 404
    page = idp_app.test_client().get("/login").text
    assert "Log ind med kommunens login" in page and 'name="password"' in page


def test_a_known_user_logs_in_and_their_name_and_email_come_from_the_provider(idp_app, provider, make):
    make.user(username="anne@kommune.dk", team=make.team())
    _provider_user(provider, "anne@kommune.dk", name="Anne Andersen", email="anne@kommune.dk")
    client = idp_app.test_client()
    page = _log_in(client, provider, "anne@kommune.dk")
    assert page.status_code == 200 and "Log ud" in page.text
    with idp_app.app_context():
        user = db.session.scalar(select(User).where(User.username == "anne@kommune.dk"))
        assert (user.oidc_subject, user.name, user.email, user.from_idp) == (
            "anne@kommune.dk", "Anne Andersen", "anne@kommune.dk", True)
        login = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "login"))
        assert login.user_id == user.id and login.detail["method"] == "oidc"


def test_an_unknown_user_is_refused_unless_a_group_gives_a_role_and_a_team(idp_app, provider, make):
    make.team()
    _provider_user(provider, "bo", name="Bo Berg", groups=["some-other-group"])
    client = idp_app.test_client()
    page = _log_in(client, provider, "bo")
    assert "Du har ikke adgang til Samstem" in page.text and "Log ud" not in page.text
    _provider_user(provider, "bo", name="Bo Berg", groups=["samstem-nord"])
    page = _log_in(client, provider, "bo")
    assert "Log ud" in page.text
    with idp_app.app_context():
        bo = db.session.scalar(select(User).where(User.oidc_subject == "bo"))
        assert (bo.name, bo.roles, bo.team.name, bo.check_password("")) == ("Bo Berg", {"caseworker"}, "Team Nord", False)


def test_a_group_mapped_to_a_team_that_does_not_exist_is_a_clear_refusal(idp_app, provider):
    _provider_user(provider, "cai", groups=["samstem-nord"])
    page = _log_in(idp_app.test_client(), provider, "cai")
    assert page.status_code == 200 and "et team, som ikke findes i Samstem" in page.text


def test_a_deactivated_user_is_refused(idp_app, provider, make):
    user_id = make.user(username="dea", team=make.team())
    with idp_app.app_context():
        db.session.get(User, user_id).deactivate()
        db.session.commit()
    _provider_user(provider, "dea", groups=["samstem-nord"])
    page = _log_in(idp_app.test_client(), provider, "dea")
    assert "Din adgang til Samstem er lukket" in page.text and "Log ud" not in page.text
    with idp_app.app_context():
        failed = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "login.failed"))
        assert failed.detail["reason"] == "inactive"


def test_a_session_begun_through_the_provider_ends_when_unused(idp_app, provider, make, clock):  # noqa: F811
    make.user(username="eva", team=make.team())
    _provider_user(provider, "eva")
    client = idp_app.test_client()
    assert "Log ud" in _log_in(client, provider, "eva").text
    clock.forward(31 * MINUTE)
    assert "fordi du ikke har brugt Samstem" in client.get("/", follow_redirects=True).text


def test_a_callback_without_a_login_begun_here_is_refused(idp_app):
    page = idp_app.test_client().get("/login/oidc/callback?code=abc&state=forged", follow_redirects=True)
    assert page.status_code == 200 and "lykkedes ikke" in page.text


def test_a_malformed_group_map_stops_the_app_with_a_message(database_url):
    with pytest.raises(oidc.GroupMapError, match="must map to"):
        _app(database_url, "http://localhost:1", OIDC_GROUP_MAP='{"g": {"role": "king", "team": "T"}}')


# --- the ID token's checks, with tokens signed here -----------------------------------------

ISSUER_KEY, OTHER_KEY = RSAKey.generate_key(2048, {"kid": "ours"}), RSAKey.generate_key(2048, {"kid": "ours"})


@contextmanager
def _keys_server():
    """A provider that publishes only its discovery document and its keys (JWKS)."""
    def wsgi(environ, start_response):
        request, base = Request(environ), f"http://localhost:{server.server_port}"
        if request.path == "/.well-known/openid-configuration":
            body = {"issuer": base, "jwks_uri": base + "/jwks", "authorization_endpoint": base + "/auth",
                    "token_endpoint": base + "/token", "id_token_signing_alg_values_supported": ["RS256"]}
        else:
            body = {"keys": [ISSUER_KEY.as_dict(private=False)]}
        return Response(json.dumps(body), mimetype="application/json")(environ, start_response)

    server = make_server("localhost", 0, wsgi, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://localhost:{server.server_port}"
    finally:
        server.shutdown()


@pytest.fixture(scope="module")
def keys_issuer():
    with _keys_server() as issuer:
        yield issuer


def _id_token(issuer, key=ISSUER_KEY, **changes):
    now = int(time.time())
    claims = {"iss": issuer, "sub": "anne", "aud": "samstem", "iat": now, "exp": now + 300, "nonce": "n1"} | changes
    return jwt.encode({"alg": "RS256", "kid": "ours"}, claims, key)


# The three checks the issue names (wrong audience, wrong issuer, bad signature), and expiry.
REFUSED = {
    "wrong audience": dict(aud="someone-else"),
    "wrong issuer": dict(iss="http://localhost:1/evil"),
    "bad signature": dict(key=OTHER_KEY),
    "expired": dict(exp=int(time.time()) - 3600, iat=int(time.time()) - 7200),
    "another login's nonce": dict(nonce="n2"),
}


@pytest.mark.parametrize("change", REFUSED, ids=list(REFUSED))
def test_an_id_token_that_fails_a_check_is_refused(make_app, keys_issuer, change):
    token_app = make_app(keys_issuer)
    with token_app.test_request_context():
        assert oidc.check_id_token({"id_token": _id_token(keys_issuer), "access_token": "a"}, "n1")["sub"] == "anne"
        with pytest.raises(oidc.TokenRefused):
            oidc.check_id_token({"id_token": _id_token(keys_issuer, **REFUSED[change]), "access_token": "a"}, "n1")


def test_the_login_redirect_carries_state_and_nonce_and_keeps_no_token_in_the_cookie(idp_app, provider):
    client = idp_app.test_client()
    query = parse_qs(urlsplit(client.get("/login/oidc").location).query)
    assert query["client_id"] == ["samstem"] and query["state"] and query["nonce"]
    assert "openid" in query["scope"][0]


# --- password login switched off (SAMSTEM_PASSWORD_LOGIN=0) ---------------------------------

def test_with_password_login_off_the_form_is_gone_and_a_password_is_refused(make_app, provider, make):
    from tests.factories import PASSWORD

    make.user(username="admin", role="admin")
    client = make_app(provider, PASSWORD_LOGIN=False).test_client()
    page = client.get("/login").text
    assert "Log ind med kommunens login" in page and 'name="password"' not in page
    refused = client.post("/login", data={"username": "admin", "password": PASSWORD})
    assert refused.status_code == 403 and "Der logges ind med kommunens login" in refused.text
    assert "Log ud" not in client.get("/", follow_redirects=True).text


def test_the_first_administrator_made_on_the_command_line_logs_in_through_the_provider(
        make_app, provider, make):
    make.user(username="it-admin@kommune.dk", role="admin")
    _provider_user(provider, "it-admin@kommune.dk", name="Ida Admin")
    admin_app = make_app(provider, PASSWORD_LOGIN=False)
    assert "Log ud" in _log_in(admin_app.test_client(), provider, "it-admin@kommune.dk").text
