"""Helpers of the API's tests: a key made through the service, and calls with it."""

from flask import Flask

from app.api import keys
from app.auth.models import User
from app.extensions import db


def make_key(app: Flask, admin_id: int, team_ids: list[int], scopes=("read", "write"), name: str = "DUBU") -> str:
    """Return the secret of a new key, made through the service as the administrator would."""
    with app.test_request_context():
        new = keys.create(name, set(scopes), set(team_ids), db.session.get(User, admin_id))
        db.session.commit()
        return new.secret


def bearer(secret: str, **headers) -> dict:
    return {"Authorization": f"Bearer {secret}", **headers}


NEW_CASE = {"team": "Team Nord", "caseworker": "anne", "first_name": "Emma", "birth_year": 2016}
