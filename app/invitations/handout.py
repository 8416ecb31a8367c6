"""The printable hand-out: one page per participant, rendered by WeasyPrint."""

from flask import render_template
from weasyprint import HTML

from app.invitations.links import HandOut, code_url


def refuse_fetch(url: str, *args, **kwargs) -> dict:
    """Refuse every outside resource: the hand-out carries all it needs inline."""
    raise ValueError(f"hand-out may not load {url!r}")


def handout_pdf(hand_outs: list[HandOut], organisation: str) -> bytes:
    """Render the hand-out pages to PDF bytes."""
    html = render_template(
        "invitations/handout.html", hand_outs=hand_outs, organisation=organisation, code_url=code_url()
    )
    return HTML(string=html, url_fetcher=refuse_fetch).write_pdf()
