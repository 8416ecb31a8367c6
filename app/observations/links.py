"""The address of a standing observation link."""

from flask import url_for

from app.invitations.links import base_url


def observation_url(token: str) -> str:
    """Return the standing link for a token."""
    return base_url() + url_for("observe.report", token=token)
