"""Respondents' links, typable codes and QR codes."""

from dataclasses import dataclass

import qrcode
import qrcode.image.svg
from flask import current_app, request, url_for

from app import tokens
from app.invitations.models import Invitation


def base_url() -> str:
    """Return where respondents reach Samstem: PUBLIC_BASE_URL, else this request's host."""
    configured = current_app.config.get("PUBLIC_BASE_URL")
    return (configured or request.host_url).rstrip("/")


def respondent_url(token: str) -> str:
    """Return the personal link for a token."""
    return base_url() + url_for("respond.start", token=token)


def sms_url(token: str) -> str:
    """Return the personal link for an SMS: the same secret, 22 characters after the host."""
    return base_url() + url_for("respond.short", token=token)


def code_url() -> str:
    """Return the page where a typed code is entered."""
    return base_url() + url_for("respond.enter_code")


def qr_svg(data: str) -> str:
    """Return an inline SVG QR code for the text, scalable to any size."""
    image = qrcode.make(
        data,
        image_factory=qrcode.image.svg.SvgPathImage,
        error_correction=qrcode.constants.ERROR_CORRECT_M,
        border=4,
    )
    return image.to_string(encoding="unicode")


@dataclass(frozen=True)
class HandOut:
    """What one participant needs to reach their form."""

    invitation: Invitation
    url: str
    code: str
    qr: str


def hand_outs(invitations: list[Invitation], issued: dict[int, str]) -> list[HandOut]:
    """Return hand-outs for the invitations whose token is known."""
    result = []
    for invitation in invitations:
        token = issued.get(invitation.id)
        if token is None:
            continue
        url = respondent_url(token)
        result.append(HandOut(invitation, url, tokens.typed_code(token), qr_svg(url)))
    return result
