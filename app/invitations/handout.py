"""The printable hand-out: one page per participant, rendered by WeasyPrint."""

from flask import render_template

from app.invitations.links import HandOut, code_url
from app.pdf import render_pdf


def handout_pdf(hand_outs: list[HandOut], organisation: str) -> bytes:
    """Render the hand-out pages to PDF bytes; the QR codes are inline, nothing is fetched."""
    html = render_template(
        "invitations/handout.html", hand_outs=hand_outs, organisation=organisation, code_url=code_url()
    )
    return render_pdf(html)
