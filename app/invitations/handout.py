"""The printable hand-out: one page per participant, in their language, rendered by WeasyPrint."""

from flask import render_template
from flask_babel import force_locale

from app.i18n import person_language
from app.invitations.links import HandOut, code_url
from app.pdf import render_pdf


def handout_pdf(hand_outs: list[HandOut], organisation: str) -> bytes:
    """Render the hand-out pages to PDF bytes; the QR codes are inline, nothing is fetched.

    Each page is written in its reader's language (the one chosen on the link, else the person's;
    Danish when Samstem does not speak it), right to left in Arabic, and
    names its reader by first name only, so it reaches the right person at the table.
    """
    where = code_url()
    pages = []
    for number, hand_out in enumerate(hand_outs, 1):
        lang = person_language(hand_out.invitation.person, hand_out.invitation.language)
        with force_locale(lang):
            pages.append(render_template(
                "invitations/_handout_page.html", hand_out=hand_out, lang=lang, number=number,
                total=len(hand_outs), organisation=organisation, code_url=where,
            ))
    return render_pdf(render_template("invitations/handout.html", pages=pages))
