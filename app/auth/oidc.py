"""Login through the organisation's identity provider: OpenID Connect, with Authlib.

Configured from the environment (SAMSTEM_OIDC_*, README "Configuration"). The browser is sent
to the identity provider with a fresh state and nonce (kept in the session until it comes back,
never a token); it comes back with a code, which Samstem exchanges for an ID token over a direct
connection. The ID token's signature is checked against the keys the provider publishes (its
JWKS), and its issuer, audience (our client id), expiry and nonce against what we expect. Only
then is the user looked up by the stable claim (app.auth.idp_users).
"""

import json

import requests
from authlib.integrations.base_client.errors import OAuthError
from authlib.integrations.flask_client import OAuth
from authlib.oidc.core import CodeIDToken
from flask import Flask, current_app, url_for
from joserfc.errors import JoseError

from app.auth.models import ROLES

EXTENSION = "samstem_oidc"
SCOPE = "openid profile email"


class GroupMapError(RuntimeError):
    """SAMSTEM_OIDC_GROUP_MAP is not what it should be; the message says what to write."""


class TokenRefused(Exception):
    """The identity provider's answer could not be trusted or used (a bad token, a lost state)."""


def parse_group_map(value: str | dict | None) -> dict[str, dict[str, str]]:
    """Return the group map: a group to {"role": …, "team": …}; raise GroupMapError when it is malformed."""
    if not value:
        return {}
    if isinstance(value, str):
        try:
            value = json.loads(value)
        except json.JSONDecodeError as error:
            raise GroupMapError(f"SAMSTEM_OIDC_GROUP_MAP is not JSON: {error}") from None
    if not isinstance(value, dict):
        raise GroupMapError("SAMSTEM_OIDC_GROUP_MAP must be a JSON object from a group to a role and a team")
    for group, target in value.items():
        team = target.get("team") if isinstance(target, dict) else None
        if not isinstance(target, dict) or target.get("role") not in ROLES or not isinstance(team, str) or not team.strip():
            raise GroupMapError(f'SAMSTEM_OIDC_GROUP_MAP: group {group!r} must map to {{"role": one of '
                                f'{", ".join(ROLES)}, "team": "a team\'s name"}}')
    return value


def init_app(app: Flask) -> None:
    app.config["OIDC_GROUP_MAP"] = parse_group_map(app.config.get("OIDC_GROUP_MAP"))
    issuer = app.config.get("OIDC_ISSUER")
    if not issuer:
        return
    if not app.config.get("OIDC_CLIENT_ID"):
        raise RuntimeError("SAMSTEM_OIDC_ISSUER is set but SAMSTEM_OIDC_CLIENT_ID is not")
    oauth = OAuth(app)
    app.extensions[EXTENSION] = oauth.register(
        "idp",
        client_id=app.config["OIDC_CLIENT_ID"],
        client_secret=app.config.get("OIDC_CLIENT_SECRET"),
        server_metadata_url=issuer.rstrip("/") + "/.well-known/openid-configuration",
        client_kwargs={"scope": SCOPE, "timeout": 10},
    )


def configured() -> bool:
    return EXTENSION in current_app.extensions


def _client():
    return current_app.extensions[EXTENSION]


def _claims_options() -> dict:
    """The ID token must come from the configured issuer and be meant for this client."""
    return {
        "iss": {"essential": True, "values": [current_app.config["OIDC_ISSUER"]]},
        "aud": {"essential": True, "values": [current_app.config["OIDC_CLIENT_ID"]]},
    }


def start(callback: str = "auth.oidc_callback", *, fresh: bool = False):
    """Return the redirect to the identity provider's login, coming back to the `callback` endpoint.

    `fresh`: the person must log in again there, even if the provider still knows them (unlocking
    a device in hand-over mode, app.handover): OpenID Connect's prompt=login and max_age=0."""
    again = {"prompt": "login", "max_age": 0} if fresh else {}
    try:
        return _client().authorize_redirect(url_for(callback, _external=True), **again)
    except (requests.RequestException, ValueError, KeyError) as error:
        raise TokenRefused(f"the identity provider's configuration could not be read: {type(error).__name__}") from None


def finish() -> dict:
    """Exchange the code the browser came back with for a checked ID token; return its claims."""
    try:
        token = _client().authorize_access_token(claims_options=_claims_options(), claims_cls=CodeIDToken)
    except (OAuthError, JoseError, requests.RequestException, ValueError, KeyError) as error:
        raise TokenRefused(type(error).__name__) from None
    if not token.get("userinfo"):
        raise TokenRefused("no ID token")
    return dict(token["userinfo"])


def check_id_token(token: dict, nonce: str) -> dict:
    """Return the claims of the token's ID token after checking it as finish() does; raise TokenRefused."""
    try:
        claims = _client().parse_id_token(token, nonce=nonce, claims_options=_claims_options(),
                                          claims_cls=CodeIDToken)
    except (JoseError, requests.RequestException, ValueError) as error:
        raise TokenRefused(type(error).__name__) from None
    if claims is None:
        raise TokenRefused("no ID token")
    return dict(claims)
