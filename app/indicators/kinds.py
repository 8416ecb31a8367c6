"""An indicator scoring round (resultatdokumentation) as a kind of round."""

from flask_babel import lazy_gettext as _l

from app.indicators import report
from app.invitations.kinds import FEEDBACK, RoundKind, register

INDICATORS = register(RoundKind(
    name="indicators",
    label=_l("Indikatorscoring"),
    # Sent and printed with the feedback round's words until scorers get their own (issue "Every word right").
    handout_title=FEEDBACK.handout_title,
    summary_heading=_l("Samstem: indikatorscoring ved %(kind)s %(date)s"),
    sms_ask=FEEDBACK.sms_ask,
    email_subject=FEEDBACK.email_subject,
    email_ask=FEEDBACK.email_ask,
    asks_unscored_reason=True,
    intro_partial="indicators/_intro.html",
    round_links_partial="indicators/_round_links.html",
    reconcile_links_partial="indicators/_matrix_link.html",
    # The report and the text for the case system carry the matrix (issue 10 item 4).
    report_partial="indicators/_report.html",
    report_context=report.report_context,
    summary_lines=report.summary_lines,
))
