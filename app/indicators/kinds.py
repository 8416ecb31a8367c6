"""An indicator scoring round (resultatdokumentation) as a kind of round."""

from flask_babel import lazy_gettext as _l

from app.invitations.kinds import FEEDBACK, RoundKind, register

INDICATORS = register(RoundKind(
    name="indicators",
    label=_l("Indikatorscoring"),
    # Sent and printed with the feedback round's words until scorers get their own (issue "Every word right").
    handout_title=FEEDBACK.handout_title,
    summary_heading=FEEDBACK.summary_heading,
    sms_ask=FEEDBACK.sms_ask,
    email_subject=FEEDBACK.email_subject,
    email_ask=FEEDBACK.email_ask,
    asks_unscored_reason=True,
    intro_partial="indicators/_intro.html",
    round_links_partial="indicators/_round_links.html",
    reconcile_links_partial="indicators/_matrix_link.html",
))
